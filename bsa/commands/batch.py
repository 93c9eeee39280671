"""``python -m bsa batch cohort.csv -o out.csv``: the affected %BSA of every patient in a CSV.

The input has a header row: an age column, one column per region or half (named as in
:data:`bsa.REGIONS`, or ``REGION:front`` / ``REGION:back``) holding the affected fraction
from 0 to 1, and any columns named with ``--keep`` (``id`` by default), copied through. The
output has the kept columns, the age, ``percent_bsa`` and each region's contribution
(``pct_<region>``).

The file is read and written in blocks, so its size is not limited by memory. The output is
written to a temporary file beside the target and moved into place only when every row has
been read: a bad row stops the command with its line number, and no partial output is left.
"""

from __future__ import annotations

import csv
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

from ..core.charts import check_age, load_chart
from ..core.estimation import breakdown
from ..core.regions import PART_INDEX, PART_NAMES, PART_REGION, REGION_SIDES, REGIONS, parse_part
from ..errors import BSAInputError
from ._common import add_chart_arguments

BLOCK_ROWS = 10_000


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "batch",
        help="affected %%BSA for every row of a CSV file",
        description=__doc__.split("\n\n", 1)[1],
        formatter_class=__import__("argparse").RawDescriptionHelpFormatter,
    )
    p.add_argument("input", metavar="CSV", help="input CSV file ('-' for standard input)")
    p.add_argument("-o", "--output", required=True, metavar="CSV", help="output CSV file")
    add_chart_arguments(p, age_required=False)
    p.add_argument("--age-column", default="age", metavar="NAME",
                   help="name of the age column, in years (default 'age')")
    p.add_argument("--keep", action="append", metavar="NAME",
                   help="a column to copy to the output unchanged (repeatable; default 'id' "
                   "if present)")
    p.add_argument("--empty-as-zero", action="store_true",
                   help="read an empty region cell as 0 (by default it is an error)")
    p.add_argument("--block-rows", type=int, default=BLOCK_ROWS, help=__import__("argparse").SUPPRESS)
    p.set_defaults(run=run)


class _Columns:
    """Which input column is what, worked out from the header."""

    def __init__(self, header: list[str], age_column: str, keep: list[str] | None):
        names = [h.strip() for h in header]
        if len(set(names)) != len(names):
            dup = sorted({n for n in names if names.count(n) > 1})
            raise BSAInputError(f"line 1: column names appear more than once: {dup}")
        if age_column not in names:
            raise BSAInputError(
                f"line 1: no age column {age_column!r}; the header has {names} "
                "(choose the age column with --age-column)"
            )
        self.age = names.index(age_column)
        keep_names = keep if keep is not None else [n for n in ("id",) if n in names]
        missing = [k for k in keep_names if k not in names]
        if missing:
            raise BSAInputError(f"line 1: --keep names columns not in the header: {missing}")
        self.keep = [names.index(k) for k in keep_names]
        self.keep_names = keep_names
        self.region_cols: list[int] = []
        self.targets: list[list[int]] = []  # the halves each region column sets
        whole: set[str] = set()
        halves: set[str] = set()
        for i, name in enumerate(names):
            if i == self.age or i in self.keep:
                continue
            try:
                region, side = parse_part(name)
            except BSAInputError as exc:
                raise BSAInputError(
                    f"line 1: column {name!r} is not the age, a kept column (--keep) or a "
                    f"region: {exc}"
                ) from None
            if side is None:
                if any(h.startswith(region + ":") for h in halves):
                    raise BSAInputError(f"line 1: {region!r} has a column whole and per half")
                whole.add(region)
                sides = REGION_SIDES[region]
            else:
                if region in whole:
                    raise BSAInputError(f"line 1: {region!r} has a column whole and per half")
                halves.add(name)
                sides = (side,)
            self.region_cols.append(i)
            self.targets.append([PART_INDEX[f"{region}:{s}"] for s in sides])
        if not self.region_cols:
            raise BSAInputError(
                f"line 1: no region columns; name them after the regions: {', '.join(REGIONS)}"
            )
        self.width = len(names)
        self.names = names


def _parse_fast(rows, cols: _Columns, empty_as_zero: bool):
    """Parse a block with numpy's string-to-number conversion; None if any cell needs a look."""
    if any(len(row) != cols.width for row in rows):
        return None
    table = np.array(rows, dtype=str)
    regions = table[:, cols.region_cols]
    if empty_as_zero:
        regions[regions == ""] = "0"
    try:
        return table[:, cols.age].astype(float), regions.astype(float)
    except ValueError:
        return None


