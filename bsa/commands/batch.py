"""``python -m bsa batch cohort.csv -o out.csv``: the affected %BSA of every patient in a table.

The input is a CSV file (or a Parquet file, ``.parquet`` or ``.pq``) with a header row: an
age column, one column per region or half (named as in :data:`bsa.REGIONS`, or
``REGION:front`` / ``REGION:back``) holding the affected fraction from 0 to 1, and any
columns named with ``--keep`` (``id`` by default), copied through. The output (CSV, or
Parquet if its name ends in ``.parquet`` or ``.pq``) has the kept columns, the age,
``percent_bsa`` and each region's contribution (``pct_<region>``; ``--no-regions`` leaves
them out). Numbers are written with at most 8 decimals, trailing zeros dropped.

With pyarrow installed (the ``research`` extra), files are read and written with pyarrow: many
times faster, and Parquet. A CSV file it cannot vouch for is read again by the careful reader
below, which names the line and the reason; both write the same bytes. Without pyarrow the
careful reader does everything (CSV only) and the command says how to get the fast path.

The input must be UTF-8 text (with or without a byte order mark); another encoding
(Latin-1, UTF-16, ...) is refused with the line where it shows. A row may be at most 1 MiB
long (quoted line breaks included): a longer one, as in a file that is not a CSV or has a
quote that is never closed, is refused with its line number. The file is read and written
in blocks, so neither its size nor its lines can make the command use more than a bounded
amount of memory.

A kept cell that a spreadsheet would run as a formula (one starting with = + - @, a tab or
a carriage return) is written to a CSV output with a leading single quote, so it shows as
text (a Parquet output keeps the cells as they are: it is not opened as a spreadsheet).

The output is written to a temporary file beside the target, ``.NAME.PID.RANDOM.part``, and
moved into place only when every row has been read: a bad row stops the command with its
line number, and the previous output, if any, is left as it was. A temporary file left by
a run that was killed is removed by the next run writing the same output.

Why one long module: it holds the two readers (pyarrow's, and the careful reader for files
pyarrow cannot vouch for), which must accept and refuse the same files with the same
messages; kept together so that a change to one is seen next to the other.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import operator
import sys
from pathlib import Path

import numpy as np

from ..core.charts import check_age, load_chart
from ..core.estimation import breakdown, percent_bsa
from ..core.regions import PART_INDEX, PART_NAMES, PART_REGION, REGION_SIDES, REGIONS, parse_part
from ..errors import BSAInputError
from ..files import atomic_output
from ..frames import RESEARCH_EXTRA_HINT
from ..text import for_spreadsheet
from ._common import add_chart_arguments
from ._numbers import number_texts

BLOCK_ROWS = 10_000
#: The longest row read, quoted line breaks included. [bytes]
MAX_ROW_BYTES = 1 << 20
#: A block of rows holds at most this much text, so memory stays bounded. [bytes]
BLOCK_BYTES = 32 << 20
#: The longest number cell parsed in bulk; a longer one is read cell by cell. [characters]
_FAST_CELL_CHARS = 64
_READ_BYTES = 1 << 20
_BOMS = {b"\xef\xbb\xbf": None, b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16",
         b"\x00\x00\xfe\xff": "UTF-32", b"\xff\xfe\x00\x00": "UTF-32"}
_ENCODING_HINT = "save it as UTF-8 (with or without a byte order mark)"


class _Lines:
    """The input's lines as text, for :class:`csv.reader`, read in bounded memory.

    Refuses bytes that are not UTF-8 (naming the line), a NUL byte, and a row longer than
    :data:`MAX_ROW_BYTES`: a line, or several lines inside a quoted field. ``row_done()``
    starts counting a new row; ``block_bytes`` counts the text handed out since
    ``block_done()``.
    """

    def __init__(self, raw, name: str) -> None:
        self.raw = raw
        self.name = name
        self.line = 0
        self.row_start = 1  # the line the current row started on
        self.row_bytes = 0
        self.block_bytes = 0

    def row_done(self) -> None:
        self.row_bytes = 0

    def block_done(self) -> None:
        self.block_bytes = 0

    def where(self) -> str:
        """``line N``, or ``lines N-M`` for a row that goes on over several lines."""
        if self.line > self.row_start:
            return f"lines {self.row_start}-{self.line} (one row: is a quote left open?)"
        return f"line {self.line}"

    def _too_long(self, line: int) -> BSAInputError:
        where = f"line {line}" if line != self.line else self.where()
        return BSAInputError(
            f"{where}: a row longer than {MAX_ROW_BYTES >> 20} MiB, the longest this "
            "command reads (is it a CSV file? is a quote left open?)"
        )

    def _chunks(self):
        """Lists of complete lines (bytes, with their line ends), each line checked."""
        tail = b""
        first = True
        while True:
            data = self.raw.read(_READ_BYTES)
            if first:
                first = False
                if b"\x00" in data[:4096]:
                    self._decode(data[:4096].splitlines(keepends=True))  # names the line
                for bom, encoding in _BOMS.items():
                    if data.startswith(bom) and encoding:
                        raise BSAInputError(
                            f"{self.name}: the file is {encoding} text; {_ENCODING_HINT}"
                        )
                if data.startswith(b"\xef\xbb\xbf"):
                    data = data[3:]
            if not data:
                if tail:
                    yield [tail]
                return
            lines = (tail + data).splitlines(keepends=True)
            # the last line may go on in the next read (a "\r" may be half of "\r\n")
            tail = lines.pop() if not lines[-1].endswith(b"\n") else b""
            if len(tail) > MAX_ROW_BYTES:
                raise self._too_long(self.line + len(lines) + 1)
            if lines:
                if max(map(len, lines)) > MAX_ROW_BYTES:
                    k = next(i for i, x in enumerate(lines) if len(x) > MAX_ROW_BYTES)
                    raise self._too_long(self.line + k + 1)
                yield lines

    def _decode(self, lines: list[bytes]) -> list[str]:
        try:
            if any(b"\x00" in x for x in lines):
                raise UnicodeError
            return [x.decode("utf-8") for x in lines]
        except UnicodeError:
            for k, x in enumerate(lines):
                line = self.line + k + 1
                if b"\x00" in x:
                    raise BSAInputError(
                        f"line {line}: a NUL byte, which UTF-8 text does not have (is the file "
                        f"UTF-16, or not text?); {_ENCODING_HINT}"
                    ) from None
                try:
                    x.decode("utf-8")
                except UnicodeDecodeError as exc:
                    column = len(x[: exc.start].decode("utf-8")) + 1
                    raise BSAInputError(
                        f"line {line}: byte 0x{x[exc.start]:02x} at column {column} is not "
                        f"UTF-8 (the file may be Latin-1 or Windows-1252); {_ENCODING_HINT}"
                    ) from None
            raise  # not reached: some line failed above

    def __iter__(self):
        for chunk in self._chunks():
            for text in self._decode(chunk):
                self.line += 1
                n = len(text)
                if not self.row_bytes:
                    self.row_start = self.line
                self.row_bytes += n
                self.block_bytes += n
                if self.row_bytes > MAX_ROW_BYTES:
                    raise self._too_long(self.line)
                yield text


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "batch",
        help="affected %%BSA for every row of a CSV or Parquet file",
        description=__doc__.split("\n\n", 1)[1],
        formatter_class=__import__("argparse").RawDescriptionHelpFormatter,
    )
    p.add_argument("input", metavar="FILE",
                   help="input CSV file ('-' for standard input), or Parquet (.parquet, .pq)")
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="output CSV file, or Parquet (.parquet, .pq)")
    add_chart_arguments(p, age_required=False)
    p.add_argument("--age-column", default="age", metavar="NAME",
                   help="name of the age column, in years (default 'age')")
    p.add_argument("--keep", action="append", metavar="NAME",
                   help="a column to copy to the output unchanged (repeatable; default 'id' "
                   "if present)")
    p.add_argument("--empty-as-zero", action="store_true",
                   help="read an empty region cell as 0 (by default it is an error)")
    p.add_argument("--no-regions", dest="regions", action="store_false",
                   help="leave out each region's contribution (pct_<region>): the totals only")
    p.add_argument("--block-rows", type=int, default=BLOCK_ROWS, help=__import__("argparse").SUPPRESS)
    p.set_defaults(run=run)


class _Columns:
    """Which input column is what, worked out from the header."""

    def __init__(self, header: list[str], age_column: str, keep: list[str] | None, *,
                 where: str = "line 1"):
        names = [h.strip() for h in header]
        if len(set(names)) != len(names):
            dup = sorted({n for n in names if names.count(n) > 1})
            raise BSAInputError(f"{where}: column names appear more than once: {dup}")
        if age_column not in names:
            raise BSAInputError(
                f"{where}: no age column {age_column!r}; the header has {names} "
                "(choose the age column with --age-column)"
            )
        self.age = names.index(age_column)
        keep_names = keep if keep is not None else [n for n in ("id",) if n in names]
        missing = [k for k in keep_names if k not in names]
        if missing:
            raise BSAInputError(f"{where}: --keep names columns not in the header: {missing}")
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
                    f"{where}: column {name!r} is not the age, a kept column (--keep) or a "
                    f"region: {exc}"
                ) from None
            if side is None:
                if any(h.startswith(region + ":") for h in halves):
                    raise BSAInputError(f"{where}: {region!r} has a column whole and per half")
                whole.add(region)
                sides = REGION_SIDES[region]
            else:
                if region in whole:
                    raise BSAInputError(f"{where}: {region!r} has a column whole and per half")
                halves.add(name)
                sides = (side,)
            self.region_cols.append(i)
            self.targets.append([PART_INDEX[f"{region}:{s}"] for s in sides])
        if not self.region_cols:
            raise BSAInputError(
                f"{where}: no region columns; name them after the regions: {', '.join(REGIONS)}"
            )
        self.width = len(names)
        self.names = names
        self.has_halves = bool(halves)


def _parse_fast(rows, cols: _Columns, empty_as_zero: bool):
    """Parse a block with numpy's string-to-number conversion; None if any cell needs a look."""
    if any(len(row) != cols.width for row in rows):
        return None
    # only the number columns, and only short cells: the array is as wide as its longest
    cells = list(map(operator.itemgetter(cols.age, *cols.region_cols), rows))
    if max(map(len, itertools.chain.from_iterable(cells))) > _FAST_CELL_CHARS:
        return None
    table = np.array(cells, dtype=str)
    regions = table[:, 1:]
    if empty_as_zero:
        regions[regions == ""] = "0"
    try:
        return table[:, 0].astype(float), regions.astype(float)
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
    """Return (ages, values (n, region columns)) for one block, or raise naming the line."""
    parsed = _parse_fast(rows, cols, empty_as_zero)
    if parsed is None:
        ages, values = _parse_slowly(rows, lines, cols, empty_as_zero)
    else:
        ages, values = parsed
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
    return ages, values


