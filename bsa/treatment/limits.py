"""Every limit of a label rule against one visit's marks and cream estimate.

One answer per limit (the area against a %BSA limit, the estimated grams against each
amount cap over its period or per application, the area in cm2 against a size limit;
durations, counts of the label's units, applications per period and times on the skin are
listed as information) and one overall verdict from a fixed set, with one headline that
tells the whole of it: a green "within" is never shown while an amount cap is exceeded, and
a label that states no limit is never shown as "within". A limit the label sets only under
a condition is shown with its condition; where the condition is on the treated area
(``applies_when_percent_bsa_below``) and the area does not meet it, the limit is shown as
not applying and is not compared. Nothing is ever called safe.

The verdicts, in the order they take precedence:

``nothing_marked``
    Nothing is marked yet: a neutral state, not "within".
``outside_ages``
    The age is outside the indication.
``not_for_site``
    Marks fall on a site the label says not to treat, or outside the only sites it allows.
``needs_height_weight``
    A limit in cm2 applies and height or weight is missing.
``above``, ``near``, ``within``
    The worst state of the limits that apply (near: from 80% of a limit, up to it).
``no_stated_limit``
    The label states no area, amount or size limit for this age.
``limits_not_read``
    No area, amount or size limit applies at this age and the label does not say it has
    none: its limits could not be read (the rule's ``could_not_read`` says what). Never
    shown as "within" or as "the label states no limit".

Why one long module: every kind of limit (area, grams per period or application, area in
cm2, per-application counts) is checked against the same treated area and amount in
:func:`check_rule`; one concept, checking a rule.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Protocol

import numpy as np

from .._renamed import renamed_argument
from ..core.regions import PART_INDEX, PART_NAMES, region_label
from ..i18n import N_, _, num, sentence
from .label_rules import (
    AT_LIMIT_TOLERANCE,
    DEFAULT_NEAR_FRACTION,
    EVALUATED_KINDS,
    LabelRule,
    Limit,
    age_message,
    area_phrase,
    capitalised,
    rule_notices,
    source_kind_mark,
    state_of_share,
)

__all__ = ["LIMIT_STATES", "VERDICTS", "VERDICT_WORDS", "LimitState", "RuleCheck", "check_rule",
           "check_rule_at_totals", "verdict_words"]

#: The answer for one limit.
LIMIT_STATES: tuple[str, ...] = ("within", "near", "above", "needs_height_weight",
                                 "information", "not_applicable")
#: The overall answer, in order of precedence (see the module notes).
VERDICTS: tuple[str, ...] = ("nothing_marked", "outside_ages", "not_for_site",
                             "needs_height_weight", "above", "near", "within",
                             "no_stated_limit", "limits_not_read")

#: Each verdict in a few words (the map's verdict line), in English: :func:`verdict_words`
#: gives them in the current language.
VERDICT_WORDS = MappingProxyType({
    "nothing_marked": N_("Nothing marked"),
    "outside_ages": N_("Outside the indicated ages"),
    "not_for_site": N_("Not for this site"),
    "needs_height_weight": N_("Needs height and weight"),
    "above": N_("Above a limit"),
    "near": N_("Near a limit"),
    "within": N_("Within the limits"),
    "no_stated_limit": N_("No stated limit"),
    "limits_not_read": N_("Limits not read"),
})
#: The same in the middle of a sentence ("the total is 7.8% by Lund-Browder (within the
#: limits)").
_VERDICT_IN_SENTENCE = MappingProxyType({
    "nothing_marked": N_("nothing marked"),
    "outside_ages": N_("outside the indicated ages"),
    "not_for_site": N_("not for this site"),
    "needs_height_weight": N_("needs height and weight"),
    "above": N_("above a limit"),
    "near": N_("near a limit"),
    "within": N_("within the limits"),
    "no_stated_limit": N_("no stated limit"),
    "limits_not_read": N_("limits not read"),
})


def verdict_words(verdict: str, *, in_sentence: bool = False) -> str:
    """A verdict in a few words, in the current language (``"Above a limit"``; with
    ``in_sentence``, ``"above a limit"``)."""
    return _((_VERDICT_IN_SENTENCE if in_sentence else VERDICT_WORDS)[verdict])


@dataclass(frozen=True)
class LimitState:
    """One limit of the rule against this visit.

    Attributes
    ----------
    limit : Limit
    state : {"within", "near", "above", "needs_height_weight", "information", "not_applicable"}
        ``"information"``: shown, not compared (durations, units, applications, times on
        the skin); ``"not_applicable"``: the limit's area condition is not met here.
    used : float or None
        The quantity compared: treated %BSA [%], grams over the limit's period or per
        application [g], or treated area [cm2]; None when it cannot be compared.
    share : float or None
        ``used / limit.value``. [1]
    reached_at_percent_bsa : float or None
        The treated %BSA, marked in the same pattern, at which this limit is reached
        (``inf`` if not within 100%). [%]
    binding : bool
        True for the limit reached first (smallest ``reached_at_percent_bsa``).
    text : str
        One line: the quantity against the limit, in words.
    """

    limit: Limit
    state: str
    used: float | None
    share: float | None
    reached_at_percent_bsa: float | None
    binding: bool
    text: str

    def to_dict(self) -> dict[str, Any]:
        reached = self.reached_at_percent_bsa
        return {
            "kind": self.limit.kind, "value": self.limit.value,
            "period_days": self.limit.period_days, "per": self.limit.per,
            "unit": self.limit.unit, "condition": self.limit.condition_text,
            "summary": self.limit.summary,
            "words": self.limit.words, "verbatim": self.limit.verbatim,
            "band": self.limit.band_text, "section": self.limit.section,
            "source_kind": self.limit.source_kind, "state": self.state, "used": self.used,
            "share": self.share,
            "reached_at_percent_bsa": None if reached is None or math.isinf(reached)
            else reached,
            "binding": self.binding, "text": self.text,
        }


@dataclass(frozen=True)
class RuleCheck:
    """A label rule against one visit: each limit, the one reached first, one verdict.

    Attributes
    ----------
    rule : LabelRule
    age_eligible : bool
    age_message : str
    limits : tuple of LimitState
        Every limit that applies at this age (and weight), in file order.
    area : LimitState or None
        The tightest %BSA limit's state, for the gauge.
    binding : LimitState or None
        The area, amount or size limit reached first.
    sites_marked : tuple of str
        Halves marked where the label says not to treat (or outside its only sites).
    verdict : str
        One of :data:`VERDICTS`.
    headline : str
    notices : tuple of str
        Values read outside an official label copy; later revisions not transcribed.
    """

    rule: LabelRule
    age_eligible: bool
    age_message: str
    limits: tuple[LimitState, ...]
    area: LimitState | None
    binding: LimitState | None
    sites_marked: tuple[str, ...]
    verdict: str
    headline: str
    notices: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule.id, "rule_title": self.rule.title,
            "verdict": self.verdict, "headline": self.headline,
            "age_eligible": self.age_eligible, "age_message": self.age_message,
            "limits": [s.to_dict() for s in self.limits],
            "area": None if self.area is None else self.area.to_dict(),
            "binding": None if self.binding is None else self.binding.to_dict(),
            "sites_marked": list(self.sites_marked), "notices": list(self.notices),
            "no_stated_limit": self.rule.no_stated_limit,
            "source": self.rule.source_text(), "source_kind": self.rule.source_kind,
            "revision": self.rule.label_revision,
        }


def _g(value: float) -> str:
    return num(value, ".1f") if value < 10 else num(value, ".0f")


def _unofficial(limit: Limit) -> str:
    mark = source_kind_mark(limit.source_kind)
    return f" [{mark}]" if mark else ""


def _state_text(limit: Limit, state: str, used: float | None, share: float | None,
                treated_percent_bsa: float = 0.0, basis: str = "") -> str:
    """One line: the quantity against the limit, its condition, and where it was read."""
    mark = _unofficial(limit)
    if state == "not_applicable":
        return _("Does not apply here: the label's {limit} is only for {condition}, and the "
                 "treated area is {treated}% of body surface{mark}.").format(
            limit=limit.summary, condition=limit.condition_text,
            treated=num(treated_percent_bsa, ".1f"), mark=mark)
    text = _quantity_text(limit, state, used, share, basis)
    if limit.condition_text:
        text += " " + _("(only for {condition})").format(condition=limit.condition_text)
    return sentence(f"{text}{mark}")


# The quantity against the limit, by where it stands: below (within), close to (near), at or
# above it. [kind][where]
_QUANTITY = {
    "percent_bsa": {
        "below": N_("Treated area {used}% of body surface: below the {limit}% area limit "
                    "({share}% of it)"),
        "close to": N_("Treated area {used}% of body surface: close to the {limit}% area limit "
                       "({share}% of it)"),
        "at": N_("Treated area {used}% of body surface: at the {limit}% area limit "
                 "({share}% of it)"),
        "above": N_("Treated area {used}% of body surface: above the {limit}% area limit "
                    "({share}% of it)"),
    },
    "grams": {
        "below": N_("Estimated {used} g {per}: below the cap of {limit} ({share}% of it)"),
        "close to": N_("Estimated {used} g {per}: close to the cap of {limit} ({share}% of it)"),
        "at": N_("Estimated {used} g {per}: at the cap of {limit} ({share}% of it)"),
        "above": N_("Estimated {used} g {per}: above the cap of {limit} ({share}% of it)"),
    },
    "cm2": {
        "below": N_("Treated area about {used} cm\u00b2: below the {limit} cm\u00b2 limit "
                    "({share}% of it)"),
        "close to": N_("Treated area about {used} cm\u00b2: close to the {limit} cm\u00b2 limit "
                       "({share}% of it)"),
        "at": N_("Treated area about {used} cm\u00b2: at the {limit} cm\u00b2 limit "
                 "({share}% of it)"),
        "above": N_("Treated area about {used} cm\u00b2: above the {limit} cm\u00b2 limit "
                    "({share}% of it)"),
    },
}


def _quantity_text(limit: Limit, state: str, used: float | None, share: float | None,
                   basis: str = "") -> str:
    where = {"within": "below", "near": "close to", "above": "above"}.get(state, "")
    if state == "near" and share is not None and abs(share - 1.0) <= AT_LIMIT_TOLERANCE:
        where = "at"
    band = f" ({limit.band_text})" if limit.band_text else ""
    if state == "information" and limit.kind != "duration_days":
        return _("The label sets at most {limit}{band}, not compared here").format(
            limit=limit.summary, band=band)
    if limit.kind == "cm2" and state == "needs_height_weight":
        return _("The label limits the treated area to {limit} cm\u00b2{band}: give height and "
                 "weight to compare").format(limit=num(limit.value, "g"), band=band)
    if limit.kind in _QUANTITY:
        assert used is not None and share is not None  # compared: both are known
        share_text = num(100 * share, ".0f")
        if limit.kind == "percent_bsa":
            values = {"used": num(used, ".1f"), "limit": num(limit.value, "g")}
        elif limit.kind == "grams":
            values = {"used": _g(used), "limit": limit.summary,
                      "per": " ".join(p for p in (limit.per_words, _(basis) if basis else "")
                                      if p)}
        else:
            values = {"used": num(used, ",.0f"), "limit": num(limit.value, "g")}
        return _(_QUANTITY[limit.kind][where]).format(share=share_text, **values)
    return _("Treatment length: at most {days} days ({words})").format(
        days=num(limit.value, "g"), words=limit.words_shown())


class AmountUse(Protocol):
    """What a limit check needs of an amount: one estimate (:class:`CreamAmount`) or a
    plan's amounts by day (:class:`bsa.treatment.plan.PlanAmount`)."""

    basis: str

    def grams_for(self, limit: Limit) -> float: ...

    def reached_at_percent_bsa(self, limit: Limit) -> float: ...

    def at_percent(self, percent_bsa: float) -> AmountUse: ...


