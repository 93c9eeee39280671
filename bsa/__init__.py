"""bsa: affected percentage of body surface from marked skin regions.

Age-adjusted Lund-Browder and rule-of-nines charts, the palm method as a cross-check,
whole-body surface area in square metres, and comparison with treatment label limits.

Words: a *region* is one of the 19 Lund-Browder regions; a *half* is its front or back
(the constants :data:`PART_NAMES` and :data:`PARTS` list them); a *view* is the front or
back drawing; a *chart* gives each region's share by age; an *assessment* holds the inputs
of one visit and :func:`evaluate` computes its every number once; a *label* is always a
medicine's official text, and a *label rule* its limits (see the README's glossary).

The numeric core: it imports numpy only (matplotlib is imported inside the drawing
functions, never at import time; streamlit never).

Examples
--------
>>> import bsa
>>> r = bsa.estimate({"head": 1.0, "anterior_trunk": 0.5}, age=3)
>>> round(r.percent_bsa, 2)
21.5
"""

from .core import regions
from .core.body_shape import BodyShapeChart, BodyShapeClass, body_mass_index, load_body_shape_chart
from .core.body_surface import FORMULAS, body_surface_area, percent_to_cm2
from .core.charts import (
    AGE_MODES,
    DEFAULT_AGE_MODE,
    DEFAULT_CHART,
    Chart,
    age_reading,
    available_charts,
    describe_age,
    half_weights,
    load_chart,
    region_weights,
)
from .core.estimation import Estimate, breakdown, estimate, percent_bsa, selection_to_fractions
from .core.palm_method import PalmEstimate, palm_method
from .core.regions import PART_NAMES, PARTS, REGIONS
from .errors import BSAInputError
from .evaluation import Evaluation, evaluate
from .frames import score_frame
from .total_range import (
    RANGE_CHARTS,
    ChartTotal,
    RangeTotals,
    TotalRange,
    estimate_range,
    percent_bsa_range,
)
from .treatment import cream_amount, label_rules, skin_scores, thresholds

__version__ = "0.1.0"

__all__ = [
    "AGE_MODES",
    "DEFAULT_AGE_MODE",
    "DEFAULT_CHART",
    "FORMULAS",
    "PARTS",
    "PART_NAMES",
    "RANGE_CHARTS",
    "REGIONS",
    "BSAInputError",
    "BodyShapeChart",
    "BodyShapeClass",
    "Chart",
    "ChartTotal",
    "Estimate",
    "Evaluation",
    "PalmEstimate",
    "RangeTotals",
    "TotalRange",
    "age_reading",
    "available_charts",
    "body_mass_index",
    "body_surface_area",
    "cream_amount",
    "label_rules",
    "skin_scores",
    "thresholds",
    "breakdown",
    "describe_age",
    "estimate",
    "estimate_range",
    "evaluate",
    "half_weights",
    "load_body_shape_chart",
    "load_chart",
    "palm_method",
    "percent_bsa",
    "percent_bsa_range",
    "percent_to_cm2",
    "score_frame",
    "region_weights",
    "regions",
    "selection_to_fractions",
]
