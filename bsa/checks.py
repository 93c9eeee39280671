"""The checks every public function makes on its inputs, in one place.

One valid range per quantity (:data:`AGE_RANGE`, :data:`HEIGHT_RANGE`,
:data:`WEIGHT_RANGE`, ...), and one way of checking a number, an array of numbers, a name
from a list, a flag, a text and the broadcasting of several arrays. Each check raises
:class:`~bsa.errors.BSAInputError` naming the quantity, the value (shortened: a 5,000-digit
integer is not printed) and the valid values, for an input of any type: a string, a list
or a dictionary where a number is expected, None, a boolean, a complex number, an integer
too large for a float, NaN or infinity.

Notes
-----
Weight: 0.2 to 700 kg. The lower end is a live-born preterm infant (about 0.25 kg at
22-23 weeks), the upper end above the heaviest adults recorded (about 635 kg); the range
refuses typing slips (grams, pounds times ten) without refusing a real patient. The same
range is used by :func:`bsa.body_surface_area`, session files and the page.

The messages are in the current language (:mod:`bsa.i18n`): a caller passes the quantity's
name (and unit) already in words, ``_("age")``.

Examples
--------
>>> from bsa.checks import number, one_of
>>> number(3, "age", *AGE_RANGE, "years")
3.0
>>> one_of("banded", "age mode", ("interpolated", "banded"))
'banded'

Why one long module: it is the one checks layer of the package (ranges, types, broadcasting,
one valid range per quantity); every function checks its inputs here.
"""

from __future__ import annotations

import math
import numbers
import unicodedata
from collections.abc import Iterable, Mapping, Set
from typing import Any

import numpy as np

from .errors import BSAInputError
from .i18n import _, num

__all__ = [
    "AGE_RANGE",
    "HEIGHT_RANGE",
    "WEIGHT_RANGE",
    "FRACTION_RANGE",
    "PERCENT_RANGE",
    "shown",
    "number",
    "number_array",
    "as_numbers",
    "in_range",
    "one_of",
    "flag",
    "broadcast",
    "check_age",
    "one_age",
    "check_fractions",
    "text",
]

#: Ages accepted. [years]
AGE_RANGE = (0.0, 120.0)
#: Body length or height accepted. [cm]
HEIGHT_RANGE = (20.0, 280.0)
#: Body weight accepted (see the module notes). [kg]
WEIGHT_RANGE = (0.2, 700.0)
#: An affected fraction of a region: none to all of it. [1]
FRACTION_RANGE = (0.0, 1.0)
#: A share of the body surface. [%]
PERCENT_RANGE = (0.0, 100.0)
#: The values accepted for a patient's sex (besides None, not given).
SEXES = ("female", "male")

_SHOWN_CHARS = 60