@renamed_argument("age_years", "age")
def check_rule(rule: LabelRule, *, age: float, treated_fractions: np.ndarray,
               treated_percent_bsa: float, amount: AmountUse,
               body_surface_m2: float | None = None, weight_kg: float | None = None,
               near_fraction: float = DEFAULT_NEAR_FRACTION) -> RuleCheck:
    """Compare one visit with every limit of a label rule.

    Parameters
    ----------
    rule : LabelRule
    age : float
        Age of the patient. [years]
    treated_fractions : ndarray, shape (33,)
        Fraction of each half to be treated (:data:`bsa.core.regions.PART_NAMES`). [1]
    treated_percent_bsa : float
        The treated area. [% of body surface]
    amount : CreamAmount or PlanAmount
        The cream estimate for the same marks (:func:`bsa.treatment.cream_amount.estimate_amount`),
        or a plan's use by day (:class:`bsa.treatment.plan.PlanAmount`): anything with
        ``grams_for(limit)``, ``reached_at_percent_bsa(limit)`` and ``basis``.
    body_surface_m2 : float, optional
        Whole-body surface area, for limits in cm2. [m2]
    weight_kg : float, optional
        For limits given per weight band. [kg]
    near_fraction : float, optional
        Where "near" starts, as a share of a limit. [1]

    Returns
    -------
    RuleCheck
    """
    eligible = rule.age_in_indication(age)
    applicable = rule.limits_for(age, weight_kg if weight_kg is not None else None)
    if weight_kg is None:  # without a weight, a weight-banded limit is known only by age
        applicable = tuple(lim for lim in applicable if not lim.needs_weight) + tuple(
            lim for lim in applicable if lim.needs_weight)
    states: list[LimitState] = []
    for lim in applicable:
        used = share = reached = None
        if not lim.applies_at_percent(treated_percent_bsa):
            states.append(LimitState(lim, "not_applicable", None, None, None, False,
                                     _state_text(lim, "not_applicable", None, None,
                                                 treated_percent_bsa)))
            continue
        if lim.kind == "percent_bsa":
            used = treated_percent_bsa
            reached = lim.value
        elif lim.kind == "grams":
            used = amount.grams_for(lim)
            reached = amount.reached_at_percent_bsa(lim)
        elif lim.kind == "cm2" and body_surface_m2 is not None:
            per_percent_cm2 = body_surface_m2 * 100.0
            used = treated_percent_bsa * per_percent_cm2
            reached = lim.value / per_percent_cm2
            reached = math.inf if reached > 100 else reached
        if used is not None:
            share = used / lim.value
            state = state_of_share(share, near_fraction)
        elif lim.kind == "cm2":
            state = "needs_height_weight"
        else:
            state = "information"
        states.append(LimitState(lim, state, used, share, reached, False,
                                 _state_text(lim, state, used, share, treated_percent_bsa,
                                             amount.basis)))
    ranked = [s for s in states if s.reached_at_percent_bsa is not None]
    binding = min(ranked, key=_reached_at) if ranked else None
    if binding is not None:
        states = [LimitState(s.limit, s.state, s.used, s.share, s.reached_at_percent_bsa,
                             s is binding, s.text) for s in states]
        binding = next(s for s in states if s.binding)
    area_states = [s for s in states if s.limit.kind == "percent_bsa"
                   and s.state != "not_applicable"]
    area = min(area_states, key=lambda s: s.limit.value) if area_states else None
    sites = _sites_marked(rule, treated_fractions)
    verdict = _verdict(rule, eligible, states, sites, treated_percent_bsa, age)
    notices = rule_notices(rule, applicable)
    if verdict == "limits_not_read" or (verdict == "outside_ages"
                                        and not rule.limits_read_for(age)):
        notices += tuple(_("Could not be read: {what}").format(what=_(text))
                         for text in rule.could_not_read)
    return RuleCheck(
        rule=rule, age_eligible=eligible, age_message=age_message(age, rule),
        limits=tuple(states), area=area, binding=binding, sites_marked=sites,
        verdict=verdict, headline=_headline(rule, verdict, states, area, sites, eligible),
        notices=notices,
    )


