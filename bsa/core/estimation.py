"""Percentage of body surface from the affected share of each region.

The total is, for every region or half, its chart weight at the patient's age times the
affected fraction of it, added up. Works on one patient (:func:`estimate`, with a readable
result) and on whole cohorts (:func:`breakdown`, :func:`percent_bsa`: arrays, no Python loop
over patients).

Why one long module: the fast path for totals and the general path that also returns each
region's contribution sit together because they must give the same numbers and are tested
against each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from ..checks import (
    FRACTION_RANGE,
    as_numbers,
    check_age,
    check_fractions,
    flag,
    number,
    one_age,
    shown,
)
from ..errors import BSAInputError
from ..i18n import _
from .charts import (
    DEFAULT_AGE_MODE,
    DEFAULT_CHART,
    Chart,
    _check_age_mode,
    _read_table,
    _totals_reading,
    age_reading,
    half_weights,
    load_chart,
)
from .regions import (
    PART_INDEX,
    PART_NAMES,
    PART_REGION,
    REGION_SIDES,
    REGIONS,
    parse_part,
)

__all__ = [
    "Estimate",
    "estimate",
    "breakdown",
    "percent_bsa",
    "selection_to_fractions",
    "check_fractions",
]


def _check_layout(f: np.ndarray) -> None:
    if f.ndim == 0 or f.shape[-1] not in (len(REGIONS), len(PART_NAMES)):
        raise BSAInputError(
            f"the last axis of fractions must hold the {len(REGIONS)} regions "
            f"or the {len(PART_NAMES)} halves, got shape {f.shape}"
        )


def _patients_shape(a: np.ndarray, f: np.ndarray) -> tuple[int, ...]:
    try:
        return np.broadcast_shapes(a.shape, f.shape[:-1])
    except ValueError:
        raise BSAInputError(
            f"ages of shape {a.shape} do not match fractions of shape {f.shape}: give one "
            "age, or one age per patient"
        ) from None


def _contributions(fractions, age, chart, age_mode, want_totals: bool):
    """(per-region or per-half contributions, totals or None), checked, in one pass."""
    f = as_numbers(fractions, _("affected fractions"))
    _check_layout(f)
    c = load_chart(chart)
    _check_age_mode(age_mode)
    table = c.region_table if f.shape[-1] == len(REGIONS) else c.half_table
    a = check_age(age)
    shape = _patients_shape(a, f)
    if a.size == 1 and len(shape):
        # one age for everyone: read the chart once. An array of ages gives an array of
        # totals, even for one patient: (19,) fractions and [30] give shape (1,).
        out = check_fractions(f) * _read_table(table, c.age_columns, a.reshape(()), age_mode)
        out = out.reshape(shape + out.shape[-1:])
        return out, (np.einsum("...j->...", out) if want_totals else None)
    if a.shape != shape:
        a = np.broadcast_to(a, shape)
    if f.shape[:-1] != shape:
        f = np.broadcast_to(f, shape + f.shape[-1:])

    def check(block):
        if not (block.min() >= 0.0 and block.max() <= 1.0):  # NaN fails both
            check_fractions(f)  # raises, naming the first bad value and where it is

    totals = np.empty(shape) if want_totals else None
    out = _read_table(table, c.age_columns, a, age_mode, fractions=f, totals=totals,
                      check=check)
    return out, totals


#: Rows per block of the totals-only path: a block of 33 halves stays in the L2 cache.
_TOTALS_BLOCK_ROWS = 4096
_ONE_BITS = np.float64(1.0).view(np.uint64)


def _as_fractions_array(fractions) -> np.ndarray:
    """float64 or float32 arrays as they are (no copy); anything else as float64."""
    if isinstance(fractions, np.ndarray) and fractions.dtype in (np.float64, np.float32):
        return fractions
    return as_numbers(fractions, _("affected fractions"))


def _check_out(out: Any, shape: tuple[int, ...]) -> np.ndarray:
    if not isinstance(out, np.ndarray) or out.dtype.kind != "f":
        raise BSAInputError(f"out must be a numpy array of floats, got {shown(out)}")
    if out.shape != shape:
        raise BSAInputError(f"out must have the totals' shape {shape}, got {out.shape}")
    if not out.flags.writeable:
        raise BSAInputError("out must be writeable")
    return out


def _totals(fractions, age, chart, age_mode, out) -> np.ndarray:
    """Totals only, shape ``broadcast(age, fractions[..., 0])``, no patients x regions array.

    A cache-sized block of patients at a time: one small product with the chart's last
    column (the weights from its age on: most patients), which reads the block from memory
    once; the range check, from the cache; then, for the younger patients only, one small
    product with every column at once and each total read between its age's two columns.
    The products are small enough that BLAS runs them on one core (no worker threads).
    float32 fractions are read as they are, a block at a time.
    """
    f = _as_fractions_array(fractions)
    _check_layout(f)
    c = load_chart(chart)
    _check_age_mode(age_mode)
    k = f.shape[-1]
    table = c.region_table if k == len(REGIONS) else c.half_table
    a = check_age(age)
    shape = _patients_shape(a, f)
    n = int(np.prod(shape, dtype=np.int64))
    if out is not None:
        out = _check_out(out, shape)
    direct = out is not None and out.dtype == np.float64 and out.flags.c_contiguous
    totals = out if direct else np.empty(shape)
    flat_totals = totals.reshape(n)
    f2 = (f if f.shape[:-1] == shape else np.broadcast_to(f, shape + (k,))).reshape(n, k)
    reading = _totals_reading(table, c.age_columns)
    width = reading.by_column.shape[1]
    if a.size == 1 or len(reading.columns) == 1:  # one set of weights for everyone
        ages = None
        weights = _read_table(table, c.age_columns, a.reshape(-1)[:1], age_mode).reshape(k, 1)
    else:
        ages = np.broadcast_to(a, shape).reshape(n)
        weights = reading.by_column
    banded = age_mode == "banded"
    rows = np.arange(_TOTALS_BLOCK_ROWS) * width
    last_age = float(reading.columns[-1])
    last = np.ascontiguousarray(weights[:, -1:])
    with np.errstate(all="ignore"):  # a NaN or an infinity is refused by the check
        for s in range(0, n, _TOTALS_BLOCK_ROWS):
            e = min(n, s + _TOTALS_BLOCK_ROWS)
            fb = f2[s:e]
            if fb.dtype != np.float64:
                fb = fb.astype(np.float64)
            tb = flat_totals[s:e]
            # The product with the last column first (from its age on, the weights are that
            # column: most patients of most cohorts): it reads the block from memory once, and
            # the check then reads it from the cache.
            np.matmul(fb, last, out=tb[:, None])
            # [+0, 1] as unsigned integers is [0, the bits of 1.0]: one pass (NaN, negatives and
            # -0.0 are above; -0.0 is a fraction, which the second look lets through)
            if fb.size and fb.view(np.uint64).max() > _ONE_BITS and not (
                    fb.min() >= 0.0 and fb.max() <= 1.0):
                check_fractions(f)  # raises, naming the first bad value and where it is
            if ages is None:
                continue
            younger = np.flatnonzero(ages[s:e] < last_age)
            if not younger.size:
                continue
            # the others: the total under every column, then read between two of them
            by_column = np.matmul(fb.take(younger, axis=0), weights)
            ab = ages[s:e].take(younger)
            # (take with mode="clip" skips the bounds check: the indices are in range)
            i = reading.column_index(ab)
            at = rows[: younger.size] + i
            if banded:
                tb[younger] = by_column.take(at, mode="clip")
                continue
            t = ab - reading.columns.take(i, mode="clip")
            t *= reading.inverse_widths.take(i, mode="clip")
            p0 = by_column.take(at, mode="clip")
            at += 1
            p1 = by_column.take(at, mode="clip")
            p1 -= p0
            p1 *= t
            p1 += p0
            tb[younger] = p1
    if out is not None:
        if not direct:
            out[...] = totals
        return out
    return totals


def breakdown(fractions, age, chart: str | Chart = DEFAULT_CHART,
              age_mode: str = DEFAULT_AGE_MODE) -> np.ndarray:
    """Each region's (or half's) contribution to the affected body surface.

    Parameters
    ----------
    fractions : array_like, shape (..., 19) or (..., 33)
        Affected fraction of each region, in :data:`bsa.core.regions.REGIONS` order (last axis
        19), or of each half, in :data:`bsa.core.regions.PART_NAMES` order (last axis 33).
        From 0 (none) to 1 (all of it). [1]
    age : float or array_like
        Age of each patient, broadcast against ``fractions[..., 0]``. [years]
    chart : str or Chart, optional
        ``"lund_browder"`` (default), ``"rule_of_nines"`` or ``"rule_of_nines_paediatric"``.
    age_mode : {"interpolated", "banded"}, optional
        How the chart is read between its age columns (see :mod:`bsa.core.charts`).

    Returns
    -------
    ndarray, same shape as the broadcast ``fractions``
        Contribution of each region or half to the total. [% of body surface]

    Raises
    ------
    BSAInputError
        For a fraction outside [0, 1] or NaN, a last axis other than 19 or 33, or a bad
        age, chart or age mode.

    See Also
    --------
    percent_bsa : the totals, optionally with this breakdown.

    Notes
    -----
    Memory: the output array, the size of ``fractions``, and a few cache-sized blocks.

    Examples
    --------
    >>> import bsa, numpy as np
    >>> f = np.zeros(19); f[bsa.core.regions.REGION_INDEX["head"]] = 1.0
    >>> bsa.breakdown(f, age=[0, 18])[:, 0].tolist()
    [19.0, 7.0]
    """
    return _contributions(fractions, age, chart, age_mode, want_totals=False)[0]


def percent_bsa(fractions, age, chart: str | Chart = DEFAULT_CHART,
                age_mode: str = DEFAULT_AGE_MODE, *, return_breakdown: bool = False,
                out: np.ndarray | None = None):
    """Total affected percentage of body surface.

    Parameters are those of :func:`breakdown`, and:

    return_breakdown : bool, optional
        Also return each region's contribution (what :func:`breakdown` returns), computed
        in the same pass. Default False: only the totals are computed, without a patients x
        regions array.
    out : ndarray, optional
        A float array of the totals' shape to write the totals into; it is returned (also
        for one patient). [%]

    Returns
    -------
    total : float or ndarray, shape ``fractions.shape[:-1]`` broadcast with ``age``
        The total, from 0 to 100. A single patient gives a float. [%]
    breakdown : ndarray
        Only with ``return_breakdown=True``. [%]

    Notes
    -----
    float32 fractions are read as they are, a block at a time (no float64 copy of the
    array); the totals are float64. Without ``return_breakdown`` the memory used is the
    totals and a few cache-sized blocks, and no BLAS call is made (no worker threads).

    Examples
    --------
    >>> import bsa, numpy as np
    >>> f = np.zeros(19); f[bsa.core.regions.REGION_INDEX["anterior_trunk"]] = 0.5
    >>> bsa.percent_bsa(f, age=30)
    6.5
    >>> cohort = np.tile(f, (3, 1)).astype(np.float32)
    >>> totals = np.empty(3)
    >>> bsa.percent_bsa(cohort, age=[1, 30, 80], out=totals) is totals, totals.tolist()
    (True, [6.5, 6.5, 6.5])
    """
    flag(return_breakdown, "return_breakdown")
    if not return_breakdown:
        totals = _totals(fractions, age, chart, age_mode, out)
        return float(totals) if totals.ndim == 0 and out is None else totals
    per, totals = _contributions(fractions, age, chart, age_mode, want_totals=True)
    if out is not None:
        _check_out(out, totals.shape)[...] = totals
        return out, per
    total = float(totals) if totals.ndim == 0 else totals
    return total, per


def selection_to_fractions(selection: Mapping[str, Any] | Iterable[str]) -> np.ndarray:
    """Turn a selection into the affected fraction of each half, (33,) in PART_NAMES order.

    Parameters
    ----------
    selection : mapping or iterable of str
        Keys are region names (``"head"``) or halves (``"right_thigh:front"``); values are
        fractions from 0 to 1. An iterable of names means the whole of each.

    Raises
    ------
    BSAInputError
        For an unknown region or side, a region named both whole and as a half, the same
        key twice, or a fraction out of range.
    """
    wanted = "a mapping of region -> fraction, or a list of region names"
    if isinstance(selection, Mapping):
        items = list(selection.items())
    elif isinstance(selection, (str, bytes, bytearray)):
        raise BSAInputError(f"a selection must be {wanted}, got text: {shown(selection)}")
    else:
        try:
            items = [(name, 1.0) for name in selection]
        except TypeError:
            raise BSAInputError(f"a selection must be {wanted}, got {shown(selection)}") from None
    fractions = np.zeros(len(PART_NAMES))
    whole: set[str] = set()
    halves: set[str] = set()
    for name, value in items:
        region, side = parse_part(name)
        key = region if side is None else f"{region}:{side}"
        if key in whole or key in halves:
            raise BSAInputError(_("{name} is given more than once").format(name=repr(key)))
        if side is None:
            if any(h.startswith(region + ":") for h in halves):
                raise BSAInputError(
                    _("{region} is given both whole and as a half; give either {region} or "
                      "its halves ({halves})").format(
                        region=repr(region),
                        halves=", ".join(f"{region}:{s}" for s in REGION_SIDES[region])))
            whole.add(region)
        else:
            if region in whole:
                raise BSAInputError(
                    _("{region} is given both whole and as a half ({half}); give one or the "
                      "other").format(region=repr(region), half=repr(key)))
            halves.add(key)
        x = number(value, _("the fraction for {name}").format(name=repr(key)), *FRACTION_RANGE,
                   _("(0 none, 1 the whole region)"))
        sides = REGION_SIDES[region] if side is None else (side,)
        for s in sides:
            fractions[PART_INDEX[f"{region}:{s}"]] = x
    return fractions


@dataclass(frozen=True)
class Estimate:
    """The affected body surface of one patient, with how it was worked out.

    Attributes
    ----------
    percent_bsa : float
        The total. [% of body surface]
    age_years : float
        The age the chart was read at. [years]
    chart : str
        The chart's identifier.
    chart_title : str
        In the language current when it was made (:mod:`bsa.i18n`), as every text here.
    age_mode : str
        ``"interpolated"`` or ``"banded"``.
    age_reading : str
        How the chart was read at this age, in words.
    fractions : mapping
        Affected fraction of each half (all 33). [1]
    weights : mapping
        Each half's share of body surface at this age, from the chart. [%]
    by_half : mapping
        Contribution of each half. [%]
    by_region : mapping
        Contribution of each region. [%]
    source : str
        The chart's citation.
    conventions : tuple of str
        The project's own steps that are not in the source.
    """

    percent_bsa: float
    age_years: float
    chart: str
    chart_title: str
    age_mode: str
    age_reading: str
    fractions: Mapping[str, float]
    weights: Mapping[str, float]
    by_half: Mapping[str, float]
    by_region: Mapping[str, float]
    source: str
    conventions: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary; ``regions`` lists only regions with a contribution."""
        return {
            "percent_bsa": self.percent_bsa,
            "age_years": self.age_years,
            "chart": self.chart,
            "chart_title": self.chart_title,
            "age_mode": self.age_mode,
            "age_reading": self.age_reading,
            "source": self.source,
            "conventions": list(self.conventions),
            "regions": {
                r: {
                    "percent_bsa": v,
                    "weight": sum(self.weights[f"{r}:{s}"] for s in REGION_SIDES[r]),
                    "halves": {
                        s: {
                            "fraction": self.fractions[f"{r}:{s}"],
                            "weight": self.weights[f"{r}:{s}"],
                            "percent_bsa": self.by_half[f"{r}:{s}"],
                        }
                        for s in REGION_SIDES[r]
                    },
                }
                for r, v in self.by_region.items()
                if v > 0
            },
        }


