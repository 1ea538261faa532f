"""Sign-in (issue #27): Streamlit's ``st.login`` against the OIDC provider in ``.streamlit/secrets.toml``
``[auth]``, the signed-in user as a ``services.auth.Principal``, and the sidebar's "Logga in" / "Inloggad som
… (roll)" / "Logga ut". Without an ``[auth]`` section nothing here draws anything and everyone is the
anonymous reader: the app is the read-only viewer it always was.

The principal is made on the server from ``st.user`` (the identity cookie Streamlit signed with
``cookie_secret``) on every run; nothing the browser sends names a role. In tests ``AppTest.user`` seeds
``st.user`` and ``AppTest.secrets`` the ``[auth]`` section.
"""

from __future__ import annotations

import logging
import re

import streamlit as st

from components.strings import t
from services import auth
from services.auth import ANONYMOUS, Principal

log = logging.getLogger(__name__)

# What could make markup of a name or an address: emphasis, code, links, images, HTML, tables, maths.
_MARKDOWN = re.compile(r"([\\`*_\[\]<>|~$#!])")


def md_text(text: str, limit: int = 120) -> str:
    """Text from the provider (a name, an e-mail) or from a user as plain text inside markdown."""
    return _MARKDOWN.sub(r"\\\1", " ".join(str(text).split())[:limit])


def auth_configured() -> bool:
    """Whether ``secrets.toml`` has an ``[auth]`` section (sign-in is on)."""
    try:
        return bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)
    except Exception:  # an unreadable secrets file: sign-in off, as without one  # noqa: BLE001
        log.exception("secrets.toml cannot be read; sign-in is off")
        return False


def _roles_setting() -> str | None:
    try:
        section = st.secrets.get("roller", {})
        return str(section.get("fil")) if section and section.get("fil") else None
    except Exception:  # noqa: BLE001 - same as auth_configured
        return None


def current() -> Principal:
    """The user of this run: ANONYMOUS without sign-in, else the claims of ``st.user`` with their roles
    (the ``roles`` claim, else the roles file; a broken roles file gives no roles and a notice)."""
    if not auth_configured() or not st.user.get("is_logged_in", False):
        return ANONYMOUS
    claims = st.user.to_dict()
    roles_file = None
    if "roles" not in claims:
        path = auth.roles_file_path(_roles_setting())
        if path is not None:
            try:
                roles_file = auth.load_roles_file(path)
            except auth.RolesFileError as exc:
                log.error("roles file: %s", exc)
                st.session_state.setdefault("_notices", []).append(t("account_roles_file_error", message=str(exc)))
    return auth.principal_from_claims(claims, roles_file)


def sidebar(principal: Principal) -> None:
    """Logga in, or who is signed in with which role and Logga ut; nothing when sign-in is off."""
    if not auth_configured():
        return
    with st.sidebar, st.container(key="account"):
        if principal.signed_in:
            st.markdown(t("account_signed_in", who=md_text(principal.who), role=md_text(principal.role_label)))
            if st.button(t("account_logout"), key="account_logout"):
                st.logout()
        elif st.button(t("account_login"), key="account_login", help=t("account_login_help")):
            st.login()
