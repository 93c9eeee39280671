"""Label rules and thresholds: the label's numbers (hand-typed), boundaries, wording, CLI."""

import copy
import json
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bsa.treatment.label_rules as lr
from bsa.cli import main
from bsa.errors import BSAInputError
from bsa.treatment.label_rules import available_rules, check, load_rule
from bsa.treatment.thresholds import available_schemes, classify

AD = "opzelura_us_atopic_dermatitis"
VIT_US = "opzelura_us_vitiligo"
VIT_EU = "opzelura_eu_vitiligo"

# Hand-typed from the US prescribing information (Sept 2025 revision; section 2.1 as
# reproduced verbatim by a prescriber reference), the patient leaflet (2-11 years cap), the
# maker's prescriber site (US vitiligo cap) and the EU SmPC 2023 section 4.2.
# (jurisdiction, min age, max %BSA, applications/day, [(age group from, to, [(g, days)], kind)])
LABEL_TABLE = {
    AD: ("US", 2, 20, 2, [
        (12, None, [(60, 7), (100, 14)], "label"),
        (2, 12, [(60, 14)], "secondary"),
    ]),
    VIT_US: ("US", 12, 10, 2, [(12, None, [(60, 7)], "secondary")]),
    VIT_EU: ("EU", 12, 10, 2, [(12, None, [(200, 30)], "label")]),
}
AD_12_PLUS_WORDS = (
    "Do not use more than one 60 gram tube of OPZELURA per week or one 100 gram tube per 2 weeks."
)
AD_2_11_WORDS = "Do not use more than 1 tube (60 grams) of this medicine per 2 weeks"


def all_texts(c) -> list[str]:
    d = c.to_dict()
    return [json.dumps(d), *(np.atleast_1d(c.headline).tolist()),
            *(np.atleast_1d(c.age_message).tolist())]


# --- the label's numbers ------------------------------------------------------------------

def test_available_rules():
    assert set(available_rules()) >= {AD, VIT_US, VIT_EU}


@pytest.mark.parametrize("rule_id", sorted(LABEL_TABLE))
def test_rule_numbers_match_the_label(rule_id):
    jurisdiction, min_age, max_pct, per_day, caps = LABEL_TABLE[rule_id]
    rule = load_rule(rule_id)
    assert rule.id == rule_id
    assert rule.jurisdiction == jurisdiction
    assert rule.min_age_years == min_age
    assert rule.max_age_years is None
    assert rule.max_percent_bsa == max_pct
    assert rule.frequency_per_day == per_day
    assert rule.strength.endswith("1.5%") or "(1.5%)" in rule.strength
    assert "ruxolitinib" in rule.product.lower()
    got = [
        (c.min_age_years, c.max_age_years, [(lim.grams, lim.period_days) for lim in c.limits],
         c.source_kind)
        for c in rule.amount_caps
    ]
    assert got == caps
    assert rule.source and rule.section and rule.label_revision


def test_atopic_dermatitis_words_and_revision():
    rule = load_rule(AD)
    cap12 = rule.amount_cap_for(12)
    assert cap12.label_text == AD_12_PLUS_WORDS
    assert cap12.grams == 60 and cap12.period_days == 7
    cap2 = rule.amount_cap_for(2)
    assert cap2.label_text.startswith(AD_2_11_WORDS)
    assert cap2.source_kind == "secondary" and cap2.is_secondary
    assert rule.label_revision == "2025-09"
    assert "September 2025" in rule.label_revision_text
    assert any("30 June 2026" in t for t in rule.later_revisions_not_transcribed)
    assert "non-immunocompromised" in rule.indication_text
    assert "20% body surface area" in rule.area_text


def test_questions_cover_the_limitations_of_use():
    for rule_id in (AD, VIT_US):
        rule = load_rule(rule_id)
        text = " ".join(rule.questions).lower()
        for word in ("biologic", "jak inhibitor", "azathioprine", "cyclosporine"):
            assert word in text
        assert any("azathioprine" in t for t in rule.limitations_of_use)
        assert rule.exclusions == rule.questions
    assert "immune" in " ".join(load_rule(AD).questions).lower()
    assert "facial" in load_rule(VIT_EU).indication.lower()


def test_unknown_rule_lists_valid_ids():
    with pytest.raises(BSAInputError, match="valid rules are: .*opzelura_us_vitiligo"):
        load_rule("opzelura_us_psoriasis")
    with pytest.raises(BSAInputError, match="valid rules"):
        check(5, 30, "nope")
    with pytest.raises(BSAInputError, match="valid rules"):
        load_rule(["not", "a", "string"])
    assert lr.get_rule(AD) is load_rule(AD)


# --- area boundaries ------------------------------------------------------------------------

