"""Issue 17: zones of the treatment area by day, and what a plan means against the label.

Adult, US atopic dermatitis label (Opzelura 1.5%): 20% of body surface, 60 g per week and
100 g per 2 weeks, twice daily. Rule of hand (Long, Finlay and Averill 1992): 1% of body
surface takes 0.25 g per application. Lund and Browder 1944, adult: anterior trunk 13,
posterior trunk 13, neck 2, each upper arm 4 (2 + 2).
"""

from __future__ import annotations

import json
import math

import pytest
from tolerance import TOL

import bsa
from bsa.records.assessment import Assessment
from bsa.records.layers import WEEKDAYS, AvoidArea, Marks, Zone
from bsa.treatment.plan import (
    UNZONED_NAME,
    PlanAmount,
    days_in_words,
    how_often,
    where_in_words,
)

AD = "opzelura_us_atopic_dermatitis"
FRONT = {"anterior_trunk": 1.0, "neck": 1.0}                 # 15%
BACK = {"posterior_trunk": 1.0, "right_upper_arm": 0.5}      # 15%


def alternate_days(front=FRONT, back=BACK, **kw) -> Assessment:
    return Assessment(age_years=40, rule_id=AD, shares={**front, **back},
                      zones=[Zone(name="front", days=["mon", "wed", "fri", "sun"], shares=front),
                             Zone(name="back", days=["tue", "thu", "sat"], shares=back)], **kw)


def test_each_day_within_the_area_limit_but_two_weeks_above_the_amount_cap():
    # Two zones of 15% on alternate days, twice daily: each day 15% (75% of the 20% limit);
    # 15 x 0.25 = 3.75 g each time, 7.5 g a day, 52.5 g a week (88% of 60 g) and 105 g in
    # any 2 weeks: above the 100 g cap. The whole area to treat is 30%: above the limit.
    ev = bsa.evaluate(alternate_days())
    plan = ev.plan
    assert [d.percent_bsa for d in plan.days] == [pytest.approx(15.0, abs=TOL)] * 7
    assert {d.area_state for d in plan.days} == {"within"}
    assert [z.grams_per_application for z in plan.zones] == [pytest.approx(3.75, abs=TOL)] * 2
    assert plan.grams_per_week == pytest.approx(52.5, abs=TOL)
    weekly, fortnightly = [s for s in ev.rule_check.limits if s.limit.kind == "grams"]
    assert (weekly.used, weekly.state) == (pytest.approx(52.5, abs=TOL), "near")
    assert (fortnightly.used, fortnightly.state) == (pytest.approx(105.0, abs=TOL), "above")
    assert fortnightly.text.startswith("Estimated 105 g per 2 weeks with this plan: above the "
                                       "cap of 100 g per 2 weeks (105% of it)")
    assert ev.verdict == "above" and ev.percent_bsa == pytest.approx(30.0, abs=TOL)
    assert "the estimated amount is above the cap of 100 g per 2 weeks" in ev.headline
    assert any(f.startswith("The whole area to treat with this cream is 30% of the body "
                            "surface: above the label's 20% area limit. On any one day this "
                            "plan treats at most 15%") for f in plan.findings)
    # every day, the 14 days ending with it used 105 g; the week ending with it 52.5 g
    assert {tuple(round(g, 6) for _, g, _ in d.grams_by_cap) for d in plan.days} == {
        (52.5, 105.0)}
    # each zone's own grams over each cap's period: the front 4 days a week, the back 3
    front, back = plan.zones
    assert [g for _, g, _ in front.grams_by_cap] == [pytest.approx(30.0, abs=TOL), pytest.approx(60.0, abs=TOL)]
    assert [g for _, g, _ in back.grams_by_cap] == [pytest.approx(22.5, abs=TOL), pytest.approx(45.0, abs=TOL)]


def test_the_same_plan_with_zones_of_12_percent_stays_under_the_caps():
    # 12 x 0.25 x 2 = 6 g a day, 84 g per 2 weeks: close to (84% of) the 100 g cap, not above.
    ev = bsa.evaluate(alternate_days(front={"anterior_trunk": 12 / 13},
                                     back={"posterior_trunk": 12 / 13}))
    fortnightly = [s for s in ev.rule_check.limits if s.limit.kind == "grams"][1]
    assert (fortnightly.used, fortnightly.state) == (pytest.approx(84.0, abs=TOL), "near")
    assert ev.plan.amount.grams_in(14) == pytest.approx(84.0, abs=TOL)


