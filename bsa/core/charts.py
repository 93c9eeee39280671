"""Body-surface charts: the share of body surface of each region and half, by age.

A chart is a data file under ``charts/``. It gives, for a few age *columns*, the percentage
of body surface of each half (Lund & Browder) or of each group of regions (rule of nines).
This module reads and checks the files and reads a chart at any age, in one of two ways:

``"interpolated"`` (the default)
    Linear between the column ages; the last column applies from its age on. The columns are
    samples of continuous growth: a child does not change shape on a birthday, and reading
    the paper chart by bands moves up to 4 percentage points of head at once (Lund-Browder,
    age 4.99 -> 5). Interpolation removes those jumps and agrees with the chart exactly at
    the column ages.
``"banded"``
    What a clinician does with the paper chart: the column of the age band the patient is in,
    ``[0, 1) -> 0, [1, 5) -> 1, [5, 10) -> 5, [10, 15) -> 10, [15, 18) -> 15, >= 18 -> adult``
    for Lund-Browder. Use it to reproduce a paper-chart assessment.

The reading used is always reported (:func:`age_reading`).

References
----------
.. [1] Lund CC, Browder NC. The estimation of areas of burns. Surg Gynecol Obstet
   1944;79:352-358.
.. [2] Wallace AB. The exposure treatment of burns. Lancet 1951;1(6653):501-504.

Why one long module: the chart tables, their loading and checks, and reading them for an age
(interpolated or banded, with the age column named in words) share the age-column logic, one
concept: the chart.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from .._renamed import renamed_argument
from ..checks import AGE_RANGE, check_age, one_age, one_of
from ..data import data_path, read_data_file
from ..errors import BSAInputError
from ..i18n import N_, _, digits, ngettext, num
from .regions import PART_INDEX, PART_NAMES, PART_REGION, REGION_SIDES, REGIONS

__all__ = [
    "AGE_MODES",
    "DEFAULT_AGE_MODE",
    "DEFAULT_CHART",
    "MIN_AGE",
    "MAX_AGE",
    "Chart",
    "available_charts",
    "load_chart",
    "read_chart_file",
    "check_age",
    "half_weights",
    "region_weights",
    "age_reading",
    "describe_age",
]

#: The ways of reading a chart at an age between its columns.
AGE_MODES: tuple[str, ...] = (N_("interpolated"), N_("banded"))
DEFAULT_AGE_MODE = "interpolated"
DEFAULT_CHART = "lund_browder"
#: Ages accepted, in years (:data:`bsa.checks.AGE_RANGE`).
MIN_AGE, MAX_AGE = AGE_RANGE

_CHART_FILES = MappingProxyType(
    {
        "lund_browder": "lund_browder_1944.json",
        "rule_of_nines": "rule_of_nines_adult.json",
        "rule_of_nines_paediatric": "rule_of_nines_paediatric.json",
    }
)

#: The version of the chart file format this module reads
#: (``charts/schemas/chart.schema.json``).
SCHEMA_VERSION = 1

_SUM_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Chart:
    """One body-surface chart, read and checked.

    Attributes
    ----------
    id : str
        The chart's identifier, e.g. ``"lund_browder"``.
    title : str
        Its name in words.
    source : mapping
        ``citation``, ``table``, ``status`` (``verified``, ``secondary`` or
        ``unverified``) and ``notes``, as written in the data file.
    age_columns : ndarray, shape (n_columns,)
        The column ages. [years]
    column_labels : tuple of str
        How the chart labels its columns (``"adult"`` for the last Lund-Browder one).
    half_table : ndarray, shape (n_columns, 33)
        Percentage of body surface of each half, :data:`bsa.core.regions.PART_NAMES` order. [%]
    region_table : ndarray, shape (n_columns, 19)
        The same summed per region, :data:`bsa.core.regions.REGIONS` order. [%]
    conventions : tuple of str
        Steps the project takes that are not in the source (e.g. apportioning a rule-of-nines
        group between regions), to show next to the result.
    intended_ages : tuple of (float, float or None)
        The ages the chart is meant for, ``[min, max)``; None for no upper end. [years]
    intended_ages_source : str
        Where those ages come from.
    title_parts : tuple of str
        For a chart whose title is made of others' (``"Body-shape chart ...: obese"``), those
        parts, each in the data's words: :attr:`title_words` shows each in the current
        language.
    """

    id: str
    title: str
    source: Mapping[str, Any]
    age_columns: np.ndarray
    column_labels: tuple[str, ...]
    half_table: np.ndarray
    region_table: np.ndarray
    conventions: tuple[str, ...] = field(default=())
    intended_ages: tuple[float, float | None] = (0.0, None)
    intended_ages_source: str = ""
    title_parts: tuple[str, ...] = ()

    @property
    def title_words(self) -> str:
        """The title in the current language (:mod:`bsa.i18n`)."""
        if len(self.title_parts) == 2:
            return _("{chart}: {bmi_class}").format(chart=_(self.title_parts[0]),
                                                    bmi_class=_(self.title_parts[1]))
        return _(self.title)

    @renamed_argument("age_years", "age")
    def is_intended_for(self, age: float) -> bool:
        """True if the chart is meant for a patient of ``age`` [years] (see
        :attr:`intended_ages`)."""
        lo, hi = self.intended_ages
        return lo <= age and (hi is None or age < hi)

    @property
    def intended_ages_text(self) -> str:
        """The intended ages in words, e.g. ``"10 years and over"``."""
        lo, hi = self.intended_ages
        if hi is None:
            return _("every age") if lo == 0 else _("{low} years and over").format(
                low=num(lo, "g"))
        if lo == 0:
            return _("under {high} years").format(high=num(hi, "g"))
        return _("{low} to under {high} years").format(low=num(lo, "g"), high=num(hi, "g"))

    @property
    def status(self) -> str:
        """``"verified"``, ``"secondary"`` or ``"unverified"``."""
        return str(self.source.get("status", "unverified"))

    @property
    def varies_with_age(self) -> bool:
        return len(self.age_columns) > 1


def available_charts() -> tuple[str, ...]:
    """Return the identifiers of the charts the package ships."""
    return tuple(_CHART_FILES)


def _check_chart_id(chart: str) -> str:
    return one_of(chart, _("chart"), _CHART_FILES, listed="available")


def load_chart(chart: str | Chart = DEFAULT_CHART) -> Chart:
    """Return a shipped chart by identifier (cached). A :class:`Chart` passes through.

    Raises
    ------
    BSAInputError
        If ``chart`` is not one of :func:`available_charts`.
    """
    if isinstance(chart, Chart):
        return chart
    return _load_shipped(_check_chart_id(chart))


@cache
def _load_shipped(chart: str) -> Chart:
    return read_chart_file(data_path(_CHART_FILES[chart]))


def read_chart_file(path: str | Path) -> Chart:
    """Read and check one chart data file.

    Checks: the schema version (:data:`SCHEMA_VERSION`), known region names and sides, no
    negative value, increasing column ages, one value per column, and every column summing
    to 100. The format is described in ``charts/schemas/chart.schema.json``.

    Raises
    ------
    BSAInputError
        Naming the file and the first problem found.
    """
    path = Path(path)
    doc = read_data_file(path, SCHEMA_VERSION, "chart file")
    try:
        return _build_chart(doc)
    except BSAInputError as exc:
        raise BSAInputError(f"chart file {path.name}: {exc}") from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise BSAInputError(f"chart file {path.name} is malformed: {exc!r}") from exc


def _build_chart(doc: Mapping[str, Any]) -> Chart:
    ages = np.asarray(doc["age_columns"], dtype=float)
    n = len(ages)
    if n == 0 or ages.ndim != 1 or np.any(np.diff(ages) <= 0) or ages[0] != 0:
        raise BSAInputError("age_columns must start at 0 and increase")
    labels = tuple(str(x) for x in doc.get("column_labels", [f"{a:g}" for a in ages]))
    if len(labels) != n:
        raise BSAInputError("column_labels must have one label per age column")
    kind = doc.get("kind")
    conventions: tuple[str, ...] = ()
    if kind == "halves":
        table = _halves_table(doc["percent"], n)
    elif kind == "groups":
        table, note = _groups_table(doc, n)
        conventions = (note,)
    else:
        raise BSAInputError(f"unknown chart kind {kind!r}; expected 'halves' or 'groups'")
    if np.any(table < 0) or not np.all(np.isfinite(table)):
        raise BSAInputError("values must be finite and not negative")
    sums = table.sum(axis=1)
    bad = np.flatnonzero(np.abs(sums - 100.0) > _SUM_TOLERANCE)
    if bad.size:
        i = bad[0]
        raise BSAInputError(
            f"column {labels[i]!r} sums to {sums[i]:g}, not 100: every column of a chart "
            "must cover the whole body exactly once"
        )
    region_table = np.zeros((n, len(REGIONS)))
    for half, region in enumerate(PART_REGION):
        region_table[:, region] += table[:, half]
    for a in (table, region_table, ages):
        a.flags.writeable = False
    intended = doc.get("intended_ages", {})
    lo = float(intended.get("min_years", 0.0))
    hi = intended.get("max_years")
    return Chart(
        id=str(doc["id"]),
        title=str(doc.get("title", doc["id"])),
        source=MappingProxyType(dict(doc.get("source", {}))),
        age_columns=ages,
        column_labels=labels,
        half_table=table,
        region_table=region_table,
        conventions=conventions,
        intended_ages=(lo, None if hi is None else float(hi)),
        intended_ages_source=str(intended.get("source", "")),
    )


def _halves_table(percent: Mapping[str, Mapping[str, list]], n: int) -> np.ndarray:
    table = np.zeros((n, len(PART_NAMES)))
    for region in REGIONS:
        if region not in percent:
            raise BSAInputError(f"region {region!r} is missing")
        sides = percent[region]
        for side in REGION_SIDES[region]:
            if side not in sides:
                raise BSAInputError(f"the {side} half of {region!r} is missing")
        for side, values in sides.items():
            if side not in REGION_SIDES[region]:
                raise BSAInputError(f"{region!r} has no {side} half")
            if len(values) != n:
                raise BSAInputError(f"{region}:{side} needs {n} values, one per age column")
            table[:, PART_INDEX[f"{region}:{side}"]] = values
    unknown = set(percent) - set(REGIONS)
    if unknown:
        raise BSAInputError(
            f"unknown regions {sorted(unknown)}; valid regions are: {', '.join(REGIONS)}"
        )
    return table


def _reference_halves(appo: Mapping[str, Any], ages: np.ndarray) -> np.ndarray:
    """The reference chart's half weights used to split each column's groups: (n, 33).

    ``reference_column`` names one column of the reference chart (the same split at every
    age) or is ``"column_age"``: the reference chart read (interpolated) at each column's
    own age, so an infant's head and neck are split by an infant's proportions.
    """
    ref = load_chart(appo["reference_chart"])
    if appo["reference_column"] == "column_age":
        return _read_table(ref.half_table, ref.age_columns, ages, "interpolated")
    col = list(ref.column_labels).index(appo["reference_column"])
    return np.broadcast_to(ref.half_table[col], (len(ages), len(PART_NAMES)))


def _groups_table(doc: Mapping[str, Any], n: int) -> tuple[np.ndarray, str]:
    appo = doc["apportionment"]
    ref_halves = _reference_halves(appo, np.asarray(doc["age_columns"], dtype=float))
    table = np.zeros((n, len(PART_NAMES)))
    seen: set[str] = set()
    for name, group in doc["groups"].items():
        regions = group["regions"]
        values = np.asarray(group["percent"], dtype=float)
        if len(values) != n:
            raise BSAInputError(f"group {name!r} needs {n} values, one per age column")
        for r in regions:
            if r not in REGION_SIDES:
                raise BSAInputError(
                    f"group {name!r} names unknown region {r!r}; valid regions are: "
                    f"{', '.join(REGIONS)}"
                )
            if r in seen:
                raise BSAInputError(f"region {r!r} is in more than one group")
            seen.add(r)
        idx = np.array([PART_INDEX[f"{r}:{s}"] for r in regions for s in REGION_SIDES[r]])
        share = ref_halves[:, idx] / ref_halves[:, idx].sum(axis=1, keepdims=True)
        table[:, idx] = values[:, None] * share
    missing = [r for r in REGIONS if r not in seen]
    if missing:
        raise BSAInputError(f"regions {missing} are in no group")
    return table, str(appo["note"])


def _check_age_mode(age_mode: str) -> str:
    return one_of(age_mode, _("age mode"), AGE_MODES)


_BLOCK_ROWS = 8192  # rows per block: a block's arrays stay in the processor's cache


def _varying_columns(table: np.ndarray) -> list[tuple[np.ndarray, list[int]]]:
    """The table's columns that change with age, grouped by identical values."""
    groups: dict[bytes, tuple[np.ndarray, list[int]]] = {}
    for j in np.flatnonzero(np.ptp(table, axis=0) > 0):
        col = np.ascontiguousarray(table[:, j])
        groups.setdefault(col.tobytes(), (col, []))[1].append(int(j))
    return list(groups.values())


