"""The application map: what the printed page says, its size, and its command line."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image
from pypdf import PdfReader
from tolerance import printed

from bsa.cli import main
from bsa.core.regions import PART_INDEX, REGIONS
from bsa.diagram.masks import label_image
from bsa.errors import BSAInputError
from bsa.evaluation import evaluate
from bsa.records.assessment import Assessment
from bsa.records.layers import AvoidArea, Marks, Zone
from bsa.records.session import save
from bsa.report.content import DISCLAIMER, format_percent, map_content
from bsa.report.layout import render_report, report_figure

ROOT = Path(__file__).resolve().parents[2]
AD = "opzelura_us_atopic_dermatitis"
VITILIGO = "opzelura_us_vitiligo"


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def adult_ad() -> Assessment:
    # adult: anterior trunk 13 x 0.5 = 6.5, one hand 2.5; 9.0% (Lund & Browder 1944)
    return Assessment(age_years=40, rule_id=AD, shares={"anterior_trunk": 0.5, "right_hand": 1.0},
                      notes="Thin layer twice daily; stop when clear.")


def painted_child() -> Assessment:
    w, h = 200, 450
    front = label_image("child", "front", w, h)
    back = label_image("child", "back", w, h)
    masks = {"front": front == 1 + PART_INDEX["anterior_trunk:front"],
             "back": back == 1 + PART_INDEX["posterior_trunk:back"]}
    return Assessment(age_years=6, figure_id="child", masks=masks, rule_id=AD,
                      shares={"head": 0.25})


def content(assessment: Assessment, day: str = "2026-03-14") -> str:
    return map_content(evaluate(assessment), date.fromisoformat(day)).text()


def test_the_pdf_says_the_total_the_limit_and_the_date():
    # One real render: the words reach the PDF as searchable text.
    text = pdf_text(render_report(adult_ad(), "pdf", date=date(2026, 3, 14)))
    assert "9.0%" in text
    assert "Label area limit: 20% of body surface" in text
    assert "14 March 2026" in text
    assert "Within the label's 20% area limit" in text
    assert "discussion aid, not medical advice" in text
    assert "Is the atopic dermatitis mild to moderate?" in text
    assert "Anterior trunk" in text and "Right hand" in text
    assert "Thin layer twice daily; stop when clear." in text
    assert "Revision: 2025-09" in text  # the label revision the rule was transcribed from
    assert not re.search(r"\bsafe(ly|ty)?\b", text, re.IGNORECASE)


def test_the_amount_of_cream_and_both_caps_are_on_the_map():
    # 9% x 0.25 g per 1% (rule of hand) = 2.25 g per application; twice daily = 31.5 g a
    # week against 60 g a week (52%), 63 g per 2 weeks against 100 g (63%).
    text = content(adult_ad())
    assert "About 2.2 g per application" in text or "About 2.3 g per application" in text
    assert "about 32 g a week" in text
    assert "Estimated 32 g per week: below the cap of 60 g per week (52% of it)" in text
    assert "Estimated 63 g per 2 weeks: below the cap of 100 g per 2 weeks (63% of it)" in text
    assert "The cap of 100 g per 2 weeks is reached first, at about 14.3%" in text


def test_the_fifteen_percent_adult_map_agrees_with_the_page_and_the_cli():
    # Issue 10: the map said "105% of 100 g per 2 weeks: above the cap" under a headline
    # "Within the label's 20% area limit". Now one headline tells both.
    a = Assessment(age_years=30, rule_id=AD, shares={"anterior_trunk": 1.0,
                                                    "posterior_trunk": 2 / 13})
    ev = evaluate(a)
    c = map_content(ev, date(2026, 3, 14))
    assert c.headline == ("Within the label's 20% area limit \u2013 the estimated amount is "
                          "above the cap of 100 g per 2 weeks: discuss with your doctor.")
    assert c.headline.rstrip(".") == ev.headline
    text = c.text()
    assert "Estimated 105 g per 2 weeks: above the cap of 100 g per 2 weeks (105% of it)" in text
    assert "Estimated 52 g per week: close to the cap of 60 g per week (88% of it)" in text
    assert "Above the cap: discuss with your doctor." in text


def test_above_the_limit_and_outside_the_age_range_are_written_out():
    a = Assessment(age_years=8, rule_id=VITILIGO, shares={"anterior_trunk": 1.0})
    c = map_content(evaluate(a), date(2026, 3, 14))
    assert c.total_text == "13.0%"
    assert c.headline.startswith("Outside the label's age range (12 years and older)")
    assert c.verdict == "outside_ages"


def test_the_secondary_source_of_the_childrens_cap_is_stated():
    text = content(painted_child())
    assert "secondary source" in text
    assert "ages 2 years to under 12 years" in text


def test_without_a_rule_the_map_says_so():
    text = content(Assessment(age_years=30, shares={"left_thigh": 1.0}))
    assert "No label rule chosen" in text
    assert "Twice a day is assumed" in text
    assert "9.5%" in text  # adult thigh 4.75 + 4.75


def test_nothing_marked_is_neutral_on_the_map():
    c = map_content(evaluate(Assessment(age_years=30, rule_id=AD)), date(2026, 3, 14))
    assert c.verdict == "nothing_marked" and c.headline.startswith("Nothing marked yet")
    assert "within" not in c.headline.lower()


def test_a_chart_used_outside_its_ages_is_cautioned_on_the_map():
    a = Assessment(age_years=2, chart="rule_of_nines", shares={"head": 1.0})
    c = map_content(evaluate(a), date(2026, 3, 14))
    assert c.cautions and "meant for 10 years and over" in c.cautions[0]
    assert "Lund and Browder chart" in c.cautions[0]


def test_notes_are_printed_literally_not_as_mathtext():
    notes = "Cream costs $50 per tube; insurance pays $40 and $\\foo$"
    text = pdf_text(render_report(adult_ad().replace(notes=notes), "pdf"))
    assert "$50 per tube; insurance pays $40" in text


@pytest.mark.parametrize(("paper", "size_pt"), [("a4", (595.3, 841.9)), ("letter", (612, 792))])
def test_paper_sizes(paper, size_pt):
    reader = PdfReader(io.BytesIO(render_report(adult_ad(), "pdf", paper=paper)))
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(size_pt, abs=printed(1))


def test_png_output_and_file_writing(tmp_path):
    data = render_report(adult_ad(), tmp_path / "map.png", paper="letter", dpi=50)
    assert (tmp_path / "map.png").read_bytes() == data
    assert Image.open(io.BytesIO(data)).size == (425, 550)
    pdf = render_report(adult_ad(), str(tmp_path / "map.PDF"))
    assert pdf.startswith(b"%PDF") and (tmp_path / "map.PDF").read_bytes() == pdf


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"output": "map.svg"}, r"must end in \.pdf or \.png"),
        ({"output": "pdf", "paper": "a5"}, "a4, letter"),
        ({"output": "pdf", "date": "14/03/2026"}, "YYYY-MM-DD"),
        ({"output": "pdf", "date": 20260314}, "must be a date"),
    ],
)
def test_bad_arguments_are_refused(kwargs, match):
    with pytest.raises(BSAInputError, match=match):
        render_report(adult_ad(), **kwargs)


def test_cannot_write_gives_a_clear_message(tmp_path):
    with pytest.raises(BSAInputError, match="cannot write the map"):
        render_report(adult_ad(), tmp_path / "no such folder" / "map.pdf")


def _overlaps(fig) -> list[tuple[str, str]]:
    """Pairs of page texts whose drawn boxes overlap."""
    renderer = FigureCanvasAgg(fig).get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in fig.texts if t.get_text()]
    found = []
    for i, (ta, a) in enumerate(boxes):
        for tb, b in boxes[i + 1:]:
            if a.overlaps(b):
                found.append((ta[:40], tb[:40]))
    return found


def _inside_margins(fig, margin_in: float = 0.5) -> list[str]:
    """Texts that run outside the page's margins (drawn without hinting, as saved)."""
    import matplotlib

    from bsa.report.layout import _TEXT_RC

    with matplotlib.rc_context(_TEXT_RC):
        renderer = FigureCanvasAgg(fig).get_renderer()
        m = margin_in * fig.dpi
        w, h = fig.bbox.width, fig.bbox.height
        return [t.get_text()[:40] for t in fig.texts if t.get_text() and (
            (box := t.get_window_extent(renderer)).x0 < m or box.y0 < m
            or box.x1 > w - m or box.y1 > h - m)]


