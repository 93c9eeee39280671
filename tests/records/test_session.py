"""Saved sessions: round trips give identical totals; bad files are refused clearly."""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from tolerance import TOL

import bsa
from bsa.core.regions import PART_INDEX, PART_NAMES, REGIONS
from bsa.diagram.geometry import figure_for_age
from bsa.diagram.masks import label_image
from bsa.errors import BSAInputError
from bsa.records import session
from bsa.records.assessment import Assessment
from bsa.records.session import (
    MAX_SESSION_BYTES,
    SCHEMA_VERSION,
    TotalsMismatchError,
    decode_mask,
    encode_mask,
    from_json,
    load,
    save,
    to_json,
)


def typed_assessment(**changes) -> Assessment:
    fields = {
        "age_years": 3.0,
        "shares": {"head": 1.0, "anterior_trunk": 0.5, "right_thigh:front": 0.25},
        "sex": "female",
        "height_cm": 95.0,
        "weight_kg": 14.0,
        "notes": "itchy patches, worse at night",
    }
    fields.update(changes)
    return Assessment(**fields)


def session_dict(assessment: Assessment | None = None) -> dict:
    return json.loads(to_json(assessment or typed_assessment()))


# ------------------------------------------------------------------ the assessment


def test_typed_shares_give_the_core_total():
    a = Assessment(age_years=3, shares={"head": 1.0, "anterior_trunk": 0.5})
    # Lund-Browder at 3 (interpolated halfway between 1 and 5): head 2 x 7.5 = 15,
    # anterior trunk 13 x 0.5 = 6.5; typed here from the 1944 table.
    assert a.estimate().percent_bsa == pytest.approx(21.5, abs=TOL)
    assert a.estimate().percent_bsa == bsa.estimate({"head": 1, "anterior_trunk": 0.5}, 3).percent_bsa


def test_whole_region_share_sets_both_halves_and_half_share_one():
    a = Assessment(age_years=40, shares={"head": 0.5, "left_foot:back": 1.0})
    f = a.half_fractions()
    assert f.shape == (len(PART_NAMES),)
    assert f[PART_INDEX["head:front"]] == 0.5 and f[PART_INDEX["head:back"]] == 0.5
    assert f[PART_INDEX["left_foot:back"]] == 1.0 and f[PART_INDEX["left_foot:front"]] == 0.0
    assert f.sum() == 2.0


def test_no_marks_is_zero():
    assert Assessment(age_years=30).estimate().percent_bsa == 0.0


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"age_years": -1}, "age"),
        ({"age_years": 120.5}, "age"),
        ({"age_years": float("nan")}, "age"),
        ({"age_years": "3"}, "age"),
        ({"chart": "rule_of_tens"}, "lund_browder"),
        ({"age_mode": "rounded"}, "interpolated"),
        ({"shares": {"tail": 1.0}}, "valid regions"),
        ({"shares": {"head": 1.5}}, "from 0 to 1"),
        ({"shares": {"head": -0.1}}, "from 0 to 1"),
        ({"shares": {"head": 1.0, "head:front": 0.5}}, "both whole and as a half"),
        ({"shares": {"anterior_trunk:back": 1.0}}, "no back half"),
        ({"sex": "f"}, "female, male"),
        ({"height_cm": 0}, "height"),
        ({"weight_kg": float("inf")}, "weight"),
        ({"notes": 5}, "notes"),
        ({"notes": "x" * 10_001}, "10000"),
        ({"masks": {"front": np.zeros((4, 4), bool)}}, "figure id"),
        ({"figure_id": "adult", "masks": {"side": np.zeros((90, 40), bool)}}, "front, back"),
        ({"figure_id": "adult", "masks": {"front": np.zeros((90, 40, 3), bool)}}, "2-D"),
        ({"figure_id": "adult", "masks": {"front": np.full((90, 40), 2)}}, "only 0 and 1"),
        ({"figure_id": "adult", "masks": {"front": np.zeros((90, 4), bool)}}, "canvas width"),
        (
            {"figure_id": "adult",
             "masks": {"front": np.zeros((90, 40), bool), "back": np.zeros((80, 40), bool)}},
            "shape",
        ),
        ({"figure_id": "giant", "masks": {"front": np.zeros((90, 40), bool)}}, "infant, child"),
        ({"rule_id": "opzelura_mars"}, "opzelura_us_atopic_dermatitis"),
    ],
)
def test_bad_values_are_refused_with_a_clear_message(changes, match):
    with pytest.raises(BSAInputError, match=match):
        typed_assessment(**changes)


