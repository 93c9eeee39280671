"""The application map's layout: one printable page, drawn with matplotlib.

The words and numbers come from :class:`bsa.report.content.MapContent` (built from one
:func:`bsa.evaluate`); this module only places them: the front and back figures with the
areas to treat shaded (each with its share of the body surface written on it), the total
and the verdict with a bar against the area limit, the areas, the amount of cream against
each cap, the questions, the notes and the sources. With layers of marks
(:mod:`bsa.records.layers`) the map is the written instruction: "apply here" solid (each
zone of a plan in its own colour), "affected, not with this cream" outlined and lightly
hatched, "do not apply" densely hatched, with a legend under the figures, and the plan's
days in words under it. Text is wrapped by widths measured with
the renderer's font metrics, not guessed, and drawn literally (no mathtext: a note with
dollar signs prints as typed).

Drawn with matplotlib's object API (:class:`matplotlib.figure.Figure`, never pyplot) and
its bundled DejaVu fonts, with the package's own Noto Sans Bengali for the letters DejaVu
lacks (:mod:`bsa.fonts`): a map in Bengali prints on a computer with no Bengali font. The
map is in a language (:func:`render_report`'s ``lang``; Bengali digits on a Bengali map
unless Latin ones are asked for); matplotlib is imported inside the functions.

Examples
--------
>>> from bsa.records.assessment import Assessment
>>> from bsa.report import render_report
>>> a = Assessment(age_years=30, rule_id="opzelura_us_atopic_dermatitis",
...                shares={"anterior_trunk": 0.5})
>>> pdf = render_report(a, "map.pdf", paper="letter")          # doctest: +SKIP

Why one long module: it is a small layout engine for one printed page (measured line
wrapping, boxes that shrink their text to fit, the legend, the plan's lines, the fit check
that refuses a page that would overflow), and every part works from the same page measures;
split, each piece would need them all. The words are built elsewhere
(:mod:`bsa.report.content`).
"""

from __future__ import annotations

import io
import os
import threading
from datetime import date as date_type
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..core.regions import PART_INDEX, halves_of
from ..errors import BSAInputError
from ..evaluation import Evaluation, evaluate
from ..files import write_atomic
from ..fonts import FAMILY
from ..fonts import register as register_fonts
from ..i18n import (
    _,
    check_digits,
    check_language,
    current_language,
    default_digits,
    language,
    num,
    pgettext,
)
from ..records.assessment import Assessment
from .content import (
    DISCLAIMER,
    GaugeContent,
    LegendEntry,
    MapContent,
    MapLine,
    format_percent,
    map_content,
)

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

_SAVE_LOCK = threading.Lock()
_MARGIN = 0.55  # [inches]
_MIN_NOTES = 0.7  # the notes box is never smaller [inches]
_MIN_NOTES_WITH_PLAN = 0.55  # with a plan written out, a line or two of notes at least
_MIN_FIGURE = 2.5  # nor the figures [inches]
_MIN_FIGURE_WITH_PLAN = 2.3  # a little smaller when the plan's days are written out
_Q_SIZE = 8.0  # the questions' text [points]
_TEXT_SCALES = (1.0, 0.93, 0.86, 0.8)  # tried in turn until the map fits on its page
# Bengali takes more room (longer words, wider line spacing): one smaller step.
_TEXT_SCALES_BY_LANGUAGE = {"bn": (*_TEXT_SCALES, 0.75)}
_INK = "#222222"
_GREY = "#555555"
_RULE_LINE = "#999999"
_LINE_SPACING = 1.3
# Bengali letters reach further above and below the line (the reph, vowel signs and conjuncts
# written under a consonant): its lines are set further apart. [share of the text size]
_LINE_SPACINGS = {"bn": 1.45}


def _spacing() -> float:
    """The distance between lines of text in the current language. [share of the size]"""
    return _LINE_SPACINGS.get(current_language(), _LINE_SPACING)
# Drawn without font hinting: hinting changes a line's width by up to 6% depending on the
# resolution, so a line measured to fit could run past the margin in a PNG.
# Keys typed Any: matplotlib 3.10+ types them as a Literal of every rc name (RcKeyType), which
# a plain dict[str, ...] does not match and matplotlib 3.8 does not have.
_TEXT_RC: dict[Any, Any] = {"text.hinting": "no_hinting", "pdf.fonttype": 42}
# The layers' looks (colour-blind-safe colours: Okabe and Ito's palette for the zones; the
# hatches tell the do-not-apply areas apart without colour).
_ZONE_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C6D31")
_AFFECTED_COLOUR = "#8a7566"
_AFFECTED_HATCH = "///"
_AVOID_COLOUR = "#2b211d"
_AVOID_HATCHES = ("xxxx", "++++", "oo", "\\\\\\\\", "....")
_LEGEND_SIZE = 7.5  # [points]


