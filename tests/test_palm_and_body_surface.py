"""Palm method and whole-body surface area against the published figures."""

import numpy as np
import pytest

import bsa

# Check values: 80 kg, 180 cm (clinical-data reference, section 9).
PUBLISHED_80KG_180CM = {"du_bois": 1.996, "mosteller": 2.000, "haycock": 2.007,
                        "gehan_george": 2.009}


@pytest.mark.parametrize("formula,m2", PUBLISHED_80KG_180CM.items())
def test_body_surface_area_published(formula, m2):
    assert bsa.body_surface_area(80, 180, formula) == pytest.approx(m2, abs=0.0005)


def test_du_bois_constant_is_not_the_miscopied_one():
    # 0.007184 x 80^0.425 x 180^0.725, typed out; the wrong 0.0087184 gives 2.42.
    assert bsa.body_surface_area(80, 180, "du_bois") == pytest.approx(
        0.007184 * 80**0.425 * 180**0.725, rel=1e-12)


def test_body_surface_area_arrays_and_errors():
    out = bsa.body_surface_area([80, 20], [180, 110])
    assert out.shape == (2,)
    assert out[1] == pytest.approx(np.sqrt(20 * 110 / 3600))
    with pytest.raises(bsa.BSAInputError, match="mosteller, du_bois, haycock, gehan_george"):
        bsa.body_surface_area(80, 180, "boyd")
    for w, h in [(-1, 180), (80, float("nan")), (80, 0), (1e6, 180)]:
        with pytest.raises(bsa.BSAInputError, match="range"):
            bsa.body_surface_area(w, h)


def test_percent_to_cm2():
    assert bsa.percent_to_cm2(1, 2.0) == 200.0
    with pytest.raises(bsa.BSAInputError):
        bsa.percent_to_cm2(101, 2.0)


def test_palm_method_adults_and_children():
    # Adults: Rossiter 1996 0.8 men / 0.7 women, Agarwal & Sahu 2010 0.92 (palm + fingers).
    r = bsa.palm_method(10, age=40)
    assert (r.percent_bsa, r.low_percent, r.high_percent) == (10.0, 7.0, 9.2)
    assert r.population == "adults"
    # Children: Perry 1996 0.82 and Sheridan 1995 0.85 (both read in a BestBets summary),
    # Nagel & Schunk 1997 0.94, Agarwal & Sahu 2010 1.06.
    c = bsa.palm_method(5, age=6)
    assert (c.low_percent, c.high_percent) == (pytest.approx(4.1), pytest.approx(5.3))
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
    assert bsa.palm_method(10, 40).low_percent == pytest.approx(7.0)
    man = bsa.palm_method(10, 40, sex="male")
    assert (man.low_percent, man.high_percent) == (pytest.approx(8.0), pytest.approx(9.2))
    assert man.span == (pytest.approx(8.0), pytest.approx(10.0))
    assert bsa.palm_method(10, 40, sex="female").low_percent == pytest.approx(7.0)
    # children's studies do not split by sex
    assert bsa.palm_method(6, 8, sex="male").span == bsa.palm_method(6, 8).span
    with pytest.raises(bsa.BSAInputError, match="unknown sex"):
        bsa.palm_method(10, 40, sex="m")
