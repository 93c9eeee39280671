"""Fuzz: random inputs into the public API, session files and the command line.

Whatever comes in, the package answers with a result that makes sense (no NaN, totals from
0 to 100, an array for an array) or with :class:`bsa.BSAInputError`; the command line with
exit status 0, or 2 and exactly one line ``bsa: error: ...``; and a command that fails
leaves no partial or temporary file behind.

Every strategy draws ``(value, ok)``: ``ok`` says whether the value is one the function
accepts, so the tests check both directions: good input gives a sane result, bad input of
any type (strings for numbers, booleans, None, complex, huge integers, NaN, lists for one
value, ...) raises BSAInputError, never TypeError, OverflowError or a silent answer.

The checks are plain functions (``check_*``) so that they can also be run by a script that
counts failures instead of stopping at the first.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tolerance import TOL, close

import bsa
from bsa.cli import main

ROOT = Path(__file__).resolve().parents[1]

# ---------------------------------------------------------------------------- values


def good(strategy):
    return strategy.map(lambda v: (v, True))


def bad(strategy):
    return strategy.map(lambda v: (v, False))


# (not over 4300 digits: hypothesis could not print such an example; see test_checks.py)
HUGE_INTS = st.sampled_from([10**309, -(10**309), 10**400, 10**1000, 2**1100])
NONFINITE = st.sampled_from([math.nan, math.inf, -math.inf, np.float64("nan")])
TEXTS = st.sampled_from(["5", "0.5", "", "x\ud800y", "\x1b[31m", "lund_browder", "head"])
#: Junk for any parameter that wants a number or a name.
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.just(np.bool_(True)),
    HUGE_INTS,
    st.complex_numbers(allow_nan=False, max_magnitude=10),
    TEXTS,
    st.text(max_size=6),
    st.just(b"5"),
    st.just({"a": 1}),
    st.just({1, 2}),
    st.just(object()),
    st.just([[1, 2], [3]]),  # ragged
    st.just(np.array(["1", "2"])),
    st.just(np.array([1 + 2j])),
)

FINITE = dict(allow_nan=False, allow_infinity=False)


def number(lo: float, hi: float):
    """Good scalars in [lo, hi] (several numeric types) and bad ones of every kind."""
    inside = st.one_of(
        st.floats(lo, hi, **FINITE),
        st.integers(math.ceil(lo), math.floor(hi)),
        st.floats(lo, hi, **FINITE).map(np.float64),
        st.floats(lo, hi, **FINITE).map(np.array),  # 0-d array
    )
    outside = st.one_of(
        st.floats(hi * 1.0001 + 1e-6, 1e308, **FINITE),
        st.floats(-1e308, lo - abs(lo) * 1e-4 - 1e-6, **FINITE),
        NONFINITE,
    )
    return st.one_of(good(inside), bad(outside), bad(JUNK),
                     bad(st.lists(st.floats(lo, hi, **FINITE), min_size=1, max_size=2)))


def numbers(lo: float, hi: float):
    """Good scalars or arrays in [lo, hi]; bad ones hold any bad value."""
    inside = st.floats(lo, hi, **FINITE)
    arrays = st.lists(inside, min_size=1, max_size=4)
    return st.one_of(
        good(inside), good(st.integers(math.ceil(lo), math.floor(hi))),
        good(arrays), good(arrays.map(np.array)),
        bad(st.tuples(arrays, NONFINITE).map(lambda t: t[0] + [t[1]])),
        bad(st.floats(hi * 1.0001 + 1e-6, 1e308, **FINITE)),
        bad(NONFINITE), bad(JUNK),
        bad(st.tuples(arrays, HUGE_INTS).map(lambda t: t[0] + [t[1]])),
        bad(st.tuples(arrays, TEXTS).map(lambda t: t[0] + [t[1]])),
    )


def name(valid):
    valid = list(valid)
    return st.one_of(good(st.sampled_from(valid)),
                     bad(st.sampled_from(valid).map(lambda v: v.upper() + "x")),
                     bad(st.sampled_from(valid).map(lambda v: [v])),
                     bad(JUNK.filter(lambda v: not (isinstance(v, str) and v in valid))))


def flag():
    return st.one_of(good(st.booleans()), good(st.just(np.bool_(False))),
                     bad(st.sampled_from([0, 1, "yes", None, "False", 1.0])))


AGE = number(0, 120)
AGES = numbers(0, 120)
CHART = name(bsa.available_charts())
AGE_MODE = name(bsa.AGE_MODES)
FRACTION = number(0, 1)
PALM_AGE = st.one_of(good(st.none()), AGE.filter(lambda t: t[0] is not None))

HALVES_OF = {r: [p for p in bsa.PART_NAMES if p.startswith(r + ":")] for r in bsa.REGIONS}


@st.composite
def selections(draw):
    """A selection for estimate(): a mapping, a list of names or an array of 33 halves."""
    kind = draw(st.sampled_from(["mapping", "names", "array", "junk"]))
    if kind == "junk":
        return draw(bad(st.one_of(JUNK, st.just("head"), st.just(5), st.just(3.5))))
    if kind == "array":
        return draw(st.one_of(
            good(st.lists(st.floats(0, 1, **FINITE), min_size=33, max_size=33).map(np.array)),
            bad(st.lists(st.floats(0, 1, **FINITE), min_size=19, max_size=19).map(np.array)),
            bad(st.just(np.full(33, np.nan))),
            bad(st.just(np.full(33, 1.5))),
        ))
    regions = draw(st.lists(st.sampled_from(bsa.REGIONS), unique=True, max_size=5))
    keys = []
    for r in regions:
        keys.append(r if draw(st.booleans()) else draw(st.sampled_from(HALVES_OF[r])))
    ok = True
    extra = draw(st.sampled_from(["none", "none", "unknown", "whole_and_half", "not_str"]))
    if extra == "unknown":
        keys.append(draw(st.sampled_from(["hed", "head:side", "anterior_trunk:back", "", "x\ud800"])))
        ok = False
    elif extra == "whole_and_half" and regions:
        r = regions[0]
        keys.append(HALVES_OF[r][0] if keys[0] == r else r)
        ok = False
    elif extra == "not_str":
        keys.append(draw(st.sampled_from([1, None, ("head",), 2.5])))
        ok = False
    if kind == "names":
        if draw(st.booleans()):
            return keys, ok
        return tuple(keys), ok
    mapping = {}
    for k in keys:
        value, value_ok = draw(FRACTION)
        if isinstance(value, np.ndarray) and value.ndim == 0:  # a number; keep it plain
            value = float(value)
        mapping[k] = value
        ok = ok and value_ok
    return mapping, ok


@st.composite
def cohorts(draw):
    """(fractions, age, expected total shape or None when the input is bad)."""
    n = draw(st.integers(1, 4))
    width = draw(st.sampled_from([19, 33]))
    form = draw(st.sampled_from(["one", "many"]))
    shape = (width,) if form == "one" else (n, width)
    f = draw(st.lists(st.floats(0, 1, **FINITE), min_size=math.prod(shape),
                      max_size=math.prod(shape))).__iter__()
    fractions = np.fromiter(f, float).reshape(shape)
    age_form = draw(st.sampled_from(["scalar", "one", "n"]))
    ages = draw(st.lists(st.floats(0, 120, **FINITE), min_size=n, max_size=n))
    age = ages[0] if age_form == "scalar" else [ages[0]] if age_form == "one" else ages
    expected = np.broadcast_shapes(np.shape(age), shape[:-1])
    mutation = draw(st.sampled_from(["none"] * 4 + [
        "nan", "above", "below", "width", "age_nan", "age_junk", "age_shape", "fraction_junk",
        "strings", "booleans", "huge"]))
    if mutation == "none":
        return (fractions, age, expected), True
    if mutation in ("nan", "above", "below"):
        fractions = fractions.copy()
        fractions.flat[draw(st.integers(0, fractions.size - 1))] = {
            "nan": np.nan, "above": 1.5, "below": -0.25}[mutation]
    elif mutation == "width":
        fractions = fractions[..., :-1]
    elif mutation == "age_nan":
        age = math.nan
    elif mutation == "age_junk":
        age = draw(JUNK)
    elif mutation == "age_shape":
        fractions, age = np.zeros((3, width)), [1.0, 2.0]
    elif mutation == "fraction_junk":
        fractions = draw(JUNK)
    elif mutation == "strings":
        fractions = fractions.astype(str)
    elif mutation == "booleans":
        fractions = fractions > 0.5
    elif mutation == "huge":
        fractions = fractions.tolist()
        if form == "one":
            fractions[0] = 10**400
        else:
            fractions[0][0] = 10**400
    return (fractions, age, None), False


# ---------------------------------------------------------------------------- the API


def _finite(x) -> bool:
    return bool(np.all(np.isfinite(np.asarray(x, dtype=float))))


def _in_range(x, lo=0.0, hi=100.0) -> bool:
    a = np.asarray(x, dtype=float)
    return bool(np.all((a >= lo) & (a <= hi + TOL)))


def call_api(fn, ok: bool, *args, **kwargs):
    """Call fn: a good call returns (its result), a bad one raises BSAInputError."""
    try:
        result = fn(*args, **kwargs)
    except bsa.BSAInputError:
        assert not ok, f"{fn.__name__} refused good input {args!r} {kwargs!r}"
        return None
    assert ok, f"{fn.__name__} accepted bad input {args!r} {kwargs!r} and returned {result!r}"
    return result


def check_estimate(selection, age, chart, age_mode):
    ok = selection[1] and age[1] and chart[1] and age_mode[1]
    r = call_api(bsa.estimate, ok, selection[0], age[0], chart[0], age_mode[0])
    if r is not None:
        assert _finite(r.percent_bsa) and _in_range(r.percent_bsa), r.percent_bsa
        assert _finite(list(r.by_half.values()))


def check_percent_bsa(cohort, chart, age_mode, return_breakdown):
    (fractions, age, expected), ok = cohort
    ok = ok and chart[1] and age_mode[1] and return_breakdown[1]
    r = call_api(bsa.percent_bsa, ok, fractions, age, chart[0], age_mode[0],
                 return_breakdown=return_breakdown[0])
    if r is None:
        return
    total, per = r if return_breakdown[0] else (r, None)
    assert np.shape(total) == expected, (np.shape(total), expected)
    if expected == ():
        assert isinstance(total, float)
    else:
        assert isinstance(total, np.ndarray)
    assert _finite(total) and _in_range(total)
    if per is not None:
        assert close(np.sum(per, axis=-1), total)


def check_breakdown(cohort, chart, age_mode):
    (fractions, age, expected), ok = cohort
    ok = ok and chart[1] and age_mode[1]
    r = call_api(bsa.breakdown, ok, fractions, age, chart[0], age_mode[0])
    if r is not None:
        assert r.shape == expected + (np.shape(fractions)[-1],)
        assert _finite(r) and _in_range(r) and _in_range(r.sum(axis=-1))


def check_weights(fn, age, chart, age_mode):
    ok = age[1] and chart[1] and age_mode[1]
    r = call_api(fn, ok, age[0], chart[0], age_mode[0])
    if r is not None:
        assert r.shape == np.shape(age[0]) + (33 if fn is bsa.half_weights else 19,)
        assert _finite(r) and close(r.sum(axis=-1), 100.0)


def check_palm(palms, age, include_fingers):
    ok = palms[1] and age[1] and include_fingers[1]
    r = call_api(bsa.palm_method, ok, palms[0], age=age[0],
                 include_fingers=include_fingers[0])
    if r is not None:
        assert _finite([r.percent_bsa, r.low_percent, r.high_percent])
        assert 0 <= r.low_percent <= r.high_percent


def check_body_surface(weight, height, formula):
    w, h = weight[0], height[0]
    ok = weight[1] and height[1] and formula[1]
    if ok:
        try:
            np.broadcast_shapes(np.shape(w), np.shape(h))
        except ValueError:
            ok = False
    r = call_api(bsa.body_surface_area, ok, w, h, formula[0])
    if r is not None:
        assert _finite(r) and np.all(np.asarray(r) > 0)
        assert isinstance(r, float) == (np.ndim(w) == 0 and np.ndim(h) == 0)


def check_percent_to_cm2(percent, m2):
    ok = percent[1] and m2[1]
    if ok:
        try:
            np.broadcast_shapes(np.shape(percent[0]), np.shape(m2[0]))
        except ValueError:
            ok = False
    r = call_api(bsa.percent_to_cm2, ok, percent[0], m2[0])
    if r is not None:
        assert _finite(r) and np.all(np.asarray(r) >= 0)


def check_scalar_age_text(fn, age, *names):
    ok = age[1] and all(n[1] for n in names)
    r = call_api(fn, ok, age[0], *(n[0] for n in names))
    if r is not None:
        assert isinstance(r, str) and r


def check_selection_to_fractions(selection):
    value, ok = selection
    if isinstance(value, np.ndarray):
        ok = False  # an array is estimate()'s shortcut, not a selection
    r = call_api(bsa.selection_to_fractions, ok, value)
    if r is not None:
        assert r.shape == (33,) and _finite(r) and _in_range(r, 0, 1)


def check_load_chart(chart):
    r = call_api(bsa.load_chart, chart[1], chart[0])
    if r is not None:
        assert isinstance(r, bsa.Chart)


API_SETTINGS = settings(max_examples=60, deadline=None)


@API_SETTINGS
@given(selections(), AGE, CHART, AGE_MODE)
def test_estimate(selection, age, chart, age_mode):
    check_estimate(selection, age, chart, age_mode)


@API_SETTINGS
@given(cohorts(), CHART, AGE_MODE, flag())
def test_percent_bsa(cohort, chart, age_mode, return_breakdown):
    check_percent_bsa(cohort, chart, age_mode, return_breakdown)


@API_SETTINGS
@given(cohorts(), CHART, AGE_MODE)
def test_breakdown(cohort, chart, age_mode):
    check_breakdown(cohort, chart, age_mode)


@API_SETTINGS
@given(st.sampled_from([bsa.half_weights, bsa.region_weights]), AGES, CHART, AGE_MODE)
def test_weights(fn, age, chart, age_mode):
    check_weights(fn, age, chart, age_mode)


@API_SETTINGS
@given(number(0, 200), PALM_AGE, flag())
def test_palm_method(palms, age, include_fingers):
    check_palm(palms, age, include_fingers)


@API_SETTINGS
@given(numbers(0.2, 700), numbers(20, 280), name(bsa.FORMULAS))
def test_body_surface_area(weight, height, formula):
    check_body_surface(weight, height, formula)


@API_SETTINGS
@given(numbers(0, 100), numbers(0.01, 10))
def test_percent_to_cm2(percent, m2):
    check_percent_to_cm2(percent, m2)


@API_SETTINGS
@given(AGE, CHART, AGE_MODE)
def test_describe_age_and_age_reading(age, chart, age_mode):
    check_scalar_age_text(bsa.describe_age, age)
    check_scalar_age_text(bsa.age_reading, age, chart, age_mode)


@API_SETTINGS
@given(selections(), CHART)
def test_selection_to_fractions_and_load_chart(selection, chart):
    check_selection_to_fractions(selection)
    check_load_chart(chart)


# ---------------------------------------------------------------------------- session files


def _valid_session() -> dict:
    from bsa.records.assessment import Assessment
    from bsa.records.session import to_dict

    a = Assessment(age_years=7, shares={"head": 0.5, "left_thigh:front": 1.0},
                   rule_id=None, sex="female", height_cm=120.0, weight_kg=25.0,
                   notes="Left thigh: twice a day.\n\tRecheck in 4 weeks.")
    return to_dict(a)


_PATHS = [("format",), ("schema_version",), ("saved_at",), ("assessment",), ("totals",),
          ("totals", "percent_bsa"), ("totals", "by_region")] + [
    ("assessment", k) for k in ("age_years", "chart", "age_mode", "rule_id", "figure_id",
                                "sex", "height_cm", "weight_kg", "notes", "shares", "masks")
] + [("assessment", "shares", "head"), ("assessment", "shares", "left_thigh:front")]

#: JSON values with a marker for what must be refused wherever they are.
_HUGE_MARK = "__HUGE_INT_{}__"
JSON_JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 10**6), st.floats(-1e308, 1e308, **FINITE),
    st.sampled_from([1e308, -0.0, 0.5, 7, 120, 121, "", "x", "lund_browder", "banded",
                     "2026-01-01T00:00:00+00:00", "2026-13-45", "female"]),
    st.text(max_size=8),
    st.lists(st.integers(0, 3), max_size=3),
    st.dictionaries(st.sampled_from(["head", "neck", "x"]), st.floats(0, 1, **FINITE),
                    max_size=2),
)
#: Values no session file may hold anywhere: refused, not read.
JSON_POISON = st.one_of(
    st.sampled_from([309, 400, 4301, 5000]).map(_HUGE_MARK.format),
    st.sampled_from(["x\ud800y", "\udfff", "a\ud83d"]),
)


def _strings(obj):
    """Every string in a parsed JSON value, keys included."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield k
            yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)


