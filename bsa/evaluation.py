"""One evaluation of a visit: every clinical number the page, the map and the command line show.

:func:`evaluate` takes an :class:`~bsa.records.assessment.Assessment` (the inputs of one visit)
and computes, once, everything a visit shows: the total and its breakdown, the chart and
its age reading (and a caution when the chart is used outside its ages), the range of
totals under every chart that applies and whether the verdict depends on the chart
(:mod:`bsa.total_range`), the label rule's verdict with each limit's state, the amount of
cream, the area scores, the palm cross-check, the questions, the sources and the cautions.

With layers of marks (:mod:`bsa.records.layers`) it computes the affected skin (the area
scores and the palm cross-check use it) and the treated area (the treatment area minus
every do-not-apply area: the label's limits, the cream and the range use it), each
do-not-apply area with its reason, and with zones the plan by day (:mod:`bsa.treatment.plan`),
whose grams the label's amount caps are then compared with.

How this is estimated (the range)
---------------------------------
The same marks are scored under every chart that applies at the patient's age (the
Lund-Browder chart read between its columns and by age bands, the adult rule of nines from
10 years, the paediatric rule of nines below 10, a body-shape chart for adults with a BMI
of 30 or more, and a palm count's published spread), because estimates of area are
imprecise: referring hospitals agreed with the burn unit in about 30% of 698 transfers and
overestimated more than three times as often as they underestimated (Harish et al., Burns
2015, doi:10.1016/j.burns.2014.05.005), and on moulaged volunteers the palm, the rule of
nines and the Lund-Browder chart overestimated by an average of 10.6%, 19.7% and 8.3% TBSA
(Cheah et al., Burns & Trauma 2018;6:7, doi:10.1186/s41038-018-0109-0). The words shown
are :data:`bsa.total_range.RANGE_EXPLANATION`. The page, the printed map,
``python -m bsa check`` and ``python -m bsa session show`` only render an
:class:`Evaluation`: none of them computes a clinical number itself, so they cannot
disagree.

Examples
--------
>>> import bsa
>>> from bsa.records.assessment import Assessment
>>> ev = bsa.evaluate(Assessment(age_years=30, rule_id="opzelura_us_atopic_dermatitis",
...                              shares={"anterior_trunk": 1.0, "posterior_trunk": 2 / 13}))
>>> round(ev.percent_bsa, 1), ev.verdict
(15.0, 'above')
>>> ev.headline
"Within the label's 20% area limit \u2013 the estimated amount is above the cap of 100 g per 2 weeks: discuss with your doctor"

Why one long module: :class:`Evaluation` documents every field the page, the map and the
command line render, in one place; the computing itself is delegated to the modules named
above.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .core.body_shape import body_mass_index
from .core.body_surface import body_surface_area
from .core.charts import describe_age as _describe_age
from .core.charts import load_chart
from .core.estimation import Estimate, estimate
from .core.palm_method import PalmEstimate, palm_method
from .errors import BSAInputError
from .i18n import N_, _, current_digits, current_language, language, num
from .records.assessment import Assessment
from .records.layers import Marks, reason_words
from .total_range import RANGE_EXPLANATION, TotalRange, _total_range, entry_for_chart
from .treatment import skin_scores
from .treatment.cream_amount import CreamAmount, estimate_amount
from .treatment.label_rules import DEFAULT_NEAR_FRACTION, load_rule
from .treatment.limits import RuleCheck, check_rule
from .treatment.plan import TreatmentPlan, build_plan, where_in_words

__all__ = ["DISCLAIMER", "BODY_SURFACE_FORMULA", "RANGE_EXPLANATION", "AvoidedArea", "Evaluation",
           "PalmCheck", "disclaimer", "evaluate"]

#: Shown with every evaluation, on the page, the map and the command line (in English:
#: :func:`disclaimer` gives it in the current language).
DISCLAIMER = N_(
    "A discussion aid, not medical advice. The numbers are estimates from the marks and a "
    "published chart; the decision about treatment is made with your doctor."
)
_STATUS_WORDS = {"verified": N_("verified"), "secondary": N_("secondary"),
                 "unverified": N_("unverified")}


def disclaimer() -> str:
    """:data:`DISCLAIMER` in the current language."""
    return _(DISCLAIMER)
#: The whole-body surface formula used for cm2 (see :func:`bsa.body_surface_area`).
BODY_SURFACE_FORMULA = "mosteller"

_REFERENCE_CHART = "lund_browder"


@dataclass(frozen=True)
class PalmCheck:
    """The palm count against the map.

    Attributes
    ----------
    palm : PalmEstimate
    agrees : bool
        True if the map's total lies within the count's published spread.
    text : str
    """

    palm: PalmEstimate
    agrees: bool
    text: str

    def to_dict(self) -> dict[str, Any]:
        p = self.palm
        return {"palms": p.palms, "include_fingers": p.include_fingers,
                "percent_bsa": p.percent_bsa, "low_percent": p.low_percent,
                "high_percent": p.high_percent, "population": p.population,
                "sources": list(p.sources), "note": p.note, "agrees": self.agrees,
                "text": self.text}


@dataclass(frozen=True)
class AvoidedArea:
    """A do-not-apply area: its reason, its size and where it is.

    Attributes
    ----------
    reason : str
        As given (stored literally).
    percent_bsa : float
        Its marks, whole (also where they lie outside the treatment area). [% of body surface]
    regions : tuple of str
        The regions it touches.
    where : str
        Those in words (:func:`bsa.treatment.plan.where_in_words`).
    reason_text : str
        The reason as shown: one of the offered reasons in the evaluation's language, the
        clinician's own words as typed (:func:`bsa.records.layers.reason_words`).
    """

    reason: str
    percent_bsa: float
    regions: tuple[str, ...]
    where: str
    reason_text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"reason": self.reason, "percent_bsa": self.percent_bsa,
                "regions": list(self.regions), "where": self.where,
                "reason_text": self.reason_text or self.reason}


@dataclass(frozen=True)
class Evaluation:
    """Everything one visit shows, computed once.

    Attributes
    ----------
    assessment : Assessment
        The inputs.
    estimate : Estimate
        The **treated** area (the treatment area minus every do-not-apply area; the affected
        skin when no treatment area is given): total, by region and half, chart, age
        reading, conventions. The label's area limit, the cream and the range use it.
    age_text : str
        The age in the project's one wording (:func:`bsa.describe_age`).
    chart_caution : str or None
        Set when the chart is used outside the ages it is meant for, with the age-adjusted
        Lund-Browder total of the same marks.
    reference_percent_bsa : float or None
        That Lund-Browder total. [%]
    range : TotalRange
        The same marks under every chart that applies: ``low``, ``high``, ``by_chart``,
        ``verdict_holds`` and the sentence that says it (:func:`bsa.estimate_range`).
    body_surface_m2 : float or None
        Whole-body surface area from height and weight (Mosteller). [m2]
    treated_cm2 : float or None
        [cm2]
    amount : CreamAmount
    rule_check : RuleCheck or None
        None without a label rule.
    verdict : str
        ``"no_rule"`` without a rule, else one of :data:`bsa.treatment.limits.VERDICTS`.
    headline : str
    easi, pasi : dict
        Area scores per score region (:mod:`bsa.treatment.skin_scores`), from the affected
        skin.
    vasi_hand_units : float
        From the affected skin.
    palm : PalmCheck or None
        The palm count (over the affected skin) against the affected skin's total.
    questions, sources, cautions : tuple of str
    disclaimer : str
    affected_estimate : Estimate
        The affected skin (the assessment's own marks): the same object as ``estimate``
        when no treatment area or do-not-apply area is given.
    avoid : tuple of AvoidedArea
        The do-not-apply areas, with their reasons.
    plan : TreatmentPlan or None
        With zones: each zone and each day against the label (:mod:`bsa.treatment.plan`);
        the label's amount caps are then compared with the plan's grams. ``amount`` stays
        the whole treated area every day at the label's frequency.
    untreated_affected_percent_bsa : float
        Affected skin outside the treated area ("affected, not with this cream"). [%]
    language, digits : str
        The language its words are in and the digits of its numbers (:mod:`bsa.i18n`).
    near_fraction : float
        Where "near a limit" started, as a share of it. [1]

    Notes
    -----
    :attr:`percent_bsa` is the treated area; :attr:`affected_percent_bsa` the affected
    skin. They are equal for a visit with one layer of marks.

    Every text is in :attr:`language`; :meth:`speaking` is the context a view renders it in,
    so the words a view adds (region names, the rule's title) are in the same language.
    """

    assessment: Assessment
    estimate: Estimate
    age_text: str
    chart_caution: str | None
    reference_percent_bsa: float | None
    range: TotalRange
    body_surface_m2: float | None
    treated_cm2: float | None
    amount: CreamAmount
    rule_check: RuleCheck | None
    verdict: str
    headline: str
    easi: dict[str, dict[str, Any]]
    pasi: dict[str, dict[str, Any]]
    vasi_hand_units: float
    palm: PalmCheck | None
    questions: tuple[str, ...]
    sources: tuple[str, ...]
    cautions: tuple[str, ...]
    disclaimer: str = DISCLAIMER
    affected_estimate: Estimate | None = None
    avoid: tuple[AvoidedArea, ...] = ()
    plan: TreatmentPlan | None = None
    untreated_affected_percent_bsa: float = 0.0
    language: str = "en"
    digits: str = "latin"
    near_fraction: float = DEFAULT_NEAR_FRACTION

    def speaking(self):
        """A context manager: the evaluation's language and digits (:func:`bsa.i18n.language`).

        Examples
        --------
        >>> with ev.speaking():                                   # doctest: +SKIP
        ...     rows = ev.region_rows()
        """
        return language(self.language, self.digits)

    @property
    def percent_bsa(self) -> float:
        """The treated area: what the label's area limit and the cream use. [% of body surface]

        The treatment area minus every do-not-apply area; the marked (affected) skin when
        no treatment area is given.
        """
        return float(self.estimate.percent_bsa)

    @property
    def treated_percent_bsa(self) -> float:
        """The same as :attr:`percent_bsa`. [% of body surface]"""
        return self.percent_bsa

    @property
    def affected_percent_bsa(self) -> float:
        """The affected skin: what the area scores use. [% of body surface]"""
        est = self.affected_estimate if self.affected_estimate is not None else self.estimate
        return float(est.percent_bsa)

    @property
    def layered(self) -> bool:
        """True if the visit has a treatment area, a do-not-apply area or zones."""
        return self.assessment.has_layers

    @property
    def rule(self):
        return None if self.rule_check is None else self.rule_check.rule

    @property
    def nothing_marked(self) -> bool:
        return self.percent_bsa <= 0

    def region_rows(self) -> list[dict[str, Any]]:
        """One row per region with a contribution: name, weight, share marked, contribution.

        The only place a region's affected share is worked out for display (contribution
        divided by its weight at this age). Names are in the evaluation's language.
        """
        from .core.regions import REGION_SIDES, REGIONS, region_label

        est = self.estimate
        a = self.assessment
        typed_in = a.treatment_area if a.treatment_area is not None else a
        typed = {name.partition(":")[0] for name in typed_in.shares}
        typed |= {name.partition(":")[0] for area in a.avoid for name in area.shares}
        rows = []
        with self.speaking():
            for region in REGIONS:
                contribution = float(est.by_region[region])
                weight = sum(est.weights[f"{region}:{s}"] for s in REGION_SIDES[region])
                if contribution <= 0:
                    continue
                rows.append({"region": region, "label": region_label(region), "weight": weight,
                             "share": contribution / weight if weight else 0.0,
                             "percent_bsa": contribution, "typed": region in typed})
        return rows

    def layer_fractions(self, layer: str | Marks = "treated", *,
                        typed: bool = True) -> np.ndarray:
        """Each half's share of one layer of marks. [1], (33,)

        Parameters
        ----------
        layer : "treated", "affected" or Marks
            The treated area (the layers combined); the affected skin (the assessment's
            own marks); or one layer's own marks as painted and typed, before layers are
            combined (the assessment's ``treatment_area``, one of its ``avoid`` areas or
            ``zones``, or any :class:`~bsa.records.layers.Marks` on its figure and canvas).
        typed : bool
            False: the painting alone, without the layer's typed shares (not for
            ``"treated"``).

        Returns
        -------
        ndarray, shape (33,)
            In :data:`bsa.core.regions.PART_NAMES` order.
        """
        a = self.assessment
        if isinstance(layer, str) and layer == "treated":
            from .core.regions import PART_NAMES

            return np.array([self.estimate.fractions[h] for h in PART_NAMES], dtype=float)
        if isinstance(layer, str) and layer == "affected":
            return a.half_fractions() if typed else a.painted_fractions()
        if not isinstance(layer, Marks):
            raise BSAInputError(f"a layer is 'treated', 'affected' or Marks, got {layer!r}")
        cov = a.layers().coverage_of(layer.masks, layer.shares if typed else None)
        return np.array(cov.fractions, dtype=float)

    def region_shares(self, layer: str | Marks = "treated") -> dict[str, float]:
        """Each region's share (0-1) of one layer, every region. [1]

        Parameters
        ----------
        layer : "treated", "affected" or Marks
            As for :meth:`layer_fractions`; the treated area by default.
        """
        from .core.regions import REGION_SIDES, REGIONS

        est = (self.estimate if isinstance(layer, str) and layer == "treated" else
               estimate(self.layer_fractions(layer), self.assessment.age_years,
                        self.assessment.chart, self.assessment.age_mode))
        out = {}
        for region in REGIONS:
            weight = sum(est.weights[f"{region}:{s}"] for s in REGION_SIDES[region])
            out[region] = float(est.by_region[region]) / weight if weight else 0.0
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON: what ``python -m bsa check --json`` prints.

        The keys and the codes (``verdict``, ``area_state``, ...) are English in every
        language; the texts are in :attr:`language`.
        """
        with self.speaking():
            return self._to_dict()

    def _to_dict(self) -> dict[str, Any]:
        a = self.assessment
        rc = self.rule_check
        return {
            "percent_bsa": self.percent_bsa,
            "verdict": self.verdict,
            "headline": self.headline,
            "age_years": a.age_years,
            "age_text": self.age_text,
            "inputs": {"chart": a.chart, "age_mode": a.age_mode, "rule_id": a.rule_id,
                       "sex": a.sex, "height_cm": a.height_cm, "weight_kg": a.weight_kg,
                       "palm_count": a.palm_count, "palm_with_fingers": a.palm_with_fingers},
            "estimate": self.estimate.to_dict(),
            "regions": self.region_rows(),
            "chart_caution": self.chart_caution,
            "reference_percent_bsa": self.reference_percent_bsa,
            "range": self.range.to_dict(),
            "body_surface_m2": self.body_surface_m2,
            "body_surface_formula": BODY_SURFACE_FORMULA if self.body_surface_m2 else None,
            "treated_cm2": self.treated_cm2,
            "label_check": None if rc is None else rc.to_dict(),
            "cream_amount": self.amount.to_dict(),
            "area_scores": {"easi": _plain_scores(self.easi), "pasi": _plain_scores(self.pasi),
                            "vasi_hand_units": self.vasi_hand_units},
            "palm": None if self.palm is None else self.palm.to_dict(),
            "questions": list(self.questions),
            "sources": list(self.sources),
            "cautions": list(self.cautions),
            "disclaimer": self.disclaimer,
            "affected_percent_bsa": self.affected_percent_bsa,
            "treated_percent_bsa": self.treated_percent_bsa,
            "affected_by_region": {r: float(v) for r, v in (
                self.affected_estimate or self.estimate).by_region.items()},
            "untreated_affected_percent_bsa": self.untreated_affected_percent_bsa,
            "language": self.language,
            "digits": self.digits,
            "avoid": [area.to_dict() for area in self.avoid],
            "plan": None if self.plan is None else {
                **self.plan.to_dict(),
                "caps": [] if rc is None else [s.to_dict() for s in rc.limits
                                               if s.limit.kind == "grams"]},
        }


