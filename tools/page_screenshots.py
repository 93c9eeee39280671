"""Take the README's pictures of the page at 390x844, 768x1024, 1024x768 and 1366x768.

Starts ``streamlit run app.py`` on a free local port, marks the same skin at every size (the
front of the trunk and the back of the left thigh filled from the keyboard, a painted spot
on the right forearm), and saves ``docs/images/page_<width>x<height>.png``, and the same in
Bengali (``?lang=bn``) at 1366x768 and 390x844 as ``page_bn_<width>x<height>.png``. Then, at 1366x768
and 390x844, a treatment plan (issue 17): the affected skin, a treatment area that leaves
out the back of the thigh, a do-not-apply area over the eyes, and two zones used on
different days (the face, in no zone, every day), saved as
``docs/images/page_plan_<width>x<height>.png``; that plan's session file, downloaded from the
page, is printed with ``python -m bsa report`` as ``docs/images/report_plan_a4.png``. Uses
Debian's chromium through Playwright, as the page tests do. Run from the repository:

    .venv/bin/python tools/page_screenshots.py [output folder]

Look at every picture before committing it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SIZES = [(390, 844, True), (768, 1024, True), (1024, 768, False), (1366, 768, False)]
PLAN_SIZES = [(1366, 768, False), (390, 844, True)]
BENGALI_SIZES = [(1366, 768, False), (390, 844, True)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(pg, selector: str) -> None:
    pg.wait_for_timeout(250)
    pg.wait_for_selector(selector, timeout=60_000)


def _settled(pg) -> None:
    _wait(pg, "[data-testid=stApp][data-test-script-state=notRunning]")


def _key_fill(pg, view: str, steps: int) -> None:
    """Fill the region ``steps`` down the view's key order (0 = the head)."""
    keys = pg.locator(f".bm-view[data-view={view}] .bm-keys")
    keys.focus()
    pg.keyboard.press("Home")
    for _ in range(steps):
        pg.keyboard.press("ArrowDown")
    pg.keyboard.press("Space")
    _settled(pg)
    keys.blur()


def _spot(pg, touch: bool) -> None:
    """A short painted stroke on the right forearm of the front figure."""
    canvas = pg.locator("canvas.bm-paint[data-view=front]")
    canvas.scroll_into_view_if_needed()
    b = canvas.bounding_box()
    scale = min(b["width"] / 400, b["height"] / 900)
    ox = b["x"] + (b["width"] - 400 * scale) / 2
    oy = b["y"] + (b["height"] - 900 * scale) / 2
    points = [(82, 385), (78, 400), (74, 415)]  # canvas pixels on the right forearm
    if touch:
        pg.locator("button.bm-touch[data-finger=mark]").click()
    pg.mouse.move(ox + points[0][0] * scale, oy + points[0][1] * scale)
    pg.mouse.down()
    for x, y in points[1:]:
        pg.mouse.move(ox + x * scale, oy + y * scale, steps=4)
    pg.mouse.up()
    _settled(pg)
    if touch:
        pg.locator("button.bm-touch[data-finger=scroll]").click()
    pg.locator("[data-testid=stMain]").evaluate("m => { m.scrollTop = 0; }")


def _inside(figure: str, view: str, half: str) -> tuple[int, int]:
    """A canvas pixel deep inside one half of the figure (the last left by erosion)."""
    import numpy as np

    from bsa.core.regions import PART_INDEX
    from bsa.diagram.masks import label_image

    mask = np.asarray(label_image(figure, view, 400, 900)) == 1 + PART_INDEX[half]
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


def _at(pg, view: str, x: float, y: float) -> tuple[float, float]:
    """Page coordinates of a canvas pixel (the canvas is drawn with object-fit: contain)."""
    b = pg.locator(f"canvas.bm-paint[data-view={view}]").bounding_box()
    scale = min(b["width"] / 400, b["height"] / 900)
    return (b["x"] + (b["width"] - 400 * scale) / 2 + (x + 0.5) * scale,
            b["y"] + (b["height"] - 900 * scale) / 2 + (y + 0.5) * scale)


def _top(pg) -> None:
    pg.locator("[data-testid=stMain]").evaluate("m => { m.scrollTop = 0; }")
    pg.wait_for_timeout(150)


def _show(pg, view: str, narrow: bool) -> None:
    if narrow:
        pg.locator(f"button.bm-show[data-show={view}]").click()


def _fill(pg, view: str, half: str, narrow: bool) -> None:
    _top(pg)
    _show(pg, view, narrow)
    figure = pg.locator(".bm").get_attribute("data-figure")
    pg.locator("button.bm-tool[data-tool=fill]").click()
    pg.mouse.click(*_at(pg, view, *_inside(figure, view, half)))
    _settled(pg)


def _marking(pg, option: str, reason: str | None = None) -> None:
    pg.locator("select.bm-layer").select_option(option)
    _settled(pg)
    if reason:
        pg.locator("select.bm-reason").select_option(reason)
        _settled(pg)


