"""Benchmark: the CSV command on a large cohort file, in bounded memory.

Writes a cohort CSV of --rows rows (id, age, 19 regions) to a temporary folder, runs
``python -m bsa batch`` on it in a child process, and reports the time, the throughput and
the child's peak resident memory (which must not grow with the number of rows).

Run:  python bench/bench_batch.py [--rows 10000000] [--dir /tmp]
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import bsa


def write_cohort(path: Path, rows: int, block: int = 200_000) -> None:
    rng = np.random.default_rng(0)
    with open(path, "w") as f:
        f.write("id,age," + ",".join(bsa.REGIONS) + "\n")
        for s in range(0, rows, block):
            n = min(block, rows - s)
            ages = rng.uniform(0, 100, n)
            fr = rng.random((n, 19)) * (rng.random((n, 19)) < 0.3)
            lines = [f"p{s + i},{ages[i]:.2f}," + ",".join(f"{x:.3f}" for x in fr[i])
                     for i in range(n)]
            f.write("\n".join(lines) + "\n")


def run(src: Path, dst: Path) -> tuple[float, float]:
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "bsa", "batch", str(src), "-o", str(dst)],
                         capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if out.returncode:
        sys.exit(out.stderr)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, peak_kib / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--dir", default=tempfile.gettempdir())
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=a.dir) as d:
        d = Path(d)
        small, big = d / "small.csv", d / "big.csv"
        write_cohort(small, 10_000)
        t_small, rss_small = run(small, d / "small_out.csv")
        t0 = time.perf_counter()
        write_cohort(big, a.rows)
        t_write = time.perf_counter() - t0
        t_big, rss_big = run(big, d / "big_out.csv")
        n_out = sum(1 for _ in open(d / "big_out.csv")) - 1
        print(f"input: {a.rows:,} rows, {big.stat().st_size / 2**20:,.0f} MiB "
              f"(written in {t_write:.0f} s); output rows: {n_out:,}")
        print(f"batch: {t_big:.1f} s ({a.rows / t_big:,.0f} rows/s)")
        print(f"peak resident memory of the command: {rss_big:.0f} MiB for {a.rows:,} rows "
              f"vs {rss_small:.0f} MiB for 10,000 rows")


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    main()
