"""Issue 17 in a real browser: a clinician marks the affected skin, then where to apply this
cream and where not, by mouse and by keyboard; the totals and the verdict follow; the printed
map names the three layers; the plan's zones are marked as layers.

Runs ``streamlit run app.py`` on a free port (see conftest.py) and drives headless Chromium
(the helpers are in driving.py). A request to another host or a JavaScript error fails a
test (the ``page`` fixture, and ``opened``).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from driving import (
    axe_serious,
    click_half,
    fill_half,
    inside_point,
    key_to,
    opened,
    panel,
    settle,
    stroke,
    tool,
    total,
    value,
    wait_total,
    wait_total_change,
)
from playwright.sync_api import expect

import bsa
from bsa.core.regions import PART_INDEX

pytestmark = pytest.mark.browser  # skipped without chromium: see conftest.py

TRUNK = bsa.half_weights(30)[PART_INDEX["anterior_trunk:front"]]  # 13% of the body


def wait_layer(pg, layer: str) -> None:
    pg.wait_for_selector(f".bm[data-layer='{layer}']", timeout=30_000)
    settle(pg)


def gauge_state(pg) -> str:
    return pg.locator(".bsa-gauge").get_attribute("data-state")


def fill(pg, view: str, half: str, changes: bool = True) -> float:
    """Click a half with the region tool; returns the new total (a zone leaves it as it is:
    then the marks sent are waited for)."""
    pg.locator("[data-testid=stMain]").evaluate("m => { m.scrollTop = 0; }")
    if changes:
        return fill_half(pg, view, half)
    tool(pg, "fill")
    sent = pg.locator(".bm").get_attribute("data-sent")
    click_half(pg, view, half)
    expect(pg.locator(".bm")).not_to_have_attribute("data-sent", sent or "", timeout=30_000)
    settle(pg)
    return total(pg)


def brush(pg, view: str, half: str, dx: int = 25) -> float:
    """A short brush stroke across the middle of a half; returns the new total."""
    tool(pg, "paint")
    x, y = inside_point(pg, view, half)
    before = total(pg)
    stroke(pg, view, [(x - dx, y), (x + dx, y + 10)], steps=6)
    return wait_total_change(pg, before)


def marking(pg, option: str, reason: str | None = None) -> None:
    """Choose the layer to mark in the figure's Marking switch (and a reason)."""
    pg.locator("select.bm-layer").select_option(option)
    settle(pg)
    if reason is not None:
        pg.locator("select.bm-reason").select_option(reason)
        settle(pg)


def legend(pg) -> list[str]:
    return pg.locator(".bm-legend .bm-legend-item").all_inner_texts()


# ----------------------------------------------------------------------------- mouse


def test_affected_then_apply_then_do_not_apply_by_mouse(page, screenshot_dir):
    from pypdf import PdfReader

    pg = page
    # The affected skin: both sides of the trunk, 26%, above the 20% limit.
    fill(pg, "front", "anterior_trunk:front")
    assert fill(pg, "back", "posterior_trunk:back") == pytest.approx(2 * TRUNK)
    assert gauge_state(pg) == "above"
    assert pg.locator("[data-testid=bsa-affected-total]").count() == 0  # one layer, one total

    # Apply this cream: it starts as the affected skin; emptying the back of the trunk from
    # it leaves 13% to treat, within the limit, while 26% stays affected.
    marking(pg, "apply")
    wait_layer(pg, "apply")
    assert total(pg) == pytest.approx(2 * TRUNK)
    assert fill(pg, "back", "posterior_trunk:back") == pytest.approx(TRUNK)
    assert gauge_state(pg) == "within"
    assert value(pg, "bsa-affected-total") == pytest.approx(2 * TRUNK)

    # Do not apply, for broken skin: a brush stroke on the front of the trunk.
    marking(pg, "avoid", "broken skin")
    wait_layer(pg, "avoid:broken skin")
    treated = brush(pg, "front", "anterior_trunk:front")
    assert 0 < treated < TRUNK
    assert value(pg, "bsa-affected-total") == pytest.approx(2 * TRUNK)
    avoided = pg.locator("[data-testid=bsa-avoid]").inner_text()
    assert "Do not apply (broken skin): front of the trunk" in avoided
    # The figure shows the three layers together, each with its look, named in the legend.
    assert legend(pg) == ["affected skin", "apply this cream", "do not apply: broken skin"]
    drawn = pg.locator("canvas.bm-paint[data-view=back]").evaluate(
        "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; }")
    assert drawn > 1000  # the affected back of the trunk, outlined and hatched
    # Undo and Clear act on the layer being marked: clearing it gives back the 13%.
    pg.locator("button.bm-clear").click()
    wait_total(pg, TRUNK)
    pg.locator("button.bm-undo").click()
    wait_total(pg, treated)
    violations = axe_serious(pg)
    pg.screenshot(path=str(screenshot_dir / "plan_mouse_1366x768.png"))
    assert not violations, violations

    # The prepared map names the three layers.
    panel(pg, "Save, print, history")
    pg.get_by_role("button", name="Prepare the application map", exact=True).click()
    settle(pg)
    pg.locator(".bsa-say[data-kind=caption]", has_text="Ready:").first.wait_for(timeout=60_000)
    with pg.expect_download(timeout=60_000) as info:
        pg.get_by_role("button", name="Download the application map (PDF, A4)").click()
    pdf = Path(info.value.path()).read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    for words in ("Apply this cream here", "Affected, not with this cream",
                  "Do not apply: broken skin"):
        assert words in text, words


