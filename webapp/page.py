"""The page: the body map beside the live results, and the panels below them.

Everything that depends on the marks runs inside one :func:`streamlit.fragment`, so a stroke
reruns only this part of the page (the sidebar inputs rerun the whole page). Every number
comes from :mod:`bsa`: the page decodes the marks, reads each half's painted fraction with
:func:`bsa.diagram.masks.half_fractions`, applies the typed shares, and asks :func:`bsa.estimate`,
:mod:`bsa.treatment.label_rules`, :mod:`bsa.treatment.cream_amount` and :mod:`bsa.treatment.skin_scores` for the rest.
The page draws from the one :class:`bsa.records.assessment.Assessment` that
:func:`webapp.state.current_assessment` builds from ``st.session_state``; saving, printing and
the visit history build it again with the same function at the moment of a click.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Mapping

import numpy as np
import streamlit as st

import bsa
from bsa.core.regions import PART_INDEX, PART_NAMES, REGIONS, halves_of, parse_part, region_label
from bsa.errors import BSAInputError
from bsa.evaluation import DISCLAIMER
from bsa.treatment.label_rules import source_kind_mark, source_kind_words
from bsa.treatment.limits import VERDICT_WORDS

from . import state
from .body_map import render_body_map
from .gauge import STATES, gauge_html
from .inputs import PageInputs, read_inputs
from .text import say

__all__ = [
    "DISCLAIMER",
    "PANELS",
    "Marked",
    "build_assessment",
    "compute",
    "render_header",
    "workspace",
]

#: The panels under the figure, in order.
PANELS = (
    "Breakdown",
    "Type shares",
    "Palm count",
    "Label and questions",
    "How this is estimated",
    "Save, print, history",
)

_PAGE_CSS = """
<style>
[data-testid="stMainBlockContainer"] {padding-top: 1rem; padding-bottom: 2rem;}
[data-testid="stHeader"] {height: 2.2rem; min-height: 2.2rem;}
[data-testid="stSidebarContent"] [data-testid="stSidebarUserContent"] {padding-top: 0.5rem;}
@media (max-width: 1100px) {
  /* tablet width: a narrower sidebar leaves more room for the figure */
  section[data-testid="stSidebar"][data-collapsed="false"] {width: 236px !important;
    min-width: 236px !important;
    max-width: 236px !important;}
  [data-testid="stMainBlockContainer"] {padding-left: 1.5rem; padding-right: 1.5rem;}
}
.bsa-total {font-size: 3rem; font-weight: 700; line-height: 1.05;
  font-variant-numeric: tabular-nums;}
.bsa-line {margin: 0.15rem 0; font-size: 0.92rem;}
.bsa-limits {margin: 0.1rem 0 0.3rem 0; padding-left: 0.2rem; list-style: none;
  font-size: 0.88rem;}
.bsa-limits li {margin: 0.1rem 0;}
.bsa-disclaimer {font-size: 0.85rem; border-left: 4px solid #0072B2;
  padding: 0.1rem 0.5rem; margin-bottom: 0.3rem;}
</style>
"""


def render_header() -> None:
    """The page's title line and the disclaimer (kept short: the figure must fit)."""
    st.markdown(_PAGE_CSS, unsafe_allow_html=True)
    st.markdown("#### Affected skin as a share of body surface")
    st.markdown(f'<div class="bsa-disclaimer">{html.escape(DISCLAIMER)}</div>',
                unsafe_allow_html=True)


# ----------------------------------------------------------------------------- figure


@st.cache_data(show_spinner=False)
def _figure_title(figure_id: str) -> str:
    from bsa.diagram import geometry as body_diagram

    return body_diagram.load_figure(figure_id).title.lower()


def _carry_over_as_typed(painted: np.ndarray, wanted: str) -> None:
    """Turn the marks' per-half fractions into typed shares and start on ``wanted``."""
    typed = dict(st.session_state["typed"])
    whole = {name for name in typed if ":" not in name}
    for i, name in enumerate(PART_NAMES):
        region, _ = parse_part(name)
        if painted[i] > 0 and region not in whole and name not in typed:
            typed[name] = float(painted[i])
    st.session_state["typed"] = typed
    state.clear_marks(wanted)


