"""``python -m bsa session``: make a session file from the shell, or read one back."""

from __future__ import annotations

import json

from ..i18n import _, num
from ..records.assessment import SEXES, Assessment
from ..records.session import load, save
from ..text import for_terminal
from ..treatment.label_rules import available_rules
from ._common import (
    add_chart_arguments,
    add_language_arguments,
    add_layer_arguments,
    layer_fields,
    parse_selection,
)


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "session",
        help=_("make a session file, or show what one holds"),
        description=_("Session files hold one assessment (age, chart, rule, typed shares, "
                      "painted masks, the treatment area, do-not-apply areas, zones by day and "
                      "totals) as JSON. 'new' writes one from typed shares; 'show' reads one "
                      "strictly and prints its totals."),
    )
    sub = p.add_subparsers(dest="session_command", metavar="ACTION", required=True)
    new = sub.add_parser("new", help=_("write a session file from typed shares"),
                         description=_("Write a session file. Give each affected region or "
                                       "half as REGION=FRACTION (0 to 1), e.g. head=1 "
                                       "right_thigh:front=0.5; --apply and --avoid give the "
                                       "treatment area and the skin not to treat. Zones by day "
                                       "are written by the page (or by hand: see the session "
                                       "file format)."))
    add_chart_arguments(new)
    add_layer_arguments(new)
    new.add_argument("--rule", default=None, metavar="RULE",
                     help=_("label rule to compare with: {rules}").format(
                         rules=", ".join(available_rules())))
    new.add_argument("--sex", default=None, choices=SEXES)
    new.add_argument("--height", type=float, default=None, metavar="CM", help=_("height [cm]"))
    new.add_argument("--weight", type=float, default=None, metavar="KG", help=_("weight [kg]"))
    new.add_argument("--notes", default="", help=_("free text printed on the map"))
    new.add_argument("--palms", type=float, default=None, metavar="N",
                     help=_("hands (palm with fingers) counted over the skin, as a "
                            "cross-check"))
    new.add_argument("-o", "--output", required=True, metavar="FILE.json")
    add_language_arguments(new)
    new.add_argument("selection", nargs="*", metavar="REGION=FRACTION")
    new.set_defaults(run=run_new)
    show = sub.add_parser("show", help=_("read a session file strictly and print its totals"))
    show.add_argument("session", metavar="SESSION.json")
    show.add_argument("--json", action="store_true", help=_("print the estimate as JSON"))
    show.add_argument("--recompute-totals", action="store_true",
                      help=_("open a session whose stored total differs from the one its marks "
                             "give now, and print the new total"))
    add_language_arguments(show)
    show.set_defaults(run=run_show)


def run_new(args) -> int:
    assessment = Assessment(
        age_years=args.age, chart=args.chart, age_mode=args.age_mode, rule_id=args.rule,
        shares=parse_selection(args.selection), sex=args.sex, height_cm=args.height,
        weight_kg=args.weight, notes=args.notes, palm_count=args.palms, **layer_fields(args),
    )
    path = save(args.output, assessment)
    total = num(assessment.estimate().percent_bsa, ".2f")
    if assessment.has_layers:
        print(_("wrote {path} ({percent}% of body surface; {treated}% to treat with this "
                "cream)").format(path=path, percent=total,
                                 treated=num(assessment.treated_estimate().percent_bsa, ".2f")))
    else:
        print(_("wrote {path} ({percent}% of body surface)").format(path=path, percent=total))
    return 0


def run_show(args) -> int:
    from ..evaluation import evaluate
    from ._render import evaluation_text

    a = load(args.session, check_totals=not args.recompute_totals)
    ev = evaluate(a)
    if args.json:
        out = ev.to_dict()
        out["figure_id"] = a.figure_id
        out["painted_views"] = sorted(a.masks)
        out["typed_shares"] = dict(a.shares)
        out["notes"] = a.notes
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    print(evaluation_text(ev))
    # Text from the file is shown, never acted on: no terminal escapes or controls.
    views = ", ".join(_(view) for view in sorted(a.masks)) or _("none")
    print(_("Painted views: {views}; typed shares: {n}").format(views=views,
                                                                n=num(len(a.shares))))
    if a.notes:
        print(_("Notes: {notes}").format(notes=for_terminal(a.notes)))
    return 0