def _poisoned(s: str) -> bool:
    return s.startswith("__HUGE_INT_") or any(0xD800 <= ord(c) <= 0xDFFF for c in s)


@st.composite
def session_texts(draw):
    """(session file text, must_refuse)."""
    data = json.loads(json.dumps(_valid_session()))
    for _ in range(draw(st.integers(0, 3))):
        path = draw(st.sampled_from(_PATHS))
        parent = data
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if not isinstance(parent, dict):
            continue
        action = draw(st.sampled_from(["set", "set", "delete", "poison"]))
        if action == "delete":
            parent.pop(path[-1], None)
        elif action == "poison":
            parent[path[-1]] = draw(JSON_POISON)
        else:
            parent[path[-1]] = draw(JSON_JUNK)
    must_refuse = any(_poisoned(s) for s in _strings(data))
    text = json.dumps(data, indent=draw(st.sampled_from([None, 1])))
    text = re.sub(r'"__HUGE_INT_(\d+)__"', lambda m: "7" * int(m.group(1)), text)
    if draw(st.integers(0, 5)) == 0:  # a key twice in one object
        key = draw(st.sampled_from(["notes", "age_years", "chart", "format", "totals"]))
        if key in ("format", "totals"):
            text = text.replace("{", f'{{"{key}": 1, ', 1)
        else:
            text = text.replace('"assessment": {', f'"assessment": {{"{key}": 3, ', 1)
        must_refuse = True
    return text, must_refuse


