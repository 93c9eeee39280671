"""The page's language: which one is chosen, and its words wherever the page runs.

The page is in English or Bengali (:data:`bsa.i18n.LANGUAGES`). The choice lives in
``st.session_state["lang"]``: set on first load from the address (``?lang=bn``), changed by
the switch at the top of the page (which writes it back into the address, so a reload keeps
it), and restored from a loaded session file. Every page message is an English message id
of the package's catalogue (``bsa/locale``), looked up with :func:`_` here.

Why not :func:`bsa.i18n._` directly: the language of :mod:`bsa.i18n` is a context variable
set by a ``with`` block, and Streamlit runs a widget's callback before the script body (and
its ``with``) starts. :func:`_` reads the page's choice from the session wherever it is
called, and :func:`in_page_language` runs a callback (saving a visit, preparing the map)
in the page's language, so the package's own words (headline, cautions, the printed map)
follow it there too.

Numbers on the screen keep Latin digits in both languages (clinicians' notes and labels in
Bangladesh are written with them); the printed map uses the digits of
:func:`bsa.i18n.default_digits` for ``medium="print"``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import streamlit as st

from bsa import i18n
from bsa.errors import BSAInputError

__all__ = [
    "LANGUAGE_NAMES",
    "choose_language",
    "language_switch",
    "page_fonts",
    "N_",
    "_",
    "in_page_language",
    "language_from_address",
    "ngettext",
    "page_language",
    "pgettext",
    "set_page_language",
    "streamlit_words",
    "speaking",
]

#: Each language's name in its own words, for the switch (shown the same in both languages).
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "bn": "বাংলা"}

_KEY = "lang"
F = TypeVar("F", bound=Callable[..., Any])

N_ = i18n.N_


def page_language() -> str:
    """The page's language code (``"en"`` until one is chosen)."""
    try:
        lang = st.session_state.get(_KEY, i18n.DEFAULT_LANGUAGE)
    except Exception:  # outside a Streamlit session (imported by a test or a tool)
        return i18n.DEFAULT_LANGUAGE
    return lang if lang in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def set_page_language(lang: str) -> str:
    """Choose the page's language (checked) and keep it in the address; returns the code."""
    code = i18n.check_language(lang)
    st.session_state[_KEY] = code
    try:
        if code == i18n.DEFAULT_LANGUAGE:
            st.query_params.pop(_KEY, None)
        else:
            st.query_params[_KEY] = code
    except Exception:  # no address outside a browser session (AppTest keeps one anyway)
        pass
    return code


def language_from_address() -> str | None:
    """On first load: the language asked for by ``?lang=``, or None.

    An unknown code raises :class:`~bsa.errors.BSAInputError` naming the valid ones; the
    page then stays in its current language and says so.
    """
    asked = st.query_params.get(_KEY)
    if asked is None or asked == "":
        return None
    return i18n.check_language(asked)


@contextmanager
def speaking(medium: str = "screen") -> Iterator[str]:
    """The package's words in the page's language inside the ``with`` block.

    ``medium="print"`` also writes numbers in the printed map's digits.
    """
    lang = page_language()
    with i18n.language(lang, i18n.default_digits(lang, medium)):
        yield lang


def in_page_language(fn: F) -> F:
    """Run ``fn`` (a widget callback) with the package's words in the page's language."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        with speaking():
            return fn(*args, **kwargs)

    return run  # type: ignore[return-value]


def _(message: str) -> str:
    """``message`` (English) in the page's language."""
    with speaking():
        return i18n._(message)


def ngettext(singular: str, plural: str, n: float) -> str:
    """The singular or plural message for ``n``, in the page's language."""
    with speaking():
        return i18n.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the page's language, told apart by ``context``."""
    with speaking():
        return i18n.pgettext(context, message)


# ----------------------------------------------------------------------------- on the page

_SWITCH = "lang_switch"
_REFUSED = "lang_refused"


def choose_language() -> str:
    """Settle the page's language for this run (call first, before anything is drawn).

    On a session's first run the address decides (``?lang=bn``); an unknown code is kept as
    a message for :func:`language_switch` to show, and the page stays in English.
    """
    if _KEY not in st.session_state:
        try:
            asked = language_from_address()
        except BSAInputError as exc:
            asked = None
            st.session_state[_REFUSED] = str(exc)
        st.session_state[_KEY] = asked or i18n.DEFAULT_LANGUAGE
    return page_language()


