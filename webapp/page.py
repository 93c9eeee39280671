"""The page: the body map beside the live results, and one panel below them.

Everything that depends on the marks runs inside one :func:`streamlit.fragment`, so a stroke
reruns only this part of the page (the sidebar inputs rerun the whole page). The page draws
from the one :class:`bsa.records.assessment.Assessment` that :func:`webapp.state.current_assessment`
builds from ``st.session_state``, evaluated once by :func:`bsa.evaluate`; it renders that
evaluation and computes nothing itself. Saving, printing and the visit history build the
assessment again with the same function at the moment of a click.

Layout (``static/page.css``): on a wide screen the figure and the results sit side by side
with the panel row under them; on a narrow one (a phone, a tablet in portrait) they stack,
the figure first, and the body map's own toolbar carries the total.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import streamlit as st

import bsa
from bsa.core.regions import PART_INDEX, PART_NAMES, halves_of, region_label
from bsa.errors import BSAInputError
from bsa.evaluation import DISCLAIMER
from bsa.treatment.label_rules import source_kind_words

from . import state
from .body_map import layer_look, render_body_map
from .gauge import STATES, gauge_html
from .inputs import PageInputs, read_inputs
from .panels import PANELS
from .text import literal, say

__all__ = [
    "DISCLAIMER",
    "PANELS",
    "Marked",
    "build_assessment",
    "compute",
    "render_header",
    "workspace",
]

_PAGE_CSS = (Path(__file__).with_name("static") / "page.css").read_text(encoding="utf-8")


def render_header() -> None:
    """The page's title line and the disclaimer (kept short: the figure must fit)."""
    st.markdown(f"<style>{_PAGE_CSS}</style>", unsafe_allow_html=True)
    st.markdown('<h1 class="bsa-title">Affected skin as a share of body surface</h1>',
                unsafe_allow_html=True)
    st.markdown(f'<div class="bsa-disclaimer">{html.escape(DISCLAIMER)}</div>',
                unsafe_allow_html=True)


# ----------------------------------------------------------------------------- figure


@st.cache_data(show_spinner=False)
def _figure_title(figure_id: str) -> str:
    from bsa.diagram import geometry as body_diagram

    return body_diagram.load_figure(figure_id).title.lower()


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


def _figure_notice(current: str, wanted: str) -> None:
    """Say why the figure does not match the age, with the two ways on, above the figure."""
    with st.container(key="bsa_figure_notice"):
        st.info(
            f"These marks were made on the **{_figure_title(current)}** figure; this age is "
            f"drawn on the **{_figure_title(wanted)}** figure. The total already uses this "
            "age's chart weights.",
            icon="\u2139\ufe0f",
        )
        a, b = st.columns(2, gap="small")
        a.button(f"Move the marks to the {_figure_title(wanted)} figure", key="figure_carry",
                 on_click=state.carry_marks_to, args=(wanted,), type="primary",
                 width="stretch",
                 help="Each half's paint goes to the same place in that half of the new "
                 "figure, covering the same share of it; typed shares stay as they are.")
        b.button(f"Clear them, use the {_figure_title(wanted)} figure",
                 key="figure_clear", on_click=state.clear_marks, args=(wanted,),
                 width="stretch")


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


def _layer_specs(marked: Marked) -> list[dict]:
    """Every layer of the page, in drawing order, with its name and look (for the body map).

    A do-not-apply area's look is its place among the areas with marks, as on the printed
    map; one not marked yet takes the next.
    """
    a = marked.assessment
    treat_all = a.treatment_area is None
    marked_reasons = [area.reason for area in a.avoid]
    empty_reasons = [r for r in st.session_state["avoid_reasons"] if r not in marked_reasons]
    specs = [{"id": state.AFFECTED, "kind": "affected", "title": "Affected skin",
              "short": "painted" if not a.has_layers else "affected skin",
              **layer_look("affected_alone" if treat_all else "affected")}]
    if not treat_all:
        specs.append({"id": state.APPLY, "kind": "apply", "title": "Apply this cream",
                      "short": "apply this cream", **layer_look("apply")})
    for n, zone in enumerate(st.session_state["zones"], start=1):
        name = zone["name"]
        title = f"Zone {n}" if name.strip().casefold() == f"zone {n}" else f"Zone {n}: {name}"
        specs.append({"id": state.zone_id(zone), "kind": "zone",
                      "title": title, "short": f"zone {n}",
                      **layer_look("zone", n - 1)})
    for reason in st.session_state["avoid_reasons"]:
        index = (marked_reasons.index(reason) if reason in marked_reasons
                 else len(marked_reasons) + empty_reasons.index(reason))
        specs.append({"id": state.avoid_id(reason), "kind": "avoid",
                      "title": f"Do not apply: {reason}", "short": f"do not apply: {reason}",
                      **layer_look("avoid", index)})
    return specs


def _avoid_reasons() -> list[str]:
    """The reasons the figure's switch offers: the usual ones, those typed, then "other"."""
    from bsa.records.layers import AVOID_REASONS

    usual = [r for r in AVOID_REASONS if r != "other"]
    typed = [r for r in st.session_state["avoid_reasons"] if r not in AVOID_REASONS]
    return [*usual, *typed, "other"]


