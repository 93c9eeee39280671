"""The page's records panel: session files, the application map and the visit history.

:func:`render_records_panel` is called by the page with the current
:class:`bsa.records.session.Assessment`. It offers:

- the session file: download this assessment as JSON; load one (read strictly: a refused
  file shows why and changes nothing on the page);
- the application map: the one-page PDF (A4 or US Letter) with the notes typed here;
- the visit history (a local SQLite file, :mod:`bsa.records.history`): choose or create a patient
  pseudonym, save this assessment as a visit (only when asked), the timeline of %BSA per
  visit with the rule's limit, two visits' maps side by side, put a visit back on the
  page, delete a visit or a patient (after confirmation), export CSV.

Every error becomes ``st.error``; the rest of the page keeps working. Widget keys start
with ``records_``. The notes typed here are also kept in ``st.session_state["notes"]``,
where the page reads them when it builds the assessment.
"""

from __future__ import annotations

import functools
import io
import logging
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import streamlit as st

from bsa.core.charts import describe_age
from bsa.errors import BSAInputError
from bsa.records.history import ENV_VAR, History, Visit
from bsa.records.session import (
    MAX_NOTES_CHARS,
    MAX_SESSION_BYTES,
    Assessment,
    TotalsMismatchError,
    from_json,
    to_json,
)

__all__ = [
    "comparison_png",
    "read_session_upload",
    "render_records_panel",
    "timeline_png",
]

_log = logging.getLogger(__name__)
_PAPERS = {"A4": "a4", "US Letter": "letter"}
_FIXED_TIME = datetime(2000, 1, 1)  # cache keys must not change with the saving time


# ---------------------------------------------------------------------------- helpers


def _guard(what: str, section: Callable[..., Any], *args: Any) -> Any:
    """Run one section of the panel; any error becomes a message, never a traceback."""
    try:
        return section(*args)
    except BSAInputError as exc:
        st.error(str(exc))
    except Exception as exc:  # noqa: BLE001 - the page must keep working whatever happens
        _log.exception("records panel: %s failed", what)
        st.error(f"Something went wrong with {what}: {exc}")
    return None


def read_session_upload(data: bytes, size: int | None = None) -> Assessment:
    """Read an uploaded session file strictly (see :func:`bsa.records.session.from_json`).

    Raises
    ------
    BSAInputError
        For a file that is too large, malformed, of an unknown version or out of range.
    """
    size = len(data) if size is None else size
    if size > MAX_SESSION_BYTES:
        raise BSAInputError(
            f"the file is {size} bytes, larger than the {MAX_SESSION_BYTES} byte limit for "
            "session files"
        )
    return from_json(data)


def _safe_file_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "patient"


@functools.lru_cache(maxsize=16)
def _map_pdf(session_text: str, paper: str, day: str) -> bytes:
    from bsa.report.layout import render_report

    return render_report(from_json(session_text), "pdf", paper=paper, date=day)


@functools.lru_cache(maxsize=16)
def _map_preview(session_text: str, paper: str, day: str) -> bytes:
    from bsa.report.layout import render_report

    return render_report(from_json(session_text), "png", paper=paper, date=day, dpi=70)


def _figure_png(fig, dpi: float = 110) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def timeline_png(visits: Sequence[Visit]) -> bytes:
    """A plot of the total per visit, with each rule's area limit as a dashed line.

    Parameters
    ----------
    visits : sequence of Visit
        One patient's visits (from :meth:`bsa.records.history.History.list_visits`).

    Returns
    -------
    bytes
        PNG.
    """
    return _timeline_png(tuple((v.visit_date, v.percent_bsa, v.rule_id) for v in visits))


