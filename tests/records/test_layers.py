"""Issue 17: affected skin, the area to treat and where not to apply, as layers of one visit.

The totals are checked against :func:`bsa.estimate` of each layer worked out by hand (Lund
and Browder 1944, adult column: head 3.5 + 3.5, neck 1 + 1, anterior trunk 13, posterior
trunk 13, each hand 1.25 + 1.25).
"""

from __future__ import annotations

import copy
import json
import pickle
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tolerance import TOL, close

import bsa
from bsa.core.regions import PART_INDEX, PART_NAMES
from bsa.diagram.masks import half_fractions, label_image
from bsa.errors import BSAInputError
from bsa.records.assessment import Assessment
from bsa.records.history import History
from bsa.records.layers import AVOID_REASONS, AvoidArea, Marks, Zone
from bsa.records.session import (
    SCHEMA_VERSION,
    TotalsMismatchError,
    from_json,
    load,
    save,
    to_dict,
    to_json,
)

AD = "opzelura_us_atopic_dermatitis"
DATA = Path(__file__).resolve().parents[1] / "data"
W, H = 200, 450


def thirty_percent_adult(**kw) -> Assessment:
    # affected: anterior trunk 13 + posterior trunk 13 + neck 2 + both hands 5 = 33%... minus
    # half the posterior trunk (6.5): 26.5%; treated: head, neck and both hands = 14%.
    return Assessment(age_years=40, rule_id=AD,
                      shares={"anterior_trunk": 1.0, "posterior_trunk": 0.5, "neck": 1.0,
                              "right_hand": 1.0, "left_hand": 1.0},
                      treatment_area=Marks(shares={"head": 1.0, "neck": 1.0, "right_hand": 1.0,
                                                   "left_hand": 1.0}), **kw)


def halves(figure: str, view: str, *names: str) -> np.ndarray:
    labels = label_image(figure, view, W, H)
    return np.isin(labels, [1 + PART_INDEX[n] for n in names])


def painted_layers() -> Assessment:
    """Affected: front trunk and face; apply: face and neck; avoid: a band over the face."""
    front = label_image("adult", "front", W, H)
    face = front == 1 + PART_INDEX["head:front"]
    band = np.zeros((H, W), bool)
    ys = np.nonzero(face)[0]
    band[ys.min() + 10: ys.min() + 18, :] = True
    return Assessment(
        age_years=40, figure_id="adult", rule_id=AD,
        masks={"front": halves("adult", "front", "anterior_trunk:front", "head:front")},
        treatment_area=Marks(masks={"front": halves("adult", "front", "head:front",
                                                    "neck:front")}),
        avoid=[AvoidArea(reason="eyes", masks={"front": band & face})])


# ------------------------------------------------------------------ totals of each layer


def test_affected_and_treated_totals_are_the_estimate_of_each_layer():
    ev = bsa.evaluate(thirty_percent_adult())
    affected = bsa.estimate({"anterior_trunk": 1.0, "posterior_trunk": 0.5, "neck": 1.0,
                             "right_hand": 1.0, "left_hand": 1.0}, 40)
    treated = bsa.estimate({"head": 1.0, "neck": 1.0, "right_hand": 1.0, "left_hand": 1.0}, 40)
    assert ev.affected_percent_bsa == pytest.approx(affected.percent_bsa, abs=TOL) == pytest.approx(26.5, abs=TOL)
    assert ev.treated_percent_bsa == ev.percent_bsa == pytest.approx(treated.percent_bsa, abs=TOL)
    assert ev.percent_bsa == pytest.approx(14.0, abs=TOL)
    # affected, not with this cream: trunk 13 + 6.5 (the neck and hands are treated)
    assert ev.untreated_affected_percent_bsa == pytest.approx(19.5, abs=TOL)


def test_painted_layers_are_combined_pixel_by_pixel():
    a = painted_layers()
    ev = bsa.evaluate(a)
    layers = a.layers()
    treat = a.treatment_area.masks["front"] & ~a.avoid[0].masks["front"]
    by_hand = half_fractions({"front": treat}, "adult")
    assert np.array_equal(a.treated_fractions(), by_hand)
    assert ev.percent_bsa == pytest.approx(bsa.estimate(by_hand, 40).percent_bsa, abs=TOL)
    assert ev.affected_percent_bsa == pytest.approx(
        bsa.estimate(half_fractions(a.masks, "adult"), 40).percent_bsa, abs=TOL)
    eyes = half_fractions(a.avoid[0].masks, "adult")
    assert ev.avoid[0].percent_bsa == pytest.approx(bsa.estimate(eyes, 40).percent_bsa, abs=TOL)
    assert ev.avoid[0].reason == "eyes" and ev.avoid[0].where == "face"
    assert 0 < ev.avoid[0].percent_bsa < 3.5
    # the face is partly avoided, the neck whole: 3.5 x (1 - eyes) + 1
    face = by_hand[PART_INDEX["head:front"]]
    assert ev.percent_bsa == pytest.approx(3.5 * face + 1.0, abs=TOL)
    assert not layers.treated.by_share


