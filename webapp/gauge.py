"""The bar that shows the total against the rule's area limit, in three states.

The states (within, near, above the limit) are told apart by an icon, words and a fill
pattern (solid, diagonal stripes, cross-hatch) as well as colour, so they read the same in
greyscale and with colour blindness. Colours are from the Okabe-Ito palette.
"""

from __future__ import annotations

import html
import math

__all__ = ["STATES", "gauge_html"]

#: state -> (icon, short word, colour, CSS background for the fill)
STATES = {
    "within": ("\u2714", "Within", "#009E73", "#009E73"),
    "near": (
        "\u26a0",
        "Near the limit",
        "#B87700",
        "repeating-linear-gradient(45deg, #E69F00 0 6px, #FFE3A6 6px 10px)",
    ),
    "above": (
        "\u2716",
        "Above",
        "#D55E00",
        "repeating-linear-gradient(45deg, #D55E00 0 3px, transparent 3px 8px),"
        " repeating-linear-gradient(-45deg, #D55E00 0 3px, #F7C6A8 3px 8px)",
    ),
}

_CSS = """
<style>
.bsa-gauge {margin: 0.1rem 0 0.4rem 0; font-size: 0.9rem;}
.bsa-gauge .track {position: relative; height: 1.4rem; border: 1.5px solid #262730;
  border-radius: 0.3rem; background: #f4f4f6; overflow: hidden;}
.bsa-gauge .fill {position: absolute; left: 0; top: 0; bottom: 0;}
.bsa-gauge .near-band {position: absolute; top: 0; bottom: 0; border-left: 1px dashed #555;}
.bsa-gauge .limit {position: absolute; top: -2px; bottom: -2px; width: 3px;
  background: #262730;}
.bsa-gauge .scale {position: relative; height: 1.1rem; font-size: 0.75rem; color: #444;}
.bsa-gauge .scale span {position: absolute; transform: translateX(-50%); white-space: nowrap;}
.bsa-gauge .verdict {display: flex; gap: 0.45rem; align-items: baseline; font-weight: 600;
  padding: 0.25rem 0.5rem; border-radius: 0.3rem; border: 2px solid; margin-top: 0.15rem;}
.bsa-gauge .verdict .icon {font-size: 1.1rem;}
</style>
"""


def _with_word(word: str, headline: str) -> str:
    """The headline, led by the state's word unless it already starts with it."""
    text = html.escape(headline)
    return text if headline.lower().startswith(word.lower()) else f"{word}: {text}"


def gauge_html(total: float, limit: float, state: str, near_from: float,
               headline: str, age_eligible: bool = True) -> str:
    """Return the HTML of the bar and the verdict line.

    Parameters
    ----------
    total : float
        The affected body surface. [%]
    limit : float
        The rule's area limit. [%]
    state : {"within", "near", "above"}
        As :func:`bsa.treatment.label_rules.check` decided it.
    near_from : float
        Where the "near the limit" band starts. [%]
    headline : str
        The check's headline, shown next to the icon.
    age_eligible : bool
        False when the age is outside the indication: the verdict line then leads with the
        age (a warning sign, no state word), while the bar still shows the area's state.
    """
    icon, word, colour, fill = STATES[state]
    verdict_icon, verdict_colour = icon, colour
    verdict_text = _with_word(word, headline)
    if not age_eligible:
        verdict_icon, verdict_colour = "\u26a0", "#555555"
        verdict_text = html.escape(headline)
    top = min(100.0, 5.0 * math.ceil(max(limit * 1.5, total * 1.1, 1.0) / 5.0))

    def pos(value: float) -> float:
        return max(0.0, min(100.0, 100.0 * value / top))

    label = f"{total:.1f}% of body surface; the limit is {limit:g}%: {headline}"
    return (
        _CSS
        + f'<div class="bsa-gauge" role="img" aria-label="{html.escape(label)}" '
        f'data-state="{state}">'
        '<div class="track">'
        f'<div class="fill" style="width:{pos(total):.2f}%;background:{fill}"></div>'
        f'<div class="near-band" style="left:{pos(near_from):.2f}%"></div>'
        f'<div class="limit" style="left:calc({pos(limit):.2f}% - 1.5px)"></div>'
        "</div>"
        '<div class="scale">'
        '<span style="left:1.2em">0%</span>'
        f'<span style="left:{pos(limit):.2f}%">limit {limit:g}%</span>'
        f'<span style="left:calc(100% - 1.6em)">{top:g}%</span>'
        "</div>"
        f'<div class="verdict" style="border-color:{verdict_colour}">'
        f'<span class="icon" style="color:{verdict_colour}" aria-hidden="true">'
        f"{verdict_icon}</span><span>{verdict_text}</span></div>"
        "</div>"
    )
