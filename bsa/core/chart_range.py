"""The total of the same marks under every chart that applies, for whole cohorts.

:func:`percent_bsa_range` scores arrays of marks (patients x regions or halves) under the
Lund-Browder chart (interpolated and banded), the rule of nines (adult from its intended
age, paediatric below), the body-shape chart for obese adults and the palm count's spread,
and returns the lowest and highest total per patient, vectorised like
:func:`bsa.percent_bsa`. One patient's range, with the label's verdict under each chart, is
:func:`bsa.estimate_range` (:mod:`bsa.total_range`). Needs numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

import numpy as np

from ..checks import SEXES, as_numbers, one_of
from ..errors import BSAInputError
from ..i18n import _
from .body_shape import check_bmi, load_body_shape_chart
from .charts import Chart, check_age, load_chart
from .estimation import check_fractions
from .palm_method import _MAX_PALMS, palm_method
from .regions import PART_NAMES, REGIONS

__all__ = ["RANGE_CHARTS", "RangeTotals", "entry_for_chart", "percent_bsa_range"]

#: The ids of the range's entries, in the order they are listed.
RANGE_CHARTS: tuple[str, ...] = (
    "lund_browder", "lund_browder_banded", "rule_of_nines", "rule_of_nines_paediatric",
    "rule_of_nines_paediatric_banded", "body_shape_neaman_2011", "palm_method_low",
    "palm_method_high",
)

# (entry id, chart id, age reading) of the entries that read a shipped chart.
_CHART_ENTRIES = (
    ("lund_browder", "lund_browder", "interpolated"),
    ("lund_browder_banded", "lund_browder", "banded"),
    ("rule_of_nines", "rule_of_nines", "interpolated"),
    ("rule_of_nines_paediatric", "rule_of_nines_paediatric", "interpolated"),
    ("rule_of_nines_paediatric_banded", "rule_of_nines_paediatric", "banded"),
)


def entry_for_chart(chart: str, age_mode: str) -> str | None:
    """The range entry that reads ``chart`` as ``age_mode`` (None if the range has none).

    Examples
    --------
    >>> entry_for_chart("lund_browder", "banded"), entry_for_chart("rule_of_nines", "banded")
    ('lund_browder_banded', 'rule_of_nines')
    """
    for entry, cid, mode in _CHART_ENTRIES:
        if cid == chart and (mode == age_mode or not load_chart(cid).varies_with_age):
            return entry
    return None


def _intended(chart: Chart, ages: np.ndarray) -> np.ndarray:
    lo, hi = chart.intended_ages
    ok = ages >= lo
    return ok if hi is None else ok & (ages < hi)


def _shape_classes():
    """The body-shape classes the range uses (from ``range_from_bmi`` on), lowest first."""
    shape = load_body_shape_chart()
    return shape, tuple(c for c in shape.classes if c.bmi_min >= shape.range_from_bmi)


def _shape_applies(ages: np.ndarray, bmi: np.ndarray) -> np.ndarray:
    shape, classes = _shape_classes()
    ok = (ages >= shape.intended_ages[0]) & (bmi >= shape.range_from_bmi)
    held = np.zeros(np.shape(ok), dtype=bool)
    for c in classes:
        held |= (bmi >= c.bmi_min) & (True if c.bmi_max is None else bmi < c.bmi_max)
    return ok & held




class RangeTotals(NamedTuple):
    """The range of a cohort: arrays of the shape of the broadcast inputs (floats for one).

    Attributes
    ----------
    low, high : float or ndarray
        [% of body surface]
    by_chart : dict of str to float or ndarray
        Every entry of :data:`RANGE_CHARTS` (the palm entries only with a palm count): the
        total, NaN where the chart does not apply to that patient. [% of body surface]
    """

    low: Any
    high: Any
    by_chart: dict[str, Any]


@dataclass(frozen=True)
class _Reader:
    """How the cohort path reads one shipped chart: its columns' place in the stacked
    matrix, the ages it applies to, and the entries it fills."""

    chart: Chart
    offset: int
    columns: np.ndarray
    inverse_widths: np.ndarray  # 1 / (next column - this column), per column but the last
    interpolated: str | None  # entry id read between the columns
    banded: str | None  # entry id read by bands
    every_age: bool


@cache
def _stacked(k: int):
    """Every chart column the range reads, side by side, (k, m); the charts' readers; the
    body-shape classes' offsets."""
    blocks, at = [], 0
    readers = []
    for cid in dict.fromkeys(cid for _entry, cid, _mode in _CHART_ENTRIES):
        c = load_chart(cid)
        table = c.region_table if k == len(REGIONS) else c.half_table
        entries = {mode: e for e, chart_id, mode in _CHART_ENTRIES if chart_id == cid}
        cols = c.age_columns
        readers.append(_Reader(
            chart=c, offset=at, columns=cols,
            inverse_widths=1.0 / np.diff(cols) if len(cols) > 1 else np.ones(0),
            interpolated=entries.get("interpolated"), banded=entries.get("banded"),
            every_age=c.intended_ages == (0.0, None)))
        blocks.append(table.T)
        at += table.shape[0]
    _shape, classes = _shape_classes()
    class_offsets = []
    for cls in classes:
        table = cls.chart.region_table if k == len(REGIONS) else cls.chart.half_table
        blocks.append(table.T)
        class_offsets.append((cls, at))
        at += 1
    stacked = np.ascontiguousarray(np.concatenate(blocks, axis=1))
    stacked.flags.writeable = False
    return stacked, tuple(readers), tuple(class_offsets)


