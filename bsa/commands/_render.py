"""Plain-text rendering of an :class:`~bsa.evaluation.Evaluation` for the command line.

The command line computes nothing itself: these functions only format what
:func:`bsa.evaluate` computed, in the same words as the page and the printed map.
"""

from __future__ import annotations

import math

from ..evaluation import Evaluation
from ..text import for_terminal

_MARK = {"within": "within", "near": "near", "above": "ABOVE",
         "needs_height_weight": "needs h/w", "information": "info",
         "not_applicable": "n/a"}
_VERDICT_MARK = {**_MARK, "nothing_marked": "nothing marked", "outside_ages": "outside ages",
                 "not_for_site": "not for site", "no_stated_limit": "no stated limit",
                 "limits_not_read": "limits not read"}


def _amount_lines(ev: Evaluation) -> list[str]:
    m = ev.amount
    units = ("" if m.fingertip_units_per_application is None
             else f" ({m.fingertip_units_per_application:.1f} fingertip units")
    measured = ""
    if m.grams_per_application_measured is not None:
        lo, hi = m.grams_per_application_measured
        measured = f"; {lo:.1f}-{hi:.1f} g with the measured 0.43-0.49 g units"
    if units:
        units += measured + ")"
    lines = [f"Amount of cream (estimate): about {m.grams_per_application:.1f} g per "
             f"application{units}, {m.grams_per_day:.1f} g a day, {m.grams_per_week:.0f} g "
             "a week."]
    lines.extend(f"  - {a}" for a in m.assumptions)
    return lines


def plan_lines(ev: Evaluation) -> list[str]:
    """The plan's days in words, what it means against the label, and its conventions.

    Zone names are the clinician's text: shown, never acted on (:func:`bsa.text.for_terminal`).
    """
    p = ev.plan
    assert p is not None, "only called for an evaluation with a plan"
    lines = [f"Plan by day (about {p.grams_per_week:.0f} g a week; the largest application "
             f"about {p.amount.largest_application_grams:.1f} g):"]
    lines.extend(f"  {for_terminal(text)}" for text in p.day_lines)
    lines.extend(f"  ! {for_terminal(text)}" for text in p.findings)
    lines.extend(f"  Note: {text}" for text in p.notes)
    return lines


def range_lines(ev: Evaluation, *, detail: bool = False) -> list[str]:
    """The range of totals by chart: one sentence; with ``detail`` each chart and why."""
    r = ev.range
    lines = [f"Range: {r.sentence}"]
    if not detail:
        return lines
    for c in r.charts:
        verdict = "" if c.verdict is None else f"  [{_VERDICT_MARK.get(c.verdict, c.verdict)}]"
        status = "" if c.status == "verified" else f" ({c.status} source)"
        lines.append(f"  {c.percent_bsa:6.2f}%  {c.title}{status}: {c.note}{verdict}")
    lines.extend(f"  Not used: {reason}" for reason in r.not_used)
    lines.append(r.how_estimated)
    return lines


def evaluation_text(ev: Evaluation, *, scores: bool = False, range_detail: bool = False) -> str:
    """The evaluation as the lines ``check`` and ``session show`` print."""
    est = ev.estimate
    rc = ev.rule_check
    lines = [ev.headline]
    if ev.layered:
        lines.append(f"Affected: {ev.affected_percent_bsa:.2f}% of body surface (the area "
                     "scores use it)")
        lines.append(f"To treat with this cream: {ev.treated_percent_bsa:.2f}% of body surface "
                     f"({est.chart_title}, age {ev.age_text}, {est.age_reading}); affected, "
                     f"not with this cream: {ev.untreated_affected_percent_bsa:.2f}%")
        lines.extend(f"Do not apply ({for_terminal(area.reason)}): {area.where}, "
                     f"{area.percent_bsa:.2f}% of body surface (never part of the area to treat)"
                     for area in ev.avoid)
    else:
        lines.append(f"Marked: {ev.percent_bsa:.2f}% of body surface ({est.chart_title}, age "
                     f"{ev.age_text}, {est.age_reading})")
    if ev.treated_cm2 is not None:
        lines.append(f"About {ev.treated_cm2:,.0f} cm\u00b2 of a body surface of "
                     f"{ev.body_surface_m2:.2f} m\u00b2 (Mosteller)")
    if ev.chart_caution:
        lines.append(f"Caution: {ev.chart_caution}")
    if not ev.nothing_marked or range_detail:
        lines.extend(range_lines(ev, detail=range_detail))
    if rc is not None:
        rule = rc.rule
        lines.append(f"Rule: {rule.title} ({rule.id}), label revision {rule.label_revision}")
        lines.append(rc.age_message)
        if rc.limits:
            lines.append("Limits:")
            for s in rc.limits:
                text = f"  [{_MARK[s.state]}] {s.text}"
                reached = s.reached_at_percent_bsa
                if (s.binding and s.limit.kind != "percent_bsa" and reached is not None
                        and not math.isinf(reached)):
                    text += (f" Reached first: the {s.limit.summary} limit is reached at "
                             f"about {reached:.1f}% of body surface marked in this pattern.")
                lines.append(text)
        elif rule.no_stated_limit:
            lines.append("The label states no area or amount limit.")
        for point in rule.review_points:
            lines.append(f"Review point (section {point.section}): {point.words}")
    if ev.plan is not None:
        lines.append("")
        lines.extend(plan_lines(ev))
    lines.append("")
    lines.extend(_amount_lines(ev))
    if scores:
        lines.append("")
        for name, regions in (("EASI", ev.easi), ("PASI", ev.pasi)):
            parts = ", ".join(f"{v['label']} {v['percent_of_region']:.0f}% -> {v['area_score']}"
                              for v in regions.values())
            lines.append(f"{name} area scores: {parts}")
        lines.append(f"VASI hand units: {ev.vasi_hand_units:.1f}")
    if ev.palm is not None:
        lines.append("")
        lines.append(ev.palm.text)
    lines.append("")
    lines.append("To confirm with the doctor:")
    lines.extend(f"  - {q}" for q in ev.questions)
    for c in ev.cautions:
        if c != ev.chart_caution:
            lines.append(f"Note: {c}")
    lines.extend(f"Source: {s}" for s in ev.sources)
    lines.append(ev.disclaimer)
    return "\n".join(lines)