def test_a_plan_within_the_area_limit_is_above_the_cap_when_used_more_often():
    # 12% every day, 3 times a day: 12 x 0.25 x 3 = 9 g a day, 63 g a week (above 60 g) and
    # 126 g per 2 weeks; the same area at the label's twice daily takes 84 g per 2 weeks.
    zone = Zone(name="trunk", shares={"anterior_trunk": 12 / 13}, applications_per_day=3)
    a = Assessment(age_years=40, rule_id=AD, shares={"anterior_trunk": 12 / 13}, zones=[zone])
    ev = bsa.evaluate(a)
    assert ev.rule_check.area.state == "within"
    assert [s.used for s in ev.rule_check.limits if s.limit.kind == "grams"] == [
        pytest.approx(63.0, abs=TOL), pytest.approx(126.0, abs=TOL)]
    assert ev.verdict == "above"
    assert ev.amount.grams_per_week == pytest.approx(42.0, abs=TOL)  # the area every day, twice
    without = bsa.evaluate(a.replace(zones=[]))
    assert without.verdict == "near"
    assert any("is used 3 times a day; the label says: twice daily" in f for f in
               ev.plan.findings)


def test_a_day_above_the_area_limit_is_said_plainly():
    # both zones on Monday: 30% that day
    a = alternate_days().replace(zones=[
        Zone(name="front", days=["mon", "wed"], shares=FRONT),
        Zone(name="back", days=["mon", "fri"], shares=BACK)])
    plan = bsa.evaluate(a).plan
    monday = plan.days[0]
    assert monday.percent_bsa == pytest.approx(30.0, abs=TOL) and monday.area_state == "above"
    assert monday.zones == ("front", "back")
    assert monday.grams == pytest.approx(15.0, abs=TOL)
    assert plan.days_above == ("mon",)
    assert ("This plan treats 30% of the body surface on Monday: above the label's 20% area "
            "limit.") in plan.findings
    line = next(text for text in plan.day_lines if text.startswith("Monday:"))
    assert line.endswith("in all about 30% of the body and 15 g a day.")
    assert "Tuesday, Thursday, Saturday and Sunday: no application of this cream." in (
        plan.day_lines)


def test_treated_skin_in_no_zone_is_counted_every_day():
    a = Assessment(age_years=40, rule_id=AD, shares={"anterior_trunk": 1.0, "neck": 1.0},
                   zones=[Zone(name="trunk", days=["mon"], shares={"anterior_trunk": 1.0})])
    plan = bsa.evaluate(a).plan
    rest = plan.zones[-1]
    assert rest.unzoned and rest.name == UNZONED_NAME and rest.days == WEEKDAYS
    assert rest.percent_bsa == pytest.approx(2.0, abs=TOL) and rest.where == "neck"
    assert plan.days[0].percent_bsa == pytest.approx(15.0, abs=TOL)
    assert plan.days[1].percent_bsa == pytest.approx(2.0, abs=TOL)
    assert any(f.startswith("Part of the area to treat, 2% of the body surface (neck), is in no "
                            "zone: it is counted every day, twice a day") for f in plan.findings)


def test_zones_count_only_within_the_treated_area():
    a = Assessment(age_years=40, shares={"head": 1.0},
                   treatment_area=Marks(shares={"head": 1.0}),
                   avoid=[AvoidArea(reason="eyes", shares={"head:front": 0.2})],
                   zones=[Zone(name="head and neck", shares={"head": 1.0, "neck": 1.0})])
    ev = bsa.evaluate(a)
    zone = ev.plan.zones[0]
    # the head less the eyes: 3.5 x 0.8 + 3.5; the neck is outside the treatment area
    assert zone.percent_bsa == pytest.approx(6.3, abs=TOL) == pytest.approx(ev.percent_bsa, abs=TOL)
    assert zone.outside_percent_bsa == pytest.approx(2.0, abs=TOL)
    assert any("2% of the body surface is marked outside the area to treat and is not counted"
               in f for f in ev.plan.findings)
    assert len(ev.plan.zones) == 1  # nothing of the treated area is left out of the zone


