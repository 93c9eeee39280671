"""Treatment label limits, and how an affected body surface compares with them.

The rules are data: ``charts/label_rules.json`` holds, for each product, jurisdiction and
indication, the minimum age, the largest body surface the label allows to be treated, the
amount caps per age group with the label's words, the limitations of use and the questions
to confirm with the doctor, the label revision, section and source, and whether each value
was read in the label itself (``"label"``) or in a secondary text (``"secondary"``). A new
product or label revision is a change to that file, not to this module.

The comparison never calls an amount or an area acceptable: it says whether the marked area
is within, close to or above the label's area limit, and what to discuss with the doctor.

References
----------
.. [1] OPZELURA (ruxolitinib) cream 1.5%, US prescribing information, Incyte Corporation,
   revised September 2025.
.. [2] Opzelura 15 mg/g cream, Summary of Product Characteristics, European Medicines
   Agency, 2023.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from ..core.charts import check_age, describe_age
from ..data import load_json
from ..errors import BSAInputError

__all__ = [
    "AREA_STATES",
    "SOURCE_KINDS",
    "AmountLimit",
    "AmountCap",
    "LabelRule",
    "LabelCheck",
    "available_rules",
    "load_rule",
    "get_rule",
    "all_rules",
    "check",
    "check_percent_bsa",
]

RULES_FILE = "label_rules.json"
SCHEMA_VERSION = 1

#: The three answers to "how does the marked area compare with the label's area limit".
AREA_STATES: tuple[str, ...] = ("within", "near", "above")
#: Where a value was read: in the label itself, or in another text.
SOURCE_KINDS: tuple[str, ...] = ("label", "secondary")

#: Totals this close to the limit count as at the limit. Sums of chart weights carry
#: floating-point rounding (20% marked may add up to 20.000000000000004). [percentage points]
AT_LIMIT_TOLERANCE = 1e-9

DEFAULT_NEAR_FRACTION = 0.8


@dataclass(frozen=True)
class AmountLimit:
    """One amount limit: at most ``grams`` of cream in any ``period_days`` days.

    Attributes
    ----------
    grams : float
        [g]
    period_days : float
        [days]
    words : str
        The limit in the label's words, e.g. ``"one 60 gram tube per week"``.
    """

    grams: float
    period_days: float
    words: str

    @property
    def grams_per_day(self) -> float:
        """The limit spread evenly over its period. [g/day]"""
        return self.grams / self.period_days

    def to_dict(self) -> dict[str, Any]:
        return {"grams": self.grams, "period_days": self.period_days, "words": self.words,
                "grams_per_day": self.grams_per_day}


@dataclass(frozen=True)
class AmountCap:
    """The label's amount cap for one age group.

    Attributes
    ----------
    age_group : str
        In words, e.g. ``"2 to 11 years"``.
    min_age_years, max_age_years : float, float or None
        The group is ``min_age_years <= age < max_age_years`` (no upper end if None). [years]
    limits : tuple of AmountLimit
        The limits the label joins with "or"; the first is the one summary figures use.
    label_text : str
        The cap in the source's words (if ``label_text_verbatim``) or a paraphrase.
    section, source : str
    source_kind : {"label", "secondary"}
    notes : tuple of str
    label_text_verbatim : bool
        True if ``label_text`` quotes the source; False for a paraphrase.
    """

    age_group: str
    min_age_years: float
    max_age_years: float | None
    limits: tuple[AmountLimit, ...]
    label_text: str
    section: str
    source: str
    source_kind: str
    notes: tuple[str, ...] = ()
    label_text_verbatim: bool = False

    @property
    def grams(self) -> float:
        """Grams allowed per period by the first limit. [g]"""
        return self.limits[0].grams

    @property
    def period_days(self) -> float:
        """Length of the first limit's period. [days]"""
        return self.limits[0].period_days

    @property
    def is_secondary(self) -> bool:
        return self.source_kind == "secondary"

    def applies_to(self, age_years: float) -> bool:
        """True if ``age_years`` is in this age group."""
        return self.min_age_years <= age_years and (
            self.max_age_years is None or age_years < self.max_age_years
        )

    def describe(self) -> str:
        """The cap in one line, with its age group, section and, if so, its secondary source."""
        words = " or ".join(lim.words for lim in self.limits)
        text = f"At most {words} (ages {self.age_group}; label section {self.section})"
        if self.is_secondary:
            text += f". From a secondary source, not the label text: {self.source}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "age_group": self.age_group,
            "min_age_years": self.min_age_years,
            "max_age_years": self.max_age_years,
            "limits": [lim.to_dict() for lim in self.limits],
            "label_text": self.label_text,
            "label_text_verbatim": self.label_text_verbatim,
            "section": self.section,
            "source": self.source,
            "source_kind": self.source_kind,
            "notes": list(self.notes),
            "text": self.describe(),
        }


