"""The visit history: round trips, whole-or-nothing writes, concurrency, damaged files."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import shutil
import sqlite3
import stat
import subprocess
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from bsa.core.regions import REGIONS
from bsa.errors import BSAInputError
from bsa.records.assessment import Assessment
from bsa.records.history import (
    ENV_VAR,
    SCHEMA_VERSION,
    History,
    HistoryError,
    HistoryWarning,
    default_history_path,
    pseudonym_key,
)
from bsa.records.session import to_json


def assessment(age=30.0, **shares) -> Assessment:
    return Assessment(age_years=age, shares=shares or {"anterior_trunk": 0.5})


@pytest.fixture
def history(tmp_path) -> History:
    return History(tmp_path / "data" / "history.sqlite3")


# ------------------------------------------------------------------ where it lives


def test_default_path_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "mine.db"))
    assert default_history_path() == tmp_path / "mine.db"
    assert History().path == tmp_path / "mine.db"
    monkeypatch.delenv(ENV_VAR)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_history_path() == tmp_path / "xdg" / "bsa" / "history.sqlite3"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert default_history_path() == Path("~/.local/share/bsa/history.sqlite3").expanduser()


def test_reading_creates_nothing(history, tmp_path):
    assert history.list_patients() == []
    assert history.list_visits() == []
    assert history.list_visits("anyone") == []
    assert history.export_csv().splitlines() == [",".join(History.CSV_COLUMNS)]
    with pytest.raises(HistoryError, match="no visit 1"):
        history.get_visit(1)
    assert not history.exists()
    assert list(tmp_path.iterdir()) == []


def test_first_write_creates_the_file_private_in_wal_mode(history):
    history.add_patient("P-001")
    assert history.exists()
    assert history.path.stat().st_mode & 0o077 == 0  # health data: owner only
    con = sqlite3.connect(history.path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    con.close()


# ------------------------------------------------------------------ round trips


def test_page_to_database_to_page_gives_identical_totals(history):
    a = Assessment(
        age_years=1.5, age_mode="banded", shares={"head": 1.0, "left_thigh:front": 0.3},
        sex="male", height_cm=80, weight_kg=11, notes="first visit",
    )
    vid = history.add_visit("baby-7", a, "2026-03-01")
    visit = history.get_visit(vid)
    assert visit.assessment == a
    assert visit.assessment.estimate().percent_bsa == a.estimate().percent_bsa
    assert visit.percent_bsa == a.estimate().percent_bsa
    assert (visit.pseudonym, visit.visit_date, visit.age_years) == ("baby-7", "2026-03-01", 1.5)
    assert (visit.chart, visit.age_mode, visit.rule_id) == ("lund_browder", "banded", None)


def test_patients_and_visits_are_listed_in_order(history):
    history.add_visit("B", assessment(head=1.0), "2026-02-01")
    history.add_visit("a", assessment(), "2026-01-15")
    history.add_visit("b", assessment(anterior_trunk=0.25), "2026-01-01")  # same patient as "B"
    patients = history.list_patients()
    assert [(p.pseudonym, p.n_visits, p.last_visit) for p in patients] == [
        ("a", 1, "2026-01-15"),
        ("B", 2, "2026-02-01"),
    ]
    visits = history.list_visits("B")
    assert [v.visit_date for v in visits] == ["2026-01-01", "2026-02-01"]
    assert [v.percent_bsa for v in visits] == [3.25, assessment(head=1.0).estimate().percent_bsa]
    assert all(v.assessment is None for v in visits)
    assert len(history.list_visits()) == 3


def test_add_patient_is_idempotent_and_ignores_case(history):
    assert history.add_patient("  Clinic  7 ") == "Clinic 7"
    assert history.add_patient("clinic 7") == "Clinic 7"
    assert [p.pseudonym for p in history.list_patients()] == ["Clinic 7"]


@pytest.mark.parametrize(
    ("pseudonym", "match"),
    [
        ("", "pseudonym is needed"),
        ("   ", "pseudonym is needed"),
        ("=HYPERLINK(1)", "not accepted"),  # would be a formula in a spreadsheet
        ("-1", "not accepted"),
        ("x" * 65, "not accepted"),
        ("a;b", "not accepted"),
        (7, "must be text"),
    ],
)
def test_bad_pseudonyms_are_refused(history, pseudonym, match):
    with pytest.raises(HistoryError, match=match):
        history.add_patient(pseudonym)
    assert not history.exists()


@pytest.mark.parametrize(
    ("visit_date", "match"),
    [("27/11/2026", "YYYY-MM-DD"), ("1850-01-01", "1900-2200"), (20260101, "must be a date")],
)
def test_bad_visit_dates_are_refused(history, visit_date, match):
    with pytest.raises(HistoryError, match=match):
        history.add_visit("p", assessment(), visit_date)


def test_history_error_is_the_package_error():
    assert issubclass(HistoryError, BSAInputError)
    assert issubclass(HistoryError, ValueError)


def test_delete_a_visit_then_a_patient(history):
    v1 = history.add_visit("p", assessment(), "2026-01-01")
    v2 = history.add_visit("p", assessment(), "2026-01-08")
    history.add_visit("q", assessment(), "2026-01-08")
    history.delete_visit(v1)
    assert [v.visit_id for v in history.list_visits("p")] == [v2]
    with pytest.raises(HistoryError, match=f"no visit {v1}"):
        history.delete_visit(v1)
    assert history.delete_patient("P") == 1
    assert [p.pseudonym for p in history.list_patients()] == ["q"]
    with pytest.raises(HistoryError, match="no patient 'p'"):
        history.delete_patient("p")
    con = sqlite3.connect(history.path)
    assert con.execute("SELECT COUNT(*) FROM visits").fetchone()[0] == 1
    con.close()


@pytest.mark.parametrize("visit_id", [0, -3, True, "1", 1.0])
def test_bad_visit_ids_are_refused(history, visit_id):
    with pytest.raises(HistoryError, match="positive whole number"):
        history.get_visit(visit_id)


def test_export_csv(history):
    history.add_visit("p", Assessment(age_years=40, shares={"head": 1.0}, rule_id=None), "2026-01-01")
    history.add_visit("q", assessment(), "2026-01-02")
    rows = list(csv.DictReader(io.StringIO(history.export_csv())))
    assert [r["pseudonym"] for r in rows] == ["p", "q"]
    # adult Lund-Browder head 3.5 + 3.5 (typed from the 1944 table)
    assert float(rows[0]["percent_bsa"]) == 7.0 and float(rows[0]["head_percent"]) == 7.0
    assert float(rows[1]["anterior_trunk_percent"]) == 6.5
    assert set(History.CSV_COLUMNS) >= {f"{r}_percent" for r in REGIONS}
    only_q = list(csv.DictReader(io.StringIO(history.export_csv("q"))))
    assert [r["pseudonym"] for r in only_q] == ["q"]


# ------------------------------------------------------------------ whole or nothing


def test_a_failed_visit_leaves_nothing_behind(history):
    history.add_patient("existing")
    con = sqlite3.connect(history.path)
    con.execute(
        "CREATE TRIGGER fail_insert BEFORE INSERT ON visits BEGIN"
        " SELECT RAISE(ABORT, 'disk trouble'); END"
    )
    con.commit()
    con.close()
    with pytest.raises(HistoryError, match="disk trouble"):
        history.add_visit("new patient", assessment(), "2026-01-01")
    # The patient row written earlier in the same transaction was rolled back too.
    assert [p.pseudonym for p in history.list_patients()] == ["existing"]
    assert history.list_visits() == []


# ------------------------------------------------------------------ concurrency


def _write_visits(path: str, who: str, n: int) -> None:
    h = History(path)
    for i in range(n):
        h.add_visit(who, assessment(age=20 + i), f"2026-01-{i + 1:02d}")


def test_concurrent_writers_lose_nothing(history):
    n = 15
    failures: list[BaseException] = []

    def in_thread(who: str) -> None:
        try:
            _write_visits(str(history.path), who, n)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=in_thread, args=(f"thread {k}",)) for k in range(3)]
    # spawn, not fork: a child forked while a thread holds a lock may hang.
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_write_visits, args=(str(history.path), f"proc {k}", n)) for k in range(2)]
    for t in (*procs, *threads):
        t.start()
    for t in (*threads, *procs):
        t.join(120)
    assert failures == []
    assert all(p.exitcode == 0 for p in procs)
    visits = history.list_visits()
    assert len(visits) == 5 * n
    assert len({v.visit_id for v in visits}) == 5 * n
    for p in history.list_patients():
        assert p.n_visits == n


# ------------------------------------------------------------------ schema


def _make_v1(path: Path, a: Assessment) -> None:
    """The version 1 layout, written by hand: one JSON column per visit, no indexes."""
    con = sqlite3.connect(path)
    con.executescript(
        """
        PRAGMA journal_mode = WAL;
        CREATE TABLE patients (patient_id INTEGER PRIMARY KEY,
                               pseudonym TEXT NOT NULL UNIQUE COLLATE NOCASE,
                               created_at TEXT NOT NULL);
        CREATE TABLE visits (visit_id INTEGER PRIMARY KEY,
                             patient_id INTEGER NOT NULL REFERENCES patients(patient_id),
                             visit_date TEXT NOT NULL,
                             session_json TEXT NOT NULL);
        PRAGMA user_version = 1;
        """
    )
    con.execute("INSERT INTO patients VALUES (1, 'old-patient', '2025-05-01T10:00:00+00:00')")
    con.execute("INSERT INTO visits VALUES (4, 1, '2025-05-01', ?)", (to_json(a),))
    con.commit()
    con.close()


def test_a_version_1_file_is_migrated(history):
    history.path.parent.mkdir()
    old = Assessment(age_years=12, shares={"right_hand": 1.0, "neck": 0.5})
    _make_v1(history.path, old)
    visits = history.list_visits()
    assert [(v.visit_id, v.pseudonym, v.visit_date) for v in visits] == [(4, "old-patient", "2025-05-01")]
    assert visits[0].percent_bsa == old.estimate().percent_bsa
    assert history.get_visit(4).assessment == old
    con = sqlite3.connect(history.path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"patients", "visits", "quarantined_visits"}
    con.close()
    history.add_visit("old-patient", assessment(), "2026-01-01")
    assert history.list_patients()[0].n_visits == 2


def test_a_newer_schema_is_refused(history):
    history.add_patient("p")
    con = sqlite3.connect(history.path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    with pytest.raises(HistoryError, match="newer version of bsa"):
        history.list_patients()
    with pytest.raises(HistoryError, match="newer version of bsa"):
        history.add_patient("q")


def test_another_programs_database_is_left_alone(history):
    history.path.parent.mkdir()
    con = sqlite3.connect(history.path)
    con.execute("CREATE TABLE recipes (name TEXT)")
    con.close()
    with pytest.raises(HistoryError, match="another program"):
        history.add_patient("p")
    con = sqlite3.connect(history.path)
    assert {r[0] for r in con.execute("SELECT name FROM sqlite_master")} == {"recipes"}
    con.close()


# ------------------------------------------------------------------ damaged files


@pytest.mark.parametrize(
    "content",
    [b"this is a text file, not a database\n" * 50, os.urandom(8192),
     b"SQLite format 3\x00" + b"\xff" * 4000],
)
def test_a_corrupt_file_gives_a_clear_message(history, content):
    history.path.parent.mkdir()
    history.path.write_bytes(content)
    for call in (history.list_patients, history.list_visits, lambda: history.add_patient("p"),
                 lambda: history.add_visit("p", assessment())):
        with pytest.raises(HistoryError, match="not a readable visit history|cannot"):
            call()
    assert history.path.read_bytes() == content  # left as it was


def test_a_damaged_visit_row_gives_a_clear_message(history):
    vid = history.add_visit("p", assessment(), "2026-01-01")
    con = sqlite3.connect(history.path)
    con.execute("UPDATE visits SET session_json = '{\"format\": 1}' WHERE visit_id = ?", (vid,))
    con.commit()
    con.close()
    with pytest.raises(HistoryError, match=f"visit {vid} cannot be read"):
        history.get_visit(vid)


@contextmanager
def _read_only(path: Path):
    """Make a file read-only for this process, even for root (immutable attribute)."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(0o600)
        return
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(path)], capture_output=True).returncode:
        pytest.skip("cannot make a file read-only for root here (chattr +i unavailable)")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True)


