"""The application map: one printable page the patient takes home.

Spoken instructions about where to apply a cream are easily stretched; a written map of
where to apply, with the number and the label's limit on it, is the point of the
consultation. The page shows the front and back figures with the areas to treat shaded (each
with its share of the body surface written on it), the total, the chart and the age reading
used, the label rule compared with (its area limit, source and revision), the estimated
grams of cream per application and per week against the label's amount cap, the date, room
for the clinician's name and notes, the questions to confirm with the doctor, and the
disclaimer.

Drawn with matplotlib's object API (:class:`matplotlib.figure.Figure`, never pyplot) and
its bundled DejaVu fonts; matplotlib is imported inside the functions.

Examples
--------
>>> from bsa.records.session import Assessment
>>> from bsa.report.layout import render_report
>>> a = Assessment(age_years=30, rule_id="opzelura_us_atopic_dermatitis",
...                shares={"anterior_trunk": 0.5})
>>> pdf = render_report(a, "map.pdf", paper="letter")          # doctest: +SKIP

References
----------
.. [1] Long CC, Finlay AY. The finger-tip unit - a new practical measure. Clin Exp Dermatol
   1991;16:444-447.
"""

from __future__ import annotations

import io
import os
import textwrap
import threading
from dataclasses import dataclass
from datetime import date as date_type
from pathlib import Path
from typing import Any

import numpy as np

from ..core.charts import describe_age
from ..core.regions import PART_INDEX, REGION_SIDES, REGIONS, region_label
from ..errors import BSAInputError
from ..files import write_atomic
from ..records.session import Assessment

__all__ = [
    "DISCLAIMER",
    "PAPER_SIZES",
    "REPORT_FORMATS",
    "draw_marked_view",
    "render_report",
    "report_figure",
]

#: Paper sizes, portrait (width, height). [inches]
PAPER_SIZES = {"a4": (210 / 25.4, 297 / 25.4), "letter": (8.5, 11.0)}
#: Output formats :func:`render_report` writes.
REPORT_FORMATS = ("pdf", "png")
#: Printed at the foot of every map.
DISCLAIMER = (
    "This map is a discussion aid, not medical advice. The area and the amount of cream are "
    "estimates from the marks made during the consultation; follow your doctor's "
    "instructions and the product's patient information."
)

_SAVE_LOCK = threading.Lock()
_MARGIN = 0.55  # [inches]
_MIN_NOTES = 0.85  # the notes box is never smaller [inches]
_INK = "#222222"
_GREY = "#555555"
_RULE_LINE = "#999999"
_STATE_WORDS = {
    "within": "Within the limit",
    "near": "Near the limit",
    "above": "Above the limit",
}


# ---------------------------------------------------------------------------- content


@dataclass(frozen=True)
class _Content:
    """Everything the page says, computed before anything is drawn."""

    assessment: Assessment
    estimate: Any
    check: Any  # bsa.treatment.label_rules.LabelCheck or None
    amount: Any  # bsa.treatment.cream_amount.CreamAmount
    figure_id: str
    day: date_type


def _content(assessment: Assessment, day: date_type) -> _Content:
    from ..diagram.geometry import figure_for_age
    from ..treatment.cream_amount import estimate_amount
    from ..treatment.label_rules import check

    est = assessment.estimate()
    fractions = assessment.half_fractions()
    rule_check = None
    if assessment.rule_id is not None:
        rule_check = check(est.percent_bsa, assessment.age_years, assessment.rule_id)
    amount = estimate_amount(
        fractions, assessment.age_years, assessment.rule_id,
        chart=assessment.chart, age_mode=assessment.age_mode,
    )
    figure_id = assessment.figure_id or figure_for_age(assessment.age_years)
    return _Content(assessment, est, rule_check, amount, figure_id, day)


def _shown_masks(assessment: Assessment) -> dict[str, np.ndarray] | None:
    """The painted masks, with the halves whose share was typed in taken out (the typed
    share overrides the painting there, and is drawn as a tint instead)."""
    if not assessment.masks:
        return None
    from ..diagram.masks import label_image

    typed = {
        PART_INDEX[f"{r}:{s}"] + 1
        for name in assessment.shares
        for r, side in [name.split(":", 1) if ":" in name else (name, None)]
        for s in ((side,) if side else REGION_SIDES[r])
    }
    shown = {}
    for view, mask in assessment.masks.items():
        height, width = mask.shape
        labels = label_image(assessment.figure_id, view, width, height)
        shown[view] = mask & ~np.isin(labels, list(typed)) if typed else mask
    return shown


