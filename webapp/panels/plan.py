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

from bsa import i18n
from bsa.errors import BSAInputError
from bsa.i18n import week_order
from bsa.records.layers import MAX_ZONES, TIMES_OF_DAY, WEEKDAYS, Zone, reason_words
from bsa.treatment.plan import UNZONED_NAME, days_in_words, how_often

from .. import state
from ..body_map import layer_look
from ..gauge import STATES
from ..text import literal, say
from ..words import N_, _, page_language

__all__ = ["render"]

# TRANSLATORS: the times of day a zone's cream is applied (a list to choose from).
_TIME_WORDS = {"morning": N_("Morning"), "midday": N_("Midday"), "evening": N_("Evening"),
               "bedtime": N_("Bedtime")}
# TRANSLATORS: short names of the days of the week, beside a zone's tick boxes.
_DAY_SHORT = {"mon": N_("Mon"), "tue": N_("Tue"), "wed": N_("Wed"), "thu": N_("Thu"),
              "fri": N_("Fri"), "sat": N_("Sat"), "sun": N_("Sun")}


def _time_words(lang: str):
    """The times of day's ``format_func``: a time (stored as its id) in ``lang``, fixed when
    the widget is drawn (AppTest also calls it outside the script run)."""
    def shown(time: str) -> str:
        with i18n.language(lang):
            return i18n._(_TIME_WORDS[time])

    return shown


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
        st.session_state["plan_flash"] = _("A zone is used on at least one day: tick another "
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
        st.session_state["plan_flash"] = _("A plan has at most {max} zones: remove one to add "
                                            "another.").format(max=MAX_ZONES)


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
        _("Apply this cream to all the affected skin"), key="plan_treat_all",
        on_change=_treat_all_changed,
        help=_("On: the area to treat is the affected skin. Off: mark where to apply this "
               "cream with \u201cApply this cream\u201d in the figure's Marking switch; it "
               "starts as a copy of the affected skin, and its marks are kept if this is "
               "switched on again."))
    if ev.layered:
        # TRANSLATORS: keep the <b>...</b> tags around the numbers.
        words = _("Affected skin <b>{affected}%</b> of the body surface; to treat with this "
                  "cream <b>{treated}%</b>.").format(affected=f"{ev.affected_percent_bsa:.1f}",
                                                      treated=f"{ev.treated_percent_bsa:.1f}")
        st.markdown(f'<div class="bsa-line">{words}</div>', unsafe_allow_html=True)


def _avoid_areas(ev) -> None:
    st.markdown("**" + _("Do not apply") + "**")
    reasons = st.session_state["avoid_reasons"]
    if not reasons:
        st.caption(_("Choose \u201cDo not apply\u201d in the figure's Marking switch and a "
                     "reason (eyes, lips, broken skin, under occlusion, another treatment "
                     "here, or your own words), then mark where this cream must not go. It is "
                     "never part of the area to treat."))
        return
    by_reason = {area.reason: area for area in ev.avoid}
    for i, reason in enumerate(reasons):
        area = by_reason.get(reason)
        left, right = st.columns([3, 1], vertical_alignment="center")
        shown = literal(reason_words(reason))
        if area is None:
            words = _("Do not apply ({reason}): nothing marked yet.").format(reason=shown)
        else:
            words = _("Do not apply ({reason}): {where}, {percent}% of the body "
                      "surface.").format(reason=shown, where=html.escape(area.where),
                                         percent=f"{area.percent_bsa:.1f}")
        left.markdown(f'<div class="bsa-line"><span class="bsa-avoid-swatch" '
                      f'aria-hidden="true"></span>{words}</div>', unsafe_allow_html=True)
        right.button(_("Remove"), key=f"plan_avoid_remove_{i}", on_click=state.remove_avoid,
                     args=(reason,), help=_("Remove this do-not-apply area and its marks."))


def _zone_editor(n: int, zone: dict, marking: str) -> None:
    zid = zone["id"]
    look = layer_look("zone", n - 1)
    with st.container(border=True, key=f"plan_zone_{zid}"):
        being = marking == state.zone_id(zone)
        heading = (_("Zone {n} (being marked)").format(n=n) if being
                   else _("Zone {number}").format(number=n))
        st.markdown(f'<div class="bsa-line">{_swatch(look)}<b>{heading}</b></div>',
                    unsafe_allow_html=True)
        for field, default in (("name", zone["name"]), ("per_day", zone["per_day"]),
                               ("times", list(zone["times"]))):
            if f"zone_{zid}_{field}" not in st.session_state:
                st.session_state[f"zone_{zid}_{field}"] = default
        for day in WEEKDAYS:
            if f"zone_{zid}_days_{day}" not in st.session_state:
                st.session_state[f"zone_{zid}_days_{day}"] = day in zone["days"]
        st.text_input(_("Name of zone {n}").format(n=n), key=f"zone_{zid}_name", max_chars=80,
                      on_change=_zone_name_changed, args=(zid,),
                      help=_("Printed on the map as you type it; each zone has its own name."))
        typed = (st.session_state[f"zone_{zid}_name"] or "").strip()
        if typed != zone["name"]:
            say(_("Zone {n} keeps the name \u201c{name}\u201d until it is given a name no other "
                  "zone has. Saving and downloading are off until then.").format(
                n=n, name=zone["name"]), "error")
        days_used = html.escape(_("Days zone {n} is used").format(n=n))
        st.markdown(f'<div class="bsa-line">{days_used}</div>', unsafe_allow_html=True)
        with st.container(horizontal=True, gap="small", key=f"plan_zone_{zid}_days"):
            for day in week_order():
                st.checkbox(_(_DAY_SHORT[day]), key=f"zone_{zid}_days_{day}",
                            on_change=_zone_days_changed, args=(zid, day))
        left, right = st.columns(2)
        times = st.session_state[f"zone_{zid}_times"]
        left.number_input(
            _("Applications a day"), key=f"zone_{zid}_per_day", min_value=0.5, max_value=24.0,
            step=1.0, placeholder=_("as the label says"), disabled=bool(times),
            on_change=_zone_per_day_changed, args=(zid,),
            help=_("Empty: as often as the label says (twice a day without a label rule). "
                   "With times of day, one application at each."))
        right.multiselect(_("Times of day"), list(TIMES_OF_DAY), key=f"zone_{zid}_times",
                          format_func=_time_words(page_language()), on_change=_zone_times_changed,
                          args=(zid,), placeholder=_("not given"))
        a, b = st.columns(2)
        a.button(_("Mark zone {n} on the figure").format(n=n), key=f"plan_zone_{zid}_mark",
                 on_click=state.choose_layer, args=(state.zone_id(zone),), width="stretch",
                 disabled=being)
        b.button(_("Remove zone {n}").format(n=n), key=f"plan_zone_{zid}_remove",
                 on_click=state.remove_zone, args=(zid,), width="stretch",
                 help=_("Remove this zone and its marks."))


