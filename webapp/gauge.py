"""The bar that shows the total against the rule's area limit, and the verdict line.

The states (within, near, above the limit) are told apart by an icon, words and a fill
pattern (solid, diagonal stripes, cross-hatch) as well as colour, so they read the same in
greyscale and with colour blindness. Colours are from the Okabe-Ito palette. The verdict
line carries the evaluation's one headline: a neutral mark before anything is marked, for
a label that states no limit, and when the age, site or missing height and weight decide.
The band under the bar is the range of the same marks under every chart that applies.
"""

from __future__ import annotations

import html
import math

from .words import N_, _

__all__ = ["STATES", "VERDICT_MARKS", "gauge_html", "state_word"]

#: state -> (icon, short word, colour, CSS background for the fill). The word is English
#: (a message id): show it with ``_(word)``, or :func:`state_word`.
STATES = {
    # TRANSLATORS: a limit's state, next to a tick: the amount is within the limit.
    "within": ("\u2714", N_("Within"), "#007A5A", "#009E73"),
    "near": (
        "\u26a0",
        # TRANSLATORS: a limit's state: at 80% of the limit or more, not above it.
        N_("Near the limit"),
        "#8A5A00",
        "repeating-linear-gradient(45deg, #E69F00 0 6px, #FFE3A6 6px 10px)",
    ),
    "above": (
        "\u2716",
        # TRANSLATORS: a limit's state, next to a cross: the amount is above the limit.
        N_("Above"),
        "#B34700",
        "repeating-linear-gradient(45deg, #D55E00 0 3px, transparent 3px 8px),"
        " repeating-linear-gradient(-45deg, #D55E00 0 3px, #F7C6A8 3px 8px)",
    ),
    "needs_height_weight": ("\u2753", N_("Needs height and weight"), "#555555", "#dddddd"),
    # TRANSLATORS: a limit's state: shown for information, not compared with the marks.
    "information": ("\u2139", N_("Information"), "#555555", "#dddddd"),
}
#: verdict -> (icon, colour) of the verdict line
VERDICT_MARKS = {
    "within": STATES["within"][:1] + STATES["within"][2:3],
    "near": STATES["near"][:1] + STATES["near"][2:3],
    "above": STATES["above"][:1] + STATES["above"][2:3],
    "nothing_marked": ("\u2139", "#555555"),
    "no_rule": ("\u2139", "#555555"),
    "no_stated_limit": ("\u2139", "#555555"),
    "outside_ages": ("\u26a0", "#555555"),
    "not_for_site": ("\u26a0", "#555555"),
    "needs_height_weight": ("\u2753", "#555555"),
}


def state_word(state: str) -> str:
    """A limit state's short word (:data:`STATES`) in the page's language ("" if unknown)."""
    return _(STATES[state][1]) if state in STATES else ""


_CSS = """
<style>
.bsa-gauge {margin: 0.1rem 0 0.4rem 0; font-size: 0.9rem;}
.bsa-gauge .track {position: relative; height: 1.4rem; border: 1.5px solid #262730;
  border-radius: 0.3rem; background: #f4f4f6; overflow: hidden;}
.bsa-gauge .fill {position: absolute; left: 0; top: 0; bottom: 0;}
.bsa-gauge .near-band {position: absolute; top: 0; bottom: 0; border-left: 1px dashed #555;}
.bsa-gauge .limit {position: absolute; top: -2px; bottom: -2px; width: 3px;
  background: #262730;}
.bsa-gauge .range {position: relative; height: 0.55rem; margin-top: 2px;}
.bsa-gauge .range span {position: absolute; top: 0; bottom: 0; border: 1.5px solid #262730;
  border-top: none; background: repeating-linear-gradient(90deg, #262730 0 2px,
  transparent 2px 6px);}
.bsa-gauge .scale {position: relative; height: 1.1rem; font-size: 0.75rem; color: #333;}
.bsa-gauge .scale span {position: absolute; transform: translateX(-50%); white-space: nowrap;}
.bsa-gauge .verdict {display: flex; gap: 0.45rem; align-items: baseline; font-weight: 600;
  padding: 0.25rem 0.5rem; border-radius: 0.3rem; border: 2px solid; margin-top: 0.15rem;}
.bsa-gauge .verdict .icon {font-size: 1.1rem;}
</style>
"""


def gauge_html(total: float, limit: float | None, area_state: str | None, headline: str,
               verdict: str, *, band: tuple[float, float] | None = None) -> str:
    """Return the HTML of the bar (when the rule has an area limit) and the verdict line.

    Parameters
    ----------
    total : float
        The treated area. [% of body surface]
    limit : float or None
        The rule's area limit at this age; None draws no bar. [%]
    area_state : {"within", "near", "above"} or None
        The area limit's state.
    headline : str
        The evaluation's headline (the whole verdict in one line).
    verdict : str
        The evaluation's verdict (sets the verdict line's icon and colour).
    band : (float, float), optional
        The lowest and highest total under every chart that applies, drawn under the bar.
    """
    icon, colour = VERDICT_MARKS.get(verdict, ("\u2139", "#555555"))
    parts = [_CSS, f'<div class="bsa-gauge" data-verdict="{html.escape(verdict)}"'
                   f' data-state="{html.escape(area_state or "")}">']
    if limit is not None and area_state in STATES:
        top = min(100.0, 5.0 * math.ceil(max(limit * 1.5, total * 1.1, 1.0,
                                             (band or (0, 0))[1] * 1.05) / 5.0))

        def pos(value: float) -> float:
            return max(0.0, min(100.0, 100.0 * value / top))

        fill = STATES[area_state][3]
        label = _("{total}% of body surface; the area limit is {limit}%").format(
            total=f"{total:.1f}", limit=f"{limit:g}")
        parts.append(
            f'<div class="track" role="img" aria-label="{html.escape(label)}">'
            f'<div class="fill" style="width:{pos(total):.2f}%;background:{fill}"></div>'
            f'<div class="near-band" style="left:{pos(0.8 * limit):.2f}%"></div>'
            f'<div class="limit" style="left:calc({pos(limit):.2f}% - 1.5px)"></div></div>')
        if band is not None:
            lo, hi = band
            by_chart = _("by chart: {low}% to {high}%").format(low=f"{lo:.1f}", high=f"{hi:.1f}")
            parts.append(
                f'<div class="range" role="img" aria-label="{html.escape(by_chart)}">'
                f'<span style="left:{pos(lo):.2f}%;width:{max(pos(hi) - pos(lo), 0.6):.2f}%">'
                "</span></div>")
        # TRANSLATORS: the mark of the area limit on the scale under the bar.
        limit_mark = _("limit {limit}%").format(limit=f"{limit:g}")
        parts.append(
            '<div class="scale"><span style="left:1.2em">0%</span>'
            f'<span style="left:{pos(limit):.2f}%">{html.escape(limit_mark)}</span>'
            f'<span style="left:calc(100% - 1.6em)">{top:g}%</span></div>')
    parts.append(
        f'<div class="verdict" role="status" style="border-color:{colour}">'
        f'<span class="icon" style="color:{colour}" aria-hidden="true">{icon}</span>'
        f"<span>{html.escape(headline)}</span></div></div>")
    return "".join(parts)
