"""``python -m bsa report``: the printable application map of a saved session (PDF or PNG)."""

from __future__ import annotations

from ..i18n import _, current_digits, current_language, num
from ..records.session import load
from ..report.layout import PAPER_SIZES, REPORT_FORMATS, render_report
from ._common import add_language_arguments


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "report",
        help=_("print the application map of a saved session (PDF or PNG)"),
        description=_("Draw the one-page application map of a session file: the front and back "
                      "figures with the areas to treat, the total, the label rule's limit and "
                      "source, the estimated amount of cream against the label's cap, the "
                      "questions to confirm, room for notes. A discussion aid, not medical "
                      "advice."),
    )
    p.add_argument("session", metavar="SESSION.json",
                   help=_("a session file saved by the page or by 'python -m bsa session new'"))
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help=_("file to write; the format follows the extension ({formats})").format(
                       formats=", ".join("." + f for f in REPORT_FORMATS)))
    p.add_argument("--paper", default="a4", type=str.lower, choices=tuple(PAPER_SIZES),
                   help=_("paper size (default a4)"))
    p.add_argument("--date", default=None, metavar="YYYY-MM-DD",
                   help=_("date printed on the map (default today)"))
    p.add_argument("--recompute-totals", action="store_true",
                   help=_("open a session whose stored total differs from the one its marks "
                          "give now (e.g. written with other chart data), using the new total"))
    add_language_arguments(p, medium="print")
    p.set_defaults(run=run)


def run(args) -> int:
    assessment = load(args.session, check_totals=not args.recompute_totals)
    # The map in the command's language, with the digits chosen for print (bsa.cli).
    render_report(assessment, args.output, paper=args.paper, date=args.date,
                  lang=current_language(), digits=current_digits())
    total = num(assessment.estimate().percent_bsa, ".1f")
    if assessment.has_layers:
        print(_("wrote {path} ({paper}, {percent}% of body surface marked, {treated}% to treat "
                "with this cream)").format(
            path=args.output, paper=args.paper, percent=total,
            treated=num(assessment.treated_estimate().percent_bsa, ".1f")))
    else:
        print(_("wrote {path} ({paper}, {percent}% of body surface marked)").format(
            path=args.output, paper=args.paper, percent=total))
    return 0
