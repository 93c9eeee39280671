"""A saved assessment: who was assessed, with which chart and rule, and what was marked.

An :class:`Assessment` is what the page builds from its widgets and what the session file,
the visit history and the application map store. It holds the inputs only (age, chart,
age reading, rule, the painted masks and any typed shares); every number (the %BSA total,
the per-region breakdown) is recomputed from them with the core, so the page, the command
line and a reloaded file always agree.

The session file is JSON with a schema version (:data:`SCHEMA_VERSION`). Masks are stored
bit-packed (one bit a pixel, row-major), zlib-compressed and base64-encoded, with their
shape. The totals are stored too; on loading they are recomputed from the marks and must
match, so a file that was edited by hand, truncated or written with other chart data is
refused rather than silently showing a different number.

Loading is strict: a file larger than :data:`MAX_SESSION_BYTES`, malformed JSON, an unknown
schema version, an unknown field, or a value out of range raises
:class:`~bsa.errors.BSAInputError` with a message naming the problem.

Examples
--------
>>> from bsa.records.session import Assessment, from_json, to_json
>>> a = Assessment(age_years=3, shares={"head": 1.0, "anterior_trunk": 0.5})
>>> round(a.estimate().percent_bsa, 2)
21.5
>>> b = from_json(to_json(a))
>>> b == a, b.estimate().percent_bsa == a.estimate().percent_bsa
(True, True)
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import os
import zlib
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from ..checks import (
    AGE_RANGE,
    FRACTION_RANGE,
    HEIGHT_RANGE,
    SEXES,
    WEIGHT_RANGE,
    flag,
    number,
    one_of,
    shown,
    text,
)
from ..core.regions import PART_INDEX, PART_NAMES, REGION_SIDES, SIDES, parse_part
from ..errors import BSAInputError
from ..files import write_atomic

__all__ = [
    "FILE_FORMAT",
    "MAX_MASK_SIDE",
    "MAX_SESSION_BYTES",
    "SCHEMA_VERSION",
    "SEXES",
    "TotalsMismatchError",
    "Assessment",
    "decode_mask",
    "encode_mask",
    "from_dict",
    "from_json",
    "load",
    "save",
    "to_dict",
    "to_json",
]

#: The version of the session file layout this module writes.
SCHEMA_VERSION = 2
#: The versions it reads: version 1 files have no palm count.
READABLE_VERSIONS = (1, 2)
#: The value of the ``"format"`` field that marks a file as a BSA session.
FILE_FORMAT = "bsa-session"
#: The largest session file accepted. [bytes]
MAX_SESSION_BYTES = 2_000_000
#: The largest height or width of a stored mask. [pixels]
MAX_MASK_SIDE = 4096
#: The longest free-text note accepted. [characters]
MAX_NOTES_CHARS = 10_000

# How closely the totals stored in a file must match the ones recomputed on load: the
# numbers are written with repr() precision, so anything beyond rounding is a real change.
_TOTALS_TOLERANCE = 1e-9
_MASK_ENCODING = "packbits-zlib-base64"


class TotalsMismatchError(BSAInputError):
    """A session file whose stored total differs from the one recomputed from its marks.

    Attributes
    ----------
    stored, recomputed : float
        [% of body surface]
    """

    def __init__(self, stored: float, recomputed: float) -> None:
        self.stored = stored
        self.recomputed = recomputed
        super().__init__(
            f"the session file's stored total ({stored:.4g}% BSA) differs from the total "
            f"recomputed from its marks ({recomputed:.4g}% BSA): the file was edited, or "
            "written with different chart data"
        )


def _check_mask(view: Any, mask: Any) -> np.ndarray:
    if view not in SIDES:
        raise BSAInputError(
            f"unknown view {shown(view)} for a mask; valid views are: {', '.join(SIDES)}")
    array = np.asarray(mask)
    if array.ndim != 2:
        raise BSAInputError(
            f"the {view} mask must be a 2-D array (height, width), got shape {array.shape}"
        )
    if not 1 <= array.shape[0] <= MAX_MASK_SIDE or not 1 <= array.shape[1] <= MAX_MASK_SIDE:
        raise BSAInputError(
            f"the {view} mask's shape {array.shape} is outside 1..{MAX_MASK_SIDE} pixels a side"
        )
    if array.dtype != bool:
        if not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
            raise BSAInputError(
                f"the {view} mask must hold booleans (or 0/1), got dtype {array.dtype}"
            )
        if not np.isin(array, (0, 1)).all():
            raise BSAInputError(f"the {view} mask must hold only 0 and 1 (or booleans)")
        array = array.astype(bool)
    array = np.array(array, dtype=bool, copy=True)
    array.setflags(write=False)
    return array


def _check_shares(shares: Any) -> dict[str, float]:
    if not isinstance(shares, Mapping):
        raise BSAInputError(
            "shares must be a mapping of region or 'region:side' to a fraction, got "
            f"{shown(shares)}"
        )
    checked: dict[str, float] = {}
    whole: set[str] = set()
    halves: set[str] = set()
    for key, value in shares.items():
        region, side = parse_part(key)
        name = region if side is None else f"{region}:{side}"
        if name in checked:
            raise BSAInputError(f"the share of {name!r} is given twice")
        (whole if side is None else halves).add(region)
        checked[name] = number(value, f"the share of {name!r}", *FRACTION_RANGE)
    both = sorted(whole & halves)
    if both:
        raise BSAInputError(
            f"{both[0]!r} is given both whole and as a half; give either the region or its halves"
        )
    return checked


@dataclasses.dataclass(frozen=True, eq=False)
class Assessment:
    """One assessment: the person, the chart and rule chosen, and the skin marked.

    Parameters
    ----------
    age_years : float
        Age of the person assessed; months under 2 are folded in (18 months is 1.5).
        [years, 0-120]
    chart : str
        Chart id, one of :func:`bsa.available_charts`. Default ``"lund_browder"``.
    age_mode : str
        How the chart's age columns are read, one of :data:`bsa.AGE_MODES`.
    rule_id : str or None
        The label rule the total is compared with (an id of :mod:`bsa.treatment.label_rules`), or
        None for no comparison.
    figure_id : str or None
        The body-diagram figure the masks were painted on (:mod:`bsa.diagram.geometry`). Needed
        to read painted masks; None when nothing is painted.
    masks : mapping of str to ndarray
        View (``"front"``, ``"back"``) -> 2-D boolean array (height, width) of painted
        pixels on that view of the figure. Stored as read-only copies.
    shares : mapping of str to float
        Typed shares that override the painting: a region (both its halves) or a half
        ``"region:side"`` -> affected fraction. [fraction 0-1]
    sex : {"female", "male"} or None
        Used for the palm count's spread: a study that reports women and men separately
        (Rossiter 1996) gives only this sex's hand size.
    height_cm, weight_kg : float or None
        For the whole-body surface area in m2. [cm], [kg]
    notes : str
        Free text (the clinician's notes).
    palm_count : float or None
        Hands (of the patient's own) counted over the affected skin, for the palm method's
        cross-check; None if not counted. [hands, 0-200]
    palm_with_fingers : bool
        Whether a counted hand is the palm with the fingers (True) or the palm alone.

    Raises
    ------
    BSAInputError
        If any value is out of range or unknown; the message names it and the valid values.

    Notes
    -----
    Two assessments are equal when every field is equal, masks compared pixel by pixel.
    """

    age_years: float
    chart: str = "lund_browder"
    age_mode: str = "interpolated"
    rule_id: str | None = None
    figure_id: str | None = None
    masks: Mapping[str, np.ndarray] = dataclasses.field(default_factory=dict)
    shares: Mapping[str, float] = dataclasses.field(default_factory=dict)
    sex: str | None = None
    height_cm: float | None = None
    weight_kg: float | None = None
    notes: str = ""
    palm_count: float | None = None
    palm_with_fingers: bool = True

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "age_years", number(self.age_years, "age", *AGE_RANGE, "years"))
        if not isinstance(self.chart, str) or not isinstance(self.age_mode, str):
            raise BSAInputError(
                f"chart and age mode must be strings, got {shown(self.chart)}, "
                f"{shown(self.age_mode)}"
            )
        _check_chart(self.chart, self.age_mode, self.age_years)
        if self.rule_id is not None:
            _check_rule_id(self.rule_id)
        if not isinstance(self.masks, Mapping):
            raise BSAInputError(f"masks must map a view to a 2-D array, got {shown(self.masks)}")
        masks = {view: _check_mask(view, mask) for view, mask in self.masks.items()}
        if masks and self.figure_id is None:
            raise BSAInputError("painted masks need the figure id they were painted on")
        if self.figure_id is not None:
            _check_figure(self.figure_id)
        set_(self, "masks", MappingProxyType(masks))
        # Read the marks once: this checks the masks against the figure (same shapes, a
        # canvas large enough) and makes every later total cheap.
        painted = np.zeros(len(PART_NAMES))
        if masks:
            from ..diagram.masks import half_fractions

            painted = np.asarray(half_fractions(masks, self.figure_id), dtype=float)
        painted.setflags(write=False)
        set_(self, "_painted", painted)
        set_(self, "shares", MappingProxyType(_check_shares(self.shares)))
        if self.sex is not None:
            one_of(self.sex, "sex", SEXES, listed="valid (or none)")
        if self.height_cm is not None:
            set_(self, "height_cm", number(self.height_cm, "height", *HEIGHT_RANGE, "cm"))
        if self.weight_kg is not None:
            set_(self, "weight_kg", number(self.weight_kg, "weight", *WEIGHT_RANGE, "kg"))
        if self.palm_count is not None:
            set_(self, "palm_count", number(self.palm_count, "palm count", 0.0, 200.0, "hands"))
        set_(self, "palm_with_fingers", flag(self.palm_with_fingers, "palm_with_fingers"))
        # printed on the map, in the terminal and the page: Unicode text, no control codes
        text(self.notes, "notes", max_chars=MAX_NOTES_CHARS, multiline=True)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Assessment):
            return NotImplemented
        plain = [f.name for f in dataclasses.fields(self) if f.name != "masks"]
        if any(getattr(self, n) != getattr(other, n) for n in plain):
            return False
        if set(self.masks) != set(other.masks):
            return False
        return all(np.array_equal(self.masks[v], other.masks[v]) for v in self.masks)

    __hash__ = None  # type: ignore[assignment]  # masks are arrays: not hashable

    def __reduce__(self):
        # The read-only mappings cannot be pickled or deep-copied as they are: rebuild
        # from plain values (Streamlit may copy or pickle what is kept in session state).
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        values["masks"] = {v: np.array(m) for v, m in self.masks.items()}
        values["shares"] = dict(self.shares)
        return (_rebuild_assessment, (values,))

    def replace(self, **changes: Any) -> Assessment:
        """Return a copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def painted_fractions(self) -> np.ndarray:
        """Return each half's painted fraction, before typed shares. [fraction 0-1], (33,)."""
        return self._painted.copy()

    def half_fractions(self) -> np.ndarray:
        """Return each half's affected fraction: the painting with typed shares applied.

        A typed share of a whole region sets both its halves; a typed half share sets that
        half. Halves in :data:`bsa.core.regions.PART_NAMES` order.

        Returns
        -------
        ndarray, shape (33,)
            [fraction 0-1]
        """
        fractions = self.painted_fractions().copy()
        for name, share in self.shares.items():
            region, side = parse_part(name)
            for s in (side,) if side is not None else REGION_SIDES[region]:
                fractions[PART_INDEX[f"{region}:{s}"]] = share
        return fractions

    def selection(self) -> dict[str, float]:
        """Return the affected fraction of every half as ``{"region:side": fraction}``."""
        return dict(zip(PART_NAMES, (float(f) for f in self.half_fractions())))

    def estimate(self):
        """Return the core's estimate (total %BSA, per region, per half) for these marks.

        Returns
        -------
        bsa.Estimate
            With ``.percent_bsa`` [% of body surface], ``.by_region``, ``.by_half``,
            ``.age_reading``.
        """
        import bsa

        return bsa.estimate(
            self.half_fractions(), self.age_years, chart=self.chart, age_mode=self.age_mode
        )


def _rebuild_assessment(values: dict[str, Any]) -> Assessment:
    return Assessment(**values)


def _check_chart(chart: str, age_mode: str, age: float) -> None:
    import bsa

    one_of(chart, "chart", bsa.available_charts())
    one_of(age_mode, "age mode", bsa.AGE_MODES)
    bsa.half_weights(age, chart=chart, age_mode=age_mode)  # the core's own age checks


def _check_rule_id(rule_id: Any) -> None:
    if not isinstance(rule_id, str):
        raise BSAInputError(f"rule id must be a string or None, got {shown(rule_id)}")
    from ..treatment import label_rules

    label_rules.load_rule(rule_id)  # raises BSAInputError listing the valid ids


def _check_figure(figure_id: Any) -> None:
    from ..diagram.geometry import FIGURES

    one_of(figure_id, "figure", FIGURES)


# ---------------------------------------------------------------------------- masks


def encode_mask(mask: np.ndarray) -> dict[str, Any]:
    """Encode a 2-D boolean mask as JSON-ready ``{"shape", "encoding", "data"}``.

    One bit a pixel (row-major, :func:`numpy.packbits`), zlib-compressed, base64 text.
    """
    mask = np.asarray(mask, dtype=bool)
    packed = np.packbits(mask.ravel()).tobytes()
    return {
        "shape": [int(mask.shape[0]), int(mask.shape[1])],
        "encoding": _MASK_ENCODING,
        "data": base64.b64encode(zlib.compress(packed, 9)).decode("ascii"),
    }


def decode_mask(obj: Any, view: str = "mask") -> np.ndarray:
    """Decode what :func:`encode_mask` wrote, refusing anything malformed or oversized."""
    if not isinstance(obj, Mapping) or set(obj) != {"shape", "encoding", "data"}:
        raise BSAInputError(f"the {view} mask must be an object with shape, encoding and data")
    if obj["encoding"] != _MASK_ENCODING:
        raise BSAInputError(
            f"the {view} mask has unknown encoding {shown(obj['encoding'])}; expected "
            f"{_MASK_ENCODING!r}"
        )
    shape = obj["shape"]
    if (
        not isinstance(shape, list)
        or len(shape) != 2
        or not all(isinstance(n, int) and not isinstance(n, bool) for n in shape)
        or not all(1 <= n <= MAX_MASK_SIDE for n in shape)
    ):
        raise BSAInputError(
            f"the {view} mask's shape must be [height, width] within 1..{MAX_MASK_SIDE}, got "
            f"{shown(shape)}"
        )
    n_pixels = shape[0] * shape[1]
    n_bytes = (n_pixels + 7) // 8
    if not isinstance(obj["data"], str):
        raise BSAInputError(f"the {view} mask's data must be base64 text")
    try:
        compressed = base64.b64decode(obj["data"], validate=True)
        inflater = zlib.decompressobj()
        packed = inflater.decompress(compressed, n_bytes)  # never inflate beyond the shape
        complete = inflater.eof and not inflater.unconsumed_tail and not inflater.unused_data
    except (binascii.Error, ValueError, zlib.error) as exc:
        raise BSAInputError(f"the {view} mask's data is not valid: {exc}") from None
    if len(packed) != n_bytes or not complete:
        raise BSAInputError(
            f"the {view} mask's data does not match its shape {shape[0]} x {shape[1]}"
        )
    bits = np.unpackbits(np.frombuffer(packed, dtype=np.uint8), count=n_pixels)
    return bits.reshape(shape).astype(bool)


# ---------------------------------------------------------------------------- file


def _totals(assessment: Assessment) -> dict[str, Any]:
    est = assessment.estimate()
    return {
        "percent_bsa": float(est.percent_bsa),
        "by_region": {k: float(v) for k, v in est.by_region.items()},
    }


def to_dict(assessment: Assessment, *, saved_at: datetime | None = None) -> dict[str, Any]:
    """Return the session file's content as a JSON-ready dict (see :func:`to_json`)."""
    if not isinstance(assessment, Assessment):
        raise BSAInputError(f"expected an Assessment, got {type(assessment).__name__}")
    saved_at = saved_at or datetime.now(UTC)
    return {
        "format": FILE_FORMAT,
        "schema_version": SCHEMA_VERSION,
        "saved_at": saved_at.isoformat(timespec="seconds"),
        "assessment": {
            "age_years": assessment.age_years,
            "chart": assessment.chart,
            "age_mode": assessment.age_mode,
            "rule_id": assessment.rule_id,
            "figure_id": assessment.figure_id,
            "sex": assessment.sex,
            "height_cm": assessment.height_cm,
            "weight_kg": assessment.weight_kg,
            "notes": assessment.notes,
            "palm_count": assessment.palm_count,
            "palm_with_fingers": assessment.palm_with_fingers,
            "shares": dict(assessment.shares),
            "masks": {view: encode_mask(m) for view, m in assessment.masks.items()},
        },
        "totals": _totals(assessment),
    }


def to_json(assessment: Assessment, *, saved_at: datetime | None = None) -> str:
    """Serialise an assessment as a session file (JSON text).

    Parameters
    ----------
    assessment : Assessment
    saved_at : datetime, optional
        Written into the file; default now (UTC).

    Returns
    -------
    str
        JSON with ``format``, ``schema_version``, ``saved_at``, ``assessment`` (the inputs,
        masks bit-packed) and ``totals`` (``percent_bsa`` [%] and ``by_region`` [%]).
    """
    text = json.dumps(to_dict(assessment, saved_at=saved_at), indent=1, allow_nan=False)
    if len(text.encode("utf-8")) > MAX_SESSION_BYTES:
        raise BSAInputError(
            f"this session would be larger than the {MAX_SESSION_BYTES} byte limit for session files"
        )
    return text


_TOP_KEYS = {"format", "schema_version", "saved_at", "assessment", "totals"}
_ASSESSMENT_KEYS = {
    "age_years", "chart", "age_mode", "rule_id", "figure_id", "sex", "height_cm",
    "weight_kg", "notes", "shares", "masks",
}
# Fields each version may hold (version 1 had no palm count).
_ASSESSMENT_KEYS_BY_VERSION = {
    1: _ASSESSMENT_KEYS,
    2: _ASSESSMENT_KEYS | {"palm_count", "palm_with_fingers"},
}


#: The longest ``saved_at`` accepted: an ISO date and time with microseconds and offset is 32.
_MAX_SAVED_AT_CHARS = 40
#: The most digits of a number in a session file: no value it holds needs more.
_MAX_NUMBER_CHARS = 40


def _reject_constant(name: str) -> float:
    raise BSAInputError(f"the session file contains {name}, which is not a valid number")


def _parse_int(digits: str) -> int:
    # json would call int() on any run of digits: 310 give an int no float can hold, over
    # 4,300 a ValueError; no value of a session file needs more than a few.
    if len(digits) > _MAX_NUMBER_CHARS:
        raise BSAInputError(
            f"the session file holds a number of {len(digits.lstrip('-'))} digits; no value "
            "of a session file has more than a few"
        )
    return int(digits)


def _parse_float(text: str) -> float:
    if len(text) > _MAX_NUMBER_CHARS:
        raise BSAInputError(
            f"the session file holds a number written with {len(text)} characters; no value "
            "of a session file needs that many"
        )
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise BSAInputError(f"the session file holds {text}, too large to be a number here")
    return value


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json keeps the last of two equal keys without a word: a file edited by hand (or
    # crafted) could then show one value and use another.
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise BSAInputError(
                f"the session file has the key {shown(key)} twice in one object; each may "
                "appear once"
            )
        seen.add(key)
    return dict(pairs)


def _check_unicode(data: Any) -> None:
    """Refuse a lone surrogate in any string, key or value, naming where it is."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            values = [(where, value)]
        elif isinstance(value, dict):
            values = [(f"{where}.{k}" if where else k, k) for k in value]
            stack.extend((f"{where}.{k}" if where else str(k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", v) for i, v in enumerate(value))
            continue
        else:
            continue
        for at, string in values:
            try:
                string.encode("utf-8")
            except UnicodeEncodeError as exc:
                at = (at or "text").encode("utf-8", "backslashreplace").decode("utf-8")
                raise BSAInputError(
                    f"the session file's {at} holds U+{ord(string[exc.start]):04X}, a lone "
                    "surrogate, which is not Unicode text"
                ) from None


def _check_saved_at(value: Any) -> str:
    """``saved_at``: an ISO date and time, as :func:`to_dict` writes it."""
    example = "e.g. 2026-01-31T09:30:00+00:00"
    if not isinstance(value, str) or not 10 <= len(value) <= _MAX_SAVED_AT_CHARS:
        raise BSAInputError(
            f"the session file's saved_at must be an ISO date and time ({example}), got "
            f"{shown(value)}"
        )
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise BSAInputError(
            f"the session file's saved_at {shown(value)} is not an ISO date and time ({example})"
        ) from None
    return value


def from_dict(data: Any, *, check_totals: bool = True) -> Assessment:
    """Build an assessment from a parsed session file (see :func:`from_json`)."""
    if not isinstance(data, Mapping):
        raise BSAInputError("a session file must hold one JSON object")
    if data.get("format") != FILE_FORMAT:
        raise BSAInputError(f"this is not a BSA session file (its format field is not {FILE_FORMAT!r})")
    version = data.get("schema_version")
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        raise BSAInputError(
            f"unknown session file version {shown(version)}; this version of bsa reads versions "
            f"{', '.join(map(str, READABLE_VERSIONS))}"
        )
    unknown = set(data) - _TOP_KEYS
    missing = {"assessment", "totals"} - set(data)
    if unknown or missing:
        raise BSAInputError(
            "the session file has "
            + (f"unknown fields {sorted(unknown)}" if unknown else f"missing fields {sorted(missing)}")
        )
    if "saved_at" in data:
        _check_saved_at(data["saved_at"])
    body = data["assessment"]
    if not isinstance(body, Mapping):
        raise BSAInputError("the session file's assessment must be an object")
    unknown = set(body) - _ASSESSMENT_KEYS_BY_VERSION[version]
    if unknown:
        raise BSAInputError(f"the session file's assessment has unknown fields {sorted(unknown)}")
    if "age_years" not in body:
        raise BSAInputError("the session file has no age (assessment.age_years)")
    masks_in = body.get("masks", {})
    if not isinstance(masks_in, Mapping):
        raise BSAInputError("the session file's masks must be an object of view -> mask")
    masks = {}
    for view, obj in masks_in.items():
        if view not in SIDES:
            raise BSAInputError(f"unknown view {shown(view)} in the session file; valid views "
                                f"are: {', '.join(SIDES)}")
        masks[view] = decode_mask(obj, view)
    fields = {k: v for k, v in body.items() if k != "masks"}
    assessment = Assessment(masks=masks, **fields)
    if check_totals:
        _compare_totals(data["totals"], _totals(assessment))
    return assessment


def _compare_totals(stored: Any, computed: Mapping[str, Any]) -> None:
    if not isinstance(stored, Mapping) or "percent_bsa" not in stored:
        raise BSAInputError("the session file's totals must be an object with percent_bsa")
    value = stored["percent_bsa"]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BSAInputError(f"the session file's total must be a number, got {shown(value)}")
    try:
        value = float(value)
    except OverflowError:
        raise BSAInputError(f"the session file's total is {shown(value)}, not a %BSA") from None
    if not abs(value - computed["percent_bsa"]) <= _TOTALS_TOLERANCE:  # NaN too
        raise TotalsMismatchError(value, computed["percent_bsa"])


def from_json(text: str | bytes, *, check_totals: bool = True) -> Assessment:
    """Read a session file's text, strictly.

    Parameters
    ----------
    text : str or bytes
        The file's content (UTF-8).
    check_totals : bool
        Recompute the totals from the marks and refuse the file if they differ from the
        stored ones (default True).

    Returns
    -------
    Assessment

    Raises
    ------
    BSAInputError
        If the file is larger than :data:`MAX_SESSION_BYTES`, is not valid JSON, is not a
        session file, has an unknown schema version or unknown fields, has a key twice in
        one object, holds a number of more than 40 characters, a lone surrogate (not
        Unicode text) or, in the notes, a control character other than newline and tab, a
        ``saved_at`` that is not an ISO date and time, a value out of range, or (with
        ``check_totals``) its stored totals differ from the recomputed ones
        (:class:`TotalsMismatchError`, a subclass).
    """
    size = len(text.encode("utf-8")) if isinstance(text, str) else len(text)
    if size > MAX_SESSION_BYTES:
        raise BSAInputError(
            f"the session file is {size} bytes, larger than the {MAX_SESSION_BYTES} byte limit"
        )
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise BSAInputError("the session file is not UTF-8 text") from None
    if not isinstance(text, str):
        raise BSAInputError(f"a session file is text, got {type(text).__name__}")
    try:
        data = json.loads(text, parse_constant=_reject_constant, parse_int=_parse_int,
                          parse_float=_parse_float, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise BSAInputError(f"the session file is not valid JSON: {exc}") from None
    except RecursionError:
        raise BSAInputError("the session file is nested too deeply to be a session file") from None
    _check_unicode(data)
    return from_dict(data, check_totals=check_totals)


def save(path: str | os.PathLike, assessment: Assessment) -> Path:
    """Write an assessment to a session file, whole or not at all (:mod:`bsa.files`).

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    BSAInputError
        If the file cannot be written (the previous file, if any, is unchanged).
    """
    return write_atomic(path, to_json(assessment), what="the session file")


def load(path: str | os.PathLike, *, check_totals: bool = True) -> Assessment:
    """Read a session file from disk, strictly (see :func:`from_json`)."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_SESSION_BYTES + 1)
    except OSError as exc:
        raise BSAInputError(f"cannot read the session file {path}: {exc.strerror}") from None
    if len(raw) > MAX_SESSION_BYTES:
        raise BSAInputError(
            f"the session file {path} is larger than the {MAX_SESSION_BYTES} byte limit"
        )
    return from_json(raw, check_totals=check_totals)