def _text_problem(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return any(ord(c) < 32 and c not in "\n\t" or 0x7F <= ord(c) <= 0x9F for c in s)


def check_session_text(text: str | bytes, must_refuse: bool):
    from bsa.records.session import from_json, to_json

    try:
        a = from_json(text)
    except bsa.BSAInputError:
        return
    assert not must_refuse, f"accepted a session file that must be refused: {text[:300]!r}"
    assert not _text_problem(a.notes)
    total = a.estimate().percent_bsa
    assert _finite(total) and _in_range(total)
    assert from_json(to_json(a)) == a


@settings(max_examples=150, deadline=None)
@given(session_texts())
def test_session_file_mutations(case):
    check_session_text(*case)


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.binary(max_size=300),
                 st.binary(max_size=100).map(lambda b: b'{"format": "bsa-session", ' + b)))
def test_session_file_random_bytes(data):
    check_session_text(data, must_refuse=True)


# ---------------------------------------------------------------------------- the command line

_SENTINEL = b"previous content\n"
_OUTPUTS = ["out.csv", "out.png", "out.svg", "out.pdf", "out.json", "out.txt"]
_LEFTOVER = re.compile(r"^\..*\.(part|tmp)$")


@functools.cache
def _input_files() -> dict[str, bytes]:
    """Input files the command line fuzz refers to by name."""
    from bsa.records.assessment import Assessment
    from bsa.records.session import to_json

    visit = Assessment(age_years=4, shares={"head": 1.0},
                       rule_id="opzelura_us_atopic_dermatitis")
    return {
        "visit.json": to_json(visit).encode(),
        "bad.json": b'{"format": "bsa-session", "schema_version": 1, "assessment": '
                    b'{"age_years": 1' + b"0" * 400 + b"}}",
        "in.csv": b"id,age,head,neck\n=cmd,3,1,0\n+p2,30,0.5,1\n",
        "latin1.csv": "id,age,head\n\u00c9mile,3,1\n".encode("latin-1"),
        "utf16.csv": "id,age,head\na,3,1\n".encode("utf-16"),
        "quote.csv": b'id,age,head\n"a,3,1\n',
    }