def shown(value: Any) -> str:
    """``value`` as an error message shows it: short, and never failing.

    A huge integer is described by its number of digits (Python refuses to print one over
    4,300 digits), a long container by its length, an array by its shape and type.
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        digits = int(value.bit_length() * math.log10(2)) + 1
        return _("an integer of about {digits} digits").format(digits=num(digits))
    if isinstance(value, np.ndarray) and value.size > 8:
        return _("an array of shape {shape} and type {dtype}").format(shape=value.shape,
                                                                     dtype=value.dtype)
    if isinstance(value, (list, tuple, Set, Mapping)) and len(value) > 8:
        return _("a {type} of {n} items").format(type=type(value).__name__,
                                                  n=num(len(value)))
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a value whose repr fails (a huge int in a list)
        return _("a {type}").format(type=type(value).__name__)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 3] + "..."


def _kind(value: Any) -> str | None:
    """What a value that is not a number is, in words; None for a real number."""
    if isinstance(value, (bool, np.bool_)):
        return _("a boolean")
    if isinstance(value, (str, bytes, bytearray)):
        return _("text")
    if isinstance(value, numbers.Real) or (
        isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf"
    ):
        return None
    if isinstance(value, numbers.Complex):
        return _("a complex number")
    if value is None:
        return "None"
    return _("a {type}").format(type=type(value).__name__)


def _range_words(low: float, high: float, unit: str) -> str:
    if unit:
        return _("a finite number from {low} to {high} {unit}").format(
            low=num(low, "g"), high=num(high, "g"), unit=unit)
    return _("a finite number from {low} to {high}").format(low=num(low, "g"),
                                                            high=num(high, "g"))


def _out_of_range(name: str, what: str, low: float, high: float, unit: str) -> str:
    return _("{name} {value} is out of range: it must be {range}").format(
        name=name, value=what, range=_range_words(low, high, unit))


def number(value: Any, name: str, low: float, high: float, unit: str = "") -> float:
    """Return one number from ``low`` to ``high`` as a float, or raise.

    Parameters
    ----------
    value : any
        What was given.
    name : str
        What it is, as the message names it, in the current language (``_("age")``,
        ``"the share of 'head'"``).
    low, high : float
        The valid range, both ends included.
    unit : str, optional
        The unit, written after the range, in the current language (``_("years")``).

    Raises
    ------
    BSAInputError
        For anything but one real number in range: text, a boolean, None, a list, a
        complex number, NaN, infinity, an integer too large for a float.
    """
    kind = _kind(value)
    if kind is not None:
        raise BSAInputError(
            _("{name} must be a number ({range}), got {kind}: {value}").format(
                name=name, range=_range_words(low, high, unit), kind=kind, value=shown(value)))
    try:
        x = float(value)
    except OverflowError:
        raise BSAInputError(
            _("{name} is {value}, out of range: it must be {range}").format(
                name=name, value=shown(value), range=_range_words(low, high, unit))
        ) from None
    except (TypeError, ValueError) as exc:  # a Real whose float() fails
        raise BSAInputError(_("{name} must be a number, got {value}: {reason}").format(
            name=name, value=shown(value), reason=exc)) from None
    if not (low <= x <= high):  # NaN fails too
        what = "NaN" if math.isnan(x) else num(x, "g")
        raise BSAInputError(_out_of_range(name, what, low, high, unit))
    return x


def as_numbers(value: Any, name: str, unit: str = "") -> np.ndarray:
    """Return a number or an array-like of numbers as a float array; the range is not checked.

    For the functions that check the range themselves, block by block (see
    :func:`number_array` for both at once).

    Raises
    ------
    BSAInputError
        For text, booleans, complex numbers, None, mappings, sets, ragged lists and integers
        too large for a float.
    """
    if isinstance(value, (str, bytes, bytearray, Mapping, Set, bool, np.bool_)) or value is None \
            or (isinstance(value, numbers.Complex) and not isinstance(value, numbers.Real)):
        if unit:
            message = _("{name} must be numbers of {unit}, got {kind}: {value}")
        else:
            message = _("{name} must be numbers, got {kind}: {value}")
        raise BSAInputError(message.format(name=name, unit=unit, kind=_kind(value),
                                           value=shown(value)))
    try:
        array = np.asarray(value)
    except (ValueError, TypeError, OverflowError) as exc:  # ragged lists and the like
        raise BSAInputError(
            _("{name} must be numbers or an array of numbers of one shape, got {value} "
              "({reason})").format(name=name, value=shown(value), reason=exc)
        ) from None
    dtype = array.dtype.kind
    if dtype == "f":
        return array if array.dtype == np.float64 else array.astype(float)
    if dtype in "iu":
        return array.astype(float)
    if dtype == "O":  # integers too large for numpy, or things that are not numbers
        flat = array.reshape(-1)
        out = np.empty(flat.shape)
        for i, x in enumerate(flat):
            k = _kind(x)
            if k is not None:
                raise BSAInputError(_("{name} must be numbers, got {kind} among them: "
                                      "{value}").format(name=name, kind=k, value=shown(x)))
            try:
                out[i] = float(x)
            except OverflowError:
                raise BSAInputError(
                    _("{name} holds {value}, out of range: too large to be a number "
                      "here").format(name=name, value=shown(x))
                ) from None
        return out.reshape(array.shape)
    what = {"b": _("booleans"), "c": _("complex numbers"), "U": _("text"), "S": _("text"),
            "M": _("dates"), "m": _("time spans")}.get(dtype) or _(
        "values of type {dtype}").format(dtype=array.dtype)
    raise BSAInputError(_("{name} must be numbers, got {kind}: {value}").format(
        name=name, kind=what, value=shown(value)))


def in_range(array: np.ndarray, name: str, low: float, high: float, unit: str = "") -> np.ndarray:
    """Return ``array`` if every value is from ``low`` to ``high``; else raise naming the first.

    Raises
    ------
    BSAInputError
        Naming the first value out of range (or NaN), its position and the valid range.
    """
    if array.size and not (array.min() >= low and array.max() <= high):  # NaN fails both
        pos = tuple(int(i) for i in np.argwhere(~((array >= low) & (array <= high)))[0])
        bad = float(array[pos])
        what = "NaN" if math.isnan(bad) else num(bad, "g")
        if pos:
            what = _("{value} at position {position}").format(value=what, position=pos)
        raise BSAInputError(_out_of_range(name, what, low, high, unit))
    return array


def number_array(value: Any, name: str, low: float, high: float, unit: str = "") -> np.ndarray:
    """Return a number or an array-like of numbers as a float array, every value in range.

    A scalar gives a 0-d array. Refuses text, booleans, complex numbers, None, mappings,
    ragged lists, integers too large for a float, NaN, infinity and values out of range.

    Raises
    ------
    BSAInputError
    """
    return in_range(as_numbers(value, name, unit), name, low, high, unit)


def one_of(value: Any, name: str, valid: Iterable[str], *, listed: str = "valid") -> str:
    """Return ``value`` if it is one of the names ``valid``; else raise listing them.

    Parameters
    ----------
    value : any
    name : str
        What it is (``"chart"``, in the current language); the message says
        ``"valid charts are: ..."``.
    valid : iterable of str
    listed : {"valid", "available", "valid (or none)"}, optional
        The words before the list.

    Raises
    ------
    BSAInputError
        For a name not in the list, or anything that is not a string (a list, None, ...).
    """
    valid = tuple(valid)
    if isinstance(value, str) and value in valid:
        return value
    what = _("unknown {name} {value}").format(name=name, value=shown(value)) if isinstance(
        value, str) else _("{name} must be a name, got {kind}: {value}").format(
        name=name, kind=_kind(value) or _("a number"), value=shown(value))
    template = {"available": _("{what}; available {name}s are: {valid}"),
                "valid (or none)": _("{what}; valid {name}s (or none) are: {valid}")}.get(
        listed) or _("{what}; valid {name}s are: {valid}")
    raise BSAInputError(template.format(what=what, name=name, valid=", ".join(valid)))


def flag(value: Any, name: str) -> bool:
    """Return ``value`` if it is True or False (numpy's too); else raise.

    Raises
    ------
    BSAInputError
        For anything else: 0, 1, "yes", None.
    """
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise BSAInputError(_("{name} must be True or False, got {value}").format(
        name=name, value=shown(value)))


def broadcast(**arrays: np.ndarray) -> tuple[int, ...]:
    """Return the shape the named arrays broadcast to; else raise naming their shapes.

    Examples
    --------
    >>> broadcast(weight=np.zeros(3), height=np.zeros(()))
    (3,)
    """
    try:
        return np.broadcast_shapes(*(np.shape(a) for a in arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{name} {np.shape(a)}" for name, a in arrays.items())
        raise BSAInputError(
            _("the shapes do not match ({shapes}): give one value, or arrays of one "
              "shape").format(shapes=shapes)
        ) from None


def check_age(age: Any) -> np.ndarray:
    """Return ``age`` (a number or an array-like) as a float array, or raise.

    Raises
    ------
    BSAInputError
        For an age below 0, above 120, NaN, infinite, or not a number.
    """
    a = as_numbers(age, _("age"), _("years"))
    if a.size and not (a.min() >= AGE_RANGE[0] and a.max() <= AGE_RANGE[1]):
        bad = float(a[~((a >= AGE_RANGE[0]) & (a <= AGE_RANGE[1]))].flat[0])
        what = "NaN" if math.isnan(bad) else num(bad, "g")
        raise BSAInputError(
            _("age {value} is out of range: ages must be finite numbers of years from {low} "
              "to {high}").format(value=what, low=num(AGE_RANGE[0], "g"),
                                  high=num(AGE_RANGE[1], "g")))
    return a


def one_age(age: Any) -> float:
    """Return one age as a float, or raise (a list or an array of ages is refused).

    Raises
    ------
    BSAInputError
    """
    if isinstance(age, (list, tuple, Mapping, Set)) or (isinstance(age, np.ndarray) and age.ndim):
        raise BSAInputError(
            _("age must be one number of years from {low} to {high}, got {value}").format(
                low=num(AGE_RANGE[0], "g"), high=num(AGE_RANGE[1], "g"), value=shown(age)))
    return float(check_age(age))


def check_fractions(fractions: Any) -> np.ndarray:
    """Return fractions as a float array, or raise if any is outside [0, 1] or not a number.

    Raises
    ------
    BSAInputError
        Naming the first bad value, its position and the valid range.
    """
    f = as_numbers(fractions, _("affected fractions"), "")
    if f.size and not (f.min() >= 0.0 and f.max() <= 1.0):  # NaN fails both
        pos = np.argwhere(~((f >= 0.0) & (f <= 1.0)))[0]
        raise BSAInputError(
            _("affected fraction {value} at position {position} is out of range: fractions "
              "must be from 0 (none) to 1 (the whole region)").format(
                value=repr(f[tuple(pos)]), position=tuple(int(i) for i in pos)))
    return f


def _character(c: str) -> str:
    return f"U+{ord(c):04X}" + (f" ({unicodedata.name(c)})" if unicodedata.name(c, "") else "")


def text(value: Any, name: str, *, max_chars: int, multiline: bool = False) -> str:
    """Return ``value`` if it is text that can be stored, printed and drawn; else raise.

    Refused: anything but a string; more than ``max_chars`` characters; a lone surrogate
    (not Unicode text: it cannot be written as UTF-8); a control character (terminal
    escapes and the like), except newline and tab when ``multiline``.

    Raises
    ------
    BSAInputError
        Naming the first bad character and its position.
    """
    if not isinstance(value, str):
        raise BSAInputError(_("{name} must be text, got {kind}").format(
            name=name, kind=_kind(value) or _("a number")))
    if len(value) > max_chars:
        raise BSAInputError(
            _("{name}: at most {max} characters are accepted, got {n}").format(
                name=name, max=num(max_chars), n=num(len(value))))
    allowed = "\n\t" if multiline else ""
    for i, c in enumerate(value):
        o = ord(c)
        if 0xD800 <= o <= 0xDFFF:
            raise BSAInputError(
                _("{name}: character {i} is {code}, a lone surrogate, which is not Unicode "
                  "text (was it written in another encoding?)").format(
                    name=name, i=num(i + 1), code=f"U+{o:04X}"))
        if (o < 0x20 or 0x7F <= o <= 0x9F) and c not in allowed:
            message = (_("{name}: character {i} is the control character {code}; only "
                         "newline and tab are allowed") if multiline else
                       _("{name}: character {i} is the control character {code}; none is "
                         "allowed"))
            raise BSAInputError(message.format(name=name, i=num(i + 1), code=_character(c)))
    return value