@functools.lru_cache(maxsize=32)
def _timeline_png(points: tuple[tuple[str, float, str | None], ...]) -> bytes:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure

    from bsa.treatment.label_rules import load_rule

    days = [date.fromisoformat(d) for d, _, _ in points]
    totals = [t for _, t, _ in points]
    fig = Figure(figsize=(7.0, 2.8))
    ax = fig.add_axes((0.09, 0.2, 0.58, 0.72))
    ax.plot(days, totals, marker="o", color="#0b4f8a", linewidth=1.6, label="Marked area")
    for day, total in zip(days, totals):
        ax.annotate(f"{total:.1f}%", (day, total), textcoords="offset points", xytext=(0, 7),
                    ha="center", fontsize=8)
    top = max(totals + [1.0])
    styles = iter(["--", ":", "-."])
    for rule_id in dict.fromkeys(r for _, _, r in points if r):
        rule = load_rule(rule_id)
        limit = rule.max_percent_bsa
        top = max(top, limit)
        ax.axhline(limit, color="#8a3b0b", linestyle=next(styles, "--"), linewidth=1.3,
                   label=f"Area limit {limit:g}% ({rule.jurisdiction}, "
                   f"{rule.indication.lower()})")
    ax.set_ylim(0, top * 1.2)
    ax.set_ylabel("% of body surface")
    unique_days = sorted(set(days))
    if len(unique_days) <= 6:  # few visits: a tick at each
        ax.set_xticks(unique_days)
        ax.set_xticklabels([f"{d.day} {d:%b}\n{d.year}" for d in unique_days], fontsize=8)
        if len(unique_days) == 1:
            ax.set_xlim(unique_days[0] - timedelta(days=7), unique_days[0] + timedelta(days=7))
    else:
        locator = AutoDateLocator(maxticks=6)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, [_wrap_label(t) for t in labels], loc="center left",
               bbox_to_anchor=(0.69, 0.55), fontsize=7.5, frameon=False)
    return _figure_png(fig)


def _wrap_label(text: str, width: int = 30) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


def comparison_png(first: Visit, second: Visit) -> bytes:
    """Two visits' maps side by side (front and back of each), with their totals.

    Parameters
    ----------
    first, second : Visit
        Visits with their assessment (from :meth:`bsa.records.history.History.get_visit`).

    Returns
    -------
    bytes
        PNG.
    """
    from matplotlib.figure import Figure

    from bsa.report.layout import draw_marked_view

    fig = Figure(figsize=(8.0, 4.6))
    for i, visit in enumerate((first, second)):
        a = visit.assessment
        est = a.estimate()
        for j, view in enumerate(("front", "back")):
            ax = fig.add_axes((0.01 + 0.5 * i + 0.24 * j, 0.02, 0.23, 0.8))
            draw_marked_view(ax, a, view, font_size=6.5, estimate=est)
            ax.set_title(view.capitalize(), fontsize=8, pad=1)
        fig.text(0.25 + 0.5 * i, 0.95, f"{visit.visit_date}: {est.percent_bsa:.1f}%",
                 ha="center", va="center", fontsize=11, fontweight="bold", parse_math=False)
        fig.text(0.25 + 0.5 * i, 0.895, f"age {a.age_years:g}, visit {visit.visit_id}",
                 ha="center", va="center", fontsize=8, color="#555555", parse_math=False)
    fig.add_artist(_divider(fig))
    return _figure_png(fig, dpi=100)


def _divider(fig):
    from matplotlib.lines import Line2D

    return Line2D([0.5, 0.5], [0.04, 0.92], transform=fig.transFigure, color="#bbbbbb",
                  linewidth=0.8)


def _visit_label(v: Visit) -> str:
    return f"{v.visit_date}: {v.percent_bsa:.1f}% (visit {v.visit_id})"


# ---------------------------------------------------------------------------- sections


def _notes(assessment: Assessment) -> Assessment:
    """The notes printed on the map, kept in step with a loaded session's notes."""
    current = assessment.notes
    if st.session_state.get("records_notes_synced") != current:
        st.session_state["records_notes"] = current
        st.session_state["records_notes_synced"] = current

    def changed() -> None:
        text = st.session_state["records_notes"]
        st.session_state["notes"] = text  # the page builds its assessment with these
        st.session_state["records_notes_synced"] = text

    text = st.text_area(
        "Notes for the map (printed on it and saved with the session)",
        key="records_notes", max_chars=MAX_NOTES_CHARS, height=80, on_change=changed,
        placeholder="e.g. apply a thin layer twice a day; review in 8 weeks",
    )
    return assessment.replace(notes=text)


def _session_file(assessment: Assessment) -> Assessment | None:
    st.markdown("**Session file**")
    st.download_button(
        "Download this session (.json)", data=to_json(assessment),
        file_name=f"bsa-session-{date.today().isoformat()}.json",
        mime="application/json", key="records_session_download", on_click="ignore",
        help="Age, chart, rule, marks and totals: open it again here, or print its map "
        "with 'python -m bsa report'.",
    )
    upload = st.file_uploader(
        "Open a session file", type=["json"], key="records_upload",
        help=f"A file saved by this page (at most {MAX_SESSION_BYTES // 1_000_000} MB).",
    )
    if upload is None:
        return None
    try:
        loaded = read_session_upload(upload.getvalue(), upload.size)
    except TotalsMismatchError as exc:
        st.warning(f"{upload.name}: {exc}. Its marks can still be opened; the totals are then "
                   "worked out again with this version's charts.")
        if not st.checkbox("Open it with the totals worked out again",
                           key="records_upload_recompute"):
            return None
        loaded = from_json(upload.getvalue(), check_totals=False)
    except BSAInputError as exc:
        st.error(f"{upload.name} was not opened, and nothing on the page changed: {exc}")
        return None
    total = loaded.estimate().percent_bsa
    st.caption(f"{upload.name}: age {describe_age(loaded.age_years)}, {total:.1f}% of body surface"
               f" marked.")
    if st.button("Put it on the page (replaces the current marks)", key="records_load_session"):
        return loaded
    return None