def _csv_field(text: str) -> str:
    """A kept cell as CSV writes it: quoted only when it must be, never run as a formula."""
    text = for_spreadsheet(text)
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _open_input(name: str):
    """The input as bytes: a file, or standard input for '-'."""
    if name != "-":
        return open(name, "rb")
    stdin = getattr(sys.stdin, "buffer", None)
    if stdin is None:  # a text stream (tests, embedding): its text, read as it comes
        stdin = _TextAsBytes(sys.stdin)
    return stdin


class _TextAsBytes:
    def __init__(self, text_stream) -> None:
        self.stream = text_stream

    def read(self, n: int) -> bytes:
        return self.stream.read(n).encode("utf-8", "surrogateescape")

    def close(self) -> None:
        pass


PARQUET_SUFFIXES = (".parquet", ".pq")


def _is_parquet(name: str) -> bool:
    return name != "-" and Path(name).suffix.lower() in PARQUET_SUFFIXES


def _arrow_io():
    """The pyarrow fast path, or None without pyarrow."""
    try:
        from . import _arrow_io
    except ImportError:
        return None
    return _arrow_io


def _header_row(cols: _Columns, regions: bool) -> list[str]:
    names = cols.keep_names + [cols.names[cols.age], "percent_bsa"]
    return names + ([f"pct_{r}" for r in REGIONS] if regions else [])


