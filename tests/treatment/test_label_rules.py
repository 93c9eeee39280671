"""Label rules: the labels' numbers (hand-typed), area boundaries, wording, arrays, the CLI."""

import copy
import json
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tolerance import TOL

import bsa.treatment.label_rules as lr
import bsa.treatment.rule_library as library
from bsa.cli import main
from bsa.errors import BSAInputError
from bsa.treatment.label_rules import available_rules, check, find_rules, load_rule

AD = "opzelura_us_atopic_dermatitis"
VIT_US = "opzelura_us_vitiligo"
VIT_EU = "opzelura_eu_vitiligo"

# Hand-typed from the sources each rule names:
# - US atopic dermatitis: prescribing information section 2.1 as reproduced by PrescriberPoint
#   ("up to 20% body surface area"; 12+: "one 60 gram tube ... per week or one 100 gram tube
#   per 2 weeks"); 2-11: patient drug-information text (Nov 2025) "1 tube (60 grams) ... per
#   2 weeks" (secondary);
# - US vitiligo: July 2022 label highlights (FDA file 215309s001lbl, Scribd copy), 2.3 "up to
#   10% body surface area", 2.1 "one 60 gram tube per week or one 100 gram tube per 2 weeks";
# - EU vitiligo: SmPC 2023 section 4.2 (RxReasoner copy): "maximum of 10% of body surface
#   area", "No more than two tubes of 100 grams a month".
# rule -> (jurisdiction, min age, per day, [(kind, value, period_days, age_min, age_max, source_kind)])
LABEL_TABLE = {
    AD: ("US", 2, 2, [
        ("percent_bsa", 20, None, 2, None, "mirror"),
        ("grams", 60, 7, 12, None, "mirror"),
        ("grams", 100, 14, 12, None, "mirror"),
        ("grams", 60, 14, 2, 12, "secondary"),
    ]),
    VIT_US: ("US", 12, 2, [
        ("percent_bsa", 10, None, 12, None, "mirror"),
        ("grams", 60, 7, 12, None, "mirror"),
        ("grams", 100, 14, 12, None, "mirror"),
    ]),
    VIT_EU: ("EU", 12, 2, [
        ("percent_bsa", 10, None, 12, None, "mirror"),
        ("grams", 200, 30, 12, None, "mirror"),
    ]),
}
AD_12_PLUS_WORDS = (
    "Do not use more than one 60 gram tube of OPZELURA per week or one 100 gram tube per 2 weeks."
)
AD_2_11_WORDS = "Do not use more than 1 tube (60 grams) of this medicine per 2 weeks"


# A label may say that something's safety "has not been established" (or "not evaluated"):
# quoting that negation is not calling anything safe. Everything else must never say "safe".
_NOT_A_CLAIM = (r"https?://\S+", r"\bmedsafe\b",
                r"\bsafe(ty)?\b[^.;]{0,160}?\bnot (been )?(established|evaluated)\b")


def calls_something_safe(text: str) -> bool:
    """True if ``text`` says "safe" other than in a label's "safety ... not established"."""
    t = text.lower()
    for pattern in _NOT_A_CLAIM:
        t = re.sub(pattern, "", t)
    return "safe" in t


def all_texts(c) -> list[str]:
    return [json.dumps(c.to_dict()), *(np.atleast_1d(c.headline).tolist()),
            *(np.atleast_1d(c.age_message).tolist())]


# --- the label's numbers ------------------------------------------------------------------

def test_available_rules():
    assert set(available_rules()) >= {AD, VIT_US, VIT_EU}


@pytest.mark.parametrize("rule_id", sorted(LABEL_TABLE))
def test_rule_numbers_match_the_label(rule_id):
    jurisdiction, min_age, per_day, limits = LABEL_TABLE[rule_id]
    rule = load_rule(rule_id)
    assert rule.id == rule_id and rule.jurisdiction == jurisdiction
    assert rule.min_age_years == min_age and rule.max_age_years is None
    assert rule.frequency_per_day == per_day
    assert "ruxolitinib" in rule.active_ingredient and "1.5%" in rule.strength
    got = [(lim.kind, lim.value, lim.period_days, lim.age_min_years, lim.age_max_years,
            lim.source_kind) for lim in rule.limits]
    assert got == limits
    assert rule.source and rule.section and rule.label_revision and rule.label_revision_text


