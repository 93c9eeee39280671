"""The body-shape chart (Neaman et al. 2011): published numbers, mapping, BMI classes."""

import copy
import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tolerance import TOL

import bsa
from bsa.core.body_shape import check_bmi, read_body_shape_doc
from bsa.core.regions import REGION_INDEX, REGIONS, mirror
from bsa.data import data_path

# Neaman KC et al. J Burn Care Res 2011;32(3):421-428, abstract (PubMed 21562463), typed by
# hand: "assigning 5% of the TBSA to the head and 15% of the TBSA to the arms across all BMI
# groups, while alternating the contribution of the trunk/legs as follows: normal-weight
# 35/45%, obese 40/40%, and morbidly obese 45/35%."
NEAMAN_2011_ABSTRACT = {
    "normal_weight": {"head": 5, "arms": 15, "trunk": 35, "legs": 45},
    "obese": {"head": 5, "arms": 15, "trunk": 40, "legs": 40},
    "morbidly_obese": {"head": 5, "arms": 15, "trunk": 45, "legs": 35},
}
# The project's mapping of the abstract's segments onto the 19 regions (see the data file).
SEGMENT_REGIONS = {
    "head": ["head", "neck"],
    "arms": [f"{s}_{p}" for s in ("right", "left") for p in ("upper_arm", "lower_arm", "hand")],
    "trunk": ["anterior_trunk", "posterior_trunk", "right_buttock", "left_buttock", "genitalia"],
    "legs": [f"{s}_{p}" for s in ("right", "left") for p in ("thigh", "lower_leg", "foot")],
}


def _segment(chart, names):
    return float(sum(chart.region_table[0, REGION_INDEX[r]] for r in names))


@pytest.mark.parametrize("class_id", list(NEAMAN_2011_ABSTRACT))
def test_each_class_gives_the_published_segments(class_id):
    chart = bsa.load_body_shape_chart().bmi_class(class_id).chart
    for segment, published in NEAMAN_2011_ABSTRACT[class_id].items():
        assert _segment(chart, SEGMENT_REGIONS[segment]) == pytest.approx(published, abs=TOL)
    assert sorted(r for names in SEGMENT_REGIONS.values() for r in names) == sorted(REGIONS)


@pytest.mark.parametrize("class_id", list(NEAMAN_2011_ABSTRACT))
def test_each_class_is_symmetric(class_id):
    # That each class covers the body once (sums to 100) the loader enforces: see
    # test_a_class_that_does_not_sum_to_100_is_refused.
    chart = bsa.load_body_shape_chart().bmi_class(class_id).chart
    for r in REGIONS:
        assert chart.region_table[0, REGION_INDEX[r]] == pytest.approx(
            chart.region_table[0, REGION_INDEX[mirror(r)]], abs=TOL)


def test_groups_are_split_by_the_adult_lund_browder_proportions():
    # Project convention (as the rule-of-nines files): adult Lund-Browder head 7, neck 2;
    # upper arm 4, forearm 3, hand 2.5; trunk 13 + 13 + 2.5 + 2.5 + 1 = 32.
    obese = bsa.load_body_shape_chart().bmi_class("obese").chart.region_table[0]
    w = {r: float(obese[REGION_INDEX[r]]) for r in REGIONS}
    assert w["head"] == pytest.approx(5 * 7 / 9, abs=TOL) and w["neck"] == pytest.approx(5 * 2 / 9, abs=TOL)
    assert w["right_upper_arm"] == pytest.approx(7.5 * 4 / 9.5, abs=TOL)
    assert w["right_hand"] == pytest.approx(7.5 * 2.5 / 9.5, abs=TOL)
    assert w["anterior_trunk"] == pytest.approx(40 * 13 / 32, abs=TOL) == 16.25
    assert w["genitalia"] == pytest.approx(40 / 32, abs=TOL)
    # obese legs are 40 = the adult Lund-Browder legs: the same regional values
    assert w["right_thigh"] == pytest.approx(9.5, abs=TOL) and w["right_foot"] == pytest.approx(3.5, abs=TOL)