# ---------------------------------------------------------------------------- figures


def _typed_halves(assessment: Assessment) -> dict[str, float]:
    """Each half with a typed share, and the share (the typed share overrides painting)."""
    return {half: share for name, share in assessment.shares.items()
            for half in halves_of(name)}


def _shown_masks(assessment: Assessment) -> dict[str, np.ndarray] | None:
    """The painted masks, with the halves whose share was typed in taken out (the typed
    share overrides the painting there, and is drawn as a tint instead)."""
    if not assessment.masks:
        return None
    from ..diagram.masks import label_image

    typed = [PART_INDEX[h] + 1 for h in _typed_halves(assessment)]
    assert assessment.figure_id is not None  # an Assessment refuses masks without one
    shown = {}
    for view, mask in assessment.masks.items():
        height, width = mask.shape
        labels = label_image(assessment.figure_id, view, width, height)
        shown[view] = mask & ~np.isin(labels, typed) if typed else mask
    return shown


def _legend_style(entry: LegendEntry) -> dict[str, Any]:
    """The look of one kind of layer: drawn on the figures and as its legend swatch."""
    from ..diagram.svg import TINT

    if entry.kind == "zone":
        return {"style": "solid", "color": _ZONE_COLOURS[entry.index % len(_ZONE_COLOURS)]}
    if entry.kind == "affected":
        return {"style": "outlined", "color": _AFFECTED_COLOUR, "hatch": _AFFECTED_HATCH}
    if entry.kind == "avoid":
        return {"style": "hatched", "color": _AVOID_COLOUR,
                "hatch": _AVOID_HATCHES[entry.index % len(_AVOID_HATCHES)]}
    return {"style": "solid", "color": TINT}


def _drawn_layers(ev: Evaluation, figure_id: str, view: str):
    """The layers of one view, in drawing order: affected skin not treated, the area to
    treat (each zone of a plan in its colour), the do-not-apply areas."""
    from ..diagram.masks import label_image
    from ..diagram.picture import DrawnLayer

    layers = ev.assessment.layers()
    labels = None

    def drawn(cov, entry: LegendEntry) -> DrawnLayer:
        nonlocal labels
        mask = None
        if cov.masks:
            if labels is None:
                height, width = next(iter(cov.masks.values())).shape
                labels = {v: label_image(figure_id, v, width, height) for v in cov.masks}
            mask = cov.pixel_masks(labels).get(view)
        return DrawnLayer(fills=cov.share_fills(), mask=mask, **_legend_style(entry))

    out = [drawn(layers.affected_untreated, LegendEntry("affected", ""))]
    if ev.plan is None:
        out.append(drawn(layers.treated, LegendEntry("apply", "")))
    else:
        covs = [*layers.zones, *([layers.unzoned] if any(z.unzoned for z in ev.plan.zones)
                                 else [])]
        for i, (z, cov) in enumerate(zip(ev.plan.zones, covs, strict=True)):
            out.append(drawn(cov, LegendEntry("apply" if z.unzoned else "zone", "", i)))
    out.extend(drawn(cov, LegendEntry("avoid", "", i)) for i, cov in enumerate(layers.avoid))
    return out


def draw_marked_view(ax, assessment: Assessment, view: str, *, font_size: float = 8.0,
                     half_labels: dict[str, str] | None = None,
                     evaluation: Evaluation | None = None) -> None:
    """Draw one view of an assessment's figure with the areas to treat shaded.

    Painted pixels are drawn as painted; typed shares tint their halves (and replace the
    painting there). Each treated half carries its share of the body surface. [%] With
    layers of marks: the area to treat solid (each zone of a plan in its colour), the
    affected skin not treated with this cream outlined and lightly hatched, each
    do-not-apply area densely hatched (see the map's legend).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    assessment : Assessment
    view : {"front", "back"}
    font_size : float
        Largest label size. [points]
    half_labels : dict of str to str, optional
        The text written on each marked half (default: its contribution, from
        :func:`bsa.evaluate`).
    evaluation : Evaluation, optional
        The assessment's evaluation, if already made.
    """
    from ..diagram.geometry import figure_for_age
    from ..diagram.picture import draw_view

    if half_labels is None or (evaluation is None and assessment.has_layers):
        evaluation = evaluation or evaluate(assessment)
        if half_labels is None:
            half_labels = {p: format_percent(v)
                           for p, v in evaluation.estimate.by_half.items() if v > 0}
    figure_id = assessment.figure_id or figure_for_age(assessment.age_years)
    if assessment.has_layers:
        assert evaluation is not None  # made above for an assessment with layers
        draw_view(ax, figure_id, view, labels=half_labels, font_size=font_size,
                  layers=_drawn_layers(evaluation, figure_id, view))
        return
    draw_view(ax, figure_id, view, fills=_typed_halves(assessment),
              masks=_shown_masks(assessment), labels=half_labels, font_size=font_size)


