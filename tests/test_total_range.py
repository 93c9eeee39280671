"""The total as a range: every applicable chart, low and high, and whether the verdict holds.

Each worked case is computed by hand next to it (adult Lund-Browder: anterior trunk 13,
hand 2.5; adult rule of nines: anterior trunk 18, arm 9 split by the Lund-Browder
proportions, hand 9 x 2.5 / 9.5; Neaman 2011 obese: trunk 40 split 13/32 to the anterior
trunk = 16.25).
"""

import json
import math
from datetime import date

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from tolerance import TOL

import bsa
from bsa.cli import main
from bsa.core.regions import PART_NAMES, REGION_INDEX, REGIONS
from bsa.records.assessment import Assessment
from bsa.report.content import map_content
from bsa.treatment.cream_amount import estimate_amount
from bsa.treatment.label_rules import load_rule
from bsa.treatment.limits import check_rule_at_totals

AD = "opzelura_us_atopic_dermatitis"
VIT_EU = "opzelura_eu_vitiligo"


def one_region(name: str, share: float = 1.0) -> np.ndarray:
    f = np.zeros(len(REGIONS))
    f[REGION_INDEX[name]] = share
    return f


# --- worked cases ----------------------------------------------------------------------------

def test_the_verdict_flips_between_charts():
    # EU vitiligo, adult, 60% of the anterior trunk. Lund-Browder: 13 x 0.6 = 7.8%, below
    # where "near" starts (80% of the 10% limit = 8%); cream by the rule of hand 7.8 x 0.25 g
    # twice daily for 30 days = 117 g of the 200 g/month cap: within. Rule of nines:
    # 18 x 0.6 = 10.8%: above the 10% limit.
    r = bsa.estimate_range({"anterior_trunk": 0.6}, 30, rule_id=VIT_EU)
    assert r.by_chart == pytest.approx({"lund_browder": 7.8, "lund_browder_banded": 7.8,
                                        "rule_of_nines": 10.8}, abs=TOL)
    assert [c.verdict for c in r.charts] == ["within", "within", "above"]
    assert (r.low, r.high) == (pytest.approx(7.8, abs=TOL), pytest.approx(10.8, abs=TOL))
    assert r.verdict_holds is False
    assert r.sentence == ("The verdict depends on the chart: the total is 7.8% by Lund-Browder "
                          "(within the limits) and 10.8% by the rule of nines (above a limit).")


def test_an_adult_near_the_20_percent_limit_keeps_the_verdict_the_amount_decides():
    # US atopic dermatitis, adult: anterior trunk and right hand. Lund-Browder 13 + 2.5 =
    # 15.5% (78% of the 20% limit: within); rule of nines 18 + 9 x 2.5 / 9.5 = 20.37%
    # (above). The area state flips, but the adult cap of 100 g per 2 weeks is reached at
    # 100 / 14 / 2 / 0.25 = 14.3%: both are "above" by the amount (15.5 x 0.25 x 2 x 14 =
    # 108.5 g), so the verdict is the same under every chart.
    marks = {"anterior_trunk": 1.0, "right_hand": 1.0}
    ron = 18 + 9 * 2.5 / 9.5
    r = bsa.estimate_range(marks, 40, rule_id=AD)
    assert r.by_chart["lund_browder"] == pytest.approx(15.5, abs=TOL)
    assert r.by_chart["rule_of_nines"] == pytest.approx(ron, abs=TOL)
    assert r.verdict_holds is True and {c.verdict for c in r.charts} == {"above"}
    assert r.sentence == ("The verdict is the same under every chart (above a limit): the total "
                          "is 15.5% to 20.4% by chart.")
    fractions = bsa.selection_to_fractions(marks)
    checks = check_rule_at_totals(load_rule(AD), r.by_chart, age=40,
                                  treated_fractions=fractions,
                                  amount=estimate_amount(fractions, 40, AD))
    assert checks["lund_browder"].area.state == "within"
    assert checks["rule_of_nines"].area.state == "above"
    fortnight = [s for s in checks["rule_of_nines"].limits if s.limit.period_days == 14][0]
    assert fortnight.used == pytest.approx(ron * 0.25 * 2 * 14, abs=TOL)  # the amount follows the chart


