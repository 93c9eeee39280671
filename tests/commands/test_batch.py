"""batch with pyarrow: CSV read by pyarrow gives the bytes the careful reader gives; Parquet
in and out; without pyarrow the careful reader does CSV and says how to get the rest."""

import csv
import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tolerance import assert_close, printed

import bsa
from bsa.cli import main
from bsa.commands import batch
from bsa.commands._numbers import (
    DECIMALS,  # the batch output's decimals
    number_texts,
)

ROOT = Path(__file__).resolve().parents[2]
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def run_both(tmp_path, data: bytes, extra=()):
    """(status, output bytes) with pyarrow's reader and with the careful one only."""
    src = tmp_path / "in.csv"
    src.write_bytes(data)
    results = []
    for careful in (False, True):
        out = tmp_path / f"out_{careful}.csv"
        out.unlink(missing_ok=True)
        if careful:
            saved, batch._arrow_io = batch._arrow_io, lambda: None
        try:
            status = main(["batch", str(src), "-o", str(out), *extra])
        finally:
            if careful:
                batch._arrow_io = saved
        results.append((status, out.read_bytes() if out.exists() else None))
    return results


def cohort_csv(rng, n, header=("id", "age", *bsa.REGIONS)):
    rows = [",".join(header)]
    for i in range(n):
        f = rng.random(len(header) - 2) * (rng.random(len(header) - 2) < 0.4)
        rows.append(f"p{i},{rng.uniform(0, 100):.3f}," + ",".join(f"{x:.4f}" for x in f))
    return ("\n".join(rows) + "\n").encode()


@pytest.mark.parametrize("extra", [[], ["--no-regions"], ["--age-mode", "banded"]])
def test_the_fast_reader_writes_the_careful_readers_bytes(tmp_path, extra):
    data = cohort_csv(np.random.default_rng(16), 3000)
    (s1, fast), (s2, careful) = run_both(tmp_path, data, extra)
    assert s1 == s2 == 0 and fast == careful
    rows = list(csv.DictReader(io.StringIO(fast.decode())))
    table = np.loadtxt(io.StringIO(data.decode()), delimiter=",", skiprows=1,
                       usecols=range(1, 21))
    expected = bsa.percent_bsa(table[:, 1:], table[:, 0], age_mode=(
        "banded" if "banded" in extra else "interpolated"))
    assert_close([float(r["percent_bsa"]) for r in rows], expected, printed(DECIMALS))


CELLS = st.sampled_from(["0.5", "1", "0", " 1 ", "0.25", "1e-3", "", "x", "nan", "-1", "2",
                         "119.12345678", "0.12345678", "99.99999999", "100",
                         "1_0", "+.5", "5.", "inf", "0x1", '"0.5"', "1e400"])
IDS = st.sampled_from(["p1", "=cmd", "+1", "-2", "@S", "\tx", '"a,b"', '"q""q"', "\u00c9mile",
                       "", '"line\nbreak"', "a\x00b", '"\rx"', "é" * 3, "p" * 12, "q" * 13,
                       "an-identifier-longer-than-twelve-bytes", '"=x,""y"""'])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(IDS, CELLS, CELLS, CELLS), min_size=0, max_size=6),
       st.sampled_from(["\n", "\r\n", "\r"]), st.sampled_from([[], ["--empty-as-zero"]]))
def test_fast_and_careful_agree_on_any_rows(tmp_path_factory, rows, end, extra):
    text = end.join(["id,age,head,neck:front"] + [",".join(r) for r in rows]) + end
    (s1, fast), (s2, careful) = run_both(tmp_path_factory.mktemp("f"), text.encode(), extra)
    assert s1 == s2
    assert fast == careful


def test_numbers_are_written_with_eight_decimals_at_most():
    assert number_texts(np.array([[0.0, 1e-9, 6e-9, 99.999999996, 1 / 3, 120]])) == [
        "0,0,0.00000001,100,0.33333333,120"]