def _parse_slowly(rows, lines, cols: _Columns, empty_as_zero: bool):
    """Cell by cell, to name the line and column of the first cell that is not a number."""
    n = len(rows)
    ages = np.empty(n)
    values = np.empty((n, len(cols.region_cols)))
    for k, (row, line) in enumerate(zip(rows, lines)):
        if len(row) != cols.width:
            raise BSAInputError(
                f"line {line}: {len(row)} fields, but the header has {cols.width}"
            )
        try:
            ages[k] = float(row[cols.age])
        except ValueError:
            raise BSAInputError(
                f"line {line}: age {row[cols.age]!r} is not a number of years"
            ) from None
        for j, c in enumerate(cols.region_cols):
            cell = row[c].strip()
            if not cell and empty_as_zero:
                values[k, j] = 0.0
                continue
            try:
                values[k, j] = float(cell)
            except ValueError:
                raise BSAInputError(
                    f"line {line}: column {cols.names[c]!r} has {row[c]!r}, not a fraction "
                    "from 0 to 1" + ("" if cell else " (use --empty-as-zero to read empty as 0)")
                ) from None
    return ages, values


def _parse_block(rows, lines, cols: _Columns, empty_as_zero: bool):
    """Return (ages, half fractions (n, 33)) for one block, or raise naming the line."""
    parsed = _parse_fast(rows, cols, empty_as_zero)
    if parsed is None:
        ages, values = _parse_slowly(rows, lines, cols, empty_as_zero)
    else:
        ages, values = parsed
    n = len(rows)
    bad_age = ~((ages >= 0) & (ages <= 120))
    if bad_age.any():
        k = int(np.argmax(bad_age))
        try:
            check_age(ages[k])
        except BSAInputError as exc:
            raise BSAInputError(f"line {lines[k]}: {exc}") from None
    bad = ~((values >= 0) & (values <= 1))
    if bad.any():
        k, j = np.argwhere(bad)[0]
        raise BSAInputError(
            f"line {lines[k]}: column {cols.names[cols.region_cols[j]]!r} is "
            f"{values[k, j]:g}: fractions must be from 0 (none) to 1 (the whole region)"
        )
    halves = np.zeros((n, len(PART_NAMES)))
    for j, targets in enumerate(cols.targets):
        for t in targets:
            halves[:, t] = values[:, j]
    return ages, halves


def _csv_field(text: str) -> str:
    """A kept cell as CSV writes it: quoted only when it must be."""
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def run(args) -> int:
    load_chart(args.chart)  # an unknown chart fails before any reading
    breakdown(np.zeros(len(REGIONS)), 30.0, args.chart, args.age_mode)  # and a bad age mode
    if args.block_rows < 1:
        raise BSAInputError("--block-rows must be at least 1")
    out_path = Path(args.output)
    if args.input != "-" and Path(args.input).resolve() == out_path.resolve():
        raise BSAInputError("the output file must not be the input file")
    src = sys.stdin if args.input == "-" else open(args.input, newline="", encoding="utf-8-sig")
    out_dir = out_path.parent if str(out_path.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".part", dir=out_dir)
    n_rows = 0
    try:
        with src, os.fdopen(fd, "w", newline="", encoding="utf-8") as dst:
            reader = csv.reader(src)
            try:
                header = next(reader)
            except StopIteration:
                raise BSAInputError(f"{args.input}: the file is empty (no header row)") from None
            cols = _Columns(header, args.age_column, args.keep)
            writer = csv.writer(dst, lineterminator="\n")
            writer.writerow(
                cols.keep_names + [cols.names[cols.age], "percent_bsa"]
                + [f"pct_{r}" for r in REGIONS]
            )
            number_format = ",".join(["%.10g"] * (2 + len(REGIONS)))
            half_to_region = np.zeros((len(PART_NAMES), len(REGIONS)))
            half_to_region[np.arange(len(PART_NAMES)), PART_REGION] = 1.0
            while True:
                rows, lines = [], []
                for row in reader:
                    if not row:  # a blank line
                        continue
                    rows.append(row)
                    lines.append(reader.line_num)
                    if len(rows) >= args.block_rows:
                        break
                if not rows:
                    break
                ages, halves = _parse_block(rows, lines, cols, args.empty_as_zero)
                per_half = breakdown(halves, ages, args.chart, args.age_mode)
                per_region = per_half @ half_to_region
                totals = per_half.sum(axis=1)
                numbers = np.column_stack([ages, totals, per_region]).tolist()
                if cols.keep:
                    kept = [",".join(_csv_field(row[i]) for i in cols.keep) + "," for row in rows]
                    text = "\n".join([k + number_format % tuple(v)
                                       for k, v in zip(kept, numbers)])
                else:
                    text = "\n".join([number_format % tuple(v) for v in numbers])
                dst.write(text + "\n")
                n_rows += len(rows)
        os.replace(tmp_name, out_path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    print(f"wrote {n_rows} rows to {out_path} (chart {args.chart}, {args.age_mode} age reading)",
          file=sys.stderr)
    return 0