def _resolve_figure(age_years: float) -> tuple[str, str | None]:
    """Return (figure to draw on, figure the age calls for if the marks are on another one).

    With no marks the figure follows the age. With marks on another figure, the marks stay
    where they were made (nothing is silently moved or lost) until the user chooses.
    """
    from bsa.diagram import geometry as body_diagram

    wanted = body_diagram.figure_for_age(age_years)
    current = st.session_state["map_figure"]
    if current is None:
        st.session_state["map_figure"] = wanted
        return wanted, None
    if current == wanted:
        return current, None
    if not state.has_marks():
        state.clear_marks(wanted)
        return wanted, None
    return current, wanted


def _figure_notice(current: str, wanted: str, painted: np.ndarray) -> None:
    st.info(
        f"The marks were made on the **{_figure_title(current)}** figure; for this age the "
        f"page would draw the **{_figure_title(wanted)}** figure. The marks stay on the "
        f"figure they were made on, and the total uses this age's chart weights either way "
        f"(a region's drawn size never changes its weight).",
        icon="\u2139\ufe0f",
    )
    a, b = st.columns(2)
    a.button(f"Carry them over to the {_figure_title(wanted)} figure",
             key="figure_carry", on_click=_carry_over_as_typed, args=(painted, wanted),
             help="Each half keeps its marked share as a typed share (hatched on the new "
             "figure); the paint itself is cleared.")
    b.button(f"Clear them, use the {_figure_title(wanted)} figure",
             key="figure_clear", on_click=state.clear_marks, args=(wanted,))


# ----------------------------------------------------------------------------- numbers


@dataclasses.dataclass(frozen=True)
class Marked:
    """What the page shows: the assessment on screen and its one evaluation.

    Attributes
    ----------
    inputs : PageInputs
        The sidebar's values (with what is missing on screen).
    assessment : bsa.records.assessment.Assessment
        What is saved, downloaded and printed (:func:`webapp.state.current_assessment`).
    evaluation : bsa.Evaluation
        Every number the page shows, computed once by :func:`bsa.evaluate`.
    painted : ndarray, shape (33,)
        Each half's painted fraction, before typed shares (for the figure's hover text). [1]
    """

    inputs: PageInputs
    assessment: object
    evaluation: object
    painted: np.ndarray

    @property
    def figure_id(self) -> str | None:
        return self.assessment.figure_id

    @property
    def shares(self) -> dict:
        return dict(self.assessment.shares)

    @property
    def estimate(self):
        return self.evaluation.estimate


def compute(assessment, inputs: PageInputs | None = None) -> Marked:
    """Evaluate the assessment on screen once (:func:`bsa.evaluate`); the page renders it.

    Parameters
    ----------
    assessment : bsa.records.assessment.Assessment
        From :func:`webapp.state.current_assessment`.
    inputs : PageInputs, optional
        The sidebar's values; made from the assessment if not given.
    """
    if inputs is None:
        inputs = PageInputs(
            age_years=assessment.age_years, chart=assessment.chart,
            age_mode=assessment.age_mode, rule_id=assessment.rule_id, sex=assessment.sex,
            height_cm=assessment.height_cm, weight_kg=assessment.weight_kg,
        )
    return Marked(inputs, assessment, bsa.evaluate(assessment), assessment.painted_fractions())


def build_assessment(marked: Marked):
    """The :class:`bsa.records.assessment.Assessment` the page drew (``marked.assessment``)."""
    return marked.assessment


@st.cache_data(show_spinner=False, max_entries=64)
def _half_names() -> list[str]:
    return [region_label(name) for name in PART_NAMES]


def _typed_by_half(typed: Mapping[str, float]) -> dict[int, float]:
    """Typed shares per half index (a whole region's share applies to each of its halves)."""
    return {PART_INDEX[half]: float(share) for name, share in typed.items()
            for half in halves_of(name)}


# ----------------------------------------------------------------------------- results


def _line(html_text: str) -> None:
    st.markdown(f'<div class="bsa-line">{html_text}</div>', unsafe_allow_html=True)


def _render_results(marked: Marked) -> None:
    ev = marked.evaluation
    total = ev.percent_bsa
    st.markdown(
        '<div class="bsa-line">Affected share of the body surface</div>'
        f'<div class="bsa-total" data-testid="bsa-total" data-value="{total!r}" '
        f'aria-live="polite" aria-label="{total:.1f}% of the body surface">{total:.1f}%</div>',
        unsafe_allow_html=True,
    )
    if ev.treated_cm2 is not None:
        _line(f"about <b>{ev.treated_cm2:,.0f} cm\u00b2</b> of a body surface of "
              f"{ev.body_surface_m2:.2f} m\u00b2 (Mosteller)")
    rng = ev.range
    if total > 0 and len(rng.charts) > 1:
        _line(f'<span data-testid="bsa-range">{html.escape(rng.sentence)}</span>')
    if ev.chart_caution:
        say(ev.chart_caution, "warning")
    rc = ev.rule_check
    if rc is None:
        st.caption("No label rule chosen: the total is shown without a comparison.")
    else:
        _render_check(ev)
    _render_amount(ev)
    _render_scores(ev)
    st.caption(f"{ev.estimate.chart_title}, age {ev.age_text} ({ev.estimate.age_reading}).")


