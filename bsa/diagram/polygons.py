"""Checks of the body diagram's polygons: simple (no self-crossing), and tiling the outline.

Used when a figure file is read (:func:`bsa.diagram.geometry.read_figure_file`): each half's
polygon must be simple and oriented, and the halves must cover the silhouette exactly (no
overlap, no gap).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..errors import BSAInputError

__all__ = ["check_tiling", "points", "polygon"]


def points(value: Any, what: str, *, flat: bool = False) -> np.ndarray:
    try:
        a = np.array(value, dtype=float)
    except (TypeError, ValueError):
        raise BSAInputError(f"{what}: must be a list of numbers, got {value!r:.80}") from None
    if not flat and (a.ndim != 2 or a.shape[1] != 2):
        raise BSAInputError(f"{what}: must be a list of [x, y] points, got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise BSAInputError(f"{what}: holds a value that is not a finite number")
    return a


def _signed_area(p: np.ndarray) -> float:
    x, y = p[:, 0], p[:, 1]
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def polygon(value: Any, frame: np.ndarray, what: str) -> np.ndarray:
    p = points(value, what)
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


def check_tiling(outline: np.ndarray, regions: Mapping[str, np.ndarray], where: str) -> None:
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