@pytest.mark.parametrize(
    "assessment, paper",
    [
        (adult_ad(), "a4"),
        (painted_child(), "letter"),
        (Assessment(age_years=70, shares={r: 0.5 for r in REGIONS}, rule_id=AD,
                    notes="A long note that goes on. " * 40), "letter"),
        (Assessment(age_years=2, chart="rule_of_nines", rule_id=AD, shares={"head": 1.0},
                    height_cm=90, weight_kg=13), "a4"),
        (Assessment(age_years=30), "a4"),
        # the verdict depends on the chart: four charts named under the total
        (Assessment(age_years=30, rule_id="opzelura_eu_vitiligo", shares={"anterior_trunk": 0.6},
                    height_cm=170, weight_kg=100, palm_count=8,
                    notes="A long note that goes on. " * 40), "letter"),
    ],
    ids=["adult", "painted-child", "everything-long-notes", "child-chart-caution", "nothing",
         "range-depends-long-notes"],
)
def test_nothing_overlaps_and_everything_is_on_the_page(assessment, paper):
    fig = report_figure(assessment, paper=paper, date="2026-09-30")  # the longest month
    assert _overlaps(fig) == []
    assert _inside_margins(fig) == []


def test_typed_shares_override_painting_in_the_list_too():
    text = content(painted_child().replace(shares={"anterior_trunk": 0.0}))
    assert "Anterior trunk" not in text
    assert "Posterior trunk" in text


