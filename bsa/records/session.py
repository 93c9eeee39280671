"""The session file: one :class:`~bsa.records.assessment.Assessment` saved as JSON.

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
>>> from bsa.records.assessment import Assessment
>>> from bsa.records.session import from_json, to_json
>>> a = Assessment(age_years=3, shares={"head": 1.0, "anterior_trunk": 0.5})
>>> round(a.estimate().percent_bsa, 2)
21.5
>>> b = from_json(to_json(a))
>>> b == a, b.estimate().percent_bsa == a.estimate().percent_bsa
(True, True)

Why one long module: the strict reader checks every field of three schema versions, with a
message for each way a file can be wrong; the model it builds is in
:mod:`bsa.records.assessment`.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import zlib
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..checks import shown
from ..core.regions import SIDES
from ..errors import BSAInputError
from ..files import write_atomic
from ..i18n import LANGUAGES, N_, _, num
from .assessment import MAX_MASK_SIDE, Assessment
from .layers import AvoidArea, Marks, Zone

__all__ = [
    "FILE_FORMAT",
    "MAX_SESSION_BYTES",
    "SCHEMA_VERSION",
    "TotalsMismatchError",
    "decode_mask",
    "display_language",
    "encode_mask",
    "from_dict",
    "from_json",
    "load",
    "save",
    "to_dict",
    "to_json",
]

#: The version of the session file layout this module writes.
SCHEMA_VERSION = 3
#: The versions it reads: version 1 files have no palm count; versions 1 and 2 have one
#: layer of marks (read as affected skin = treatment area, with unchanged numbers).
READABLE_VERSIONS = (1, 2, 3)
#: The value of the ``"format"`` field that marks a file as a BSA session.
FILE_FORMAT = "bsa-session"
#: The largest session file accepted. [bytes]
MAX_SESSION_BYTES = 2_000_000

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

    def __init__(self, stored: float, recomputed: float, what: str = "total") -> None:
        self.stored = stored
        self.recomputed = recomputed
        template = (_("the session file's stored total ({stored}% BSA) differs from the total "
                      "recomputed from its marks ({recomputed}% BSA): the file was edited, or "
                      "written with different chart data") if what == "total" else
                    _("the session file's stored treated total ({stored}% BSA) differs from "
                      "the treated total recomputed from its marks ({recomputed}% BSA): the "
                      "file was edited, or written with different chart data"))
        super().__init__(template.format(stored=num(stored, ".4g"),
                                         recomputed=num(recomputed, ".4g")))



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
        raise BSAInputError(_("the {view} mask must be an object with shape, encoding and "
                              "data").format(view=view))
    if obj["encoding"] != _MASK_ENCODING:
        raise BSAInputError(
            _("the {view} mask has unknown encoding {encoding}; expected {expected}").format(
                view=view, encoding=shown(obj['encoding']), expected=repr(_MASK_ENCODING))
        )
    shape = obj["shape"]
    if (
        not isinstance(shape, list)
        or len(shape) != 2
        or not all(isinstance(n, int) and not isinstance(n, bool) for n in shape)
        or not all(1 <= n <= MAX_MASK_SIDE for n in shape)
    ):
        raise BSAInputError(
            _("the {view} mask's shape must be [height, width] within 1..{most}, got "
              "{shape}").format(view=view, most=num(MAX_MASK_SIDE), shape=shown(shape))
        )
    n_pixels = shape[0] * shape[1]
    n_bytes = (n_pixels + 7) // 8
    if not isinstance(obj["data"], str):
        raise BSAInputError(_("the {view} mask's data must be base64 text").format(view=view))
    try:
        compressed = base64.b64decode(obj["data"], validate=True)
        inflater = zlib.decompressobj()
        packed = inflater.decompress(compressed, n_bytes)  # never inflate beyond the shape
        complete = inflater.eof and not inflater.unconsumed_tail and not inflater.unused_data
    except (binascii.Error, ValueError, zlib.error) as exc:
        raise BSAInputError(_("the {view} mask's data is not valid: {reason}").format(
            view=view, reason=exc)) from None
    if len(packed) != n_bytes or not complete:
        raise BSAInputError(
            _("the {view} mask's data does not match its shape {height} x {width}").format(
                view=view, height=num(shape[0]), width=num(shape[1]))
        )
    bits = np.unpackbits(np.frombuffer(packed, dtype=np.uint8), count=n_pixels)
    return bits.reshape(shape).astype(bool)


# ---------------------------------------------------------------------------- file


def _totals(assessment: Assessment) -> dict[str, Any]:
    est = assessment.estimate()
    return {
        "percent_bsa": float(est.percent_bsa),
        "by_region": {k: float(v) for k, v in est.by_region.items()},
        "treated_percent_bsa": float(assessment.treated_estimate().percent_bsa)
        if assessment.has_layers else float(est.percent_bsa),
    }


def _marks(layer: Marks) -> dict[str, Any]:
    return {"shares": dict(layer.shares),
            "masks": {view: encode_mask(m) for view, m in layer.masks.items()}}


def _layers(assessment: Assessment) -> dict[str, Any]:
    """Version 3's layers: the treatment area (null: the affected skin), do-not-apply areas
    and zones."""
    a = assessment
    return {
        "treatment_area": None if a.treatment_area is None else _marks(a.treatment_area),
        "avoid": [{"reason": area.reason, **_marks(area)} for area in a.avoid],
        "zones": [{"name": z.name, "days": list(z.days),
                   "applications_per_day": z.applications_per_day, "times": list(z.times),
                   **_marks(z)} for z in a.zones],
    }


def to_dict(assessment: Assessment, *, saved_at: datetime | None = None,
            display: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return the session file's content as a JSON-ready dict (see :func:`to_json`)."""
    if not isinstance(assessment, Assessment):
        raise BSAInputError(f"expected an Assessment, got {type(assessment).__name__}")
    saved_at = saved_at or datetime.now(UTC)
    shown_as = {} if display is None else {"display": _read_display(display)}
    return {
        "format": FILE_FORMAT,
        "schema_version": SCHEMA_VERSION,
        "saved_at": saved_at.isoformat(timespec="seconds"),
        **shown_as,
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
            **_layers(assessment),
        },
        "totals": _totals(assessment),
    }


