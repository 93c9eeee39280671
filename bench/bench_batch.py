"""Benchmark: ``python -m bsa batch`` on a cohort file, against pandas in the same run.

Writes a cohort CSV of --rows rows (id, age, 19 regions, 30% of the cells affected) to a
temporary folder and times, best of --repeats runs interleaved:

- ``pandas.read_csv`` + ``bsa.percent_bsa`` on the arrays (the reference: reading and
  scoring, nothing written), in this process;
- ``bsa.cli.main(["batch", ...])`` in this process, with the region columns (the default)
  and with ``--no-regions``; and the same as a user runs it, ``python -m bsa batch`` in a
  child process (interpreter start included), with its peak resident memory;
- the same file as Parquet in and out.

Goals (issue 16): at least 1,000,000 rows/s end to end for CSV, and no slower than 0.8x the
reference (rows/s of batch / rows/s of the reference >= 0.8).

Run:  python bench/bench_batch.py [--rows 1000000] [--repeats 3] [--dir /tmp]
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
from bsa.cli import main as bsa_main


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


def pandas_reference(src: Path) -> None:
    import pandas as pd

    table = pd.read_csv(src)
    bsa.percent_bsa(table[list(bsa.REGIONS)].to_numpy(), table["age"].to_numpy())


def in_process(args: list[str]) -> None:
    saved = sys.stderr
    sys.stderr = open(os.devnull, "w")
    try:
        assert bsa_main(["batch", *args]) == 0
    finally:
        sys.stderr.close()
        sys.stderr = saved


def child(args: list[str]) -> tuple[float, float]:
    """(seconds, peak resident MiB) of ``python -m bsa batch ARGS`` in a fresh process."""
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c",
         "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True);"
         " print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)",
         sys.executable, "-m", "bsa", "batch", *args],
        capture_output=True, text=True, check=True)
    return time.perf_counter() - t0, int(out.stdout.split()[-1]) / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--dir", default=tempfile.gettempdir())
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=a.dir) as d:
        d = Path(d)
        src = d / "in.csv"
        t0 = time.perf_counter()
        write_cohort(src, a.rows)
        print(f"{a.rows:,} rows, {src.stat().st_size / 2**20:,.0f} MiB CSV (written in "
              f"{time.perf_counter() - t0:.0f} s); best of {a.repeats} interleaved runs",
              flush=True)
        import pyarrow.csv as pa_csv
        import pyarrow.parquet as pq

        parquet = d / "in.parquet"  # the same cohort as Parquet: id, age, regions
        pq.write_table(pa_csv.read_csv(src), parquet)
        runs = {
            "pandas.read_csv + percent_bsa (reference)": lambda: pandas_reference(src),
            "batch CSV -> CSV": lambda: in_process([str(src), "-o", str(d / "o.csv")]),
            "batch CSV -> CSV --no-regions": lambda: in_process(
                [str(src), "-o", str(d / "o.csv"), "--no-regions"]),
            "batch Parquet -> Parquet": lambda: in_process(
                [str(parquet), "-o", str(d / "o.parquet")]),
            "batch CSV -> Parquet": lambda: in_process([str(src), "-o", str(d / "o.parquet")]),
        }
        best = dict.fromkeys(runs, float("inf"))
        for _ in range(a.repeats):
            for name, run in runs.items():
                t0 = time.perf_counter()
                run()
                best[name] = min(best[name], time.perf_counter() - t0)
        ref = best["pandas.read_csv + percent_bsa (reference)"]
        for name, seconds in best.items():
            print(f"  {name:44s} {seconds:6.2f} s  {a.rows / seconds:>11,.0f} rows/s  "
                  f"{ref / seconds:5.2f}x the reference's rows/s", flush=True)
        for extra in ([], ["--no-regions"]):
            seconds, peak = min(child([str(src), "-o", str(d / "o.csv"), *extra])
                                for _ in range(a.repeats))
            print(f"  python -m bsa batch CSV -> CSV {' '.join(extra):14s} {seconds:6.2f} s  "
                  f"{a.rows / seconds:>11,.0f} rows/s end to end (a fresh interpreter), "
                  f"peak resident memory {peak:.0f} MiB", flush=True)
        print(f"goals: >= 1,000,000 rows/s end to end; >= 0.8x the reference's rows/s "
              f"(the machine's load: {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
