"""Benchmark: %BSA with the full region breakdown for a cohort of patients.

Targets (issue 2): 1,000,000 patients, each with their own age, full region breakdown in at
most 0.3 s on one core and at least 100x faster than a plain per-patient Python loop
measured in the same run; peak memory at most three times the input array.

Run:  python bench/bench_core.py [--patients 1000000] [--loop-patients 20000]
"""

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")  # one core

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

import numpy as np  # noqa: E402

import bsa  # noqa: E402


def plain_loop(fractions, ages, chart):
    """The per-patient Python loop a researcher would write without the package's arrays."""
    columns = chart.age_columns.tolist()
    table = chart.region_table.tolist()
    totals, rows = [], []
    for f, age in zip(fractions.tolist(), ages.tolist()):
        i = max(0, min(len(columns) - 2, sum(1 for c in columns if c <= age) - 1))
        t = min(1.0, max(0.0, (age - columns[i]) / (columns[i + 1] - columns[i])))
        row = [(table[i][j] + t * (table[i + 1][j] - table[i][j])) * f[j] for j in range(19)]
        rows.append(row)
        totals.append(sum(row))
    return totals, rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--patients", type=int, default=1_000_000)
    ap.add_argument("--loop-patients", type=int, default=20_000)
    ap.add_argument("--repeats", type=int, default=7)
    a = ap.parse_args()

    rng = np.random.default_rng(0)
    fractions = rng.random((a.patients, len(bsa.REGIONS)))
    ages = rng.uniform(0, 100, a.patients)
    chart = bsa.load_chart("lund_browder")

    def vectorised():
        return bsa.percent_bsa(fractions, ages, return_breakdown=True)

    vectorised()  # warm up
    times = []
    for _ in range(a.repeats):
        t0 = time.perf_counter()
        totals, per_region = vectorised()
        times.append(time.perf_counter() - t0)
        del totals, per_region
    best, median = min(times), statistics.median(times)

    tracemalloc.start()
    totals, per_region = vectorised()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    n = a.loop_patients
    t0 = time.perf_counter()
    loop_totals, _ = plain_loop(fractions[:n], ages[:n], chart)
    loop_time = (time.perf_counter() - t0) / n * a.patients
    assert np.allclose(loop_totals, totals[:n], atol=1e-9), "the loop and the arrays disagree"

    m = max(1, n // 10)
    t0 = time.perf_counter()
    api_totals = [bsa.percent_bsa(fractions[i], ages[i]) for i in range(m)]
    api_loop_time = (time.perf_counter() - t0) / m * a.patients
    assert np.allclose(api_totals, totals[:m], atol=1e-9)

    input_bytes = fractions.nbytes
    print(f"patients: {a.patients:,} (each with its own age), regions: {fractions.shape[1]}")
    print(f"vectorised breakdown + totals: median {median * 1e3:.0f} ms, "
          f"best {best * 1e3:.0f} ms over {a.repeats} runs (target <= 300 ms)")
    print(f"plain Python loop over lists: {loop_time:.1f} s for {a.patients:,} "
          f"(timed on {n:,} patients, scaled)")
    print(f"  speed-up: {loop_time / median:.0f}x (target >= 100x)")
    print(f"per-patient loop calling bsa.percent_bsa: {api_loop_time:.1f} s "
          f"(timed on {m:,} patients, scaled)")
    print(f"  speed-up: {api_loop_time / median:.0f}x")
    print(f"peak memory allocated: {peak / 2**20:.0f} MiB = {peak / input_bytes:.2f} x the "
          f"input array of {input_bytes / 2**20:.0f} MiB (target <= 3x)")


if __name__ == "__main__":
    main()