def _csv_header(cols: _Columns, regions: bool) -> str:
    text = io.StringIO()
    names = _header_row(cols, regions)
    csv.writer(text, lineterminator="\n").writerow([for_spreadsheet(n) for n in names])
    return text.getvalue()


def _score(ages: np.ndarray, values: np.ndarray, cols: _Columns, args) -> np.ndarray:
    """The numbers written for a block: age, total and (with regions) each region's share."""
    halves = cols.has_halves
    n = len(ages)
    if halves:
        fractions = np.zeros((n, len(PART_NAMES)))
        for j, targets in enumerate(cols.targets):
            for t in targets:
                fractions[:, t] = values[:, j]
    elif [PART_REGION[t[0]] for t in cols.targets] == list(range(len(REGIONS))):
        fractions = values  # every region, in REGIONS order: as read
    else:  # whole regions only: the 19 regions' path
        fractions = np.zeros((n, len(REGIONS)))
        for j, targets in enumerate(cols.targets):
            fractions[:, PART_REGION[targets[0]]] = values[:, j]
    out = np.empty((n, 2 + (len(REGIONS) if args.regions else 0)))
    out[:, 0] = ages
    if not args.regions:
        percent_bsa(fractions, ages, args.chart, args.age_mode, out=out[:, 1])
        return out
    total, per = percent_bsa(fractions, ages, args.chart, args.age_mode, return_breakdown=True)
    out[:, 1] = total
    if halves:
        out[:, 2:] = 0.0
        for i, r in enumerate(PART_REGION):
            out[:, 2 + r] += per[:, i]
    else:
        out[:, 2:] = per
    return out