def test_assessment_is_frozen_and_its_masks_read_only():
    a = typed_assessment()
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.age_years = 5  # type: ignore[misc]
    mask = np.zeros((90, 40), bool)
    b = Assessment(age_years=5, figure_id="child", masks={"front": mask})
    mask[0, 0] = True  # the caller's array is copied
    assert not b.masks["front"].any()
    with pytest.raises(ValueError):
        b.masks["front"][0, 0] = True
    with pytest.raises(TypeError):
        b.shares["head"] = 1.0  # type: ignore[index]


def test_an_assessment_can_be_pickled_and_deep_copied():
    import copy
    import pickle

    a = painted(40, shares={"head": 0.5}, rule_id="opzelura_us_vitiligo", notes="n")
    for b in (pickle.loads(pickle.dumps(a)), copy.deepcopy(a), copy.copy(a)):
        assert b == a
        assert not b.masks["front"].flags.writeable
        assert b.estimate().percent_bsa == a.estimate().percent_bsa


def test_equality_compares_masks_pixel_by_pixel():
    m = np.zeros((90, 40), bool)
    a = Assessment(age_years=5, figure_id="child", masks={"front": m})
    m2 = m.copy()
    m2[1, 1] = True
    assert a == Assessment(age_years=5, figure_id="child", masks={"front": m.copy()})
    assert a != Assessment(age_years=5, figure_id="child", masks={"front": m2})
    assert a != a.replace(age_years=6)


# ------------------------------------------------------------------ painted marks

W, H = 200, 450  # a canvas the size the page might use, scaled down


def painted(age=40.0, **changes) -> Assessment:
    figure = figure_for_age(age)
    front = label_image(figure, "front", W, H)
    back = label_image(figure, "back", W, H)
    masks = {
        "front": front == 1 + PART_INDEX["anterior_trunk:front"],
        "back": (back == 1 + PART_INDEX["right_thigh:back"]) | (back == 0),  # outside: ignored
    }
    masks["front"][: H // 8, :] = True  # the top of the head, and air around it
    return Assessment(age_years=age, figure_id=figure, masks=masks, **changes)


def test_a_fully_painted_half_gives_its_chart_weight():
    a = painted(40)
    f = a.half_fractions()
    assert f[PART_INDEX["anterior_trunk:front"]] == 1.0
    assert f[PART_INDEX["right_thigh:back"]] == 1.0
    assert 0 < f[PART_INDEX["head:front"]] < 1
    assert f[PART_INDEX["head:back"]] == 0.0
    # the anterior trunk is 13% and the back of one adult thigh 4.75% (Lund & Browder 1944)
    by_half = a.estimate().by_half
    assert by_half["anterior_trunk:front"] == pytest.approx(13.0, abs=TOL)
    assert by_half["right_thigh:back"] == pytest.approx(4.75, abs=TOL)


def test_typed_shares_override_the_painting():
    a = painted(40, shares={"anterior_trunk": 0.5, "head": 0.0})
    f = a.half_fractions()
    assert f[PART_INDEX["anterior_trunk:front"]] == 0.5
    assert f[PART_INDEX["head:front"]] == 0.0
    assert a.painted_fractions()[PART_INDEX["anterior_trunk:front"]] == 1.0
    assert f[PART_INDEX["right_thigh:back"]] == 1.0  # untouched by the typed shares


@pytest.mark.parametrize("age", [0.5, 4.0, 11.0, 40.0])
def test_painted_round_trip_redraws_exactly_and_gives_identical_totals(age, tmp_path):
    a = painted(age, rule_id="opzelura_us_atopic_dermatitis", shares={"left_hand": 0.25})
    b = load(save(tmp_path / "s.json", a))
    assert b == a
    for view in ("front", "back"):
        assert np.array_equal(b.masks[view], a.masks[view])
    assert b.estimate().percent_bsa == a.estimate().percent_bsa
    assert dict(b.estimate().by_half) == dict(a.estimate().by_half)


def test_a_painted_session_at_page_size_is_small():
    figure = figure_for_age(40)
    masks = {v: label_image(figure, v, 400, 900) > 0 for v in ("front", "back")}
    masks["front"][::7, ::3] = False  # a speckled, poorly compressible painting
    a = Assessment(age_years=40, figure_id=figure, masks=masks)
    assert len(to_json(a)) < MAX_SESSION_BYTES // 10


# ------------------------------------------------------------------ masks


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(bool, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=40)))
def test_mask_encoding_round_trips(mask):
    encoded = json.loads(json.dumps(encode_mask(mask)))
    assert np.array_equal(decode_mask(encoded), mask)


