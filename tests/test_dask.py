"""Cohorts beyond one machine: Dask scores a Parquet data set with bsa.score_frame on a
local distributed cluster (in this process: quick, and what a real cluster runs per
partition)."""

import numpy as np
import pytest
from tolerance import assert_close

import bsa
from bsa.core.regions import REGIONS

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")
pytest.importorskip("narwhals")


def test_dask_scores_a_parquet_cohort_on_a_local_cluster(tmp_path):
    rng = np.random.default_rng(16)
    n, files = 3000, 3
    ages = rng.uniform(0, 100, n).round(2)
    fractions = rng.random((n, 19)) * (rng.random((n, 19)) < 0.4)
    table = pd.DataFrame({"id": np.arange(n), "age": ages})
    for j, r in enumerate(REGIONS):
        table[r] = fractions[:, j]
    for k, part in enumerate(np.array_split(np.arange(n), files)):
        table.iloc[part].to_parquet(tmp_path / f"part-{k}.parquet", index=False)

    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        cohort = dd.read_parquet(str(tmp_path))
        scored = cohort.map_partitions(bsa.score_frame, age="age", range=True)
        result = scored.compute().sort_values("id")
        mean_by_decade = (scored.assign(decade=(scored.age // 10) * 10)
                          .groupby("decade").percent_bsa.mean().compute())

    assert cohort.npartitions == files
    np.testing.assert_array_equal(result["percent_bsa"].to_numpy(),
                                  bsa.percent_bsa(fractions, ages))
    low, high, _ = bsa.percent_bsa_range(fractions, ages)
    # the range's products are blocked differently per partition: equal to rounding
    assert_close(result["percent_bsa_high"].to_numpy(), high)
    expected = pd.Series(bsa.percent_bsa(fractions, ages)).groupby((ages // 10) * 10).mean()
    assert_close(mean_by_decade.sort_index().to_numpy(), expected.to_numpy())
