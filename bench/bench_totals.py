"""Benchmark: %BSA totals of a cohort (no breakdown), as ratios to plain numpy in one run.

Goal (issue 16): 1,000,000 patients x 19 regions, and x 33 halves, each with their own age,
totals within 3x of a single ``fractions @ weights`` product (one fixed weight vector, the
least any totals can cost) measured in the same run; no BLAS worker threads kept busy on the
other cores (process CPU time / wall time about 1).

The machine is shared: each timing is the best of --repeats runs, the runs of the three
measurements interleaved, so a burst of load elsewhere hits them alike.

Run:  python bench/bench_totals.py [--patients 1000000] [--repeats 15]
"""

import argparse
import resource
import time

import numpy as np

import bsa


def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--patients", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=15)
    a = ap.parse_args()
    rng = np.random.default_rng(0)
    ages = rng.uniform(0, 100, a.patients)
    print(f"patients: {a.patients:,}, each with their own age; best of {a.repeats} "
          "interleaved runs")
    for k, weights in ((19, bsa.region_weights(30.0)), (33, bsa.half_weights(30.0))):
        fractions = rng.random((a.patients, k))
        f32 = fractions.astype(np.float32)
        totals = np.empty(a.patients)
        runs = {
            "fractions @ weights": lambda f=fractions, w=weights: f @ w,
            "np.sum(fractions)": lambda f=fractions: np.sum(f),
            "bsa.percent_bsa": lambda f=fractions, o=totals: bsa.percent_bsa(f, ages, out=o),
            "bsa.percent_bsa float32": lambda f=f32, o=totals: bsa.percent_bsa(f, ages, out=o),
            "with the breakdown": lambda f=fractions: bsa.percent_bsa(
                f, ages, return_breakdown=True),
        }
        best = dict.fromkeys(runs, float("inf"))
        for _ in range(a.repeats):
            for name, run in runs.items():
                t0 = time.perf_counter()
                run()
                best[name] = min(best[name], time.perf_counter() - t0)
        ref = best["fractions @ weights"]
        print(f"\n{k} {'regions' if k == 19 else 'halves'}:")
        for name in runs:
            print(f"  {name:26s} {best[name] * 1e3:7.1f} ms  {best[name] / ref:5.2f}x the "
                  f"product")
        ratio = best["bsa.percent_bsa"] / ref
        print(f"  totals / product: {ratio:.2f} (goal <= 3); "
              f"totals / np.sum: {best['bsa.percent_bsa'] / best['np.sum(fractions)']:.2f}")
        # Threads: BLAS workers left spinning by the product above would be counted here,
        # so let them fall asleep first, then run the totals alone.
        time.sleep(2.0)
        c0, t0 = cpu_seconds(), time.perf_counter()
        for _ in range(5):
            bsa.percent_bsa(fractions, ages, out=totals)
        share = (cpu_seconds() - c0) / (time.perf_counter() - t0)
        print(f"  totals alone: process CPU time / wall time {share:.2f} "
              "(1.00: one core, no worker threads)")


if __name__ == "__main__":
    main()