def test_the_body_shape_chart_for_obese_adults():
    # 170 cm: 100 kg is BMI 34.6 (obese: trunk 40, anterior trunk 16.25); 130 kg is BMI 45.0
    # (morbidly obese: trunk 45, anterior trunk 45 x 13 / 32 = 18.28125).
    r = bsa.estimate_range({"anterior_trunk": 1.0}, 45, height_cm=170, weight_kg=100)
    assert r.body_mass_index == pytest.approx(100 / 1.7**2, abs=TOL)
    assert r.body_shape_class == "obese"
    assert r.by_chart["body_shape_neaman_2011"] == pytest.approx(16.25, abs=TOL)
    assert (r.low, r.high) == (13.0, 18.0)
    c = r.chart("body_shape_neaman_2011")
    assert c.status == "secondary" and "10.1097/BCR.0b013e318217f8c6" in c.source
    assert "abstract" in c.source and "WHO" in c.note
    heavy = bsa.estimate_range({"anterior_trunk": 1.0}, 45, height_cm=170, weight_kg=130)
    assert heavy.body_shape_class == "morbidly_obese"
    assert heavy.high == pytest.approx(45 * 13 / 32, abs=TOL) == 18.28125


@pytest.mark.parametrize("age, height, weight, reason", [
    (45, None, None, "needs height and weight"),
    (45, 170, 80, "this BMI is 27.7"),       # overweight: no row in the abstract
    (17, 170, 100, "18 years and over"),      # not an adult
])
def test_the_body_shape_chart_is_left_out_with_the_reason(age, height, weight, reason):
    r = bsa.estimate_range({"anterior_trunk": 1.0}, age, height_cm=height, weight_kg=weight)
    assert "body_shape_neaman_2011" not in r.by_chart and r.body_shape_class is None
    assert any(reason in text for text in r.not_used)


def test_the_rule_of_nines_switches_at_its_intended_age():
    # The adult form from 10 years (its file's intended_ages), the paediatric form below.
    young = bsa.estimate_range({"head": 1.0}, 9.99)
    assert "rule_of_nines" not in young.by_chart
    assert {"rule_of_nines_paediatric", "rule_of_nines_paediatric_banded"} <= set(young.by_chart)
    assert any("meant for 10 years and over" in t for t in young.not_used)
    ten = bsa.estimate_range({"head": 1.0}, 10)
    assert "rule_of_nines" in ten.by_chart
    assert "rule_of_nines_paediatric" not in ten.by_chart
    # paediatric head and neck at 5 years: 14%, split by Lund-Browder at 5 (13 of 15 head)
    five = bsa.estimate_range({"head": 1.0}, 5)
    assert five.by_chart["rule_of_nines_paediatric"] == pytest.approx(14 * 13 / 15, abs=TOL)
    assert five.by_chart["lund_browder"] == pytest.approx(13.0, abs=TOL)


def test_the_palm_count_adds_its_published_spread():
    # Child, 6 hands: 0.82% (Perry 1996, secondary) to 1.06% (Agarwal and Sahu 2010) a hand:
    # 4.92% to 6.36%. Adult man, 10 hands: 0.8% (Rossiter 1996, men) to the 1% convention;
    # a woman 0.7% (Rossiter, women).
    child = bsa.estimate_range({"head": 0.5}, 8, palm_count=6)
    assert child.by_chart["palm_method_low"] == pytest.approx(4.92, abs=TOL)
    assert child.by_chart["palm_method_high"] == pytest.approx(6.36, abs=TOL)
    assert child.chart("palm_method_low").status == "secondary"  # Perry 1996, via BestBets
    man = bsa.estimate_range({"anterior_trunk": 0.5}, 40, palm_count=10, sex="male")
    assert man.by_chart["palm_method_low"] == pytest.approx(8.0, abs=TOL)
    assert man.by_chart["palm_method_high"] == pytest.approx(10.0, abs=TOL)
    assert "the convention" in man.chart("palm_method_high").note
    assert man.chart("palm_method_low").status == "verified"
    woman = bsa.estimate_range({"anterior_trunk": 0.5}, 40, palm_count=10, sex="female")
    assert woman.by_chart["palm_method_low"] == pytest.approx(7.0, abs=TOL)
    assert woman.low == pytest.approx(6.5, abs=TOL)  # Lund-Browder 13 x 0.5


def test_without_a_rule_the_sentence_gives_the_range():
    r = bsa.estimate_range({"anterior_trunk": 0.6}, 30)
    assert r.verdict_holds is None and all(c.verdict is None for c in r.charts)
    assert r.sentence == "By chart, the total is 7.8% (Lund-Browder) to 10.8% (the rule of nines)."
    nothing = bsa.estimate_range({}, 30)
    assert nothing.sentence == "Every chart that applies gives 0.0%."


