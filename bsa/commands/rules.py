"""``python -m bsa rules``: the treatment label rules the tool compares with."""

from __future__ import annotations

import json

from ..treatment.label_rules import find_rules, source_kind_words
from ._common import DISCLAIMER


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "rules",
        help="list the label rules (area, amount, size, age and duration limits, sources)",
        description="List the treatment label rules: each limit with its age band, the "
        "label revision, section and source. Values read outside an official copy of the "
        "label (a copy on another website, a secondary source) are marked as such.",
    )
    p.add_argument("--product", default="", metavar="TEXT",
                   help="only rules whose product, active ingredient, indication or "
                   "jurisdiction contain every word of TEXT (e.g. 'clobetasol us')")
    p.add_argument("--json", action="store_true", help="print a JSON list of rules")
    p.set_defaults(run=run)


def run(args) -> int:
    rules = find_rules(args.product)
    if args.json:
        print(json.dumps([r.to_dict() for r in rules], indent=2, ensure_ascii=False))
        return 0
    if not rules:
        print(f"No rule matches {args.product!r}.")
    for rule in rules:
        print(rule.id)
        print(f"  {rule.title}")
        ages = "" if rule.population_source_kind == "label" else (
            f" [read in {source_kind_words(rule.population_source_kind)}]")
        print(f"  Active: {', '.join(str(i) for i in rule.active_ingredients)}; ages "
              f"{rule.age_range_text}{ages}; {rule.frequency_text}")
        if rule.no_stated_limit:
            print("  The label states no area or amount limit.")
        elif not rule.has_evaluated_limits:
            print("  No area or amount limit of the label could be read (see below).")
        for lim in rule.limits:
            band = f" ({lim.band_text})" if lim.band_text else ""
            when = f" (only for {lim.condition_text})" if lim.condition_text else ""
            kind = "" if lim.source_kind == "label" else (
                f" [read in {source_kind_words(lim.source_kind)}]")
            print(f"  Limit: {lim.summary}{band}{when}, section {lim.section}{kind}")
        if rule.density is not None:
            kind = "" if rule.density.source_kind == "label" else (
                f" [read in {source_kind_words(rule.density.source_kind)}]")
            print(f"  Density: {rule.density.mg_per_cm2:g} mg/cm2 (section "
                  f"{rule.density.section}){kind}")
        if rule.avoid_parts or rule.only_parts:
            where = (f"only {', '.join(rule.only_parts)}" if rule.only_parts else "")
            avoid = (f"not {', '.join(rule.avoid_parts)}" if rule.avoid_parts else "")
            print(f"  Body map: {'; '.join(t for t in (where, avoid) if t)} "
                  "(the project's mapping of the label's sites)")
        for point in rule.review_points:
            print(f"  Review: {point.words}")
        print(f"  Revision: {rule.label_revision_text} (read in "
              f"{source_kind_words(rule.source_kind)})")
        for later in rule.later_revisions_not_transcribed:
            print(f"  Note: {later}")
        for missing in rule.could_not_read:
            print(f"  Could not be read: {missing}")
        print(f"  Source: {rule.source}")
        print()
    print(DISCLAIMER)
    return 0