def test_a_read_only_file_can_be_read_but_not_written(history):
    vid = history.add_visit("p", assessment(), "2026-01-01")
    with _read_only(history.path):
        assert [v.visit_id for v in history.list_visits()] == [vid]
        assert history.get_visit(vid).assessment == assessment()
        with pytest.raises(HistoryError, match="read-only; nothing was saved"):
            history.add_visit("p", assessment(), "2026-01-02")
        with pytest.raises(HistoryError, match="read-only"):
            history.delete_visit(vid)
        assert len(history.list_visits()) == 1


def test_a_folder_in_place_of_the_file(tmp_path):
    (tmp_path / "h.db").mkdir()
    with pytest.raises(HistoryError, match="is a folder"):
        History(tmp_path / "h.db").add_patient("p")


def test_stored_json_is_the_session_file(history):
    a = assessment(head=0.5)
    vid = history.add_visit("p", a, "2026-01-01")
    con = sqlite3.connect(history.path)
    text = con.execute("SELECT session_json FROM visits WHERE visit_id = ?", (vid,)).fetchone()[0]
    con.close()
    data = json.loads(text)
    assert data["format"] == "bsa-session" and data["totals"]["percent_bsa"] == a.estimate().percent_bsa


# ------------------------------------------------------------------ creating it at once