def _read_chart(r: _Reader, flat: np.ndarray, width: int, rows: np.ndarray,
                ages: np.ndarray, out: dict[str, np.ndarray]) -> None:
    """Write a chart's totals for one block into ``out`` (entry -> that block's slice).

    ``flat`` is the block's per-column totals, (rows, width), flattened. The total is
    linear in the chart's column, so reading the totals between columns is reading the
    chart between columns (as :func:`bsa.core.charts._read_table` does). Patients the
    chart is not meant for get NaN; only the others are read.
    """
    if r.every_age:
        sel, a = None, ages
        at = rows * width + r.offset
    else:
        sel = _intended(r.chart, ages)
        a = ages[sel]
        at = np.flatnonzero(sel) * width + r.offset
    n = len(r.columns)
    values: dict[str, np.ndarray] = {}
    if n == 1:
        values[str(r.interpolated or r.banded)] = flat.take(at)
    else:
        i = np.searchsorted(r.columns, a, side="right") - 1
        if r.banded:
            values[r.banded] = flat.take(at + i)
        if r.interpolated:
            np.minimum(i, n - 2, out=i)
            t = a - r.columns.take(i)
            t *= r.inverse_widths.take(i)
            np.minimum(t, 1.0, out=t)  # the last column holds on
            at += i
            p0 = flat.take(at)
            at += 1
            total = flat.take(at)
            total -= p0
            total *= t
            total += p0
            values[r.interpolated] = total
    for entry, v in values.items():
        if sel is None:
            out[entry][...] = v
        else:
            out[entry].fill(np.nan)
            out[entry][sel] = v


_BLOCK_ROWS = 16384  # rows per block: a block's per-column totals stay in the cache


