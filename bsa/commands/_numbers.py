"""Numbers as CSV text: the one wording of a number in the batch command's output.

Every number is written with at most :data:`DECIMALS` decimals, trailing zeros and a
trailing point dropped (``21.5``, ``0``, ``0.33333333``, ``120``), whichever reader read
the rows: :func:`number_texts` (Python, for the careful reader) and
:func:`bsa.commands._arrow_io.csv_text` (pyarrow) give the same characters, from the
same integer digits (:func:`decimal_digits`).

Examples
--------
>>> import numpy as np
>>> number_texts(np.array([[3, 21.5, 1 / 3], [120, 0, 1e-5]]))
['3,21.5,0.33333333', '120,0,0.00001']
"""

from __future__ import annotations

import numpy as np

__all__ = ["DECIMALS", "MAX_VALUE", "decimal_digits", "number_texts"]

#: Decimals written. [1]
DECIMALS = 8
#: Numbers from 0 to below this are written (ages and percentages). [1]
MAX_VALUE = 1000.0

_SCALE = 10**DECIMALS
# Trailing zeros of each 4-digit group 0000-9999 (4 for 0000).
_TRAILING_ZEROS = np.array([4 if i == 0 else len(f"{i:04d}") - len(f"{i:04d}".rstrip("0"))
                            for i in range(10_000)], dtype=np.int64)


def decimal_digits(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The integer part, the 8 decimals as two groups of 4 digits, and how many decimals to
    write (0 to 8, trailing zeros dropped).

    Raises
    ------
    ValueError
        For a number that is negative, NaN, infinite or :data:`MAX_VALUE` or more (a bug
        upstream: the command checks its values before).
    """
    values = np.asarray(values, dtype=np.float64)
    if values.size and not (values.min() >= 0.0 and values.max() < MAX_VALUE):
        raise ValueError("the batch command writes numbers from 0 to below 1000")
    scaled = np.rint(values * _SCALE).astype(np.int64)
    whole = scaled // _SCALE
    fraction = scaled - whole * _SCALE
    high = fraction // 10_000
    low = fraction - high * 10_000
    # (take with mode="clip" skips the bounds check: the indices are in range by construction)
    kept = (8 - _TRAILING_ZEROS.take(low, mode="clip")
            - (low == 0) * _TRAILING_ZEROS.take(high, mode="clip"))
    return whole, high, low, kept


def number_texts(values: np.ndarray) -> list[str]:
    """Each row of ``values`` (n, m) as comma-separated text, without a line end."""
    whole, high, low, kept = decimal_digits(values)
    rows = []
    for w_row, h_row, l_row, k_row in zip(whole.tolist(), high.tolist(), low.tolist(),
                                          kept.tolist()):
        rows.append(",".join(
            f"{w}.{h:04d}{lo:04d}"[: len(str(w)) + 1 + k] if k else str(w)
            for w, h, lo, k in zip(w_row, h_row, l_row, k_row)))
    return rows
