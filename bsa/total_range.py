"""The total as a range: the same marks under every chart that applies, and the verdict.

Published charts divide the body differently, so the same marks give different totals.
:func:`estimate_range` scores one patient's marks under every chart (and reading of it)
that applies at that age, reports each chart's total with its name and source, the lowest
and highest, and, for a chosen label rule, whether the verdict is the same under every
chart. :func:`percent_bsa_range` does the same arithmetic for whole cohorts (arrays of
ages, BMIs and fractions), without a Python loop over patients.

The charts, in the order they are listed:

``lund_browder``
    Lund-Browder, interpolated between its age columns (the default; equals
    :func:`bsa.estimate`).
``lund_browder_banded``
    Lund-Browder read by age bands, as on the paper chart.
``rule_of_nines``
    The adult rule of nines, from the age its file says it is meant for (10 years).
``rule_of_nines_paediatric``, ``rule_of_nines_paediatric_banded``
    The paediatric teaching form below 10 years, read between its yearly columns and by
    completed years (the teaching sources do not say which).
``body_shape_neaman_2011``
    Neaman et al. 2011 for adults with a BMI of 30 or more (the obese or morbidly obese
    row, by BMI; needs height and weight, or a BMI for cohorts).
``palm_method_low``, ``palm_method_high``
    When hands were counted: the count times the smallest and the largest share of body
    surface one hand is given by the studies for the patient's age group and by the 1%
    convention (:attr:`bsa.PalmEstimate.span`).

References
----------
.. [1] Harish V, Raymond AP, Issler AC, et al. Accuracy of burn size estimation in patients
   transferred to adult Burn Units in Sydney, Australia: an audit of 698 patients. Burns
   2015. doi:10.1016/j.burns.2014.05.005
.. [2] Cheah AKW, Kangkorn T, Tan EH, Loo ML, Chong SJ. The validation study on a
   three-dimensional burn estimation smart-phone application: accurate, free and fast?
   Burns Trauma 2018;6:7. doi:10.1186/s41038-018-0109-0
.. [3] Neaman KC, Andres LA, McClure AM, et al. J Burn Care Res 2011;32(3):421-428.
   doi:10.1097/BCR.0b013e318217f8c6

Examples
--------
>>> import bsa
>>> r = bsa.estimate_range({"anterior_trunk": 0.6}, age=30, rule_id="opzelura_eu_vitiligo")
>>> {chart: round(total, 2) for chart, total in r.by_chart.items()}
{'lund_browder': 7.8, 'lund_browder_banded': 7.8, 'rule_of_nines': 10.8}
>>> round(r.low, 2), round(r.high, 2), r.verdict_holds
(7.8, 10.8, False)
>>> r.sentence
'The verdict depends on the chart: the total is 7.8% by Lund-Browder (within the limits) and 10.8% by the rule of nines (above a limit).'

Why one long module: the range across charts, the body-shape adjustment and the verdict's
dependence on the chart are computed in one pass over the same charts, for one visit and for
a cohort.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from .checks import HEIGHT_RANGE, SEXES, WEIGHT_RANGE, flag, number, one_of
from .core.body_shape import BMI_RANGE, body_mass_index, check_bmi
from .core.body_surface import body_surface_area
from .core.chart_range import (
    _CHART_ENTRIES,
    RANGE_CHARTS,
    RangeTotals,
    _intended,
    _shape_applies,
    _shape_classes,
    entry_for_chart,
    percent_bsa_range,
)
from .core.charts import check_age, load_chart
from .core.estimation import check_fractions, estimate, selection_to_fractions
from .core.palm_method import palm_method
from .core.regions import PART_NAMES
from .errors import BSAInputError
from .i18n import N_, _, digits, join, num
from .treatment.cream_amount import estimate_amount
from .treatment.label_rules import DEFAULT_NEAR_FRACTION, load_rule
from .treatment.limits import AmountUse, check_rule_at_totals, verdict_words

__all__ = ["RANGE_CHARTS", "RANGE_EXPLANATION", "ChartTotal", "RangeTotals", "TotalRange",
           "entry_for_chart", "estimate_range", "percent_bsa_range", "range_explanation"]

# The cohort range and the charts that apply at an age live in bsa.core.chart_range.

# The references are filled in, never translated (their digits stay as published).
_RANGE_EXPLANATION = N_(
    "How this is estimated: the same marks are scored under every chart that applies at "
    "this age: the Lund-Browder chart (read between its age columns, and by age bands as on "
    "paper), the rule of nines (the adult form from 10 years, the paediatric teaching form "
    "below 10), a body-shape chart for adults with a BMI of 30 or more ({neaman}, read from "
    "its abstract), and, when hands were counted, the palm count with the smallest and "
    "largest published hand sizes. The charts divide the body differently, and estimates "
    "of area are known to be imprecise: referring hospitals agreed with the burn unit's "
    "estimate in about 30% of 698 transfers, and overestimated more than three times as "
    "often as they underestimated ({harish}); on moulaged volunteers the palm, the rule of "
    "nines and the Lund-Browder chart overestimated the burned area by an average of 10.6%, "
    "19.7% and 8.3% TBSA, as the paper's abstract reports these relative estimations "
    "({cheah}). So the total is shown as the range the charts give, and the label's verdict "
    "is checked under each."
)
_RANGE_REFERENCES = MappingProxyType({
    "neaman": "Neaman et al., J Burn Care Res 2011",
    "harish": "Harish et al., Burns 2015, doi:10.1016/j.burns.2014.05.005",
    "cheah": "Cheah et al., Burns & Trauma 2018;6:7, doi:10.1186/s41038-018-0109-0",
})


def range_explanation() -> str:
    """"How this is estimated": why the total is shown as a range, with the sources, in the
    current language."""
    return _(_RANGE_EXPLANATION).format(**_RANGE_REFERENCES)


#: "How this is estimated" in English (:func:`range_explanation` in the current language).
RANGE_EXPLANATION = _RANGE_EXPLANATION.format(**_RANGE_REFERENCES)

_SHORT = MappingProxyType({
    "lund_browder": N_("Lund-Browder"),
    "lund_browder_banded": N_("Lund-Browder read by age bands"),
    "rule_of_nines": N_("the rule of nines"),
    "rule_of_nines_paediatric": N_("the paediatric rule of nines"),
    "rule_of_nines_paediatric_banded": N_("the paediatric rule of nines by completed years"),
    "body_shape_neaman_2011": N_("Neaman's body-shape chart"),
    "palm_method_low": N_("the palm count with the smallest hands"),
    "palm_method_high": N_("the palm count with the largest hands"),
})
# --- one patient ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartTotal:
    """The marks' total under one chart of the range.

    Attributes
    ----------
    id : str
        One of :data:`RANGE_CHARTS`.
    title : str
        The chart (and reading) in words.
    short : str
        A short name for sentences (``"the rule of nines"``).
    source : str
        Its citation(s).
    status : str
        ``"verified"``, ``"secondary"`` or ``"unverified"``.
    percent_bsa : float
        [% of body surface]
    note : str
        How the chart was read for this patient (age reading, BMI class, hand sizes).
    verdict : str or None
        The label rule's verdict under this total; None without a rule.
    """

    id: str
    title: str
    short: str
    source: str
    status: str
    percent_bsa: float
    note: str
    verdict: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "short": self.short,
                "source": self.source, "status": self.status, "percent_bsa": self.percent_bsa,
                "note": self.note, "verdict": self.verdict,
                "verdict_words": None if self.verdict is None else verdict_words(self.verdict)}


@dataclass(frozen=True)
class TotalRange:
    """One patient's marks under every chart that applies.

    Attributes
    ----------
    age_years : float
        [years]
    charts : tuple of ChartTotal
        The charts that apply, in :data:`RANGE_CHARTS` order.
    low, high : float
        The lowest and highest of their totals. [% of body surface]
    reference : str
        The entry whose total is the one shown as *the* total (Lund-Browder interpolated,
        or the chart chosen for an evaluation).
    body_mass_index : float or None
        From height and weight. [kg/m2]
    body_shape_class : str or None
        The body-shape chart's class used (``"obese"``, ``"morbidly_obese"``), if any.
    rule_id : str or None
    verdict_holds : bool or None
        True if the rule's verdict is the same under every chart; None without a rule.
    sentence : str
        The range and the verdict's stability in one sentence.
    not_used : tuple of str
        Charts that do not apply to this patient, and why.
    how_estimated : str
        :func:`range_explanation`, in the language current when the range was made.
    """

    age_years: float
    charts: tuple[ChartTotal, ...]
    low: float
    high: float
    reference: str
    body_mass_index: float | None
    body_shape_class: str | None
    rule_id: str | None
    verdict_holds: bool | None
    sentence: str
    not_used: tuple[str, ...]
    how_estimated: str = RANGE_EXPLANATION

    @property
    def by_chart(self) -> dict[str, float]:
        """Entry id -> total. [% of body surface]"""
        return {c.id: c.percent_bsa for c in self.charts}

    def chart(self, entry_id: str) -> ChartTotal:
        """The entry with this id.

        Raises
        ------
        BSAInputError
            If that chart is not in this patient's range (the message lists those that are).
        """
        for c in self.charts:
            if c.id == entry_id:
                return c
        raise BSAInputError(f"{entry_id!r} is not in this range; it has: "
                            f"{', '.join(c.id for c in self.charts)}")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON: ``low``, ``high``, ``by_chart``, ``verdict_holds``, ``sentence``, and
        each chart with its title, source and verdict."""
        return {"low": self.low, "high": self.high, "by_chart": self.by_chart,
                "charts": [c.to_dict() for c in self.charts], "reference": self.reference,
                "verdict_holds": self.verdict_holds, "sentence": self.sentence,
                "rule_id": self.rule_id, "age_years": self.age_years,
                "body_mass_index": self.body_mass_index,
                "body_shape_class": self.body_shape_class, "not_used": list(self.not_used),
                "how_estimated": self.how_estimated}


