"""The assessment: the inputs of one visit.

An :class:`Assessment` is what the page builds from its widgets and what the session file,
the visit history and the application map store: age, chart, age reading, rule, the
painted masks and any typed shares, sex, height, weight, palm count and notes. It holds
inputs only; every number is computed from it by :func:`bsa.evaluate`, so the page, the
command line and a reloaded file always agree. Every field is checked when an assessment
is made (:mod:`bsa.checks`): a bad value raises :class:`~bsa.errors.BSAInputError`.

Examples
--------
>>> from bsa.records.assessment import Assessment
>>> a = Assessment(age_years=3, shares={"head": 1.0, "anterior_trunk": 0.5})
>>> round(a.estimate().percent_bsa, 2)
21.5
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np

from ..checks import (
    AGE_RANGE,
    HEIGHT_RANGE,
    SEXES,
    WEIGHT_RANGE,
    flag,
    number,
    one_of,
    shown,
    text,
)
from ..core.regions import PART_INDEX, PART_NAMES, REGION_SIDES, parse_part
from ..errors import BSAInputError
from ..i18n import _, num
from .layers import (
    MAX_AVOID_AREAS,
    MAX_MASK_SIDE,
    MAX_ZONES,
    AvoidArea,
    Layers,
    Marks,
    Zone,
    resolve,
)
from .layers import check_mask as _layer_mask
from .layers import check_shares as _check_shares

__all__ = ["MAX_MASK_SIDE", "MAX_NOTES_CHARS", "SEXES", "Assessment"]

#: The longest free-text note accepted. [characters]
MAX_NOTES_CHARS = 10_000


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
    treatment_area : Marks or None
        Where this cream is to be applied (:class:`~bsa.records.layers.Marks` on the same
        figure and canvas). None (the default): the affected skin, ``masks`` and ``shares``.
    avoid : sequence of AvoidArea
        Skin that must not get this cream, each with its reason
        (:class:`~bsa.records.layers.AvoidArea`); never part of the treated area.
    zones : sequence of Zone
        An optional plan: parts of the treated area used on given days and times
        (:class:`~bsa.records.layers.Zone`), each named by the clinician.

    Raises
    ------
    BSAInputError
        If any value is out of range or unknown; the message names it and the valid values.

    Notes
    -----
    ``masks`` and ``shares`` are the **affected** skin (what the disease covers); the
    treated area is ``treatment_area`` (or the affected skin) minus every ``avoid`` area
    (:mod:`bsa.records.layers`). A visit without those fields reads exactly as before.
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
    treatment_area: Marks | None = None
    avoid: tuple[AvoidArea, ...] = ()
    zones: tuple[Zone, ...] = ()
    # Computed in __post_init__ (not arguments, not compared, not shown): the affected
    # masks' fractions, and the resolved layers (None without layers).
    _painted: np.ndarray = dataclasses.field(init=False, repr=False, compare=False)
    _layers: Layers | None = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "age_years", number(self.age_years, _("age"), *AGE_RANGE, _("years")))
        if not isinstance(self.chart, str) or not isinstance(self.age_mode, str):
            raise BSAInputError(
                _("chart and age mode must be strings, got {chart}, {age_mode}").format(
                    chart=shown(self.chart), age_mode=shown(self.age_mode))
            )
        _check_chart(self.chart, self.age_mode, self.age_years)
        if self.rule_id is not None:
            _check_rule_id(self.rule_id)
        if not isinstance(self.masks, Mapping):
            raise BSAInputError(_("masks must map a view to a 2-D array, got {value}").format(
                value=shown(self.masks)))
        masks = {view: _layer_mask(view, mask) for view, mask in self.masks.items()}
        layered = _check_layers(self)
        set_(self, "avoid", layered[1])
        set_(self, "zones", layered[2])
        if (masks or any(layer.masks for layer in layered[0])) and self.figure_id is None:
            raise BSAInputError(_("painted masks need the figure id they were painted on"))
        if self.figure_id is not None:
            _check_figure(self.figure_id)
        set_(self, "masks", MappingProxyType(masks))
        # Read the marks once: this checks the masks against the figure (same shapes, a
        # canvas large enough) and makes every later total cheap.
        painted: np.ndarray = np.zeros(len(PART_NAMES))
        if masks:
            from ..diagram.masks import half_fractions

            assert self.figure_id is not None  # masks without a figure id were refused above
            painted = np.asarray(half_fractions(masks, self.figure_id), dtype=float)
        painted.setflags(write=False)
        set_(self, "_painted", painted)
        set_(self, "shares", MappingProxyType(_check_shares(self.shares)))
        if self.sex is not None:
            one_of(self.sex, _("sex"), SEXES, listed="valid (or none)")
        if self.height_cm is not None:
            set_(self, "height_cm", number(self.height_cm, _("height"), *HEIGHT_RANGE, "cm"))
        if self.weight_kg is not None:
            set_(self, "weight_kg", number(self.weight_kg, _("weight"), *WEIGHT_RANGE, "kg"))
        if self.palm_count is not None:
            set_(self, "palm_count", number(self.palm_count, _("palm count"), 0.0, 200.0,
                                                     _("hands")))
        set_(self, "palm_with_fingers", flag(self.palm_with_fingers, "palm_with_fingers"))
        # printed on the map, in the terminal and the page: Unicode text, no control codes
        text(self.notes, _("notes"), max_chars=MAX_NOTES_CHARS, multiline=True)
        # The other layers are resolved once, here: this checks their masks against the
        # figure and the affected skin's canvas.
        set_(self, "_layers", None if not self.has_layers else resolve(
            self.figure_id, self.masks, self.shares, self.treatment_area, self.avoid,
            self.zones, painted=painted))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Assessment):
            return NotImplemented
        plain = [f.name for f in dataclasses.fields(self) if f.init and f.name != "masks"]
        if any(getattr(self, n) != getattr(other, n) for n in plain):
            return False
        if set(self.masks) != set(other.masks):
            return False
        return all(np.array_equal(self.masks[v], other.masks[v]) for v in self.masks)

    __hash__ = None  # type: ignore[assignment]  # masks are arrays: not hashable

    def __reduce__(self):
        # The read-only mappings cannot be pickled or deep-copied as they are: rebuild
        # from plain values (Streamlit may copy or pickle what is kept in session state).
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.init}
        values["masks"] = {v: np.array(m) for v, m in self.masks.items()}
        values["shares"] = dict(self.shares)
        values["avoid"] = list(self.avoid)
        values["zones"] = list(self.zones)
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

    # -- the layers ------------------------------------------------------------------

    @property
    def has_layers(self) -> bool:
        """True if a treatment area, a do-not-apply area or a zone is given."""
        return self.treatment_area is not None or bool(self.avoid) or bool(self.zones)

    def layers(self) -> Layers:
        """Every layer resolved on the figure: affected, treated, avoided, zones.

        See :func:`bsa.records.layers.resolve`; without layers, the treated area is the
        affected skin.
        """
        if self._layers is None:
            return resolve(self.figure_id, self.masks, self.shares, None, (), (),
                           painted=self._painted)
        return self._layers

    def treated_fractions(self) -> np.ndarray:
        """Each half's treated fraction: the treatment area minus every do-not-apply area.

        The affected fractions (:meth:`half_fractions`) when no layer is given.

        Returns
        -------
        ndarray, shape (33,)
            [fraction 0-1]
        """
        if self._layers is None:
            return self.half_fractions()
        return self._layers.treated.fractions.copy()

    def treated_estimate(self):
        """Return the core's estimate of the treated area (:meth:`treated_fractions`)."""
        import bsa

        return bsa.estimate(
            self.treated_fractions(), self.age_years, chart=self.chart, age_mode=self.age_mode
        )


