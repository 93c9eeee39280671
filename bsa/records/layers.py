"""The layers of marks on one figure: affected skin, where to apply this cream, where not, and when.

One set of marks used to mean everything at once: the affected skin, the area to treat and
the area the label's limit is checked against. In practice they differ (a patient with 30%
affected skin may be prescribed this cream for the face, neck and flexures only; some skin
must not get it at all; a large area may be split into zones used on different days), so an
:class:`~bsa.records.assessment.Assessment` holds up to four kinds of marks, all on the same
figure and canvas:

affected
    What the disease covers: the assessment's own ``masks`` and ``shares`` (the fields a
    visit has always had). The area scores (EASI, PASI, VASI) and the palm cross-check use it.
treatment area ("apply this cream")
    :class:`Marks`: the skin this cream is prescribed for. ``None``: the same as the affected
    skin, so a visit without layers reads exactly as before.
do not apply
    :class:`AvoidArea` s: skin that must not get this cream, each with a reason
    (:data:`AVOID_REASONS`, or the clinician's own words).
zones
    :class:`Zone` s: optional parts of the treatment area used on given days of the week, a
    given number of times a day (or at given times of day), named by the clinician.

**Treated = apply minus avoid.** A mark in a do-not-apply area is never part of the treated
area, whatever the treatment area's marks say; a zone counts only where it lies in the treated
area (:func:`resolve`).

Reading marks together
----------------------
Painted marks are combined pixel by pixel: exact. A typed share says how much of a half is
marked, not where in it; where any of the layers combined has a typed share on a half, that
half is combined by its fractions, read as follows (the project's convention):

- treated = min(apply, 1 - avoid): the avoided part lies outside the part to treat as far as
  the shares allow, so the treated area is the largest the shares allow and is never
  understated against a label limit;
- the union of several areas (do-not-apply areas, the zones used on one day) = the sum of
  their shares, at most the whole half (or the treated share, for zones): typed shares of
  different areas in one half are read as different parts of it, as when a clinician splits a
  half between zones;
- a zone within the treated area = min(zone, treated); the treated area in no zone = treated
  minus the union of the zones.

Examples
--------
>>> from bsa.records.assessment import Assessment
>>> from bsa.records.layers import AvoidArea, Marks
>>> a = Assessment(age_years=30, shares={"head": 1.0, "anterior_trunk": 1.0},
...                treatment_area=Marks(shares={"head": 1.0}),
...                avoid=[AvoidArea(reason="eyes", shares={"head:front": 0.1})])
>>> round(a.estimate().percent_bsa, 2), round(a.treated_estimate().percent_bsa, 2)
(20.0, 6.65)

Why one long module: each of the four kinds of marks carries its own checks and words, and
:func:`resolve`, which turns them into the areas the evaluation uses, needs all four at
once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np

from ..checks import FRACTION_RANGE, number, one_of, shown, text
from ..core.regions import PART_INDEX, PART_NAMES, SIDES, halves_of, parse_part
from ..errors import BSAInputError
from ..i18n import N_, _, num

__all__ = [
    "AVOID_REASONS",
    "MAX_AVOID_AREAS",
    "MAX_LABEL_CHARS",
    "MAX_MASK_SIDE",
    "MAX_ZONES",
    "TIMES_OF_DAY",
    "WEEKDAYS",
    "WEEKDAY_NAMES",
    "AvoidArea",
    "Coverage",
    "Layers",
    "Marks",
    "Zone",
    "reason_words",
    "resolve",
]

#: The largest height or width of a painted mask. [pixels]
MAX_MASK_SIDE = 4096
#: The reasons offered for a do-not-apply area; any other short text is accepted too.
AVOID_REASONS: tuple[str, ...] = (N_("eyes"), N_("lips"), N_("broken skin"),
                                  N_("under occlusion"), N_("another treatment here"),
                                  N_("other"))
#: The days of the week, as stored (Monday first, ISO 8601).
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: Each day in words.
WEEKDAY_NAMES = MappingProxyType(dict(zip(WEEKDAYS, (
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True)))
#: The times of day a zone may be used at (each one application).
TIMES_OF_DAY: tuple[str, ...] = ("morning", "midday", "evening", "bedtime")
#: The longest zone name or do-not-apply reason. [characters]
MAX_LABEL_CHARS = 80
#: The most zones, and do-not-apply areas, one visit may hold.
MAX_ZONES = 14
MAX_AVOID_AREAS = 12


def reason_words(reason: str) -> str:
    """A do-not-apply reason as shown: one of :data:`AVOID_REASONS` in the current language,
    the clinician's own words as typed."""
    return _(reason) if reason in AVOID_REASONS else reason