def _fractions_of(selection: Any) -> np.ndarray:
    if isinstance(selection, np.ndarray):
        f = check_fractions(selection)
        if f.shape != (len(PART_NAMES),):
            raise BSAInputError(
                f"an array selection must hold the {len(PART_NAMES)} halves' fractions, "
                f"got shape {f.shape}")
        return f
    return selection_to_fractions(selection)


def _chart_totals(fractions: np.ndarray, age: float, bmi: float | None,
                  palm_count: float | None, palm_with_fingers: bool, sex: str | None):
    """(chart totals, body-shape class id or None, reasons for charts not used)."""
    out: list[ChartTotal] = []
    not_used: list[str] = []
    a = np.asarray(age)
    for entry, chart_id, mode in _CHART_ENTRIES:
        chart = load_chart(chart_id)
        title = _(chart.title)
        if not _intended(chart, a):
            if mode == "interpolated":
                not_used.append(_("{chart}: meant for {ages}.").format(
                    chart=title, ages=chart.intended_ages_text))
            continue
        est = estimate(fractions, age, chart_id, mode)
        reading = est.age_reading if chart.varies_with_age else _("one column, every age")
        if chart.varies_with_age:
            title = (_("{chart}, read between its age columns") if mode == "interpolated" else
                     _("{chart}, read by age bands (as on paper)")).format(chart=title)
        out.append(ChartTotal(entry, title, _(_SHORT[entry]),
                              str(chart.source.get("citation", "")), chart.status,
                              est.percent_bsa, reading))
    shape, _classes = _shape_classes()
    shape_title = _(shape.title)
    shape_class = None
    lo_bmi, hi_bmi = BMI_RANGE
    if bmi is not None and not lo_bmi <= bmi <= hi_bmi:
        not_used.append(_("{chart}: the BMI from this height and weight, {bmi}, is outside "
                          "{low} to {high}: check them.").format(
            chart=shape_title, bmi=num(bmi, ".1f"), low=num(lo_bmi, "g"), high=num(hi_bmi, "g")))
    elif bmi is None:
        not_used.append(_("{chart}: needs height and weight (used for adults with a BMI of "
                          "{bmi} or more).").format(chart=shape_title,
                                                    bmi=num(shape.range_from_bmi, "g")))
    elif not _shape_applies(a, np.asarray(bmi)):
        not_used.append(_("{chart}: used for adults ({age} years and over) with a BMI of {bmi} "
                          "or more; this BMI is {this}.").format(
            chart=shape_title, age=num(shape.intended_ages[0], "g"),
            bmi=num(shape.range_from_bmi, "g"), this=num(bmi, ".1f")))
    else:
        cls = shape.class_for(bmi)
        shape_class = cls.id
        est = estimate(fractions, age, cls.chart)
        doi = shape.source.get("doi")
        out.append(ChartTotal(
            "body_shape_neaman_2011",
            _("{chart}: {bmi_class}").format(chart=shape_title, bmi_class=_(cls.title)),
            _(_SHORT["body_shape_neaman_2011"]),
            str(shape.source.get("citation", "")) + (f" doi:{doi}" if doi else "")
            + " " + _("(read from the {what})").format(what=_(shape.read_from)), shape.status,
            est.percent_bsa,
            _("{bmi_class}, {bmi_range} (BMI {bmi}; the classes are the WHO classes, the "
              "project's reading of the paper's groups)").format(
                bmi_class=_(cls.title), bmi_range=cls.bmi_text, bmi=num(bmi, ".1f"))))
    if palm_count is not None:
        p = palm_method(palm_count, age, include_fingers=palm_with_fingers, sex=sex)
        low, high = p.span
        population = _(p.population)
        titles = ({"palm_method_low": _("Palm count, smallest share of body surface per hand "
                                        "with fingers"),
                   "palm_method_high": _("Palm count, largest share of body surface per hand "
                                         "with fingers")} if palm_with_fingers else
                  {"palm_method_low": _("Palm count, smallest share of body surface per palm "
                                        "without fingers"),
                   "palm_method_high": _("Palm count, largest share of body surface per palm "
                                         "without fingers")})
        for entry, total in (("palm_method_low", low), ("palm_method_high", high)):
            share = total / p.palms if p.palms else None
            if share is None:
                note = _("0 hands, {population}").format(population=population)
            elif total == p.percent_bsa:
                note = _("{palms} hands x {share}% (the convention), {population}").format(
                    palms=num(p.palms, "g"), share=num(share, "g"), population=population)
            else:
                note = _("{palms} hands x {share}%, {population}").format(
                    palms=num(p.palms, "g"), share=num(share, "g"), population=population)
            out.append(ChartTotal(entry, titles[entry], _(_SHORT[entry]), " ".join(p.sources),
                                  p.status, total, note))
    return out, shape_class, not_used