# ----------------------------------------------------------------------------- keyboard


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)], ids=["1366x768", "390x844"])
def test_the_layers_by_keyboard(browser, app_url, size):
    touch = size[0] < 600
    with opened(browser, app_url, size, touch=touch) as pg:
        # Affected: the front of the trunk, filled with Space.
        key_to(pg, "front", 2)
        pg.keyboard.press("Space")
        wait_total(pg, TRUNK)
        # The Marking switch is a select: the arrow keys choose "Apply this cream".
        layer = pg.locator("select.bm-layer")
        layer.focus()
        pg.keyboard.press("ArrowDown")
        wait_layer(pg, "apply")
        assert layer.input_value() == "apply"
        # On the treatment area, minus sets a typed share one step lower: 90% of the trunk.
        key_to(pg, "front", 2)
        pg.keyboard.press("-")
        wait_total(pg, 0.9 * TRUNK)
        assert "Apply this cream" in pg.locator(".bm-status").inner_text()
        # Do not apply: the next choice; then the reason "lips" with the keys too.
        layer.focus()
        pg.keyboard.press("ArrowDown")
        wait_layer(pg, "avoid:eyes")
        reason = pg.locator("select.bm-reason")
        assert reason.is_visible()
        reason.focus()
        pg.keyboard.press("ArrowDown")
        wait_layer(pg, "avoid:lips")
        # Two steps of plus on the trunk: 20% of it is not to be treated.
        key_to(pg, "front", 2)
        pg.keyboard.press("+")
        pg.keyboard.press("+")
        wait_total(pg, 0.8 * TRUNK)
        assert value(pg, "bsa-affected-total") == pytest.approx(TRUNK)
        assert "Do not apply (lips)" in pg.locator("[data-testid=bsa-avoid]").inner_text()
        # The reason in one's own words: "other", then typed.
        reason.select_option("other")
        wait_layer(pg, "avoid:other")
        own = pg.locator("input.bm-reason-text")
        own.fill("fresh tattoo")
        own.press("Enter")
        wait_layer(pg, "avoid:fresh tattoo")
        assert reason.input_value() == "fresh tattoo"
        # The empty "eyes" and "other" areas were never marked: they are not listed.
        assert "eyes" not in pg.locator("[data-testid=bsa-avoid]").inner_text()
        violations = axe_serious(pg)
        assert not violations, violations


# ----------------------------------------------------------------------------- zones


def test_two_zones_are_marked_as_layers(page):
    pg = page
    fill(pg, "front", "anterior_trunk:front")
    fill(pg, "back", "posterior_trunk:back")
    panel(pg, "Treatment plan")
    pg.get_by_role("button", name="Add a zone", exact=True).click()
    settle(pg)
    zone1 = pg.locator(".bm").get_attribute("data-layer")
    assert zone1.startswith("zone:")
    pg.get_by_label("Name of zone 1", exact=True).fill("Front, Mon/Wed/Fri")
    pg.get_by_label("Name of zone 1", exact=True).press("Enter")
    settle(pg)
    box = pg.locator(f".st-key-plan_zone_{zone1[5:]}_days")
    for day in ("Tue", "Thu", "Sat", "Sun"):
        box.get_by_text(day, exact=True).click()
        settle(pg)
    fill(pg, "front", "anterior_trunk:front", changes=False)
    pg.get_by_role("button", name="Add a zone", exact=True).click()
    settle(pg)
    zone2 = pg.locator(".bm").get_attribute("data-layer")
    assert zone2 != zone1
    fill(pg, "back", "posterior_trunk:back", changes=False)
    assert [o for o in pg.locator("select.bm-layer option").all_inner_texts()
            if o.startswith("Zone")] == ["Zone 1: Front, Mon/Wed/Fri", "Zone 2"]
    days = pg.locator("[data-testid=bsa-plan-days]")
    days.wait_for()
    rows = days.locator("tbody tr").all_inner_texts()
    assert len(rows) == 7
    assert rows[0].startswith("Monday") and "Front, Mon/Wed/Fri" in rows[0]
    assert "Zone 2" in rows[1] and "Front" not in rows[1]
    assert legend(pg)[-2:] == ["zone 1", "zone 2"]
    violations = axe_serious(pg)  # the plan panel: its fields, day boxes and tables
    assert not violations, violations
