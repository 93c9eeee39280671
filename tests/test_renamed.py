"""Renamed arguments: ``age_years=`` still works, with a warning, where it used to.

A function's age argument is ``age`` [years]; ``age_years`` stays the name of stored fields.
The old keyword is a deprecated alias (:func:`bsa._renamed.renamed_argument`).
"""

import inspect
import warnings

import numpy as np
import pytest

import bsa
from bsa._renamed import renamed_argument
from bsa.core.charts import describe_age, load_chart
from bsa.core.palm_method import palm_method
from bsa.diagram.geometry import figure_for_age
from bsa.treatment import area_check, cream_amount, skin_scores, thresholds
from bsa.treatment.label_rules import load_rule
from bsa.treatment.limits import check_rule, check_rule_at_totals

AD = "opzelura_us_atopic_dermatitis"
DEPRECATED = r"`age_years` is deprecated, use `age`"


# --- the decorator ----------------------------------------------------------------------------

@renamed_argument("age_years", "age")
def _older(base, age=0.0, *, by=1.0):
    return base + age + by


def test_the_old_keyword_gives_the_same_result_with_a_deprecation_warning():
    with pytest.warns(DeprecationWarning, match=DEPRECATED) as caught:
        old = _older(1.0, age_years=3.0, by=2.0)
    assert old == _older(1.0, age=3.0, by=2.0) == _older(1.0, 3.0, by=2.0) == 6.0
    assert len(caught) == 1
    assert "_older()" in str(caught[0].message) and "0.2" in str(caught[0].message)
    assert caught[0].filename == __file__  # the warning points at the caller


def test_the_new_name_and_positional_calls_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _older(1.0, age=3.0) == _older(1.0, 3.0) == _older(base=1.0) + 3.0


@pytest.mark.parametrize("call", [
    lambda: _older(1.0, age=3.0, age_years=3.0),
    lambda: _older(1.0, 3.0, age_years=3.0),  # the new one given by position
], ids=["both keywords", "position and old keyword"])
def test_both_names_are_refused_naming_both(call):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(bsa.BSAInputError, match=r"`age_years`.*`age`") as info:
            call()
    assert isinstance(info.value, ValueError)
    assert "both" in str(info.value)


def test_the_wrapped_function_keeps_its_name_doc_and_signature():
    assert figure_for_age.__name__ == "figure_for_age"
    assert "Return the figure" in figure_for_age.__doc__
    assert list(inspect.signature(palm_method).parameters)[:2] == ["palms", "age"]
    assert "age_years" not in inspect.signature(check_rule).parameters


def test_a_function_without_the_new_name_or_still_with_the_old_is_a_programming_error():
    with pytest.raises(TypeError):
        renamed_argument("age_years", "age")(lambda years: years)
    with pytest.raises(TypeError):
        renamed_argument("age_years", "age")(lambda age, age_years: age)


# --- every public function whose argument was renamed -----------------------------------------

def _rule_check_inputs():
    fractions = bsa.selection_to_fractions({"anterior_trunk": 1.0})
    return dict(treated_fractions=fractions,
                amount=cream_amount.estimate_amount(fractions, 40, AD))


def _check_rule(**age):
    r = check_rule(load_rule(AD), treated_percent_bsa=13.0, **_rule_check_inputs(), **age)
    return r.verdict, r.headline, r.age_message


def _check_rule_at_totals(**age):
    out = check_rule_at_totals(load_rule(AD), {"a": 13.0, "b": 25.0}, **_rule_check_inputs(),
                               **age)
    return {k: (r.verdict, r.headline) for k, r in out.items()}


def _plain(x):
    """A result as comparable plain values (arrays as lists)."""
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, np.ndarray):
        return x.tolist()
    if hasattr(x, "to_dict"):
        return _plain(x.to_dict())
    return x


# name -> call taking the age by keyword (age=... or age_years=...)
RENAMED = {
    "figure_for_age": lambda **age: figure_for_age(**age),
    "check_rule": _check_rule,
    "check_rule_at_totals": _check_rule_at_totals,
    "Limit.applies_to": lambda **age: load_rule(AD).limits[0].applies_to(**age),
    "LabelRule.age_in_indication": lambda **age: load_rule(AD).age_in_indication(**age),
    "LabelRule.limits_for": lambda **age: load_rule(AD).limits_for(**age),
    "LabelRule.limits_read_for": lambda **age: load_rule(AD).limits_read_for(**age),
    "LabelRule.area_limit_for": lambda **age: load_rule(AD).area_limit_for(**age),
    "classify": lambda **age: thresholds.classify(2.0, "burn_referral_uk_2012", **age).category,
    "score_weights": lambda **age: skin_scores.score_weights("easi", **age),
    "region_percentages": lambda **age: skin_scores.region_percentages({"head": 1.0}, **age),
    "easi_area_scores": lambda **age: skin_scores.easi_area_scores({"head": 1.0}, **age),
    "pasi_area_scores": lambda **age: skin_scores.pasi_area_scores({"head": 1.0}, **age),
    "method_for_age": lambda **age: cream_amount.method_for_age(**age),
    "children_table_row": lambda **age: cream_amount.children_table_row(**age),
    "grams_per_percent_bsa": lambda **age: cream_amount.grams_per_percent_bsa(**age),
    "estimate_amount": lambda **age: cream_amount.estimate_amount(
        {"anterior_trunk": 0.5}, rule_id=AD, **age).to_dict(),
    "percent_bsa_where_amount_cap_binds": lambda **age:
        cream_amount.percent_bsa_where_amount_cap_binds(AD, **age),
    "area_check.check": lambda **age: area_check.check(12.0, rule_id=AD, **age).to_dict(),
    "palm_method": lambda **age: palm_method(3, **age),
    "Chart.is_intended_for": lambda **age: load_chart("lund_browder").is_intended_for(**age),
    "describe_age": lambda **age: describe_age(**age),
}


@pytest.mark.parametrize("age", [6, 40])
@pytest.mark.parametrize("name", list(RENAMED))
def test_age_years_still_works_and_warns(name, age):
    call = RENAMED[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the new name warns about nothing
        new = call(age=age)
    with pytest.warns(DeprecationWarning, match=DEPRECATED):
        old = call(age_years=age)
    assert _plain(old) == _plain(new)


@pytest.mark.parametrize("name", list(RENAMED))
def test_age_and_age_years_together_are_refused(name):
    with pytest.raises(bsa.BSAInputError, match=r"both `age_years` and `age`"):
        RENAMED[name](age=40, age_years=40)
