"""Every file the package writes is written whole or not at all (bsa.files)."""

from __future__ import annotations

import errno
import os
import re
import resource
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

import bsa.files
from bsa.cli import main
from bsa.diagram.picture import save_chart
from bsa.errors import BSAInputError
from bsa.files import atomic_output, remove_stale_parts, write_atomic
from bsa.records.assessment import Assessment
from bsa.records.session import save
from bsa.report.layout import render_report

ROOT = Path(__file__).resolve().parents[1]
PREVIOUS = b"the previous file, which must survive\n"
_TEMPORARY = re.compile(r"^\..*\.(part|tmp)$")


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if _TEMPORARY.match(p.name))


def assessment() -> Assessment:
    return Assessment(age_years=9, shares={"head": 1.0, "left_thigh:front": 0.5},
                      rule_id="opzelura_us_atopic_dermatitis")


def write_csv(folder: Path, rows: int = 3) -> Path:
    src = folder / "in.csv"
    src.write_text("id,age,head\n" + "".join(f"p{i},{i % 90},0.5\n" for i in range(rows)))
    return src


#: Each writer of the package: (file name, function writing it in this process).
WRITERS = {
    "session": ("visit.json", lambda p: save(p, assessment())),
    "chart": ("chart.png", lambda p: save_chart(p, 5)),
    "map": ("map.pdf", lambda p: render_report(assessment(), p)),
    "batch": ("out.csv", lambda p: _batch(p)),
}


def _batch(path: Path) -> None:
    if main(["batch", str(write_csv(path.parent)), "-o", str(path)]) != 0:
        raise BSAInputError("batch failed")


# ---------------------------------------------------------------------------- the writer


def test_write_atomic_writes_text_and_bytes(tmp_path):
    assert write_atomic(tmp_path / "a.txt", "crème\n").read_bytes() == "crème\n".encode()
    write_atomic(tmp_path / "a.txt", b"\x00\x01")
    assert (tmp_path / "a.txt").read_bytes() == b"\x00\x01"
    with atomic_output(tmp_path / "b.csv", newline="") as f:
        f.write("a\r\n")
        f.writelines(["b\r\n", "c\n"])
    assert (tmp_path / "b.csv").read_bytes() == b"a\r\nb\r\nc\n"
    assert leftovers(tmp_path) == []


def test_permissions_of_the_file_replaced_are_kept_and_a_new_file_gets_the_umask(tmp_path):
    old = tmp_path / "old.txt"
    old.write_bytes(PREVIOUS)
    old.chmod(0o640)
    write_atomic(old, "new")
    assert stat.S_IMODE(old.stat().st_mode) == 0o640
    mask = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.txt", "new")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