def _percent(values: Iterable[float]) -> list[str]:
    """The totals with one decimal, or two where one would make different totals look equal."""
    vals = list(values)
    for places in (1, 2, 3):
        texts = [f"{v:.{places}f}%" for v in vals]
        if len(set(texts)) == len(set(vals)):
            break
    return [digits(t) for t in texts]


def _sentence(charts: list[ChartTotal], reference: ChartTotal, rule_id: str | None) -> str:
    low = min(charts, key=lambda c: c.percent_bsa)
    high = max(charts, key=lambda c: c.percent_bsa)
    lo_text, hi_text = _percent([low.percent_bsa, high.percent_bsa])
    span = lo_text if lo_text == hi_text else _("{low} to {high}").format(low=lo_text,
                                                                          high=hi_text)
    if rule_id is None:
        if lo_text == hi_text:
            return _("Every chart that applies gives {total}.").format(total=lo_text)
        return _("By chart, the total is {low} ({low_chart}) to {high} ({high_chart}).").format(
            low=lo_text, low_chart=low.short, high=hi_text, high_chart=high.short)
    # one chart for each other verdict: the first listed (the more usual chart)
    others: dict[str, ChartTotal] = {}
    for c in charts:
        if c.verdict != reference.verdict:
            others.setdefault(str(c.verdict), c)
    differing = sorted(others.values(), key=lambda c: c.percent_bsa)
    if not differing:
        return _("The verdict is the same under every chart ({verdict}): the total is {span} by "
                 "chart.").format(verdict=verdict_words(str(reference.verdict), in_sentence=True),
                                  span=span)
    named = [reference, *differing]
    texts = _percent([c.percent_bsa for c in named])
    parts = [_("{total} by {chart} ({verdict})").format(
        total=t, chart=c.short, verdict=verdict_words(str(c.verdict), in_sentence=True))
        for c, t in zip(named, texts, strict=True)]
    text = _("The verdict depends on the chart: the total is {totals}.").format(
        totals=join(parts))
    if low not in named or high not in named:
        text += " " + _("By chart it is {span}.").format(span=span)
    return text