def _typed_fills(assessment: Assessment) -> dict[str, float]:
    fills = {}
    for name, share in assessment.shares.items():
        region, _, side = name.partition(":")
        for s in (side,) if side else REGION_SIDES[region]:
            fills[f"{region}:{s}"] = share
    return fills


def _fmt(value: float) -> str:
    """A percentage for print: one decimal, two below 1 (0.25), no trailing zeros."""
    text = f"{value:.2f}" if 0 < abs(value) < 1 else f"{value:.1f}"
    text = text.rstrip("0").rstrip(".")
    return text or "0"


def _grams(value: float) -> str:
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


def _date_text(day: date_type) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


# ---------------------------------------------------------------------------- layout


class _Page:
    """A matplotlib Figure addressed in inches from the top-left corner."""

    def __init__(self, paper: str) -> None:
        from matplotlib.figure import Figure

        self.width, self.height = PAPER_SIZES[paper]
        self.fig = Figure(figsize=(self.width, self.height))
        self.fig.patch.set_facecolor("white")
        self.right = self.width - _MARGIN

    def xy(self, x: float, y: float) -> tuple[float, float]:
        return x / self.width, 1 - y / self.height

    def text(self, x: float, y: float, s: str, size: float = 9.0, **kw: Any) -> None:
        kw.setdefault("color", _INK)
        kw.setdefault("va", "top")
        self.fig.text(*self.xy(x, y), s, fontsize=size, parse_math=False, **kw)

    def line(self, x0: float, y0: float, x1: float, y1: float, **kw: Any) -> None:
        from matplotlib.lines import Line2D

        kw.setdefault("color", _RULE_LINE)
        kw.setdefault("linewidth", 0.7)
        (a, b), (c, d) = self.xy(x0, y0), self.xy(x1, y1)
        self.fig.add_artist(Line2D([a, c], [b, d], transform=self.fig.transFigure, **kw))

    def rect(self, x: float, y: float, w: float, h: float, **kw: Any) -> None:
        from matplotlib.patches import Rectangle

        kw.setdefault("facecolor", "none")
        kw.setdefault("edgecolor", _RULE_LINE)
        kw.setdefault("linewidth", 0.7)
        self.fig.add_artist(
            Rectangle(self.xy(x, y + h), w / self.width, h / self.height,
                      transform=self.fig.transFigure, **kw)
        )

    def axes(self, x: float, y: float, w: float, h: float):
        x0, y0 = self.xy(x, y + h)
        return self.fig.add_axes((x0, y0, w / self.width, h / self.height))


class _Measure(_Page):
    """A page that draws nothing: lays a section out to find its height."""

    def text(self, *args: Any, **kw: Any) -> None:
        pass

    def line(self, *args: Any, **kw: Any) -> None:
        pass

    def rect(self, *args: Any, **kw: Any) -> None:
        pass


def _wrap(text: str, width_in: float, size: float, bold: bool = False) -> list[str]:
    # DejaVu Sans averages about 0.55 em a character in running text (0.62 in bold).
    chars = max(20, int(width_in * 72 / ((0.62 if bold else 0.55) * size)))
    return textwrap.wrap(text, chars) or [""]


def _line_height(size: float) -> float:
    return size * 1.3 / 72


def _paragraph(page: _Page, x: float, y: float, text: str, width: float, size: float,
               **kw: Any) -> float:
    """Write wrapped text; return the y below it."""
    lines = _wrap(text, width, size, kw.get("fontweight") == "bold")
    page.text(x, y, "\n".join(lines), size, linespacing=1.3, **kw)
    return y + len(lines) * _line_height(size)


def _bullets(page: _Page, x: float, y: float, items: list[str], width: float, size: float,
             bullet: str = "\u2610") -> float:
    for item in items:
        page.text(x, y + 0.015, bullet, size + 1)
        y = _paragraph(page, x + 0.22, y, item, width - 0.22, size) + 0.03
    return y


def _measure_bullets(items: list[str], width: float, size: float) -> float:
    return sum(len(_wrap(i, width - 0.22, size)) * _line_height(size) + 0.03 for i in items)


