"""The page: the body map beside the live results, and the panels below them.

Everything that depends on the marks runs inside one :func:`streamlit.fragment`, so a stroke
reruns only this part of the page (the sidebar inputs rerun the whole page). Every number
comes from :mod:`bsa`: the page decodes the marks, reads each half's painted fraction with
:func:`bsa.diagram.masks.half_fractions`, applies the typed shares, and asks :func:`bsa.estimate`,
:mod:`bsa.treatment.label_rules`, :mod:`bsa.treatment.cream_amount` and :mod:`bsa.treatment.skin_scores` for the rest.
The page draws from the one :class:`bsa.records.session.Assessment` that
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
from bsa.core.charts import describe_age
from bsa.core.regions import PART_INDEX, PART_NAMES, REGION_SIDES, REGIONS, parse_part, region_label
from bsa.errors import BSAInputError

from . import state
from .body_map import render_body_map
from .gauge import gauge_html
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

DISCLAIMER = (
    "A discussion aid, not medical advice. The numbers are estimates from the marks and a "
    "published chart; the decision about treatment is made with your doctor."
)

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
    """What the page shows: the inputs, the marks' fractions and the core's estimate.

    Attributes
    ----------
    inputs : PageInputs
    figure_id : str
        The figure the marks are on.
    masks : dict of str to ndarray of bool
        The painted masks (may be empty).
    shares : dict of str to float
        Typed shares: region or ``"region:side"`` -> fraction; they override the painting.
    painted : ndarray, shape (33,)
        Each half's painted fraction (:func:`bsa.diagram.masks.half_fractions`). [1]
    fractions : ndarray, shape (33,)
        The painting with the typed shares applied: what the total uses. [1]
    estimate : bsa.Estimate
    assessment : bsa.records.session.Assessment
        All of the above as one assessment (what is saved, downloaded and printed).
    """

    inputs: PageInputs
    figure_id: str
    masks: dict
    shares: dict
    painted: np.ndarray
    fractions: np.ndarray
    estimate: object
    assessment: object = None

    def __getattr__(self, name):  # age_years, chart, rule_id, ... straight from the inputs
        if name == "inputs":  # not set yet (copy, pickle): no endless recursion
            raise AttributeError(name)
        return getattr(self.inputs, name)


def compute(assessment, inputs: PageInputs | None = None) -> Marked:
    """Every number the page shows, from the assessment on screen, with :mod:`bsa`.

    Parameters
    ----------
    assessment : bsa.records.session.Assessment
        From :func:`webapp.state.current_assessment`.
    inputs : PageInputs, optional
        The sidebar's values (with what is missing on screen); made from the assessment if
        not given.
    """
    if inputs is None:
        inputs = PageInputs(
            age_years=assessment.age_years, chart=assessment.chart,
            age_mode=assessment.age_mode, rule_id=assessment.rule_id, sex=assessment.sex,
            height_cm=assessment.height_cm, weight_kg=assessment.weight_kg,
        )
    painted = assessment.painted_fractions()
    fractions = assessment.half_fractions()
    return Marked(inputs, assessment.figure_id, dict(assessment.masks), dict(assessment.shares),
                  painted, fractions, assessment.estimate(), assessment)


def build_assessment(marked: Marked):
    """The :class:`bsa.records.session.Assessment` the page drew (``marked.assessment``)."""
    return marked.assessment


@st.cache_data(show_spinner=False, max_entries=64)
def _region_weights(age: float, chart: str, age_mode: str) -> np.ndarray:
    return np.asarray(bsa.region_weights(age, chart=chart, age_mode=age_mode), dtype=float)


@st.cache_data(show_spinner=False, max_entries=64)
def _half_names() -> list[str]:
    names = []
    for name in PART_NAMES:
        region, side = parse_part(name)
        names.append(f"{region_label(region)} ({side})")
    return names


def _typed_by_half(typed: Mapping[str, float]) -> dict[int, float]:
    """Typed shares per half index (a whole region's share applies to each of its halves)."""
    out = {}
    for name, share in typed.items():
        region, side = parse_part(name)
        value = float(share)
        if not 0.0 <= value <= 1.0:
            raise BSAInputError(f"the typed share of {name!r} must be from 0 to 1, got {share!r}")
        for s in (side,) if side else REGION_SIDES[region]:
            out[PART_INDEX[f"{region}:{s}"]] = value
    return out


# ----------------------------------------------------------------------------- results


def _render_results(marked, estimate) -> None:
    total = float(estimate.percent_bsa)
    st.markdown(
        '<div class="bsa-line">Affected share of the body surface</div>'
        f'<div class="bsa-total" data-testid="bsa-total" data-value="{total!r}" '
        f'aria-live="polite" aria-label="{total:.1f}% of the body surface">{total:.1f}%</div>',
        unsafe_allow_html=True,
    )
    if marked.height_cm is not None and marked.weight_kg is not None:
        m2 = bsa.body_surface_area(marked.weight_kg, marked.height_cm)
        cm2 = bsa.percent_to_cm2(total, m2)
        st.markdown(
            f'<div class="bsa-line">about <b>{cm2:,.0f} cm\u00b2</b> of a body surface of '
            f"{m2:.2f} m\u00b2 (Mosteller)</div>",
            unsafe_allow_html=True,
        )
    if marked.rule_id is None:
        st.caption("No label rule chosen: the total is shown without a comparison.")
    else:
        _render_check(marked, total)
    _render_scores(marked)
    st.caption(
        f"{estimate.chart_title}, age {describe_age(marked.age_years)} ({estimate.age_reading})."
    )


def _render_check(marked, total: float) -> None:
    from bsa.treatment import label_rules

    check = label_rules.check(total, marked.age_years, marked.rule_id)
    st.markdown(
        gauge_html(total, check.limit_percent, check.area_state, check.near_from_percent,
                   check.headline, check.age_eligible),
        unsafe_allow_html=True,
    )
    rule = check.rule
    secondary = " (secondary source)" if rule.source_kind == "secondary" else ""
    st.markdown(
        f'<div class="bsa-line">Margin <b>{check.margin_points:+.1f}</b> points '
        f"({100 * check.share_of_limit:.0f}% of the {check.limit_percent:g}% limit). "
        f"{html.escape(rule.jurisdiction)} label, revision {html.escape(rule.label_revision)}"
        f"{secondary}.</div>",
        unsafe_allow_html=True,
    )
    _render_amount(marked)


@st.cache_data(show_spinner=False)
def _ftu_grams_by_sex() -> dict[str, float]:
    from bsa.data import load_json

    measured = load_json("fingertip_units.json")["fingertip_unit"]["grams_measured"]
    return {"male": float(measured["men"]), "female": float(measured["women"])}


def _render_amount(marked) -> None:
    from bsa.treatment import cream_amount

    from .gauge import STATES

    amount = cream_amount.estimate_amount(
        marked.fractions, marked.age_years, marked.rule_id,
        ftu_grams=_ftu_grams_by_sex().get(marked.sex), chart=marked.chart,
        age_mode=marked.age_mode,
    )
    if amount.percent_bsa <= 0:
        return
    text = (f"Cream (estimate): about <b>{amount.grams_per_application:.1f} g</b> per "
            f"application, <b>{amount.grams_per_week:.0f} g</b> a week")
    if amount.cap_comparisons:
        c = amount.cap_comparisons[0]
        symbol, word, colour, _ = STATES[c.state]
        text = (f'<span style="color:{colour}" aria-hidden="true">{symbol}</span> {text}: '
                f"<b>{word.lower()}</b> the cap of {html.escape(c.limit.words)} "
                f"({100 * c.share_of_limit:.0f}%)")
        if amount.cap is not None and amount.cap.source_kind == "secondary":
            text += " [cap from a secondary source, not the label]"
    elif marked.rule_id is not None:
        text += "; the label states no amount cap for this age"
    st.markdown(f'<div class="bsa-line">{text}.</div>', unsafe_allow_html=True)
    with st.expander("Amount of cream: details and assumptions"):
        st.markdown("\n".join(f"- {html.escape(line.strip())}"
                              for line in amount.to_text().splitlines()
                              if line.strip() and line.strip() != "Assumptions:"))


def _render_scores(marked) -> None:
    from bsa.treatment import skin_scores

    scores = skin_scores.easi_area_scores(
        marked.fractions, marked.age_years, chart=marked.chart,
        age_mode=marked.age_mode,
    )
    cells = ", ".join(
        f"{html.escape(s['label'])} <b>{s['area_score']}</b>" for s in scores.values()
    )
    st.markdown(
        f'<div class="bsa-line" title="EASI area score 0-6 per region (Hanifin 2001): share '
        f'of the region affected, 1 = 1-9%, 2 = 10-29% ... 6 = 90-100%">EASI area scores '
        f"(0\u20136): {cells}</div>",
        unsafe_allow_html=True,
    )


# ----------------------------------------------------------------------------- panels


def _render_breakdown(marked, estimate) -> None:
    weights = _region_weights(marked.age_years, marked.chart, marked.age_mode)
    rows = ["| Region | Weight at this age | Affected share | Contribution |",
            "|---|---:|---:|---:|"]
    typed_regions = {parse_part(n)[0] for n in marked.shares}
    for i, region in enumerate(REGIONS):
        contribution = float(estimate.by_region[region])
        share = contribution / weights[i] if weights[i] > 0 else 0.0
        if contribution <= 0:
            continue
        how = " (typed)" if region in typed_regions else ""
        rows.append(
            f"| {region_label(region)}{how} | {weights[i]:.2f}% | {100 * share:.1f}% "
            f"| {contribution:.2f}% |"
        )
    if len(rows) == 2:
        st.caption("Nothing marked yet: paint on the figure, fill a region, or type shares.")
        return
    rows.append(f"| **Total** | 100% | | **{float(estimate.percent_bsa):.2f}%** |")
    st.markdown("\n".join(rows))


def _typed_changed(region: str) -> None:
    value = st.session_state[f"share_{region}"]
    typed = {k: v for k, v in st.session_state["typed"].items()
             if parse_part(k)[0] != region}
    if value is not None:
        typed[region] = float(value) / 100.0
    st.session_state["typed"] = typed


def _half_or_region_label(name: str) -> str:
    region, side = parse_part(name)
    return region_label(region) + (f" ({side})" if side else "")


def _forget_typed() -> None:
    st.session_state["typed"] = {}


def _render_type_shares(marked, estimate) -> None:
    st.caption(
        "Set the affected share of any region with the keyboard; it replaces the painting "
        "for that region and shows hatched on the figure with its percentage. Regions you "
        "have not typed show what the painting gives."
    )
    weights = _region_weights(marked.age_years, marked.chart, marked.age_mode)
    columns = st.columns(4)
    for i, region in enumerate(REGIONS):
        key = f"share_{region}"
        share = float(estimate.by_region[region]) / weights[i] if weights[i] > 0 else 0.0
        shown = round(100.0 * share, 1)
        if st.session_state.get(key) != shown:
            st.session_state[key] = shown
        columns[i % 4].number_input(
            f"{region_label(region)} [%]",
            min_value=0.0, max_value=100.0, step=5.0, format="%.1f", key=key,
            on_change=_typed_changed, args=(region,),
            help=f"Weight of this region at this age: {weights[i]:.2f}% of body surface.",
        )
    if marked.shares:
        typed_words = ", ".join(
            f"{_half_or_region_label(name)} {100 * share:.0f}%" for name, share in marked.shares.items()
        )
        st.markdown(f"\u270e Typed (used instead of the painting): {typed_words}.")
        st.button("Use the painting for every region (forget typed shares)",
                  on_click=_forget_typed, key="forget_typed")


def _keep(key: str) -> None:
    st.session_state[f"{key}_kept"] = st.session_state[key]


def _render_palms(marked, estimate) -> None:
    st.caption(
        "A cross-check: how many of the patient's own hands (palm with fingers) would cover "
        "the affected skin?"
    )
    # Widgets not drawn in a run lose their state: keep the count while other panels show.
    for key, default in (("palms", 0.0), ("palm_fingers", True)):
        if key not in st.session_state:
            st.session_state[key] = st.session_state.get(f"{key}_kept", default)
    a, b = st.columns([1, 2])
    palms = a.number_input("Hands counted", min_value=0.0, max_value=200.0, step=0.5,
                           key="palms", on_change=_keep, args=("palms",))
    fingers = a.checkbox("Palm with fingers", key="palm_fingers", on_change=_keep,
                         args=("palm_fingers",))
    if not palms:
        b.caption("Enter a count to compare it with the map.")
        return
    result = bsa.palm_method(palms, marked.age_years, include_fingers=fingers)
    total = float(estimate.percent_bsa)
    low = min(result.low_percent, result.percent_bsa)
    high = max(result.high_percent, result.percent_bsa)
    agree = low <= total <= high
    b.markdown(
        f"Palm count: **{result.percent_bsa:.1f}%** by convention; the studies' hand sizes "
        f"give {result.low_percent:.1f}% to {result.high_percent:.1f}%. The map gives "
        f"**{total:.1f}%**: "
        + ("within that span." if agree else
           f"{abs(total - result.percent_bsa):.1f} points from the count, outside that span: "
           "worth a second look at the marks or the count.")
    )
    b.caption(result.note + " Sources: " + "; ".join(result.sources))


def _render_label(marked) -> None:
    from bsa.treatment import label_rules

    if marked.rule_id is None:
        st.caption("No label rule chosen.")
        return
    rule = label_rules.load_rule(marked.rule_id)
    check = label_rules.check(0.0, marked.age_years, marked.rule_id)
    secondary = " **(secondary source: not the label text)**" if rule.source_kind == "secondary" else ""
    # Quote only the source's own words; a paraphrase is said to be one.
    area = (f"> {rule.area_text}" if rule.area_text_verbatim
            else f"In other words (not the label's own wording): {rule.area_text}")
    indication = (f"\u201c{rule.indication_text}\u201d" if rule.indication_text_verbatim
                  else f"{rule.indication_text} (paraphrase)")
    st.markdown(
        f"**{rule.title}**, ages {rule.age_range_text}, up to {rule.max_percent_bsa:g}% of "
        f"body surface, {rule.frequency_text}.\n\n"
        f"{area}\n\n"
        f"Indication: {indication}\n\n"
        f"Source: {rule.source_text()}{secondary}"
    )
    cap = rule.amount_cap_for(marked.age_years)
    if cap is not None:
        kind = " **(secondary source: not the label text)**" if cap.source_kind == "secondary" else ""
        words = (f"\u201c{cap.label_text}\u201d" if cap.label_text_verbatim
                 else f"{cap.label_text} (paraphrase)")
        st.markdown(f"Amount for ages {cap.age_group}: {words} (section {cap.section}){kind}")
    for note in check.notes:
        st.caption(note)
    st.markdown("**To confirm with the doctor**\n\n" + "\n".join(f"- {q}" for q in rule.questions))
    if rule.boxed_warning:
        st.markdown(f"**Boxed warning:** {rule.boxed_warning}")


def _render_method(marked, estimate) -> None:
    chart = bsa.load_chart(marked.chart)
    status = chart.status
    st.markdown(
        "**How the estimate is made.** Each region's affected share (the painted pixels of "
        "that region on the figure, or the share you typed) is multiplied by the region's "
        "percentage of body surface at this age in the chart, and the products are added. "
        "A region's drawn size on the figure never changes its weight; paint outside the "
        "body does not count. The numbers are computed on the server by the `bsa` package, "
        "the same code the command line uses.\n\n"
        f"**Chart:** {chart.title} ({status} source): {chart.source.get('citation', '')}\n\n"
        f"**Age reading:** {estimate.age_reading}."
    )
    for convention in chart.conventions:
        st.caption(convention)
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
        estimate = marked.estimate
        painted = marked.painted
        st.session_state["result_total"] = float(estimate.percent_bsa)
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
        _guarded(_render_results, marked, estimate)
    panel = st.segmented_control("Show", PANELS, default=PANELS[0], key="panel",
                                 label_visibility="collapsed")
    try:
        if panel == "Breakdown":
            _render_breakdown(marked, estimate)
        elif panel == "Type shares":
            _render_type_shares(marked, estimate)
        elif panel == "Palm count":
            _render_palms(marked, estimate)
        elif panel == "Label and questions":
            _render_label(marked)
        elif panel == "How this is estimated":
            _render_method(marked, estimate)
        elif panel == "Save, print, history":
            _render_records(marked)
    except BSAInputError as exc:
        say(str(exc), "error")
