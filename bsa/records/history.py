"""The visit history: a local SQLite database of assessments, by patient pseudonym.

Clinicians and patients follow the affected skin and the area treated over weeks. Each
*visit* stores one :class:`~bsa.records.assessment.Assessment` whole (its session-file JSON:
age, chart, rule, typed shares, painted masks, the treatment area, do-not-apply areas and
zones, and totals) plus indexed columns for listing and plotting (date, age, chart, rule,
the affected skin's total %BSA). Patients are known only by a pseudonym the user chooses; no
name is needed or asked for.

Where the file lives
--------------------
The path given to :class:`History`; by default :func:`default_history_path`: the
environment variable ``BSA_HISTORY_DB`` if set, else
``$XDG_DATA_HOME/bsa/history.sqlite3`` (``~/.local/share/bsa/history.sqlite3`` when
``XDG_DATA_HOME`` is unset). The file (and its folder) is created on the first *write*
only; listing an absent history returns nothing and creates nothing.

Reliability
-----------
- WAL journal mode and a busy timeout, so several page sessions can save at once; every
  write is one ``BEGIN IMMEDIATE`` transaction, so a visit is written whole or not at all.
- The schema version is kept in ``PRAGMA user_version``; older files are migrated in one
  transaction when first opened (see :data:`MIGRATIONS`). A visit an older file holds but
  this version cannot read is not lost and does not stop the migration: it is moved,
  unchanged, to the table ``quarantined_visits``, and a :class:`HistoryWarning` names it
  (:meth:`History.quarantined_visits` lists them).
- A new file is created with its schema in one transaction, so several processes may
  create it at once; the file is readable by its owner only (0600), and an existing file
  (and its ``-wal`` and ``-shm`` files) with wider permissions is tightened to that when
  opened.
- Patients are told apart by :func:`pseudonym_key`, the pseudonym in Unicode normal form
  and case-folded (``"Émile"``, ``"émile"`` and ``"E\u0301MILE"`` are one patient); the
  pseudonym is shown as it was first typed.
- A file that is not a SQLite database, is damaged, read-only, locked for too long, or was
  written by a newer version raises :class:`HistoryError` (a
  :class:`~bsa.errors.BSAInputError`) with a message saying what to do.

Why one long module: the database file's creation and permissions, its migrations, the
quarantine of rows that no longer read and the listing and saving of visits all guard the
same file, and each needs the others' invariants; the row layout itself is in
:mod:`bsa.records.history_schema`.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import sqlite3
import stat
import tempfile
import unicodedata
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, overload

from ..core.regions import REGIONS
from ..errors import BSAInputError
from ..i18n import N_, _, num
from ..text import for_spreadsheet
from .assessment import Assessment
from .history_schema import MIGRATIONS, SCHEMA_VERSION, create_schema, now_utc
from .pseudonym import pseudonym_key
from .session import from_json, to_dict

if TYPE_CHECKING:
    from contextlib import _GeneratorContextManager

__all__ = [
    "ENV_VAR",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "History",
    "HistoryError",
    "HistoryWarning",
    "Patient",
    "QuarantinedVisit",
    "Visit",
    "default_history_path",
    "pseudonym_key",
]

#: The environment variable that sets the history file's path.
ENV_VAR = "BSA_HISTORY_DB"
#: The schema version this module writes (``PRAGMA user_version``).
#: How long a writer waits for another writer's lock before giving up. [milliseconds]
BUSY_TIMEOUT_MS = 10_000
#: The longest pseudonym accepted. [characters]
MAX_PSEUDONYM_CHARS = 64

# A pseudonym is a label, not a name: letters, digits, spaces and - _ . # / ( ); it may
# not start with a character a spreadsheet would read as a formula (= + - @) in the CSV.
_PSEUDONYM = re.compile(r"[^\W_][\w .#/()-]*\Z")


class HistoryError(BSAInputError):
    """The visit history cannot be read or written: the message says why and what to do."""


class HistoryWarning(UserWarning):
    """Something in the visit history needs a look, though the history works: a visit kept
    aside while migrating an old file, or a pseudonym renamed to stay unique."""


def default_history_path() -> Path:
    """Return where the visit history lives unless told otherwise.

    ``$BSA_HISTORY_DB`` if set, else ``$XDG_DATA_HOME/bsa/history.sqlite3``, else
    ``~/.local/share/bsa/history.sqlite3``. Nothing is created by calling this.
    """
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME", "").strip() or "~/.local/share"
    return Path(base).expanduser() / "bsa" / "history.sqlite3"


@dataclass(frozen=True)
class Patient:
    """A patient in the history: a pseudonym, and a summary of their visits."""

    pseudonym: str
    created_at: str
    n_visits: int
    last_visit: str | None


@dataclass(frozen=True, eq=False)
class Visit:
    """One stored visit.

    Attributes
    ----------
    visit_id : int
    pseudonym : str
    visit_date : str
        ISO date (YYYY-MM-DD) of the consultation.
    saved_at : str
        ISO time (UTC) the visit was written.
    age_years : float
        [years]
    chart, age_mode : str
    rule_id : str or None
    percent_bsa : float
        The affected skin's total when the visit was saved (the session file's
        ``totals.percent_bsa``; the treated area too for a visit with one layer of marks).
        [% of body surface]
    assessment : Assessment or None
        The full assessment (from :meth:`History.get_visit`; None in listings).
    """

    visit_id: int
    pseudonym: str
    visit_date: str
    saved_at: str
    age_years: float
    chart: str
    age_mode: str
    rule_id: str | None
    percent_bsa: float
    assessment: Assessment | None = None


@dataclass(frozen=True)
class QuarantinedVisit:
    """A visit an older history held that this version could not read, kept unchanged.

    Attributes
    ----------
    visit_id, patient_id : int
    visit_date : str
    session_json : str
        The stored session file, as it was.
    reason : str
        Why it could not be read.
    quarantined_at : str
        ISO time (UTC) it was set aside.
    """

    visit_id: int
    patient_id: int | None
    visit_date: str | None
    session_json: str | None
    reason: str
    quarantined_at: str


# --------------------------------------------------------------------------- helpers


def _check_pseudonym(pseudonym: object) -> str:
    if not isinstance(pseudonym, str):
        raise HistoryError(_("a pseudonym must be text, got {value}").format(value=repr(pseudonym)))
    text = unicodedata.normalize("NFC", " ".join(pseudonym.split()))
    if not text:
        raise HistoryError(_("a pseudonym is needed (any label you choose; not the patient's "
                             "name)"))
    if len(text) > MAX_PSEUDONYM_CHARS or not _PSEUDONYM.match(text):
        raise HistoryError(
            _("pseudonym {pseudonym} is not accepted: up to {most} characters, starting with a "
              "letter or digit, then letters, digits, spaces and - _ . # / ( )").format(
                pseudonym=repr(pseudonym), most=num(MAX_PSEUDONYM_CHARS))
        )
    return text


def _check_date(visit_date: object) -> str:
    if visit_date is None:
        return date.today().isoformat()
    if isinstance(visit_date, datetime):
        visit_date = visit_date.date()
    if isinstance(visit_date, str):
        try:
            visit_date = date.fromisoformat(visit_date.strip())
        except ValueError:
            raise HistoryError(
                _("visit date {value} is not a date; write it as YYYY-MM-DD").format(
                    value=repr(visit_date))
            ) from None
    if not isinstance(visit_date, date):
        raise HistoryError(_("visit date must be a date (YYYY-MM-DD), got {value}").format(
            value=repr(visit_date)))
    if not 1900 <= visit_date.year <= 2200:
        raise HistoryError(_("visit date {day} is outside the years 1900-2200").format(
            day=visit_date.isoformat()))
    return visit_date.isoformat()


def _number_cell(value: object) -> str:
    """A stored number as a CSV cell; empty if it is missing or not a number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return ""
    try:
        return repr(float(value))
    except OverflowError:
        return ""