@pytest.mark.parametrize(("apply", "avoid", "treated"), [
    (1.0, [0.1], 0.9),        # apply minus avoid
    (0.5, [0.3], 0.5),        # the avoided part lies outside the applied part if it can
    (0.8, [0.3], 0.7),        # ... and only partly can
    (1.0, [0.1, 0.2], 0.7),   # two do-not-apply areas are different parts of the half
    (1.0, [0.7, 0.6], 0.0),   # together at most the whole half
])
def test_typed_shares_combine_by_the_stated_convention(apply, avoid, treated):
    a = Assessment(age_years=40, shares={"head:front": 1.0},
                   treatment_area=Marks(shares={"head:front": apply}),
                   avoid=[AvoidArea(reason=r, shares={"head:front": f})
                          for r, f in zip(AVOID_REASONS, avoid, strict=False)])
    assert a.treated_fractions()[PART_INDEX["head:front"]] == pytest.approx(treated, abs=TOL)
    assert bsa.evaluate(a).percent_bsa == pytest.approx(3.5 * treated, abs=TOL)


def test_a_do_not_apply_mark_is_never_treated():
    a = Assessment(age_years=40, rule_id=AD, shares={"head": 1.0},
                   avoid=[AvoidArea(reason="broken skin", shares={"head": 1.0})])
    ev = bsa.evaluate(a)
    assert ev.percent_bsa == 0 and ev.affected_percent_bsa == pytest.approx(7.0, abs=TOL)
    assert ev.verdict == "nothing_marked"
    assert ev.headline.startswith("Nothing marked to treat with this cream")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([0.0, 0.25, 0.5, 1.0]), min_size=len(PART_NAMES),
                max_size=len(PART_NAMES)), st.floats(0, 90))
def test_without_layers_the_treated_area_is_the_affected_skin(fractions, age):
    shares = {n: f for n, f in zip(PART_NAMES, fractions, strict=True) if f}
    a = Assessment(age_years=age, shares=shares)
    ev = bsa.evaluate(a)
    assert ev.estimate is ev.affected_estimate
    assert ev.treated_percent_bsa == ev.affected_percent_bsa == ev.percent_bsa
    assert np.array_equal(a.treated_fractions(), a.half_fractions())
    assert ev.avoid == () and ev.plan is None and ev.untreated_affected_percent_bsa == 0


# ------------------------------------------------------------------ the label follows the treated area


def test_the_label_verdict_follows_the_treated_area():
    # 26.5% affected (above the 20% limit), 14% treated with this cream: within the area
    # limit; 14 x 0.25 g x 2 x 14 days = 98 g per 2 weeks, close to the 100 g cap.
    ev = bsa.evaluate(thirty_percent_adult())
    assert ev.rule_check.area.used == pytest.approx(14.0, abs=TOL)
    assert ev.rule_check.area.state == "within"
    assert ev.verdict == "near"
    assert ev.headline.startswith("Within the label's 20% area limit")
    one_layer = bsa.evaluate(Assessment(age_years=40, rule_id=AD,
                                        shares=dict(thirty_percent_adult().shares)))
    assert one_layer.verdict == "above" and one_layer.percent_bsa == pytest.approx(26.5, abs=TOL)
    # and the other way round: a treatment area larger than the affected skin
    wide = bsa.evaluate(Assessment(age_years=40, rule_id=AD, shares={"head": 1.0},
                                   treatment_area=Marks(shares={"anterior_trunk": 1.0,
                                                                "posterior_trunk": 1.0})))
    assert wide.verdict == "above" and wide.percent_bsa == pytest.approx(26.0, abs=TOL)


