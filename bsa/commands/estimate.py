"""``python -m bsa estimate``: the affected %BSA of one patient."""

from __future__ import annotations

import json

from ..core.estimation import estimate
from ..core.regions import REGION_SIDES, region_label
from ..evaluation import evaluate
from ..i18n import _, current_language, num
from ..records.assessment import SEXES, Assessment
from ..text import for_terminal
from ._common import (
    add_chart_arguments,
    add_language_arguments,
    add_layer_arguments,
    disclaimer,
    layer_fields,
    parse_selection,
)
from ._render import range_lines


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "estimate",
        help=_("affected %%BSA of one patient"),
        description=_("Affected percentage of body surface of one patient. Give each affected "
                      "region or half as REGION=FRACTION (0 to 1), e.g. head=1 "
                      "right_thigh:front=0.5; a bare REGION means all of it. With --apply (and "
                      "--avoid), also the area to treat with this cream."),
    )
    add_chart_arguments(p)
    add_layer_arguments(p)
    p.add_argument("--range", action="store_true",
                   help=_("also the total under every chart that applies at this age, low and "
                          "high (JSON: 'range' with low, high, by_chart, verdict_holds)"))
    p.add_argument("--sex", default=None, choices=SEXES,
                   help=_("with --range: narrows the palm count's spread"))
    p.add_argument("--height", type=float, default=None, metavar="CM",
                   help=_("height [cm]; with --weight, adds the body-shape chart to --range for "
                          "adults with a BMI of 30 or more"))
    p.add_argument("--weight", type=float, default=None, metavar="KG", help=_("weight [kg]"))
    p.add_argument("--palms", type=float, default=None, metavar="N",
                   help=_("hands counted over the skin: adds the palm count's spread to "
                          "--range"))
    p.add_argument("--json", action="store_true", help=_("print one JSON object"))
    add_language_arguments(p)
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
        print(json.dumps(out, indent=2, ensure_ascii=current_language() == "en"))
        return 0
    print(_("Affected body surface: {percent}% of body surface").format(
        percent=num(result.percent_bsa, ".2f")))
    if ev.layered:
        print(_("To treat with this cream: {percent}% of body surface (where to apply, minus "
                "where not to)").format(percent=num(ev.treated_percent_bsa, ".2f")))
        for area in ev.avoid:
            print(_("Do not apply ({reason}): {where}, {percent}% of body surface").format(
                reason=for_terminal(area.reason_text or area.reason), where=area.where,
                percent=num(area.percent_bsa, ".2f")))
    print(_("Chart: {chart}, age {age} ({reading})").format(
        chart=result.chart_title, age=ev.age_text, reading=result.age_reading))
    if ev.chart_caution:
        print(_("Caution: {caution}").format(caution=ev.chart_caution))
    rows = [(r, v) for r, v in result.by_region.items() if v > 0]
    if rows:
        labels = {r: region_label(r) for r, _v in rows}
        width = max(24, *(len(label) + 2 for label in labels.values()))
        head = (_("region"), _("affected"), _("weight %"), _("% BSA"))
        print(f"  {head[0]:<{width}}{head[1]:>9}{head[2]:>10}{head[3]:>8}")
        for region, value in rows:
            weight = sum(result.weights[f"{region}:{s}"] for s in REGION_SIDES[region])
            affected = value / weight if weight else 0.0
            print(f"  {labels[region]:<{width}}{num(affected, '>9.0%')}{num(weight, '>10.2f')}"
                  f"{num(value, '>8.2f')}")
    if args.range:  # the range is of the area to treat (the affected skin without --apply)
        print("\n".join(range_lines(ev, detail=True)))
    print(_("Source: {source}").format(source=result.source))
    for note in result.conventions:
        print(_("Note: {note}").format(note=note))
    print(disclaimer())
    return 0