def test_mask_is_stored_compactly():
    mask = np.zeros((900, 400), bool)
    mask[100:300, 50:250] = True
    assert len(json.dumps(encode_mask(mask))) < 2_000


def _mask_obj(data: bytes, shape=(4, 4)) -> dict:
    return {
        "shape": list(shape),
        "encoding": "packbits-zlib-base64",
        "data": base64.b64encode(zlib.compress(data)).decode(),
    }


@pytest.mark.parametrize(
    ("obj", "match"),
    [
        (_mask_obj(b"\xff"), "does not match its shape"),  # 8 bits for 16 pixels
        (_mask_obj(b"\xff" * 3), "does not match its shape"),
        (_mask_obj(b"\x00" * 10_000_000, shape=(8, 8)), "does not match its shape"),  # a bomb
        ({**_mask_obj(b"\xff\xff"), "data": "not base64!"}, "not valid"),
        ({**_mask_obj(b"\xff\xff"), "encoding": "png"}, "unknown encoding"),
        ({**_mask_obj(b"\xff\xff"), "shape": [4]}, "shape"),
        ({**_mask_obj(b"\xff\xff"), "shape": [5000, 4]}, "shape"),
        ({**_mask_obj(b"\xff\xff"), "shape": [4.0, 4]}, "shape"),
        ({**_mask_obj(b"\xff\xff"), "extra": 1}, "shape, encoding and data"),
    ],
)
def test_bad_masks_are_refused(obj, match):
    with pytest.raises(BSAInputError, match=match):
        decode_mask(obj)


# ------------------------------------------------------------------ the file


def test_typed_round_trip_is_identical():
    a = typed_assessment()
    b = from_json(to_json(a))
    assert b == a
    assert b.estimate().percent_bsa == a.estimate().percent_bsa
    assert dict(b.estimate().by_half) == dict(a.estimate().by_half)


@settings(max_examples=30, deadline=None)
@given(
    age=st.floats(0, 120),
    chart=st.sampled_from(bsa.available_charts()),
    age_mode=st.sampled_from(bsa.AGE_MODES),
    shares=st.dictionaries(st.sampled_from(REGIONS), st.floats(0, 1), max_size=19),
)
def test_any_valid_assessment_round_trips_with_identical_totals(age, chart, age_mode, shares):
    a = Assessment(age_years=age, chart=chart, age_mode=age_mode, shares=shares)
    b = from_json(to_json(a))
    assert b == a
    assert b.estimate().percent_bsa == a.estimate().percent_bsa


def test_save_and_load_from_disk(tmp_path):
    a = typed_assessment(age_years=1.5)
    path = save(tmp_path / "visit.json", a)
    assert load(path) == a
    assert json.loads(path.read_text())["schema_version"] == SCHEMA_VERSION
    assert [p.name for p in tmp_path.iterdir()] == ["visit.json"]  # no temporary left


def test_load_of_a_missing_file_says_so(tmp_path):
    with pytest.raises(BSAInputError, match="cannot read the session file"):
        load(tmp_path / "absent.json")


def _refused(data_or_text, match):
    text = data_or_text if isinstance(data_or_text, (str, bytes)) else json.dumps(data_or_text)
    with pytest.raises(BSAInputError, match=match):
        from_json(text)


def test_refuses_a_file_that_is_too_large(tmp_path):
    big = " " * (MAX_SESSION_BYTES + 1)
    _refused(big, "larger than")
    (tmp_path / "big.json").write_text(big)
    with pytest.raises(BSAInputError, match="larger than"):
        load(tmp_path / "big.json")


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "one JSON object"),
        (b"\xff\xfe{}", "UTF-8"),
        ('{"format": "bsa-session", "schema_version": 1, "x": NaN}', "NaN"),
        ("[" * 100_000 + "]" * 100_000, "JSON|nested"),
    ],
)
def test_refuses_malformed_text(text, match):
    _refused(text, match)


