"""Who may open the visit history: only a browser on the machine that serves the page.

The page has no login. Served on 127.0.0.1 (the default, ``.streamlit/config.toml``) only
this machine can reach it. Served to other devices in a clinic (``--server.address
0.0.0.0``), anyone on the network could otherwise list, export and delete every patient's
visits, so the history panel is switched off for a browser that does not connect from a
loopback address. Saving and printing the assessment on screen stay available everywhere.

The address is the TCP peer of the browser's WebSocket as Streamlit reports it
(:attr:`streamlit.context.ip_address`: None for a loopback connection). Behind a reverse
proxy on the same machine the peer is the proxy: when the proxy passes ``X-Forwarded-For``
the server (uvicorn, trusting it from 127.0.0.1 and ::1 only) reports the real client, and
the history stays off for remote browsers; when it does not, every browser looks local and
the proxy's own login is what protects the history (README, "Serving the page").
"""

from __future__ import annotations

import ipaddress

import streamlit as st

__all__ = ["client_address", "history_allowed", "is_loopback"]


def client_address() -> str | None:
    """The browser's address as Streamlit reports it (None for a loopback connection)."""
    return st.context.ip_address


def is_loopback(address: str | None) -> bool:
    """True for None (Streamlit's word for loopback) and any 127.0.0.0/8 or ::1 address.

    An IPv4 address mapped into IPv6 (``::ffff:127.0.0.1``, from a dual-stack socket) counts
    as what it maps; anything that does not parse is not loopback.
    """
    if address is None:
        return True
    if not isinstance(address, str):
        return False
    try:
        ip = ipaddress.ip_address(address.strip().split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return bool((mapped or ip).is_loopback)


def history_allowed() -> bool:
    """True when the browser connects from the serving machine itself."""
    return is_loopback(client_address())