def estimate(selection: Mapping[str, Any] | Iterable[str] | np.ndarray, age: float,
             chart: str = DEFAULT_CHART, age_mode: str = DEFAULT_AGE_MODE) -> Estimate:
    """Estimate the affected percentage of body surface of one patient.

    Parameters
    ----------
    selection : mapping, iterable of str, or array of shape (33,)
        ``{"head": 1.0, "right_thigh:front": 0.5}``: regions or halves with the affected
        fraction of each (0 to 1); a list of names means the whole of each; an array gives
        the fraction of every half in :data:`bsa.core.regions.PART_NAMES` order.
    age : float
        Age of the patient. [years]
    chart : str, optional
        ``"lund_browder"`` (default), ``"rule_of_nines"``, ``"rule_of_nines_paediatric"``.
    age_mode : {"interpolated", "banded"}, optional
        How the chart is read between its age columns. Default ``"interpolated"``.

    Returns
    -------
    Estimate

    Raises
    ------
    BSAInputError
        For an unknown region (the message lists the valid names), a region given both
        whole and as a half, a fraction outside [0, 1], a bad age, chart or age mode.

    References
    ----------
    .. [1] Lund CC, Browder NC. The estimation of areas of burns. Surg Gynecol Obstet
       1944;79:352-358.

    Examples
    --------
    >>> import bsa
    >>> r = bsa.estimate({"head": 1.0, "anterior_trunk": 0.5}, age=3)
    >>> round(r.percent_bsa, 2)
    21.5
    >>> r.age_reading
    "interpolated: halfway between the '1' and '5' columns"
    """
    if isinstance(selection, np.ndarray):
        fractions = check_fractions(selection)
        if fractions.shape != (len(PART_NAMES),):
            raise BSAInputError(
                f"an array selection must hold the {len(PART_NAMES)} halves' fractions, "
                f"got shape {fractions.shape}"
            )
    else:
        fractions = selection_to_fractions(selection)
    c = load_chart(chart)
    _check_age_mode(age_mode)
    if isinstance(age, (list, tuple)) or (isinstance(age, np.ndarray) and age.ndim):
        raise BSAInputError(
            f"estimate() takes one age, got {shown(age)}; use bsa.breakdown or "
            "bsa.percent_bsa for many patients"
        )
    a = one_age(age)
    weights = half_weights(a, c, age_mode)
    by_half = weights * fractions
    by_region = np.zeros(len(REGIONS))
    np.add.at(by_region, np.asarray(PART_REGION), by_half)
    total = float(by_half.sum())
    return Estimate(
        percent_bsa=total,
        age_years=a,
        chart=c.id,
        chart_title=c.title_words,
        age_mode=age_mode,
        age_reading=age_reading(a, c, age_mode),
        fractions=MappingProxyType(dict(zip(PART_NAMES, fractions.tolist()))),
        weights=MappingProxyType(dict(zip(PART_NAMES, weights.tolist()))),
        by_half=MappingProxyType(dict(zip(PART_NAMES, by_half.tolist()))),
        by_region=MappingProxyType(dict(zip(REGIONS, by_region.tolist()))),
        source=str(c.source.get("citation", "")),
        conventions=tuple(_(text) for text in c.conventions),
    )