def run(args) -> int:
    load_chart(args.chart)  # an unknown chart fails before any reading
    breakdown(np.zeros(len(REGIONS)), 30.0, args.chart, args.age_mode)  # and a bad age mode
    if args.block_rows < 1:
        raise BSAInputError("--block-rows must be at least 1")
    out_path = Path(args.output)
    if args.input != "-" and Path(args.input).resolve() == out_path.resolve():
        raise BSAInputError("the output file must not be the input file")
    arrow = _arrow_io()
    parquet_in, parquet_out = _is_parquet(args.input), _is_parquet(args.output)
    if arrow is None and (parquet_in or parquet_out):
        raise BSAInputError(f"reading and writing Parquet needs pyarrow; {RESEARCH_EXTRA_HINT}")
    how = "careful reader"
    if parquet_in:
        n_rows = _run_parquet(args, arrow, out_path, parquet_out)
        how = "pyarrow"
    elif arrow is not None and args.input != "-" and Path(args.input).is_file():
        try:
            n_rows = _run_csv(args, out_path, parquet_out, arrow)
            how = "pyarrow"
        except arrow.Careful:
            n_rows = _run_csv(args, out_path, parquet_out, None)
    else:
        n_rows = _run_csv(args, out_path, parquet_out, None)
    note = ""
    if arrow is None:
        note = f"; for a reader many times faster, and Parquet, {RESEARCH_EXTRA_HINT}"
    print(f"wrote {n_rows} rows to {out_path} (chart {args.chart}, {args.age_mode} age "
          f"reading; read by the {how}){note}", file=sys.stderr)
    return 0


def _prefetched(blocks, depth: int = 2):
    """The blocks of ``blocks``, read ahead in a thread (pyarrow reads without the GIL, so
    reading the next block overlaps scoring and writing this one); at most ``depth`` blocks
    wait, so memory stays bounded. An exception in the reader is raised here."""
    import queue
    import threading

    waiting: queue.Queue = queue.Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def offer(item) -> bool:
        """Queue ``item`` unless the consumer has stopped (never blocks for good)."""
        while not stop.is_set():
            try:
                waiting.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for block in blocks:
                if not offer(block):
                    return
            offer(done)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, raised there
            offer(exc)
        finally:
            close = getattr(blocks, "close", None)
            if close is not None:
                close()  # a generator's clean-up (closing its file) runs in this thread

    reader = threading.Thread(target=read, name="bsa-batch-reader", daemon=True)
    reader.start()
    try:
        while True:
            block = waiting.get()
            if block is done:
                return
            if isinstance(block, BaseException):
                raise block
            yield block
    finally:
        stop.set()
        reader.join()


@contextlib.contextmanager
def _finishing(sink):
    """Close the Parquet ``sink`` (if any) after the rows are written; on any failure,
    discard it (the output file itself is thrown away by the atomic writer)."""
    try:
        yield
        if sink is not None:
            sink.close()
    except BaseException:
        if sink is not None:
            sink.discard()
        raise