# ---------------------------------------------------------------------------- sections


def _header(page: _Page, c: _Content, y: float) -> float:
    page.text(_MARGIN, y, "Where to apply: treatment area map", 16, fontweight="bold")
    page.text(page.right, y + 0.02, f"Date: {_date_text(c.day)}", 11, ha="right")
    y += 0.45
    page.text(_MARGIN, y, "Patient (initials or pseudonym):", 9, color=_GREY)
    page.line(_MARGIN + 2.15, y + 0.16, _MARGIN + 3.55, y + 0.16)
    page.text(_MARGIN + 3.75, y, "Clinician:", 9, color=_GREY)
    page.line(_MARGIN + 4.45, y + 0.16, page.right, y + 0.16)
    return y + 0.38


def _summary(page: _Page, c: _Content, y: float) -> float:
    a, est = c.assessment, c.estimate
    page.text(_MARGIN, y - 0.04, f"{est.percent_bsa:.1f}%", 34, fontweight="bold")
    page.text(_MARGIN, y + 0.55, "of the body surface to treat", 10)
    chart_line = (f"{est.chart_title}, read at age {describe_age(a.age_years)} "
                  f"({est.age_reading}).")
    left_y = _paragraph(page, _MARGIN, y + 0.78, chart_line, 2.15, 7.5, color=_GREY)
    x = _MARGIN + 2.35
    width = page.right - x
    if c.check is None:
        y = _paragraph(page, x, y, "No label rule was chosen to compare with.", width, 11,
                       fontweight="bold")
    else:
        ch = c.check
        y = _paragraph(page, x, y, ch.headline + ".", width, 11, fontweight="bold")
        y = _paragraph(page, x, y + 0.02,
                       f"Label area limit: {ch.limit_percent:g}% of body surface "
                       f"({ch.rule.title}). {ch.age_message}", width, 8.5)
        y = _gauge(page, c, x, y + 0.2, width)  # room above the bar for the marker
    return max(y, left_y) + 0.12


def _gauge(page: _Page, c: _Content, x: float, y: float, width: float) -> float:
    """A bar of the total against the limit; the state is written, not only coloured."""
    ch = c.check
    limit, total = ch.limit_percent, c.estimate.percent_bsa
    scale_max = max(1.5 * limit, 1.1 * total)
    bar_w = width - 1.45
    h = 0.16

    def at(v: float) -> float:
        return x + bar_w * min(v, scale_max) / scale_max

    page.rect(x, y, at(ch.near_from_percent) - x, h, facecolor="#eeeeee", edgecolor="none")
    page.rect(at(ch.near_from_percent), y, at(limit) - at(ch.near_from_percent), h,
              facecolor="#f6d7a7", edgecolor="none", hatch="///")
    page.rect(at(limit), y, at(scale_max) - at(limit), h, facecolor="#e8a0a0",
              edgecolor="none", hatch="xxx")
    page.rect(x, y, bar_w, h, edgecolor=_GREY)
    page.line(at(limit), y - 0.05, at(limit), y + h + 0.05, color=_INK, linewidth=1.4)
    page.text(at(limit), y + h + 0.06, f"limit {limit:g}%", 7.5, ha="center")
    page.text(x, y + h + 0.06, "0", 7.5, ha="left", color=_GREY)
    mark = at(total)
    page.fig.add_artist(_triangle(page, mark, y - 0.01))
    page.text(x + bar_w + 0.12, y - 0.02, _STATE_WORDS[ch.area_state], 9.5,
              fontweight="bold")
    return y + h + 0.22


def _triangle(page: _Page, x: float, y: float):
    from matplotlib.patches import Polygon

    pts = [page.xy(x, y), page.xy(x - 0.07, y - 0.13), page.xy(x + 0.07, y - 0.13)]
    return Polygon(pts, closed=True, transform=page.fig.transFigure, facecolor=_INK,
                   edgecolor="white", linewidth=0.6, zorder=5)