# ---------------------------------------------------------------------------- text


@lru_cache(maxsize=4096)
def _width_in(text: str, size: float, bold: bool) -> float:
    """The printed width of one line of text, from the font's outline metrics. [inches]

    The same metrics the PDF uses; PNG output is drawn without hinting (see
    :data:`_TEXT_RC`), so it has the same widths at every resolution.
    """
    from matplotlib.font_manager import FontProperties

    register_fonts()
    prop = FontProperties(family=list(FAMILY), size=size, weight="bold" if bold else "normal")
    width, _height, _descent = _text_to_path().get_text_width_height_descent(text, prop,
                                                                             ismath=False)
    return width / 72.0


@lru_cache(maxsize=1)
def _text_to_path():
    from matplotlib.textpath import TextToPath

    return TextToPath()


def wrap(text: str, width_in: float, size: float, bold: bool = False) -> list[str]:
    """Break text into lines no wider than ``width_in`` inches, measuring each line.

    A word longer than a whole line is broken inside the word.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            trial = f"{line} {word}" if line else word
            if _width_in(trial, size, bold) <= width_in:
                line = trial
                continue
            if line:
                lines.append(line)
            while _width_in(word, size, bold) > width_in and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and _width_in(word[:cut], size, bold) > width_in:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines or [""]


def _line_height(size: float) -> float:
    return size * _spacing() / 72


class _Page:
    """A matplotlib Figure addressed in inches from the top-left corner."""

    def __init__(self, paper: str, scale: float = 1.0) -> None:
        self.scale = scale  # every text size is multiplied by it
        from matplotlib.figure import Figure

        self.paper = paper
        self.width, self.height = PAPER_SIZES[paper]
        self.fig = Figure(figsize=(self.width, self.height))
        self.fig.patch.set_facecolor("white")
        self.right = self.width - _MARGIN

    def xy(self, x: float, y: float) -> tuple[float, float]:
        return x / self.width, 1 - y / self.height

    def text(self, x: float, y: float, s: str, size: float = 9.0, **kw: Any) -> None:
        kw.setdefault("color", _INK)
        kw.setdefault("va", "top")
        kw.setdefault("fontfamily", list(FAMILY))
        self.fig.text(*self.xy(x, y), s, fontsize=size * self.scale, parse_math=False, **kw)

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


def _paragraph(page: _Page, x: float, y: float, text: str, width: float, size: float,
               **kw: Any) -> float:
    """Write wrapped text; return the y below it."""
    lines = wrap(text, width, size * page.scale, kw.get("fontweight") == "bold")
    page.text(x, y, "\n".join(lines), size, linespacing=_spacing(), **kw)
    return y + len(lines) * _line_height(size * page.scale)


def _map_line(page: _Page, x: float, y: float, line: MapLine, width: float,
              size: float, **kw: Any) -> float:
    if line.bold:
        kw["fontweight"] = "bold"
    if line.bullet:
        page.text(x, y + 0.03, "\u2022", size)
        return _paragraph(page, x + 0.12, y + 0.03, line.text, width - 0.12, size, **kw)
    return _paragraph(page, x, y + 0.04, line.text, width, size, **kw)


def _bullets(page: _Page, x: float, y: float, items: tuple[str, ...], width: float,
             size: float, bullet: str = "\u2610") -> float:
    for item in items:
        page.text(x, y + 0.015, bullet, size + 1)
        y = _paragraph(page, x + 0.22, y, item, width - 0.22, size) + 0.03
    return y


def _two_columns(page: _Page, y: float, items: tuple[str, ...], width: float,
                 size: float) -> float:
    """Bulleted items in two columns, the first filled until it is about half the height;
    returns the y below the longer column."""
    col_w = (width - 0.25) / 2
    heights = [len(wrap(i, col_w - 0.22, size * page.scale)) * _line_height(size * page.scale)
               + 0.03 for i in items]
    split, total, done = len(items), sum(heights), 0.0
    for k, h in enumerate(heights):
        if done + h / 2 > total / 2:
            split = k
            break
        done += h
    left = _bullets(page, _MARGIN, y, items[:split], col_w, size)
    right = _bullets(page, _MARGIN + col_w + 0.25, y, items[split:], col_w, size)
    return max(left, right)


# ---------------------------------------------------------------------------- sections


def _header(page: _Page, c: MapContent, y: float) -> float:
    page.text(_MARGIN, y, c.title, 16, fontweight="bold")
    page.text(page.right, y + 0.02, c.date_text, 11, ha="right")
    y += 0.45
    patient, clinician = _("Patient (initials or pseudonym):"), _("Clinician:")
    page.text(_MARGIN, y, patient, 9, color=_GREY)
    # The lines to write on start after the words (Bengali words are wider).
    start = max(2.15, _width_in(patient, 9 * page.scale, False) + 0.1)
    page.line(_MARGIN + start, y + 0.16, _MARGIN + 3.55, y + 0.16)
    page.text(_MARGIN + 3.75, y, clinician, 9, color=_GREY)
    start = max(0.7, _width_in(clinician, 9 * page.scale, False) + 0.1)
    page.line(_MARGIN + 3.75 + start, y + 0.16, page.right, y + 0.16)
    return y + 0.38


def _summary(page: _Page, c: MapContent, y: float) -> float:
    page.text(_MARGIN, y - 0.04, c.total_text, 34, fontweight="bold")
    page.text(_MARGIN, y + 0.55, c.total_caption, 10)
    left_y = y + 0.78
    if c.range_text:
        left_y = _paragraph(page, _MARGIN, left_y, c.range_text, 2.15, 7.5,
                            fontweight="bold" if c.range_depends else "normal") + 0.04
    left_y = _paragraph(page, _MARGIN, left_y, c.chart_line, 2.15, 7.5, color=_GREY)
    x = _MARGIN + 2.35
    width = page.right - x
    # The layers' line goes on the side where the summary ends higher.
    dry = _Measure(page.paper, page.scale)
    right_y = y
    for line in (c.headline, *c.rule_lines):
        right_y = _paragraph(dry, x, right_y + 0.02, line, width, 8.5)
    on_left = c.layer_lines and (_stack(dry, c.layer_lines, _MARGIN, left_y, 2.15, 7.5)
                                 < _stack(dry, c.layer_lines, x, right_y, width, 8.5))
    if on_left:
        left_y = _stack(page, c.layer_lines, _MARGIN, left_y, 2.15, 7.5)
    y = _paragraph(page, x, y, c.headline, width, 11, fontweight="bold")
    for line in (*(() if on_left else c.layer_lines), *c.rule_lines):
        y = _paragraph(page, x, y + 0.02, line, width, 8.5)
    if c.gauge is not None:
        y = _gauge(page, c.gauge, x, y + 0.2, width)  # room above the bar for the marker
    return max(y, left_y) + 0.12


def _stack(page: _Page, lines: tuple[str, ...], x: float, y: float, width: float,
           size: float) -> float:
    for line in lines:
        y = _paragraph(page, x, y + 0.04, line, width, size)
    return y


def _gauge(page: _Page, g: GaugeContent, x: float, y: float, width: float) -> float:
    """A bar of the total against the limit; the state is written, not only coloured.

    Under the bar, a band from the lowest to the highest total under the charts that apply.
    """
    limit, total = g.limit, g.total
    scale_max = max(1.5 * limit, 1.1 * total, 1.1 * (g.high or 0.0))
    by_chart = (None if g.low is None or g.high is None else
                _("by chart: {low}\u2013{high}%").format(low=format_percent(g.low),
                                                        high=format_percent(g.high)))
    words = max(_width_in(g.state_words, 9.5 * page.scale, True),
                0.0 if by_chart is None else _width_in(by_chart, 8 * page.scale, False))
    bar_w = width - words - 0.15
    h = 0.16

    def at(v: float) -> float:
        return x + bar_w * min(v, scale_max) / scale_max

    page.rect(x, y, at(g.near_from) - x, h, facecolor="#eeeeee", edgecolor="none")
    page.rect(at(g.near_from), y, at(limit) - at(g.near_from), h,
              facecolor="#f6d7a7", edgecolor="none", hatch="///")
    page.rect(at(limit), y, at(scale_max) - at(limit), h, facecolor="#e8a0a0",
              edgecolor="none", hatch="xxx")
    page.rect(x, y, bar_w, h, edgecolor=_GREY)
    page.line(at(limit), y - 0.05, at(limit), y + h + 0.05, color=_INK, linewidth=1.4)
    page.text(at(limit), y + h + 0.06, _("limit {limit}%").format(limit=num(limit, "g")), 7.5,
              ha="center")
    page.text(x, y + h + 0.06, num(0), 7.5, ha="left", color=_GREY)
    page.fig.add_artist(_triangle(page, at(total), y - 0.01))
    page.text(x + bar_w + 0.12, y - 0.02, g.state_words, 9.5, fontweight="bold")
    if g.low is None or g.high is None:
        return y + h + 0.22
    assert by_chart is not None  # written whenever both ends of the band are given
    band_y = y + h + 0.24
    x0, x1 = at(g.low), max(at(g.high), at(g.low) + 0.02)  # a single value still shows
    page.rect(x0, band_y, x1 - x0, 0.07, facecolor=_GREY, edgecolor=_INK, linewidth=0.6)
    page.text(x + bar_w + 0.12, band_y - 0.06, by_chart, 8)
    return band_y + 0.07 + 0.16


def _triangle(page: _Page, x: float, y: float):
    from matplotlib.patches import Polygon

    pts = [page.xy(x, y), page.xy(x - 0.07, y - 0.13), page.xy(x + 0.07, y - 0.13)]
    return Polygon(pts, closed=True, transform=page.fig.transFigure, facecolor=_INK,
                   edgecolor="white", linewidth=0.6, zorder=5)


def _legend_rows(c: MapContent, width: float, scale: float):
    """The legend's rows (up to three entries side by side), each entry with its wrapped
    lines, and the width of a column. [inches]"""
    n = max(1, min(3, len(c.legend), int(width // 2.1)))
    col_w = (width - 0.15 * (n - 1)) / n
    size = _LEGEND_SIZE * scale
    entries = [(e, wrap(e.text, col_w - 0.35, size)) for e in c.legend]
    return [entries[i:i + n] for i in range(0, len(entries), n)], col_w


def _legend(page: _Page, c: MapContent, x: float, y: float, width: float) -> float:
    """Each layer's swatch, drawn as on the figures, and what it means; returns the y below."""
    if not c.legend:
        return y
    rows, col_w = _legend_rows(c, width, page.scale)
    line = _line_height(_LEGEND_SIZE * page.scale)
    for row in rows:
        for i, (entry, lines) in enumerate(row):
            left = x + i * (col_w + 0.15)
            look = _legend_style(entry)
            kw: dict[str, Any] = {"edgecolor": look["color"], "linewidth": 0.7}
            if look["style"] == "solid":
                kw.update(facecolor=look["color"], alpha=0.6, edgecolor="none")
            elif look["style"] == "outlined":
                kw.update(facecolor="none", hatch=look["hatch"], hatchcolor=look["color"],
                          linestyle="--")
            else:
                kw.update(facecolor="white", hatch=look["hatch"], hatchcolor=look["color"])
            page.rect(left, y + 0.01, 0.25, 0.12, **kw)
            page.text(left + 0.35, y, "\n".join(lines), _LEGEND_SIZE,
                      linespacing=_spacing())
        y += max(len(lines) for _entry, lines in row) * line + 0.05
    return y + 0.05


