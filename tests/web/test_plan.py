"""The page's layers and treatment plan (issue 17), run headless with AppTest.

The body map's messages are injected into its component state as the browser sends them:
a choice of layer (``layer``), a share set with the keys (``share``, with its layer) and the
marks of every layer (``marks``: the affected skin at the top level, the others under
``layers``). Every number the page shows is compared with :func:`bsa.evaluate` of the same
assessment.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import bsa
from bsa.core.regions import PART_INDEX
from bsa.diagram import masks as bsa_masks
from bsa.records.assessment import Assessment
from bsa.records.layers import AvoidArea, Marks, Zone
from bsa.records.session import from_json, to_dict, to_json

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

from webapp.body_map import MAP_HEIGHT as HEIGHT  # noqa: E402
from webapp.body_map import MAP_WIDTH as WIDTH  # noqa: E402
from webapp.body_map import mask_png  # noqa: E402
from webapp.text import literal  # noqa: E402

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 60
AD = "opzelura_us_atopic_dermatitis"


@pytest.fixture(autouse=True)
def browser_on_this_machine(monkeypatch):
    """AppTest has no browser connection: say it comes from this machine (loopback)."""
    import webapp.access

    monkeypatch.setattr(webapp.access, "client_address", lambda: "127.0.0.1")


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def start(age: int = 30) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["age_years_whole"] = age
    return run(at)


_seq = iter(range(1, 10**6))


def component(at: AppTest, **message) -> None:
    """Send what the body map sends (a layer, a share or marks), then rerun."""
    state = {"marks": None, "share": None, "layer": None}
    previous = at.session_state["body_map"] if "body_map" in at.session_state else None
    if isinstance(previous, dict):
        state.update(previous)
    for key, value in message.items():
        state[key] = {**value, "seq": f"t-{next(_seq)}"}
    at.session_state["body_map"] = state
    run(at)


def choose(at: AppTest, layer: str) -> None:
    component(at, layer={"id": layer})


def key_share(at: AppTest, layer: str, part: str, share: float | None) -> None:
    component(at, share={"part": part, "share": share, "layer": layer})


def send_marks(at: AppTest, affected: dict, layers: dict | None = None) -> None:
    """Marks of every layer as the browser sends them (an empty layer view as None)."""
    empty = np.zeros((HEIGHT, WIDTH), dtype=bool)
    views = ("front", "back")
    payload = {"rev": at.session_state["map_rev"], "figure": at.session_state["map_figure"],
               "width": WIDTH, "height": HEIGHT,
               **{v: mask_png(affected.get(v, empty)) for v in views},
               "layers": {layer: {v: mask_png(m[v]) if v in m else None for v in views}
                          for layer, m in (layers or {}).items()}}
    component(at, marks=payload)


def half(at: AppTest, view: str, name: str) -> np.ndarray:
    labels = np.asarray(bsa_masks.label_image(at.session_state["map_figure"], view, WIDTH,
                                              HEIGHT))
    return labels == 1 + PART_INDEX[name]


def page_text(at: AppTest) -> str:
    return " ".join(md.value for md in at.markdown)


def treated(at: AppTest) -> float:
    return at.session_state["result_total"]


def data_value(at: AppTest, testid: str) -> float:
    text = page_text(at)
    marker = f'data-testid="{testid}" data-value="'
    assert marker in text, f"{testid} is not on the page"
    return float(text.split(marker, 1)[1].split('"', 1)[0])


def verdict_state(at: AppTest) -> str:
    text = page_text(at)
    return text.split('class="bsa-gauge"', 1)[1].split('data-state="', 1)[1].split('"', 1)[0]


def panel(at: AppTest, title: str) -> None:
    at.session_state["panel"] = title
    run(at)


def type_share(at: AppTest, region: str, percent: float) -> None:
    at.number_input(key=f"share_{region}").set_value(percent)
    run(at)


def body_map_data(at: AppTest) -> dict:
    for element in at.get("bidi_component"):  # the body map (and the page-language marker)
        data = json.loads(element.proto.json)
        if "json" in data:
            return json.loads(data["json"])
    raise AssertionError("the body map is not on the page")


def shown_assessment(at: AppTest) -> Assessment:
    """The assessment the page builds from its state (what a save would store)."""
    import streamlit as st

    from webapp import state

    # current_assessment reads st.session_state: give it AppTest's.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(st, "session_state", at.session_state)
        return state.current_assessment()


# ----------------------------------------------------------------------------- the switch


def test_the_treatment_layer_with_typed_shares_changes_the_treated_total_and_verdict(said):
    at = start(age=30)
    panel(at, "Type shares")
    type_share(at, "anterior_trunk", 100.0)
    type_share(at, "posterior_trunk", 100.0)
    assert treated(at) == pytest.approx(26.0)
    assert verdict_state(at) == "above"  # above the 20% atopic dermatitis limit
    assert body_map_data(at)["layer"] == "affected"

    # "Apply this cream" in the figure's switch: the treatment area becomes a layer of its
    # own, starting as the affected skin (the total does not jump), and is marked from now on.
    choose(at, "apply")
    assert at.session_state["treat_all"] is False
    assert at.session_state["map_layer"] == "apply"
    assert treated(at) == pytest.approx(26.0)
    assert body_map_data(at)["layer"] == "apply"
    assert any(m.startswith("Shares of the layer being marked: apply this cream")
               for m in said(at, "info"))
    # Typed shares now act on the treatment area: the back of the trunk is not treated.
    assert at.number_input(key="share_posterior_trunk").value == pytest.approx(100.0)
    type_share(at, "posterior_trunk", 0.0)
    assert treated(at) == pytest.approx(13.0)
    assert data_value(at, "bsa-affected-total") == pytest.approx(26.0)
    assert data_value(at, "bsa-total") == pytest.approx(13.0)
    assert verdict_state(at) == "within"
    assert at.session_state["typed"] == {"anterior_trunk": 1.0, "posterior_trunk": 1.0}

    expected = bsa.evaluate(Assessment(
        age_years=30, rule_id=AD, shares={"anterior_trunk": 1.0, "posterior_trunk": 1.0},
        treatment_area=Marks(shares={"anterior_trunk": 1.0, "posterior_trunk": 0.0})))
    assert treated(at) == expected.percent_bsa
    assert "Affected, not with this cream: 13.0%" in page_text(at)

    # Switched back on, the treatment area is the affected skin again: one click away.
    panel(at, "Treatment plan")
    at.toggle(key="plan_treat_all").set_value(True)
    run(at)
    assert treated(at) == pytest.approx(26.0)
    assert at.session_state["map_layer"] == "affected"
    assert shown_assessment(at).treatment_area is None
    # ...and its marks are kept for when it is switched off again.
    at.toggle(key="plan_treat_all").set_value(False)
    run(at)
    assert treated(at) == pytest.approx(13.0)


def test_painted_layers_count_pixel_by_pixel():
    at = start(age=30)
    trunk = half(at, "front", "anterior_trunk:front")
    send_marks(at, {"front": trunk})
    assert treated(at) == pytest.approx(13.0)
    choose(at, "apply")
    choose(at, "avoid:broken skin")
    lower = trunk.copy()
    rows = np.nonzero(trunk.any(axis=1))[0]
    lower[: (rows[0] + rows[-1]) // 2] = False  # the lower half of the trunk
    # The treatment area as copied from the affected skin, a do-not-apply area on its lower part.
    send_marks(at, {"front": trunk}, {"apply": {"front": trunk},
                                     "avoid:broken skin": {"front": lower}})
    figure = at.session_state["map_figure"]
    expected = bsa.evaluate(Assessment(
        age_years=30, rule_id=AD, figure_id=figure, masks={"front": trunk},
        treatment_area=Marks(masks={"front": trunk}),
        avoid=[AvoidArea(reason="broken skin", masks={"front": lower})]))
    assert 0 < treated(at) < 13.0
    assert treated(at) == expected.percent_bsa
    assert shown_assessment(at) == expected.assessment
    data = body_map_data(at)
    assert [spec["id"] for spec in data["layers"]] == ["affected", "apply", "avoid:broken skin"]
    assert [spec["style"] for spec in data["layers"]] == ["outlined", "solid", "hatched"]
    assert data["restore"].keys() >= {"affected", "apply", "avoid:broken skin"}
    assert data["layer"] == "avoid:broken skin"


def test_a_do_not_apply_share_with_its_reason_is_listed(said):
    at = start(age=30)
    panel(at, "Type shares")
    type_share(at, "head", 100.0)
    choose(at, "avoid:eyes")
    key_share(at, "avoid:eyes", "head:front", 0.2)
    ev = bsa.evaluate(Assessment(age_years=30, rule_id=AD, shares={"head": 1.0},
                                 avoid=[AvoidArea(reason="eyes", shares={"head:front": 0.2})]))
    assert treated(at) == pytest.approx(ev.percent_bsa)
    assert treated(at) == pytest.approx(7.0 - 0.7)
    listed = [m.value for m in at.markdown if 'data-testid="bsa-avoid"' in m.value]
    assert len(listed) == 1
    assert "Do not apply (eyes): face, 0.7% of the body surface" in listed[0]
    # A reason in the clinician's words is shown as typed, never as Markdown or HTML.
    hostile = "![x](http://e.invalid/a.png) <b>"
    choose(at, f"avoid:{hostile}")
    key_share(at, f"avoid:{hostile}", "head:back", 0.5)
    listed = [m.value for m in at.markdown if 'data-testid="bsa-avoid"' in m.value][0]
    assert "http://" not in listed and "<b>" not in listed.replace("<b>0", "")
    assert literal(hostile) in listed
    assert [a.reason for a in shown_assessment(at).avoid] == ["eyes", hostile]
    # The plan panel lists both with their reasons; one is removed with its marks.
    panel(at, "Treatment plan")
    text = page_text(at)
    assert "Do not apply (eyes): face" in text and literal(hostile) in text
    at.button(key="plan_avoid_remove_1").click()
    run(at)
    assert [a.reason for a in shown_assessment(at).avoid] == ["eyes"]
    assert treated(at) == pytest.approx(ev.percent_bsa)
    assert at.session_state["map_layer"] == "affected"  # the area marked was removed
    # A reason the core refuses (too long) is said, and changes nothing.
    choose(at, "avoid:eyes")
    choose(at, "avoid:" + "x" * 81)
    assert any("80 characters" in m for m in said(at, "error"))
    assert at.session_state["map_layer"] == "avoid:eyes"
    assert at.session_state["avoid_reasons"] == ["eyes"]


def test_a_zone_with_days_shows_the_plan_by_day(said):
    at = start(age=40)
    panel(at, "Type shares")
    type_share(at, "anterior_trunk", 100.0)
    type_share(at, "posterior_trunk", 100.0)
    panel(at, "Treatment plan")
    at.button(key="plan_add_zone").click()
    run(at)
    at.button(key="plan_add_zone").click()
    run(at)
    z1, z2 = (z["id"] for z in at.session_state["zones"])
    assert at.session_state["map_layer"] == f"zone:{z2}"  # a new zone is marked next
    at.text_input(key=f"zone_{z1}_name").input("Front Mon/Wed/Fri/Sun")
    run(at)
    for day in ("tue", "thu", "sat"):
        at.checkbox(key=f"zone_{z1}_days_{day}").uncheck()
        run(at)
    at.text_input(key=f"zone_{z2}_name").input("Back")
    run(at)
    for day in ("mon", "wed", "fri", "sun"):
        at.checkbox(key=f"zone_{z2}_days_{day}").uncheck()
        run(at)
    at.multiselect(key=f"zone_{z2}_times").select("morning")
    run(at)
    # Each zone is marked as a layer: typed shares on the zone being marked.
    key_share(at, f"zone:{z2}", "posterior_trunk:back", 1.0)
    choose(at, f"zone:{z1}")
    key_share(at, f"zone:{z1}", "anterior_trunk:front", 1.0)
    expected = bsa.evaluate(Assessment(
        age_years=40, rule_id=AD, shares={"anterior_trunk": 1.0, "posterior_trunk": 1.0},
        figure_id=at.session_state["map_figure"],
        zones=[Zone(name="Front Mon/Wed/Fri/Sun", days=["mon", "wed", "fri", "sun"],
                    shares={"anterior_trunk:front": 1.0}),
               Zone(name="Back", days=["tue", "thu", "sat"], times=["morning"],
                    shares={"posterior_trunk:back": 1.0})]))
    assert shown_assessment(at) == expected.assessment
    tables = [m.value for m in at.markdown if 'data-testid="bsa-plan-days"' in m.value]
    assert len(tables) == 1
    rows = tables[0].split("<tbody>")[1].split("</tr>")[:-1]
    assert len(rows) == 7
    for row, day in zip(rows, expected.plan.days, strict=True):
        assert f">{day.name}</th>" in row
        assert f"{day.percent_bsa:.1f}%" in row
        assert f"{day.grams:.1f} g" in row
    assert literal("Front Mon/Wed/Fri/Sun") in rows[0]  # the name, literally
    text = page_text(at)
    for line in expected.plan.day_lines:
        assert literal(line) in text
    # Unticking the last day is refused (a zone is used on at least one day).
    for day in ("tue", "thu"):
        at.checkbox(key=f"zone_{z2}_days_{day}").uncheck()
        run(at)
    at.checkbox(key=f"zone_{z2}_days_sat").uncheck()
    run(at)
    assert at.checkbox(key=f"zone_{z2}_days_sat").value is True
    assert any("at least one day" in m for m in said(at, "warning"))
    assert shown_assessment(at).zones[1].days == ("sat",)
    # A name another zone has is said, and saving is off until it is changed.
    at.text_input(key=f"zone_{z2}_name").input("front mon/wed/fri/sun")
    run(at)
    assert shown_assessment(at).zones[1].name == "Back"
    assert any("keeps the name \u201cBack\u201d" in m for m in said(at, "error"))
    panel(at, "Save, print, history")
    assert at.button(key="records_prepare_session").disabled
    panel(at, "Treatment plan")
    at.text_input(key=f"zone_{z2}_name").input("Back only")
    run(at)
    # Removing a zone removes its marks: its layer is gone from the figure.
    at.button(key=f"plan_zone_{z2}_remove").click()
    run(at)
    assert [z.name for z in shown_assessment(at).zones] == ["Front Mon/Wed/Fri/Sun"]
    assert f"zone:{z2}" not in [s["id"] for s in body_map_data(at)["layers"]]


# ----------------------------------------------------------------------------- files


def _v2_text(assessment: Assessment) -> str:
    """A session file of version 2 (before layers), as the page wrote it."""
    data = to_dict(assessment)
    data["schema_version"] = 2
    for key in ("treatment_area", "avoid", "zones"):
        del data["assessment"][key]
    del data["totals"]["treated_percent_bsa"]
    return json.dumps(data)


def test_a_version_2_session_loads_unchanged():
    at = start(age=30)
    labels = np.asarray(bsa_masks.label_image("adult", "front", WIDTH, HEIGHT))
    front = labels == 1 + PART_INDEX["anterior_trunk:front"]
    rows = np.nonzero(front.any(axis=1))[0]
    front[: (rows[0] + rows[-1]) // 2] = False  # the lower half of the trunk
    old = Assessment(age_years=34, rule_id=AD, figure_id="adult", masks={"front": front},
                     shares={"right_hand": 1.0}, notes="before layers")
    loaded = from_json(_v2_text(old))
    assert loaded == old
    at.session_state["pending_load"] = loaded
    run(at)
    assert at.session_state["treat_all"] is True
    assert at.session_state["zones"] == [] and at.session_state["avoid_reasons"] == []
    assert treated(at) == bsa.evaluate(old).percent_bsa
    assert "bsa-affected-total" not in page_text(at)  # one total, as before layers
    assert shown_assessment(at) == old


def test_the_layers_are_saved_and_loaded_with_the_session(tmp_path, monkeypatch):
    monkeypatch.setenv("BSA_HISTORY_DB", str(tmp_path / "history.sqlite3"))
    at = start(age=30)
    trunk = half(at, "front", "anterior_trunk:front")
    thigh = half(at, "back", "left_thigh:back")
    send_marks(at, {"front": trunk, "back": thigh})
    choose(at, "apply")
    choose(at, "avoid:lips")
    send_marks(at, {"front": trunk, "back": thigh},
               {"apply": {"front": trunk}, "avoid:lips": {"back": thigh}})
    panel(at, "Treatment plan")
    at.button(key="plan_add_zone").click()
    run(at)
    zid = at.session_state["zones"][0]["id"]
    key_share(at, f"zone:{zid}", "anterior_trunk:front", 0.5)
    saved = shown_assessment(at)
    assert saved.treatment_area is not None and saved.avoid and saved.zones
    # The session file the records panel prepares holds every layer.
    panel(at, "Save, print, history")
    at.button(key="records_prepare_session").click()
    run(at)
    prepared = at.session_state["records_prepared_session"]
    assert from_json(prepared["data"]) == saved
    # Saved as a visit and put back on the page: the same layers, the same totals.
    at.text_input(key="records_new_pseudonym").input("PLAN-1")
    run(at)
    at.button(key="records_save_visit").click()
    run(at)
    total = treated(at)
    panel(at, "Type shares")
    type_share(at, "head", 100.0)
    at.session_state["pending_load"] = from_json(to_json(saved))
    run(at)
    assert shown_assessment(at) == saved
    assert treated(at) == total
    assert at.session_state["map_rev"] > 0
    assert body_map_data(at)["restore"]["apply"]["front"].startswith("data:image/png")
    # The visit history plots the area to treat of a visit with layers.
    from bsa.records.history import History
    from webapp.records import _visit_totals

    visit = History(tmp_path / "history.sqlite3").list_visits("PLAN-1")[0]
    assert visit.percent_bsa == pytest.approx(saved.estimate().percent_bsa)  # as stored
    assert _visit_totals(str(tmp_path / "history.sqlite3"), (visit,)) == (
        pytest.approx(bsa.evaluate(saved).treated_percent_bsa),)


def test_carrying_the_marks_to_another_figure_moves_every_layer():
    at = start(age=30)
    trunk = half(at, "front", "anterior_trunk:front")
    head = half(at, "front", "head:front")
    choose(at, "apply")
    choose(at, "avoid:eyes")
    send_marks(at, {"front": trunk}, {"apply": {"front": trunk | head},
                                     "avoid:eyes": {"front": head}})
    before = bsa.evaluate(shown_assessment(at))
    at.number_input(key="age_years_whole").set_value(5)
    run(at)
    at.button(key="figure_carry").click()
    run(at)
    assert at.session_state["map_figure"] == "child"
    moved = shown_assessment(at)
    assert moved.figure_id == "child"
    lab = np.asarray(bsa_masks.label_image("child", "front", WIDTH, HEIGHT))
    assert set(np.unique(lab[moved.masks["front"]]).tolist()) == {
        1 + PART_INDEX["anterior_trunk:front"]}
    assert set(np.unique(lab[moved.avoid[0].masks["front"]]).tolist()) == {
        1 + PART_INDEX["head:front"]}
    assert set(np.unique(lab[moved.treatment_area.masks["front"]]).tolist()) == {
        1 + PART_INDEX["head:front"], 1 + PART_INDEX["anterior_trunk:front"]}
    # Full halves stay full: the treated area is the trunk (the head is avoided) at age 5.
    assert before.treated_percent_bsa == pytest.approx(13.0)
    assert treated(at) == pytest.approx(bsa.half_weights(5)[PART_INDEX["anterior_trunk:front"]])


def test_a_stale_or_unknown_layer_in_a_payload_changes_nothing():
    at = start(age=30)
    trunk = half(at, "front", "anterior_trunk:front")
    choose(at, "apply")
    send_marks(at, {"front": trunk}, {"apply": {"front": trunk}})
    total = treated(at)
    # A layer the page does not have (removed meanwhile) is ignored.
    send_marks(at, {"front": trunk}, {"apply": {"front": trunk}, "zone:z99": {"front": trunk}})
    assert treated(at) == total
    assert "zone:z99" not in at.session_state["layer_masks"]
    # Marks drawn before the server replaced them (an older revision) are ignored.
    at.session_state["map_rev"] += 1
    payload_rev = at.session_state["map_rev"] - 1
    empty = np.zeros_like(trunk)
    at.session_state["body_map"] = {
        "share": None, "layer": None,
        "marks": {"rev": payload_rev, "figure": at.session_state["map_figure"], "seq": "old",
                  "width": WIDTH, "height": HEIGHT, "front": mask_png(empty),
                  "back": mask_png(empty), "layers": {"apply": {"front": None, "back": None}}}}
    run(at)
    assert treated(at) == total
    # A share sent for a layer removed meanwhile is ignored too.
    key_share(at, "avoid:never made", "head:front", 1.0)
    assert treated(at) == total


def test_the_page_palette_is_the_printed_maps():
    """The figure on the page and the printed map draw each layer alike."""
    from bsa.diagram.svg import TINT
    from bsa.report import layout
    from webapp import body_map

    assert body_map.ZONE_COLOURS == layout._ZONE_COLOURS
    assert body_map.AVOID_HATCHES == layout._AVOID_HATCHES
    assert body_map.LAYER_LOOKS["affected"][1:] == (layout._AFFECTED_COLOUR,
                                                    layout._AFFECTED_HATCH)
    assert body_map.LAYER_LOOKS["avoid"][1] == layout._AVOID_COLOUR
    assert body_map.LAYER_LOOKS["apply"][1].lower() == TINT.lower()