def _read_table(table: np.ndarray, columns: np.ndarray, ages: np.ndarray, age_mode: str,
                fractions: np.ndarray | None = None, totals: np.ndarray | None = None,
                check=None) -> np.ndarray:
    """Read a (n_columns, k) table at each age: shape ``ages.shape + (k,)``.

    With ``fractions`` (shape ``ages.shape + (k,)``) returns ``fractions * weights``
    without building the weights array; ``totals`` (shape ``ages.shape``), if given,
    receives the row sums; ``check(block)`` is called on each block of fractions first.
    Works in blocks of rows so that each block's arrays stay in cache; only the few columns
    that change with age are read per age.
    """
    k = table.shape[1]
    a = ages.reshape(-1)
    n = a.size
    out = np.empty((n, k))
    f = None if fractions is None else fractions.reshape(n, k)
    varying = _varying_columns(table) if len(columns) > 1 else []
    banded = age_mode == "banded"
    ones = np.ones(k)
    for s in range(0, n, _BLOCK_ROWS):
        e = min(n, s + _BLOCK_ROWS)
        ob, ab = out[s:e], a[s:e]
        if f is None:
            ob[...] = table[0]
        else:
            if check is not None:
                check(f[s:e])
            np.multiply(f[s:e], table[0], out=ob)
        if banded and varying:
            idx = np.searchsorted(columns, ab, side="right") - 1
        for col, js in varying:
            # np.interp holds the last column from its age on, and is exact at the columns
            w = col[idx] if banded else np.interp(ab, columns, col)
            for j in js:
                if f is None:
                    ob[:, j] = w
                else:
                    np.multiply(f[s:e, j], w, out=ob[:, j])
        if totals is not None:
            # numpy's own loop, not BLAS: no worker threads left spinning on other cores
            np.einsum("ij,j->i", ob, ones, out=totals.reshape(-1)[s:e])
    return out.reshape(ages.shape + (k,))


