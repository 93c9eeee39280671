"""Benchmark: the CSV command on a large cohort file, in bounded memory.

Writes a cohort CSV of --rows rows (id, age, 19 regions) to a temporary folder, runs
``python -m bsa batch`` on it in a child process, and reports the time, the throughput and
the child's peak resident memory (which must not grow with the number of rows).

Run:  python bench/bench_batch.py [--rows 10000000] [--dir /tmp]
"""

import argparse
import os
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--dir", default=tempfile.gettempdir())
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=a.dir) as d:
        d = Path(d)
        for rows in a.rows:
            src, dst = d / f"in_{rows}.csv", d / f"out_{rows}.csv"
            t0 = time.perf_counter()
            write_cohort(src, rows)
            t_write = time.perf_counter() - t0
            # ru_maxrss of children is the largest so far: measure each size in a fresh
            # grandchild so earlier runs do not mask it
            t0 = time.perf_counter()
            out = subprocess.run(
                [sys.executable, "-c",
                 "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True);"
                 " print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)",
                 sys.executable, "-m", "bsa", "batch", str(src), "-o", str(dst)],
                capture_output=True, text=True, check=True)
            elapsed = time.perf_counter() - t0
            peak = int(out.stdout.split()[-1]) / 1024
            n_out = sum(1 for _ in open(dst)) - 1
            print(f"{rows:>11,} rows, {src.stat().st_size / 2**20:6,.0f} MiB in "
                  f"(written in {t_write:.0f} s): batch {elapsed:6.1f} s "
                  f"({rows / elapsed:,.0f} rows/s), {n_out:,} rows out, "
                  f"peak resident memory {peak:.0f} MiB", flush=True)
            src.unlink()
            dst.unlink()

if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    main()
