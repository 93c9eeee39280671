"""The page in a real browser: paint, erase, fill a region, switch the rule, and look.

Runs ``streamlit run app.py`` on a free port (see conftest.py) and drives headless Chromium
with Playwright. Every request is recorded and the test fails if one leaves the host.
Screenshots go to BSA_SCREENSHOT_DIR (or the pytest temporary directory).
"""

from __future__ import annotations

import numpy as np
import pytest

import bsa
from bsa.core.regions import PART_INDEX
from bsa.diagram import masks as bsa_masks

pytestmark = pytest.mark.browser  # skipped without chromium: see conftest.py

from webapp.body_map import MAP_HEIGHT as HEIGHT  # noqa: E402
from webapp.body_map import MAP_WIDTH as WIDTH  # noqa: E402


def settle(pg, timeout: float = 30_000) -> None:
    """Wait for the run an interaction started to finish (as Streamlit's own e2e tests do)."""
    pg.wait_for_timeout(200)
    pg.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]",
                         timeout=timeout)


def total(pg) -> float:
    """The exact total the page shows (its data-value) [%]."""
    return float(pg.locator("[data-testid=bsa-total]").get_attribute("data-value"))


def wait_total_change(pg, before: float, timeout: float = 20_000) -> float:
    pg.wait_for_function(
        "b => { const e = document.querySelector('[data-testid=bsa-total]');"
        " return e && Number(e.dataset.value) !== b; }",
        arg=before, timeout=timeout,
    )
    settle(pg)
    return total(pg)


def figure_id(pg) -> str:
    return pg.locator(".bm").get_attribute("data-figure")


def to_screen(pg, view: str, x: float, y: float) -> tuple[float, float]:
    """Page coordinates of canvas pixel (x, y); the canvas is drawn with object-fit: contain."""
    box = pg.locator(f"canvas.bm-paint[data-view={view}]").bounding_box()
    scale = min(box["width"] / WIDTH, box["height"] / HEIGHT)
    ox = (box["width"] - WIDTH * scale) / 2
    oy = (box["height"] - HEIGHT * scale) / 2
    return box["x"] + ox + (x + 0.5) * scale, box["y"] + oy + (y + 0.5) * scale


def inside_point(pg, view: str, half: str) -> tuple[int, int]:
    """A pixel deep inside one half of the figure (the last one left by erosion)."""
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


def tool(pg, name: str) -> None:
    pg.locator(f"button.bm-tool[data-tool={name}]").click()


def stroke(pg, view: str, points: list[tuple[float, float]]) -> None:
    first = to_screen(pg, view, *points[0])
    pg.mouse.move(*first)
    pg.mouse.down()
    for p in points[1:]:
        pg.mouse.move(*to_screen(pg, view, *p), steps=4)
    pg.mouse.up()


def set_brush(pg, size: int) -> None:
    pg.locator("input.bm-brush").fill(str(size))


def choose_rule(pg, search: str, words: str) -> None:
    """Find a rule as a clinician would: open the picker, type, pick the option."""
    pg.get_by_role("combobox", name="Compare with a label").click()  # opens the list
    pg.keyboard.type(search)  # the picker filters its options as one types
    pg.get_by_role("option", name=words).first.click()
    settle(pg)


