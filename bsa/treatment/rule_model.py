"""What a topical treatment's label says: the rule, its limits, density and review points.

The data model of one label rule (:class:`LabelRule`: one product, indication and
jurisdiction) and its parts: each :class:`Limit` (a share of body surface, grams per
period or per application, an area in cm2, a treatment length, and counts shown but not
compared) for an age or weight band, with the label's words and where they were read; an
application :class:`Density`; :class:`ReviewPoint` s. The rules themselves are data, read
by :mod:`bsa.treatment.rule_library`.

This module is long because each class carries its documented fields, its JSON form and
its words; it holds one concept, the rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .._renamed import renamed_argument
from ..core.charts import check_age, describe_age
from ..i18n import N_, _, current_language, ngettext, num, sentence

__all__ = ["LIMIT_KINDS", "EVALUATED_KINDS", "PER_VALUES", "SOURCE_KINDS", "Ingredient",
           "Limit", "Density", "ReviewPoint", "LabelRule", "source_kind_mark",
           "source_kind_words"]

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
#: The label's revision when the copy read printed none (in English; shown translated).
NOT_PRINTED = N_("not printed in the copy read")

_SOURCE_WORDS = {
    "label": N_("the label"),
    "mirror": N_("a copy of the label text on another website, not an official copy"),
    "secondary": N_("a secondary source, not the label text"),
}
_SOURCE_MARKS = {
    "label": "",
    "mirror": N_("copy of the label, not an official one"),
    "secondary": N_("secondary source, not the label"),
}


def source_kind_mark(kind: str) -> str:
    """A short marker for a value read outside an official label copy ('' for the label)."""
    return _(_SOURCE_MARKS[kind])


def source_kind_words(kind: str) -> str:
    """Where a value was read, in words (``"label"`` -> ``"the label"``)."""
    return _(_SOURCE_WORDS[kind])


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
        text = _(self.applies_when) if self.applies_when else ""
        if self.applies_when_percent_bsa_below is not None:
            text += " " + _("(treated area below {percent}% of body surface)").format(
                percent=num(self.applies_when_percent_bsa_below, "g"))
        return text

    @renamed_argument("age_years", "age")
    def applies_to(self, age: float, weight_kg: float | None = None) -> bool:
        """True if the limit's age band (and weight band, when the weight is known) holds
        at ``age`` [years] (and ``weight_kg`` [kg])."""
        if self.age_min_years is not None and age < self.age_min_years:
            return False
        if self.age_max_years is not None and age >= self.age_max_years:
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
            parts.append(_("ages {low} to under {high}").format(low=_years(lo), high=_years(hi)))
        elif lo is not None and lo > 0:
            parts.append(_("ages {low} and over").format(low=_years(lo)))
        elif hi is not None:
            parts.append(_("under {high}").format(high=_years(hi)))
        wlo, whi = self.weight_min_kg, self.weight_max_kg
        if wlo is not None and whi is not None:
            parts.append(_("{low} to under {high} kg").format(low=num(wlo, "g"),
                                                              high=num(whi, "g")))
        elif wlo is not None:
            parts.append(_("{low} kg and over").format(low=num(wlo, "g")))
        elif whi is not None:
            parts.append(_("under {high} kg").format(high=num(whi, "g")))
        return ", ".join(parts)

    @property
    def summary(self) -> str:
        """The limit in a few words, e.g. ``"20% of body surface"``, ``"60 g per week"``,
        ``"1 g per application"``, ``"1.5 capfuls per application"``."""
        value = num(self.value, "g")
        if self.kind == "percent_bsa":
            return _("{value}% of body surface").format(value=value)
        if self.kind == "cm2":
            return _("{value} cm\u00b2").format(value=value)
        if self.kind == "application_time_hours":
            return _("{value} h on the skin per application").format(value=value)
        if self.kind == "duration_days":
            return _("{value} days of treatment").format(value=value)
        if self.per == "application":
            template = {"grams": _("{value} g per application"),
                        "units": _("{value} {unit} per application"),
                        "applications": ngettext("{value} application per application",
                                                 "{value} applications per application",
                                                 self.value)}[self.kind]
            return template.format(value=value, unit=_(self.unit) if self.unit else "")
        template = {"grams": _("{value} g {per}"), "units": _("{value} {unit} {per}"),
                    "applications": ngettext("{value} application {per}",
                                             "{value} applications {per}", self.value)}[self.kind]
        return template.format(value=value, unit=_(self.unit) if self.unit else "",
                               per=_per_period(self.period_days)).rstrip()

    @property
    def per_words(self) -> str:
        """What an amount is counted per, in words: ``"per week"``, ``"per application"``, or
        ``""``."""
        return _("per application") if self.per == "application" else _per_period(
            self.period_days)

    def words_shown(self) -> str:
        """The label's words as shown inside a sentence of the current language.

        In English, the words themselves. In another language they stay quoted in the
        label's language, followed by :meth:`paraphrase` marked as a paraphrase: a label's
        words are never translated.
        """
        words = self.words.rstrip(".")
        if current_language() == "en":
            return words
        return _("the label's words: \u201c{words}\u201d; in short (a paraphrase, not the "
                 "label's words): {paraphrase}").format(
            words=words, paraphrase=self.paraphrase().rstrip(".\u0964"))

    def paraphrase(self) -> str:
        """The limit as a rule, in the current language, built from its kind, value, period
        and band (never from its words): what is printed after the label's own words when
        they are quoted in another language than the text around them.

        Examples
        --------
        >>> lim = Limit("grams", 60, "Do not use more than 60 grams per week.", "2", "x",
        ...             "label", period_days=7, age_min_years=12)
        >>> lim.paraphrase()
        'At most 60 g per week (ages 12 years and over).'
        """
        band = self.band_text
        text = {"percent_bsa": _("On at most {summary}"),
                "cm2": _("On at most {summary} of skin"),
                "duration_days": _("For at most {summary}"),
                "application_time_hours": _("At most {summary}")}.get(self.kind) or _(
            "At most {summary}")
        text = text.format(summary=self.summary)
        if self.condition_text:
            text = _("{limit}, only for {condition}").format(limit=text,
                                                            condition=self.condition_text)
        if band:
            text = _("{limit} ({band})").format(limit=text, band=band)
        return sentence(text)

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

    def paraphrase(self) -> str:
        """The review point in the current language, built from :attr:`after_days` (never
        from its words).

        Examples
        --------
        >>> ReviewPoint(56, "Re-examine if no improvement within 8 weeks.", "2.1").paraphrase()
        'The label asks for a review by the doctor after 8 weeks.'
        """
        if self.after_days % 7 == 0:
            return ngettext("The label asks for a review by the doctor after {n} week.",
                            "The label asks for a review by the doctor after {n} weeks.",
                            self.after_days // 7).format(n=num(self.after_days / 7, "g"))
        return ngettext("The label asks for a review by the doctor after {n} day.",
                        "The label asks for a review by the doctor after {n} days.",
                        self.after_days).format(n=num(self.after_days, "g"))

    def words_shown(self) -> str:
        """The label's words, as :meth:`Limit.words_shown` shows a limit's: themselves in
        English; quoted, with :meth:`paraphrase`, in another language."""
        if current_language() == "en":
            return self.words
        return _("the label's words: \u201c{words}\u201d; in short (a paraphrase, not the "
                 "label's words): {paraphrase}").format(words=self.words.rstrip("."),
                                                       paraphrase=self.paraphrase())

    def to_dict(self) -> dict[str, Any]:
        return {"after_days": self.after_days, "words": self.words, "section": self.section,
                "verbatim": self.verbatim, "source_kind": self.source_kind}


def _years(age: float) -> str:
    return describe_age(age) if age < 2 else _("{years} years").format(years=num(age, "g"))


def _per_period(days: float | None) -> str:
    if days is None:
        return ""
    known: dict[float, str] = {1: N_("per day"), 7: N_("per week"), 14: N_("per 2 weeks"), 28: N_("per 4 weeks"),
             30: N_("per month")}
    if days in known:
        return _(known[days])
    return _("per {days} days").format(days=num(days, "g"))


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
        """E.g. ``"Opzelura (ruxolitinib) cream 1.5%, US: Mild to moderate atopic dermatitis"``.

        The product as the label names it (never translated); the indication in the current
        language."""
        return f"{self.product}, {self.jurisdiction}: {_(self.indication)}"

    @property
    def age_range_text(self) -> str:
        """The indication's ages in words, e.g. ``"2 years and older"``."""
        if not self.ages_read:
            return _("ages not read in the label")
        if self.max_age_years is None:
            return _("every age") if self.min_age_years == 0 else _(
                "{low} and older").format(low=_years(self.min_age_years))
        if self.min_age_years == 0:
            return _("under {high}").format(high=_years(self.max_age_years))
        return _("{low} to under {high}").format(low=_years(self.min_age_years),
                                                 high=_years(self.max_age_years))

    @property
    def revision_words(self) -> str:
        """:attr:`label_revision` as shown: the revision as printed (a date), or "not printed
        in the copy read" in the current language."""
        return _(NOT_PRINTED) if self.label_revision == NOT_PRINTED else self.label_revision

    @property
    def frequency_words(self) -> str:
        """:attr:`frequency_text` in the current language (the project's words)."""
        return _(self.frequency_text)

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

    @renamed_argument("age_years", "age")
    def age_in_indication(self, age: float) -> bool:
        """True if ``age`` [years] is in the indication (always, when the ages could not be
        read)."""
        if not self.ages_read:
            return True
        return self.min_age_years <= age and (
            self.max_age_years is None or age < self.max_age_years
        )

    @renamed_argument("age_years", "age")
    def limits_for(self, age: float, weight_kg: float | None = None,
                   kind: str | None = None) -> tuple[Limit, ...]:
        """The limits that apply at ``age`` [years] (and ``weight_kg`` [kg]), optionally of
        one kind."""
        a = float(check_age(age))
        return tuple(lim for lim in self.limits
                     if lim.applies_to(a, weight_kg) and (kind is None or lim.kind == kind))

    @renamed_argument("age_years", "age")
    def limits_read_for(self, age: float) -> bool:
        """True if the label's limits at ``age`` [years] are known: it states none
        (``no_stated_limit``), or an area, amount or size limit applies at this age.

        False means the limits that may apply at this age could not be read (see
        ``could_not_read``): the tool then says so instead of "the label states no limit".
        """
        return self.no_stated_limit or any(lim.evaluated for lim in self.limits_for(age))

    @renamed_argument("age_years", "age")
    def area_limit_for(self, age: float) -> Limit | None:
        """The tightest %BSA limit at ``age`` [years], or None if the label states none."""
        found = self.limits_for(age, kind="percent_bsa")
        return min(found, key=lambda lim: lim.value) if found else None

    def source_text(self) -> str:
        """The source, the revision transcribed and the sections, in one line.

        The reference itself (source, revision, sections) stays in the words it was
        written in; the words around it are in the current language."""
        text = _("{source} Transcribed from: {revision}; {section}.").format(
            source=self.source, revision=self.label_revision_text, section=self.section)
        if self.source_kind != "label":
            text += " " + _("Read in {where}.").format(where=source_kind_words(self.source_kind))
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