def _current_layer_data(marked: Marked, layer: str) -> dict:
    """The layer being marked, as the body map reads it out: painted and typed halves, and
    each half's share (from the evaluation)."""
    ev = marked.evaluation
    marks = state.layer_marks(marked.assessment, layer)
    if marks is None:  # a do-not-apply area with nothing marked yet
        return {"painted": {}, "typed": {}, "shares": [0.0] * len(PART_NAMES)}
    painted = ev.layer_fractions(marks, typed=False)
    return {"painted": {i: float(p) for i, p in enumerate(painted) if p > 0},
            "typed": _typed_by_half(state.typed_of(layer)),
            "shares": [float(f) for f in ev.layer_fractions(marks)]}


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


def _render_totals(ev) -> None:
    """The total; with layers, the affected skin and the area to treat side by side."""
    total = ev.percent_bsa
    # The body map's toolbar announces the total (a live region that stays in the page);
    # this one is re-rendered on every change, so it is not live itself.
    treated = (f'<div class="bsa-total" data-testid="bsa-total" data-value="{total!r}">'
               f"{total:.1f}%</div>")
    if not ev.layered:
        st.markdown('<div class="bsa-line">Affected share of the body surface</div>' + treated,
                    unsafe_allow_html=True)
        return
    affected = ev.affected_percent_bsa
    st.markdown(
        '<div class="bsa-totals">'
        '<div class="bsa-total-box"><div class="bsa-line">Affected skin</div>'
        f'<div class="bsa-total bsa-total-affected" data-testid="bsa-affected-total" '
        f'data-value="{affected!r}">{affected:.1f}%</div></div>'
        '<div class="bsa-total-box"><div class="bsa-line">To treat with this cream</div>'
        f"{treated}</div></div>",
        unsafe_allow_html=True,
    )
    untreated = ev.untreated_affected_percent_bsa
    if untreated > 0:
        _line(f"Affected, not with this cream: {untreated:.1f}% of the body surface.")
    if ev.avoid:
        items = "".join(
            f'<li><span class="bsa-avoid-swatch" aria-hidden="true"></span>'
            f"Do not apply ({literal(area.reason)}): {html.escape(area.where)}, "
            f"{area.percent_bsa:.1f}% of the body surface</li>"
            for area in ev.avoid)
        st.markdown(f'<ul class="bsa-avoid" data-testid="bsa-avoid">{items}</ul>',
                    unsafe_allow_html=True)


def _render_results(marked: Marked) -> None:
    ev = marked.evaluation
    total = ev.percent_bsa
    _render_totals(ev)
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
    if ev.plan is not None:
        p = ev.plan
        _line(f"Cream with this plan (estimate): about <b>{p.grams_per_week:.0f} g</b> a week; "
              f"the largest application about <b>{p.amount.largest_application_grams:.1f} g"
              "</b>. Each day is under Treatment plan.")
    else:
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


# ----------------------------------------------------------------------------- fragment


def _start_again() -> None:
    for layer in state.layer_ids():
        state.set_typed(layer, {})
    state.clear_marks(None)


def _guarded(draw, *args, **kwargs) -> None:
    """Draw a part of the page; bad input becomes a message there, never a traceback."""
    try:
        draw(*args, **kwargs)
    except BSAInputError as exc:
        say(str(exc), "error")  # it may quote what was typed or read from a file


@st.fragment
def workspace() -> None:
    """The body map, the results beside it and the panel below (reruns on every stroke).

    Everything is drawn from :func:`webapp.state.current_assessment`, read from
    ``st.session_state`` in this run; nothing is passed in, since a fragment rerun would get
    the arguments of the last full run.
    """
    try:
        state.read_browser_marks()
    except BSAInputError as exc:
        say(f"What the figure sent could not be read: {exc}", "error")
    try:
        page_inputs = read_inputs()
        figure_id, wanted = _resolve_figure(page_inputs.age_years)
        marked = compute(state.current_assessment(), page_inputs)
        st.session_state["result_total"] = marked.evaluation.percent_bsa
    except BSAInputError as exc:
        say(str(exc), "error")
        st.button("Start again: clear the marks and typed shares", key="reset_marks",
                  on_click=_start_again)
        return
    if wanted is not None:
        _figure_notice(figure_id, wanted)
    ev = marked.evaluation
    layer = state.current_layer()
    with st.container(key="bsa_workspace"):
        left, right = st.columns([1.35, 1], gap="small")
        with left:
            _guarded(
                render_body_map,
                key=state.BODY_MAP_KEY,
                figure_id=figure_id,
                views=state.VIEWS,
                rev=st.session_state["map_rev"],
                restore={state.AFFECTED: st.session_state["map_restore"],
                         **st.session_state["layer_restore"]},
                names=_half_names(),
                total_text=f"{ev.percent_bsa:.1f}%",
                notice=wanted is not None,
                unsaved=state.unkept_marks(marked.assessment),
                on_change=lambda: None,
                layers=_layer_specs(marked),
                layer=layer,
                layer_ack=st.session_state["layer_seen"],
                reasons=_avoid_reasons(),
                layer_typed={lid: _typed_by_half(state.typed_of(lid))
                             for lid in state.layer_ids()},
                empty=not (state.has_marks() or any(state.typed_of(lid)
                                                    for lid in state.layer_ids())),
                **_current_layer_data(marked, layer),
            )
        with right, st.container(key="bsa_results"):
            _guarded(_render_results, marked)
    # One panel is always open: clicking the one shown does not close it (required=True).
    titles = list(PANELS)
    if st.session_state.get("panel") not in titles:
        st.session_state["panel"] = titles[0]
    panel = st.segmented_control("Show", titles, key="panel", required=True,
                                 label_visibility="collapsed")
    _guarded(PANELS.get(panel, PANELS[titles[0]]), marked)
