"""Treatment label rules: what each label says about area, amount, size, age and duration.

The rules are data: ``charts/label_rules.json`` (its format is documented by
``charts/schemas/label_rules.schema.json``) holds one rule per product, indication and
jurisdiction, each with the population's ages, the frequency, the label revision, section
and source, and a list of *limits*: a largest share of body surface (``percent_bsa``), an
amount of cream per period (``grams``), a largest area in square centimetres (``cm2``) or a
longest treatment (``duration_days``), each for an age (or weight) band, with the label's
own words and where they were read. Besides these, a rule may record limits that are shown
but not compared with the marks: a count of the label's own units (``units``: capfuls,
sprays, packets), a number of applications per period (``applications``) and a longest time
on the skin (``application_time_hours``). An amount may be per application (``per:
"application"``) instead of per period, and a limit may apply only under a condition
(``applies_when``, and ``applies_when_percent_bsa_below`` for a condition on the treated
area). A rule may also state an application density, review points, sites to avoid and
occlusion; or say explicitly that the label states no area or amount limit
(``no_stated_limit``). A new product or label revision is a change to that file, not to
this module.

Where a value could not be read in an official copy of the label, ``source_kind`` says so:
``"label"`` (an official copy), ``"mirror"`` (a third party reproducing the label text)
or ``"secondary"`` (another text: a patient leaflet, the maker's website). Every mirror or
secondary value is shown as such wherever it is displayed.

:func:`check` compares totals with a rule's area limit for whole cohorts (arrays);
:mod:`bsa.treatment.limits` evaluates every limit of a rule for one visit.

References
----------
.. [1] OPZELURA (ruxolitinib) cream 1.5%, US prescribing information, Incyte Corporation.
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
from ..core.regions import PART_INDEX, REGION_SIDES, parse_part
from ..data import load_json
from ..errors import BSAInputError

__all__ = [
    "AREA_STATES",
    "LIMIT_KINDS",
    "SOURCE_KINDS",
    "EVALUATED_KINDS",
    "PER_VALUES",
    "DEFAULT_NEAR_FRACTION",
    "Ingredient",
    "Limit",
    "Density",
    "ReviewPoint",
    "LabelRule",
    "LabelCheck",
    "available_rules",
    "load_rule",
    "get_rule",
    "all_rules",
    "find_rules",
    "check",
    "check_percent_bsa",
    "state_of_share",
]

RULES_FILE = "label_rules.json"
SCHEMA_VERSION = 2

#: The three answers to "how does a quantity compare with a limit".
AREA_STATES: tuple[str, ...] = ("within", "near", "above")
#: What a limit limits. The first three are compared with the marks and the cream estimate;
#: the others are shown as information (see :mod:`bsa.treatment.limits`).
LIMIT_KINDS: tuple[str, ...] = ("percent_bsa", "grams", "cm2", "duration_days", "units",
                                "applications", "application_time_hours")
#: Limits compared with the marks (area, estimated grams, area in cm2).
EVALUATED_KINDS: tuple[str, ...] = ("percent_bsa", "grams", "cm2")
#: What an amount can be counted per, besides a period of days.
PER_VALUES: tuple[str, ...] = ("application",)
#: Where a value was read: an official copy of the label, a third party's verbatim copy,
#: or another text (patient leaflet, maker's website, drug reference).
SOURCE_KINDS: tuple[str, ...] = ("label", "mirror", "secondary")

#: Totals this close to a limit count as at the limit. Sums of chart weights carry
#: floating-point rounding (20% marked may add up to 20.000000000000004). [share of limit]
AT_LIMIT_TOLERANCE = 1e-9
#: "Near" a limit from this share of it, up to and including the limit.
DEFAULT_NEAR_FRACTION = 0.8

_SOURCE_WORDS = {
    "label": "the label",
    "mirror": "a copy of the label text on another website, not an official copy",
    "secondary": "a secondary source, not the label text",
}
_SOURCE_MARKS = {
    "label": "",
    "mirror": "copy of the label, not an official one",
    "secondary": "secondary source, not the label",
}


def source_kind_mark(kind: str) -> str:
    """A short marker for a value read outside an official label copy ('' for the label)."""
    return _SOURCE_MARKS[kind]


def source_kind_words(kind: str) -> str:
    """Where a value was read, in words (``"label"`` -> ``"the label"``)."""
    return _SOURCE_WORDS[kind]


@dataclass(frozen=True)
class Ingredient:
    """One active ingredient and its strength, e.g. ``ruxolitinib 1.5%``."""

    name: str
    strength: str

    def __str__(self) -> str:
        return f"{self.name} {self.strength}"


@dataclass(frozen=True)
class Limit:
    """One limit of a label rule, for one age (or weight) band.

    Attributes
    ----------
    kind : str
        One of :data:`LIMIT_KINDS`.
    value : float
        The largest share of body surface [%], amount [g] (per ``period_days`` or per
        application), area [cm2], treatment length [days], count of the label's units
        (``unit``), number of applications (per ``period_days``) or time on the skin per
        application [h] the label allows.
    period_days : float or None
        For ``grams``, ``units`` and ``applications``: the period the amount is for. [days]
    per : {"application"} or None
        For ``grams`` and ``units``: the amount is per application instead of per period.
    unit : str or None
        For ``units``: what is counted (``"capfuls"``, ``"sprays"``).
    applies_when : str or None
        The condition under which the label sets this limit, in words (shown with it).
    applies_when_percent_bsa_below : float or None
        Where the condition is on the treated area: the limit applies only when the treated
        area is below this. [% of body surface]
    age_min_years, age_max_years : float or None
        The band ``[age_min, age_max)``; None for no bound. [years]
    weight_min_kg, weight_max_kg : float or None
        A weight band ``[min, max)`` where the label gives one. [kg]
    words : str
        The limit in the source's words (if ``verbatim``) or a paraphrase.
    verbatim : bool
    section, source, source_url : str
    source_kind : {"label", "mirror", "secondary"}
    notes : tuple of str
    """

    kind: str
    value: float
    words: str
    section: str
    source: str
    source_kind: str
    verbatim: bool = False
    period_days: float | None = None
    per: str | None = None
    unit: str | None = None
    applies_when: str | None = None
    applies_when_percent_bsa_below: float | None = None
    age_min_years: float | None = None
    age_max_years: float | None = None
    weight_min_kg: float | None = None
    weight_max_kg: float | None = None
    source_url: str = ""
    notes: tuple[str, ...] = ()

    @property
    def evaluated(self) -> bool:
        """True if the limit is compared with the marks (area, grams, cm2)."""
        return self.kind in EVALUATED_KINDS

    def applies_at_percent(self, treated_percent_bsa: float) -> bool:
        """False if the limit's area condition excludes this treated area. [%]"""
        below = self.applies_when_percent_bsa_below
        return below is None or treated_percent_bsa < below

    @property
    def condition_text(self) -> str:
        """The condition under which the limit applies, in words, or ``""`` for always."""
        text = self.applies_when or ""
        if self.applies_when_percent_bsa_below is not None:
            text += (f" (treated area below {self.applies_when_percent_bsa_below:g}% of body "
                     "surface)")
        return text

    def applies_to(self, age_years: float, weight_kg: float | None = None) -> bool:
        """True if the limit's age band (and weight band, when the weight is known) holds."""
        if self.age_min_years is not None and age_years < self.age_min_years:
            return False
        if self.age_max_years is not None and age_years >= self.age_max_years:
            return False
        if weight_kg is not None:
            if self.weight_min_kg is not None and weight_kg < self.weight_min_kg:
                return False
            if self.weight_max_kg is not None and weight_kg >= self.weight_max_kg:
                return False
        return True

    @property
    def needs_weight(self) -> bool:
        """True if the limit depends on a weight band."""
        return self.weight_min_kg is not None or self.weight_max_kg is not None

    @property
    def band_text(self) -> str:
        """The age (and weight) band in words, or ``""`` for every age."""
        parts = []
        lo, hi = self.age_min_years, self.age_max_years
        if lo is not None and hi is not None:
            parts.append(f"ages {_years(lo)} to under {_years(hi)}")
        elif lo is not None and lo > 0:
            parts.append(f"ages {_years(lo)} and over")
        elif hi is not None:
            parts.append(f"under {_years(hi)}")
        wlo, whi = self.weight_min_kg, self.weight_max_kg
        if wlo is not None and whi is not None:
            parts.append(f"{wlo:g} to under {whi:g} kg")
        elif wlo is not None:
            parts.append(f"{wlo:g} kg and over")
        elif whi is not None:
            parts.append(f"under {whi:g} kg")
        return ", ".join(parts)

    @property
    def summary(self) -> str:
        """The limit in a few words, e.g. ``"20% of body surface"``, ``"60 g per week"``,
        ``"1 g per application"``, ``"1.5 capfuls per application"``."""
        per = "per application" if self.per == "application" else _per_period(self.period_days)
        if self.kind == "percent_bsa":
            return f"{self.value:g}% of body surface"
        if self.kind == "grams":
            return f"{self.value:g} g {per}"
        if self.kind == "cm2":
            return f"{self.value:g} cm\u00b2"
        if self.kind == "units":
            return f"{self.value:g} {self.unit} {per}"
        if self.kind == "applications":
            return f"{self.value:g} application{'s' if self.value != 1 else ''} {per}"
        if self.kind == "application_time_hours":
            return f"{self.value:g} h on the skin per application"
        return f"{self.value:g} days of treatment"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "value": self.value, "period_days": self.period_days,
            "per": self.per, "unit": self.unit, "evaluated": self.evaluated,
            "applies_when": self.applies_when,
            "applies_when_percent_bsa_below": self.applies_when_percent_bsa_below,
            "condition": self.condition_text,
            "age_min": self.age_min_years, "age_max": self.age_max_years,
            "weight_min_kg": self.weight_min_kg, "weight_max_kg": self.weight_max_kg,
            "summary": self.summary, "band": self.band_text, "words": self.words,
            "verbatim": self.verbatim, "section": self.section, "source": self.source,
            "source_url": self.source_url, "source_kind": self.source_kind,
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Density:
    """An application density the label states: cream per area. [mg/cm2]

    ``source_kind`` is where it was read (default: the rule's).
    """

    mg_per_cm2: float
    words: str
    section: str
    verbatim: bool = False
    source_kind: str = "label"
    source_url: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"mg_per_cm2": self.mg_per_cm2, "words": self.words, "section": self.section,
                "verbatim": self.verbatim, "source_kind": self.source_kind,
                "source_url": self.source_url}