def make_cli_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in _input_files().items():
        (folder / name).write_bytes(data)
    return folder


FILES = ["visit.json", "bad.json", "missing.json", "in.csv", "latin1.csv", "utf16.csv",
         "quote.csv", "nodir/x.json", "."]
#: Each option with values to try: mostly good ones, and the bad ones users type.
OPTION_VALUES = {
    "--age": ["3", "0", "1.5", "120", "121", "-1", "nan", "inf", "1e400", "1" * 400, "x", ""],
    "--chart": ["lund_browder", "rule_of_nines", "rule_of_nines_paediatric", "x", ""],
    "--age-mode": ["interpolated", "banded", "x"],
    "--figure": ["adult", "infant", "child", "x"],
    "-o": [*_OUTPUTS, "nodir/x.json", ".", "visit.json"],
    "--rule": ["opzelura_us_atopic_dermatitis", "opzelura_us_vitiligo", "x"],
    "--sex": ["female", "male", "x"],
    "--height": ["150", "20", "0", "1e400", "nan", "x"],
    "--weight": ["50", "0.25", "650.5", "701", "1e400", "-1"],
    "--notes": ["plain", "\x1b[31mred", "x\udcffy", "Cream costs $50; pays $40 and $\\foo$",
                "tab\there", "line\nbreak", "\u202eevil"],
    "--paper": ["a4", "letter", "A4", "x"],
    "--date": ["2026-01-01", "2026-02-30", "x", ""],
    "--age-column": ["age", "id", "x"],
    "--keep": ["id", "head", "x"],
    "--near-fraction": ["0.8", "2", "nan"],
    "--method": ["auto", "x"],
}
FLAGS = ["--json", "--recompute-totals", "--empty-as-zero", "--scores"]
SELECTIONS = ["head", "head=1", "head=2", "head=x", "neck=0.5", "right_thigh:front=0.5",
              "anterior_trunk:back=1", "hed=1", "=1", "head=nan", "head=1" + "0" * 400,
              "\udcff", "head:front=1"]
