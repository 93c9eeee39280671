"""The page in Bengali, checked in Chromium: ``?lang=bn`` and the switch, no English interface
word, the shipped font and ``<html lang>``, the choice kept across reloads and in the session
file (issue 14)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from driving import settle, wait_for_app

from bsa.treatment.label_rules import all_rules

pytestmark = pytest.mark.browser  # skipped without chromium: see conftest.py

# Words that stay in Latin letters on the Bengali page: abbreviations and units a Bengali
# clinician writes in Latin letters (docs/bengali_glossary.md), file kinds, the switch's
# own "English", and the names of products, their makers' ingredients, jurisdictions and
# label documents (proper names, as on a Bangladeshi pack). Quoted label text is removed
# before the check (it is the label's own words, never translated).
_ALLOWED = {
    "bsa", "easi", "pasi", "vasi", "ftu", "pdf", "png", "csv", "json", "english", "kg", "cm",
    "g", "mg", "ml", "us", "eu", "uk", "fda", "ema", "mhra", "smpc", "pi", "dailymed",
    "emc", "fhir", "r", "l", "bmi", "who", "a4", "letter", "x", "id", "sqlite", "mb",
    "jak", "language",  # the switch's label is in both languages: "Language · ভাষা"
}


REPO = Path(__file__).resolve().parents[2]


def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for value in obj.values():
            yield from _strings(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _strings(value)


def _verbatim_data_strings() -> list[str]:
    """Text the page shows as the data files hold it, never translated: citations, label
    sections and the label's own words (the data files' strings that are not messages of the
    catalogue), longest first."""
    from babel.messages.pofile import read_po

    with (REPO / "bsa" / "locale" / "bsa.pot").open("rb") as f:
        messages = {m.id for m in read_po(f) if isinstance(m.id, str)}
    found = set()
    for path in (REPO / "charts").glob("*.json"):
        for text in _strings(json.loads(path.read_text(encoding="utf-8"))):
            if text not in messages and len(re.findall("[A-Za-z]", text)) >= 3:
                found.add(" ".join(text.split()))
    return sorted(found, key=len, reverse=True)


# A citation in parentheses: "(Hanifin 2001)", "(Neaman et al. 2011)".
_CITATION = re.compile(r"\([^()]*\b(?:1[89]|20)\d\d\b[^()]*\)")


# A file path or an environment variable's name (the history file's place, BSA_HISTORY_DB).
_PATH = re.compile(r"(?:~|\.{0,2})/\S+|\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")


def _allowed_names() -> set[str]:
    names = set()
    for rule in all_rules():
        for text in (rule.product, rule.active_ingredient, rule.dosage_form):
            names.update(w.lower() for w in re.findall(r"[A-Za-z]+", text))
    return names


_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’|'[^']*'")

# Every text node of the page (the sidebar, the hidden tabs, the body map's shadow root),
# with the attributes a person hears or sees: aria-label, title, placeholder, alt.
_PAGE_TEXT = """
() => {
  const out = new Set();
  const SKIP = "style, script, noscript, [data-testid=stIconMaterial]";  // icons: ligature names
  const blockText = (block) => {
    let text = block.innerText || block.textContent;
    for (const icon of block.querySelectorAll("[data-testid=stIconMaterial]")) {
      text = text.replace(icon.textContent, " ");
    }
    return text;
  };
  const walk = (root) => {
    const it = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let n = it.currentNode; n; n = it.nextNode()) {
      if (n.nodeType === Node.TEXT_NODE) {
        const p = n.parentElement;
        if (!p || p.closest(SKIP) || !n.data.trim()) continue;
        // The whole block the text is in (a link or bold part is read with its sentence).
        const block = p.closest("p, li, td, th, h1, h2, h3, h4, h5, h6, label, button, div") || p;
        out.add(blockText(block));
        continue;
      }
      if (!n.getAttribute) continue;
      for (const a of ["aria-label", "title", "placeholder", "alt"]) {
        const v = n.getAttribute(a); if (v) out.add(v);
      }
      if (n.shadowRoot) walk(n.shadowRoot);
    }
  };
  walk(document.querySelector("[data-testid=stApp]"));
  return [...out];
}
"""

_STREAMLIT_OWN = {  # Streamlit's own chrome, outside the page's text
    "keyboard_double_arrow_left", "keyboard_double_arrow_right", "keyboard_arrow_down",
    "keyboard_arrow_right", "expand_more", "expand_less", "close", "check", "add", "remove",
    "search", "upload", "cloud_upload", "running", "stop", "deploy", "menu",
}


def english_words(texts: list[str]) -> list[str]:
    """The Latin-letter words of the page's texts that are not allowed to stay English."""
    allowed = _ALLOWED | _allowed_names()
    verbatim = _verbatim_data_strings()
    found = []
    for text in texts:
        if text.strip() in _STREAMLIT_OWN:
            continue
        bare = " ".join(text.split())
        for data_text in verbatim:
            if data_text in bare:
                bare = bare.replace(data_text, " ")
        bare = _CITATION.sub(" ", _QUOTED.sub(" ", bare))
        bare = _PATH.sub(" ", bare)
        for word in re.findall(r"[A-Za-z][A-Za-z0-9\-]*", bare):
            if word.lower() not in allowed and word.lower().strip("-") not in allowed:
                found.append(f"{word} (in {text.strip()[:80]!r})")
    return found