def _write_batches(arrow, batches, cols, args, dst, sink) -> int:
    """Score pyarrow's blocks (read ahead in a thread) and write each, as CSV text into
    ``dst`` or into the Parquet ``sink``; return the number of rows."""
    n_rows = 0
    for ages, values, kept in _prefetched(batches):
        numbers = _score(ages, values, cols, args)
        if sink is None:
            dst.write(arrow.csv_text(kept, numbers))
        else:
            sink.write(kept, numbers)
        n_rows += len(ages)
    return n_rows


def _run_parquet(args, arrow, out_path: Path, parquet_out: bool) -> int:
    names = arrow.parquet_schema_names(args.input)
    cols = _Columns(names, args.age_column, args.keep, where="the file's columns")
    n_rows = 0
    with atomic_output(out_path, "wb", what="the output") as dst:
        sink = (arrow.ParquetSink(dst, cols.keep_names, _header_row(cols, args.regions)[
            len(cols.keep_names):]) if parquet_out else None)
        if sink is None:
            dst.write(_csv_header(cols, args.regions).encode("utf-8"))
        with _finishing(sink):
            n_rows = _write_batches(arrow, arrow.parquet_batches(args.input, cols), cols, args,
                                    dst, sink)
    return n_rows


def _run_csv(args, out_path: Path, parquet_out: bool, arrow) -> int:
    """Read a CSV file: with pyarrow if ``arrow`` is given (raising ``arrow.Careful`` for
    anything the careful reader must look at), else with the careful reader."""
    src = _open_input(args.input)
    n_rows = 0
    try:
        with atomic_output(out_path, "wb", what="the output") as dst:
            lines = _Lines(src, args.input)
            reader = csv.reader(lines)
            try:
                try:
                    header = next(reader)
                except StopIteration:
                    raise BSAInputError(
                        f"{args.input}: the file is empty (no header row)") from None
                cols = _Columns(header, args.age_column, args.keep)
                if arrow is not None and lines.line != 1:
                    raise arrow.Careful("a header over several lines")
                sink = None
                if parquet_out:
                    arrow_out = _arrow_io()
                    sink = arrow_out.ParquetSink(dst, cols.keep_names, _header_row(
                        cols, args.regions)[len(cols.keep_names):])
                else:
                    dst.write(_csv_header(cols, args.regions).encode("utf-8"))
                with _finishing(sink):
                    if arrow is not None:
                        src.close()
                        n_rows = _write_batches(arrow, arrow.csv_batches(
                            args.input, cols, args.empty_as_zero, MAX_ROW_BYTES,
                            csv.field_size_limit()), cols, args, dst, sink)
                    else:
                        n_rows = _write_rows(reader, lines, cols, dst, sink, args)
            except csv.Error as exc:
                reason = str(exc)
                if "field limit" in reason:
                    reason = (f"a field longer than {csv.field_size_limit()} characters, the "
                              "longest this command reads")
                raise BSAInputError(
                    f"{lines.where()}: not a CSV row this command can read: {reason}"
                ) from None
    finally:
        if src is not sys.stdin and src is not getattr(sys.stdin, "buffer", None):
            src.close()
    return n_rows


def _write_rows(reader, lines: _Lines, cols: _Columns, dst, sink, args) -> int:
    """Read, compute and write every row after the header, a block at a time."""
    n_rows = 0
    lines.row_done()
    while True:
        rows, numbers = [], []
        lines.block_done()
        for row in reader:
            if row and len(row) != cols.width:  # now, before a block of long rows is kept
                raise BSAInputError(
                    f"{lines.where()}: {len(row)} fields, but the header has {cols.width}"
                )
            lines.row_done()
            if not row:  # a blank line
                continue
            rows.append(row)
            numbers.append(reader.line_num)
            if len(rows) >= args.block_rows or lines.block_bytes >= BLOCK_BYTES:
                break
        if not rows:
            return n_rows
        ages, values = _parse_block(rows, numbers, cols, args.empty_as_zero)
        table = _score(ages, values, cols, args)
        if sink is not None:
            sink.write([[row[i] for row in rows] for i in cols.keep], table)
        else:
            texts = number_texts(table)
            if cols.keep:
                kept = [",".join(_csv_field(row[i]) for i in cols.keep) + "," for row in rows]
                texts = [k + t for k, t in zip(kept, texts)]
            dst.write(("\n".join(texts) + "\n").encode("utf-8"))
        n_rows += len(rows)