def test_the_plan_amount_over_periods_and_per_application():
    p = PlanAmount((6.0, 0.0, 6.0, 0.0, 6.0, 0.0, 6.0), 3.0, 12.0)
    assert p.grams_in(7) == 24.0 and p.grams_in(14) == 48.0
    assert [p.grams_ending(d, 2) for d in range(7)] == [12.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0]
    assert p.grams_ending(3, 14) == 48.0
    assert p.grams_in(1) == 6.0 and p.grams_in(3) == 12.0   # the worst 3 days in a row
    assert p.grams_in(30) == pytest.approx(4 * 24 + 12.0, abs=TOL)
    assert p.grams_in(0.5) == 3.0
    scaled = p.at_percent(6.0)
    assert scaled.grams_in(14) == pytest.approx(24.0, abs=TOL) and scaled.largest_application_grams == 1.5
    with pytest.raises(bsa.BSAInputError, match="above 0 days"):
        p.grams_in(0)


def test_the_largest_application_counts_zones_at_the_same_sitting():
    # Both zones on Monday, untimed: one sitting of 3.75 + 3.75 g. Timed morning and
    # evening: two sittings of 3.75 g.
    zones = [Zone(name="front", days=["mon"], shares=FRONT),
             Zone(name="back", days=["mon"], shares=BACK)]
    untimed = bsa.evaluate(alternate_days().replace(zones=zones)).plan
    assert untimed.amount.largest_application_grams == pytest.approx(7.5, abs=TOL)
    timed = [z.replace(times=[t], applications_per_day=None) for z, t in
             zip(zones, ["morning", "evening"], strict=True)]
    plan = bsa.evaluate(alternate_days().replace(zones=timed)).plan
    assert plan.amount.largest_application_grams == pytest.approx(3.75, abs=TOL)
    assert plan.days[0].grams == pytest.approx(7.5, abs=TOL)


def test_the_range_under_each_chart_uses_the_plan():
    ev = bsa.evaluate(alternate_days())
    reference = ev.range.chart(ev.range.reference)
    assert reference.verdict == ev.verdict


def test_a_plan_without_a_rule_assumes_twice_a_day_and_compares_nothing():
    a = alternate_days().replace(rule_id=None)
    ev = bsa.evaluate(a)
    assert ev.verdict == "no_rule" and ev.plan.area_limit_percent is None
    assert {d.area_state for d in ev.plan.days} == {None}
    assert ev.plan.zones[0].applications_per_day == 2.0
    assert json.loads(json.dumps(ev.to_dict(), allow_nan=False))["plan"]["caps"] == []


def test_the_plan_is_in_the_evaluation_json():
    d = json.loads(json.dumps(bsa.evaluate(alternate_days()).to_dict(), allow_nan=False))
    plan = d["plan"]
    assert [z["name"] for z in plan["zones"]] == ["front", "back"]
    assert [day["day"] for day in plan["days"]] == list(WEEKDAYS)
    assert plan["days"][0]["zones"] == ["front"]
    assert plan["grams_per_week"] == pytest.approx(52.5, abs=TOL)
    assert [c["state"] for c in plan["caps"]] == ["near", "above"]
    assert plan["day_lines"][0] == ("Monday, Wednesday, Friday and Sunday: neck and front of "
                                    "the trunk (\u201cfront\u201d) \u2013 about 15% of the body, "
                                    "about 3.8 g each time, twice a day.")


def test_the_plan_never_proposes_a_change_and_never_says_safe():
    for a in (alternate_days(), alternate_days(front={"head": 1.0}, back={"neck": 1.0})):
        text = json.dumps(bsa.evaluate(a).to_dict()).lower()
        for word in ("safe", "rotate", "rotating", "instead", "you could", "try "):
            assert word not in text


def test_words():
    from bsa.core.estimation import selection_to_fractions as f

    assert where_in_words(f({"head:back": 1})) == "back of the head"
    assert where_in_words(f({"head": 1, "right_foot": 1, "left_lower_arm": 0.5})) == (
        "head, left forearm and right foot")
    assert where_in_words(f({})) == "nothing"
    assert days_in_words(["mon", "tue", "wed", "fri", "sat", "sun"]) == (
        "Monday to Wednesday and Friday to Sunday")
    assert days_in_words(["tue"]) == "Tuesday"
    assert how_often(1) == "once a day" and how_often(3) == "3 times a day"
    assert how_often(2, ("morning", "bedtime")) == "in the morning and at bedtime"
    assert math.isinf(PlanAmount((0.0,) * 7, 0.0, 0.0).reached_at_percent_bsa(
        bsa.label_rules.load_rule(AD).limits_for(40, kind="grams")[0]))
