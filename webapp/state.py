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

Keys
----
``map_figure``   the figure the marks are drawn on (str, or None before the first run)
``map_rev``      revision of the marks; bumped whenever the server replaces them
``map_masks``    {view: bool array (height, width)} the marks the totals use, or {}
``map_restore``  {view: PNG data URL or None} what the browser redraws after a new revision
``map_seen``     (rev, seq) of the last browser payload read
``share_seen``   seq of the last share set with the keyboard on the figure
``typed``        {region or "region:side": fraction} typed shares (override the painting)
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

__all__ = [
    "BODY_MAP_KEY",
    "VIEWS",
    "IncompleteInputs",
    "apply_assessment",
    "carry_marks_to",
    "clear_marks",
    "current_assessment",
    "current_notes",
    "fingerprint",
    "has_marks",
    "init_state",
    "mark_kept",
    "page_state_for",
    "read_browser_marks",
    "set_marks",
    "set_typed_half",
    "unkept_marks",
]

#: The key of the body map component (its state is ``st.session_state[BODY_MAP_KEY]``).
BODY_MAP_KEY = "body_map"
#: The views drawn, left to right.
VIEWS = ("front", "back")

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
}


class IncompleteInputs(BSAInputError):
    """A field on screen holds no valid value (an empty age, a height out of range)."""


def init_state() -> None:
    """Put the defaults into ``st.session_state`` once per browser session."""
    for key, value in _DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = value.copy() if isinstance(value, dict) else value


def has_marks() -> bool:
    """True when any pixel is painted on the figure."""
    return any(bool(m.any()) for m in st.session_state["map_masks"].values())


def read_browser_marks() -> None:
    """Take what the browser sent last: the marks, and a share set with the keyboard.

    Marks drawn on an older revision (before a load or a clear from the server) or on
    another figure are ignored: they would silently undo what the server just did. A share
    (``{"part": "right_thigh:front", "share": 0.3 or None, "seq": ...}``) is applied once.

    Raises
    ------
    BSAInputError
        If a payload cannot be read (the previous marks and shares are kept).
    """
    component = st.session_state.get(BODY_MAP_KEY)
    if not isinstance(component, Mapping):
        return
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
    st.session_state["map_masks"] = masks
    # Echo the browser's own images back as the marks to redraw if the component is
    # remounted: no encoding on the server for a stroke.
    st.session_state["map_restore"] = {view: marks.get(view) for view in VIEWS}


def _read_share(share: Any) -> None:
    if not isinstance(share, Mapping) or share.get("seq") == st.session_state["share_seen"]:
        return
    st.session_state["share_seen"] = share.get("seq")
    set_typed_half(share.get("part"), share.get("share"))


def set_typed_half(part: Any, share: Any) -> None:
    """Set (or with None, forget) the typed share of one half, as the keyboard does.

    A whole region's typed share becomes one per half first, so the other half keeps it.

    Raises
    ------
    BSAInputError
        For a name that is not a half, or a share outside 0 to 1.
    """
    from bsa.core.regions import PART_INDEX, REGION_SIDES, parse_part

    if part not in PART_INDEX:
        raise BSAInputError(f"the figure sent a share for {part!r}, which is not a half")
    if share is not None:
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not (
                0.0 <= share <= 1.0):
            raise BSAInputError(f"the figure sent the share {share!r}; a share is from 0 to 1")
        share = float(share)
    region, _ = parse_part(part)
    typed = dict(st.session_state["typed"])
    if region in typed:
        whole = typed.pop(region)
        typed.update({f"{region}:{side}": whole for side in REGION_SIDES[region]})
    if share is None:
        typed.pop(part, None)
    else:
        typed[part] = share
    st.session_state["typed"] = typed


def set_marks(figure_id: str | None, masks: Mapping[str, np.ndarray]) -> None:
    """Replace the marks (after a load, a clear, or a change of figure) and redraw them."""
    checked = {}
    for view in VIEWS:
        mask = masks.get(view)
        if mask is None:
            mask = np.zeros((body_map.MAP_HEIGHT, body_map.MAP_WIDTH), dtype=bool)
        mask = np.asarray(mask, dtype=bool)
        if mask.shape != (body_map.MAP_HEIGHT, body_map.MAP_WIDTH):
            raise BSAInputError(
                f"the {view} marks are {mask.shape[1]} x {mask.shape[0]} pixels; this page "
                f"draws {body_map.MAP_WIDTH} x {body_map.MAP_HEIGHT}"
            )
        checked[view] = mask
    st.session_state["map_figure"] = figure_id
    st.session_state["map_masks"] = checked
    st.session_state["map_restore"] = {
        view: body_map.mask_png(m) if m.any() else None for view, m in checked.items()
    }
    st.session_state["map_rev"] += 1