def test_provenance_is_the_abstract_and_says_what_is_the_projects_reading():
    shape = bsa.load_body_shape_chart()
    assert shape.status == "secondary" and shape.read_from == "abstract"
    assert shape.source["doi"] == "10.1097/BCR.0b013e318217f8c6"
    assert "J Burn Care Res 2011;32(3):421-428" in shape.source["citation"]
    assert "163" in shape.population
    assert "WHO" in shape.bmi_classes_source and "project's reading" in shape.bmi_classes_source
    assert all(c.chart.status == "secondary" for c in shape.classes)
    left_out = " ".join(x["citation"] + x["why"] for x in shape.left_out)
    assert "Livingston" in left_out and "102" in left_out
    doc = json.loads(data_path("body_shape_neaman_2011.json").read_text(encoding="utf-8"))
    assert doc["read_from"] == "abstract" and doc["source"]["status"] == "secondary"
    assert doc["range_from_bmi"] == 30


@pytest.mark.parametrize("bmi, class_id", [
    (18.5, "normal_weight"), (24.99, "normal_weight"), (25.0, None), (29.99, None),
    (30.0, "obese"), (39.99, "obese"), (40.0, "morbidly_obese"), (80.0, "morbidly_obese"),
    (17.0, None),
])
def test_bmi_classes_are_the_who_classes(bmi, class_id):
    found = bsa.load_body_shape_chart().class_for(bmi)
    assert (None if found is None else found.id) == class_id


def test_unknown_class_lists_the_valid_ones():
    with pytest.raises(bsa.BSAInputError, match="normal_weight, obese, morbidly_obese"):
        bsa.load_body_shape_chart().bmi_class("overweight")


def test_a_class_that_does_not_sum_to_100_is_refused():
    doc = json.loads(data_path("body_shape_neaman_2011.json").read_text(encoding="utf-8"))
    bad = copy.deepcopy(doc)
    bad["groups"]["trunk"]["percent"]["obese"] = [41]
    with pytest.raises(bsa.BSAInputError, match="'obese'.*sums to 101"):
        read_body_shape_doc(bad)
    bad = copy.deepcopy(doc)
    bad["groups"]["trunk"]["regions"].remove("genitalia")
    with pytest.raises(bsa.BSAInputError, match="genitalia"):
        read_body_shape_doc(bad)
    bad = copy.deepcopy(doc)
    del bad["bmi_classes"]["obese"]["bmi_min"]
    with pytest.raises(bsa.BSAInputError, match="malformed"):
        read_body_shape_doc(bad)


@pytest.mark.parametrize("weight, height", [(np.nan, 170), (80, np.inf), (-1, 170), (80, 5),
                                            ("heavy", 170)])
def test_body_mass_index_refuses_bad_input(weight, height):
    with pytest.raises(bsa.BSAInputError):
        bsa.body_mass_index(weight, height)


@pytest.mark.parametrize("bmi", [np.nan, np.inf, -np.inf, 0, 4.9, 251, "thirty", [30, np.nan]])
def test_check_bmi_refuses_bad_values(bmi):
    with pytest.raises(bsa.BSAInputError, match="BMI"):
        check_bmi(bmi)


@given(f=st.lists(st.floats(0, 1), min_size=19, max_size=19),
       class_id=st.sampled_from(list(NEAMAN_2011_ABSTRACT)))
def test_class_charts_work_with_the_core(f, class_id):
    chart = bsa.load_body_shape_chart().bmi_class(class_id).chart
    total = bsa.percent_bsa(np.array(f), 40, chart)
    assert 0 <= total <= 100 + TOL
    assert total == pytest.approx(float(np.dot(f, chart.region_table[0])), abs=TOL)
