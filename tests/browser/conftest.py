"""Start the page with ``streamlit run`` on a free port and drive it with Playwright.

The browser is Debian's chromium at /usr/bin/chromium (no browser download); the tests skip
with a clear reason only when it is missing. Every request the page makes is recorded and
a test fails if one goes to any host but the one serving the page (``opened`` in
driving.py, where the tests' shared helpers are).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from driving import opened

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT = 90  # seconds; a slow shared machine

def pytest_collection_modifyitems(config, items):
    """Skip this folder's tests, saying why, on a machine without Debian's chromium."""
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(
        reason=f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(skip)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(port: int, log_path: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start ``streamlit run app.py`` headless on 127.0.0.1:port (the caller stops it)."""
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
    )


def wait_healthy(port: int, proc: subprocess.Popen, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{port}/_stcore/health"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"streamlit did not answer on port {port} within {timeout} s")


def stop_app(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def history_db(tmp_path_factory) -> Path:
    """The visit history the test server writes to (never the user's own)."""
    return tmp_path_factory.mktemp("history") / "history.sqlite3"


@pytest.fixture(scope="session")
def app_url(tmp_path_factory, history_db):
    port = free_port()
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    proc = start_app(port, log, env={"BSA_HISTORY_DB": str(history_db)})
    try:
        wait_healthy(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_app(proc)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright  # a dev requirement: fail if missing

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    """Where screenshots go (BSA_SCREENSHOT_DIR, or the pytest temporary directory)."""
    folder = os.environ.get("BSA_SCREENSHOT_DIR")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def requests_seen():
    return []


@pytest.fixture
def page(browser, app_url, requests_seen):
    """A fresh page at 1366x768 on the app; fails the test if a request leaves the host."""
    with opened(browser, app_url, (1366, 768), seen=requests_seen) as pg:
        yield pg
