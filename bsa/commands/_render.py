"""Plain-text rendering of an :class:`~bsa.evaluation.Evaluation` for the command line.

The command line computes nothing itself: these functions only format what
:func:`bsa.evaluate` computed, in the same words as the page and the printed map.
"""

from __future__ import annotations

import math

from ..evaluation import Evaluation
from ..i18n import N_, _, num
from ..text import for_terminal

_MARK = {"within": N_("within"), "near": N_("near"), "above": N_("ABOVE"),
         "needs_height_weight": N_("needs h/w"), "information": N_("info"),
         "not_applicable": N_("n/a")}
_VERDICT_MARK = {**_MARK, "nothing_marked": N_("nothing marked"),
                 "outside_ages": N_("outside ages"), "not_for_site": N_("not for site"),
                 "no_stated_limit": N_("no stated limit"),
                 "limits_not_read": N_("limits not read")}


def _amount_lines(ev: Evaluation) -> list[str]:
    m = ev.amount
    values = {"grams": num(m.grams_per_application, ".1f"), "day": num(m.grams_per_day, ".1f"),
              "week": num(m.grams_per_week, ".0f")}
    if m.fingertip_units_per_application is None:
        first = _("Amount of cream (estimate): about {grams} g per application, {day} g a day, "
                  "{week} g a week.").format(**values)
    elif m.grams_per_application_measured is None:
        first = _("Amount of cream (estimate): about {grams} g per application ({units} "
                  "fingertip units), {day} g a day, {week} g a week.").format(
            units=num(m.fingertip_units_per_application, ".1f"), **values)
    else:
        lo, hi = m.grams_per_application_measured
        first = _("Amount of cream (estimate): about {grams} g per application ({units} "
                  "fingertip units; {low}-{high} g with the measured 0.43-0.49 g units), {day} g "
                  "a day, {week} g a week.").format(
            units=num(m.fingertip_units_per_application, ".1f"), low=num(lo, ".1f"),
            high=num(hi, ".1f"), **values)
    lines = [first]
    lines.extend(f"  - {a}" for a in m.assumptions)
    return lines


def plan_lines(ev: Evaluation) -> list[str]:
    """The plan's days in words, what it means against the label, and its conventions.

    Zone names are the clinician's text: shown, never acted on (:func:`bsa.text.for_terminal`).
    """
    p = ev.plan
    assert p is not None, "only called for an evaluation with a plan"
    lines = [_("Plan by day (about {week} g a week; the largest application about {largest} "
               "g):").format(week=num(p.grams_per_week, ".0f"),
                             largest=num(p.amount.largest_application_grams, ".1f"))]
    lines.extend(f"  {for_terminal(text)}" for text in p.day_lines)
    lines.extend(f"  ! {for_terminal(text)}" for text in p.findings)
    lines.extend("  " + _("Note: {note}").format(note=text) for text in p.notes)
    return lines


def range_lines(ev: Evaluation, *, detail: bool = False) -> list[str]:
    """The range of totals by chart: one sentence; with ``detail`` each chart and why."""
    r = ev.range
    lines = [_("Range: {sentence}").format(sentence=r.sentence)]
    if not detail:
        return lines
    for c in r.charts:
        verdict = "" if c.verdict is None else (
            f"  [{_(_VERDICT_MARK[c.verdict]) if c.verdict in _VERDICT_MARK else c.verdict}]")
        status = "" if c.status == "verified" else " " + _("({status} source)").format(
            status=_(c.status))
        lines.append(f"  {num(c.percent_bsa, '6.2f')}%  {c.title}{status}: {c.note}{verdict}")
    lines.extend("  " + _("Not used: {reason}").format(reason=reason) for reason in r.not_used)
    lines.append(r.how_estimated)
    return lines


def evaluation_text(ev: Evaluation, *, scores: bool = False, range_detail: bool = False) -> str:
    """The evaluation as the lines ``check`` and ``session show`` print (in its language)."""
    with ev.speaking():
        return _evaluation_text(ev, scores=scores, range_detail=range_detail)


