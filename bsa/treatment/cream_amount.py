"""How much cream a marked area takes, and how that compares with a label's amount cap.

Fingertip units (FTU): one unit is the cream squeezed along an adult index finger from the
distal crease to the tip, about 0.5 g. Two published ways turn an area into units:

- the *rule of hand* for adults: one hand area (palm and fingers, about 1% of body surface)
  takes half a unit, about 0.25 g, per application;
- the *children's table*: units per application for each body part (face and neck, one arm
  and hand, one leg and foot, front of the trunk, back of the trunk with the buttocks) by age.

From grams per application the estimate goes to grams per day at the rule's frequency and
per the period of the label's amount cap. Everything is an estimate with its assumptions
listed next to it; the data and their sources are in ``charts/fingertip_units.json``.

References
----------
.. [1] Long CC, Finlay AY. The finger-tip unit - a new practical measure. Clin Exp Dermatol
   1991;16:444-447.
.. [2] Long CC, Finlay AY, Averill RW. The rule of hand: 4 hand areas = 2 FTU = 1 g. Arch
   Dermatol 1992;128:1129-1130.
.. [3] Long CC, Mills CM, Finlay AY. A practical guide to topical therapy in children. Br J
   Dermatol 1998;138:293-296.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.charts import DEFAULT_AGE_MODE, DEFAULT_CHART, check_age, region_weights
from ..core.estimation import breakdown, check_fractions, selection_to_fractions
from ..core.regions import PART_NAMES, PART_REGION, REGION_INDEX, REGIONS
from ..data import load_json
from ..errors import BSAInputError
from .label_rules import AmountCap, AmountLimit, LabelRule, load_rule

__all__ = [
    "METHODS",
    "CapComparison",
    "CreamAmount",
    "estimate_amount",
    "percent_bsa_where_amount_cap_binds",
    "grams_per_percent_bsa",
    "children_table_row",
]

FTU_FILE = "fingertip_units.json"
SCHEMA_VERSION = 1

#: ``"auto"`` picks the children's table below the age its adult row starts (11 years) and
#: the rule of hand from then on.
METHODS: tuple[str, ...] = ("auto", "rule_of_hand", "children_table")

NEAR_FRACTION = 0.8
DAYS_PER_WEEK = 7.0


def _doc() -> dict[str, Any]:
    doc = load_json(FTU_FILE)
    if doc.get("schema_version") != SCHEMA_VERSION:
        raise BSAInputError(
            f"{FTU_FILE} has schema version {doc.get('schema_version')!r}; this version of "
            f"bsa reads schema version {SCHEMA_VERSION}"
        )
    return doc


def _ftu_grams(ftu_grams: Any) -> float:
    if ftu_grams is None:
        return float(_doc()["fingertip_unit"]["grams_convention"])
    try:
        g = float(ftu_grams)
    except (TypeError, ValueError) as exc:
        raise BSAInputError(f"ftu_grams must be a number of grams, got {ftu_grams!r}") from exc
    if not 0.0 < g <= 2.0:
        raise BSAInputError(
            f"ftu_grams {ftu_grams!r} is out of range: a fingertip unit is above 0 and at most "
            "2 g (published: 0.5 g convention, 0.49 g men, 0.43 g women)"
        )
    return g


def _adult_row_from() -> float:
    rows = _doc()["children_table"]["rows"]
    return float(rows[-1]["applied_from_years"])


def _resolve_method(method: str, age: float) -> str:
    if method not in METHODS:
        raise BSAInputError(f"unknown method {method!r}; valid methods are: {', '.join(METHODS)}")
    if method == "auto":
        return "children_table" if age < _adult_row_from() else "rule_of_hand"
    return method


def children_table_row(age_years: float) -> dict[str, Any]:
    """The row of the children's fingertip-unit table that applies at ``age_years``.

    Rows apply from their first age to the day before the next row's first age; the youngest
    row (published 3-6 months) is extended to the first birthday and the adult row applies
    from 11 years (the project's conventions, stated in the data file).

    Returns
    -------
    dict
        ``published_age`` (e.g. ``"6-10 years"``), ``applied_from_years``,
        ``applied_to_years``, ``fingertip_units`` (body part -> units per application).
    """
    a = float(check_age(age_years))
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


def grams_per_percent_bsa(age_years: float, method: str = "auto", *, ftu_grams=None) -> float:
    """Grams of cream per application for 1% of body surface, spread evenly over the body.

    For the rule of hand this is half a fingertip unit (0.25 g at 0.5 g per unit) at any
    age; for the children's table it is the whole row's units times the grams per unit,
    divided by 100 (as if every body part were marked to the same share).

    Returns
    -------
    float
        [g per % of body surface per application]
    """
    a = float(check_age(age_years))
    m = _resolve_method(method, a)
    g = _ftu_grams(ftu_grams)
    if m == "rule_of_hand":
        roh = _doc()["rule_of_hand"]
        return float(roh["fingertip_units_per_hand_area"]) * g / float(roh["hand_area_percent_bsa"])
    units = children_table_row(a)["fingertip_units"]
    total = sum(
        float(units[key.partition(":")[0]]) for key in _body_part_regions()
    )
    return total * g / 100.0


@dataclass(frozen=True)
class CapComparison:
    """The estimated amount against one limit of an amount cap.

    Attributes
    ----------
    limit : AmountLimit
    grams_in_period : float
        Estimated use over the limit's period. [g]
    share_of_limit : float
        ``grams_in_period / limit.grams``. [1]
    state : {"within", "near", "above"}
        ``"near"`` from 80% of the limit up to and including it.
    text : str
    """

    limit: AmountLimit
    grams_in_period: float
    share_of_limit: float
    state: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"limit": self.limit.to_dict(), "grams_in_period": self.grams_in_period,
                "share_of_limit": self.share_of_limit, "state": self.state, "text": self.text}


@dataclass(frozen=True)
class CreamAmount:
    """An estimate of the cream a marked area takes, with its assumptions.

    Attributes
    ----------
    method : {"rule_of_hand", "children_table"}
        The method used (``"auto"`` resolved).
    age_years : float
        [years]
    percent_bsa : float
        The marked area. [% of body surface]
    fingertip_units_per_application : float
        [FTU]
    ftu_grams : float
        Grams per fingertip unit used. [g]
    grams_per_application, grams_per_day, grams_per_week : float
        [g]
    applications_per_day : float
    rule_id : str or None
    cap : AmountCap or None
        The rule's cap for the patient's age group (None without a rule or outside it).
    cap_comparisons : tuple of CapComparison
        One per limit of the cap (the label joins them with "or").
    grams_per_cap_period : float or None
        Estimated use over the first limit's period. [g]
    share_of_cap : float or None
        Of the first limit. [1]
    cap_state : {"within", "near", "above"} or None
        Against the first limit.
    percent_bsa_where_cap_binds : float or None
        The area, marked in the same pattern, at which the first limit would be reached
        (``inf`` if even 100% would not reach it). [% of body surface]
    by_body_part : dict
        Children's table only: body part -> share marked, units and grams.
    assumptions : tuple of str
        What the estimate rests on; show them next to the number.
    headline : str
    """

    method: str
    age_years: float
    percent_bsa: float
    fingertip_units_per_application: float
    ftu_grams: float
    grams_per_application: float
    applications_per_day: float
    grams_per_day: float
    grams_per_week: float
    rule_id: str | None
    cap: AmountCap | None
    cap_comparisons: tuple[CapComparison, ...]
    grams_per_cap_period: float | None
    share_of_cap: float | None
    cap_state: str | None
    percent_bsa_where_cap_binds: float | None
    by_body_part: dict[str, dict[str, float]]
    assumptions: tuple[str, ...]
    headline: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (``inf`` becomes None)."""
        binds = self.percent_bsa_where_cap_binds
        return {
            "method": self.method,
            "age_years": self.age_years,
            "percent_bsa": self.percent_bsa,
            "fingertip_units_per_application": self.fingertip_units_per_application,
            "ftu_grams": self.ftu_grams,
            "grams_per_application": self.grams_per_application,
            "applications_per_day": self.applications_per_day,
            "grams_per_day": self.grams_per_day,
            "grams_per_week": self.grams_per_week,
            "rule_id": self.rule_id,
            "cap": None if self.cap is None else self.cap.to_dict(),
            "cap_comparisons": [c.to_dict() for c in self.cap_comparisons],
            "grams_per_cap_period": self.grams_per_cap_period,
            "share_of_cap": self.share_of_cap,
            "cap_state": self.cap_state,
            "percent_bsa_where_cap_binds": None if binds is None or math.isinf(binds) else binds,
            "by_body_part": self.by_body_part,
            "assumptions": list(self.assumptions),
            "headline": self.headline,
        }

    def to_text(self) -> str:
        """The estimate, the cap comparison and the assumptions as plain text."""
        lines = [
            self.headline,
            f"Per application: about {self.grams_per_application:.1f} g "
            f"({self.fingertip_units_per_application:.1f} fingertip units); per day "
            f"{self.grams_per_day:.1f} g; per week {self.grams_per_week:.0f} g.",
        ]
        lines.extend(c.text for c in self.cap_comparisons)
        binds = self.percent_bsa_where_cap_binds
        if binds is not None:
            lines.append(
                "The first amount limit would be reached at about "
                + ("no area up to 100%" if math.isinf(binds) else f"{binds:.1f}% of body surface")
                + " marked in the same pattern."
            )
        lines.append("Assumptions:")
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


def _state(share: float) -> str:
    tol = 1e-12
    if share > 1.0 + tol:
        return "above"
    return "near" if share >= NEAR_FRACTION - tol else "within"


def _compare(limit: AmountLimit, grams_per_day: float, cap: AmountCap) -> CapComparison:
    grams = grams_per_day * limit.period_days
    share = grams / limit.grams
    state = _state(share)
    period = f"{limit.period_days:g} days"
    where = {
        "within": "below",
        "near": "close to" if share < 1.0 else "at",
        "above": "above",
    }[state]
    text = (
        f"Estimated {grams:.0f} g per {period}: {where} the label's cap of {limit.words} "
        f"({100 * share:.0f}% of {limit.grams:g} g)"
    )
    if state == "above":
        text += ": discuss with your doctor"
    if cap.is_secondary:
        text += " [cap from a secondary source, not the label text]"
    return CapComparison(limit, grams, share, state, text + ".")


def estimate_amount(half_fractions_or_selection, age_years: float, rule_id: str | None = None,
                    *, method: str = "auto", ftu_grams: float | None = None,
                    applications_per_day: float | None = None, chart: str = DEFAULT_CHART,
                    age_mode: str = DEFAULT_AGE_MODE) -> CreamAmount:
    """Estimate the cream the marked area takes per application, per day and per week.

    Parameters
    ----------
    half_fractions_or_selection : mapping or array_like, shape (33,) or (19,)
        ``{"head": 0.5, "right_thigh:front": 1.0}`` (regions or ``"region:side"`` halves ->
        affected fraction), or the affected fraction of every half in
        :data:`bsa.core.regions.PART_NAMES` order (or of every region). [1]
    age_years : float
        [years]
    rule_id : str, optional
        A label rule (:func:`bsa.treatment.label_rules.available_rules`): its frequency is used and
        its amount cap for the patient's age group is compared.
    method : {"auto", "rule_of_hand", "children_table"}, optional
        ``"auto"``: the children's table below 11 years, the rule of hand from 11 on.
    ftu_grams : float, optional
        Grams per fingertip unit; default 0.5 (measured: 0.49 men, 0.43 women). [g]
    applications_per_day : float, optional
        Default: the rule's frequency, or twice a day without a rule. [1/day]
    chart, age_mode : str, optional
        The body-surface chart and how it is read (as in :func:`bsa.estimate`).

    Returns
    -------
    CreamAmount

    Raises
    ------
    BSAInputError
        For bad marks, age, rule, method, grams per unit or frequency.

    Notes
    -----
    The two methods disagree, and the switch at 11 years shows it: the children's table's
    6-10 years row gives about 0.12 g per 1% of body surface (marks spread evenly), its
    adult row about 0.20 g, the rule of hand 0.25 g. The estimate is for discussion; the
    assumptions say which method was used.

    With a cap whose limits the label joins with "or" (one 60 g tube a week or one 100 g
    tube per 2 weeks), every limit is compared (``cap_comparisons``); the summary fields
    use the first.

    Examples
    --------
    Adult, 10% of body surface (the whole front of the trunk is 13%), twice daily:

    >>> est = estimate_amount({"anterior_trunk": 10 / 13}, 40, "opzelura_us_atopic_dermatitis")
    >>> round(est.grams_per_application, 2), round(est.grams_per_week, 1)
    (2.5, 35.0)
    """
    a = float(check_age(age_years))
    m = _resolve_method(method, a)
    g = _ftu_grams(ftu_grams)
    rule: LabelRule | None = None if rule_id is None else load_rule(rule_id)
    if applications_per_day is None:
        per_day = 2.0 if rule is None else rule.frequency_per_day
    else:
        try:
            per_day = float(applications_per_day)
        except (TypeError, ValueError) as exc:
            raise BSAInputError(
                f"applications_per_day must be a number, got {applications_per_day!r}"
            ) from exc
        if not 0.0 < per_day <= 24.0:
            raise BSAInputError(
                f"applications_per_day {applications_per_day!r} is out of range: above 0, at most 24"
            )
    f = _as_fractions(half_fractions_or_selection)
    by_region = _region_contributions(f, a, chart, age_mode)
    total = float(by_region.sum())
    doc = _doc()
    measured = "Long and Finlay 1991 measured 0.49 g for men and 0.43 g for women"
    assumptions = [
        f"1 fingertip unit = {g:g} g ("
        + ("the usual rounding; " if g == 0.5 else "as given; the usual rounding is 0.5 g; ")
        + measured + ")."
    ]
    by_part: dict[str, dict[str, float]] = {}
    if m == "rule_of_hand":
        roh = doc["rule_of_hand"]
        units = total / float(roh["hand_area_percent_bsa"]) * float(roh["fingertip_units_per_hand_area"])
        assumptions.append(
            "Rule of hand (Long, Finlay and Averill 1992): one hand area, taken as 1% of body "
            f"surface, takes half a fingertip unit, about {0.5 * g:g} g, per application."
        )
        if a < _adult_row_from():
            assumptions.append(
                "The rule of hand is built on adult hands: for a child it overstates the amount."
            )
    else:
        row = children_table_row(a)
        weights = region_weights(a, chart, age_mode)
        units = 0.0
        names = doc["children_table"]["body_parts"]
        for key, regions in _body_part_regions().items():
            part, _, side = key.partition(":")
            idx = [REGION_INDEX[r] for r in regions]
            whole = float(weights[idx].sum())
            marked = float(by_region[idx].sum())
            share = min(marked / whole, 1.0) if whole > 0 else 0.0
            part_units = float(row["fingertip_units"][part]) * share
            units += part_units
            if marked > 0:
                by_part[key] = {
                    "label": names[part] + (f" ({side})" if side else ""),
                    "percent_bsa_affected": marked,
                    "percent_bsa_of_part": whole,
                    "share_marked": share,
                    "fingertip_units": part_units,
                    "grams": part_units * g,
                }
        assumptions.append(
            "Children's fingertip units by age and body part (Long, Mills and Finlay 1998), "
            f"row '{row['published_age']}': each body part's units are multiplied by the "
            "share of it that is marked (shares from the Lund-Browder chart at this age)."
        )
        assumptions.extend(doc["children_table"]["region_mapping_notes"][1:])
        if row["published_age"] in ("3-6 months", "adult"):
            assumptions.append(doc["children_table"]["age_convention"])
    grams_app = units * g
    grams_day = grams_app * per_day
    grams_week = grams_day * DAYS_PER_WEEK
    freq = (rule.frequency_text if rule is not None and applications_per_day is None
            else f"{per_day:g} times a day")
    if rule is None and applications_per_day is None:
        freq += ", assumed: no label rule was given"
    assumptions.append(
        f"Applied {freq}, every day, to the same area each time, as a thin layer."
    )
    assumptions.append(
        "Real amounts vary with how thickly the cream is spread, the skin and the size of "
        "the patient: this is an estimate to discuss with the doctor, not a prescription."
    )
    cap = None if rule is None else rule.amount_cap_for(a)
    comparisons: tuple[CapComparison, ...] = ()
    binds = None
    if cap is not None:
        comparisons = tuple(_compare(lim, grams_day, cap) for lim in cap.limits)
        assumptions.extend(cap.notes)
        if cap.is_secondary:
            assumptions.append(
                f"The amount cap for ages {cap.age_group} is from a secondary source, not the "
                f"label text: {cap.source}"
            )
        per_pct = grams_app / total if total > 0 else grams_per_percent_bsa(a, m, ftu_grams=g)
        binds = _binds(cap.limits[0], per_day, per_pct)
    elif rule is not None:
        assumptions.append(
            f"The rule states no amount cap for age {a:g} ({rule.title}; caps cover "
            + "; ".join(c.age_group for c in rule.amount_caps) + ")."
        )
    first = comparisons[0] if comparisons else None
    headline = f"About {grams_app:.1f} g per application, {grams_week:.0f} g a week (estimate)"
    if first is not None:
        headline = f"{headline}. {first.text}"
    return CreamAmount(
        method=m,
        age_years=a,
        percent_bsa=total,
        fingertip_units_per_application=units,
        ftu_grams=g,
        grams_per_application=grams_app,
        applications_per_day=per_day,
        grams_per_day=grams_day,
        grams_per_week=grams_week,
        rule_id=None if rule is None else rule.id,
        cap=cap,
        cap_comparisons=comparisons,
        grams_per_cap_period=None if first is None else first.grams_in_period,
        share_of_cap=None if first is None else first.share_of_limit,
        cap_state=None if first is None else first.state,
        percent_bsa_where_cap_binds=binds,
        by_body_part=by_part,
        assumptions=tuple(assumptions),
        headline=headline,
    )


def _binds(limit: AmountLimit, per_day: float, grams_per_percent: float) -> float:
    percent = limit.grams / limit.period_days / per_day / grams_per_percent
    return math.inf if percent > 100.0 else percent


def percent_bsa_where_amount_cap_binds(rule_id: str, age_years: float, *, method: str = "auto",
                                       ftu_grams: float | None = None,
                                       limit_index: int = 0) -> float:
    """The body surface whose cream would just reach the rule's amount cap at this age.

    Parameters
    ----------
    rule_id : str
    age_years : float
        [years]
    method : {"auto", "rule_of_hand", "children_table"}, optional
    ftu_grams : float, optional
        Default 0.5. [g]
    limit_index : int, optional
        Which limit of the cap (the label joins them with "or"); default the first
        (for ages 12 and older in atopic dermatitis: one 60 g tube per week).

    Returns
    -------
    float
        [% of body surface]; ``inf`` if even the whole body would not reach it, ``nan`` if
        the rule states no amount cap for this age.

    Notes
    -----
    Cap per application = grams / period days / applications per day; divided by the grams
    per 1% of body surface (:func:`grams_per_percent_bsa`; for the children's table, marks
    spread evenly over the body). Adults, twice daily, 60 g per week, 0.25 g per 1%:
    60 / 7 / 2 / 0.25 = 17.14%, below the 20% area limit.

    Examples
    --------
    >>> round(percent_bsa_where_amount_cap_binds("opzelura_us_atopic_dermatitis", 40), 2)
    17.14
    """
    rule = load_rule(rule_id)
    a = float(check_age(age_years))
    cap = rule.amount_cap_for(a)
    if cap is None:
        return math.nan
    if not isinstance(limit_index, int) or not 0 <= limit_index < len(cap.limits):
        raise BSAInputError(
            f"limit_index {limit_index!r} is out of range: this cap has {len(cap.limits)} "
            f"limit(s): {', '.join(lim.words for lim in cap.limits)}"
        )
    per_pct = grams_per_percent_bsa(a, method, ftu_grams=ftu_grams)
    return _binds(cap.limits[limit_index], rule.frequency_per_day, per_pct)
