"""The panels under the figure, one module each; the page shows one at a time.

Each module has ``render(marked)``, drawing from the :class:`webapp.page.Marked` the page
computed (the assessment on screen and its one evaluation by :func:`bsa.evaluate`). The
records panel is :mod:`webapp.records`.
"""

from __future__ import annotations

from collections.abc import Callable

from .. import records
from . import breakdown, label, method, palm_count, plan, type_shares

__all__ = ["PANELS"]

#: Title -> the function that draws the panel, in the order of the panel row.
PANELS: dict[str, Callable] = {
    "Breakdown": breakdown.render,
    "Type shares": type_shares.render,
    "Treatment plan": plan.render,
    "Palm count": palm_count.render,
    "Label and questions": label.render,
    "How this is estimated": method.render,
    "Save, print, history": records.render,
}
