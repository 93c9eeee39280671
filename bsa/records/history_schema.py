"""The visit history's database schema, and the migrations of older history files.

The schema version lives in SQLite's ``PRAGMA user_version``; :data:`MIGRATIONS` turns a file
of version n into n+1, inside the transaction that opens it (:mod:`bsa.records.history`).
A visit an older file holds but cannot read is set aside in ``quarantined_visits`` with the
reason, and the rest of the history stays usable.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

from ..errors import BSAInputError
from ..i18n import _
from .pseudonym import pseudonym_key
from .session import from_json

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "create_schema", "now_utc"]

#: The schema version this module writes (``PRAGMA user_version``).
SCHEMA_VERSION = 3


def now_utc() -> str:
    """The time now, UTC, to the second, as ISO text."""
    return datetime.now(UTC).isoformat(timespec="seconds")



_SCHEMA_V2 = """
CREATE TABLE patients (
    patient_id INTEGER PRIMARY KEY,
    pseudonym TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at TEXT NOT NULL
);
CREATE TABLE visits (
    visit_id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients(patient_id) ON DELETE CASCADE,
    visit_date TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    age_years REAL NOT NULL,
    chart TEXT NOT NULL,
    age_mode TEXT NOT NULL,
    rule_id TEXT,
    percent_bsa REAL NOT NULL,
    session_json TEXT NOT NULL
);
CREATE INDEX visits_by_patient_date ON visits(patient_id, visit_date, visit_id);
"""

# Version 3 adds to version 2: the patients' normalised key (unique), and the table of
# visits set aside by a migration.
_SCHEMA_V3_ADDITIONS = """
ALTER TABLE patients ADD COLUMN pseudonym_key TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX patients_by_key ON patients(pseudonym_key);
CREATE TABLE IF NOT EXISTS quarantined_visits (
    visit_id INTEGER PRIMARY KEY,
    patient_id INTEGER,
    visit_date TEXT,
    session_json TEXT,
    reason TEXT NOT NULL,
    quarantined_at TEXT NOT NULL
);
"""


def _run(con: sqlite3.Connection, script: str) -> None:
    # One statement at a time: executescript() would COMMIT the open transaction.
    for statement in script.split(";"):
        if statement.strip():
            con.execute(statement)


def create_schema(con: sqlite3.Connection) -> None:
    """The current schema, in a new file (inside the caller's transaction)."""
    _run(con, _SCHEMA_V2)
    _run(con, _SCHEMA_V3_ADDITIONS)


def _quarantine(con: sqlite3.Connection, row: tuple, reason: str) -> None:
    con.execute(
        "CREATE TABLE IF NOT EXISTS quarantined_visits (visit_id INTEGER PRIMARY KEY,"
        " patient_id INTEGER, visit_date TEXT, session_json TEXT, reason TEXT NOT NULL,"
        " quarantined_at TEXT NOT NULL)"
    )
    visit_id, patient_id, visit_date, text = row
    con.execute(
        "INSERT OR REPLACE INTO quarantined_visits VALUES (?,?,?,?,?,?)",
        (visit_id, patient_id, visit_date, text, reason, now_utc()),
    )


def _migrate_1_to_2(con: sqlite3.Connection) -> list[str]:
    """Version 1 kept only the session JSON per visit; version 2 adds indexed columns.

    Version 1 layout: ``patients(patient_id, pseudonym UNIQUE, created_at)`` and
    ``visits(visit_id, patient_id, visit_date, session_json)``. A visit whose session file
    cannot be read is moved to ``quarantined_visits``, unchanged; returns what was moved.
    """
    con.execute("ALTER TABLE visits RENAME TO visits_v1")
    con.execute("ALTER TABLE patients RENAME TO patients_v1")
    _run(con, _SCHEMA_V2)
    con.execute(
        "INSERT INTO patients (patient_id, pseudonym, created_at) "
        "SELECT patient_id, pseudonym, created_at FROM patients_v1"
    )
    rows = con.execute(
        "SELECT visit_id, patient_id, visit_date, session_json FROM visits_v1"
    ).fetchall()
    moved = []
    for row in rows:
        visit_id, patient_id, visit_date, text = row
        try:
            if not isinstance(text, str):
                raise BSAInputError(_("its session file is stored as {kind}").format(
                    kind=type(text).__name__))
            assessment = from_json(text, check_totals=False)
            data = json.loads(text)  # read strictly above: a valid session file
            total = float(data["totals"]["percent_bsa"])
        except (BSAInputError, ValueError, KeyError, TypeError) as exc:
            _quarantine(con, row, str(exc))
            moved.append(
                _("visit {visit} (patient {patient}, {date}) cannot be read ({reason}); it is "
                  "kept, unchanged, in the table quarantined_visits (see "
                  "History.quarantined_visits()); the other visits were migrated").format(
                    visit=visit_id, patient=patient_id, date=visit_date, reason=exc)
            )
            continue
        con.execute(
            "INSERT INTO visits (visit_id, patient_id, visit_date, saved_at, age_years, chart,"
            " age_mode, rule_id, percent_bsa, session_json) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                visit_id, patient_id, visit_date, data.get("saved_at", ""),
                assessment.age_years, assessment.chart, assessment.age_mode,
                assessment.rule_id, total, text,
            ),
        )
    con.execute("DROP TABLE visits_v1")
    con.execute("DROP TABLE patients_v1")
    return moved


def _migrate_2_to_3(con: sqlite3.Connection) -> list[str]:
    """Version 3 adds each patient's :func:`pseudonym_key`, unique, and the quarantine table.

    Two patients whose pseudonyms differ only in case or Unicode form (``"Émile"`` and
    ``"émile"``, two patients under SQLite's ASCII-only ``NOCASE``) keep their visits
    apart: the later one is renamed ``"émile (2)"``. Returns what was renamed.
    """
    con.execute("ALTER TABLE patients ADD COLUMN pseudonym_key TEXT NOT NULL DEFAULT ''")
    taken: set[str] = set()
    renamed = []
    rows = con.execute("SELECT patient_id, pseudonym FROM patients ORDER BY patient_id")
    for patient_id, pseudonym in rows.fetchall():
        name, n = pseudonym, 1
        while pseudonym_key(name) in taken:
            n += 1
            name = f"{pseudonym} ({n})"
        key = pseudonym_key(name)
        taken.add(key)
        con.execute("UPDATE patients SET pseudonym = ?, pseudonym_key = ? WHERE patient_id = ?",
                    (name, key, patient_id))
        if name != pseudonym:
            renamed.append(_("patient {old} was renamed {new}: another patient's pseudonym "
                             "differs from it only in case or accents").format(
                old=repr(pseudonym), new=repr(name)))
    _run(con, _SCHEMA_V3_ADDITIONS.split(";", 1)[1])  # the rest: index and quarantine table
    return renamed


#: Migrations by the version they start from: ``MIGRATIONS[n]`` turns version n into n+1.
#: Each returns messages about what needs a look (shown as :class:`HistoryWarning`).
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], list[str]]] = {
    1: _migrate_1_to_2,
    2: _migrate_2_to_3,
}
