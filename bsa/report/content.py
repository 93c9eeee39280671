"""What the application map says: every line of the printed page, from one evaluation.

:func:`map_content` turns an :class:`~bsa.evaluation.Evaluation` into a
:class:`MapContent`: plain strings and numbers, no matplotlib, so the map's words are
tested in milliseconds and are the same words the page and the command line show (the
headline, the limit lines, the amount, the questions all come from the evaluation).
:mod:`bsa.report.layout` only places them on paper.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date as date_type

from ..evaluation import Evaluation
from ..treatment.limits import VERDICT_WORDS

__all__ = ["DISCLAIMER", "LAYER_WORDS", "GaugeContent", "LegendEntry", "MapContent", "MapLine",
           "format_percent", "map_content"]

#: Printed at the foot of every map.
DISCLAIMER = (
    "This map is a discussion aid, not medical advice. The area and the amount of cream are "
    "estimates from the marks made during the consultation; follow your doctor's "
    "instructions and the product's patient information."
)

STATE_WORDS = {
    "within": "Area: within the limit",
    "near": "Area: near the limit",
    "above": "Area: above the limit",
}
_VERDICT_WORDS = {**VERDICT_WORDS, "no_rule": "No rule chosen"}

#: How the map names each layer (its legend).
LAYER_WORDS = {
    "apply": "Apply this cream here",
    "affected": "Affected, not with this cream",
    "avoid": "Do not apply",
}


@dataclass(frozen=True)
class MapLine:
    """One paragraph of the map."""

    text: str
    bold: bool = False
    bullet: bool = False


@dataclass(frozen=True)
class GaugeContent:
    """The bar of the total against the area limit. [% of body surface]

    ``low`` and ``high`` are the lowest and highest totals of the same marks under the
    charts that apply (:func:`bsa.estimate_range`), drawn as a band on the bar.
    """

    total: float
    limit: float
    near_from: float
    state_words: str
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class LegendEntry:
    """One entry of the figures' legend.

    ``kind`` is ``"apply"`` (solid), ``"zone"`` (solid, the zone's colour ``index``),
    ``"affected"`` (outlined, lightly hatched) or ``"avoid"`` (hatched, pattern ``index``).
    """

    kind: str
    text: str
    index: int = 0


@dataclass(frozen=True)
class MapContent:
    """Every word and number the printed map carries.

    Attributes
    ----------
    title, date_text, total_text, total_caption, chart_line, headline, verdict_words : str
    range_text : str
        Under the total: the totals under the other charts and whether the verdict depends
        on the chart (empty when nothing is marked).
    range_depends : bool
        True when the verdict depends on the chart (the line is then printed in bold).
    rule_lines : tuple of str
        The rule, its area limit and the age against the indication.
    gauge : GaugeContent or None
    areas : tuple of (str, str, str)
        Region, share of it marked, contribution: ``("Anterior trunk", "50% of it", "6.5%")``.
    amount : tuple of MapLine
    questions : tuple of str
    cautions : tuple of str
        Printed above the questions (e.g. a chart used outside its ages).
    notes : str
        The clinician's notes, printed literally.
    footer : tuple of MapLine
        Sources and notices (small), then the disclaimer (bold).
    half_labels : dict of str to str
        Each treated half's contribution, written on the figure.
    layer_lines : tuple of str
        With layers: the affected skin, the treated area and each do-not-apply area in
        words (under the total).
    legend : tuple of LegendEntry
        With layers: what the solid, outlined and hatched marks on the figures mean.
    avoid_rows : tuple of (str, str, str)
        Each do-not-apply area: reason, where, %BSA (``("eyes", "face", "0.5%")``).
    plan_lines : tuple of MapLine
        With zones: the days in words, then what the plan means against the label.
    """

    title: str
    date_text: str
    total_text: str
    total_caption: str
    range_text: str
    range_depends: bool
    chart_line: str
    headline: str
    verdict: str
    verdict_words: str
    rule_lines: tuple[str, ...]
    gauge: GaugeContent | None
    areas: tuple[tuple[str, str, str], ...]
    amount: tuple[MapLine, ...]
    questions: tuple[str, ...]
    cautions: tuple[str, ...]
    notes: str
    footer: tuple[MapLine, ...]
    half_labels: dict[str, str]
    layer_lines: tuple[str, ...] = ()
    legend: tuple[LegendEntry, ...] = ()
    avoid_rows: tuple[tuple[str, str, str], ...] = ()
    plan_lines: tuple[MapLine, ...] = ()

    def text(self) -> str:
        """All the map's words, one paragraph a line (for tests and search)."""
        parts = [self.title, self.date_text, self.total_text, self.total_caption,
                 self.range_text, self.chart_line, *self.layer_lines, self.headline,
                 *self.rule_lines, *(e.text for e in self.legend),
                 *(f"{a} {b} {c}" for a, b, c in self.areas),
                 *(f"Do not apply ({a}): {b} {c}" for a, b, c in self.avoid_rows),
                 *(line.text for line in self.amount), *(line.text for line in self.plan_lines),
                 *self.cautions, *self.questions,
                 self.notes, *(line.text for line in self.footer)]
        if self.gauge is not None:
            parts.append(self.gauge.state_words)
        return "\n".join(p for p in parts if p)


def format_percent(value: float) -> str:
    """A percentage for print: one decimal, two below 1 (0.25), no trailing zeros."""
    text = f"{value:.2f}" if 0 < abs(value) < 1 else f"{value:.1f}"
    text = text.rstrip("0").rstrip(".")
    return text or "0"


def _grams(value: float) -> str:
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


def date_text(day: date_type) -> str:
    """``14 March 2026``."""
    return f"{day.day} {day.strftime('%B %Y')}"


def _amount_lines(ev: Evaluation) -> tuple[MapLine, ...]:
    m = ev.amount
    times = {1: "once", 2: "twice"}.get(m.applications_per_day,
                                        f"{m.applications_per_day:g} times")
    units = ("" if m.fingertip_units_per_application is None
             else f" ({m.fingertip_units_per_application:.1f} fingertip units)")
    if ev.plan is not None:
        p = ev.plan
        lines = [MapLine(f"With this plan: about {_grams(p.grams_per_week)} g a week; the "
                         "largest application about "
                         f"{_grams(p.amount.largest_application_grams)} g (see the days below).")]
    else:
        lines = [MapLine(f"About {_grams(m.grams_per_application)} g per application{units}, "
                         f"{times} a day: about {_grams(m.grams_per_week)} g a week.")]
    rc = ev.rule_check
    caps = [] if rc is None else [s for s in rc.limits if s.limit.kind == "grams"]
    for s in caps:
        lines.append(MapLine(s.text, bullet=True))
    if any(s.state == "above" for s in caps):
        lines.append(MapLine("Above the cap: discuss with your doctor.", bold=True))
    binding = None if rc is None else rc.binding
    if binding is not None and binding.limit.kind == "grams":
        reached = binding.reached_at_percent_bsa
        if reached is not None and not math.isinf(reached):
            pattern = "this pattern and plan" if ev.plan is not None else "this pattern"
            lines.append(MapLine(
                f"The cap of {binding.limit.summary} is reached first, at about "
                f"{format_percent(reached)}% of the body surface marked in {pattern}."))
    if rc is not None and not caps:
        lines.append(MapLine("The label states no amount cap for this age."
                             if rc.rule.limits_read_for(ev.assessment.age_years) else
                             "No amount cap of the label could be read for this age."))
    if rc is None and ev.plan is None:
        lines.append(MapLine("Twice a day is assumed: no label rule was chosen."))
    if m.fingertip_units_per_application is not None:
        lo, hi = m.grams_per_application_measured
        lines.append(MapLine(
            f"Assumes {m.ftu_grams:g} g per fingertip unit (tip of an adult's index finger to "
            f"the first crease; {lo:.1f}-{hi:.1f} g with the measured 0.43-0.49 g units), "
            f"spread thinly on the marked area only. Method: {m.method_text}."))
    else:
        lines.append(MapLine(f"Method: {m.method_text}."))
    return tuple(lines)


def _quoted(name: str) -> str:
    return f"\u201c{name}\u201d"


def _layer_lines(ev: Evaluation) -> tuple[str, ...]:
    if not ev.layered:
        return ()
    return (f"Affected skin: {format_percent(ev.affected_percent_bsa)}% of the body surface "
            "(the area scores use it); affected, not with this cream: "
            f"{format_percent(ev.untreated_affected_percent_bsa)}%.",)


def _legend(ev: Evaluation) -> tuple[LegendEntry, ...]:
    if not ev.layered:
        return ()
    entries = []
    if ev.plan is None:
        entries.append(LegendEntry("apply", LAYER_WORDS["apply"]))
    else:
        for i, z in enumerate(ev.plan.zones):
            if z.unzoned:
                entries.append(LegendEntry("apply", f"{LAYER_WORDS['apply']}: every day "
                                                    "(in no zone)"))
            else:  # the days are in the plan's list under the legend
                entries.append(LegendEntry("zone", f"{LAYER_WORDS['apply']}: {_quoted(z.name)}",
                                           i))
    if ev.untreated_affected_percent_bsa > 0:
        entries.append(LegendEntry("affected", LAYER_WORDS["affected"]))
    entries.extend(LegendEntry("avoid", f"{LAYER_WORDS['avoid']}: {a.reason}", i)
                   for i, a in enumerate(ev.avoid))
    return tuple(entries)


def _plan_lines(ev: Evaluation) -> tuple[MapLine, ...]:
    if ev.plan is None:
        return ()
    lines = [MapLine(text, bullet=True) for text in ev.plan.day_lines]
    lines.extend(MapLine(text, bold=" above " in text) for text in ev.plan.findings)
    return tuple(lines)


def map_content(ev: Evaluation, day: date_type) -> MapContent:
    """Build the map's content from an evaluation (pure: no drawing).

    Parameters
    ----------
    ev : Evaluation
    day : datetime.date
        Printed on the map.
    """
    est = ev.estimate
    rc = ev.rule_check
    rule_lines: list[str] = []
    gauge = None
    if rc is not None:
        area = rc.area
        limit_line = (f"Label area limit: {area.limit.value:g}% of body surface"
                      if area is not None else "The label states no area limit for this age"
                      if rc.rule.limits_read_for(ev.assessment.age_years) else
                      "No area limit of the label could be read for this age")
        rule_lines.append(f"{limit_line} ({rc.rule.title}). {rc.age_message}")
        if area is not None:
            gauge = GaugeContent(total=ev.percent_bsa, limit=area.limit.value,
                                 near_from=0.8 * area.limit.value,
                                 state_words=STATE_WORDS[area.state],
                                 low=None if ev.nothing_marked else ev.range.low,
                                 high=None if ev.nothing_marked else ev.range.high)
        for s in rc.limits:
            if s.limit.kind not in ("percent_bsa", "grams"):
                rule_lines.append(s.text)
    areas = tuple(
        (row["label"], f"{row['share']:.0%} of it", f"{format_percent(row['percent_bsa'])}%")
        for row in ev.region_rows())
    footer = []
    questions = ev.questions
    if rc is not None:
        rule = rc.rule
        footer.append(MapLine(f"Label rule: {rule.source} Revision: {rule.label_revision}."))
        questions = (*questions, *(f"Review point (label section {p.section}): {p.words}"
                                   for p in rule.review_points))
    footer.extend(MapLine(c) for c in ev.cautions if c != ev.chart_caution)
    footer.append(MapLine(f"Chart: {est.source}"))
    footer.append(MapLine(DISCLAIMER, bold=True))
    return MapContent(
        title="Where to apply: treatment area map",
        date_text=f"Date: {date_text(day)}",
        total_text=f"{ev.percent_bsa:.1f}%",
        total_caption="of the body surface to treat",
        range_text="" if ev.nothing_marked else ev.range.sentence,
        range_depends=ev.range.verdict_holds is False and not ev.nothing_marked,
        chart_line=f"{est.chart_title}, read at age {ev.age_text} ({est.age_reading}).",
        headline=ev.headline + ("" if ev.headline.endswith(".") else "."),
        verdict=ev.verdict,
        verdict_words=_VERDICT_WORDS[ev.verdict],
        rule_lines=tuple(rule_lines),
        gauge=gauge,
        areas=areas,
        amount=_amount_lines(ev),
        questions=tuple(questions),
        cautions=(ev.chart_caution,) if ev.chart_caution else (),
        notes=ev.assessment.notes,
        footer=tuple(footer),
        half_labels={p: format_percent(v) for p, v in est.by_half.items() if v > 0},
        layer_lines=_layer_lines(ev),
        legend=_legend(ev),
        avoid_rows=tuple((a.reason, a.where, f"{format_percent(a.percent_bsa)}%")
                         for a in ev.avoid),
        plan_lines=_plan_lines(ev),
    )