def test_paint_erase_fill_and_switch_rule(page, screenshot_dir):
    pg = page
    assert total(pg) == 0.0
    # Paint a stroke across the front of the trunk.
    x, y = inside_point(pg, "front", "anterior_trunk:front")
    stroke(pg, "front", [(x - 40, y), (x, y + 10), (x + 40, y)])
    painted = wait_total_change(pg, 0.0)
    assert 0 < painted < 13
    pg.screenshot(path=str(screenshot_dir / "page_stroke_1366x768.png"))
    # Erase it with a wide eraser along the same path.
    tool(pg, "erase")
    set_brush(pg, 80)
    stroke(pg, "front", [(x - 40, y), (x, y + 10), (x + 40, y)])
    assert wait_total_change(pg, painted) == 0.0
    # Click a region: its exact chart weight is added.
    tool(pg, "fill")
    pg.mouse.click(*to_screen(pg, "front", *inside_point(pg, "front", "right_thigh:front")))
    thigh = wait_total_change(pg, 0.0)
    assert thigh == pytest.approx(bsa.half_weights(30)[PART_INDEX["right_thigh:front"]], abs=1e-9)
    pg.mouse.click(*to_screen(pg, "front", *inside_point(pg, "front", "anterior_trunk:front")))
    both = wait_total_change(pg, thigh)
    assert both == pytest.approx(thigh + 13.0, abs=1e-9)
    # 17.75%: near the 20% atopic dermatitis limit, above the 10% vitiligo limit.
    gauge = pg.locator(".bsa-gauge")
    assert gauge.get_attribute("data-state") == "near"
    pg.screenshot(path=str(screenshot_dir / "page_near_1366x768.png"))
    choose_rule(pg, "ruxolitinib vitiligo", "US \u00b7 Opzelura (ruxolitinib): Nonsegmental vitiligo")
    pg.wait_for_selector(".bsa-gauge[data-state=above]")
    assert "discuss with your doctor" in pg.locator(".bsa-gauge").inner_text()
    pg.screenshot(path=str(screenshot_dir / "page_above_1366x768.png"))
    # Undo brings the trunk back out: the last change was the trunk fill.
    pg.locator("button.bm-undo").click()
    assert wait_total_change(pg, both) == pytest.approx(thigh, abs=1e-9)


@pytest.mark.parametrize("size", [(1366, 768), (1024, 768)])
def test_figure_and_total_visible_together(page, screenshot_dir, size):
    pg = page
    pg.set_viewport_size({"width": size[0], "height": size[1]})
    settle(pg)
    tool(pg, "fill")
    pg.mouse.click(*to_screen(pg, "front", *inside_point(pg, "front", "anterior_trunk:front")))
    wait_total_change(pg, 0.0)
    pg.mouse.click(*to_screen(pg, "back", *inside_point(pg, "back", "left_thigh:back")))
    pg.wait_for_timeout(300)
    settle(pg)
    pg.screenshot(path=str(screenshot_dir / f"page_{size[0]}x{size[1]}.png"))
    assert pg.locator("[data-testid=stMain]").evaluate("m => m.scrollTop") == 0
    for selector in ("canvas.bm-paint[data-view=front]", "canvas.bm-paint[data-view=back]",
                     "[data-testid=bsa-total]", ".bsa-gauge"):
        box = pg.locator(selector).bounding_box()
        assert box is not None, selector
        assert box["y"] >= 0 and box["y"] + box["height"] <= size[1], (selector, box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= size[0], (selector, box)


def test_touch_tap_fills_a_region(browser, app_url):
    """A tablet in a consultation: pointer events from touch fill a region too."""
    context = browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=True)
    pg = context.new_page()
    try:
        pg.goto(app_url)
        pg.wait_for_selector("[data-testid=stApp][data-test-connection-state=CONNECTED]")
        settle(pg)
        pg.wait_for_selector(".bm[data-ready='1']")
        # A finger scrolls the page until "Mark" is chosen (issue 15).
        pg.locator("button.bm-touch[data-finger=mark]").tap()
        pg.locator("button.bm-tool[data-tool=fill]").tap()
        pg.touchscreen.tap(*to_screen(pg, "back", *inside_point(pg, "back", "left_thigh:back")))
        value = wait_total_change(pg, 0.0)
        assert value == pytest.approx(bsa.half_weights(30)[PART_INDEX["left_thigh:back"]],
                                      abs=1e-9)
    finally:
        context.close()


def test_typed_share_is_counted_and_drawn_on_the_figure(page):
    pg = page
    pg.locator(".st-key-panel [data-testid=stButtonGroup]").get_by_text("Type shares", exact=True).click()
    settle(pg)
    field = pg.get_by_role("spinbutton", name="Left thigh [%]")
    field.fill("40")
    field.press("Enter")
    value = wait_total_change(pg, 0.0)
    assert value == pytest.approx(0.4 * 2 * bsa.half_weights(30)[PART_INDEX["left_thigh:front"]],
                                  abs=1e-9)
    # Both halves of the thigh are hatched on the figures, with the share written on them.
    pg.wait_for_timeout(300)  # the overlay is drawn after the new data arrives
    for view in ("front", "back"):
        drawn = pg.locator(f".bm-view[data-view={view}] canvas.bm-typed").evaluate(
            "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            " let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; }"
        )
        assert drawn > 500, view
