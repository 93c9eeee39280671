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

One transform, :func:`bsa.diagram.pixels.pixel_transform`, places a figure on a canvas of a given pixel
size; the rasteriser (:mod:`bsa.diagram.masks`), the SVG (:func:`diagram_svg`) and the painted
overlays of :mod:`bsa.diagram.picture` all use it, so they align pixel for pixel.

References
----------
.. [1] Lund CC, Browder NC. The estimation of areas of burns. Surg Gynecol Obstet
   1944;79:352-358.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from .._renamed import renamed_argument
from ..core.regions import PART_INDEX, PART_NAMES
from ..data import data_path, read_data_file
from ..errors import BSAInputError
from .polygons import check_tiling, points, polygon

__all__ = [
    "VIEWS",
    "FIGURES",
    "FIGURE_AGE_BANDS",
    "FigureGeometry",
    "ViewGeometry",
    "figure_for_age",
    "view_parts",
    "load_figure",
    "read_figure_file",
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

_MAX_AGE = 120.0

#: The version of the body-diagram file format this module reads
#: (``charts/schemas/body_diagram.schema.json``).
SCHEMA_VERSION = 1


@renamed_argument("age_years", "age")
def figure_for_age(age: float) -> str:
    """Return the figure drawn for a patient of this age.

    Parameters
    ----------
    age : float
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
        a = float(age)
    except (TypeError, ValueError):
        raise BSAInputError(f"age must be a number of years, got {age!r}") from None
    if not (0.0 <= a <= _MAX_AGE):  # NaN fails too
        raise BSAInputError(f"age must be from 0 to {_MAX_AGE:g} years, got {age!r}")
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

        {"schema_version": 1, "figure": "child", "title": "Child",
         "ages": "2 to under 8 years", "drawn_as": "about 5 years old", "source": {...},
         "frame": [x_min, y_min, x_max, y_max],
         "views": {"front": {"outline": [[x, y], ...],
                             "regions": {"head:front": [[x, y], ...], ...},
                             "label_points": {"head:front": [x, y], ...},
                             "marks": {"R": [x, y], "L": [x, y]}},
                   "back": {...}}}

    in figure units (x to the viewer's right, y down). ``outline`` and ``regions`` are
    required; ``label_points`` (default: each polygon's mean vertex) and ``marks``
    (default: the top corners) are optional. A polygon may repeat its first point at the
    end and may run either way round. ``charts/schemas/body_diagram.schema.json`` describes
    every field.

    Checks: the schema version (:data:`SCHEMA_VERSION`); every half of each view is present and no other; every polygon has at least
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
    doc = read_data_file(path, SCHEMA_VERSION, "body diagram")
    for key in ("frame", "views"):
        if key not in doc:
            raise BSAInputError(f"{where}: missing the {key!r} entry")
    frame = points(doc["frame"], f"{where}: frame", flat=True)
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
    outline = polygon(doc["outline"], frame, f"{where}: outline")
    regions = {p: polygon(regions_doc[p], frame, f"{where}: region {p}") for p in expected}
    check_tiling(outline, regions, where)
    labels_doc = doc.get("label_points", {}) or {}
    label_points = {}
    for p in expected:
        if p in labels_doc:
            xy = points(labels_doc[p], f"{where}: label point of {p}", flat=True)
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
            xy = points(marks_doc[k], f"{where}: mark {k}", flat=True)
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