def test_atopic_dermatitis_words_and_revision():
    rule = load_rule(AD)
    caps12 = rule.limits_for(12, kind="grams")
    assert [c.words for c in caps12] == [AD_12_PLUS_WORDS, AD_12_PLUS_WORDS]
    assert all(c.verbatim for c in caps12)
    (cap2,) = rule.limits_for(2, kind="grams")
    assert cap2.words.startswith(AD_2_11_WORDS) and cap2.source_kind == "secondary"
    assert rule.label_revision == "2025-09"
    assert any("30 June 2026" in t for t in rule.later_revisions_not_transcribed)
    assert "non-immunocompromised" in rule.indication_text and rule.indication_text_verbatim
    assert "20% body surface area" in rule.area_limit_for(30).words
    assert rule.review_points[0].after_days == 56  # "within 8 weeks"
    assert rule.occlusion == "Do not use OPZELURA with occlusive dressings."
    assert any("2 to 11" in t for t in rule.could_not_read)


def test_us_vitiligo_has_both_caps_from_the_2022_label():
    # Issue 10, item 6: section 2.1 of the July 2022 label gives "or one 100 gram tube per
    # 2 weeks" for both indications; the current label's section could not be read.
    rule = load_rule(VIT_US)
    caps = rule.limits_for(30, kind="grams")
    assert [(c.value, c.period_days) for c in caps] == [(60, 7), (100, 14)]
    assert all("100 gram tube per 2 weeks" in c.words for c in caps)
    assert rule.label_revision == "2022-07" and rule.source_kind == "mirror"
    assert any("current" in t for t in rule.could_not_read)


def test_eu_vitiligo_review_point_and_month():
    rule = load_rule(VIT_EU)
    assert rule.review_points[0].after_days == 364
    assert "25% repigmentation" in rule.review_points[0].words
    (cap,) = rule.limits_for(12, kind="grams")
    assert "30 days" in cap.notes[0]


def test_questions_cover_the_limitations_of_use():
    for rule_id in (AD, VIT_US):
        rule = load_rule(rule_id)
        text = " ".join(rule.questions).lower()
        for word in ("biologic", "jak inhibitor", "azathioprine", "cyclosporine"):
            assert word in text
        assert any("azathioprine" in t for t in rule.limitations_of_use)
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


def test_find_rules_by_product_ingredient_and_indication():
    assert [r.id for r in find_rules("vitiligo eu")] == [VIT_EU]
    assert {r.id for r in find_rules("RUXOLITINIB")} >= {AD, VIT_US, VIT_EU}
    assert find_rules("no such product") == ()
    assert len(find_rules("")) == len(available_rules())
    with pytest.raises(BSAInputError):
        find_rules(3)


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
        (100.0, "above", "Above the label's 20% area limit: discuss with your doctor"),
    ],
)
def test_twenty_percent_boundaries(percent, state, words):
    c = check(percent, 30, AD)
    assert c.area_state == state
    assert c.headline == words
    assert c.margin_points == pytest.approx(20.0 - percent, abs=TOL)
    assert c.share_of_limit == pytest.approx(percent / 20.0, abs=TOL)
    assert c.limit_percent == 20 and c.near_from_percent == 16


def test_vitiligo_ten_percent_and_near_fraction():
    assert check(10.0, 30, VIT_US).area_state == "near"
    assert check(10.01, 30, VIT_EU).area_state == "above"
    assert check(7.99, 30, VIT_US).area_state == "within"
    assert check(8.0, 30, VIT_US).area_state == "near"
    c = check(9.0, 30, VIT_US, near_fraction=0.95)
    assert c.area_state == "within" and c.near_from_percent == pytest.approx(9.5, abs=TOL)
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


def test_an_age_is_never_rounded_across_the_indication():
    # Issue 10, item 8: 1.97 years was printed "Age 2 years is outside ... (2 years and older)".
    c = check(5.0, 1.97, AD)
    assert c.age_message.startswith("Age 23 months is outside the indication")
    assert "Age 11 years 11 months is within" in check(5.0, 11.999, AD).age_message
    assert check(5.0, 11.999, VIT_US).age_message.startswith("Age 11 years 11 months is outside")


def test_unofficial_sources_are_named_in_the_notes():
    c = check(5.0, 8, AD)
    assert any("secondary source" in n and "60 g per 2 weeks" in n for n in c.notes)
    assert any("copy of the label text" in n for n in c.notes)
    assert any("30 June 2026" in n for n in c.notes)
    assert "reproduced by PrescriberPoint" in c.source


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
        assert c.age_message[i] == one.age_message
        assert bool(c.age_eligible[i]) is one.age_eligible
        assert c.margin_points[i] == pytest.approx(one.margin_points, nan_ok=True, abs=TOL)
    c2 = check(totals.reshape(2, 3), ages.reshape(2, 3), AD)
    assert c2.area_state.shape == (2, 3)
    np.testing.assert_array_equal(c2.area_state.ravel(), c.area_state)
    json.dumps(c.to_dict())
    assert check(totals, 30, AD).age_eligible.all()
    with pytest.raises(BSAInputError):
        check(totals, np.ones(4) * 30, AD)


