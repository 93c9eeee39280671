"""The body-diagram geometry: figures, views, regions, checks, pixel transform, SVG."""

import json
import math
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from tolerance import REDRAWN_PIXELS_MISMATCH, TOL, close, printed

from bsa.core.regions import PART_INDEX, PART_NAMES
from bsa.diagram import geometry as bd
from bsa.diagram import pixels as px
from bsa.diagram import svg as dsvg
from bsa.diagram.masks import fill_polygon, label_image, outline_image
from bsa.errors import BSAInputError

FINE = (500, 1100)  # fine raster for the tiling checks [pixels]

# Typed from the issue: which halves each view shows.
FRONT_HALVES = {
    "head:front", "neck:front", "anterior_trunk:front", "genitalia:front",
    "right_upper_arm:front", "left_upper_arm:front", "right_lower_arm:front",
    "left_lower_arm:front", "right_hand:front", "left_hand:front", "right_thigh:front",
    "left_thigh:front", "right_lower_leg:front", "left_lower_leg:front", "right_foot:front",
    "left_foot:front",
}
BACK_HALVES = {
    "head:back", "neck:back", "posterior_trunk:back", "right_buttock:back",
    "left_buttock:back", "right_upper_arm:back", "left_upper_arm:back",
    "right_lower_arm:back", "left_lower_arm:back", "right_hand:back", "left_hand:back",
    "right_thigh:back", "left_thigh:back", "right_lower_leg:back", "left_lower_leg:back",
    "right_foot:back", "left_foot:back",
}


@pytest.fixture(params=bd.FIGURES)
def figure_id(request):
    return request.param


def shipped_doc(figure_id="adult"):
    with bd.data_path(f"body_diagram_{figure_id}.json").open() as f:
        return json.load(f)


