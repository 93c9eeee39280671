"""Take the README's pictures of the page at 390x844, 768x1024, 1024x768 and 1366x768.

Starts ``streamlit run app.py`` on a free local port, marks the same skin at every size (the
front of the trunk and the back of the left thigh filled from the keyboard, a painted spot
on the right forearm), and saves ``docs/images/page_<width>x<height>.png``. Uses Debian's
chromium through Playwright, as the page tests do. Run from the repository:

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
            for width, height, touch in SIZES:
                context = browser.new_context(viewport={"width": width, "height": height},
                                              has_touch=touch, is_mobile=touch)
                pg = context.new_page()
                pg.goto(f"http://127.0.0.1:{port}")
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
                path = out / f"page_{width}x{height}.png"
                pg.screenshot(path=str(path))
                print(path)
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
