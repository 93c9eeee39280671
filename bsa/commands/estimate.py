"""``python -m bsa estimate``: the affected %BSA of one patient."""

from __future__ import annotations

import json

from ..core.estimation import estimate
from ..core.regions import REGION_SIDES, region_label
from ..evaluation import evaluate
from ..records.assessment import SEXES, Assessment
from ..text import for_terminal
from ._common import (
    DISCLAIMER,
    add_chart_arguments,
    add_layer_arguments,
    layer_fields,
    parse_selection,
)
from ._render import range_lines


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "estimate",
        help="affected %%BSA of one patient",
        description="Affected percentage of body surface of one patient. Give each "
        "affected region or half as REGION=FRACTION (0 to 1), e.g. head=1 "
        "right_thigh:front=0.5; a bare REGION means all of it. With --apply (and --avoid), "
        "also the area to treat with this cream.",
    )
    add_chart_arguments(p)
    add_layer_arguments(p)
    p.add_argument("--range", action="store_true",
                   help="also the total under every chart that applies at this age, low and "
                   "high (JSON: 'range' with low, high, by_chart, verdict_holds)")
    p.add_argument("--sex", default=None, choices=SEXES,
                   help="with --range: narrows the palm count's spread")
    p.add_argument("--height", type=float, default=None, metavar="CM",
                   help="height [cm]; with --weight, adds the body-shape chart to --range "
                   "for adults with a BMI of 30 or more")
    p.add_argument("--weight", type=float, default=None, metavar="KG", help="weight [kg]")
    p.add_argument("--palms", type=float, default=None, metavar="N",
                   help="hands counted over the skin: adds the palm count's spread to --range")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("selection", nargs="*", metavar="REGION=FRACTION")
    p.set_defaults(run=run)


def run(args) -> int:
    selection = parse_selection(args.selection)
    result = estimate(selection, args.age, args.chart, args.age_mode)
    ev = evaluate(Assessment(age_years=args.age, chart=args.chart, age_mode=args.age_mode,
                             shares=selection, sex=args.sex, height_cm=args.height,
                             weight_kg=args.weight, palm_count=args.palms, **layer_fields(args)))
    if args.json:
        out = result.to_dict()
        out["age_text"] = ev.age_text
        out["chart_caution"] = ev.chart_caution
        out["reference_percent_bsa"] = ev.reference_percent_bsa
        out["affected_percent_bsa"] = ev.affected_percent_bsa
        out["treated_percent_bsa"] = ev.treated_percent_bsa
        out["avoid"] = [area.to_dict() for area in ev.avoid]
        if args.range:
            out["range"] = ev.range.to_dict()
        print(json.dumps(out, indent=2))
        return 0
    print(f"Affected body surface: {result.percent_bsa:.2f}% of body surface")
    if ev.layered:
        print(f"To treat with this cream: {ev.treated_percent_bsa:.2f}% of body surface "
              "(where to apply, minus where not to)")
        for area in ev.avoid:
            print(f"Do not apply ({for_terminal(area.reason)}): {area.where}, "
                  f"{area.percent_bsa:.2f}% of body surface")
    print(f"Chart: {result.chart_title}, age {ev.age_text} ({result.age_reading})")
    if ev.chart_caution:
        print(f"Caution: {ev.chart_caution}")
    rows = [(r, v) for r, v in result.by_region.items() if v > 0]
    if rows:
        print(f"  {'region':<24}{'affected':>9}{'weight %':>10}{'% BSA':>8}")
        for region, value in rows:
            weight = sum(result.weights[f"{region}:{s}"] for s in REGION_SIDES[region])
            affected = value / weight if weight else 0.0
            print(f"  {region_label(region):<24}{affected:>9.0%}{weight:>10.2f}{value:>8.2f}")
    if args.range:  # the range is of the area to treat (the affected skin without --apply)
        print("\n".join(range_lines(ev, detail=True)))
    print(f"Source: {result.source}")
    for note in result.conventions:
        print(f"Note: {note}")
    print(DISCLAIMER)
    return 0