def _figures(page: _Page, c: MapContent, ev: Evaluation, x: float, y: float,
             width: float, height: float) -> None:
    gap = 0.12
    w = (width - gap) / 2
    for i, view in enumerate(("front", "back")):
        left = x + i * (w + gap)
        ax = page.axes(left, y + 0.5, w, height - 0.5)
        draw_marked_view(ax, ev.assessment, view, font_size=8, half_labels=c.half_labels,
                         evaluation=ev)
        title = pgettext("view", "Front") if view == "front" else pgettext("view", "Back")
        where = (_("patient's right\non your left") if view == "front"
                 else _("patient's right\non your right"))
        page.text(left + w / 2, y, title, 10, ha="center", fontweight="bold")
        page.text(left + w / 2, y + 0.18, where, 7, ha="center", color=_GREY, linespacing=1.1)


def _areas(page: _Page, c: MapContent, x: float, y: float, width: float,
           max_rows: int = 10) -> float:
    page.text(x, y, _("Areas to treat"), 10.5, fontweight="bold")
    y += 0.22
    rows = c.areas
    if not rows:
        y = _paragraph(page, x, y, _("No area is marked."), width, 8.5)
    shown = rows if len(rows) <= max_rows else rows[:max_rows - 1]
    for label, share, value in shown:
        page.text(x, y, label, 8.5)
        page.text(x + width - 0.62, y, share, 8.5, ha="right", color=_GREY)
        page.text(x + width, y, value, 8.5, ha="right")
        y += _line_height(8.5 * page.scale)
    if len(rows) > len(shown):
        # Python reads Bengali digits as digits: float("১২.৫") == 12.5
        rest = sum(float(v.rstrip("%")) for _label, _share, v in rows[len(shown):])
        page.text(x, y, _("and {n} more areas").format(n=num(len(rows) - len(shown))), 8.5,
                  color=_GREY)
        page.text(x + width, y, f"{format_percent(rest)}%", 8.5, ha="right")
        y += _line_height(8.5 * page.scale)
    if c.avoid_rows:
        y += 0.1
        page.text(x, y, _("Do not apply (never part of the area to treat)"), 10.5,
                  fontweight="bold")
        y += 0.22
        for reason, where, value in c.avoid_rows:
            page.text(x + width, y, value, 8.5, ha="right")
            y = _paragraph(page, x, y, _("{reason}: {where}").format(reason=reason, where=where),
                           width - 0.62, 8.5) + 0.03
    return y