def _state_cell(area_state: str | None) -> str:
    if area_state is None:
        return html.escape(_("no area limit"))
    symbol, word, colour, _fill = STATES[area_state]
    return (f'<span style="color:{colour}" aria-hidden="true">{symbol}</span> '
            + html.escape(_(word)))


def _plan_tables(plan) -> None:
    rows = []
    for z in plan.zones:
        name = html.escape(_(UNZONED_NAME)) if z.unzoned else literal(z.name)
        rows.append(
            f"<tr><th scope=\"row\">{name}</th><td>{html.escape(z.where)}</td>"
            f"<td>{html.escape(days_in_words(z.days))}</td>"
            f"<td>{html.escape(how_often(z.applications_per_day, z.times))}</td>"
            f'<td class="num">{z.percent_bsa:.1f}%</td>'
            f'<td class="num">{z.grams_per_application:.1f} g</td></tr>')
    st.markdown(
        '<table class="bsa-plan-table" data-testid="bsa-plan-zones">'
        + _caption(_("The zones"))
        + _heads(_("Zone"), _("Where"), _("Days"), _("How often"), _("Area"), _("Each time"))
        + "<tbody>" + "".join(rows) + "</tbody></table>", unsafe_allow_html=True)
    limit = plan.area_limit_percent
    against = (_("Against the {limit}% area limit").format(limit=f"{limit:g}")
               if limit is not None else _("Against an area limit"))
    rows = []
    unzoned = {z.name for z in plan.zones if z.unzoned}
    for d in plan.days:
        zones = ", ".join(literal(_(z)) if z in unzoned else literal(z)
                          for z in d.zones) or html.escape(_("none"))
        rows.append(
            f"<tr><th scope=\"row\">{html.escape(d.name)}</th><td>{zones}</td>"
            f'<td class="num">{d.percent_bsa:.1f}%</td><td>{_state_cell(d.area_state)}</td>'
            f'<td class="num">{d.grams:.1f} g</td>'
            f'<td class="num">{d.largest_application_grams:.1f} g</td></tr>')
    st.markdown(
        '<table class="bsa-plan-table" data-testid="bsa-plan-days">'
        + _caption(_("Each day of the week"))
        + _heads(_("Day"), _("Zones"), _("Area"), against, _("Cream that day"),
                 _("Largest application"))
        + "<tbody>" + "".join(rows) + "</tbody></table>", unsafe_allow_html=True)


def _caption(text: str) -> str:
    return f"<caption>{html.escape(text)}</caption>"


def _heads(*names: str) -> str:
    """A table's head row: one column heading per name."""
    return ("<thead><tr>" + "".join(f'<th scope="col">{html.escape(n)}</th>' for n in names)
            + "</tr></thead>")


def _plan(ev) -> None:
    st.markdown("**" + _("The plan by day") + "**")
    plan = ev.plan
    if plan is None:
        st.caption(_("Add a zone to say which part of the area to treat is used on which days. "
                     "Without zones the whole area to treat is used every day, as the label "
                     "says."))
        return
    _plan_tables(plan)
    st.markdown('<ul class="bsa-limits">' + "".join(
        f"<li>{literal(line)}</li>" for line in plan.day_lines) + "</ul>",
        unsafe_allow_html=True)
    alerts = plan.alerts if len(plan.alerts) == len(plan.findings) else ()
    for i, finding in enumerate(plan.findings):
        above = alerts[i] if alerts else " above " in finding
        say(finding, "warning" if above else "info")
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
    st.markdown("**" + _("Zones") + "**")
    zones = st.session_state["zones"]
    marking = state.current_layer()
    if not zones:
        st.caption(_("A zone is a part of the area to treat used on given days of the week, a "
                     "given number of times a day. Add one, then mark it on the figure."))
    for n, zone in enumerate(zones, start=1):
        _zone_editor(n, zone, marking)
    st.button(_("Add a zone"), key="plan_add_zone", on_click=_add_zone,
              disabled=len(zones) >= MAX_ZONES,
              help=_("At most {max} zones. A new zone is used every day until you untick "
                     "days, and becomes the layer being marked.").format(max=MAX_ZONES))
    _plan(ev)
