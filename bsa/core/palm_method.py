"""The palm method: count how many of the patient's own hands would cover the affected skin.

A cross-check, with the range the studies give for the patient's age group, never the only
answer. The numbers are data (``charts/palm_method.json``) with their sources.

References
----------
.. [1] Rossiter ND, Chapman P, Haywood IA. How big is a hand? Burns 1996;22:230-231.
   doi:10.1016/0305-4179(95)00118-2
.. [2] Nagel TR, Schunk JE. Pediatr Emerg Care 1997;13:254-255.
.. [3] Agarwal P, Sahu S. Indian J Plast Surg 2010;43:49-53.
   doi:10.1055/s-0039-1699403
.. [4] Rhodes J, Clay C, Phillips M. Br J Dermatol 2013;169:76-84.
   doi:10.1111/bjd.12290
"""

from __future__ import annotations

from dataclasses import dataclass

from .._renamed import renamed_argument
from ..checks import SEXES, flag, number, one_age, one_of
from ..data import load_data
from ..i18n import N_, _, num

__all__ = ["SEXES", "PalmEstimate", "palm_method"]


PALM_FILE = "palm_method.json"
_POPULATION_WORDS = {"adults": N_("adults"), "children": N_("children")}
SCHEMA_VERSION = 1

_MAX_PALMS = 200.0


@dataclass(frozen=True)
class PalmEstimate:
    """Affected body surface from a count of the patient's hands.

    Attributes
    ----------
    palms : float
        Hands counted.
    include_fingers : bool
        Whether a "hand" is palm with fingers (True) or the palm alone.
    percent_bsa : float
        The count times the conventional share (1% with fingers, 0.5% palm only). [%]
    low_percent, high_percent : float
        The count times the lowest and highest shares the studies give for the age group. [%]
    population : str
        ``"adults"`` or ``"children"``: whose studies gave the range.
    sources : tuple of str
    note : str
        What the range means and its limits for this patient.
    status : str
        ``"verified"``, or ``"secondary"`` if a study behind the range was read only in a
        secondary summary.
    """

    palms: float
    include_fingers: bool
    percent_bsa: float
    low_percent: float
    high_percent: float
    population: str
    sources: tuple[str, ...]
    note: str
    status: str = "verified"

    @property
    def span(self) -> tuple[float, float]:
        """The count's published spread with the convention: the lowest and highest of
        :attr:`low_percent`, :attr:`high_percent` and :attr:`percent_bsa`. [%]"""
        return (min(self.low_percent, self.percent_bsa),
                max(self.high_percent, self.percent_bsa))


@renamed_argument("age_years", "age")
def palm_method(palms: float, age: float | None = None, *,
                include_fingers: bool = True, sex: str | None = None) -> PalmEstimate:
    """Affected %BSA from the number of the patient's own hands that would cover it.

    Parameters
    ----------
    palms : float
        Number of hand areas counted (may be fractional, e.g. 2.5). [1]
    age : float, optional
        Age of the patient; chooses the adults' or the children's studies for the range
        (children: under 14 years). Without it the adults' range is used. [years]
    include_fingers : bool, optional
        True (default): palm with the fingers, the usual "hand" (1% by convention).
        False: the palm alone (0.5% by convention).
    sex : {"female", "male"}, optional
        A study that reports women and men separately (Rossiter 1996) then gives only the
        patient's sex to the range; studies of both sexes together always count.

    Returns
    -------
    PalmEstimate

    Raises
    ------
    BSAInputError
        For a count that is not a number from 0 to 200, an age that is not one number from
        0 to 120, ``include_fingers`` other than True or False, or an unknown sex.

    Examples
    --------
    >>> r = palm_method(10, age=40)
    >>> r.percent_bsa, r.low_percent, r.high_percent
    (10.0, 7.0, 9.2)
    >>> palm_method(10, age=40, sex="male").low_percent
    8.0
    """
    n = number(palms, _("the palm count"), 0.0, _MAX_PALMS, _("hands"))
    include_fingers = flag(include_fingers, "include_fingers")
    age = None if age is None else one_age(age)
    data = load_data(PALM_FILE, SCHEMA_VERSION)
    key = "palm_and_fingers_percent" if include_fingers else "palm_only_percent"
    conventional = data["convention"][key]
    if age is None:
        population = "adults"
    else:
        population = "children" if age < data["child_below_age_years"] else "adults"
    studies = [s for s in data["studies"] if s["population"] == population]
    studies = [s for s in studies if s.get(key) is not None]
    if sex is not None:
        one_of(sex, _("sex"), SEXES, listed="valid (or none)")
        studies = [s for s in studies if s.get("sex") in (None, sex)]
    shares = [s[key] for s in studies]
    lo, hi = min(shares), max(shares)
    note = (_("One hand with fingers is {conventional}% by convention; studies of {population} "
              "found {low}% to {high}%.") if include_fingers else
            _("One palm without fingers is {conventional}% by convention; studies of "
              "{population} found {low}% to {high}%.")).format(
        conventional=num(conventional, "g"), population=_(_POPULATION_WORDS[population]),
        low=num(lo, "g"), high=num(hi, "g"))
    if population == "adults" and include_fingers:
        note += " " + _("In adults the hand is usually below 1%, and smaller still as BMI rises.")
    if age is not None and population == "children" and age < 1:
        note += " " + _("No study here covers infants under 1 year.")
    sources = tuple(dict.fromkeys(
        s["source"] + (" " + _("(read in a secondary summary)")
                       if s.get("status") == "secondary" else "")
        for s in studies))
    return PalmEstimate(
        palms=n,
        include_fingers=include_fingers,
        percent_bsa=round(n * conventional, 10),
        low_percent=round(n * lo, 10),
        high_percent=round(n * hi, 10),
        population=population,
        sources=sources,
        note=note,
        status="secondary" if any(s.get("status") == "secondary" for s in studies)
        else "verified",
    )