def _application_map(assessment: Assessment) -> None:
    st.markdown("**Application map** (one page to take home)")
    paper_label = st.radio("Paper", list(_PAPERS), horizontal=True, key="records_paper")
    day = st.date_input("Date on the map", value=date.today(), key="records_map_date",
                        format="YYYY-MM-DD")
    paper = _PAPERS[paper_label]
    day_text = day.isoformat() if isinstance(day, date) else date.today().isoformat()
    key_text = to_json(assessment, saved_at=_FIXED_TIME)
    st.download_button(
        f"Download the application map (PDF, {paper_label})",
        data=lambda: _map_pdf(key_text, paper, day_text),
        file_name=f"application-map-{day_text}.pdf", mime="application/pdf",
        key="records_map_download", on_click="ignore",
    )
    if st.toggle("Show a preview", key="records_map_preview"):
        st.image(_map_preview(key_text, paper, day_text),
                 caption="The application map as it will print")


def _visit_history(assessment: Assessment) -> Assessment | None:
    history = History()
    st.markdown("**Visit history**")
    st.caption(
        f"Kept on this computer in `{history.path}` (set the {ENV_VAR} environment variable "
        "to keep it elsewhere). Patients are known only by a pseudonym; nothing is written "
        "until you save a visit."
    )
    patients = [p.pseudonym for p in history.list_patients()]
    if st.session_state.get("records_patient") not in (None, *patients):
        del st.session_state["records_patient"]  # deleted meanwhile
    left, right = st.columns(2)
    with left:
        chosen = st.selectbox("Patient", patients, index=None, key="records_patient",
                              placeholder="Choose a patient" if patients else "No patients yet")
    with right:
        new = st.text_input("Or a new pseudonym", key="records_new_pseudonym", max_chars=64,
                            help="Any label you choose, e.g. initials and a number. "
                            "Not the patient's name.")
    pseudonym = (new or "").strip() or chosen
    if new and new.strip().casefold() in {p.casefold() for p in patients}:
        st.caption(f"{new.strip()} is already in the history: a visit saved now is added to "
                   "that patient's visits.")
    left, right = st.columns(2)
    with left:
        visit_day = st.date_input("Visit date", value=date.today(), key="records_visit_date",
                                  format="YYYY-MM-DD")
    with right:
        st.write("")
        st.button("Save this assessment as a visit", key="records_save_visit",
                  disabled=not pseudonym, type="primary", on_click=_save_visit,
                  args=(str(history.path), pseudonym, assessment, visit_day))
    _show_flash()
    if not pseudonym:
        return None
    try:
        visits = history.list_visits(pseudonym)
    except BSAInputError as exc:
        st.error(str(exc))
        return None
    if not visits:
        st.info(f"No visits saved for {pseudonym} yet.")
        return _patient_tools(history, pseudonym, visits)
    st.image(timeline_png(visits), caption=f"{pseudonym}: marked area per visit")
    st.dataframe(
        [
            {"date": v.visit_date, "visit": v.visit_id, "age": v.age_years,
             "% body surface": round(v.percent_bsa, 2), "chart": v.chart,
             "rule": v.rule_id or "none"}
            for v in visits
        ],
        hide_index=True, key="records_visits_table",
    )
    loaded = _compare(history, visits)
    return _patient_tools(history, pseudonym, visits) or loaded


