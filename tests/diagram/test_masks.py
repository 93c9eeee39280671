"""Label images and coverage from painted masks."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tolerance import MIRRORED_PIXELS_REL, TOL, close

import bsa
from bsa.core.regions import PART_INDEX, PART_NAMES, mirror
from bsa.diagram import masks as mk
from bsa.diagram.geometry import VIEWS, figure_for_age, load_figure, view_parts
from bsa.diagram.pixels import pixel_transform
from bsa.errors import BSAInputError

W, H = 200, 440  # a small canvas keeps the tests light [pixels]


def labels(view, figure="child", size=(W, H)):
    return mk.label_image(figure, view, *size)


def full(figure="child", size=(W, H)):
    return {v: labels(v, figure, size) > 0 for v in VIEWS}


def half_mask(part, figure="child", size=(W, H)):
    view = part.split(":")[1]
    return {view: labels(view, figure, size) == 1 + PART_INDEX[part]}


# ----------------------------------------------------------------- label images
def test_label_image_values_and_caching():
    a = labels("front")
    assert a.dtype == np.uint8 and a.shape == (H, W)
    assert not a.flags.writeable
    with pytest.raises(ValueError):
        a[0, 0] = 3
    assert mk.label_image("child", "front", W, H) is a  # cached
    present = set(np.unique(a).tolist())
    assert present == {0} | {1 + PART_INDEX[p] for p in view_parts("front")}
    assert a[0, 0] == 0 and a[-1, -1] == 0  # corners outside the body


def test_label_image_by_path_equals_shipped(tmp_path):
    from bsa.data import data_path

    path = tmp_path / "copy.json"
    path.write_bytes(data_path("body_diagram_child.json").read_bytes())
    for view in VIEWS:
        assert np.array_equal(mk.label_image(path, view, W, H), labels(view))
        assert np.array_equal(mk.label_image(load_figure(path), view, W, H), labels(view))


def test_too_small_a_canvas_is_refused():
    with pytest.raises(BSAInputError, match="too small.*no pixel falls in.*genitalia"):
        mk.label_image("adult", "front", 10, 20)
    with pytest.raises(BSAInputError, match="canvas width"):
        mk.label_image("adult", "front", 2, 40)


def test_unknown_view_or_figure():
    with pytest.raises(BSAInputError, match="unknown view 'side'"):
        mk.label_image("adult", "side", W, H)
    with pytest.raises(BSAInputError, match="unknown figure 'robot'"):
        mk.label_image("robot", "front", W, H)
    with pytest.raises(BSAInputError, match="unknown view 'top' in masks"):
        mk.half_fractions({"top": np.zeros((H, W), bool)}, "child")


def test_fill_polygon_half_open_rules():
    # a 2 x 2 square on pixel boundaries covers exactly 4 pixels
    sq = np.array([[1, 1], [3, 1], [3, 3], [1, 3]], float)
    w = mk.fill_polygon(sq, 5, 5)
    assert (w != 0).sum() == 4 and (w[1:3, 1:3] != 0).all()
    # two squares sharing an edge through pixel centres: each centre counted once
    left = np.array([[0, 0], [2.5, 0], [2.5, 5], [0, 5]], float)
    right = np.array([[2.5, 0], [5, 0], [5, 5], [2.5, 5]], float)
    both = (mk.fill_polygon(left, 5, 5) != 0).astype(int) + (
        mk.fill_polygon(right[::-1], 5, 5) != 0)
    assert both.min() == 1 and both.max() == 1
    # off-canvas parts are clipped
    big = np.array([[-10, -10], [20, -10], [20, 20], [-10, 20]], float)
    assert (mk.fill_polygon(big, 5, 4) != 0).all()


# ----------------------------------------------------------------- coverage
@pytest.mark.parametrize("part", ["head:front", "genitalia:front", "left_foot:back",
                                  "right_buttock:back", "right_thigh:front"])
@pytest.mark.parametrize("age", [0.5, 5, 30])
def test_a_fully_painted_half_gives_exactly_its_weight(part, age):
    figure = figure_for_age(age)
    f = mk.half_fractions(half_mask(part, figure), figure)
    assert f[PART_INDEX[part]] == 1.0
    assert np.count_nonzero(f) == 1
    total, per_half = mk.coverage_percent(half_mask(part, figure), figure, age)
    weight = bsa.half_weights(age)[PART_INDEX[part]]
    assert total == weight and per_half[PART_INDEX[part]] == weight


@pytest.mark.parametrize("figure", ["infant", "child", "older_child", "adult"])
@pytest.mark.parametrize("chart", ["lund_browder", "rule_of_nines"])
@pytest.mark.parametrize("age", [0, 0.5, 3, 10, 40])
def test_everything_painted_gives_100(figure, chart, age):
    f = mk.half_fractions(full(figure), figure)
    assert np.all(f == 1.0)
    total, per_half = mk.coverage_percent(full(figure), figure, age, chart=chart)
    assert abs(total - 100.0) < TOL
    assert close(per_half, bsa.half_weights(age, chart))


def test_painting_the_whole_canvas_counts_only_the_body():
    ones = np.ones((H, W), bool)
    assert np.all(mk.half_fractions({"front": ones, "back": ones}, "child") == 1.0)


def test_half_of_a_region_gives_half_its_weight():
    part = "right_thigh:front"
    lab = labels("front")
    rows, cols = np.nonzero(lab == 1 + PART_INDEX[part])
    n = len(rows)
    mask = np.zeros((H, W), bool)
    mask[rows[: n // 2], cols[: n // 2]] = True  # the upper half of its pixels
    f = mk.half_fractions({"front": mask}, "child")[PART_INDEX[part]]
    assert abs(f - 0.5) <= 1 / n
    total, _ = mk.coverage_percent({"front": mask}, "child", 5)
    weight = bsa.half_weights(5)[PART_INDEX[part]]
    assert abs(total - weight / 2) <= weight / n


def test_paint_outside_the_body_is_ignored():
    outside = {v: labels(v) == 0 for v in VIEWS}
    assert np.all(mk.half_fractions(outside, "child") == 0)
    assert mk.coverage_percent(outside, "child", 5)[0] == 0


def test_painting_twice_counts_once():
    a = np.zeros((H, W), bool)
    b = np.zeros((H, W), bool)
    a[100:250, 40:140] = True
    b[200:300, 60:160] = True
    union = mk.half_fractions({"front": a | b}, "child")
    again = mk.half_fractions({"front": (a.astype(np.uint8) | b.astype(np.uint8))}, "child")
    assert np.array_equal(union, again)
    assert np.all(union <= mk.half_fractions({"front": a}, "child")
                  + mk.half_fractions({"front": b}, "child") + TOL)


def test_missing_view_is_unpainted():
    both = mk.half_fractions(full(), "child")
    front_only = mk.half_fractions({"front": full()["front"]}, "child")
    none_back = mk.half_fractions({"front": full()["front"], "back": None}, "child")
    assert np.array_equal(front_only, none_back)
    for p in PART_NAMES:
        assert front_only[PART_INDEX[p]] == (1.0 if p.endswith(":front") else 0.0)
    assert np.all(both == 1)
    assert np.all(mk.half_fractions({}, "child") == 0)


def test_integer_masks_equal_bool_masks():
    m = np.zeros((H, W), bool)
    m[50:300, 20:120] = True
    expected = mk.half_fractions({"back": m}, "adult")
    for dtype in (np.uint8, np.int32, np.int64):
        assert np.array_equal(mk.half_fractions({"back": m.astype(dtype)}, "adult"), expected)


@pytest.mark.parametrize("masks, message", [
    ({"front": np.zeros((H, W), float)}, "dtype float64"),
    ({"front": np.full((H, W), 255, np.uint8)}, "0 or 1"),
    ({"front": np.zeros((H, W, 4), bool)}, "must be 2-D"),
    ({"front": np.zeros(W, bool)}, "must be 2-D"),
    ({"front": np.zeros((H, W), bool), "back": np.zeros((H, W + 1), bool)}, "same shape"),
    ({"front": np.zeros((4, 4), bool)}, "canvas width"),
    ([np.zeros((H, W), bool)], "masks must map a view"),
])
def test_bad_masks(masks, message):
    with pytest.raises(BSAInputError, match=message):
        mk.half_fractions(masks, "child")


def test_left_and_right_halves_get_mirrored_pixel_counts():
    for view in VIEWS:
        counts = mk.half_pixel_counts("adult", view, 400, 900)
        for p in view_parts(view):
            if p.startswith("right_"):
                a, b = counts[1 + PART_INDEX[p]], counts[1 + PART_INDEX[mirror(p)]]
                assert abs(a - b) <= MIRRORED_PIXELS_REL * a, p


def test_parts_mask_and_part_at():
    lab = labels("back")
    m = mk.parts_mask("child", "back", W, H, ["head:back", "head:front", "right_foot:back"])
    assert np.array_equal(m, (lab == 1 + PART_INDEX["head:back"])
                          | (lab == 1 + PART_INDEX["right_foot:back"]))
    with pytest.raises(BSAInputError, match="unknown half"):
        mk.parts_mask("child", "back", W, H, ["tail:back"])
    tf = pixel_transform("child", W, H)
    geo = load_figure("child").view("back")
    for part in ("head:back", "right_hand:back", "left_buttock:back"):
        x, y = tf(geo.label_points[part])
        assert mk.part_at("child", "back", W, H, x, y) == part
    assert mk.part_at("child", "back", W, H, 1, 1) is None
    assert mk.part_at("child", "back", W, H, -5, 3000) is None


# ----------------------------------------------------------------- properties
rects = st.tuples(st.integers(0, H), st.integers(0, H), st.integers(0, W), st.integers(0, W))


def paint(rs, view="front"):
    m = np.zeros((H, W), bool)
    for r0, r1, c0, c1 in rs:
        m[min(r0, r1):max(r0, r1), min(c0, c1):max(c0, c1)] = True
    return m


@settings(max_examples=40, deadline=None)
@given(st.lists(rects, max_size=4), st.lists(rects, max_size=4),
       st.floats(0, 100, allow_nan=False))
def test_more_paint_never_lowers_coverage(first, more, age):
    a = paint(first)
    b = a | paint(more)
    fa = mk.half_fractions({"front": a, "back": a}, "child")
    fb = mk.half_fractions({"front": b, "back": b}, "child")
    assert np.all((fa >= 0) & (fa <= 1))
    assert np.all(fb >= fa)
    ta, per_a = mk.coverage_percent({"front": a, "back": a}, "child", age)
    tb, _ = mk.coverage_percent({"front": b, "back": b}, "child", age)
    assert 0 <= ta <= tb <= 100 + TOL
    assert ta == pytest.approx(per_a.sum(), abs=TOL)


@settings(max_examples=25, deadline=None)
@given(st.lists(rects, min_size=1, max_size=4))
def test_coverage_is_weight_times_fraction(rs):
    m = paint(rs)
    f = mk.half_fractions({"back": m}, "adult")
    total, per_half = mk.coverage_percent({"back": m}, "adult", 7.5, age_mode="banded")
    assert close(per_half, bsa.half_weights(7.5, age_mode="banded") * f)
    assert np.all(f[[PART_INDEX[p] for p in view_parts("front")]] == 0)


# ----------------------------------------------------------------- carrying marks over
FIGURE_PAIRS = [(a, b) for a in ("infant", "child", "older_child", "adult")
                for b in ("infant", "child", "older_child", "adult") if a != b]


def disc(cx, cy, r, size=(W, H)):
    yy, xx = np.mgrid[:size[1], :size[0]]
    return (xx - cx) ** 2 + (yy - cy) ** 2 < r ** 2


def relative_place(mask, lab, part):
    """Where the paint of one half sits in it: mean relative height and mean relative
    position across its rows (the same measure carry_marks keeps)."""
    k = 1 + PART_INDEX[part]
    ys, xs = np.nonzero(lab == k)
    rows, first, counts = np.unique(ys, return_index=True, return_counts=True)
    x0, x1 = xs[first], xs[first + counts - 1]
    rank = np.searchsorted(rows, ys)
    v = (rank + 0.5) / len(rows)
    u = (xs - x0[rank] + 0.5) / (x1[rank] + 1 - x0[rank])
    on = mask[ys, xs]
    return float(v[on].mean()), float(u[on].mean())


@pytest.mark.parametrize("source, target", FIGURE_PAIRS)
def test_carried_marks_keep_each_halfs_fraction_within_a_pixel(source, target):
    rng = np.random.default_rng(len(source) * 7 + len(target))
    front = np.zeros((H, W), bool)
    back = np.zeros((H, W), bool)
    for cx, cy, r in rng.uniform((20, 30, 3), (180, 420, 30), size=(8, 3)):
        front |= disc(cx, cy, r)
    back[150:260, 40:120] = True
    moved = mk.carry_marks({"front": front, "back": back}, source, target)
    assert set(moved) == {"front", "back"}
    assert all(m.dtype == np.bool_ and m.shape == (H, W) for m in moved.values())
    before = mk.half_fractions({"front": front, "back": back}, source)
    after = mk.half_fractions(moved, target)
    per_half = sum(mk.half_pixel_counts(target, v, W, H)[1:] for v in VIEWS)  # [pixels]
    assert np.all(np.abs(after - before) <= 1 / per_half + TOL)
    # A half with paint keeps some, one without stays empty, a full one stays full.
    assert np.array_equal(after > 0, before > 0)
    assert np.array_equal(after == 1, before == 1)
    # Nothing is painted outside the body of the new figure.
    for v in VIEWS:
        assert not (moved[v] & (labels(v, target) == 0)).any()


@pytest.mark.parametrize("source, target", [("adult", "infant"), ("infant", "adult"),
                                            ("child", "older_child")])
@pytest.mark.parametrize("part", ["anterior_trunk:front", "right_thigh:front",
                                  "left_lower_arm:front", "head:front"])
def test_a_spot_stays_a_spot_in_its_half(source, target, part):
    lab = labels("front", source)
    ys, xs = np.nonzero(lab == 1 + PART_INDEX[part])
    # A small spot a third of the way down the half, in its left third.
    rows = np.unique(ys)
    y = rows[len(rows) // 3]
    in_row = xs[ys == y]
    x = in_row.min() + (in_row.max() - in_row.min()) // 3
    spot = disc(x, y, 4) & (lab == 1 + PART_INDEX[part])
    moved = mk.carry_marks({"front": spot}, source, target)["front"]
    new_lab = labels("front", target)
    assert moved.any()
    assert np.all(new_lab[moved] == 1 + PART_INDEX[part])  # within its half
    # Still one compact spot: its box is small next to the half's.
    my, mx = np.nonzero(moved)
    hy, hx = np.nonzero(new_lab == 1 + PART_INDEX[part])
    assert (my.max() - my.min()) <= 0.5 * (hy.max() - hy.min()) + 3
    # At the same relative place in the half.
    v0, u0 = relative_place(spot, lab, part)
    v1, u1 = relative_place(moved, new_lab, part)
    assert abs(v1 - v0) < 0.1 and abs(u1 - u0) < 0.2, (v0, u0, v1, u1)


def test_carrying_nothing_gives_nothing_and_same_figure_keeps_the_marks():
    empty = {"front": np.zeros((H, W), bool), "back": None}
    moved = mk.carry_marks(empty, "adult", "child")
    assert set(moved) == {"front"} and not moved["front"].any()
    assert mk.carry_marks({}, "adult", "child") == {}
    m = full("child")["front"] & disc(100, 200, 30)
    same = mk.carry_marks({"front": m}, "child", "child")["front"]
    assert np.array_equal(same, m)


def test_carrying_drops_paint_outside_the_body_and_checks_its_input():
    outside = labels("front", "adult") == 0
    assert not mk.carry_marks({"front": outside}, "adult", "child")["front"].any()
    with pytest.raises(BSAInputError, match="0 or 1"):
        mk.carry_marks({"front": np.full((H, W), 2, np.uint8)}, "adult", "child")
    with pytest.raises(BSAInputError, match="unknown figure"):
        mk.carry_marks({"front": outside}, "adult", "robot")
