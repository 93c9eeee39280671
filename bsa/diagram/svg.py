"""The body diagram as SVG: the figure's outline and halves, for the page's body map.

Drawn with :func:`bsa.diagram.pixels.pixel_transform`, so it aligns pixel for pixel with the
label image the page counts marks with (:mod:`bsa.diagram.masks`).
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import Path

import numpy as np

from ..core.regions import PART_INDEX, REGION_SIDES, region_label
from ..errors import BSAInputError
from ..i18n import N_, _
from .geometry import FigureGeometry, load_figure
from .pixels import pixel_transform

__all__ = ["SKIN", "BORDER", "OUTLINE", "TINT", "SIDE_MARKS", "diagram_svg", "short_label"]

SKIN = "#f7e4d4"
BORDER = "#9a8070"
OUTLINE = "#3b2f2a"
TINT = "#c2410c"
#: The marks written on the figures for the patient's right and left (in the language).
SIDE_MARKS = {"R": N_("R"), "L": N_("L")}


def _path_d(px: np.ndarray) -> str:
    return "M" + "L".join(f"{x:.2f},{y:.2f}" for x, y in px) + "Z"


def short_label(part: str) -> str:
    """A short label of a half for a small region: ``"right_thigh:front"`` -> ``"R thigh"``."""
    region = part.split(":", 1)[0]
    words = {"anterior_trunk": "trunk", "posterior_trunk": "trunk", "upper_arm": "arm",
             "lower_arm": "forearm", "lower_leg": "leg"}
    prefix = ""
    for side in ("right_", "left_"):
        if region.startswith(side):
            prefix, region = side[0].upper() + " ", region[len(side):]
    return prefix + words.get(region, region)


def diagram_svg(figure_id: str | Path | FigureGeometry, view: str, width: int, height: int,
                *, fills: Mapping[str, float] | None = None,
                show_labels: bool = False) -> str:
    """A standalone SVG picture of one view, ``width`` x ``height`` pixels.

    The silhouette with each half outlined (``<path data-part="right_thigh:front">``, with
    a ``<title>`` in words), R and L marked. It uses :func:`pixel_transform`, so a painted
    canvas of the same size laid over it lines up with :func:`bsa.diagram.masks.label_image`.

    Parameters
    ----------
    figure_id : str, path or FigureGeometry
        See :func:`load_figure`.
    view : {"front", "back"}
    width, height : int
        Size of the picture; the SVG's viewBox is ``0 0 width height``. [pixels]
    fills : mapping, optional
        Half name -> fraction from 0 to 1: tints each half by how much of it is affected.
        Halves of the other view are ignored.
    show_labels : bool, optional
        Write a short name on each half.

    Returns
    -------
    str
        The SVG document.

    Raises
    ------
    BSAInputError
        For an unknown figure or view, a bad size, or a fill that is not a half name with
        a fraction from 0 to 1.
    """
    fig = load_figure(figure_id)
    geo = fig.view(view)
    tf = pixel_transform(fig, width, height)
    fills = _check_fills(fills)
    if view == "front":
        title = _("Front view of the body ({figure} figure); the patient's right is on the "
                  "viewer's left")
    else:
        title = _("Back view of the body ({figure} figure); the patient's right is on the "
                  "viewer's right")
    title = title.format(figure=_(fig.title).lower())
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{tf.width}" height="{tf.height}" '
        f'viewBox="0 0 {tf.width} {tf.height}" role="img" '
        f'data-figure="{escape(fig.figure_id)}" data-view="{view}">',
        f"<title>{escape(title)}</title>",
        f'<path d="{_path_d(tf(geo.outline))}" fill="{SKIN}" stroke="none"/>',
        f'<g class="regions" stroke="{BORDER}" stroke-width="{max(0.6, tf.scale * 0.9):.2f}" '
        'stroke-linejoin="round">',
    ]
    for part, poly in geo.regions.items():
        f = fills.get(part, 0.0)
        fill = (f'fill="{TINT}" fill-opacity="{0.12 + 0.6 * f:.3f}"' if f > 0
                else 'fill="none" pointer-events="all"')
        out.append(
            f'<path class="part" data-part="{part}" d="{_path_d(tf(poly))}" {fill}>'
            f"<title>{escape(region_label(part))}</title></path>"
        )
    out.append("</g>")
    out.append(
        f'<path d="{_path_d(tf(geo.outline))}" fill="none" stroke="{OUTLINE}" '
        f'stroke-width="{max(1.0, tf.scale * 2.2):.2f}" stroke-linejoin="round" '
        'pointer-events="none"/>'
    )
    font = max(9.0, 0.04 * (fig.frame[3] - fig.frame[1]) * tf.scale)
    for mark, (x, y) in geo.marks.items():
        px, py = tf([x, y])
        out.append(
            f'<text x="{px:.1f}" y="{py:.1f}" font-family="sans-serif" font-weight="bold" '
            f'font-size="{font:.1f}" text-anchor="middle" dominant-baseline="middle" '
            f'fill="{OUTLINE}" pointer-events="none">'
            f"{escape(_(SIDE_MARKS[mark]) if mark in SIDE_MARKS else mark)}</text>"
        )
    if show_labels:
        small = max(7.0, 0.016 * (fig.frame[3] - fig.frame[1]) * tf.scale)
        for part, (x, y) in geo.label_points.items():
            px, py = tf([x, y])
            out.append(
                f'<text x="{px:.1f}" y="{py:.1f}" font-family="sans-serif" '
                f'font-size="{small:.1f}" text-anchor="middle" dominant-baseline="middle" '
                f'fill="{OUTLINE}" pointer-events="none">{escape(short_label(part))}</text>'
            )
    out.append("</svg>")
    return "\n".join(out)


def _check_fills(fills: Mapping[str, float] | None) -> dict[str, float]:
    """Check a mapping half -> fraction; a whole-region name fills every half of it."""
    if fills is None:
        return {}
    if not isinstance(fills, Mapping):
        raise BSAInputError(
            f"fills must map half names to fractions from 0 to 1, got {type(fills).__name__}"
        )
    out: dict[str, float] = {}
    for name, value in fills.items():
        if name in PART_INDEX:
            parts = [name]
        elif name in REGION_SIDES:
            parts = [f"{name}:{s}" for s in REGION_SIDES[name]]
        else:
            from ..core.regions import parse_part

            parse_part(name)  # raises naming the valid names
            raise BSAInputError(f"unknown half {name!r}")  # pragma: no cover
        try:
            f = float(value)
        except (TypeError, ValueError):
            raise BSAInputError(f"fill of {name} must be a number from 0 to 1") from None
        if not (0.0 <= f <= 1.0):
            raise BSAInputError(f"fill of {name} must be from 0 to 1, got {value!r}")
        for p in parts:
            out[p] = f
    return out
