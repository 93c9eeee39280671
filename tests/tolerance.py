"""The suite's tolerances: one for recomputed floats, one rule for printed values, and the few
deliberate clinical or measurement tolerances, each with its reason.

Import as ``from tolerance import TOL, printed`` (``tests/`` is on ``sys.path``: pytest puts
the folder of the top ``conftest.py`` there).
"""

import numpy as np

__all__ = [
    "CONTINUOUS_GRAMS_REL",
    "FLOAT32_REL",
    "MIRRORED_PIXELS_REL",
    "REDRAWN_PIXELS_MISMATCH",
    "TOL",
    "assert_close",
    "close",
    "printed",
]

#: Two computations of the same float quantity (%BSA, fractions, grams, cm2, m2, pixels)
#: agree to this, absolutely: far above float64 rounding of sums of up to a few hundred
#: terms of size 100, far below any difference a reader could see.
TOL = 1e-9


def printed(decimals: int) -> float:
    """Tolerance against a published value printed to ``decimals`` decimals.

    Half of the last printed digit (the printed value is the true one rounded), plus
    :data:`TOL` for the float rounding of the value recomputed here.

    Examples
    --------
    >>> printed(3) == 0.0005 + TOL
    True
    """
    return 0.5 * 10.0 ** -decimals + TOL


#: float32 carries 24 bits (about 7 significant digits): a total from float32 fractions
#: agrees with the float64 one to this share of itself.
FLOAT32_REL = 1e-6

#: "No step in the cream amount at an age boundary": the grams one microsecond-of-a-year
#: either side of 11, 12 and 18 years differ by less than this share (0.01%).
CONTINUOUS_GRAMS_REL = 1e-4

#: Left and right halves are drawn as mirror images, but rasterising a polygon at the
#: canvas's pixel grid is not symmetric: their pixel counts differ by up to this share.
MIRRORED_PIXELS_REL = 0.01

#: An SVG path written with 2-decimal coordinates and filled again labels all but this
#: share of the pixels as the label image does (the edges' pixels may flip).
REDRAWN_PIXELS_MISMATCH = 0.001


def close(actual, expected, tol: float = TOL) -> bool:
    """Whether every value of ``actual`` is within ``tol`` of ``expected`` (broadcast)."""
    return bool(np.allclose(actual, expected, rtol=0, atol=tol))


def assert_close(actual, expected, tol: float = TOL) -> None:
    """Assert :func:`close`, with numpy's report of the values that differ (NaN equals NaN)."""
    np.testing.assert_allclose(actual, expected, rtol=0, atol=tol)
