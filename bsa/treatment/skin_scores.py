"""The area parts of EASI, PASI and VASI, computed from the same marks as the body surface.

EASI and PASI score the affected share of four body regions (head and neck, upper limbs,
trunk, lower limbs) from 0 to 6 and weight the regions by age; VASI counts hand units. The
19 Lund-Browder regions map onto the four score regions as stored, with its sources, in
``charts/skin_scores.json``: genitalia with the trunk, buttocks with the lower limbs. A score
region's affected percentage is the affected body surface inside it divided by its whole
body surface at the patient's age, both read from the chart.

Only the area parts are computed: the severity signs (redness, thickness, scratching,
scaling) need a clinician's eye.

References
----------
.. [1] Hanifin JM, Thurston M, Omoto M, Cherill R, Tofte SJ, Graeber M. The eczema area and
   severity index (EASI): assessment of reliability in atopic dermatitis. Exp Dermatol
   2001;10:11-18.
.. [2] Fredriksson T, Pettersson U. Severe psoriasis - oral therapy with a new retinoid.
   Dermatologica 1978;157:238-244.
.. [3] Hamzavi I, Jain H, McLean D, Shapiro J, Zeng H, Lui H. Parametric modeling of
   narrowband UV-B phototherapy for vitiligo using a novel quantitative tool: the Vitiligo
   Area Scoring Index. Arch Dermatol 2004;140:677-683.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .._renamed import renamed_argument
from ..core.charts import DEFAULT_AGE_MODE, DEFAULT_CHART, check_age, region_weights
from ..core.estimation import breakdown, check_fractions, selection_to_fractions
from ..core.regions import PART_NAMES, PART_REGION, REGION_INDEX, REGIONS
from ..data import load_data
from ..errors import BSAInputError
from .label_rules import check_percent_bsa

__all__ = [
    "SCORE_REGIONS",
    "AREA_SCORE_EDGES",
    "area_score",
    "score_weights",
    "score_region_mapping",
    "region_percentages",
    "easi_area_scores",
    "pasi_area_scores",
    "vasi_hand_units",
]

SCORES_FILE = "skin_scores.json"
SCHEMA_VERSION = 1

#: The four score regions, in the order EASI and PASI list them.
SCORE_REGIONS: tuple[str, ...] = ("head_neck", "upper_limbs", "trunk", "lower_limbs")

#: Percentages of a region where the area score steps up (scores 2 to 6); see area_score.
AREA_SCORE_EDGES: tuple[float, ...] = (10.0, 30.0, 50.0, 70.0, 90.0)

#: Decimal places a region percentage is rounded to before it is scored, so that the
#: rounding in a ratio of chart weights (9.999999999999998 for a marked 10%) does not
#: drop a score by one.
SCORE_ROUNDING_DECIMALS = 9


def _doc() -> dict[str, Any]:
    return load_data(SCORES_FILE, SCHEMA_VERSION)


def _edges_from_data() -> tuple[float, ...]:
    bands = _doc()["area_score"]["bands"]
    return tuple(float(b["from"]) for b in bands[2:])


def area_score(percent) -> Any:
    """EASI/PASI area score (0 to 6) of the affected percentage of one body region.

    Parameters
    ----------
    percent : float or array_like
        Affected share of the region. [% of the region, 0 to 100]

    Returns
    -------
    int or ndarray of int
        0 = none, 1 = 1-9%, 2 = 10-29%, 3 = 30-49%, 4 = 50-69%, 5 = 70-89%, 6 = 90-100%.

    Raises
    ------
    BSAInputError
        For NaN, a negative number or more than 100.

    Notes
    -----
    The published bands are whole percentages. A band here runs from its first value up to,
    but not including, the next band's first value: any involvement above 0 and below 10%
    scores 1 (0.2% and 9.5% both score 1), 10% up to below 30% scores 2 (29.9% scores 2),
    and 90% to 100% scores 6. The percentage is first rounded to 9 decimal places.

    Examples
    --------
    >>> area_score(0), area_score(9.5), area_score(10), area_score(90)
    (0, 1, 2, 6)
    """
    p = np.round(check_percent_bsa(percent), SCORE_ROUNDING_DECIMALS)
    edges = np.asarray(_edges_from_data())
    score = np.searchsorted(edges, p, side="right") + 1
    score = np.where(p > 0.0, score, 0).astype(int)
    return int(score) if score.ndim == 0 else score


@renamed_argument("age_years", "age")
def score_weights(score: str, age) -> dict[str, Any]:
    """The region weights of ``"easi"`` or ``"pasi"`` at the given age(s).

    EASI: 8 years and older 0.1/0.2/0.3/0.4 (head and neck, upper limbs, trunk, lower
    limbs); 0-7 years (below 8.0) 0.2/0.2/0.3/0.3. PASI: 0.1/0.2/0.3/0.4 at every age.

    Returns
    -------
    dict
        Score region -> weight (float, or an array for array ages).
    """
    info = _score_info(score)
    a = check_age(age)
    out = {r: np.zeros(a.shape) for r in SCORE_REGIONS}
    for band in info["weights"]:
        lo = float(band["from_age_years"])
        hi = np.inf if band["to_age_years"] is None else float(band["to_age_years"])
        inside = (a >= lo) & (a < hi)
        for r in SCORE_REGIONS:
            out[r] = np.where(inside, float(band["weights"][r]), out[r])
    return {r: float(v) if a.ndim == 0 else v for r, v in out.items()}


def _score_info(score: str) -> dict[str, Any]:
    scores = _doc()["scores"]
    if not isinstance(score, str) or score not in scores:
        raise BSAInputError(f"unknown score {score!r}; valid scores are: {', '.join(scores)}")
    return scores[score]


def score_region_mapping() -> dict[str, tuple[str, ...]]:
    """Score region -> the Lund-Browder regions it is made of (each region in exactly one)."""
    return {r: tuple(v["lund_browder"]) for r, v in _doc()["score_regions"].items()}


def _mapping_matrix() -> np.ndarray:
    """(19, 4) matrix of ones: Lund-Browder region -> score region."""
    m = np.zeros((len(REGIONS), len(SCORE_REGIONS)))
    for j, r in enumerate(SCORE_REGIONS):
        for name in score_region_mapping()[r]:
            m[REGION_INDEX[name], j] = 1.0
    if not np.all(m.sum(axis=1) == 1.0):
        raise BSAInputError(f"{SCORES_FILE}: every Lund-Browder region must be in one score region")
    return m


def _as_fractions(fractions: Mapping[str, Any] | Any) -> np.ndarray:
    if isinstance(fractions, Mapping):
        return selection_to_fractions(fractions)
    f = check_fractions(fractions)
    if f.ndim == 0 or f.shape[-1] not in (len(REGIONS), len(PART_NAMES)):
        raise BSAInputError(
            f"fractions must be a mapping of region -> fraction or an array whose last axis "
            f"holds the {len(REGIONS)} regions or the {len(PART_NAMES)} halves, got shape {f.shape}"
        )
    return f


@renamed_argument("age_years", "age")
def region_percentages(fractions, age, *, chart: str = DEFAULT_CHART,
                       age_mode: str = DEFAULT_AGE_MODE) -> dict[str, dict[str, Any]]:
    """Affected and whole body surface of each score region, and the affected share of it.

    Parameters
    ----------
    fractions : mapping or array_like, shape (..., 19) or (..., 33)
        ``{"head": 1.0, "right_thigh:front": 0.5}``, or affected fractions of the regions
        (:data:`bsa.core.regions.REGIONS` order) or halves (:data:`bsa.core.regions.PART_NAMES`
        order). [1]
    age : float or array_like
        Age of the patient. [years]
    chart, age_mode : str, optional
        As in :func:`bsa.breakdown`.

    Returns
    -------
    dict
        Score region -> ``{"percent_bsa_affected", "percent_bsa_of_region",
        "percent_of_region"}`` (floats, or arrays for array input). [%]
    """
    f = _as_fractions(fractions)
    contrib = breakdown(f, age, chart, age_mode)
    if contrib.shape[-1] == len(PART_NAMES):
        to_region = np.zeros((len(PART_NAMES), len(REGIONS)))
        to_region[np.arange(len(PART_NAMES)), np.asarray(PART_REGION)] = 1.0
        contrib = contrib @ to_region
    whole = region_weights(np.broadcast_to(check_age(age), contrib.shape[:-1]),
                           chart, age_mode)
    m = _mapping_matrix()
    affected = contrib @ m
    of_region = whole @ m
    share = np.clip(100.0 * affected / of_region, 0.0, 100.0)
    out = {}
    for j, r in enumerate(SCORE_REGIONS):
        vals: tuple[Any, ...] = (affected[..., j], of_region[..., j], share[..., j])
        if affected.ndim == 1:
            vals = tuple(float(v) for v in vals)
        out[r] = dict(zip(("percent_bsa_affected", "percent_bsa_of_region",
                           "percent_of_region"), vals, strict=True))
    return out


def _band_words(s: Any, bands: list[dict[str, Any]]) -> Any:
    words = np.array([b["words"] for b in bands])
    return str(words[s]) if np.ndim(s) == 0 else words[s]


def _area_scores(score: str, fractions, age, chart: str, age_mode: str):
    regions = region_percentages(fractions, age, chart=chart, age_mode=age_mode)
    weights = score_weights(score, age)
    labels = {r: v["label"] for r, v in _doc()["score_regions"].items()}
    mapping = score_region_mapping()
    bands = _doc()["area_score"]["bands"]
    out = {}
    for r in SCORE_REGIONS:
        s = area_score(regions[r]["percent_of_region"])
        w = weights[r]
        if isinstance(s, np.ndarray) and np.ndim(w) == 0:
            w = np.full(s.shape, w)
        out[r] = {
            "label": labels[r],
            **regions[r],
            "area_score": s,
            "area_band": _band_words(s, bands),
            "weight": w,
            "lund_browder_regions": list(mapping[r]),
        }
    return out


@renamed_argument("age_years", "age")
def easi_area_scores(fractions, age, *, chart: str = DEFAULT_CHART,
                     age_mode: str = DEFAULT_AGE_MODE) -> dict[str, dict[str, Any]]:
    """EASI area score (0-6) of each of the four regions, with the age-dependent weights.

    Parameters
    ----------
    fractions : mapping or array_like, shape (19,) or (33,)
        The marks, as in :func:`region_percentages`.
    age : float
        Age of the patient [years]; below 8 years the EASI child weights apply.
    chart, age_mode : str, optional

    Returns
    -------
    dict
        For ``"head_neck"``, ``"upper_limbs"``, ``"trunk"``, ``"lower_limbs"``: ``label``,
        ``percent_bsa_affected`` and ``percent_bsa_of_region`` [% of body surface],
        ``percent_of_region`` [% of the region], ``area_score`` (0-6), ``area_band``
        (e.g. ``"10-29%"``), ``weight`` (EASI region multiplier), ``lund_browder_regions``.

    Raises
    ------
    BSAInputError
        For bad fractions, region names, age, chart or age mode.

    Notes
    -----
    The EASI total also needs the four severity signs per region; it is not computed.

    Examples
    --------
    >>> s = easi_area_scores({"head": 1.0, "neck": 1.0}, age=30)
    >>> s["head_neck"]["area_score"], s["head_neck"]["weight"]
    (6, 0.1)
    """
    return _area_scores("easi", fractions, age, chart, age_mode)


@renamed_argument("age_years", "age")
def pasi_area_scores(fractions, age, *, chart: str = DEFAULT_CHART,
                     age_mode: str = DEFAULT_AGE_MODE) -> dict[str, dict[str, Any]]:
    """PASI area score (0-6) of each of the four regions, with the weights 0.1/0.2/0.3/0.4.

    Parameters and result are those of :func:`easi_area_scores`; the age only sets the
    chart's region sizes (PASI has one set of weights and is not validated in children).
    """
    return _area_scores("pasi", fractions, age, chart, age_mode)


def vasi_hand_units(percent_bsa) -> Any:
    """VASI hand units of an affected area: one hand unit is about 1% of body surface.

    Parameters
    ----------
    percent_bsa : float or array_like
        [% of body surface, 0 to 100]

    Returns
    -------
    float or ndarray
        [hand units]

    Examples
    --------
    >>> vasi_hand_units(4.5)
    4.5
    """
    p = check_percent_bsa(percent_bsa)
    units = p / float(_doc()["vasi"]["hand_unit_percent_bsa"])
    return float(units) if units.ndim == 0 else units
