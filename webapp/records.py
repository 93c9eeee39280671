"""The page's records panel: session files, the application map and the visit history.

:func:`render_records_panel` is called by the page with the assessment on screen. It offers:

- the session file: prepare this assessment as JSON, then download it; load one (read
  strictly: a refused file shows why and changes nothing on the page);
- the application map: the one-page PDF or PNG (A4 or US Letter) with the notes typed here;
- the visit history (a local SQLite file, :mod:`bsa.records.history`), only for a browser on
  the serving machine (:mod:`webapp.access`): choose or create a patient pseudonym, save this
  assessment as a visit (only when asked), the timeline of the area to treat per visit with
  the rule's limit (for a visit with layers of marks, its stored assessment evaluated again:
  the history stores the affected skin's total), two visits' maps side by side, put a visit
  back on the page, delete a visit or a patient (after confirmation), export CSV.

Every layer of marks (the treatment area, do-not-apply areas, zones) is in the assessment
:func:`webapp.state.current_assessment` builds, so session files and visits keep them.

What is on screen at the moment of a click is what is saved or handed over: every action is
a button callback that reads ``st.session_state`` then (the pseudonym, the dates, and the
assessment through :func:`webapp.state.current_assessment`); files are made that way and
offered only while the page still shows what they were made from.

The panel's words are in the page's language (:mod:`webapp.words`): the panel is drawn, and
its callbacks run, with the package's words in that language too; the printed map in its
print digits. File names and the CSV export's column headers stay English.

Every error becomes a message; the rest of the page keeps working. File names, pseudonyms,
notes and error messages are shown literally (:func:`webapp.text.say`). Widget keys start
with ``records_``. The notes typed here are also kept in ``st.session_state["notes"]``.
"""

from __future__ import annotations

import functools
import io
import logging
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import streamlit as st

from bsa.core.charts import describe_age
from bsa.errors import BSAInputError
from bsa.records.assessment import MAX_NOTES_CHARS, Assessment
from bsa.records.history import ENV_VAR, History, Visit
from bsa.records.session import (
    MAX_SESSION_BYTES,
    TotalsMismatchError,
    display_language,
    from_json,
    to_json,
)

from .access import history_allowed
from .state import IncompleteInputs, current_assessment, fingerprint, mark_kept, page_state_for
from .text import say
from .words import N_, _, in_page_language, ngettext, page_language, pgettext, speaking

__all__ = [
    "comparison_png",
    "describe",
    "read_session_upload",
    "render",
    "render_records_panel",
    "timeline_png",
]

_log = logging.getLogger(__name__)
_PAPERS = {"A4": "a4", "US Letter": "letter"}
_FIXED_TIME = datetime(2000, 1, 1)  # cache keys must not change with the saving time


# ---------------------------------------------------------------------------- helpers


def _guard(what: str, section: Callable[..., Any], *args: Any) -> Any:
    """Run one section of the panel; any error becomes a message, never a traceback.

    ``what`` is an English message marked with ``N_()``, shown in the page's language."""
    try:
        return section(*args)
    except BSAInputError as exc:
        say(str(exc), "error")
    except Exception as exc:  # noqa: BLE001 - the page must keep working whatever happens
        _log.exception("records panel: %s failed", what)
        say(_("Something went wrong with {what}: {error}").format(what=_(what), error=exc),
            "error")
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
            _("the file is {size} bytes, larger than the {limit} byte limit for session "
              "files").format(size=size, limit=MAX_SESSION_BYTES)
        )
    return from_json(data)


def _paper_name(label: str) -> str:
    """A paper's name as shown (the option value, ``"A4"`` or ``"US Letter"``, stays)."""
    # TRANSLATORS: the North American paper size (216 x 279 mm), beside A4
    return pgettext("paper", "US Letter") if label == "US Letter" else label


def _safe_file_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "patient"


@functools.lru_cache(maxsize=16)
def _map_preview(session_text: str, paper: str, day: str, lang: str) -> bytes:
    """The map as it will print, in the page's language ``lang`` (part of the cache key)."""
    from bsa.report.layout import render_report

    with speaking("print"):
        return render_report(from_json(session_text), "png", paper=paper, date=day, dpi=70)


def _figure_png(fig, dpi: float = 110) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def _font_family() -> list[str]:
    """The fonts for a picture's text: Bengali letters from the shipped font (:mod:`bsa.fonts`),
    given to each text (matplotlib's global settings are shared by every session's thread)."""
    from bsa.fonts import FAMILY, register

    register()
    return list(FAMILY)