def _texts_of_every_panel(pg) -> list[str]:
    """The page's texts with each panel of the panel row open in turn (expanders opened)."""
    texts = []
    for i in range(pg.locator(".st-key-panel button").count()):
        pg.locator(".st-key-panel button").nth(i).click()
        settle(pg)
        for expander in pg.locator("[data-testid=stExpander] summary").all():
            if expander.is_visible() and expander.get_attribute("aria-expanded") != "true":
                expander.click()
        settle(pg)
        texts += pg.evaluate(_PAGE_TEXT)
    return texts


def test_the_bengali_page_has_no_english_interface_word(page, app_url, screenshot_dir):
    page.goto(f"{app_url}/?lang=bn")
    wait_for_app(page)
    assert page.evaluate("document.documentElement.lang") == "bn"
    words = english_words(_texts_of_every_panel(page))
    assert not words, "English words on the Bengali page:\n" + "\n".join(sorted(set(words)))
    page.screenshot(path=str(screenshot_dir / "page_bn_1366x768.png"))


def test_bengali_letters_come_from_the_shipped_font(page, app_url):
    page.goto(f"{app_url}/?lang=bn")
    wait_for_app(page)
    page.evaluate("document.fonts.ready")
    loaded = page.evaluate("""() => [...document.fonts].filter(f => f.status === 'loaded')
                                       .map(f => f.family.replace(/"/g, ''))""")
    assert "Noto Sans Bengali" in loaded
    family = page.evaluate("getComputedStyle(document.querySelector('h1.bsa-title')).fontFamily")
    assert family.startswith('"Source Sans", "Noto Sans Bengali"')


def test_the_switch_changes_the_language_and_a_reload_keeps_it(page, app_url):
    title = page.locator("h1.bsa-title")
    assert title.inner_text() == "Affected skin as a share of body surface"
    page.locator(".st-key-bsa_lang button", has_text="বাংলা").click()
    settle(page)
    page.wait_for_function("document.documentElement.lang === 'bn'")
    bengali_title = title.inner_text()
    assert not re.search(r"[A-Za-z]", bengali_title), bengali_title
    assert "lang=bn" in page.url
    page.reload()
    wait_for_app(page)
    assert title.inner_text() == bengali_title
    page.locator(".st-key-bsa_lang button", has_text="English").click()
    settle(page)
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert title.inner_text() == "Affected skin as a share of body surface"
    assert "lang=" not in page.url


def test_an_unknown_language_in_the_address_is_named_and_the_page_stays_english(page, app_url):
    page.goto(f"{app_url}/?lang=fr")
    wait_for_app(page)
    warning = page.locator(".bsa-say[data-kind=warning]").first.inner_text()
    assert "'fr'" in warning and "en" in warning and "bn" in warning
    assert page.locator("h1.bsa-title").inner_text() == "Affected skin as a share of body surface"


def test_the_session_file_keeps_the_page_language(page, app_url):
    page.goto(f"{app_url}/?lang=bn")
    wait_for_app(page)
    page.locator(".st-key-panel button").last.click()  # the records panel
    settle(page)
    page.locator(".st-key-records_prepare_session button").first.click()
    settle(page)
    with page.expect_download(timeout=30_000) as download:
        page.locator(".st-key-records_session_download button").first.click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert data["display"] == {"language": "bn"}
