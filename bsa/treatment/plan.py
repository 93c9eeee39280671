"""A treatment plan by day: zones of the treated area, when each is used, and what that means.

A clinician may split the area to treat into zones used on different days, or at different
times of day (:class:`~bsa.records.layers.Zone`). :func:`build_plan` works out, for each zone
and for each day of the week, the area treated and the cream it takes (the fingertip-unit
estimate of :mod:`bsa.treatment.cream_amount`, zone by zone); :class:`PlanAmount` sums the
grams over each amount cap's period (a cap per 2 weeks sums two weeks of the plan; a period
that is not whole weeks takes its worst run of days) so that the label check
(:func:`bsa.treatment.limits.check_rule`) compares the caps with what the plan uses;
:meth:`TreatmentPlan.against` then states each day's area against the label's area limit and
says plainly where the plan is above a limit.

The tool never proposes a plan or a change to one (it never suggests spreading the area over
days to come under a limit): it shows what the clinician's plan means against the label, and
the label's verdict is made on the whole treated area (:func:`bsa.evaluate`).

Conventions (stated with every plan):

- Treated skin in no zone is counted every day, at the label's frequency (twice a day
  without a label rule), and named "the rest of the area to treat".
- Zones used on the same day without a time of day are taken to be applied at the same
  sitting; a zone without a time of day is counted in each sitting of its days. This gives
  the largest single application, compared with a cap per application.

Examples
--------
>>> from bsa.evaluation import evaluate
>>> from bsa.records.assessment import Assessment
>>> from bsa.records.layers import Zone
>>> a = Assessment(age_years=40, rule_id="opzelura_us_atopic_dermatitis",
...                shares={"anterior_trunk": 1.0, "posterior_trunk": 1.0},
...                zones=[Zone(name="front", days=["mon", "wed", "fri", "sun"],
...                            shares={"anterior_trunk": 1.0}),
...                       Zone(name="back", days=["tue", "thu", "sat"],
...                            shares={"posterior_trunk": 1.0})])
>>> plan = evaluate(a).plan
>>> [round(d.percent_bsa, 1) for d in plan.days]
[13.0, 13.0, 13.0, 13.0, 13.0, 13.0, 13.0]
>>> round(plan.grams_per_week, 1), round(plan.amount.grams_in(14), 1)
(45.5, 91.0)

Why one long module: the plan's days, its grams summed over each cap's period and its
verdict for each day all read the same zone-by-day table; they are one concept, the plan,
and are tested together.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ..core.estimation import estimate
from ..core.regions import REGION_SIDES, REGIONS
from ..errors import BSAInputError
from ..i18n import N_, _, join, num, week_order, weekday_name
from ..records.layers import TIMES_OF_DAY, WEEKDAYS, Coverage, Layers
from .cream_amount import estimate_amount
from .label_rules import DEFAULT_NEAR_FRACTION, load_rule, state_of_share

__all__ = ["UNZONED_NAME", "DayUse", "PlanAmount", "TreatmentPlan", "ZoneUse", "build_plan",
           "days_in_words", "how_often", "where_in_words"]

#: The name of the treated skin that is in no zone (counted every day), in English: shown
#: in the current language.
UNZONED_NAME = N_("the rest of the area to treat")
#: Applications a day without a label rule (as :func:`~bsa.treatment.cream_amount.estimate_amount`).
_DEFAULT_PER_DAY = 2.0


# ---------------------------------------------------------------------------- words

# The body parts in plain words, as a patient says them: the front of the head is the face;
# a pair marked on both sides is "both hands". Right and left are the patient's.
_HEAD = {("front",): N_("face"), ("back",): N_("back of the head"),
         ("front", "back"): N_("head")}
_SINGLE = {"neck": N_("neck"), "anterior_trunk": N_("front of the trunk"),
           "posterior_trunk": N_("back of the trunk"), "genitalia": N_("genital area")}
# part -> (right, left, both)
_PAIRED = {
    "buttock": (N_("right buttock"), N_("left buttock"), N_("both buttocks")),
    "upper_arm": (N_("right upper arm"), N_("left upper arm"), N_("both upper arms")),
    "lower_arm": (N_("right forearm"), N_("left forearm"), N_("both forearms")),
    "hand": (N_("right hand"), N_("left hand"), N_("both hands")),
    "thigh": (N_("right thigh"), N_("left thigh"), N_("both thighs")),
    "lower_leg": (N_("right lower leg"), N_("left lower leg"), N_("both lower legs")),
    "foot": (N_("right foot"), N_("left foot"), N_("both feet")),
}


def _join(items: Sequence[str]) -> str:
    return join(items)


def where_in_words(fractions: np.ndarray) -> str:
    """The body parts with any share marked, in plain words: ``"face, neck and both hands"``.

    The front of the head is called the face; a right and left pair marked on both sides
    is "both hands" (or "both feet"...). ``"nothing"`` when nothing is marked.

    Examples
    --------
    >>> from bsa.core.estimation import selection_to_fractions
    >>> where_in_words(selection_to_fractions({"head:front": 1, "neck": 1, "right_hand": 1,
    ...                                        "left_hand": 0.5}))
    'face, neck and both hands'
    """
    from ..core.regions import PART_INDEX

    marked = {r for r in REGIONS
              if any(fractions[PART_INDEX[f"{r}:{s}"]] > 0 for s in REGION_SIDES[r])}
    words: list[str] = []
    for region in REGIONS:
        if region not in marked:
            continue
        if region == "head":
            sides = tuple(s for s in REGION_SIDES[region]
                          if fractions[PART_INDEX[f"head:{s}"]] > 0)
            words.append(_(_HEAD[sides]))
        elif region in _SINGLE:
            words.append(_(_SINGLE[region]))
        else:
            side, _sep, part = region.partition("_")
            right, left, both = _PAIRED[part]
            other = f"{'left' if side == 'right' else 'right'}_{part}"
            if other in marked:
                if side == "right":
                    words.append(_(both))
            else:
                words.append(_(right) if side == "right" else _(left))
    return _join(words) or _("nothing")


def days_in_words(days: Sequence[str]) -> str:
    """``("mon", "wed", "fri")`` -> ``"Monday, Wednesday and Friday"``; every day, runs.

    Examples
    --------
    >>> days_in_words(["mon", "tue", "wed", "thu", "fri"]), days_in_words(["sat", "sun"])
    ('Monday to Friday', 'Saturday and Sunday')
    >>> days_in_words(list(WEEKDAYS))
    'Every day'

    Runs are read in the week of the current language: Monday first in English, Saturday
    first in Bengali (as in Bangladesh), so Saturday to Thursday is one run there.
    """
    order = week_order()
    idx = sorted(order.index(d) for d in days)
    if len(idx) == len(WEEKDAYS):
        return _("Every day")
    runs: list[list[int]] = []
    for i in idx:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    parts = []
    for run in runs:
        names = [weekday_name(order[i]) for i in run]
        parts.extend([_("{first} to {last}").format(first=names[0], last=names[-1])]
                     if len(run) >= 3 else names)
    return _join(parts)


_TIME_WORDS = {"morning": N_("in the morning"), "midday": N_("at midday"),
               "evening": N_("in the evening"), "bedtime": N_("at bedtime")}


def how_often(per_day: float, times: Sequence[str] = ()) -> str:
    """``"twice a day"``, ``"3 times a day"``, or ``"in the morning and at bedtime"``."""
    if times:
        return _join([_(_TIME_WORDS[t]) for t in times])
    known = {1.0: N_("once a day"), 2.0: N_("twice a day")}
    if float(per_day) in known:
        return _(known[float(per_day)])
    return _("{n} times a day").format(n=num(per_day, "g"))


def _pct(value: float) -> str:
    text = f"{value:.2f}" if 0 < abs(value) < 1 else f"{value:.1f}"
    return num(text.rstrip("0").rstrip(".") or "0")


def _g(value: float) -> str:
    return num(value, ".1f") if value < 10 else num(value, ".0f")


def _quoted(name: str) -> str:
    return f"\u201c{name}\u201d"


# ---------------------------------------------------------------------------- records


@dataclass(frozen=True)
class ZoneUse:
    """One zone of the plan: where, when, and the cream it takes.

    Attributes
    ----------
    name : str
        As the clinician typed it (or :data:`UNZONED_NAME`).
    days : tuple of str
        ``"mon"`` ... ``"sun"``.
    times : tuple of str
        Times of day, if given.
    applications_per_day : float
        On each day it is used. [1/day]
    percent_bsa : float
        Its area within the treated area. [% of body surface]
    outside_percent_bsa : float
        Its marks outside the treated area, not counted. [% of body surface]
    regions : tuple of str
        The regions it touches.
    where : str
        Those in words (:func:`where_in_words`).
    grams_per_application, grams_per_week : float
        [g]
    grams_by_cap : tuple of (str, float, float)
        Each amount cap's summary, the zone's grams over its period (or per application),
        and that as a share of the cap. [-, g, 1]
    unzoned : bool
        True for the treated skin in no zone.
    area_state : str or None
        Its area against the label's area limit (``within``, ``near``, ``above``).
    """

    name: str
    days: tuple[str, ...]
    times: tuple[str, ...]
    applications_per_day: float
    percent_bsa: float
    outside_percent_bsa: float
    regions: tuple[str, ...]
    where: str
    grams_per_application: float
    grams_per_week: float
    grams_by_cap: tuple[tuple[str, float, float], ...] = ()
    unzoned: bool = False
    area_state: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "days": list(self.days), "times": list(self.times),
                "applications_per_day": self.applications_per_day,
                "percent_bsa": self.percent_bsa, "outside_percent_bsa": self.outside_percent_bsa,
                "regions": list(self.regions), "where": self.where,
                "grams_per_application": self.grams_per_application,
                "grams_per_week": self.grams_per_week,
                "grams_by_cap": [{"cap": c, "grams": g, "share": s}
                                 for c, g, s in self.grams_by_cap],
                "unzoned": self.unzoned, "area_state": self.area_state}


@dataclass(frozen=True)
class DayUse:
    """One day of the week under the plan.

    Attributes
    ----------
    day, name : str
        ``"mon"`` and ``"Monday"``.
    zones : tuple of str
        The zones used that day.
    percent_bsa : float
        The area treated that day (the zones together). [% of body surface]
    grams : float
        The cream that day. [g]
    largest_application_grams : float
        The largest single sitting that day (see the module notes). [g]
    regions : tuple of str
    where : str
    area_state : str or None
        The day's area against the label's area limit.
    area_share : float or None
        The day's area as a share of that limit. [1]
    grams_by_cap : tuple of (str, float, float)
        Each amount cap's summary, the grams it counts on this day (the largest
        application for a cap per application; else the plan's grams over the cap's period
        ending with this day), and that as a share of the cap. [-, g, 1]
    """

    day: str
    name: str
    zones: tuple[str, ...]
    percent_bsa: float
    grams: float
    largest_application_grams: float
    regions: tuple[str, ...]
    where: str
    area_state: str | None = None
    area_share: float | None = None
    grams_by_cap: tuple[tuple[str, float, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.day, "name": self.name, "zones": list(self.zones),
                "percent_bsa": self.percent_bsa, "grams": self.grams,
                "largest_application_grams": self.largest_application_grams,
                "regions": list(self.regions), "where": self.where,
                "area_state": self.area_state, "area_share": self.area_share,
                "grams_by_cap": [{"cap": c, "grams": g, "share": s}
                                 for c, g, s in self.grams_by_cap]}


@dataclass(frozen=True)
class PlanAmount:
    """The cream a plan uses, in the form the label check compares with amount caps.

    Attributes
    ----------
    day_grams : tuple of float
        Grams on each day, Monday to Sunday. [g]
    largest_application_grams : float
        The largest single sitting of the week. [g]
    treated_percent_bsa : float
        The whole treated area. [% of body surface]
    """

    day_grams: tuple[float, ...]
    largest_application_grams: float
    treated_percent_bsa: float

    #: Words after an amount compared with a cap (see :func:`bsa.treatment.limits.check_rule`),
    #: in English (shown in the current language).
    basis = N_("with this plan")

    @property
    def grams_per_week(self) -> float:
        """[g]"""
        return float(sum(self.day_grams))

    def grams_in(self, period_days: float) -> float:
        """The grams over a period: whole weeks, then the worst run of the days left. [g]

        Examples
        --------
        Monday, Wednesday, Friday and Sunday at 6 g: the worst 2 days are Sunday and
        Monday.

        >>> p = PlanAmount((6, 0, 6, 0, 6, 0, 6), 3.0, 12.0)
        >>> p.grams_in(7), p.grams_in(14), p.grams_in(1), p.grams_in(2)
        (24.0, 48.0, 6.0, 12.0)
        """
        period = float(period_days)
        if not period > 0:
            raise BSAInputError(_("a period must be above 0 days, got {value}").format(
                value=repr(period_days)))
        weeks, rest = divmod(period, 7.0)
        worst = 0.0
        for start in range(7):
            total, k = 0.0, 0
            while k < rest:
                total += self.day_grams[(start + k) % 7] * min(1.0, rest - k)
                k += 1
            worst = max(worst, total)
        return weeks * self.grams_per_week + worst

    def grams_ending(self, day: int, period_days: float) -> float:
        """The grams over a period ending with one day of the week (0 Monday). [g]"""
        period = float(period_days)
        weeks, rest = divmod(period, 7.0)
        total, k = 0.0, 0
        while k < rest:
            total += self.day_grams[(day - k) % 7] * min(1.0, rest - k)
            k += 1
        return weeks * self.grams_per_week + total

    def grams_for(self, limit) -> float:
        """The grams compared with an amount cap: the largest sitting, or over its period. [g]"""
        if limit.per == "application":
            return self.largest_application_grams
        return self.grams_in(limit.period_days)

    def reached_at_percent_bsa(self, limit) -> float:
        """The treated %BSA, in this pattern and plan, at which a cap is reached. [%]"""
        used = self.grams_for(limit)
        if used <= 0:
            return math.inf
        reached = self.treated_percent_bsa * limit.value / used
        return math.inf if reached > 100.0 else reached

    def at_percent(self, percent_bsa: float) -> PlanAmount:
        """The same plan for another total of the same marks (e.g. under another chart)."""
        p = float(percent_bsa)
        if self.treated_percent_bsa <= 0 or p == self.treated_percent_bsa:
            return self
        k = p / self.treated_percent_bsa
        return PlanAmount(tuple(g * k for g in self.day_grams),
                          self.largest_application_grams * k, p)


@dataclass(frozen=True)
class TreatmentPlan:
    """The clinician's plan by day, and what it means against the label.

    Attributes
    ----------
    zones : tuple of ZoneUse
        The zones as given, then the treated skin in no zone (if any).
    days : tuple of DayUse
        Monday to Sunday.
    amount : PlanAmount
        What the label's amount caps are compared with.
    area_limit_percent : float or None
        The label's area limit the days are compared with. [% of body surface]
    day_lines : tuple of str
        The days in words, days with the same zones together ("Monday, Wednesday and
        Friday: face, neck and both hands (...) - about 6.5% of the body, about 1.6 g each
        time, twice a day.").
    findings : tuple of str
        Plain sentences: days above the area limit, the whole area against it, marks
        outside the area to treat, treated skin in no zone, zones used more often than the
        label says.
    notes : tuple of str
        The plan's conventions, in words.
    alerts : tuple of bool
        For each finding, True if it says the plan is above a label limit (printed in bold).
    """

    zones: tuple[ZoneUse, ...]
    days: tuple[DayUse, ...]
    amount: PlanAmount
    area_limit_percent: float | None = None
    day_lines: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    alerts: tuple[bool, ...] = ()
    _sets: tuple[tuple[int, ...], ...] = field(default=(), repr=False)

    @property
    def grams_per_week(self) -> float:
        """[g]"""
        return self.amount.grams_per_week

    @property
    def days_above(self) -> tuple[str, ...]:
        """The days whose area is above the label's area limit."""
        return tuple(d.day for d in self.days if d.area_state == "above")

    def against(self, rule_check, near_fraction: float = DEFAULT_NEAR_FRACTION,
                frequency_text: str | None = None) -> TreatmentPlan:
        """This plan with each day and zone compared with a label rule's checked limits.

        Parameters
        ----------
        rule_check : RuleCheck or None
            The label check made with this plan's :attr:`amount` (None: no rule).
        near_fraction : float
            Where "near a limit" starts, as a share of it. [1]
        frequency_text : str, optional
            The label's frequency in its words, for zones used more often.
        """
        area = None if rule_check is None else rule_check.area
        limit = None if area is None else float(area.limit.value)
        caps = () if rule_check is None else tuple(
            s.limit for s in rule_check.limits
            if s.limit.kind == "grams" and s.state != "not_applicable")
        zones = []
        for i, z in enumerate(self.zones):
            alone = PlanAmount(tuple(self._zone_day_grams(i)), z.grams_per_application, 0.0)
            by_cap = tuple((c.summary, alone.grams_for(c), alone.grams_for(c) / c.value)
                           for c in caps)
            zones.append(replace(z, grams_by_cap=by_cap,
                                 area_state=_state(z.percent_bsa, limit, near_fraction)))
        days = []
        for i, d in enumerate(self.days):
            by_cap = tuple(
                (c.summary, g, g / c.value) for c in caps
                for g in [d.largest_application_grams if c.per == "application"
                          else self.amount.grams_ending(i, c.period_days)])
            days.append(replace(d, area_state=_state(d.percent_bsa, limit, near_fraction),
                                area_share=None if limit is None else d.percent_bsa / limit,
                                grams_by_cap=by_cap))
        plan = replace(self, zones=tuple(zones), days=tuple(days), area_limit_percent=limit)
        findings = plan._findings(rule_check, frequency_text)
        return replace(plan, day_lines=plan._day_lines(),
                       findings=tuple(text for text, _alert in findings),
                       alerts=tuple(alert for _text, alert in findings))

    def _zone_day_grams(self, i: int) -> list[float]:
        z = self.zones[i]
        per_day = z.grams_per_application * z.applications_per_day
        return [per_day if d in z.days else 0.0 for d in WEEKDAYS]

    def _day_lines(self) -> tuple[str, ...]:
        groups: dict[tuple[int, ...], list[DayUse]] = {}
        by_day = dict(zip(WEEKDAYS, zip(self.days, self._sets, strict=True), strict=True))
        for key in week_order():  # the days as the reader's week runs
            day, used = by_day[key]
            groups.setdefault(used, []).append(day)
        lines = []
        for used, days in groups.items():
            when = days_in_words([d.day for d in days])
            first = days[0]
            if not used:
                lines.append(_("{days}: no application of this cream.").format(days=when))
                continue
            parts = []
            for i in used:
                z = self.zones[i]
                label = _(UNZONED_NAME) if z.unzoned else _quoted(z.name)
                if len(used) == 1:
                    parts.append(_("{where} ({zone})").format(where=z.where, zone=label))
                else:
                    parts.append(_("{where} ({zone}), about {grams} g each time, {how_often}")
                                 .format(where=z.where, zone=label,
                                         grams=_g(z.grams_per_application),
                                         how_often=how_often(z.applications_per_day, z.times)))
            if len(used) == 1:
                z = self.zones[used[0]]
                text = _("{days}: {zone} \u2013 about {percent}% of the body, about {grams} g each "
                         "time, {how_often}.").format(
                    days=when, zone=parts[0], percent=_pct(first.percent_bsa),
                    grams=_g(z.grams_per_application),
                    how_often=how_often(z.applications_per_day, z.times))
            else:
                text = _("{days}: {zones} \u2013 in all about {percent}% of the body and {grams} g "
                         "a day.").format(days=when, zones="; ".join(parts),
                                          percent=_pct(first.percent_bsa), grams=_g(first.grams))
            lines.append(text)
        return tuple(lines)

    def _findings(self, rule_check, frequency_text: str | None) -> list[tuple[str, bool]]:
        """Each finding, and whether it says the plan is above a limit."""
        out: list[tuple[str, bool]] = []
        limit = self.area_limit_percent
        for state in ("above", "near"):
            by_area: dict[float, list[str]] = {}
            for d in self.days:
                if d.area_state == state:
                    by_area.setdefault(round(d.percent_bsa, 9), []).append(d.day)
            if not by_area:
                continue
            parts = [(_("{percent}% of the body surface every day")
                      if len(days) == len(WEEKDAYS) else
                      _("{percent}% of the body surface on {days}")).format(
                          percent=_pct(pct), days=days_in_words(days))
                     for pct, days in by_area.items()]
            template = (_("This plan treats {parts}: above the label's {limit}% area limit.")
                        if state == "above" else
                        _("This plan treats {parts}: close to the label's {limit}% area limit."))
            out.append((template.format(parts=_join(parts), limit=num(limit, "g")),
                        state == "above"))
        area = None if rule_check is None else rule_check.area
        if area is not None and area.state == "above" and not self.days_above:
            most = max(d.percent_bsa for d in self.days)
            out.append((_("The whole area to treat with this cream is {percent}% of the body "
                          "surface: above the label's {limit}% area limit. On any one day this "
                          "plan treats at most {most}%; the label's verdict is made on the "
                          "whole area to treat.").format(percent=_pct(area.used),
                                                         limit=num(area.limit.value, "g"),
                                                         most=_pct(most)), True))
        for z in self.zones:
            if z.unzoned:
                out.append((_("Part of the area to treat, {percent}% of the body surface "
                              "({where}), is in no zone: it is counted every day, "
                              "{how_often}.").format(
                    percent=_pct(z.percent_bsa), where=z.where,
                    how_often=how_often(z.applications_per_day)), False))
                continue
            if z.percent_bsa <= 0:
                out.append((_("Zone {zone} has no marks within the area to treat.").format(
                    zone=_quoted(z.name)), False))
            elif z.outside_percent_bsa > 0:
                out.append((_("Zone {zone}: {percent}% of the body surface is marked outside "
                              "the area to treat and is not counted.").format(
                    zone=_quoted(z.name), percent=_pct(z.outside_percent_bsa)), False))
            if (rule_check is not None and z.applications_per_day
                    > rule_check.rule.frequency_per_day):
                out.append((_("Zone {zone} is used {how_often}; the label says: {frequency}.")
                            .format(zone=_quoted(z.name),
                                    how_often=how_often(z.applications_per_day, z.times),
                                    frequency=frequency_text or rule_check.rule.frequency_words),
                            False))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"zones": [z.to_dict() for z in self.zones],
                "days": [d.to_dict() for d in self.days],
                "grams_per_week": self.grams_per_week,
                "largest_application_grams": self.amount.largest_application_grams,
                "area_limit_percent": self.area_limit_percent,
                "day_lines": list(self.day_lines), "findings": list(self.findings),
                "alerts": list(self.alerts), "notes": list(self.notes)}