def _plan(pg, narrow: bool) -> None:
    """Affected skin, a treatment area, a do-not-apply area and two zones (see the module)."""
    for view, half in (("front", "anterior_trunk:front"), ("front", "head:front"),
                       ("back", "posterior_trunk:back"), ("back", "left_thigh:back")):
        _fill(pg, view, half, narrow)
    _marking(pg, "apply")  # starts as the affected skin
    _fill(pg, "back", "left_thigh:back", narrow)  # not with this cream
    _marking(pg, "avoid", "eyes")
    _top(pg)
    _show(pg, "front", narrow)
    figure = pg.locator(".bm").get_attribute("data-figure")
    x, y = _inside(figure, "front", "head:front")
    pg.locator("button.bm-tool[data-tool=paint]").click()
    pg.locator("input.bm-brush").fill("20")
    pg.mouse.move(*_at(pg, "front", x - 22, y - 12))
    pg.mouse.down()
    pg.mouse.move(*_at(pg, "front", x + 22, y - 12), steps=6)
    pg.mouse.up()
    _settled(pg)
    row = pg.locator(".st-key-panel [data-testid=stButtonGroup]")
    for name, days, halves in (
            ("Front of the trunk", ("Tue", "Thu", "Sat"), (("front", "anterior_trunk:front"),)),
            ("Back of the trunk", ("Mon", "Wed", "Fri", "Sun"),
             (("back", "posterior_trunk:back"),))):
        row.get_by_text("Treatment plan", exact=True).click()
        _settled(pg)
        pg.get_by_role("button", name="Add a zone", exact=True).click()
        _settled(pg)
        zone = pg.locator(".bm").get_attribute("data-layer")[len("zone:"):]
        field = pg.locator(f".st-key-plan_zone_{zone}").get_by_role("textbox")
        field.fill(name)
        field.press("Enter")
        _settled(pg)
        for day in days:
            pg.locator(f".st-key-plan_zone_{zone}_days").get_by_text(day, exact=True).click()
            _settled(pg)
        for view, half in halves:
            _fill(pg, view, half, narrow)
    _marking(pg, "avoid", "eyes")
    _top(pg)
    _show(pg, "front", narrow)


def _print_map(pg, out: Path) -> None:
    """Download the session file the page prepares, and print its map as the command does."""
    pg.locator(".st-key-panel [data-testid=stButtonGroup]").get_by_text(
        "Save, print, history", exact=True).click()
    _settled(pg)
    pg.get_by_role("button", name="Prepare the session file (.json)", exact=True).click()
    _settled(pg)
    with pg.expect_download(timeout=60_000) as info:
        pg.get_by_role("button", name="Download the session file", exact=True).click()
    session = out / ".plan-session.json"
    info.value.save_as(str(session))
    path = out / "report_plan_a4.png"
    try:
        subprocess.run([sys.executable, "-m", "bsa", "report", str(session), "-o", str(path)],
                       cwd=REPO, check=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    finally:
        session.unlink(missing_ok=True)
    print(path)


def main(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    log = open(out / ".streamlit.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": str(REPO), "BSA_HISTORY_DB": str(out / ".h.sqlite3")})
    sys.path.insert(0, str(REPO))  # the figures' label images, for where to click
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health") as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            shots = [(size, "", "page") for size in SIZES]
            shots += [(size, "?lang=bn", "page_bn") for size in BENGALI_SIZES]
            for (width, height, touch), query, name in shots:
                context = browser.new_context(viewport={"width": width, "height": height},
                                              has_touch=touch, is_mobile=touch)
                pg = context.new_page()
                pg.goto(f"http://127.0.0.1:{port}/{query}")
                _wait(pg, ".bm[data-ready='1']")
                _settled(pg)
                _key_fill(pg, "front", 2)  # the front of the trunk
                if width < 600:
                    pg.locator("button.bm-show[data-show=back]").click()
                _key_fill(pg, "back", 14)  # the back of the left thigh
                if width < 600:
                    pg.locator("button.bm-show[data-show=front]").click()
                _spot(pg, touch)
                pg.mouse.move(1, 1)
                pg.wait_for_timeout(500)
                path = out / f"{name}_{width}x{height}.png"
                pg.screenshot(path=str(path))
                print(path)
                context.close()
            for width, height, touch in PLAN_SIZES:
                context = browser.new_context(viewport={"width": width, "height": height},
                                              has_touch=touch, is_mobile=touch)
                pg = context.new_page()
                pg.goto(f"http://127.0.0.1:{port}")
                _wait(pg, ".bm[data-ready='1']")
                _settled(pg)
                _plan(pg, width < 600)
                pg.mouse.move(1, 1)
                pg.wait_for_timeout(500)
                path = out / f"page_plan_{width}x{height}.png"
                pg.screenshot(path=str(path))
                print(path)
                if width >= 600:
                    _print_map(pg, out)
                context.close()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
        for leftover in (out / ".streamlit.log", out / ".h.sqlite3"):
            leftover.unlink(missing_ok=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "images")