def write(tmp_path, doc, name="figure.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


# ----------------------------------------------------------------- figures and ages
def test_views_and_figures():
    assert bd.VIEWS == ("front", "back")
    assert bd.FIGURES[:1] == ("infant",) and bd.FIGURES[-1] == "adult"
    assert {"infant", "child", "adult"} <= set(bd.FIGURES)


@pytest.mark.parametrize("age, expected", [
    (0, "infant"), (0.5, "infant"), (1.99, "infant"), (2, "child"), (5, "child"),
    (7.99, "child"), (8, "older_child"), (14.99, "older_child"), (15, "adult"),
    (40, "adult"), (120, "adult"),
])
def test_figure_for_age_bands(age, expected):
    assert bd.figure_for_age(age) == expected


@pytest.mark.parametrize("age", [-0.1, 120.5, math.nan, math.inf, "five", None])
def test_figure_for_age_refuses(age):
    with pytest.raises(BSAInputError, match="age"):
        bd.figure_for_age(age)


def test_unknown_figure_and_view():
    with pytest.raises(BSAInputError, match="unknown figure 'giant'.*infant, child"):
        bd.load_figure("giant")
    with pytest.raises(BSAInputError, match="unknown view 'side'.*front, back"):
        bd.load_figure("adult").view("side")
    with pytest.raises(BSAInputError, match="unknown view"):
        dsvg.diagram_svg("adult", "top", 200, 400)
    with pytest.raises(BSAInputError, match="unknown view"):
        bd.view_parts("left")


# ----------------------------------------------------------------- regions per view
def test_every_half_on_its_view(figure_id):
    fig = bd.load_figure(figure_id)
    assert set(fig.view("front").regions) == FRONT_HALVES
    assert set(fig.view("back").regions) == BACK_HALVES
    assert FRONT_HALVES | BACK_HALVES == set(PART_NAMES)
    assert bd.view_parts("front") == tuple(p for p in PART_NAMES if p in FRONT_HALVES)


def test_right_and_left_are_the_patients(figure_id):
    """Front: the patient's right on the viewer's left (x < 0); back: on the right."""
    fig = bd.load_figure(figure_id)
    for view, right_sign in (("front", -1), ("back", 1)):
        geo = fig.view(view)
        for part, poly in geo.regions.items():
            cx = poly[:, 0].mean()
            if part.startswith("right_"):
                assert np.sign(cx) == right_sign, (view, part)
            elif part.startswith("left_"):
                assert np.sign(cx) == -right_sign, (view, part)
        assert np.sign(geo.marks["R"][0]) == right_sign
        assert np.sign(geo.marks["L"][0]) == -right_sign


def test_left_is_the_mirror_of_right(figure_id):
    fig = bd.load_figure(figure_id)
    for view in bd.VIEWS:
        regions = fig.view(view).regions
        for part, poly in regions.items():
            if part.startswith("right_"):
                other = regions["left_" + part[len("right_"):]]
                assert sorted(map(tuple, (poly * [-1, 1]).tolist())) == sorted(
                    map(tuple, other.tolist()))


def test_regions_tile_the_silhouette_on_a_fine_raster(figure_id):
    """No pixel in two regions, and the regions' union is the silhouette (no hole)."""
    fig = bd.load_figure(figure_id)
    width, height = FINE
    tf = px.pixel_transform(fig, width, height)
    for view in bd.VIEWS:
        geo = fig.view(view)
        cover = np.zeros((height, width), dtype=np.int32)
        for poly in geo.regions.values():
            cover += fill_polygon(tf(poly), width, height) != 0
        silhouette = outline_image(fig, view, width, height)
        assert cover.max() == 1
        assert np.array_equal(cover == 1, silhouette)
        assert np.array_equal(label_image(figure_id, view, width, height) > 0, silhouette)


def test_label_points_lie_in_their_halves(figure_id):
    width, height = FINE
    tf = px.pixel_transform(figure_id, width, height)
    for view in bd.VIEWS:
        labels = label_image(figure_id, view, width, height)
        for part, xy in bd.load_figure(figure_id).view(view).label_points.items():
            x, y = tf(xy)
            assert labels[int(y), int(x)] == 1 + PART_INDEX[part], (view, part)


def test_proportions_follow_age():
    """A younger figure has a larger head and shorter legs, as the chart's shares do."""
    head_share, leg_share = [], []
    for figure_id in bd.FIGURES:
        labels = label_image(figure_id, "front", 300, 660)
        counts = np.bincount(labels.ravel(), minlength=34)
        body = counts[1:].sum()
        head_share.append(counts[1 + PART_INDEX["head:front"]] / body)
        legs = sum(counts[1 + PART_INDEX[f"{s}_{r}:front"]] for s in ("right", "left")
                   for r in ("thigh", "lower_leg"))
        leg_share.append(legs / body)
    assert head_share == sorted(head_share, reverse=True)
    assert leg_share == sorted(leg_share)
    assert head_share[0] > 2 * head_share[-1]


# ----------------------------------------------------------------- refused files
def test_a_copy_of_a_shipped_file_is_accepted(tmp_path):
    path = write(tmp_path, shipped_doc())
    fig = bd.load_figure(path)
    assert set(fig.view("back").regions) == BACK_HALVES
    assert bd.load_figure(str(path)).figure_id == "adult"


def test_missing_region_refused(tmp_path):
    doc = shipped_doc()
    del doc["views"]["front"]["regions"]["genitalia:front"]
    with pytest.raises(BSAInputError, match="front view: missing region.*genitalia:front"):
        bd.load_figure(write(tmp_path, doc))


def test_region_on_the_wrong_view_refused(tmp_path):
    doc = shipped_doc()
    regions = doc["views"]["back"]["regions"]
    regions["genitalia:front"] = regions.pop("right_buttock:back")
    with pytest.raises(BSAInputError, match="missing region.*right_buttock:back"):
        bd.load_figure(write(tmp_path, doc))
    doc = shipped_doc()
    doc["views"]["back"]["regions"]["genitalia:front"] = [[0, 0], [1, 0], [0, 1]]
    with pytest.raises(BSAInputError, match="genitalia:front .drawn on the front view"):
        bd.load_figure(write(tmp_path, doc))


def test_overlap_refused(tmp_path):
    doc = shipped_doc()
    regions = doc["views"]["front"]["regions"]
    # the right hand drawn a second time, as the left hand
    regions["left_hand:front"] = regions["right_hand:front"]
    with pytest.raises(BSAInputError, match="overlap"):
        bd.load_figure(write(tmp_path, doc))


def test_overlap_by_a_moved_border_refused(tmp_path):
    doc = shipped_doc()
    poly = doc["views"]["back"]["regions"]["posterior_trunk:back"]
    # push the trunk's lowest points down into the buttocks
    ymax = max(y for _, y in poly)
    doc["views"]["back"]["regions"]["posterior_trunk:back"] = [
        [x, y + 15 if y > ymax - 20 else y] for x, y in poly]
    with pytest.raises(BSAInputError, match="overlap|gap"):
        bd.load_figure(write(tmp_path, doc))


def test_gap_refused(tmp_path):
    doc = shipped_doc()
    poly = np.array(doc["views"]["front"]["regions"]["right_thigh:front"])
    centre = poly.mean(axis=0)
    doc["views"]["front"]["regions"]["right_thigh:front"] = (
        centre + 0.9 * (poly - centre)).round(1).tolist()
    with pytest.raises(BSAInputError, match="gap"):
        bd.load_figure(write(tmp_path, doc))


def test_gap_at_the_outline_refused(tmp_path):
    doc = shipped_doc()
    outline = doc["views"]["back"]["outline"]
    # the outline bulges out where no region follows it
    i = len(outline) // 3
    x, y = outline[i]
    outline.insert(i + 1, [x + 3 if x > 0 else x - 3, y + 1])
    with pytest.raises(BSAInputError, match="gap"):
        bd.load_figure(write(tmp_path, doc))


def test_self_crossing_polygon_refused(tmp_path):
    doc = shipped_doc()
    poly = doc["views"]["front"]["regions"]["head:front"]
    poly[3], poly[30] = poly[30], poly[3]
    with pytest.raises(BSAInputError, match="head:front: the polygon crosses itself"):
        bd.load_figure(write(tmp_path, doc))


@pytest.mark.parametrize("change, message", [
    (lambda d: d.pop("views"), "missing the 'views' entry"),
    (lambda d: d.update(frame=[0, 0, -1, 5]), "frame must be"),
    (lambda d: d["views"].pop("back"), "exactly front, back"),
    (lambda d: d["views"]["front"]["regions"].update({"head:front": [[0, 0], [1, 1]]}),
     "at least 3 points"),
    (lambda d: d["views"]["front"]["regions"].update({"head:front": "round"}),
     "head:front"),
    (lambda d: d["views"]["front"]["regions"].update(
        {"head:front": [[0, 0], [1e6, 0], [0, 1]]}), "outside the frame"),
    (lambda d: d["views"]["front"].update(marks={"R": [200, 50], "L": [-200, 50]}),
     "R mark must be on the viewer's left"),
])
def test_malformed_files_refused(tmp_path, change, message):
    doc = shipped_doc()
    change(doc)
    with pytest.raises(BSAInputError, match=message):
        bd.load_figure(write(tmp_path, doc))


def test_unreadable_files_refused(tmp_path):
    with pytest.raises(BSAInputError, match="no such file"):
        bd.load_figure(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(BSAInputError, match="cannot read it as JSON"):
        bd.load_figure(bad)
    bad.write_text('{"schema_version": 1, "frame": [0, 0, 1, 1], '
                   '"views": {"front": {}, "back": {}}}')
    with pytest.raises(BSAInputError, match="outline"):
        bd.load_figure(bad)
    bad.write_text(json.dumps({"schema_version": 1, "frame": [0, 0, 1, float("nan")],
                               "views": {}}).replace("NaN", "1e999"))
    with pytest.raises(BSAInputError, match="finite"):
        bd.load_figure(bad)


# ----------------------------------------------------------------- pixels
def test_pixel_transform_fits_and_centres():
    fig = bd.load_figure("child")
    tf = px.pixel_transform(fig, 400, 900)
    x0, y0, x1, y1 = fig.frame
    corners = tf([[x0, y0], [x1, y1]])
    assert np.all(corners >= -TOL) and corners[1, 0] <= 400 + TOL
    assert corners[1, 1] <= 900 + TOL
    # fits one side exactly and is centred on the other
    assert (close(corners[1, 0] - corners[0, 0], 400)
            or close(corners[1, 1] - corners[0, 1], 900))
    assert close(corners[0, 0], 400 - corners[1, 0])
    assert close(corners[0, 1], 900 - corners[1, 1])
    pts = np.array([[0.0, 500.0], [-100.0, 20.0]])
    assert close(tf.inverse(tf(pts)), pts)
    assert np.array_equal(px.to_pixels(pts, "child", 400, 900), tf(pts))
    assert tf([[0, 0], [1, 1]]).shape == (2, 2)
    x_left, x_right, y_bottom, y_top = tf.canvas_extent
    assert close(tf([[x_left, y_top], [x_right, y_bottom]]), [[0, 0], [400, 900]])


@pytest.mark.parametrize("size", [(0, 100), (100, -1), (3.5, 100), (True, 100),
                                  (100, 10**6), ("400", 900)])
def test_bad_canvas_size(size):
    with pytest.raises(BSAInputError, match="canvas (width|height)"):
        px.pixel_transform("adult", *size)


# ----------------------------------------------------------------- SVG
SVG = "{http://www.w3.org/2000/svg}"


def svg_parts(svg):
    root = ET.fromstring(svg)
    return root, {p.get("data-part"): p for p in root.iter(SVG + "path") if p.get("data-part")}


def path_points(d):
    return np.array([[float(v) for v in xy.split(",")]
                     for xy in d.strip("MZ").split("L")])


@pytest.mark.parametrize("view", bd.VIEWS)
def test_svg_structure(view):
    svg = dsvg.diagram_svg("adult", view, 400, 900)
    root, parts = svg_parts(svg)
    assert root.get("viewBox") == "0 0 400 900"
    assert (root.get("width"), root.get("height")) == ("400", "900")
    assert set(parts) == (FRONT_HALVES if view == "front" else BACK_HALVES)
    texts = [t.text for t in root.iter(SVG + "text")]
    assert sorted(texts) == ["L", "R"]
    side = "left" if view == "front" else "right"
    assert f"right is on the viewer's {side}" in root.find(SVG + "title").text
    assert parts[f"right_thigh:{view}"].find(SVG + "title").text == f"Right thigh ({view})"


def test_svg_aligns_with_the_label_image():
    """The SVG paths, rasterised, give the label image (to the SVG's 0.01 px rounding)."""
    width, height = 300, 660
    for view in bd.VIEWS:
        _, parts = svg_parts(dsvg.diagram_svg("infant", view, width, height))
        labels = label_image("infant", view, width, height)
        redrawn = np.zeros_like(labels)
        for part, path in parts.items():
            redrawn[fill_polygon(path_points(path.get("d")), width, height) != 0] = (
                1 + PART_INDEX[part])
        assert np.mean(redrawn != labels) < REDRAWN_PIXELS_MISMATCH
        first = bd.load_figure("infant").view(view).regions["head:" + view][0]
        assert close(path_points(parts["head:" + view].get("d"))[0],
                           px.to_pixels(first, "infant", width, height), printed(2))  # the SVG prints 2 decimals


def test_svg_fills_and_labels():
    svg = dsvg.diagram_svg("child", "front", 300, 660, fills={"head:front": 1.0,
                                                            "right_thigh": 0.5},
                         show_labels=True)
    _, parts = svg_parts(svg)
    assert float(parts["head:front"].get("fill-opacity")) == pytest.approx(0.72, abs=TOL)
    assert float(parts["right_thigh:front"].get("fill-opacity")) == pytest.approx(0.42, abs=TOL)
    assert parts["left_thigh:front"].get("fill") == "none"
    assert ">R thigh</text>" in svg and ">head</text>" in svg


@pytest.mark.parametrize("fills, message", [
    ({"head:front": 1.5}, "from 0 to 1"),
    ({"head:front": "lots"}, "number"),
    ({"tail": 1}, "unknown region"),
    ([("head", 1)], "fills must map"),
])
def test_svg_bad_fills(fills, message):
    with pytest.raises(BSAInputError, match=message):
        dsvg.diagram_svg("adult", "front", 300, 660, fills=fills)


def test_shipped_files_are_what_the_drawing_tool_makes(tmp_path):
    """The data under charts/ is exactly what tools/make_body_diagram.py draws (run it
    after changing a proportion; a hand edit must go into the tool too)."""
    import importlib.util
    from pathlib import Path

    tool = Path(__file__).resolve().parents[2] / "tools" / "make_body_diagram.py"
    if not tool.is_file():
        pytest.skip("the drawing tool is not part of an installed package")
    spec = importlib.util.spec_from_file_location("make_body_diagram", tool)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert tuple(module.FIGURES) == bd.FIGURES
    for figure_id in ("infant", "adult"):
        path = tmp_path / f"{figure_id}.json"
        module.write_json(module.figure_document(figure_id), path)
        assert json.loads(path.read_text()) == shipped_doc(figure_id), figure_id
        assert set(bd.load_figure(path).view("front").regions) == FRONT_HALVES


def test_each_figure_states_its_age_band():
    typed = {"infant": "under 2 years", "child": "2 to under 8 years",
             "older_child": "8 to under 15 years", "adult": "15 years and over"}
    for figure_id, text in typed.items():
        assert bd.load_figure(figure_id).ages == text
        lo, hi = bd.FIGURE_AGE_BANDS[figure_id]
        assert bd.figure_for_age(lo) == figure_id
        if hi < 120:
            assert bd.figure_for_age(hi) != figure_id
