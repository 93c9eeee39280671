"""Other published thresholds on %BSA: hand-typed bands, errors, arrays."""

import json

import numpy as np
import pytest

from bsa.errors import BSAInputError
from bsa.treatment.thresholds import available_schemes, classify

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
    result = classify(percent, scheme, age=age)
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
    child = classify(3.0, "burn_referral_anzba", age=15.9)
    assert child.age_group == "child"
    assert any("16 years" in n for n in child.notes)
    assert classify(3.0, "burn_referral_anzba", age=16).age_group == "adult"


def test_thresholds_vectorise():
    p = np.array([1.0, 2.0, 4.0, 12.0, 2.5, 10.0])
    ages = np.array([5, 5, 30, 30, 10, 40])
    r = classify(p, "burn_referral_uk_2012", age=ages)
    expected = [classify(float(x), "burn_referral_uk_2012", age=float(a)).category
                for x, a in zip(p, ages, strict=True)]
    assert r.category.tolist() == expected
    r2 = classify(p.reshape(2, 3), "psoriasis_bsa_npf")
    assert r2.category.shape == (2, 3)
    assert r2.category.ravel().tolist() == ["mild", "mild", "moderate", "severe", "mild",
                                            "moderate"]
