"""The palm-count panel: the patient's own hands as a cross-check of the map."""

from __future__ import annotations

import streamlit as st

from .. import state
from ..text import say
from ..words import _

__all__ = ["render"]


def render(marked) -> None:
    """Draw the count fields and the evaluation's comparison (:attr:`bsa.Evaluation.palm`)."""
    st.caption(
        _("A cross-check: how many of the patient's own hands (palm with fingers) would cover "
          "the affected skin?")
    )
    state.keep_palm_widgets()
    a, b = st.columns([1, 2])
    a.number_input(_("Hands counted"), min_value=0.0, max_value=200.0, step=0.5,
                   key="palms", on_change=state.keep, args=("palms",))
    a.checkbox(_("Palm with fingers"), key="palm_fingers", on_change=state.keep,
               args=("palm_fingers",))
    palm = marked.evaluation.palm
    if palm is None:
        b.caption(_("Enter a count to compare it with the map."))
        return
    with b:
        say(palm.text, "info" if palm.agrees else "warning")
        st.caption(_("{note} Sources: {sources}").format(note=palm.palm.note,
                                                        sources="; ".join(palm.palm.sources)))
