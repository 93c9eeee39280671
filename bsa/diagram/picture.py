"""The age-adjusted chart as a picture: front and back figures with each half's percentage.

Drawn with matplotlib's object API (:class:`matplotlib.figure.Figure`, never pyplot), and
matplotlib is imported inside the functions, so ``import bsa`` stays light. The numbers
written on the figure are :func:`bsa.half_weights` at the given age; an optional painted
overlay (masks from the page, or a fraction per half) shows what is marked.

Examples
--------
>>> from bsa.diagram.picture import save_chart
>>> save_chart("chart_age_5.png", 5)                           # doctest: +SKIP

Why one long module: the chart picture's figures, weights written on them, legend and saving
are one drawing, made with one set of measures.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..core.charts import describe_age
from ..core.regions import PART_INDEX, PART_NAMES
from ..errors import BSAInputError
from ..files import write_atomic
from ..fonts import FAMILY
from ..fonts import register as register_fonts
from ..i18n import N_, _, digits, language
from .geometry import VIEWS, FigureGeometry, _check_view, figure_for_age, load_figure
from .pixels import pixel_transform
from .svg import BORDER, OUTLINE, SIDE_MARKS, SKIN, TINT, _check_fills

__all__ = ["format_percent", "draw_view", "draw_chart", "save_chart", "DrawnLayer",
           "LAYER_STYLES", "SAVE_FORMATS"]

#: File formats :func:`save_chart` writes, by file extension.
SAVE_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")

_NOTE = N_("Each number is the percentage of the whole body surface for that area (its front "
           "or back half) at this age.\nR and L are the patient's right and left.")


def format_percent(value: float) -> str:
    """``6.5`` -> ``"6.5"``, ``1.25`` -> ``"1.25"``, ``13.0`` -> ``"13"`` (at most 2 decimals;
    in the current digits)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return digits("0" if text in ("", "-0") else text)


def _inscribed_radius(poly: np.ndarray, point: tuple[float, float]) -> float:
    """Distance from a point to the nearest edge of a polygon. [figure units]"""
    a = poly
    b = np.roll(poly, -1, axis=0)
    d = b - a
    p = np.asarray(point, float)
    t = np.clip(np.sum((p - a) * d, axis=1) / np.maximum(np.sum(d * d, axis=1), 1e-12), 0, 1)
    proj = a + t[:, None] * d
    return float(np.min(np.hypot(*(p - proj).T)))


def _painted_overlay(mask: Any, fig: FigureGeometry, view: str, color: str = TINT):
    """RGBA image of the painted pixels inside the body, and its extent in figure units."""
    from .masks import _check_mask, label_image

    m = _check_mask(mask, view)
    height, width = m.shape
    labels = label_image(fig, view, width, height)
    shown = m & (labels > 0)
    rgba = np.zeros((height, width, 4), dtype=float)
    r, g, b = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    rgba[shown] = (r, g, b, 0.6)
    return rgba, pixel_transform(fig, width, height).canvas_extent


#: How each kind of layer is drawn: ``solid`` (a tint, as painted), ``outlined`` (a light
#: hatch inside a dashed outline) or ``hatched`` (a dense hatch).
LAYER_STYLES: tuple[str, ...] = ("solid", "outlined", "hatched")


@dataclass(frozen=True)
class DrawnLayer:
    """One layer of marks as drawn on a view (see :func:`draw_view`).

    Attributes
    ----------
    style : {"solid", "outlined", "hatched"}
    color : str
        ``"#rrggbb"``.
    fills : mapping of str to float
        Half -> fraction, for halves whose share was typed: tinted (or hatched) whole, the
        more strongly the larger the fraction.
    mask : ndarray or None
        The painted pixels of this view (2-D bool, any canvas size), drawn where they are.
    hatch : str
        The hatch pattern of an outlined or hatched layer (matplotlib's, e.g. ``"xxxx"``).
    """

    style: str
    color: str
    fills: Mapping[str, float] = field(default_factory=dict)
    mask: Any = None
    hatch: str = "xxxx"


def _mask_paths(mask: np.ndarray, fig: FigureGeometry, view: str, ax):
    """The outlines of a mask's painted pixels inside the body, in figure units."""
    from .masks import _check_mask, label_image

    m = _check_mask(mask, view)
    height, width = m.shape
    shown = m & (label_image(fig, view, width, height) > 0)
    if not shown.any():
        return []
    x_left, x_right, y_bottom, y_top = pixel_transform(fig, width, height).canvas_extent
    xs = x_left + (np.arange(width + 2) - 0.5) * (x_right - x_left) / width
    ys = y_top + (np.arange(height + 2) - 0.5) * (y_bottom - y_top) / height
    z = np.zeros((height + 2, width + 2))  # a border of zeros: every outline closes
    z[1:-1, 1:-1] = shown
    contours = ax.contourf(xs, ys, z, levels=[0.5, 1.5])
    paths = [p for p in contours.get_paths() if len(p.vertices)]
    contours.remove()
    return paths