def carry_marks_to(figure_id: str) -> None:
    """Move the marks to another figure, each half's paint to the same place in that half
    (:func:`bsa.diagram.masks.carry_marks`); typed shares stay as they are."""
    from bsa.diagram.masks import carry_marks

    masks = {view: m for view, m in st.session_state["map_masks"].items() if m.any()}
    current = st.session_state["map_figure"]
    set_marks(figure_id, carry_marks(masks, current, figure_id) if masks and current else {})


def clear_marks(figure_id: str | None) -> None:
    """Remove every mark and start on ``figure_id``."""
    st.session_state["map_figure"] = figure_id
    st.session_state["map_masks"] = {}
    st.session_state["map_restore"] = {}
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


def current_assessment(*, complete: bool = False):
    """The :class:`bsa.records.assessment.Assessment` of what is on screen, from ``st.session_state``.

    The one place the page's assessment is built: by the page when it draws, and by every
    button callback (save, prepare a download) at the moment of the click.

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
    if complete and inputs.problems:
        raise IncompleteInputs(" ".join(inputs.problems))
    masks = {view: m for view, m in st.session_state["map_masks"].items() if m.any()}
    return Assessment(
        age_years=inputs.age_years,
        chart=inputs.chart,
        age_mode=inputs.age_mode,
        rule_id=inputs.rule_id,
        figure_id=figure_for(inputs.age_years),
        masks=masks,
        shares=dict(st.session_state["typed"]),
        sex=inputs.sex,
        height_cm=inputs.height_cm,
        weight_kg=inputs.weight_kg,
        notes=current_notes(),
        palm_count=current_palms() or None,
        palm_with_fingers=bool(_kept("palm_fingers", True)),
    )


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
    """A digest of every field of ``assessment`` (masks pixel by pixel) and of ``extra``.

    Two assessments have the same fingerprint exactly when they are equal; ``extra`` adds
    what else a file depends on (paper, date on the map).
    """
    plain = {name: getattr(assessment, name) for name in (
        "age_years", "chart", "age_mode", "rule_id", "figure_id", "sex", "height_cm",
        "weight_kg", "notes")}
    digest = hashlib.sha256()
    digest.update(json.dumps([plain, sorted(assessment.shares.items()), [str(e) for e in extra]],
                             sort_keys=True).encode())
    for view in sorted(assessment.masks):
        mask = np.asarray(assessment.masks[view], dtype=bool)
        digest.update(f"|{view}|{mask.shape}|".encode())
        digest.update(np.packbits(mask).tobytes())
    return digest.hexdigest()


def mark_kept(key: str | None) -> None:
    """Note that the assessment with fingerprint ``key`` was saved or downloaded."""
    st.session_state["kept_fingerprint"] = key


def unkept_marks(assessment) -> bool:
    """True when something is marked or typed and this exact assessment was not kept yet."""
    if not assessment.masks and not assessment.shares:
        return False
    return fingerprint(assessment) != st.session_state.get("kept_fingerprint")


def page_state_for(assessment) -> dict[str, Any]:
    """The session-state values that put ``assessment`` on the page; nothing is changed.

    Checks everything the page needs to show it (the core's checks, the size of the marks,
    a total that can be computed) before anything is touched, so a refused assessment
    changes nothing.

    Raises
    ------
    BSAInputError
        If the page cannot show it; the message says why.
    """
    from bsa.records.assessment import Assessment

    if not isinstance(assessment, Assessment):
        raise BSAInputError(f"not an assessment: {type(assessment).__name__}")
    years = float(assessment.age_years)
    whole = int(years)
    months = min(int(round((years - whole) * 12)), 11) if whole < 2 else 0
    unknown = sorted(set(assessment.masks) - set(VIEWS))
    if unknown:
        raise BSAInputError(f"this page draws the views {', '.join(VIEWS)}, not {unknown[0]!r}")
    masks = {}
    for view in VIEWS:
        mask = assessment.masks.get(view)
        if mask is None:
            mask = np.zeros((body_map.MAP_HEIGHT, body_map.MAP_WIDTH), dtype=bool)
        mask = np.asarray(mask, dtype=bool)
        if mask.shape != (body_map.MAP_HEIGHT, body_map.MAP_WIDTH):
            raise BSAInputError(
                f"the {view} marks are {mask.shape[1]} x {mask.shape[0]} pixels; this page "
                f"draws {body_map.MAP_WIDTH} x {body_map.MAP_HEIGHT}"
            )
        masks[view] = mask
    painted = any(m.any() for m in masks.values())
    if painted and assessment.figure_id is None:
        raise BSAInputError("the marks do not say which figure they were painted on")
    assessment.estimate()  # the total can be computed (raises BSAInputError if not)
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
        "map_masks": masks if painted else {},
        "map_restore": ({view: body_map.mask_png(m) if m.any() else None
                         for view, m in masks.items()} if painted else {}),
        "figure_choice": None,
    }


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
    for key, value in values.items():
        st.session_state[key] = value
    st.session_state["map_rev"] += 1