COMMANDS = {  # command: (leading words, options, flags, takes selections)
    "estimate": ([], ["--age", "--chart", "--age-mode"], ["--json"], True),
    "check": ([], ["--age", "--chart", "--rule", "--method", "--near-fraction"],
              ["--json", "--scores"], True),
    "rules": ([], [], ["--json"], False),
    "chart": ([], ["--age", "--chart", "--age-mode", "--figure", "-o"], [], True),
    "session new": (["session", "new"], ["--age", "--chart", "--rule", "--sex", "--height",
                                         "--weight", "--notes", "-o"], [], True),
    "session show": (["session", "show"], [], ["--json", "--recompute-totals"], False),
    "report": ([], ["-o", "--paper", "--date"], ["--recompute-totals"], False),
    "batch": ([], ["-o", "--age-column", "--keep", "--chart", "--age-mode"],
              ["--empty-as-zero"], False),
}
NEEDS_FILE = {"session show", "report", "batch"}


@st.composite
def cli_args(draw, command: str):
    """An argument list for one command: options with values, flags, files, selections."""
    lead, options, flags, takes_selection = COMMANDS[command]
    argv = list(lead) or [command]
    if command in NEEDS_FILE and draw(st.integers(0, 5)):
        argv.append(draw(st.sampled_from(FILES)))
    for option in options:
        if draw(st.integers(0, 3)):  # usually given
            argv += [option, draw(st.sampled_from(OPTION_VALUES[option]))]
    argv += draw(st.lists(st.sampled_from(flags), max_size=2, unique=True)) if flags else []
    if takes_selection:
        argv += draw(st.lists(st.sampled_from(SELECTIONS), max_size=3))
    if not draw(st.integers(0, 6)):  # now and then a stray word anywhere
        word = draw(st.sampled_from([*FLAGS, "--age", "-o", "x", "", "--", "-"]))
        argv.insert(draw(st.integers(1, len(argv))), word)
    return argv