def _draw_layer(ax, fig: FigureGeometry, geo, view: str, layer: DrawnLayer, zorder: float) -> None:
    from matplotlib.patches import PathPatch, Polygon

    if layer.style not in LAYER_STYLES:
        raise BSAInputError(f"unknown layer style {layer.style!r}; valid styles are: "
                            f"{', '.join(LAYER_STYLES)}")
    fills = _check_fills(layer.fills)
    outlined = layer.style == "outlined"
    for part, f in fills.items():
        if f <= 0 or part not in geo.regions:
            continue
        poly = geo.regions[part]
        if layer.style == "solid":
            ax.add_patch(Polygon(poly, closed=True, facecolor=layer.color, alpha=0.12 + 0.6 * f,
                                 edgecolor="none", zorder=zorder))
        else:
            ax.add_patch(Polygon(poly, closed=True, facecolor="white" if not outlined else "none",
                                 alpha=0.35 + 0.65 * f, hatch=layer.hatch, hatchcolor=layer.color,
                                 edgecolor=layer.color if outlined else "none",
                                 linewidth=0.9 if outlined else 0, linestyle="--",
                                 zorder=zorder))
    if layer.mask is None:
        return
    if layer.style == "solid":
        rgba, extent = _painted_overlay(layer.mask, fig, view, layer.color)
        ax.imshow(rgba, extent=extent, interpolation="nearest", zorder=zorder)
        return
    for path in _mask_paths(layer.mask, fig, view, ax):
        ax.add_patch(PathPatch(path, facecolor="none" if outlined else "white",
                               alpha=None if outlined else 0.9, hatch=layer.hatch,
                               hatchcolor=layer.color,
                               edgecolor=layer.color if outlined else "none",
                               linewidth=0.9 if outlined else 0, linestyle="--",
                               zorder=zorder))


def draw_view(ax, figure_id: str | Path | FigureGeometry, view: str, *,
              fills: Mapping[str, float] | None = None, masks: Any = None,
              labels: Mapping[str, str] | None = None, font_size: float = 9.0,
              marks: bool = True, layers: Sequence[DrawnLayer] = ()) -> None:
    """Draw one view of a figure on a matplotlib Axes.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Drawn in figure units (y down); the axes are set to the figure's frame, equal
        aspect, no ticks.
    figure_id : str, path or FigureGeometry
        See :func:`bsa.diagram.geometry.load_figure`.
    view : {"front", "back"}
    fills : mapping, optional
        Half (or whole region) -> affected fraction from 0 to 1; tints each half.
    masks : array or mapping, optional
        A painted mask for this view (2-D bool, any canvas size), or a mapping view ->
        mask from which this view's mask is taken. Paint outside the body is not shown.
    labels : mapping, optional
        Half -> text written on it (e.g. its percentage). The text is shrunk to fit small
        regions, down to 5 points.
    font_size : float, optional
        Largest label size. [points]
    marks : bool, optional
        Write R and L (the patient's right and left).
    layers : sequence of DrawnLayer, optional
        Layers of marks drawn in turn over ``fills`` and ``masks`` (each solid, outlined or
        hatched, in its own colour): e.g. the affected skin not treated, the area to treat
        and the do-not-apply areas of a treatment plan.
    """
    from matplotlib.patches import Polygon

    register_fonts()
    fig = load_figure(figure_id)
    geo = fig.view(_check_view(view))
    fills = _check_fills(fills)
    x0, y0, x1, y1 = fig.frame
    ax.set_xlim(x0, x1)
    ax.set_ylim(y1, y0)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.add_patch(Polygon(geo.outline, closed=True, facecolor=SKIN, edgecolor="none",
                         zorder=1))
    for part, poly in geo.regions.items():
        f = fills.get(part, 0.0)
        if f > 0:
            ax.add_patch(Polygon(poly, closed=True, facecolor=TINT, alpha=0.12 + 0.6 * f,
                                 edgecolor="none", zorder=2))
    mask = masks.get(view) if isinstance(masks, Mapping) else masks
    if mask is not None:
        rgba, extent = _painted_overlay(mask, fig, view)
        ax.imshow(rgba, extent=extent, interpolation="nearest", zorder=3)
    for i, layer in enumerate(layers):
        _draw_layer(ax, fig, geo, view, layer, zorder=3 + (i + 1) / (len(layers) + 1))
    ax.set_xlim(x0, x1)  # imshow resets the limits
    ax.set_ylim(y1, y0)
    for poly in geo.regions.values():
        ax.add_patch(Polygon(poly, closed=True, facecolor="none", edgecolor=BORDER,
                             linewidth=0.6, joinstyle="round", zorder=4))
    ax.add_patch(Polygon(geo.outline, closed=True, facecolor="none", edgecolor=OUTLINE,
                         linewidth=1.3, joinstyle="round", zorder=5))
    # points per figure unit, to fit each label inside its region
    ax_height_pt = ax.get_position().height * ax.figure.get_figheight() * 72
    pt_per_unit = ax_height_pt / (y1 - y0)
    for part, text in (labels or {}).items():
        if part not in geo.regions:
            continue
        x, y = geo.label_points[part]
        r = _inscribed_radius(geo.regions[part], (x, y)) * pt_per_unit
        size = min(font_size, 2 * r / max(1, 0.62 * len(text)), 1.5 * r)
        size = max(size, 5.0)
        ax.text(x, y, text, ha="center", va="center", fontsize=size, color=OUTLINE,
                zorder=6, parse_math=False, fontfamily=list(FAMILY))
    if marks:
        for mark, (x, y) in geo.marks.items():
            ax.text(x, y, _(SIDE_MARKS[mark]) if mark in SIDE_MARKS else mark,
                    ha="center", va="center", fontsize=font_size * 1.6, fontweight="bold",
                    color=OUTLINE, zorder=6, parse_math=False, fontfamily=list(FAMILY))


