"""``python -m bsa report``: the printable application map of a saved session (PDF or PNG)."""

from __future__ import annotations

from ..records.session import load
from ..report.layout import PAPER_SIZES, REPORT_FORMATS, render_report


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "report",
        help="print the application map of a saved session (PDF or PNG)",
        description="Draw the one-page application map of a session file: the front and "
        "back figures with the areas to treat, the total, the label rule's limit and "
        "source, the estimated amount of cream against the label's cap, the questions to "
        "confirm, room for notes. A discussion aid, not medical advice.",
    )
    p.add_argument("session", metavar="SESSION.json", help="a session file saved by the page "
                   "or by 'python -m bsa session new'")
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="file to write; the format follows the extension "
                   f"({', '.join('.' + f for f in REPORT_FORMATS)})")
    p.add_argument("--paper", default="a4", type=str.lower, choices=tuple(PAPER_SIZES),
                   help="paper size (default a4)")
    p.add_argument("--date", default=None, metavar="YYYY-MM-DD",
                   help="date printed on the map (default today)")
    p.add_argument("--recompute-totals", action="store_true",
                   help="open a session whose stored total differs from the one its marks "
                   "give now (e.g. written with other chart data), using the new total")
    p.set_defaults(run=run)


def run(args) -> int:
    assessment = load(args.session, check_totals=not args.recompute_totals)
    render_report(assessment, args.output, paper=args.paper, date=args.date)
    total = assessment.estimate().percent_bsa
    treated = ("" if not assessment.has_layers else
               f", {assessment.treated_estimate().percent_bsa:.1f}% to treat with this cream")
    print(f"wrote {args.output} ({args.paper}, {total:.1f}% of body surface marked{treated})")
    return 0
