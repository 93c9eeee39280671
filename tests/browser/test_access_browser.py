"""The body map for everyone in the room: phones, tablets in portrait, the keyboard, screen
readers (issue 15), at 390x844, 768x1024 (touch screens), 1024x768 and 1366x768.

Each test opens the page in a browser context of that size (see conftest.py for the server,
driving.py for the helpers); a request to another host or a JavaScript error fails it.
axe-core (bundled in the axe-playwright-python package, injected into the page: nothing is
downloaded) checks the page against WCAG 2.2 AA. Measured sizes go to ``measured.json`` in the screenshot folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import driving
import pytest
from driving import axe_serious, key_to, panel, settle, total, wait_total, wait_total_change

import bsa
from bsa.core.regions import PART_INDEX, REGIONS, region_label

pytestmark = pytest.mark.browser  # skipped without chromium: see conftest.py

PHONE, TABLET, LAPTOP, DESKTOP = (390, 844), (768, 1024), (1024, 768), (1366, 768)
SIZES = [PHONE, TABLET, LAPTOP, DESKTOP]
NARROW = {PHONE, TABLET}  # touch screens, sidebar closed, figure full width
#: The narrowest a body figure may be drawn at each size. [CSS pixels]
MIN_FIGURE_WIDTH = {PHONE: 340, TABLET: 300}


def size_id(size) -> str:
    return f"{size[0]}x{size[1]}"


def opened(browser, app_url, size):
    """A fresh page of this size (a touch screen when narrow), checked as conftest's page."""
    return driving.opened(browser, app_url, size, touch=tuple(size) in NARROW)


def box(pg, selector: str) -> dict | None:
    loc = pg.locator(selector)
    return loc.first.bounding_box() if loc.count() else None


def in_view(b: dict | None, size) -> bool:
    """Wholly inside the window."""
    return (b is not None and b["width"] > 0 and b["x"] >= 0 and b["y"] >= 0
            and b["x"] + b["width"] <= size[0] + 0.5 and b["y"] + b["height"] <= size[1] + 0.5)


def figure_width(pg, view: str) -> float:
    """Width the figure is drawn at: the canvas keeps the 400 x 900 frame (contain)."""
    b = box(pg, f"canvas.bm-paint[data-view={view}]")
    return min(b["width"], b["height"] * 400 / 900) if b and b["width"] else 0.0


def scroll_main(pg, y: float) -> None:
    pg.locator("[data-testid=stMain]").evaluate("(m, y) => { m.scrollTop = y; }", y)
    pg.wait_for_timeout(150)


def main_scroll(pg) -> float:
    return pg.locator("[data-testid=stMain]").evaluate("m => m.scrollTop")


def has_focus(pg, selector: str) -> bool:
    return pg.locator(selector).evaluate("e => e.getRootNode().activeElement === e")


def active_option(pg, view: str) -> str:
    keys = pg.locator(f".bm-view[data-view={view}] .bm-keys")
    return keys.evaluate(
        "k => k.getRootNode().getElementById(k.getAttribute('aria-activedescendant'))"
        ".textContent")


def record(screenshot_dir: Path, key: str, values: dict) -> None:
    path = screenshot_dir / "measured.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data[key] = values
    path.write_text(json.dumps(data, indent=1, sort_keys=True))


def key_fill(pg, view: str, steps: int) -> None:
    """Fill the region ``steps`` down a figure's key order (0 = the head) from the keyboard."""
    key_to(pg, view, steps)
    before = total(pg)
    pg.keyboard.press("Space")
    wait_total_change(pg, before)


def keyboard_fill_first(pg, view: str = "front") -> None:
    """Focus a figure's region list (its first region is the head) and fill it with Space."""
    pg.locator(f".bm-view[data-view={view}] .bm-keys").focus()
    pg.keyboard.press("Space")


