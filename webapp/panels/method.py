"""The method panel: how the estimate is made, the chart, and the total under every chart."""

from __future__ import annotations

import html

import streamlit as st

import bsa
from bsa.evaluation import DISCLAIMER
from bsa.treatment.limits import VERDICT_WORDS

from ..text import say

__all__ = ["render"]


def render(marked) -> None:
    """Draw the method, the chart's source and :attr:`bsa.Evaluation.range` chart by chart."""
    ev = marked.evaluation
    chart = bsa.load_chart(ev.assessment.chart)
    st.markdown(
        "**How the estimate is made.** Each region's affected share (the painted pixels of "
        "that region on the figure, or the share you typed) is multiplied by the region's "
        "percentage of body surface at this age in the chart, and the products are added. "
        "A region's drawn size on the figure never changes its weight; paint outside the "
        "body does not count. Every number on this page, the printed map and the command "
        "line comes from one evaluation by the `bsa` package.\n\n"
        f"**Chart:** {html.escape(chart.title)} ({chart.status} source): "
        f"{html.escape(chart.source.get('citation', ''))}\n\n"
        f"**Age reading:** {html.escape(ev.estimate.age_reading)}."
    )
    st.markdown("**Why a range.** " + html.escape(ev.range.how_estimated))
    rows = ["| Chart | Total | Verdict |", "|---|---:|---|"]
    for c in ev.range.charts:
        verdict = "" if c.verdict is None else VERDICT_WORDS.get(c.verdict, c.verdict)
        rows.append(f"| {c.title} ({c.status}) | {c.percent_bsa:.1f}% | {verdict} |")
    st.markdown("\n".join(rows))
    for text in ev.range.not_used:
        st.caption(text)
    for caution in ev.cautions:
        say(caution, "caption")
    st.caption(DISCLAIMER)
