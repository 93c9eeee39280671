"""The treatment plan panel: where to apply this cream, where not, and on which days.

- The treatment area: the affected skin (on by default, as before layers) or a layer of its
  own, marked with "Apply this cream" in the figure's Marking switch.
- The do-not-apply areas, each with its reason (marked with "Do not apply" and a reason in the
  switch), each with its area from the evaluation; any can be removed.
- The zones: add, rename and remove them (a name no other zone has, at most
  :data:`bsa.records.layers.MAX_ZONES`), tick the days of the week, give the applications a
  day or the times of day; each is a layer of marks ("Zone N" in the switch).
- The plan by day from the evaluation (:attr:`bsa.Evaluation.plan`): each zone, each day
  against the label's area limit and the cream it takes, the days in words, what the plan
  means against the label.

Every number comes from the evaluation; the widgets only change the page's layers
(:mod:`webapp.state`). Zone names and reasons are the clinician's words, shown literally
(:func:`webapp.text.literal`). Widget keys start with ``plan_`` or ``zone_<id>_``; a zone's
values are kept in ``st.session_state["zones"]`` while the panel is not shown.
"""

from __future__ import annotations

import html

import streamlit as st

from bsa.errors import BSAInputError
from bsa.records.layers import MAX_ZONES, TIMES_OF_DAY, WEEKDAYS, Zone
from bsa.treatment.plan import days_in_words, how_often

from .. import state
from ..body_map import layer_look
from ..gauge import STATES
from ..text import literal, say

__all__ = ["render"]

_TIME_WORDS = {"morning": "Morning", "midday": "Midday", "evening": "Evening",
               "bedtime": "Bedtime"}
_DAY_SHORT = {"mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri",
              "sat": "Sat", "sun": "Sun"}


# ----------------------------------------------------------------------------- callbacks


def _treat_all_changed() -> None:
    state.set_treat_all(st.session_state["plan_treat_all"])


def _update_zone(zid: str, **changes) -> None:
    st.session_state["zones"] = [{**z, **changes} if z["id"] == zid else z
                                 for z in st.session_state["zones"]]


def _zone_name_changed(zid: str) -> None:
    """Keep a name no other zone has; any other stays on screen, said, until corrected."""
    value = (st.session_state[f"zone_{zid}_name"] or "").strip()
    others = {z["name"].strip().casefold() for z in st.session_state["zones"] if z["id"] != zid}
    if not value or value.casefold() in others:
        return
    try:
        Zone(name=value)  # the core's checks of a name
    except BSAInputError:
        return
    _update_zone(zid, name=value)


def _zone_days_changed(zid: str, day: str) -> None:
    days = tuple(d for d in WEEKDAYS if st.session_state.get(f"zone_{zid}_days_{d}"))
    if not days:
        st.session_state[f"zone_{zid}_days_{day}"] = True
        st.session_state["plan_flash"] = ("A zone is used on at least one day: tick another "
                                          "day before this one is unticked.")
        return
    _update_zone(zid, days=days)


def _zone_per_day_changed(zid: str) -> None:
    _update_zone(zid, per_day=st.session_state[f"zone_{zid}_per_day"])


def _zone_times_changed(zid: str) -> None:
    chosen = st.session_state[f"zone_{zid}_times"] or ()
    _update_zone(zid, times=tuple(t for t in TIMES_OF_DAY if t in chosen))


def _add_zone() -> None:
    if state.add_zone() is None:
        st.session_state["plan_flash"] = (f"A plan has at most {MAX_ZONES} zones: remove one "
                                          "to add another.")


# ----------------------------------------------------------------------------- parts


_TEXTURE_CSS = {  # a zone's white texture (webapp.body_map.ZONE_TEXTURES), as CSS
    "|": "repeating-linear-gradient(90deg, #fffd 0 1.5px, transparent 1.5px 5px)",
    "-": "repeating-linear-gradient(0deg, #fffd 0 1.5px, transparent 1.5px 5px)",
    "/": "repeating-linear-gradient(-45deg, #fffd 0 1.5px, transparent 1.5px 5px)",
    "\\": "repeating-linear-gradient(45deg, #fffd 0 1.5px, transparent 1.5px 5px)",
    "+": ("repeating-linear-gradient(90deg, #fffd 0 1.5px, transparent 1.5px 5px), "
          "repeating-linear-gradient(0deg, #fffd 0 1.5px, transparent 1.5px 5px)"),
    ".": "radial-gradient(#fffd 1.2px, transparent 1.5px) 0 0 / 5px 5px",
    "o": "radial-gradient(transparent 1px, #fffd 1.3px, transparent 2.2px) 0 0 / 6px 6px",
}