def test_disclaimer_never_says_safe():
    assert "not medical advice" in DISCLAIMER
    assert "safe" not in DISCLAIMER.lower()


# ------------------------------------------------------------------ command line


def test_report_command_writes_the_map(tmp_path, capsys):
    session = save(tmp_path / "s.json", adult_ad())
    out = tmp_path / "map.pdf"
    assert main(["report", str(session), "-o", str(out), "--paper", "Letter",
                 "--date", "2026-05-01"]) == 0
    assert "9.0% of body surface" in capsys.readouterr().out
    text = pdf_text(out.read_bytes())
    assert "1 May 2026" in text and "9.0%" in text


def test_report_command_refuses_a_bad_session_in_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "bsa-session", "schema_version": 7}')
    assert main(["report", str(bad), "-o", str(tmp_path / "m.pdf")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown session file version 7" in err
    assert not (tmp_path / "m.pdf").exists()


def test_session_commands_round_trip(tmp_path, capsys):
    path = tmp_path / "s.json"
    assert main(["session", "new", "--age", "3", "--rule", AD, "head=1",
                 "anterior_trunk=0.5", "-o", str(path)]) == 0
    assert "21.50%" in capsys.readouterr().out  # head 2 x 7.5 + 6.5 at age 3
    assert main(["session", "show", str(path)]) == 0
    assert "21.50% of body surface" in capsys.readouterr().out
    assert main(["session", "new", "--age", "3", "wing=1", "-o", str(path)]) == 2


def test_python_m_bsa_report_runs_without_pyplot(tmp_path):
    session = save(tmp_path / "s.json", adult_ad())
    code = (
        "import sys, runpy; sys.argv = ['bsa', 'report', sys.argv[1], '-o', sys.argv[2]];"
        "from bsa.cli import main; rc = main(sys.argv[1:]);"
        "assert 'matplotlib.pyplot' not in sys.modules and 'streamlit' not in sys.modules;"
        "sys.exit(rc)"
    )
    result = subprocess.run([sys.executable, "-c", code, str(session), str(tmp_path / "m.png")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    image = np.asarray(Image.open(tmp_path / "m.png"))
    assert image.shape[2] in (3, 4) and image.std() > 0


def test_a_session_with_changed_totals_is_refused_unless_recomputed(tmp_path, capsys):
    session = save(tmp_path / "s.json", adult_ad())
    data = json.loads(session.read_text())
    data["totals"]["percent_bsa"] = 12.5  # as if written with other chart data
    session.write_text(json.dumps(data))
    out = tmp_path / "m.pdf"
    assert main(["report", str(session), "-o", str(out)]) == 2
    assert "differs from the total recomputed" in capsys.readouterr().err
    assert not out.exists()
    assert main(["report", str(session), "-o", str(out), "--recompute-totals"]) == 0
    assert "9.0%" in pdf_text(out.read_bytes())
    assert main(["session", "show", str(session), "--recompute-totals"]) == 0
    assert "9.00% of body surface" in capsys.readouterr().out


DOLLARS = r"Cream costs $50 per tube; insurance pays $40 and $\foo$"


def test_notes_with_dollar_signs_are_printed_as_typed_not_as_mathematics(tmp_path):
    """Before, matplotlib read "$...$" as mathematics: wrong text, and a crash on $\\foo$."""
    session = save(tmp_path / "s.json", Assessment(age_years=30, shares={"head": 1.0},
                                                   rule_id=AD, notes=DOLLARS))
    out = tmp_path / "map.pdf"
    r = subprocess.run([sys.executable, "-m", "bsa", "report", str(session), "-o", str(out)],
                       capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr
    assert DOLLARS in pdf_text(out.read_bytes())


# ------------------------------------------------------------------ issue 17: layers and a plan


def plan_with_every_layer(zone_name: str = "Face and hands") -> Assessment:
    """Painted on the adult figure: affected face, neck, front of the trunk, forearms, hands
    and upper back; this cream on the face, neck, forearms and hands, not around the eyes
    nor on a band of broken skin; two zones on alternate days."""
    w, h = 200, 450
    front = label_image("adult", "front", w, h)
    back = label_image("adult", "back", w, h)

    def halves(labels, *names):
        return np.isin(labels, [1 + PART_INDEX[n] for n in names])

    hands_f = ("right_hand:front", "left_hand:front")
    hands_b = ("right_hand:back", "left_hand:back")
    arms = ("right_lower_arm:front", "left_lower_arm:front")
    face = halves(front, "head:front")
    ys = np.nonzero(face)[0]
    eyes = np.zeros((h, w), bool)
    eyes[ys.min() + (ys.max() - ys.min()) // 3: ys.min() + (ys.max() - ys.min()) // 2, :] = True
    arm = halves(front, "right_lower_arm:front")
    mid = (np.nonzero(arm)[0].min() + np.nonzero(arm)[0].max()) // 2
    broken = np.zeros((h, w), bool)
    broken[mid - 6: mid + 6, :] = True
    zone_a = {"front": halves(front, "head:front", "neck:front", *hands_f),
              "back": halves(back, *hands_b)}
    return Assessment(
        age_years=40, figure_id="adult", rule_id=AD,
        masks={"front": halves(front, "head:front", "neck:front", "anterior_trunk:front",
                               *hands_f, *arms),
               "back": halves(back, "posterior_trunk:back", *hands_b)},
        treatment_area=Marks(masks={"front": halves(front, "head:front", "neck:front",
                                                    *hands_f, *arms),
                                    "back": halves(back, *hands_b)}),
        avoid=[AvoidArea(reason="eyes", masks={"front": eyes & face}),
               AvoidArea(reason="broken skin", masks={"front": broken & arm})],
        zones=[Zone(name=zone_name, days=["mon", "wed", "fri"], masks=zone_a),
               Zone(name="Forearms", days=["tue", "thu", "sat"],
                    masks={"front": halves(front, *arms)}, times=["morning", "evening"])],
        notes="Trunk: the other cream, as discussed.")


def typed_plan_with_long_text() -> Assessment:
    names = ["Mon/Wed/Fri: face and hands", "Tue/Thu/Sat: trunk", "Evenings: feet"]
    parts = [{"head": 1.0, "neck": 1.0, "right_hand:back": 1.0, "left_hand:back": 1.0},
             {"anterior_trunk": 0.5, "right_thigh": 0.5, "left_thigh": 0.5},
             {"right_foot": 1.0, "left_foot": 1.0}]
    days = [["mon", "wed", "fri"], ["tue", "thu", "sat"], "mon tue wed thu fri sat sun".split()]
    shares = {k: v for p in parts for k, v in p.items()}
    return Assessment(
        age_years=9, rule_id=AD, shares={**shares, "posterior_trunk": 1.0},
        treatment_area=Marks(shares=shares),
        avoid=[AvoidArea(reason=r, shares={h: 0.05}) for r, h in
               (("eyes", "head:front"),
                ("another treatment here: tacrolimus ointment", "right_thigh:front"))],
        zones=[Zone(name=n, days=d, shares=p, **({"times": ["evening"]} if n.startswith("Even")
                                                  else {}))
               for n, d, p in zip(names, days, parts, strict=True)],
        notes="A long note that goes on. " * 30)


def test_the_map_names_all_three_layers_and_the_days():
    c = map_content(evaluate(plan_with_every_layer()), date(2026, 3, 14))
    text = c.text()
    kinds = [e.kind for e in c.legend]
    assert kinds == ["zone", "zone", "affected", "avoid", "avoid"]
    assert "Apply this cream here: \u201cFace and hands\u201d" in text
    assert "Affected, not with this cream" in text
    assert "Do not apply: eyes" in text and "Do not apply: broken skin" in text
    assert c.avoid_rows[0][:2] == ("eyes", "face")
    days = [line.text for line in c.plan_lines if line.bullet]
    assert days[0].startswith("Monday, Wednesday and Friday: face, neck and both hands "
                              "(\u201cFace and hands\u201d) \u2013 about ")
    assert " g each time, twice a day." in days[0]
    assert days[1].startswith("Tuesday, Thursday and Saturday: both forearms")
    assert days[1].endswith("in the morning and in the evening.")
    assert days[2] == "Sunday: no application of this cream."
    assert "With this plan: about " in text and "with this plan: below the cap of 100 g" in text
    assert c.layer_lines[0].startswith("Affected skin: ")
    assert not re.search(r"\bsafe(ly|ty)?\b", text, re.IGNORECASE)


def test_every_number_on_the_plan_map_is_the_evaluation_s():
    ev = evaluate(plan_with_every_layer())
    c = map_content(ev, date(2026, 3, 14))
    assert c.total_text == f"{ev.treated_percent_bsa:.1f}%"
    assert [line.text for line in c.plan_lines if line.bullet] == list(ev.plan.day_lines)
    assert [r[2] for r in c.avoid_rows] == [f"{format_percent(a.percent_bsa)}%" for a in ev.avoid]
    assert f"{format_percent(ev.affected_percent_bsa)}%" in c.layer_lines[0]


def test_a_map_without_layers_has_no_legend_nor_plan():
    c = map_content(evaluate(adult_ad()), date(2026, 3, 14))
    assert c.legend == () and c.plan_lines == () and c.layer_lines == () and c.avoid_rows == ()


def test_zone_names_and_reasons_are_printed_literally():
    name = "$5 zone: $\\alpha$ and more"
    a = plan_with_every_layer(zone_name=name)
    a = a.replace(avoid=[a.avoid[0].replace(reason="$x$ broken"), a.avoid[1]])
    text = pdf_text(render_report(a, "pdf", date="2026-03-14"))
    assert name in text and "Do not apply: $x$ broken" in text
    assert "Monday, Wednesday and Friday" in text


@pytest.mark.parametrize(
    "assessment, paper",
    [(plan_with_every_layer(), "a4"), (plan_with_every_layer(), "letter"),
     (typed_plan_with_long_text(), "a4")],
    ids=["plan-a4", "plan-letter", "typed-plan-long-text"],
)
def test_a_plan_map_fits_on_one_page_without_overlaps(assessment, paper):
    fig = report_figure(assessment, paper=paper, date="2026-09-30")
    assert _overlaps(fig) == []
    assert _inside_margins(fig) == []


def test_a_plan_too_long_for_one_page_is_refused_in_words_not_cut():
    many = typed_plan_with_long_text()
    zones = [Zone(name=f"{i}: " + "a long description of the zone " * 2, days=[day],
                  shares={region: 1.0})
             for i, (day, region) in enumerate(zip(["mon", "tue", "wed", "thu", "fri", "sat"],
                                                   ["head", "neck", "right_hand", "left_hand",
                                                    "right_foot", "left_foot"], strict=True))]
    with pytest.raises(BSAInputError, match="does not fit on one page"):
        report_figure(many.replace(zones=zones), paper="letter")