def draw_marked_view(ax, assessment: Assessment, view: str, *, font_size: float = 8.0,
                     estimate: Any = None) -> None:
    """Draw one view of an assessment's figure with the areas to treat shaded.

    Painted pixels are drawn as painted; typed shares tint their halves (and replace the
    painting there). Each affected half carries its share of the body surface. [%]

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    assessment : Assessment
    view : {"front", "back"}
    font_size : float
        Largest label size. [points]
    estimate : bsa.Estimate, optional
        ``assessment.estimate()``, if already computed.
    """
    from ..diagram.geometry import figure_for_age
    from ..diagram.picture import draw_view

    est = estimate if estimate is not None else assessment.estimate()
    labels = {p: _fmt(v) for p, v in est.by_half.items() if v > 0}
    figure_id = assessment.figure_id or figure_for_age(assessment.age_years)
    draw_view(ax, figure_id, view, fills=_typed_fills(assessment),
              masks=_shown_masks(assessment), labels=labels, font_size=font_size)


def _figures(page: _Page, c: _Content, x: float, y: float, width: float,
             height: float) -> None:
    gap = 0.12
    w = (width - gap) / 2
    for i, view in enumerate(("front", "back")):
        left = x + i * (w + gap)
        ax = page.axes(left, y + 0.42, w, height - 0.42)
        draw_marked_view(ax, c.assessment, view, font_size=8, estimate=c.estimate)
        side = "left" if view == "front" else "right"
        page.text(left + w / 2, y, view.capitalize(), 10, ha="center", fontweight="bold")
        page.text(left + w / 2, y + 0.19, f"patient's right on your {side}", 7.5,
                  ha="center", color=_GREY)


def _areas(page: _Page, c: _Content, x: float, y: float, width: float,
           max_rows: int = 10) -> float:
    est = c.estimate
    page.text(x, y, "Areas to treat", 10.5, fontweight="bold")
    y += 0.22
    rows = [(r, v) for r, v in zip(REGIONS, (est.by_region[r] for r in REGIONS)) if v > 0]
    if not rows:
        y = _paragraph(page, x, y, "No area is marked.", width, 8.5)
    shown = rows[:max_rows] if len(rows) <= max_rows else rows[:max_rows - 1]
    for region, value in shown:
        weight = sum(est.weights[f"{region}:{s}"] for s in REGION_SIDES[region])
        share = value / weight if weight else 0.0
        page.text(x, y, region_label(region), 8.5)
        page.text(x + width - 0.62, y, f"{share:.0%} of it", 8.5, ha="right", color=_GREY)
        page.text(x + width, y, f"{_fmt(value)}%", 8.5, ha="right")
        y += _line_height(8.5)
    if len(rows) > len(shown):
        rest = sum(v for _, v in rows[len(shown):])
        page.text(x, y, f"and {len(rows) - len(shown)} more areas", 8.5, color=_GREY)
        page.text(x + width, y, f"{_fmt(rest)}%", 8.5, ha="right")
        y += _line_height(8.5)
    return y


def _amount(page: _Page, c: _Content, x: float, y: float, width: float) -> float:
    import math

    m = c.amount
    page.text(x, y, "Amount of cream (estimate)", 10.5, fontweight="bold")
    y += 0.22
    times = "twice" if m.applications_per_day == 2 else f"{m.applications_per_day:g} times"
    y = _paragraph(
        page, x, y,
        f"About {_grams(m.grams_per_application)} g per application "
        f"({m.fingertip_units_per_application:.1f} fingertip units), {times} a day: "
        f"about {_grams(m.grams_per_week)} g a week.", width, 8.5)
    if m.cap is not None:
        words = " or ".join(lim.words for lim in m.cap.limits)
        source = " (from a secondary source, not the label text)" if m.cap.is_secondary else ""
        y = _paragraph(page, x, y + 0.05,
                       f"Label's cap for ages {m.cap.age_group}: {words}{source}.", width, 8.5)
        for comp in m.cap_comparisons:
            lim = comp.limit
            text = (f"{comp.grams_in_period:.0f} g per {lim.period_days:g} days "
                    f"({100 * comp.share_of_limit:.0f}% of {lim.grams:g} g): "
                    f"{_STATE_WORDS[comp.state].lower().replace('limit', 'cap')}")
            page.text(x, y + 0.03, "\u2022", 8.5)
            y = _paragraph(page, x + 0.12, y + 0.03, text + ".", width - 0.12, 8.5)
        if any(comp.state == "above" for comp in m.cap_comparisons):
            y = _paragraph(page, x, y + 0.03, "Above the cap: discuss with your doctor.",
                           width, 8.5, fontweight="bold")
        binds = m.percent_bsa_where_cap_binds
        if binds is not None and not math.isinf(binds):
            y = _paragraph(page, x, y + 0.04,
                           f"The cap is reached at about {_fmt(binds)}% of the body surface "
                           "marked in this pattern.", width, 8.5)
    elif c.check is not None:
        y = _paragraph(page, x, y + 0.05,
                       "The label states no amount cap for this age.", width, 8.5)
    else:
        y = _paragraph(page, x, y + 0.05,
                       "Twice a day is assumed: no label rule was chosen.", width, 8.5)
    return _paragraph(
        page, x, y + 0.05,
        f"Assumes {m.ftu_grams:g} g per fingertip unit (from the tip of an adult's index "
        "finger to the first crease) spread thinly on the marked area only.",
        width, 7.5, color=_GREY)


