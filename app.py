"""The page: mark affected skin on the body figures and see the total against a label limit.

Run with ``streamlit run app.py``. The page is thin: widgets and rendering live in
``webapp/``; every number comes from the ``bsa`` package. The page speaks English or
Bengali (``?lang=bn``, or the switch at its top): see ``webapp/words.py``.
"""

import streamlit as st

from bsa.errors import BSAInputError
from webapp import page, state, words
from webapp.inputs import sidebar_inputs
from webapp.text import say
from webapp.words import _

st.set_page_config(
    page_title="Affected body surface",
    # No page_icon: an emoji or material icon favicon is fetched from a CDN.
    layout="wide",
    initial_sidebar_state="auto",
)

state.init_state()
words.choose_language()
pending = st.session_state.pop("pending_load", None)
file_language = st.session_state.pop("pending_language", None)
refused = None
if pending is not None:
    with words.speaking():
        try:
            state.apply_assessment(pending)  # all or nothing: checked before anything changes
            # It came from a file or the history: leaving the page loses nothing of it.
            state.mark_kept(state.fingerprint(state.current_assessment()))
        except BSAInputError as exc:
            refused = exc
    if refused is None and file_language is not None:
        words.set_page_language(file_language)  # the language the file was saved in

with words.speaking():
    words.language_switch()
    page.render_header()
    if refused is not None:
        say(_("The loaded assessment could not be shown, and nothing on the page changed: "
              "{error}").format(error=refused), "error")
    try:
        sidebar_inputs()
    except BSAInputError as exc:
        say(str(exc), "error")
        st.stop()
    page.workspace()