@pytest.mark.parametrize(
    "percent, state, words",
    [
        (0.0, "within", "Within the label's 20% area limit"),
        (15.99, "within", "Within the label's 20% area limit"),
        (16.0, "near", "Within the label's 20% area limit, close to it"),
        (19.99, "near", "Within the label's 20% area limit, close to it"),
        (20.0, "near", "At the label's 20% area limit"),
        (20.000000000000004, "near", "At the label's 20% area limit"),  # rounding in a sum
        (20.0000001, "above", "Above the label's 20% area limit: discuss with your doctor"),
        (20.01, "above", "Above the label's 20% area limit: discuss with your doctor"),
        (100.0, "above", "Above the label's 20% area limit: discuss with your doctor"),
    ],
)
def test_twenty_percent_boundaries(percent, state, words):
    c = check(percent, 30, AD)
    assert c.area_state == state
    assert c.headline == words
    assert c.margin_points == pytest.approx(20.0 - percent)
    assert c.share_of_limit == pytest.approx(percent / 20.0)
    assert c.limit_percent == 20 and c.near_from_percent == 16


def test_vitiligo_ten_percent_and_near_fraction():
    assert check(10.0, 30, VIT_US).area_state == "near"
    assert check(10.01, 30, VIT_EU).area_state == "above"
    assert check(7.99, 30, VIT_US).area_state == "within"
    assert check(8.0, 30, VIT_US).area_state == "near"
    c = check(9.0, 30, VIT_US, near_fraction=0.95)
    assert c.area_state == "within" and c.near_from_percent == pytest.approx(9.5)
    assert check(10.0, 30, VIT_US, near_fraction=1.0).area_state == "near"


@pytest.mark.parametrize(
    "rule_id, age, eligible",
    [(AD, 1.99, False), (AD, 2.0, True), (AD, 11.99, True), (AD, 12, True), (AD, 0, False),
     (VIT_US, 11.99, False), (VIT_US, 12.0, True), (VIT_EU, 11.99, False), (VIT_EU, 12, True),
     (VIT_EU, 90, True)],
)
def test_age_boundaries_are_verdicts(rule_id, age, eligible):
    c = check(5.0, age, rule_id)
    assert c.age_eligible is eligible
    if eligible:
        assert "within the indication" in c.age_message
    else:
        assert "outside the indication" in c.age_message
        assert c.headline.startswith("Outside the label's age range")
        assert "discuss with your doctor" in c.headline


@pytest.mark.parametrize(
    "age, grams, days, kind",
    [(2, 60, 14, "secondary"), (11.99, 60, 14, "secondary"), (12, 60, 7, "label"),
     (45, 60, 7, "label")],
)
def test_amount_cap_by_age_group(age, grams, days, kind):
    cap = check(5.0, age, AD).amount_cap
    assert (cap.grams, cap.period_days, cap.source_kind) == (grams, days, kind)


def test_no_cap_below_the_indication():
    assert check(5.0, 1.5, AD).amount_cap is None
    assert load_rule(VIT_US).amount_cap_for(11) is None


def test_secondary_cap_is_marked_everywhere_it_is_shown():
    c = check(5.0, 8, AD)
    assert "secondary source" in c.amount_cap.describe()
    assert any("secondary source" in n for n in c.notes)
    assert "secondary source" in c.to_text()
    assert c.to_dict()["amount_cap"]["source_kind"] == "secondary"
    adult = check(5.0, 30, AD)
    assert not any("secondary" in n for n in adult.notes)
    assert any("30 June 2026" in n for n in adult.notes)


# --- bad input ------------------------------------------------------------------------------

@pytest.mark.parametrize("percent", [float("nan"), -0.1, 100.01, float("inf"), "abc", None])
def test_bad_totals(percent):
    with pytest.raises(BSAInputError, match="0 to 100|number"):
        check(percent, 30, AD)


@pytest.mark.parametrize("age", [float("nan"), -1, 500, "old"])
def test_bad_ages(age):
    with pytest.raises(BSAInputError, match="age"):
        check(5.0, age, AD)


@pytest.mark.parametrize("nf", [0, -0.5, 1.01, "x"])
def test_bad_near_fraction(nf):
    with pytest.raises(BSAInputError, match="near_fraction"):
        check(5.0, 30, AD, near_fraction=nf)


def test_bad_input_is_a_value_error():
    with pytest.raises(ValueError):
        check(101, 30, AD)


# --- arrays -----------------------------------------------------------------------------------

