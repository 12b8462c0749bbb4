"""Who is working, and the registry store that says which role they have.

Who is working (:func:`principal`): in the embedded single-user mode the OS
user, an admin, with no login; in team mode (a database store, or
``CONTESTED_AUTH_MODE=team``) the identity a trusted proxy header or
Streamlit's OIDC login (``st.login``/``st.user``) vouches for, with its role
from the store's ``roles`` table or ``CONTESTED_ROLES``. Without one, the app
shows only the sign-in page (:func:`signed_in_or_public`). A name typed into
the app is never an identity. ``CONTESTED_READ_ONLY=1`` or ``--read-only``
(after ``streamlit run dashboard.py --``) is the public view: no sign-in, no
write path (the library refuses, the pages hide their forms).
"""

from __future__ import annotations

import os
import sys

import streamlit as st
from streamlit.runtime import get_instance
from streamlit.runtime.scriptrunner import get_script_run_ctx

from geo.auth import ENV_READ_ONLY, Principal, identity_from_headers, local_principal, role_for, team_mode
from geo.auth import read_only as read_only_mode
from geo.claims.store import default_store_location, is_database_url, open_store
from geo.errors import PermissionDenied
from geo.html import md_escape

#: Command-line flag (after ``streamlit run dashboard.py --``) for the read-only public view.
READ_ONLY_FLAG = "--read-only"


@st.cache_resource(show_spinner="Opening the claims registry…")
def store_at(location: str):
    """The registry store at ``location``, opened once per location and shared by sessions."""
    store = open_store(location)
    if team():
        store.accept_names = False  # team mode: only signed-in principals write
    return store


def location() -> str:
    """Where the registry lives (CONTESTED_DB_URL, CONTESTED_DATA_DIR or the default file)."""
    return default_store_location()


def store():
    """The registry store at :func:`location` (one per location, shared by sessions)."""
    return store_at(location())


def revision() -> int:
    """A number that changes whenever the registry changes."""
    return int(store().revision())


def team() -> bool:
    """Whether the app needs a signed-in identity (a shared database store, or ``CONTESTED_AUTH_MODE=team``)."""
    return team_mode(is_database_url(location()))


def apply_command_line(argv: list[str] | None = None) -> None:
    """``streamlit run dashboard.py -- --read-only`` turns on read-only mode for this server."""
    if READ_ONLY_FLAG in (sys.argv[1:] if argv is None else argv):
        os.environ[ENV_READ_ONLY] = "1"


@st.cache_data(ttl=30, show_spinner=False)
def _roles(loc: str, rev: int) -> dict[str, str]:
    return store_at(loc).roles()


def request_headers() -> dict[str, str]:
    """The headers of this session's request (empty when there is none, as under AppTest)."""
    try:
        return dict(st.context.headers or {})
    except Exception:  # noqa: BLE001 - no request context
        return {}


def request_ip() -> str | None:
    """The TCP peer of this session's websocket (the proxy's address, behind one).

    ``st.context.ip_address`` hides ``127.0.0.1``/``::1``, the usual address of
    a proxy on the same host, so the session's client context is read instead
    (Streamlit's own unforgeable peer address; pinned version).
    """
    try:
        ctx = get_script_run_ctx()
        client = get_instance().get_client(ctx.session_id) if ctx is not None else None
        peer = getattr(getattr(client, "client_context", None), "remote_ip", None)
        return peer or st.context.ip_address
    except Exception:  # noqa: BLE001 - no request context (AppTest, bare mode)
        return None


def oidc_identity() -> str | None:
    """The e-mail (else subject) of the user signed in with ``st.login``, or None."""
    try:
        if not st.user.is_logged_in:
            return None
        found = st.user.get("email") or st.user.get("sub")
    except Exception:  # noqa: BLE001 - no auth configured
        return None
    return str(found) if found else None


def oidc_configured() -> bool:
    """Whether ``.streamlit/secrets.toml`` has an ``[auth]`` section for ``st.login``."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file
        return False


def principal() -> Principal | None:
    """Who is working: see the module docstring; None in team mode before signing in."""
    if not team():
        return local_principal(os.environ.get("CONTESTED_USER", "").strip() or None)
    found = identity_from_headers(request_headers(), request_ip())
    source = "header"
    if found is None:
        found, source = oidc_identity(), "oidc"
    if found is None:
        return None
    return Principal(found, role_for(found, _roles(location(), revision())), source)


def user() -> Principal:
    """The principal every write of the pages runs as (the library checks its role)."""
    who = principal()
    if who is None:
        raise PermissionDenied("sign in to change the registry")
    return who


def signed_in_or_public() -> bool:
    """True if the page may be shown; in team mode without an identity, show the sign-in page instead."""
    if not team() or read_only_mode() or principal() is not None:
        return True
    st.title("Sign in to Contested Lines")
    st.write("This registry is shared by a desk: sign in so your changes carry your identity.")
    if oidc_configured():
        st.button("Sign in", key="auth_login", type="primary", on_click=st.login)
    else:
        st.info(
            "No sign-in is configured here. Ask whoever runs this desk for the address behind its "
            "sign-in proxy, or to configure OIDC in .streamlit/secrets.toml."
        )
    return False


def identity_caption() -> None:
    """The sidebar's line saying who is working (or that this is the public view)."""
    who = principal()
    if read_only_mode():
        st.caption("Public view: read-only.")
    elif who is not None:
        how = {"os": "this computer's user", "header": "signed in", "oidc": "signed in"}.get(who.source, who.source)
        st.caption(f"Working as **{md_escape(who.identity)}** ({md_escape(who.role)}; {md_escape(how)}).")
        if who.source == "oidc":
            st.button("Sign out", key="auth_logout", on_click=st.logout)