def timeline_png(visits: Sequence[Visit], totals: Sequence[float] | None = None) -> bytes:
    """A plot of the area to treat per visit, with each rule's area limit as a dashed line.

    Parameters
    ----------
    visits : sequence of Visit
        One patient's visits (from :meth:`bsa.records.history.History.list_visits`).
    totals : sequence of float, optional
        Each visit's area to treat (:func:`_visit_totals`); by default the total stored with
        the visit (the affected skin, which is the area to treat for a visit without
        layers). [% of body surface]

    Returns
    -------
    bytes
        PNG.
    """
    totals = [v.percent_bsa for v in visits] if totals is None else list(totals)
    return _timeline_png(tuple((v.visit_date, t, v.rule_id)
                               for v, t in zip(visits, totals, strict=True)), page_language())


@functools.lru_cache(maxsize=512)
def _treated_total(path: str, visit_id: int, saved_at: str, stored: float) -> float:
    """A visit's area to treat: for a visit with layers, its evaluation's treated total;
    else the total stored with it (the same skin)."""
    from bsa.evaluation import evaluate

    assessment = History(path).get_visit(visit_id).assessment
    if not assessment.has_layers:
        return stored
    return float(evaluate(assessment).treated_percent_bsa)


def _visit_totals(path: str, visits: Sequence[Visit]) -> tuple[float, ...]:
    """Each visit's area to treat, what the label's area limit is compared with. [%]

    A visit with layers stores its affected skin's total; its area to treat comes from
    evaluating the stored assessment (cached per visit; no change to the history's schema).
    """
    return tuple(_treated_total(path, v.visit_id, v.saved_at, v.percent_bsa) for v in visits)


# Dates on the timeline's axis in a language other than English: numbers (as the page's date
# fields write them), not English month abbreviations.
_ISO_DATE_FORMATS = {
    "formats": ["%Y", "%Y-%m", "%Y-%m-%d", "%H:%M", "%H:%M", "%S.%f"],
    "zero_formats": ["", "%Y", "%Y-%m", "%Y-%m-%d", "%H:%M", "%H:%M"],
    "offset_formats": ["", "%Y", "%Y-%m", "%Y-%m-%d", "%Y-%m-%d", "%Y-%m-%d %H:%M"],
}


def _short_day(d: date, lang: str) -> str:
    """A tick's date in two lines: ``5 Jan`` / ``2026`` (the month's name in Bengali)."""
    from bsa.i18n import month_name

    month = f"{d:%b}" if lang == "en" else month_name(d.month)
    return f"{d.day} {month}\n{d.year}"


