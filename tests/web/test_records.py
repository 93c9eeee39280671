"""The records panel (webapp/records.py) run headless with AppTest, outside the page."""

from __future__ import annotations

import io
import json
import sqlite3

import pytest
from PIL import Image

from bsa.errors import BSAInputError
from bsa.records.assessment import Assessment
from bsa.records.history import History
from bsa.records.session import MAX_SESSION_BYTES, to_json

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

from webapp.records import comparison_png, read_session_upload, timeline_png  # noqa: E402
from webapp.text import read_said  # noqa: E402

TIMEOUT = 60


@pytest.fixture(autouse=True)
def browser_on_this_machine(monkeypatch):
    """AppTest has no browser connection: say it comes from this machine (loopback)."""
    import webapp.access

    monkeypatch.setattr(webapp.access, "client_address", lambda: "127.0.0.1")
AD = "opzelura_us_atopic_dermatitis"


def panel_script():
    """The panel alone, its assessment built from two test-controlled state values.

    ``build`` plays the part of :func:`webapp.state.current_assessment`: the panel draws with
    what it gives, and every action calls it again at the moment of the click.
    """
    import streamlit as st

    from bsa.records.assessment import Assessment
    from webapp.records import render_records_panel
    from webapp.state import current_notes

    def build(complete: bool = False) -> Assessment:
        return Assessment(
            age_years=st.session_state.get("test_age", 40.0),
            rule_id="opzelura_us_atopic_dermatitis",
            shares=st.session_state.get("test_shares", {"anterior_trunk": 0.5}),
            notes=current_notes(),
        )

    if st.session_state.get("test_hidden"):  # another panel is shown
        return
    loaded = render_records_panel(build(), build)
    if loaded is not None:
        st.session_state["test_loaded"] = loaded


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "history.sqlite3"
    monkeypatch.setenv("BSA_HISTORY_DB", str(path))
    return path


