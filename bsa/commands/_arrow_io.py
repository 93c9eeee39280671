"""The batch command's fast path: CSV and Parquet read and written with pyarrow.

Only imported when pyarrow is installed (the ``research`` extra). The fast CSV reader
(pyarrow's, on as many threads as there are cores, a block at a time) reads what the careful
reader of :mod:`bsa.commands.batch` reads, to the same numbers; whatever it cannot vouch
for, it hands back (:class:`Careful`), and the file is read again by the careful reader,
which names the line and the reason: a cell that is not a number, a value out of range, a
row of another width, an empty cell, text that is not UTF-8, a NUL byte, a row longer than
1 MiB, a field longer than the csv module's limit. Nothing is written to the output until
every row has been read (see :func:`bsa.files.atomic_output`).

The numbers are written as :mod:`bsa.commands._numbers` says, from the same digits, and the
kept cells are quoted and made safe for spreadsheets as the careful writer does, so both
paths write the same bytes.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from ..errors import BSAInputError
from ..text import FORMULA_STARTS
from ._numbers import decimal_digits, number_texts

__all__ = ["Careful", "csv_batches", "parquet_batches", "csv_text", "ParquetSink"]

#: Bytes pyarrow reads at a time (and the most a row may take without a line end).
READ_BLOCK = 1 << 20
#: Rows per Parquet batch read.
PARQUET_ROWS = 65_536


class Careful(Exception):  # noqa: N818 - not an error: a hand-over to the careful reader
    """The fast reader found something only the careful reader can describe."""


def _check_raw(path: str, max_run: int) -> None:
    """Refuse (:class:`Careful`) a file with a NUL byte or a run of more than ``max_run``
    bytes without a line end, before pyarrow reads it (pyarrow would hold such a row in
    memory whole). The bytes' own search looks at windows of ``max_run // 2`` bytes, aligned
    in the file: a run that long covers at least one window whole. A shorter run that
    covers one (over half the limit) goes to the careful reader too, which reads it."""
    window = max(1, max_run // 2)
    with open(path, "rb") as raw:
        while True:
            data = raw.read(8 * window)  # a multiple of the window: windows stay aligned
            if not data:
                return
            if b"\x00" in data:
                raise Careful("NUL byte")
            for lo in range(0, len(data) - window + 1, window):
                if (data.find(b"\n", lo, lo + window) < 0
                        and data.find(b"\r", lo, lo + window) < 0):
                    raise Careful("long row")


def _floats(array: pa.Array) -> np.ndarray:
    """A float64 array without nulls as a numpy view of its buffer (``to_numpy`` would
    import pandas, a second's start-up)."""
    if array.type != pa.float64():
        array = array.cast(pa.float64())
    return np.frombuffer(array.buffers()[1], dtype=np.float64, count=len(array),
                         offset=array.offset * 8)


def csv_batches(path: str, cols, empty_as_zero: bool, max_row: int,
                max_field: int) -> Iterator[tuple[np.ndarray, np.ndarray, list[pa.Array]]]:
    """(ages, region values (n, n_region_columns), kept string arrays) per block of rows.

    ``cols`` is the header as :class:`bsa.commands.batch._Columns` read it (the header is
    read by the careful reader; here it is skipped).

    Raises
    ------
    Careful
        For anything the careful reader must look at.
    """
    names = [f"c{i}" for i in range(cols.width)]
    numbers = [cols.age, *cols.region_cols]
    types = {names[i]: pa.float64() for i in numbers}
    types.update({names[i]: pa.string() for i in cols.keep})
    try:
        _check_raw(path, max_row)
        reader = pa_csv.open_csv(
            path,
            read_options=pa_csv.ReadOptions(skip_rows=1, column_names=names,
                                            block_size=READ_BLOCK),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True,
                                              ignore_empty_lines=True),
            convert_options=pa_csv.ConvertOptions(
                column_types=types, null_values=[""] if empty_as_zero else [],
                strings_can_be_null=False, quoted_strings_can_be_null=False,
                check_utf8=True))
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                return
            if batch.num_rows == 0:
                continue
            ages = batch.column(cols.age)
            if ages.null_count:
                raise Careful("empty age")
            ages = _floats(ages)
            values = np.empty((batch.num_rows, len(cols.region_cols)))
            for j, i in enumerate(cols.region_cols):
                column = batch.column(i)
                if column.null_count:
                    column = column.fill_null(0.0)
                values[:, j] = _floats(column)
            if not (ages.min() >= 0 and ages.max() <= 120):  # NaN fails both
                raise Careful("age out of range")
            if not (values.min() >= 0 and values.max() <= 1):
                raise Careful("fraction out of range")
            kept = [batch.column(i) for i in cols.keep]
            for column in kept:
                if len(column) and pc.max(pc.utf8_length(column)).as_py() > max_field:
                    raise Careful("long field")
            yield ages, values, kept
    except pa.ArrowException as exc:
        raise Careful(str(exc)) from None