def to_json(assessment: Assessment, *, saved_at: datetime | None = None,
            display: Mapping[str, Any] | None = None) -> str:
    """Serialise an assessment as a session file (JSON text).

    Parameters
    ----------
    assessment : Assessment
    saved_at : datetime, optional
        Written into the file; default now (UTC).
    display : mapping, optional
        How the page showed the visit: ``{"language": "bn"}`` (a code of
        :data:`bsa.i18n.LANGUAGES`). Written as the file's optional ``display`` field; it
        changes no number, and a file without it reads the same.

    Returns
    -------
    str
        JSON with ``format``, ``schema_version``, ``saved_at``, ``assessment`` (the inputs,
        masks bit-packed) and ``totals``: ``percent_bsa`` and ``by_region``, the affected
        skin [%], and ``treated_percent_bsa``, the treated area [%].

    Notes
    -----
    Version 3 holds the layers (:mod:`bsa.records.layers`) in ``assessment``:
    ``treatment_area`` (null: the affected skin; else ``{"shares", "masks"}``), ``avoid``
    (a list of ``{"reason", "shares", "masks"}``) and ``zones`` (a list of ``{"name",
    "days", "applications_per_day", "times", "shares", "masks"}``); ``masks`` and
    ``shares`` stay the affected skin, so a version 1 or 2 file reads as one layer.
    """
    text = json.dumps(to_dict(assessment, saved_at=saved_at, display=display), indent=1,
                      allow_nan=False)
    if len(text.encode("utf-8")) > MAX_SESSION_BYTES:
        raise BSAInputError(
            _("this session would be larger than the {limit} byte limit for session "
              "files").format(limit=num(MAX_SESSION_BYTES))
        )
    return text