def _swatch(look: dict) -> str:
    """A small square in a layer's look (solid colour, or hatched), for the words beside it."""
    if look["style"] == "solid":
        texture = _TEXTURE_CSS.get(look["hatch"])
        background = f"{texture}, {look['colour']}" if texture else look["colour"]
    else:
        background = (f"repeating-linear-gradient(45deg, {look['colour']} 0 1.5px, "
                      "#fff 1.5px 4px)")
    return (f'<span class="bsa-swatch" aria-hidden="true" style="background:{background};'
            f'opacity:0.85;border:1.5px solid {look["colour"]}"></span>')


def _treatment_area(ev) -> None:
    st.session_state["plan_treat_all"] = st.session_state["treat_all"]
    st.toggle(
        "Apply this cream to all the affected skin", key="plan_treat_all",
        on_change=_treat_all_changed,
        help="On: the area to treat is the affected skin. Off: mark where to apply this "
        "cream with \u201cApply this cream\u201d in the figure's Marking switch; it starts as "
        "a copy of the affected skin, and its marks are kept if this is switched on again.")
    if ev.layered:
        st.markdown(
            f'<div class="bsa-line">Affected skin <b>{ev.affected_percent_bsa:.1f}%</b> of '
            f"the body surface; to treat with this cream <b>{ev.treated_percent_bsa:.1f}%"
            "</b>.</div>", unsafe_allow_html=True)


def _avoid_areas(ev) -> None:
    st.markdown("**Do not apply**")
    reasons = st.session_state["avoid_reasons"]
    if not reasons:
        st.caption("Choose \u201cDo not apply\u201d in the figure's Marking switch and a "
                   "reason (eyes, lips, broken skin, under occlusion, another treatment here, "
                   "or your own words), then mark where this cream must not go. It is never "
                   "part of the area to treat.")
        return
    by_reason = {area.reason: area for area in ev.avoid}
    for i, reason in enumerate(reasons):
        area = by_reason.get(reason)
        left, right = st.columns([3, 1], vertical_alignment="center")
        if area is None:
            words = f"Do not apply ({literal(reason)}): nothing marked yet."
        else:
            words = (f"Do not apply ({literal(reason)}): {html.escape(area.where)}, "
                     f"{area.percent_bsa:.1f}% of the body surface.")
        left.markdown(f'<div class="bsa-line"><span class="bsa-avoid-swatch" '
                      f'aria-hidden="true"></span>{words}</div>', unsafe_allow_html=True)
        right.button("Remove", key=f"plan_avoid_remove_{i}", on_click=state.remove_avoid,
                     args=(reason,), help="Remove this do-not-apply area and its marks.")


def _zone_editor(n: int, zone: dict, marking: str) -> None:
    zid = zone["id"]
    look = layer_look("zone", n - 1)
    with st.container(border=True, key=f"plan_zone_{zid}"):
        being = marking == state.zone_id(zone)
        heading = f"Zone {n} (being marked)" if being else f"Zone {n}"
        st.markdown(f'<div class="bsa-line">{_swatch(look)}<b>{heading}</b></div>',
                    unsafe_allow_html=True)
        for field, default in (("name", zone["name"]), ("per_day", zone["per_day"]),
                               ("times", list(zone["times"]))):
            if f"zone_{zid}_{field}" not in st.session_state:
                st.session_state[f"zone_{zid}_{field}"] = default
        for day in WEEKDAYS:
            if f"zone_{zid}_days_{day}" not in st.session_state:
                st.session_state[f"zone_{zid}_days_{day}"] = day in zone["days"]
        st.text_input(f"Name of zone {n}", key=f"zone_{zid}_name", max_chars=80,
                      on_change=_zone_name_changed, args=(zid,),
                      help="Printed on the map as you type it; each zone has its own name.")
        typed = (st.session_state[f"zone_{zid}_name"] or "").strip()
        if typed != zone["name"]:
            say(f"Zone {n} keeps the name \u201c{zone['name']}\u201d until it is given a name no "
                "other zone has. Saving and downloading are off until then.", "error")
        st.markdown(f'<div class="bsa-line">Days zone {n} is used</div>',
                    unsafe_allow_html=True)
        with st.container(horizontal=True, gap="small", key=f"plan_zone_{zid}_days"):
            for day in WEEKDAYS:
                st.checkbox(_DAY_SHORT[day], key=f"zone_{zid}_days_{day}",
                            on_change=_zone_days_changed, args=(zid, day))
        left, right = st.columns(2)
        times = st.session_state[f"zone_{zid}_times"]
        left.number_input(
            "Applications a day", key=f"zone_{zid}_per_day", min_value=0.5, max_value=24.0,
            step=1.0, placeholder="as the label says", disabled=bool(times),
            on_change=_zone_per_day_changed, args=(zid,),
            help="Empty: as often as the label says (twice a day without a label rule). "
            "With times of day, one application at each.")
        right.multiselect("Times of day", list(TIMES_OF_DAY), key=f"zone_{zid}_times",
                          format_func=_TIME_WORDS.get, on_change=_zone_times_changed,
                          args=(zid,), placeholder="not given")
        a, b = st.columns(2)
        a.button(f"Mark zone {n} on the figure", key=f"plan_zone_{zid}_mark",
                 on_click=state.choose_layer, args=(state.zone_id(zone),), width="stretch",
                 disabled=being)
        b.button(f"Remove zone {n}", key=f"plan_zone_{zid}_remove", on_click=state.remove_zone,
                 args=(zid,), width="stretch", help="Remove this zone and its marks.")


