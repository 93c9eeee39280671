"""Settings for the whole suite, and reading the page's messages in AppTest runs."""

import pytest
from hypothesis import HealthCheck, settings

# Tests run on slow, shared machines: no per-example time limit (speed is measured by the
# scripts under bench/, not by tests), and no health check on slow data generation.
settings.register_profile(
    "shared_machine", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("shared_machine")

def messages(at, kind: str | None = None) -> list[str]:
    """The text of the messages an AppTest run drew with :func:`webapp.text.say`.

    Also Streamlit's own ``st.error`` (and warning, success, info) of that kind, so a test
    reads every message of a kind in one list, whichever way it was drawn.
    """
    from webapp.text import read_said

    found = []
    for md in at.markdown:
        message = read_said(md.value)
        if message is not None and kind in (None, message[0]):
            found.append(message[1])
    if kind in ("error", "warning", "success", "info"):
        found.extend(e.value for e in getattr(at, kind))
    return found


@pytest.fixture
def said():
    """``said(at, kind)``: the messages of that kind on the page (see :func:`messages`)."""
    return messages