def test_refuses_other_versions_and_formats():
    d = session_dict()
    for version in (0, 4, "1", True, None):
        _refused({**d, "schema_version": version}, "unknown session file version")
    _refused({**d, "format": "something-else"}, "not a BSA session file")
    _refused({k: v for k, v in d.items() if k != "format"}, "not a BSA session file")


def test_refuses_unknown_or_missing_fields():
    d = session_dict()
    _refused({**d, "extra": 1}, "unknown fields")
    _refused({k: v for k, v in d.items() if k != "totals"}, "missing fields")
    _refused({**d, "assessment": {**d["assessment"], "colour": "red"}}, "unknown fields")
    body = {k: v for k, v in d["assessment"].items() if k != "age_years"}
    _refused({**d, "assessment": body}, "no age")


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("age_years", 121, "age"),
        ("age_years", -0.5, "age"),
        ("chart", "nines", "valid charts"),
        ("age_mode", "banded-ish", "interpolated"),
        ("shares", {"head": 2}, "from 0 to 1"),
        ("shares", {"wing": 1}, "valid regions"),
        ("shares", [1, 2], "mapping"),
        ("masks", {"top": _mask_obj(b"\xff\xff")}, "unknown view"),
        ("masks", [], "view -> mask"),
    ],
)
def test_refuses_values_out_of_range(field, value, match):
    d = session_dict()
    _refused({**d, "assessment": {**d["assessment"], field: value}}, match)


def test_refuses_a_file_whose_totals_do_not_match_its_marks():
    d = session_dict()
    d["totals"]["percent_bsa"] += 1.0
    _refused(d, "differs from the total recomputed")
    with pytest.raises(TotalsMismatchError) as info:
        from_json(json.dumps(d))
    assert info.value.stored == info.value.recomputed + 1.0
    # The check can be turned off (the visit history does: it keeps the total as saved).
    assert from_json(json.dumps(d), check_totals=False) == typed_assessment()
    d["totals"] = {"by_region": {}}
    _refused(d, "percent_bsa")


def test_a_hand_written_file_with_its_true_total_loads():
    text = json.dumps(
        {
            "format": "bsa-session",
            "schema_version": 1,
            "assessment": {"age_years": 40, "shares": {"anterior_trunk": 1.0}},
            "totals": {"percent_bsa": 13.0},
        }
    )
    a = from_json(text)
    assert a.estimate().percent_bsa == 13.0 and a.chart == "lund_browder"


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=10,
)


@settings(max_examples=150, deadline=None)
@given(
    where=st.sampled_from(["top", "assessment", "totals", "mask"]),
    key=st.sampled_from(["format", "schema_version", "assessment", "totals", "age_years",
                         "chart", "age_mode", "rule_id", "figure_id", "sex", "height_cm",
                         "weight_kg", "notes", "shares", "masks", "percent_bsa", "shape",
                         "encoding", "data", "front", "extra"]),
    value=_json_values,
)
def test_any_damaged_file_is_refused_with_the_package_error_or_read(where, key, value):
    """Whatever one field is changed to, loading ends in an Assessment or a BSAInputError."""
    d = session_dict(painted(30))
    target = {"top": d, "assessment": d["assessment"], "totals": d["totals"],
              "mask": d["assessment"]["masks"]["front"]}[where]
    target[key] = value
    try:
        result = from_json(json.dumps(d))
    except BSAInputError:
        return
    assert isinstance(result, Assessment)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300))
def test_random_bytes_are_refused_with_the_package_error(data):
    with pytest.raises(BSAInputError):
        from_json(data)


# ------------------------------------------------------------------ what a file may not hold


def _with_text(text_of_value: str, path: tuple[str, ...]) -> str:
    """A valid session file's text with one value written as raw JSON text."""
    d = session_dict()
    target = d
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = "__RAW__"
    return json.dumps(d).replace('"__RAW__"', text_of_value)


@pytest.mark.parametrize("path", [("assessment", "age_years"), ("saved_at",),
                                  ("totals", "percent_bsa"), ("assessment", "weight_kg"),
                                  ("schema_version",)])
@pytest.mark.parametrize("digits", [310, 4301, 100_000])
def test_huge_integers_are_refused_wherever_they_are(path, digits):
    """310 digits overflowed a float, over 4,300 raised a bare ValueError from json."""
    _refused(_with_text("1" * digits, path), f"a number of {digits} digits")


