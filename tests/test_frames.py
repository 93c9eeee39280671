"""score_frame: pandas, polars and pyarrow tables give the numbers percent_bsa gives."""

import subprocess
import sys

import numpy as np
import pytest

import bsa
from bsa.core.regions import PART_NAMES, REGIONS

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")
pytest.importorskip("narwhals")


@pytest.fixture(scope="module")
def cohort():
    rng = np.random.default_rng(16)
    n = 500
    ages = rng.uniform(0, 100, n).round(2)
    fractions = rng.random((n, 19)) * (rng.random((n, 19)) < 0.4)
    data = {"id": [f"p{i}" for i in range(n)], "age": ages}
    data.update({r: fractions[:, j] for j, r in enumerate(REGIONS)})
    return data, fractions, ages


KINDS = {
    "pandas": lambda d: pd.DataFrame(d),
    "polars": lambda d: pl.DataFrame(d),
    "pyarrow": lambda d: pa.table(d),
}


def column(table, name):
    if isinstance(table, pa.Table):
        return table.column(name).to_numpy()
    return np.asarray(table[name].to_numpy())


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_gives_the_numbers_of_percent_bsa_exactly(cohort, kind):
    data, fractions, ages = cohort
    table = KINDS[kind](data)
    out = bsa.score_frame(table)
    assert type(out) is type(table)
    assert list(out.columns if kind != "pyarrow" else out.column_names) == [
        *data, "percent_bsa"]
    np.testing.assert_array_equal(column(out, "percent_bsa"), bsa.percent_bsa(fractions, ages))


@pytest.mark.parametrize("kind", KINDS)
def test_regions_and_range_on_request(cohort, kind):
    data, fractions, ages = cohort
    out = bsa.score_frame(KINDS[kind](data), regions=True, range=True, chart="lund_browder",
                          age_mode="banded")
    total, per = bsa.percent_bsa(fractions, ages, age_mode="banded", return_breakdown=True)
    np.testing.assert_array_equal(column(out, "percent_bsa"), total)
    for j, r in enumerate(REGIONS):
        np.testing.assert_array_equal(column(out, f"pct_{r}"), per[:, j])
    low, high, _ = bsa.percent_bsa_range(fractions, ages)
    np.testing.assert_array_equal(column(out, "percent_bsa_low"), low)
    np.testing.assert_array_equal(column(out, "percent_bsa_high"), high)


def test_halves_and_missing_regions_and_bmi():
    table = pd.DataFrame({"age": [30.0, 45.0], "head:front": [1.0, 0.0],
                          "right_thigh": [0.0, 1.0], "bmi": [22.0, 35.0]},
                         index=["x", "y"])
    out = bsa.score_frame(table, regions=True, range=True, bmi="bmi")
    halves = np.zeros((2, 33))
    halves[0, PART_NAMES.index("head:front")] = 1
    halves[1, PART_NAMES.index("right_thigh:front")] = 1
    halves[1, PART_NAMES.index("right_thigh:back")] = 1
    np.testing.assert_array_equal(out["percent_bsa"], bsa.percent_bsa(halves, [30.0, 45.0]))
    assert list(out.index) == ["x", "y"]  # the table's own index is kept
    assert out["pct_right_thigh"].tolist() == [0.0, 9.5]
    low, high, by_chart = bsa.percent_bsa_range(halves, [30.0, 45.0], bmi=[22.0, 35.0])
    assert out["percent_bsa_high"].tolist() == high.tolist()
    assert not np.isnan(by_chart["body_shape_neaman_2011"][1])


def test_an_empty_table_gives_an_empty_table():
    out = bsa.score_frame(pd.DataFrame({"age": pd.Series([], dtype=float),
                                        "head": pd.Series([], dtype=float)}))
    assert list(out.columns) == ["age", "head", "percent_bsa"] and len(out) == 0


@pytest.mark.parametrize("table,kwargs,match", [
    (pd.DataFrame({"years": [3], "head": [1.0]}), {}, "no age column 'age'"),
    (pd.DataFrame({"age": [3], "hed": [1.0]}), {}, "no region columns"),
    (pd.DataFrame({"age": [3, 4], "head": [1.0, 1.5]}), {}, "row 1: column 'head' is 1.5"),
    (pd.DataFrame({"age": [3, 140], "head": [1.0, 1.0]}), {}, "row 1: age 140"),
    (pd.DataFrame({"age": [3, 4], "head": [1.0, None]}), {}, "row 1: column 'head' is empty"),
    (pl.DataFrame({"age": [3, 4], "head": [1.0, None]}), {}, "row 1: column 'head' is empty"),
    (pd.DataFrame({"age": [3], "head": ["x"]}), {}, "must hold numbers"),
    (pd.DataFrame({"age": [3], "head": [1.0], "head:front": [1.0]}), {}, "whole and per half"),
    (pd.DataFrame({"age": [3], "head": [1.0], "percent_bsa": [1.0]}), {}, "already has"),
    (pd.DataFrame({"age": [3], "head": [1.0]}), {"chart": "x"}, "available charts"),
    ([[3, 1.0]], {}, "takes a pandas, polars or pyarrow table"),
])
def test_bad_tables_are_refused_by_row_and_column(table, kwargs, match):
    with pytest.raises(bsa.BSAInputError, match=match):
        bsa.score_frame(table, **kwargs)


def test_import_bsa_does_not_import_the_research_libraries():
    code = ("import sys, bsa; bad = [m for m in ('narwhals', 'pandas', 'polars', 'pyarrow', "
            "'dask') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