def _rebuild_assessment(values: dict[str, Any]) -> Assessment:
    return Assessment(**values)


def _check_layers(a: Assessment) -> tuple[tuple[Marks, ...], tuple[AvoidArea, ...],
                                           tuple[Zone, ...]]:
    """The layer fields' types and counts: (every layer, avoid areas, zones)."""
    if a.treatment_area is not None and type(a.treatment_area) is not Marks:
        raise BSAInputError("the treatment area must be Marks (masks and shares) or None, got "
                            f"{type(a.treatment_area).__name__}")
    groups = []
    for name, cls, most in (("avoid", AvoidArea, MAX_AVOID_AREAS), ("zones", Zone, MAX_ZONES)):
        value = getattr(a, name)
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, (list, tuple)):
            raise BSAInputError(f"{name} must be a list of {cls.__name__}, got {shown(value)}")
        if not all(isinstance(item, cls) for item in value):
            raise BSAInputError(f"every item of {name} must be a {cls.__name__}")
        if len(value) > most:
            raise BSAInputError(_("at most {most} {name} are accepted, got {n}").format(
                most=num(most), name=name, n=num(len(value))))
        groups.append(tuple(value))
    names = [z.name.strip().casefold() for z in groups[1]]
    if len(set(names)) != len(names):
        raise BSAInputError(_("two zones have the same name; give each zone its own name"))
    layers = ((a.treatment_area,) if a.treatment_area is not None else ()) + groups[0] + groups[1]
    return layers, groups[0], groups[1]


def _check_chart(chart: str, age_mode: str, age: float) -> None:
    import bsa

    one_of(chart, _("chart"), bsa.available_charts())
    one_of(age_mode, _("age mode"), bsa.AGE_MODES)
    bsa.half_weights(age, chart=chart, age_mode=age_mode)  # the core's own age checks


def _check_rule_id(rule_id: Any) -> None:
    if not isinstance(rule_id, str):
        raise BSAInputError(_("rule id must be a string or None, got {value}").format(
            value=shown(rule_id)))
    from ..treatment import label_rules

    label_rules.load_rule(rule_id)  # raises BSAInputError listing the valid ids


def _check_figure(figure_id: Any) -> None:
    from ..diagram.geometry import FIGURES

    one_of(figure_id, _("figure"), FIGURES)
