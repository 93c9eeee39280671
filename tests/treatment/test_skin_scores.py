"""EASI/PASI area scores and VASI hand units from the marks: published bands (hand-typed)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tolerance import TOL, assert_close

import bsa
from bsa.core.regions import PART_INDEX, PART_NAMES, REGIONS
from bsa.errors import BSAInputError
from bsa.treatment.skin_scores import (
    SCORE_REGIONS,
    area_score,
    easi_area_scores,
    pasi_area_scores,
    region_percentages,
    score_region_mapping,
    score_weights,
)

# Hanifin et al. 2001 / Fredriksson & Pettersson 1978: 0 = none, 1 = 1-9%, 2 = 10-29%,
# 3 = 30-49%, 4 = 50-69%, 5 = 70-89%, 6 = 90-100%. Non-integers: a band runs up to, not
# including, the next band's first value.
AREA_SCORE_CASES = [
    (0, 0), (0.01, 1), (1, 1), (9, 1), (9.5, 1), (9.99, 1), (10, 2), (29, 2), (29.9, 2),
    (30, 3), (49, 3), (49.99, 3), (50, 4), (69, 4), (70, 5), (89, 5), (89.9, 5), (90, 6),
    (99, 6), (100, 6),
]

# EASI weights: >= 8 years 0.1/0.2/0.3/0.4; 0-7 years 0.2/0.2/0.3/0.3. PASI 0.1/0.2/0.3/0.4.
EASI_ADULT = {"head_neck": 0.1, "upper_limbs": 0.2, "trunk": 0.3, "lower_limbs": 0.4}
EASI_CHILD = {"head_neck": 0.2, "upper_limbs": 0.2, "trunk": 0.3, "lower_limbs": 0.3}

# The project's mapping, hand-typed: genitalia with the trunk, buttocks with the lower limbs.
MAPPING = {
    "head_neck": {"head", "neck"},
    "upper_limbs": {"right_upper_arm", "left_upper_arm", "right_lower_arm", "left_lower_arm",
                    "right_hand", "left_hand"},
    "trunk": {"anterior_trunk", "posterior_trunk", "genitalia"},
    "lower_limbs": {"right_buttock", "left_buttock", "right_thigh", "left_thigh",
                    "right_lower_leg", "left_lower_leg", "right_foot", "left_foot"},
}


@pytest.mark.parametrize("percent, score", AREA_SCORE_CASES)
def test_area_score_bands(percent, score):
    assert area_score(percent) == score
    assert isinstance(area_score(percent), int)


def test_area_score_arrays():
    p = np.array([c[0] for c in AREA_SCORE_CASES], dtype=float)
    s = np.array([c[1] for c in AREA_SCORE_CASES])
    np.testing.assert_array_equal(area_score(p), s)
    tiled = np.tile(p[:6], (2, 1))
    assert area_score(tiled).shape == (2, 6)
    np.testing.assert_array_equal(area_score(tiled)[1], s[:6])
    # the rounding of a ratio of chart weights does not drop a band
    assert area_score(9.999999999999998) == 2


@pytest.mark.parametrize("bad", [-0.1, 100.5, float("nan"), float("inf"), "half"])
def test_area_score_bad_input(bad):
    with pytest.raises(BSAInputError):
        area_score(bad)


def test_mapping_is_the_documented_one():
    got = {k: set(v) for k, v in score_region_mapping().items()}
    assert got == MAPPING
    all_regions = [r for v in MAPPING.values() for r in v]
    assert sorted(all_regions) == sorted(REGIONS)


@pytest.mark.parametrize("age, weights", [(0, EASI_CHILD), (7, EASI_CHILD), (7.99, EASI_CHILD),
                                          (8, EASI_ADULT), (40, EASI_ADULT)])
def test_easi_weights_by_age(age, weights):
    assert score_weights("easi", age) == weights
    assert score_weights("pasi", age) == EASI_ADULT


def test_worked_example_adult():
    # Adult Lund-Browder: head 7 + neck 2 = 9; trunk 13 + 13 + 1 = 27; lower limbs
    # 2.5 + 2.5 + 2 x (9.5 + 7 + 3.5) = 45; upper limbs 2 x (4 + 3 + 2.5) = 19.
    sel = {"head": 1.0, "neck": 1.0, "anterior_trunk": 0.5, "right_buttock": 1.0}
    s = easi_area_scores(sel, 30)
    assert s["head_neck"]["percent_of_region"] == pytest.approx(100, abs=TOL)
    assert s["head_neck"]["area_score"] == 6 and s["head_neck"]["weight"] == 0.1
    assert s["trunk"]["percent_bsa_of_region"] == pytest.approx(27, abs=TOL)
    assert s["trunk"]["percent_of_region"] == pytest.approx(6.5 / 27 * 100, abs=TOL)  # 24.1%
    assert s["trunk"]["area_score"] == 2 and s["trunk"]["area_band"] == "10-29%"
    assert s["lower_limbs"]["percent_bsa_of_region"] == pytest.approx(45, abs=TOL)
    assert s["lower_limbs"]["percent_of_region"] == pytest.approx(2.5 / 45 * 100, abs=TOL)  # 5.6%
    assert s["lower_limbs"]["area_score"] == 1 and s["lower_limbs"]["weight"] == 0.4
    assert s["upper_limbs"]["percent_bsa_of_region"] == pytest.approx(19, abs=TOL)
    assert s["upper_limbs"]["area_score"] == 0


def test_worked_example_child():
    # Age 1: head 2 x 8.5 = 17 + neck 2 = 19; half of it marked -> 50% -> score 4, weight 0.2.
    s = easi_area_scores({"head": 0.5, "neck": 0.5}, 1)
    assert s["head_neck"]["percent_bsa_of_region"] == pytest.approx(19, abs=TOL)
    assert s["head_neck"]["percent_of_region"] == pytest.approx(50, abs=TOL)
    assert s["head_neck"]["area_score"] == 4 and s["head_neck"]["weight"] == 0.2
    assert s["lower_limbs"]["weight"] == 0.3


def test_genitalia_count_with_the_trunk_and_buttocks_with_the_legs():
    s = pasi_area_scores({"genitalia": 1.0, "left_buttock": 1.0}, 30)
    assert s["trunk"]["percent_bsa_affected"] == pytest.approx(1.0, abs=TOL)
    assert s["lower_limbs"]["percent_bsa_affected"] == pytest.approx(2.5, abs=TOL)
    assert s["head_neck"]["percent_bsa_affected"] == 0


def test_half_array_and_mapping_agree():
    f = np.zeros(len(PART_NAMES))
    f[PART_INDEX["right_thigh:front"]] = 1.0
    a = easi_area_scores(f, 12)
    b = easi_area_scores({"right_thigh:front": 1.0}, 12)
    assert a["lower_limbs"]["percent_of_region"] == pytest.approx(
        b["lower_limbs"]["percent_of_region"], abs=TOL)
    assert a["lower_limbs"]["area_score"] == b["lower_limbs"]["area_score"]


def test_vectorised_region_percentages():
    f = np.full((2, 3, len(REGIONS)), 0.3)
    ages = np.array([[1, 5, 8], [12, 30, 70]])
    r = region_percentages(f, ages)
    assert r["trunk"]["percent_of_region"].shape == (2, 3)
    assert_close(r["trunk"]["percent_of_region"], 30.0)
    s = easi_area_scores(f, ages)
    np.testing.assert_array_equal(s["trunk"]["area_score"], 3)
    np.testing.assert_array_equal(s["head_neck"]["weight"], [[0.2, 0.2, 0.1], [0.1, 0.1, 0.1]])


def test_bad_input():
    with pytest.raises(BSAInputError):
        easi_area_scores({"elbow": 1.0}, 30)
    with pytest.raises(BSAInputError):
        easi_area_scores(np.zeros(7), 30)
    with pytest.raises(BSAInputError, match="age"):
        pasi_area_scores({"head": 1.0}, -1)
    with pytest.raises(BSAInputError, match="valid scores"):
        score_weights("scorad", 30)


@settings(max_examples=80, deadline=None)
@given(fractions=st.lists(st.floats(0, 1), min_size=33, max_size=33), age=st.floats(0, 100),
       scale=st.floats(0, 1))
def test_score_invariants(fractions, age, scale):
    f = np.array(fractions)
    s = easi_area_scores(f, age)
    smaller = easi_area_scores(f * scale, age)
    total = bsa.percent_bsa(f, age)
    assert sum(s[r]["percent_bsa_affected"] for r in SCORE_REGIONS) == pytest.approx(total, abs=TOL)
    assert sum(s[r]["percent_bsa_of_region"] for r in SCORE_REGIONS) == pytest.approx(100, abs=TOL)
    for r in SCORE_REGIONS:
        assert 0 <= s[r]["percent_of_region"] <= 100
        assert 0 <= s[r]["area_score"] <= 6
        assert smaller[r]["area_score"] <= s[r]["area_score"]