def test_arrays_match_scalars():
    totals = np.array([0.0, 12.0, 16.0, 20.0, 20.5, 64.0])
    ages = np.array([1.0, 2.0, 11.99, 12.0, 40.0, 80.0])
    c = check(totals, ages, AD)
    assert c.area_state.shape == (6,)
    for i in range(6):
        one = check(float(totals[i]), float(ages[i]), AD)
        assert c.area_state[i] == one.area_state
        assert c.headline[i] == one.headline
        assert bool(c.age_eligible[i]) is one.age_eligible
        assert c.margin_points[i] == pytest.approx(one.margin_points)
    c2 = check(totals.reshape(2, 3), ages.reshape(2, 3), AD)
    assert c2.area_state.shape == (2, 3)
    np.testing.assert_array_equal(c2.area_state.ravel(), c.area_state)
    assert c.amount_cap is None
    json.dumps(c.to_dict())
    broadcast = check(totals, 30, AD)
    assert broadcast.age_eligible.all()
    with pytest.raises(BSAInputError):
        check(totals, np.ones(4) * 30, AD)


# --- wording ------------------------------------------------------------------------------------

def test_no_output_says_safe():
    for rule_id in available_rules():
        for age in (0.5, 2, 8, 11.99, 12, 40):
            for percent in (0, 5, 9.99, 10, 16, 19.99, 20, 20.01, 55, 100):
                c = check(percent, age, rule_id)
                for text in [*all_texts(c), c.to_text()]:
                    assert "safe" not in text.lower()
        assert "safe" not in json.dumps(load_rule(rule_id).to_dict()).lower()


# --- invariants ----------------------------------------------------------------------------------

@settings(max_examples=150, deadline=None)
@given(p=st.floats(0, 100), age=st.floats(0, 120), rule_id=st.sampled_from([AD, VIT_US, VIT_EU]))
def test_check_invariants(p, age, rule_id):
    c = check(p, age, rule_id)
    limit = load_rule(rule_id).max_percent_bsa
    assert c.margin_points == pytest.approx(limit - p)
    assert c.share_of_limit * limit == pytest.approx(p)
    assert (c.area_state == "above") == (p > limit + lr.AT_LIMIT_TOLERANCE)
    assert c.area_state in lr.AREA_STATES
    assert c.age_eligible == (age >= load_rule(rule_id).min_age_years)


@settings(max_examples=100, deadline=None)
@given(a=st.floats(0, 100), b=st.floats(0, 100))
def test_state_never_improves_as_the_area_grows(a, b):
    lo, hi = sorted((a, b))
    order = {"within": 0, "near": 1, "above": 2}
    assert order[check(lo, 30, AD).area_state] <= order[check(hi, 30, AD).area_state]


# --- a new product is a data change --------------------------------------------------------------

def test_a_new_rule_is_data_only(monkeypatch):
    doc = copy.deepcopy(lr.load_json(lr.RULES_FILE))
    new = copy.deepcopy(doc["rules"][1])
    new.update(id="example_cream_xx_test", jurisdiction="XX", max_percent_bsa=5,
               min_age_years=18)
    doc["rules"].append(new)
    monkeypatch.setattr(lr, "load_json", lambda name: doc)
    lr._load_rule.cache_clear()
    try:
        assert "example_cream_xx_test" in available_rules()
        c = check(6.0, 30, "example_cream_xx_test")
        assert c.area_state == "above" and "5% area limit" in c.headline
        assert check(4.0, 17, "example_cream_xx_test").age_eligible is False
        doc["schema_version"] = 99
        with pytest.raises(BSAInputError, match="schema version"):
            available_rules()
    finally:
        lr._load_rule.cache_clear()


# --- other thresholds that use the same number ---------------------------------------------------

# Hand-typed: NPF mild < 3, moderate 3-10, severe > 10; ABA partial thickness >= 10% TBSA;
# ANZBA > 10% adults, > 5% children; UK 2012 >= 3% adults, >= 2% children.
THRESHOLD_CASES = [
    ("psoriasis_bsa_npf", 30, 2.99, "mild"), ("psoriasis_bsa_npf", 30, 3.0, "moderate"),
    ("psoriasis_bsa_npf", 30, 10.0, "moderate"), ("psoriasis_bsa_npf", 30, 10.01, "severe"),
    ("burn_referral_aba", 30, 9.99, "below_threshold"), ("burn_referral_aba", 30, 10, "refer"),
    ("burn_referral_anzba", 30, 10.0, "below_threshold"),
    ("burn_referral_anzba", 30, 10.01, "refer"),
    ("burn_referral_anzba", 6, 5.0, "below_threshold"), ("burn_referral_anzba", 6, 5.01, "refer"),
    ("burn_referral_uk_2012", 30, 2.99, "below_threshold"),
    ("burn_referral_uk_2012", 30, 3.0, "refer"),
    ("burn_referral_uk_2012", 6, 1.99, "below_threshold"),
    ("burn_referral_uk_2012", 6, 2.0, "refer"),
]


