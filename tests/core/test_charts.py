"""The charts against their published tables, typed here by hand from the sources."""

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tolerance import TOL

import bsa
from bsa.core.charts import read_chart_file
from bsa.core.regions import PART_INDEX, REGION_INDEX

# Lund CC, Browder NC. Surg Gynecol Obstet 1944;79:352-358: the chart's "relative percentage
# of areas affected by growth" (one half, front or back), columns age 0, 1, 5, 10, 15, adult.
LUND_BROWDER_AGES = [0, 1, 5, 10, 15, 18]
LUND_BROWDER_A_HALF_HEAD = [9.5, 8.5, 6.5, 5.5, 4.5, 3.5]
LUND_BROWDER_B_HALF_THIGH = [2.75, 3.25, 4.0, 4.25, 4.5, 4.75]
LUND_BROWDER_C_HALF_LOWER_LEG = [2.5, 2.5, 2.75, 3.0, 3.25, 3.5]
# The fixed regions, whole-region percent (the same at every age).
LUND_BROWDER_FIXED = {
    "neck": 2, "anterior_trunk": 13, "posterior_trunk": 13, "right_buttock": 2.5,
    "left_buttock": 2.5, "genitalia": 1, "right_upper_arm": 4, "left_upper_arm": 4,
    "right_lower_arm": 3, "left_lower_arm": 3, "right_hand": 2.5, "left_hand": 2.5,
    "right_foot": 3.5, "left_foot": 3.5,
}


@pytest.mark.parametrize("col", range(6))
def test_lund_browder_every_cell(col):
    age = LUND_BROWDER_AGES[col]
    w = bsa.half_weights(age, "lund_browder")
    for side in ("front", "back"):
        assert w[PART_INDEX[f"head:{side}"]] == LUND_BROWDER_A_HALF_HEAD[col]
        for s in ("right", "left"):
            assert w[PART_INDEX[f"{s}_thigh:{side}"]] == LUND_BROWDER_B_HALF_THIGH[col]
            assert w[PART_INDEX[f"{s}_lower_leg:{side}"]] == LUND_BROWDER_C_HALF_LOWER_LEG[col]
    r = bsa.region_weights(age, "lund_browder")
    for region, value in LUND_BROWDER_FIXED.items():
        assert r[REGION_INDEX[region]] == pytest.approx(value, abs=TOL)
    # two-sided fixed regions split equally front/back
    for region in ("neck", "right_upper_arm", "left_lower_arm", "right_hand", "left_foot"):
        assert w[PART_INDEX[f"{region}:front"]] == w[PART_INDEX[f"{region}:back"]]
    assert w[PART_INDEX["anterior_trunk:front"]] == 13
    assert w[PART_INDEX["posterior_trunk:back"]] == 13


def test_lund_browder_age_10_thigh_is_4_25_not_4_5():
    # Copies printing 4.5 make the age-10 column 101%.
    w = bsa.half_weights(10, "lund_browder", "banded")
    assert w[PART_INDEX["right_thigh:front"]] == 4.25


def test_columns_are_ages_not_shifted_bands():
    # A widely copied page labels the columns "At birth, 0-1, 1-4, 5-9, 10-15, Adult": a
    # 3-year-old would then get 6.5 per head half. The 1-year column (8.5) covers ages 1-4.
    w = bsa.half_weights(3, "lund_browder", "banded")
    assert w[PART_INDEX["head:front"]] == 8.5


# Rule of nines, adult (Wallace, Lancet 1951): group totals.
RULE_OF_NINES_ADULT = {
    ("head", "neck"): 9,
    ("right_upper_arm", "right_lower_arm", "right_hand"): 9,
    ("left_upper_arm", "left_lower_arm", "left_hand"): 9,
    ("anterior_trunk",): 18,
    ("posterior_trunk", "right_buttock", "left_buttock"): 18,
    ("right_thigh", "right_lower_leg", "right_foot"): 18,
    ("left_thigh", "left_lower_leg", "left_foot"): 18,
    ("genitalia",): 1,
}


