"""Text that came from a file or a user, made safe for where it is shown.

:func:`for_terminal` before printing it (a session's notes, an id, an error message that
quotes a file), :func:`for_spreadsheet` before writing it to a CSV cell a spreadsheet may
open.
"""

from __future__ import annotations

import re

__all__ = ["for_terminal", "for_spreadsheet", "FORMULA_STARTS"]

# Terminal escape sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), the
# other string commands (DCS, SOS, PM, APC up to ESC \) and two-character escapes.
_ESCAPE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[ -/]*[0-~]?"
)
# C0 and C1 controls except tab and newline, DEL, and the bidirectional overrides and
# isolates that make a terminal show text in another order than it is.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")

#: First characters a spreadsheet reads as the start of a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def for_terminal(text: str) -> str:
    """Return ``text`` without what a terminal would act on rather than show.

    Removes escape sequences (colours, cursor moves, window titles, hyperlinks), C0 and C1
    control characters except newline and tab, bidirectional overrides; a lone surrogate
    (which cannot be printed as UTF-8) becomes U+FFFD.

    Examples
    --------
    >>> for_terminal("\\x1b[31mred\\x1b[0m and\\x07 bell")
    'red and bell'
    """
    text = _ESCAPE.sub("", text)
    text = _CONTROL.sub("", text)
    return _SURROGATE.sub("\ufffd", text)


def for_spreadsheet(cell: str) -> str:
    """Return a CSV cell that a spreadsheet shows as text rather than runs as a formula.

    A cell starting with ``= + - @``, a tab or a carriage return gets a leading single
    quote (OWASP's advice against CSV injection); other cells are unchanged.

    Examples
    --------
    >>> for_spreadsheet("=HYPERLINK(\\"http://x\\")"), for_spreadsheet("p7")
    ('\\'=HYPERLINK("http://x")', 'p7')
    """
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell
