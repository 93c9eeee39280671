"""The label panel: the chosen rule's words, its limits with their sections, the questions.

A label's own words are never translated: in English they are quoted as they are; in
another language a limit's or a review point's words are quoted followed by a paraphrase
built from the structured rule (``words_shown()``), as on the printed map.
"""

from __future__ import annotations

import html

import streamlit as st

from bsa.i18n import current_language
from bsa.treatment.label_rules import source_kind_mark

from ..text import say
from ..words import _

__all__ = ["render"]


def _quote(text: str, verbatim: bool) -> str:
    """The label's own words as a quotation; anything else said to be a paraphrase."""
    if verbatim:
        return f"\u201c{html.escape(text)}\u201d"
    paraphrase = _("(paraphrase)")
    return f"{html.escape(text)} <i>{html.escape(paraphrase)}</i>"


def _label_words(item) -> str:
    """A limit's or a review point's words: quoted in English; in another language the
    label's words quoted with a paraphrase in the page's language, the project's own
    paraphrase replaced by the rule's."""
    if current_language() == "en":
        return _quote(item.words, item.verbatim)
    if item.verbatim:
        return html.escape(item.words_shown())
    return _quote(item.paraphrase(), False)


def render(marked) -> None:
    """Draw the rule of :attr:`bsa.Evaluation.rule_check` and its questions."""
    ev = marked.evaluation
    rc = ev.rule_check
    if rc is None:
        st.caption(_("No label rule chosen."))
        return
    rule = rc.rule
    parts = [_("{title}: {ingredients}; ages {ages}; {frequency}.").format(
        title=f"<b>{html.escape(rule.title)}</b>",
        ingredients=html.escape(", ".join(str(i) for i in rule.active_ingredients)),
        ages=html.escape(rule.age_range_text), frequency=html.escape(rule.frequency_words))]
    if rule.indication_text:
        parts.append(_("Indication: {text}").format(
            text=_quote(rule.indication_text, rule.indication_text_verbatim)))
    if rule.no_stated_limit:
        parts.append(html.escape(_("The label states no area, amount or size limit.")))
    for lim in rule.limits:
        band = f" ({html.escape(lim.band_text)})" if lim.band_text else ""
        kind = ("" if lim.source_kind == "label" else
                f" <b>[{html.escape(source_kind_mark(lim.source_kind))}]</b>")
        parts.append(_("{limit}{band}, section {section}: {words}{read_in}").format(
            limit=f"<b>{html.escape(lim.summary)}</b>", band=band,
            section=html.escape(lim.section), words=_label_words(lim), read_in=kind))
    for point in rule.review_points:
        parts.append(_("Review (section {section}): {words}").format(
            section=html.escape(point.section), words=_label_words(point)))
    if rule.sites_words:
        parts.append(_("Sites: {words}").format(words=_quote(rule.sites_words, True)))
    if rule.occlusion:
        parts.append(_("Occlusion: {words}").format(words=_quote(rule.occlusion, True)))
    parts.append(_("Source: {source}").format(source=html.escape(rule.source_text())))
    st.markdown("".join(f'<p class="bsa-line">{p}</p>' for p in parts), unsafe_allow_html=True)
    for text in rule.could_not_read:
        say(_("Could not be read in the label: {text}").format(text=_(text)), "caption")
    for note in rc.notices:
        say(note, "caption")
    st.markdown("**" + _("To confirm with the doctor") + "**\n\n"
                + "\n".join(f"- {html.escape(q)}" for q in ev.questions))
    if rule.boxed_warning:
        # The label's own words: quoted as written in another language than the label's.
        warning = (html.escape(rule.boxed_warning) if current_language() == "en"
                   else _quote(rule.boxed_warning, True))
        st.markdown(_("**Boxed warning:** {warning}").format(warning=warning))