def test_parquet_in_and_out(tmp_path):
    rng = np.random.default_rng(3)
    n = 70_000  # more than one Parquet batch
    ages = rng.uniform(0, 100, n)
    f = rng.random((n, 2))
    pq.write_table(pa.table({"id": [f"p{i}" for i in range(n)], "age": ages,
                             "head": f[:, 0], "right_thigh:front": f[:, 1]}),
                   tmp_path / "in.parquet")
    assert main(["batch", str(tmp_path / "in.parquet"), "-o", str(tmp_path / "o.parquet")]) == 0
    out = pq.read_table(tmp_path / "o.parquet")
    halves = np.zeros((n, 33))
    halves[:, bsa.PART_NAMES.index("head:front")] = f[:, 0]
    halves[:, bsa.PART_NAMES.index("head:back")] = f[:, 0]
    halves[:, bsa.PART_NAMES.index("right_thigh:front")] = f[:, 1]
    total, per = bsa.percent_bsa(halves, ages, return_breakdown=True)
    assert_close(out.column("percent_bsa").to_numpy(), total)
    assert out.column_names[:3] == ["id", "age", "percent_bsa"]
    assert out.column("id").to_pylist()[:2] == ["p0", "p1"]
    # CSV in, Parquet out; Parquet in, CSV out
    assert main(["batch", str(tmp_path / "in.parquet"), "-o", str(tmp_path / "o.csv")]) == 0
    rows = list(csv.DictReader(open(tmp_path / "o.csv")))
    assert_close([float(r["percent_bsa"]) for r in rows], total, printed(DECIMALS))
    src = tmp_path / "c.csv"
    src.write_text("id,age,head\n=x,3,1\np2,30,0.5\n")
    assert main(["batch", str(src), "-o", str(tmp_path / "c.parquet"), "--no-regions"]) == 0
    back = pq.read_table(tmp_path / "c.parquet").to_pydict()
    assert back == {"id": ["=x", "p2"], "age": [3.0, 30.0], "percent_bsa": [15.0, 3.5]}


@pytest.mark.parametrize("table,message", [
    ({"age": [3.0, 140.0], "head": [1.0, 1.0]}, "row 2: age 140 is out of range"),
    ({"age": [3.0, 4.0], "head": [1.0, 1.5]}, "row 2: column 'head' is 1.5"),
    ({"age": [3.0, None], "head": [1.0, 1.0]}, "row 2: age column 'age' is empty"),
    ({"age": ["3", "x"], "head": [1.0, 1.0]}, "age column 'age' must hold numbers"),
    ({"years": [3.0], "head": [1.0]}, "the file's columns: no age column 'age'"),
])
def test_bad_parquet_is_refused_by_row_and_keeps_the_old_output(tmp_path, capsys, table,
                                                                message):
    pq.write_table(pa.table(table), tmp_path / "in.parquet")
    out = tmp_path / "o.csv"
    out.write_text("previous\n")
    assert main(["batch", str(tmp_path / "in.parquet"), "-o", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert out.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.parquet", "o.csv"]


def test_without_pyarrow_csv_works_and_parquet_says_how(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(batch, "_arrow_io", lambda: None)
    src = tmp_path / "c.csv"
    src.write_text("id,age,head\na,3,1\n")
    assert main(["batch", str(src), "-o", str(tmp_path / "o.csv")]) == 0
    err = capsys.readouterr().err
    assert "careful reader" in err and "pip install" in err and "[research]" in err
    assert main(["batch", str(src), "-o", str(tmp_path / "o.parquet")]) == 2
    err = capsys.readouterr().err
    assert "Parquet needs pyarrow" in err and "[research]" in err


def test_reading_ahead_stops_with_the_consumer_and_passes_errors_on():
    closed = []

    def blocks():
        try:
            yield from range(10)
        finally:
            closed.append(True)

    for block in batch._prefetched(blocks()):
        if block == 0:
            break  # the reader is left with a full queue: it must stop, not hang
    assert closed == [True]

    def failing():
        yield 1
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        list(batch._prefetched(failing()))


def test_rows_over_half_a_mebibyte_go_to_the_careful_reader_and_are_read(tmp_path):
    """The fast reader's look for long rows (windows of half the 1 MiB limit) hands such a
    row to the careful reader, which reads it: the same bytes either way."""
    names = [f"k{i}" for i in range(10)]
    header = ",".join([*names, "age", "head"])
    row = ",".join(["x" * 60_000] * 10 + ["3", "1"])
    data = (header + "\n" + row + "\n" + ",".join(["y"] * 10 + ["5", "0.5"]) + "\n").encode()
    (s1, fast), (s2, careful) = run_both(
        tmp_path, data, sum((["--keep", n] for n in names), []))
    assert s1 == s2 == 0 and fast == careful and fast.count(b"\n") == 3


def test_a_bad_row_late_in_a_parquet_output_keeps_the_old_file_and_says_one_line(tmp_path):
    rows = ["age,head"] + ["5,0.5"] * 30_000 + ["5,-1"]
    src = tmp_path / "c.csv"
    src.write_text("\n".join(rows) + "\n")
    out = tmp_path / "o.parquet"
    out.write_bytes(b"previous")
    r = subprocess.run([sys.executable, "-m", "bsa", "batch", str(src), "-o", str(out)],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "line 30002: column 'head' is -1" in r.stderr
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.csv", "o.parquet"]