def _plan(page: _Page, c: MapContent, x: float, y: float, width: float) -> float:
    """The plan's days in words, then what it means against the label."""
    if not c.plan_lines:
        return y
    page.text(x, y, _("When to apply this cream (the doctor's plan)"), 10.5, fontweight="bold")
    y += 0.2
    for line in c.plan_lines:
        y = _map_line(page, x, y, line, width, 8.0)
    return y + 0.1


def _amount(page: _Page, c: MapContent, x: float, y: float, width: float) -> float:
    page.text(x, y, _("Amount of cream (estimate)"), 10.5, fontweight="bold")
    y += 0.18
    for i, line in enumerate(c.amount):
        last = i == len(c.amount) - 1
        y = _map_line(page, x, y, line, width, 7.5 if last else 8.5,
                      **({"color": _GREY} if last else {}))
    return y


def _notes_box(page: _Page, c: MapContent, y: float, height: float) -> float:
    page.text(_MARGIN, y, _("Notes"), 10.5, fontweight="bold")
    y += 0.2
    w = page.right - _MARGIN
    page.rect(_MARGIN, y, w, height - 0.2)
    notes = c.notes.strip()
    inner_y = y + 0.08
    if notes:
        size = 8.5 * page.scale
        lines = wrap(" ".join(notes.split()), w - 0.2, size)
        room = max(1, int((height - 0.35) / _line_height(size)))
        if len(lines) > room:
            lines = lines[: room - 1] + [lines[room - 1][:-3] + "..."]
        page.text(_MARGIN + 0.1, inner_y, "\n".join(lines), 8.5, linespacing=_spacing())
        inner_y += len(lines) * _line_height(size)
    line_y = inner_y + 0.22
    while line_y < y + height - 0.28:
        page.line(_MARGIN + 0.1, line_y, page.right - 0.1, line_y, color="#cccccc")
        line_y += 0.24
    return y + height - 0.2


