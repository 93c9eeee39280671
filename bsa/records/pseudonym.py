"""The patient's pseudonym: the one key that tells patients apart in the visit history.

Patients are known by a label the user chooses, never by name. :func:`pseudonym_key` folds
every way of writing the same pseudonym (spaces, Unicode forms, case) onto one key; the
history and the page both use it.
"""

from __future__ import annotations

import unicodedata

__all__ = ["pseudonym_key"]


def pseudonym_key(pseudonym: str) -> str:
    """Return the key that tells patients apart: one for every way of writing a pseudonym.

    Spaces collapsed, canonical Unicode normal form, case folded (Unicode's canonical
    caseless match: ``NFC(casefold(NFD(text)))``). SQLite's ``NOCASE`` folds ASCII only,
    so ``"émile"`` and ``"Émile"`` would be two patients there; with this key they are one.
    The page and the history use this same function.

    Examples
    --------
    >>> pseudonym_key("  Émile  B ") == pseudonym_key("e\u0301mile b") == "émile b"
    True
    >>> pseudonym_key("STRASSE") == pseudonym_key("straße")
    True
    """
    text = " ".join(str(pseudonym).split())
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).casefold())
