"""Benchmark the page: server time per stroke, stroke-to-total in Chromium, start-up time.

Run from the repository root::

    .venv/bin/python bench/bench_page.py [--strokes 15] [--starts 3] [--skip-browser]

Targets (issue 5): server time for a rerun after a stroke <= 50 ms (median); from the end
of a stroke to the new total on screen in headless Chromium <= 300 ms (median); from
``streamlit run`` to the figure on screen <= 5 s.

What is measured
----------------
1. ``server rerun``: AppTest runs the whole script (sidebar and fragment) after new marks
   are injected, as a stroke delivers them; a browser stroke reruns only the fragment, so
   this is an upper bound. ``compute`` is the part of it that is the page's own work:
   decode the two PNGs, build the Assessment, the estimate, the label check, the cream
   amount and the EASI area scores.
2. ``stroke to total``: in the real page, from the ``pointerup`` that ends a stroke to the
   moment the total on the page shows a new value (measured in the page with
   performance.now()).
3. ``start-up``: from starting ``streamlit run app.py`` to the body map having drawn both
   figures in a freshly opened page (the browser is launched before the clock starts).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "browser"))

from webapp.body_map import MAP_HEIGHT as HEIGHT  # noqa: E402
from webapp.body_map import MAP_WIDTH as WIDTH  # noqa: E402
from webapp.body_map import mask_png  # noqa: E402


def random_marks(rng: np.random.Generator, n: int) -> list[tuple[np.ndarray, np.ndarray]]:
    yy, xx = np.mgrid[:HEIGHT, :WIDTH]
    out = []
    front = np.zeros((HEIGHT, WIDTH), dtype=bool)
    back = np.zeros_like(front)
    for _ in range(n):
        cx, cy, r = rng.uniform((60, 100, 10), (340, 850, 40))
        target = front if rng.random() < 0.5 else back
        target |= (xx - cx) ** 2 + (yy - cy) ** 2 < r**2
        out.append((front.copy(), back.copy()))
    return out


def bench_server(n: int) -> dict[str, float]:
    from streamlit.testing.v1 import AppTest

    from bsa.records.assessment import Assessment
    from bsa.treatment import cream_amount, label_rules, skin_scores
    from webapp.body_map import decode_marks

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.run()
    figure = at.session_state["map_figure"]
    marks = random_marks(np.random.default_rng(1), n + 2)
    payloads = [
        {"rev": at.session_state["map_rev"], "figure": figure, "seq": i + 1, "width": WIDTH,
         "height": HEIGHT, "front": mask_png(f), "back": mask_png(b)}
        for i, (f, b) in enumerate(marks)
    ]
    rerun = []
    for i, payload in enumerate(payloads):
        at.session_state["body_map"] = {"marks": payload}
        t0 = time.perf_counter()
        at.run()
        dt = time.perf_counter() - t0
        if at.exception:
            raise RuntimeError(at.exception)
        if i >= 2:  # the first reruns warm caches
            rerun.append(dt)
    compute = []
    rule = "opzelura_us_atopic_dermatitis"
    for i, payload in enumerate(payloads):
        payload = {**payload, "front": payload["front"] + "", "back": payload["back"] + ""}
        t0 = time.perf_counter()
        masks = decode_marks(payload, ("front", "back"))
        a = Assessment(age_years=30, rule_id=rule, figure_id=figure, masks=masks)
        est = a.estimate()
        label_rules.check(est.percent_bsa, 30, rule)
        fractions = a.half_fractions()
        cream_amount.estimate_amount(fractions, 30, rule)
        skin_scores.easi_area_scores(fractions, 30)
        dt = time.perf_counter() - t0
        if i >= 2:
            compute.append(dt)
    return {"server rerun (AppTest, whole script) median ms": 1000 * statistics.median(rerun),
            "compute (decode + bsa) median ms": 1000 * statistics.median(compute)}


_WATCH = """
() => {
  window.__bsaLatency = new Promise((resolve) => {
    const el = () => document.querySelector('[data-testid=bsa-total]');
    const before = el() && el().dataset.value;
    let t0 = null;
    window.addEventListener('pointerup', () => { t0 = performance.now(); },
                            {capture: true, once: true});
    const poll = () => {
      const e = el();
      if (t0 !== null && e && e.dataset.value !== before) resolve(performance.now() - t0);
      else if (t0 !== null && performance.now() - t0 > 5000) resolve(null);
      else requestAnimationFrame(poll);
    };
    poll();
  });
}
"""


def bench_browser(strokes: int, starts: int) -> dict[str, float]:
    from conftest import (
        CHROMIUM,
        CHROMIUM_ARGS,
        free_port,
        start_app,
        stop_app,
        wait_for_app,
        wait_healthy,
    )
    from playwright.sync_api import sync_playwright

    results: dict[str, float] = {}
    log = Path("/tmp/bench_page_streamlit.log")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        startup = []
        for _ in range(starts):
            port = free_port()
            t0 = time.perf_counter()
            proc = start_app(port, log)
            try:
                wait_healthy(port, proc)
                page = browser.new_page(viewport={"width": 1366, "height": 768})
                page.goto(f"http://127.0.0.1:{port}", wait_until="commit")
                page.wait_for_selector(".bm[data-ready='1']", timeout=120_000)
                startup.append(time.perf_counter() - t0)
                wait_for_app(page)
                if len(startup) == starts:
                    results.update(_strokes(page, strokes))
                page.close()
            finally:
                stop_app(proc)
        browser.close()
    results["streamlit run to figure on screen median s"] = statistics.median(startup)
    results["streamlit run to figure on screen max s"] = max(startup)
    return results


def _strokes(page, n: int) -> dict[str, float]:
    box = page.locator("canvas.bm-paint[data-view=front]").bounding_box()
    scale = min(box["width"] / WIDTH, box["height"] / HEIGHT)
    ox = box["x"] + (box["width"] - WIDTH * scale) / 2
    oy = box["y"] + (box["height"] - HEIGHT * scale) / 2
    latencies = []
    for i in range(n):
        y = 230 + i * (560 / max(n, 1))  # a new row of the trunk and legs each time
        page.evaluate(_WATCH)
        page.mouse.move(ox + 150 * scale, oy + y * scale)
        page.mouse.down()
        page.mouse.move(ox + 250 * scale, oy + y * scale, steps=5)
        page.mouse.up()
        latency = page.evaluate("window.__bsaLatency")
        if latency is not None:  # None: the stroke missed the body, nothing changed
            latencies.append(latency)
        page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]")
    return {"strokes that changed the total": len(latencies),
            "stroke to total on screen median ms": statistics.median(latencies),
            "stroke to total on screen max ms": max(latencies)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reruns", type=int, default=20)
    parser.add_argument("--strokes", type=int, default=15)
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--skip-browser", action="store_true")
    args = parser.parse_args()
    results = bench_server(args.reruns)
    if not args.skip_browser:
        results.update(bench_browser(args.strokes, args.starts))
    for name, value in results.items():
        print(f"{name:50s} {value:8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