def _compare(history: History, visits: list[Visit]) -> Assessment | None:
    by_id = {v.visit_id: v for v in visits}
    ids = list(by_id)
    labels = {v.visit_id: _visit_label(v) for v in visits}
    if len(ids) >= 2:
        st.markdown("Compare two visits")
        left, right = st.columns(2)
        with left:
            first = st.selectbox("Earlier", ids, index=len(ids) - 2, key="records_compare_a",
                                 format_func=labels.get)
        with right:
            second = st.selectbox("Later", ids, index=len(ids) - 1, key="records_compare_b",
                                  format_func=labels.get)
        if first is not None and second is not None:
            a, b = history.get_visit(first), history.get_visit(second)
            st.image(_comparison_png(str(history.path), a.visit_id, a.saved_at,
                                     b.visit_id, b.saved_at),
                     caption="The two visits' maps")
            change = b.percent_bsa - a.percent_bsa
            st.caption(f"Change from {a.visit_date} to {b.visit_date}: {change:+.1f} "
                       "percentage points of body surface.")
    pick = st.selectbox("Visit to put on the page or delete", ids, index=len(ids) - 1, key="records_visit_pick",
                        format_func=labels.get)
    if pick is None:
        return None
    left, right = st.columns(2)
    loaded = None
    with left:
        if st.button("Put this visit on the page", key="records_load_visit"):
            loaded = history.get_visit(pick).assessment
    with right:
        sure = st.checkbox(f"Yes, delete visit {pick}", key="records_confirm_visit")
        st.button("Delete this visit", key="records_delete_visit", disabled=not sure,
                  on_click=_delete_visit, args=(str(history.path), pick))
    return loaded


@functools.lru_cache(maxsize=16)
def _comparison_png(path: str, id_a: int, saved_a: str, id_b: int, saved_b: str) -> bytes:
    history = History(path)
    return comparison_png(history.get_visit(id_a), history.get_visit(id_b))


def _patient_tools(history: History, pseudonym: str, visits: list[Visit]) -> None:
    if visits:
        st.download_button(
            f"Export {pseudonym}'s visits (CSV)", data=history.export_csv(pseudonym),
            file_name=f"bsa-visits-{_safe_file_part(pseudonym)}.csv", mime="text/csv",
            key="records_export_csv", on_click="ignore",
        )
    known = {p.casefold() for p in (q.pseudonym for q in history.list_patients())}
    if pseudonym.casefold() not in known:
        return None
    with st.expander(f"Delete {pseudonym} and all their visits"):
        typed = st.text_input("Type the pseudonym to confirm", key="records_confirm_patient")
        ok = typed.strip().casefold() == pseudonym.casefold()
        st.button("Delete this patient", key="records_delete_patient", disabled=not ok,
                  on_click=_delete_patient, args=(str(history.path), pseudonym))
    return None


# Actions run as button callbacks: before the rerun draws the lists, so what is shown
# afterwards is what the file holds. Their outcome is shown once, by _show_flash().


def _flash(kind: str, text: str) -> None:
    st.session_state["records_flash"] = (kind, text)


def _show_flash() -> None:
    kind, text = st.session_state.pop("records_flash", (None, None))
    if kind == "success":
        st.success(text)
    elif kind == "error":
        st.error(text)


def _save_visit(path: str, pseudonym: str, assessment: Assessment, day: date) -> None:
    try:
        visit_id = History(path).add_visit(pseudonym, assessment, day)
    except BSAInputError as exc:
        _flash("error", f"The visit was not saved: {exc}")
        return
    _flash("success", f"Saved as visit {visit_id} of {pseudonym} "
                      f"({assessment.estimate().percent_bsa:.1f}% of body surface).")


def _delete_visit(path: str, visit_id: int) -> None:
    try:
        History(path).delete_visit(visit_id)
    except BSAInputError as exc:
        _flash("error", f"The visit was not deleted: {exc}")
        return
    for key in ("records_visit_pick", "records_confirm_visit", "records_compare_a",
                "records_compare_b"):
        st.session_state.pop(key, None)
    _flash("success", f"Visit {visit_id} was deleted.")


def _delete_patient(path: str, pseudonym: str) -> None:
    try:
        n = History(path).delete_patient(pseudonym)
    except BSAInputError as exc:
        _flash("error", f"The patient was not deleted: {exc}")
        return
    for key in ("records_patient", "records_new_pseudonym", "records_confirm_patient",
                "records_visit_pick", "records_confirm_visit", "records_compare_a",
                "records_compare_b"):
        st.session_state.pop(key, None)
    _flash("success", f"{pseudonym} and {n} visit{'s' if n != 1 else ''} were deleted.")


# ---------------------------------------------------------------------------- public


def render_records_panel(assessment: Assessment) -> Assessment | None:
    """Draw the records panel for the current assessment.

    Parameters
    ----------
    assessment : Assessment
        What the page shows now (saved, printed or stored as a visit).

    Returns
    -------
    Assessment or None
        An assessment the user chose to put on the page (from a session file or a stored
        visit), else None. The page applies it and reruns.
    """
    loaded = None
    current = _guard("the notes", _notes, assessment) or assessment
    left, right = st.columns(2, gap="medium")
    with left:
        loaded = _guard("the session file", _session_file, current)
    with right:
        _guard("the application map", _application_map, current)
    st.divider()
    return _guard("the visit history", _visit_history, current) or loaded
