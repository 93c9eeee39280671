"""Benchmark: the range of totals under every chart for a cohort of patients.

Target (issue 13): 1,000,000 patients x 19 regions, each with their own age and BMI
(so every chart of the range is read: Lund-Browder interpolated and banded, the adult and
paediatric rules of nines, the body-shape chart for BMI 30 or more), in under 1 second on
the project's 2-core machine. Also checks the cohort against one patient at a time
(:func:`bsa.estimate_range`) on a sample.

Run:  python bench/bench_range.py [--patients 1000000] [--palms] [--threads 1]
"""

import argparse
import os
import sys


def _threads() -> str:
    for i, arg in enumerate(sys.argv):
        if arg == "--threads" and i + 1 < len(sys.argv):
            return sys.argv[i + 1]
        if arg.startswith("--threads="):
            return arg.split("=", 1)[1]
    return "1"


for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, _threads())  # before numpy is imported

import statistics  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

import numpy as np  # noqa: E402

import bsa  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--patients", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--palms", action="store_true", help="also a palm count for every patient")
    ap.add_argument("--threads", default="1", help="BLAS threads (default 1)")
    ap.add_argument("--check", type=int, default=200,
                    help="patients compared with bsa.estimate_range one by one")
    a = ap.parse_args()

    rng = np.random.default_rng(0)
    fractions = rng.random((a.patients, len(bsa.REGIONS)))
    ages = rng.uniform(0, 100, a.patients)
    bmis = rng.uniform(15, 55, a.patients)
    palms = rng.uniform(0, 40, a.patients) if a.palms else None

    def run():
        return bsa.percent_bsa_range(fractions, ages, bmi=bmis, palm_count=palms)

    run()  # warm up (loads and stacks the charts)
    times = []
    for _ in range(a.repeats):
        t0 = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - t0)
        del result
    best, median = min(times), statistics.median(times)

    tracemalloc.start()
    low, high, by_chart = run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    idx = rng.choice(a.patients, size=min(a.check, a.patients), replace=False)
    for i in idx:
        r = bsa.estimate_range(dict(zip(bsa.REGIONS, fractions[i], strict=True)), ages[i],
                               height_cm=100.0, weight_kg=bmis[i],
                               palm_count=None if palms is None else palms[i])
        assert abs(low[i] - r.low) < 1e-9 and abs(high[i] - r.high) < 1e-9, i
    used = {k: int(np.count_nonzero(~np.isnan(v))) for k, v in by_chart.items()}

    print(f"patients: {a.patients:,} x {fractions.shape[1]} regions, ages 0-100, BMI 15-55"
          + (", palm counts 0-40" if a.palms else "")
          + f"; BLAS threads: {os.environ['OPENBLAS_NUM_THREADS']}; cores: {os.cpu_count()}")
    print(f"percent_bsa_range: median {median * 1e3:.0f} ms, best {best * 1e3:.0f} ms over "
          f"{a.repeats} runs (target < 1000 ms)")
    print(f"peak memory allocated: {peak / 2**20:.0f} MiB "
          f"(input array {fractions.nbytes / 2**20:.0f} MiB)")
    print("patients each chart applies to: " + ", ".join(f"{k} {v:,}" for k, v in used.items()))
    print(f"agrees with bsa.estimate_range on {len(idx)} patients (1e-9)")


if __name__ == "__main__":
    main()
