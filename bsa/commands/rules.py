"""``python -m bsa rules``: the treatment label rules the tool compares with."""

from __future__ import annotations

import json

from ..i18n import _, current_language, num
from ..text import for_terminal
from ..treatment.label_rules import find_rules, source_kind_words
from ._common import add_language_arguments, disclaimer


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "rules",
        help=_("list the label rules (area, amount, size, age and duration limits, sources)"),
        description=_("List the treatment label rules: each limit with its age band, the label "
                      "revision, section and source. Values read outside an official copy of "
                      "the label (a copy on another website, a secondary source) are marked as "
                      "such."),
    )
    p.add_argument("--product", default="", metavar="TEXT",
                   help=_("only rules whose product, active ingredient, indication or "
                          "jurisdiction contain every word of TEXT (e.g. 'clobetasol us')"))
    p.add_argument("--json", action="store_true", help=_("print a JSON list of rules"))
    add_language_arguments(p)
    p.set_defaults(run=run)


def run(args) -> int:
    rules = find_rules(args.product)
    if args.json:
        print(json.dumps([r.to_dict() for r in rules], indent=2, ensure_ascii=False))  # as read
        return 0
    if not rules:
        print(_("No rule matches {text}.").format(text=for_terminal(repr(args.product))))
    for rule in rules:
        print(rule.id)
        print(f"  {rule.title}")
        ages = "" if rule.population_source_kind == "label" else " " + _("[read in {where}]").format(
            where=source_kind_words(rule.population_source_kind))
        print("  " + _("Active: {ingredients}; ages {ages}{read_in}; {frequency}").format(
            ingredients=", ".join(str(i) for i in rule.active_ingredients),
            ages=rule.age_range_text, read_in=ages, frequency=rule.frequency_words))
        if rule.no_stated_limit:
            print("  " + _("The label states no area or amount limit."))
        elif not rule.has_evaluated_limits:
            print("  " + _("No area or amount limit of the label could be read (see below)."))
        for lim in rule.limits:
            band = f" ({lim.band_text})" if lim.band_text else ""
            when = " " + _("(only for {condition})").format(
                condition=lim.condition_text) if lim.condition_text else ""
            kind = "" if lim.source_kind == "label" else " " + _("[read in {where}]").format(
                where=source_kind_words(lim.source_kind))
            print("  " + _("Limit: {limit}{band}{condition}, section {section}{read_in}").format(
                limit=lim.summary, band=band, condition=when, section=lim.section, read_in=kind))
            if current_language() != "en" and lim.verbatim:
                print("    " + lim.words_shown())
        if rule.density is not None:
            kind = "" if rule.density.source_kind == "label" else " " + _(
                "[read in {where}]").format(where=source_kind_words(rule.density.source_kind))
            print("  " + _("Density: {density} mg/cm2 (section {section}){read_in}").format(
                density=num(rule.density.mg_per_cm2, "g"), section=rule.density.section,
                read_in=kind))
        if rule.avoid_parts or rule.only_parts:
            where = (_("only {halves}").format(halves=", ".join(rule.only_parts))
                     if rule.only_parts else "")
            avoid = (_("not {halves}").format(halves=", ".join(rule.avoid_parts))
                     if rule.avoid_parts else "")
            print("  " + _("Body map: {where} (the project's mapping of the label's sites)")
                  .format(where="; ".join(t for t in (where, avoid) if t)))
        for point in rule.review_points:
            print("  " + _("Review: {words}").format(words=point.words_shown()))
        print("  " + _("Revision: {revision} (read in {where})").format(
            revision=rule.label_revision_text, where=source_kind_words(rule.source_kind)))
        for later in rule.later_revisions_not_transcribed:
            print("  " + _("Note: {note}").format(note=_(later)))
        for missing in rule.could_not_read:
            print("  " + _("Could not be read: {what}").format(what=_(missing)))
        print("  " + _("Source: {source}").format(source=rule.source))
        print()
    print(disclaimer())
    return 0
