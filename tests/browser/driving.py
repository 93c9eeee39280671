"""What the browser tests do on the page, written once: wait for a run, read the total, find a
pixel of a half on a figure and click it, stroke, choose a panel, open a checked page, run
axe-core.

conftest.py and the test files import these with ``from driving import ...``: tests/browser
has no ``__init__.py``, so pytest (rootdir, "prepend" import mode) puts this folder on
``sys.path``. ``pg`` is always a Playwright page with the app loaded.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from urllib.parse import urlsplit

import numpy as np

from bsa.core.regions import PART_INDEX
from bsa.diagram import masks as bsa_masks
from webapp.body_map import MAP_HEIGHT as HEIGHT
from webapp.body_map import MAP_WIDTH as WIDTH

#: The axe-core impacts a test fails on.
SERIOUS = ("serious", "critical")


# ----------------------------------------------------------------------------- waiting


def settle(pg, timeout: float = 30_000) -> None:
    """Wait for the run an interaction started to finish (as Streamlit's own e2e tests do)."""
    pg.wait_for_timeout(200)
    pg.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]",
                         timeout=timeout)


def wait_for_app(pg, timeout: float = 60_000) -> None:
    """Wait until the script has run and the body map has drawn its figures."""
    pg.wait_for_selector("[data-testid=stApp][data-test-connection-state=CONNECTED]",
                         timeout=timeout)
    settle(pg, timeout)
    pg.wait_for_selector(".bm[data-ready='1']", timeout=timeout)


@contextmanager
def opened(browser, app_url: str, size: Sequence[int], touch: bool = False,
           mobile: bool | None = None, seen: list[str] | None = None) -> Iterator:
    """A fresh page of this size on the app, in its own browser context (a touch screen if
    ``touch``, a phone's or tablet's browser if ``mobile``, which is ``touch`` unless given).
    Every request and web socket it opens is recorded in ``seen``; leaving the
    block fails if one went to a host other than the app's, or if the page had a JavaScript
    error."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]},
                                  has_touch=touch,
                                  is_mobile=touch if mobile is None else mobile)
    pg = context.new_page()
    seen = [] if seen is None else seen
    errors: list[str] = []
    pg.on("request", lambda r: seen.append(r.url))
    pg.on("websocket", lambda ws: seen.append(ws.url))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    try:
        pg.goto(app_url)
        wait_for_app(pg)
        yield pg
    finally:
        context.close()
    host = urlsplit(app_url).netloc
    outside = [u for u in seen if urlsplit(u).scheme not in ("data", "blob")
               and urlsplit(u).netloc != host]
    assert not outside, f"the page made requests to other hosts: {outside}"
    assert not errors, f"JavaScript errors on the page: {errors}"


# ----------------------------------------------------------------------------- the total


def value(pg, testid: str) -> float:
    """The exact number an element shows (its data-value)."""
    return float(pg.locator(f"[data-testid={testid}]").get_attribute("data-value"))


def total(pg) -> float:
    """The exact total the page shows (its data-value) [%]."""
    return value(pg, "bsa-total")


def _wait_until_total(pg, condition: str, arg: float, timeout: float) -> None:
    """Wait until ``condition`` (JavaScript of ``v``, the total shown, and ``arg``) holds,
    then for the run to finish."""
    pg.wait_for_function(
        "arg => { const e = document.querySelector('[data-testid=bsa-total]');"
        f" const v = e && Number(e.dataset.value); return e && ({condition}); }}",
        arg=arg, timeout=timeout)
    settle(pg)


def wait_total(pg, expected: float, timeout: float = 30_000) -> None:
    """Wait until the total is ``expected`` (to 1e-9 %), then for the run to finish."""
    _wait_until_total(pg, "Math.abs(v - arg) < 1e-9", expected, timeout)


def wait_total_change(pg, before: float, timeout: float = 30_000) -> float:
    """Wait until the total is no longer ``before``, then for the run; returns the new total."""
    _wait_until_total(pg, "v !== arg", before, timeout)
    return total(pg)


# ----------------------------------------------------------------------------- the figure


def figure_id(pg) -> str:
    """The body figure the map draws (adult, older_child, ...)."""
    return pg.locator(".bm").get_attribute("data-figure")


def inside_point(pg, view: str, half: str) -> tuple[int, int]:
    """A canvas pixel deep inside one half of the figure (the last one left by erosion)."""
    labels = np.asarray(bsa_masks.label_image(figure_id(pg), view, WIDTH, HEIGHT))
    mask = labels == 1 + PART_INDEX[half]
    assert mask.any(), f"{half} is not on the {view} view"
    while True:
        eroded = mask.copy()
        eroded[1:, :] &= mask[:-1, :]
        eroded[:-1, :] &= mask[1:, :]
        eroded[:, 1:] &= mask[:, :-1]
        eroded[:, :-1] &= mask[:, 1:]
        if not eroded.any():
            break
        mask = eroded
    ys, xs = np.nonzero(mask)
    return int(xs[len(xs) // 2]), int(ys[len(ys) // 2])


def to_screen(pg, view: str, x: float, y: float) -> tuple[float, float]:
    """Page coordinates of canvas pixel (x, y); the canvas is drawn with object-fit: contain."""
    box = pg.locator(f"canvas.bm-paint[data-view={view}]").bounding_box()
    scale = min(box["width"] / WIDTH, box["height"] / HEIGHT)
    ox = (box["width"] - WIDTH * scale) / 2
    oy = (box["height"] - HEIGHT * scale) / 2
    return box["x"] + ox + (x + 0.5) * scale, box["y"] + oy + (y + 0.5) * scale


def click_half(pg, view: str, half: str) -> None:
    """Click the mouse deep inside one half of the figure (with whatever tool is chosen)."""
    pg.mouse.click(*to_screen(pg, view, *inside_point(pg, view, half)))


def tool(pg, name: str) -> None:
    """Choose a tool of the body map: paint, erase or fill."""
    pg.locator(f"button.bm-tool[data-tool={name}]").click()


def fill_half(pg, view: str, half: str) -> float:
    """Fill one half of the figure with the region tool (its exact chart weight), wait for the
    total to change and return it."""
    tool(pg, "fill")
    before = total(pg)
    click_half(pg, view, half)
    return wait_total_change(pg, before)


def stroke(pg, view: str, points: Sequence[tuple[float, float]], steps: int = 4) -> None:
    """Drag the mouse through canvas pixels ``points`` (``steps`` moves between two)."""
    pg.mouse.move(*to_screen(pg, view, *points[0]))
    pg.mouse.down()
    for p in points[1:]:
        pg.mouse.move(*to_screen(pg, view, *p), steps=steps)
    pg.mouse.up()


def key_to(pg, view: str, steps: int) -> None:
    """Focus a figure's region list and go ``steps`` regions down from the head."""
    pg.locator(f".bm-view[data-view={view}] .bm-keys").focus()
    pg.keyboard.press("Home")
    for _ in range(steps):
        pg.keyboard.press("ArrowDown")


# ----------------------------------------------------------------------------- the page


def panel(pg, title: str) -> None:
    """Open a panel of the panel row below the figure by its title."""
    pg.locator(".st-key-panel [data-testid=stButtonGroup]").get_by_text(title, exact=True).click()
    settle(pg)


def axe_serious(pg) -> list[str]:
    """Serious and critical WCAG 2.2 AA violations found by axe-core, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
    result = Axe().run(pg, options={"runOnly": {"type": "tag", "values": tags}})
    return [f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result.response["violations"] if v["impact"] in SERIOUS]