@dataclass(frozen=True)
class LabelRule:
    """One product's limits for one indication in one jurisdiction, as the label states them.

    Attributes
    ----------
    id : str
        E.g. ``"opzelura_us_atopic_dermatitis"``.
    product, active_ingredient, strength, jurisdiction, indication, indication_text : str
    min_age_years : float
        Youngest age in the indication. [years]
    max_age_years : float or None
        Age from which the indication no longer applies; None if it has no upper age. [years]
    max_percent_bsa : float
        The largest affected area the label allows to be treated. [% of body surface]
    area_text : str
    frequency_per_day : float
        Applications per day. [1/day]
    frequency_text : str
    amount_caps : tuple of AmountCap
        One per age group.
    limitations_of_use : tuple of str
        The label's limitations of use, in its words.
    questions : tuple of str
        What to confirm with the doctor (indication, limitations of use, boxed warning).
    boxed_warning : str or None
    label_revision : str
        The revision transcribed, e.g. ``"2025-09"``.
    label_revision_text : str
    later_revisions_not_transcribed : tuple of str
        Known later revisions whose content is not in this rule.
    section, source : str
    source_kind : {"label", "secondary"}
        Where the rule's age and area limit were read.
    status : str
    wording : str
        Which texts are the source's own words and which are paraphrases.
    notes : tuple of str
    indication_text_verbatim, area_text_verbatim : bool
        True if the text quotes the source (show it as a quotation); False for a paraphrase.
    """

    id: str
    product: str
    active_ingredient: str
    strength: str
    jurisdiction: str
    indication: str
    indication_text: str
    min_age_years: float
    max_age_years: float | None
    max_percent_bsa: float
    area_text: str
    frequency_per_day: float
    frequency_text: str
    amount_caps: tuple[AmountCap, ...]
    limitations_of_use: tuple[str, ...]
    questions: tuple[str, ...]
    boxed_warning: str | None
    label_revision: str
    label_revision_text: str
    later_revisions_not_transcribed: tuple[str, ...]
    section: str
    source: str
    source_kind: str
    status: str
    wording: str = ""
    notes: tuple[str, ...] = field(default=())
    indication_text_verbatim: bool = False
    area_text_verbatim: bool = False

    @property
    def title(self) -> str:
        """E.g. ``"Opzelura (ruxolitinib) cream 1.5%, US: Mild to moderate atopic dermatitis"``."""
        return f"{self.product} {self.strength}, {self.jurisdiction}: {self.indication}"

    @property
    def exclusions(self) -> tuple[str, ...]:
        """The questions to confirm with the doctor (another name for :attr:`questions`)."""
        return self.questions

    @property
    def age_range_text(self) -> str:
        """The indication's ages in words, e.g. ``"2 years and older"``."""
        if self.max_age_years is None:
            return f"{self.min_age_years:g} years and older"
        return f"{self.min_age_years:g} to under {self.max_age_years:g} years"

    @property
    def has_secondary_values(self) -> bool:
        """True if any value of the rule was read in a secondary source."""
        return self.source_kind == "secondary" or any(c.is_secondary for c in self.amount_caps)

    def age_in_indication(self, age_years: float) -> bool:
        return self.min_age_years <= age_years and (
            self.max_age_years is None or age_years < self.max_age_years
        )

    def amount_cap_for(self, age_years: float) -> AmountCap | None:
        """The amount cap of the age group ``age_years`` falls in, or None if none does."""
        a = float(check_age(age_years))
        for cap in self.amount_caps:
            if cap.applies_to(a):
                return cap
        return None

    def source_text(self) -> str:
        """The source, the revision transcribed and the sections, in one line."""
        return f"{self.source} Transcribed from: {self.label_revision_text}; {self.section}."

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {
            "id": self.id,
            "title": self.title,
            "product": self.product,
            "active_ingredient": self.active_ingredient,
            "strength": self.strength,
            "jurisdiction": self.jurisdiction,
            "indication": self.indication,
            "indication_text": self.indication_text,
            "indication_text_verbatim": self.indication_text_verbatim,
            "min_age_years": self.min_age_years,
            "max_age_years": self.max_age_years,
            "age_range_text": self.age_range_text,
            "max_percent_bsa": self.max_percent_bsa,
            "area_text": self.area_text,
            "area_text_verbatim": self.area_text_verbatim,
            "frequency_per_day": self.frequency_per_day,
            "frequency_text": self.frequency_text,
            "amount_caps": [c.to_dict() for c in self.amount_caps],
            "limitations_of_use": list(self.limitations_of_use),
            "questions": list(self.questions),
            "boxed_warning": self.boxed_warning,
            "label_revision": self.label_revision,
            "label_revision_text": self.label_revision_text,
            "later_revisions_not_transcribed": list(self.later_revisions_not_transcribed),
            "section": self.section,
            "source": self.source,
            "source_kind": self.source_kind,
            "status": self.status,
            "wording": self.wording,
            "notes": list(self.notes),
        }