def draw_chart(age: float, *, chart: str = "lund_browder", age_mode: str = "interpolated",
               figure_id: str | Path | FigureGeometry | None = None,
               fills: Mapping[str, float] | None = None, masks: Any = None,
               title: str | None = None, figsize: tuple[float, float] = (8.0, 8.6),
               lang: str | None = None, digits: str | None = None):
    """The chart at one age: front and back side by side, each half's percentage on it.

    Parameters
    ----------
    age : float
        Age of the patient. [years]
    chart : str, optional
        ``"lund_browder"`` (default), ``"rule_of_nines"``, ``"rule_of_nines_paediatric"``.
    age_mode : {"interpolated", "banded"}, optional
        How the chart is read between its age columns (see :mod:`bsa.core.charts`).
    figure_id : str, path or FigureGeometry, optional
        The figure drawn; by default the one for the age (:func:`figure_for_age`).
    fills : mapping, optional
        Half (or whole region) -> affected fraction; tints the halves and adds the marked
        total to the title.
    masks : mapping, optional
        View -> painted mask (2-D bool, any canvas size) drawn over the figure; the marked
        total (weight x painted fraction of each half) is added to the title. Where a
        half has both a fill and paint, the larger fraction counts.
    title : str, optional
        A title in place of the chart's (e.g. for a printed application map); the age,
        the age reading, the figure and the source are written below it in any case.
    figsize : (float, float), optional
        Size of the picture. [inches]
    lang, digits : str, optional
        The language of its words and the digits of its numbers (:mod:`bsa.i18n`); default
        the current ones.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    BSAInputError
        For a bad age, chart, age mode, figure, fill or mask.
    """
    with language(lang, digits):
        return _draw_chart(age, chart=chart, age_mode=age_mode, figure_id=figure_id,
                           fills=fills, masks=masks, title=title, figsize=figsize)


