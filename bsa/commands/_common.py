"""Arguments and parsing shared by several commands."""

from __future__ import annotations

import argparse
from typing import Any

from ..core.charts import AGE_MODES, DEFAULT_AGE_MODE, DEFAULT_CHART, available_charts
from ..errors import BSAInputError
from ..i18n import DIGITS, LANGUAGES, N_, _
from ..records.layers import AVOID_REASONS

#: Printed under every result (in English; :func:`disclaimer` in the current language).
DISCLAIMER = N_("An estimate for discussion with a clinician, not medical advice.")


def disclaimer() -> str:
    """:data:`DISCLAIMER` in the current language."""
    return _(DISCLAIMER)


def add_language_arguments(parser: argparse.ArgumentParser, *, medium: str = "screen") -> None:
    """--lang and --digits (defaults: ``BSA_LANG`` and ``BSA_DIGITS``, else English, and the
    digits a reader of the language expects on a screen or on paper)."""
    parser.add_argument(
        "--lang", default=None, metavar="LANG",
        help=_("language of the output: {languages} (default $BSA_LANG, else en)").format(
            languages=", ".join(f"{k} = {v}" for k, v in LANGUAGES.items())))
    default = (_("default: Bengali digits on a Bengali map, else Latin") if medium == "print"
               else _("default $BSA_DIGITS, else Latin"))
    parser.add_argument(
        "--digits", default=None, metavar="DIGITS",
        help=_("digits of the numbers in the words: {digits} ({default})").format(
            digits=", ".join(DIGITS), default=default))
    parser.set_defaults(medium=medium)


def add_chart_arguments(parser: argparse.ArgumentParser, *, age_required: bool = True) -> None:
    """--age, --chart and --age-mode."""
    parser.add_argument("--age", type=float, required=age_required, metavar="YEARS",
                        help=_("age of the patient in years (0 to 120; 1.5 = 18 months)"))
    parser.add_argument("--chart", default=DEFAULT_CHART, metavar="CHART",
                        help=_("chart: {charts} (default {default})").format(
                            charts=", ".join(available_charts()), default=DEFAULT_CHART))
    parser.add_argument("--age-mode", default=DEFAULT_AGE_MODE, metavar="MODE",
                        help=_("how the chart is read between its age columns: {modes} "
                               "(default {default})").format(modes=", ".join(AGE_MODES),
                                                              default=DEFAULT_AGE_MODE))


def parse_selection(items: list[str]) -> dict[str, float]:
    """``["head=1", "right_thigh:front=0.5", "neck"]`` -> a selection mapping.

    A name without ``=`` means the whole of it. Names are checked later by the core.
    """
    selection: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not name:
            raise BSAInputError(_("cannot read {item}: write REGION=FRACTION, e.g. head=0.5")
                                .format(item=repr(item)))
        if name in selection:
            raise BSAInputError(_("{name} is given more than once").format(name=repr(name)))
        if sep:
            try:
                selection[name] = float(value)
            except ValueError:
                raise BSAInputError(
                    _("cannot read {item}: the fraction must be a number from 0 to 1").format(
                        item=repr(item))
                ) from None
        else:
            selection[name] = 1.0
    return selection


def add_layer_arguments(parser: argparse.ArgumentParser) -> None:
    """--apply, --avoid and --avoid-reason: the treatment area and the do-not-apply area."""
    parser.add_argument(
        "--apply", nargs="+", action="extend", default=None, metavar="REGION=FRACTION",
        help=_("where to apply this cream, if not all the affected skin given as "
               "REGION=FRACTION (the label's area limit and the cream use it); repeat or list "
               "several"))
    parser.add_argument(
        "--avoid", nargs="+", action="extend", default=None, metavar="REGION=FRACTION",
        help=_("skin that must not get this cream (never part of the treated area): treated = "
               "apply minus avoid"))
    parser.add_argument(
        "--avoid-reason", default=None, metavar="TEXT",
        help=_("why not there: {reasons}, or your own words (default 'other')").format(
            reasons=", ".join(AVOID_REASONS)))


def layer_fields(args: argparse.Namespace) -> dict[str, Any]:
    """The assessment's treatment area and do-not-apply area from --apply and --avoid."""
    from ..records.layers import AvoidArea, Marks

    fields: dict[str, Any] = {}
    if args.avoid_reason is not None and args.avoid is None:
        raise BSAInputError(_("--avoid-reason needs --avoid REGION=FRACTION: the skin not to "
                              "treat"))
    if args.apply is not None:
        fields["treatment_area"] = Marks(shares=parse_selection(args.apply))
    if args.avoid is not None:
        fields["avoid"] = [AvoidArea(reason=args.avoid_reason or "other",
                                     shares=parse_selection(args.avoid))]
    return fields