def start() -> AppTest:
    at = AppTest.from_function(panel_script, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def said(at: AppTest, kind: str) -> list[str]:
    """The messages of one kind (drawn with webapp.text.say, or st.error and the like)."""
    found = [m[1] for m in map(read_said, (md.value for md in at.markdown))
             if m is not None and m[0] == kind]
    if kind in ("error", "warning", "success", "info"):
        found += [e.value for e in getattr(at, kind)]
    return found


def errors(at: AppTest) -> list[str]:
    return said(at, "error")


def test_the_panel_runs_and_writes_nothing(db):
    at = start()
    assert errors(at) == []
    assert not db.exists()  # opening the panel creates no file
    at.button(key="records_save_visit").click()  # no pseudonym yet
    run(at)
    assert any("A pseudonym is needed" in e or "a pseudonym is needed" in e for e in errors(at))
    assert not db.exists()


def test_save_visits_then_timeline_table_and_comparison(db):
    at = start()
    at.text_input(key="records_new_pseudonym").input("clinic-12")
    at.date_input(key="records_visit_date").set_value("2026-01-05")
    run(at)
    assert not db.exists()  # choosing a pseudonym writes nothing
    at.button(key="records_save_visit").click()
    run(at)
    assert any(s.startswith("Saved as visit 1 of clinic-12 on 2026-01-05: age 40 years, 6.5% ")
               for s in said(at, "success"))
    assert errors(at) == []
    # a second visit, a different marked area
    at.session_state["test_shares"] = {"anterior_trunk": 0.25}
    at.date_input(key="records_visit_date").set_value("2026-02-02")
    run(at)
    at.button(key="records_save_visit").click()
    run(at)
    visits = History(db).list_visits("clinic-12")
    assert [(v.visit_date, v.percent_bsa) for v in visits] == [("2026-01-05", 6.5),
                                                                 ("2026-02-02", 3.25)]
    assert len(at.get("image")) >= 2  # the timeline and the comparison
    assert any("-3.2 percentage points" in c or "-3.3 percentage points" in c
               for c in said(at, "caption"))
    assert at.selectbox(key="records_compare_a").value == visits[0].visit_id
    assert at.selectbox(key="records_compare_b").value == visits[1].visit_id
    assert errors(at) == []


def test_page_to_database_to_page(db):
    shares = {"head": 1.0, "left_thigh:front": 0.5}
    History(db).add_visit("p1", Assessment(age_years=40, rule_id=AD, shares=shares),
                          "2026-01-01")
    at = start()
    at.selectbox(key="records_patient").select("p1")
    run(at)
    at.button(key="records_load_visit").click()
    run(at)
    loaded = at.session_state["test_loaded"]
    original = Assessment(age_years=40, rule_id=AD, shares=shares)
    assert loaded == original
    assert loaded.estimate().percent_bsa == original.estimate().percent_bsa


def test_delete_a_visit_needs_confirmation(db):
    h = History(db)
    first = h.add_visit("p1", Assessment(age_years=40, shares={"head": 1.0}), "2026-01-01")
    h.add_visit("p1", Assessment(age_years=40, shares={"neck": 1.0}), "2026-01-08")
    at = start()
    at.selectbox(key="records_patient").select("p1")
    run(at)
    at.selectbox(key="records_visit_pick").select(first)
    run(at)
    assert at.button(key="records_delete_visit").disabled
    at.checkbox(key="records_confirm_visit").check()
    run(at)
    at.button(key="records_delete_visit").click()
    run(at)
    assert [v.visit_date for v in h.list_visits("p1")] == ["2026-01-08"]
    assert any(f"Visit {first} was deleted" in s for s in said(at, "success"))
    assert errors(at) == []


def test_delete_a_patient_needs_the_pseudonym_typed(db):
    h = History(db)
    h.add_visit("p1", Assessment(age_years=40, shares={"head": 1.0}), "2026-01-01")
    h.add_visit("p2", Assessment(age_years=40, shares={"head": 1.0}), "2026-01-01")
    at = start()
    at.selectbox(key="records_patient").select("p1")
    run(at)
    at.text_input(key="records_confirm_patient").input("p2")
    run(at)
    assert at.button(key="records_delete_patient").disabled
    at.text_input(key="records_confirm_patient").input("P1")
    run(at)
    at.button(key="records_delete_patient").click()
    run(at)
    assert [p.pseudonym for p in h.list_patients()] == ["p2"]
    assert at.selectbox(key="records_patient").value is None
    assert errors(at) == []


def test_a_bad_pseudonym_is_an_error_message_not_a_traceback(db):
    at = start()
    at.text_input(key="records_new_pseudonym").input("=HYPERLINK(1)")
    run(at)
    assert any("not accepted" in e for e in errors(at))
    at.button(key="records_save_visit").click()
    run(at)
    assert any("The visit was not saved" in e for e in errors(at))
    assert not db.exists()


def test_a_corrupt_history_file_shows_an_error_and_the_panel_keeps_working(db):
    db.write_bytes(b"not a database at all\n" * 100)
    at = start()
    assert any("not a readable visit history" in e for e in errors(at))
    # the session file and the map sections are still there
    assert at.radio(key="records_paper").value == "A4"
    assert at.text_area(key="records_notes") is not None


def test_notes_typed_in_the_panel_reach_the_page_state(db):
    at = start()
    at.text_area(key="records_notes").input("Thin layer twice daily.")
    run(at)
    assert at.session_state["notes"] == "Thin layer twice daily."
    # While the panel is hidden the kept copy is what the page uses; shown again, the box
    # starts from it (a loaded session's notes arrive this way too).
    at.session_state["test_hidden"] = True
    run(at)
    at.session_state["notes"] = "From a loaded file."
    at.session_state["test_hidden"] = False
    run(at)
    assert at.text_area(key="records_notes").value == "From a loaded file."


def test_map_preview_renders(db):
    at = start()
    at.toggle(key="records_map_preview").set_value(True)
    run(at)
    assert len(at.get("image")) == 1
    assert errors(at) == []


# ------------------------------------------------------------------ the helpers


def test_an_uploaded_session_is_read_strictly():
    a = Assessment(age_years=9, shares={"head": 0.5})
    assert read_session_upload(to_json(a).encode()) == a
    with pytest.raises(BSAInputError, match="byte limit"):
        read_session_upload(b"{}", size=MAX_SESSION_BYTES + 1)
    with pytest.raises(BSAInputError, match="unknown session file version"):
        read_session_upload(json.dumps({"format": "bsa-session", "schema_version": 99}).encode())
    with pytest.raises(BSAInputError, match="not valid JSON"):
        read_session_upload(b"{")


def test_timeline_and_comparison_pictures(db):
    h = History(db)
    h.add_visit("p", Assessment(age_years=40, rule_id=AD, shares={"head": 1.0}), "2026-01-01")
    h.add_visit("p", Assessment(age_years=40, rule_id="opzelura_us_vitiligo",
                                shares={"neck": 1.0}), "2026-03-01")
    visits = h.list_visits("p")
    image = Image.open(io.BytesIO(timeline_png(visits)))
    assert image.size == (770, 308)
    pair = Image.open(io.BytesIO(comparison_png(h.get_visit(visits[0].visit_id),
                                                h.get_visit(visits[1].visit_id))))
    assert pair.size == (800, 460)


def test_the_history_file_written_by_the_panel_is_complete(db):
    at = start()
    at.text_input(key="records_new_pseudonym").input("whole-visit")
    run(at)
    at.button(key="records_save_visit").click()
    run(at)
    con = sqlite3.connect(db)
    text = con.execute("SELECT session_json FROM visits").fetchone()[0]
    con.close()
    assert json.loads(text)["totals"]["percent_bsa"] == 6.5


# ------------------------------------------------------------------ issue 9: the page's half


def test_actions_read_the_values_on_screen_at_the_click(db):
    """A pseudonym and a visit date changed in the same batch as the click are the ones used."""
    h = History(db)
    h.add_visit("first", Assessment(age_years=40, shares={"head": 1.0}), "2026-01-01")
    at = start()
    at.selectbox(key="records_patient").select("first")
    run(at)
    # Typed and clicked in one batch, as a browser sends a field that still has the focus.
    at.text_input(key="records_new_pseudonym").input("second")
    at.date_input(key="records_visit_date").set_value("2026-04-05")
    at.button(key="records_save_visit").click()
    run(at)
    assert [v.visit_date for v in h.list_visits("first")] == ["2026-01-01"]
    assert [v.visit_date for v in h.list_visits("second")] == ["2026-04-05"]
    assert any(s.startswith("Saved as visit 2 of second on 2026-04-05")
               for s in said(at, "success"))


def test_the_csv_export_is_of_the_patient_on_screen_at_the_click(db):
    h = History(db)
    h.add_visit("alpha", Assessment(age_years=40, shares={"head": 1.0}), "2026-01-01")
    h.add_visit("beta", Assessment(age_years=41, shares={"neck": 1.0}), "2026-02-01")
    at = start()
    at.selectbox(key="records_patient").select("alpha")
    run(at)
    at.text_input(key="records_new_pseudonym").input("beta")  # same batch as the click
    at.button(key="records_prepare_csv").click()
    run(at)
    prepared = at.session_state["records_prepared_csv"]
    text = prepared["data"].decode()
    assert "beta" in text and "alpha" not in text
    assert prepared["file_name"] == "bsa-visits-beta.csv"
    assert any(c.startswith("Ready: bsa-visits-beta.csv: 1 visit of beta")
               for c in said(at, "caption"))
    # Back to the other patient: the prepared file is dropped, not offered for alpha.
    at.text_input(key="records_new_pseudonym").input("")
    run(at)
    assert any("prepare it again" in w for w in said(at, "warning"))
    assert not [b for b in at.get("download_button") if b.key == "records_csv_download"]


def test_a_prepared_session_file_follows_the_screen(db):
    at = start()
    at.text_area(key="records_notes").input("first words")  # same batch as the click
    at.button(key="records_prepare_session").click()
    run(at)
    prepared = at.session_state["records_prepared_session"]
    from bsa.records.session import from_json

    assert from_json(prepared["data"]).notes == "first words"
    assert any("notes \u201cfirst words\u201d" in c for c in said(at, "caption"))
    at.session_state["test_shares"] = {"anterior_trunk": 0.25}  # the marks change
    run(at)
    assert at.session_state["records_prepared_session"].get("dropped")
    assert any("prepare it again" in w for w in said(at, "warning"))


def test_the_history_is_off_for_a_browser_on_another_device(db, monkeypatch):
    import webapp.access

    History(db).add_visit("p1", Assessment(age_years=40, shares={"head": 1.0}), "2026-01-01")
    monkeypatch.setattr(webapp.access, "client_address", lambda: "192.168.1.20")
    at = start()
    assert any("switched off for browsers on other devices" in m for m in said(at, "info"))
    keys = {getattr(w, "key", None) for kind in ("selectbox", "text_input", "button")
            for w in at.get(kind)}
    assert not {"records_patient", "records_new_pseudonym", "records_save_visit",
                "records_prepare_csv", "records_delete_patient"} & keys
    assert not any("p1" in md.value for md in at.markdown)
    # The session file and the map still work for that browser.
    assert "records_prepare_session" in keys and "records_prepare_map" in keys
    # From this machine (Streamlit says None for loopback) the history is there.
    monkeypatch.setattr(webapp.access, "client_address", lambda: None)
    at = start()
    assert at.selectbox(key="records_patient").options == ["p1"]


@pytest.mark.parametrize("address, local", [
    (None, True), ("127.0.0.1", True), ("127.0.0.2", True), ("::1", True),
    ("::ffff:127.0.0.1", True), ("192.168.1.20", False), ("10.0.0.1", False),
    ("::ffff:192.168.1.20", False), ("fe80::1%eth0", False), ("", False),
    ("not an address", False), (object(), False),
])
def test_which_browsers_count_as_this_machine(address, local):
    from webapp.access import is_loopback

    assert is_loopback(address) is local


# ------------------------------------------------------------------ literal text

HOSTILE = [
    "![x](http://example.invalid/f.png)", "<img src=http://example.invalid/a.png>", ":red[x]",
    "$$\\frac{1}{2}$$", "[link](http://example.invalid)", ":material/home:", "www.e.invalid",
    "a_b_ *c* `d` ~~e~~ # f\n- g\n\n    h", "&amp; &#60; \\* \t\r\x00\x7f\u2028",
]


def shown(text: str) -> str:
    """The text as the browser shows it: invisible control characters as U+FFFD."""
    return "".join("\ufffd" if (ord(c) < 32 and c not in "\t\n\r") or 127 <= ord(c) < 160
                   else c for c in text)


@pytest.mark.parametrize("text", HOSTILE)
def test_literal_text_has_no_syntax_left_and_reads_back(text):
    import html
    import re

    from webapp.text import literal

    out = literal(text)
    # Only letters, digits, non-ASCII characters and character references remain.
    assert re.fullmatch(r"(?:&#\d+;|[A-Za-z0-9]|[^\x00-\x7f])*", out), out
    assert html.unescape(out) == shown(text)


@pytest.mark.parametrize("kind", ["error", "warning", "success", "info", "caption"])
def test_a_message_is_one_html_block_that_reads_back(kind):
    from webapp.text import read_said, say

    drawn = []
    say(" ".join(HOSTILE), kind, where=lambda body, **kw: drawn.append((body, kw)))
    (body, kw), = drawn
    assert kw == {"unsafe_allow_html": True}
    assert "\n" not in body and body.startswith("<div ")  # an HTML block, Markdown left alone
    assert read_said(body) == (kind, shown(" ".join(HOSTILE)))


def test_a_prepared_file_follows_the_page_language(db):
    """A session file or map prepared in English is not offered once the page is in Bengali:
    the file's language (and the map's words) would not be what the page shows."""
    import json

    at = start()
    at.button(key="records_prepare_session").click()
    run(at)
    prepared = at.session_state["records_prepared_session"]
    assert json.loads(prepared["data"])["display"] == {"language": "en"}
    at.session_state["lang"] = "bn"  # as the switch does
    run(at)
    assert at.session_state["records_prepared_session"].get("dropped")
    at.button(key="records_prepare_session").click()
    run(at)
    prepared = at.session_state["records_prepared_session"]
    assert json.loads(prepared["data"])["display"] == {"language": "bn"}
    assert not prepared.get("dropped")