@dataclass(frozen=True)
class ReviewPoint:
    """When the label asks for a review, e.g. re-examine if no improvement within 8 weeks.

    ``source_kind`` is where it was read (default: the rule's).
    """

    after_days: float
    words: str
    section: str
    verbatim: bool = False
    source_kind: str = "label"

    def to_dict(self) -> dict[str, Any]:
        return {"after_days": self.after_days, "words": self.words, "section": self.section,
                "verbatim": self.verbatim, "source_kind": self.source_kind}


def _years(age: float) -> str:
    return describe_age(age) if age < 2 else f"{age:g} years"


def _per_period(days: float | None) -> str:
    if days is None:
        return ""
    periods: dict[float, str] = {1: "per day", 7: "per week", 14: "per 2 weeks",
                                 28: "per 4 weeks", 30: "per month"}
    return periods.get(days, f"per {days:g} days")


@dataclass(frozen=True)
class LabelRule:
    """One product's limits for one indication in one jurisdiction, as the label states them.

    Attributes
    ----------
    id : str
        E.g. ``"opzelura_us_atopic_dermatitis"``.
    product, dosage_form, jurisdiction, indication, indication_text : str
    active_ingredients : tuple of Ingredient
    min_age_years : float
        Youngest age in the indication. [years]
    max_age_years : float or None
        Age from which the indication no longer applies; None if none. [years]
    ages_read : bool
        False if the label's ages could not be read: an age is then not compared with the
        indication (it is said to be unknown, never "within").
    population_source_kind : {"label", "mirror", "secondary"}
        Where the ages were read (default: the rule's ``source_kind``).
    frequency_per_day : float
        Applications per day the label gives (or the project assumes, see the notes). [1/day]
    frequency_text : str
    limits : tuple of Limit
    no_stated_limit : bool
        True if the label states no area, amount or size limit (an answer, not a gap).
    density : Density or None
    review_points : tuple of ReviewPoint
    sites_to_avoid : tuple of str
        Sites the label says not to treat, in words.
    sites_words : str
    avoid_parts : tuple of str
        The project's mapping of those sites onto halves (``"head:front"``): marks there
        make the verdict "not for this site".
    only_parts : tuple of str
        If the label restricts use to some sites (e.g. hands and wrists), the halves they
        map onto; marks elsewhere make the verdict "not for this site". Empty: anywhere.
    occlusion : str or None
    limitations_of_use, questions, notes : tuple of str
    boxed_warning : str or None
    label_revision, label_revision_text : str
    later_revisions_not_transcribed : tuple of str
    section, source, source_url : str
    source_kind : {"label", "mirror", "secondary"}
        Where the rule (its dosage text) was read; a limit, the ages, a density or a
        review point read elsewhere carries its own ``source_kind``.
    could_not_read : tuple of str
        What was looked for in the label and could not be read (said, never invented).
    indication_text_verbatim : bool
    """

    id: str
    product: str
    active_ingredients: tuple[Ingredient, ...]
    dosage_form: str
    jurisdiction: str
    indication: str
    indication_text: str
    min_age_years: float
    max_age_years: float | None
    frequency_per_day: float
    frequency_text: str
    limits: tuple[Limit, ...]
    no_stated_limit: bool
    label_revision: str
    label_revision_text: str
    section: str
    source: str
    source_kind: str
    source_url: str = ""
    density: Density | None = None
    review_points: tuple[ReviewPoint, ...] = ()
    sites_to_avoid: tuple[str, ...] = ()
    sites_words: str = ""
    avoid_parts: tuple[str, ...] = ()
    only_parts: tuple[str, ...] = ()
    occlusion: str | None = None
    limitations_of_use: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    boxed_warning: str | None = None
    later_revisions_not_transcribed: tuple[str, ...] = ()
    could_not_read: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
    indication_text_verbatim: bool = False
    ages_read: bool = True
    population_source_kind: str = "label"

    @property
    def active_ingredient(self) -> str:
        """The active ingredients' names, joined (``"calcipotriene / betamethasone"``)."""
        return " / ".join(i.name for i in self.active_ingredients)

    @property
    def strength(self) -> str:
        return " / ".join(i.strength for i in self.active_ingredients)

    @property
    def title(self) -> str:
        """E.g. ``"Opzelura (ruxolitinib) cream 1.5%, US: Mild to moderate atopic dermatitis"``."""
        return f"{self.product}, {self.jurisdiction}: {self.indication}"

    @property
    def age_range_text(self) -> str:
        """The indication's ages in words, e.g. ``"2 years and older"``."""
        if not self.ages_read:
            return "ages not read in the label"
        if self.max_age_years is None:
            return "every age" if self.min_age_years == 0 else (
                f"{_years(self.min_age_years)} and older")
        if self.min_age_years == 0:
            return f"under {_years(self.max_age_years)}"
        return f"{_years(self.min_age_years)} to under {_years(self.max_age_years)}"

    @property
    def has_unofficial_values(self) -> bool:
        """True if any value of the rule was read outside an official copy of the label."""
        return self.source_kind != "label" or self.population_source_kind != "label" or any(
            lim.source_kind != "label" for lim in self.limits) or (
            self.density is not None and self.density.source_kind != "label")

    @property
    def has_evaluated_limits(self) -> bool:
        """True if any limit is compared with the marks (area, grams or cm2)."""
        return any(lim.evaluated for lim in self.limits)

    @property
    def max_percent_bsa(self) -> float | None:
        """The largest area limit of any age band, or None if the rule has none. [%]"""
        values = [lim.value for lim in self.limits if lim.kind == "percent_bsa"]
        return max(values) if values else None

    def age_in_indication(self, age_years: float) -> bool:
        """True if the age is in the indication (always, when the ages could not be read)."""
        if not self.ages_read:
            return True
        return self.min_age_years <= age_years and (
            self.max_age_years is None or age_years < self.max_age_years
        )

    def limits_for(self, age_years: float, weight_kg: float | None = None,
                   kind: str | None = None) -> tuple[Limit, ...]:
        """The limits that apply at this age (and weight), optionally of one kind."""
        a = float(check_age(age_years))
        return tuple(lim for lim in self.limits
                     if lim.applies_to(a, weight_kg) and (kind is None or lim.kind == kind))

    def limits_read_for(self, age_years: float) -> bool:
        """True if the label's limits for this age are known: it states none
        (``no_stated_limit``), or an area, amount or size limit applies at this age.

        False means the limits that may apply at this age could not be read (see
        ``could_not_read``): the tool then says so instead of "the label states no limit".
        """
        return self.no_stated_limit or any(lim.evaluated for lim in self.limits_for(age_years))

    def area_limit_for(self, age_years: float) -> Limit | None:
        """The tightest %BSA limit at this age, or None if the label states none."""
        found = self.limits_for(age_years, kind="percent_bsa")
        return min(found, key=lambda lim: lim.value) if found else None

    def source_text(self) -> str:
        """The source, the revision transcribed and the sections, in one line."""
        text = f"{self.source} Transcribed from: {self.label_revision_text}; {self.section}."
        if self.source_kind != "label":
            text += f" Read in {source_kind_words(self.source_kind)}."
        return text

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (what ``python -m bsa rules --json`` prints)."""
        return {
            "id": self.id,
            "title": self.title,
            "product": self.product,
            "active_ingredients": [{"name": i.name, "strength": i.strength}
                                   for i in self.active_ingredients],
            "dosage_form": self.dosage_form,
            "jurisdiction": self.jurisdiction,
            "indication": self.indication,
            "indication_text": self.indication_text,
            "indication_text_verbatim": self.indication_text_verbatim,
            "min_age_years": self.min_age_years,
            "max_age_years": self.max_age_years,
            "ages_read": self.ages_read,
            "population_source_kind": self.population_source_kind,
            "age_range_text": self.age_range_text,
            "frequency_per_day": self.frequency_per_day,
            "frequency_text": self.frequency_text,
            "no_stated_limit": self.no_stated_limit,
            "limits": [lim.to_dict() for lim in self.limits],
            "density": None if self.density is None else self.density.to_dict(),
            "review_points": [r.to_dict() for r in self.review_points],
            "sites_to_avoid": list(self.sites_to_avoid),
            "sites_words": self.sites_words,
            "only_parts": list(self.only_parts),
            "avoid_parts": list(self.avoid_parts),
            "occlusion": self.occlusion,
            "limitations_of_use": list(self.limitations_of_use),
            "questions": list(self.questions),
            "boxed_warning": self.boxed_warning,
            "revision": self.label_revision,
            "label_revision": self.label_revision,
            "label_revision_text": self.label_revision_text,
            "later_revisions_not_transcribed": list(self.later_revisions_not_transcribed),
            "section": self.section,
            "source": self.source,
            "source_url": self.source_url,
            "source_kind": self.source_kind,
            "could_not_read": list(self.could_not_read),
            "notes": list(self.notes),
        }


# ----------------------------------------------------------------------------- loading


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


def _optional_float(raw: dict[str, Any], key: str) -> float | None:
    value = raw.get(key)
    return None if value is None else float(value)


#: Limit kinds counted per period or per application, and those needing a period.
_PER_KINDS = ("grams", "units")
_PERIOD_KINDS = ("grams", "units", "applications")


def _build_limit(raw: dict[str, Any], rule: dict[str, Any], where: str) -> Limit:
    kind = raw["kind"]
    if kind not in LIMIT_KINDS:
        raise BSAInputError(f"{where}: limit kind {kind!r} is not one of {', '.join(LIMIT_KINDS)}")
    value = float(raw["value"])
    if not (math.isfinite(value) and value > 0):
        raise BSAInputError(f"{where}: a limit's value must be a positive number")
    if kind == "percent_bsa" and value > 100:
        raise BSAInputError(f"{where}: a %BSA limit is at most 100")
    period = _optional_float(raw, "period_days")
    per = raw.get("per")
    if per is not None and (per not in PER_VALUES or kind not in _PER_KINDS):
        raise BSAInputError(f"{where}: 'per' is {', '.join(PER_VALUES)} and only for a "
                            f"{' or '.join(_PER_KINDS)} limit, got {per!r} for {kind!r}")
    if kind in _PERIOD_KINDS:
        if (period is None) == (per is None):
            raise BSAInputError(f"{where}: a {kind} limit has either period_days or "
                                "per: 'application' (not both)" if kind in _PER_KINDS
                                else f"{where}: an applications limit has period_days")
    elif period is not None:
        raise BSAInputError(f"{where}: only a {', '.join(_PERIOD_KINDS)} limit has period_days")
    if period is not None and not (math.isfinite(period) and period > 0):
        raise BSAInputError(f"{where}: period_days must be positive")
    unit = raw.get("unit")
    if (kind == "units") != (unit is not None) or (unit is not None and not str(unit).strip()):
        raise BSAInputError(f"{where}: a units limit (and only a units limit) names its unit")
    applies_when = raw.get("applies_when")
    if applies_when is not None and not str(applies_when).strip():
        raise BSAInputError(f"{where}: applies_when must say the condition in words")
    below = _optional_float(raw, "applies_when_percent_bsa_below")
    if below is not None:
        if not (math.isfinite(below) and 0 < below <= 100):
            raise BSAInputError(f"{where}: applies_when_percent_bsa_below is above 0, at most 100")
        if applies_when is None:
            raise BSAInputError(f"{where}: a limit with applies_when_percent_bsa_below says "
                                "the condition in words (applies_when)")
    return Limit(
        kind=kind, value=value, period_days=period, per=per,
        unit=None if unit is None else str(unit),
        applies_when=None if applies_when is None else str(applies_when),
        applies_when_percent_bsa_below=below,
        age_min_years=_optional_float(raw, "age_min"),
        age_max_years=_optional_float(raw, "age_max"),
        weight_min_kg=_optional_float(raw, "weight_min_kg"),
        weight_max_kg=_optional_float(raw, "weight_max_kg"),
        words=str(raw["words"]), verbatim=bool(raw.get("verbatim", False)),
        section=str(raw.get("section", rule.get("section", ""))),
        source=str(raw.get("source", rule["source"])),
        source_url=str(raw.get("source_url") or ""),
        source_kind=_source_kind(raw.get("source_kind", rule["source_kind"]), where),
        notes=tuple(raw.get("notes", ())),
    )


def _parts(names: Any, where: str) -> tuple[str, ...]:
    """Region or half names -> the halves they cover (checked)."""
    out: list[str] = []
    for name in names or ():
        try:
            region, side = parse_part(name)
        except BSAInputError as exc:
            raise BSAInputError(f"{where}: {exc}") from None
        out.extend(f"{region}:{s}" for s in ((side,) if side else REGION_SIDES[region]))
    return tuple(dict.fromkeys(out))


def load_rule(rule_id: str) -> LabelRule:
    """Return the label rule ``rule_id``.

    Raises
    ------
    BSAInputError
        For an unknown identifier; the message lists the valid ones.

    Examples
    --------
    >>> rule = load_rule("opzelura_us_atopic_dermatitis")
    >>> rule.area_limit_for(30).value, rule.min_age_years
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
    try:
        return _build_rule(raw, where)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, BSAInputError):
            raise
        raise BSAInputError(f"{where} is malformed: {exc!r}") from None


