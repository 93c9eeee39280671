"""The printed application map: one page the patient takes home.

:mod:`.content` says what the map says (plain words and numbers from one
:func:`bsa.evaluate`, tested without drawing); :mod:`.layout` places them on paper with
matplotlib (imported lazily).
"""

from .content import DISCLAIMER, MapContent, map_content
from .layout import PAPER_SIZES, REPORT_FORMATS, draw_marked_view, render_report, report_figure

__all__ = ["DISCLAIMER", "PAPER_SIZES", "REPORT_FORMATS", "MapContent", "draw_marked_view",
           "map_content", "render_report", "report_figure"]