def _float_column(batch: pa.RecordBatch, name: str, what: str, first_row: int) -> np.ndarray:
    column = batch.column(name)
    if column.null_count:
        row = first_row + int(pc.index(column.is_null(), True).as_py())
        raise BSAInputError(f"row {row}: {what} {name!r} is empty (null)")
    try:
        return _floats(column)
    except (pa.ArrowException, TypeError, ValueError):
        raise BSAInputError(f"{what} {name!r} must hold numbers, got {column.type}") from None


def parquet_schema_names(path: str) -> list[str]:
    """The column names of a Parquet file."""
    try:
        return list(pq.ParquetFile(path).schema_arrow.names)
    except (pa.ArrowException, OSError) as exc:
        raise BSAInputError(f"{path}: not a Parquet file this command can read ({exc})") from None


def parquet_batches(path: str, cols) -> Iterator[tuple[np.ndarray, np.ndarray, list[pa.Array]]]:
    """(ages, region values, kept arrays) per batch of a Parquet file; rows numbered from 1.

    Raises
    ------
    BSAInputError
        For an empty (null) or non-numeric age or region cell, or a value out of range,
        naming the row (counted from 1) and the column.
    """
    try:
        source = pq.ParquetFile(path)
        wanted = [cols.names[i] for i in (*cols.keep, cols.age, *cols.region_cols)]
        first = 1
        for batch in source.iter_batches(batch_size=PARQUET_ROWS, columns=wanted):
            n = batch.num_rows
            ages = _float_column(batch, cols.names[cols.age], "age column", first)
            bad = np.flatnonzero(~((ages >= 0) & (ages <= 120)))
            if bad.size:
                raise BSAInputError(f"row {first + int(bad[0])}: age {ages[bad[0]]:g} is out "
                                    "of range: ages must be finite numbers of years from 0 "
                                    "to 120")
            values = np.empty((n, len(cols.region_cols)))
            for j, i in enumerate(cols.region_cols):
                name = cols.names[i]
                values[:, j] = _float_column(batch, name, "column", first)
                bad = np.flatnonzero(~((values[:, j] >= 0) & (values[:, j] <= 1)))
                if bad.size:
                    raise BSAInputError(
                        f"row {first + int(bad[0])}: column {name!r} is "
                        f"{values[bad[0], j]:g}: fractions must be from 0 (none) to 1 (the "
                        "whole region)")
            kept = [batch.column(cols.names[i]) for i in cols.keep]
            first += n
            yield ages, values, kept
    except pa.ArrowException as exc:
        raise BSAInputError(f"{path}: cannot read the Parquet file: {exc}") from None


# --------------------------------------------------------------------------- writing


def _words(strings: list[bytes], dtype: str = "<u8") -> np.ndarray:
    return np.frombuffer(b"".join(strings), dtype=dtype).astype(np.uint64)


# The integer part and the point, left-aligned in 8 bytes; the integer part's digits; four
# digits 0000-9999; byte masks keeping the first L bytes of 8 (and of the 4 after them).
_INT_POINT = _words([f"{i}.".encode().ljust(8, b"\0") for i in range(1000)])
_INT_DIGITS = np.array([len(str(i)) for i in range(1000)], dtype=np.int64)
_DIGITS = _words([f"{i:04d}".encode() for i in range(10_000)], "<u4")
_LOW_MASK = np.array([(1 << (8 * min(k, 8))) - 1 for k in range(14)], dtype=np.uint64)
_HIGH_MASK = np.array([(1 << (8 * min(max(k - 8, 0), 4))) - 1 for k in range(14)],
                      dtype=np.uint64)
