"""Region masks and coverage: from painted pixels to each half's affected fraction.

A view of a figure is rasterised once per canvas size into a *label image*: one byte per
pixel, 0 outside the body, ``1 + PART_INDEX[half]`` inside a half. A painted mask of the
same size is then counted per half with one ``np.bincount``: the fraction of a half that
is covered is (painted pixels of that half) / (pixels of that half). The percentage of
body surface is the chart weight times that fraction (:func:`bsa.breakdown`): the size a
region happens to have in the drawing never changes its weight.

Rasterisation is numpy only: a scanline fill at pixel centres, nonzero winding rule, with
half-open rules (a pixel centre on a shared border belongs to exactly one side). The
transform is :func:`bsa.diagram.pixels.pixel_transform`, shared with the SVG.

Why one long module: painting a region, measuring coverage per half and carrying marks
between figures all read the same label image of a figure; split, each would rebuild it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..core.regions import PART_INDEX, PART_NAMES
from ..errors import BSAInputError
from ..i18n import _, num
from .geometry import FIGURES, VIEWS, FigureGeometry, _check_view, load_figure, view_parts
from .pixels import check_canvas_size, pixel_transform

__all__ = [
    "N_LABELS",
    "fill_polygon",
    "label_image",
    "outline_image",
    "half_pixel_counts",
    "half_fractions",
    "coverage_percent",
    "carry_marks",
    "parts_mask",
    "part_at",
]

#: Number of label values: 0 (outside the body) and one per half.
N_LABELS = 1 + len(PART_NAMES)

FigureLike = str | Path | FigureGeometry


def fill_polygon(points_px: Any, width: int, height: int) -> np.ndarray:
    """Winding number of a closed polygon at every pixel centre.

    Parameters
    ----------
    points_px : array_like, shape (n, 2)
        The polygon's vertices in pixel coordinates (x right, y down).
    width, height : int
        Canvas size. [pixels]

    Returns
    -------
    ndarray of int32, shape (height, width)
        The polygon's winding number around each pixel centre ``(c + 0.5, r + 0.5)``;
        nonzero inside. Edges are half-open (an edge counts for rows with
        ``y_low <= y_centre < y_high``, and for pixels whose centre is at or right of the
        crossing), and each edge's crossing is computed from its endpoints in a fixed
        order, so two polygons sharing an edge never both take, nor both miss, a pixel.
    """
    out = np.zeros((height, width), dtype=np.int32)
    box = _winding_box(points_px, width, height)
    if box is not None:
        r0, c0, w = box
        out[r0:r0 + w.shape[0], c0:] = w
    return out


def _winding_box(points_px: Any, width: int, height: int):
    """The winding numbers over the polygon's bounding rows, from its leftmost crossing
    column to the right edge: ``(first row, first column, array)``, or None if the
    polygon covers no pixel centre."""
    p = np.asarray(points_px, dtype=float)
    x0, y0 = p[:, 0], p[:, 1]
    x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
    down = y1 > y0
    keep = y1 != y0  # horizontal edges cross no row centre
    # order each edge's endpoints by y so that shared edges give bit-identical crossings
    ax = np.where(down, x0, x1)[keep]
    ay = np.where(down, y0, y1)[keep]
    bx = np.where(down, x1, x0)[keep]
    by = np.where(down, y1, y0)[keep]
    sign = np.where(down, 1, -1)[keep].astype(np.int32)
    # rows whose centre r + 0.5 lies in [ay, by)
    r_lo = np.clip(np.ceil(ay - 0.5), 0, height).astype(np.int64)
    r_hi = np.clip(np.ceil(by - 0.5), 0, height).astype(np.int64)
    n_rows = r_hi - r_lo
    total = int(n_rows.sum())
    if total == 0:
        return None
    edge = np.repeat(np.arange(len(ay)), n_rows)
    first = np.repeat(np.cumsum(n_rows) - n_rows, n_rows)
    rows = r_lo[edge] + (np.arange(total) - first)
    yc = rows + 0.5
    xc = ax[edge] + (yc - ay[edge]) * (bx[edge] - ax[edge]) / (by[edge] - ay[edge])
    cols = np.clip(np.ceil(xc - 0.5), 0, width).astype(np.int64)
    c_min = int(cols.min())
    r_min, r_max = int(rows.min()), int(rows.max())
    diff = np.zeros((r_max - r_min + 1, width + 1 - c_min), dtype=np.int32)
    np.add.at(diff, (rows - r_min, cols - c_min), sign[edge])
    return r_min, c_min, np.cumsum(diff[:, :-1], axis=1)


@lru_cache(maxsize=32)
def _label_image(figure: FigureLike, view: str, width: int, height: int) -> np.ndarray:
    fig = load_figure(figure)
    geo = fig.view(view)
    tf = pixel_transform(fig, width, height)
    labels = np.zeros((height, width), dtype=np.uint8)
    for part, poly in geo.regions.items():
        box = _winding_box(tf(poly), width, height)
        if box is not None:
            r0, c0, w = box
            labels[r0:r0 + w.shape[0], c0:][w != 0] = 1 + PART_INDEX[part]
    counts = np.bincount(labels.ravel(), minlength=N_LABELS)
    empty = [p for p in geo.regions if counts[1 + PART_INDEX[p]] == 0]
    if empty:
        raise BSAInputError(
            _("a {width} x {height} pixel canvas is too small for the {view} view of the "
              "{figure} figure: no pixel falls in {parts}; use a larger canvas").format(
                width=num(width), height=num(height), view=view, figure=fig.figure_id,
                parts=", ".join(empty))
        )
    labels.flags.writeable = False
    return labels


def _figure_key(figure: FigureLike) -> FigureLike:
    """What the caches key on: a shipped figure's id, or the geometry itself (a path is
    read again on every call, since the file may have changed)."""
    if isinstance(figure, FigureGeometry) or (isinstance(figure, str) and figure in FIGURES):
        return figure
    return load_figure(figure)


def label_image(figure_id: FigureLike, view: str, width: int, height: int) -> np.ndarray:
    """The label image of one view at a canvas size.

    Parameters
    ----------
    figure_id : str, path or FigureGeometry
        See :func:`bsa.diagram.geometry.load_figure`.
    view : {"front", "back"}
    width, height : int
        Canvas size. [pixels]

    Returns
    -------
    ndarray of uint8, shape (height, width), read-only
        0 outside the body; ``1 + bsa.core.regions.PART_INDEX[half]`` for the pixels of each
        half drawn on this view. Built once per (figure, view, size) and cached.

    Raises
    ------
    BSAInputError
        For an unknown figure or view, a bad size, or a size so small that some half gets
        no pixel at all.
    """
    _check_view(view)
    width, height = check_canvas_size(width, height)
    return _label_image(_figure_key(figure_id), view, width, height)


@lru_cache(maxsize=32)
def _half_pixel_counts(figure: FigureLike, view: str, width: int, height: int) -> np.ndarray:
    counts = np.bincount(_label_image(figure, view, width, height).ravel(),
                         minlength=N_LABELS).astype(np.int64)
    counts.flags.writeable = False
    return counts


def half_pixel_counts(figure_id: FigureLike, view: str, width: int, height: int) -> np.ndarray:
    """Pixels per label value (index 0 outside, ``1 + PART_INDEX[half]``), cached, read-only."""
    _check_view(view)
    width, height = check_canvas_size(width, height)
    return _half_pixel_counts(_figure_key(figure_id), view, width, height)


def outline_image(figure_id: FigureLike, view: str, width: int, height: int) -> np.ndarray:
    """The silhouette of one view filled on its own (bool, (height, width)).

    With a valid figure it equals ``label_image(...) > 0`` pixel for pixel.
    """
    fig = load_figure(figure_id)
    geo = fig.view(view)
    width, height = check_canvas_size(width, height)
    tf = pixel_transform(fig, width, height)
    return fill_polygon(tf(geo.outline), width, height) != 0


def _check_mask(mask: Any, view: str) -> np.ndarray:
    """A 2-D bool view of a painted mask (True = painted)."""
    if not isinstance(mask, np.ndarray):
        try:
            mask = np.asarray(mask)
        except (TypeError, ValueError):
            raise BSAInputError(_("the {view} mask must be a 2-D array").format(
                view=view)) from None
    if mask.ndim != 2:
        raise BSAInputError(
            _("the {view} mask must be 2-D (height, width), got shape {shape}").format(
                view=view, shape=mask.shape)
        )
    if mask.dtype == np.bool_:
        return mask
    if not np.issubdtype(mask.dtype, np.integer):
        raise BSAInputError(
            _("the {view} mask has dtype {dtype}; give a bool array (True = painted) or "
              "integers 0 and 1").format(view=view, dtype=mask.dtype)
        )
    if mask.size and (mask.min() < 0 or mask.max() > 1):
        raise BSAInputError(
            _("the {view} mask holds values from {low} to {high}; values must be 0 or 1 "
              "(threshold a canvas's alpha first, e.g. alpha > 127)").format(
                view=view, low=num(mask.min()), high=num(mask.max()))
        )
    if mask.dtype.itemsize == 1:
        return mask.view(np.bool_)
    return mask.astype(bool)


def _check_masks(masks: Any) -> tuple[dict[str, np.ndarray], tuple[int, int] | None]:
    if not isinstance(masks, Mapping):
        raise BSAInputError(
            _("masks must map a view ('front', 'back') to a 2-D painted mask, got "
              "{kind}").format(kind=type(masks).__name__)
        )
    out = {}
    for view, mask in masks.items():
        if view not in VIEWS:
            raise BSAInputError(
                _("unknown view {view} in masks; valid views are: {valid}").format(
                    view=repr(view), valid=", ".join(VIEWS))
            )
        if mask is not None:
            out[view] = _check_mask(mask, view)
    shapes = {m.shape for m in out.values()}
    if len(shapes) > 1:
        detail = ", ".join(f"{v} {m.shape}" for v, m in out.items())
        raise BSAInputError(_("the masks of the two views must have the same shape: "
                              "{detail}").format(detail=detail))
    return out, (shapes.pop() if shapes else None)


def _painted_counts(labels: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Painted pixels per label value. Indexing reads only the painted pixels (fast for
    a few strokes); multiplying reads every pixel once (faster when most is painted)."""
    if np.count_nonzero(mask) < mask.size // 3:
        return np.bincount(labels[mask], minlength=N_LABELS)
    return np.bincount((labels * mask).ravel(), minlength=N_LABELS)