@renamed_argument("age_years", "age")
def check_rule_at_totals(rule: LabelRule, totals: Mapping[str, float], *, age: float,
                         treated_fractions: np.ndarray, amount: AmountUse,
                         body_surface_m2: float | None = None, weight_kg: float | None = None,
                         near_fraction: float = DEFAULT_NEAR_FRACTION) -> dict[str, RuleCheck]:
    """The rule check under each of several totals of the same marks (one per chart).

    :func:`check_rule` run once per total, with the cream estimate scaled to that total
    (:meth:`~bsa.treatment.cream_amount.CreamAmount.at_percent`); the age, the marked
    sites, height and weight are the same for every total. The only place a verdict is
    worked out for another chart's total.

    Parameters
    ----------
    rule : LabelRule
    totals : mapping of str to float
        Key (e.g. a chart id) -> the treated area under it. [% of body surface]
    age, treated_fractions, body_surface_m2, weight_kg, near_fraction
        As in :func:`check_rule`.
    amount : CreamAmount
        The cream estimate for the same marks under any one chart.

    Returns
    -------
    dict of str to RuleCheck
        In the order of ``totals``.
    """
    return {key: check_rule(rule, age=age, treated_fractions=treated_fractions,
                            treated_percent_bsa=float(total), amount=amount.at_percent(total),
                            body_surface_m2=body_surface_m2, weight_kg=weight_kg,
                            near_fraction=near_fraction)
            for key, total in totals.items()}