def test_area_scores_and_the_palm_count_use_the_affected_skin():
    a = thirty_percent_adult(palm_count=26)
    ev = bsa.evaluate(a)
    alone = bsa.evaluate(Assessment(age_years=40, shares=dict(a.shares), palm_count=26))
    assert ev.easi == alone.easi and ev.pasi == alone.pasi
    assert ev.vasi_hand_units == alone.vasi_hand_units
    assert ev.palm.agrees == alone.palm.agrees
    assert "The affected skin marked on the map is 26.5%" in ev.palm.text
    # the palm count is not a chart of the treated area's range
    assert not any(c.id.startswith("palm") for c in ev.range.charts)
    assert any(c.id.startswith("palm") for c in alone.range.charts)


def test_to_dict_keeps_every_key_and_adds_the_layers():
    ev = bsa.evaluate(painted_layers())
    d = json.loads(json.dumps(ev.to_dict(), allow_nan=False))
    old = json.loads((DATA / "session_v2_evaluation.json").read_text())
    assert set(old) <= set(d)
    assert d["affected_percent_bsa"] == pytest.approx(ev.affected_percent_bsa, abs=TOL)
    assert d["treated_percent_bsa"] == d["percent_bsa"] == pytest.approx(ev.percent_bsa, abs=TOL)
    assert d["avoid"][0]["reason"] == "eyes" and d["plan"] is None
    assert d["label_check"]["area"]["used"] == pytest.approx(ev.percent_bsa, abs=TOL)
    assert "safe" not in json.dumps(d).lower()


# ------------------------------------------------------------------ checks


@pytest.mark.parametrize(("changes", "match"), [
    ({"treatment_area": {"head": 1.0}}, "must be Marks"),
    ({"treatment_area": AvoidArea(reason="eyes")}, "must be Marks"),
    ({"avoid": AvoidArea(reason="eyes")}, "list of AvoidArea"),
    ({"avoid": [Marks()]}, "must be a AvoidArea"),
    ({"zones": [Zone(name="a"), Zone(name=" A ")]}, "same name"),
    ({"zones": [Zone(name=f"z{i}") for i in range(15)]}, "at most 14 zones"),
    ({"treatment_area": Marks(masks={"front": np.zeros((H, W), bool)})}, "figure id"),
    ({"figure_id": "adult", "masks": {"front": np.zeros((H, W), bool)},
      "treatment_area": Marks(masks={"front": np.zeros((2 * H, 2 * W), bool)})},
     "one canvas"),
])
def test_bad_layers_are_refused_with_a_clear_message(changes, match):
    with pytest.raises(BSAInputError, match=match):
        Assessment(age_years=40, **changes)


@pytest.mark.parametrize(("make", "match"), [
    (lambda: AvoidArea(reason=""), "must not be blank"),
    (lambda: AvoidArea(reason="x" * 81), "at most 80"),
    (lambda: AvoidArea(reason="eyes\x1b[31m"), "control character"),
    (lambda: AvoidArea(reason="eyes", shares={"head": 2}), "of the do-not-apply area 'eyes'"),
    (lambda: Marks(shares={"wing": 1}), "valid regions"),
    (lambda: Marks(masks={"side": np.zeros((4, 4), bool)}), "unknown view"),
    (lambda: Zone(name="a", days=[]), "no day"),
    (lambda: Zone(name="a", days=["funday"]), "unknown day 'funday'"),
    (lambda: Zone(name="a", days="mon"), "list of days"),
    (lambda: Zone(name="a", times=["noon"]), "morning, midday, evening, bedtime"),
    (lambda: Zone(name="a", times=["morning", "morning"]), "twice"),
    (lambda: Zone(name="a", applications_per_day=0), "above 0"),
    (lambda: Zone(name="a", applications_per_day=3, times=["morning"]), "one or the other"),
])
def test_bad_layer_values_are_refused(make, match):
    with pytest.raises(BSAInputError, match=match):
        make()


def test_days_are_read_in_any_case_and_stored_in_week_order():
    z = Zone(name="a", days=["Friday", "MON", "wed", "mon"])
    assert z.days == ("mon", "wed", "fri")
    assert Zone(name="b").days == ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    assert Zone(name="c", times=["evening", "morning"]).per_day(2) == 2.0
    assert Zone(name="d").per_day(1) == 1.0


def test_layers_are_pickled_copied_and_compared():
    a = painted_layers().replace(zones=[Zone(name="A", days=["mon"], shares={"neck": 1.0})])
    for b in (pickle.loads(pickle.dumps(a)), copy.deepcopy(a)):
        assert b == a
        assert not b.treatment_area.masks["front"].flags.writeable
    other = a.avoid[0].masks["front"].copy()
    other[0, 0] = not other[0, 0]
    assert a != a.replace(avoid=[AvoidArea(reason="eyes", masks={"front": other})])
    assert a != a.replace(avoid=[AvoidArea(reason="lips", masks=dict(a.avoid[0].masks))])


