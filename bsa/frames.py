"""Scoring a table of patients: pandas, polars or pyarrow in, the same kind out.

:func:`score_frame` reads a table with an age column and one column per region (named as in
:data:`bsa.REGIONS`) or per half (``REGION:front``, ``REGION:back``), holding the affected
fraction of each from 0 to 1, and returns the same table with ``percent_bsa`` added and, on
request, each region's contribution (``pct_<region>``) and the range of totals under every
chart that applies (``percent_bsa_low``, ``percent_bsa_high``; :func:`bsa.percent_bsa_range`).

One code path serves every kind of table: `narwhals <https://narwhals-dev.github.io/narwhals/>`_,
a thin layer over pandas, polars, pyarrow and others. The numbers come from
:func:`bsa.percent_bsa` on the table's columns as float64 arrays, so a pandas, a polars and a
pyarrow table of the same values give the same numbers, bit for bit, as
:func:`bsa.percent_bsa` itself.

Needs the ``research`` extra (``pip install 'bsa-map[research]'``); ``import bsa`` does not
import it.

Examples
--------
>>> import pandas as pd, bsa
>>> patients = pd.DataFrame({"id": ["a", "b"], "age": [3, 30], "head": [1.0, 0.0],
...                          "anterior_trunk": [0.5, 1.0]})
>>> bsa.score_frame(patients)
  id  age  head  anterior_trunk  percent_bsa
0  a    3   1.0             0.5         21.5
1  b   30   0.0             1.0         13.0
>>> bsa.score_frame(patients, regions=True)["pct_head"].tolist()
[15.0, 0.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .checks import flag, shown
from .core.charts import DEFAULT_AGE_MODE, DEFAULT_CHART, Chart, check_age
from .core.estimation import percent_bsa
from .core.regions import PART_INDEX, PART_NAMES, PART_REGION, REGION_SIDES, REGIONS, parse_part
from .errors import BSAInputError

__all__ = ["RESEARCH_EXTRA_HINT", "score_frame", "fraction_columns"]

#: How to install what :func:`score_frame`, Parquet and the fast CSV reader need.
RESEARCH_EXTRA_HINT = ("install the research extra: pip install 'bsa-map[research]' (from a "
                       "checkout: pip install '.[research]')")


def _narwhals():
    try:
        import narwhals.stable.v2 as nw
    except ImportError:
        raise BSAInputError(f"scoring a table needs narwhals; {RESEARCH_EXTRA_HINT}") from None
    return nw


def fraction_columns(names) -> tuple[list[str], np.ndarray, bool]:
    """Which columns hold affected fractions, and which halves each sets.

    Parameters
    ----------
    names : iterable of str
        Column names; those that are not a region or a half are ignored.

    Returns
    -------
    columns : list of str
        The region and half columns, in table order.
    targets : ndarray of int, shape (m, 2)
        Pairs (index in ``columns``, index of the fraction it sets): a region column sets
        its region (or, among halves, both its halves), a half column its half.
    halves : bool
        True if any column is a half (the fractions are then the 33 halves, else the 19
        regions).

    Raises
    ------
    BSAInputError
        For a region given whole and per half.
    """
    columns: list[str] = []
    parts: list[tuple[str, str | None]] = []
    whole: set[str] = set()
    halved: set[str] = set()
    for name in names:
        if not isinstance(name, str):
            continue
        try:
            region, side = parse_part(name)
        except BSAInputError:
            continue
        if (side is None and region in halved) or (side is not None and region in whole):
            raise BSAInputError(f"{region!r} has a column whole and per half; give one or "
                                "the other")
        (whole if side is None else halved).add(region)
        columns.append(name)
        parts.append((region, side))
    use_halves = bool(halved)
    targets = []
    for j, (region, side) in enumerate(parts):
        if not use_halves:
            targets.append((j, REGIONS.index(region)))
            continue
        for s in (REGION_SIDES[region] if side is None else (side,)):
            targets.append((j, PART_INDEX[f"{region}:{s}"]))
    return columns, np.array(targets, dtype=np.intp).reshape(-1, 2), use_halves


def _float_column(frame, name: str, what: str) -> np.ndarray:
    """A column as a float64 array; nulls and text refused naming the row."""
    column = frame.get_column(name)
    nulls = column.is_null()
    if nulls.any():
        row = int(np.flatnonzero(nulls.to_numpy())[0])
        raise BSAInputError(f"row {row}: {what} {name!r} is empty (null)")
    try:
        values = np.asarray(column.to_numpy(), dtype=np.float64)
    except (TypeError, ValueError):
        raise BSAInputError(f"{what} {name!r} must hold numbers, got {column.dtype}") from None
    return values


def score_frame(frame: Any, age: str = "age", *, chart: str | Chart = DEFAULT_CHART,
                age_mode: str = DEFAULT_AGE_MODE, regions: bool = False,
                range: bool = False, bmi: str | None = None) -> Any:
    """Add the affected %BSA of every row of a pandas, polars or pyarrow table.

    Parameters
    ----------
    frame : pandas.DataFrame, polars.DataFrame, pyarrow.Table, ...
        One row per patient: an age column, and region columns (:data:`bsa.REGIONS`) or
        half columns (``"REGION:front"``, ``"REGION:back"``) holding the affected fraction
        from 0 to 1 (a region without a column is taken as not affected). Other columns are
        kept as they are.
    age : str, optional
        The name of the age column. Default ``"age"``. [years]
    chart : str or Chart, optional
        As for :func:`bsa.percent_bsa`.
    age_mode : {"interpolated", "banded"}, optional
        As for :func:`bsa.percent_bsa`.
    regions : bool, optional
        Also add each region's contribution, ``pct_<region>`` (19 columns). [%]
    range : bool, optional
        Also add ``percent_bsa_low`` and ``percent_bsa_high``: the lowest and highest total
        under every chart that applies at that age (:func:`bsa.percent_bsa_range`). [%]
    bmi : str, optional
        With ``range``: the name of a body mass index column, which adds the body-shape chart
        for adults with a BMI of 30 or more. [kg/m2]

    Returns
    -------
    The same kind of table as ``frame``
        ``frame``'s columns, then ``percent_bsa`` [%], then the columns asked for.

    Raises
    ------
    BSAInputError
        For a table narwhals cannot read, no age column, no region column, a region whole
        and per half, an empty (null) cell, a value out of range (naming the row and the
        column), or a bad chart or age mode.

    Notes
    -----
    With Dask, ``ddf.map_partitions(bsa.score_frame, age="age")`` scores each partition
    (a pandas table); see the guide "Cohorts beyond one machine".
    """
    nw = _narwhals()
    flag(regions, "regions")
    flag(range, "range")
    try:
        df = nw.from_native(frame, eager_only=True)
    except TypeError:
        raise BSAInputError(
            f"score_frame takes a pandas, polars or pyarrow table, got {shown(frame)}") from None
    names = list(df.columns)
    if age not in names:
        raise BSAInputError(f"no age column {age!r}; the table has {shown(names)} "
                            "(name the age column with age=...)")
    columns, targets, halves = fraction_columns(n for n in names if n != age)
    if not columns:
        raise BSAInputError(
            f"no region columns; name them after the regions: {', '.join(REGIONS)}")
    ages = _float_column(df, age, "age column")
    n = len(ages)
    try:
        check_age(ages)
    except BSAInputError as exc:
        bad = np.flatnonzero(~((ages >= 0) & (ages <= 120)))
        raise BSAInputError(f"row {int(bad[0])}: {exc}") from None
    fractions = np.zeros((n, len(PART_NAMES) if halves else len(REGIONS)))
    for j, name in enumerate(columns):
        values = _float_column(df, name, "column")
        bad = np.flatnonzero(~((values >= 0) & (values <= 1)))
        if bad.size:
            raise BSAInputError(
                f"row {int(bad[0])}: column {name!r} is {values[bad[0]]:g}: fractions must "
                "be from 0 (none) to 1 (the whole region)")
        for t in targets[targets[:, 0] == j, 1]:
            fractions[:, t] = values
    backend = nw.get_native_namespace(df)
    added = []
    if regions:
        total, per = percent_bsa(fractions, ages, chart, age_mode, return_breakdown=True)
        if halves:
            per_region = np.zeros((n, len(REGIONS)))
            for i, r in enumerate(PART_REGION):
                per_region[:, r] += per[:, i]
            per = per_region
    else:
        total = percent_bsa(fractions, ages, chart, age_mode)
    added.append(("percent_bsa", np.asarray(total, dtype=np.float64).reshape(n)))
    if regions:
        added += [(f"pct_{r}", np.ascontiguousarray(per[:, i])) for i, r in enumerate(REGIONS)]
    if range:
        from .total_range import percent_bsa_range

        b = None if bmi is None else _float_column(df, bmi, "BMI column")
        low, high, _ = percent_bsa_range(fractions, ages, bmi=b)
        added += [("percent_bsa_low", np.asarray(low).reshape(n)),
                  ("percent_bsa_high", np.asarray(high).reshape(n))]
    taken = [name for name, _ in added if name in names]
    if taken:
        raise BSAInputError(f"the table already has columns named {taken}; rename them first")
    out = df.with_columns(*(nw.new_series(name, values, nw.Float64, backend=backend)
                            for name, values in added))
    return nw.to_native(out)
