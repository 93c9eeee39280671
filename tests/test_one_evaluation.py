"""The page, the printed map and the command line carry the same numbers and verdict words.

Issue 10: the numbers of a visit used to be assembled three times (page, map, CLI) and
disagreed. Now each view renders :func:`bsa.evaluate`; this property test draws visits
(ages, sexes, heights and weights, charts, age readings, rules, marks) and checks that the
page (AppTest), the map's content and ``python -m bsa check --json`` say the same.
"""

from __future__ import annotations

import html
import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bsa
from bsa.cli import main
from bsa.core.regions import REGIONS
from bsa.records.assessment import Assessment
from bsa.report.content import map_content

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

APP = str(Path(__file__).resolve().parents[1] / "app.py")
RULES = ["opzelura_us_atopic_dermatitis", "opzelura_us_vitiligo", "opzelura_eu_vitiligo",
         "taclonex_ointment_us_psoriasis", "vtama_us_psoriasis", "klisyri_us_actinic_keratosis"]


@pytest.fixture(scope="module")
def page():
    import webapp.access

    original = webapp.access.client_address
    webapp.access.client_address = lambda: "127.0.0.1"
    try:
        at = AppTest.from_file(APP, default_timeout=90)
        at.run()
        yield at
    finally:
        webapp.access.client_address = original


def page_says(at: AppTest) -> tuple[float, str]:
    """The total (the value the page shows) and the verdict line's words."""
    total = headline = None
    for md in at.markdown:
        found = re.search(r'data-testid="bsa-total" data-value="([^"]+)"', md.value)
        if found:
            total = float(found.group(1))
        line = re.search(r'<div class="verdict"[^>]*>.*?</span><span>(.*?)</span></div>',
                         md.value)
        if line:
            headline = html.unescape(line.group(1))
    return total, headline


visits = st.fixed_dictionaries({
    "age": st.integers(0, 90),
    "sex": st.sampled_from([None, "female", "male"]),
    "size": st.sampled_from([None, (120.0, 25.0), (172.0, 70.0), (165.0, 110.0)]),
    "chart": st.sampled_from(bsa.available_charts()),
    "age_mode": st.sampled_from(bsa.AGE_MODES),
    "rule": st.sampled_from(RULES),
    "shares": st.dictionaries(st.sampled_from(REGIONS),
                              st.sampled_from([0.1, 0.25, 0.5, 0.75, 1.0]), max_size=5),
})


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(visit=visits)
def test_page_map_and_command_line_agree(page, capsys, visit):
    height, weight = visit["size"] or (None, None)
    a = Assessment(age_years=visit["age"], sex=visit["sex"], height_cm=height,
                   weight_kg=weight, chart=visit["chart"], age_mode=visit["age_mode"],
                   rule_id=visit["rule"], shares=visit["shares"])
    ev = bsa.evaluate(a)

    # The page, with the same inputs typed in.
    at = page
    at.session_state["age_years_whole"] = visit["age"]
    at.session_state["age_months"] = 0
    at.session_state["sex"] = visit["sex"]
    at.session_state["height_cm"] = height
    at.session_state["weight_kg"] = weight
    at.session_state["chart"] = visit["chart"]
    at.session_state["age_mode"] = visit["age_mode"]
    at.session_state["rule_id"] = visit["rule"]
    at.session_state["typed"] = dict(visit["shares"])
    at.run()
    assert not at.exception, at.exception
    total, headline = page_says(at)
    assert total == ev.percent_bsa
    assert headline == ev.headline

    # The printed map's content.
    content = map_content(ev, date(2026, 11, 28))
    assert content.total_text == f"{ev.percent_bsa:.1f}%"
    assert content.headline.rstrip(".") == ev.headline.rstrip(".")
    assert content.verdict == ev.verdict

    # The command line's JSON.
    args = ["check", "--age", str(visit["age"]), "--chart", visit["chart"], "--age-mode",
            visit["age_mode"], "--rule", visit["rule"], "--json"]
    if visit["sex"]:
        args += ["--sex", visit["sex"]]
    if height is not None:
        args += ["--height", str(height), "--weight", str(weight)]
    args += [f"{region}={share!r}" for region, share in visit["shares"].items()]
    capsys.readouterr()
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["percent_bsa"] == ev.percent_bsa
    assert out["verdict"] == ev.verdict and out["headline"] == ev.headline
    assert out["cream_amount"]["grams_per_application"] == ev.amount.grams_per_application
    assert out == json.loads(json.dumps(ev.to_dict()))