def test_to_dict_is_what_the_page_needs():
    r = bsa.estimate_range({"anterior_trunk": 0.6}, 30, rule_id=VIT_EU, height_cm=170,
                           weight_kg=100, palm_count=8)
    d = json.loads(json.dumps(r.to_dict(), allow_nan=False))
    assert {"low", "high", "by_chart", "verdict_holds", "sentence", "charts",
            "how_estimated"} <= set(d)
    assert set(d["by_chart"]) == {c["id"] for c in d["charts"]}
    assert all(c["title"] and c["source"] and c["verdict_words"] for c in d["charts"])
    assert "Harish" in d["how_estimated"] and "Cheah" in d["how_estimated"]
    assert "10.1016/j.burns.2014.05.005" in d["how_estimated"]
    assert "10.1186/s41038-018-0109-0" in d["how_estimated"]


# --- invariants ------------------------------------------------------------------------------

halves = st.lists(st.sampled_from([0.0, 0.0, 0.1, 0.5, 1.0]), min_size=len(PART_NAMES),
                  max_size=len(PART_NAMES))
body = st.one_of(st.none(), st.tuples(st.floats(140, 200), st.floats(40, 250)))
palms = st.one_of(st.none(), st.floats(0, 60))


@given(f=halves, age=st.floats(0, 120), hw=body, palm=palms,
       rule=st.sampled_from([None, AD, VIT_EU]))
def test_low_and_high_hold_every_chart_and_lund_browder_is_the_estimate(f, age, hw, palm, rule):
    f = np.array(f)
    height, weight = hw if hw is not None else (None, None)
    r = bsa.estimate_range(f, age, height_cm=height, weight_kg=weight, palm_count=palm,
                           rule_id=rule)
    totals = list(r.by_chart.values())
    assert all(r.low <= t <= r.high for t in totals)
    assert r.low in totals and r.high in totals
    assert r.by_chart["lund_browder"] == bsa.estimate(f, age).percent_bsa  # exactly
    assert r.by_chart["lund_browder_banded"] == bsa.estimate(f, age, age_mode="banded").percent_bsa
    assert r.reference == "lund_browder"
    if rule is not None:
        assert r.verdict_holds == (len({c.verdict for c in r.charts}) == 1)


@given(f=arrays(float, (4, 19), elements=st.floats(0, 1)), age=arrays(float, 4, elements=st.floats(0, 120)),
       bmi=arrays(float, 4, elements=st.floats(5, 250)), palm=arrays(float, 4, elements=st.floats(0, 60)),
       sex=st.sampled_from([None, "female", "male"]))
def test_the_cohort_agrees_with_one_patient_at_a_time(f, age, bmi, palm, sex):
    low, high, by_chart = bsa.percent_bsa_range(f, age, bmi=bmi, palm_count=palm, sex=sex)
    assert np.all(low <= high)
    for i in range(4):
        # a height and weight with exactly this BMI
        r = bsa.estimate_range(dict(zip(REGIONS, f[i], strict=True)), age[i], height_cm=100.0,
                               weight_kg=bmi[i], palm_count=palm[i], sex=sex)
        assert low[i] == pytest.approx(r.low, abs=TOL)
        assert high[i] == pytest.approx(r.high, abs=TOL)
        for entry in bsa.RANGE_CHARTS:
            if entry in r.by_chart:
                assert by_chart[entry][i] == pytest.approx(r.by_chart[entry], abs=TOL)
            else:
                assert math.isnan(by_chart[entry][i])


@given(f=arrays(float, 19, elements=st.floats(0, 1)), age=st.floats(0, 120),
       bmi=st.floats(5, 250), i=st.integers(0, 18), extra=st.floats(0, 1))
def test_low_and_high_never_decrease_when_a_fraction_grows(f, age, bmi, i, extra):
    before = bsa.percent_bsa_range(f, age, bmi=bmi)
    g = f.copy()
    g[i] = min(1.0, g[i] + extra)
    after = bsa.percent_bsa_range(g, age, bmi=bmi)
    assert after.low >= before.low - TOL and after.high >= before.high - TOL
    assert 0 <= before.low <= before.high <= 100 + TOL


# --- cohorts: shapes and bad input -----------------------------------------------------------

