"""The page (webapp/page.py and app.py), run headless with AppTest (no browser: the body
map's marks are injected into its component state as the browser would send them)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import bsa
from bsa.core.regions import PART_INDEX
from bsa.diagram import masks as bsa_masks

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

APP = str(Path(__file__).resolve().parents[2] / "app.py")
from webapp.body_map import MAP_HEIGHT as HEIGHT  # noqa: E402
from webapp.body_map import MAP_WIDTH as WIDTH  # noqa: E402
from webapp.body_map import mask_png  # noqa: E402

TIMEOUT = 60  # a slow shared machine: the first run imports numpy, PIL and the charts


@pytest.fixture(autouse=True)
def browser_on_this_machine(monkeypatch):
    """AppTest has no browser connection: say it comes from this machine (loopback)."""
    import webapp.access

    monkeypatch.setattr(webapp.access, "client_address", lambda: "127.0.0.1")


def start(age: int = 30) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["age_years_whole"] = age
    at.run()
    assert not at.exception, at.exception
    return at


def inject(at: AppTest, front: np.ndarray, back: np.ndarray | None = None, seq: int = 1):
    """Send marks as the body map component does after a stroke, then rerun."""
    back = np.zeros_like(front) if back is None else back
    at.session_state["body_map"] = {
        "marks": {
            "rev": at.session_state["map_rev"],
            "figure": at.session_state["map_figure"],
            "seq": seq,
            "width": WIDTH,
            "height": HEIGHT,
            "front": mask_png(front),
            "back": mask_png(back),
        }
    }
    at.run()
    assert not at.exception, at.exception


def labels(at: AppTest, view: str) -> np.ndarray:
    return np.asarray(bsa_masks.label_image(at.session_state["map_figure"], view, WIDTH, HEIGHT))


def half_mask(at: AppTest, view: str, half: str) -> np.ndarray:
    return labels(at, view) == 1 + PART_INDEX[half]


def shown_total(at: AppTest) -> float:
    return at.session_state["result_total"]


def total_text(at: AppTest) -> str:
    for md in at.markdown:
        if 'data-testid="bsa-total"' in md.value:
            return md.value
    raise AssertionError("the total is not on the page")


def test_page_runs_without_exceptions_and_says_what_it_is(said):
    at = start()
    assert not said(at, "error")
    assert shown_total(at) == 0.0
    assert "0.0%" in total_text(at)
    text = " ".join(md.value for md in at.markdown)
    assert "not medical advice" in text
    # The three-state gauge is there from the start (default rule: atopic dermatitis).
    assert 'data-state="within"' in text


def test_injected_mask_gives_the_same_total_as_bsa():
    at = start(age=7)
    rng = np.random.default_rng(5)
    front = np.zeros((HEIGHT, WIDTH), dtype=bool)
    yy, xx = np.mgrid[:HEIGHT, :WIDTH]
    for cx, cy, r in rng.uniform((80, 150, 20), (320, 800, 90), size=(6, 3)):
        front |= (xx - cx) ** 2 + (yy - cy) ** 2 < r**2
    back = np.zeros_like(front)
    back[300:500, 100:300] = True
    inject(at, front, back)
    figure = at.session_state["map_figure"]
    fractions = bsa_masks.half_fractions({"front": front, "back": back}, figure)
    expected = bsa.percent_bsa(fractions, 7)
    assert expected > 1
    assert shown_total(at) == pytest.approx(expected, abs=1e-12)
    assert f"{expected:.1f}%" in total_text(at)
    # The saved assessment (what the session file, history and report use) agrees too.
    from bsa.records.assessment import Assessment

    saved = Assessment(age_years=7, figure_id=figure, masks={"front": front, "back": back})
    assert saved.estimate().percent_bsa == pytest.approx(expected, abs=1e-12)


def test_a_filled_half_gives_its_chart_weight_and_the_age_changes_it():
    at = start(age=30)
    inject(at, half_mask(at, "front", "head:front"))
    adult = bsa.half_weights(30)[PART_INDEX["head:front"]]
    assert shown_total(at) == pytest.approx(adult, abs=1e-9)
    assert adult == pytest.approx(3.5)
    # Same marks, younger patient: the head is a larger share of the body.
    at.session_state["age_years_whole"] = 5
    at.run()
    assert not at.exception
    assert shown_total(at) == pytest.approx(6.5, abs=1e-9)


def test_the_verdict_changes_across_the_limit():
    at = start(age=30)
    at.session_state["panel"] = "Type shares"
    at.run()
    # Anterior trunk 13% + posterior trunk 13% at 50% = 13%: within the 20% limit.
    at.number_input(key="share_anterior_trunk").set_value(50.0).run()
    at.number_input(key="share_posterior_trunk").set_value(50.0).run()
    assert shown_total(at) == pytest.approx(13.0)
    page = " ".join(md.value for md in at.markdown)
    assert 'data-state="within"' in page
    # Both trunks whole: 26%, above the atopic dermatitis limit.
    at.number_input(key="share_anterior_trunk").set_value(100.0).run()
    at.number_input(key="share_posterior_trunk").set_value(100.0).run()
    assert shown_total(at) == pytest.approx(26.0)
    page = " ".join(md.value for md in at.markdown)
    assert 'data-state="above"' in page
    assert "discuss with your doctor" in page
    # The vitiligo rule's 10% limit: 13% of body surface is above it too, 8% near it.
    at.selectbox(key="rule_id").set_value("opzelura_us_vitiligo").run()
    assert 'data-state="above"' in " ".join(md.value for md in at.markdown)


def test_typed_shares_and_painting_agree():
    at = start(age=30)
    inject(at, half_mask(at, "front", "right_thigh:front"))
    painted_total = shown_total(at)
    assert painted_total == pytest.approx(4.75)
    at.session_state["panel"] = "Type shares"
    at.run()
    # The painting shows in the region's input: the front half of the thigh is half of it.
    assert at.number_input(key="share_right_thigh").value == pytest.approx(50.0)
    # Typing a share overrides the painting; typing what the painting gives changes nothing.
    at.number_input(key="share_right_thigh").set_value(25.0).run()
    assert shown_total(at) == pytest.approx(0.25 * 9.5)
    at.number_input(key="share_right_thigh").set_value(50.0).run()
    assert shown_total(at) == pytest.approx(painted_total)
    assert at.session_state["typed"] == {"right_thigh": 0.5}
    # ...and typing the whole thigh equals painting both halves.
    at.number_input(key="share_right_thigh").set_value(100.0).run()
    typed_total = shown_total(at)
    at2 = start(age=30)
    inject(at2, half_mask(at2, "front", "right_thigh:front"),
           half_mask(at2, "back", "right_thigh:back"))
    assert typed_total == pytest.approx(shown_total(at2))
    assert typed_total == pytest.approx(9.5)


def test_marks_from_an_old_revision_are_ignored():
    at = start()
    mask = half_mask(at, "front", "anterior_trunk:front")
    at.session_state["map_rev"] = at.session_state["map_rev"] + 1
    at.session_state["body_map"] = {
        "marks": {"rev": at.session_state["map_rev"] - 1, "figure": at.session_state["map_figure"],
                  "seq": 1, "width": WIDTH, "height": HEIGHT,
                  "front": mask_png(mask), "back": mask_png(np.zeros_like(mask))}
    }
    at.run()
    assert not at.exception
    assert shown_total(at) == 0.0


def test_a_bad_payload_is_a_message_not_a_traceback(said):
    at = start()
    at.session_state["body_map"] = {
        "marks": {"rev": at.session_state["map_rev"], "figure": at.session_state["map_figure"],
                  "seq": 1, "width": WIDTH, "height": HEIGHT,
                  "front": "data:image/png;base64,AAAA", "back": None}
    }
    at.run()
    assert not at.exception
    assert any("could not be read" in e for e in said(at, "error"))
    assert shown_total(at) == 0.0


def test_changing_the_age_keeps_marks_on_their_figure():
    at = start(age=30)
    adult_figure = at.session_state["map_figure"]
    spot = half_mask(at, "front", "anterior_trunk:front")
    spot[:, WIDTH // 2:] = False  # the patient's right side of the trunk only
    inject(at, spot)
    at.session_state["typed"] = {"head": 0.25}
    at.session_state["age_years_whole"] = 1
    at.run()
    assert not at.exception
    from bsa.diagram import geometry as body_diagram

    if body_diagram.figure_for_age(1) == adult_figure:
        pytest.skip("one figure serves both ages")
    # Nothing lost: the marks stay on the figure they were made on, with a notice.
    assert at.session_state["map_figure"] == adult_figure
    before = shown_total(at)
    assert any("marks were made on" in i.value for i in at.info)
    fractions = bsa_masks.half_fractions({"front": spot}, adult_figure)
    # Carrying them over moves the paint itself: the spot stays paint, in the same half,
    # covering the same share of it (to a pixel); typed shares stay typed.
    at.button(key="figure_carry").click().run()
    assert not at.exception
    child = body_diagram.figure_for_age(1)
    assert at.session_state["map_figure"] == child
    assert at.session_state["typed"] == {"head": 0.25}
    moved = at.session_state["map_masks"]["front"]
    assert not at.session_state["map_masks"]["back"].any()
    lab = np.asarray(bsa_masks.label_image(child, "front", WIDTH, HEIGHT))
    assert set(np.unique(lab[moved]).tolist()) == {1 + PART_INDEX["anterior_trunk:front"]}
    after = bsa_masks.half_fractions({"front": moved}, child)
    pixels = bsa_masks.half_pixel_counts(child, "front", WIDTH, HEIGHT)[1:]
    i = PART_INDEX["anterior_trunk:front"]
    assert abs(after[i] - fractions[i]) <= 1 / pixels[i]
    assert shown_total(at) == pytest.approx(before, abs=0.01)
    assert not at.info  # the notice is gone
    assert at.session_state["map_restore"]["front"].startswith("data:image/png;base64,")


def test_clearing_after_an_age_change_starts_on_the_new_figure():
    at = start(age=30)
    inject(at, half_mask(at, "front", "head:front"))
    at.session_state["age_years_whole"] = 5
    at.run()
    at.button(key="figure_clear").click().run()
    assert not at.exception
    assert at.session_state["map_figure"] == "child"
    assert at.session_state["map_masks"] == {}
    assert shown_total(at) == 0.0


def share(at: AppTest, part: str, value, seq: str) -> None:
    """Send a share as the body map does when + or - is pressed on a region, then rerun."""
    at.session_state["body_map"] = {"marks": None,
                                    "share": {"part": part, "share": value, "seq": seq}}
    at.run()
    assert not at.exception, at.exception


def test_a_share_set_with_the_keys_is_a_typed_half_share(said):
    at = start(age=30)
    share(at, "right_thigh:front", 0.3, "k-1")
    assert at.session_state["typed"] == {"right_thigh:front": 0.3}
    assert shown_total(at) == pytest.approx(0.3 * 4.75)
    # The same message again (a rerun re-sends the component's state) changes nothing.
    at.session_state["typed"] = {"right_thigh:front": 0.5}
    at.run()
    assert at.session_state["typed"] == {"right_thigh:front": 0.5}
    # A whole region's typed share is split so the other half keeps it.
    at.session_state["typed"] = {"left_thigh": 0.4}
    at.run()
    share(at, "left_thigh:back", 0.1, "k-2")
    assert at.session_state["typed"] == {"left_thigh:front": 0.4, "left_thigh:back": 0.1}
    # None forgets the half's typed share: the painting counts again.
    share(at, "left_thigh:back", None, "k-3")
    assert at.session_state["typed"] == {"left_thigh:front": 0.4}
    # What the page cannot use is said, and changes nothing.
    share(at, "tail:front", 0.5, "k-4")
    assert any("not a half" in e for e in said(at, "error"))
    share(at, "head:front", 1.5, "k-5")
    assert any("from 0 to 1" in e for e in said(at, "error"))
    assert at.session_state["typed"] == {"left_thigh:front": 0.4}


def test_one_panel_is_always_open():
    at = start()
    assert at.session_state["panel"] == "Breakdown"
    at.session_state["panel"] = None  # what deselecting would send
    at.run()
    assert not at.exception
    assert at.session_state["panel"] == "Breakdown"


def test_the_body_map_gets_the_evaluations_total_and_the_hint_state():
    import json

    at = start(age=30)
    data = json.loads(_component_data(at))
    assert data["total"] == "0.0%" and data["empty"] is True and data["notice"] is False
    inject(at, half_mask(at, "front", "head:front"))
    data = json.loads(_component_data(at))
    assert data["total"] == f"{shown_total(at):.1f}%" == "3.5%"
    assert data["empty"] is False
    assert data["shares"][PART_INDEX["head:front"]] == 1.0
    # The keys visit each view's halves head to feet, every half of the view once.
    from bsa.diagram.geometry import view_parts

    for view in data["views"]:
        order = [bsa.core.regions.PART_NAMES[i] for i in view["order"]]
        assert sorted(order) == sorted(view_parts(view["id"]))
        assert order[0] == f"head:{view['id']}"


def _component_data(at: AppTest) -> str:
    """The JSON the page sent to the body map in the last run."""
    import json

    for element in at.get("bidi_component"):  # the body map (and the page-language marker)
        data = json.loads(element.proto.json)
        if "json" in data:
            return data["json"]
    raise AssertionError("the body map is not on the page")


def test_the_palm_count_is_compared_with_the_map(said):
    at = start()
    at.session_state["panel"] = "Palm count"
    at.run()
    at.number_input(key="palms").set_value(12.0).run()
    assert not at.exception
    assert any(m.startswith("Palm count: 12.0% by convention") for m in said(at))
    # The count survives a look at another panel.
    at.session_state["panel"] = "Breakdown"
    at.run()
    at.session_state["panel"] = "Palm count"
    at.run()
    assert at.number_input(key="palms").value == 12.0


def test_height_and_weight_give_square_centimetres():
    at = start(age=30)
    inject(at, half_mask(at, "front", "anterior_trunk:front"))
    at.number_input(key="height_cm").set_value(180.0).run()
    at.number_input(key="weight_kg").set_value(80.0).run()
    assert not at.exception
    m2 = bsa.body_surface_area(80.0, 180.0)
    cm2 = bsa.percent_to_cm2(13.0, m2)
    assert cm2 == pytest.approx(2600.0, rel=1e-3)  # 13% of 2.0 m2
    assert any(f"{cm2:,.0f} cm\u00b2" in md.value for md in at.markdown)


def test_no_rule_shows_the_total_without_a_verdict():
    at = start(age=30)
    at.selectbox(key="rule_id").set_value(None).run()
    assert not at.exception
    page = " ".join(md.value for md in at.markdown)
    assert "bsa-gauge" not in page
    assert "bsa-total" in page


def test_the_clinic_settings_keep_everything_local():
    import tomllib

    config = tomllib.loads((Path(APP).parent / ".streamlit" / "config.toml").read_text())
    assert config["browser"]["gatherUsageStats"] is False
    assert config["browser"]["serverAddress"] == "localhost"
    # Only this machine can reach the page unless it is served on purpose (README).
    assert config["server"]["address"] == "127.0.0.1"
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["enableCORS"] is True
    assert config["server"]["enableStaticServing"] is False
    assert config["server"]["runOnSave"] is False
    assert 0 < config["server"]["maxUploadSize"] <= 2
    assert config["client"]["showErrorDetails"] == "none"


def test_a_loaded_assessment_is_shown_exactly():
    """What the records panel hands back is put on the page: inputs, marks, typed shares."""
    from bsa.records.assessment import Assessment

    at = start(age=30)
    figure = "child"
    labels = np.asarray(bsa_masks.label_image(figure, "front", WIDTH, HEIGHT))
    front = labels == 1 + PART_INDEX["anterior_trunk:front"]
    front[: HEIGHT // 2] = False  # the lower part of the trunk only
    loaded = Assessment(
        age_years=1.5, chart="lund_browder", age_mode="banded",
        rule_id="opzelura_us_vitiligo", figure_id=figure, masks={"front": front},
        shares={"head": 0.25}, height_cm=80.0, weight_kg=11.0,
    )
    at.session_state["pending_load"] = loaded
    at.run()
    assert not at.exception
    assert at.session_state["age_years_whole"] == 1
    assert at.session_state["age_months"] == 6
    assert at.session_state["age_mode"] == "banded"
    assert at.session_state["rule_id"] == "opzelura_us_vitiligo"
    assert at.session_state["map_figure"] == figure  # kept, though the age asks for another
    assert at.session_state["typed"] == {"head": 0.25}
    assert at.session_state["map_restore"]["front"].startswith("data:image/png;base64,")
    assert shown_total(at) == pytest.approx(loaded.estimate().percent_bsa, abs=1e-12)
    # The restored image decodes back to the same mask.
    from webapp.body_map import decode_marks

    restored = decode_marks({"width": WIDTH, "height": HEIGHT, **at.session_state["map_restore"],
                             "back": mask_png(np.zeros_like(front))}, ("front", "back"))
    assert np.array_equal(restored["front"], front)


def test_a_visit_saved_in_the_history_comes_back_with_the_same_total(tmp_path, monkeypatch):
    monkeypatch.setenv("BSA_HISTORY_DB", str(tmp_path / "history.sqlite3"))
    at = start(age=30)
    front = half_mask(at, "front", "right_thigh:front")
    front[:, : WIDTH // 2 - 40] = False  # a part of the thigh only
    inject(at, front, half_mask(at, "back", "posterior_trunk:back"))
    at.number_input(key="age_years_whole").set_value(40).run()
    saved_total = shown_total(at)
    assert 13 < saved_total < 13 + 4.75
    at.session_state["panel"] = "Save, print, history"
    at.run()
    at.text_input(key="records_new_pseudonym").input("PT-001").run()
    at.button(key="records_save_visit").click().run()
    assert not at.exception
    # Change everything, then put the visit back on the page.
    at.session_state["panel"] = "Type shares"
    at.run()
    at.number_input(key="share_head").set_value(100.0).run()
    at.number_input(key="age_years_whole").set_value(5).run()
    assert shown_total(at) != pytest.approx(saved_total)
    at.session_state["panel"] = "Save, print, history"
    at.run()
    at.selectbox(key="records_patient").set_value("PT-001").run()
    at.button(key="records_load_visit").click().run()
    assert not at.exception, at.exception
    assert at.session_state["age_years_whole"] == 40
    assert at.session_state["typed"] == {}
    assert shown_total(at) == pytest.approx(saved_total, abs=1e-12)


def test_bad_state_is_a_message_with_a_way_out(said):
    at = start()
    at.session_state["typed"] = {"head": 2.0}  # as a damaged session might leave it
    at.run()
    assert not at.exception
    assert any("from 0 to 1" in e for e in said(at, "error"))
    at.button(key="reset_marks").click().run()
    assert not at.exception
    assert not said(at, "error")
    assert shown_total(at) == 0.0


# ------------------------------------------------------------------ issue 9: the page's half


def _page_state(at: AppTest) -> dict:
    """Every value a loaded assessment would replace, as the page holds it now."""
    keys = ("age_years_whole", "age_months", "age_loaded", "chart", "age_mode", "rule_id",
            "sex", "height_cm", "weight_kg", "notes", "typed", "map_figure", "map_rev",
            "figure_choice")
    values = {k: at.session_state[k] for k in keys if k in at.session_state}
    values["masks"] = {v: m.copy() for v, m in at.session_state["map_masks"].items()}
    values["restore"] = dict(at.session_state["map_restore"])
    values["total"] = shown_total(at)
    return values


def test_a_refused_assessment_changes_nothing(said):
    """A file the page cannot show (marks of another size) leaves every field and mark."""
    from bsa.records.assessment import Assessment

    at = start(age=30)
    at.session_state["panel"] = "Save, print, history"
    for key, value in (("chart", "rule_of_nines"), ("age_mode", "banded"), ("sex", "female"),
                       ("height_cm", 170.0), ("weight_kg", 70.0), ("notes", "kept notes")):
        at.session_state[key] = value
    at.run()
    inject(at, half_mask(at, "front", "head:front"))
    at.session_state["typed"] = {"neck": 0.5}
    at.run()
    before = _page_state(at)
    assert before["total"] > 0 and before["masks"]
    refused = Assessment(
        age_years=9, chart="lund_browder", age_mode="interpolated",
        rule_id="opzelura_us_vitiligo", figure_id="older_child",
        masks={"front": np.ones((180, 80), dtype=bool)}, shares={"head": 1.0}, sex="male",
        height_cm=130.0, weight_kg=30.0, notes="from the file",
    )
    at.session_state["pending_load"] = refused
    at.run()
    assert not at.exception
    assert any("could not be shown, and nothing on the page changed" in e
               and "180" in e for e in said(at, "error"))
    after = _page_state(at)
    assert after.keys() == before.keys()
    for key in before:
        if key == "masks":
            assert after[key].keys() == before[key].keys()
            assert all(np.array_equal(after[key][v], before[key][v]) for v in before[key])
        else:
            assert after[key] == before[key], key
    # The widgets show what they showed.
    assert at.number_input(key="age_years_whole").value == 30
    assert at.selectbox(key="chart").value == "rule_of_nines"
    assert at.radio(key="age_mode").value == "banded"
    assert at.selectbox(key="rule_id").value == "opzelura_us_atopic_dermatitis"
    assert at.selectbox(key="sex").value == "female"
    assert at.number_input(key="height_cm").value == 170.0
    assert at.number_input(key="weight_kg").value == 70.0
    assert at.text_area(key="records_notes").value == "kept notes"


def test_a_loaded_assessment_replaces_the_notes_on_screen():
    from bsa.records.assessment import Assessment

    at = start(age=30)
    at.session_state["panel"] = "Save, print, history"
    at.run()
    at.text_area(key="records_notes").input("typed before").run()
    at.session_state["pending_load"] = Assessment(age_years=7, notes="from the file")
    at.run()
    assert not at.exception
    assert at.text_area(key="records_notes").value == "from the file"
    assert at.session_state["notes"] == "from the file"
    assert at.number_input(key="age_years_whole").value == 7


def test_a_cleared_age_keeps_the_last_one_and_blocks_saving(tmp_path, monkeypatch, said):
    db = tmp_path / "history.sqlite3"
    monkeypatch.setenv("BSA_HISTORY_DB", str(db))
    at = start(age=30)
    inject(at, half_mask(at, "front", "head:front"))
    assert shown_total(at) == pytest.approx(3.5)
    at.number_input(key="age_years_whole").set_value(None).run()
    assert not at.exception
    # Not a newborn (whose front of the head is 9.5%): the last age is kept, and said.
    assert shown_total(at) == pytest.approx(3.5)
    assert any(m.startswith("An age is needed") and "30 years" in m for m in said(at, "error"))
    at.session_state["panel"] = "Save, print, history"
    at.run()
    for key in ("records_save_visit", "records_prepare_session", "records_prepare_map"):
        assert at.button(key=key).disabled, key
    # Out of range is not an age either; months must be there under 2 years.
    at.number_input(key="age_years_whole").set_value(130).run()
    assert any("130 is not an age" in m for m in said(at, "error"))
    at.number_input(key="age_years_whole").set_value(1).run()
    one_year = shown_total(at)
    assert one_year == pytest.approx(bsa.half_weights(1)[PART_INDEX["head:front"]])
    at.number_input(key="age_months").set_value(None).run()
    assert any("months are needed" in m and "12 months" in m for m in said(at, "error"))
    assert shown_total(at) == pytest.approx(one_year)
    # The age cleared in the same batch as a click on Save: refused at the click.
    at.number_input(key="age_months").set_value(6).run()
    at.text_input(key="records_new_pseudonym").input("AGE-1").run()
    assert not at.button(key="records_save_visit").disabled
    at.number_input(key="age_years_whole").set_value(None)
    at.button(key="records_save_visit").click().run()
    assert any(m.startswith("The visit was not saved: An age is needed")
               for m in said(at, "error"))
    assert not db.exists()


def test_an_invalid_height_is_left_out_and_said(said):
    at = start(age=30)
    at.number_input(key="height_cm").set_value(300.0).run()
    at.number_input(key="weight_kg").set_value(80.0).run()
    assert not at.exception
    assert not any("cm\u00b2" in md.value for md in at.markdown)  # no area without a height
    assert any(m.startswith("Height 300") for m in said(at, "error"))
    at.number_input(key="height_cm").set_value(180.0).run()
    assert any("cm\u00b2" in md.value for md in at.markdown)


def test_the_page_draws_from_the_assessment_every_action_uses():
    """The assessment the page drew is the one current_assessment builds (one function)."""
    at = start(age=7)
    inject(at, half_mask(at, "front", "anterior_trunk:front"))
    at.session_state["typed"] = {"head": 0.25}
    at.session_state["notes"] = "n"
    at.run()
    from bsa.records.assessment import Assessment

    expected = Assessment(age_years=7, figure_id=at.session_state["map_figure"],
                          masks={"front": half_mask(at, "front", "anterior_trunk:front")},
                          shares={"head": 0.25}, rule_id="opzelura_us_atopic_dermatitis",
                          notes="n")
    assert shown_total(at) == pytest.approx(expected.estimate().percent_bsa, abs=1e-12)


def test_the_browser_keeps_nothing_about_the_patient():
    """The body map's script stores nothing in the browser (only the leave-page prompt)."""
    code = (Path(APP).parent / "webapp" / "static" / "body_map.js").read_text()
    lines = [line.split("//")[0] for line in code.splitlines()]
    body = "\n".join(lines)
    for api in ("localStorage", "sessionStorage", "indexedDB", "document.cookie", "caches."):
        assert api not in body, api
    assert 'addEventListener("beforeunload"' in body
