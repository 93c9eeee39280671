"""Benchmark: coverage from painted masks, and building the label images.

Targets (issue 3): at the page's size (about 400 x 900 pixels per view), one coverage
update for both views (the per-half fractions and the %BSA, weight x fraction) in at most
5 ms once the label images are cached; building the label images of both views (reading
and checking the geometry file included) in at most 1 s.

Run:  python bench/bench_coverage.py [--width 400] [--height 900] [--repeat 200]
"""

import argparse
import statistics
import sys
import time

import numpy as np

from bsa.diagram import geometry as body_diagram
from bsa.diagram import masks


def strokes(rng, width, height, n=25, radius=18):
    """A realistic painted mask: n round brush dabs along a random walk."""
    yy, xx = np.mgrid[0:height, 0:width]
    m = np.zeros((height, width), bool)
    x, y = width / 2, height / 3
    for _ in range(n):
        x = float(np.clip(x + rng.normal(0, 25), 0, width))
        y = float(np.clip(y + rng.normal(0, 25), 0, height))
        m |= (xx - x) ** 2 + (yy - y) ** 2 <= radius**2
    return m


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--width", type=int, default=400)
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument("--figure", default="child", choices=body_diagram.FIGURES)
    args = ap.parse_args()
    w, h = args.width, args.height

    # cold: read + check the geometry file, rasterise both views
    body_diagram._load_shipped.cache_clear()
    masks._label_image.cache_clear()
    masks._half_pixel_counts.cache_clear()
    t = time.perf_counter()
    body_diagram.load_figure(args.figure)
    t_load = time.perf_counter() - t
    t = time.perf_counter()
    for view in body_diagram.VIEWS:
        masks.label_image(args.figure, view, w, h)
        masks.half_pixel_counts(args.figure, view, w, h)
    t_raster = time.perf_counter() - t
    build = t_load + t_raster

    rng = np.random.default_rng(0)
    painted = [{"front": strokes(rng, w, h), "back": strokes(rng, w, h)} for _ in range(8)]
    full = {v: np.ones((h, w), bool) for v in body_diagram.VIEWS}
    masks.coverage_percent(painted[0], args.figure, 5)  # warm: chart data loaded

    def timed(batch):
        times = []
        for i in range(args.repeat):
            m = batch[i % len(batch)]
            t = time.perf_counter()
            masks.coverage_percent(m, args.figure, 5)
            times.append(time.perf_counter() - t)
        return statistics.median(times) * 1e3, max(times) * 1e3

    strokes_med, strokes_max = timed(painted)
    full_med, full_max = timed([full])
    uint8 = [{v: m.astype(np.uint8) for v, m in p.items()} for p in painted]
    u8_med, _ = timed(uint8)

    print(f"figure {args.figure}, {w} x {h} pixels per view, {args.repeat} updates")
    print(f"build label images (both views): {build * 1e3:7.1f} ms "
          f"(read + check geometry {t_load * 1e3:.1f} ms, rasterise {t_raster * 1e3:.1f} ms)"
          "   target <= 1000 ms")
    print(f"coverage update, brush strokes:  {strokes_med:7.2f} ms median, "
          f"{strokes_max:.2f} ms max   target <= 5 ms")
    print(f"coverage update, all painted:    {full_med:7.2f} ms median, {full_max:.2f} ms max")
    print(f"coverage update, uint8 masks:    {u8_med:7.2f} ms median")
    ok = build <= 1.0 and strokes_med <= 5.0 and full_med <= 5.0
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