@dataclass(frozen=True)
class _TotalsReading:
    """A chart table prepared for totals at many ages, without a patients x regions array.

    A patient's total under column ``c`` is ``fractions @ table[c]``; between two column
    ages the weights are linear in age, so the total read at an age is the same mix of the
    totals under its two columns, ``p0 + t * (p1 - p0)`` (exact at the column ages, where
    ``t`` is 0). A block of patients therefore takes one small product with every column at
    once (``fractions @ by_column``), then a look-up of each patient's two columns. The last
    column is repeated, so that from its age on it is read as ``p0`` with ``t = 0``.
    """

    by_column: np.ndarray  # (k, n_columns + 1): the table's columns side by side, the last twice
    columns: np.ndarray  # (n_columns,) column ages
    inverse_widths: np.ndarray  # (n_columns,) 1 / (next column age - this one); 0 for the last
    index_table: np.ndarray | None  # column index (at or below) by age bucket, when every
    buckets_per_year: float  # column age is a multiple of 1 / buckets_per_year

    def column_index(self, ages: np.ndarray) -> np.ndarray:
        """The index of the column at or below each age (``ages`` checked: 0 to 120)."""
        if self.index_table is None:
            return np.searchsorted(self.columns, ages, side="right") - 1
        scaled = ages if self.buckets_per_year == 1 else ages * self.buckets_per_year
        return self.index_table.take(scaled.astype(np.intp), mode="clip")


