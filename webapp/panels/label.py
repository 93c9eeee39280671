"""The label panel: the chosen rule's words, its limits with their sections, the questions."""

from __future__ import annotations

import html

import streamlit as st

from bsa.treatment.label_rules import source_kind_mark

from ..text import say

__all__ = ["render"]


def _quote(text: str, verbatim: bool) -> str:
    """The label's own words as a quotation; anything else said to be a paraphrase."""
    return (f"\u201c{html.escape(text)}\u201d" if verbatim
            else f"{html.escape(text)} <i>(paraphrase)</i>")


def render(marked) -> None:
    """Draw the rule of :attr:`bsa.Evaluation.rule_check` and its questions."""
    ev = marked.evaluation
    rc = ev.rule_check
    if rc is None:
        st.caption("No label rule chosen.")
        return
    rule = rc.rule
    parts = [f"<b>{html.escape(rule.title)}</b>: "
             f"{html.escape(', '.join(str(i) for i in rule.active_ingredients))}; ages "
             f"{html.escape(rule.age_range_text)}; {html.escape(rule.frequency_text)}."]
    if rule.indication_text:
        parts.append("Indication: " + _quote(rule.indication_text, rule.indication_text_verbatim))
    if rule.no_stated_limit:
        parts.append("The label states no area, amount or size limit.")
    for lim in rule.limits:
        band = f" ({html.escape(lim.band_text)})" if lim.band_text else ""
        kind = ("" if lim.source_kind == "label" else
                f" <b>[{html.escape(source_kind_mark(lim.source_kind))}]</b>")
        parts.append(f"<b>{html.escape(lim.summary)}</b>{band}, section "
                     f"{html.escape(lim.section)}: {_quote(lim.words, lim.verbatim)}{kind}")
    for point in rule.review_points:
        parts.append(f"Review (section {html.escape(point.section)}): "
                     + _quote(point.words, point.verbatim))
    if rule.sites_words:
        parts.append("Sites: " + _quote(rule.sites_words, True))
    if rule.occlusion:
        parts.append("Occlusion: " + _quote(rule.occlusion, True))
    parts.append(f"Source: {html.escape(rule.source_text())}")
    st.markdown("".join(f'<p class="bsa-line">{p}</p>' for p in parts), unsafe_allow_html=True)
    for text in rule.could_not_read:
        say(f"Could not be read in the label: {text}", "caption")
    for note in rc.notices:
        say(note, "caption")
    st.markdown("**To confirm with the doctor**\n\n"
                + "\n".join(f"- {html.escape(q)}" for q in ev.questions))
    if rule.boxed_warning:
        st.markdown(f"**Boxed warning:** {html.escape(rule.boxed_warning)}")
