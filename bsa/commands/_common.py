"""Arguments and parsing shared by several commands."""

from __future__ import annotations

import argparse

from ..core.charts import AGE_MODES, DEFAULT_AGE_MODE, DEFAULT_CHART, available_charts
from ..errors import BSAInputError

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