def _rules_doc() -> dict[str, Any]:
    doc = load_json(RULES_FILE)
    version = doc.get("schema_version")
    if version != SCHEMA_VERSION:
        raise BSAInputError(
            f"{RULES_FILE} has schema version {version!r}; this version of bsa reads "
            f"schema version {SCHEMA_VERSION}"
        )
    return doc


def available_rules() -> tuple[str, ...]:
    """Identifiers of the label rules shipped in ``charts/label_rules.json``, in file order.

    Examples
    --------
    >>> "opzelura_us_atopic_dermatitis" in available_rules()
    True
    """
    return tuple(r["id"] for r in _rules_doc()["rules"])


def _source_kind(value: Any, where: str) -> str:
    if value not in SOURCE_KINDS:
        raise BSAInputError(
            f"{where}: source_kind {value!r} is not one of {', '.join(SOURCE_KINDS)}"
        )
    return value


def _build_cap(raw: dict[str, Any], where: str) -> AmountCap:
    limits = tuple(
        AmountLimit(float(lim["grams"]), float(lim["period_days"]), str(lim["words"]))
        for lim in raw["limits"]
    )
    if not limits or any(lim.grams <= 0 or lim.period_days <= 0 for lim in limits):
        raise BSAInputError(f"{where}: an amount cap needs positive grams and period_days")
    return AmountCap(
        age_group=str(raw["age_group"]),
        min_age_years=float(raw["min_age_years"]),
        max_age_years=None if raw.get("max_age_years") is None else float(raw["max_age_years"]),
        limits=limits,
        label_text=str(raw["label_text"]),
        section=str(raw["section"]),
        source=str(raw["source"]),
        source_kind=_source_kind(raw["source_kind"], where),
        notes=tuple(raw.get("notes", ())),
        label_text_verbatim=bool(raw.get("label_text_verbatim", False)),
    )


def load_rule(rule_id: str) -> LabelRule:
    """Return the label rule ``rule_id``.

    Parameters
    ----------
    rule_id : str
        One of :func:`available_rules`.

    Returns
    -------
    LabelRule

    Raises
    ------
    BSAInputError
        For an unknown identifier; the message lists the valid ones.

    Examples
    --------
    >>> rule = load_rule("opzelura_us_atopic_dermatitis")
    >>> rule.max_percent_bsa, rule.min_age_years
    (20.0, 2.0)
    """
    if not isinstance(rule_id, str):
        raise BSAInputError(
            f"a rule id must be a string; valid rules are: {', '.join(available_rules())}"
        )
    return _load_rule(rule_id)


