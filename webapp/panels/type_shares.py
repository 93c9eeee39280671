"""The type-shares panel: each region's share of the layer being marked, set with the keyboard.

A typed share replaces the painting of that layer for its region (shown hatched on the
figure with its percentage). The layer is the one chosen in the figure's Marking switch: the
affected skin, the treatment area, a do-not-apply area or a zone. The fields show what the
evaluation gives for every region of that layer, painted or typed
(:meth:`bsa.Evaluation.region_shares`). They are laid out row by row, so the tab order
follows the reading order.
"""

from __future__ import annotations

import streamlit as st

from bsa.core.regions import REGION_SIDES, REGIONS, parse_part, region_label
from bsa.records.layers import reason_words

from .. import state
from ..text import say
from ..words import _

__all__ = ["COLUMNS", "render"]

#: Fields per row on a wide screen (a narrow one stacks them in the same order).
COLUMNS = 4


def _typed_changed(region: str, layer: str) -> None:
    value = st.session_state[f"share_{region}"]
    typed = {k: v for k, v in state.typed_of(layer).items() if parse_part(k)[0] != region}
    if value is not None:
        typed[region] = float(value) / 100.0
    state.set_typed(layer, typed)


def _forget_typed(layer: str) -> None:
    state.set_typed(layer, {})


def _weight_words(weights, region: str) -> str:
    """The chart weights of a region's halves at this age, as the evaluation has them."""
    sides = REGION_SIDES[region]
    if len(sides) == 1:
        shares = f"{weights[f'{region}:{sides[0]}']:.2f}%"
    else:
        shares = ", ".join(f"{_(side)} {weights[f'{region}:{side}']:.2f}%" for side in sides)
    # TRANSLATORS: {weights} is "4.50%" or "front 6.50%, back 6.50%".
    return _("{weights} of body surface").format(weights=shares)


def _layer_title(layer: str) -> str:
    """The layer's name as the figure's Marking switch gives it (user words stay literal)."""
    if layer == state.AFFECTED:
        return _("the affected skin")
    if layer == state.APPLY:
        return _("apply this cream (the treatment area)")
    for n, zone in enumerate(st.session_state["zones"], start=1):
        if state.zone_id(zone) == layer:
            return _("zone {n} \u201c{name}\u201d").format(n=n, name=zone["name"])
    return _("do not apply ({reason})").format(reason=reason_words(layer.partition(":")[2]))


def render(marked) -> None:
    """Draw one number field per region of the layer being marked, in rows."""
    layer = state.current_layer()
    say(_("Shares of the layer being marked: {layer}. Choose another layer with Marking on "
          "the figure.").format(layer=_layer_title(layer)), "info")
    st.caption(
        _("Set the share of any region with the keyboard; it replaces the painting of this "
          "layer for that region and shows hatched on the figure with its percentage. Regions "
          "you have not typed show what the painting gives.")
    )
    ev = marked.evaluation
    marks = state.layer_marks(marked.assessment, layer)
    shares = (dict.fromkeys(REGIONS, 0.0) if marks is None
              else ev.region_shares(marks))
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
                on_change=_typed_changed, args=(region, layer),
                help=_("Weight of this region at this age: {weights}.").format(
                    weights=_weight_words(weights, region)),
            )
    typed = state.typed_of(layer)
    if typed:
        typed_words = ", ".join(f"{region_label(name)} {100 * share:.0f}%"
                                for name, share in typed.items())
        st.markdown("\u270e " + _("Typed (used instead of the painting): {regions}.").format(
            regions=typed_words))
        st.button(_("Use the painting for every region (forget typed shares)"),
                  on_click=_forget_typed, args=(layer,), key="forget_typed")
