"""What the page remembers between reruns, and the one assessment built from it.

All page state lives in ``st.session_state`` under the keys below; the functions here are the
only ones that change the marks, so the rules ("marks sent by the browser count only if they
were drawn on the current revision and figure") are in one place.

:func:`current_assessment` builds the :class:`bsa.records.assessment.Assessment` from
``st.session_state`` (the sidebar's fields, the notes, the marks, the typed shares). The page
calls it when it draws, and every button callback calls it at the moment of the click:
Streamlit applies the widgets' new values (including a field that still had the focus)
before it runs callbacks, so what is saved, downloaded or printed is what is on screen.
Values captured when the page was drawn (``args=`` of a button, ``data=`` of a download)
would be those from before the click.

Layers
------
The affected skin is ``"affected"`` (``map_masks`` and ``typed``, the marks a visit has always
had); the other layers (:mod:`bsa.records.layers`) are ``"apply"`` (the treatment area, used
while ``treat_all`` is off), ``"avoid:<reason>"`` (one do-not-apply area per reason) and
``"zone:<id>"``. Painting, erasing, filling, undo, clear and typed shares act on the layer
being marked. The browser sends every layer's marks in one payload (the affected skin at its
top level, as before, the others under ``layers``), under the same revision rules.

Keys
----
``map_figure``   the figure the marks are drawn on (str, or None before the first run)
``map_rev``      revision of the marks; bumped whenever the server replaces them
``map_masks``    {view: bool array (height, width)} the affected skin's painted marks, or {}
``map_restore``  {view: PNG data URL or None} what the browser redraws after a new revision
``map_seen``     (rev, seq) of the last browser payload read
``share_seen``   seq of the last share set with the keyboard on the figure
``typed``        {region or "region:side": fraction} the affected skin's typed shares
``layer_masks``  {layer id: {view: bool array}} the other layers' painted marks
``layer_typed``  {layer id: {region or "region:side": fraction}} their typed shares
``layer_restore``  {layer id: {view: PNG data URL or None}} as ``map_restore``, per layer
``map_layer``    the layer being marked (a layer id, below)
``layer_seen``   seq of the last choice of layer made on the figure
``treat_all``    True while the treatment area is the affected skin (``treatment_area=None``)
``avoid_reasons``  the do-not-apply areas, by reason, in the order they were made
``zones``        [{"id", "name", "days", "per_day", "times"}] the plan's zones, in order
``zone_next``    the number of the next zone id (ids are never reused)
``figure_choice``  what the user chose when the age asks for another figure
``notes``        the notes (the records panel's text field ``records_notes`` while it is shown)
``kept_fingerprint``  :func:`fingerprint` of the assessment last saved as a visit or
                 downloaded as a session file (the leave-page warning is off while it matches)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import numpy as np
import streamlit as st

from bsa.errors import BSAInputError

from . import body_map
from .words import N_, _, in_page_language, ngettext

__all__ = [
    "AFFECTED",
    "APPLY",
    "BODY_MAP_KEY",
    "VIEWS",
    "IncompleteInputs",
    "add_zone",
    "apply_assessment",
    "avoid_id",
    "carry_marks_to",
    "choose_layer",
    "clear_marks",
    "current_assessment",
    "current_layer",
    "current_notes",
    "fingerprint",
    "has_marks",
    "init_state",
    "layer_ids",
    "layer_marks",
    "mark_kept",
    "page_state_for",
    "read_browser_marks",
    "remove_avoid",
    "remove_zone",
    "set_marks",
    "set_treat_all",
    "set_typed",
    "set_typed_half",
    "typed_of",
    "unkept_marks",
    "zone_id",
]

#: The key of the body map component (its state is ``st.session_state[BODY_MAP_KEY]``).
BODY_MAP_KEY = "body_map"
#: The views drawn, left to right.
VIEWS = ("front", "back")
#: The layer ids of the affected skin and of the treatment area ("apply this cream").
AFFECTED = "affected"
APPLY = "apply"
_AVOID = "avoid:"
_ZONE = "zone:"
#: The views in words, for messages (bsa's words: :mod:`bsa.core.regions`).
_VIEW_WORDS = {"front": N_("front"), "back": N_("back")}

_DEFAULTS: dict[str, Any] = {
    "map_figure": None,
    "map_rev": 0,
    "map_masks": {},
    "map_restore": {},
    "map_seen": None,
    "share_seen": None,
    "typed": {},
    "figure_choice": None,
    "notes": "",
    "kept_fingerprint": None,
    "layer_masks": {},
    "layer_typed": {},
    "layer_restore": {},
    "map_layer": AFFECTED,
    "layer_seen": None,
    "treat_all": True,
    "avoid_reasons": [],
    "zones": [],
    "zone_next": 1,
}


class IncompleteInputs(BSAInputError):
    """A field on screen holds no valid value (an empty age, a height out of range)."""


def init_state() -> None:
    """Put the defaults into ``st.session_state`` once per browser session."""
    for key, value in _DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = value.copy() if isinstance(value, (dict, list)) else value


def has_marks() -> bool:
    """True when any pixel of any layer is painted on the figure."""
    if any(bool(m.any()) for m in st.session_state["map_masks"].values()):
        return True
    return any(bool(m.any()) for masks in st.session_state["layer_masks"].values()
               for m in masks.values())


# ----------------------------------------------------------------------------- layers


def avoid_id(reason: str) -> str:
    """The layer id of the do-not-apply area with this reason."""
    return _AVOID + reason


def zone_id(zone: Mapping[str, Any]) -> str:
    """The layer id of a zone (an item of ``st.session_state["zones"]``)."""
    return _ZONE + zone["id"]


def layer_ids() -> list[str]:
    """Every layer the page has, in drawing order: the affected skin, the treatment area
    (while it is not the affected skin), the zones, the do-not-apply areas."""
    ids = [AFFECTED]
    if not st.session_state["treat_all"]:
        ids.append(APPLY)
    ids.extend(zone_id(z) for z in st.session_state["zones"])
    ids.extend(avoid_id(r) for r in st.session_state["avoid_reasons"])
    return ids


def current_layer() -> str:
    """The layer being marked (the affected skin if the one chosen is gone)."""
    layer = st.session_state["map_layer"]
    return layer if layer in layer_ids() else AFFECTED


def _masks_of(layer: str) -> dict[str, np.ndarray]:
    if layer == AFFECTED:
        return st.session_state["map_masks"]
    return st.session_state["layer_masks"].get(layer, {})


def typed_of(layer: str) -> dict[str, float]:
    """The typed shares of one layer: region or half -> fraction."""
    if layer == AFFECTED:
        return dict(st.session_state["typed"])
    return dict(st.session_state["layer_typed"].get(layer, {}))


def set_typed(layer: str, typed: Mapping[str, float]) -> None:
    """Replace the typed shares of one layer (checked when the assessment is built)."""
    if layer == AFFECTED:
        st.session_state["typed"] = dict(typed)
        return
    every = dict(st.session_state["layer_typed"])
    every[layer] = dict(typed)
    st.session_state["layer_typed"] = every


def _has_any(layer: str) -> bool:
    return (any(bool(m.any()) for m in _masks_of(layer).values())
            or bool(typed_of(layer)))


@in_page_language  # a callback: the core's refusal of a reason in the page's language
def choose_layer(layer: Any) -> None:
    """Mark on another layer from now on.

    ``"apply"`` while the treatment area is the affected skin switches that off first
    (:func:`set_treat_all`); ``"avoid:<reason>"`` makes the do-not-apply area with that
    reason if there is none yet.

    Raises
    ------
    BSAInputError
        For a layer the page does not have, a reason the core refuses, or one do-not-apply
        area too many (nothing changes).
    """
    from bsa.records.layers import MAX_AVOID_AREAS, AvoidArea

    if not isinstance(layer, str):
        raise BSAInputError(_("the figure chose the layer {layer}, which is not a "
                              "layer").format(layer=repr(layer)))
    if layer == APPLY and st.session_state["treat_all"]:
        set_treat_all(False)
        return
    if layer.startswith(_AVOID):
        reason = layer[len(_AVOID):].strip() or "other"
        layer = avoid_id(reason)
        reasons = st.session_state["avoid_reasons"]
        if reason not in reasons:
            if len(reasons) >= MAX_AVOID_AREAS:
                raise BSAInputError(ngettext(
                    "at most {count} do-not-apply area is accepted: clear one in the {panel} "
                    "panel first",
                    "at most {count} do-not-apply areas are accepted: clear one in the {panel} "
                    "panel first", MAX_AVOID_AREAS).format(
                        count=MAX_AVOID_AREAS, panel=_("Treatment plan")))
            AvoidArea(reason=reason)  # the core's checks of a reason (raises if refused)
            st.session_state["avoid_reasons"] = [*reasons, reason]
    if layer not in layer_ids():
        raise BSAInputError(_("the figure chose the layer {layer}, which this page does not "
                              "have").format(layer=repr(layer)))
    st.session_state["map_layer"] = layer


def set_treat_all(on: bool) -> None:
    """Make the treatment area the affected skin (on), or a layer of its own (off).

    Switched off with an empty treatment area, the treatment area starts as a copy of the
    affected skin (marks and typed shares), so the total to treat does not jump, and it
    becomes the layer being marked; its marks are kept while it is switched on again.
    """
    read_browser_marks()
    on = bool(on)
    st.session_state["treat_all"] = on
    if on:
        if st.session_state["map_layer"] == APPLY:
            st.session_state["map_layer"] = AFFECTED
        return
    st.session_state["map_layer"] = APPLY
    if _has_any(APPLY):
        return
    set_typed(APPLY, typed_of(AFFECTED))
    copied = {view: np.array(m) for view, m in st.session_state["map_masks"].items()}
    if any(m.any() for m in copied.values()):
        every = dict(st.session_state["layer_masks"])
        every[APPLY] = copied
        _replace(st.session_state["map_figure"], st.session_state["map_masks"], every)


def remove_avoid(reason: str) -> None:
    """Remove a do-not-apply area and its marks."""
    read_browser_marks()
    layer = avoid_id(reason)
    st.session_state["avoid_reasons"] = [r for r in st.session_state["avoid_reasons"]
                                         if r != reason]
    _forget_layer(layer)


def add_zone() -> str | None:
    """Add a zone (every day, the label's frequency) and mark it from now on.

    Returns its id, or None when the plan already has the most zones the core accepts.
    """
    from bsa.records.layers import MAX_ZONES, WEEKDAYS

    zones = list(st.session_state["zones"])
    if len(zones) >= MAX_ZONES:
        return None
    n = st.session_state["zone_next"]
    taken = {z["name"].strip().casefold() for z in zones}
    k = len(zones) + 1
    while _zone_name(k).casefold() in taken:
        k += 1
    zone = {"id": f"z{n}", "name": _zone_name(k), "days": tuple(WEEKDAYS), "per_day": None,
            "times": ()}
    st.session_state["zones"] = [*zones, zone]
    st.session_state["zone_next"] = n + 1
    st.session_state["map_layer"] = zone_id(zone)
    return zone["id"]


def _zone_name(number: int) -> str:
    """A new zone's name (the user may change it), in the page's language."""
    # TRANSLATORS: the name a new zone of the treatment plan gets ("Zone 2"); it can be edited.
    return _("Zone {number}").format(number=number)


def remove_zone(zid: str) -> None:
    """Remove a zone and its marks."""
    read_browser_marks()
    st.session_state["zones"] = [z for z in st.session_state["zones"] if z["id"] != zid]
    for key in [k for k in st.session_state if str(k).startswith(f"zone_{zid}_")]:
        del st.session_state[key]
    _forget_layer(_ZONE + zid)


def _forget_layer(layer: str) -> None:
    """Drop a layer's marks; the browser redraws every layer (a new revision), so a
    payload drawn before cannot bring them back."""
    every = {k: v for k, v in st.session_state["layer_masks"].items() if k != layer}
    st.session_state["layer_typed"] = {k: v for k, v in st.session_state["layer_typed"].items()
                                       if k != layer}
    if st.session_state["map_layer"] == layer:
        st.session_state["map_layer"] = AFFECTED
    _replace(st.session_state["map_figure"], st.session_state["map_masks"], every)


@in_page_language
def read_browser_marks() -> None:
    """Take what the browser sent last: a choice of layer, a share set with the keyboard,
    the marks of every layer. A do-not-apply area left with nothing marked is then dropped
    (choosing a reason makes one; one never marked is not an area).

    Marks drawn on an older revision (before a load or a clear from the server) or on
    another figure are ignored: they would silently undo what the server just did. A layer
    the page no longer has is ignored too. A share (``{"part": "right_thigh:front", "share":
    0.3 or None, "layer": ..., "seq": ...}``) and a choice of layer (``{"id": ..., "seq":
    ...}``) are applied once.

    Raises
    ------
    BSAInputError
        If a payload cannot be read (the previous marks and shares are kept).
    """
    try:
        _read_browser()
    finally:
        _drop_empty_avoid()


def _drop_empty_avoid() -> None:
    """Forget the do-not-apply areas with no marks, but the one being marked. Done after the
    marks are read: a stroke and a change of layer may arrive together."""
    marking = st.session_state["map_layer"]
    reasons = st.session_state["avoid_reasons"]
    kept = [r for r in reasons if avoid_id(r) == marking or _has_any(avoid_id(r))]
    if kept != reasons:
        st.session_state["avoid_reasons"] = kept


def _read_browser() -> None:
    component = st.session_state.get(BODY_MAP_KEY)
    if not isinstance(component, Mapping):
        return
    _read_layer(component.get("layer"))
    _read_share(component.get("share"))
    marks = component.get("marks")
    if not isinstance(marks, Mapping):
        return
    seen = (marks.get("rev"), marks.get("seq"), marks.get("figure"))
    if seen == st.session_state["map_seen"]:
        return
    st.session_state["map_seen"] = seen
    if marks.get("rev") != st.session_state["map_rev"]:
        return
    if marks.get("figure") != st.session_state["map_figure"]:
        return
    masks = body_map.decode_marks(marks, VIEWS)
    layers = marks.get("layers") or {}
    if not isinstance(layers, Mapping):
        raise BSAInputError(_("the layers of the figure must arrive as a mapping"))
    every = dict(st.session_state["layer_masks"])
    restore = dict(st.session_state["layer_restore"])
    known = set(layer_ids())
    for layer, views in layers.items():
        if layer not in known or layer == AFFECTED:
            continue  # removed meanwhile
        if not isinstance(views, Mapping):
            raise BSAInputError(_("each layer of the figure must arrive as a mapping of views"))
        before, urls = restore.get(layer, {}), {view: views.get(view) for view in VIEWS}
        every[layer] = {
            view: (every[layer][view] if url == before.get(view) and view in every.get(layer, {})
                   else body_map.decode_view(url))  # unchanged: not decoded again
            for view, url in urls.items() if url is not None}
        restore[layer] = urls
    # Everything read: only now is anything replaced.
    st.session_state["map_masks"] = masks
    st.session_state["layer_masks"] = every
    st.session_state["layer_restore"] = restore
    # Echo the browser's own images back as the marks to redraw if the component is
    # remounted: no encoding on the server for a stroke.
    st.session_state["map_restore"] = {view: marks.get(view) for view in VIEWS}


def _read_layer(choice: Any) -> None:
    if not isinstance(choice, Mapping) or choice.get("seq") == st.session_state["layer_seen"]:
        return
    st.session_state["layer_seen"] = choice.get("seq")
    choose_layer(choice.get("id"))


def _read_share(share: Any) -> None:
    if not isinstance(share, Mapping) or share.get("seq") == st.session_state["share_seen"]:
        return
    st.session_state["share_seen"] = share.get("seq")
    layer = share.get("layer", AFFECTED)
    if layer not in layer_ids():
        return  # a layer removed meanwhile
    set_typed_half(share.get("part"), share.get("share"), layer)


def set_typed_half(part: Any, share: Any, layer: str = AFFECTED) -> None:
    """Set (or with None, forget) the typed share of one half of a layer, as the keyboard does.

    A whole region's typed share becomes one per half first, so the other half keeps it.

    Raises
    ------
    BSAInputError
        For a name that is not a half, or a share outside 0 to 1.
    """
    from bsa.core.regions import PART_INDEX, REGION_SIDES, parse_part

    if part not in PART_INDEX:
        raise BSAInputError(_("the figure sent a share for {part}, which is not a "
                              "half").format(part=repr(part)))
    if share is not None:
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not (
                0.0 <= share <= 1.0):
            raise BSAInputError(_("the figure sent the share {share}; a share is from 0 to "
                                  "1").format(share=repr(share)))
        share = float(share)
    region = parse_part(part)[0]
    typed = typed_of(layer)
    if region in typed:
        whole = typed.pop(region)
        typed.update({f"{region}:{side}": whole for side in REGION_SIDES[region]})
    if share is None:
        typed.pop(part, None)
    else:
        typed[part] = share
    set_typed(layer, typed)


def _checked(masks: Mapping[str, np.ndarray], what: str) -> dict[str, np.ndarray]:
    """Every view's mask as a bool array of the page's size (empty where none is given)."""
    checked = {}
    for view in VIEWS:
        mask = masks.get(view)
        if mask is None:
            mask = np.zeros((body_map.MAP_HEIGHT, body_map.MAP_WIDTH), dtype=bool)
        mask = np.asarray(mask, dtype=bool)
        if mask.shape != (body_map.MAP_HEIGHT, body_map.MAP_WIDTH):
            raise BSAInputError(
                _("the {view} marks of {what} are {width} x {height} pixels; this page draws "
                  "{page_width} x {page_height}").format(
                    view=_(_VIEW_WORDS[view]), what=what, width=mask.shape[1],
                    height=mask.shape[0], page_width=body_map.MAP_WIDTH,
                    page_height=body_map.MAP_HEIGHT))
        checked[view] = mask
    return checked


def _restore_urls(masks: Mapping[str, np.ndarray]) -> dict[str, str | None]:
    return {view: body_map.mask_png(m) if m.any() else None for view, m in masks.items()}


def _replace(figure_id: str | None, affected: Mapping[str, np.ndarray],
             layers: Mapping[str, Mapping[str, np.ndarray]], *,
             unchanged: frozenset[str] = frozenset()) -> None:
    """Replace the marks of every layer and have the browser redraw them (a new revision).

    Layers in ``unchanged`` keep the images the browser sent (nothing is encoded again).
    """
    checked = _checked(affected, _("the affected skin"))
    others = {layer: _checked(m, _("a layer")) for layer, m in layers.items()}
    old = st.session_state["layer_restore"]
    st.session_state["map_figure"] = figure_id
    st.session_state["map_masks"] = checked
    if AFFECTED not in unchanged:
        st.session_state["map_restore"] = _restore_urls(checked)
    st.session_state["layer_masks"] = others
    st.session_state["layer_restore"] = {
        layer: old[layer] if layer in unchanged and layer in old else _restore_urls(m)
        for layer, m in others.items()}
    st.session_state["map_rev"] += 1


def set_marks(figure_id: str | None, masks: Mapping[str, np.ndarray],
              layers: Mapping[str, Mapping[str, np.ndarray]] | None = None) -> None:
    """Replace the marks (after a load, a clear, or a change of figure) and redraw them.

    Parameters
    ----------
    figure_id : str or None
    masks : mapping of view to bool array
        The affected skin's painted marks.
    layers : mapping of layer id to (mapping of view to bool array), optional
        The other layers' painted marks; none given: none.
    """
    _replace(figure_id, masks, layers or {})


def carry_marks_to(figure_id: str) -> None:
    """Move the marks of every layer to another figure, each half's paint to the same place
    in that half (:func:`bsa.diagram.masks.carry_marks`); typed shares stay as they are."""
    from bsa.diagram.masks import carry_marks

    current = st.session_state["map_figure"]

    def carried(masks: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        painted = {view: m for view, m in masks.items() if m.any()}
        return carry_marks(painted, current, figure_id) if painted and current else {}

    _replace(figure_id, carried(st.session_state["map_masks"]),
             {layer: carried(m) for layer, m in st.session_state["layer_masks"].items()})


def clear_marks(figure_id: str | None) -> None:
    """Remove every painted mark of every layer and start on ``figure_id`` (typed shares,
    zones and do-not-apply reasons stay)."""
    st.session_state["map_figure"] = figure_id
    st.session_state["map_masks"] = {}
    st.session_state["map_restore"] = {}
    st.session_state["layer_masks"] = {}
    st.session_state["layer_restore"] = {}
    st.session_state["map_rev"] += 1


def figure_for(age_years: float) -> str:
    """The figure the page draws: where the marks are, or the one for this age if none."""
    from bsa.diagram import geometry as body_diagram

    current = st.session_state.get("map_figure")
    if current is not None and has_marks():
        return current
    return body_diagram.figure_for_age(age_years)


def current_notes() -> str:
    """The notes on screen: the records panel's field while it is shown, else the kept copy."""
    if "records_notes" in st.session_state:
        return st.session_state["records_notes"]
    return st.session_state.get("notes", "")


@in_page_language  # the core's refusals (a typed share out of range) in the page's language
def current_assessment(*, complete: bool = False):
    """The :class:`bsa.records.assessment.Assessment` of what is on screen, from ``st.session_state``.

    The one place the page's assessment is built: by the page when it draws, and by every
    button callback (save, prepare a download) at the moment of the click. It holds every
    layer: the treatment area (None while it is the affected skin), the do-not-apply areas
    with any marks, and the zones.

    Parameters
    ----------
    complete : bool
        For an action that keeps or hands over the assessment (save, download, print):
        refuse when a field on screen holds no valid value, instead of using the last
        valid age or leaving an invalid height out as the drawing does.

    Raises
    ------
    IncompleteInputs
        With ``complete=True``, when the age is missing or a field is invalid.
    BSAInputError
        When the browser's marks cannot be read, or a typed share is out of range.
    """
    from bsa.records.assessment import Assessment

    from .inputs import read_inputs

    init_state()
    read_browser_marks()  # marks sent with the click are not read by a script run yet
    inputs = read_inputs()
    problems = list(inputs.problems)
    zones = _current_zones(problems)
    if complete and problems:
        raise IncompleteInputs(" ".join(problems))
    return Assessment(
        age_years=inputs.age_years,
        chart=inputs.chart,
        age_mode=inputs.age_mode,
        rule_id=inputs.rule_id,
        figure_id=figure_for(inputs.age_years),
        masks=_painted(AFFECTED),
        shares=typed_of(AFFECTED),
        sex=inputs.sex,
        height_cm=inputs.height_cm,
        weight_kg=inputs.weight_kg,
        notes=current_notes(),
        palm_count=current_palms() or None,
        palm_with_fingers=bool(_kept("palm_fingers", True)),
        **_current_layers(zones),
    )


def _painted(layer: str) -> dict[str, np.ndarray]:
    return {view: m for view, m in _masks_of(layer).items() if m.any()}


def _current_layers(zones: list[dict[str, Any]]) -> dict[str, Any]:
    """The Assessment's layer fields from the page's layers (empty do-not-apply areas are
    left out: a reason chosen and never marked is not an area)."""
    from bsa.records.layers import AvoidArea, Marks, Zone

    treatment = (None if st.session_state["treat_all"] else
                 Marks(masks=_painted(APPLY), shares=typed_of(APPLY)))
    avoid = [AvoidArea(reason=r, masks=_painted(avoid_id(r)), shares=typed_of(avoid_id(r)))
             for r in st.session_state["avoid_reasons"] if _has_any(avoid_id(r))]
    planned = [Zone(name=z["name"], days=z["days"], applications_per_day=z["per_day"],
                    times=z["times"], masks=_painted(zone_id(z)), shares=typed_of(zone_id(z)))
               for z in zones]
    return {"treatment_area": treatment, "avoid": avoid, "zones": planned}


def zone_field(zone: Mapping[str, Any], field: str) -> Any:
    """A zone's field as on screen: its widget's value while the plan panel shows it (a
    name typed and not yet left counts), else the value kept."""
    key = f"zone_{zone['id']}_{field}"
    if field == "days":
        from bsa.records.layers import WEEKDAYS

        if not any(f"{key}_{d}" in st.session_state for d in WEEKDAYS):
            return tuple(zone["days"])
        return tuple(d for d in WEEKDAYS if st.session_state.get(f"{key}_{d}", d in zone["days"]))
    return st.session_state[key] if key in st.session_state else zone[field]


def _current_zones(problems: list[str]) -> list[dict[str, Any]]:
    """The zones as on screen; a name that is blank or another zone's, or no day ticked,
    is said in ``problems`` and the value kept is used meanwhile."""
    out, taken = [], set()
    for n, zone in enumerate(st.session_state["zones"], start=1):
        name = zone_field(zone, "name")
        name = name.strip() if isinstance(name, str) else ""
        if not name or name.casefold() in taken:
            problems.append(_("Zone {number} needs a name of its own.").format(number=n))
            name = zone["name"]
            if name.strip().casefold() in taken:
                # TRANSLATORS: a stand-in name while two zones have the same one ({id}: "z3").
                name = _("Zone {number} ({id})").format(number=n, id=zone["id"])
        taken.add(name.strip().casefold())
        days = zone_field(zone, "days")
        if not days:
            problems.append(_("Zone {number} needs at least one day.").format(number=n))
            days = tuple(zone["days"])
        times = tuple(zone_field(zone, "times") or ())
        per_day = None if times else zone_field(zone, "per_day")
        out.append({**zone, "name": name, "days": days, "times": times, "per_day": per_day})
    return out


def layer_marks(assessment, layer: str):
    """The marks of one page layer in ``assessment``: ``"affected"``, a
    :class:`bsa.records.layers.Marks`, or None when the layer has no marks there."""
    if layer == AFFECTED or (layer == APPLY and assessment.treatment_area is None):
        return AFFECTED
    if layer == APPLY:
        return assessment.treatment_area
    if layer.startswith(_AVOID):
        reason = layer[len(_AVOID):]
        return next((a for a in assessment.avoid if a.reason == reason), None)
    ids = [zone_id(z) for z in st.session_state["zones"]]
    if layer in ids and ids.index(layer) < len(assessment.zones):
        return assessment.zones[ids.index(layer)]
    return None


def _kept(key: str, default: Any) -> Any:
    """A widget's value, or the copy kept while its panel is not drawn."""
    if key in st.session_state:
        return st.session_state[key]
    return st.session_state.get(f"{key}_kept", default)


def current_palms() -> float:
    """The palm count on screen (0 when none was entered). [hands]"""
    value = _kept("palms", 0.0)
    return float(value) if value else 0.0


def keep(key: str) -> None:
    """Keep a copy of a widget's value: widgets not drawn in a run lose their state."""
    st.session_state[f"{key}_kept"] = st.session_state[key]


def keep_palm_widgets() -> None:
    """Put the kept palm count back into its widgets before they are drawn again."""
    for key, default in (("palms", 0.0), ("palm_fingers", True)):
        if key not in st.session_state:
            st.session_state[key] = st.session_state.get(f"{key}_kept", default)


def fingerprint(assessment, *extra: object) -> str:
    """A digest of every field of ``assessment`` (masks pixel by pixel, every layer) and
    of ``extra``.

    Two assessments have the same fingerprint exactly when they are equal; ``extra`` adds
    what else a file depends on (paper, date on the map).
    """
    plain = {name: getattr(assessment, name) for name in (
        "age_years", "chart", "age_mode", "rule_id", "figure_id", "sex", "height_cm",
        "weight_kg", "notes", "palm_count", "palm_with_fingers")}
    plain["treatment_area"] = assessment.treatment_area is not None
    digest = hashlib.sha256()
    digest.update(json.dumps([plain, sorted(assessment.shares.items()), [str(e) for e in extra]],
                             sort_keys=True).encode())

    def masks(tag: str, items: Mapping[str, np.ndarray]) -> None:
        for view in sorted(items):
            mask = np.asarray(items[view], dtype=bool)
            digest.update(f"|{tag}|{view}|{mask.shape}|".encode())
            digest.update(np.packbits(mask).tobytes())

    masks("affected", assessment.masks)
    layers = [("apply", {}, assessment.treatment_area)] if assessment.treatment_area else []
    layers += [("avoid", {"reason": a.reason}, a) for a in assessment.avoid]
    layers += [("zone", {"name": z.name, "days": list(z.days), "per_day": z.applications_per_day,
                         "times": list(z.times)}, z) for z in assessment.zones]
    for i, (kind, meta, layer) in enumerate(layers):
        tag = f"{kind}{i}"
        digest.update(json.dumps([tag, meta, sorted(layer.shares.items())],
                                 sort_keys=True).encode())
        masks(tag, layer.masks)
    return digest.hexdigest()


def mark_kept(key: str | None) -> None:
    """Note that the assessment with fingerprint ``key`` was saved or downloaded."""
    st.session_state["kept_fingerprint"] = key


def unkept_marks(assessment) -> bool:
    """True when something is marked or typed and this exact assessment was not kept yet."""
    if not assessment.masks and not assessment.shares and not assessment.has_layers:
        return False
    return fingerprint(assessment) != st.session_state.get("kept_fingerprint")


@in_page_language  # the core's words (a layer's name) and refusals in the page's language
def page_state_for(assessment) -> dict[str, Any]:
    """The session-state values that put ``assessment`` on the page; nothing is changed.

    Checks everything the page needs to show it (the core's checks, the size of the marks
    of every layer, one do-not-apply area per reason, a total that can be computed) before
    anything is touched, so a refused assessment changes nothing.

    Raises
    ------
    BSAInputError
        If the page cannot show it; the message says why.
    """
    from bsa.records.assessment import Assessment

    if not isinstance(assessment, Assessment):
        raise BSAInputError(_("not an assessment: {kind}").format(
            kind=type(assessment).__name__))
    years = float(assessment.age_years)
    whole = int(years)
    months = min(int(round((years - whole) * 12)), 11) if whole < 2 else 0
    layers: list[tuple[str, Any]] = [(AFFECTED, assessment)]
    if assessment.treatment_area is not None:
        layers.append((APPLY, assessment.treatment_area))
    reasons = [area.reason for area in assessment.avoid]
    twice = sorted({r for r in reasons if reasons.count(r) > 1})
    if twice:
        raise BSAInputError(_("this page shows one do-not-apply area per reason; there are "
                              "{count} for {reason}").format(count=reasons.count(twice[0]),
                                                             reason=repr(twice[0])))
    layers += [(avoid_id(area.reason), area) for area in assessment.avoid]
    zones = [{"id": f"z{n}", "name": z.name, "days": tuple(z.days),
              "per_day": z.applications_per_day, "times": tuple(z.times)}
             for n, z in enumerate(assessment.zones, start=1)]
    layers += [(zone_id(zd), z) for zd, z in zip(zones, assessment.zones, strict=True)]
    masks: dict[str, dict[str, np.ndarray]] = {}
    for layer, marks in layers:
        unknown = sorted(set(marks.masks) - set(VIEWS))
        if unknown:
            raise BSAInputError(_("this page draws the views {views}, not {view}").format(
                views=", ".join(_(_VIEW_WORDS[v]) for v in VIEWS), view=repr(unknown[0])))
        what = _("the affected skin") if layer == AFFECTED else marks.describe()
        masks[layer] = _checked(marks.masks, what)
    painted = any(m.any() for views in masks.values() for m in views.values())
    if painted and assessment.figure_id is None:
        raise BSAInputError(_("the marks do not say which figure they were painted on"))
    assessment.estimate()  # the total can be computed (raises BSAInputError if not)
    affected = masks.pop(AFFECTED)
    others = {layer: views for layer, views in masks.items()
              if any(m.any() for m in views.values())}
    return {
        "age_years_whole": whole,
        "age_months": months,
        "age_loaded": (years, whole, months),
        "age_last_valid": years,
        "chart": assessment.chart,
        "age_mode": assessment.age_mode,
        "rule_id": assessment.rule_id,
        "sex": assessment.sex,
        "height_cm": assessment.height_cm,
        "weight_kg": assessment.weight_kg,
        "notes": assessment.notes,
        "records_notes": assessment.notes,
        "typed": dict(assessment.shares),
        "map_figure": assessment.figure_id,
        "map_masks": affected if painted else {},
        "map_restore": _restore_urls(affected) if painted else {},
        "layer_masks": others,
        "layer_restore": {layer: _restore_urls(views) for layer, views in others.items()},
        "layer_typed": {layer: dict(marks.shares) for layer, marks in layers[1:]
                        if marks.shares},
        "treat_all": assessment.treatment_area is None,
        "avoid_reasons": reasons,
        "zones": zones,
        "zone_next": len(zones) + 1,
        "map_layer": AFFECTED,
        "figure_choice": None,
    }


def _widget_keys() -> list[str]:
    """The widget keys of the plan panel (zones, the treatment area toggle): forgotten when
    another assessment is put on the page, so they show its values."""
    return [k for k in st.session_state
            if str(k).startswith(("zone_", "plan_"))]


def apply_assessment(assessment) -> None:
    """Put a loaded :class:`bsa.records.assessment.Assessment` on the page, all or nothing.

    Everything is checked first (:func:`page_state_for`); a refused assessment raises
    before any widget value or mark is touched. Call before the sidebar widgets are created
    (the page does this at the top of a rerun).

    Raises
    ------
    BSAInputError
        If the page cannot show it (nothing on the page has changed).
    """
    values = page_state_for(assessment)
    for key in _widget_keys():
        del st.session_state[key]
    for key, value in values.items():
        st.session_state[key] = value
    st.session_state["map_rev"] += 1
