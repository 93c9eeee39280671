"""What the page remembers between reruns: the marks, the figure they are on, typed shares.

All page state lives in ``st.session_state`` under the keys below; the functions here are the
only ones that change the marks, so the rules ("marks sent by the browser count only if they
were drawn on the current revision and figure") are in one place.

Keys
----
``map_figure``   the figure the marks are drawn on (str, or None before the first run)
``map_rev``      revision of the marks; bumped whenever the server replaces them
``map_masks``    {view: bool array (height, width)} the marks the totals use, or {}
``map_restore``  {view: PNG data URL or None} what the browser redraws after a new revision
``map_seen``     (rev, seq) of the last browser payload read
``typed``        {region or "region:side": fraction} typed shares (override the painting)
``figure_choice``  what the user chose when the age asks for another figure
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import streamlit as st

from bsa.errors import BSAInputError

from . import body_map

__all__ = [
    "BODY_MAP_KEY",
    "VIEWS",
    "apply_assessment",
    "clear_marks",
    "has_marks",
    "init_state",
    "read_browser_marks",
    "set_marks",
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
    "typed": {},
    "figure_choice": None,
}


def init_state() -> None:
    """Put the defaults into ``st.session_state`` once per browser session."""
    for key, value in _DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = value.copy() if isinstance(value, dict) else value


def has_marks() -> bool:
    """True when any pixel is painted on the figure."""
    return any(bool(m.any()) for m in st.session_state["map_masks"].values())


def read_browser_marks() -> None:
    """Take the marks the browser sent last, if they are new and drawn on the current figure.

    A payload drawn on an older revision (before a load or a clear from the server) or on
    another figure is ignored: it would silently undo what the server just did.

    Raises
    ------
    BSAInputError
        If the payload cannot be read (the previous marks are kept).
    """
    component = st.session_state.get(BODY_MAP_KEY)
    marks = component.get("marks") if isinstance(component, Mapping) else None
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


def clear_marks(figure_id: str | None) -> None:
    """Remove every mark and start on ``figure_id``."""
    st.session_state["map_figure"] = figure_id
    st.session_state["map_masks"] = {}
    st.session_state["map_restore"] = {}
    st.session_state["map_rev"] += 1


def apply_assessment(assessment) -> None:
    """Put a loaded :class:`bsa.records.session.Assessment` on the page (inputs, marks, typed shares).

    Call before the sidebar widgets are created (the page does this at the top of a rerun).
    """
    years = float(assessment.age_years)
    whole = int(years)
    st.session_state["age_years_whole"] = whole
    months = min(int(round((years - whole) * 12)), 11) if whole < 2 else 0
    st.session_state["age_months"] = months
    st.session_state["age_loaded"] = (years, whole, months)
    st.session_state["chart"] = assessment.chart
    st.session_state["age_mode"] = assessment.age_mode
    st.session_state["rule_id"] = assessment.rule_id
    st.session_state["sex"] = assessment.sex
    st.session_state["height_cm"] = assessment.height_cm
    st.session_state["weight_kg"] = assessment.weight_kg
    st.session_state["notes"] = assessment.notes
    st.session_state["typed"] = dict(assessment.shares)
    if assessment.masks:
        set_marks(assessment.figure_id, assessment.masks)
    else:
        clear_marks(assessment.figure_id)
    st.session_state["figure_choice"] = None