@functools.lru_cache(maxsize=32)
def _timeline_png(points: tuple[tuple[str, float, str | None], ...], lang: str) -> bytes:
    """The timeline in the page's language ``lang`` (part of the cache key)."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure

    from bsa.i18n import _ as package_words
    from bsa.treatment.label_rules import load_rule

    family = _font_family()
    days = [date.fromisoformat(d) for d, _total, _rule in points]
    totals = [t for _day, t, _rule in points]
    fig = Figure(figsize=(7.0, 2.8))
    ax = fig.add_axes((0.09, 0.2, 0.58, 0.72))
    with speaking():
        ax.plot(days, totals, marker="o", color="#0b4f8a", linewidth=1.6,
                label=_("Area to treat"))
        for day, total in zip(days, totals):
            ax.annotate(f"{total:.1f}%", (day, total), textcoords="offset points",
                        xytext=(0, 7), ha="center", fontsize=8, fontfamily=family)
        top = max(totals + [1.0])
        styles = iter(["--", ":", "-."])
        for rule_id in dict.fromkeys(r for _day, _total, r in points if r):
            rule = load_rule(rule_id)
            limit = rule.max_percent_bsa
            top = max(top, limit)
            # the indication is one of the data's messages (bsa/_catalogue.py)
            indication = (rule.indication.lower() if lang == "en"
                          else package_words(rule.indication))
            ax.axhline(limit, color="#8a3b0b", linestyle=next(styles, "--"), linewidth=1.3,
                       label=_("Area limit {limit}% ({jurisdiction}, {indication})").format(
                           limit=f"{limit:g}", jurisdiction=rule.jurisdiction,
                           indication=indication))
        ax.set_ylim(0, top * 1.2)
        ax.set_ylabel(_("% of body surface"), fontfamily=family)
        unique_days = sorted(set(days))
        if len(unique_days) <= 6:  # few visits: a tick at each
            ax.set_xticks(unique_days)
            ax.set_xticklabels([_short_day(d, lang) for d in unique_days], fontsize=8)
            if len(unique_days) == 1:
                ax.set_xlim(unique_days[0] - timedelta(days=7),
                            unique_days[0] + timedelta(days=7))
        else:
            locator = AutoDateLocator(maxticks=6)
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(ConciseDateFormatter(
                locator, **({} if lang == "en" else _ISO_DATE_FORMATS)))
    ax.tick_params(labelfontfamily=family)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, [_wrap_label(t) for t in labels], loc="center left",
               bbox_to_anchor=(0.69, 0.55), frameon=False,
               prop={"family": family, "size": 7.5})
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

    from bsa.evaluation import evaluate
    from bsa.report.content import format_percent
    from bsa.report.layout import draw_marked_view

    family = _font_family()
    view_names = {"front": pgettext("view", "Front"), "back": pgettext("view", "Back")}
    fig = Figure(figsize=(8.0, 4.6))
    for i, visit in enumerate((first, second)):
        a = visit.assessment
        with speaking():  # the package's words on the figures (right and left) too
            ev = evaluate(a)
            est = ev.estimate  # the area to treat (the affected skin without layers)
            labels = {p: format_percent(v) for p, v in est.by_half.items() if v > 0}
            for j, view in enumerate(("front", "back")):
                ax = fig.add_axes((0.01 + 0.5 * i + 0.24 * j, 0.02, 0.23, 0.8))
                draw_marked_view(ax, a, view, font_size=6.5, half_labels=labels,
                                 evaluation=ev)
                ax.set_title(view_names[view], fontsize=8, pad=1, fontfamily=family)
        percent = f"{est.percent_bsa:.1f}"
        title = (_("{date}: {percent}% to treat").format(date=visit.visit_date, percent=percent)
                 if ev.layered else f"{visit.visit_date}: {percent}%")
        fig.text(0.25 + 0.5 * i, 0.95, title, ha="center", va="center", fontsize=11,
                 fontweight="bold", parse_math=False, fontfamily=family)
        fig.text(0.25 + 0.5 * i, 0.895,
                 _("age {age}, visit {number}").format(age=f"{a.age_years:g}",
                                                       number=visit.visit_id),
                 ha="center", va="center", fontsize=8, color="#555555", parse_math=False,
                 fontfamily=family)
    fig.add_artist(_divider(fig))
    return _figure_png(fig, dpi=100)


def _divider(fig):
    from matplotlib.lines import Line2D

    return Line2D([0.5, 0.5], [0.04, 0.92], transform=fig.transFigure, color="#bbbbbb",
                  linewidth=0.8)


def _visit_label(v: Visit, total: float) -> str:
    return _("{date}: {percent}% to treat (visit {number})").format(
        date=v.visit_date, percent=f"{total:.1f}", number=v.visit_id)


# ---------------------------------------------------------------------------- what a file holds


def _pseudonym_key(pseudonym: str) -> str:
    # TODO: import bsa.records.history.pseudonym_key once it exists (same normalisation).
    return unicodedata.normalize("NFC", pseudonym).casefold()


def _first_words(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("\u2026" if len(parts) > words else "")


def describe(assessment: Assessment) -> str:
    """What an assessment says, in one line: age, total, rule, notes (for files and visits)."""
    from .inputs import rule_title

    total = f"{assessment.estimate().percent_bsa:.1f}"
    with speaking():
        age = describe_age(assessment.age_years)
    rule = (_("compared with {rule}").format(rule=rule_title(assessment.rule_id))
            if assessment.rule_id else _("no label rule"))
    notes = (_("notes \u201c{notes}\u201d").format(notes=_first_words(assessment.notes))
             if assessment.notes.strip() else _("no notes"))
    if assessment.has_layers:
        from bsa.evaluation import evaluate

        ev = evaluate(assessment)
        return _("age {age}, {percent}% of body surface affected, {treated}% to treat with "
                 "this cream, {rule}, {notes}").format(
            age=age, percent=total, treated=f"{ev.treated_percent_bsa:.1f}", rule=rule,
            notes=notes)
    return _("age {age}, {percent}% of body surface marked, {rule}, {notes}").format(
        age=age, percent=total, rule=rule, notes=notes)


# ---------------------------------------------------------------------------- prepared files
#
# A download button hands over bytes made when the page was drawn: a field edited and
# clicked away from at once would be missing from them. So a file is made by a button
# callback from what is on screen at the click, kept with the fingerprint of what it was made
# from, and offered only while the page still shows exactly that; after any change it is
# dropped and the user is asked to prepare it again.


def _prepared_key(kind: str) -> str:
    return f"records_prepared_{kind}"


def _prepare(kind: str, make: Callable[[], dict[str, Any]]) -> None:
    try:
        st.session_state[_prepared_key(kind)] = make()
    except BSAInputError as exc:
        st.session_state.pop(_prepared_key(kind), None)
        _flash(kind, "error", _("Nothing was prepared: {error}").format(error=exc))
    except Exception as exc:  # noqa: BLE001 - the page must keep working whatever happens
        _log.exception("records panel: preparing the %s failed", kind)
        st.session_state.pop(_prepared_key(kind), None)
        _flash(kind, "error",
               _("Nothing was prepared, something went wrong: {error}").format(error=exc))


def _offer(kind: str, key_now: str | None, label: str, *, on_click: Any = "ignore",
           args: tuple = ()) -> None:
    """Offer the prepared file of ``kind`` if it was made from what the page shows now."""
    prepared = st.session_state.get(_prepared_key(kind))
    if prepared is None:
        return
    if prepared.get("key") != key_now:
        st.session_state[_prepared_key(kind)] = {"key": None, "dropped": True}
        prepared = st.session_state[_prepared_key(kind)]
    if prepared.get("dropped"):
        say(_("The page changed after the file was prepared, so it was dropped: prepare it "
              "again to download what the page shows now."), "warning")
        return
    say(_("Ready: {file_name}: {description}.").format(file_name=prepared["file_name"],
                                                        description=prepared["description"]),
        "caption")
    st.download_button(
        label, data=prepared["data"], file_name=prepared["file_name"], mime=prepared["mime"],
        key=f"records_{kind}_download", on_click=on_click, args=args, type="primary",
    )


@in_page_language
def _prepare_session(current: Callable[..., Assessment]) -> None:
    def make() -> dict[str, Any]:
        assessment = current(complete=True)
        return {
            "key": fingerprint(assessment, page_language()),
            # The page's language travels with the file, and comes back when it is opened.
            "data": to_json(assessment, display={"language": page_language()}).encode("utf-8"),
            "file_name": f"bsa-session-{date.today().isoformat()}.json",
            "mime": "application/json",
            "description": describe(assessment),
        }

    _prepare("session", make)


def _map_choices() -> tuple[str, str, str]:
    """(paper label, format, date) on screen; raises when the date field is empty."""
    paper_label = st.session_state.get("records_paper") or "A4"
    fmt = st.session_state.get("records_map_format") or "PDF"
    day = st.session_state.get("records_map_date")
    if not isinstance(day, date):
        raise IncompleteInputs(_("a date for the map is needed (YYYY-MM-DD)"))
    return paper_label, fmt, day.isoformat()


@in_page_language
def _prepare_map(current: Callable[..., Assessment]) -> None:
    from bsa.report.layout import render_report

    def make() -> dict[str, Any]:
        assessment = current(complete=True)
        paper_label, fmt, day = _map_choices()
        extension = fmt.lower()
        with speaking("print"):  # the map in the page's language, with its print digits
            data = render_report(assessment, extension, paper=_PAPERS[paper_label], date=day)
        return {
            "key": fingerprint(assessment, paper_label, fmt, day, page_language()),
            "data": data,
            "file_name": f"application-map-{day}.{extension}",
            "mime": "application/pdf" if extension == "pdf" else "image/png",
            "description": _("{format}, {paper}, date on the map {date}, {description}").format(
                format=fmt, paper=_paper_name(paper_label), date=day,
                description=describe(assessment)),
        }

    _prepare("map", make)


def _visits_key(pseudonym: str | None, visits: Sequence[Visit]) -> str | None:
    if not pseudonym:
        return None
    return "|".join([_pseudonym_key(pseudonym), *(f"{v.visit_id}@{v.saved_at}" for v in visits)])


@in_page_language
def _prepare_csv(path: str) -> None:
    def make() -> dict[str, Any]:
        pseudonym = _pseudonym_on_screen()
        if not pseudonym:
            raise BSAInputError(_("a pseudonym is needed to export a patient's visits"))
        history = History(path)
        visits = history.list_visits(pseudonym)
        if not visits:
            raise BSAInputError(_("{pseudonym} has no visits to export").format(
                pseudonym=pseudonym))
        span = (visits[0].visit_date if len(visits) == 1
                else _("{first} to {last}").format(first=visits[0].visit_date,
                                                   last=visits[-1].visit_date))
        return {
            "key": _visits_key(pseudonym, visits),
            # the file is data for researchers: its column headers stay English
            "data": history.export_csv(pseudonym).encode("utf-8"),
            "file_name": f"bsa-visits-{_safe_file_part(pseudonym)}.csv",
            "mime": "text/csv",
            "description": ngettext("{n} visit of {pseudonym}, {span}",
                                    "{n} visits of {pseudonym}, {span}", len(visits)).format(
                n=len(visits), pseudonym=visits[0].pseudonym, span=span),
        }

    _prepare("csv", make)


# ---------------------------------------------------------------------------- sections


def _bold(heading: str) -> str:
    """A heading of the panel (a message of this project's, never user text) in bold."""
    return f"**{heading}**"


def _keep_notes() -> None:
    st.session_state["notes"] = st.session_state["records_notes"]


def _notes() -> None:
    """The notes printed on the map and saved with the session (kept in ``notes`` too)."""
    if "records_notes" not in st.session_state:  # the panel was hidden, or a file was loaded
        st.session_state["records_notes"] = st.session_state.get("notes", "")
    st.text_area(
        _("Notes for the map (printed on it and saved with the session)"),
        key="records_notes", max_chars=MAX_NOTES_CHARS, height=80, on_change=_keep_notes,
        placeholder=_("e.g. apply a thin layer twice a day; review in 8 weeks"),
    )


def _session_file(assessment: Assessment, current: Callable[..., Assessment],
                  blocked: bool) -> Assessment | None:
    st.markdown(_bold(_("Session file")))
    st.button(_("Prepare the session file (.json)"), key="records_prepare_session",
              on_click=_prepare_session, args=(current,), disabled=blocked,
              help=_("Age, chart, rule, marks, typed shares, notes and totals as the page shows "
                     "them when you click: open it again here, or print its map with "
                     "'python -m bsa report'."))
    _show_flash("session")
    _offer("session", fingerprint(assessment, page_language()), _("Download the session file"),
           on_click=mark_kept, args=(fingerprint(assessment),))
    upload = st.file_uploader(
        _("Open a session file"), type=["json"], key="records_upload",
        help=_("A file saved by this page (at most {size} MB).").format(
            size=MAX_SESSION_BYTES // 1_000_000),
    )
    if upload is None:
        return None
    try:
        loaded = read_session_upload(upload.getvalue(), upload.size)
    except TotalsMismatchError as exc:
        say(_("{file_name}: {error}. Its marks can still be opened; the totals are then "
              "worked out again with this version's charts.").format(file_name=upload.name,
                                                                     error=exc), "warning")
        if not st.checkbox(_("Open it with the totals worked out again"),
                           key="records_upload_recompute"):
            return None
        try:
            loaded = from_json(upload.getvalue(), check_totals=False)
        except BSAInputError as again:
            say(_not_opened(upload.name, again), "error")
            return None
    except BSAInputError as exc:
        say(_not_opened(upload.name, exc), "error")
        return None
    try:
        page_state_for(loaded)  # everything the page needs, checked before it is offered
    except BSAInputError as exc:
        say(_("{file_name} cannot be shown on this page, and nothing on the page changed: "
              "{error}").format(file_name=upload.name, error=exc), "error")
        return None
    say(f"{upload.name}: {describe(loaded)}.", "caption")
    if st.button(_("Put it on the page (replaces the current marks)"),
                 key="records_load_session"):
        # The language the file was saved in (if it says): the page takes it with the marks.
        st.session_state["pending_language"] = display_language(upload.getvalue())
        return loaded
    return None


def _not_opened(file_name: str, error: Exception) -> str:
    return _("{file_name} was not opened, and nothing on the page changed: {error}").format(
        file_name=file_name, error=error)


def _application_map(assessment: Assessment, current: Callable[..., Assessment],
                     blocked: bool) -> None:
    st.markdown(_("**Application map** (one page to take home)"))
    left, right = st.columns(2)
    paper_label = left.radio(_("Paper"), list(_PAPERS), horizontal=True, key="records_paper",
                             format_func=_paper_name)
    fmt = right.radio(_("Format"), ["PDF", "PNG"], horizontal=True, key="records_map_format")
    day = st.date_input(_("Date on the map"), value=date.today(), key="records_map_date",
                        format="YYYY-MM-DD")
    st.button(_("Prepare the application map"), key="records_prepare_map",
              on_click=_prepare_map, args=(current,), disabled=blocked,
              help=_("Made from what the page shows when you click, with the paper, format "
                     "and date chosen here."))
    _show_flash("map")
    if not isinstance(day, date):
        say(_("A date for the map is needed (YYYY-MM-DD)."), "error")
        return
    _offer("map", fingerprint(assessment, paper_label, fmt, day.isoformat(), page_language()),
           _("Download the application map ({format}, {paper})").format(
               format=fmt, paper=_paper_name(paper_label)))
    if st.toggle(_("Show a preview"), key="records_map_preview"):
        key_text = to_json(assessment, saved_at=_FIXED_TIME)
        st.image(_map_preview(key_text, _PAPERS[paper_label], day.isoformat(),
                              page_language()),
                 caption=_("The application map as it will print"))


def _pseudonym_on_screen() -> str | None:
    """The new pseudonym typed, else the patient chosen (read at draw or click time)."""
    new = st.session_state.get("records_new_pseudonym") or ""
    return new.strip() or st.session_state.get("records_patient") or None


def _visit_history(assessment: Assessment, current: Callable[..., Assessment],
                   blocked: bool) -> Assessment | None:
    st.markdown(_bold(_("Visit history")))
    if not history_allowed():
        say(_("The visit history is switched off for browsers on other devices. It holds "
              "every patient's visits and the page has no login, so it opens only in a "
              "browser on the computer that serves the page. Session files and the "
              "application map work here as usual."), "info")
        return None
    history = History()
    say(_("Kept on this computer in {path} (set the {variable} environment variable to keep "
          "it elsewhere). Patients are known only by a pseudonym; nothing is written until "
          "you save a visit.").format(path=history.path, variable=ENV_VAR), "caption")
    patients = [p.pseudonym for p in history.list_patients()]
    if st.session_state.get("records_patient") not in (None, *patients):
        del st.session_state["records_patient"]  # deleted meanwhile
    left, right = st.columns(2)
    with left:
        st.selectbox(_("Patient"), patients, index=None, key="records_patient",
                     placeholder=_("Choose a patient") if patients else _("No patients yet"))
    with right:
        st.text_input(_("Or a new pseudonym"), key="records_new_pseudonym", max_chars=64,
                      # TRANSLATORS: "label" here is any name tag the clinician makes up,
                      # not the medicine's approved label
                      help=_("Any label you choose, e.g. initials and a number. "
                             "Not the patient's name."))
    pseudonym = _pseudonym_on_screen()
    new = (st.session_state.get("records_new_pseudonym") or "").strip()
    if new and _pseudonym_key(new) in {_pseudonym_key(p) for p in patients}:
        say(_("{pseudonym} is already in the history: a visit saved now is added to that "
              "patient's visits.").format(pseudonym=new), "caption")
    left, right = st.columns(2)
    with left:
        st.date_input(_("Visit date"), value=date.today(), key="records_visit_date",
                      format="YYYY-MM-DD")
    with right:
        st.write("")
        st.button(_("Save this assessment as a visit"), key="records_save_visit",
                  disabled=blocked, type="primary", on_click=_save_visit,
                  args=(str(history.path), current))
    _show_flash("history")
    if not pseudonym:
        return None
    try:
        visits = history.list_visits(pseudonym)
    except BSAInputError as exc:
        say(str(exc), "error")
        return None
    if not visits:
        say(_("No visits saved for {pseudonym} yet.").format(pseudonym=pseudonym), "info")
        return None
    totals = _visit_totals(str(history.path), visits)
    say(_("{pseudonym}: marked area per visit (the area to treat, against the label's area "
          "limit)").format(pseudonym=visits[0].pseudonym), "caption")
    st.image(timeline_png(visits, totals))
    # The table's column headers in the page's language (the CSV export's stay English).
    columns = {
        "date": pgettext("visits table", "date"),
        "visit": pgettext("visits table", "visit"),
        "age": pgettext("visits table", "age"),
        "affected": pgettext("visits table", "% affected"),
        "treated": pgettext("visits table", "% to treat"),
        "chart": pgettext("visits table", "chart"),
        "rule": pgettext("visits table", "rule"),
    }
    # TRANSLATORS: in the visits table's rule column, a visit compared with no label rule
    no_rule = pgettext("visits table", "none")
    st.dataframe(
        [
            {columns["date"]: v.visit_date, columns["visit"]: v.visit_id,
             columns["age"]: v.age_years, columns["affected"]: round(v.percent_bsa, 2),
             columns["treated"]: round(t, 2), columns["chart"]: v.chart,
             columns["rule"]: v.rule_id or no_rule}
            for v, t in zip(visits, totals, strict=True)
        ],
        hide_index=True, key="records_visits_table",
    )
    loaded = _compare(history, visits, totals)
    _patient_tools(history, pseudonym, visits)
    return loaded


def _compare(history: History, visits: list[Visit],
             totals: Sequence[float]) -> Assessment | None:
    by_id = {v.visit_id: v for v in visits}
    ids = list(by_id)
    labels = {v.visit_id: _visit_label(v, t) for v, t in zip(visits, totals, strict=True)}
    treated = {v.visit_id: t for v, t in zip(visits, totals, strict=True)}
    for key in ("records_compare_a", "records_compare_b", "records_visit_pick"):
        if st.session_state.get(key) not in (None, *ids):
            del st.session_state[key]  # a visit of another patient, or deleted
    if len(ids) >= 2:
        st.markdown(_("Compare two visits"))
        left, right = st.columns(2)
        with left:
            first = st.selectbox(_("Earlier"), ids, index=len(ids) - 2,
                                 key="records_compare_a", format_func=labels.get)
        with right:
            second = st.selectbox(_("Later"), ids, index=len(ids) - 1,
                                  key="records_compare_b", format_func=labels.get)
        if first is not None and second is not None:
            a, b = history.get_visit(first), history.get_visit(second)
            st.image(_comparison_png(str(history.path), a.visit_id, a.saved_at,
                                     b.visit_id, b.saved_at, page_language()),
                     caption=_("The two visits' maps"))
            change = treated[b.visit_id] - treated[a.visit_id]
            say(_("Change in the area to treat from {first} to {last}: {change} percentage "
                  "points of body surface.").format(first=a.visit_date, last=b.visit_date,
                                                    change=f"{change:+.1f}"), "caption")
    pick = st.selectbox(_("Visit to put on the page or delete"), ids, index=len(ids) - 1,
                        key="records_visit_pick", format_func=labels.get)
    if pick is None:
        return None
    left, right = st.columns(2)
    loaded = None
    with left:
        if st.button(_("Put this visit on the page"), key="records_load_visit"):
            loaded = history.get_visit(pick).assessment  # this run's values: the click's
    with right:
        sure = st.checkbox(_("Yes, delete visit {number}").format(number=pick),
                           key="records_confirm_visit")
        st.button(_("Delete this visit"), key="records_delete_visit", disabled=not sure,
                  on_click=_delete_visit, args=(str(history.path),))
    return loaded


@functools.lru_cache(maxsize=16)
def _comparison_png(path: str, id_a: int, saved_a: str, id_b: int, saved_b: str,
                    lang: str) -> bytes:
    """The comparison in the page's language ``lang`` (part of the cache key)."""
    history = History(path)
    return comparison_png(history.get_visit(id_a), history.get_visit(id_b))


def _patient_tools(history: History, pseudonym: str, visits: list[Visit]) -> None:
    if visits:
        st.button(_("Prepare the CSV export of this patient's visits"),
                  key="records_prepare_csv", on_click=_prepare_csv, args=(str(history.path),))
        _show_flash("csv")
        _offer("csv", _visits_key(pseudonym, visits), _("Download the visits (CSV)"))
    known = {_pseudonym_key(p.pseudonym) for p in history.list_patients()}
    if _pseudonym_key(pseudonym) not in known:
        return
    with st.expander(_("Delete this patient and all their visits")):
        say(_("Patient: {pseudonym}").format(
            pseudonym=visits[0].pseudonym if visits else pseudonym), "caption")
        typed = st.text_input(_("Type the pseudonym to confirm"),
                              key="records_confirm_patient")
        ok = _pseudonym_key(typed.strip()) == _pseudonym_key(pseudonym)
        st.button(_("Delete this patient"), key="records_delete_patient", disabled=not ok,
                  on_click=_delete_patient, args=(str(history.path),))


# Actions run as button callbacks: before the rerun draws the lists, so what is shown
# afterwards is what the file holds, and with the values on screen at the click (read from
# st.session_state there, never captured when the page was drawn). Their outcome is shown
# once, by _show_flash().


def _flash(where: str, kind: str, text: str) -> None:
    st.session_state[f"records_flash_{where}"] = (kind, text)


def _show_flash(where: str) -> None:
    kind, text = st.session_state.pop(f"records_flash_{where}", (None, None))
    if kind is not None:
        say(text, kind)


@in_page_language
def _save_visit(path: str, current: Callable[..., Assessment]) -> None:
    pseudonym = _pseudonym_on_screen()
    day = st.session_state.get("records_visit_date")
    try:
        if not pseudonym:
            raise BSAInputError(_("a pseudonym is needed: choose a patient or type a new "
                                  "pseudonym"))
        if not isinstance(day, date):
            raise BSAInputError(_("a visit date is needed (YYYY-MM-DD)"))
        assessment = current(complete=True)
        visit_id = History(path).add_visit(pseudonym, assessment, day)
    except BSAInputError as exc:
        _flash("history", "error", _("The visit was not saved: {error}").format(error=exc))
        return
    mark_kept(fingerprint(assessment))
    _flash("history", "success",
           _("Saved as visit {number} of {pseudonym} on {date}: {description}.").format(
               number=visit_id, pseudonym=pseudonym, date=day.isoformat(),
               description=describe(assessment)))


@in_page_language
def _delete_visit(path: str) -> None:
    pick = st.session_state.get("records_visit_pick")
    pseudonym = _pseudonym_on_screen()
    try:
        if pick is None or not st.session_state.get("records_confirm_visit"):
            raise BSAInputError(_("choose the visit and tick the confirmation first"))
        history = History(path)
        if pseudonym is None or pick not in {v.visit_id for v in history.list_visits(pseudonym)}:
            raise BSAInputError(_("visit {number} is not one of the visits shown").format(
                number=pick))
        history.delete_visit(pick)
    except BSAInputError as exc:
        _flash("history", "error", _("The visit was not deleted: {error}").format(error=exc))
        return
    for key in ("records_visit_pick", "records_confirm_visit", "records_compare_a",
                "records_compare_b"):
        st.session_state.pop(key, None)
    _flash("history", "success", _("Visit {number} was deleted.").format(number=pick))


@in_page_language
def _delete_patient(path: str) -> None:
    pseudonym = _pseudonym_on_screen()
    typed = (st.session_state.get("records_confirm_patient") or "").strip()
    try:
        if not pseudonym or _pseudonym_key(typed) != _pseudonym_key(pseudonym):
            raise BSAInputError(_("the pseudonym typed to confirm is not the patient shown"))
        n = History(path).delete_patient(pseudonym)
    except BSAInputError as exc:
        _flash("history", "error", _("The patient was not deleted: {error}").format(error=exc))
        return
    for key in ("records_patient", "records_new_pseudonym", "records_confirm_patient",
                "records_visit_pick", "records_confirm_visit", "records_compare_a",
                "records_compare_b", _prepared_key("csv")):
        st.session_state.pop(key, None)
    _flash("history", "success",
           ngettext("{pseudonym} and {n} visit were deleted.",
                    "{pseudonym} and {n} visits were deleted.", n).format(pseudonym=pseudonym,
                                                                          n=n))


# ---------------------------------------------------------------------------- public


def render_records_panel(assessment: Assessment,
                         current: Callable[..., Assessment] | None = None) -> Assessment | None:
    """Draw the records panel for the assessment on screen.

    Parameters
    ----------
    assessment : Assessment
        What the page shows now (:func:`webapp.state.current_assessment` as the page drew).
    current : callable, optional
        Builds the assessment again at the moment of a click, ``current(complete=True)``
        (raising :class:`webapp.state.IncompleteInputs` while a field is empty or invalid);
        :func:`webapp.state.current_assessment` by default. Every action uses it.

    Returns
    -------
    Assessment or None
        An assessment the user chose to put on the page (from a session file or a stored
        visit), else None. The page applies it and reruns.
    """
    with speaking():  # the package's words (errors, ages, rule names) in the page's language
        return _records_panel(assessment, current or current_assessment)


def _records_panel(assessment: Assessment,
                   current: Callable[..., Assessment]) -> Assessment | None:
    try:
        current(complete=True)
        blocked = False
    except IncompleteInputs as exc:
        blocked = True
        say(_("Saving and downloading are off until every field in the sidebar holds a valid "
              "value. {reason}").format(reason=exc), "warning")
    except BSAInputError:
        blocked = False  # said where it matters, when an action is tried
    _guard(N_("the notes"), _notes)
    left, right = st.columns(2, gap="medium")
    with left:
        loaded = _guard(N_("the session file"), _session_file, assessment, current, blocked)
    with right:
        _guard(N_("the application map"), _application_map, assessment, current, blocked)
    st.divider()
    return (_guard(N_("the visit history"), _visit_history, assessment, current, blocked)
            or loaded)


def render(marked) -> None:
    """The page's entry (:data:`webapp.panels.PANELS`): draw the panel for the assessment on
    screen; an assessment the user chose to put on the page is applied by a rerun."""
    loaded = render_records_panel(marked.assessment, current_assessment)
    if loaded is not None:
        st.session_state["pending_load"] = loaded
        st.rerun(scope="app")
