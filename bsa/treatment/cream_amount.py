"""How much cream a marked area takes per application, per day and per week.

Fingertip units (FTU): one unit is the cream squeezed along an adult index finger from the
distal crease to the tip; the project uses 0.5 g per unit for every patient (Long and
Finlay 1991 measured 0.49 g for men and 0.43 g for women: shown as a range). Three ways
turn an area into grams, chosen by age so that the grams for the same marks never jump
(``method="auto"``):

- the *children's table* (Long, Mills and Finlay 1998): units per application for each body
  part (face and neck, one arm and hand, one leg and foot, front of the trunk, back of the
  trunk with the buttocks) by age, each part's units times the share of it that is marked.
  Used below 12 years (the 6-10 years row is applied up to 12, where the labels' children's
  amount caps end: the project's convention);
- the *rule of hand* for adults (Long, Finlay and Averill 1992): one hand area (about 1% of
  body surface) takes half a unit, 0.25 g, per application. Used from 18 years;
- between 12 and 18 a linear blend of the two (the project's convention, stated with every
  estimate): no published method covers adolescents, and a switch at one birthday would
  double the grams for the same marks;
- a label's own application density (mg/cm2), where the label states one, instead of the
  above: it needs the whole-body surface from height and weight.

Everything is an estimate with its assumptions listed next to it; the data and sources are
in ``charts/fingertip_units.json``. The comparison with a label's amount caps is in
:mod:`bsa.treatment.limits`.

References
----------
.. [1] Long CC, Finlay AY. The finger-tip unit - a new practical measure. Clin Exp Dermatol
   1991;16:444-447.
.. [2] Long CC, Finlay AY, Averill RW. The rule of hand: 4 hand areas = 2 FTU = 1 g. Arch
   Dermatol 1992;128:1129-1130.
.. [3] Long CC, Mills CM, Finlay AY. A practical guide to topical therapy in children. Br J
   Dermatol 1998;138:293-296. doi:10.1046/j.1365-2133.1998.02077.x

Why one long module: the three methods and the blend between them must be read side by side
to see that the grams never jump from one age to the next; each method is a short function
of its own.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .._renamed import renamed_argument
from ..core.charts import DEFAULT_AGE_MODE, DEFAULT_CHART, check_age, region_weights
from ..core.estimation import breakdown, check_fractions, selection_to_fractions
from ..core.regions import PART_NAMES, PART_REGION, REGION_INDEX, REGIONS
from ..data import load_data
from ..errors import BSAInputError
from ..i18n import N_, _, num
from .label_rules import LabelRule, load_rule

__all__ = [
    "METHODS",
    "CreamAmount",
    "estimate_amount",
    "grams_per_percent_bsa",
    "percent_bsa_where_amount_cap_binds",
    "children_table_row",
    "method_for_age",
]

FTU_FILE = "fingertip_units.json"
SCHEMA_VERSION = 2

#: ``"auto"`` picks by age (and the label's density where it states one).
METHODS: tuple[str, ...] = ("auto", "children_table", "blend", "rule_of_hand", "label_density")

DAYS_PER_WEEK = 7.0
_SIDE_WORDS = {"right": N_("right"), "left": N_("left")}
_UNITS_PER_GRAM_MG = 1000.0


def _doc() -> dict[str, Any]:
    return load_data(FTU_FILE, SCHEMA_VERSION)


def _ftu() -> dict[str, Any]:
    return _doc()["fingertip_unit"]


def _ftu_grams(ftu_grams: Any) -> float:
    if ftu_grams is None:
        return float(_ftu()["grams_convention"])
    try:
        g = float(ftu_grams)
    except (TypeError, ValueError, OverflowError) as exc:
        raise BSAInputError(f"ftu_grams must be a number of grams, got {ftu_grams!r}") from exc
    if not 0.0 < g <= 2.0:
        raise BSAInputError(
            f"ftu_grams {ftu_grams!r} is out of range: a fingertip unit is above 0 and at most "
            "2 g (published: 0.5 g convention, 0.49 g men, 0.43 g women)"
        )
    return g


def _auto() -> dict[str, float]:
    auto = _doc()["auto"]
    return {"table_until": float(auto["children_table_until_years"]),
            "blend_until": float(auto["blend_until_years"])}


@renamed_argument("age_years", "age")
def method_for_age(age: float) -> str:
    """The fingertip-unit method ``"auto"`` uses at ``age`` [years] (without a label density).

    Examples
    --------
    >>> [method_for_age(a) for a in (8, 11.99, 12, 17.9, 18)]
    ['children_table', 'children_table', 'blend', 'blend', 'rule_of_hand']
    """
    a = float(check_age(age))
    edges = _auto()
    if a < edges["table_until"]:
        return "children_table"
    return "blend" if a < edges["blend_until"] else "rule_of_hand"


def _blend_weight(age: float) -> float:
    """Share of the rule of hand in the blend at this age (0 at 12, 1 at 18)."""
    edges = _auto()
    t = (age - edges["table_until"]) / (edges["blend_until"] - edges["table_until"])
    return min(max(t, 0.0), 1.0)


@renamed_argument("age_years", "age")
def children_table_row(age: float) -> dict[str, Any]:
    """The row of the children's fingertip-unit table that applies at ``age`` [years].

    Rows apply from their first age to the day before the next row's first age; the youngest
    row (published 3-6 months) is extended to the first birthday and the 6-10 years row to
    12 years, where the labels' children's amount caps end; the adult row is the table's own
    (used only when the children's table is asked for by name). These conventions are in
    the data file.

    Returns
    -------
    dict
        ``published_age`` (e.g. ``"6-10 years"``), ``applied_from_years``,
        ``applied_to_years``, ``fingertip_units`` (body part -> units per application).
    """
    a = float(check_age(age))
    for row in _doc()["children_table"]["rows"]:
        hi = row["applied_to_years"]
        if row["applied_from_years"] <= a and (hi is None or a < hi):
            return row
    raise BSAInputError(f"no row of the children's fingertip-unit table covers age {a:g}")


def _body_part_regions() -> dict[str, list[str]]:
    """Body part key (``"arm_and_hand:right"`` for sided parts) -> Lund-Browder regions."""
    out: dict[str, list[str]] = {}
    for part, regions in _doc()["children_table"]["region_mapping"].items():
        if isinstance(regions, Mapping):
            for side, names in regions.items():
                out[f"{part}:{side}"] = list(names)
        else:
            out[part] = list(regions)
    seen = sorted(r for names in out.values() for r in names)
    if seen != sorted(REGIONS):
        raise BSAInputError(f"{FTU_FILE}: every Lund-Browder region must be in one body part")
    return out


def _rule_of_hand_units_per_percent() -> float:
    roh = _doc()["rule_of_hand"]
    return float(roh["fingertip_units_per_hand_area"]) / float(roh["hand_area_percent_bsa"])


def _table_units(by_region: np.ndarray, row: Mapping[str, Any], weights: np.ndarray):
    """Units per application from the children's table: (units, by body part)."""
    units = 0.0
    by_part: dict[str, dict[str, Any]] = {}
    names = _doc()["children_table"]["body_parts"]
    for key, regions in _body_part_regions().items():
        part, _sep, side = key.partition(":")
        idx = [REGION_INDEX[r] for r in regions]
        whole = float(weights[idx].sum())
        marked = float(by_region[idx].sum())
        share = min(marked / whole, 1.0) if whole > 0 else 0.0
        part_units = float(row["fingertip_units"][part]) * share
        units += part_units
        if marked > 0:
            by_part[key] = {
                "label": _(names[part]) + (f" ({_(_SIDE_WORDS[side])})" if side else ""),
                "percent_bsa_affected": marked,
                "percent_bsa_of_part": whole,
                "share_marked": share,
                "fingertip_units": part_units,
            }
    return units, by_part


@renamed_argument("age_years", "age")
def grams_per_percent_bsa(age: float, method: str = "auto", *, ftu_grams=None) -> float:
    """Grams of cream per application for 1% of body surface, spread evenly over the body.

    For the rule of hand this is half a fingertip unit (0.25 g at 0.5 g per unit) at any
    age; for the children's table it is the whole row's units times the grams per unit,
    divided by 100 (as if every body part were marked to the same share); the blend mixes
    the two by age.

    Returns
    -------
    float
        [g per % of body surface per application]

    Examples
    --------
    >>> round(grams_per_percent_bsa(8), 4), grams_per_percent_bsa(30)
    (0.1225, 0.25)
    """
    a = float(check_age(age))
    m = _resolve_method(method, a, None)
    g = _ftu_grams(ftu_grams)
    hand = _rule_of_hand_units_per_percent() * g
    if m == "rule_of_hand":
        return hand
    row = children_table_row(min(a, _auto()["table_until"] - 1e-9) if m == "blend" else a)
    table = sum(float(row["fingertip_units"][key.partition(":")[0]])
                for key in _body_part_regions()) * g / 100.0
    if m == "children_table":
        return table
    t = _blend_weight(a)
    return (1 - t) * table + t * hand


def _resolve_method(method: str, age: float, rule: LabelRule | None) -> str:
    if method not in METHODS:
        raise BSAInputError(f"unknown method {method!r}; valid methods are: {', '.join(METHODS)}")
    if method == "auto":
        if rule is not None and rule.density is not None:
            return "label_density"
        return method_for_age(age)
    if method == "label_density" and (rule is None or rule.density is None):
        raise BSAInputError("method 'label_density' needs a label rule that states a density")
    return method


@dataclass(frozen=True)
class CreamAmount:
    """An estimate of the cream a marked area takes, with its assumptions.

    Attributes
    ----------
    method : {"children_table", "blend", "rule_of_hand", "label_density"}
        The method used (``"auto"`` resolved).
    method_text : str
        The method in words, with its source.
    age_years, percent_bsa : float
        [years], the marked area [% of body surface].
    fingertip_units_per_application : float or None
        [FTU]; None for a label density.
    ftu_grams : float
        Grams per fingertip unit used (0.5). [g]
    grams_per_application : float
    grams_per_application_measured : tuple of float or None
        The same units at the measured 0.43 g (women) and 0.49 g (men) per unit. [g]
    applications_per_day, grams_per_day, grams_per_week : float
    grams_per_percent_bsa : float
        Grams per application per 1% of body surface in this pattern of marks (the whole
        body evenly when nothing is marked): what "the cap is reached at" uses. [g/%]
    rule_id : str or None
    by_body_part : dict
        Children's table (and blend) only: body part -> share marked and units.
    assumptions : tuple of str
    """

    method: str
    method_text: str
    age_years: float
    percent_bsa: float
    fingertip_units_per_application: float | None
    ftu_grams: float
    grams_per_application: float
    grams_per_application_measured: tuple[float, float] | None
    applications_per_day: float
    grams_per_day: float
    grams_per_week: float
    grams_per_percent_bsa: float
    rule_id: str | None
    by_body_part: dict[str, dict[str, Any]]
    assumptions: tuple[str, ...]

    def grams_in(self, period_days: float) -> float:
        """Estimated use over a period, every day at this frequency. [g]"""
        return self.grams_per_day * period_days

    #: How the grams compared with a label's caps were counted (words after the amount;
    #: empty: the whole area every day, at this frequency).
    basis = ""

    def grams_for(self, limit) -> float:
        """The grams compared with an amount cap: per application, or over its period. [g]"""
        return self.grams_per_application if limit.per == "application" else self.grams_in(
            limit.period_days)

    def reached_at_percent_bsa(self, limit) -> float:
        """The %BSA, marked in this pattern, at which an amount cap is reached (``inf`` above
        100%). [%]"""
        return reached_at_percent(limit, self.applications_per_day, self.grams_per_percent_bsa)

    def at_percent(self, percent_bsa: float) -> CreamAmount:
        """The same estimate for another total of the same marks (e.g. under another chart).

        Every amount is scaled linearly: :attr:`grams_per_percent_bsa` times the new total
        (exact for the rule of hand and a label density; for the children's table it keeps
        this pattern's grams per 1%). The per-body-part detail is dropped.

        Examples
        --------
        >>> est = estimate_amount({"anterior_trunk": 10 / 13}, 40)
        >>> est.at_percent(20.0).grams_per_application
        5.0
        """
        p = float(percent_bsa)
        if not 0.0 <= p <= 100.0 + 1e-9:
            raise BSAInputError(f"percent_bsa {percent_bsa!r} is out of range: 0 to 100")
        if p == self.percent_bsa:
            return self
        grams_app = self.grams_per_percent_bsa * p
        units = measured = None
        if self.fingertip_units_per_application is not None:
            units = grams_app / self.ftu_grams
            grams = _ftu()["grams_measured"]
            measured = (units * float(grams["women"]), units * float(grams["men"]))
        grams_day = grams_app * self.applications_per_day
        return replace(
            self, percent_bsa=p, fingertip_units_per_application=units,
            grams_per_application=grams_app, grams_per_application_measured=measured,
            grams_per_day=grams_day, grams_per_week=grams_day * DAYS_PER_WEEK, by_body_part={})

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {
            "method": self.method,
            "method_text": self.method_text,
            "age_years": self.age_years,
            "percent_bsa": self.percent_bsa,
            "fingertip_units_per_application": self.fingertip_units_per_application,
            "ftu_grams": self.ftu_grams,
            "grams_per_application": self.grams_per_application,
            "grams_per_application_measured": None if self.grams_per_application_measured
            is None else list(self.grams_per_application_measured),
            "applications_per_day": self.applications_per_day,
            "grams_per_day": self.grams_per_day,
            "grams_per_week": self.grams_per_week,
            "grams_per_percent_bsa": self.grams_per_percent_bsa,
            "rule_id": self.rule_id,
            "by_body_part": self.by_body_part,
            "assumptions": list(self.assumptions),
        }

    def to_text(self) -> str:
        """The estimate and its assumptions as plain text."""
        if self.fingertip_units_per_application is None:
            first = _("About {grams} g per application, {day} g a day, {week} g a week "
                      "(estimate).")
        else:
            first = _("About {grams} g per application ({units} fingertip units), {day} g a "
                      "day, {week} g a week (estimate).")
        lines = [first.format(grams=num(self.grams_per_application, ".1f"),
                              units=num(self.fingertip_units_per_application or 0.0, ".1f"),
                              day=num(self.grams_per_day, ".1f"),
                              week=num(self.grams_per_week, ".0f"))]
        lines.append(_("Assumptions:"))
        lines.extend(f"  - {a}" for a in self.assumptions)
        return "\n".join(lines)


def _as_fractions(selection: Any) -> np.ndarray:
    if isinstance(selection, Mapping):
        return selection_to_fractions(selection)
    f = check_fractions(selection)
    if f.shape not in ((len(PART_NAMES),), (len(REGIONS),)):
        raise BSAInputError(
            f"the marks must be a mapping of region -> fraction or an array of the "
            f"{len(PART_NAMES)} halves' (or {len(REGIONS)} regions') fractions, got shape {f.shape}"
        )
    return f


def _region_contributions(f: np.ndarray, age: float, chart: str, age_mode: str) -> np.ndarray:
    contrib = breakdown(f, age, chart, age_mode)
    if contrib.shape[-1] == len(PART_NAMES):
        by_region = np.zeros(len(REGIONS))
        np.add.at(by_region, np.asarray(PART_REGION), contrib)
        return by_region
    return contrib


def _frequency(rule: LabelRule | None, applications_per_day: Any) -> float:
    if applications_per_day is None:
        return 2.0 if rule is None else rule.frequency_per_day
    try:
        per_day = float(applications_per_day)
    except (TypeError, ValueError, OverflowError) as exc:
        raise BSAInputError(
            f"applications_per_day must be a number, got {applications_per_day!r}") from exc
    if not 0.0 < per_day <= 24.0:
        raise BSAInputError(
            f"applications_per_day {applications_per_day!r} is out of range: above 0, at most 24")
    return per_day


@renamed_argument("age_years", "age")
def estimate_amount(half_fractions_or_selection, age: float, rule_id: str | None = None,
                    *, method: str = "auto", ftu_grams: float | None = None,
                    applications_per_day: float | None = None, chart: str = DEFAULT_CHART,
                    age_mode: str = DEFAULT_AGE_MODE,
                    body_surface_m2: float | None = None) -> CreamAmount:
    """Estimate the cream the marked area takes per application, per day and per week.

    Parameters
    ----------
    half_fractions_or_selection : mapping or array_like, shape (33,) or (19,)
        ``{"head": 0.5, "right_thigh:front": 1.0}``, or the affected fraction of every half
        (:data:`bsa.core.regions.PART_NAMES` order) or region. [1]
    age : float
        Age of the patient. [years]
    rule_id : str, optional
        A label rule: its frequency is used, and its density where it states one.
    method : {"auto", "children_table", "blend", "rule_of_hand", "label_density"}, optional
        ``"auto"``: the label's density if stated and ``body_surface_m2`` is known; else the
        children's table below 12 years, a blend from 12 to 18, the rule of hand from 18.
    ftu_grams : float, optional
        Grams per fingertip unit; default 0.5 (measured: 0.49 men, 0.43 women). [g]
    applications_per_day : float, optional
        Default: the rule's frequency, or twice a day without a rule. [1/day]
    chart, age_mode : str, optional
        The body-surface chart and how it is read (as in :func:`bsa.estimate`).
    body_surface_m2 : float, optional
        Whole-body surface area, for a label's density in mg/cm2. [m2]

    Returns
    -------
    CreamAmount

    Raises
    ------
    BSAInputError
        For bad marks, age, rule, method, grams per unit or frequency.

    Notes
    -----
    At 8 years the children's table gives about 0.12 g per 1% of body surface (marks spread
    evenly), the rule of hand 0.25 g: the blend from 12 to 18 joins them without a jump.

    Examples
    --------
    Adult, 10% of body surface (the whole front of the trunk is 13%), twice daily:

    >>> est = estimate_amount({"anterior_trunk": 10 / 13}, 40, "opzelura_us_atopic_dermatitis")
    >>> round(est.grams_per_application, 2), round(est.grams_per_week, 1)
    (2.5, 35.0)
    """
    a = float(check_age(age))
    rule = None if rule_id is None else load_rule(rule_id)
    m = _resolve_method(method, a, rule)
    g = _ftu_grams(ftu_grams)
    per_day = _frequency(rule, applications_per_day)
    f = _as_fractions(half_fractions_or_selection)
    by_region = _region_contributions(f, a, chart, age_mode)
    total = float(by_region.sum())
    ftu = _ftu()
    measured = ftu["grams_measured"]
    assumptions = []
    by_part: dict[str, dict[str, Any]] = {}
    units: float | None
    density = None if rule is None else rule.density
    if m == "label_density" and body_surface_m2 is None:
        assert density is not None
        m = method_for_age(a)
        assumptions.append(
            _("The label states {density} mg of cream per cm\u00b2; without height and weight "
              "the area in cm\u00b2 is unknown, so the fingertip-unit estimate is used "
              "instead.").format(density=num(density.mg_per_cm2, "g")))
    if m == "label_density":
        assert density is not None and body_surface_m2 is not None  # what the method needs
        cm2 = total / 100.0 * float(body_surface_m2) * 10_000.0
        grams_app = cm2 * density.mg_per_cm2 / _UNITS_PER_GRAM_MG
        units = None
        method_text = _("the label's density, {density} mg per cm\u00b2 (section {section}), on "
                        "{cm2} cm\u00b2").format(density=num(density.mg_per_cm2, "g"),
                                                section=density.section,
                                                cm2=num(cm2, ",.0f"))
        per_pct = float(body_surface_m2) * 100.0 * density.mg_per_cm2 / _UNITS_PER_GRAM_MG
    else:
        hand_units = total * _rule_of_hand_units_per_percent()
        table_units = 0.0
        if m in ("children_table", "blend"):
            row_age = a if m == "children_table" else min(a, _auto()["table_until"] - 1e-9)
            row = children_table_row(row_age)
            weights = region_weights(a, chart, age_mode)
            table_units, by_part = _table_units(by_region, row, weights)
        if m == "rule_of_hand":
            units = hand_units
            method_text = _("the rule of hand ({source}): one hand area, about 1% of body "
                            "surface, takes half a fingertip unit").format(
                source="Long, Finlay and Averill 1992")
        elif m == "children_table":
            units = table_units
            method_text = _("the children's fingertip units by age and body part ({source}), "
                            "row {row}").format(source="Long, Mills and Finlay 1998",
                                                row=repr(_(row["published_age"])))
        else:
            t = _blend_weight(a)
            units = (1 - t) * table_units + t * hand_units
            method_text = _("a blend for ages 12 to 18: {table}% the children's table (row "
                            "{row}), {hand}% the adult rule of hand").format(
                table=num(100 * (1 - t), ".0f"), row=repr(_(row["published_age"])),
                hand=num(100 * t, ".0f"))
            assumptions.append(_(_doc()["auto"]["blend_note"]))
        grams_app = units * g
        per_pct = (grams_app / total if total > 0
                   else grams_per_percent_bsa(a, m, ftu_grams=g))
        assumptions.insert(0, _(
            "1 fingertip unit = {grams} g for the person applying the cream (the usual "
            "rounding; {source} measured {women} g for women and {men} g for men).").format(
                grams=num(g, "g"), source="Long and Finlay 1991",
                women=num(measured["women"], "g"), men=num(measured["men"], "g")))
        if m == "children_table":
            assumptions.append(
                _("Each body part's units are multiplied by the share of it that is marked "
                  "(shares from the chart at this age)."))
            assumptions.extend(_(note) for note in
                               _doc()["children_table"]["region_mapping_notes"][1:])
            if row["published_age"] in ("3-6 months", "6-10 years"):
                assumptions.append(_(_doc()["children_table"]["age_convention"]))
    assumptions.insert(0, _("Method: {method}.").format(method=method_text))
    if rule is not None and applications_per_day is None:
        freq = rule.frequency_words
    else:
        freq = _("{n} times a day").format(n=num(per_day, "g"))
    if rule is None and applications_per_day is None:
        freq = _("{frequency} (assumed: no label rule was given)").format(frequency=freq)
    assumptions.append(_("Applied {frequency}, every day, to the same area each time, as a "
                         "thin layer.").format(frequency=freq))
    assumptions.append(
        _("Real amounts vary with how thickly the cream is spread, the skin and the size of "
          "the patient: this is an estimate to discuss with the doctor, not a prescription."))
    grams_day = grams_app * per_day
    return CreamAmount(
        method=m, method_text=method_text, age_years=a, percent_bsa=total,
        fingertip_units_per_application=units, ftu_grams=g,
        grams_per_application=grams_app,
        grams_per_application_measured=None if units is None else (
            units * float(measured["women"]), units * float(measured["men"])),
        applications_per_day=per_day, grams_per_day=grams_day,
        grams_per_week=grams_day * DAYS_PER_WEEK, grams_per_percent_bsa=per_pct,
        rule_id=None if rule is None else rule.id, by_body_part=by_part,
        assumptions=tuple(assumptions),
    )


@renamed_argument("age_years", "age")
def percent_bsa_where_amount_cap_binds(rule_id: str, age: float, *, method: str = "auto",
                                       ftu_grams: float | None = None,
                                       limit_index: int | None = None) -> float:
    """The body surface whose cream would just reach the rule's amount cap at this age.

    Parameters
    ----------
    rule_id : str
    age : float
        Age of the patient. [years]
    method : str, optional
        As in :func:`estimate_amount` (``"auto"`` by default).
    ftu_grams : float, optional
        Default 0.5. [g]
    limit_index : int, optional
        Which of the age band's grams limits (in file order); default: the one reached
        first (the smallest area).

    Returns
    -------
    float
        [% of body surface], marks spread evenly; ``inf`` if even the whole body would not
        reach it, ``nan`` if the rule states no amount cap for this age.

    Notes
    -----
    Cap per application = grams / period days / applications per day (or the cap itself
    for a cap per application), divided by the grams per 1% of body surface
    (:func:`grams_per_percent_bsa`). Adults, twice daily:
    60 g a week -> 60 / 7 / 2 / 0.25 = 17.14%; 100 g per 2 weeks -> 14.29% (reached first).

    Examples
    --------
    >>> round(percent_bsa_where_amount_cap_binds("opzelura_us_atopic_dermatitis", 40), 2)
    14.29
    """
    rule = load_rule(rule_id)
    a = float(check_age(age))
    caps = rule.limits_for(a, kind="grams")
    if not caps:
        return math.nan
    if limit_index is not None and (isinstance(limit_index, bool)
                                    or not isinstance(limit_index, int)
                                    or not 0 <= limit_index < len(caps)):
        raise BSAInputError(
            f"limit_index {limit_index!r} is out of range: this age band has {len(caps)} "
            f"amount limit(s): {', '.join(c.summary for c in caps)}")
    per_pct = grams_per_percent_bsa(a, method, ftu_grams=ftu_grams)
    reached = [reached_at_percent(c, rule.frequency_per_day, per_pct) for c in caps]
    return reached[limit_index] if limit_index is not None else min(reached)


def reached_at_percent(limit, applications_per_day: float, grams_per_percent: float) -> float:
    """The %BSA (same pattern) at which a grams limit is reached; ``inf`` above 100%.

    A cap per application (``limit.per == "application"``) is compared with one
    application's grams; a cap per period with the grams over the period.
    """
    if grams_per_percent <= 0:
        return math.inf
    per_application = (limit.value if limit.per == "application"
                       else limit.value / limit.period_days / applications_per_day)
    percent = per_application / grams_per_percent
    return math.inf if percent > 100.0 else percent