def _questions(c: _Content) -> list[str]:
    if c.check is None:
        return ["Which product and label apply, and what area limit and amount cap do they set?"]
    return list(c.check.questions)


def _notes_box(page: _Page, c: _Content, y: float, height: float) -> float:
    page.text(_MARGIN, y, "Notes", 10.5, fontweight="bold")
    y += 0.2
    w = page.right - _MARGIN
    page.rect(_MARGIN, y, w, height - 0.2)
    notes = c.assessment.notes.strip()
    inner_y = y + 0.08
    if notes:
        lines = _wrap(" ".join(notes.split()), w - 0.2, 8.5)
        room = max(1, int((height - 0.35) / _line_height(8.5)))
        if len(lines) > room:
            lines = lines[: room - 1] + [lines[room - 1][:-3] + "..."]
        page.text(_MARGIN + 0.1, inner_y, "\n".join(lines), 8.5, linespacing=1.3)
        inner_y += len(lines) * _line_height(8.5)
    line_y = inner_y + 0.22
    while line_y < y + height - 0.28:
        page.line(_MARGIN + 0.1, line_y, page.right - 0.1, line_y, color="#cccccc")
        line_y += 0.24
    return y + height - 0.2


def _footer_lines(c: _Content, width: float) -> list[tuple[str, float, str]]:
    lines: list[tuple[str, float, str]] = []
    if c.check is not None:
        src = f"Label rule: {c.check.source}"
        if c.check.rule.source_kind == "secondary":
            src += " (read in a secondary source)"
        lines.extend((t, 7, _GREY) for t in _wrap(src, width, 7))
        for note in c.check.notes:
            lines.extend((t, 7, _GREY) for t in _wrap(note, width, 7))
    chart_src = f"Chart: {c.estimate.source}"
    lines.extend((t, 7, _GREY) for t in _wrap(chart_src, width, 7))
    lines.extend((t, 8, _INK) for t in _wrap(DISCLAIMER, width, 8, bold=True))
    return lines


# ---------------------------------------------------------------------------- public


def _check_paper(paper: Any) -> str:
    key = paper.lower() if isinstance(paper, str) else paper
    if key not in PAPER_SIZES:
        raise BSAInputError(
            f"unknown paper size {paper!r}; valid sizes are: {', '.join(PAPER_SIZES)}"
        )
    return key


def _check_date(day: Any) -> date_type:
    if day is None:
        return date_type.today()
    if isinstance(day, str):
        try:
            return date_type.fromisoformat(day.strip())
        except ValueError:
            raise BSAInputError(f"date {day!r} is not a date; write it as YYYY-MM-DD") from None
    if isinstance(day, date_type):
        return day if type(day) is date_type else date_type(day.year, day.month, day.day)
    raise BSAInputError(f"date must be a date or YYYY-MM-DD text, got {day!r}")


