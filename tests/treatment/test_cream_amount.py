"""Amount of cream: the published fingertip-unit figures (hand-typed) and worked examples."""

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tolerance import CONTINUOUS_GRAMS_REL, TOL, printed

from bsa.core.regions import PART_INDEX, PART_NAMES, REGION_INDEX, REGIONS
from bsa.data import load_data
from bsa.errors import BSAInputError
from bsa.treatment.cream_amount import (
    FTU_FILE,
    SCHEMA_VERSION,
    children_table_row,
    estimate_amount,
    grams_per_percent_bsa,
    method_for_age,
    percent_bsa_where_amount_cap_binds,
)

AD = "opzelura_us_atopic_dermatitis"
VIT_US = "opzelura_us_vitiligo"
VIT_EU = "opzelura_eu_vitiligo"

# Long, Mills, Finlay. Br J Dermatol 1998;138:293, fingertip units per application:
# face & neck, one arm & hand, one leg & foot, trunk front, trunk back incl. buttocks.
LONG_MILLS_FINLAY_1998 = {
    "3-6 months": (1, 1, 1.5, 1, 1.5),
    "1-2 years": (1.5, 1.5, 2, 2, 3),
    "3-5 years": (1.5, 2, 3, 3, 3.5),
    "6-10 years": (2, 2.5, 4.5, 3.5, 5),
    "adult": (2.5, 4, 8, 7, 7),
}
PARTS = ("face_and_neck", "arm_and_hand", "leg_and_foot", "trunk_front",
         "trunk_back_and_buttocks")


def test_children_table_matches_the_paper():
    rows = load_data(FTU_FILE, SCHEMA_VERSION)["children_table"]["rows"]
    assert [r["published_age"] for r in rows] == list(LONG_MILLS_FINLAY_1998)
    for row in rows:
        got = tuple(row["fingertip_units"][p] for p in PARTS)
        assert got == LONG_MILLS_FINLAY_1998[row["published_age"]]


def test_fingertip_unit_figures_match_long_and_finlay_1991():
    ftu = load_data(FTU_FILE, SCHEMA_VERSION)["fingertip_unit"]
    assert ftu["grams_convention"] == 0.5
    assert ftu["grams_measured"] == {"men": 0.49, "women": 0.43}
    assert ftu["covers_cm2"] == 286
    roh = load_data(FTU_FILE, SCHEMA_VERSION)["rule_of_hand"]
    # 4 hand areas = 2 FTU = 1 g
    assert 4 * roh["fingertip_units_per_hand_area"] == 2
    assert roh["hand_area_percent_bsa"] == 1


@pytest.mark.parametrize(
    "age, row",
    [(0, "3-6 months"), (0.4, "3-6 months"), (0.99, "3-6 months"), (1, "1-2 years"),
     (2, "1-2 years"), (2.99, "1-2 years"), (3, "3-5 years"), (5.99, "3-5 years"),
     (6, "6-10 years"), (10.99, "6-10 years"), (11.99, "6-10 years"), (12, "adult"),
     (40, "adult")],
)
def test_table_row_by_age(age, row):
    # the 6-10 years row is applied up to 12, where the labels' children's caps end
    assert children_table_row(age)["published_age"] == row


@pytest.mark.parametrize(
    "age, method",
    [(0, "children_table"), (8, "children_table"), (11.99, "children_table"), (12, "blend"),
     (17.99, "blend"), (18, "rule_of_hand"), (80, "rule_of_hand")],
)
def test_method_by_age(age, method):
    assert method_for_age(age) == method


# --- worked examples by hand -------------------------------------------------------------

def test_adult_ten_percent_twice_daily():
    # Adult, 10% BSA (10/13 of the 13% anterior trunk): 10 x 0.25 g = 2.5 g per application,
    # 5 g a day, 35 g a week (rule of hand, Long, Finlay and Averill 1992).
    est = estimate_amount({"anterior_trunk": 10 / 13}, 40, AD)
    assert est.method == "rule_of_hand"
    assert est.percent_bsa == pytest.approx(10.0, abs=TOL)
    assert est.fingertip_units_per_application == pytest.approx(5.0, abs=TOL)
    assert est.grams_per_application == pytest.approx(2.5, abs=TOL)
    assert est.grams_per_day == pytest.approx(5.0, abs=TOL)
    assert est.grams_per_week == pytest.approx(35.0, abs=TOL)
    assert est.grams_in(14) == pytest.approx(70.0, abs=TOL)
    assert est.grams_per_percent_bsa == pytest.approx(0.25, abs=TOL)


