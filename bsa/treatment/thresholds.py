"""Other published thresholds that use the affected percentage of body surface.

Psoriasis severity bands by body surface, and burn referral thresholds (American Burn
Association, ANZBA, UK National Burn Care Referral Guidance 2012). Each scheme is data in
``charts/severity_thresholds.json`` with its source and status; none of them is a treatment
limit.

References
----------
.. [1] National Psoriasis Foundation, traditional classification of psoriasis severity by
   body surface area (mild < 3%, moderate 3-10%, severe > 10%).
.. [2] American Burn Association. Burn Center Referral Criteria.
.. [3] Australian and New Zealand Burn Association. Burn referral criteria.
.. [4] National Network for Burn Care (England and Wales). National Burn Care Referral
   Guidance, 2012.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._renamed import renamed_argument
from ..core.charts import check_age
from ..data import load_data
from ..errors import BSAInputError
from .label_rules import check_percent_bsa

__all__ = ["Classification", "available_schemes", "scheme_info", "classify"]

THRESHOLDS_FILE = "severity_thresholds.json"
SCHEMA_VERSION = 1


def _doc() -> dict[str, Any]:
    return load_data(THRESHOLDS_FILE, SCHEMA_VERSION)


def available_schemes() -> tuple[str, ...]:
    """Identifiers of the shipped schemes, e.g. ``"psoriasis_bsa_npf"``, ``"burn_referral_uk_2012"``."""
    return tuple(_doc()["schemes"])


def scheme_info(scheme: str) -> dict[str, Any]:
    """The scheme's data (title, bands, source, status, notes) as stored; read-only by convention.

    Raises
    ------
    BSAInputError
        For an unknown scheme; the message lists the valid ones.
    """
    schemes = _doc()["schemes"]
    if not isinstance(scheme, str) or scheme not in schemes:
        raise BSAInputError(
            f"unknown threshold scheme {scheme!r}; valid schemes are: {', '.join(schemes)}"
        )
    return schemes[scheme]


@dataclass(frozen=True)
class Classification:
    """Where a total falls in one scheme.

    Attributes
    ----------
    scheme : str
    title : str
    category : str or ndarray of str (object dtype)
        E.g. ``"mild"``, ``"moderate"``, ``"severe"``; ``"below_threshold"`` or ``"refer"``.
    label : str or ndarray of str (object dtype)
        The category in words, with its threshold.
    age_group : str or ndarray of str (object dtype)
        ``"all"``, ``"adult"`` or ``"child"``: which bands were used.
    percent_bsa : float or ndarray
        [% of body surface]
    source : str
    status : str
        ``"verified"``, ``"secondary"`` or ``"unverified"``.
    notes : tuple of str
        Including what an area total cannot show, and how children are told from adults.
    """

    scheme: str
    title: str
    category: Any
    label: Any
    age_group: Any
    percent_bsa: Any
    source: str
    status: str
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        def plain(x: Any) -> Any:
            return x.tolist() if isinstance(x, np.ndarray) else x

        return {
            "scheme": self.scheme, "title": self.title, "category": plain(self.category),
            "label": plain(self.label), "age_group": plain(self.age_group),
            "percent_bsa": plain(self.percent_bsa), "source": self.source,
            "status": self.status, "notes": list(self.notes),
        }


def _band_index(p: np.ndarray, bands: list[dict[str, Any]]) -> np.ndarray:
    """Index of the band each total falls in (the last band whose lower edge it reaches)."""
    idx = np.zeros(p.shape, dtype=np.intp)
    for i, band in enumerate(bands[1:], start=1):
        lo = float(band["from"])
        hit = p >= lo if band.get("from_inclusive", True) else p > lo
        idx[hit] = i
    return idx


def _classify_bands(p: np.ndarray, bands: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
    idx = _band_index(p, bands)
    # object arrays of references to the few band texts, not one fixed-width copy per total
    category = np.array([b["category"] for b in bands], dtype=object)[idx]
    label = np.array([b["label"] for b in bands], dtype=object)[idx]
    return category, label


def _one(x: Any) -> str:
    """The single text of a 0-d result (indexing with a 0-d index may already give a str)."""
    return x if isinstance(x, str) else str(np.asarray(x, dtype=object).item())


@renamed_argument("age_years", "age")
def classify(percent_bsa, scheme: str, age=None) -> Classification:
    """Classify an affected body surface under a named threshold scheme.

    Parameters
    ----------
    percent_bsa : float or array_like
        Affected body surface (for burns: partial and full thickness, not superficial).
        [% of body surface, 0 to 100]
    scheme : str
        One of :func:`available_schemes`: ``"psoriasis_bsa_npf"``, ``"burn_referral_aba"``,
        ``"burn_referral_anzba"``, ``"burn_referral_uk_2012"``.
    age : float or array_like, optional
        Needed by schemes with separate child and adult thresholds (ANZBA, UK). [years]

    Returns
    -------
    Classification
        Scalar attributes for scalar input, arrays for array input.

    Raises
    ------
    BSAInputError
        For an unknown scheme, a total that is not a number from 0 to 100, a bad age, or a
        missing age where the scheme needs one.

    Examples
    --------
    >>> classify(3.0, "psoriasis_bsa_npf").category
    'moderate'
    >>> classify(2.0, "burn_referral_uk_2012", age=6).category
    'refer'
    >>> classify(2.0, "burn_referral_uk_2012", age=30).category
    'below_threshold'
    """
    info = scheme_info(scheme)
    p = check_percent_bsa(percent_bsa)
    bands = info["bands"]
    child_below = info.get("child_below_age_years")
    if child_below is None:
        category, label = _classify_bands(p, bands["all"])
        group = np.full(p.shape, "all", dtype=object)
    else:
        if age is None:
            raise BSAInputError(
                f"scheme {scheme!r} has separate thresholds for children and adults: give the "
                "age in years"
            )
        a = check_age(age)
        try:
            p, a = np.broadcast_arrays(p, a)
        except ValueError as exc:
            raise BSAInputError(
                f"{a.size} ages do not match {p.size} totals of shape {p.shape}"
            ) from exc
        child = a < float(child_below)
        cat_a, lab_a = _classify_bands(p, bands["adult"])
        cat_c, lab_c = _classify_bands(p, bands["child"])
        category = np.where(child, cat_c, cat_a)
        label = np.where(child, lab_c, lab_a)
        group = np.where(child, "child", "adult").astype(object)
    notes = list(info.get("notes", ()))
    notes.extend(info.get("also", ()))
    if child_below is not None:
        notes.append(
            f"Children are taken to be under {child_below:g} years "
            f"({info.get('age_boundary_status', 'source not stated')})."
        )
    scalar = p.ndim == 0
    return Classification(
        scheme=scheme,
        title=str(info["title"]),
        category=_one(category) if scalar else category,
        label=_one(label) if scalar else label,
        age_group=_one(group) if scalar else group,
        percent_bsa=float(p) if scalar else np.array(p, dtype=float),
        source=str(info["source"]),
        status=str(info["status"]),
        notes=tuple(notes),
    )
