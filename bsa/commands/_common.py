"""Arguments and parsing shared by several commands."""

from __future__ import annotations

import argparse
from typing import Any

from ..core.charts import AGE_MODES, DEFAULT_AGE_MODE, DEFAULT_CHART, available_charts
from ..errors import BSAInputError
from ..records.layers import AVOID_REASONS

DISCLAIMER = "An estimate for discussion with a clinician, not medical advice."


def add_chart_arguments(parser: argparse.ArgumentParser, *, age_required: bool = True) -> None:
    """--age, --chart and --age-mode."""
    parser.add_argument("--age", type=float, required=age_required, metavar="YEARS",
                        help="age of the patient in years (0 to 120; 1.5 = 18 months)")
    parser.add_argument("--chart", default=DEFAULT_CHART, metavar="CHART",
                        help=f"chart: {', '.join(available_charts())} (default {DEFAULT_CHART})")
    parser.add_argument("--age-mode", default=DEFAULT_AGE_MODE, metavar="MODE",
                        help=f"how the chart is read between its age columns: "
                        f"{', '.join(AGE_MODES)} (default {DEFAULT_AGE_MODE})")


def parse_selection(items: list[str]) -> dict[str, float]:
    """``["head=1", "right_thigh:front=0.5", "neck"]`` -> a selection mapping.

    A name without ``=`` means the whole of it. Names are checked later by the core.
    """
    selection: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not name:
            raise BSAInputError(f"cannot read {item!r}: write REGION=FRACTION, e.g. head=0.5")
        if name in selection:
            raise BSAInputError(f"{name!r} is given more than once")
        if sep:
            try:
                selection[name] = float(value)
            except ValueError:
                raise BSAInputError(
                    f"cannot read {item!r}: the fraction must be a number from 0 to 1"
                ) from None
        else:
            selection[name] = 1.0
    return selection


def add_layer_arguments(parser: argparse.ArgumentParser) -> None:
    """--apply, --avoid and --avoid-reason: the treatment area and the do-not-apply area."""
    parser.add_argument(
        "--apply", nargs="+", action="extend", default=None, metavar="REGION=FRACTION",
        help="where to apply this cream, if not all the affected skin given as "
        "REGION=FRACTION (the label's area limit and the cream use it); repeat or list several")
    parser.add_argument(
        "--avoid", nargs="+", action="extend", default=None, metavar="REGION=FRACTION",
        help="skin that must not get this cream (never part of the treated area): "
        "treated = apply minus avoid")
    parser.add_argument(
        "--avoid-reason", default=None, metavar="TEXT",
        help=f"why not there: {', '.join(AVOID_REASONS)}, or your own words (default "
        "'other')")


def layer_fields(args: argparse.Namespace) -> dict[str, Any]:
    """The assessment's treatment area and do-not-apply area from --apply and --avoid."""
    from ..records.layers import AvoidArea, Marks

    fields: dict[str, Any] = {}
    if args.avoid_reason is not None and args.avoid is None:
        raise BSAInputError("--avoid-reason needs --avoid REGION=FRACTION: the skin not to treat")
    if args.apply is not None:
        fields["treatment_area"] = Marks(shares=parse_selection(args.apply))
    if args.avoid is not None:
        fields["avoid"] = [AvoidArea(reason=args.avoid_reason or "other",
                                     shares=parse_selection(args.avoid))]
    return fields
