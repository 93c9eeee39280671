"""Whole-body surface area in square metres, to turn a percentage into square centimetres.

The formulas' constants are data (``charts/body_surface_formulas.json``) with their sources.

References
----------
.. [1] Mosteller RD. Simplified calculation of body-surface area. N Engl J Med
   1987;317:1098.
.. [2] Du Bois D, Du Bois EF. Arch Intern Med 1916;17:863-871.
   doi:10.1001/archinte.1916.00080130010002
.. [3] Haycock GB, Schwartz GJ, Wisotsky DH. J Pediatr 1978;93:62-66.
.. [4] Gehan EA, George SL. Cancer Chemother Rep 1970;54:225-235.
"""

from __future__ import annotations

from ..checks import HEIGHT_RANGE, PERCENT_RANGE, WEIGHT_RANGE, broadcast, number_array, one_of
from ..data import load_data
from ..i18n import _

__all__ = ["FORMULAS", "body_surface_area", "percent_to_cm2"]

FORMULAS_FILE = "body_surface_formulas.json"
SCHEMA_VERSION = 1

#: Formula identifiers, the default first.
FORMULAS: tuple[str, ...] = ("mosteller", "du_bois", "haycock", "gehan_george")

#: Whole-body surface areas accepted by :func:`percent_to_cm2`. [m2]
_SURFACE_RANGE = (0.01, 10.0)


def _plain(value):
    """A 0-d result as a float, an array as it is."""
    return float(value) if value.ndim == 0 else value


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
        For an unknown formula, a weight or height that is not a number in range (weight
        0.2 to 700 kg, height 20 to 280 cm: :mod:`bsa.checks`), or shapes that do not
        broadcast.

    Examples
    --------
    >>> round(body_surface_area(80, 180, "du_bois"), 3)
    1.996
    """
    f = load_data(FORMULAS_FILE, SCHEMA_VERSION)["formulas"][
        one_of(formula, _("body surface formula"), FORMULAS)]
    w = number_array(weight_kg, _("weight"), *WEIGHT_RANGE, "kg")
    h = number_array(height_cm, _("height"), *HEIGHT_RANGE, "cm")
    broadcast(weight=w, height=h)
    return _plain(f["coefficient"] * w ** f["weight_exponent"] * h ** f["height_exponent"])


def percent_to_cm2(percent, body_surface_m2):
    """Area in square centimetres of ``percent`` of a body surface of ``body_surface_m2``.

    Parameters
    ----------
    percent : float or array_like
        Share of the body surface, from 0 to 100. [%]
    body_surface_m2 : float or array_like
        Whole-body surface area, from 0.01 to 10 (see :func:`body_surface_area`). [m2]

    Returns
    -------
    float or ndarray
        The area; a float when both inputs are single numbers. [cm2]

    Raises
    ------
    BSAInputError
        For a value that is not a number in range, or shapes that do not broadcast.

    Examples
    --------
    >>> percent_to_cm2(1.0, 2.0)
    200.0
    """
    p = number_array(percent, _("percent of body surface"), *PERCENT_RANGE, "%")
    s = number_array(body_surface_m2, _("body surface area"), *_SURFACE_RANGE, "m2")
    broadcast(percent=p, body_surface_m2=s)
    return _plain(p / 100.0 * s * 10_000.0)