def _total_range(fractions: np.ndarray, age: float, *, bmi: float | None,
                 palm_count: float | None, palm_with_fingers: bool, sex: str | None,
                 rule_id: str | None, amount: AmountUse | None,
                 body_surface_m2: float | None, weight_kg: float | None,
                 near_fraction: float, reference: str = "lund_browder") -> TotalRange:
    """The range of one patient; with a rule, the verdict under each chart.

    ``amount`` is the cream estimate for these marks under any chart (needed with a rule);
    ``reference`` the entry shown as the total (Lund-Browder if it is not in the range).
    """
    charts, shape_class, not_used = _chart_totals(fractions, age, bmi, palm_count,
                                                  palm_with_fingers, sex)
    if rule_id is not None:
        assert amount is not None, "a rule is checked with the cream estimate"
        checks = check_rule_at_totals(
            load_rule(rule_id), {c.id: c.percent_bsa for c in charts}, age=age,
            treated_fractions=fractions, amount=amount, body_surface_m2=body_surface_m2,
            weight_kg=weight_kg, near_fraction=near_fraction)
        charts = [ChartTotal(c.id, c.title, c.short, c.source, c.status, c.percent_bsa,
                             c.note, checks[c.id].verdict) for c in charts]
    ref = next((c for c in charts if c.id == reference), charts[0])
    holds = None if rule_id is None else all(c.verdict == ref.verdict for c in charts)
    totals = [c.percent_bsa for c in charts]
    return TotalRange(
        age_years=age, charts=tuple(charts), low=min(totals), high=max(totals),
        reference=ref.id, body_mass_index=bmi, body_shape_class=shape_class,
        rule_id=rule_id, verdict_holds=holds, sentence=_sentence(charts, ref, rule_id),
        not_used=tuple(not_used), how_estimated=range_explanation())


