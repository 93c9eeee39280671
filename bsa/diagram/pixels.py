"""Placing a figure on a canvas of a given pixel size: the one transform.

The rasteriser (:mod:`bsa.diagram.masks`), the SVG (:mod:`bsa.diagram.svg`) and the painted
overlays of :mod:`bsa.diagram.picture` all use :func:`pixel_transform`, so they align pixel
for pixel.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import BSAInputError
from .geometry import FigureGeometry, load_figure

__all__ = ["MIN_CANVAS", "MAX_CANVAS", "PixelTransform", "check_canvas_size", "pixel_transform", "to_pixels"]

#: The smallest and largest canvas side accepted. [pixels]
MIN_CANVAS, MAX_CANVAS = 8, 4096


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