def _state_cell(area_state: str | None) -> str:
    if area_state is None:
        return "no area limit"
    symbol, word, colour, _ = STATES[area_state]
    return (f'<span style="color:{colour}" aria-hidden="true">{symbol}</span> '
            f"{html.escape(word)}")


def _plan_tables(plan) -> None:
    rows = []
    for z in plan.zones:
        name = "the rest of the area to treat" if z.unzoned else literal(z.name)
        rows.append(
            f"<tr><th scope=\"row\">{name}</th><td>{html.escape(z.where)}</td>"
            f"<td>{html.escape(days_in_words(z.days))}</td>"
            f"<td>{html.escape(how_often(z.applications_per_day, z.times))}</td>"
            f'<td class="num">{z.percent_bsa:.1f}%</td>'
            f'<td class="num">{z.grams_per_application:.1f} g</td></tr>')
    st.markdown(
        '<table class="bsa-plan-table" data-testid="bsa-plan-zones"><caption>The zones'
        "</caption><thead><tr><th scope=\"col\">Zone</th><th scope=\"col\">Where</th>"
        '<th scope="col">Days</th><th scope="col">How often</th>'
        '<th scope="col">Area</th><th scope="col">Each time</th></tr></thead><tbody>'
        + "".join(rows) + "</tbody></table>", unsafe_allow_html=True)
    limit = plan.area_limit_percent
    against = (f"Against the {limit:g}% area limit" if limit is not None
               else "Against an area limit")
    rows = []
    for d in plan.days:
        zones = ", ".join(literal(z) for z in d.zones) or "none"
        rows.append(
            f"<tr><th scope=\"row\">{html.escape(d.name)}</th><td>{zones}</td>"
            f'<td class="num">{d.percent_bsa:.1f}%</td><td>{_state_cell(d.area_state)}</td>'
            f'<td class="num">{d.grams:.1f} g</td>'
            f'<td class="num">{d.largest_application_grams:.1f} g</td></tr>')
    st.markdown(
        '<table class="bsa-plan-table" data-testid="bsa-plan-days"><caption>Each day of the '
        "week</caption><thead><tr><th scope=\"col\">Day</th><th scope=\"col\">Zones</th>"
        f'<th scope="col">Area</th><th scope="col">{html.escape(against)}</th>'
        '<th scope="col">Cream that day</th><th scope="col">Largest application</th></tr>'
        "</thead><tbody>" + "".join(rows) + "</tbody></table>", unsafe_allow_html=True)


def _plan(ev) -> None:
    st.markdown("**The plan by day**")
    plan = ev.plan
    if plan is None:
        st.caption("Add a zone to say which part of the area to treat is used on which days. "
                   "Without zones the whole area to treat is used every day, as the label says.")
        return
    _plan_tables(plan)
    st.markdown('<ul class="bsa-limits">' + "".join(
        f"<li>{literal(line)}</li>" for line in plan.day_lines) + "</ul>",
        unsafe_allow_html=True)
    for finding in plan.findings:
        say(finding, "warning" if " above " in finding else "info")
    for note in plan.notes:
        say(note, "caption")


# ----------------------------------------------------------------------------- panel


def render(marked) -> None:
    """Draw the treatment area switch, the do-not-apply areas, the zones and the plan."""
    ev = marked.evaluation
    flash = st.session_state.pop("plan_flash", None)
    if flash:
        say(flash, "warning")
    _treatment_area(ev)
    _avoid_areas(ev)
    st.markdown("**Zones**")
    zones = st.session_state["zones"]
    marking = state.current_layer()
    if not zones:
        st.caption("A zone is a part of the area to treat used on given days of the week, a "
                   "given number of times a day. Add one, then mark it on the figure.")
    for n, zone in enumerate(zones, start=1):
        _zone_editor(n, zone, marking)
    st.button("Add a zone", key="plan_add_zone", on_click=_add_zone,
              disabled=len(zones) >= MAX_ZONES,
              help=f"At most {MAX_ZONES} zones. A new zone is used every day until you untick "
              "days, and becomes the layer being marked.")
    _plan(ev)