def set_age(pg, size, years: int) -> None:
    """Type an age in the sidebar, opening it first on a narrow screen and closing it after."""
    if tuple(size) in NARROW:
        pg.get_by_test_id("stExpandSidebarButton").click()
        pg.wait_for_selector("[data-testid=stSidebar][data-collapsed=false]")
    age = pg.get_by_label("Age (whole years)", exact=True)
    age.fill(str(years))
    age.press("Tab")
    settle(pg)
    if tuple(size) in NARROW:
        pg.get_by_role("button", name="Collapse sidebar").click()
        pg.wait_for_selector("[data-testid=stSidebar][data-collapsed=true]")
        pg.wait_for_timeout(400)  # the sidebar slides away


# ----------------------------------------------------------------------------- layout


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_layout_figure_sidebar_total_and_panel_row(browser, app_url, screenshot_dir, size):
    with opened(browser, app_url, size) as pg:
        narrow = tuple(size) in NARROW
        sidebar = pg.get_by_test_id("stSidebar").get_attribute("data-collapsed")
        assert sidebar == ("true" if narrow else "false")
        # The hint on the empty figure.
        hint = pg.locator(".bm-hint")
        assert hint.is_visible()
        assert "Paint the affected skin on the figure, or use Fill region" in hint.inner_text()
        widths = {view: figure_width(pg, view) for view in ("front", "back")}
        measured = {"sidebar_collapsed": sidebar == "true",
                    "figure_width": {v: round(w, 1) for v, w in widths.items()},
                    "canvas": {v: box(pg, f"canvas.bm-paint[data-view={v}]")
                               for v in ("front", "back")}}
        if size == PHONE:
            # One figure at a time, with a switch between them.
            assert widths["front"] >= MIN_FIGURE_WIDTH[PHONE]
            assert widths["back"] == 0.0
            pg.locator("button.bm-show[data-show=back]").click()
            assert figure_width(pg, "front") == 0.0
            assert figure_width(pg, "back") >= MIN_FIGURE_WIDTH[PHONE]
            assert pg.locator("button.bm-show[data-show=back]").get_attribute(
                "aria-pressed") == "true"
            pg.locator("button.bm-show[data-show=front]").click()
        elif size == TABLET:
            assert min(widths.values()) >= MIN_FIGURE_WIDTH[TABLET]
        else:
            assert min(widths.values()) >= 200
        if narrow:
            # The bar with the total stays in view while the figure scrolls under it.
            assert pg.locator("button.bm-touch[data-finger=scroll]").is_visible()
            bar_total = ".bm-total"
            assert in_view(box(pg, bar_total), size)
            assert pg.locator(".bm-total-value").inner_text() == "0.0%"
            scroll_main(pg, 500)
            assert main_scroll(pg) > 0
            assert in_view(box(pg, bar_total), size)
            canvas = box(pg, "canvas.bm-paint[data-view=front]")
            assert canvas["y"] < size[1] and canvas["y"] + canvas["height"] > 0
            scroll_main(pg, 0)
        else:
            assert in_view(box(pg, "[data-testid=bsa-total]"), size)
            for view in ("front", "back"):
                assert in_view(box(pg, f"canvas.bm-paint[data-view={view}]"), size), view
            # The panel row, "Save, print, history" included, without scrolling.
            row = pg.locator(".st-key-panel [data-testid=stButtonGroup]")
            assert in_view(row.bounding_box(), size)
            assert in_view(row.get_by_text("Save, print, history", exact=True).bounding_box(),
                           size)
        # Targets: 44 px on a touch screen, at least 24 px (WCAG 2.2 AA) everywhere.
        smallest = pg.locator(".bm-tools button:visible").evaluate_all(
            "bs => Math.min(...bs.map(b => b.getBoundingClientRect().height))")
        assert smallest >= (44 if narrow else 24)
        measured["smallest_tool_height"] = smallest
        violations = axe_serious(pg)
        measured["axe_serious"] = violations
        pg.screenshot(path=str(screenshot_dir / f"empty_{size_id(size)}.png"))
        # With marks and a label that has much to say, the same holds.
        key_fill(pg, "front", 2)  # the front of the trunk
        if size == PHONE:
            pg.locator("button.bm-show[data-show=back]").click()
        key_fill(pg, "back", 14)  # the back of the left thigh
        expected = sum(bsa.half_weights(30)[PART_INDEX[h]]
                       for h in ("anterior_trunk:front", "left_thigh:back"))
        wait_total(pg, expected)
        assert pg.locator(".bm-hint").is_hidden()
        scroll_main(pg, 0)
        if narrow:
            assert in_view(box(pg, ".bm-total"), size)
            assert pg.locator(".bm-total-value").inner_text() == f"{expected:.1f}%"
        else:
            assert in_view(box(pg, "[data-testid=bsa-total]"), size)
            row = pg.locator(".st-key-panel [data-testid=stButtonGroup]")
            assert in_view(row.get_by_text("Save, print, history", exact=True).bounding_box(),
                           size)
        marked = axe_serious(pg)
        measured["axe_serious_marked"] = marked
        record(screenshot_dir, size_id(size), measured)
        assert not violations
        assert not marked