def _switched() -> None:
    set_page_language(st.session_state[_SWITCH])


def language_switch() -> None:
    """The language switch: two buttons at the top of the page, each language in its own
    words, on every screen size (it takes no room of its own: see page.css)."""
    lang = page_language()
    if st.session_state.get(_SWITCH) != lang:
        st.session_state[_SWITCH] = lang  # e.g. restored from a session file
    with st.container(key="bsa_lang"):  # out of the page's flow (page.css)
        page_fonts()
        st.segmented_control(
            "Language · ভাষা", options=list(i18n.LANGUAGES), key=_SWITCH,
            format_func=LANGUAGE_NAMES.__getitem__, on_change=_switched, required=True,
            label_visibility="collapsed", width="content")
        _document_language(lang)
    refused = st.session_state.pop(_REFUSED, None)
    if refused is not None:
        from .text import say

        say(_("The address asks for a language this page does not have ({error}); the page "
              "stays in {language}.").format(error=refused, language=LANGUAGE_NAMES[lang]),
            "warning")


# Streamlit's own words in its widgets (its frontend has no translation): what a person hears
# from a screen reader (a help button's name, a number field's steppers) and a few words on
# screen (the file picker). English is Streamlit's text, matched exactly; the translation
# comes from this package's catalogue.
_STREAMLIT_WORDS = {
    "Open": N_("Open"),
    "Increment": N_("Increment"),
    "Decrement": N_("Decrement"),
    "Clear value": N_("Clear value"),
    "Choose date": N_("Choose date"),
    "Choose an option": N_("Choose an option"),
    "Sidebar": N_("Sidebar"),
    "Collapse sidebar": N_("Collapse sidebar"),
    "Expand sidebar": N_("Expand sidebar"),
    "Link to heading": N_("Link to heading"),
    "Skip to main content": N_("Skip to main content"),
    "Upload": N_("Upload"),
    "Browse files": N_("Browse files"),
    "Drag and drop file here": N_("Drag and drop file here"),
    "Remove file": N_("Remove file"),
    "file upload": N_("file upload"),
}
# ... and the ones that hold a part of their own: (pattern, message with {part}).
_STREAMLIT_PATTERNS = (
    (r"^Help for (.+)$", N_("Help: {part}")),
    (r"^(\d+(?:\.\d+)?)MB per file$", N_("at most {part} MB per file")),
    (r"^year, (.+)$", N_("year, {part}")),
    (r"^month, (.+)$", N_("month, {part}")),
    (r"^day, (.+)$", N_("day, {part}")),
)

_LANG_JS = """
const ATTRS = ["aria-label", "placeholder", "title"];
function translate(text, d) {
  if (d.exact[text] !== undefined) return d.exact[text];
  for (const [re, out] of d.patterns) {
    const m = new RegExp(re).exec(text);
    if (m) return out.replace("{part}", m[1]);
  }
  return null;
}
function pass(node, d, back) {
  // One element (and its subtree): its attributes and its own text nodes.
  const it = document.createTreeWalker(node, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let n = it.currentNode; n; n = it.nextNode()) {
    if (n.nodeType === Node.TEXT_NODE) {
      const p = n.parentElement;
      if (!p || p.closest("style, script, .bsa-say")) continue;
      const key = n.data.trim();
      if (!key) continue;
      if (back) { if (n.__bsaEn !== undefined && n.data === n.__bsaShown) n.data = n.__bsaEn; continue; }
      const t = translate(key, d);
      if (t !== null && t !== key) { n.__bsaEn = n.data; n.__bsaShown = t; n.data = t; }
      continue;
    }
    if (!n.getAttribute) continue;
    for (const a of ATTRS) {
      const v = n.getAttribute(a);
      if (v === null) continue;
      const saved = n.getAttribute("data-bsa-en-" + a);
      if (back) { if (saved !== null) { n.setAttribute(a, saved); n.removeAttribute("data-bsa-en-" + a); } continue; }
      const t = translate(saved !== null ? saved : v, d);
      if (t !== null && t !== v) {
        if (saved === null) n.setAttribute("data-bsa-en-" + a, v);
        n.setAttribute(a, t);
      }
    }
  }
}
export default function ({ data }) {
  // The page's language for the browser: screen readers, hyphenation, font choice.
  document.documentElement.lang = data.lang;
  const app = document.querySelector("[data-testid=stApp]") || document.body;
  const state = window.__bsaWords || (window.__bsaWords = {});
  state.d = data.words ? { exact: data.words.exact, patterns: data.words.patterns } : null;
  if (!state.d) {  // English: give Streamlit its own words back, and stop watching
    if (state.observer) { state.observer.disconnect(); state.observer = null; }
    pass(app, { exact: {}, patterns: [] }, true);
    return;
  }
  pass(app, state.d, false);
  if (!state.observer) {
    state.observer = new MutationObserver((records) => {
      if (!state.d) return;
      for (const r of records) {
        if (r.type === "attributes" || r.type === "characterData") {
          const el = r.type === "characterData" ? r.target.parentElement : r.target;
          if (el) pass(el, state.d, false);
        } else for (const n of r.addedNodes) {
          if (n.nodeType === Node.ELEMENT_NODE) pass(n, state.d, false);
          else if (n.nodeType === Node.TEXT_NODE && n.parentElement) pass(n.parentElement, state.d, false);
        }
      }
    });
    state.observer.observe(app, { subtree: true, childList: true, characterData: true,
                                  attributes: true, attributeFilter: ATTRS });
  }
}
"""
_lang_component = st.components.v2.component("bsa_page_language", html="<span></span>",
                                              js=_LANG_JS)