def test_one_fingertip_unit_weight_for_everyone():
    # Issue 10, item 3: 0.5 g per unit (Long and Finlay 1991) whoever the patient is; the
    # measured 0.43 g (women) and 0.49 g (men) are shown as a range.
    est = estimate_amount({"anterior_trunk": 10 / 13}, 30, AD)
    assert est.ftu_grams == 0.5 and est.grams_per_application == pytest.approx(2.5, abs=TOL)
    assert est.grams_per_application_measured == pytest.approx((5 * 0.43, 5 * 0.49), abs=TOL)


def test_cap_binds_for_adults_both_caps():
    # 100 g / 14 days / 2 applications / 0.25 g per 1% = 14.29% (reached first);
    # 60 g / 7 days / 2 / 0.25 = 17.14%
    assert percent_bsa_where_amount_cap_binds(AD, 40) == pytest.approx(100 / 14 / 2 / 0.25, abs=TOL)
    assert percent_bsa_where_amount_cap_binds(AD, 40, limit_index=0) == pytest.approx(
        60 / 7 / 2 / 0.25, abs=TOL)
    assert percent_bsa_where_amount_cap_binds(AD, 40, limit_index=1) == pytest.approx(
        100 / 14 / 2 / 0.25, abs=TOL)
    assert percent_bsa_where_amount_cap_binds(VIT_US, 40) == pytest.approx(14.285714, abs=printed(6))
    # EU: 200 g / 30 days / 2 / 0.25 = 13.33%
    assert percent_bsa_where_amount_cap_binds(VIT_EU, 40) == pytest.approx(13.333333, abs=printed(6))


def test_cap_binds_for_children_from_the_table():
    # Age 8, row 6-10 years: whole body 2 + 2 x 2.5 + 2 x 4.5 + 3.5 + 5 = 24.5 FTU = 12.25 g,
    # i.e. 0.1225 g per 1%; cap 60 g / 14 days / 2 = 2.142857 g per application -> 17.49%.
    assert grams_per_percent_bsa(8) == pytest.approx(0.1225, abs=TOL)
    assert percent_bsa_where_amount_cap_binds(AD, 8) == pytest.approx(17.49, abs=printed(2))
    # Age 2, row 1-2 years: 1.5 + 3 + 4 + 2 + 3 = 13.5 FTU = 6.75 g -> 2.142857 / 0.0675 = 31.7%
    assert percent_bsa_where_amount_cap_binds(AD, 2) == pytest.approx(31.746, abs=printed(3))
    assert math.isnan(percent_bsa_where_amount_cap_binds(AD, 1.5))
    assert math.isnan(percent_bsa_where_amount_cap_binds(VIT_US, 11))


def test_child_whole_arm_worked_example():
    # Age 8, whole right arm and hand: 2.5 FTU x 0.5 g = 1.25 g per application; twice a day
    # 2.5 g, 35 g per 2 weeks.
    est = estimate_amount({"right_upper_arm": 1, "right_lower_arm": 1, "right_hand": 1}, 8, AD)
    assert est.method == "children_table"
    assert est.fingertip_units_per_application == pytest.approx(2.5, abs=TOL)
    assert est.grams_per_application == pytest.approx(1.25, abs=TOL)
    assert est.grams_in(14) == pytest.approx(35.0, abs=TOL)
    assert est.by_body_part["arm_and_hand:right"]["share_marked"] == pytest.approx(1.0, abs=TOL)


def test_child_back_half_worked_example():
    # Age 4 (row 3-5 years), half of the back including the buttocks: 3.5 x 0.5 = 1.75 FTU.
    sel = {"posterior_trunk": 0.5, "right_buttock": 0.5, "left_buttock": 0.5}
    est = estimate_amount(sel, 4, AD)
    assert est.fingertip_units_per_application == pytest.approx(1.75, abs=TOL)
    assert est.grams_per_application == pytest.approx(0.875, abs=TOL)