_U32 = np.uint64(0xFFFFFFFF)


def _number_views(values: np.ndarray, separators: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Arrow string views of numbers' texts each followed by its separator (16 bytes: the
    length, then the text inline), and where a text is too long to be inline (over 12
    bytes: 100 or more with 8 decimals), which the caller writes otherwise."""
    whole, high, low, kept = decimal_digits(values)
    digits = _INT_DIGITS.take(whole, mode="clip")
    length = digits + (kept > 0) + kept
    shift = ((digits + 1) * 8).astype(np.uint64)
    # (mode="clip" skips the bounds check: every index is in range by construction)
    decimals = (_DIGITS.take(high, mode="clip")
                | (_DIGITS.take(low, mode="clip") << np.uint64(32)))
    first8 = ((_INT_POINT.take(whole, mode="clip") | (decimals << shift))
              & _LOW_MASK.take(length, mode="clip"))
    next4 = (decimals >> (np.uint64(64) - shift)) & _HIGH_MASK.take(length, mode="clip")
    in_first = length < 8  # the separator's byte: in the first 8 or in the next 4
    first8 |= np.where(in_first, separators, 0).astype(np.uint64) << np.where(
        in_first, 8 * length, 0).astype(np.uint64)
    next4 |= np.where(in_first, 0, separators).astype(np.uint64) << np.where(
        in_first, 0, 8 * (length - 8)).clip(min=0).astype(np.uint64)
    views = np.empty(values.shape + (4,), dtype=np.uint32)
    views[..., 0] = length + 1
    views[..., 1] = first8 & _U32
    views[..., 2] = first8 >> np.uint64(32)
    views[..., 3] = next4
    return views, length > 11


_FORMULA_BYTES = np.frombuffer("".join(FORMULA_STARTS).encode("ascii"), dtype=np.uint8)
_SPECIAL_BYTES = np.frombuffer(b',"\r\n', dtype=np.uint8)


def _string_parts(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(offsets as int64, data bytes) of a string array."""
    offsets = np.frombuffer(column.buffers()[1], dtype=np.int32, count=len(column) + 1,
                            offset=column.offset * 4).astype(np.int64)
    data = column.buffers()[2]
    return offsets, (np.frombuffer(data, dtype=np.uint8) if data is not None
                     else np.zeros(0, dtype=np.uint8))


def safe_cells(column: pa.Array) -> pa.Array:
    """Kept cells as the careful writer writes them: a leading quote before a formula start
    (:func:`bsa.text.for_spreadsheet`), then quoted if they hold a comma, a quote or a line
    end. The cells are looked at as bytes (the characters looked for are ASCII)."""
    if column.type != pa.string():
        column = column.cast(pa.string())
    if column.null_count:
        column = column.fill_null("")
    n = len(column)
    offsets, data = _string_parts(column)
    starts, lengths = offsets[:-1], np.diff(offsets)
    risky = np.zeros(n, dtype=bool)
    filled = lengths > 0
    if data.size:
        risky[filled] = np.isin(data.take(starts[filled]), _FORMULA_BYTES)
    special = np.zeros(n, dtype=bool)
    if data.size:
        at = np.flatnonzero(np.isin(data[offsets[0]:offsets[-1]], _SPECIAL_BYTES))
        if at.size:
            special[np.searchsorted(offsets, at + offsets[0], side="right") - 1] = True
    if risky.any():
        column = pc.if_else(pa.array(risky), pc.binary_join_element_wise("'", column, ""),
                            column)
    if special.any():
        quoted = pc.binary_join_element_wise(
            '"', pc.replace_substring(column, '"', '""'), '"', "")
        column = pc.if_else(pa.array(special), quoted, column)
    return column


def _kept_views(column: pa.Array, buffer_base: int) -> tuple[np.ndarray, list[pa.Buffer]]:
    """Arrow's string views of a string array's cells (Arrow makes them: inline up to 12
    bytes, else pointing into its data buffers), and those buffers, which become variadic
    buffers ``buffer_base``, ``buffer_base + 1``, ... of the array being built."""
    views_array = column.cast(pa.string_view())
    buffers = views_array.buffers()
    views = np.frombuffer(buffers[1], dtype="<u4", count=len(column) * 4,
                          offset=views_array.offset * 16).reshape(-1, 4).copy()
    data = [b if b is not None else pa.py_buffer(b"") for b in buffers[2:]]
    if buffer_base and data:
        views[views[:, 0] > 12, 2] += buffer_base
    return views, data