@cache
def _load_rule(rule_id: str) -> LabelRule:
    for raw in _rules_doc()["rules"]:
        if raw["id"] == rule_id:
            break
    else:
        raise BSAInputError(
            f"unknown rule {rule_id!r}; valid rules are: {', '.join(available_rules())}"
        )
    where = f"{RULES_FILE}, rule {rule_id!r}"
    rule = LabelRule(
        id=str(raw["id"]),
        product=str(raw["product"]),
        active_ingredient=str(raw["active_ingredient"]),
        strength=str(raw["strength"]),
        jurisdiction=str(raw["jurisdiction"]),
        indication=str(raw["indication"]),
        indication_text=str(raw["indication_text"]),
        min_age_years=float(raw["min_age_years"]),
        max_age_years=None if raw.get("max_age_years") is None else float(raw["max_age_years"]),
        max_percent_bsa=float(raw["max_percent_bsa"]),
        area_text=str(raw["area_text"]),
        frequency_per_day=float(raw["frequency_per_day"]),
        frequency_text=str(raw["frequency_text"]),
        amount_caps=tuple(
            _build_cap(c, f"{where}, cap {i}") for i, c in enumerate(raw["amount_caps"])
        ),
        limitations_of_use=tuple(raw.get("limitations_of_use", ())),
        questions=tuple(raw.get("questions", ())),
        boxed_warning=raw.get("boxed_warning"),
        label_revision=str(raw["label_revision"]),
        label_revision_text=str(raw["label_revision_text"]),
        later_revisions_not_transcribed=tuple(raw.get("later_revisions_not_transcribed", ())),
        section=str(raw["section"]),
        source=str(raw["source"]),
        source_kind=_source_kind(raw["source_kind"], where),
        status=str(raw["status"]),
        wording=str(raw.get("wording", "")),
        notes=tuple(raw.get("notes", ())),
        indication_text_verbatim=bool(raw.get("verbatim", {}).get("indication_text", False)),
        area_text_verbatim=bool(raw.get("verbatim", {}).get("area_text", False)),
    )
    if not 0 < rule.max_percent_bsa <= 100:
        raise BSAInputError(f"{where}: max_percent_bsa must be above 0 and at most 100")
    if rule.frequency_per_day <= 0:
        raise BSAInputError(f"{where}: frequency_per_day must be positive")
    return rule


#: Another name for :func:`load_rule`.
get_rule = load_rule


def all_rules() -> tuple[LabelRule, ...]:
    """Every shipped rule, in file order."""
    return tuple(load_rule(r) for r in available_rules())


def check_percent_bsa(percent_bsa: Any) -> np.ndarray:
    """Return a total as a float array, or raise if it is not a percentage from 0 to 100.

    Raises
    ------
    BSAInputError
        For NaN, infinity, a negative number, more than 100 or something not a number.
    """
    try:
        p = np.asarray(percent_bsa, dtype=float)
    except (TypeError, ValueError) as exc:
        raise BSAInputError(
            f"the affected body surface must be a number from 0 to 100 %, got {percent_bsa!r}"
        ) from exc
    if p.size and not (p.min() >= 0.0 and p.max() <= 100.0):  # NaN fails both
        bad = p[~((p >= 0.0) & (p <= 100.0))].flat[0]
        what = "not a number" if math.isnan(bad) else f"{bad:g}"
        raise BSAInputError(
            f"affected body surface {what} is out of range: it must be a number from 0 to 100 %"
        )
    return p