def _render_check(ev) -> None:
    rc = ev.rule_check
    area = rc.area
    rng = ev.range
    band = (rng.low, rng.high) if ev.percent_bsa > 0 and len(rng.charts) > 1 else None
    st.markdown(
        gauge_html(ev.percent_bsa, None if area is None else area.limit.value,
                   None if area is None else area.state, ev.headline, ev.verdict, band=band),
        unsafe_allow_html=True,
    )
    if ev.verdict == "nothing_marked":
        return
    items = []
    for s in rc.limits:
        symbol, word, colour, _ = STATES.get(s.state, ("\u2022", "", "#444444", ""))
        extra = ""
        reached = s.reached_at_percent_bsa
        if (s.binding and s.limit.kind != "percent_bsa" and reached is not None
                and reached != float("inf")):
            extra = (f" <b>Reached first:</b> at about {reached:.1f}% of body surface marked "
                     "in this pattern.")
        items.append(f'<li data-state="{s.state}"><span style="color:{colour}" '
                     f'aria-hidden="true">{symbol}</span> {html.escape(s.text)}{extra}</li>')
    if items:
        st.markdown('<ul class="bsa-limits">' + "".join(items) + "</ul>",
                    unsafe_allow_html=True)
    rule = rc.rule
    _line(f"{html.escape(rule.jurisdiction)} label, revision "
          f"{html.escape(rule.label_revision)}; read in "
          f"{html.escape(source_kind_words(rule.source_kind))}.")


def _render_amount(ev) -> None:
    m = ev.amount
    if ev.percent_bsa <= 0:
        return
    units = ("" if m.fingertip_units_per_application is None
             else f" ({m.fingertip_units_per_application:.1f} fingertip units)")
    _line(f"Cream (estimate): about <b>{m.grams_per_application:.1f} g</b> per application"
          f"{units}, <b>{m.grams_per_week:.0f} g</b> a week.")
    with st.expander("Amount of cream: how it is estimated"):
        if m.grams_per_application_measured is not None:
            lo, hi = m.grams_per_application_measured
            st.markdown(f"With the measured fingertip units (0.43 g women, 0.49 g men) the "
                        f"same area takes {lo:.1f}\u2013{hi:.1f} g per application.")
        st.markdown("\n".join(f"- {html.escape(a)}" for a in m.assumptions))


def _render_scores(ev) -> None:
    cells = ", ".join(
        f"{html.escape(s['label'])} <b>{s['area_score']}</b>" for s in ev.easi.values()
    )
    st.markdown(
        f'<div class="bsa-line" title="EASI area score 0-6 per region (Hanifin 2001): share '
        f'of the region affected, 1 = 1-9%, 2 = 10-29% ... 6 = 90-100%">EASI area scores '
        f"(0\u20136): {cells}; VASI hand units {ev.vasi_hand_units:.1f}</div>",
        unsafe_allow_html=True,
    )


# ----------------------------------------------------------------------------- panels


def _render_breakdown(marked: Marked) -> None:
    ev = marked.evaluation
    rows = ["| Region | Weight at this age | Affected share | Contribution |",
            "|---|---:|---:|---:|"]
    for row in ev.region_rows():
        how = " (typed)" if row["typed"] else ""
        rows.append(f"| {row['label']}{how} | {row['weight']:.2f}% | {100 * row['share']:.1f}% "
                    f"| {row['percent_bsa']:.2f}% |")
    if len(rows) == 2:
        st.caption("Nothing marked yet: paint on the figure, fill a region, or type shares.")
        return
    rows.append(f"| **Total** | 100% | | **{ev.percent_bsa:.2f}%** |")
    st.markdown("\n".join(rows))
    pasi = ", ".join(f"{s['label']} {s['area_score']}" for s in ev.pasi.values())
    st.caption(f"PASI area scores (0-6): {pasi}. Only the area parts of EASI and PASI are "
               "computed: the severity signs need a clinician's eye.")