_COMMA_VIEW = np.array([1, ord(","), 0, 0], dtype=np.uint32)


def csv_text(kept: list[pa.Array], numbers: np.ndarray) -> pa.Buffer | bytes:
    """The CSV text of a block: the kept cells, then the numbers, one row a line.

    Every cell with its separator is one string view of one Arrow array, row after row, and
    Arrow copies them into one buffer, which is the text (no join, no Python loop). Zeros
    (most region cells) take no digit work.
    """
    n, m = numbers.shape
    if n == 0:
        return b""
    width = 2 * len(kept) + m
    views = np.empty((n, width, 4), dtype=np.uint32)
    data: list[pa.Buffer] = []
    for j, column in enumerate(kept):
        views_j, data_j = _kept_views(safe_cells(column), len(data))
        views[:, 2 * j] = views_j
        views[:, 2 * j + 1] = _COMMA_VIEW
        data += data_j
    separators = np.full(m, ord(","), dtype=np.uint64)
    separators[-1] = ord("\n")
    number_views = views[:, 2 * len(kept):]
    number_views[..., 0] = 2  # "0" and its separator
    number_views[..., 1] = ord("0") | (separators.astype(np.uint32) << 8)
    number_views[..., 2:] = 0
    flat = np.ascontiguousarray(numbers).reshape(-1)
    nonzero = np.flatnonzero(flat)
    if nonzero.size:
        computed, too_long = _number_views(flat[nonzero], separators[nonzero % m])
        if too_long.any():  # views pointing into a buffer of their own
            at = np.flatnonzero(too_long)
            texts = number_texts(flat[nonzero[at]].reshape(-1, 1))
            pieces, offset = [], 0
            for i, t in zip(at.tolist(), texts, strict=True):
                raw = t.encode("ascii") + (b"\n" if nonzero[i] % m == m - 1 else b",")
                computed[i] = [len(raw), int.from_bytes(raw[:4], "little"), len(data), offset]
                pieces.append(raw)
                offset += len(raw)
            data.append(pa.py_buffer(b"".join(pieces)))
        rows, columns = np.divmod(nonzero, m)
        number_views[rows, columns] = computed
    array = pa.StringViewArray.from_buffers(pa.string_view(), n * width,
                                            [None, pa.py_buffer(views), *data])
    text = array.cast(pa.string())
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int32, count=len(text) + 1)
    return text.buffers()[2][offsets[0]:offsets[-1]]


class ParquetSink:
    """A Parquet file written a block at a time into ``dst`` (a binary file object)."""

    def __init__(self, dst, kept_names: list[str], number_names: list[str]) -> None:
        self.dst = dst
        self.kept_names = kept_names
        self.number_names = number_names
        self.writer: Any = None

    def write(self, kept: list[Any], numbers: np.ndarray) -> None:
        arrays = [c if isinstance(c, (pa.Array, pa.ChunkedArray)) else pa.array(c, pa.string())
                  for c in kept]
        columns = np.asfortranarray(numbers)  # each column contiguous: handed over, not copied
        arrays += [pa.array(columns[:, j]) for j in range(columns.shape[1])]
        table = pa.table(arrays, names=self.kept_names + self.number_names)
        if self.writer is None:
            # Dictionary encoding only for the kept (text) columns: on computed numbers, which
            # rarely repeat, it costs more than half of the writing and makes a larger file.
            self.writer = pq.ParquetWriter(self.dst, table.schema,
                                           use_dictionary=list(self.kept_names))
        self.writer.write_table(table)

    def discard(self) -> None:
        """After a failure: close the writer quietly (the file itself is thrown away)."""
        if self.writer is not None:
            try:
                self.writer.close()
            except Exception:  # noqa: BLE001 - the first error is the one reported
                pass
            self.writer = None

    def close(self) -> None:
        if self.writer is None:  # no rows: an empty file with the columns
            kept = [pa.array([], pa.string()) for _ in self.kept_names]
            self.write(kept, np.zeros((0, len(self.number_names))))
        self.writer.close()


def csv_field_limit() -> int:
    return csv.field_size_limit()