def _footer_lines(c: MapContent, width: float, scale: float) -> list[tuple[str, float, str, bool]]:
    lines: list[tuple[str, float, str, bool]] = []
    for line in c.footer:
        size, colour = (8, _INK) if line.bold else (6.5, _GREY)
        lines.extend((t, size, colour, line.bold)
                     for t in wrap(line.text, width, size * scale, line.bold))
    return lines


# ---------------------------------------------------------------------------- public


def _check_paper(paper: Any) -> str:
    key = paper.lower() if isinstance(paper, str) else paper
    if not isinstance(key, str) or key not in PAPER_SIZES:
        raise BSAInputError(
            _("unknown paper size {paper}; valid sizes are: {valid}").format(
                paper=repr(paper), valid=", ".join(PAPER_SIZES)))
    return key


def _check_date(day: Any) -> date_type:
    if day is None:
        return date_type.today()
    if isinstance(day, str):
        try:
            return date_type.fromisoformat(day.strip())
        except ValueError:
            raise BSAInputError(_("date {day} is not a date; write it as YYYY-MM-DD").format(
                day=repr(day))) from None
    if isinstance(day, date_type):
        return day if type(day) is date_type else date_type(day.year, day.month, day.day)
    raise BSAInputError(f"date must be a date or YYYY-MM-DD text, got {day!r}")


def _evaluation(visit: Assessment | Evaluation) -> Evaluation:
    if isinstance(visit, Evaluation):
        return visit
    if isinstance(visit, Assessment):
        return evaluate(visit)
    raise BSAInputError(f"expected an Assessment or an Evaluation, got {type(visit).__name__}")