_TOP_KEYS = {"format", "schema_version", "saved_at", "assessment", "totals", "display"}
_DISPLAY_KEYS = {"language"}


def _read_display(display: Any) -> dict[str, str]:
    """Check a ``display`` field (how the page showed the visit) and return it as written."""
    if not isinstance(display, Mapping):
        raise BSAInputError(_("the session file's display must be an object such as "
                              "{example}").format(example='{"language": "bn"}'))
    unknown = set(display) - _DISPLAY_KEYS
    if unknown:
        raise BSAInputError(_("the session file's display has unknown fields {fields}; "
                              "valid fields are: {valid}").format(
            fields=sorted(unknown), valid=", ".join(sorted(_DISPLAY_KEYS))))
    out = {}
    if "language" in display:
        lang = display["language"]
        if not isinstance(lang, str) or lang not in LANGUAGES:
            raise BSAInputError(_("the session file's display language {lang} is not one "
                                  "of: {valid}").format(lang=shown(lang),
                                                        valid=", ".join(LANGUAGES)))
        out["language"] = lang
    return out


def display_language(text: str | bytes) -> str | None:
    """The language the page was in when a session file was saved, or None if not written.

    Read :func:`from_json` first: this assumes the file has already been read strictly.
    """
    data = json.loads(text)
    if not isinstance(data, Mapping) or "display" not in data:
        return None
    return _read_display(data["display"]).get("language")
_ASSESSMENT_KEYS = {
    "age_years", "chart", "age_mode", "rule_id", "figure_id", "sex", "height_cm",
    "weight_kg", "notes", "shares", "masks",
}
# Fields each version may hold (version 1 had no palm count, versions 1 and 2 no layers).
_ASSESSMENT_KEYS_BY_VERSION = {
    1: _ASSESSMENT_KEYS,
    2: _ASSESSMENT_KEYS | {"palm_count", "palm_with_fingers"},
    3: _ASSESSMENT_KEYS | {"palm_count", "palm_with_fingers", "treatment_area", "avoid", "zones"},
}
_TOTALS_KEYS_BY_VERSION = {3: {"percent_bsa", "by_region", "treated_percent_bsa"}}
_MARKS_KEYS = {"shares", "masks"}
_LAYER_KEYS = {"avoid": _MARKS_KEYS | {"reason"},
               "zones": _MARKS_KEYS | {"name", "days", "applications_per_day", "times"}}


#: The longest ``saved_at`` accepted: an ISO date and time with microseconds and offset is 32.
_MAX_SAVED_AT_CHARS = 40
#: The most digits of a number in a session file: no value it holds needs more.
_MAX_NUMBER_CHARS = 40


def _reject_constant(name: str) -> float:
    raise BSAInputError(_("the session file contains {name}, which is not a valid "
                          "number").format(name=name))


def _parse_int(digits: str) -> int:
    # json would call int() on any run of digits: 310 give an int no float can hold, over
    # 4,300 a ValueError; no value of a session file needs more than a few.
    if len(digits) > _MAX_NUMBER_CHARS:
        raise BSAInputError(
            _("the session file holds a number of {n} digits; no value of a session file has "
              "more than a few").format(n=num(len(digits.lstrip('-'))))
        )
    return int(digits)


