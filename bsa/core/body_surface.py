"""Whole-body surface area in square metres, to turn a percentage into square centimetres.

The formulas' constants are data (``charts/body_surface_formulas.json``) with their sources.

References
----------
.. [1] Mosteller RD. Simplified calculation of body-surface area. N Engl J Med
   1987;317:1098.
.. [2] Du Bois D, Du Bois EF. Arch Intern Med 1916;17:863-871.
.. [3] Haycock GB, Schwartz GJ, Wisotsky DH. J Pediatr 1978;93:62-66.
.. [4] Gehan EA, George SL. Cancer Chemother Rep 1970;54:225-235.
"""

from __future__ import annotations

import numpy as np

from ..data import load_json
from ..errors import BSAInputError

__all__ = ["FORMULAS", "body_surface_area", "percent_to_cm2"]

#: Formula identifiers, the default first.
FORMULAS: tuple[str, ...] = ("mosteller", "du_bois", "haycock", "gehan_george")

_WEIGHT_RANGE = (0.2, 700.0)  # kg: a preterm newborn to the heaviest recorded adults
_HEIGHT_RANGE = (20.0, 280.0)  # cm


def _positive(name: str, value, lo: float, hi: float, unit: str) -> np.ndarray:
    try:
        v = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise BSAInputError(f"{name} must be a number in {unit}, got {value!r}") from exc
    if v.size and not (v.min() >= lo and v.max() <= hi):
        raise BSAInputError(
            f"{name} out of range: it must be a finite number from {lo:g} to {hi:g} {unit}"
        )
    return v


def body_surface_area(weight_kg, height_cm, formula: str = "mosteller"):
    """Whole-body surface area from weight and height.

    Parameters
    ----------
    weight_kg : float or array_like
        Body weight. [kg]
    height_cm : float or array_like
        Body length or height. [cm]
    formula : {"mosteller", "du_bois", "haycock", "gehan_george"}, optional
        Default ``"mosteller"`` (simple, validated in children and adults).

    Returns
    -------
    float or ndarray
        Body surface area. [m2]

    Raises
    ------
    BSAInputError
        For an unknown formula or a weight/height that is not a plausible positive number.

    Examples
    --------
    >>> round(body_surface_area(80, 180, "du_bois"), 3)
    1.996
    """
    table = load_json("body_surface_formulas.json")["formulas"]
    if formula not in table:
        raise BSAInputError(
            f"unknown body surface formula {formula!r}; valid formulas are: {', '.join(FORMULAS)}"
        )
    f = table[formula]
    w = _positive("weight", weight_kg, *_WEIGHT_RANGE, "kg")
    h = _positive("height", height_cm, *_HEIGHT_RANGE, "cm")
    m2 = f["coefficient"] * w ** f["weight_exponent"] * h ** f["height_exponent"]
    return float(m2) if np.ndim(m2) == 0 else m2


def percent_to_cm2(percent, body_surface_m2):
    """Area in square centimetres of ``percent`` of a body surface of ``body_surface_m2``.

    Examples
    --------
    >>> percent_to_cm2(1.0, 2.0)
    200.0
    """
    p = np.asarray(percent, dtype=float)
    if p.size and not (p.min() >= 0 and p.max() <= 100):
        raise BSAInputError("percent of body surface must be from 0 to 100")
    s = _positive("body surface area", body_surface_m2, 0.01, 10.0, "m2")
    cm2 = p / 100.0 * s * 10_000.0
    return float(cm2) if np.ndim(cm2) == 0 else cm2
