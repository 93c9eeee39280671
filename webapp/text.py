"""Text that did not come from this project's source is shown as itself, never as Markdown.

File names, file contents, pseudonyms, notes, ids read from files, paths and error messages
that quote what was typed are untrusted: formatted into Markdown they become images fetched
from another host (``![x](http://...)``), links, colours (``:red[...]``), icons
(``:material/...:``) or KaTeX (``$$...$$``). Backslash escapes do not stop Streamlit's link
detection (``http://`` and ``www.`` become links even when escaped), and the frontend rewrites
``:material/`` in the source before parsing, so every Markdown element is unsafe for them.

The rule of the page: untrusted text goes through :func:`literal` into an HTML block (as
:func:`say` does), or into a text-only element (``st.text``, ``st.code``, widget values).
:func:`literal` turns every ASCII punctuation and white-space character into a numeric
character reference: no Markdown, HTML or KaTeX syntax survives it, the browser shows the
characters exactly (the DOM text equals the input), and the result is safe inside element
content and quoted attribute values alike.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import streamlit as st

__all__ = ["KINDS", "literal", "read_said", "say"]

#: The kinds of message :func:`say` draws: (symbol, background, text colour, ARIA role).
#: The colours are those of Streamlit's light theme alerts; the symbol and the role say the
#: kind without colour.
KINDS: dict[str, tuple[str, str, str, str]] = {
    "error": ("\u2716", "rgba(255, 43, 43, 0.09)", "#7d353b", "alert"),
    "warning": ("\u26a0", "rgba(255, 227, 18, 0.12)", "#6b4e00", "alert"),
    "success": ("\u2714", "rgba(33, 195, 84, 0.1)", "#175c2c", "status"),
    "info": ("\u2139", "rgba(28, 131, 225, 0.1)", "#004280", "status"),
    "caption": ("", "transparent", "rgba(49, 51, 63, 0.65)", "note"),
}


def _reference(ch: str) -> str:
    code = ord(ch)
    if (code < 32 and ch not in "\t\n\r") or 127 <= code < 160:
        return "&#65533;"  # an invisible control character: shown as \ufffd, never dropped
    if (code < 128 and not ch.isalnum()) or ch in "\u2028\u2029":
        return f"&#{code};"
    return ch


def literal(text: object) -> str:
    """Return ``text`` as HTML character data that every renderer on the page shows as itself.

    Every ASCII character that is not a letter or a digit is written as a numeric character
    reference (``&#60;`` for ``<``); an invisible control character (other than tab and
    line breaks) is shown as the replacement character U+FFFD. Put the result inside
    HTML markup drawn with ``unsafe_allow_html=True`` (an element's content or a quoted
    attribute value); :func:`say` does that for a whole message.

    Parameters
    ----------
    text : object
        Anything; ``str(text)`` is what is shown.

    Returns
    -------
    str

    Examples
    --------
    >>> literal("![x](http://e.invalid/a.png)")
    '&#33;&#91;x&#93;&#40;http&#58;&#47;&#47;e&#46;invalid&#47;a&#46;png&#41;'
    """
    return "".join(_reference(ch) for ch in str(text))


def say(text: object, kind: str = "info", *, where: Callable[..., object] | None = None) -> None:
    """Draw a message whose every character is shown literally (untrusted parts welcome).

    Parameters
    ----------
    text : object
        The whole message, plain text: our words and any quoted input, file name or error
        message alike. Nothing in it is formatted.
    kind : {"error", "warning", "success", "info", "caption"}
        How the message looks (as Streamlit's alerts, with a symbol, or a small grey line).
    where : callable, optional
        The ``markdown`` function of a container (``st.sidebar.markdown``, ``column.markdown``);
        the main area by default.
    """
    symbol, background, colour, role = KINDS[kind]
    size = "0.875rem" if kind == "caption" else "1rem"
    padding = "0" if kind == "caption" else "0.75rem 1rem"
    mark = (f'<span aria-hidden="true" style="margin-right:0.5rem">{symbol}</span>'
            if symbol else "")
    # One line, starting with a block tag: an HTML block, which Markdown leaves alone. The
    # bottom margin offsets the -1rem Streamlit gives a Markdown element (made for a <p>).
    block = (
        f'<div class="bsa-say" data-kind="{kind}" role="{role}" style="background:{background};'
        f"color:{colour};padding:{padding};border-radius:0.5rem;font-size:{size};margin-bottom:1rem;"
        f'line-height:1.5;white-space:pre-wrap;overflow-wrap:anywhere">{mark}'
        f'<span class="bsa-say-text">{literal(text)}</span></div>'
    )
    (where or st.markdown)(block, unsafe_allow_html=True)


_SAID = re.compile(r'^<div class="bsa-say" data-kind="(\w+)"[^>]*>(?:<span aria-hidden="true"'
                   r'[^>]*>[^<]*</span>)?<span class="bsa-say-text">([^<]*)</span></div>$')


def read_said(block: str) -> tuple[str, str] | None:
    """Return (kind, text) of a message drawn by :func:`say`, or None for other markup.

    The inverse of :func:`say`, for tests that read the page's messages.
    """
    match = _SAID.match(block.strip())
    if match is None:
        return None
    return match.group(1), html.unescape(match.group(2))
