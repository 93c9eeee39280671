"""The panels under the figure, one module each; the page shows one at a time.

Each module has ``render(marked)``, drawing from the :class:`webapp.page.Marked` the page
computed (the assessment on screen and its one evaluation by :func:`bsa.evaluate`). The
records panel is :mod:`webapp.records`.
"""

from __future__ import annotations

from collections.abc import Callable

from .. import records
from ..words import N_
from . import breakdown, label, method, palm_count, plan, type_shares

__all__ = ["PANELS"]

#: Title -> the function that draws the panel, in the order of the panel row. The title is
#: the panel's id (``st.session_state["panel"]``) and its English name: the row shows
#: ``_(title)``, in the page's language.
PANELS: dict[str, Callable] = {
    # TRANSLATORS: names of the panels under the figure, shown in a row of buttons.
    N_("Breakdown"): breakdown.render,
    N_("Type shares"): type_shares.render,
    N_("Treatment plan"): plan.render,
    N_("Palm count"): palm_count.render,
    N_("Label and questions"): label.render,
    N_("How this is estimated"): method.render,
    N_("Save, print, history"): records.render,
}