# The largest step between consecutive rows of Long, Mills and Finlay 1998 for one body
# part: the front of the trunk doubles (3.5 -> 7 FTU) from '6-10 years' to 'adult', and
# one leg and foot goes 2 -> 3 (x1.5) from '1-2' to '3-5 years'.
SOURCE_STEP = max(b / a for rows in (list(LONG_MILLS_FINLAY_1998.values()),)
                  for r0, r1 in zip(rows, rows[1:], strict=False) for a, b in zip(r0, r1,
                                                                                    strict=True))


@settings(max_examples=40, deadline=None)
@given(fractions=st.lists(st.floats(0.01, 1), min_size=33, max_size=33))
def test_no_age_step_changes_the_grams_more_than_the_source_does(fractions):
    # Issue 10, item 2: the method switched to the rule of hand at 11 while the 2-11 cap ran
    # to 12, doubling the grams (1.25 -> 2.5 g). Now: the children's table to 12, a blend to
    # 18, the rule of hand after; a month's step never changes the grams by more than the
    # table's own largest step between rows, and there is no step at 11, 12 or 18.
    f = np.array(fractions)
    ages = np.round(np.arange(0, 25, 1 / 12), 6)
    grams = np.array([estimate_amount(f, a, AD).grams_per_application for a in ages])
    ratios = grams[1:] / grams[:-1]
    assert ratios.max() <= SOURCE_STEP + TOL and ratios.min() >= 1 / SOURCE_STEP - TOL
    for edge in (11, 12, 18):
        before = estimate_amount(f, edge - 1e-6, AD).grams_per_application
        after = estimate_amount(f, edge, AD).grams_per_application
        assert after == pytest.approx(before, rel=CONTINUOUS_GRAMS_REL)


def test_the_blend_is_stated_with_the_estimate():
    est = estimate_amount({"anterior_trunk": 1.0}, 15, AD)
    assert est.method == "blend" and "50%" in est.method_text
    assert any("blend" in a and "convention" in a for a in est.assumptions)


def test_a_label_density_is_used_when_the_label_states_one(monkeypatch):
    import copy

    import bsa.treatment.rule_library as library

    doc = copy.deepcopy(library.load_data(library.RULES_FILE, library.SCHEMA_VERSION))
    new = copy.deepcopy(doc["rules"][0])
    new.update(id="density_test", density={"mg_per_cm2": 2, "words": "2 mg/cm2",
                                           "section": "2"})
    doc["rules"].append(new)
    monkeypatch.setattr(library, "load_data", lambda name, version: doc)
    library._load_rule.cache_clear()
    try:
        # 10% of 2.0 m2 = 2,000 cm2 x 2 mg = 4 g per application
        est = estimate_amount({"anterior_trunk": 10 / 13}, 40, "density_test",
                              body_surface_m2=2.0)
        assert est.method == "label_density"
        assert est.grams_per_application == pytest.approx(4.0, abs=TOL)
        assert est.fingertip_units_per_application is None
        no_size = estimate_amount({"anterior_trunk": 10 / 13}, 40, "density_test")
        assert no_size.method == "rule_of_hand"
        assert any("height and weight" in a for a in no_size.assumptions)
    finally:
        library._load_rule.cache_clear()


def test_methods_and_grams_per_unit():
    sel = {"anterior_trunk": 1.0}
    roh = estimate_amount(sel, 8, AD, method="rule_of_hand")
    assert roh.grams_per_application == pytest.approx(13 * 0.25, abs=TOL)
    table = estimate_amount(sel, 40, AD, method="children_table")
    # adult row: whole front of the trunk (anterior trunk 13 of 14 with genitalia) 7 x 13/14
    assert table.fingertip_units_per_application == pytest.approx(7 * 13 / 14, abs=TOL)
    measured = estimate_amount(sel, 40, AD, ftu_grams=0.43)
    assert measured.grams_per_application == pytest.approx(13 * 0.5 * 0.43, abs=TOL)
    once = estimate_amount(sel, 40, applications_per_day=1)
    assert once.grams_per_day == pytest.approx(13 * 0.25, abs=TOL)
    no_rule = estimate_amount(sel, 40)
    assert no_rule.applications_per_day == 2
    assert any("assumed" in a for a in no_rule.assumptions)
    with pytest.raises(BSAInputError, match="density"):
        estimate_amount(sel, 40, AD, method="label_density")