# ----------------------------------------------------------------------------- touch


def swipe(pg, x: float, y0: float, y1: float) -> None:
    """A one-finger vertical swipe, as real touch input (Chromium's own scrolling applies)."""
    cdp = pg.context.new_cdp_session(pg)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart",
                                          "touchPoints": [{"x": x, "y": y0}]})
    steps = 12
    for i in range(1, steps + 1):
        cdp.send("Input.dispatchTouchEvent", {
            "type": "touchMove", "touchPoints": [{"x": x, "y": y0 + (y1 - y0) * i / steps}]})
        pg.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    pg.wait_for_timeout(400)
    cdp.detach()


@pytest.mark.parametrize("size", [PHONE, TABLET], ids=size_id)
def test_a_swipe_scrolls_and_never_marks_unless_mark_is_chosen(browser, app_url, size):
    with opened(browser, app_url, size) as pg:
        canvas = box(pg, "canvas.bm-paint[data-view=front]")
        x = canvas["x"] + canvas["width"] * 0.5
        y = min(canvas["y"] + canvas["height"] * 0.45, size[1] - 60)
        before = main_scroll(pg)
        swipe(pg, x, y, y - 250)
        settle(pg)
        assert main_scroll(pg) > before + 50  # the page scrolled
        assert total(pg) == 0.0  # and nothing was marked
        assert pg.locator(".bm").get_attribute("data-sent") is None
        # With "Mark" chosen, the same swipe paints and the page stays where it is.
        pg.locator("button.bm-touch[data-finger=mark]").tap()
        assert pg.locator(".bm").get_attribute("data-finger") == "mark"
        scroll_main(pg, 0)
        canvas = box(pg, "canvas.bm-paint[data-view=front]")
        y = canvas["y"] + canvas["height"] * 0.45
        swipe(pg, x, y, y - 120)
        pg.wait_for_function(
            "() => Number(document.querySelector('[data-testid=bsa-total]').dataset.value) > 0",
            timeout=30_000)
        settle(pg)
        assert main_scroll(pg) == 0
        assert total(pg) > 0


# ----------------------------------------------------------------------------- age change


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_the_age_change_notice_is_next_to_the_figure(browser, app_url, screenshot_dir, size):
    with opened(browser, app_url, size) as pg:
        keyboard_fill_first(pg)  # the head (front) of the adult figure
        wait_total(pg, bsa.half_weights(30)[PART_INDEX["head:front"]])
        set_age(pg, size, 5)
        notice = pg.locator(".st-key-bsa_figure_notice")
        notice.wait_for()
        assert "adult" in notice.inner_text() and "child" in notice.inner_text()
        scroll_main(pg, 0)
        carry = pg.get_by_role("button", name="Move the marks to the child figure")
        clear = pg.get_by_role("button", name="Clear them, use the child figure")
        for element in (notice.locator("[data-testid=stAlert]"), carry, clear):
            assert in_view(element.bounding_box(), size), element
        # The figure it speaks of is in view too (at least its top).
        canvas = box(pg, "canvas.bm-paint[data-view=front]")
        assert canvas["y"] < size[1] - 100
        if size in (PHONE, DESKTOP):
            violations = axe_serious(pg)
            assert not violations, violations
        pg.screenshot(path=str(screenshot_dir / f"notice_{size_id(size)}.png"))
        head_at_5 = bsa.half_weights(5)[PART_INDEX["head:front"]]
        wait_total(pg, head_at_5)  # the total already uses the age's weights
        carry.click()
        settle(pg)
        pg.wait_for_selector(".bm[data-figure=child][data-ready='1']")
        assert notice.count() == 0
        assert total(pg) == pytest.approx(head_at_5, abs=1e-9)  # a full half stays full