@pytest.mark.parametrize("fails", ["write", "fsync", "replace"])
def test_a_failure_while_writing_leaves_the_previous_file_and_no_temporary(tmp_path,
                                                                          monkeypatch, fails):
    target = tmp_path / "data.bin"
    target.write_bytes(PREVIOUS)

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    if fails == "write":
        monkeypatch.setattr(bsa.files._AtomicFile, "write", lambda self, data: (
            self._raw.write(data[: len(data) // 2]), disk_full()))
        with pytest.raises(OSError):
            write_atomic(target, b"x" * 1000)
    else:
        monkeypatch.setattr(os, fails, disk_full)
        with pytest.raises(BSAInputError, match=f"cannot write {re.escape(str(target))}: No "
                                                "space left on device; the previous file"):
            write_atomic(target, b"x" * 1000)
    assert target.read_bytes() == PREVIOUS
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("exception", [ValueError("a bad row"), KeyboardInterrupt()])
def test_an_exception_or_ctrl_c_in_the_caller_leaves_the_previous_file(tmp_path, exception):
    target = tmp_path / "out.csv"
    target.write_bytes(PREVIOUS)
    with pytest.raises(type(exception)), atomic_output(target) as f:
        f.write("half of the rows\n")
        raise exception
    assert target.read_bytes() == PREVIOUS
    assert leftovers(tmp_path) == []


def test_a_missing_folder_or_a_folder_as_target_is_named(tmp_path):
    with pytest.raises(BSAInputError, match="cannot write .*nowhere.*No such file or directory"):
        write_atomic(tmp_path / "nowhere" / "x.txt", "x")
    with pytest.raises(BSAInputError, match="is a folder"):
        write_atomic(tmp_path, "x")
    with pytest.raises(BSAInputError, match="cannot write the map to"):
        write_atomic(tmp_path / "nowhere" / "x.pdf", b"x", what="the map")


def test_text_that_is_not_unicode_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(BSAInputError, match="not valid Unicode"):
        write_atomic(tmp_path / "x.txt", "a\ud800")
    with pytest.raises(BSAInputError, match="not valid Unicode"), \
            atomic_output(tmp_path / "y.txt") as f:
        f.write("a\ud800")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------- every writer


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_every_writer_keeps_the_previous_file_when_the_rename_fails(tmp_path, monkeypatch,
                                                                    writer):
    name, write = WRITERS[writer]
    target = tmp_path / name
    target.write_bytes(PREVIOUS)
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(
        OSError(errno.EDQUOT, "Disk quota exceeded")))
    with pytest.raises(BSAInputError, match="Disk quota exceeded|batch failed"):
        write(target)
    assert target.read_bytes() == PREVIOUS
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("writer", ["session", "chart"])
def test_a_symlink_at_the_old_predictable_temporary_name_is_not_followed(tmp_path, writer):
    """Before, these wrote to '.NAME.PID.tmp' by name, following a link planted there."""
    name, write = WRITERS[writer]
    victim = tmp_path / "victim.txt"
    victim.write_bytes(PREVIOUS)
    (tmp_path / f".{name}.{os.getpid()}.tmp").symlink_to(victim)
    write(tmp_path / name)
    assert victim.read_bytes() == PREVIOUS
    assert (tmp_path / name).stat().st_size > 0


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_symlink_at_the_target_is_replaced_not_written_through(tmp_path, writer):
    name, write = WRITERS[writer]
    victim = tmp_path / "victim.txt"
    victim.write_bytes(PREVIOUS)
    (tmp_path / name).symlink_to(victim)
    write(tmp_path / name)
    assert victim.read_bytes() == PREVIOUS
    assert not (tmp_path / name).is_symlink()


def _limit_file_size(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@pytest.mark.parametrize(("args", "name"), [
    (["report", "visit.json", "-o", "map.pdf"], "map.pdf"),
    (["report", "visit.json", "-o", "map.png"], "map.png"),
    (["chart", "--age", "5", "-o", "chart.png"], "chart.png"),
    (["session", "new", "--age", "7", "head=1", "--notes", "x" * 8000, "-o", "new.json"],
     "new.json"),
    (["batch", "in.csv", "-o", "out.csv"], "out.csv"),
])
def test_a_file_size_limit_mid_write_leaves_the_previous_file_byte_for_byte(tmp_path, args,
                                                                            name):
    """The real thing: the kernel refuses the write (EFBIG) part of the way through."""
    save(tmp_path / "visit.json", assessment())
    write_csv(tmp_path, rows=300)
    (tmp_path / name).write_bytes(PREVIOUS)
    before = sorted(p.name for p in tmp_path.iterdir())
    r = subprocess.run([sys.executable, "-m", "bsa", *args], cwd=tmp_path, capture_output=True,
                       text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
                       preexec_fn=_limit_file_size(4096))
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("bsa: error: cannot write") and r.stderr.count("\n") == 1
    assert "File too large" in r.stderr, r.stderr
    assert (tmp_path / name).read_bytes() == PREVIOUS
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no temporary left


# ---------------------------------------------------------------------------- stale parts


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_stale_parts_of_dead_processes_are_removed_for_the_same_output_only(tmp_path):
    dead = _dead_pid()
    stale = tmp_path / f".out.csv.{dead}.abc_123.part"
    alive = tmp_path / f".out.csv.{os.getppid()}.abc_123.part"  # our parent runs
    other = tmp_path / f".other.csv.{dead}.abc_123.part"
    mine = tmp_path / "out.csv.notes.part"  # not a temporary name
    folder = tmp_path / f".out.csv.{dead}.dir.part"
    for p in (stale, alive, other, mine):
        p.write_text("x")
    folder.mkdir()
    assert remove_stale_parts(tmp_path / "out.csv") == [stale]
    assert not stale.exists() and alive.exists() and other.exists() and mine.exists()
    assert folder.is_dir()


def test_batch_killed_with_sigkill_leaves_a_part_the_next_run_removes(tmp_path):
    out = tmp_path / "out.csv"
    proc = subprocess.Popen([sys.executable, "-m", "bsa", "batch", "-", "-o", str(out)],
                            stdin=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    try:
        proc.stdin.write(b"id,age,head\np1,3,1\n")
        proc.stdin.flush()  # the input stays open: batch waits for more rows
        deadline = time.monotonic() + 60
        parts: list[str] = []
        while not parts and time.monotonic() < deadline:
            parts = [p for p in leftovers(tmp_path) if p.startswith(f".out.csv.{proc.pid}.")]
            time.sleep(0.05)
        proc.kill()  # SIGKILL: no clean-up runs
        proc.wait()
    finally:
        proc.stdin.close()
        proc.stderr.close()
    assert parts and (tmp_path / parts[0]).exists()
    assert not out.exists()
    assert main(["batch", str(write_csv(tmp_path)), "-o", str(out)]) == 0
    assert leftovers(tmp_path) == []
    assert out.read_text().startswith("id,age,percent_bsa")