def estimate_range(selection: Mapping[str, Any] | Iterable[str] | np.ndarray, age: float, *,
                   sex: str | None = None, height_cm: float | None = None,
                   weight_kg: float | None = None, palm_count: float | None = None,
                   palm_with_fingers: bool = True, rule_id: str | None = None,
                   near_fraction: float = DEFAULT_NEAR_FRACTION) -> TotalRange:
    """One patient's marks under every chart that applies, and whether the verdict holds.

    Parameters
    ----------
    selection : mapping, iterable of str, or array of shape (33,)
        The marks, as for :func:`bsa.estimate`.
    age : float
        Age of the patient. [years]
    sex : {"female", "male"}, optional
        Narrows the palm count's spread to the patient's sex where a study reports women
        and men separately. No chart shipped here depends on sex (the Neaman 2011 abstract
        gives no split by sex).
    height_cm, weight_kg : float, optional
        Both are needed for the body mass index (the body-shape chart, BMI 30 or more) and
        for a label limit in cm2. [cm], [kg]
    palm_count : float, optional
        Hands counted over the affected skin: adds the count's published spread. [hands]
    palm_with_fingers : bool, optional
        A counted hand is palm with fingers (True, default) or the palm alone.
    rule_id : str, optional
        A label rule (:mod:`bsa.treatment.label_rules`): the verdict is worked out under
        every chart's total (:func:`bsa.treatment.limits.check_rule_at_totals`), with the
        cream estimate scaled to each total.
    near_fraction : float, optional
        Where "near a limit" starts, as a share of it (default 0.8). [1]

    Returns
    -------
    TotalRange
        ``low <= every chart's total <= high``; the ``lund_browder`` entry equals
        ``bsa.estimate(selection, age).percent_bsa``.

    Raises
    ------
    BSAInputError
        For bad marks, age, sex, height, weight, palm count or rule.

    See Also
    --------
    percent_bsa_range : the same for cohorts (arrays).

    Examples
    --------
    >>> import bsa
    >>> r = bsa.estimate_range({"anterior_trunk": 1.0}, 45, height_cm=170, weight_kg=100)
    >>> r.body_shape_class, r.by_chart["body_shape_neaman_2011"]
    ('obese', 16.25)
    >>> r.low, r.high
    (13.0, 18.0)
    """
    fractions = _fractions_of(selection)
    if np.ndim(age) != 0:
        raise BSAInputError("estimate_range() takes one age; use bsa.percent_bsa_range for "
                            "many patients")
    a = float(check_age(age))
    if sex is not None:
        one_of(sex, _("sex"), SEXES, listed="valid (or none)")
    flag(palm_with_fingers, "palm_with_fingers")
    if height_cm is not None:
        number(height_cm, _("height"), *HEIGHT_RANGE, "cm")
    if weight_kg is not None:
        number(weight_kg, _("weight"), *WEIGHT_RANGE, "kg")
    bmi = m2 = None
    if height_cm is not None and weight_kg is not None:
        bmi = float(check_bmi(body_mass_index(weight_kg, height_cm)))
        m2 = float(body_surface_area(weight_kg, height_cm))
    amount = None
    if rule_id is not None:
        amount = estimate_amount(fractions, a, rule_id, body_surface_m2=m2)
    return _total_range(fractions, a, bmi=bmi, palm_count=palm_count,
                        palm_with_fingers=palm_with_fingers, sex=sex, rule_id=rule_id,
                        amount=amount, body_surface_m2=m2, weight_kg=weight_kg,
                        near_fraction=near_fraction)
