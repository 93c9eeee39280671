"""The page in a real browser: paint, erase, fill a region, switch the rule, and look.

Runs ``streamlit run app.py`` on a free port (see conftest.py) and drives headless Chromium
with Playwright (the helpers are in driving.py). Every request is recorded and the test
fails if one leaves the host.
Screenshots go to BSA_SCREENSHOT_DIR (or the pytest temporary directory).
"""

from __future__ import annotations

import pytest
from driving import (
    click_half,
    fill_half,
    inside_point,
    opened,
    panel,
    settle,
    stroke,
    to_screen,
    tool,
    total,
    wait_total_change,
)

import bsa
from bsa.core.regions import PART_INDEX

pytestmark = pytest.mark.browser  # skipped without chromium: see conftest.py


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
    thigh = fill_half(pg, "front", "right_thigh:front")
    assert thigh == pytest.approx(bsa.half_weights(30)[PART_INDEX["right_thigh:front"]], abs=1e-9)
    both = fill_half(pg, "front", "anterior_trunk:front")
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
    fill_half(pg, "front", "anterior_trunk:front")
    click_half(pg, "back", "left_thigh:back")
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
    with opened(browser, app_url, (1024, 768), touch=True, mobile=False) as pg:
        # A finger scrolls the page until "Mark" is chosen (issue 15).
        pg.locator("button.bm-touch[data-finger=mark]").tap()
        pg.locator("button.bm-tool[data-tool=fill]").tap()
        pg.touchscreen.tap(*to_screen(pg, "back", *inside_point(pg, "back", "left_thigh:back")))
        value = wait_total_change(pg, 0.0)
        assert value == pytest.approx(bsa.half_weights(30)[PART_INDEX["left_thigh:back"]],
                                      abs=1e-9)


def test_typed_share_is_counted_and_drawn_on_the_figure(page):
    pg = page
    panel(pg, "Type shares")
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