@pytest.mark.parametrize("scheme, age, percent, category", THRESHOLD_CASES)
def test_threshold_bands(scheme, age, percent, category):
    result = classify(percent, scheme, age_years=age)
    assert result.category == category
    assert result.source and result.status in ("verified", "secondary", "unverified")
    assert "safe" not in json.dumps(result.to_dict()).lower()


def test_threshold_schemes_and_errors():
    assert set(available_schemes()) == {
        "psoriasis_bsa_npf", "burn_referral_aba", "burn_referral_anzba", "burn_referral_uk_2012"
    }
    with pytest.raises(BSAInputError, match="valid schemes"):
        classify(5, "rule_of_tens")
    with pytest.raises(BSAInputError, match="age"):
        classify(5, "burn_referral_uk_2012")
    with pytest.raises(BSAInputError):
        classify(-1, "psoriasis_bsa_npf")
    child = classify(3.0, "burn_referral_anzba", age_years=15.9)
    assert child.age_group == "child"
    assert any("16 years" in n for n in child.notes)
    assert classify(3.0, "burn_referral_anzba", age_years=16).age_group == "adult"


def test_thresholds_vectorise():
    p = np.array([1.0, 2.0, 4.0, 12.0, 2.5, 10.0])
    ages = np.array([5, 5, 30, 30, 10, 40])
    r = classify(p, "burn_referral_uk_2012", age_years=ages)
    expected = [classify(float(x), "burn_referral_uk_2012", age_years=float(a)).category
                for x, a in zip(p, ages, strict=True)]
    assert r.category.tolist() == expected
    r2 = classify(p.reshape(2, 3), "psoriasis_bsa_npf")
    assert r2.category.shape == (2, 3)
    assert r2.category.ravel().tolist() == ["mild", "mild", "moderate", "severe", "mild",
                                            "moderate"]


# --- command line ----------------------------------------------------------------------------------

def test_cli_rules(capsys):
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    for rule_id in available_rules():
        assert rule_id in out
    assert "secondary source" in out and "30 June 2026" in out
    assert main(["rules", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in data["rules"]] == list(available_rules())


def test_cli_check_text_and_json(capsys):
    assert main(["check", "--age", "8", "--rule", AD, "head=0.5", "anterior_trunk=0.6",
                 "--scores"]) == 0
    out = capsys.readouterr().out
    assert "Within the label's 20% area limit" in out
    assert "secondary source" in out
    assert "safe" not in out.lower()
    assert main(["check", "--age", "40", "--rule", AD, "anterior_trunk", "posterior_trunk",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["estimate"]["percent_bsa"] == pytest.approx(26.0)
    assert data["label_check"]["area_state"] == "above"
    # 26% x 0.25 g x 2 x 7 = 91 g a week against 60 g a week
    assert data["cream_amount"]["grams_per_week"] == pytest.approx(91.0)
    assert data["cream_amount"]["cap_state"] == "above"
    assert "safe" not in json.dumps(data).lower()


def test_cli_unknown_rule_is_one_line(capsys):
    assert main(["check", "--age", "8", "--rule", "nope", "head=1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert re.match(r"bsa: error: unknown rule 'nope'; valid rules are: ", err)
    assert AD in err


def test_cli_bad_total_is_one_line(capsys):
    assert main(["check", "--age", "8", "--rule", AD, "head=1.5"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_headline_is_never_empty():
    for p in (0, 20, 50):
        assert check(p, 30, AD).headline
    assert not math.isnan(check(0, 30, AD).share_of_limit)


def test_verbatim_flags_say_what_may_be_quoted():
    ad = load_rule(AD)
    assert ad.area_text_verbatim and ad.indication_text_verbatim
    assert all(c.label_text_verbatim for c in ad.amount_caps)
    eu = load_rule(VIT_EU)
    assert not eu.area_text_verbatim and not eu.indication_text_verbatim
    assert not eu.amount_caps[0].label_text_verbatim
    assert "paraphrase" in eu.wording
    assert load_rule(VIT_US).to_dict()["area_text_verbatim"] is False


def test_cli_check_json_with_scores_and_another_chart(capsys):
    assert main(["check", "--age", "30", "--rule", VIT_EU, "--chart", "rule_of_nines",
                 "head=1", "--scores", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["estimate"]["chart"] == "rule_of_nines"
    # rule of nines: head and neck together 9% of body surface; the head alone is less
    head_neck = data["area_scores"]["easi"]["head_neck"]
    assert head_neck["percent_bsa_of_region"] == pytest.approx(9.0)
    assert data["estimate"]["percent_bsa"] == pytest.approx(head_neck["percent_bsa_affected"])
    assert data["estimate"]["percent_bsa"] < 8.0
    assert data["label_check"]["area_state"] == "within"
    assert set(data["area_scores"]) == {"easi", "pasi"}
