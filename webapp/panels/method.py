"""The method panel: how the estimate is made, the chart, and the total under every chart."""

from __future__ import annotations

import html

import streamlit as st

import bsa
from bsa.evaluation import DISCLAIMER
from bsa.treatment.limits import VERDICT_WORDS

from ..text import say
from ..words import _

__all__ = ["render"]


def render(marked) -> None:
    """Draw the method, the chart's source and :attr:`bsa.Evaluation.range` chart by chart."""
    ev = marked.evaluation
    chart = bsa.load_chart(ev.assessment.chart)
    st.markdown(
        _("**How the estimate is made.** Each region's affected share (the painted pixels of "
          "that region on the figure, or the share you typed) is multiplied by the region's "
          "percentage of body surface at this age in the chart, and the products are added. "
          "A region's drawn size on the figure never changes its weight; paint outside the "
          "body does not count. Every number on this page, the printed map and the command "
          "line comes from one evaluation by the `bsa` package.")
        + "\n\n"
        + _("**Chart:** {chart} ({status} source): {citation}").format(
            chart=html.escape(_(chart.title)), status=_(chart.status),
            citation=html.escape(chart.source.get("citation", "")))
        + "\n\n"
        + _("**Age reading:** {reading}.").format(reading=html.escape(ev.estimate.age_reading))
    )
    st.markdown(_("**Why a range.** {how}").format(how=html.escape(ev.range.how_estimated)))
    # TRANSLATORS: the headings of the table of the total by chart.
    header = " | ".join((_("Chart"), _("Total"), _("Verdict")))
    rows = [f"| {header} |", "|---|---:|---|"]
    for c in ev.range.charts:
        verdict = ("" if c.verdict is None else
                   _(VERDICT_WORDS[c.verdict]) if c.verdict in VERDICT_WORDS else c.verdict)
        rows.append(f"| {c.title} ({_(c.status)}) | {c.percent_bsa:.1f}% | {verdict} |")
    st.markdown("\n".join(rows))
    for text in ev.range.not_used:
        st.caption(text)
    for caution in ev.cautions:
        say(caution, "caption")
    st.caption(_(DISCLAIMER))