def half_fractions(masks: Mapping[str, Any], figure_id: FigureLike) -> np.ndarray:
    """Each half's covered fraction from painted masks.

    Parameters
    ----------
    masks : mapping
        View (``"front"``, ``"back"``) -> painted mask, a 2-D bool array (or integers 0
        and 1), True where painted. Both masks have the same shape (height, width), which
        sets the canvas size; a view that is missing (or None) counts as unpainted.
    figure_id : str, path or FigureGeometry
        The figure the masks were painted on (:func:`bsa.diagram.geometry.figure_for_age`).

    Returns
    -------
    ndarray, shape (33,)
        Painted pixels of each half / pixels of that half, in
        :data:`bsa.core.regions.PART_NAMES` order. Paint outside the body is ignored; a fully
        painted half gives exactly 1.0.

    Raises
    ------
    BSAInputError
        For a mask that is not 2-D, of a dtype other than bool/integer, with values other
        than 0/1, masks of different shapes, an unknown view, or a canvas too small.

    Examples
    --------
    >>> import numpy as np
    >>> from bsa.diagram.masks import half_fractions, label_image
    >>> labels = label_image("adult", "front", 400, 900)
    >>> f = half_fractions({"front": labels > 0}, "adult")
    >>> float(f.max()), float(f.min())
    (1.0, 0.0)
    """
    checked, shape = _check_masks(masks)
    fractions = np.zeros(len(PART_NAMES))
    if shape is None:
        return fractions
    height, width = shape
    width, height = check_canvas_size(width, height)
    fig = _figure_key(figure_id)
    painted = np.zeros(N_LABELS, dtype=np.int64)
    total = np.zeros(N_LABELS, dtype=np.int64)
    for view in VIEWS:
        total += _half_pixel_counts(fig, view, width, height)
        if view in checked:
            labels = _label_image(fig, view, width, height)
            painted += _painted_counts(labels, checked[view])
    fractions[:] = painted[1:] / total[1:]
    return fractions