def _typed_changed(region: str) -> None:
    value = st.session_state[f"share_{region}"]
    typed = {k: v for k, v in st.session_state["typed"].items()
             if parse_part(k)[0] != region}
    if value is not None:
        typed[region] = float(value) / 100.0
    st.session_state["typed"] = typed


def _forget_typed() -> None:
    st.session_state["typed"] = {}


def _render_type_shares(marked: Marked) -> None:
    st.caption(
        "Set the affected share of any region with the keyboard; it replaces the painting "
        "for that region and shows hatched on the figure with its percentage. Regions you "
        "have not typed show what the painting gives."
    )
    ev = marked.evaluation
    shares = ev.region_shares()
    weights = {row["region"]: row["weight"] for row in _all_region_weights(ev)}
    columns = st.columns(4)
    for i, region in enumerate(REGIONS):
        key = f"share_{region}"
        shown = round(100.0 * shares[region], 1)
        if st.session_state.get(key) != shown:
            st.session_state[key] = shown
        columns[i % 4].number_input(
            f"{region_label(region)} [%]",
            min_value=0.0, max_value=100.0, step=5.0, format="%.1f", key=key,
            on_change=_typed_changed, args=(region,),
            help=f"Weight of this region at this age: {weights[region]:.2f}% of body surface.",
        )
    if marked.shares:
        typed_words = ", ".join(f"{region_label(name)} {100 * share:.0f}%"
                                for name, share in marked.shares.items())
        st.markdown(f"\u270e Typed (used instead of the painting): {typed_words}.")
        st.button("Use the painting for every region (forget typed shares)",
                  on_click=_forget_typed, key="forget_typed")


def _all_region_weights(ev) -> list[dict]:
    est = ev.estimate
    return [{"region": r, "weight": sum(est.weights[h] for h in halves_of(r))} for r in REGIONS]


def _render_palms(marked: Marked) -> None:
    st.caption(
        "A cross-check: how many of the patient's own hands (palm with fingers) would cover "
        "the affected skin?"
    )
    state.keep_palm_widgets()
    a, b = st.columns([1, 2])
    a.number_input("Hands counted", min_value=0.0, max_value=200.0, step=0.5,
                   key="palms", on_change=state.keep, args=("palms",))
    a.checkbox("Palm with fingers", key="palm_fingers", on_change=state.keep,
               args=("palm_fingers",))
    palm = marked.evaluation.palm
    if palm is None:
        b.caption("Enter a count to compare it with the map.")
        return
    with b:
        say(palm.text, "info" if palm.agrees else "warning")
        st.caption(palm.palm.note + " Sources: " + "; ".join(palm.palm.sources))


def _quote(text: str, verbatim: bool) -> str:
    """The label's own words as a quotation; anything else said to be a paraphrase."""
    return (f"\u201c{html.escape(text)}\u201d" if verbatim
            else f"{html.escape(text)} <i>(paraphrase)</i>")


def _render_label(marked: Marked) -> None:
    ev = marked.evaluation
    rc = ev.rule_check
    if rc is None:
        st.caption("No label rule chosen.")
        return
    rule = rc.rule
    parts = [f"<b>{html.escape(rule.title)}</b>: "
             f"{html.escape(', '.join(str(i) for i in rule.active_ingredients))}; ages "
             f"{html.escape(rule.age_range_text)}; {html.escape(rule.frequency_text)}."]
    if rule.indication_text:
        parts.append("Indication: " + _quote(rule.indication_text, rule.indication_text_verbatim))
    if rule.no_stated_limit:
        parts.append("The label states no area, amount or size limit.")
    for lim in rule.limits:
        band = f" ({html.escape(lim.band_text)})" if lim.band_text else ""
        kind = ("" if lim.source_kind == "label" else
                f" <b>[{html.escape(source_kind_mark(lim.source_kind))}]</b>")
        parts.append(f"<b>{html.escape(lim.summary)}</b>{band}, section "
                     f"{html.escape(lim.section)}: {_quote(lim.words, lim.verbatim)}{kind}")
    for point in rule.review_points:
        parts.append(f"Review (section {html.escape(point.section)}): "
                     + _quote(point.words, point.verbatim))
    if rule.sites_words:
        parts.append("Sites: " + _quote(rule.sites_words, True))
    if rule.occlusion:
        parts.append("Occlusion: " + _quote(rule.occlusion, True))
    parts.append(f"Source: {html.escape(rule.source_text())}")
    st.markdown("".join(f'<p class="bsa-line">{p}</p>' for p in parts), unsafe_allow_html=True)
    for text in rule.could_not_read:
        say(f"Could not be read in the label: {text}", "caption")
    for note in rc.notices:
        say(note, "caption")
    st.markdown("**To confirm with the doctor**\n\n"
                + "\n".join(f"- {html.escape(q)}" for q in ev.questions))
    if rule.boxed_warning:
        st.markdown(f"**Boxed warning:** {html.escape(rule.boxed_warning)}")


