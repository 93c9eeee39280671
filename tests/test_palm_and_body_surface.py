"""Palm method and whole-body surface area against the published figures."""

import pytest
from tolerance import TOL

import bsa

# Check values: 80 kg, 180 cm (clinical-data reference, section 9). Du Bois's 1.996 also
# catches the miscopied constant 0.0087184 (2.42). Arrays, NaN and bad input of
# body_surface_area and percent_to_cm2, and these values: tests/test_vectorised.py.
PUBLISHED_80KG_180CM = {"du_bois": 1.996, "mosteller": 2.000, "haycock": 2.007,
                        "gehan_george": 2.009}


def test_palm_method_adults_and_children():
    # Adults: Rossiter 1996 0.8 men / 0.7 women, Agarwal & Sahu 2010 0.92 (palm + fingers).
    r = bsa.palm_method(10, age=40)
    assert (r.percent_bsa, r.low_percent, r.high_percent) == (10.0, 7.0, 9.2)
    assert r.population == "adults"
    # Children: Perry 1996 0.82 and Sheridan 1995 0.85 (both read in a BestBets summary),
    # Nagel & Schunk 1997 0.94, Agarwal & Sahu 2010 1.06.
    c = bsa.palm_method(5, age=6)
    assert (c.low_percent, c.high_percent) == (pytest.approx(4.1, abs=TOL), pytest.approx(5.3, abs=TOL))
    assert any("Sheridan" in s and "secondary summary" in s for s in c.sources)
    assert any("Perry" in s for s in c.sources)
    # Palm only: adults 0.4-0.5 (Rossiter; Agarwal 0.50), children 0.52-0.63.
    p = bsa.palm_method(4, age=30, include_fingers=False)
    assert (p.percent_bsa, p.low_percent, p.high_percent) == (2.0, 1.6, 2.0)
    assert "infants" in bsa.palm_method(1, age=0.5).note


@pytest.mark.parametrize("palms", [-1, float("nan"), float("inf"), 1000, "a"])
def test_palm_method_bad_counts(palms):
    with pytest.raises(bsa.BSAInputError, match="palm count"):
        bsa.palm_method(palms)


def test_palm_method_by_sex_and_its_span():
    # Rossiter 1996 reports men (0.8%) and women (0.7%) separately; Agarwal and Sahu 2010
    # (0.92%) both together. The span adds the 1% convention.
    assert bsa.palm_method(10, 40).low_percent == pytest.approx(7.0, abs=TOL)
    man = bsa.palm_method(10, 40, sex="male")
    assert (man.low_percent, man.high_percent) == (pytest.approx(8.0, abs=TOL), pytest.approx(9.2, abs=TOL))
    assert man.span == (pytest.approx(8.0, abs=TOL), pytest.approx(10.0, abs=TOL))
    assert bsa.palm_method(10, 40, sex="female").low_percent == pytest.approx(7.0, abs=TOL)
    # children's studies do not split by sex
    assert bsa.palm_method(6, 8, sex="male").span == bsa.palm_method(6, 8).span
    with pytest.raises(bsa.BSAInputError, match="unknown sex"):
        bsa.palm_method(10, 40, sex="m")