def test_scalar_in_scalar_out_and_shapes_broadcast():
    f = np.random.default_rng(3).random(19)
    one = bsa.percent_bsa_range(f, 40, bmi=35, palm_count=5)
    assert isinstance(one.low, float) and isinstance(one.high, float)
    assert all(isinstance(v, float) for v in one.by_chart.values())
    for shape in [(6,), (2, 3)]:
        tiled = bsa.percent_bsa_range(np.tile(f, shape + (1,)), np.full(shape, 40.0),
                                      bmi=np.full(shape, 35.0), palm_count=5)
        assert tiled.low.shape == shape and tiled.high.shape == shape
        np.testing.assert_allclose(tiled.low, one.low, atol=TOL)
        np.testing.assert_allclose(tiled.high, one.high, atol=TOL)
        for entry, v in tiled.by_chart.items():
            assert v.shape == shape
            np.testing.assert_allclose(v, one.by_chart[entry], atol=TOL)
    # one age and one BMI for many patients; many ages for one set of marks
    many = bsa.percent_bsa_range(np.tile(f, (5, 1)), 40, bmi=35)
    assert many.low.shape == (5,)
    ages = bsa.percent_bsa_range(f, [2.0, 40.0, 90.0])
    assert ages.low.shape == (3,)
    assert np.isnan(ages.by_chart["rule_of_nines"][0]) and not np.isnan(ages.by_chart["rule_of_nines"][1])
    assert "palm_method_low" not in ages.by_chart  # no palm count: no palm entries


def test_halves_and_regions_give_the_same_range():
    rng = np.random.default_rng(5)
    regions = rng.random((50, 19))
    ages = rng.uniform(0, 100, 50)
    bmis = rng.uniform(15, 60, 50)
    halves_f = np.zeros((50, 33))
    for j, p in enumerate(PART_NAMES):
        halves_f[:, j] = regions[:, REGION_INDEX[p.split(":")[0]]]
    a = bsa.percent_bsa_range(regions, ages, bmi=bmis)
    b = bsa.percent_bsa_range(halves_f, ages, bmi=bmis)
    np.testing.assert_allclose(a.low, b.low, atol=TOL)
    np.testing.assert_allclose(a.high, b.high, atol=TOL)


def test_the_cohort_reads_lund_browder_like_percent_bsa():
    rng = np.random.default_rng(7)
    f = rng.random((40_000, 19))  # more than one block of rows
    ages = rng.uniform(0, 120, 40_000)
    by_chart = bsa.percent_bsa_range(f, ages).by_chart
    np.testing.assert_allclose(by_chart["lund_browder"], bsa.percent_bsa(f, ages), atol=TOL)
    np.testing.assert_allclose(by_chart["lund_browder_banded"],
                               bsa.percent_bsa(f, ages, age_mode="banded"), atol=TOL)
    young = ages < 10
    np.testing.assert_allclose(by_chart["rule_of_nines_paediatric"][young],
                               bsa.percent_bsa(f[young], ages[young], "rule_of_nines_paediatric"),
                               atol=TOL)


@pytest.mark.parametrize("kwargs, match", [
    (dict(age=np.nan), "age"),
    (dict(age=[30, np.inf]), "age"),
    (dict(age=30, bmi=np.nan), "BMI"),
    (dict(age=30, bmi=[30, np.inf]), "BMI"),
    (dict(age=30, bmi=300), "BMI"),
    (dict(age=30, palm_count=np.nan), "palm count"),
    (dict(age=30, palm_count=-1), "palm count"),
    (dict(age=30, sex="other"), "sex"),
    (dict(age=[30, 40, 50]), "do not match"),
    (dict(age=30, bmi=[30, 31, 32]), "do not match"),
])
def test_the_cohort_refuses_bad_input(kwargs, match):
    f = np.full((2, 19), 0.5)
    with pytest.raises(bsa.BSAInputError, match=match):
        bsa.percent_bsa_range(f, **kwargs)


@pytest.mark.parametrize("fractions, match", [
    (np.full((2, 19), np.nan), "fraction"),
    (np.full((2, 19), 1.5), "fraction"),
    (np.full((2, 20), 0.5), "last axis"),
    (0.5, "last axis"),
    ([["a"] * 19], "numbers"),
])
def test_the_cohort_refuses_bad_fractions(fractions, match):
    with pytest.raises(bsa.BSAInputError, match=match):
        bsa.percent_bsa_range(fractions, 30)


@pytest.mark.parametrize("kwargs, match", [
    (dict(age=np.nan), "age"),
    (dict(age=[30, 40]), "one age"),
    (dict(age=30, sex="x"), "sex"),
    (dict(age=30, height_cm=np.nan, weight_kg=80), "height"),
    (dict(age=30, weight_kg=-3), "weight"),
    (dict(age=30, height_cm=20, weight_kg=700), "BMI"),
    (dict(age=30, palm_count=np.inf), "palm count"),
    (dict(age=30, rule_id="no_such_rule"), "rule"),
    (dict(age=30, palm_with_fingers="yes"), "palm_with_fingers"),
])
def test_estimate_range_refuses_bad_input(kwargs, match):
    with pytest.raises(bsa.BSAInputError, match=match):
        bsa.estimate_range({"head": 1.0}, **kwargs)


