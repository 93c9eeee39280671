"""The breakdown panel: each marked region's weight, share and contribution, as evaluated."""

from __future__ import annotations

import streamlit as st

from ..words import _

__all__ = ["render"]


def render(marked) -> None:
    """Draw the table of :meth:`bsa.Evaluation.region_rows` and the PASI area scores."""
    ev = marked.evaluation
    header = " | ".join((_("Region"), _("Weight at this age"), _("Affected share"),
                         _("Contribution")))
    rows = [f"| {header} |", "|---|---:|---:|---:|"]
    for row in ev.region_rows():
        # TRANSLATORS: a region in the breakdown table whose share was typed, not painted.
        label = _("{region} (typed)").format(region=row["label"]) if row["typed"] else row["label"]
        rows.append(f"| {label} | {row['weight']:.2f}% | {100 * row['share']:.1f}% "
                    f"| {row['percent_bsa']:.2f}% |")
    if len(rows) == 2:
        st.caption(_("Nothing marked yet: paint on the figure, fill a region, or type shares.")
                   if not ev.layered else _("Nothing marked to treat with this cream yet."))
        return
    if ev.layered:
        st.caption(_("The area to treat with this cream (the treatment area less the "
                     "do-not-apply areas), region by region."))
    # TRANSLATORS: the last row of the breakdown table.
    total = _("Total")
    rows.append(f"| **{total}** | 100% | | **{ev.percent_bsa:.2f}%** |")
    st.markdown("\n".join(rows))
    pasi = ", ".join(f"{_(s['label'])} {s['area_score']}" for s in ev.pasi.values())
    st.caption(_("PASI area scores (0-6): {scores}. Only the area parts of EASI and PASI are "
                 "computed: the severity signs need a clinician's eye.").format(scores=pasi))
