"""The palm-count panel: the patient's own hands as a cross-check of the map."""

from __future__ import annotations

import streamlit as st

from .. import state
from ..text import say

__all__ = ["render"]


def render(marked) -> None:
    """Draw the count fields and the evaluation's comparison (:attr:`bsa.Evaluation.palm`)."""
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