def _state(percent: float, limit: float | None, near_fraction: float) -> str | None:
    if limit is None or limit <= 0:
        return None
    return state_of_share(percent / limit, near_fraction)


def _largest_sitting(items: Sequence[tuple[tuple[str, ...], float]]) -> float:
    """The largest single application of a day, from (times, grams per application)."""
    untimed = sum(g for times, g in items if not times)
    timed = [(times, g) for times, g in items if times]
    if not timed:
        return untimed
    return max(sum(g for times, g in timed if t in times) for t in TIMES_OF_DAY) + untimed


_NOTES = (
    N_("Treated skin in no zone is counted every day, at the label's frequency."),
    N_("Zones used on the same day without a time of day are counted as one application; a "
       "zone without a time of day is counted in every application of its days."),
    N_("The label's verdict is made on the whole area to treat; each day's area is shown "
       "against the label's area limit as well."),
)


def build_plan(assessment, layers: Layers, *,
               body_surface_m2: float | None = None) -> TreatmentPlan | None:
    """Work out an assessment's plan: each zone and each day, area and grams.

    Parameters
    ----------
    assessment : Assessment
        Its ``zones`` (none: no plan), age, chart, age reading and rule.
    layers : Layers
        Its layers, resolved (:meth:`~bsa.records.assessment.Assessment.layers`).
    body_surface_m2 : float, optional
        For a label's density in mg/cm2. [m2]

    Returns
    -------
    TreatmentPlan or None
        Not yet compared with a label (see :meth:`TreatmentPlan.against`); None without
        zones.
    """
    a = assessment
    if not a.zones:
        return None
    rule = None if a.rule_id is None else load_rule(a.rule_id)
    default = _DEFAULT_PER_DAY if rule is None else rule.frequency_per_day
    parts: list[tuple[str, tuple[str, ...], tuple[str, ...], float, Coverage, np.ndarray,
                      bool]] = [
        (z.name, tuple(z.days), tuple(z.times), z.per_day(default), cov, outside, False)
        for z, cov, outside in zip(a.zones, layers.zones, layers.zones_outside, strict=True)]
    rest = layers.unzoned
    if rest is not None and float(rest.fractions.max(initial=0.0)) > 0:
        parts.append((UNZONED_NAME, WEEKDAYS, (), default, rest,
                      np.zeros_like(rest.fractions), True))

    def area(fractions: np.ndarray):
        return estimate(fractions, a.age_years, a.chart, a.age_mode)

    zones = []
    for name, days, times, per_day, cov, outside, unzoned in parts:
        est = area(cov.fractions)
        amount = estimate_amount(cov.fractions, a.age_years, a.rule_id, chart=a.chart,
                                 age_mode=a.age_mode, body_surface_m2=body_surface_m2,
                                 applications_per_day=per_day)
        zones.append(ZoneUse(
            name=name, days=days, times=times, applications_per_day=per_day,
            percent_bsa=float(est.percent_bsa),
            outside_percent_bsa=float(area(outside).percent_bsa),
            regions=tuple(r for r, v in est.by_region.items() if v > 0),
            where=where_in_words(cov.fractions),
            grams_per_application=amount.grams_per_application,
            grams_per_week=amount.grams_per_application * per_day * len(days),
            unzoned=unzoned))
    day_uses: list[DayUse] = []
    sets: list[tuple[int, ...]] = []
    for day in WEEKDAYS:
        used = tuple(i for i, z in enumerate(zones) if day in z.days)
        cov = layers.union_of_zones([parts[i][4] for i in used])
        est = area(cov.fractions)
        day_uses.append(DayUse(
            day=day, name=weekday_name(day), zones=tuple(zones[i].name for i in used),
            percent_bsa=float(est.percent_bsa),
            grams=sum(zones[i].grams_per_application * zones[i].applications_per_day
                      for i in used),
            largest_application_grams=_largest_sitting(
                [(zones[i].times, zones[i].grams_per_application) for i in used]),
            regions=tuple(r for r, v in est.by_region.items() if v > 0),
            where=where_in_words(cov.fractions)))
        sets.append(used)
    plan_amount = PlanAmount(tuple(d.grams for d in day_uses),
                             max(d.largest_application_grams for d in day_uses),
                             float(area(layers.treated.fractions).percent_bsa))
    plan = TreatmentPlan(zones=tuple(zones), days=tuple(day_uses), amount=plan_amount,
                         notes=tuple(_(note) for note in _NOTES), _sets=tuple(sets))
    return plan.against(None)
