"""The totals-only path of percent_bsa: float32 read as it is, out=, and agreement with the
breakdown path (which sums the patients x regions array) for every chart and reading."""

import numpy as np
import pytest
from tolerance import FLOAT32_REL, TOL, assert_close

import bsa


@pytest.fixture(scope="module")
def cohort():
    rng = np.random.default_rng(16)
    n = 10_000  # more than two blocks
    return rng.random((n, 19)), rng.random((n, 33)), rng.uniform(0, 120, n)


@pytest.mark.parametrize("chart", bsa.available_charts())
@pytest.mark.parametrize("age_mode", bsa.AGE_MODES)
def test_totals_agree_with_the_breakdown(cohort, chart, age_mode):
    regions, halves, ages = cohort
    for f in (regions, halves):
        fast = bsa.percent_bsa(f, ages, chart, age_mode)
        total, per = bsa.percent_bsa(f, ages, chart, age_mode, return_breakdown=True)
        assert_close(fast, total)
        assert_close(fast, per.sum(axis=-1))


def test_column_ages_and_beyond_are_read_exactly():
    f = np.zeros(19)
    f[bsa.core.regions.REGION_INDEX["head"]] = 1.0
    ages = [0, 1, 5, 10, 15, 18, 30, 120]
    head = bsa.region_weights(ages)[:, 0]
    assert bsa.percent_bsa(f, ages).tolist() == head.tolist() == [19, 17, 13, 11, 9, 7, 7, 7]
    assert bsa.percent_bsa(f, [4.99, 5], age_mode="banded").tolist() == [17, 13]


def test_float32_is_read_without_a_float64_copy(cohort):
    regions, _, ages = cohort
    f32 = regions.astype(np.float32)
    expected = bsa.percent_bsa(f32.astype(np.float64), ages)
    got = bsa.percent_bsa(f32, ages)
    assert got.dtype == np.float64
    assert_close(got, expected)
    bad = f32.copy()
    bad[123, 4] = np.float32(1.5)
    with pytest.raises(bsa.BSAInputError, match=r"1\.5\)? at position \(123, 4\)"):
        bsa.percent_bsa(bad, ages)


def test_out_receives_the_totals_and_is_returned(cohort):
    regions, _, ages = cohort
    out = np.full(len(ages), np.nan)
    assert bsa.percent_bsa(regions, ages, out=out) is out
    np.testing.assert_array_equal(out, bsa.percent_bsa(regions, ages))
    strided = np.full((len(ages), 2), np.nan)[:, 0]  # not contiguous: still filled
    bsa.percent_bsa(regions, ages, out=strided)
    np.testing.assert_array_equal(strided, out)
    out32 = np.empty(len(ages), np.float32)
    bsa.percent_bsa(regions, ages, out=out32)
    np.testing.assert_allclose(out32, out, rtol=FLOAT32_REL)
    one = np.empty(())
    assert bsa.percent_bsa(regions[0], 30, out=one) is one
    assert float(one) == pytest.approx(bsa.percent_bsa(regions[0], 30), abs=TOL)
    total, per = bsa.percent_bsa(regions[:5], ages[:5], return_breakdown=True, out=out[:5])
    assert total is not None and per.shape == (5, 19)


@pytest.mark.parametrize("out,match", [
    (np.empty(3), r"totals' shape \(4,\)"),
    (np.empty(4, int), "array of floats"),
    ([0.0] * 4, "array of floats"),
])
def test_bad_out_is_refused(out, match):
    with pytest.raises(bsa.BSAInputError, match=match):
        bsa.percent_bsa(np.zeros((4, 19)), 30, out=out)


def test_negative_zero_is_a_fraction():
    f = np.zeros((3, 19))
    f[1, 2] = -0.0
    assert bsa.percent_bsa(f, [1, 2, 3]).tolist() == [0, 0, 0]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("value", [np.nan, -1e-30, 1.0001, np.inf])
def test_bad_values_in_a_late_block_are_named(dtype, value):
    f = np.zeros((9000, 33), dtype)
    f[8500, 30] = value
    with pytest.raises(bsa.BSAInputError, match=r"position \(8500, 30\)"):
        bsa.percent_bsa(f, np.full(9000, 40.0))


def test_shapes_broadcast_as_before():
    f = np.linspace(0, 1, 19)
    assert bsa.percent_bsa(f, np.full((2, 3), 8.0)).shape == (2, 3)
    assert bsa.percent_bsa(np.tile(f, (2, 3, 1)), 8.0).shape == (2, 3)
    assert bsa.percent_bsa(np.tile(f, (3, 1)), [[1], [50]]).shape == (2, 3)
    assert bsa.percent_bsa(np.zeros((0, 19)), 30).shape == (0,)
    assert isinstance(bsa.percent_bsa(f, 8.0), float)