# ------------------------------------------------------------------ session files


def test_version_1_and_2_files_load_with_unchanged_numbers():
    for version in (1, 2):
        path = DATA / f"session_v{version}.json"
        assert json.loads(path.read_text())["schema_version"] == version
        a = load(path)  # the stored total is checked against the recomputed one
        assert not a.has_layers and a.treatment_area is None
        ev = bsa.evaluate(a)
        assert ev.affected_percent_bsa == ev.treated_percent_bsa
        old = json.loads((DATA / f"session_v{version}_evaluation.json").read_text())
        new = json.loads(json.dumps(ev.to_dict()))
        # Every number and verdict as before (the wording of a citation may gain a DOI).
        assert _numbers({k: new[k] for k in old}) == _numbers(old)
        assert new["verdict"] == old["verdict"] and new["headline"] == old["headline"]


def _numbers(value, path=""):
    """Every number, boolean and None in a JSON value, by its path."""
    if isinstance(value, dict):
        return {k: v for key, item in value.items()
                for k, v in _numbers(item, f"{path}/{key}").items()}
    if isinstance(value, list):
        return {k: v for i, item in enumerate(value)
                for k, v in _numbers(item, f"{path}/{i}").items()}
    if value is None or isinstance(value, (bool, int, float)):
        return {path: value}
    return {}


def test_a_version_3_file_round_trips_every_layer(tmp_path):
    a = painted_layers().replace(
        zones=[Zone(name="Mon/Wed/Fri \u2013 face", days=["mon", "wed", "fri"],
                    masks=dict(painted_layers().treatment_area.masks)),
               Zone(name="neck", days=["tue"], shares={"neck": 1.0}, times=["evening"])])
    path = save(tmp_path / "v3.json", a)
    data = json.loads(path.read_text())
    assert data["schema_version"] == SCHEMA_VERSION == 3
    body = data["assessment"]
    assert body["treatment_area"]["masks"]["front"]["encoding"] == "packbits-zlib-base64"
    assert body["avoid"][0]["reason"] == "eyes"
    assert body["zones"][1] == {"name": "neck", "days": ["tue"], "applications_per_day": None,
                                "times": ["evening"], "shares": {"neck": 1.0}, "masks": {}}
    assert data["totals"]["treated_percent_bsa"] == pytest.approx(
        a.treated_estimate().percent_bsa, abs=TOL)
    b = load(path)
    assert b == a
    assert bsa.evaluate(b).to_dict() == bsa.evaluate(a).to_dict()


def test_a_file_without_layers_is_written_as_version_3_with_empty_layers():
    d = to_dict(Assessment(age_years=3, shares={"head": 1.0}))
    assert d["assessment"]["treatment_area"] is None
    assert d["assessment"]["avoid"] == [] and d["assessment"]["zones"] == []
    assert d["totals"]["treated_percent_bsa"] == d["totals"]["percent_bsa"]


def _v3() -> dict:
    return json.loads(to_json(thirty_percent_adult(
        avoid=[AvoidArea(reason="eyes", shares={"head:front": 0.1})],
        zones=[Zone(name="A", days=["mon"], shares={"head": 1.0})])))


def _refused(d: dict, match: str, error=BSAInputError) -> None:
    with pytest.raises(error, match=match):
        from_json(json.dumps(d))


def test_a_version_3_file_whose_treated_total_was_changed_is_refused():
    d = _v3()
    d["totals"]["treated_percent_bsa"] += 0.5
    _refused(d, "stored treated total", TotalsMismatchError)
    assert from_json(json.dumps(d), check_totals=False) == from_json(json.dumps(_v3()))
    del d["totals"]["treated_percent_bsa"]
    _refused(d, "treated_percent_bsa")


@pytest.mark.parametrize(("edit", "match"), [
    (lambda d: d["assessment"]["zones"][0].update(colour="red"), "zone has unknown fields"),
    (lambda d: d["assessment"]["zones"][0].pop("name"), "zone in the session file has no name"),
    (lambda d: d["assessment"]["zones"][0].update(days=["someday"]), "unknown day"),
    (lambda d: d["assessment"]["avoid"][0].pop("reason"), "has no reason"),
    (lambda d: d["assessment"].update(avoid={"reason": "eyes"}), "avoid must be a list"),
    (lambda d: d["assessment"].update(treatment_area=[1]), "treatment area must be an object"),
    (lambda d: d["assessment"]["treatment_area"].update(masks={"top": {}}), "unknown view"),
    (lambda d: d["totals"].update(extra=1), "totals have unknown fields"),
])
def test_bad_version_3_files_are_refused(edit, match):
    d = _v3()
    edit(d)
    _refused(d, match)