@dataclass(frozen=True)
class LabelCheck:
    """How an affected body surface and an age compare with one label rule.

    For array input every per-patient attribute is an array of the broadcast shape; for
    scalar input they are Python scalars.

    Attributes
    ----------
    rule : LabelRule
    percent_bsa : float or ndarray
        The total compared. [% of body surface]
    age_years : float or ndarray
        [years]
    age_eligible : bool or ndarray of bool
        Whether the age is within the indication.
    age_message : str or ndarray of str (object dtype)
    area_state : {"within", "near", "above"} or ndarray of str
        ``"near"`` runs from ``near_fraction`` of the limit up to and including the limit.
    margin_points : float or ndarray
        Limit minus total; negative above the limit. [percentage points]
    share_of_limit : float or ndarray
        Total divided by the limit. [1]
    limit_percent : float
        The label's area limit. [% of body surface]
    near_from_percent : float
        Where the ``"near"`` band starts. [% of body surface]
    headline : str or ndarray of str (object dtype)
        One line for the page, never calling anything acceptable.
    amount_cap : AmountCap or None
        The amount cap of the patient's age group (scalar age only; None for arrays or when
        the label states none for this age).
    questions : tuple of str
    source : str
    revision : str
    notes : tuple of str
        Secondary-source and not-transcribed-revision notices that must be shown.
    """

    rule: LabelRule
    percent_bsa: Any
    age_years: Any
    age_eligible: Any
    age_message: Any
    area_state: Any
    margin_points: Any
    share_of_limit: Any
    limit_percent: float
    near_from_percent: float
    headline: Any
    amount_cap: AmountCap | None
    questions: tuple[str, ...]
    source: str
    revision: str
    notes: tuple[str, ...]

    @property
    def rule_id(self) -> str:
        return self.rule.id

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (arrays become lists)."""

        def plain(x: Any) -> Any:
            return x.tolist() if isinstance(x, np.ndarray) else x

        return {
            "rule_id": self.rule.id,
            "rule_title": self.rule.title,
            "percent_bsa": plain(self.percent_bsa),
            "age_years": plain(self.age_years),
            "age_eligible": plain(self.age_eligible),
            "age_message": plain(self.age_message),
            "area_state": plain(self.area_state),
            "margin_points": plain(self.margin_points),
            "share_of_limit": plain(self.share_of_limit),
            "limit_percent": self.limit_percent,
            "near_from_percent": self.near_from_percent,
            "headline": plain(self.headline),
            "amount_cap": None if self.amount_cap is None else self.amount_cap.to_dict(),
            "questions": list(self.questions),
            "source": self.source,
            "source_kind": self.rule.source_kind,
            "revision": self.revision,
            "notes": list(self.notes),
        }

    def to_text(self) -> str:
        """A few lines of plain text for one patient (scalar input)."""
        if isinstance(self.headline, np.ndarray):
            raise BSAInputError("to_text() describes one patient; this check holds an array")
        lines = [
            self.headline,
            f"Marked: {self.percent_bsa:.1f}% of body surface; label limit "
            f"{self.limit_percent:g}% ({self.rule.title}).",
            f"Margin: {self.margin_points:+.1f} percentage points "
            f"({100 * self.share_of_limit:.0f}% of the limit).",
            self.age_message,
        ]
        if self.amount_cap is not None:
            lines.append("Amount cap: " + self.amount_cap.describe())
        lines.append("To confirm with the doctor:")
        lines.extend(f"  - {q}" for q in self.questions)
        lines.append(f"Source: {self.source}")
        lines.extend(self.notes)
        return "\n".join(lines)


def _area_phrase(state: str, at_limit: bool, limit: float) -> str:
    if state == "above":
        return f"above the label's {limit:g}% area limit"
    if at_limit:
        return f"at the label's {limit:g}% area limit"
    if state == "near":
        return f"within the label's {limit:g}% area limit, close to it"
    return f"within the label's {limit:g}% area limit"


def _headline(state: str, at_limit: bool, eligible: bool, rule: LabelRule) -> str:
    phrase = _area_phrase(state, at_limit, rule.max_percent_bsa)
    if not eligible:
        return (
            f"Outside the label's age range ({rule.age_range_text}): discuss with your doctor"
            f" (the marked area is {phrase})"
        )
    text = phrase[0].upper() + phrase[1:]
    if state == "above":
        text += ": discuss with your doctor"
    return text


def _years(age: float) -> str:
    return describe_age(age)


def _age_message(age: float, eligible: bool, rule: LabelRule) -> str:
    if eligible:
        return f"Age {_years(age)} is within the indication ({rule.age_range_text})."
    return (
        f"Age {_years(age)} is outside the indication ({rule.age_range_text}): "
        "discuss with your doctor."
    )


def _notes(rule: LabelRule, caps: tuple[AmountCap, ...]) -> tuple[str, ...]:
    notes = []
    for c in caps:
        if c.is_secondary:
            notes.append(
                f"The amount cap for ages {c.age_group} is from a secondary source, "
                f"not the label text: {c.source}"
            )
    notes.extend(rule.later_revisions_not_transcribed)
    return tuple(notes)


def check(percent_bsa, age_years, rule_id: str, *,
          near_fraction: float = DEFAULT_NEAR_FRACTION) -> LabelCheck:
    """Compare an affected body surface and an age with a label rule.

    Parameters
    ----------
    percent_bsa : float or array_like
        Affected (to be treated) body surface. [% of body surface, 0 to 100]
    age_years : float or array_like
        Age of the patient, broadcast against ``percent_bsa``. [years]
    rule_id : str
        One of :func:`available_rules`.
    near_fraction : float, optional
        Where the "near the limit" band starts, as a share of the limit (default 0.8: from
        16% for a 20% limit). [1, above 0 and at most 1]

    Returns
    -------
    LabelCheck
        Scalar attributes for scalar input, arrays for array input.

    Raises
    ------
    BSAInputError
        For an unknown rule (the message lists the valid ones), a total that is not a
        number from 0 to 100, a bad age, or ``near_fraction`` outside (0, 1]. An age outside
        the indication is not an error: ``age_eligible`` is False and the headline says so.

    Notes
    -----
    A total exactly at the limit is within it (state ``"near"``, headline "At the label's
    20% area limit"); totals within ``AT_LIMIT_TOLERANCE`` (1e-9 points) of the limit count
    as at it, so the rounding in a sum of chart weights does not flip the answer, while
    20.0000001% of a 20% limit is above it.

    Examples
    --------
    >>> c = check(12.0, 30, "opzelura_us_atopic_dermatitis")
    >>> c.area_state, c.margin_points, c.headline
    ('within', 8.0, "Within the label's 20% area limit")
    >>> check(20.0, 30, "opzelura_us_atopic_dermatitis").headline
    "At the label's 20% area limit"
    """
    rule = load_rule(rule_id)
    try:
        nf = float(near_fraction)
    except (TypeError, ValueError) as exc:
        raise BSAInputError(f"near_fraction must be a number, got {near_fraction!r}") from exc
    if not 0.0 < nf <= 1.0:
        raise BSAInputError(
            f"near_fraction {near_fraction!r} is out of range: it must be above 0 and at most 1"
        )
    p = check_percent_bsa(percent_bsa)
    a = check_age(age_years)
    try:
        p, a = np.broadcast_arrays(p, a)
    except ValueError as exc:
        raise BSAInputError(
            f"{a.size} ages do not match {p.size} totals of shape {p.shape}"
        ) from exc
    limit = rule.max_percent_bsa
    near_from = nf * limit
    above = p > limit + AT_LIMIT_TOLERANCE
    at_limit = ~above & (p >= limit - AT_LIMIT_TOLERANCE)
    near = ~above & (p >= near_from - AT_LIMIT_TOLERANCE)
    state = np.where(above, "above", np.where(near, "near", "within"))
    lo = rule.min_age_years
    eligible = a >= lo
    if rule.max_age_years is not None:
        eligible &= a < rule.max_age_years
    margin = limit - p
    share = p / limit
    scalar = p.ndim == 0
    cap = rule.amount_cap_for(float(a)) if scalar else None
    if scalar:
        st, e = str(state), bool(eligible)
        out = dict(
            percent_bsa=float(p), age_years=float(a), age_eligible=e,
            age_message=_age_message(float(a), e, rule), area_state=st,
            margin_points=float(margin), share_of_limit=float(share),
            headline=_headline(st, bool(at_limit), e, rule),
        )
    else:
        # 3 states x at/not at the limit x eligible or not: 12 possible headlines, looked up
        # rather than formatted per patient; age messages are formatted once per distinct age.
        code = (np.where(above, 2, np.where(near, 1, 0)) * 4 + at_limit * 2 + eligible)
        table = np.array([
            _headline(AREA_STATES[i // 4], bool(i // 2 % 2), bool(i % 2), rule)
            for i in range(12)
        ], dtype=object)  # references, not 130-character fixed-width copies per patient
        ages, inverse = np.unique(a, return_inverse=True)
        messages = np.array(
            [_age_message(float(x), bool(rule.age_in_indication(float(x))), rule) for x in ages]
            or [""], dtype=object
        )
        out = dict(
            percent_bsa=p.copy(), age_years=a.copy(), age_eligible=np.asarray(eligible),
            age_message=messages[inverse.reshape(a.shape)], area_state=state,
            margin_points=margin, share_of_limit=share, headline=table[code],
        )
    return LabelCheck(
        rule=rule,
        limit_percent=limit,
        near_from_percent=near_from,
        amount_cap=cap,
        questions=rule.questions,
        source=rule.source_text(),
        revision=rule.label_revision,
        notes=_notes(rule, (() if cap is None else (cap,)) if scalar else rule.amount_caps),
        **out,
    )
