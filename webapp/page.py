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
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import streamlit as st

import bsa
from bsa import i18n
from bsa.core.regions import PART_INDEX, PART_NAMES, halves_of, region_label
from bsa.errors import BSAInputError
from bsa.evaluation import DISCLAIMER
from bsa.records.layers import reason_words
from bsa.treatment.label_rules import source_kind_words

from . import state
from .body_map import layer_look, render_body_map
from .gauge import STATES, gauge_html
from .inputs import PageInputs, read_inputs
from .panels import PANELS
from .text import literal, say
from .words import _, page_language, speaking

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
    title = html.escape(_("Affected skin as a share of body surface"))
    st.markdown(f'<h1 class="bsa-title">{title}</h1>', unsafe_allow_html=True)
    st.markdown(f'<div class="bsa-disclaimer">{html.escape(_(DISCLAIMER))}</div>',
                unsafe_allow_html=True)


# ----------------------------------------------------------------------------- figure


@st.cache_data(show_spinner=False)
def _figure_title_id(figure_id: str) -> str:
    """The figure's title as the data gives it (English, the message id)."""
    from bsa.diagram import geometry as body_diagram

    return body_diagram.load_figure(figure_id).title


def _figure_title(figure_id: str) -> str:
    """The figure's title inside a sentence, in the page's language ("child")."""
    return _(_figure_title_id(figure_id)).lower()


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
            _("These marks were made on the **{current}** figure; this age is drawn on the "
              "**{wanted}** figure. The total already uses this age's chart weights.").format(
                current=_figure_title(current), wanted=_figure_title(wanted)),
            icon="\u2139\ufe0f",
        )
        a, b = st.columns(2, gap="small")
        a.button(_("Move the marks to the {figure} figure").format(figure=_figure_title(wanted)),
                 key="figure_carry",
                 on_click=state.carry_marks_to, args=(wanted,), type="primary",
                 width="stretch",
                 help=_("Each half's paint goes to the same place in that half of the new "
                        "figure, covering the same share of it; typed shares stay as they "
                        "are."))
        b.button(_("Clear them, use the {figure} figure").format(figure=_figure_title(wanted)),
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
    # TRANSLATORS: the legend's name for the skin painted on the figure (no other layers).
    painted = _("painted")
    specs = [{"id": state.AFFECTED, "kind": "affected", "title": _("Affected skin"),
              "short": painted if not a.has_layers else _("affected skin"),
              **layer_look("affected_alone" if treat_all else "affected")}]
    if not treat_all:
        specs.append({"id": state.APPLY, "kind": "apply", "title": _("Apply this cream"),
                      "short": _("apply this cream"), **layer_look("apply")})
    for n, zone in enumerate(st.session_state["zones"], start=1):
        name = zone["name"]
        plain = _("Zone {number}").format(number=n)  # a new zone's name (webapp.state)
        default = name.strip().casefold() in {f"zone {n}", plain.casefold()}
        title = plain if default else _("Zone {n}: {name}").format(n=n, name=name)
        specs.append({"id": state.zone_id(zone), "kind": "zone",
                      "title": title, "short": _("zone {n}").format(n=n),
                      **layer_look("zone", n - 1)})
    for reason in st.session_state["avoid_reasons"]:
        index = (marked_reasons.index(reason) if reason in marked_reasons
                 else len(marked_reasons) + empty_reasons.index(reason))
        words = reason_words(reason)
        specs.append({"id": state.avoid_id(reason), "kind": "avoid",
                      "title": _("Do not apply: {reason}").format(reason=words),
                      "short": _("do not apply: {reason}").format(reason=words),
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
def _half_names(lang: str) -> list[str]:
    """Each half's name in ``lang`` (the page's language: a key of the cache)."""
    with i18n.language(lang):
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
        share = html.escape(_("Affected share of the body surface"))
        st.markdown(f'<div class="bsa-line">{share}</div>' + treated, unsafe_allow_html=True)
        return
    affected = ev.affected_percent_bsa
    affected_words = html.escape(_("Affected skin"))
    treated_words = html.escape(_("To treat with this cream"))
    st.markdown(
        '<div class="bsa-totals">'
        f'<div class="bsa-total-box"><div class="bsa-line">{affected_words}</div>'
        f'<div class="bsa-total bsa-total-affected" data-testid="bsa-affected-total" '
        f'data-value="{affected!r}">{affected:.1f}%</div></div>'
        f'<div class="bsa-total-box"><div class="bsa-line">{treated_words}</div>'
        f"{treated}</div></div>",
        unsafe_allow_html=True,
    )
    untreated = ev.untreated_affected_percent_bsa
    if untreated > 0:
        _line(html.escape(_("Affected, not with this cream: {percent}% of the body "
                            "surface.").format(percent=f"{untreated:.1f}")))
    if ev.avoid:
        template = _("Do not apply ({reason}): {where}, {percent}% of the body surface")
        items = "".join(
            '<li><span class="bsa-avoid-swatch" aria-hidden="true"></span>'
            + template.format(reason=literal(area.reason_text or area.reason),
                              where=html.escape(area.where), percent=f"{area.percent_bsa:.1f}")
            + "</li>"
            for area in ev.avoid)
        st.markdown(f'<ul class="bsa-avoid" data-testid="bsa-avoid">{items}</ul>',
                    unsafe_allow_html=True)


def _render_results(marked: Marked) -> None:
    ev = marked.evaluation
    total = ev.percent_bsa
    _render_totals(ev)
    if ev.treated_cm2 is not None:
        # TRANSLATORS: keep the <b>...</b> tags around the area.
        _line(_("about <b>{cm2} cm\u00b2</b> of a body surface of {m2} m\u00b2 (Mosteller)").format(
            cm2=f"{ev.treated_cm2:,.0f}", m2=f"{ev.body_surface_m2:.2f}"))
    rng = ev.range
    if total > 0 and len(rng.charts) > 1:
        _line(f'<span data-testid="bsa-range">{html.escape(rng.sentence)}</span>')
    if ev.chart_caution:
        say(ev.chart_caution, "warning")
    rc = ev.rule_check
    if rc is None:
        st.caption(_("No label rule chosen: the total is shown without a comparison."))
    else:
        _render_check(ev)
    _render_amount(ev)
    _render_scores(ev)
    st.caption(_("{chart}, age {age} ({reading}).").format(
        chart=ev.estimate.chart_title, age=ev.age_text, reading=ev.estimate.age_reading))


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
        symbol, _word, colour, _fill = STATES.get(s.state, ("\u2022", "", "#444444", ""))
        extra = ""
        reached = s.reached_at_percent_bsa
        if (s.binding and s.limit.kind != "percent_bsa" and reached is not None
                and reached != float("inf")):
            # TRANSLATORS: keep the <b>...</b> tags.
            extra = " " + _("<b>Reached first:</b> at about {percent}% of body surface marked "
                            "in this pattern.").format(percent=f"{reached:.1f}")
        items.append(f'<li data-state="{s.state}"><span style="color:{colour}" '
                     f'aria-hidden="true">{symbol}</span> {html.escape(s.text)}{extra}</li>')
    if items:
        st.markdown('<ul class="bsa-limits">' + "".join(items) + "</ul>",
                    unsafe_allow_html=True)
    rule = rc.rule
    _line(html.escape(_("{jurisdiction} label, revision {revision}; read in {where}.").format(
        jurisdiction=rule.jurisdiction, revision=rule.revision_words,
        where=source_kind_words(rule.source_kind))))


def _render_amount(ev) -> None:
    m = ev.amount
    if ev.percent_bsa <= 0:
        return
    if ev.plan is not None:
        p = ev.plan
        # TRANSLATORS: keep the <b>...</b> tags; "Treatment plan" is the name of a panel.
        _line(_("Cream with this plan (estimate): about <b>{week} g</b> a week; the largest "
                "application about <b>{largest} g</b>. Each day is under Treatment plan.").format(
            week=f"{p.grams_per_week:.0f}", largest=f"{p.amount.largest_application_grams:.1f}"))
    elif m.fingertip_units_per_application is None:
        # TRANSLATORS: keep the <b>...</b> tags.
        _line(_("Cream (estimate): about <b>{grams} g</b> per application, <b>{week} g</b> a "
                "week.").format(grams=f"{m.grams_per_application:.1f}",
                                week=f"{m.grams_per_week:.0f}"))
    else:
        # TRANSLATORS: keep the <b>...</b> tags.
        _line(_("Cream (estimate): about <b>{grams} g</b> per application ({units} fingertip "
                "units), <b>{week} g</b> a week.").format(
            grams=f"{m.grams_per_application:.1f}",
            units=f"{m.fingertip_units_per_application:.1f}", week=f"{m.grams_per_week:.0f}"))
    with st.expander(_("Amount of cream: how it is estimated")):
        if m.grams_per_application_measured is not None:
            lo, hi = m.grams_per_application_measured
            st.markdown(_("With the measured fingertip units (0.43 g women, 0.49 g men) the "
                          "same area takes {low}\u2013{high} g per application.").format(
                low=f"{lo:.1f}", high=f"{hi:.1f}"))
        st.markdown("\n".join(f"- {html.escape(a)}" for a in m.assumptions))


def _render_scores(ev) -> None:
    cells = ", ".join(
        f"{html.escape(_(s['label']))} <b>{s['area_score']}</b>" for s in ev.easi.values()
    )
    title = html.escape(_("EASI area score 0-6 per region (Hanifin 2001): share of the region "
                          "affected, 1 = 1-9%, 2 = 10-29% ... 6 = 90-100%"))
    words = _("EASI area scores (0\u20136): {scores}; VASI hand units {units}").format(
        scores=cells, units=f"{ev.vasi_hand_units:.1f}")
    st.markdown(f'<div class="bsa-line" title="{title}">{words}</div>', unsafe_allow_html=True)


# ----------------------------------------------------------------------------- fragment


def _shown_in(lang: str) -> Callable[[str], str]:
    """A ``format_func`` that shows an option (its English name, a message id) in ``lang``.

    The language is fixed when the widget is drawn: Streamlit's AppTest also calls
    ``format_func`` outside the script run, where the page's language cannot be read.
    """
    def shown(option: str) -> str:
        with i18n.language(lang):
            return i18n._(option)

    return shown


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
    the arguments of the last full run. It runs in the page's language
    (:func:`webapp.words.speaking`): the evaluation's words and those the package adds
    while the page renders it (region names, the rule's title) are in that language.
    """
    with speaking():
        _workspace()


def _workspace() -> None:
    try:
        state.read_browser_marks()
    except BSAInputError as exc:
        say(_("What the figure sent could not be read: {error}").format(error=exc), "error")
    try:
        page_inputs = read_inputs()
        figure_id, wanted = _resolve_figure(page_inputs.age_years)
        marked = compute(state.current_assessment(), page_inputs)
        st.session_state["result_total"] = marked.evaluation.percent_bsa
    except BSAInputError as exc:
        say(str(exc), "error")
        st.button(_("Start again: clear the marks and typed shares"), key="reset_marks",
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
                names=_half_names(page_language()),
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
    # TRANSLATORS: the (hidden) label of the row of panel names under the figure.
    panel = st.segmented_control(_("Show"), titles, key="panel", required=True,
                                 format_func=_shown_in(page_language()),
                                 label_visibility="collapsed")
    _guarded(PANELS.get(panel, PANELS[titles[0]]), marked)