def test_an_age_band_without_an_area_limit_says_so():
    # Below the indication there is no limit for the age: the state says so, never "within".
    c = check(np.array([5.0, 5.0]), np.array([1.0, 30.0]), VIT_US)
    assert c.area_state.tolist() == ["no_stated_limit", "within"]
    assert math.isnan(c.limit_percent[0])
    assert c.to_dict()["limit_percent"][0] is None


# --- wording ------------------------------------------------------------------------------------

def test_no_output_says_safe():
    for rule_id in available_rules():
        for age in (0.5, 2, 8, 11.99, 12, 40):
            for percent in (0, 5, 9.99, 10, 16, 19.99, 20, 20.01, 55, 100):
                for text in all_texts(check(percent, age, rule_id)):
                    assert "safe" not in text.lower()
        rule = load_rule(rule_id)
        assert not calls_something_safe(json.dumps(rule.to_dict(), ensure_ascii=False))
        for question in rule.questions:  # the project's own words: not even a negation
            assert "safe" not in question.lower()


def test_a_negated_safety_statement_is_not_a_claim():
    assert not calls_something_safe("The safety of X has not been established beyond 1 year.")
    assert not calls_something_safe("Long-term safety of TCIs not established")
    assert calls_something_safe("Dovonex was shown to be safe and effective.")
    assert calls_something_safe("A safe amount.")


# --- invariants ----------------------------------------------------------------------------------

@settings(max_examples=150, deadline=None)
@given(p=st.floats(0, 100), age=st.floats(12, 120), rule_id=st.sampled_from([AD, VIT_US, VIT_EU]))
def test_check_invariants(p, age, rule_id):
    c = check(p, age, rule_id)
    limit = load_rule(rule_id).area_limit_for(age).value
    assert c.margin_points == pytest.approx(limit - p, abs=TOL)
    assert c.share_of_limit * limit == pytest.approx(p, abs=TOL)
    assert (c.area_state == "above") == (p > limit * (1 + lr.AT_LIMIT_TOLERANCE))
    assert c.area_state in lr.AREA_STATES
    assert c.age_eligible is True


@settings(max_examples=100, deadline=None)
@given(a=st.floats(0, 100), b=st.floats(0, 100))
def test_state_never_improves_as_the_area_grows(a, b):
    lo, hi = sorted((a, b))
    order = {"within": 0, "near": 1, "above": 2}
    assert order[check(lo, 30, AD).area_state] <= order[check(hi, 30, AD).area_state]


# --- a new product is a data change --------------------------------------------------------------

def test_a_new_rule_is_data_only(monkeypatch):
    doc = copy.deepcopy(library.load_data(library.RULES_FILE, library.SCHEMA_VERSION))
    new = copy.deepcopy(doc["rules"][1])
    new.update(id="example_cream_xx_test", jurisdiction="XX",
               population={"min_age_years": 18, "max_age_years": None},
               limits=[{"kind": "percent_bsa", "value": 5, "words": "up to 5%",
                        "section": "2", "source_kind": "label"}])
    doc["rules"].append(new)
    monkeypatch.setattr(library, "load_data", lambda name, version: doc)
    library._load_rule.cache_clear()
    try:
        assert "example_cream_xx_test" in available_rules()
        c = check(6.0, 30, "example_cream_xx_test")
        assert c.area_state == "above" and "5% area limit" in c.headline
        assert check(4.0, 17, "example_cream_xx_test").age_eligible is False
    finally:
        library._load_rule.cache_clear()


# --- command line ----------------------------------------------------------------------------------

def test_cli_rules(capsys):
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    for rule_id in available_rules():
        assert rule_id in out
    assert "secondary source" in out and "30 June 2026" in out
    assert main(["rules", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in data] == list(available_rules())
    for r in data:
        for key in ("id", "product", "active_ingredients", "indication", "jurisdiction",
                    "revision", "source", "source_kind", "no_stated_limit", "limits"):
            assert key in r
        for lim in r["limits"]:
            assert lim["kind"] in lr.LIMIT_KINDS
            assert {"value", "period_days", "age_min", "age_max"} <= set(lim)
    assert main(["rules", "--json", "--product", "vitiligo eu"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [VIT_EU]


def test_cli_unknown_rule_is_one_line(capsys):
    assert main(["check", "--age", "8", "--rule", "nope", "head=1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert re.match(r"bsa: error: unknown rule 'nope'; valid rules are: ", err)
    assert AD in err


def test_cli_bad_fraction_is_one_line(capsys):
    assert main(["check", "--age", "8", "--rule", AD, "head=1.5"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