def percent_bsa_range(fractions, age, *, bmi=None, palm_count=None,
                      palm_with_fingers: bool = True, sex: str | None = None) -> RangeTotals:
    """The range of totals of a cohort: every patient's marks under every chart that applies.

    Parameters
    ----------
    fractions : array_like, shape (..., 19) or (..., 33)
        Affected fraction of each region (:data:`bsa.REGIONS` order) or half
        (:data:`bsa.PART_NAMES` order), as for :func:`bsa.percent_bsa`. [1]
    age : float or array_like
        Broadcast against ``fractions[..., 0]``. [years]
    bmi : float or array_like, optional
        Body mass index, broadcast likewise: adds the body-shape chart for adults with a BMI
        of 30 or more. Without it the chart is not used. [kg/m2]
    palm_count : float or array_like, optional
        Hands counted, broadcast likewise: adds the palm count's published spread. [hands]
    palm_with_fingers : bool, optional
        Palm with fingers (default) or the palm alone, for every patient.
    sex : {"female", "male"}, optional
        For every patient: narrows the palm spread as in :func:`estimate_range`.

    Returns
    -------
    RangeTotals
        ``(low, high, by_chart)``; one patient gives floats.

    Raises
    ------
    BSAInputError
        For a fraction outside [0, 1], a NaN or infinite age, BMI or palm count, a value out
        of range, a last axis other than 19 or 33, or shapes that do not broadcast.

    Notes
    -----
    Every chart's columns are stacked into one matrix, so each block of patients takes one
    matrix product, then each chart's reading at each patient's age: no Python loop over
    patients. The totals agree with :func:`estimate_range` to rounding (1e-12).

    Examples
    --------
    >>> import bsa, numpy as np
    >>> f = np.zeros((2, 19)); f[:, bsa.core.regions.REGION_INDEX["anterior_trunk"]] = 1.0
    >>> low, high, by_chart = bsa.percent_bsa_range(f, [5, 45], bmi=[16, 35])
    >>> low.tolist(), high.tolist()
    ([13.0, 13.0], [17.0, 18.0])
    >>> by_chart["body_shape_neaman_2011"].tolist()
    [nan, 16.25]
    """
    f = as_numbers(fractions, _("affected fractions"))
    k = f.shape[-1] if f.ndim else 0
    if k not in (len(REGIONS), len(PART_NAMES)):
        raise BSAInputError(
            f"the last axis of fractions must hold the {len(REGIONS)} regions "
            f"or the {len(PART_NAMES)} halves, got shape {f.shape}")
    a = check_age(age)
    b = None if bmi is None else check_bmi(bmi)
    palms = None if palm_count is None else _check_palms(palm_count)
    if sex is not None:
        one_of(sex, _("sex"), SEXES, listed="valid (or none)")
    shapes = [a.shape, f.shape[:-1]] + [x.shape for x in (b, palms) if x is not None]
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError as exc:
        raise BSAInputError(f"the shapes of the inputs do not match: fractions {f.shape}, "
                            f"age {a.shape}" + (f", bmi {b.shape}" if b is not None else "")
                            + (f", palm_count {palms.shape}" if palms is not None else "")
                            ) from exc
    n = int(np.prod(shape, dtype=np.int64))
    f2 = np.broadcast_to(f, shape + (k,)).reshape(n, k)
    a1 = np.broadcast_to(a, shape).reshape(n)
    b1 = None if b is None else np.broadcast_to(b, shape).reshape(n)
    stacked, readers, class_offsets = _stacked(k)
    width = stacked.shape[1]
    ids = [e for e, _chart, _mode in _CHART_ENTRIES] + ["body_shape_neaman_2011"]
    out = {e: np.empty(n) for e in ids}
    low, high = np.empty(n), np.empty(n)
    rows_all = np.arange(min(n, _BLOCK_ROWS))
    for s in range(0, n, _BLOCK_ROWS):
        e = min(n, s + _BLOCK_ROWS)
        fb = f2[s:e]
        if fb.size and not (fb.min() >= 0.0 and fb.max() <= 1.0):  # NaN fails both
            check_fractions(f)  # raises, naming the first bad value and where it is
        flat = (fb @ stacked).reshape(-1)
        ab = a1[s:e]
        block = {entry: v[s:e] for entry, v in out.items()}
        for r in readers:
            _read_chart(r, flat, width, rows_all[: e - s], ab, block)
        shape_total = block["body_shape_neaman_2011"]
        shape_total.fill(np.nan)
        if b1 is not None:
            bb = b1[s:e]
            sel = np.flatnonzero(_shape_applies(ab, bb))
            if sel.size:
                at = sel * width
                picked = flat.take(at + class_offsets[0][1])
                for cls, offset in class_offsets[1:]:  # lowest first: a higher class overwrites
                    higher = bb[sel] >= cls.bmi_min
                    picked[higher] = flat.take(at[higher] + offset)
                shape_total[sel] = picked
        lo_b, hi_b = low[s:e], high[s:e]
        np.fmin(block["lund_browder"], block["lund_browder_banded"], out=lo_b)
        np.fmax(block["lund_browder"], block["lund_browder_banded"], out=hi_b)
        for entry in ids[2:]:
            np.fmin(lo_b, block[entry], out=lo_b)
            np.fmax(hi_b, block[entry], out=hi_b)
    if palms is not None:
        lo_share, hi_share = _hand_share_span(a1, palm_with_fingers, sex)
        pc = np.broadcast_to(palms, shape).reshape(n)
        out["palm_method_low"] = pc * lo_share
        out["palm_method_high"] = pc * hi_share
        np.fmin(low, out["palm_method_low"], out=low)
        np.fmax(high, out["palm_method_high"], out=high)

    def shaped(x):
        x = x.reshape(shape)
        return float(x) if x.ndim == 0 else x

    return RangeTotals(shaped(low), shaped(high), {e: shaped(v) for e, v in out.items()})


def _check_palms(palm_count) -> np.ndarray:
    try:
        if np.asarray(palm_count).dtype.kind == "b":  # True is not one hand
            raise TypeError("a boolean")
        p = np.asarray(palm_count, dtype=float)
    except (TypeError, ValueError) as exc:
        raise BSAInputError(f"the palm count must be a number, got {palm_count!r}") from exc
    if p.size and not (p.min() >= 0.0 and p.max() <= _MAX_PALMS):  # NaN fails both
        raise BSAInputError(f"a palm count is out of range: count from 0 to {_MAX_PALMS:g} "
                            "hands (finite numbers)")
    return p


def _hand_share_span(ages: np.ndarray, with_fingers: bool, sex: str | None):
    """The smallest and largest % of body surface per hand (studies and convention), by age."""
    from ..data import load_data
    from .palm_method import PALM_FILE, SCHEMA_VERSION

    child_below = float(load_data(PALM_FILE, SCHEMA_VERSION)["child_below_age_years"])
    child = palm_method(1.0, 0.0, include_fingers=with_fingers, sex=sex).span
    adult = palm_method(1.0, child_below, include_fingers=with_fingers, sex=sex).span
    is_child = ages < child_below
    return np.where(is_child, child[0], adult[0]), np.where(is_child, child[1], adult[1])