_TOTALS_READINGS: dict[int, tuple[np.ndarray, _TotalsReading]] = {}


def _totals_reading(table: np.ndarray, columns: np.ndarray) -> _TotalsReading:
    """The :class:`_TotalsReading` of a chart table (cached; tables are read-only)."""
    hit = _TOTALS_READINGS.get(id(table))
    if hit is not None and hit[0] is table:
        return hit[1]
    columns = np.asarray(columns, dtype=float)
    n = len(columns)
    inverse_widths = np.zeros(n)
    if n > 1:
        inverse_widths[:-1] = 1.0 / np.diff(columns)
    index_table, buckets = None, 1.0
    for q in (1, 2, 4, 8, 16, 32, 64):  # column ages on a grid of 1/q year: index by bucket
        if np.all(columns * q == np.round(columns * q)):
            top = int(np.ceil(max(AGE_RANGE[1], columns[-1]) * q)) + 1
            index_table = np.searchsorted(columns, np.arange(top) / q, side="right") - 1
            index_table = index_table.astype(np.intp)
            buckets = float(q)
            break
    by_column = np.ascontiguousarray(np.concatenate([table, table[-1:]]).T, dtype=float)
    reading = _TotalsReading(by_column, columns, inverse_widths, index_table, buckets)
    for x in (reading.by_column, reading.columns, reading.inverse_widths):
        x.flags.writeable = False
    if len(_TOTALS_READINGS) > 64:  # custom charts: keep the cache small
        _TOTALS_READINGS.clear()
    _TOTALS_READINGS[id(table)] = (table, reading)
    return reading


