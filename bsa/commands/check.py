"""``python -m bsa check``: compare one patient's marked area with a treatment label rule."""

from __future__ import annotations

import json
import math

from ..core.charts import describe_age
from ..core.estimation import estimate
from ..treatment.cream_amount import METHODS, estimate_amount
from ..treatment.label_rules import DEFAULT_NEAR_FRACTION, available_rules, check
from ..treatment.skin_scores import easi_area_scores, pasi_area_scores
from ._common import DISCLAIMER, add_chart_arguments, parse_selection


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "check",
        help="compare the marked area with a label rule (area limit, age, amount of cream)",
        description="Compare one patient's affected body surface with a treatment label "
        "rule: the age in the indication, the area against the label's limit, an estimate "
        "of the cream it takes against the amount cap, and the questions to confirm with "
        "the doctor. Give each affected region or half as REGION=FRACTION (0 to 1). "
        f"Rules: {', '.join(available_rules())} (see 'python -m bsa rules').",
    )
    add_chart_arguments(p)
    p.add_argument("--rule", required=True, metavar="RULE",
                   help="label rule id (see 'python -m bsa rules')")
    p.add_argument("--method", default="auto", metavar="METHOD",
                   help=f"amount estimate: {', '.join(METHODS)} (default auto: the children's "
                   "fingertip-unit table below 11 years, the rule of hand from 11 on)")
    p.add_argument("--near-fraction", type=float, default=DEFAULT_NEAR_FRACTION,
                   metavar="SHARE", help="where 'near the limit' starts, as a share of the "
                   f"limit (default {DEFAULT_NEAR_FRACTION})")
    p.add_argument("--scores", action="store_true",
                   help="also show the EASI and PASI area scores of the same marks")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("selection", nargs="*", metavar="REGION=FRACTION")
    p.set_defaults(run=run)


def run(args) -> int:
    selection = parse_selection(args.selection)
    result = estimate(selection, args.age, args.chart, args.age_mode)
    verdict = check(result.percent_bsa, args.age, args.rule, near_fraction=args.near_fraction)
    amount = estimate_amount(selection, args.age, args.rule, method=args.method,
                             chart=args.chart, age_mode=args.age_mode)
    scores = None
    if args.scores:
        scores = {
            "easi": easi_area_scores(selection, args.age, chart=args.chart, age_mode=args.age_mode),
            "pasi": pasi_area_scores(selection, args.age, chart=args.chart, age_mode=args.age_mode),
        }
    if args.json:
        out = {
            "estimate": result.to_dict(),
            "label_check": verdict.to_dict(),
            "cream_amount": amount.to_dict(),
            "disclaimer": DISCLAIMER,
        }
        if scores is not None:
            out["area_scores"] = scores
        print(json.dumps(out, indent=2))
        return 0
    rule = verdict.rule
    print(verdict.headline)
    print(f"Rule: {rule.title} ({rule.id}), label revision {rule.label_revision}")
    print(f"Marked: {result.percent_bsa:.2f}% of body surface ({result.chart_title}, "
          f"age {describe_age(result.age_years)}, {result.age_reading})")
    print(f"Label area limit: {verdict.limit_percent:g}%; margin "
          f"{verdict.margin_points:+.2f} percentage points ({100 * verdict.share_of_limit:.0f}% "
          "of the limit)")
    print(verdict.age_message)
    print()
    print("Amount of cream (estimate):")
    for line in amount.to_text().splitlines()[1:]:
        print(f"  {line}")
    if verdict.amount_cap is None and rule.amount_caps:
        print("  No amount cap in this rule for this age.")
    if scores is not None:
        print()
        for name, regions in scores.items():
            parts = ", ".join(
                f"{v['label']} {v['percent_of_region']:.0f}% -> {v['area_score']}"
                for v in regions.values()
            )
            print(f"{name.upper()} area scores: {parts}")
    print()
    print("To confirm with the doctor:")
    for q in verdict.questions:
        print(f"  - {q}")
    print(f"Source: {verdict.source}")
    for note in verdict.notes:
        print(f"Note: {note}")
    binds = amount.percent_bsa_where_cap_binds
    if binds is not None and not math.isinf(binds) and binds < verdict.limit_percent:
        print(f"Note: in this pattern the amount cap is reached at about {binds:.1f}% of body "
              f"surface, before the {verdict.limit_percent:g}% area limit.")
    print(DISCLAIMER)
    return 0