def coverage_percent(masks: Mapping[str, Any], figure_id: FigureLike, age: float,
                     chart: str = "lund_browder",
                     age_mode: str = "interpolated") -> tuple[float, np.ndarray]:
    """Affected percentage of body surface from painted masks.

    Parameters
    ----------
    masks, figure_id
        See :func:`half_fractions`.
    age : float
        Age of the patient. [years]
    chart, age_mode : str, optional
        See :func:`bsa.breakdown`.

    Returns
    -------
    total : float
        Affected body surface. [% of body surface]
    per_half : ndarray, shape (33,)
        Each half's contribution, weight x covered fraction, PART_NAMES order. [%]

    Examples
    --------
    >>> from bsa.diagram.masks import coverage_percent, label_image
    >>> front = label_image("child", "front", 400, 900) > 0
    >>> back = label_image("child", "back", 400, 900) > 0
    >>> round(coverage_percent({"front": front, "back": back}, "child", 5)[0], 9)
    100.0
    """
    from ..core.estimation import breakdown

    per_half = breakdown(half_fractions(masks, figure_id), age, chart, age_mode)
    return float(per_half.sum()), per_half


def parts_mask(figure_id: FigureLike, view: str, width: int, height: int,
               parts: Any) -> np.ndarray:
    """A bool mask (height, width) of the pixels of the given halves on one view.

    ``parts`` is an iterable of half names; halves of the other view add nothing. Used to
    fill or empty a whole region with one click.
    """
    labels = label_image(figure_id, view, width, height)
    if isinstance(parts, str):
        parts = [parts]
    values = []
    for p in parts:
        if p not in PART_INDEX:
            raise BSAInputError(
                _("unknown half {half}; halves are named like 'head:front', "
                  "'right_thigh:back'").format(half=repr(p))
            )
        if p in view_parts(view):
            values.append(1 + PART_INDEX[p])
    lut = np.zeros(N_LABELS, dtype=bool)
    lut[values] = True
    return lut[labels]