def _create_at(path: str, i: int, start_at: float) -> str | None:
    time.sleep(max(0.0, start_at - time.time()))
    try:
        h = History(path)
        for _ in range(i % 3):
            h.list_patients()  # readers too, as the page's sessions are
        h.add_patient(f"p{i}")
        h.list_patients()
    except Exception as exc:  # noqa: BLE001 - returned to the test, which shows it
        return f"{type(exc).__name__}: {exc}"
    return None


def test_eight_processes_creating_one_new_history_at_once(tmp_path):
    """Before: about 4 rounds in 20 saw 'a SQLite database of another program'."""
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(8) as pool:
        pool.map(time.sleep, [0] * 8, chunksize=1)  # every worker started and importing
        for round_ in range(20):
            path = str(tmp_path / f"round{round_}" / "history.sqlite3")
            start_at = time.time() + 0.15
            errors = pool.starmap(_create_at, [(path, i, start_at) for i in range(8)],
                                  chunksize=1)
            assert [e for e in errors if e] == [], f"round {round_}"
            assert len(History(path).list_patients()) == 8
    assert not list(tmp_path.glob("round*/.*"))  # no temporary file left


def test_a_history_is_created_whole_even_without_hard_links(tmp_path, monkeypatch):
    def no_links(*args):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    history = History(tmp_path / "h.sqlite3")
    history.add_visit("p", assessment(), "2026-01-01")
    assert [p.pseudonym for p in history.list_patients()] == ["p"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


# ------------------------------------------------------------------ one patient, however written


def test_pseudonym_key_is_one_for_every_way_of_writing_a_pseudonym():
    assert pseudonym_key("Émile") == pseudonym_key("émile") == pseudonym_key("E\u0301MILE")
    assert pseudonym_key("  émile   B ") == "émile b"
    assert pseudonym_key("STRASSE") == pseudonym_key("straße")
    assert pseudonym_key("Øystein") != pseudonym_key("Oystein")  # letters, not accents dropped


def test_emile_and_Emile_are_one_patient(history):
    """SQLite's NOCASE folds ASCII only: before, 'émile' made a second patient."""
    history.add_visit("Émile", assessment(), "2026-01-01")
    history.add_visit("émile", assessment(), "2026-02-01")
    history.add_visit("E\u0301MILE", assessment(), "2026-03-01")  # decomposed accent
    assert history.add_patient(" émile ") == "Émile"
    patients = history.list_patients()
    assert [(p.pseudonym, p.n_visits) for p in patients] == [("Émile", 3)]
    assert len(history.list_visits("ÉMILE")) == 3
    assert "Émile,1," in history.export_csv("émile")
    assert history.delete_patient("émile") == 3
    assert history.list_patients() == []


def _make_v2(path: Path, patients: list[str]) -> None:
    """A version 2 file as bsa wrote it, with patients NOCASE took for different people."""
    from bsa.records import history_schema as module

    con = sqlite3.connect(path)
    con.executescript(module._SCHEMA_V2 + "PRAGMA user_version = 2;")
    for i, name in enumerate(patients, start=1):
        con.execute("INSERT INTO patients VALUES (?, ?, '2025-01-01T00:00:00+00:00')", (i, name))
        text = to_json(assessment(age=30 + i))
        con.execute("INSERT INTO visits VALUES (?, ?, '2025-05-01', '', ?, 'lund_browder',"
                    " 'interpolated', NULL, 6.5, ?)", (10 + i, i, 30 + i, text))
    con.commit()
    con.close()


def test_migrating_version_2_keeps_patients_nocase_had_apart(history):
    history.path.parent.mkdir()
    _make_v2(history.path, ["Émile", "émile", "Zoë"])
    with pytest.warns(HistoryWarning, match="'émile' was renamed 'émile \\(2\\)'"):
        patients = history.list_patients()
    assert sorted((p.pseudonym, p.n_visits) for p in patients) == [
        ("Zoë", 1), ("Émile", 1), ("émile (2)", 1)]
    assert [v.visit_id for v in history.list_visits("ÉMILE")] == [11]
    assert [v.visit_id for v in history.list_visits("Émile (2)")] == [12]
    history.add_visit("ZOË", assessment(), "2026-01-01")
    assert {p.pseudonym: p.n_visits for p in history.list_patients()}["Zoë"] == 2


# ------------------------------------------------------------------ owner only


def test_an_existing_history_readable_by_others_is_made_private_on_open(history):
    history.add_visit("p", assessment(), "2026-01-01")
    other = sqlite3.connect(history.path)  # another program holds it open: -wal, -shm exist
    other.execute("SELECT COUNT(*) FROM patients").fetchone()
    try:
        extra = [Path(f"{history.path}-wal"), Path(f"{history.path}-shm")]
        for path in (history.path, *extra):
            path.chmod(0o644)
        assert [p.pseudonym for p in history.list_patients()] == ["p"]  # a read is enough
        for path in (history.path, *extra):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    finally:
        other.close()


def test_permissions_are_tightened_never_widened(history):
    history.add_visit("p", assessment(), "2026-01-01")
    history.path.chmod(0o444)
    history.list_visits()
    assert stat.S_IMODE(history.path.stat().st_mode) == 0o400
    history.path.chmod(0o600)


def test_the_folder_created_for_the_history_is_private(tmp_path):
    mask = os.umask(0)
    try:
        History(tmp_path / "new" / "history.sqlite3").add_patient("p")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "new" / "history.sqlite3").stat().st_mode) == 0o600