@pytest.mark.parametrize("age", [0, 3, 30, 90])
def test_rule_of_nines_adult_groups(age):
    r = bsa.region_weights(age, "rule_of_nines")
    for group, value in RULE_OF_NINES_ADULT.items():
        assert sum(r[REGION_INDEX[g]] for g in group) == pytest.approx(value, abs=TOL)
    w = bsa.half_weights(age, "rule_of_nines")
    # 4.5 front + 4.5 back for head and neck, each arm; 9 + 9 for each leg
    front = sum(w[PART_INDEX[f"{g}:front"]] for g in ("head", "neck"))
    assert front == pytest.approx(4.5, abs=TOL)
    leg_front = sum(w[PART_INDEX[f"right_{g}:front"]] for g in ("thigh", "lower_leg", "foot"))
    assert leg_front == pytest.approx(9.0, abs=TOL)


# Paediatric teaching form (GPnotebook, "Rule of nines (paediatric)"): up to one year head
# and neck 18, each lower limb 14; over one year the head decreases by 1% per year and each
# lower limb increases by 0.5%; "by the age of ten years ... perineum becomes 1%, each lower
# limb becomes a total of 18% ..., head and neck become 9%".
# age -> (head and neck, one leg, perineum (genitalia), anterior trunk with genitalia)
@pytest.mark.parametrize(
    "age,head_neck,leg,perineum,front_trunk",
    [(0, 18, 14, 1, 18), (1, 18, 14, 1, 18), (2, 17, 14.5, 1, 18), (5, 14, 16, 1, 18),
     (9, 10, 18, 1, 18), (10, 9, 18, 1, 19), (14, 9, 18, 1, 19), (40, 9, 18, 1, 19)],
)
def test_rule_of_nines_paediatric(age, head_neck, leg, perineum, front_trunk):
    r = bsa.region_weights(age, "rule_of_nines_paediatric", "banded")
    assert r[REGION_INDEX["head"]] + r[REGION_INDEX["neck"]] == pytest.approx(head_neck, abs=TOL)
    right_leg = sum(r[REGION_INDEX[f"right_{g}"]] for g in ("thigh", "lower_leg", "foot"))
    assert right_leg == pytest.approx(leg, abs=TOL)
    arm = sum(r[REGION_INDEX[f"left_{g}"]] for g in ("upper_arm", "lower_arm", "hand"))
    assert arm == pytest.approx(9, abs=TOL)
    assert r[REGION_INDEX["genitalia"]] == pytest.approx(perineum, abs=TOL)
    assert r[REGION_INDEX["anterior_trunk"]] + r[REGION_INDEX["genitalia"]] == pytest.approx(
        front_trunk, abs=TOL)


def test_paediatric_head_and_neck_split_by_the_age_s_proportions():
    # Issue 10, item 1: the infant's neck was 4.0 (18 x 2/9, adult proportions); at age 0 the
    # Lund-Browder head is 19 and neck 2, so the group of 18 splits 18 x 2/21 = 1.71 to the neck.
    r = bsa.region_weights(0, "rule_of_nines_paediatric", "banded")
    assert r[REGION_INDEX["neck"]] == pytest.approx(18 * 2 / 21, abs=TOL)
    assert r[REGION_INDEX["head"]] == pytest.approx(18 * 19 / 21, abs=TOL)


def test_charts_say_which_ages_they_are_for():
    adult, child = bsa.load_chart("rule_of_nines"), bsa.load_chart("rule_of_nines_paediatric")
    assert adult.intended_ages == (10.0, None) and not adult.is_intended_for(9.99)
    assert child.intended_ages == (0.0, 10.0) and child.is_intended_for(9.99)
    assert bsa.load_chart("lund_browder").is_intended_for(0)
    assert "GPnotebook" in adult.intended_ages_source


def test_chart_provenance_is_shown():
    # Every chart file has a citation and a status: its schema (tests/test_data.py).
    assert bsa.load_chart("lund_browder").status == "verified"
    assert bsa.load_chart("rule_of_nines_paediatric").status == "secondary"
    assert bsa.load_chart("rule_of_nines").conventions  # the apportioning is stated


ages = st.floats(min_value=0, max_value=120, allow_nan=False)


@given(age=ages, chart=st.sampled_from(bsa.available_charts()),
       mode=st.sampled_from(bsa.AGE_MODES))