def _draw_chart(age, *, chart, age_mode, figure_id, fills, masks, title, figsize):
    from matplotlib.figure import Figure

    from ..core.charts import age_reading, half_weights, load_chart
    from ..core.estimation import breakdown

    register_fonts()
    family = list(FAMILY)

    weights = half_weights(age, chart, age_mode)
    if np.ndim(weights) != 1:
        raise BSAInputError(f"draw one chart at a time: age must be one number, got {age!r}")
    c = load_chart(chart)
    reading = age_reading(age, chart, age_mode)
    fig_geo = load_figure(figure_id if figure_id is not None else figure_for_age(age))
    checked_fills = _check_fills(fills)
    if masks is not None and not isinstance(masks, Mapping):
        raise BSAInputError("masks must map a view ('front', 'back') to a 2-D painted mask")
    marked = None
    if masks is not None or fills is not None:
        fractions = np.zeros(len(PART_NAMES))
        for part, f in checked_fills.items():
            fractions[PART_INDEX[part]] = f
        if masks is not None:
            from .masks import half_fractions

            for view, mask in masks.items():
                if mask is not None:
                    painted = half_fractions({view: mask}, fig_geo)
                    fractions = np.maximum(fractions, painted)
        marked = float(breakdown(fractions, age, chart, age_mode).sum())

    figure = Figure(figsize=figsize, layout=None)
    figure.patch.set_facecolor("white")
    top, bottom = 0.845, (0.155 if c.conventions else 0.10)
    axes = [figure.add_axes((0.02, bottom, 0.47, top - bottom)),
            figure.add_axes((0.51, bottom, 0.47, top - bottom))]
    labels = {p: format_percent(w) for p, w in zip(PART_NAMES, weights)}
    for ax, view in zip(axes, VIEWS):
        draw_view(ax, fig_geo, view, fills=fills, masks=masks, labels=labels)
        ax.set_title(_("Front (patient's right on your left)") if view == "front" else
                     _("Back (patient's right on your right)"), fontsize=10, pad=2,
                     parse_math=False, fontfamily=family)
    age_text = describe_age(age)
    if title is None:
        title = _("{chart}: % of body surface by area, age {age}").format(chart=_(c.title),
                                                                          age=age_text)
    else:
        title = str(title)
    # Text from users and files is drawn as typed: "$50 ... $40" is not mathematics.
    figure.suptitle(title, fontsize=13, fontweight="bold", y=0.975, parse_math=False,
                    fontfamily=family)
    mode_first = age_mode in ("interpolated", "banded") and len(c.age_columns) > 1
    figure.text(0.5, 0.935, (_("Age {age}; chart read {reading}") if mode_first else
                             _("Age {age}; {reading}")).format(age=age_text, reading=reading),
                ha="center", va="center", fontsize=9.5, parse_math=False, fontfamily=family)
    figure_title = _("{figure} figure").format(figure=_(fig_geo.title))
    line = (_("{figure} ({ages})").format(figure=figure_title, ages=_(fig_geo.ages))
            if fig_geo.ages else figure_title)
    figure.text(0.5, 0.91, line, ha="center", va="center", fontsize=9.5, parse_math=False,
                fontfamily=family)
    if marked is not None:
        figure.text(0.5, 0.882, _("Marked: {percent}% of body surface").format(
            percent=format_percent(marked)), ha="center", va="center", fontsize=11,
            fontweight="bold", color=TINT, fontfamily=family)
    citation = str(c.source.get("citation", c.title))
    if c.conventions:
        figure.text(0.5, 0.108, _("Note: {note}").format(
            note=" ".join(_(text) for text in c.conventions)), ha="center", va="center",
            fontsize=7, wrap=True, color="#444444", parse_math=False, fontfamily=family)
    figure.text(0.5, 0.058, _(_NOTE), ha="center", va="center", fontsize=8, fontfamily=family)
    figure.text(0.5, 0.024, _("Source: {citation} Chart data status: {status}.").format(
        citation=citation, status=_(c.source.get("status", "unverified"))), ha="center",
                va="center", fontsize=7, color="#444444", wrap=True, parse_math=False,
                fontfamily=family)
    return figure


def save_chart(path: str | Path, age: float, **kwargs: Any) -> Path:
    """Draw the chart (:func:`draw_chart`) and write it; the format follows the extension.

    Parameters
    ----------
    path : str or path
        Ends in ``.png`` (150 dpi), ``.svg`` or ``.pdf``.
    age : float
        Age of the patient. [years]
    **kwargs
        Passed to :func:`draw_chart`.

    Returns
    -------
    Path
        The file written, whole or not at all (:mod:`bsa.files`).

    Raises
    ------
    BSAInputError
        For a name that does not end in a known format, a folder that does not exist, a
        file that cannot be written, or a bad input of :func:`draw_chart`.
    """
    path = Path(path)
    ext = path.suffix.lower().lstrip(".")
    if ext not in SAVE_FORMATS:
        raise BSAInputError(
            f"cannot write {path.name!r}: the file name must end in "
            f"{', '.join('.' + f for f in SAVE_FORMATS)}"
        )
    if not path.parent.is_dir():
        raise BSAInputError(f"cannot write {path}: no folder {path.parent}")
    figure = draw_chart(age, **kwargs)
    metadata = {"png": {"Software": None}, "svg": {"Date": None},
                "pdf": {"CreationDate": None}}[ext]
    buf = io.BytesIO()
    figure.savefig(buf, format=ext, dpi=150, facecolor="white", metadata=metadata)
    return write_atomic(path, buf.getvalue(), what=_("the chart"))