def test_estimate_range_refuses_bad_marks():
    with pytest.raises(bsa.BSAInputError, match="unknown region"):
        bsa.estimate_range({"elbow": 1.0}, 30)
    with pytest.raises(bsa.BSAInputError, match="33 halves"):
        bsa.estimate_range(np.zeros(19), 30)


# --- the evaluation, the command line and the map carry the range ----------------------------

def flip_assessment(**kw) -> Assessment:
    return Assessment(age_years=30, rule_id=VIT_EU, shares={"anterior_trunk": 0.6}, **kw)


def test_the_evaluation_carries_the_range():
    ev = bsa.evaluate(flip_assessment(height_cm=170, weight_kg=100, palm_count=8))
    r = bsa.estimate_range({"anterior_trunk": 0.6}, 30, rule_id=VIT_EU, height_cm=170,
                           weight_kg=100, palm_count=8)
    assert ev.range.by_chart == r.by_chart and ev.range.sentence == r.sentence
    assert ev.range.chart(ev.range.reference).percent_bsa == ev.percent_bsa
    assert ev.range.chart(ev.range.reference).verdict == ev.verdict == "within"
    assert ev.to_dict()["range"]["verdict_holds"] is False
    # the chosen chart is the reference the sentence starts from
    ron = bsa.evaluate(flip_assessment(chart="rule_of_nines"))
    assert ron.range.reference == "rule_of_nines" and ron.verdict == "above"
    assert ron.range.sentence.startswith("The verdict depends on the chart: the total is 10.8% "
                                         "by the rule of nines (above a limit)")


def test_check_range_json(capsys):
    assert main(["check", "--age", "30", "--rule", VIT_EU, "anterior_trunk=0.6", "--range",
                 "--json"]) == 0
    rng = json.loads(capsys.readouterr().out)["range"]
    assert rng["low"] == pytest.approx(7.8, abs=TOL) and rng["high"] == pytest.approx(10.8, abs=TOL)
    assert rng["by_chart"] == pytest.approx({"lund_browder": 7.8, "lund_browder_banded": 7.8,
                                             "rule_of_nines": 10.8}, abs=TOL)
    assert rng["verdict_holds"] is False


def test_check_range_text_lists_each_chart_and_how_it_is_estimated(capsys):
    assert main(["check", "--age", "30", "--rule", VIT_EU, "anterior_trunk=0.6", "--range",
                 "--height", "170", "--weight", "100"]) == 0
    out = capsys.readouterr().out
    assert "Range: The verdict depends on the chart" in out
    assert " 9.75%  Body-shape chart by BMI class (Neaman et al. 2011): obese (secondary source)" in out
    assert "[ABOVE]" in out and "How this is estimated" in out


def test_estimate_range_json_and_without_range(capsys):
    assert main(["estimate", "--age", "45", "anterior_trunk=1", "--range", "--height", "170",
                 "--weight", "100", "--palms", "10", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["percent_bsa"] == 13.0
    rng = data["range"]
    assert rng["by_chart"]["body_shape_neaman_2011"] == pytest.approx(16.25, abs=TOL)
    assert rng["low"] == pytest.approx(7.0, abs=TOL) and rng["high"] == pytest.approx(18.0, abs=TOL)
    assert rng["verdict_holds"] is None
    assert main(["estimate", "--age", "45", "anterior_trunk=1", "--json"]) == 0
    assert "range" not in json.loads(capsys.readouterr().out)
    assert main(["estimate", "--age", "45", "anterior_trunk=1", "--range"]) == 0
    out = capsys.readouterr().out
    assert "Range: By chart, the total is 13.0% (Lund-Browder) to 18.0% (the rule of nines)." in out
    assert "Not used: Body-shape chart" in out


def test_the_map_prints_the_range_under_the_total_and_on_the_gauge():
    ev = bsa.evaluate(flip_assessment())
    c = map_content(ev, date(2026, 3, 14))
    assert c.range_text == ev.range.sentence and c.range_depends
    assert (c.gauge.low, c.gauge.high) == (pytest.approx(7.8, abs=TOL), pytest.approx(10.8, abs=TOL))
    assert ev.range.sentence in c.text()
    nothing = map_content(bsa.evaluate(Assessment(age_years=30, rule_id=VIT_EU)), date(2026, 3, 14))
    assert nothing.range_text == "" and nothing.gauge.low is None