def _sites_marked(rule: LabelRule, fractions: np.ndarray) -> tuple[str, ...]:
    marked = {PART_NAMES[i] for i in np.flatnonzero(np.asarray(fractions) > 0)}
    bad = [p for p in rule.avoid_parts if p in marked]
    if rule.only_parts:
        allowed = set(rule.only_parts)
        bad.extend(p for p in sorted(marked, key=PART_INDEX.__getitem__) if p not in allowed)
    return tuple(dict.fromkeys(bad))


def _verdict(rule: LabelRule, eligible: bool, states: list[LimitState],
             sites: tuple[str, ...], treated: float, age: float) -> str:
    if treated <= 0:
        return "nothing_marked"
    if not eligible:
        return "outside_ages"
    if sites:
        return "not_for_site"
    evaluated = [s for s in states if s.limit.kind in EVALUATED_KINDS
                 and s.state != "not_applicable"]
    if any(s.state == "needs_height_weight" for s in evaluated):
        return "needs_height_weight"
    for worst in ("above", "near", "within"):
        if any(s.state == worst for s in evaluated):
            return worst
    # No limit compared: the label states none, or its limits for this age were not read
    # (a limit excluded only by its area condition leaves the label's answer "none here").
    return "no_stated_limit" if rule.limits_read_for(age) else "limits_not_read"