# ---------------------------------------------------------------------------- checks


def check_mask(view: Any, mask: Any, where: str = "") -> np.ndarray:
    """A painted mask as a read-only 2-D bool copy; ``where`` names its layer in messages."""
    if view not in SIDES:
        raise BSAInputError(
            _("unknown view {view} for a mask{where}; valid views are: {valid}").format(
                view=shown(view), where=where, valid=", ".join(SIDES)))
    array = np.asarray(mask)
    if array.ndim != 2:
        raise BSAInputError(
            _("the {view} mask{where} must be a 2-D array (height, width), got shape "
              "{shape}").format(view=view, where=where, shape=array.shape)
        )
    if not 1 <= array.shape[0] <= MAX_MASK_SIDE or not 1 <= array.shape[1] <= MAX_MASK_SIDE:
        raise BSAInputError(
            _("the {view} mask{where}'s shape {shape} is outside 1..{most} pixels a "
              "side").format(view=view, where=where, shape=array.shape, most=num(MAX_MASK_SIDE))
        )
    if array.dtype != bool:
        if not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
            raise BSAInputError(
                _("the {view} mask{where} must hold booleans (or 0/1), got dtype "
                  "{dtype}").format(view=view, where=where, dtype=array.dtype)
            )
        if not np.isin(array, (0, 1)).all():
            raise BSAInputError(_("the {view} mask{where} must hold only 0 and 1 (or "
                                  "booleans)").format(view=view, where=where))
        array = array.astype(bool)
    array = np.array(array, dtype=bool, copy=True)
    array.setflags(write=False)
    return array


def check_shares(shares: Any, where: str = "") -> dict[str, float]:
    """Typed shares: region or ``"region:side"`` -> fraction, each half named once."""
    if not isinstance(shares, Mapping):
        raise BSAInputError(
            _("shares{where} must be a mapping of region or 'region:side' to a fraction, got "
              "{value}").format(where=where, value=shown(shares))
        )
    checked: dict[str, float] = {}
    whole: set[str] = set()
    halves: set[str] = set()
    for key, value in shares.items():
        region, side = parse_part(key)
        name = region if side is None else f"{region}:{side}"
        if name in checked:
            raise BSAInputError(_("the share of {name}{where} is given twice").format(
                name=repr(name), where=where))
        (whole if side is None else halves).add(region)
        checked[name] = number(value, _("the share of {name}{where}").format(
            name=repr(name), where=where), *FRACTION_RANGE)
    both = sorted(whole & halves)
    if both:
        raise BSAInputError(
            _("{region} is given both whole and as a half{where}; give either the region or "
              "its halves").format(region=repr(both[0]), where=where))
    return checked


def _label(value: Any, what: str) -> str:
    """A zone name or a reason: one line of text, not blank, at most MAX_LABEL_CHARS."""
    text(value, what, max_chars=MAX_LABEL_CHARS)
    if not value.strip():
        raise BSAInputError(_("{what} must not be blank").format(what=what))
    return value


def _day(value: Any) -> str:
    if isinstance(value, str):
        key = value.strip().lower()
        for code in WEEKDAYS:
            if key in (code, WEEKDAY_NAMES[code].lower()):
                return code
    raise BSAInputError(
        _("unknown day {day}; valid days are: {valid} (or their names, Monday to "
          "Sunday)").format(day=shown(value), valid=", ".join(WEEKDAYS)))


# ---------------------------------------------------------------------------- marks


