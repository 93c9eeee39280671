"""The language of the words and the digits of the numbers: one place chooses both.

Every sentence the package writes (the evaluation's headline, cautions and questions, the
region names, the printed map, the command line's output) is an English message looked up
in a gettext catalogue (``bsa/locale/<lang>/LC_MESSAGES/bsa.po``) in the *current language*,
a context variable set with :func:`language`::

    with language("bn"):
        ev = bsa.evaluate(assessment)      # ev.headline is in Bengali

English is the message id and the default: with no catalogue the words are the English ones,
unchanged. Numbers are formatted by :func:`num` (and dates by :func:`format_date`) in the
current *digits*, Latin (0-9) or Bengali (০-৯); see :func:`default_digits` for which is used
when none is asked for, and why.

The catalogues are compiled to ``.mo`` files when the package is built (``setup.py``, with
Babel); in a checkout without them the ``.po`` file is compiled in memory, which needs Babel
(imported only then, and only for a language other than English). ``import bsa`` imports
neither.

Words that are the label's own (a limit's words, a review point) are never translated: they
are quoted in the label's language, followed by a paraphrase built from the structured
limit (:mod:`bsa.treatment.rule_model`).

Examples
--------
>>> from bsa.i18n import language, num, format_date
>>> import datetime
>>> num(20.5, ".1f"), format_date(datetime.date(2026, 3, 14))
('20.5', '14 March 2026')
>>> with language("bn", digits="bengali"):
...     num(20.5, ".1f"), format_date(datetime.date(2026, 3, 14))
('২০.৫', '১৪ মার্চ ২০২৬')

Why one long module: the language of the words and the digits of the numbers are chosen in
one place (one context variable), so that dates, numbers and messages can never disagree.
"""

from __future__ import annotations

import gettext as _gettext
import io
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date as date_type
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

__all__ = [
    "DEFAULT_LANGUAGE",
    "DIGITS",
    "DOMAIN",
    "ENV_DIGITS",
    "ENV_LANGUAGE",
    "LANGUAGES",
    "LOCALE_DIR",
    "MEDIA",
    "N_",
    "_",
    "catalogue_origin",
    "check_digits",
    "check_language",
    "current_digits",
    "current_language",
    "default_digits",
    "digits",
    "environment_digits",
    "environment_language",
    "format_date",
    "join",
    "language",
    "missing_messages",
    "month_name",
    "ngettext",
    "num",
    "pgettext",
    "sentence",
    "weekday_name",
    "week_order",
]

#: The languages the package speaks: code -> name in that language.
LANGUAGES = MappingProxyType({"en": "English", "bn": "বাংলা"})
DEFAULT_LANGUAGE = "en"
#: The digit sets numbers are written in.
DIGITS: tuple[str, ...] = ("latin", "bengali")
#: Where text is read: a screen (the page, the command line) or paper (the printed map).
MEDIA: tuple[str, ...] = ("screen", "print")
#: The gettext domain: ``bsa/locale/<lang>/LC_MESSAGES/bsa.mo`` (or ``.po``).
DOMAIN = "bsa"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: Environment variables read by the command line for its defaults.
ENV_LANGUAGE = "BSA_LANG"
ENV_DIGITS = "BSA_DIGITS"

