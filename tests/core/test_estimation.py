"""Estimates: worked examples, invariants, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from tolerance import TOL, close

import bsa
from bsa.core.regions import PART_INDEX, PART_NAMES, REGION_INDEX, REGIONS, mirror


def test_worked_example_age_3():
    # Head at age 3, interpolated: halves (8.5 + 6.5) / 2 = 7.5 each -> 15; anterior trunk
    # 13 x 0.5 = 6.5. Total 21.5.
    r = bsa.estimate({"head": 1.0, "anterior_trunk": 0.5}, age=3)
    assert r.percent_bsa == pytest.approx(21.5, abs=TOL)
    assert r.by_region["head"] == pytest.approx(15.0, abs=TOL)
    assert r.by_region["anterior_trunk"] == pytest.approx(6.5, abs=TOL)
    assert r.chart == "lund_browder" and r.age_mode == "interpolated" and r.age_years == 3
    d = r.to_dict()
    assert set(d) >= {"percent_bsa", "age_years", "chart", "age_mode", "regions"}
    assert d["regions"]["head"]["halves"]["front"]["weight"] == pytest.approx(7.5, abs=TOL)


def test_halves_and_lists():
    r = bsa.estimate({"right_thigh:front": 0.5}, age=30)
    assert r.percent_bsa == pytest.approx(4.75 * 0.5, abs=TOL)
    assert r.by_half["right_thigh:back"] == 0
    assert bsa.estimate(["head", "neck"], age=30).percent_bsa == pytest.approx(9.0, abs=TOL)
    assert bsa.estimate({"anterior_trunk:front": 1}, age=30).percent_bsa == 13


def test_everything_is_100_and_nothing_is_0():
    for chart in bsa.available_charts():
        assert bsa.estimate(list(REGIONS), 7.3, chart).percent_bsa == pytest.approx(100, abs=TOL)
    assert bsa.estimate({}, 7.3).percent_bsa == 0


def test_array_selection_of_halves():
    f = np.zeros(33)
    f[PART_INDEX["head:back"]] = 1
    assert bsa.estimate(f, 0).percent_bsa == 9.5


def test_breakdown_regions_and_halves_agree():
    rng = np.random.default_rng(1)
    regions = rng.random((50, 19))
    ages = rng.uniform(0, 100, 50)
    halves = np.zeros((50, 33))
    for i, p in enumerate(PART_NAMES):
        halves[:, i] = regions[:, REGION_INDEX[p.split(":")[0]]]
    a = bsa.percent_bsa(regions, ages)
    b = bsa.percent_bsa(halves, ages)
    assert close(a, b)
    assert isinstance(bsa.percent_bsa(regions[0], ages[0]), float)


def test_breakdown_broadcasts_one_age_and_many_patients():
    f = np.ones((4, 19))
    assert close(bsa.percent_bsa(f, 5), 100)
    tiled = bsa.breakdown(np.tile(np.linspace(0, 1, 19), (2, 3, 1)), np.full((2, 3), 8.0))
    assert tiled.shape == (2, 3, 19)
    assert close(tiled[1, 2], bsa.breakdown(np.linspace(0, 1, 19), 8.0))


fractions = arrays(float, 19, elements=st.floats(0, 1))
age = st.floats(0, 120)
chart = st.sampled_from(bsa.available_charts())
mode = st.sampled_from(bsa.AGE_MODES)


@given(f=fractions, a=age, c=chart, m=mode)
def test_total_in_0_100(f, a, c, m):
    t = bsa.percent_bsa(f, a, c, m)
    assert 0 <= t <= 100 + 1e-9


@given(f=fractions, a=age, c=chart, i=st.integers(0, 18), extra=st.floats(0, 1))
def test_total_never_decreases_when_a_fraction_grows(f, a, c, i, extra):
    g = f.copy()
    g[i] = min(1.0, g[i] + extra)
    assert bsa.percent_bsa(g, a, c) >= bsa.percent_bsa(f, a, c) - 1e-12


@given(f=fractions, a=age, c=chart, m=mode)
def test_right_left_symmetry(f, a, c, m):
    mirrored = np.array([f[REGION_INDEX[mirror(r)]] for r in REGIONS])
    assert bsa.percent_bsa(mirrored, a, c, m) == pytest.approx(bsa.percent_bsa(f, a, c, m), abs=TOL)


@settings(max_examples=30)
@given(f=arrays(float, (7, 19), elements=st.floats(0, 1)),
       a=arrays(float, 7, elements=st.floats(0, 120)), c=chart, m=mode)
def test_scalar_and_array_agree(f, a, c, m):
    many = bsa.percent_bsa(f, a, c, m)
    one_by_one = [bsa.percent_bsa(f[i], a[i], c, m) for i in range(7)]
    assert close(many, one_by_one)
    sel = {r: float(f[3, REGION_INDEX[r]]) for r in REGIONS}
    assert bsa.estimate(sel, float(a[3]), c, m).percent_bsa == pytest.approx(many[3], abs=TOL)


@pytest.mark.parametrize("selection,match", [
    ({"hed": 1}, "unknown region 'hed'; valid regions are: head, neck"),
    ({"head": 1.5}, "from 0"),
    ({"head": -0.1}, "from 0"),
    ({"head": float("nan")}, "from 0"),
    ({"head": "lots"}, "must be a number"),
    ({"head": 1, "head:front": 1}, "both whole and as a half"),
    ({"head:front": 1, "head": 1}, "both whole and as a half"),
    ({"head:side": 1}, "valid sides are: front, back"),
    ({"anterior_trunk:back": 1}, "no back half"),
])
def test_bad_selection(selection, match):
    with pytest.raises(bsa.BSAInputError, match=match):
        bsa.estimate(selection, 30)


@pytest.mark.parametrize("value", [np.nan, 1.0001, -1e-9, np.inf])
def test_bad_fraction_arrays(value):
    f = np.zeros((3, 19))
    f[2, 4] = value
    with pytest.raises(bsa.BSAInputError, match=r"position \(2, 4\)"):
        bsa.percent_bsa(f, 30)


def test_bad_shapes_and_modes():
    with pytest.raises(bsa.BSAInputError, match="19 regions or the 33 halves"):
        bsa.percent_bsa(np.zeros(20), 30)
    with pytest.raises(bsa.BSAInputError, match="do not match"):
        bsa.percent_bsa(np.zeros((3, 19)), [1, 2])
    with pytest.raises(bsa.BSAInputError, match="interpolated, banded"):
        bsa.estimate({"head": 1}, 30, age_mode="nearest")
    with pytest.raises(bsa.BSAInputError, match="available charts"):
        bsa.estimate({"head": 1}, 30, chart="wallace")
    with pytest.raises(bsa.BSAInputError, match="age"):
        bsa.estimate({"head": 1}, -1)
