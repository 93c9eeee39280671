"""The type-shares panel: each region's affected share set with the keyboard.

A typed share replaces the painting for its region (shown hatched on the figure with its
percentage). The fields show what the evaluation gives for every region, painted or typed.
They are laid out row by row, so the tab order follows the reading order.
"""

from __future__ import annotations

import streamlit as st

from bsa.core.regions import REGION_SIDES, REGIONS, parse_part, region_label

__all__ = ["COLUMNS", "render"]

#: Fields per row on a wide screen (a narrow one stacks them in the same order).
COLUMNS = 4


def _typed_changed(region: str) -> None:
    value = st.session_state[f"share_{region}"]
    typed = {k: v for k, v in st.session_state["typed"].items()
             if parse_part(k)[0] != region}
    if value is not None:
        typed[region] = float(value) / 100.0
    st.session_state["typed"] = typed


def _forget_typed() -> None:
    st.session_state["typed"] = {}


def _weight_words(weights, region: str) -> str:
    """The chart weights of a region's halves at this age, as the evaluation has them."""
    sides = REGION_SIDES[region]
    if len(sides) == 1:
        return f"{weights[f'{region}:{sides[0]}']:.2f}% of body surface"
    halves = ", ".join(f"{side} {weights[f'{region}:{side}']:.2f}%" for side in sides)
    return f"{halves} of body surface"


def render(marked) -> None:
    """Draw one number field per region, in rows."""
    st.caption(
        "Set the affected share of any region with the keyboard; it replaces the painting "
        "for that region and shows hatched on the figure with its percentage. Regions you "
        "have not typed show what the painting gives."
    )
    ev = marked.evaluation
    shares = ev.region_shares()
    weights = ev.estimate.weights
    for start in range(0, len(REGIONS), COLUMNS):
        columns = st.columns(COLUMNS)
        for column, region in zip(columns, REGIONS[start:start + COLUMNS]):
            key = f"share_{region}"
            shown = round(100.0 * shares[region], 1)
            if st.session_state.get(key) != shown:
                st.session_state[key] = shown
            column.number_input(
                f"{region_label(region)} [%]",
                min_value=0.0, max_value=100.0, step=5.0, format="%.1f", key=key,
                on_change=_typed_changed, args=(region,),
                help=f"Weight of this region at this age: {_weight_words(weights, region)}.",
            )
    if marked.shares:
        typed_words = ", ".join(f"{region_label(name)} {100 * share:.0f}%"
                                for name, share in marked.shares.items())
        st.markdown(f"\u270e Typed (used instead of the painting): {typed_words}.")
        st.button("Use the painting for every region (forget typed shares)",
                  on_click=_forget_typed, key="forget_typed")
