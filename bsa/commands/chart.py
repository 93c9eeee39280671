"""``python -m bsa chart``: the age-adjusted chart as a picture (PNG, SVG or PDF)."""

from __future__ import annotations

from ..core.charts import describe_age
from ..diagram.geometry import FIGURES, figure_for_age
from ..diagram.picture import SAVE_FORMATS, save_chart
from ..i18n import _
from ._common import add_chart_arguments, add_language_arguments, parse_selection


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "chart",
        help=_("draw the chart for an age (PNG, SVG or PDF)"),
        description=_("Draw the front and back figures for an age with each area's percentage "
                      "of body surface written on it. Optionally tint affected areas, given as "
                      "REGION=FRACTION (0 to 1), e.g. head=1 right_thigh:front=0.5."),
    )
    add_chart_arguments(p)
    p.add_argument("--figure", choices=FIGURES, default=None,
                   help=_("figure drawn (default: the one for the age: infant under 2, child 2 "
                          "to under 8, older_child 8 to under 15, adult from 15)"))
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help=_("file to write; the format follows the extension ({formats})").format(
                       formats=", ".join("." + f for f in SAVE_FORMATS)))
    add_language_arguments(p, medium="print")
    p.add_argument("selection", nargs="*", metavar="REGION=FRACTION",
                   help=_("areas to tint as affected"))
    p.set_defaults(run=run)


def run(args) -> int:
    fills = parse_selection(args.selection) or None
    figure_id = args.figure or figure_for_age(args.age)
    path = save_chart(args.output, args.age, chart=args.chart, age_mode=args.age_mode,
                      figure_id=figure_id, fills=fills)
    print(_("wrote {path} ({figure} figure, age {age}, chart {chart})").format(
        path=path, figure=figure_id, age=describe_age(args.age), chart=args.chart))
    return 0