# --------------------------------------------------------------------------- history


class History:
    """A visit history stored in one SQLite file.

    Parameters
    ----------
    path : str or path-like, optional
        The database file; default :func:`default_history_path`. Nothing is created until
        the first write.

    Notes
    -----
    Each call opens its own short-lived connection, so one ``History`` may be shared by
    threads (Streamlit sessions), and several processes may use the same file.

    Examples
    --------
    >>> h = History("/tmp/visits.sqlite3")                       # doctest: +SKIP
    >>> h.add_visit("patient 7", Assessment(age_years=30, shares={"head": 1.0}),
    ...             "2026-11-27")                                  # doctest: +SKIP
    """

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = Path(path).expanduser() if path is not None else default_history_path()

    def __repr__(self) -> str:
        return f"History({str(self.path)!r})"

    def exists(self) -> bool:
        """Return True if the history file has been created."""
        return self.path.is_file()

    # -- connections ---------------------------------------------------------------

    def _error(self, exc: BaseException, doing: str) -> HistoryError:
        message = str(exc)
        lowered = message.lower()
        if "readonly" in lowered or "read-only" in lowered or isinstance(exc, PermissionError):
            hint = _("the file (or its folder) is read-only; nothing was saved")
        elif "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
            hint = _("the file is not a readable visit history (damaged, or another kind of "
                     "file); move it aside or set {variable} to another file").format(
                variable=ENV_VAR)
        elif "locked" in lowered or "busy" in lowered:
            hint = _("another program kept the history locked for too long; try again")
        elif "unable to open" in lowered:
            hint = _("the file cannot be opened; check the path or set {variable}").format(
                variable=ENV_VAR)
        else:
            hint = message
        return HistoryError(_("visit history {path}: cannot {doing}: {hint}").format(
            path=self.path, doing=_(doing), hint=hint))

    # One generator for reads and writes (a wrapper would add frames, and move where the
    # migration warnings of _prepare point with their stacklevel). A write creates the file
    # if absent, so it always yields a connection; a read of an absent file yields None.
    @overload
    def _connect(self, *, write: Literal[True],
                 doing: str) -> _GeneratorContextManager[sqlite3.Connection]: ...

    @overload
    def _connect(self, *, write: Literal[False],
                 doing: str) -> _GeneratorContextManager[sqlite3.Connection | None]: ...

    @contextmanager
    def _connect(self, *, write: bool, doing: str) -> Iterator[sqlite3.Connection | None]:
        """Yield a connection (or None for a read of an absent file) at the current schema.

        A write runs inside ``BEGIN IMMEDIATE`` ... ``COMMIT`` (rolled back on any error).
        """
        if not write and not self.path.exists():
            yield None
            return
        con = None
        try:
            if write and not self.path.exists():
                self._create()
            if self.path.is_dir():
                raise HistoryError(_("visit history {path} is a folder, not a file").format(
                    path=self.path))
            self._tighten()
            con = self._open(self.path)
            self._prepare(con, write=write)
            if write:
                con.execute("BEGIN IMMEDIATE")
                try:
                    yield con
                    con.execute("COMMIT")
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
            else:
                yield con
        except HistoryError:
            raise
        except (sqlite3.Error, OSError) as exc:
            raise self._error(exc, doing) from None
        finally:
            if con is not None:
                con.close()

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                              check_same_thread=True)
        con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        con.execute("PRAGMA foreign_keys = ON")
        return con

    def _create(self) -> None:
        """Create the file with its schema, at once: no process ever sees it half made.

        The database is built in a private temporary file beside the target and linked to
        the target's name, which fails if another process was first (its file is then
        used). Where the file system cannot link, an empty file is created and
        :meth:`_prepare` builds the schema under the write lock.
        """
        folder = self.path.parent
        if not folder.is_dir():
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(folder, 0o700)  # health data: the folder is the owner's only too
        fd, tmp_name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".new",
                                        dir=folder)  # 0600: owner only
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            con = self._open(tmp)
            try:
                con.execute("PRAGMA journal_mode = WAL")
                con.execute("BEGIN IMMEDIATE")
                create_schema(con)
                con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                con.execute("COMMIT")
            finally:
                con.close()
            try:
                os.link(tmp, self.path)
            except FileExistsError:
                pass  # another process created it first: use theirs
            except OSError:  # no hard links here: an empty file, schema made under lock
                with contextlib.suppress(FileExistsError):
                    os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        finally:
            for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
                leftover.unlink(missing_ok=True)

    def _tighten(self) -> None:
        """Make the file (and its WAL files) the owner's only, if they are not already."""
        for path in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm")):
            try:
                st = os.stat(path)
                if stat.S_ISREG(st.st_mode) and st.st_mode & 0o077 and st.st_uid == os.getuid():
                    os.chmod(path, stat.S_IMODE(st.st_mode) & ~0o077)
            except OSError:
                pass  # absent, or not ours to change: reading it is still allowed

    _STATE = (
        "SELECT (SELECT user_version FROM pragma_user_version),"
        " (SELECT group_concat(name, char(31)) FROM sqlite_master WHERE type = 'table')"
    )

    def _state(self, con: sqlite3.Connection) -> tuple[int, set[str]]:
        """The schema version and the tables, read together (one snapshot)."""
        version, names = con.execute(self._STATE).fetchone()
        return version, set(names.split("\x1f")) if names else set()

    def _check_ours(self, version: int, tables: set[str]) -> None:
        if version > SCHEMA_VERSION:
            raise HistoryError(
                f"visit history {self.path} was written by a newer version of bsa (schema"
                f" {version}; this version reads up to {SCHEMA_VERSION}); update bsa"
            )
        if version == 0 and tables:
            raise HistoryError(
                f"visit history {self.path} is a SQLite database of another program;"
                f" set {ENV_VAR} to another file"
            )

    def _prepare(self, con: sqlite3.Connection, *, write: bool) -> None:
        """Check the file is a visit history and bring its schema up to date."""
        version, tables = self._state(con)
        self._check_ours(version, tables)
        if version == SCHEMA_VERSION:
            return
        if version == 0 and not write:
            return  # an empty file another writer is creating: nothing to read yet
        if con.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            con.execute("PRAGMA journal_mode = WAL")
        notes: list[str] = []
        con.execute("BEGIN IMMEDIATE")
        try:
            # Read again under the write lock: another process may have done this meanwhile.
            version, tables = self._state(con)
            self._check_ours(version, tables)
            if version == 0:
                create_schema(con)
            else:
                while version < SCHEMA_VERSION:
                    if version not in MIGRATIONS:
                        raise HistoryError(
                            f"visit history {self.path} has schema {version}, which this version"
                            " of bsa cannot migrate"
                        )
                    notes += MIGRATIONS[version](con)
                    version += 1
            con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        for note in notes:
            warnings.warn(HistoryWarning(
                f"visit history {self.path}, updated to schema {SCHEMA_VERSION}: {note}"
            ), stacklevel=4)

    def quarantined_visits(self) -> list[QuarantinedVisit]:
        """Return the visits a migration set aside because they could not be read.

        Each keeps its stored session file unchanged, and the reason.
        """
        with self._connect(write=False, doing=N_("list the visits set aside")) as con:
            if con is None or not self._ready(con):
                return []
            rows = con.execute(
                "SELECT visit_id, patient_id, visit_date, session_json, reason, quarantined_at"
                " FROM quarantined_visits ORDER BY visit_id"
            ).fetchall()
        return [QuarantinedVisit(*row) for row in rows]

    # -- patients ------------------------------------------------------------------

    def add_patient(self, pseudonym: str) -> str:
        """Add a patient by pseudonym (no name needed); return the pseudonym as stored.

        Adding a pseudonym that exists already (the same :func:`pseudonym_key`: ignoring
        case and Unicode form) is not an error; the pseudonym as first stored is returned.
        """
        pseudonym = _check_pseudonym(pseudonym)
        with self._connect(write=True, doing=N_("add a patient")) as con:
            return self._patient_id(con, pseudonym, create=True)[1]

    def _patient_id(
        self, con: sqlite3.Connection, pseudonym: str, *, create: bool
    ) -> tuple[int, str]:
        key = pseudonym_key(pseudonym)
        row = con.execute(
            "SELECT patient_id, pseudonym FROM patients WHERE pseudonym_key = ?", (key,)
        ).fetchone()
        if row is not None:
            return row[0], row[1]
        if not create:
            raise HistoryError(_("no patient {pseudonym} in the visit history").format(
                pseudonym=repr(pseudonym)))
        cur = con.execute(
            "INSERT INTO patients (pseudonym, pseudonym_key, created_at) VALUES (?, ?, ?)",
            (pseudonym, key, now_utc()),
        )
        assert cur.lastrowid is not None  # set by the INSERT just made
        return cur.lastrowid, pseudonym

    def list_patients(self) -> list[Patient]:
        """Return every patient, by pseudonym, with their number of visits and last date."""
        with self._connect(write=False, doing=N_("list patients")) as con:
            if con is None or not self._ready(con):
                return []
            rows = con.execute(
                "SELECT p.pseudonym, p.created_at, COUNT(v.visit_id), MAX(v.visit_date)"
                " FROM patients p LEFT JOIN visits v ON v.patient_id = p.patient_id"
                " GROUP BY p.patient_id ORDER BY p.pseudonym_key, p.patient_id"
            ).fetchall()
        return [Patient(*row) for row in rows]

    def delete_patient(self, pseudonym: str) -> int:
        """Delete a patient and all their visits; return how many visits were deleted."""
        pseudonym = _check_pseudonym(pseudonym)
        with self._connect(write=True, doing=N_("delete a patient")) as con:
            patient_id, _created = self._patient_id(con, pseudonym, create=False)
            n = con.execute(
                "SELECT COUNT(*) FROM visits WHERE patient_id = ?", (patient_id,)
            ).fetchone()[0]
            con.execute("DELETE FROM visits WHERE patient_id = ?", (patient_id,))
            con.execute("DELETE FROM patients WHERE patient_id = ?", (patient_id,))
        return n

    # -- visits --------------------------------------------------------------------

    def add_visit(
        self, pseudonym: str, assessment: Assessment, visit_date: date | str | None = None
    ) -> int:
        """Save an assessment as a visit of a patient (created if new); return its id.

        Parameters
        ----------
        pseudonym : str
            The patient's pseudonym (any label; not their name).
        assessment : Assessment
        visit_date : date or str (YYYY-MM-DD), optional
            Default today.

        Notes
        -----
        One transaction: the visit (and a new patient) is written whole or not at all.
        """
        pseudonym = _check_pseudonym(pseudonym)
        if not isinstance(assessment, Assessment):
            raise HistoryError(f"expected an Assessment, got {type(assessment).__name__}")
        day = _check_date(visit_date)
        content = to_dict(assessment)  # computed before the write lock is taken
        text = json.dumps(content, allow_nan=False)
        with self._connect(write=True, doing=N_("save the visit")) as con:
            patient_id, _created = self._patient_id(con, pseudonym, create=True)
            cur = con.execute(
                "INSERT INTO visits (patient_id, visit_date, saved_at, age_years, chart,"
                " age_mode, rule_id, percent_bsa, session_json)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    patient_id, day, content["saved_at"], assessment.age_years,
                    assessment.chart, assessment.age_mode, assessment.rule_id,
                    content["totals"]["percent_bsa"], text,
                ),
            )
            assert cur.lastrowid is not None  # set by the INSERT just made
            return cur.lastrowid

    _VISIT_COLUMNS = (
        "v.visit_id, p.pseudonym, v.visit_date, v.saved_at, v.age_years, v.chart,"
        " v.age_mode, v.rule_id, v.percent_bsa"
    )

    @staticmethod
    def _ready(con: sqlite3.Connection) -> bool:
        return con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION

    def list_visits(self, pseudonym: str | None = None) -> list[Visit]:
        """Return the visits of one patient (or of everyone), oldest first, without masks."""
        where = ""
        params: tuple[str, ...] = ()
        if pseudonym is not None:
            where, params = " WHERE p.pseudonym_key = ?", (pseudonym_key(_check_pseudonym(pseudonym)),)
        with self._connect(write=False, doing=N_("list visits")) as con:
            if con is None or not self._ready(con):
                return []
            rows = con.execute(
                f"SELECT {self._VISIT_COLUMNS} FROM visits v JOIN patients p"
                f" ON p.patient_id = v.patient_id{where}"
                " ORDER BY p.pseudonym_key, v.visit_date, v.visit_id",
                params,
            ).fetchall()
        return [Visit(*row) for row in rows]

    def get_visit(self, visit_id: int) -> Visit:
        """Return one visit with its full :class:`~bsa.records.assessment.Assessment`.

        The assessment is read strictly (as a session file), without comparing its stored
        total with a recomputed one: :attr:`Visit.percent_bsa` is the total as saved.
        """
        visit_id = self._check_id(visit_id)
        with self._connect(write=False, doing=N_("read the visit")) as con:
            row = None
            if con is not None and self._ready(con):
                row = con.execute(
                    f"SELECT {self._VISIT_COLUMNS}, v.session_json FROM visits v JOIN patients p"
                    " ON p.patient_id = v.patient_id WHERE v.visit_id = ?",
                    (visit_id,),
                ).fetchone()
        if row is None:
            raise HistoryError(_("no visit {visit} in the visit history").format(visit=visit_id))
        try:
            assessment = from_json(row[-1], check_totals=False)
        except BSAInputError as exc:
            raise HistoryError(_("visit {visit} cannot be read: {error}").format(
                visit=visit_id, error=exc)) from None
        # The columns of _VISIT_COLUMNS, in Visit's order (its fields before the assessment).
        stored: tuple[int, str, str, str, float, str, str, str | None, float] = row[:-1]
        return Visit(*stored, assessment=assessment)

    @staticmethod
    def _check_id(visit_id: object) -> int:
        if isinstance(visit_id, bool) or not isinstance(visit_id, int) or visit_id < 1:
            raise HistoryError(_("a visit id is a positive whole number, got {value}").format(
                value=repr(visit_id)))
        return visit_id

    def delete_visit(self, visit_id: int) -> None:
        """Delete one visit (the patient stays)."""
        visit_id = self._check_id(visit_id)
        with self._connect(write=True, doing=N_("delete the visit")) as con:
            if con.execute("DELETE FROM visits WHERE visit_id = ?", (visit_id,)).rowcount == 0:
                raise HistoryError(_("no visit {visit} in the visit history").format(visit=visit_id))

    # -- export --------------------------------------------------------------------

    #: The CSV's columns: the visit, then each region's contribution. [% of body surface]
    CSV_COLUMNS = (
        "pseudonym", "visit_id", "visit_date", "age_years", "chart", "age_mode", "rule_id",
        "percent_bsa", *(f"{r}_percent" for r in REGIONS),
    )

    def export_csv(self, pseudonym: str | None = None) -> str:
        """Return the visits (of one patient, or all) as CSV text, one row a visit.

        Columns: :attr:`CSV_COLUMNS`; the per-region columns are each region's
        contribution to the total as saved. [% of body surface]

        A text cell a spreadsheet would run as a formula (starting with = + - @, a tab or
        a carriage return; a pseudonym cannot, but a file edited by hand may hold one) gets
        a leading single quote (:func:`bsa.text.for_spreadsheet`).
        """
        where = ""
        params: tuple[str, ...] = ()
        if pseudonym is not None:
            where, params = " WHERE p.pseudonym_key = ?", (pseudonym_key(_check_pseudonym(pseudonym)),)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.CSV_COLUMNS)
        with self._connect(write=False, doing=N_("export the visits")) as con:
            rows = []
            if con is not None and self._ready(con):
                rows = con.execute(
                    f"SELECT {self._VISIT_COLUMNS}, v.session_json FROM visits v JOIN patients p"
                    f" ON p.patient_id = v.patient_id{where}"
                    " ORDER BY p.pseudonym_key, v.visit_date, v.visit_id",
                    params,
                ).fetchall()
        for (vid, name, day, _saved, age, chart, mode, rule, total, text) in rows:
            try:
                by_region = json.loads(text)["totals"]["by_region"]
            except (ValueError, KeyError, TypeError):
                by_region = {}
            if not isinstance(by_region, dict):
                by_region = {}
            writer.writerow(
                [for_spreadsheet(str(x)) for x in (name, vid, day)]
                + [repr(age)] + [for_spreadsheet(str(x or "")) for x in (chart, mode, rule)]
                + [repr(total)]
                + [_number_cell(by_region.get(r)) for r in REGIONS]
            )
        return out.getvalue()