def _map_evaluation(visit: Assessment | Evaluation, lang: str | None,
                    digits: str | None) -> Evaluation:
    """The visit evaluated in the map's language and digits (re-evaluated if an evaluation
    in other words is given). Default: the evaluation's language (or the current one for
    an assessment) and the digits of print in it (:func:`bsa.i18n.default_digits`)."""
    if not isinstance(visit, (Assessment, Evaluation)):
        _evaluation(visit)  # raises naming what was given
    if lang is None:
        lang = visit.language if isinstance(visit, Evaluation) else current_language()
    lang = check_language(lang)
    digits = default_digits(lang, "print") if digits is None else check_digits(digits)
    if isinstance(visit, Evaluation):
        if (visit.language, visit.digits) == (lang, digits):
            return visit
        return evaluate(visit.assessment, near_fraction=visit.near_fraction, lang=lang,
                        digits=digits)
    return evaluate(visit, lang=lang, digits=digits)


def report_figure(visit: Assessment | Evaluation, *, paper: str = "a4", date: Any = None,
                  lang: str | None = None, digits: str | None = None):
    """Draw the application map on one page.

    Parameters
    ----------
    visit : Assessment or Evaluation
        The visit (evaluated with :func:`bsa.evaluate` if an assessment is given).
    paper : {"a4", "letter"}
        Portrait A4 (210 x 297 mm) or US Letter (8.5 x 11 in).
    date : date or str (YYYY-MM-DD), optional
        Printed on the map; default today.
    lang : str, optional
        The map's language (``"en"``, ``"bn"``); default the evaluation's (or, for an
        assessment, the current language, :mod:`bsa.i18n`).
    digits : {"latin", "bengali"}, optional
        Default: Bengali digits on a Bengali map, Latin on an English one
        (:func:`bsa.i18n.default_digits` for print).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    BSAInputError
        For an unknown paper size, a bad date, an unknown language or digits, or anything
        the core refuses.
    """
    paper = _check_paper(paper)
    day = _check_date(date)
    ev = _map_evaluation(visit, lang, digits)
    c = map_content(ev, day)
    register_fonts()
    with language(c.language, c.digits):
        for scale in _TEXT_SCALES_BY_LANGUAGE.get(c.language, _TEXT_SCALES):
            # a long map is set a little smaller rather than refused
            try:
                return _lay_out(c, ev, paper, scale)
            except _NoRoom:
                continue
        raise BSAInputError(_("the map's text does not fit on one page, even in smaller "
                              "type"))


class _NoRoom(Exception):
    """The content does not fit on the page at this text size."""



def _beside_figures(c: MapContent, paper: str, scale: float, fig_height: float):
    """The figures' width and the column beside them: (figures' width, column x, column
    width, areas listed, column height). [inches]"""
    full = PAPER_SIZES[paper][0] - 2 * _MARGIN
    # Each view is about half as wide as it is tall (its frame, plus the titles).
    fig_width = min(2 * 0.5 * (fig_height - 0.42) + 0.12, 0.6 * full)
    col_x = _MARGIN + fig_width + 0.25
    col_w = PAPER_SIZES[paper][0] - _MARGIN - col_x
    dry = _Measure(paper, scale)
    for max_rows in range(10, 2, -1):  # list fewer areas (the rest summed) until it fits
        col_height = _amount(dry, c, col_x, _areas(dry, c, col_x, 0.0, col_w, max_rows) + 0.2,
                             col_w)
        if col_height <= fig_height + 0.3:
            break
    return fig_width, col_x, col_w, max_rows, col_height


