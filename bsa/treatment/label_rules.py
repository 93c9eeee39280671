"""Treatment label rules: what each label says about area, amount, size, age and duration.

The rules are data: ``charts/label_rules.json`` (its format is documented by
``charts/schemas/label_rules.schema.json``) holds one rule per product, indication and
jurisdiction, each with the population's ages, the frequency, the label revision, section
and source, and a list of *limits*: a largest share of body surface (``percent_bsa``), an
amount of cream per period (``grams``), a largest area in square centimetres (``cm2``) or a
longest treatment (``duration_days``), each for an age (or weight) band, with the label's
own words and where they were read. Besides these, a rule may record limits that are shown
but not compared with the marks: a count of the label's own units (``units``: capfuls,
sprays, packets), a number of applications per period (``applications``) and a longest time
on the skin (``application_time_hours``). An amount may be per application (``per:
"application"``) instead of per period, and a limit may apply only under a condition
(``applies_when``, and ``applies_when_percent_bsa_below`` for a condition on the treated
area). A rule may also state an application density, review points, sites to avoid and
occlusion; or say explicitly that the label states no area or amount limit
(``no_stated_limit``). A new product or label revision is a change to that file, not to
this module.

Where a value could not be read in an official copy of the label, ``source_kind`` says so:
``"label"`` (an official copy), ``"mirror"`` (a third party reproducing the label text)
or ``"secondary"`` (another text: a patient leaflet, the maker's website). Every mirror or
secondary value is shown as such wherever it is displayed.

:func:`check` compares totals with a rule's area limit for whole cohorts (arrays);
:mod:`bsa.treatment.limits` evaluates every limit of a rule for one visit.

This module is the label rules' public face: the model is in
:mod:`bsa.treatment.rule_model`, the file's reading in :mod:`bsa.treatment.rule_library`
and the cohort area check in :mod:`bsa.treatment.area_check`; their names are imported
here so that ``bsa.label_rules.load_rule`` and ``bsa.label_rules.check`` keep working.

References
----------
.. [1] OPZELURA (ruxolitinib) cream 1.5%, US prescribing information, Incyte Corporation.
.. [2] Opzelura 15 mg/g cream, Summary of Product Characteristics, European Medicines
   Agency, 2023.
"""

from .area_check import (
    AREA_STATES,
    AT_LIMIT_TOLERANCE,
    DEFAULT_NEAR_FRACTION,
    LabelCheck,
    age_message,
    area_phrase,
    capitalised,
    check,
    check_near_fraction,
    check_percent_bsa,
    rule_notices,
    state_of_share,
)
from .rule_library import (
    RULES_FILE,
    SCHEMA_VERSION,
    all_rules,
    available_rules,
    find_rules,
    get_rule,
    load_rule,
)
from .rule_model import (
    EVALUATED_KINDS,
    LIMIT_KINDS,
    PER_VALUES,
    SOURCE_KINDS,
    Density,
    Ingredient,
    LabelRule,
    Limit,
    ReviewPoint,
    source_kind_mark,
    source_kind_words,
)

__all__ = [
    "AREA_STATES", "AT_LIMIT_TOLERANCE", "DEFAULT_NEAR_FRACTION", "EVALUATED_KINDS",
    "LIMIT_KINDS", "PER_VALUES", "RULES_FILE", "SCHEMA_VERSION", "SOURCE_KINDS", "Density",
    "Ingredient", "LabelCheck", "LabelRule", "Limit", "ReviewPoint", "age_message",
    "all_rules", "area_phrase", "available_rules", "capitalised", "check", "check_near_fraction",
    "check_percent_bsa", "find_rules", "get_rule", "load_rule", "rule_notices",
    "source_kind_mark", "source_kind_words", "state_of_share",
]