@dataclasses.dataclass(frozen=True, eq=False, kw_only=True)
class Marks:
    """One layer of marks: painted masks and typed shares, on the assessment's figure.

    Parameters
    ----------
    masks : mapping of str to ndarray
        View (``"front"``, ``"back"``) -> 2-D boolean array (height, width) of painted
        pixels, on the same figure and canvas as the assessment's own masks. Stored as
        read-only copies.
    shares : mapping of str to float
        Typed shares that override the painting of this layer: a region (both its halves)
        or a half ``"region:side"`` -> fraction marked. [fraction 0-1]

    Notes
    -----
    The masks are checked against the figure when the layer is put in an
    :class:`~bsa.records.assessment.Assessment` (the figure is the assessment's).
    """

    masks: Mapping[str, np.ndarray] = dataclasses.field(default_factory=dict)
    shares: Mapping[str, float] = dataclasses.field(default_factory=dict)

    #: How messages name this kind of layer.
    _what = N_("the treatment area")

    def __post_init__(self) -> None:
        where = _(" of {layer}").format(layer=self.describe())
        if not isinstance(self.masks, Mapping):
            raise BSAInputError(_("masks{where} must map a view to a 2-D array, got "
                                  "{value}").format(where=where, value=shown(self.masks)))
        masks = {view: check_mask(view, m, where) for view, m in self.masks.items()}
        object.__setattr__(self, "masks", MappingProxyType(masks))
        object.__setattr__(self, "shares", MappingProxyType(check_shares(self.shares, where)))

    def describe(self) -> str:
        """The layer in words, for messages (``"the treatment area"``)."""
        return _(self._what)

    @property
    def typed_halves(self) -> frozenset[str]:
        """The halves whose fraction a typed share sets."""
        return frozenset(h for name in self.shares for h in halves_of(name))

    def _plain(self) -> dict[str, Any]:
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        values["masks"] = {v: np.array(m) for v, m in self.masks.items()}
        values["shares"] = dict(self.shares)
        return values

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        mine, theirs = self._plain(), other._plain()
        masks, other_masks = mine.pop("masks"), theirs.pop("masks")
        if mine != theirs or set(masks) != set(other_masks):
            return False
        return all(np.array_equal(masks[v], other_masks[v]) for v in masks)

    __hash__ = None  # type: ignore[assignment]  # masks are arrays: not hashable

    def __reduce__(self):
        # Read-only mappings cannot be pickled or deep-copied as they are: rebuild from plain
        # values (Streamlit may copy or pickle what is kept in session state).
        return (_rebuild, (type(self), self._plain()))

    def replace(self, **changes: Any):
        """Return a copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)


def _rebuild(cls: type, values: dict[str, Any]):
    return cls(**values)


@dataclasses.dataclass(frozen=True, eq=False, kw_only=True)
class AvoidArea(Marks):
    """Skin that must not get this cream, and why.

    Parameters
    ----------
    reason : str
        One of :data:`AVOID_REASONS` or the clinician's own words (one line, at most
        :data:`MAX_LABEL_CHARS` characters); printed as typed.
    masks, shares
        As in :class:`Marks`.
    """

    reason: str

    def __post_init__(self) -> None:
        _label(self.reason, _("a do-not-apply reason"))
        super().__post_init__()

    def describe(self) -> str:
        return _("the do-not-apply area {reason}").format(reason=repr(self.reason))


@dataclasses.dataclass(frozen=True, eq=False, kw_only=True)
class Zone(Marks):
    """A part of the treatment area used on given days, a given number of times a day.

    Parameters
    ----------
    name : str
        The clinician's name for it (``"Mon/Wed/Fri"``, ``"face and hands"``); one line, at
        most :data:`MAX_LABEL_CHARS` characters, printed as typed.
    days : sequence of str
        The days of the week it is used: ``"mon"`` ... ``"sun"`` (or ``"Monday"`` ...);
        default every day. Stored in week order.
    applications_per_day : float or None
        Applications on each of those days; None for the label's frequency (twice a day
        without a label rule), or the number of ``times``. [1/day, above 0, at most 24]
    times : sequence of str
        Times of day it is used (:data:`TIMES_OF_DAY`), each one application; empty when
        not given.
    masks, shares
        As in :class:`Marks`: the zone's marks, within the treatment area (marks outside it
        are not counted).
    """

    name: str
    days: Sequence[str] = WEEKDAYS
    applications_per_day: float | None = None
    times: Sequence[str] = ()

    def __post_init__(self) -> None:
        _label(self.name, _("a zone name"))
        set_ = object.__setattr__
        if isinstance(self.days, str) or not isinstance(self.days, Iterable):
            raise BSAInputError(_("the days of zone {name} must be a list of days, got "
                                  "{value}").format(name=repr(self.name), value=shown(self.days)))
        days = {_day(d) for d in self.days}
        if not days:
            raise BSAInputError(_("zone {name} has no day: give the days it is used").format(
                name=repr(self.name)))
        set_(self, "days", tuple(d for d in WEEKDAYS if d in days))
        if isinstance(self.times, str) or not isinstance(self.times, Iterable):
            raise BSAInputError(_("the times of zone {name} must be a list, got "
                                  "{value}").format(name=repr(self.name), value=shown(self.times)))
        times = [one_of(t, _("time of day"), TIMES_OF_DAY) for t in self.times]
        if len(set(times)) != len(times):
            raise BSAInputError(_("zone {name} names a time of day twice").format(
                name=repr(self.name)))
        set_(self, "times", tuple(t for t in TIMES_OF_DAY if t in times))
        if self.applications_per_day is not None:
            what = _("the applications per day of zone {name}").format(name=repr(self.name))
            per_day = number(self.applications_per_day, what, 0.0, 24.0)
            if per_day <= 0:
                raise BSAInputError(_("{what} must be above 0").format(what=what))
            if times and per_day != len(times):
                raise BSAInputError(
                    _("zone {name} is used {per_day} times a day but at {n} times of day "
                      "({times}); give one or the other").format(
                        name=repr(self.name), per_day=num(per_day, "g"), n=num(len(times)),
                        times=", ".join(self.times)))
            set_(self, "applications_per_day", per_day)
        super().__post_init__()

    def describe(self) -> str:
        return _("the zone {name}").format(name=repr(self.name))

    def per_day(self, default: float) -> float:
        """Applications on a day the zone is used: given, or one per time, or ``default``."""
        if self.applications_per_day is not None:
            return self.applications_per_day
        return float(len(self.times)) if self.times else float(default)


# ---------------------------------------------------------------------------- coverage


@dataclasses.dataclass(frozen=True, eq=False)
class Coverage:
    """How one layer (or a combination of layers) covers the figure.

    Attributes
    ----------
    fractions : ndarray, shape (33,)
        Each half's covered fraction (:data:`bsa.core.regions.PART_NAMES` order). [1]
    masks : mapping of str to ndarray
        View -> the painted pixels (2-D bool, the canvas's shape); empty when nothing is
        painted on any layer. Where a half is in :attr:`by_share` its pixels are not what
        counts: its fraction is.
    by_share : frozenset of str
        Halves whose fraction comes from typed shares (combined by fractions, see the
        module notes) rather than from the pixels.
    """

    fractions: np.ndarray
    masks: Mapping[str, np.ndarray]
    by_share: frozenset[str]

    def pixel_masks(self, labels: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        """The masks with the :attr:`by_share` halves (and paint outside the body) left out,
        given each view's label image: what is drawn as painted pixels."""
        typed = [PART_INDEX[h] + 1 for h in self.by_share]
        out = {}
        for view, mask in self.masks.items():
            lab = labels[view]
            shown = mask & (lab > 0)
            out[view] = shown & ~np.isin(lab, typed) if typed else shown
        return out

    def share_fills(self) -> dict[str, float]:
        """The :attr:`by_share` halves with their fractions above 0: what is drawn as a tint."""
        return {h: float(self.fractions[PART_INDEX[h]]) for h in sorted(self.by_share)
                if self.fractions[PART_INDEX[h]] > 0}


class _Canvas:
    """The figure and canvas every layer is painted on: turns masks into fractions."""

    def __init__(self, figure_id: str | None, shape: tuple[int, int] | None) -> None:
        self.figure_id = figure_id
        self.shape = shape

    def fractions(self, masks: Mapping[str, np.ndarray]) -> np.ndarray:
        if self.shape is None or not masks:
            return np.zeros(len(PART_NAMES))
        # Every canvas with masks is an Assessment's, which refuses masks without a figure id.
        assert self.figure_id is not None
        from ..diagram.masks import half_fractions

        return np.asarray(half_fractions(masks, self.figure_id), dtype=float)

    def full(self, masks: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Every view's mask, unpainted views as empty masks (none without a canvas)."""
        if self.shape is None:
            return {}
        return {v: masks[v] if v in masks else np.zeros(self.shape, bool) for v in SIDES}

    def coverage(self, masks: Mapping[str, np.ndarray], shares: Mapping[str, float],
                 painted: np.ndarray | None = None) -> Coverage:
        full = self.full(masks)
        f = (self.fractions(full) if painted is None else np.array(painted, dtype=float))
        typed = set()
        for name, share in shares.items():
            for h in halves_of(name):
                f[PART_INDEX[h]] = share
                typed.add(h)
        return _frozen(f, full, frozenset(typed))

    def combine(self, masks: Mapping[str, np.ndarray], by_share: frozenset[str],
                typed_values: np.ndarray) -> Coverage:
        f = self.fractions(masks)
        idx = [PART_INDEX[h] for h in by_share]
        f[idx] = typed_values[idx]
        return _frozen(f, masks, by_share)

    def minus(self, a: Coverage, b: Coverage) -> Coverage:
        """a minus b, b anywhere: typed halves take min(a, 1 - b)."""
        masks = {v: a.masks[v] & ~b.masks[v] for v in a.masks}
        return self.combine(masks, a.by_share | b.by_share,
                            np.minimum(a.fractions, 1.0 - b.fractions))

    def minus_inside(self, a: Coverage, b: Coverage) -> Coverage:
        """a minus b, b inside a: typed halves take a - b."""
        masks = {v: a.masks[v] & ~b.masks[v] for v in a.masks}
        return self.combine(masks, a.by_share | b.by_share,
                            np.maximum(a.fractions - b.fractions, 0.0))

    def within(self, a: Coverage, b: Coverage) -> Coverage:
        """a within b: typed halves take min(a, b)."""
        masks = {v: a.masks[v] & b.masks[v] for v in a.masks}
        return self.combine(masks, a.by_share | b.by_share, np.minimum(a.fractions, b.fractions))

    def union(self, items: Sequence[Coverage], within: Coverage | None = None) -> Coverage:
        """Any of the items: typed halves take the sum, at most 1 (or ``within``'s share)."""
        if not items:
            return _frozen(np.zeros(len(PART_NAMES)), self.full({}), frozenset())
        if len(items) == 1:
            return items[0]
        masks = {v: np.logical_or.reduce([c.masks[v] for c in items]) for v in items[0].masks}
        cap = 1.0 if within is None else within.fractions
        total = np.minimum(np.sum([c.fractions for c in items], axis=0), cap)
        return self.combine(masks, frozenset().union(*(c.by_share for c in items)), total)


def _frozen(fractions: np.ndarray, masks: Mapping[str, np.ndarray],
            by_share: frozenset[str]) -> Coverage:
    f = np.clip(np.asarray(fractions, dtype=float), 0.0, 1.0)
    f.setflags(write=False)
    for m in masks.values():
        m.setflags(write=False)
    return Coverage(f, MappingProxyType(dict(masks)), by_share)


@dataclasses.dataclass(frozen=True, eq=False)
class Layers:
    """Every layer of one assessment, resolved on its figure (see :func:`resolve`).

    Attributes
    ----------
    affected : Coverage
        The affected skin (the assessment's own marks).
    treatment : Coverage
        The treatment area as marked (the affected skin when none is given).
    avoid : tuple of Coverage
        Each do-not-apply area as marked.
    treated : Coverage
        The treatment area minus every do-not-apply area.
    zones : tuple of Coverage
        Each zone within the treated area.
    zones_outside : tuple of ndarray
        Each zone's marks outside the treatment area, per half: not counted (its marks on a
        do-not-apply area are not counted either, and not listed here). [1], (33,)
    unzoned : Coverage or None
        The treated area in no zone; None without zones.
    affected_untreated : Coverage
        Affected skin outside the treated area (drawn "affected, not with this cream").
    """

    affected: Coverage
    treatment: Coverage
    avoid: tuple[Coverage, ...]
    treated: Coverage
    zones: tuple[Coverage, ...]
    zones_outside: tuple[np.ndarray, ...]
    unzoned: Coverage | None
    affected_untreated: Coverage
    _canvas: _Canvas = dataclasses.field(repr=False)

    def coverage_of(self, masks: Mapping[str, np.ndarray],
                    shares: Mapping[str, float] | None = None) -> Coverage:
        """How one layer's own marks cover the figure, before any layers are combined.

        Parameters
        ----------
        masks : mapping of str to ndarray
            View -> painted pixels on this figure and canvas (checked masks, e.g. a
            :class:`Marks`' own).
        shares : mapping of str to float, optional
            Typed shares that override the painting (checked, e.g. a :class:`Marks`' own);
            none: the painting alone.

        Returns
        -------
        Coverage
        """
        canvas = self._canvas
        if canvas.shape is None and masks:
            canvas = _Canvas(canvas.figure_id, canvas_shape({"the layer": masks}))
        return canvas.coverage(masks, shares or {})

    def union_of_zones(self, zones: Sequence[Coverage]) -> Coverage:
        """The treated area covered by any of these zones (all within it)."""
        return self._canvas.union(list(zones), within=self.treated)

    @property
    def figure_id(self) -> str | None:
        return self._canvas.figure_id


def canvas_shape(layers: Mapping[str, Mapping[str, np.ndarray]]) -> tuple[int, int] | None:
    """The one canvas shape every layer's masks share, or None if nothing is painted.

    Raises
    ------
    BSAInputError
        If two layers' masks (or two views') have different shapes: combining layers pixel
        by pixel needs one canvas.
    """
    shapes = {name: {m.shape for m in masks.values()} for name, masks in layers.items()}
    found = {s for ss in shapes.values() for s in ss}
    if len(found) > 1:
        detail = "; ".join(f"{name} {', '.join(map(str, sorted(ss)))}"
                           for name, ss in shapes.items() if ss)
        raise BSAInputError(
            _("every layer's masks must be painted on one canvas (the same height and width): "
              "{detail}").format(detail=detail))
    return found.pop() if found else None


def resolve(figure_id: str | None, masks: Mapping[str, np.ndarray],
            shares: Mapping[str, float], treatment_area: Marks | None,
            avoid: Sequence[AvoidArea], zones: Sequence[Zone],
            painted: np.ndarray | None = None) -> Layers:
    """Resolve the layers of one assessment: the treated area, each zone within it.

    Parameters
    ----------
    figure_id : str or None
        The figure every layer was painted on.
    masks, shares
        The affected skin's marks (the assessment's own).
    treatment_area : Marks or None
        None: the affected skin.
    avoid, zones : sequence
    painted : ndarray, optional
        The affected masks' fractions, if already computed. [1], (33,)

    Returns
    -------
    Layers

    Raises
    ------
    BSAInputError
        If the layers' masks are not all on one canvas, or do not fit the figure.
    """
    named = {"the affected skin": masks}
    if treatment_area is not None:
        named[treatment_area.describe()] = treatment_area.masks
    for layer in (*avoid, *zones):
        named[layer.describe()] = layer.masks
    canvas = _Canvas(figure_id, canvas_shape(named))
    affected = canvas.coverage(masks, shares, painted)
    treatment = (affected if treatment_area is None
                 else canvas.coverage(treatment_area.masks, treatment_area.shares))
    avoided = tuple(canvas.coverage(a.masks, a.shares) for a in avoid)
    treated = treatment if not avoided else canvas.minus(treatment, canvas.union(avoided))
    marked = tuple(canvas.coverage(z.masks, z.shares) for z in zones)
    inside = tuple(canvas.within(z, treated) for z in marked)
    # Outside the treatment area as marked: a zone's marks on a do-not-apply area are left
    # out of it by design, not a slip of the brush.
    outside = tuple(np.maximum(z.fractions - canvas.within(z, treatment).fractions, 0.0)
                    for z in marked)
    unzoned = (canvas.minus_inside(treated, canvas.union(list(inside), within=treated))
               if inside else None)
    untreated = (canvas.minus_inside(affected, canvas.within(affected, treated))
                 if treated is not affected else
                 _frozen(np.zeros(len(PART_NAMES)), canvas.full({}), frozenset()))
    return Layers(affected=affected, treatment=treatment, avoid=avoided, treated=treated,
                  zones=inside, zones_outside=outside, unzoned=unzoned,
                  affected_untreated=untreated, _canvas=canvas)