def half_weights(age, chart: str | Chart = DEFAULT_CHART, age_mode: str = DEFAULT_AGE_MODE):
    """Percentage of body surface of each half at the given age(s).

    Parameters
    ----------
    age : float or array_like
        Age of the patient. [years]
    chart : str or Chart, optional
        Chart identifier (see :func:`available_charts`). Default ``"lund_browder"``.
    age_mode : {"interpolated", "banded"}, optional
        How an age between the chart's columns is read (see the module notes).

    Returns
    -------
    ndarray, shape ``np.shape(age) + (33,)``
        Each half's share, in :data:`bsa.core.regions.PART_NAMES` order; each row sums to 100. [%]

    Raises
    ------
    BSAInputError
        For a bad age, chart or age mode.

    Examples
    --------
    >>> import bsa
    >>> w = bsa.half_weights(1.0)
    >>> float(w[bsa.core.regions.PART_INDEX["head:front"]])
    8.5
    """
    c = load_chart(chart)
    a = check_age(age)
    return _read_table(c.half_table, c.age_columns, a, _check_age_mode(age_mode))


def region_weights(age, chart: str | Chart = DEFAULT_CHART, age_mode: str = DEFAULT_AGE_MODE):
    """Percentage of body surface of each whole region at the given age(s).

    Same as :func:`half_weights` with the halves of each region added:
    shape ``np.shape(age) + (19,)``, :data:`bsa.core.regions.REGIONS` order. [%]

    Examples
    --------
    >>> import bsa
    >>> w = bsa.region_weights([0, 18])
    >>> w[:, bsa.core.regions.REGION_INDEX["head"]].tolist()
    [19.0, 7.0]
    """
    c = load_chart(chart)
    a = check_age(age)
    return _read_table(c.region_table, c.age_columns, a, _check_age_mode(age_mode))