def test_array_and_mapping_input_agree():
    f = np.zeros(len(PART_NAMES))
    f[PART_INDEX["head:front"]] = 0.5
    f[PART_INDEX["right_thigh:back"]] = 1.0
    sel = {"head:front": 0.5, "right_thigh:back": 1.0}
    for age in (3, 8, 30):
        a = estimate_amount(f, age, AD)
        b = estimate_amount(sel, age, AD)
        assert a.grams_per_application == pytest.approx(b.grams_per_application, abs=TOL)
        assert a.percent_bsa == pytest.approx(b.percent_bsa, abs=TOL)
    regions = np.zeros(len(REGIONS))
    regions[REGION_INDEX["neck"]] = 1.0
    assert estimate_amount(regions, 30).percent_bsa == pytest.approx(2.0, abs=TOL)


@pytest.mark.parametrize(
    "kwargs, match",
    [({"method": "guess"}, "valid methods"), ({"ftu_grams": 0}, "ftu_grams"),
     ({"ftu_grams": "x"}, "ftu_grams"), ({"applications_per_day": -1}, "applications_per_day"),
     ({"rule_id": "nope"}, "valid rules")],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(BSAInputError, match=match):
        estimate_amount({"head": 1.0}, 30, **kwargs)


def test_bad_marks_and_age():
    with pytest.raises(BSAInputError):
        estimate_amount(np.zeros(5), 30)
    with pytest.raises(BSAInputError):
        estimate_amount({"head": 1.5}, 30)
    with pytest.raises(BSAInputError):
        estimate_amount({"elbow": 1.0}, 30)
    with pytest.raises(BSAInputError, match="age"):
        estimate_amount({"head": 1.0}, -2)
    with pytest.raises(BSAInputError, match="limit_index"):
        percent_bsa_where_amount_cap_binds(AD, 30, limit_index=2)


def test_texts_never_say_safe_and_state_assumptions():
    for rule_id in (AD, VIT_US, VIT_EU, None):
        for age in (1, 4, 8, 12, 40):
            for share in (0.0, 0.3, 1.0):
                est = estimate_amount({"anterior_trunk": share, "right_thigh": share}, age,
                                      rule_id)
                text = est.to_text() + json.dumps(est.to_dict())
                assert "safe" not in text.lower()
                assert any("fingertip unit" in a for a in est.assumptions)
                assert "estimate" in est.to_text()


# --- invariants -------------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(fractions=st.lists(st.floats(0, 1), min_size=33, max_size=33),
       age=st.floats(0, 100), scale=st.floats(0, 1))
def test_amount_invariants(fractions, age, scale):
    f = np.array(fractions)
    est = estimate_amount(f, age, AD)
    smaller = estimate_amount(f * scale, age, AD)
    assert smaller.grams_per_application <= est.grams_per_application + TOL
    assert est.grams_per_day == pytest.approx(2 * est.grams_per_application, abs=TOL)
    assert est.grams_per_week == pytest.approx(7 * est.grams_per_day, abs=TOL)
    if est.method == "rule_of_hand":
        assert est.grams_per_application == pytest.approx(0.25 * est.percent_bsa, abs=TOL)
    elif est.method == "children_table":
        whole_body = grams_per_percent_bsa(age) * 100
        assert est.grams_per_application <= whole_body + TOL


def test_the_amount_at_another_total_of_the_same_marks():
    # Rule of hand: 0.25 g per 1% (Long, Finlay and Averill 1992): 20% takes 5 g.
    adult = estimate_amount({"anterior_trunk": 10 / 13}, 40, "opzelura_us_atopic_dermatitis")
    at_20 = adult.at_percent(20.0)
    assert at_20.grams_per_application == pytest.approx(5.0, abs=TOL)
    assert at_20.fingertip_units_per_application == pytest.approx(10.0, abs=TOL)
    assert at_20.grams_per_week == pytest.approx(5.0 * 2 * 7, abs=TOL)
    assert at_20.grams_per_application_measured == (pytest.approx(4.3, abs=TOL), pytest.approx(4.9, abs=TOL))
    assert at_20.percent_bsa == 20.0 and at_20.method == adult.method
    assert adult.at_percent(adult.percent_bsa) is adult
    # nothing marked: the whole body evenly, so a palm count still gives grams
    nothing = estimate_amount({}, 40)
    assert nothing.at_percent(4.0).grams_per_application == pytest.approx(1.0, abs=TOL)
    with pytest.raises(BSAInputError, match="out of range"):
        adult.at_percent(101.0)
