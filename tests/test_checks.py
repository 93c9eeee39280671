"""Input checks (bsa.checks) and output text (bsa.text): one place, used by every function."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from tolerance import TOL

import bsa
from bsa import checks
from bsa.checks import AGE_RANGE, HEIGHT_RANGE, WEIGHT_RANGE
from bsa.errors import BSAInputError
from bsa.records.assessment import Assessment
from bsa.text import for_spreadsheet, for_terminal

HUGE = 10**5000  # 5001 digits: more than Python prints


# ---------------------------------------------------------------------------- the API


@pytest.mark.parametrize(("call", "match"), [
    (lambda: bsa.estimate({"head": 1}, 5, chart=["x"]), "chart must be a name.*lund_browder"),
    (lambda: bsa.estimate({"head": 1}, 5, age_mode={"a": 1}), "valid age modes are"),
    (lambda: bsa.estimate({"head": 10**400}, 5), "out of range.*from 0 to 1"),
    (lambda: bsa.estimate({"head": HUGE}, 5), "about 5001 digits"),
    (lambda: bsa.estimate({"head": "0.5"}, 5), "must be a number.*got text"),
    (lambda: bsa.estimate({"head": True}, 5), "got a boolean"),
    (lambda: bsa.estimate({"head": 1 + 0j}, 5), "complex"),
    (lambda: bsa.estimate({"head": None}, 5), "got None"),
    (lambda: bsa.estimate(None, 5), "a selection must be a mapping"),
    (lambda: bsa.estimate(7, 5), "a selection must be a mapping"),
    (lambda: bsa.estimate({HUGE: 1}, 5), "a region name must be a string, got an integer"),
    (lambda: bsa.estimate({"head": 1}, [5]), "takes one age"),
    (lambda: bsa.estimate({"head": 1}, "5"), "got text"),
    (lambda: bsa.estimate({"head": 1}, 10**400), "out of range"),
    (lambda: bsa.estimate({"head": 1}, math.nan), "NaN is out of range"),
    (lambda: bsa.palm_method(1, age=[5]), "one number of years"),
    (lambda: bsa.palm_method(10**400), "palm count.*out of range"),
    (lambda: bsa.palm_method("3"), "palm count must be a number"),
    (lambda: bsa.palm_method(3, include_fingers="no"), "include_fingers must be True or False"),
    (lambda: bsa.percent_bsa(np.zeros(19), 5, return_breakdown=1), "return_breakdown"),
    (lambda: bsa.percent_bsa([[0.1] * 19, [0.2] * 18], 5), "one shape"),
    (lambda: bsa.percent_bsa(np.zeros(19).astype(str), 5), "got text"),
    (lambda: bsa.percent_bsa(np.zeros(19, bool), 5), "got booleans"),
    (lambda: bsa.percent_bsa([0.1] * 18 + [10**400], 5), "too large"),
    (lambda: bsa.percent_bsa(np.zeros((3, 19)), [1, 2]), "do not match"),
    (lambda: bsa.breakdown(np.zeros(19), {"age": 5}), "age must be numbers"),
    (lambda: bsa.half_weights(5, chart={"x"}), "available charts are"),
    (lambda: bsa.region_weights(np.array([1 + 2j])), "complex"),
    (lambda: bsa.describe_age([1, 2]), "one number of years"),
    (lambda: bsa.age_reading(HUGE), "about 5001 digits"),
    (lambda: bsa.load_chart(["lund_browder"]), "chart must be a name"),
    (lambda: bsa.body_surface_area(80, 180, ["du_bois"]), "valid body surface formulas are"),
    (lambda: bsa.body_surface_area([80, 70, 60], [180, 170]), "shapes do not match"),
    (lambda: bsa.body_surface_area(b"80", 180), "weight must be numbers"),
    (lambda: bsa.body_surface_area(0.1, 180), "weight 0.1 is out of range.*0.2 to 700 kg"),
    (lambda: bsa.percent_to_cm2({"a": 1}, 2), "must be numbers"),
    (lambda: bsa.percent_to_cm2([1, 2, 3], [1.5, 2]), "shapes do not match"),
    (lambda: bsa.percent_to_cm2(True, 2), "booleans|a boolean"),
    (lambda: bsa.selection_to_fractions(3.5), "a selection must be a mapping"),
])
def test_bad_input_of_any_type_is_refused_by_name(call, match):
    with pytest.raises(BSAInputError, match=match):
        call()


def test_an_array_of_ages_gives_an_array_of_totals():
    f = np.full(19, 0.5)
    one = bsa.percent_bsa(f, [30])
    assert isinstance(one, np.ndarray) and one.shape == (1,)
    assert one[0] == pytest.approx(50.0, abs=TOL)
    total, per = bsa.percent_bsa(f, np.array([[30.0]]), return_breakdown=True)
    assert total.shape == (1, 1) and per.shape == (1, 1, 19)
    assert bsa.breakdown(f, [30]).shape == (1, 19)
    scalar = bsa.percent_bsa(f, 30)
    assert isinstance(scalar, float) and scalar == pytest.approx(50.0, abs=TOL)
    assert bsa.percent_bsa(np.tile(f, (4, 1)), [30]).shape == (4,)


def test_numeric_types_that_are_numbers_are_accepted():
    expected = bsa.estimate({"head": 0.5}, 5).percent_bsa
    for age in (5, 5.0, np.float32(5), np.int64(5), np.array(5.0), Fraction(5)):
        assert bsa.estimate({"head": 0.5}, age).percent_bsa == expected
    for share in (0.5, np.float64(0.5), Fraction(1, 2), np.array(0.5)):
        assert bsa.estimate({"head": share}, 5).percent_bsa == expected
    assert bsa.palm_method(np.int32(3), age=np.float64(8)).percent_bsa == 3.0
    assert bsa.palm_method(2, include_fingers=np.bool_(False)).percent_bsa == 1.0


def test_one_weight_range_everywhere():
    """0.2 to 700 kg in body_surface_area, in session files and on the page."""
    assert WEIGHT_RANGE == (0.2, 700.0)
    for kg in WEIGHT_RANGE + (0.25, 650.5):  # 0.25 and 650.5 were refused by sessions
        bsa.body_surface_area(kg, 50)
        assert Assessment(age_years=0, weight_kg=kg).weight_kg == kg
    for kg in (0.19, 700.1):
        with pytest.raises(BSAInputError, match="0.2 to 700 kg"):
            bsa.body_surface_area(kg, 50)
        with pytest.raises(BSAInputError, match="0.2 to 700 kg"):
            Assessment(age_years=0, weight_kg=kg)
    for cm in HEIGHT_RANGE:
        assert Assessment(age_years=30, height_cm=cm).height_cm == cm
        bsa.body_surface_area(70, cm)
    assert (bsa.core.charts.MIN_AGE, bsa.core.charts.MAX_AGE) == AGE_RANGE


@pytest.mark.parametrize(("changes", "match"), [
    ({"age_years": 10**400}, "age.*out of range"),
    ({"age_years": HUGE}, "about 5001 digits"),
    ({"height_cm": 10**309}, "height.*out of range"),
    ({"shares": {"head": 10**400}}, "share of 'head'.*out of range"),
    ({"notes": "x\ud800y"}, "lone surrogate"),
    ({"notes": "red \x1b[31m"}, "control character U\\+001B"),
    ({"notes": "bell\x07"}, "control character U\\+0007"),
    ({"notes": "c1 \x9b"}, "control character U\\+009B"),
    ({"sex": ["female"]}, "sex must be a name"),
    ({"sex": HUGE}, "sex must be a name"),
    ({"chart": HUGE}, "chart and age mode must be strings"),
])
def test_the_assessment_refuses_what_a_file_could_hold(changes, match):
    with pytest.raises(BSAInputError, match=match):
        Assessment(**{"age_years": 7, **changes})


def test_notes_keep_newlines_tabs_and_any_language():
    notes = "Twice a day.\n\tLeft thigh: crème, 軟膏 🙂"
    assert Assessment(age_years=7, notes=notes).notes == notes


# ---------------------------------------------------------------------------- the helpers


def test_number_refuses_every_kind_of_not_a_number():
    for value, what in [(None, "None"), (True, "a boolean"), ("3", "text"), (b"3", "text"),
                        ([3], "a list"), ({"a": 3}, "a dict"), (1j, "a complex number"),
                        (object(), "a object")]:
        with pytest.raises(BSAInputError, match=f"x must be a number.*got {what}"):
            checks.number(value, "x", 0, 10)
    for value in (math.nan, math.inf, -1, 11, 10**400, -HUGE):
        with pytest.raises(BSAInputError, match="out of range"):
            checks.number(value, "x", 0, 10)
    assert checks.number(np.int8(3), "x", 0, 10) == 3.0


def test_number_array_names_the_first_bad_value_and_where():
    with pytest.raises(BSAInputError, match=r"x 12 at position \(1, 0\) is out of range"):
        checks.number_array([[1, 2], [12, 3]], "x", 0, 10)
    with pytest.raises(BSAInputError, match="x NaN at position"):
        checks.number_array([1, math.nan], "x", 0, 10)
    with pytest.raises(BSAInputError, match="text among them|got text"):
        checks.number_array([1, "2"], "x", 0, 10)
    with pytest.raises(BSAInputError, match="None among them"):
        checks.number_array([1, None], "x", 0, 10)
    assert checks.number_array([1, 2], "x", 0, 10).dtype == float
    assert checks.number_array(3, "x", 0, 10).shape == ()


def test_shown_never_fails_and_stays_short():
    assert checks.shown(HUGE) == "an integer of about 5001 digits"
    assert "list" in checks.shown([HUGE])  # repr of a list holding it would fail
    assert checks.shown(list(range(100))) == "a list of 100 items"
    assert len(checks.shown("x" * 10_000)) == 60


def test_one_of_and_flag_and_broadcast():
    assert checks.one_of("a", "thing", ("a", "b")) == "a"
    with pytest.raises(BSAInputError, match="unknown thing 'c'; valid things are: a, b"):
        checks.one_of("c", "thing", ("a", "b"))
    with pytest.raises(BSAInputError, match="thing must be a name, got a list"):
        checks.one_of(["a"], "thing", ("a", "b"))
    assert checks.flag(np.bool_(True), "f") is True
    with pytest.raises(BSAInputError, match="f must be True or False, got 1"):
        checks.flag(1, "f")
    assert checks.broadcast(a=np.zeros((2, 1)), b=np.zeros(3)) == (2, 3)
    with pytest.raises(BSAInputError, match=r"a \(2,\), b \(3,\)"):
        checks.broadcast(a=np.zeros(2), b=np.zeros(3))


def test_text_refuses_surrogates_and_controls_naming_the_character():
    assert checks.text("a\nb\tc", "notes", max_chars=10, multiline=True) == "a\nb\tc"
    with pytest.raises(BSAInputError, match="character 2 is the control character U\\+000A"):
        checks.text("a\nb", "label", max_chars=10)
    with pytest.raises(BSAInputError, match="character 3 is U\\+DC80, a lone surrogate"):
        checks.text("ab\udc80", "notes", max_chars=10, multiline=True)
    with pytest.raises(BSAInputError, match="at most 3 characters"):
        checks.text("abcd", "notes", max_chars=3)
    with pytest.raises(BSAInputError, match="must be text"):
        checks.text(None, "notes", max_chars=3)


# ---------------------------------------------------------------------------- output text


@pytest.mark.parametrize(("raw", "shown"), [
    ("\x1b[31mred\x1b[0m", "red"),                          # colours
    ("\x1b]0;new title\x07after", "after"),                 # window title (OSC, BEL)
    ("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "link"),   # hyperlink (OSC, ST)
    ("a\x1b[2J\x1b[Hb", "ab"),                               # clear screen, cursor home
    ("bell\x07 back\x08space", "bell backspace"),
    ("c1\x9b31m csi", "c131m csi"),                          # the 8-bit CSI is removed
    ("left\u202eright\u2066x\u2069", "leftrightx"),          # bidirectional overrides
    ("line 1\nline 2\ttab", "line 1\nline 2\ttab"),         # kept
    ("x\ud800y", "x\ufffdy"),                                # printable as UTF-8
    ("crème 軟膏 🙂", "crème 軟膏 🙂"),
])
def test_for_terminal(raw, shown):
    assert for_terminal(raw) == shown


@pytest.mark.parametrize(("cell", "written"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+1", "'+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("p7", "p7"), ("", ""), ("a=b", "a=b"),
])
def test_for_spreadsheet(cell, written):
    assert for_spreadsheet(cell) == written
