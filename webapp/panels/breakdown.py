"""The breakdown panel: each marked region's weight, share and contribution, as evaluated."""

from __future__ import annotations

import streamlit as st

__all__ = ["render"]


def render(marked) -> None:
    """Draw the table of :meth:`bsa.Evaluation.region_rows` and the PASI area scores."""
    ev = marked.evaluation
    rows = ["| Region | Weight at this age | Affected share | Contribution |",
            "|---|---:|---:|---:|"]
    for row in ev.region_rows():
        how = " (typed)" if row["typed"] else ""
        rows.append(f"| {row['label']}{how} | {row['weight']:.2f}% | {100 * row['share']:.1f}% "
                    f"| {row['percent_bsa']:.2f}% |")
    if len(rows) == 2:
        st.caption("Nothing marked yet: paint on the figure, fill a region, or type shares."
                   if not ev.layered else "Nothing marked to treat with this cream yet.")
        return
    if ev.layered:
        st.caption("The area to treat with this cream (the treatment area less the "
                   "do-not-apply areas), region by region.")
    rows.append(f"| **Total** | 100% | | **{ev.percent_bsa:.2f}%** |")
    st.markdown("\n".join(rows))
    pasi = ", ".join(f"{s['label']} {s['area_score']}" for s in ev.pasi.values())
    st.caption(f"PASI area scores (0-6): {pasi}. Only the area parts of EASI and PASI are "
               "computed: the severity signs need a clinician's eye.")