def _build_rule(raw: dict[str, Any], where: str) -> LabelRule:
    population = raw["population"]
    density = raw.get("density")
    limits = tuple(_build_limit(lim, raw, f"{where}, limit {i}")
                   for i, lim in enumerate(raw.get("limits", ())))
    rule = LabelRule(
        id=str(raw["id"]),
        product=str(raw["product"]),
        active_ingredients=tuple(Ingredient(str(i["name"]), str(i["strength"]))
                                 for i in raw["active_ingredients"]),
        dosage_form=str(raw.get("dosage_form", "")),
        jurisdiction=str(raw["jurisdiction"]),
        indication=str(raw["indication"]),
        indication_text=str(raw.get("indication_text") or ""),
        indication_text_verbatim=bool(raw.get("indication_text_verbatim", False)),
        min_age_years=float(population.get("min_age_years") or 0.0),
        max_age_years=_optional_float(population, "max_age_years"),
        ages_read=bool(population.get("ages_read", True)),
        population_source_kind=_source_kind(
            population.get("source_kind", raw["source_kind"]), f"{where}, population"),
        frequency_per_day=float(raw["frequency_per_day"]),
        frequency_text=str(raw["frequency_text"]),
        limits=limits,
        no_stated_limit=bool(raw.get("no_stated_limit", False)),
        density=None if density is None else Density(
            float(density["mg_per_cm2"]), str(density["words"]), str(density["section"]),
            bool(density.get("verbatim", False)),
            _source_kind(density.get("source_kind", raw["source_kind"]), f"{where}, density"),
            str(density.get("source_url") or "")),
        review_points=tuple(
            ReviewPoint(float(r["after_days"]), str(r["words"]), str(r.get("section", "")),
                        bool(r.get("verbatim", False)),
                        _source_kind(r.get("source_kind", raw["source_kind"]),
                                     f"{where}, review point"))
            for r in raw.get("review_points", ())),
        sites_to_avoid=tuple(raw.get("sites_to_avoid", ())),
        sites_words=str(raw.get("sites_words") or ""),
        avoid_parts=_parts(raw.get("avoid_regions"), where),
        only_parts=_parts(raw.get("only_regions"), where),
        occlusion=raw.get("occlusion"),
        limitations_of_use=tuple(raw.get("limitations_of_use", ())),
        questions=tuple(raw.get("questions", ())),
        boxed_warning=raw.get("boxed_warning"),
        label_revision=str(raw.get("label_revision") or "not printed in the copy read"),
        label_revision_text=str(raw["label_revision_text"]),
        later_revisions_not_transcribed=tuple(raw.get("later_revisions_not_transcribed", ())),
        section=str(raw["section"]),
        source=str(raw["source"]),
        source_url=str(raw.get("source_url") or ""),
        source_kind=_source_kind(raw["source_kind"], where),
        could_not_read=tuple(raw.get("could_not_read", ())),
        notes=tuple(raw.get("notes", ())),
    )
    if not (math.isfinite(rule.frequency_per_day) and rule.frequency_per_day > 0):
        raise BSAInputError(f"{where}: frequency_per_day must be positive")
    if rule.no_stated_limit and rule.has_evaluated_limits:
        raise BSAInputError(f"{where}: a rule with no_stated_limit has no area or amount limit")
    if not rule.ages_read and (rule.min_age_years > 0 or rule.max_age_years is not None):
        raise BSAInputError(f"{where}: a population whose ages were not read has no ages")
    if rule.density is not None and not (math.isfinite(rule.density.mg_per_cm2)
                                         and rule.density.mg_per_cm2 > 0):
        raise BSAInputError(f"{where}: a density is a positive number of mg per cm2")
    return rule


