"""The page's inputs: who is assessed, which chart and age reading, which rule.

The widgets live in the sidebar; their values are read into a :class:`PageInputs`. Every
widget has a key, and defaults go into ``st.session_state`` once.
"""

from __future__ import annotations

import dataclasses

import streamlit as st

import bsa
from bsa.checks import WEIGHT_RANGE

__all__ = ["PageInputs", "age_from_widgets", "sidebar_inputs"]

_SEX_LABELS = {None: "Not given", "female": "Female", "male": "Male"}
_AGE_MODE_LABELS = {
    "interpolated": "Interpolated between the chart's age columns",
    "banded": "Banded: the column a paper chart user would pick",
}


@dataclasses.dataclass(frozen=True)
class PageInputs:
    """What the sidebar says about the assessment (all values as the widgets hold them)."""

    age_years: float
    chart: str
    age_mode: str
    rule_id: str | None
    sex: str | None
    height_cm: float | None
    weight_kg: float | None


_DEFAULTS = {
    "age_years_whole": 30,
    "age_months": 0,
    "chart": bsa.DEFAULT_CHART,
    "age_mode": bsa.DEFAULT_AGE_MODE,
    "rule_id": "opzelura_us_atopic_dermatitis",
    "sex": None,
    "height_cm": None,
    "weight_kg": None,
    "notes": "",
    "age_loaded": None,
}


@st.cache_data(show_spinner=False)
def _chart_titles() -> dict[str, str]:
    titles = {}
    for chart_id in bsa.available_charts():
        chart = bsa.load_chart(chart_id)
        mark = "" if chart.status == "verified" else f" ({chart.status} source)"
        titles[chart_id] = chart.title + mark
    return titles


@st.cache_data(show_spinner=False)
def _rule_titles() -> dict[str, str]:
    from bsa.treatment import label_rules

    titles = {}
    for rule_id in label_rules.available_rules():
        rule = label_rules.load_rule(rule_id)
        product = rule.product.split(" (")[0]
        titles[rule_id] = (
            f"{product} {rule.jurisdiction}: {rule.indication}, up to {rule.max_percent_bsa:g}%"
        )
    return titles


@st.cache_data(show_spinner=False)
def _rule_caption(rule_id: str) -> str:
    from bsa.treatment import label_rules

    rule = label_rules.load_rule(rule_id)
    kind = "" if rule.source_kind == "label" else " (from a secondary source)"
    return (f"{rule.title}: ages {rule.age_range_text}, up to {rule.max_percent_bsa:g}% of "
            f"body surface{kind}. Label revision {rule.label_revision}.")


def age_from_widgets(whole: int, months: int) -> float:
    """Age in years from the whole years and (under 2 years) the months. [years]

    A loaded session's exact age is kept as long as the widgets still show it.
    """
    loaded = st.session_state.get("age_loaded")
    if loaded is not None and (loaded[1], loaded[2]) == (whole, months):
        return loaded[0]
    return whole + (months / 12.0 if whole < 2 else 0.0)


def sidebar_inputs() -> PageInputs:
    """Draw the sidebar and return its values."""
    for key, value in _DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = value
    rule_titles = _rule_titles()
    if st.session_state["rule_id"] not in rule_titles:
        st.session_state["rule_id"] = None
    side = st.sidebar
    side.subheader("Who is assessed")
    whole = side.number_input(
        "Age (whole years)", min_value=0, max_value=120, step=1, key="age_years_whole",
        help="The chart's head and leg shares change with age up to 18 years.",
    )
    months = 0
    if whole < 2:
        months = side.number_input(
            "and months", min_value=0, max_value=11, step=1, key="age_months",
            help="Under 2 years the months matter: the head is a larger share of the body.",
        )
    with side.expander("Sex, height and weight (optional)"):
        sex = st.selectbox(
            "Sex", options=list(_SEX_LABELS), format_func=_SEX_LABELS.get, key="sex",
            help="Used for the fingertip-unit weight of cream (Long & Finlay 1991).",
        )
        height = st.number_input(
            "Height [cm]", min_value=20.0, max_value=280.0, step=1.0, value=None,
            key="height_cm", placeholder="not given",
        )
        weight = st.number_input(
            "Weight [kg]", min_value=WEIGHT_RANGE[0], max_value=WEIGHT_RANGE[1], step=0.5, value=None,
            key="weight_kg", placeholder="not given",
            help="With the height, the affected area is also given in cm\u00b2.",
        )
    side.subheader("Chart and rule")
    chart_titles = _chart_titles()
    chart = side.selectbox(
        "Chart", options=list(chart_titles), format_func=chart_titles.get, key="chart",
        help="Lund-Browder adjusts the head and legs for age; the adult rule of nines does not.",
    )
    age_mode = side.radio(
        "Reading the chart's age columns", options=list(bsa.AGE_MODES),
        format_func=_AGE_MODE_LABELS.get, key="age_mode",
    )
    rule_options = [None, *rule_titles]
    rule_id = side.selectbox(
        "Compare with", options=rule_options,
        format_func=lambda r: "No comparison" if r is None else rule_titles[r], key="rule_id",
    )
    if rule_id is not None:
        side.caption(_rule_caption(rule_id))
    return PageInputs(
        age_years=age_from_widgets(int(whole), int(months)),
        chart=chart,
        age_mode=age_mode,
        rule_id=rule_id,
        sex=sex,
        height_cm=height,
        weight_kg=weight,
    )