_BENGALI_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
_LATIN_DIGITS = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")
_STATE: ContextVar[tuple[str, str]] = ContextVar("bsa_language", default=("en", "latin"))

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    # Bangla Academy spellings (ই-কার in জানুয়ারি, ফেব্রুয়ারি), as current CLDR and the
    # Bangladeshi press write them; hard-coded rather than read from the system's locale data,
    # which may be older (জানুয়ারী).
    "bn": ("জানুয়ারি", "ফেব্রুয়ারি", "মার্চ", "এপ্রিল", "মে", "জুন", "জুলাই", "আগস্ট",
           "সেপ্টেম্বর", "অক্টোবর", "নভেম্বর", "ডিসেম্বর"),
}
_WEEKDAYS = {
    "en": {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
           "fri": "Friday", "sat": "Saturday", "sun": "Sunday"},
    "bn": {"mon": "সোমবার", "tue": "মঙ্গলবার", "wed": "বুধবার", "thu": "বৃহস্পতিবার",
           "fri": "শুক্রবার", "sat": "শনিবার", "sun": "রবিবার"},
}
# Bangladesh starts the week on Saturday (Friday is the weekly holiday); English lists keep
# the stored ISO order, Monday first.
_WEEK_ORDER = {
    "en": ("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
    "bn": ("sat", "sun", "mon", "tue", "wed", "thu", "fri"),
}
_AND = {"en": " and ", "bn": " ও "}


def _error(message: str) -> Exception:
    from .errors import BSAInputError  # no cycle: errors imports nothing of ours

    return BSAInputError(message)


# ---------------------------------------------------------------------------- choosing


def check_language(lang: Any) -> str:
    """Return a language code from :data:`LANGUAGES`, or raise.

    Locale-style names are accepted (``"bn_BD.UTF-8"``, ``"bn-BD"``, ``"EN"``): the part
    before the first ``_``, ``-`` or ``.``, lower-cased.

    Raises
    ------
    BSAInputError
        For anything else; the message lists the languages.
    """
    if isinstance(lang, str):
        code = lang.strip().replace("-", "_").split(".")[0].split("_")[0].lower()
        if code in LANGUAGES:
            return code
    raise _error(f"unknown language {lang!r}; valid languages are: {', '.join(LANGUAGES)} "
                 f"({', '.join(f'{k} = {v}' for k, v in LANGUAGES.items())})")


def check_digits(value: Any) -> str:
    """Return ``"latin"`` or ``"bengali"``, or raise listing them."""
    if isinstance(value, str) and value.strip().lower() in DIGITS:
        return value.strip().lower()
    raise _error(f"unknown digits {value!r}; valid digits are: {', '.join(DIGITS)}")


def default_digits(lang: str, medium: str = "screen") -> str:
    """The digits a Bengali clinician expects where no digits are asked for.

    Bengali text printed for a patient (the application map) uses Bengali digits (২০%,
    দিনে ২ বার), as Bangladeshi drug leaflets, the pharmacy dispensing label, government
    pages and newspapers do; a clinician's screen and the command line use Latin digits,
    as prescriptions, labels and clinical notes in Bangladesh do (they are written in
    English), and as copied numbers must read in logs and notes. English is always Latin.
    See the README ("Bengali") and ``docs/bengali_glossary.md``.

    Parameters
    ----------
    lang : str
        A language code.
    medium : {"screen", "print"}

    Returns
    -------
    {"latin", "bengali"}
    """
    if medium not in MEDIA:
        raise _error(f"unknown medium {medium!r}; valid media are: {', '.join(MEDIA)}")
    return "bengali" if check_language(lang) == "bn" and medium == "print" else "latin"


def current_language() -> str:
    """The language words are written in now (``"en"`` unless set by :func:`language`)."""
    return _STATE.get()[0]


def current_digits() -> str:
    """The digits numbers are written in now (``"latin"`` or ``"bengali"``)."""
    return _STATE.get()[1]


@contextmanager
def language(lang: str | None = None, digits: str | None = None, *,
             medium: str = "screen") -> Iterator[str]:
    """Write words in ``lang`` and numbers in ``digits`` inside the ``with`` block.

    Parameters
    ----------
    lang : str, optional
        A code of :data:`LANGUAGES` (or a locale name, see :func:`check_language`); default:
        the current language.
    digits : {"latin", "bengali"}, optional
        Default: the current digits if the language stays the same, else
        :func:`default_digits` for ``lang`` and ``medium``.
    medium : {"screen", "print"}
        Where the text is read, for the default digits.

    Yields
    ------
    str
        The language code.
    """
    now_lang, now_digits = _STATE.get()
    code = now_lang if lang is None else check_language(lang)
    if digits is not None:
        chosen = check_digits(digits)
    elif code == now_lang:
        chosen = now_digits
    else:
        chosen = default_digits(code, medium)
    token = _STATE.set((code, chosen))
    try:
        yield code
    finally:
        _STATE.reset(token)


# ---------------------------------------------------------------------------- catalogues

_MISSING: set[Any] = set()


class _RecordMissing(_gettext.NullTranslations):
    """The fallback of a catalogue: returns the English and remembers that it did."""

    def gettext(self, message):
        _MISSING.add(message)
        return message

    def ngettext(self, msgid1, msgid2, n):
        _MISSING.add(msgid1)
        return msgid1 if n == 1 else msgid2

    def pgettext(self, context, message):
        _MISSING.add((context, message))
        return message

    def npgettext(self, context, msgid1, msgid2, n):
        _MISSING.add((context, msgid1))
        return msgid1 if n == 1 else msgid2


def _catalogue_files(lang: str) -> tuple[Path, Path]:
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    return folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"


def catalogue_origin(lang: str) -> str:
    """Where a language's messages come from: ``"mo"`` (compiled at build), ``"po"``
    (compiled in memory from the source catalogue) or ``"none"`` (English, or no file)."""
    code = check_language(lang)
    if code == DEFAULT_LANGUAGE:
        return "none"
    mo, po = _catalogue_files(code)
    # A .mo older than its .po (a checkout where the .po was edited after a build) is stale.
    if mo.is_file() and not (po.is_file() and po.stat().st_mtime > mo.stat().st_mtime):
        return "mo"
    return "po" if po.is_file() else "none"


def _compile_po(po: Path) -> bytes:
    """A .po file compiled to .mo bytes in memory (needs Babel)."""
    try:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            f"the {po.parent.parent.name!r} messages are not compiled ({po.with_suffix('.mo')} "
            "is missing): install the package (`pip install .`, which compiles them) or "
            "install Babel (`pip install babel`) to read them from the .po file") from exc
    with po.open("rb") as f:
        catalogue = read_po(f, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalogue, use_fuzzy=False)
    return out.getvalue()


