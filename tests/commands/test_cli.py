"""The command line: estimate and batch, as a user runs them."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from tolerance import TOL, printed

import bsa
from bsa.cli import main
from bsa.commands._numbers import DECIMALS  # the batch output's decimals

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "bsa", *args], capture_output=True,
                          text=True, cwd=cwd or ROOT)


def test_estimate_readable(capsys):
    assert main(["estimate", "--age", "3", "head=1", "anterior_trunk=0.5"]) == 0
    out = capsys.readouterr().out
    assert "21.50%" in out
    assert "halfway between the '1' and '5' columns" in out
    assert "Lund CC, Browder NC" in out
    assert "not medical advice" in out


def test_estimate_json(capsys):
    assert main(["estimate", "--age", "3", "--json", "right_thigh:front=0.5", "neck"]) == 0
    d = json.loads(capsys.readouterr().out)
    # thigh half at 3 y interpolated: (3.25 + 4.0) / 2 = 3.625, x 0.5; neck 2
    assert d["percent_bsa"] == pytest.approx(3.625 * 0.5 + 2, abs=TOL)
    assert d["age_years"] == 3 and d["chart"] == "lund_browder"
    assert d["age_mode"] == "interpolated"
    assert d["regions"]["right_thigh"]["halves"]["front"]["fraction"] == 0.5


@pytest.mark.parametrize("args,message", [
    (["estimate", "--age", "3", "hed=1"], "unknown region 'hed'; valid regions are: head"),
    (["estimate", "--age", "-1", "head=1"], "out of range"),
    (["estimate", "--age", "nan", "head=1"], "out of range"),
    (["estimate", "--age", "3", "head=2"], "from 0"),
    (["estimate", "--age", "3", "head=x"], "must be a number"),
    (["estimate", "--age", "3", "head", "head:back=1"], "both whole and as a half"),
    (["estimate", "--age", "3", "--chart", "x", "head"], "available charts are"),
    (["estimate", "--age", "3", "--age-mode", "x", "head"], "interpolated, banded"),
    (["estimate", "head"], "--age"),
    (["nonsense"], "invalid choice"),
])
def test_bad_input_exits_2_with_one_line(args, message):
    out = run_cli(*args)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert out.stderr.startswith("bsa: error: ")
    assert message in out.stderr


def write_csv(path, rows):
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_batch_computes_every_row(tmp_path):
    src = write_csv(tmp_path / "cohort.csv", [
        ["id", "age", "head", "anterior_trunk", "right_thigh:front"],
        ["p1", "3", "1", "0.5", "0"],
        ["p2", "30", "0", "1", "1"],
        ["p3", "0.5", "0.25", "0", "0.5"],
    ])
    out = tmp_path / "out.csv"
    assert main(["batch", str(src), "-o", str(out), "--block-rows", "2"]) == 0
    rows = read_csv(out)
    assert [r["id"] for r in rows] == ["p1", "p2", "p3"]
    # p1: 15 + 6.5; p2: 13 + 4.75; p3: head at 0.5 y = 18 x 0.25, thigh half 3.0 x 0.5
    assert [float(r["percent_bsa"]) for r in rows] == pytest.approx([21.5, 17.75, 6.0], abs=TOL)
    assert float(rows[2]["pct_right_thigh"]) == pytest.approx(1.5, abs=TOL)
    assert set(rows[0]) >= {f"pct_{r}" for r in bsa.REGIONS}


def test_batch_agrees_with_the_api(tmp_path):
    import numpy as np
    rng = np.random.default_rng(7)
    f = rng.random((40, 19)).round(3)
    ages = rng.uniform(0, 90, 40).round(2)
    src = write_csv(tmp_path / "c.csv", [["age", *bsa.REGIONS]]
                    + [[a, *row] for a, row in zip(ages, f)])
    out = tmp_path / "o.csv"
    assert main(["batch", str(src), "-o", str(out), "--age-mode", "banded"]) == 0
    got = [float(r["percent_bsa"]) for r in read_csv(out)]
    assert got == pytest.approx(bsa.percent_bsa(f, ages, age_mode="banded"), abs=printed(DECIMALS))


@pytest.mark.parametrize("rows,message", [
    ([["id", "age", "head"], ["a", "3", "1"], ["b", "3", "1.5"]], "line 3: column 'head' is 1.5"),
    ([["id", "age", "head"], ["a", "3", "1"], ["b", "abc", "1"]], "line 3: age 'abc'"),
    ([["id", "age", "head"], ["a", "130", "1"]], "line 2: age 130 is out of range"),
    ([["id", "age", "head"], ["a", "3"]], "line 2: 2 fields, but the header has 3"),
    ([["id", "age", "head"], ["a", "3", ""]], "--empty-as-zero"),
    ([["id", "age", "haed"], ["a", "3", "1"]], "column 'haed' is not the age"),
    ([["id", "years", "head"], ["a", "3", "1"]], "no age column 'age'"),
    ([["age", "head", "head:front"], ["3", "1", "1"]], "whole and per half"),
])
def test_batch_bad_rows_write_nothing(tmp_path, rows, message):
    src = write_csv(tmp_path / "c.csv", rows)
    out = tmp_path / "o.csv"
    r = run_cli("batch", str(src), "-o", str(out))
    assert r.returncode == 2, r.stderr
    assert message in r.stderr and "Traceback" not in r.stderr
    assert list(tmp_path.iterdir()) == [src]  # no output, no temporary file left


def test_batch_bad_row_after_many_good_blocks_leaves_old_output_alone(tmp_path):
    rows = [["age", "head"]] + [["5", "0.5"]] * 30 + [["5", "-1"]]
    src = write_csv(tmp_path / "c.csv", rows)
    out = tmp_path / "o.csv"
    out.write_text("previous results\n")
    assert main(["batch", str(src), "-o", str(out), "--block-rows", "4"]) == 2
    assert out.read_text() == "previous results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.csv", "o.csv"]


def test_batch_keeps_id_cells_exactly_and_reads_spaced_numbers(tmp_path):
    src = write_csv(tmp_path / "c.csv", [["id", "age", "head", "neck"],
                                         ['a,"b"', "3", " 1 ", "0"], ["c", "5", "0.5", "1"]])
    out = tmp_path / "o.csv"
    assert main(["batch", str(src), "-o", str(out)]) == 0
    rows = read_csv(out)
    assert [r["id"] for r in rows] == ['a,"b"', "c"]
    assert [float(r["percent_bsa"]) for r in rows] == pytest.approx([15.0, 8.5], abs=TOL)


# ------------------------------------------------------------------ batch: what a CSV may hold


def one_error_line(r, *parts):
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("bsa: error: ") and r.stderr.count("\n") == 1, r.stderr
    assert "Traceback" not in r.stderr
    for part in parts:
        assert part in r.stderr, r.stderr


@pytest.mark.parametrize(("data", "parts"), [
    ("id,age,head\nÉmile,3,1\n".encode("latin-1"),
     ["line 2: byte 0xc9 at column 1 is not UTF-8", "save it as UTF-8"]),
    ("id,age,head\na,3,1\n".encode("utf-16"), ["UTF-16", "save it as UTF-8"]),
    ("id,age,head\na,3,1\n".encode("utf-16-le"), ["line 1: a NUL byte", "UTF-8"]),
    (b"id,age,head\n" + b"x" * 200_000 + b",3,1\n",
     ["line 2:", "a field longer than 131072 characters"]),
    (b"id,age,head\n" + b"x" * (2 << 20) + b",3,1\n", ["line 2: a row longer than 1 MiB"]),
    (b"id,age,head\n" + b"y" * (3 << 20), ["line 2: a row longer than 1 MiB"]),  # no newline
    (b'id,age,head\na,3,1\n"b,3,1\nc,4,1\n', ["lines 3-4 (one row: is a quote left open?): 1 fields, but the header has 3"]),
    (b'id,age,head\n"b' + b",\n" * 600_000, ["lines 2-65537 (one row: is a quote left open?)"]),
    (b'id,age,head\n"b' + b",\n" * 60_000, ["lines 2-60001 (one row: is a quote left open?): 1 fields"]),
])
def test_batch_refuses_what_it_cannot_read_in_one_line(tmp_path, data, parts):
    src = tmp_path / "c.csv"
    src.write_bytes(data)
    out = tmp_path / "o.csv"
    out.write_bytes(b"previous\n")
    r = run_cli("batch", str(src), "-o", str(out))
    one_error_line(r, *parts)
    assert out.read_bytes() == b"previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.csv", "o.csv"]


def test_batch_reads_utf8_with_a_byte_order_mark_and_any_line_end(tmp_path):
    for i, (bom, end) in enumerate([(b"\xef\xbb\xbf", b"\r\n"), (b"", b"\r"), (b"", b"\n")]):
        src = tmp_path / f"c{i}.csv"
        src.write_bytes(bom + end.join([b"id,age,head", "Émile,3,1".encode(), b"b,5,0.5"]) + end)
        out = tmp_path / f"o{i}.csv"
        assert main(["batch", str(src), "-o", str(out)]) == 0
        rows = read_csv(out)
        assert [r["id"] for r in rows] == ["Émile", "b"]
        assert [float(r["percent_bsa"]) for r in rows] == pytest.approx([15.0, 6.5], abs=TOL)


def test_batch_of_an_endless_stream_stops_at_once_in_bounded_memory(tmp_path):
    """/dev/zero has no end and no newline: refused at line 1, not read into memory."""
    r = subprocess.run([sys.executable, "-m", "bsa", "batch", "/dev/zero", "-o",
                        str(tmp_path / "o.csv")], capture_output=True, text=True, cwd=ROOT,
                       timeout=120)
    one_error_line(r, "line 1:")
    assert list(tmp_path.iterdir()) == []


def test_batch_stdin_of_long_lines_is_refused(tmp_path):
    r = subprocess.run([sys.executable, "-m", "bsa", "batch", "-", "-o", str(tmp_path / "o.csv")],
                       input=b"age,head\n" + b"1" * (3 << 20), capture_output=True, cwd=ROOT,
                       timeout=120)
    assert r.returncode == 2 and b"line 2: a row longer than 1 MiB" in r.stderr


def test_batch_kept_cells_are_never_run_as_formulas(tmp_path):
    ids = ["=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "plain", "a=b"]
    src = write_csv(tmp_path / "c.csv", [["id", "=age", "head"]] + [[i, "3", "1"] for i in ids])
    out = tmp_path / "o.csv"
    assert main(["batch", str(src), "-o", str(out), "--age-column", "=age"]) == 0
    with open(out, newline="") as f:
        table = list(csv.reader(f))
    assert table[0][:2] == ["id", "'=age"]
    assert [row[0] for row in table[1:]] == ["'" + i if i[0] in "=+-@\t\r" else i for i in ids]
    for row in table:
        assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


# ------------------------------------------------------------------ session show


def test_session_show_prints_file_text_without_terminal_controls(tmp_path, capsys):
    from bsa.records.assessment import Assessment
    from bsa.records.session import save

    path = save(tmp_path / "v.json", Assessment(
        age_years=7, shares={"head": 1.0},
        notes="Apply twice a day.\n\u202eenil siht daer\u202c\tthen stop"))
    assert main(["session", "show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Notes: Apply twice a day.\nenil siht daer\tthen stop" in out
    assert not any(c in out for c in "\u202e\u202c\x1b")


def test_a_session_file_with_escapes_in_its_notes_is_refused_in_one_clean_line(tmp_path):
    from bsa.records.assessment import Assessment
    from bsa.records.session import to_dict

    d = to_dict(Assessment(age_years=7, shares={"head": 1.0}))
    d["assessment"]["notes"] = "\x1b]0;owned\x07\x1b[2Jhidden"
    (tmp_path / "v.json").write_text(json.dumps(d))
    r = run_cli("session", "show", str(tmp_path / "v.json"))
    one_error_line(r, "notes: character 1 is the control character U+001B")
    assert "\x1b" not in r.stderr and "\x07" not in r.stderr


def test_error_messages_never_carry_terminal_controls_or_line_breaks(tmp_path):
    r = run_cli("estimate", "--age", "3", "\x1b[31mhead\nx=1")
    one_error_line(r, "unknown region")
    assert "\x1b" not in r.stderr


# ------------------------------------------------------------------ issue 17: layers


AD = "opzelura_us_atopic_dermatitis"
AFFECTED = ["anterior_trunk=1", "posterior_trunk=0.5", "neck=1", "right_hand=1", "left_hand=1"]


def test_check_apply_gives_the_treated_area_and_the_verdict_follows_it(capsys):
    # affected 26.5% (Lund and Browder, adult); treated: head 7, neck 2, hands 5 = 14%
    assert main(["check", "--age", "40", "--rule", AD, *AFFECTED, "--apply", "head=1",
                 "neck=1", "right_hand", "left_hand", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["affected_percent_bsa"] == pytest.approx(26.5, abs=TOL)
    assert d["treated_percent_bsa"] == d["percent_bsa"] == pytest.approx(14.0, abs=TOL)
    assert d["label_check"]["area"]["used"] == pytest.approx(14.0, abs=TOL)
    assert d["label_check"]["area"]["state"] == "within"
    assert main(["check", "--age", "40", "--rule", AD, *AFFECTED, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["label_check"]["area"]["state"] == "above"


def test_check_avoid_with_a_reason_is_listed_and_never_treated(capsys):
    assert main(["check", "--age", "40", "--rule", AD, "head=1", "--avoid", "head:front=0.2",
                 "--avoid-reason", "eyes"]) == 0
    out = capsys.readouterr().out
    assert "Affected: 7.00% of body surface" in out
    assert "To treat with this cream: 6.30% of body surface" in out   # 3.5 x 0.8 + 3.5
    assert "Do not apply (eyes): face, 0.70% of body surface" in out
    assert "safe" not in out.lower()


def test_estimate_and_session_new_take_the_layers(tmp_path, capsys):
    assert main(["estimate", "--age", "40", "head=1", "anterior_trunk=1", "--apply", "head=1",
                 "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert (d["percent_bsa"], d["affected_percent_bsa"], d["treated_percent_bsa"]) == (
        pytest.approx(20.0, abs=TOL), pytest.approx(20.0, abs=TOL), pytest.approx(7.0, abs=TOL))
    path = tmp_path / "s.json"
    assert main(["session", "new", "--age", "40", "head=1", "--avoid", "head:front=0.2",
                 "-o", str(path)]) == 0
    assert "6.30% to treat with this cream" in capsys.readouterr().out
    data = json.loads(path.read_text())
    assert data["schema_version"] == 3
    assert data["assessment"]["avoid"][0] == {"reason": "other", "shares": {"head:front": 0.2},
                                              "masks": {}}


def test_check_a_session_with_zones_prints_the_days(tmp_path, capsys):
    from bsa.records.assessment import Assessment
    from bsa.records.layers import Zone
    from bsa.records.session import save

    name = "\u202eevil\u202c zone"
    a = Assessment(age_years=40, rule_id=AD, shares={"anterior_trunk": 1.0, "neck": 1.0},
                   zones=[Zone(name=name, days=["mon", "wed"], shares={"anterior_trunk": 1}),
                          Zone(name="neck", days=["tue"], shares={"neck": 1})])
    path = save(tmp_path / "plan.json", a)
    assert main(["check", "--session", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Plan by day" in out
    assert "Monday and Wednesday: front of the trunk (\u201cevil zone\u201d)" in out
    assert "Tuesday: neck (\u201cneck\u201d)" in out
    assert "\u202e" not in out and "\u202c" not in out
    assert main(["check", "--session", str(path), "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)["plan"]
    assert [z["name"] for z in plan["zones"]][:2] == [name, "neck"]


@pytest.mark.parametrize("args,message", [
    (["check", "--age", "40", "--rule", AD, "head=1", "--apply", "head=2"], "from 0 to 1"),
    (["check", "--age", "40", "--rule", AD, "head=1", "--apply", "wing=1"], "unknown region"),
    (["check", "--age", "40", "--rule", AD, "head=1", "--avoid-reason", "eyes"],
     "--avoid-reason needs --avoid"),
    (["check", "--age", "40", "--rule", AD, "head=1", "--avoid", "head=1", "--avoid-reason",
      "\x1b[31meyes"], "control character"),
    (["check", "--session", "x.json", "--apply", "head=1", "--rule", AD], "not both"),
    (["estimate", "--age", "40", "head=1", "--apply"], "expected at least one argument"),
])
def test_layer_options_refuse_bad_input_in_one_line(args, message):
    r = run_cli(*args)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("bsa: error: ")
    assert message in r.stderr
    assert "\x1b" not in r.stderr
