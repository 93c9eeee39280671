"""``python -m bsa check``: one visit against a treatment label rule (every limit)."""

from __future__ import annotations

import json

from ..evaluation import evaluate
from ..i18n import _
from ..records.assessment import SEXES, Assessment
from ..records.session import load
from ..treatment.label_rules import DEFAULT_NEAR_FRACTION
from ._common import (
    add_chart_arguments,
    add_language_arguments,
    add_layer_arguments,
    layer_fields,
    parse_selection,
)
from ._render import evaluation_text


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "check",
        help=_("compare the marked area with a label rule (area, amount, size, age)"),
        description=_("Compare one patient's marked body surface with a treatment label rule: "
                      "the age against the indication, the area against the label's area "
                      "limit, an estimate of the cream it takes against every amount cap, the "
                      "area in cm2 against a size limit (with --height and --weight), and the "
                      "questions to confirm with the doctor. Give each affected region or half "
                      "as REGION=FRACTION (0 to 1); the area to treat is the same unless "
                      "--apply gives it, minus any --avoid area. Or give a saved session with "
                      "--session (with its zones by day, if any). Rules: see 'python -m bsa "
                      "rules'."),
    )
    add_chart_arguments(p, age_required=False)
    add_layer_arguments(p)
    p.add_argument("--rule", default=None, metavar="RULE",
                   help=_("label rule id (see 'python -m bsa rules'); with --session, the "
                          "session's own rule unless given"))
    p.add_argument("--session", default=None, metavar="FILE.json",
                   help=_("evaluate a saved session file instead of REGION=FRACTION marks"))
    p.add_argument("--sex", default=None, choices=SEXES)
    p.add_argument("--height", type=float, default=None, metavar="CM", help=_("height [cm]"))
    p.add_argument("--weight", type=float, default=None, metavar="KG", help=_("weight [kg]"))
    p.add_argument("--palms", type=float, default=None, metavar="N",
                   help=_("hands (palm with fingers) counted over the skin, as a cross-check"))
    p.add_argument("--near-fraction", type=float, default=DEFAULT_NEAR_FRACTION,
                   metavar="SHARE", help=_("where 'near the limit' starts, as a share of the "
                                           "limit (default {default})").format(
                       default=DEFAULT_NEAR_FRACTION))
    p.add_argument("--scores", action="store_true",
                   help=_("also show the EASI and PASI area scores and VASI hand units"))
    p.add_argument("--range", action="store_true",
                   help=_("list the total under every chart that applies (Lund-Browder by "
                          "columns and by bands, rule of nines, a body-shape chart with "
                          "--height and --weight, the palm count's spread with --palms) and the "
                          "verdict under each; the JSON always carries 'range'"))
    p.add_argument("--json", action="store_true",
                   help=_("print the whole evaluation as one JSON object"))
    add_language_arguments(p)
    p.add_argument("selection", nargs="*", metavar="REGION=FRACTION")
    p.set_defaults(run=run)


def assessment_from_args(args):
    """The assessment a command line describes (a session file, or --age and marks)."""
    from ..errors import BSAInputError

    if args.session is not None:
        if args.selection or args.apply is not None or args.avoid is not None:
            raise BSAInputError(_("give either --session or REGION=FRACTION marks (and "
                                  "--apply, --avoid), not both"))
        a = load(args.session)
        changes = {k: v for k, v in (("rule_id", args.rule), ("sex", args.sex),
                                     ("height_cm", args.height), ("weight_kg", args.weight),
                                     ("palm_count", args.palms)) if v is not None}
        return a.replace(**changes) if changes else a
    if args.age is None:
        raise BSAInputError(_("--age is needed (or --session with a saved session)"))
    return Assessment(
        age_years=args.age, chart=args.chart, age_mode=args.age_mode, rule_id=args.rule,
        shares=parse_selection(args.selection), sex=args.sex, height_cm=args.height,
        weight_kg=args.weight, palm_count=args.palms, **layer_fields(args),
    )


def run(args) -> int:
    from ..errors import BSAInputError

    assessment = assessment_from_args(args)
    if assessment.rule_id is None:
        raise BSAInputError(_("--rule is needed: which label rule to check against (see "
                              "'python -m bsa rules')"))
    ev = evaluate(assessment, near_fraction=args.near_fraction)
    if args.json:
        print(json.dumps(ev.to_dict(), indent=2, ensure_ascii=False))
        return 0
    print(evaluation_text(ev, scores=args.scores, range_detail=args.range))
    return 0