@renamed_argument("age_years", "age")
def describe_age(age: float) -> str:
    """An age [years] in words: months under 2 years, years (and months under 18) after.

    The one wording of an age everywhere (page, map, command line). Completed months and
    years are counted, never rounded up: an age is never shown on the far side of a
    boundary it has not reached (1.99 years is "23 months", not "2 years"; 11.999 years is
    "11 years 11 months", not "12 years").

    Examples
    --------
    >>> [describe_age(a) for a in (0.5, 0.99, 1.25, 1.99, 2, 7.5, 11.999, 30, 30.5)]
    ['6 months', '11 months', '15 months', '23 months', '2 years', '7 years 6 months', '11 years 11 months', '30 years', '30 years']
    """
    a = one_age(age)
    months = math.floor(a * 12 + 1e-9)  # completed months (1e-9: 0.25 * 12 is 3, not 2.99..)
    if a < 2:
        return ngettext("{n} month", "{n} months", months).format(n=num(months))
    years, rest = divmod(months, 12)
    if rest and years < 18:
        return ngettext("{years} years {n} month", "{years} years {n} months", rest).format(
            years=num(years), n=num(rest))
    return _("{years} years").format(years=num(years))


def age_reading(age: float, chart: str | Chart = DEFAULT_CHART,
                age_mode: str = DEFAULT_AGE_MODE) -> str:
    """Describe in words how the chart is read at one age.

    Examples
    --------
    >>> age_reading(3, "lund_browder", "interpolated")
    "interpolated: halfway between the '1' and '5' columns"
    >>> age_reading(3, "lund_browder", "banded")
    "banded: the '1' column (ages 1 to under 5)"
    """
    c = load_chart(chart)
    a = one_age(age)
    mode = _check_age_mode(age_mode)
    cols = c.age_columns
    labels = [repr(_column_label(x)) for x in c.column_labels]
    if len(cols) == 1:
        return _("the chart has one column ({column}), used at every age").format(
            column=labels[0])
    if a >= cols[-1]:
        return _("{mode}: the {column} column (ages {low} and over)").format(
            mode=_(mode), column=labels[-1], low=num(cols[-1], "g"))
    i = int(np.searchsorted(cols, a, side="right") - 1)
    if mode == "banded":
        return _("banded: the {column} column (ages {low} to under {high})").format(
            column=labels[i], low=num(cols[i], "g"), high=num(cols[i + 1], "g"))
    t = (a - cols[i]) / (cols[i + 1] - cols[i])
    if t == 0:
        return _("interpolated: exactly the {column} column").format(column=labels[i])
    if abs(t - 0.5) < 1e-12:
        return _("interpolated: halfway between the {first} and {second} columns").format(
            first=labels[i], second=labels[i + 1])
    return _("interpolated: {share} of the way between the {first} and {second} "
             "columns").format(share=num(t, ".0%"), first=labels[i], second=labels[i + 1])


def _column_label(label: str) -> str:
    """A chart's column label as shown: its age in the current digits; ``adult`` in words."""
    return _("adult") if label == "adult" else digits(label)