def part_at(figure_id: FigureLike, view: str, width: int, height: int, x: float,
            y: float) -> str | None:
    """The half under the pixel coordinate (x, y) on a canvas, or None outside the body."""
    labels = label_image(figure_id, view, width, height)
    c, r = int(np.floor(x)), int(np.floor(y))
    if not (0 <= r < labels.shape[0] and 0 <= c < labels.shape[1]):
        return None
    k = int(labels[r, c])
    return PART_NAMES[k - 1] if k else None


# ----------------------------------------------------------------- carrying marks over
#: Sides of the boxes averaged to tell how much paint surrounds a point, for choosing the
#: pixels to add around a spot or to drop at its edge. [pixels]
_DENSITY_BOXES = (3, 9, 27, 81)


def _row_spans(labels: np.ndarray, value: int):
    """The rows a label value occupies, and the first and last column in each row."""
    ys, xs = np.nonzero(labels == value)  # row by row, left to right
    rows, first, counts = np.unique(ys, return_index=True, return_counts=True)
    return ys, xs, rows, xs[first], xs[first + counts - 1]


def _box_density(painted: np.ndarray) -> np.ndarray:
    """Mean of ``painted`` over square boxes of several sizes around each pixel, in [0, 1]."""
    h, w = painted.shape
    integral = np.zeros((h + 1, w + 1))
    integral[1:, 1:] = np.cumsum(np.cumsum(painted, axis=0), axis=1)
    rows, cols = np.arange(h), np.arange(w)
    out = np.zeros((h, w))
    for side in _DENSITY_BOXES:
        r0 = np.clip(rows - side // 2, 0, h)[:, None]
        r1 = np.clip(rows + side // 2 + 1, 0, h)[:, None]
        c0 = np.clip(cols - side // 2, 0, w)[None, :]
        c1 = np.clip(cols + side // 2 + 1, 0, w)[None, :]
        total = integral[r1, c1] - integral[r0, c1] - integral[r1, c0] + integral[r0, c0]
        out += total / ((r1 - r0) * (c1 - c0))
    return out / len(_DENSITY_BOXES)


def carry_marks(masks: Mapping[str, Any], from_figure: FigureLike,
                to_figure: FigureLike) -> dict[str, np.ndarray]:
    """Move painted masks from one figure to another, half by half.

    Each half's painted pixels go to the same relative place in that half of the new
    figure, so a spot stays a spot where it was (on the left of the thigh, near the knee):
    a pixel of the new half at a relative height ``v`` of the half (counted in its rows)
    and a relative position ``u`` across its row is painted as the pixel of the old half
    at the same ``v`` and ``u``. The number of pixels painted in the new half is then set
    to keep the half's covered fraction: pixels are added next to the paint, or dropped at
    the edge of it, where the mapping gives more or fewer. Paint outside the body is
    dropped (it never counts).

    Parameters
    ----------
    masks : mapping
        View (``"front"``, ``"back"``) -> painted mask (2-D bool, or integers 0 and 1), all
        of one shape (height, width), as for :func:`half_fractions`. A missing view (or
        None) is left out of the result.
    from_figure, to_figure : str, path or FigureGeometry
        The figure the masks were painted on, and the figure to carry them to.

    Returns
    -------
    dict of str to ndarray of bool, shape (height, width)
        The masks on ``to_figure``, one per view given. Each half's covered fraction
        (:func:`half_fractions`) is the old one to within one pixel of the new half: the
        nearest whole number of pixels, never none for a half that had paint and never all
        for a half that was not fully painted. A half with no paint stays empty; a fully
        painted one stays full.

    Raises
    ------
    BSAInputError
        As :func:`half_fractions`, for bad masks, figures or views.

    Examples
    --------
    >>> import numpy as np
    >>> from bsa.diagram.masks import carry_marks, half_fractions, label_image
    >>> from bsa.core.regions import PART_INDEX
    >>> spot = np.zeros((900, 400), dtype=bool)
    >>> spot[400:420, 150:170] = True
    >>> moved = carry_marks({"front": spot}, "adult", "child")
    >>> i = np.flatnonzero(half_fractions({"front": spot}, "adult"))
    >>> [str(p) for p in np.array(list(PART_INDEX))[i]]
    ['anterior_trunk:front']
    >>> before = half_fractions({"front": spot}, "adult")[i]
    >>> after = half_fractions(moved, "child")[i]
    >>> bool(abs(after - before)[0] < 1e-3)
    True
    """
    checked, shape = _check_masks(masks)
    if shape is None:
        return {}
    height, width = shape
    width, height = check_canvas_size(width, height)
    source_figure, target_figure = _figure_key(from_figure), _figure_key(to_figure)
    out = {}
    for view, mask in checked.items():
        source = _label_image(source_figure, view, width, height)
        target = _label_image(target_figure, view, width, height)
        moved = np.zeros((height, width), dtype=bool)
        for part in view_parts(view):
            value = 1 + PART_INDEX[part]
            _carry_half(mask, source, target, value, moved)
        out[view] = moved
    return out


def _carry_half(mask: np.ndarray, source: np.ndarray, target: np.ndarray, value: int,
                moved: np.ndarray) -> None:
    """Paint into ``moved`` the pixels of one half of ``target`` that carry its marks."""
    ys, xs, rows, first, last = _row_spans(source, value)
    painted = mask[ys, xs]
    n_painted = int(np.count_nonzero(painted))
    if n_painted == 0:
        return
    tys, txs, trows, tfirst, tlast = _row_spans(target, value)
    n_target = len(tys)
    if n_painted == len(ys):
        moved[tys, txs] = True
        return
    # Where each pixel of the new half comes from: same rank of row, same place across it.
    row_rank = np.searchsorted(trows, tys)
    v = (row_rank + 0.5) / len(trows)
    source_rank = np.minimum((v * len(rows)).astype(np.int64), len(rows) - 1)
    u = (txs - tfirst[row_rank] + 0.5) / (tlast[row_rank] + 1 - tfirst[row_rank])
    span = last[source_rank] + 1 - first[source_rank]
    sx = np.minimum(first[source_rank] + (u * span).astype(np.int64), last[source_rank])
    sy = rows[source_rank]
    # The paint of this half alone, cropped to the half's box (the neighbours' paint must not
    # pull pixels of this half towards them).
    y0, x0 = ys.min(), xs.min()
    local = np.zeros((ys.max() + 1 - y0, xs.max() + 1 - x0))
    local[ys[painted] - y0, xs[painted] - x0] = 1.0
    hit = local[sy - y0, sx - x0] > 0
    density = _box_density(local)[sy - y0, sx - x0]
    keep = int(round(n_painted / len(ys) * n_target))
    keep = min(max(keep, 1), n_target - 1)
    # The pixels that land on paint first, the most surrounded by paint first.
    order = np.lexsort((np.arange(n_target), -density, ~hit))
    chosen = order[:keep]
    moved[tys[chosen], txs[chosen]] = True