def test_a_version_2_file_may_not_hold_layers():
    d = json.loads((DATA / "session_v2.json").read_text())
    d["assessment"]["zones"] = []
    _refused(d, "unknown fields")


def test_the_history_saves_a_version_3_visit_and_still_reads_older_ones(tmp_path):
    history = History(tmp_path / "h.sqlite3")
    a = painted_layers()
    vid = history.add_visit("p7", a, "2026-03-01")
    visit = history.get_visit(vid)
    assert visit.assessment == a
    assert visit.percent_bsa == pytest.approx(a.estimate().percent_bsa, abs=TOL)  # the affected skin
    old_text = (DATA / "session_v2.json").read_text()
    old_vid = history.add_visit("p7", load(DATA / "session_v2.json"), "2026-02-03")
    con = sqlite3.connect(history.path)
    con.execute("UPDATE visits SET session_json = ? WHERE visit_id = ?", (old_text, old_vid))
    con.commit()
    con.close()
    assert history.get_visit(old_vid).assessment == load(DATA / "session_v2.json")
    assert len(history.list_visits("p7")) == 2


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=10,
)


@settings(max_examples=200, deadline=None)
@given(where=st.sampled_from(["treatment_area", "avoid", "zone"]),
       key=st.sampled_from(["masks", "shares", "reason", "name", "days",
                            "applications_per_day", "times", "extra"]),
       value=_json_values)
def test_any_damaged_layer_is_refused_with_the_package_error_or_read(where, key, value):
    d = json.loads(to_json(painted_layers().replace(
        zones=[Zone(name="A", days=["mon"], shares={"neck": 1.0})])))
    body = d["assessment"]
    target = {"treatment_area": body["treatment_area"], "avoid": body["avoid"][0],
              "zone": body["zones"][0]}[where]
    target[key] = value
    try:
        result = from_json(json.dumps(d), check_totals=False)
    except BSAInputError:
        return
    assert isinstance(result, Assessment)
    bsa.evaluate(result)


# ------------------------------------------------------------------ one layer's own marks


def test_each_layer_s_own_shares_for_the_page():
    """What the page's Type shares panel shows for the layer being marked: that layer's own
    marks before the layers are combined (Evaluation.layer_fractions, region_shares)."""
    a = Assessment(age_years=40, rule_id=AD,
                   shares={"anterior_trunk": 1.0, "head": 1.0},
                   treatment_area=Marks(shares={"head": 1.0, "neck": 0.5}),
                   avoid=[AvoidArea(reason="eyes", shares={"head:front": 0.1})],
                   zones=[Zone(name="neck", shares={"neck": 1.0})])
    ev = bsa.evaluate(a)
    assert ev.region_shares()["head"] == pytest.approx(0.95, abs=TOL)  # treated: less the eyes
    assert ev.region_shares("affected")["anterior_trunk"] == 1.0
    assert ev.region_shares(a.treatment_area)["neck"] == 0.5
    assert ev.region_shares(a.treatment_area)["anterior_trunk"] == 0.0
    assert ev.region_shares(a.avoid[0])["head"] == pytest.approx(0.05, abs=TOL)
    # A zone as marked, though only half of it lies in the treatment area.
    assert ev.region_shares(a.zones[0])["neck"] == 1.0
    assert ev.plan.zones[0].percent_bsa == pytest.approx(1.0, abs=TOL)
    assert np.array_equal(ev.layer_fractions("treated"),
                          [ev.estimate.fractions[h] for h in PART_NAMES])
    with pytest.raises(BSAInputError, match="'treated', 'affected' or Marks"):
        ev.layer_fractions("zones")


def test_a_layer_s_painting_without_its_typed_shares():
    a = painted_layers()
    ev = bsa.evaluate(a)
    area = a.avoid[0]
    painted = ev.layer_fractions(area, typed=False)
    assert close(painted, half_fractions(area.masks, "adult"))
    typed = a.replace(avoid=[area.replace(shares={"neck": 0.25})])
    ev = bsa.evaluate(typed)
    assert ev.layer_fractions(typed.avoid[0])[PART_INDEX["neck:front"]] == 0.25
    assert close(ev.layer_fractions(typed.avoid[0], typed=False), painted)
    assert close(ev.layer_fractions("affected", typed=False), a.painted_fractions())