@pytest.mark.parametrize("number", ["1e400", "-1e400", "0." + "0" * 60 + "1"])
def test_numbers_no_float_holds_or_too_long_are_refused(number):
    _refused(_with_text(number, ("assessment", "age_years")), "too large|characters")


@pytest.mark.parametrize(("path", "value"), [
    (("assessment", "notes"), '"x\\ud800y"'),
    (("assessment", "chart"), '"\\udfff"'),
    (("saved_at",), '"2026-01-01T00:00:00\\udc80"'),
])
def test_lone_surrogates_are_refused(path, value):
    _refused(_with_text(value, path), "lone surrogate, which is not Unicode text")


def test_a_lone_surrogate_in_a_key_is_refused():
    text = json.dumps(session_dict()).replace('"assessment": {', '"assessment": {"\\ud800": 1, ')
    _refused(text, "lone surrogate")


def test_a_pair_of_surrogates_is_one_character_and_fine():
    a = from_json(_with_text('"smile \\ud83d\\ude00"', ("assessment", "notes")))
    assert a.notes == "smile \U0001f600"


@pytest.mark.parametrize("notes", ["\\u001b[31mred", "bell\\u0007", "\\u009b31m", "nul\\u0000",
                                   "cr\\r"])
def test_control_characters_in_notes_are_refused(notes):
    _refused(_with_text(f'"{notes}"', ("assessment", "notes")), "control character U\\+")


def test_newlines_and_tabs_in_notes_are_kept():
    a = from_json(_with_text('"line 1\\n\\tline 2"', ("assessment", "notes")))
    assert a.notes == "line 1\n\tline 2"


@pytest.mark.parametrize(("raw", "key"), [
    ('{"format": "x", ', "format"),
    ('{"assessment": {}, ', "assessment"),
])
def test_a_key_twice_is_refused_not_read_as_the_last(raw, key):
    text = json.dumps(session_dict()).replace("{", raw, 1)
    _refused(text, f"the key '{key}' twice in one object")


def test_a_key_twice_inside_the_assessment_is_refused():
    d = session_dict(typed_assessment(notes="safe"))
    text = json.dumps(d).replace('"notes": "safe"', '"notes": "safe", "notes": "other"')
    _refused(text, "the key 'notes' twice")


@pytest.mark.parametrize("saved_at", [
    1, None, "", "yesterday", "2026-13-45T00:00:00", "2026-01-01T00:00:00" + " " * 40,
    "9" * 39, ["2026-01-01"],
])
def test_saved_at_must_be_an_iso_date_and_time(saved_at):
    _refused({**session_dict(), "saved_at": saved_at}, "saved_at")


def test_saved_at_in_any_iso_form_is_read():
    for saved_at in ("2026-01-31T09:30:00+00:00", "2026-01-31T09:30:00.123456+05:30",
                     "2026-01-31 09:30", "2026-01-31"):
        assert from_json(json.dumps({**session_dict(), "saved_at": saved_at})) == typed_assessment()


# ----------------------------------------------------------------------------- display


def test_the_page_language_travels_with_the_file_and_changes_no_number():
    a = Assessment(age_years=30, shares={"anterior_trunk": 0.5})
    plain = session.to_json(a)
    shown_bn = session.to_json(a, display={"language": "bn"})
    assert json.loads(shown_bn)["display"] == {"language": "bn"}
    assert "display" not in json.loads(plain)
    assert session.display_language(shown_bn) == "bn"
    assert session.display_language(plain) is None
    assert session.from_json(shown_bn) == session.from_json(plain)


@pytest.mark.parametrize("display, words", [
    ({"language": "fr"}, "not one of: en, bn"),
    ({"language": 1}, "not one of"),
    ({"colour": "red"}, "unknown fields ['colour']"),
    (["bn"], "must be an object"),
])
def test_a_wrong_display_field_is_refused_by_name(display, words):
    data = json.loads(session.to_json(Assessment(age_years=30)))
    data["display"] = display
    with pytest.raises(BSAInputError, match=re.escape(words)):
        session.from_json(json.dumps(data))
    with pytest.raises(BSAInputError, match=re.escape(words)):
        session.to_json(Assessment(age_years=30), display=display)