def _plain_scores(scores: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r: {k: (v if not hasattr(v, "item") else v.item()) for k, v in s.items()}
            for r, s in scores.items()}


def _chart_caution(a: Assessment, est: Estimate, fractions) -> tuple[str | None, float | None]:
    chart = load_chart(a.chart)
    if chart.is_intended_for(a.age_years):
        return None, None
    reference = estimate(fractions, a.age_years, _REFERENCE_CHART, a.age_mode)
    ref_chart = load_chart(_REFERENCE_CHART)
    text = _("The {chart} is meant for {ages} ({source}). For age {age} it gives {total}%; the "
             "{reference}, which adjusts for age, gives {reference_total}% for the same "
             "marks.").format(
        chart=_(chart.title), ages=chart.intended_ages_text,
        source=_(chart.intended_ages_source).rstrip(".\u0964"), age=_describe_age(a.age_years),
        total=num(est.percent_bsa, ".1f"), reference=_(ref_chart.title),
        reference_total=num(reference.percent_bsa, ".1f"))
    return text, float(reference.percent_bsa)


def _palm_check(a: Assessment, total: float) -> PalmCheck | None:
    if not a.palm_count:
        return None
    p = palm_method(a.palm_count, a.age_years, include_fingers=a.palm_with_fingers, sex=a.sex)
    low, high = p.span
    agrees = low <= total <= high
    text = _("Palm count: {count}% by convention; the studies' hand sizes give {low}% to "
             "{high}%.").format(count=num(p.percent_bsa, ".1f"), low=num(p.low_percent, ".1f"),
                                high=num(p.high_percent, ".1f"))
    if agrees:
        found = (_("The affected skin marked on the map is {total}%: within that span.")
                 if a.has_layers else _("The map gives {total}%: within that span."))
    else:
        found = (_("The affected skin marked on the map is {total}%: {points} points from the "
                   "count, outside that span: worth a second look at the marks or the count.")
                 if a.has_layers else
                 _("The map gives {total}%: {points} points from the count, outside that span: "
                   "worth a second look at the marks or the count."))
    text += " " + found.format(total=num(total, ".1f"),
                               points=num(abs(total - p.percent_bsa), ".1f"))
    return PalmCheck(p, agrees, text)