def run_main(argv: list[str], stdin: bytes = b"") -> tuple[int, str, str]:
    """Run the command line in this process, with standard streams like a terminal's."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace")
    saved = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main(argv)
            except SystemExit as exc:  # --help
                status = exc.code if isinstance(exc.code, int) else 2
    finally:
        sys.stdin = saved
    out.flush()
    err.flush()
    return (status, out.buffer.getvalue().decode("utf-8"),
            err.buffer.getvalue().decode("utf-8"))


@contextlib.contextmanager
def _inside(folder: Path):
    old = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(old)


_MAGIC = {".png": b"\x89PNG", ".pdf": b"%PDF", ".svg": b"<?xml"}


def check_cli(folder: Path, argv: list[str], stdin: bytes = b""):
    make_cli_folder(folder)
    with _inside(folder):
        for name in _OUTPUTS:
            Path(name).write_bytes(_SENTINEL)
        status, out, err = run_main(argv, stdin)
        leftovers = [p for p in os.listdir(".") if _LEFTOVER.match(p)]
        changed = [n for n in _OUTPUTS if Path(n).read_bytes() != _SENTINEL]
    assert not leftovers, f"{argv!r} left temporary files {leftovers}"
    assert status in (0, 2), f"{argv!r}: exit status {status}; stderr {err!r}"
    if status == 2:
        assert err.startswith("bsa: error: ") and err.count("\n") == 1, (argv, err)
        assert not changed, f"{argv!r} failed but changed {changed}"
    if status == 0:
        assert not re.search(r"\b(nan|inf)\b", out, re.I), (argv, out)
        for n in changed:  # whole files: a picture from chart/report, JSON from session
            data = (folder / n).read_bytes()
            if argv[0] in ("chart", "report"):
                assert data.startswith(_MAGIC[Path(n).suffix]), n
                assert not n.endswith(".pdf") or data.rstrip().endswith(b"%%EOF"), n
            elif argv[0] == "session":
                json.loads(data)
        return out
    return None


@pytest.fixture(scope="module")
def cli_folder(tmp_path_factory):
    return make_cli_folder(tmp_path_factory.mktemp("fuzz_cli"))


QUICK_COMMANDS = ["estimate", "check", "rules", "session new", "session show", "batch"]


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(QUICK_COMMANDS).flatmap(cli_args))
def test_command_line_arguments(cli_folder, argv):
    check_cli(cli_folder, argv)


@settings(max_examples=12, deadline=None)
@given(st.sampled_from(["chart", "report"]).flatmap(cli_args))
def test_command_line_arguments_that_draw(cli_folder, argv):
    check_cli(cli_folder, argv)


ID_CELLS = st.sampled_from(["p1", "=cmd|' /C calc'!A0", "+1", "-2+3", "@SUM(A1)", "\tx",
                            "\rx", "a,b", '"q"', "\u00c9mile", "x\x1by", ""])
_GOOD_NUMBERS = st.sampled_from(["0.5", "1", "0", " 1 ", "0.25", "1e-3"])
NUMBER_CELLS = st.one_of(_GOOD_NUMBERS, _GOOD_NUMBERS, _GOOD_NUMBERS, _GOOD_NUMBERS,
                         st.sampled_from(["3", "", "x", "nan", "-1", "1e400", "1" * 400, "121"]))
_GOOD_HEADERS = st.sampled_from([b"id,age,head,neck", b"age,head:front", b"\xef\xbb\xbfid,age,head",
                                 b"id,age,head:front,neck:back"])
HEADERS = st.one_of(_GOOD_HEADERS, _GOOD_HEADERS, _GOOD_HEADERS, st.sampled_from(
    [b"id,age,hed", b"", b"id,age,head,head:back", b"id,id,age,head"]))


@st.composite
def csv_bytes(draw):
    """CSV files for batch: mostly well formed, with bad cells, bytes and endings."""
    header = draw(HEADERS)
    width = header.count(b",") + 1
    rows = [header]
    for _ in range(draw(st.integers(0, 4))):
        clean = draw(st.integers(0, 7)) > 0
        numbers = _GOOD_NUMBERS if clean else NUMBER_CELLS
        if clean or draw(st.booleans()):  # the header's width: an id, an age, fractions
            cells = [draw(ID_CELLS)] + draw(st.lists(numbers, min_size=width - 1,
                                                     max_size=width - 1))
            if not header.startswith((b"id", b"\xef")):
                cells = cells[1:] + [draw(numbers)]
            text = ",".join('"' + c.replace('"', '""') + '"' if any(x in c for x in ',"\r')
                            else c for c in cells)
        else:
            text = ",".join(draw(st.lists(st.one_of(ID_CELLS, NUMBER_CELLS), max_size=5)))
        rows.append(text.encode("utf-8"))
    data = draw(st.sampled_from([b"\n", b"\r\n", b"\r"])).join(rows)
    if draw(st.integers(0, 3)):
        data += draw(st.sampled_from([b"\n", b""]))
    else:
        data += draw(st.sampled_from([b"\xe9\n", b"\xff\xfe", b'"', b"\x00\n"]))
    if not draw(st.integers(0, 7)):
        data = draw(st.sampled_from([b"", b"\xff\xfe", "id,age,head\n".encode("utf-16")]))
        data += draw(st.binary(max_size=100))
    return data


def check_batch(folder: Path, data: bytes, extra: list[str]):
    (folder / "fuzz.csv").write_bytes(data)
    out = check_cli(folder, ["batch", "fuzz.csv", "-o", "out.csv", *extra])
    if out is None:
        return
    with open(folder / "out.csv", newline="", encoding="utf-8") as f:
        table = list(__import__("csv").reader(f))
    assert table and table[0][-19:] == [f"pct_{r}" for r in bsa.REGIONS]
    for row in table[1:]:
        total = float(row[len(table[0]) - 20])
        assert math.isfinite(total) and 0 <= total <= 100 + TOL
        for cell in row[: len(table[0]) - 21]:
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), f"formula cell {cell!r}"


@settings(max_examples=80, deadline=None)
@given(csv_bytes(), st.sampled_from([[], ["--empty-as-zero"], ["--keep", "head"]]))
def test_batch_random_csv(cli_folder, data, extra):
    check_batch(cli_folder, data, extra)


# A few as the user runs them: a separate process, the real standard streams.
@pytest.mark.parametrize("args", [
    ["batch", "latin1.csv", "-o", "out.csv"],
    ["session", "show", "bad.json"],
    ["estimate", "--age", "3", "head=1" + "0" * 400],
])
def test_command_line_in_a_process(cli_folder, args):
    for name in _OUTPUTS:
        (cli_folder / name).write_bytes(_SENTINEL)
    r = subprocess.run([sys.executable, "-m", "bsa", *args], capture_output=True, text=True,
                       cwd=cli_folder, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("bsa: error: ") and r.stderr.count("\n") == 1, r.stderr
    assert (cli_folder / "out.csv").read_bytes() == _SENTINEL
    assert not [p for p in os.listdir(cli_folder) if _LEFTOVER.match(p)]