#: Another name for :func:`load_rule`.
get_rule = load_rule


def all_rules() -> tuple[LabelRule, ...]:
    """Every shipped rule, in file order."""
    return tuple(load_rule(r) for r in available_rules())


def find_rules(text: str = "") -> tuple[LabelRule, ...]:
    """The rules whose product, active ingredients, indication, jurisdiction or id contain
    every word of ``text`` (case-insensitive); all rules for an empty text.

    Examples
    --------
    >>> [r.id for r in find_rules("ruxolitinib vitiligo eu")]
    ['opzelura_eu_vitiligo']
    """
    if not isinstance(text, str):
        raise BSAInputError(f"a search text must be a string, got {text!r}")
    words = text.casefold().split()
    found = []
    for rule in all_rules():
        hay = " ".join([rule.id, rule.product, rule.active_ingredient, rule.indication,
                        rule.jurisdiction, rule.dosage_form]).casefold()
        if all(w in hay for w in words):
            found.append(rule)
    return tuple(found)


# ----------------------------------------------------------------------------- checking


def check_percent_bsa(percent_bsa: Any) -> np.ndarray:
    """Return a total as a float array, or raise if it is not a percentage from 0 to 100.

    Raises
    ------
    BSAInputError
        For NaN, infinity, a negative number, more than 100 or something not a number.
    """
    try:
        p = np.asarray(percent_bsa, dtype=float)
    except (TypeError, ValueError, OverflowError) as exc:
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


