"""The page's language (webapp/words.py), run headless with AppTest: the address, the switch,
the package's words in callbacks, and the session file's language (issue 14). The browser
tests (tests/browser/test_bengali_browser.py) check what Chromium shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

from bsa.records.assessment import Assessment  # noqa: E402
from bsa.records.session import to_json  # noqa: E402

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 60
ENGLISH_TITLE = "Affected skin as a share of body surface"


@pytest.fixture(autouse=True)
def _loopback(monkeypatch):
    import webapp.access

    monkeypatch.setattr(webapp.access, "client_address", lambda: "127.0.0.1")


def start(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def title(at: AppTest) -> str:
    for md in at.markdown:
        found = re.search(r'<h1 class="bsa-title">(.*?)</h1>', md.value)
        if found:
            return found.group(1)
    raise AssertionError("no title on the page")


def test_english_by_default_and_bengali_from_the_address():
    at = start()
    assert at.session_state["lang"] == "en"
    assert title(at) == ENGLISH_TITLE
    bn = start({"lang": "bn"})
    assert bn.session_state["lang"] == "bn"
    assert not re.search(r"[A-Za-z]", title(bn)), title(bn)
    assert re.search("[\u0980-\u09ff]", title(bn))


def test_an_unknown_language_is_named_and_the_page_stays_english(said):
    at = start({"lang": "fr"})
    assert at.session_state["lang"] == "en"
    assert title(at) == ENGLISH_TITLE
    warning = " ".join(said(at, "warning"))
    assert "'fr'" in warning and "en" in warning and "bn" in warning


def test_the_switch_changes_the_page_and_the_address():
    at = start()
    at.get("button_group")[0].set_value("bn").run()  # a click on বাংলা
    assert at.session_state["lang"] == "bn"
    assert at.query_params["lang"] == ["bn"] or at.query_params["lang"] == "bn"
    assert re.search("[\u0980-\u09ff]", title(at))
    at.get("button_group")[0].set_value("en").run()
    assert at.session_state["lang"] == "en"
    assert title(at) == ENGLISH_TITLE
    assert "lang" not in at.query_params


def test_the_headline_follows_the_language():
    at = start({"lang": "bn"})
    text = " ".join(md.value for md in at.markdown)
    assert "Nothing marked yet" not in text
    en = start()
    assert "Nothing marked yet" in " ".join(md.value for md in en.markdown)


def test_a_session_file_saved_in_bengali_brings_the_language_back():
    from bsa.records.session import display_language
    from webapp.records import read_session_upload

    data = to_json(Assessment(age_years=30, shares={"head": 0.5}),
                   display={"language": "bn"}).encode("utf-8")
    assert display_language(data) == "bn"
    at = start()
    at.session_state["pending_load"] = read_session_upload(data)
    at.session_state["pending_language"] = "bn"
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["lang"] == "bn"
    assert re.search("[\u0980-\u09ff]", title(at))