def report_figure(assessment: Assessment, *, paper: str = "a4", date: Any = None):
    """Draw the application map on one page.

    Parameters
    ----------
    assessment : Assessment
    paper : {"a4", "letter"}
        Portrait A4 (210 x 297 mm) or US Letter (8.5 x 11 in).
    date : date or str (YYYY-MM-DD), optional
        Printed on the map; default today.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    BSAInputError
        For an unknown paper size, a bad date, or anything the core refuses.
    """
    if not isinstance(assessment, Assessment):
        raise BSAInputError(f"expected an Assessment, got {type(assessment).__name__}")
    paper = _check_paper(paper)
    c = _content(assessment, _check_date(date))
    page = _Page(paper)
    full = page.right - _MARGIN

    # Text blocks are measured first; the figures take the height that is left.
    questions = _questions(c)
    q_height = 0.24 + _measure_bullets(questions, full, 8.5)
    footer = _footer_lines(c, full)
    footer_height = sum(_line_height(size) for _, size, _ in footer)

    y = _header(page, c, _MARGIN)
    y = _summary(page, c, y)
    page.line(_MARGIN, y - 0.06, page.right, y - 0.06, color="#dddddd")
    bottom = page.height - _MARGIN - footer_height - 0.12
    fig_height = min(bottom - y - q_height - _MIN_NOTES - 0.25, 5.0)
    # Each view is about half as wide as it is tall (its frame, plus the titles).
    fig_width = min(2 * 0.5 * (fig_height - 0.42) + 0.12, 0.6 * full)
    col_x = _MARGIN + fig_width + 0.25
    col_w = page.right - col_x
    dry = _Measure(paper)
    for max_rows in range(10, 2, -1):  # list fewer areas (the rest summed) until it fits
        col_height = _amount(dry, c, col_x, _areas(dry, c, col_x, 0.0, col_w, max_rows) + 0.2,
                             col_w)
        if col_height <= fig_height + 0.3:
            break
    if fig_height < 2.8 or col_height > fig_height + 0.3:
        raise BSAInputError("the map's text does not leave room for the figures on one page")
    _figures(page, c, _MARGIN, y + 0.04, fig_width, fig_height)
    col_y = _areas(page, c, col_x, y + 0.04, col_w, max_rows)
    col_y = _amount(page, c, col_x, col_y + 0.2, col_w)
    y = max(y + fig_height, col_y) + 0.12
    page.line(_MARGIN, y - 0.06, page.right, y - 0.06, color="#dddddd")

    page.text(_MARGIN, y, "To confirm with the doctor", 10.5, fontweight="bold")
    y = _bullets(page, _MARGIN, y + 0.24, questions, full, 8.5) + 0.08
    if bottom - y < _MIN_NOTES - 0.3:
        raise BSAInputError("the map's text does not fit on one page")
    _notes_box(page, c, y, bottom - y)

    y = page.height - _MARGIN - footer_height
    for text, size, color in footer:
        page.text(_MARGIN, y, text, size, color=color,
                  fontweight="bold" if size == 8 else "normal")
        y += _line_height(size)
    return page.fig


def render_report(assessment: Assessment, output: str | os.PathLike = "pdf", *,
                  paper: str = "a4", date: Any = None, dpi: float = 150) -> bytes:
    """Render the application map as PDF or PNG bytes, and write it if given a path.

    Parameters
    ----------
    assessment : Assessment
    output : str or path-like
        ``"pdf"`` or ``"png"`` for bytes only, or a file path ending in ``.pdf`` or ``.png``
        (the file is written too).
    paper : {"a4", "letter"}
    date : date or str (YYYY-MM-DD), optional
        Printed on the map; default today.
    dpi : float
        Resolution of a PNG. [dots per inch]

    Returns
    -------
    bytes
        The PDF or PNG file's content.

    Raises
    ------
    BSAInputError
        For an unknown format or paper, a bad date, or a file that cannot be written.
    """
    path: Path | None = None
    if isinstance(output, str) and output.lower() in REPORT_FORMATS:
        fmt = output.lower()
    else:
        path = Path(output)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in REPORT_FORMATS:
            raise BSAInputError(
                f"cannot write the map as {path.name!r}: the file name must end in "
                + " or ".join(f".{f}" for f in REPORT_FORMATS)
            )
    figure = report_figure(assessment, paper=paper, date=date)
    import matplotlib

    buf = io.BytesIO()
    # TrueType fonts embedded (not Type 3), so the PDF's text can be searched and copied.
    # rc_context changes global settings: one save at a time (the page serves many sessions).
    with _SAVE_LOCK, matplotlib.rc_context({"pdf.fonttype": 42}):
        figure.savefig(
            buf, format=fmt, dpi=dpi,
            metadata={"Title": "Treatment area map", "Creator": "bsa"}
            if fmt == "pdf" else {"Software": "bsa"},
        )
    data = buf.getvalue()
    if path is not None:
        write_atomic(path, data, what="the map")  # whole or not at all
    return data