def _evaluation_text(ev: Evaluation, *, scores: bool, range_detail: bool) -> str:
    est = ev.estimate
    rc = ev.rule_check
    lines = [ev.headline]
    if ev.layered:
        lines.append(_("Affected: {percent}% of body surface (the area scores use it)").format(
            percent=num(ev.affected_percent_bsa, ".2f")))
        lines.append(_("To treat with this cream: {percent}% of body surface ({chart}, age "
                       "{age}, {reading}); affected, not with this cream: {untreated}%").format(
            percent=num(ev.treated_percent_bsa, ".2f"), chart=est.chart_title, age=ev.age_text,
            reading=est.age_reading, untreated=num(ev.untreated_affected_percent_bsa, ".2f")))
        lines.extend(_("Do not apply ({reason}): {where}, {percent}% of body surface (never part "
                       "of the area to treat)").format(
            reason=for_terminal(area.reason_text or area.reason), where=area.where,
            percent=num(area.percent_bsa, ".2f")) for area in ev.avoid)
    else:
        lines.append(_("Marked: {percent}% of body surface ({chart}, age {age}, {reading})")
                     .format(percent=num(ev.percent_bsa, ".2f"), chart=est.chart_title,
                             age=ev.age_text, reading=est.age_reading))
    if ev.treated_cm2 is not None:
        lines.append(_("About {cm2} cm\u00b2 of a body surface of {m2} m\u00b2 (Mosteller)").format(
            cm2=num(ev.treated_cm2, ",.0f"), m2=num(ev.body_surface_m2, ".2f")))
    if ev.chart_caution:
        lines.append(_("Caution: {caution}").format(caution=ev.chart_caution))
    if not ev.nothing_marked or range_detail:
        lines.extend(range_lines(ev, detail=range_detail))
    if rc is not None:
        rule = rc.rule
        lines.append(_("Rule: {title} ({id}), label revision {revision}").format(
            title=rule.title, id=rule.id, revision=rule.revision_words))
        lines.append(rc.age_message)
        if rc.limits:
            lines.append(_("Limits:"))
            for s in rc.limits:
                text = f"  [{_(_MARK[s.state])}] {s.text}"
                reached = s.reached_at_percent_bsa
                if (s.binding and s.limit.kind != "percent_bsa" and reached is not None
                        and not math.isinf(reached)):
                    text += " " + _("Reached first: the {limit} limit is reached at about "
                                    "{percent}% of body surface marked in this pattern.").format(
                        limit=s.limit.summary, percent=num(reached, ".1f"))
                lines.append(text)
        elif rule.no_stated_limit:
            lines.append(_("The label states no area or amount limit."))
        for point in rule.review_points:
            lines.append(_("Review point (section {section}): {words}").format(
                section=point.section, words=point.words_shown()))
    if ev.plan is not None:
        lines.append("")
        lines.extend(plan_lines(ev))
    lines.append("")
    lines.extend(_amount_lines(ev))
    if scores:
        lines.append("")
        for name, regions in (("EASI", ev.easi), ("PASI", ev.pasi)):
            parts = ", ".join(f"{_(v['label'])} {num(v['percent_of_region'], '.0f')}% -> "
                              f"{num(v['area_score'])}" for v in regions.values())
            lines.append(_("{score} area scores: {parts}").format(score=name, parts=parts))
        lines.append(_("VASI hand units: {units}").format(units=num(ev.vasi_hand_units, ".1f")))
    if ev.palm is not None:
        lines.append("")
        lines.append(ev.palm.text)
    lines.append("")
    lines.append(_("To confirm with the doctor:"))
    lines.extend(f"  - {q}" for q in ev.questions)
    for c in ev.cautions:
        if c != ev.chart_caution:
            lines.append(_("Note: {note}").format(note=c))
    lines.extend(_("Source: {source}").format(source=s) for s in ev.sources)
    lines.append(ev.disclaimer)
    return "\n".join(lines)