# ----------------------------------------------------------------------------- keyboard


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=size_id)
def test_the_figure_works_from_the_keyboard(browser, app_url, size):
    with opened(browser, app_url, size) as pg:
        front = ".bm-view[data-view=front] .bm-keys"
        # Tab from the last tool reaches the front figure's regions.
        pg.locator("button.bm-clear").focus()
        pg.keyboard.press("Tab")
        assert has_focus(pg, front)
        assert pg.locator(front).get_attribute("role") == "listbox"
        assert active_option(pg, "front").startswith("Head (front): 0% marked")
        # Visible focus: the region is outlined on the figure.
        assert pg.locator(".bm-view[data-view=front] .bm-ring path").count() == 2
        pg.keyboard.press("ArrowDown")
        pg.keyboard.press("ArrowDown")
        assert active_option(pg, "front").startswith("Anterior trunk (front)")
        pg.keyboard.press("Space")
        trunk = bsa.half_weights(30)[PART_INDEX["anterior_trunk:front"]]
        wait_total(pg, trunk)
        assert "filled" in pg.locator(".bm-status").inner_text()
        assert pg.locator(".bm-total-value").inner_text() == f"{trunk:.1f}%"
        assert pg.locator(".bm-total").get_attribute("aria-live") == "polite"
        pg.wait_for_function("() => true")
        # Minus: a typed share one step (10%) lower.
        pg.keyboard.press("-")
        wait_total(pg, 0.9 * trunk)
        assert active_option(pg, "front").startswith("Anterior trunk (front): 90% marked")
        pg.keyboard.press("-")
        wait_total(pg, 0.8 * trunk)
        # Delete empties the region, paint and typed share alike.
        pg.keyboard.press("Delete")
        wait_total(pg, 0.0)
        pg.keyboard.press("End")
        assert active_option(pg, "front").startswith("Left foot (front)")
        pg.keyboard.press("Enter")
        wait_total(pg, bsa.half_weights(30)[PART_INDEX["left_foot:front"]])
        if size == DESKTOP:
            pg.keyboard.press("Tab")
            assert has_focus(pg, ".bm-view[data-view=back] .bm-keys")
            assert active_option(pg, "back").startswith("Head (back)")


# ----------------------------------------------------------------------------- panels


def test_one_panel_stays_open_and_type_shares_read_row_by_row(browser, app_url):
    with opened(browser, app_url, DESKTOP) as pg:
        panel(pg, "Breakdown")  # the one already shown
        expect_text = "Nothing marked yet: paint on the figure"
        assert pg.get_by_text(expect_text).is_visible()
        panel(pg, "Type shares")
        panel(pg, "Type shares")
        fields = pg.get_by_role("spinbutton").filter(has_text="")
        names = pg.locator("[data-testid=stNumberInput] input").evaluate_all(
            "es => es.map(e => e.getAttribute('aria-label'))")
        shares = [n for n in names if n and n.endswith("[%]")]
        assert shares == [f"{region_label(r)} [%]" for r in REGIONS]
        # The first four sit on one row: reading order and tab order agree.
        tops = [pg.get_by_label(f"{region_label(r)} [%]", exact=True).bounding_box()["y"]
                for r in REGIONS[:5]]
        assert max(tops[:4]) - min(tops[:4]) < 2 and tops[4] > tops[0] + 20
        assert fields.count() >= len(REGIONS)
