"""The chart as a picture, and the ``chart`` command."""

import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

import bsa
from bsa.cli import main
from bsa.core.regions import PART_INDEX
from bsa.diagram import picture as cp
from bsa.diagram.geometry import view_parts
from bsa.diagram.masks import label_image
from bsa.errors import BSAInputError

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("value, text", [(6.5, "6.5"), (1.25, "1.25"), (13.0, "13"),
                                         (4.75, "4.75"), (0.0, "0"), (2.6250001, "2.63"),
                                         (9.0, "9")])
def test_format_percent(value, text):
    assert cp.format_percent(value) == text


def texts(ax):
    return [t.get_text() for t in ax.texts]


@pytest.mark.parametrize("age", [0.5, 5, 30])
def test_each_half_shows_its_age_adjusted_weight(age):
    fig = cp.draw_chart(age)
    front, back = fig.axes
    weights = bsa.half_weights(age)
    for ax, view in ((front, "front"), (back, "back")):
        expected = Counter(cp.format_percent(weights[PART_INDEX[p]]) for p in view_parts(view))
        expected.update(["R", "L"])
        assert Counter(texts(ax)) == expected
    # head numbers typed from the chart: 9 at 0.5 y (between 9.5 and 8.5), 6.5 at 5, 3.5 adult
    head = {0.5: "9", 5: "6.5", 30: "3.5"}[age]
    assert head in texts(front) and head in texts(back)


def test_title_names_chart_age_reading_and_source():
    fig = cp.draw_chart(3, age_mode="banded")
    words = " ".join(t.get_text() for t in fig.texts) + fig._suptitle.get_text()
    assert "Lund and Browder chart" in words and "age 3 years" in words
    assert "chart read banded: the '1' column" in words
    assert "Child figure" in words
    assert "Lund CC, Browder NC" in words
    assert "R and L are the patient's right and left" in words
    assert [ax.get_title() for ax in fig.axes] == [
        "Front (patient's right on your left)", "Back (patient's right on your right)"]


def test_title_can_be_replaced():
    fig = cp.draw_chart(7, title="Where to apply the cream")
    assert fig._suptitle.get_text() == "Where to apply the cream"
    assert "Age 7 years; chart read interpolated" in " ".join(t.get_text() for t in fig.texts)


def test_rule_of_nines_and_chosen_figure():
    fig = cp.draw_chart(30, chart="rule_of_nines", figure_id="older_child")
    words = " ".join(t.get_text() for t in fig.texts)
    assert "Older child figure (8 to under 15 years)" in words
    assert "18" in texts(fig.axes[0])  # anterior trunk, rule of nines
    assert "Age 30 years; the chart has one column" in words
    assert "project's convention" in words  # how the rule's groups are split is shown


def test_masks_overlay_and_marked_total():
    front = label_image("adult", "front", 200, 440) > 0
    fig = cp.draw_chart(30, masks={"front": front})
    words = " ".join(t.get_text() for t in fig.texts)
    w = bsa.half_weights(30)
    expected = sum(w[PART_INDEX[p]] for p in view_parts("front"))
    assert f"Marked: {cp.format_percent(expected)}% of body surface" in words
    assert len(fig.axes[0].images) == 1 and len(fig.axes[1].images) == 0
    image = fig.axes[0].images[0].get_array()
    assert image.shape == (440, 200, 4)
    assert np.array_equal(image[..., 3] > 0, front)


def test_fills_tint_and_count():
    fig = cp.draw_chart(5, fills={"head": 1.0, "right_thigh:front": 0.5})
    words = " ".join(t.get_text() for t in fig.texts)
    assert "Marked: 15% of body surface" in words  # 6.5 + 6.5 + 4 x 0.5
    with pytest.raises(BSAInputError, match="from 0 to 1"):
        cp.draw_chart(5, fills={"head": 2})


@pytest.mark.parametrize("kwargs, message", [
    ({"age": -1}, "age"),
    ({"age": 5, "chart": "rule_of_tens"}, "rule_of_tens"),
    ({"age": 5, "age_mode": "rounded"}, "rounded"),
    ({"age": 5, "figure_id": "giant"}, "unknown figure"),
    ({"age": 5, "masks": np.zeros((10, 10), bool)}, "masks must map"),
    ({"age": [5, 6]}, "one number"),
])
def test_bad_input(kwargs, message):
    with pytest.raises(BSAInputError, match=message):
        cp.draw_chart(**kwargs)


@pytest.mark.parametrize("ext, magic", [("png", b"\x89PNG"), ("svg", b"<?xml"),
                                        ("pdf", b"%PDF")])
def test_save_chart_formats(tmp_path, ext, magic):
    path = cp.save_chart(tmp_path / f"chart.{ext}", 5)
    assert path.read_bytes()[:len(magic)] == magic


def test_a_failed_save_leaves_no_file(tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    def broken(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(Figure, "savefig", broken)
    with pytest.raises(OSError, match="disk full"):
        cp.save_chart(tmp_path / "chart.png", 5)
    assert list(tmp_path.iterdir()) == []


def test_save_chart_refuses_other_names(tmp_path):
    with pytest.raises(BSAInputError, match=r"must end in \.png, \.svg, \.pdf"):
        cp.save_chart(tmp_path / "chart.gif", 5)
    with pytest.raises(BSAInputError, match="no folder"):
        cp.save_chart(tmp_path / "missing" / "chart.png", 5)


def test_draw_view_on_any_axes():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 6))
    ax = fig.add_subplot()
    cp.draw_view(ax, "infant", "back", labels={"head:back": "A", "head:front": "no"},
                 marks=False)
    assert texts(ax) == ["A"]
    assert ax.get_ylim()[0] > ax.get_ylim()[1]  # y down


def test_chart_command(tmp_path, capsys):
    out = tmp_path / "chart.png"
    assert main(["chart", "--age", "5", "-o", str(out), "head=1"]) == 0
    assert out.read_bytes()[:4] == b"\x89PNG"
    assert "child figure" in capsys.readouterr().out
    assert main(["chart", "--age", "5", "--figure", "adult", "--chart", "rule_of_nines",
                 "-o", str(tmp_path / "c.svg")]) == 0


def test_chart_command_errors_are_one_line():
    r = subprocess.run([sys.executable, "-m", "bsa", "chart", "--age", "5", "-o", "x.gif"],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2
    assert r.stderr.startswith("bsa: error: cannot write 'x.gif'")
    assert len(r.stderr.strip().splitlines()) == 1


def test_importing_the_diagram_modules_loads_no_matplotlib():
    code = ("import sys, bsa, bsa.diagram.geometry, bsa.diagram.masks, bsa.diagram.picture, "
            "bsa.commands.chart; assert 'matplotlib' not in sys.modules, 'matplotlib'; "
            "assert 'streamlit' not in sys.modules")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       cwd=ROOT)
    assert r.returncode == 0, r.stderr


def test_a_title_and_labels_with_dollar_signs_are_drawn_as_typed(tmp_path):
    """A title from a user is text, not matplotlib mathematics ("$\\foo$" crashed)."""
    title = r"Costs $50; pays $40 and $\foo$"
    fig = cp.draw_chart(5, title=title)
    assert fig._suptitle.get_text() == title and not fig._suptitle.get_parse_math()
    assert all(not t.get_parse_math() for ax in fig.axes for t in ax.texts)
    assert cp.save_chart(tmp_path / "c.png", 5, title=title).stat().st_size > 0
