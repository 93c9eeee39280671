"""The shipped label rules: reading ``charts/label_rules.json`` and finding a rule.

``charts/label_rules.json`` (schema version :data:`SCHEMA_VERSION`, documented by
``charts/schemas/label_rules.schema.json``) is read once and checked rule by rule into
:class:`~bsa.treatment.rule_model.LabelRule` objects. A new product or label revision is a
change to that file, not to this module.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

from ..core.regions import REGION_SIDES, parse_part
from ..data import load_data
from ..errors import BSAInputError
from ..i18n import _
from .rule_model import (
    LIMIT_KINDS,
    NOT_PRINTED,
    PER_VALUES,
    SOURCE_KINDS,
    Density,
    Ingredient,
    LabelRule,
    Limit,
    ReviewPoint,
)

__all__ = ["RULES_FILE", "SCHEMA_VERSION", "available_rules", "load_rule", "get_rule",
           "all_rules", "find_rules"]

RULES_FILE = "label_rules.json"
SCHEMA_VERSION = 2


def _rules_doc() -> dict[str, Any]:
    return load_data(RULES_FILE, SCHEMA_VERSION)


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
            _("unknown rule {rule}; valid rules are: {valid}").format(
                rule=repr(rule_id), valid=", ".join(available_rules())))
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
        label_revision=str(raw.get("label_revision") or NOT_PRINTED),
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