def _reached_at(state: LimitState) -> float:
    assert state.reached_at_percent_bsa is not None  # ranked: reached somewhere
    return state.reached_at_percent_bsa


def _share(state: LimitState) -> float:
    assert state.share is not None  # near or above: compared
    return state.share


def _amount_clause(states: list[LimitState]) -> str:
    caps = [s for s in states if s.limit.kind == "grams" and s.state in ("near", "above")]
    if not caps:
        return ""
    worst = max(caps, key=_share)
    text = (_("the estimated amount is above the cap of {limit}") if worst.state == "above"
            else _("the estimated amount is close to the cap of {limit}"))
    return text.format(limit=worst.limit.summary)


def _headline(rule: LabelRule, verdict: str, states: list[LimitState],
              area: LimitState | None, sites: tuple[str, ...], eligible: bool) -> str:
    if verdict == "nothing_marked":
        return _("Nothing marked yet: mark the skin to be treated to compare it with the label")
    area_text = None
    if area is not None:
        at = area.share is not None and abs(area.share - 1.0) <= AT_LIMIT_TOLERANCE
        area_text = area_phrase(area.state, at, area.limit.value)
    if verdict == "outside_ages":
        if area_text:
            return _("Outside the label's age range ({ages}): discuss with your doctor (the "
                     "marked area is {phrase})").format(ages=rule.age_range_text,
                                                        phrase=area_text)
        return _("Outside the label's age range ({ages}): discuss with your doctor").format(
            ages=rule.age_range_text)
    if verdict == "not_for_site":
        where = ", ".join(region_label(p) for p in sites[:4])
        if len(sites) > 4:
            where += _(" and {n} more").format(n=num(len(sites) - 4))
        return _("Marked where the label does not allow this product ({where}): discuss with "
                 "your doctor").format(where=where)
    if verdict == "needs_height_weight":
        return _("The label limits the treated area in cm\u00b2: give height and weight to "
                 "compare")
    if verdict == "no_stated_limit":
        return _("The label states no area or amount limit for this age: the marked area is "
                 "shown without a comparison")
    if verdict == "limits_not_read":
        return _("The label's area and amount limits for this age could not be read: the "
                 "marked area is shown without a comparison (see what could not be read)")
    parts = []
    if area_text is not None:
        parts.append(area_text)
    amount = _amount_clause(states)
    if amount:
        parts.append(amount)
    size = [s for s in states if s.limit.kind == "cm2" and s.state in ("near", "above")]
    if size:
        text = (_("the treated area is above the {limit} cm\u00b2 limit")
                if size[0].state == "above" else
                _("the treated area is close to the {limit} cm\u00b2 limit"))
        parts.append(text.format(limit=num(size[0].limit.value, "g")))
    if not parts:
        parts.append(_("within the label's limits"))
    text = capitalised(" \u2013 ".join(parts))
    if verdict == "above":
        text = _("{verdict}: discuss with your doctor").format(verdict=text)
    return text