# ------------------------------------------------------------------ an old file with a bad row


def test_migrating_a_version_1_file_with_a_bad_row_keeps_the_rest(history):
    history.path.parent.mkdir()
    good = Assessment(age_years=12, shares={"right_hand": 1.0})
    _make_v1(history.path, good)
    bad_rows = {5: '{"format": "bsa-session", "assessment": {"age_y', 6: "[1, 2]",
                7: to_json(good).replace('"age_years": 12', '"age_years": 1' + "0" * 400)}
    con = sqlite3.connect(history.path)
    for vid, text in bad_rows.items():
        con.execute("INSERT INTO visits VALUES (?, 1, '2025-06-01', ?)", (vid, text))
    con.commit()
    con.close()
    with pytest.warns(HistoryWarning) as caught:
        visits = history.list_visits()
    messages = [str(w.message) for w in caught]
    assert len(messages) == 3
    assert "visit 5 (patient 1, 2025-06-01) cannot be read (the session file is not valid" \
        in messages[0] and "quarantined_visits" in messages[0]
    assert [v.visit_id for v in visits] == [4]
    assert history.get_visit(4).assessment == good
    kept = history.quarantined_visits()
    assert [(q.visit_id, q.session_json) for q in kept] == sorted(bad_rows.items())
    assert "not valid JSON" in kept[0].reason and "one JSON object" in kept[1].reason
    history.add_visit("old-patient", assessment(), "2026-01-01")  # usable
    assert history.list_patients()[0].n_visits == 2


def test_a_new_history_has_nothing_in_quarantine(history):
    assert history.quarantined_visits() == []
    history.add_patient("p")
    assert history.quarantined_visits() == []


# ------------------------------------------------------------------ CSV for spreadsheets


def test_export_never_writes_a_cell_a_spreadsheet_would_run(history):
    vid = history.add_visit("p", assessment(), "2026-01-01")
    con = sqlite3.connect(history.path)  # a file edited by hand: no check on these
    con.execute("UPDATE patients SET pseudonym = '=HYPERLINK(\"http://x\")'")
    con.execute("UPDATE visits SET rule_id = '@SUM(A1)', chart = '+1', age_mode = '-2'"
                " WHERE visit_id = ?", (vid,))
    con.commit()
    con.close()
    rows = list(csv.reader(io.StringIO(history.export_csv())))
    assert rows[1][0] == "'=HYPERLINK(\"http://x\")"
    assert (rows[1][4], rows[1][5], rows[1][6]) == ("'+1", "'-2", "'@SUM(A1)")
    for row in rows:
        assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in row)