def streamlit_words(lang: str) -> dict[str, Any] | None:
    """Streamlit's own widget words in ``lang`` for the page's script, or None in English."""
    if lang == i18n.DEFAULT_LANGUAGE:
        return None
    with i18n.language(lang):
        exact = {english: i18n._(message) for english, message in _STREAMLIT_WORDS.items()}
        patterns = [[pattern, i18n._(message)] for pattern, message in _STREAMLIT_PATTERNS]
    return {"exact": exact, "patterns": patterns}


def _document_language(lang: str) -> None:
    """Set ``<html lang>`` to the page's language (Streamlit writes ``lang="en"``), and put
    Streamlit's own widget words (:data:`_STREAMLIT_WORDS`) in it."""
    _lang_component(key="bsa_page_language", data={"lang": lang, "words": streamlit_words(lang)},
                    height=0)


@functools.cache
def _bengali_faces() -> str:
    """``@font-face`` rules adding the shipped Noto Sans Bengali to the page's own family.

    The page's font is "Source Sans" then "Noto Sans Bengali" (``.streamlit/config.toml``,
    ``theme.font``): English text looks as it always did, and Bengali letters come from the
    same font as the printed map, shaped by the browser. The font travels inside
    the page (a data URL): nothing is fetched from another host.
    """
    import base64

    from bsa.fonts import FONT_DIR

    rules = []
    for weight, name in ((400, "NotoSansBengali-Regular.ttf"), (700, "NotoSansBengali-Bold.ttf")):
        data = base64.b64encode((FONT_DIR / name).read_bytes()).decode("ascii")
        rules.append(
            f'@font-face {{font-family: "Noto Sans Bengali"; font-weight: {weight}; '
            f"font-style: normal; font-display: block; "
            f"unicode-range: U+0964-0965, U+0980-09FE, U+200C-200D, U+25CC; "
            f'src: url(data:font/ttf;base64,{data}) format("truetype");}}')
    return "\n".join(rules)


@functools.cache
def _switch_face() -> str:
    """``@font-face`` for the few Bengali letters of an English page: the switch's "বাংলা"
    and its label's "ভাষা" (a subset of the shipped font, a few KB, made with fontTools,
    which matplotlib already needs), so that they show on a computer without a Bengali font.
    """
    import base64
    import io

    from fontTools import subset

    from bsa.fonts import FONT_DIR

    options = subset.Options()
    options.layout_features = ["*"]  # keep the shaping rules of the letters kept
    font = subset.load_font(str(FONT_DIR / "NotoSansBengali-Regular.ttf"), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(LANGUAGE_NAMES.values()) + "ভাষা")
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    data = base64.b64encode(out.getvalue()).decode("ascii")
    return ('@font-face {font-family: "Noto Sans Bengali"; font-style: normal; '
            "font-display: block; unicode-range: U+0980-09FE, U+200C-200D; "
            f'src: url(data:font/ttf;base64,{data}) format("truetype");}}')


def page_fonts() -> None:
    """Give the page the Bengali font: the whole of it when the page is in Bengali, only the
    switch's letters otherwise."""
    faces = _bengali_faces() if page_language() == "bn" else _switch_face()
    st.markdown(f"<style>{faces}</style>", unsafe_allow_html=True)