def _questions(rc: RuleCheck | None) -> tuple[str, ...]:
    """The rule's questions for the doctor; for a rule without its own, questions made from
    its limitations of use, occlusion and sites."""
    if rc is None:
        return (_("Which product and label apply, and what area limit and amount cap do they "
                  "set?"),)
    rule = rc.rule
    if rule.questions:
        return tuple(_(q) for q in rule.questions)
    # The label's own words are quoted as written, never translated.
    out = [_("The label says: {words}").format(words=text) for text in rule.limitations_of_use]
    if rule.occlusion:
        out.append(_("The label says: {words}").format(words=rule.occlusion))
    if rule.sites_to_avoid:
        out.append(_("Is any marked skin on a site the label says not to treat ({sites})?")
                   .format(sites=", ".join(_(site) for site in rule.sites_to_avoid)))
    indication = (rule.indication.lower() if current_language() == "en"
                  else _(rule.indication))
    out.append(_("Is this the indication the label is for: {indication} ({ages})?").format(
        indication=indication, ages=rule.age_range_text))
    return tuple(out)


def evaluate(assessment: Assessment, *, near_fraction: float = DEFAULT_NEAR_FRACTION,
             lang: str | None = None, digits: str | None = None) -> Evaluation:
    """Evaluate one visit: every number the page, the map and the command line show.

    Parameters
    ----------
    assessment : Assessment
        The inputs of the visit (age, chart, age reading, rule, marks, typed shares, sex,
        height, weight, palm count, notes).
    near_fraction : float, optional
        Where "near a limit" starts, as a share of it (default 0.8). [1]
    lang : str, optional
        The language of its words (``"en"``, ``"bn"``); default the current one
        (:func:`bsa.i18n.language`).
    digits : {"latin", "bengali"}, optional
        The digits of the numbers in its words; default as :func:`bsa.i18n.language` chooses.

    Returns
    -------
    Evaluation

    Raises
    ------
    BSAInputError
        If ``assessment`` is not an :class:`Assessment` (its own checks ran when it was
        made), or for an unknown language or digits.

    Examples
    --------
    >>> from bsa.records.assessment import Assessment
    >>> evaluate(Assessment(age_years=30), lang="bn").headline
    'এখনও কিছু চিহ্নিত করা হয়নি'
    """
    with language(lang, digits):
        return _evaluate(assessment, near_fraction)


