"""The printed application map: one page the patient takes home.

:mod:`.layout` draws it with matplotlib (imported lazily).
"""

from .layout import (
           DISCLAIMER,
           PAPER_SIZES,
           REPORT_FORMATS,
           draw_marked_view,
           render_report,
           report_figure,
)

__all__ = ["DISCLAIMER", "PAPER_SIZES", "REPORT_FORMATS", "draw_marked_view", "render_report",
           "report_figure"]