def test_any_age_sums_to_100(age, chart, mode):
    assert bsa.half_weights(age, chart, mode).sum() == pytest.approx(100.0, abs=TOL)


@given(a=ages, b=ages, chart=st.sampled_from(bsa.available_charts()),
       mode=st.sampled_from(bsa.AGE_MODES))
def test_head_share_never_grows_with_age(a, b, chart, mode):
    lo, hi = sorted((a, b))
    h = REGION_INDEX["head"]
    assert bsa.region_weights(hi, chart, mode)[h] <= bsa.region_weights(lo, chart, mode)[h] + TOL


def test_interpolated_and_banded_readings():
    h = REGION_INDEX["head"]
    assert bsa.region_weights(3, age_mode="interpolated")[h] == pytest.approx(15.0, abs=TOL)
    assert bsa.region_weights(3, age_mode="banded")[h] == 17.0
    assert bsa.region_weights(4.999, age_mode="banded")[h] == 17.0
    assert bsa.region_weights(5, age_mode="banded")[h] == 13.0
    assert bsa.region_weights(16.5, age_mode="interpolated")[h] == pytest.approx(8.0, abs=TOL)
    assert bsa.region_weights(17.99, age_mode="banded")[h] == 9.0
    assert bsa.region_weights(18, age_mode="banded")[h] == 7.0
    assert bsa.region_weights(100, age_mode="interpolated")[h] == 7.0
    assert "halfway between the '1' and '5'" in bsa.age_reading(3)
    assert "banded: the '1' column" in bsa.age_reading(3, age_mode="banded")
    assert "'adult'" in bsa.age_reading(40)


def test_scalar_and_array_shapes():
    assert bsa.half_weights(3).shape == (33,)
    assert bsa.region_weights([1, 2, 3]).shape == (3, 19)
    assert bsa.region_weights(np.full((2, 3), 4.0)).shape == (2, 3, 19)
    tiled = bsa.region_weights(np.tile(7.5, 6).reshape(2, 3))
    assert np.array_equal(tiled[1, 2], bsa.region_weights(7.5))


@pytest.mark.parametrize("age", [-0.01, 120.5, float("nan"), float("inf"), -float("inf"), "x"])
def test_bad_age(age):
    with pytest.raises(bsa.BSAInputError, match="age"):
        bsa.half_weights(age)


def test_bad_chart_and_age_mode_list_valid_values():
    with pytest.raises(bsa.BSAInputError, match="lund_browder, rule_of_nines"):
        bsa.half_weights(3, "lund")
    with pytest.raises(ValueError, match="interpolated, banded"):
        bsa.half_weights(3, age_mode="linear")


def _write(tmp_path, doc):
    p = tmp_path / "chart.json"
    p.write_text(json.dumps(doc))
    return p


def _lund_browder_doc():
    return json.loads(bsa.data.data_path("lund_browder_1944.json").read_text())


def test_chart_file_that_does_not_sum_to_100_is_refused(tmp_path):
    doc = _lund_browder_doc()
    doc["percent"]["right_thigh"]["front"][3] = 4.5  # the public-copy error
    with pytest.raises(bsa.BSAInputError, match="'10' sums to 100.25"):
        read_chart_file(_write(tmp_path, doc))


def test_chart_file_missing_or_unknown_region_is_refused(tmp_path):
    doc = _lund_browder_doc()
    del doc["percent"]["genitalia"]
    with pytest.raises(bsa.BSAInputError, match="genitalia"):
        read_chart_file(_write(tmp_path, doc))
    doc = _lund_browder_doc()
    doc["percent"]["tail"] = {"back": [0] * 6}
    with pytest.raises(bsa.BSAInputError, match="tail"):
        read_chart_file(_write(tmp_path, doc))
    doc = _lund_browder_doc()
    doc["percent"]["genitalia"] = {"back": [1] * 6}
    with pytest.raises(bsa.BSAInputError, match="genitalia"):
        read_chart_file(_write(tmp_path, doc))


def test_chart_file_not_json_is_refused(tmp_path):
    p = tmp_path / "chart.json"
    p.write_text("{not json")
    with pytest.raises(bsa.BSAInputError, match="chart file chart.json: cannot read it as JSON"):
        read_chart_file(p)