def _parse_float(text: str) -> float:
    if len(text) > _MAX_NUMBER_CHARS:
        raise BSAInputError(
            _("the session file holds a number written with {n} characters; no value of a "
              "session file needs that many").format(n=num(len(text)))
        )
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise BSAInputError(_("the session file holds {text}, too large to be a number "
                              "here").format(text=text))
    return value


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json keeps the last of two equal keys without a word: a file edited by hand (or
    # crafted) could then show one value and use another.
    seen: set[str] = set()
    for key, _value in pairs:
        if key in seen:
            raise BSAInputError(
                _("the session file has the key {key} twice in one object; each may appear "
                  "once").format(key=shown(key))
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
                    _("the session file's {at} holds {code}, a lone surrogate, which is not "
                      "Unicode text").format(at=at, code=f"U+{ord(string[exc.start]):04X}")
                ) from None


def _check_saved_at(value: Any) -> str:
    """``saved_at``: an ISO date and time, as :func:`to_dict` writes it."""
    example = "2026-01-31T09:30:00+00:00"
    if not isinstance(value, str) or not 10 <= len(value) <= _MAX_SAVED_AT_CHARS:
        raise BSAInputError(
            _("the session file's saved_at must be an ISO date and time (e.g. {example}), "
              "got {value}").format(example=example, value=shown(value))
        )
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise BSAInputError(
            _("the session file's saved_at {value} is not an ISO date and time (e.g. "
              "{example})").format(value=shown(value), example=example)
        ) from None
    return value


def from_dict(data: Any, *, check_totals: bool = True) -> Assessment:
    """Build an assessment from a parsed session file (see :func:`from_json`)."""
    if not isinstance(data, Mapping):
        raise BSAInputError(_("a session file must hold one JSON object"))
    if data.get("format") != FILE_FORMAT:
        raise BSAInputError(_("this is not a BSA session file (its format field is not "
                              "{format})").format(format=repr(FILE_FORMAT)))
    version = data.get("schema_version")
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        raise BSAInputError(
            _("unknown session file version {version}; this version of bsa reads versions "
              "{versions}").format(version=shown(version),
                                   versions=", ".join(num(v) for v in READABLE_VERSIONS)))
    unknown = set(data) - _TOP_KEYS
    missing = {"assessment", "totals"} - set(data)
    if unknown or missing:
        raise BSAInputError(
            _("the session file has unknown fields {fields}").format(fields=sorted(unknown))
            if unknown else
            _("the session file has missing fields {fields}").format(fields=sorted(missing))
        )
    if "saved_at" in data:
        _check_saved_at(data["saved_at"])
    if "display" in data:
        _read_display(data["display"])
    body = data["assessment"]
    if not isinstance(body, Mapping):
        raise BSAInputError(_("the session file's assessment must be an object"))
    unknown = set(body) - _ASSESSMENT_KEYS_BY_VERSION[version]
    if unknown:
        raise BSAInputError(_("the session file's assessment has unknown fields "
                              "{fields}").format(fields=sorted(unknown)))
    if "age_years" not in body:
        raise BSAInputError(_("the session file has no age (assessment.age_years)"))
    masks = _read_masks(body.get("masks", {}), "")
    layers = {"treatment_area", "avoid", "zones"}
    fields = {k: v for k, v in body.items() if k != "masks" and k not in layers}
    assessment = Assessment(masks=masks, **fields, **_read_layers(body))
    totals = data["totals"]
    if isinstance(totals, Mapping) and version >= 3:  # older files were never checked
        unknown = set(totals) - _TOTALS_KEYS_BY_VERSION[version]
        if unknown:
            raise BSAInputError(_("the session file's totals have unknown fields "
                                  "{fields}").format(fields=sorted(unknown)))
    if check_totals:
        _compare_totals(totals, _totals(assessment), treated=version >= 3)
    return assessment


def _read_masks(masks_in: Any, where: str) -> dict[str, np.ndarray]:
    if not isinstance(masks_in, Mapping):
        raise BSAInputError(_("the session file's masks{where} must be an object of view -> "
                              "mask").format(where=where))
    masks = {}
    for view, obj in masks_in.items():
        if view not in SIDES:
            raise BSAInputError(_("unknown view {view} in the session file{where}; valid "
                                  "views are: {valid}").format(
                view=shown(view), where=where, valid=", ".join(SIDES)))
        masks[view] = decode_mask(obj, view)
    return masks


def _read_marks(obj: Any, what: str, keys: set[str]) -> dict[str, Any]:
    """One layer's object: its fields, masks decoded; refuses unknown fields."""
    if not isinstance(obj, Mapping):
        raise BSAInputError(_("the session file's {what} must be an object").format(
            what=_(what)))
    unknown = set(obj) - keys
    if unknown:
        raise BSAInputError(_("the session file's {what} has unknown fields {fields}").format(
            what=_(what), fields=sorted(unknown)))
    values = {k: v for k, v in obj.items() if k != "masks"}
    values["masks"] = _read_masks(obj.get("masks", {}), _(" of the {what}").format(
        what=_(what)))
    return values


def _read_layers(body: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    area = body.get("treatment_area")
    if area is not None:
        out["treatment_area"] = Marks(**_read_marks(area, N_("treatment area"), _MARKS_KEYS))
    for key, cls, what in (("avoid", AvoidArea, N_("do-not-apply area")),
                           ("zones", Zone, N_("zone"))):
        items = body.get(key, [])
        if not isinstance(items, list):
            raise BSAInputError(_("the session file's {key} must be a list").format(key=key))
        if key == "avoid" and any(isinstance(i, Mapping) and "reason" not in i for i in items):
            raise BSAInputError(_("a do-not-apply area in the session file has no reason"))
        if key == "zones" and any(isinstance(i, Mapping) and "name" not in i for i in items):
            raise BSAInputError(_("a zone in the session file has no name"))
        out[key] = [cls(**_read_marks(item, what, _LAYER_KEYS[key])) for item in items]
    return out


def _compare_totals(stored: Any, computed: Mapping[str, Any], *, treated: bool = False) -> None:
    """The stored totals against the recomputed ones: the affected skin's (every version)
    and, from version 3, the treated area's."""
    keys = ("percent_bsa", "treated_percent_bsa") if treated else ("percent_bsa",)
    if not isinstance(stored, Mapping) or any(k not in stored for k in keys):
        raise BSAInputError(_("the session file's totals must be an object with "
                              "{keys}").format(keys=" and ".join(keys)))
    for key in keys:
        value = stored[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise BSAInputError(_("the session file's total must be a number, got "
                                  "{value}").format(value=shown(value)))
        try:
            value = float(value)
        except OverflowError:
            raise BSAInputError(_("the session file's total is {value}, not a %BSA").format(
                value=shown(value))) from None
        if not abs(value - computed[key]) <= _TOTALS_TOLERANCE:  # NaN too
            raise TotalsMismatchError(value, computed[key], "total" if key == "percent_bsa"
                                      else "treated total")


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
            _("the session file is {size} bytes, larger than the {limit} byte limit").format(
                size=num(size), limit=num(MAX_SESSION_BYTES)))
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise BSAInputError(_("the session file is not UTF-8 text")) from None
    if not isinstance(text, str):
        raise BSAInputError(f"a session file is text, got {type(text).__name__}")
    try:
        data = json.loads(text, parse_constant=_reject_constant, parse_int=_parse_int,
                          parse_float=_parse_float, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise BSAInputError(_("the session file is not valid JSON: {reason}").format(
            reason=exc)) from None
    except RecursionError:
        raise BSAInputError(_("the session file is nested too deeply to be a session "
                              "file")) from None
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
    return write_atomic(path, to_json(assessment), what=_("the session file"))


def load(path: str | os.PathLike, *, check_totals: bool = True) -> Assessment:
    """Read a session file from disk, strictly (see :func:`from_json`)."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_SESSION_BYTES + 1)
    except OSError as exc:
        raise BSAInputError(_("cannot read the session file {path}: {reason}").format(
            path=path, reason=exc.strerror)) from None
    if len(raw) > MAX_SESSION_BYTES:
        raise BSAInputError(
            _("the session file {path} is larger than the {limit} byte limit").format(
                path=path, limit=num(MAX_SESSION_BYTES))
        )
    return from_json(raw, check_totals=check_totals)