@cache
def _translations(lang: str) -> _gettext.NullTranslations:
    if lang == DEFAULT_LANGUAGE:
        return _gettext.NullTranslations()
    origin = catalogue_origin(lang)
    mo, po = _catalogue_files(lang)
    if origin == "mo":
        with mo.open("rb") as f:
            found: _gettext.NullTranslations = _gettext.GNUTranslations(f)
    elif origin == "po":
        found = _gettext.GNUTranslations(io.BytesIO(_compile_po(po)))
    else:
        found = _gettext.NullTranslations()
    found.add_fallback(_RecordMissing())
    return found


def missing_messages() -> set[Any]:
    """The messages looked up in a language other than English and not found (shown in
    English), since the process started: a test asserts there are none."""
    return set(_MISSING)


# ---------------------------------------------------------------------------- lookups


# A quotation inside a message: 'words' or “words” (a quote mark not inside a word, so the
# apostrophe of "label's" is not one).
_QUOTED = re.compile(r"(?<!\w)'[^'\n]*'(?!\w)|\u201c[^\u201d]*\u201d")


def _in_digits(text: str, chosen: str) -> str:
    """A looked-up message with its own digits (the project's numbers, such as "1%" or "12 to
    18 years") in the chosen digits. Numbers filled in later (``{value}``) are formatted by
    :func:`num`; references with numbers (a DOI, a citation) are filled in, never written in
    a message, so they keep their digits; so do quotations ('...', “...”), which are a
    label's or a source's own words."""
    if chosen != "bengali":
        return text.translate(_LATIN_DIGITS)
    out, at = [], 0
    for quoted in _QUOTED.finditer(text):
        out.append(text[at:quoted.start()].translate(_BENGALI_DIGITS))
        out.append(quoted.group())
        at = quoted.end()
    out.append(text[at:].translate(_BENGALI_DIGITS))
    return "".join(out)