def _lay_out(c: MapContent, ev: Evaluation, paper: str, scale: float):
    page = _Page(paper, scale)
    full = page.right - _MARGIN

    # Text blocks are measured first; the figures take the height that is left.
    questions = (*c.cautions, *c.questions)
    q_size = _Q_SIZE * scale
    q_height = 0.24 + sum(len(wrap(q, full - 0.22, q_size)) * _line_height(q_size) + 0.03
                          for q in questions)
    if c.plan_lines:  # a plan written out: the questions in two columns, to leave room
        q_height = 0.24 + _two_columns(_Measure(paper, scale), 0.0, questions, full, _Q_SIZE)
    footer = _footer_lines(c, full, scale)
    footer_height = sum(_line_height(size * scale) for _text, size, _colour, _bold in footer)
    dry = _Measure(paper, scale)
    plan_height = _plan(dry, c, _MARGIN, _legend(dry, c, _MARGIN, 0.0, full), full)

    y = _header(page, c, _MARGIN)
    y = _summary(page, c, y)
    page.line(_MARGIN, y - 0.06, page.right, y - 0.06, color="#dddddd")
    bottom = page.height - _MARGIN - footer_height - 0.12
    min_notes = _MIN_NOTES_WITH_PLAN if c.plan_lines else _MIN_NOTES
    fig_height = min(bottom - y - q_height - plan_height - min_notes - 0.25, 5.0)
    fig_width, col_x, col_w, max_rows, col_height = _beside_figures(c, paper, scale,
                                                                     fig_height)
    if c.plan_lines and col_height > fig_height:
        # A plan's text below needs the room it was given: the figures make way for a
        # column longer than they are.
        fig_height -= col_height - fig_height
        fig_width, col_x, col_w, max_rows, col_height = _beside_figures(c, paper, scale,
                                                                         fig_height)
    if (fig_height < (_MIN_FIGURE_WITH_PLAN if c.plan_lines else _MIN_FIGURE)
            or col_height > fig_height + 0.3):
        raise _NoRoom
    _figures(page, c, ev, _MARGIN, y + 0.04, fig_width, fig_height)
    col_y = _areas(page, c, col_x, y + 0.04, col_w, max_rows)
    col_y = _amount(page, c, col_x, col_y + 0.2, col_w)
    y = max(y + fig_height, col_y) + 0.12
    y = _legend(page, c, _MARGIN, y, full)
    page.line(_MARGIN, y - 0.06, page.right, y - 0.06, color="#dddddd")
    if c.plan_lines:
        y = _plan(page, c, _MARGIN, y, full)
        page.line(_MARGIN, y - 0.06, page.right, y - 0.06, color="#dddddd")

    page.text(_MARGIN, y, _("To confirm with the doctor"), 10.5, fontweight="bold")
    if c.plan_lines:
        y = _two_columns(page, y + 0.24, questions, full, _Q_SIZE) + 0.08
    else:
        y = _bullets(page, _MARGIN, y + 0.24, questions, full, _Q_SIZE) + 0.08
    if bottom - y < (min_notes - 0.3 if not c.plan_lines else 0.5):  # a line of notes
        raise _NoRoom
    if c.notes.strip() and bottom - y - 0.2 < 0.08 + _line_height(8.5 * scale) + 0.04:
        raise _NoRoom  # the box would not hold one line of the notes written in it
    _notes_box(page, c, y, bottom - y)

    y = page.height - _MARGIN - footer_height
    for text, size, color, bold in footer:
        page.text(_MARGIN, y, text, size, color=color,
                  fontweight="bold" if bold else "normal")
        y += _line_height(size * scale)
    return page.fig


def render_report(visit: Assessment | Evaluation, output: str | os.PathLike = "pdf", *,
                  paper: str = "a4", date: Any = None, dpi: float = 150,
                  lang: str | None = None, digits: str | None = None) -> bytes:
    """Render the application map as PDF or PNG bytes, and write it if given a path.

    Parameters
    ----------
    visit : Assessment or Evaluation
    output : str or path-like
        ``"pdf"`` or ``"png"`` for bytes only, or a file path ending in ``.pdf`` or ``.png``
        (the file is written too, whole or not at all).
    paper : {"a4", "letter"}
    date : date or str (YYYY-MM-DD), optional
        Printed on the map; default today.
    dpi : float
        Resolution of a PNG. [dots per inch]
    lang, digits : str, optional
        The map's language and digits, as in :func:`report_figure`.

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
                _("cannot write the map as {name}: the file name must end in {formats}").format(
                    # TRANSLATORS: between two file name endings: ".pdf or .png"
                    name=repr(path.name), formats=_(" or ").join(f".{f}" for f in REPORT_FORMATS))
            )
    figure = report_figure(visit, paper=paper, date=date, lang=lang, digits=digits)
    import matplotlib

    title = "Treatment area map"
    if lang is not None or isinstance(visit, Evaluation):
        chosen = lang if lang is not None else visit.language  # type: ignore[union-attr]
        with language(chosen):
            title = _(title)
    buf = io.BytesIO()
    # TrueType fonts embedded (not Type 3), so the PDF's text can be searched and copied.
    # rc_context changes global settings: one save at a time (the page serves many sessions).
    with _SAVE_LOCK, matplotlib.rc_context(_TEXT_RC):
        figure.savefig(
            buf, format=fmt, dpi=dpi,
            metadata={"Title": title, "Creator": "bsa"}
            if fmt == "pdf" else {"Software": "bsa"},
        )
    data = buf.getvalue()
    if path is not None:
        write_atomic(path, data, what=_("the map"))  # whole or not at all
    return data
