"""The page's inputs: who is assessed, which chart and age reading, which rule.

The widgets live in the sidebar. :func:`read_inputs` reads their values from
``st.session_state`` into a :class:`PageInputs`, without drawing anything, so the page when it
draws and every button callback at the moment of a click see the same values: those on
screen. Every widget has a key, and defaults go into ``st.session_state`` once.

The number fields have no bounds in the browser: a value the browser refuses to send (130
years, 300 cm) would stay on screen while the page kept the previous one. Here every value
arrives, and one that is missing or out of range is said next to its field; the page then
keeps the last valid age (a cleared field never makes a newborn) and leaves an invalid height
or weight out, and saving and downloading are off until the field is corrected.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import streamlit as st

import bsa
from bsa import i18n
from bsa.checks import AGE_RANGE, HEIGHT_RANGE, WEIGHT_RANGE
from bsa.core.charts import describe_age

from .text import say
from .words import N_, _, ngettext, page_language, speaking

__all__ = ["AGE_LIMITS", "PageInputs", "age_from_widgets", "read_inputs", "rule_title",
           "sidebar_inputs"]

# TRANSLATORS: the choices of the "Sex" field in the sidebar.
_SEX_LABELS = {None: N_("Not given"), "female": N_("Female"), "male": N_("Male")}
_AGE_MODE_LABELS = {
    "interpolated": N_("Interpolated between the chart's age columns"),
    "banded": N_("Banded: the column a paper chart user would pick"),
}
#: The ages the page takes, in whole years (the core's range).
AGE_LIMITS = tuple(int(x) for x in AGE_RANGE)  # [years], the package's own ranges
_HEIGHT_LIMITS = HEIGHT_RANGE  # [cm]
_WEIGHT_LIMITS = WEIGHT_RANGE  # [kg]
_DEFAULT_AGE = 30
_BLOCKED = N_("Saving and downloading are off until then.")
#: What is said of a height or weight out of range (field -> message).
_OUT_OF_RANGE = {
    "height_cm": N_("Height {value} cm is outside {low} to {high} cm: it is left out until "
                    "corrected."),
    "weight_kg": N_("Weight {value} kg is outside {low} to {high} kg: it is left out until "
                    "corrected."),
}


@dataclasses.dataclass(frozen=True)
class PageInputs:
    """What the sidebar says about the assessment.

    Attributes
    ----------
    age_years : float
        The age typed, or the last valid one while the age field is empty or invalid. [years]
    chart, age_mode : str
    rule_id : str or None
    sex : str or None
    height_cm, weight_kg : float or None
        None when not given or invalid. [cm], [kg]
    problems : tuple of str
        What is missing or invalid on screen (empty when every field holds a valid value).
        Saving and downloading are refused while there is any.
    """

    age_years: float
    chart: str
    age_mode: str
    rule_id: str | None
    sex: str | None
    height_cm: float | None
    weight_kg: float | None
    problems: tuple[str, ...] = ()


_DEFAULTS = {
    "age_years_whole": _DEFAULT_AGE,
    "age_months": 0,
    "chart": bsa.DEFAULT_CHART,
    "age_mode": bsa.DEFAULT_AGE_MODE,
    "rule_id": "opzelura_us_atopic_dermatitis",
    "sex": None,
    "height_cm": None,
    "weight_kg": None,
    "notes": "",
    "age_loaded": None,
    "age_last_valid": float(_DEFAULT_AGE),
}

def _chart_titles() -> dict[str, str]:
    """Chart id -> the picker's label, in the page's language."""
    return _chart_titles_in(page_language())


@st.cache_data(show_spinner=False)
def _chart_titles_in(lang: str) -> dict[str, str]:
    """As :func:`_chart_titles`; ``lang`` (the page's language) keys the cache."""
    titles = {}
    with speaking():
        for chart_id in bsa.available_charts():
            chart = bsa.load_chart(chart_id)
            mark = "" if chart.status == "verified" else " " + _("({status} source)").format(
                status=i18n._(chart.status))  # verified, secondary, unverified: bsa's words
            titles[chart_id] = chart.title_words + mark
    return titles


def _rule_titles() -> dict[str, str]:
    """Rule id -> the picker's label, rules grouped by jurisdiction (type to search: the
    label holds the jurisdiction, product, active ingredients and indication), in the page's
    language (the indication is translated; product and ingredients are the label's)."""
    return _rule_titles_in(page_language())


@st.cache_data(show_spinner=False)
def _rule_titles_in(lang: str) -> dict[str, str]:
    from bsa.treatment import label_rules

    rules = sorted(label_rules.all_rules(), key=lambda r: (r.jurisdiction, r.product.casefold(),
                                                           r.indication.casefold()))
    with speaking():  # lang, the page's language, keys the cache
        return {
            rule.id: (f"{rule.jurisdiction} \u00b7 {rule.product.split(' (')[0]} "
                      f"({rule.active_ingredient}): {i18n._(rule.indication)}")
            for rule in rules
        }


def rule_title(rule_id: str) -> str:
    """The rule's short title as the sidebar shows it (the id itself if unknown)."""
    return _rule_titles().get(rule_id, rule_id)


def _rule_caption(rule_id: str) -> str:
    """The rule's ages, area and amount limits and revision, in the page's language."""
    return _rule_caption_in(rule_id, page_language())


@st.cache_data(show_spinner=False)
def _rule_caption_in(rule_id: str, lang: str) -> str:
    from bsa.treatment import label_rules

    with speaking():  # lang, the page's language, keys the cache
        rule = label_rules.load_rule(rule_id)
        limits = "; ".join(dict.fromkeys(
            lim.summary for lim in rule.limits if lim.kind in ("percent_bsa", "grams", "cm2")))
        if not limits:
            limits = (_("the label states no area or amount limit") if rule.no_stated_limit
                      else _("no area or amount limit could be read"))
        caption = _("{title}: ages {ages}; {limits}. Label revision {revision}.").format(
            title=rule.title, ages=rule.age_range_text, limits=limits,
            revision=rule.revision_words)
        if rule.source_kind != "label":
            caption += " " + _("Read in {where}.").format(
                where=label_rules.source_kind_words(rule.source_kind))
    return caption


def age_from_widgets(whole: int, months: int) -> float:
    """Age in years from the whole years and (under 2 years) the months. [years]

    A loaded session's exact age is kept as long as the widgets still show it.
    """
    loaded = st.session_state.get("age_loaded")
    if loaded is not None and (loaded[1], loaded[2]) == (whole, months):
        return loaded[0]
    return whole + (months / 12.0 if whole < 2 else 0.0)


def _words(labels: dict[Any, str]) -> dict[Any, str]:
    """Option value -> its label in the page's language, looked up now: a ``format_func``
    may be called after the script run (AppTest does), where the language is not known."""
    return {value: _(label) for value, label in labels.items()}


def _set_defaults() -> None:
    for key, value in _DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = value


def _whole(value: Any) -> int | None:
    """The value as an int when it is a whole number, else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not math.isfinite(value) or value != int(value):
        return None
    return int(value)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _age() -> tuple[float, str | None]:
    """The age on screen, or the last valid one and what is wrong with the field. [years]"""
    last = st.session_state.get("age_last_valid", float(_DEFAULT_AGE))
    low, high = AGE_LIMITS
    raw_whole = st.session_state.get("age_years_whole")
    whole = _whole(raw_whole)
    problem = None
    if raw_whole is None:
        problem = _("An age is needed: type it in whole years ({low} to {high}).").format(
            low=low, high=high)
    elif whole is None or not low <= whole <= high:
        problem = _("{value} is not an age this page takes: type {low} to {high} "
                    "years.").format(value=raw_whole, low=low, high=high)
    else:
        months = 0
        if whole < 2:
            raw_months = st.session_state.get("age_months")
            months = _whole(raw_months)
            if raw_months is None:
                problem = _("The months are needed under 2 years: type 0 to 11 (0 if none).")
            elif months is None or not 0 <= months <= 11:
                problem = _("{value} months: type 0 to 11.").format(value=raw_months)
        if problem is None:
            age = age_from_widgets(whole, months)
            st.session_state["age_last_valid"] = age
            return age, None
    with speaking():
        age_words = describe_age(last)
    return last, _("{problem} Until then the page uses the last age entered ({age}).").format(
        problem=problem, age=age_words)


def _optional(key: str, limits: tuple[float, float]) -> tuple[float | None, str | None]:
    """A height or weight field's value, or None and what is wrong with it."""
    raw = st.session_state.get(key)
    if raw is None:
        return None, None
    value = _number(raw)
    low, high = limits
    if value is not None and low <= value <= high:
        return value, None
    return None, _(_OUT_OF_RANGE[key]).format(value=raw, low=f"{low:g}", high=f"{high:g}")


def read_inputs() -> PageInputs:
    """The sidebar's values from ``st.session_state``, drawing nothing.

    Called by the page when it draws and by button callbacks at the moment of a click (a
    field that still had the focus is already committed then), so both see what is on
    screen.
    """
    _set_defaults()
    age, age_problem = _age()
    height, height_problem = _optional("height_cm", _HEIGHT_LIMITS)
    weight, weight_problem = _optional("weight_kg", _WEIGHT_LIMITS)
    chart = st.session_state.get("chart")
    if chart not in bsa.available_charts():
        chart = bsa.DEFAULT_CHART
    age_mode = st.session_state.get("age_mode")
    if age_mode not in bsa.AGE_MODES:
        age_mode = bsa.DEFAULT_AGE_MODE
    rule_id = st.session_state.get("rule_id")
    if rule_id not in _rule_titles():
        rule_id = None
    sex = st.session_state.get("sex")
    if sex not in _SEX_LABELS:
        sex = None
    return PageInputs(
        age_years=age,
        chart=chart,
        age_mode=age_mode,
        rule_id=rule_id,
        sex=sex,
        height_cm=height,
        weight_kg=weight,
        problems=tuple(p for p in (age_problem, height_problem, weight_problem) if p),
    )


def sidebar_inputs() -> PageInputs:
    """Draw the sidebar and return its values (:func:`read_inputs`).

    What is missing or invalid is said under its field.
    """
    _set_defaults()
    rule_titles = _rule_titles()
    if st.session_state["rule_id"] not in rule_titles:
        st.session_state["rule_id"] = None
    side = st.sidebar
    side.subheader(_("Who is assessed"))
    low, high = AGE_LIMITS
    # TRANSLATORS: the placeholder of an empty field that must be filled in.
    needed = _("needed")
    whole = side.number_input(
        _("Age (whole years)"), step=1, value=None, key="age_years_whole",
        placeholder=needed, help=_("{low} to {high} years. The chart's head and leg shares "
                                   "change with age up to 18 years.").format(low=low, high=high),
    )
    if _whole(whole) is not None and 0 <= whole < 2:
        side.number_input(
            _("and months"), step=1, value=None, key="age_months", placeholder=needed,
            help=_("0 to 11. Under 2 years the months matter: the head is a larger share of "
                   "the body."),
        )
    age_problem = _age()[1]
    if age_problem:
        say(f"{age_problem} {_(_BLOCKED)}", "error", where=side.markdown)
    # TRANSLATORS: the placeholder of an empty optional field (height, weight).
    not_given = _("not given")
    with side.expander(_("Sex, height and weight (optional)")):
        st.selectbox(
            _("Sex"), options=list(_SEX_LABELS), format_func=_words(_SEX_LABELS).get, key="sex",
            help=_("Used for the fingertip-unit weight of cream (Long & Finlay 1991)."),
        )
        st.number_input(
            _("Height [cm]"), step=1.0, value=None, key="height_cm", placeholder=not_given,
            help=_("{low} to {high} cm.").format(low=f"{_HEIGHT_LIMITS[0]:g}",
                                                  high=f"{_HEIGHT_LIMITS[1]:g}"),
        )
        st.number_input(
            _("Weight [kg]"), step=0.5, value=None, key="weight_kg", placeholder=not_given,
            help=_("{low} to {high} kg. With the height, the affected area is also given in "
                   "cm\u00b2.").format(low=f"{_WEIGHT_LIMITS[0]:g}",
                                        high=f"{_WEIGHT_LIMITS[1]:g}"),
        )
    for key, limits in (("height_cm", _HEIGHT_LIMITS), ("weight_kg", _WEIGHT_LIMITS)):
        problem = _optional(key, limits)[1]
        if problem:
            say(f"{problem} {_(_BLOCKED)}", "error", where=side.markdown)
    side.subheader(_("Chart and rule"))
    chart_titles = _chart_titles()
    side.selectbox(
        _("Chart"), options=list(chart_titles), format_func=chart_titles.get, key="chart",
        help=_("Lund-Browder adjusts the head and legs for age; the adult rule of nines does "
               "not."),
    )
    side.radio(
        _("Reading the chart's age columns"), options=list(bsa.AGE_MODES),
        format_func=_words(_AGE_MODE_LABELS).get, key="age_mode",
    )
    rule_options = [None, *rule_titles]
    rule_id = side.selectbox(
        _("Compare with a label"), options=rule_options,
        format_func={None: _("No comparison"), **rule_titles}.get, key="rule_id",
        help=ngettext("{n} label rule, by jurisdiction. Type a product, an active ingredient "
                      "or an indication to find one.",
                      "{n} label rules, by jurisdiction. Type a product, an active ingredient "
                      "or an indication to find one.", len(rule_titles)).format(
                          n=len(rule_titles)),
    )
    if rule_id is not None:
        side.caption(_rule_caption(rule_id))
    return read_inputs()