def _render_method(marked: Marked) -> None:
    ev = marked.evaluation
    chart = bsa.load_chart(ev.assessment.chart)
    st.markdown(
        "**How the estimate is made.** Each region's affected share (the painted pixels of "
        "that region on the figure, or the share you typed) is multiplied by the region's "
        "percentage of body surface at this age in the chart, and the products are added. "
        "A region's drawn size on the figure never changes its weight; paint outside the "
        "body does not count. Every number on this page, the printed map and the command "
        "line comes from one evaluation by the `bsa` package.\n\n"
        f"**Chart:** {html.escape(chart.title)} ({chart.status} source): "
        f"{html.escape(chart.source.get('citation', ''))}\n\n"
        f"**Age reading:** {html.escape(ev.estimate.age_reading)}."
    )
    st.markdown("**Why a range.** " + html.escape(ev.range.how_estimated))
    rows = ["| Chart | Total | Verdict |", "|---|---:|---|"]
    for c in ev.range.charts:
        verdict = "" if c.verdict is None else VERDICT_WORDS.get(c.verdict, c.verdict)
        rows.append(f"| {c.title} ({c.status}) | {c.percent_bsa:.1f}% | {verdict} |")
    st.markdown("\n".join(rows))
    for text in ev.range.not_used:
        st.caption(text)
    for caution in ev.cautions:
        say(caution, "caption")
    st.caption(DISCLAIMER)


def _render_records(marked) -> None:
    from . import records

    loaded = records.render_records_panel(marked.assessment, state.current_assessment)
    if loaded is not None:
        st.session_state["pending_load"] = loaded
        st.rerun(scope="app")


# ----------------------------------------------------------------------------- fragment


def _start_again() -> None:
    st.session_state["typed"] = {}
    state.clear_marks(None)


def _guarded(draw, *args, **kwargs) -> None:
    """Draw a part of the page; bad input becomes a message there, never a traceback."""
    try:
        draw(*args, **kwargs)
    except BSAInputError as exc:
        say(str(exc), "error")  # it may quote what was typed or read from a file


@st.fragment
def workspace() -> None:
    """The body map, the results beside it and the panels below (reruns on every stroke).

    Everything is drawn from :func:`webapp.state.current_assessment`, read from
    ``st.session_state`` in this run; nothing is passed in, since a fragment rerun would get
    the arguments of the last full run.
    """
    try:
        state.read_browser_marks()
    except BSAInputError as exc:
        say(f"The marks could not be read: {exc}", "error")
    try:
        page_inputs = read_inputs()
        figure_id, wanted = _resolve_figure(page_inputs.age_years)
        marked = compute(state.current_assessment(), page_inputs)
        painted = marked.painted
        st.session_state["result_total"] = marked.evaluation.percent_bsa
    except BSAInputError as exc:
        say(str(exc), "error")
        st.button("Start again: clear the marks and typed shares", key="reset_marks",
                  on_click=_start_again)
        return
    left, right = st.columns([1.35, 1], gap="small")
    with left:
        _guarded(
            render_body_map,
            key=state.BODY_MAP_KEY,
            figure_id=figure_id,
            views=state.VIEWS,
            rev=st.session_state["map_rev"],
            restore=st.session_state["map_restore"],
            names=_half_names(),
            painted={i: float(p) for i, p in enumerate(painted) if p > 0},
            typed=_typed_by_half(marked.shares),
            unsaved=state.unkept_marks(marked.assessment),
            on_change=lambda: None,
        )
        if wanted is not None:
            _figure_notice(figure_id, wanted, painted)
    with right:
        _guarded(_render_results, marked)
    panel = st.segmented_control("Show", PANELS, default=PANELS[0], key="panel",
                                 label_visibility="collapsed")
    draw = {
        "Breakdown": _render_breakdown,
        "Type shares": _render_type_shares,
        "Palm count": _render_palms,
        "Label and questions": _render_label,
        "How this is estimated": _render_method,
        "Save, print, history": _render_records,
    }.get(panel)
    if draw is not None:
        _guarded(draw, marked)