def state_of_share(share, near_fraction: float = DEFAULT_NEAR_FRACTION):
    """``"within"``, ``"near"`` (from ``near_fraction`` of a limit up to and including it) or
    ``"above"`` for a quantity's share of its limit (scalar or array)."""
    s = np.asarray(share, dtype=float)
    above = s > 1.0 + AT_LIMIT_TOLERANCE
    near = ~above & (s >= near_fraction - AT_LIMIT_TOLERANCE)
    out = np.where(above, "above", np.where(near, "near", "within"))
    return str(out) if out.ndim == 0 else out


def check_near_fraction(near_fraction: Any) -> float:
    """Return ``near_fraction`` as a float in (0, 1], or raise."""
    try:
        nf = float(near_fraction)
    except (TypeError, ValueError, OverflowError) as exc:
        raise BSAInputError(f"near_fraction must be a number, got {near_fraction!r}") from exc
    if not 0.0 < nf <= 1.0:
        raise BSAInputError(
            f"near_fraction {near_fraction!r} is out of range: it must be above 0 and at most 1"
        )
    return nf


@dataclass(frozen=True)
class LabelCheck:
    """How an affected body surface and an age compare with one rule's area limit.

    For array input every per-patient attribute is an array of the broadcast shape; for
    scalar input they are Python scalars. ``area_state`` is ``"no_stated_limit"`` for a
    patient whose age band has no %BSA limit in the label.

    Attributes
    ----------
    rule : LabelRule
    percent_bsa, age_years : float or ndarray
    age_eligible : bool or ndarray of bool
    area_state : str or ndarray of str
        ``"within"``, ``"near"``, ``"above"`` or ``"no_stated_limit"``.
    limit_percent : float or ndarray
        The area limit at each age (NaN where none). [%]
    margin_points, share_of_limit : float or ndarray
        Limit minus total [percentage points]; total over limit [1] (NaN without a limit).
    near_from_percent : float or ndarray
    headline, age_message : str or ndarray of str (object dtype)
    source, revision : str
    questions, notes : tuple of str
    """

    rule: LabelRule
    percent_bsa: Any
    age_years: Any
    age_eligible: Any
    age_message: Any
    area_state: Any
    margin_points: Any
    share_of_limit: Any
    limit_percent: Any
    near_from_percent: Any
    headline: Any
    questions: tuple[str, ...]
    source: str
    revision: str
    notes: tuple[str, ...]

    @property
    def rule_id(self) -> str:
        return self.rule.id

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (arrays become lists, NaN becomes None)."""

        def plain(x: Any) -> Any:
            if isinstance(x, np.ndarray):
                if x.dtype.kind == "f":
                    if x.ndim == 1:
                        return [None if math.isnan(v) else v for v in x.tolist()]
                    cells = x.astype(object)
                    cells[np.isnan(x)] = None
                    return cells.tolist()
                return x.tolist()
            if isinstance(x, float) and math.isnan(x):
                return None
            return x

        return {
            "rule_id": self.rule.id, "rule_title": self.rule.title,
            "percent_bsa": plain(self.percent_bsa), "age_years": plain(self.age_years),
            "age_eligible": plain(self.age_eligible), "age_message": plain(self.age_message),
            "area_state": plain(self.area_state), "margin_points": plain(self.margin_points),
            "share_of_limit": plain(self.share_of_limit),
            "limit_percent": plain(self.limit_percent),
            "near_from_percent": plain(self.near_from_percent),
            "headline": plain(self.headline), "questions": list(self.questions),
            "source": self.source, "source_kind": self.rule.source_kind,
            "revision": self.revision, "notes": list(self.notes),
        }


def area_phrase(state: str, at_limit: bool, limit: float | None,
                limits_read: bool = True) -> str:
    """How a total compares with an area limit, in words (never "safe").

    ``limits_read=False``: the label's limits for this age could not be read, so the
    absence of an area limit is not the label's answer.
    """
    if state == "no_stated_limit" or limit is None:
        if not limits_read:
            return "no limit of the label could be read for this age"
        return "the label states no area limit for this age"
    if state == "above":
        return f"above the label's {limit:g}% area limit"
    if at_limit:
        return f"at the label's {limit:g}% area limit"
    if state == "near":
        return f"within the label's {limit:g}% area limit, close to it"
    return f"within the label's {limit:g}% area limit"


def _headline(state: str, at_limit: bool, eligible: bool, rule: LabelRule,
              limit: float | None, limits_read: bool = True) -> str:
    phrase = area_phrase(state, at_limit, limit, limits_read)
    if not eligible:
        return (f"Outside the label's age range ({rule.age_range_text}): discuss with your "
                f"doctor (the marked area is {phrase})")
    text = phrase[0].upper() + phrase[1:]
    if state == "above":
        text += ": discuss with your doctor"
    return text


def age_message(age: float, rule: LabelRule) -> str:
    """Whether an age is in the indication, in words (the age never rounded across it)."""
    if not rule.ages_read:
        return (f"The label's ages could not be read: confirm with your doctor that the "
                f"indication covers age {describe_age(age)}.")
    if rule.age_in_indication(age):
        return f"Age {describe_age(age)} is within the indication ({rule.age_range_text})."
    return (f"Age {describe_age(age)} is outside the indication ({rule.age_range_text}): "
            "discuss with your doctor.")


def rule_notices(rule: LabelRule, limits: tuple[Limit, ...] | None = None) -> tuple[str, ...]:
    """The notices that must be shown with a rule besides its source: which of its ages,
    the given limits (default all), its density and review points were read outside an
    official label copy, and later revisions not transcribed."""
    notes = []
    by_kind: dict[str, list[str]] = {}
    if rule.population_source_kind != "label":
        by_kind.setdefault(rule.population_source_kind, []).append(
            f"the ages ({rule.age_range_text})")
    for lim in rule.limits if limits is None else limits:
        if lim.source_kind != "label":
            by_kind.setdefault(lim.source_kind, []).append(
                lim.summary + (f" ({lim.band_text})" if lim.band_text else ""))
    if rule.density is not None and rule.density.source_kind != "label":
        by_kind.setdefault(rule.density.source_kind, []).append(
            f"the density of {rule.density.mg_per_cm2:g} mg/cm\u00b2")
    for point in rule.review_points:
        if point.source_kind != "label":
            by_kind.setdefault(point.source_kind, []).append(
                f"the review point after {point.after_days:g} days")
    for kind, names in by_kind.items():
        notes.append(f"Read in {source_kind_words(kind)}: {', '.join(names)}.")
    notes.extend(rule.later_revisions_not_transcribed)
    return tuple(dict.fromkeys(notes))


def check(percent_bsa, age_years, rule_id: str, *,
          near_fraction: float = DEFAULT_NEAR_FRACTION) -> LabelCheck:
    """Compare affected body surfaces and ages with a rule's area limit (cohorts welcome).

    Parameters
    ----------
    percent_bsa : float or array_like
        Body surface to be treated. [% of body surface, 0 to 100]
    age_years : float or array_like
        Age of each patient, broadcast against ``percent_bsa``. [years]
    rule_id : str
        One of :func:`available_rules`.
    near_fraction : float, optional
        Where "near the limit" starts, as a share of it (default 0.8). [1, in (0, 1]]

    Returns
    -------
    LabelCheck

    Raises
    ------
    BSAInputError
        For an unknown rule, a total outside 0-100, a bad age or ``near_fraction``. An age
        outside the indication is not an error: ``age_eligible`` is False.

    Notes
    -----
    Only the area limit is compared here; amount, size and duration limits need the marks
    and the cream estimate (see :func:`bsa.evaluate`). A total exactly at the limit is
    "near" and "at the label's ... limit"; within ``AT_LIMIT_TOLERANCE`` counts as at it.

    Examples
    --------
    >>> c = check(12.0, 30, "opzelura_us_atopic_dermatitis")
    >>> c.area_state, c.margin_points, c.headline
    ('within', 8.0, "Within the label's 20% area limit")
    >>> check(20.0, 30, "opzelura_us_atopic_dermatitis").headline
    "At the label's 20% area limit"
    """
    rule = load_rule(rule_id)
    nf = check_near_fraction(near_fraction)
    p = check_percent_bsa(percent_bsa)
    a = check_age(age_years)
    try:
        p, a = np.broadcast_arrays(p, a)
    except ValueError as exc:
        raise BSAInputError(f"{a.size} ages do not match {p.size} totals of shape {p.shape}") from exc
    ages, inverse = np.unique(a, return_inverse=True)
    limits = np.array([np.nan if (lim := rule.area_limit_for(float(x))) is None else lim.value
                       for x in ages] or [np.nan])[inverse.reshape(a.shape)]
    has_limit = ~np.isnan(limits)
    share = np.where(has_limit, p / np.where(has_limit, limits, 1.0), np.nan)
    state = np.where(has_limit, state_of_share(np.nan_to_num(share), nf), "no_stated_limit")
    at_limit = has_limit & (np.abs(np.nan_to_num(share) - 1.0) <= AT_LIMIT_TOLERANCE)
    eligible = a >= rule.min_age_years
    if rule.max_age_years is not None:
        eligible &= a < rule.max_age_years
    if not rule.ages_read:
        eligible = np.ones(a.shape, dtype=bool)
    read = np.array([rule.limits_read_for(float(x)) for x in ages]
                    or [True])[inverse.reshape(a.shape)]
    # Few distinct headlines and messages in a cohort: format each once, then look up.
    lim_values, lim_idx = np.unique(np.nan_to_num(limits, nan=-1.0), return_inverse=True)
    state_idx = np.select([state == s for s in (*AREA_STATES, "no_stated_limit")], range(4))
    code = ((((lim_idx.reshape(a.shape) * 4 + state_idx) * 2 + at_limit) * 2 + eligible) * 2
            + read)
    codes, code_inverse = np.unique(code, return_inverse=True)
    states = (*AREA_STATES, "no_stated_limit")
    table = []
    for c in codes.tolist():
        rest, r = divmod(c, 2)
        rest, e = divmod(rest, 2)
        rest, at = divmod(rest, 2)
        li, si = divmod(rest, 4)
        value = float(lim_values[li])
        table.append(_headline(states[si], bool(at), bool(e), rule,
                               None if value < 0 else value, bool(r)))
    headline = np.array(table, dtype=object)[code_inverse.reshape(a.shape)]
    message = np.array([age_message(float(x), rule) for x in ages] or [""],
                       dtype=object)[inverse.reshape(a.shape)]
    margin = limits - p
    near_from = nf * limits
    if p.ndim == 0:
        def one(x):
            return x.item() if isinstance(x, np.ndarray) else x
        out = dict(percent_bsa=float(p), age_years=float(a), age_eligible=bool(eligible),
                   age_message=one(message), area_state=str(state), margin_points=float(margin),
                   share_of_limit=float(share), limit_percent=float(limits),
                   near_from_percent=float(near_from), headline=one(headline))
    else:
        out = dict(percent_bsa=p.copy(), age_years=a.copy(), age_eligible=np.asarray(eligible),
                   age_message=message, area_state=state, margin_points=margin,
                   share_of_limit=share, limit_percent=limits, near_from_percent=near_from,
                   headline=headline)
    return LabelCheck(rule=rule, questions=rule.questions, source=rule.source_text(),
                      revision=rule.label_revision, notes=rule_notices(rule), **out)


def parts_index(names: tuple[str, ...]) -> np.ndarray:
    """Indices in :data:`bsa.core.regions.PART_NAMES` of half names."""
    return np.array([PART_INDEX[n] for n in names], dtype=int)
