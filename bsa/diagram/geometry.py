"""The body diagram: front and back figures divided into the Lund-Browder regions.

A figure is data: ``charts/body_diagram_<figure>.json`` holds, for each view, the
silhouette (``outline``) and one polygon per half (see :data:`bsa.core.regions.PART_NAMES`),
in figure units (x to the viewer's right, y downwards; the stature is 1000 units). The
files are drawn by ``tools/make_body_diagram.py`` and can be edited by hand; every file is
checked when it is read: each half of the view is present, the polygons are simple, and
the regions tile the silhouette exactly (no overlap, no gap).

Right and left are the patient's. On the front view the patient's right is on the
viewer's left; on the back view it is on the viewer's right. Both views are marked R and L.

Children are not small adults: there is one figure per age group (:data:`FIGURES`, chosen
by :func:`figure_for_age`), drawn with the head and leg proportions of that age. The drawn
areas never act as weights: a region's percentage always comes from the chart
(:func:`bsa.half_weights`), and a painted region counts as the fraction of its own pixels.

One transform, :func:`pixel_transform`, places a figure on a canvas of a given pixel
size; the rasteriser (:mod:`bsa.diagram.masks`), the SVG (:func:`diagram_svg`) and the painted
overlays of :mod:`bsa.diagram.picture` all use it, so they align pixel for pixel.

References
----------
.. [1] Lund CC, Browder NC. The estimation of areas of burns. Surg Gynecol Obstet
   1944;79:352-358.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from ..core.regions import PART_INDEX, PART_NAMES, REGION_SIDES, region_label
from ..data import data_path
from ..errors import BSAInputError

__all__ = [
    "VIEWS",
    "FIGURES",
    "FIGURE_AGE_BANDS",
    "MIN_CANVAS",
    "MAX_CANVAS",
    "FigureGeometry",
    "ViewGeometry",
    "PixelTransform",
    "figure_for_age",
    "view_parts",
    "load_figure",
    "read_figure_file",
    "check_canvas_size",
    "pixel_transform",
    "to_pixels",
    "diagram_svg",
    "short_label",
]

#: The two views of the diagram.
VIEWS: tuple[str, ...] = ("front", "back")

#: The figure ids, youngest first.
FIGURES: tuple[str, ...] = ("infant", "child", "older_child", "adult")

#: Age band of each figure, ``[from, to)`` in years: a figure is drawn with the head and
#: leg proportions of the middle of its band (about 1, 5 and 11 years, and adult).
FIGURE_AGE_BANDS = MappingProxyType(
    {
        "infant": (0.0, 2.0),
        "child": (2.0, 8.0),
        "older_child": (8.0, 15.0),
        "adult": (15.0, math.inf),
    }
)

#: Smallest and largest canvas side accepted. [pixels]
MIN_CANVAS, MAX_CANVAS = 8, 4096

_MAX_AGE = 120.0


def figure_for_age(age_years: float) -> str:
    """Return the figure drawn for a patient of this age.

    Parameters
    ----------
    age_years : float
        Age of the patient, 0 to 120. [years]

    Returns
    -------
    str
        ``"infant"`` under 2 years, ``"child"`` from 2 to under 8, ``"older_child"`` from 8
        to under 15, ``"adult"`` from 15 on (:data:`FIGURE_AGE_BANDS`). The bands choose a
        drawing only; the weights follow the chart at the exact age.

    Raises
    ------
    BSAInputError
        For an age that is not a number from 0 to 120.

    Examples
    --------
    >>> figure_for_age(0.5), figure_for_age(5), figure_for_age(40)
    ('infant', 'child', 'adult')
    """
    try:
        a = float(age_years)
    except (TypeError, ValueError):
        raise BSAInputError(f"age must be a number of years, got {age_years!r}") from None
    if not (0.0 <= a <= _MAX_AGE):  # NaN fails too
        raise BSAInputError(f"age must be from 0 to {_MAX_AGE:g} years, got {age_years!r}")
    for figure_id, (lo, hi) in FIGURE_AGE_BANDS.items():
        if lo <= a < hi:
            return figure_id
    raise AssertionError("the age bands cover 0 to infinity")  # pragma: no cover


def view_parts(view: str) -> tuple[str, ...]:
    """The halves drawn on one view, in :data:`bsa.core.regions.PART_NAMES` order."""
    _check_view(view)
    return tuple(p for p in PART_NAMES if p.endswith(":" + view))


def _check_view(view: Any) -> str:
    if view not in VIEWS:
        raise BSAInputError(f"unknown view {view!r}; valid views are: {', '.join(VIEWS)}")
    return view


# --------------------------------------------------------------------------- geometry
@dataclass(frozen=True, eq=False)
class ViewGeometry:
    """One view of a figure, in figure units.

    Attributes
    ----------
    view : str
        ``"front"`` or ``"back"``.
    outline : ndarray, shape (n, 2)
        The silhouette, counter-clockwise on screen (positive shoelace area with y down).
    regions : mapping
        Half name -> polygon, ndarray shape (m, 2), same orientation as the outline. Only
        the halves drawn on this view (:func:`view_parts`), in PART_NAMES order.
    label_points : mapping
        Half name -> (x, y), a point well inside the half, for its label.
    marks : mapping
        ``"R"`` and ``"L"`` -> (x, y), where the patient's right and left are marked.
    """

    view: str
    outline: np.ndarray
    regions: Mapping[str, np.ndarray]
    label_points: Mapping[str, tuple[float, float]]
    marks: Mapping[str, tuple[float, float]]


@dataclass(frozen=True, eq=False)
class FigureGeometry:
    """A body figure: its views, the frame that holds them, and where it came from.

    Attributes
    ----------
    figure_id : str
        One of :data:`FIGURES`, or the file name for a figure read from a path.
    title, ages, drawn_as : str
        For captions: ``"Child"``, ``"2 to under 8 years"``, ``"about 5 years old"``.
    frame : tuple of 4 floats
        ``(x_min, y_min, x_max, y_max)``: the area shown on a canvas, the same for both
        views so that they share one scale. [figure units]
    views : mapping
        ``"front"``/``"back"`` -> :class:`ViewGeometry`.
    source : mapping
        Who drew it and after what.
    """

    figure_id: str
    title: str
    ages: str
    drawn_as: str
    frame: tuple[float, float, float, float]
    views: Mapping[str, ViewGeometry]
    source: Mapping[str, Any]

    def view(self, view: str) -> ViewGeometry:
        """The geometry of one view (``"front"`` or ``"back"``)."""
        return self.views[_check_view(view)]


def load_figure(figure: str | Path | FigureGeometry = "adult") -> FigureGeometry:
    """Read and check a figure.

    Parameters
    ----------
    figure : str, path or FigureGeometry
        A figure id (:data:`FIGURES`; shipped files are read once and cached), or the path
        of a geometry file in the same format (read and checked on every call). A
        :class:`FigureGeometry` is returned unchanged.

    Returns
    -------
    FigureGeometry

    Raises
    ------
    BSAInputError
        For an unknown figure id (the message lists the valid ones), or a file that is
        missing, unreadable, or fails a check (see :func:`read_figure_file`).
    """
    if isinstance(figure, FigureGeometry):
        return figure
    if isinstance(figure, str) and figure in FIGURES:
        return _load_shipped(figure)
    if isinstance(figure, Path) or (
        isinstance(figure, str) and (figure.endswith(".json") or "/" in figure)
    ):
        return read_figure_file(figure)
    raise BSAInputError(
        f"unknown figure {figure!r}; valid figures are: {', '.join(FIGURES)} "
        "(or the path of a body-diagram .json file)"
    )


@cache
def _load_shipped(figure_id: str) -> FigureGeometry:
    return read_figure_file(data_path(f"body_diagram_{figure_id}.json"), figure_id)


def read_figure_file(path: str | Path, figure_id: str | None = None) -> FigureGeometry:
    """Read a body-diagram geometry file and check it.

    The file is a JSON object::

        {"figure": "child", "title": "Child", "ages": "2 to under 8 years",
         "drawn_as": "about 5 years old", "source": {...},
         "frame": [x_min, y_min, x_max, y_max],
         "views": {"front": {"outline": [[x, y], ...],
                             "regions": {"head:front": [[x, y], ...], ...},
                             "label_points": {"head:front": [x, y], ...},
                             "marks": {"R": [x, y], "L": [x, y]}},
                   "back": {...}}}

    in figure units (x to the viewer's right, y down). ``outline`` and ``regions`` are
    required; ``label_points`` (default: each polygon's mean vertex) and ``marks``
    (default: the top corners) are optional. A polygon may repeat its first point at the
    end and may run either way round.

    Checks: every half of each view is present and no other; every polygon has at least
    3 finite points inside the frame and does not cross itself; the regions of a view
    tile its outline exactly. The tiling check is exact: neighbouring regions must share
    their border vertices, so that every region edge is either shared (in the opposite
    direction) with exactly one neighbour or lies on the outline, and every outline edge
    belongs to one region. With simple polygons of one orientation this is equivalent to
    "every point inside the silhouette is in exactly one region" (no gap, no overlap).

    Raises
    ------
    BSAInputError
        Naming the file, the view, the region and a point near the problem.
    """
    path = Path(path)
    where = f"body diagram {path.name}"
    try:
        with path.open(encoding="utf-8") as f:
            doc = json.load(f)
    except FileNotFoundError:
        raise BSAInputError(f"{where}: no such file: {path}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BSAInputError(f"{where}: cannot read it as JSON: {exc}") from None
    if not isinstance(doc, Mapping):
        raise BSAInputError(f"{where}: the file must hold a JSON object")
    for key in ("frame", "views"):
        if key not in doc:
            raise BSAInputError(f"{where}: missing the {key!r} entry")
    frame = _points(doc["frame"], f"{where}: frame", flat=True)
    if frame.shape != (4,) or not (frame[0] < frame[2] and frame[1] < frame[3]):
        raise BSAInputError(
            f"{where}: frame must be [x_min, y_min, x_max, y_max] with min < max, "
            f"got {doc['frame']!r}"
        )
    views_doc = doc["views"]
    if not isinstance(views_doc, Mapping) or set(views_doc) != set(VIEWS):
        got = sorted(views_doc) if isinstance(views_doc, Mapping) else views_doc
        raise BSAInputError(f"{where}: 'views' must have exactly {', '.join(VIEWS)}; got {got}")
    views = {}
    for view in VIEWS:
        views[view] = _read_view(views_doc[view], view, frame, f"{where}, {view} view")
    fid = figure_id or str(doc.get("figure", path.stem))
    return FigureGeometry(
        figure_id=fid,
        title=str(doc.get("title", fid)),
        ages=str(doc.get("ages", "")),
        drawn_as=str(doc.get("drawn_as", "")),
        frame=(float(frame[0]), float(frame[1]), float(frame[2]), float(frame[3])),
        views=MappingProxyType(views),
        source=MappingProxyType(dict(doc.get("source", {}))),
    )


def _points(value: Any, what: str, *, flat: bool = False) -> np.ndarray:
    try:
        a = np.array(value, dtype=float)
    except (TypeError, ValueError):
        raise BSAInputError(f"{what}: must be a list of numbers, got {value!r:.80}") from None
    if not flat and (a.ndim != 2 or a.shape[1] != 2):
        raise BSAInputError(f"{what}: must be a list of [x, y] points, got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise BSAInputError(f"{what}: holds a value that is not a finite number")
    return a


def _read_view(doc: Any, view: str, frame: np.ndarray, where: str) -> ViewGeometry:
    if not isinstance(doc, Mapping) or "outline" not in doc or "regions" not in doc:
        raise BSAInputError(f"{where}: must have an 'outline' and 'regions'")
    expected = view_parts(view)
    regions_doc = doc["regions"]
    if not isinstance(regions_doc, Mapping):
        raise BSAInputError(f"{where}: 'regions' must map half names to polygons")
    missing = [p for p in expected if p not in regions_doc]
    if missing:
        raise BSAInputError(f"{where}: missing region(s) {', '.join(missing)}")
    extra = [p for p in regions_doc if p not in expected]
    if extra:
        detail = []
        for p in extra:
            if p in PART_INDEX:
                detail.append(f"{p} (drawn on the {p.rsplit(':', 1)[1]} view only)")
            else:
                detail.append(f"{p} (not a half; halves are named like 'head:{view}')")
        raise BSAInputError(f"{where}: unexpected region(s): {'; '.join(detail)}")
    outline = _polygon(doc["outline"], frame, f"{where}: outline")
    regions = {p: _polygon(regions_doc[p], frame, f"{where}: region {p}") for p in expected}
    _check_tiling(outline, regions, where)
    labels_doc = doc.get("label_points", {}) or {}
    label_points = {}
    for p in expected:
        if p in labels_doc:
            xy = _points(labels_doc[p], f"{where}: label point of {p}", flat=True)
            if xy.shape != (2,):
                raise BSAInputError(f"{where}: label point of {p} must be [x, y]")
            label_points[p] = (float(xy[0]), float(xy[1]))
        else:
            c = regions[p].mean(axis=0)
            label_points[p] = (float(c[0]), float(c[1]))
    marks_doc = doc.get("marks", {}) or {}
    r_side = -1.0 if view == "front" else 1.0
    default_marks = {"R": (r_side * 0.8 * frame[2], frame[1] + 0.05 * (frame[3] - frame[1])),
                     "L": (-r_side * 0.8 * frame[2], frame[1] + 0.05 * (frame[3] - frame[1]))}
    marks = {}
    for k in ("R", "L"):
        if k in marks_doc:
            xy = _points(marks_doc[k], f"{where}: mark {k}", flat=True)
            marks[k] = (float(xy[0]), float(xy[1]))
        else:
            marks[k] = default_marks[k]
    if (marks["R"][0] < marks["L"][0]) != (view == "front"):
        raise BSAInputError(
            f"{where}: the R mark must be on the viewer's "
            f"{'left' if view == 'front' else 'right'} on the {view} view (the patient's "
            "right)"
        )
    for arr in (outline, *regions.values()):
        arr.flags.writeable = False
    return ViewGeometry(
        view=view,
        outline=outline,
        regions=MappingProxyType(regions),
        label_points=MappingProxyType(label_points),
        marks=MappingProxyType(marks),
    )


def _signed_area(p: np.ndarray) -> float:
    x, y = p[:, 0], p[:, 1]
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def _polygon(value: Any, frame: np.ndarray, what: str) -> np.ndarray:
    p = _points(value, what)
    if len(p) < 3:
        raise BSAInputError(f"{what}: a polygon needs at least 3 points, got {len(p)}")
    if np.any(p[:, 0] < frame[0]) or np.any(p[:, 0] > frame[2]) or np.any(
        p[:, 1] < frame[1]) or np.any(p[:, 1] > frame[3]):
        raise BSAInputError(f"{what}: has points outside the frame {frame.tolist()}")
    if np.array_equal(p[0], p[-1]):
        p = p[:-1]  # a closing point repeated is allowed
    step = np.roll(p, -1, axis=0) - p
    if np.any(np.all(step == 0, axis=1)):
        i = int(np.flatnonzero(np.all(step == 0, axis=1))[0])
        raise BSAInputError(f"{what}: the point {p[i].tolist()} is repeated")
    crossing = _first_self_crossing(p)
    if crossing is not None:
        raise BSAInputError(f"{what}: the polygon crosses itself near {crossing}")
    area = _signed_area(p)
    if area == 0:
        raise BSAInputError(f"{what}: the polygon has no area")
    if area < 0:  # one orientation for all, so that shared borders run opposite ways
        p = p[::-1].copy()
    return np.ascontiguousarray(p)


def _first_self_crossing(p: np.ndarray) -> list[float] | None:
    """A point where two non-neighbouring edges of a closed polygon meet, or None."""
    n = len(p)
    a, b = p, np.roll(p, -1, axis=0)
    # neighbouring edges folding back on each other (a spike)
    d1, d2 = b - a, np.roll(b - a, -1, axis=0)
    fold = (d1[:, 0] * d2[:, 1] - d1[:, 1] * d2[:, 0] == 0) & (np.sum(d1 * d2, axis=1) < 0)
    if np.any(fold):
        return b[int(np.flatnonzero(fold)[0])].tolist()
    if n < 4:
        return None
    i, j = _nearby_edge_pairs(a, b)
    keep = (j - i >= 2) & ~((i == 0) & (j == n - 1))  # not neighbours
    i, j = i[keep], j[keep]
    lo_i, hi_i = np.minimum(a, b), np.maximum(a, b)
    near = np.all(lo_i[i] <= hi_i[j], axis=1) & np.all(lo_i[j] <= hi_i[i], axis=1)
    i, j = i[near], j[near]
    if len(i) == 0:
        return None
    p1, p2, q1, q2 = a[i], b[i], a[j], b[j]

    def orient(u, v, w):
        return np.sign((v[:, 0] - u[:, 0]) * (w[:, 1] - u[:, 1])
                       - (v[:, 1] - u[:, 1]) * (w[:, 0] - u[:, 0]))

    o1, o2, o3, o4 = orient(p1, p2, q1), orient(p1, p2, q2), orient(q1, q2, p1), orient(
        q1, q2, p2)
    # with the boxes overlapping, this also catches touching and collinear overlap
    hit = (o1 * o2 <= 0) & (o3 * o4 <= 0)
    if np.any(hit):
        k = int(np.flatnonzero(hit)[0])
        return [round(float(v), 1) for v in (p1[k] + p2[k]) / 2]
    return None


def _nearby_edge_pairs(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) of edges a->b whose bounding boxes may overlap.

    Edges are binned on a grid whose cell is as large as the longest edge, so an edge's
    box touches at most 2 x 2 cells and overlapping boxes are at most one cell apart: only
    the 3 x 3 neighbourhood of each edge's first cell needs comparing.
    """
    lo = np.minimum(a, b)
    cell = max(float(np.max(np.abs(b - a))), 1e-9)
    ij = np.floor((lo - lo.min(axis=0)) / cell).astype(np.int64)
    span = int(ij[:, 1].max()) + 3
    key = ij[:, 0] * span + ij[:, 1]
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    firsts, seconds = [], []
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            target = key + dx * span + dy
            start = np.searchsorted(sorted_key, target, side="left")
            stop = np.searchsorted(sorted_key, target, side="right")
            counts = stop - start
            total = int(counts.sum())
            if total == 0:
                continue
            first = np.repeat(np.arange(len(key)), counts)
            offset = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
            second = order[np.repeat(start, counts) + offset]
            firsts.append(first)
            seconds.append(second)
    i = np.concatenate(firsts)
    j = np.concatenate(seconds)
    keep = i < j
    return i[keep], j[keep]


def _check_tiling(outline: np.ndarray, regions: Mapping[str, np.ndarray], where: str) -> None:
    """Every region edge is cancelled by a neighbour's opposite edge or matches the
    outline; every outline edge belongs to a region."""
    net: dict[tuple, int] = {}
    owners: dict[tuple, list[str]] = {}

    def add(poly: np.ndarray, sign: int, name: str) -> None:
        pts = [tuple(q) for q in poly.tolist()]
        for u, v in zip(pts, pts[1:] + pts[:1]):
            key, s = ((u, v), sign) if u < v else ((v, u), -sign)
            net[key] = net.get(key, 0) + s
            owners.setdefault(key, []).append(name)

    for name, poly in regions.items():
        add(poly, 1, name)
    add(outline, -1, "outline")
    bad = [k for k, v in net.items() if v != 0]
    if not bad:
        return
    key = bad[0]
    near = [round((key[0][0] + key[1][0]) / 2, 1), round((key[0][1] + key[1][1]) / 2, 1)]
    names = [n for n in owners[key] if n != "outline"]
    if "outline" in owners[key] and not names:
        raise BSAInputError(
            f"{where}: gap: the outline near {near} is not the border of any region"
        )
    if len(names) >= 2 and "outline" not in owners[key] and abs(net[key]) == 2:
        raise BSAInputError(
            f"{where}: overlap: regions {names[0]} and {names[1]} lie on the same side of "
            f"their border near {near}"
        )
    raise BSAInputError(
        f"{where}: gap or overlap at the border of {', '.join(names) or 'the outline'} "
        f"near {near}: the edge is neither shared with a neighbouring region nor on the "
        "outline (neighbouring regions must share their border vertices exactly)"
    )


# --------------------------------------------------------------------------- pixels
@dataclass(frozen=True)
class PixelTransform:
    """Figure units -> pixel coordinates on a ``width`` x ``height`` canvas.

    The figure's frame is scaled uniformly to fit the canvas and centred. Pixel
    coordinates have the origin at the top-left corner of the canvas, x to the right and
    y down; the centre of pixel (row r, column c) is at (c + 0.5, r + 0.5).
    """

    scale: float
    frame_x: float
    frame_y: float
    offset_x: float
    offset_y: float
    width: int
    height: int

    def __call__(self, points: Any) -> np.ndarray:
        """Map points (..., 2) in figure units to pixels (..., 2)."""
        p = np.asarray(points, dtype=float)
        out = np.empty(p.shape, dtype=float)
        out[..., 0] = self.offset_x + (p[..., 0] - self.frame_x) * self.scale
        out[..., 1] = self.offset_y + (p[..., 1] - self.frame_y) * self.scale
        return out

    def inverse(self, pixels: Any) -> np.ndarray:
        """Map pixel coordinates (..., 2) back to figure units."""
        q = np.asarray(pixels, dtype=float)
        out = np.empty(q.shape, dtype=float)
        out[..., 0] = self.frame_x + (q[..., 0] - self.offset_x) / self.scale
        out[..., 1] = self.frame_y + (q[..., 1] - self.offset_y) / self.scale
        return out

    @property
    def canvas_extent(self) -> tuple[float, float, float, float]:
        """The canvas in figure units: (x_left, x_right, y_bottom, y_top) for imshow."""
        (x0, y0), (x1, y1) = self.inverse([[0, 0], [self.width, self.height]])
        return float(x0), float(x1), float(y1), float(y0)


def check_canvas_size(width: Any, height: Any) -> tuple[int, int]:
    """Check a canvas size in pixels; returns ``(width, height)`` as ints."""
    out = []
    for name, v in (("width", width), ("height", height)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise BSAInputError(f"canvas {name} must be a whole number of pixels, got {v!r}")
        if not (MIN_CANVAS <= v <= MAX_CANVAS):
            raise BSAInputError(
                f"canvas {name} must be from {MIN_CANVAS} to {MAX_CANVAS} pixels, got {v}"
            )
        out.append(int(v))
    return out[0], out[1]


def pixel_transform(figure: str | Path | FigureGeometry, width: int,
                    height: int) -> PixelTransform:
    """The one transform from figure units to pixels for a ``width`` x ``height`` canvas.

    Parameters
    ----------
    figure : str, path or FigureGeometry
        See :func:`load_figure`.
    width, height : int
        Canvas size. [pixels]
    """
    fig = load_figure(figure)
    width, height = check_canvas_size(width, height)
    x0, y0, x1, y1 = fig.frame
    scale = min(width / (x1 - x0), height / (y1 - y0))
    return PixelTransform(
        scale=scale,
        frame_x=x0,
        frame_y=y0,
        offset_x=(width - scale * (x1 - x0)) / 2,
        offset_y=(height - scale * (y1 - y0)) / 2,
        width=width,
        height=height,
    )


def to_pixels(points: Any, figure: str | Path | FigureGeometry, width: int,
              height: int) -> np.ndarray:
    """Map points (..., 2) in figure units to pixel coordinates; see :func:`pixel_transform`."""
    return pixel_transform(figure, width, height)(points)


# --------------------------------------------------------------------------- SVG
SKIN = "#f7e4d4"
BORDER = "#9a8070"
OUTLINE = "#3b2f2a"
TINT = "#c2410c"


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
    side_words = "left" if view == "front" else "right"
    title = (f"{view.capitalize()} view of the body ({fig.title.lower()} figure); the "
             f"patient's right is on the viewer's {side_words}")
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
            f'fill="{OUTLINE}" pointer-events="none">{mark}</text>'
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
