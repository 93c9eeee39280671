"""``python -m bsa rules``: the treatment label rules the tool compares with."""

from __future__ import annotations

import json

from ..treatment.label_rules import all_rules
from ._common import DISCLAIMER


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "rules",
        help="list the label rules (area limits, ages, amount caps, sources)",
        description="List the treatment label rules with their area limit, ages, "
        "frequency, amount caps, label revision and source. Values read in a secondary "
        "source, not the label itself, are marked as such.",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=run)


def run(args) -> int:
    rules = all_rules()
    if args.json:
        print(json.dumps({"rules": [r.to_dict() for r in rules]}, indent=2))
        return 0
    for rule in rules:
        print(f"{rule.id}")
        print(f"  {rule.title}")
        print(f"  Ages {rule.age_range_text}; up to {rule.max_percent_bsa:g}% of body surface; "
              f"{rule.frequency_text}")
        for cap in rule.amount_caps:
            print(f"  Amount: {cap.describe()}")
        print(f"  Revision: {rule.label_revision_text} ({rule.source_kind})")
        for later in rule.later_revisions_not_transcribed:
            print(f"  Note: {later}")
        print(f"  Source: {rule.source}")
        print()
    print(DISCLAIMER)
    return 0