def _evaluate(assessment: Assessment, near_fraction: float) -> Evaluation:
    if not isinstance(assessment, Assessment):
        raise BSAInputError(f"evaluate() takes an Assessment, got {type(assessment).__name__}")
    a = assessment
    affected_fractions = a.half_fractions()
    affected = estimate(affected_fractions, a.age_years, a.chart, a.age_mode)
    layers = a.layers() if a.has_layers else None
    fractions = affected_fractions if layers is None else layers.treated.fractions.copy()
    est = affected if layers is None else estimate(fractions, a.age_years, a.chart, a.age_mode)
    total = float(est.percent_bsa)
    caution, reference = _chart_caution(a, est, fractions)
    m2 = cm2 = None
    if a.height_cm is not None and a.weight_kg is not None:
        m2 = float(body_surface_area(a.weight_kg, a.height_cm, BODY_SURFACE_FORMULA))
        cm2 = total / 100.0 * m2 * 10_000.0
    amount = estimate_amount(fractions, a.age_years, a.rule_id, chart=a.chart,
                             age_mode=a.age_mode, body_surface_m2=m2)
    plan = None if layers is None else build_plan(a, layers, body_surface_m2=m2)
    # With a plan, the amount caps are compared with what the plan uses, day by day.
    compared = amount if plan is None else plan.amount
    rc = None
    if a.rule_id is not None:
        rc = check_rule(load_rule(a.rule_id), age=a.age_years,
                        treated_fractions=fractions, treated_percent_bsa=total, amount=compared,
                        body_surface_m2=m2, weight_kg=a.weight_kg, near_fraction=near_fraction)
    if plan is not None:
        plan = plan.against(rc, near_fraction)
    bmi = (None if a.height_cm is None or a.weight_kg is None
           else float(body_mass_index(a.weight_kg, a.height_cm)))
    # The palm count is over the affected skin: a chart entry of the treated area's range
    # only when the two are the same skin.
    same_skin = layers is None or bool(np.array_equal(fractions, affected_fractions))
    total_range = _total_range(
        fractions, a.age_years, bmi=bmi, palm_count=(a.palm_count or None) if same_skin else None,
        palm_with_fingers=a.palm_with_fingers, sex=a.sex, rule_id=a.rule_id, amount=compared,
        body_surface_m2=m2, weight_kg=a.weight_kg, near_fraction=near_fraction,
        reference=entry_for_chart(a.chart, a.age_mode) or _REFERENCE_CHART)
    affected_total = float(affected.percent_bsa)
    if rc is None:
        verdict = "no_rule"
        headline = (_("Nothing marked yet") if total <= 0 and affected_total <= 0 else
                    _("Nothing marked to treat with this cream") if total <= 0 else
                    _("No label rule chosen: the marked area is shown without a comparison"))
    else:
        verdict, headline = rc.verdict, rc.headline
        if verdict == "nothing_marked" and affected_total > 0:
            headline = _("Nothing marked to treat with this cream: mark where to apply it to "
                         "compare it with the label")
    easi = skin_scores.easi_area_scores(affected_fractions, a.age_years, chart=a.chart,
                                        age_mode=a.age_mode)
    pasi = skin_scores.pasi_area_scores(affected_fractions, a.age_years, chart=a.chart,
                                        age_mode=a.age_mode)
    chart = load_chart(a.chart)
    sources = [_("Chart: {source}").format(source=est.source)]
    if rc is not None:
        sources.append(_("Label rule: {source}").format(source=rc.rule.source_text()))
    sources.append(_("Amount of cream: {method}.").format(method=amount.method_text))
    cautions = list(est.conventions)
    if chart.status != "verified":
        cautions.append(_("The {chart} is from a {status} source: {citation}").format(
            chart=_(chart.title), status=_(_STATUS_WORDS.get(chart.status, chart.status)),
            citation=chart.source.get("citation", "")))
    if caution:
        cautions.insert(0, caution)
    if rc is not None:
        cautions.extend(rc.notices)
    avoid: tuple[AvoidedArea, ...] = ()
    untreated = 0.0
    if layers is not None:
        avoid = tuple(_avoided(a, area.reason, cov.fractions)
                      for area, cov in zip(a.avoid, layers.avoid, strict=True))
        untreated = float(estimate(layers.affected_untreated.fractions, a.age_years, a.chart,
                                   a.age_mode).percent_bsa)
    return Evaluation(
        assessment=a, estimate=est, age_text=_describe_age(a.age_years),
        chart_caution=caution, reference_percent_bsa=reference, range=total_range,
        body_surface_m2=m2,
        treated_cm2=cm2, amount=amount, rule_check=rc, verdict=verdict, headline=headline,
        easi=easi, pasi=pasi, vasi_hand_units=skin_scores.vasi_hand_units(affected_total),
        palm=_palm_check(a, affected_total), questions=_questions(rc), sources=tuple(sources),
        cautions=tuple(dict.fromkeys(cautions)), disclaimer=disclaimer(),
        affected_estimate=affected, avoid=avoid, plan=plan,
        untreated_affected_percent_bsa=untreated, language=current_language(),
        digits=current_digits(), near_fraction=near_fraction,
    )


def _avoided(a: Assessment, reason: str, fractions) -> AvoidedArea:
    est = estimate(fractions, a.age_years, a.chart, a.age_mode)
    return AvoidedArea(reason=reason, percent_bsa=float(est.percent_bsa),
                       regions=tuple(r for r, v in est.by_region.items() if v > 0),
                       where=where_in_words(fractions), reason_text=reason_words(reason))