def _(message: str) -> str:
    """``message`` (English) in the current language and digits."""
    lang, chosen = _STATE.get()
    if lang == DEFAULT_LANGUAGE:
        return message if chosen == "latin" else _in_digits(message, chosen)
    if not message:
        return message
    return _in_digits(_translations(lang).gettext(message), chosen)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it now (constants)."""
    return message


def ngettext(singular: str, plural: str, n: float) -> str:
    """The singular or plural message for a count ``n``, in the current language."""
    lang, chosen = _STATE.get()
    if lang == DEFAULT_LANGUAGE:
        text = singular if n == 1 else plural
        return text if chosen == "latin" else _in_digits(text, chosen)
    count = int(n) if float(n).is_integer() else 2
    return _in_digits(_translations(lang).ngettext(singular, plural, count), chosen)


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, told apart from the same English words in
    another ``context`` (e.g. ``pgettext("view", "Back")``)."""
    lang, chosen = _STATE.get()
    if lang == DEFAULT_LANGUAGE:
        return message if chosen == "latin" else _in_digits(message, chosen)
    return _in_digits(_translations(lang).pgettext(context, message), chosen)


# ---------------------------------------------------------------------------- numbers


def digits(text: str) -> str:
    """Write the ASCII digits of ``text`` in the current digits (the rest unchanged).

    For numbers formatted elsewhere (``"12.5"``); never for text that quotes a label or
    names a product, whose digits stay as printed.
    """
    if _STATE.get()[1] == "bengali":
        return text.translate(_BENGALI_DIGITS)
    return text


def num(value: Any, spec: str = "") -> str:
    """``format(value, spec)`` in the current digits: ``num(20.5, ".1f")`` -> ``"২০.৫"``.

    The decimal point is ".", as in Bengali print; grouping with ``","`` stays Western (the
    numbers shown are below 100,000, where Indian grouping is the same).
    """
    return digits(format(value, spec))


def month_name(month: int) -> str:
    """``3`` -> ``"March"`` / ``"মার্চ"``."""
    return _MONTHS.get(current_language(), _MONTHS["en"])[month - 1]


def format_date(day: date_type, *, weekday: bool = False) -> str:
    """A date as written in the current language: ``14 March 2026`` / ``১৪ মার্চ ২০২৬``.

    Day, month name, year, no comma (as the DGHS writes it), in the current digits; with
    ``weekday`` the weekday first (``Saturday, 14 March 2026``).
    """
    text = f"{num(day.day)} {month_name(day.month)} {num(day.year)}"
    if weekday:
        text = f"{weekday_name(_WEEK_ORDER['en'][day.weekday()])}, {text}"
    return text


def weekday_name(day: str) -> str:
    """``"mon"`` -> ``"Monday"`` / ``"সোমবার"``."""
    return _WEEKDAYS.get(current_language(), _WEEKDAYS["en"])[day]


def week_order() -> tuple[str, ...]:
    """The days of the week in the order lists are written in the current language:
    Monday first in English, Saturday first in Bengali (as in Bangladesh)."""
    return _WEEK_ORDER.get(current_language(), _WEEK_ORDER["en"])


def join(items: Sequence[str]) -> str:
    """``["a", "b", "c"]`` -> ``"a, b and c"`` (Bengali ``"a, b ও c"``)."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + _AND.get(current_language(), " and ") + items[-1]


_FULL_STOP = {"en": ".", "bn": "\u0964"}  # Bengali ends a sentence with the dari, ।


def sentence(text: str) -> str:
    """``text`` ended as a sentence in the current language: ``"."`` in English, ``"।"`` in
    Bengali, unless it already ends with a full stop, a question or an exclamation mark."""
    if not text or text.rstrip().endswith((".", "\u0964", "?", "!")):
        return text
    return text + _FULL_STOP.get(current_language(), ".")


def environment_language() -> str | None:
    """``BSA_LANG`` as a language code, or None when unset or empty."""
    value = os.environ.get(ENV_LANGUAGE, "").strip()
    return check_language(value) if value else None


def environment_digits() -> str | None:
    """``BSA_DIGITS`` as a digits name, or None when unset or empty."""
    value = os.environ.get(ENV_DIGITS, "").strip()
    return check_digits(value) if value else None
