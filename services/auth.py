"""Who the user is and what they may write: a Principal from the sign-in's claims, and the one guard every
write calls on the server (``require``).

Roles (issue #27): läsare; redaktör per municipality (e.g. 0181); åtgärdsansvarig per responsible body
(e.g. "Telge Bostäder AB"); administratör (everything). They come from the provider's ``roles`` claim when
the ID token carries one, otherwise from a roles file (TOML, ``deploy/roles.example.toml``) mapping a
user's subject or e-mail to roles. The ``groups`` claim is never read: it overflows Streamlit's identity
cookie and names directory groups, not this app's roles.

Pure logic: no Streamlit here (``components/account.py`` reads ``st.user`` and hands the claims in). Tests
sign in through ``AppTest.user`` (Streamlit 1.67 seeds ``st.user`` from it), so no test seam is needed.
"""

from __future__ import annotations

import logging
import os
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ROLES_FILE_ENV = "INDICATOR_ROLES_FILE"

READER, EDITOR, ACTION_OWNER, ADMIN = "läsare", "redaktör", "åtgärdsansvarig", "administratör"
ROLES = (READER, EDITOR, ACTION_OWNER, ADMIN)
# The ASCII spellings a provider's app roles can carry (Entra ID's role values allow no å, ä, ö).
_ALIASES = {"lasare": READER, "reader": READER, "redaktor": EDITOR, "editor": EDITOR,
            "atgardsansvarig": ACTION_OWNER, "action_owner": ACTION_OWNER,
            "administrator": ADMIN, "admin": ADMIN}
# What each scoped role is scoped to; läsare and administratör have no scope.
SCOPE_KIND = {EDITOR: "municipality", ACTION_OWNER: "body"}
_MUNICIPALITY = re.compile(r"\d{4}", re.ASCII)
MAX_BODY = 200


class RolesFileError(ValueError):
    """The roles file cannot be used; the message is Swedish and names the file and the entry."""


@dataclass(frozen=True)
class Grant:
    role: str
    scope: str | None = None  # a municipality id for redaktör, a body's name for åtgärdsansvarig


@dataclass(frozen=True)
class Principal:
    """A signed-in user (subject non-empty) or the anonymous visitor, with what they may do."""

    subject: str = ""
    email: str = ""
    name: str = ""
    grants: tuple[Grant, ...] = field(default=())

    @property
    def signed_in(self) -> bool:
        return bool(self.subject)

    @property
    def is_admin(self) -> bool:
        return any(g.role == ADMIN for g in self.grants)

    def has(self, role: str, scope: str | None = None) -> bool:
        """Whether the user holds ``role`` (for ``scope``, where the role is scoped); an administratör
        holds every role everywhere."""
        if not self.signed_in:
            return False
        if self.is_admin:
            return True
        return any(g.role == role and (scope is None or g.scope == scope) for g in self.grants)

    def scopes(self, role: str) -> tuple[str, ...]:
        """The municipalities (redaktör) or bodies (åtgärdsansvarig) the user holds ``role`` for."""
        return tuple(sorted({g.scope for g in self.grants if g.role == role and g.scope}))

    @property
    def role_label(self) -> str:
        """The roles in words, for the sidebar: "redaktör (0181)", "läsare"."""
        if not self.grants:
            return READER
        parts = []
        for role in ROLES:
            scopes = self.scopes(role)
            if scopes:
                parts.append(f"{role} ({', '.join(scopes)})")
            elif any(g.role == role for g in self.grants):
                parts.append(role)
        return ", ".join(parts)

    @property
    def who(self) -> str:
        return self.email or self.name or self.subject


ANONYMOUS = Principal()


def require(principal: Principal, role: str, *, kommun: str | None = None, organisation: str | None = None) -> None:
    """The guard every write calls before it changes anything: PermissionError with a Swedish message unless
    ``principal`` holds ``role`` for the municipality (redaktör) or body (åtgärdsansvarig) named."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    scope = kommun if role == EDITOR else organisation if role == ACTION_OWNER else None
    if role in SCOPE_KIND and scope is None:
        raise ValueError(f"{role} needs a scope")
    if not principal.signed_in:
        raise PermissionError("Du är inte inloggad. Logga in med ett konto som har rätt roll; inget har ändrats.")
    if principal.has(role, scope):
        return
    what = (f"rollen {role} för kommun {scope}" if role == EDITOR else
            f"rollen {role} för {scope}" if role == ACTION_OWNER else f"rollen {role}")
    log.warning("refused: %s lacks %s %s", principal.subject, role, scope or "")
    raise PermissionError(f"Du har inte behörighet: det här kräver {what}, och du är inloggad som "
                          f"{principal.role_label}. Inget har ändrats.")


def _role_name(raw: str) -> str | None:
    text = unicodedata.normalize("NFC", str(raw)).strip().lower()
    if text in ROLES:
        return text
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _ALIASES.get(plain)


def _claim_grants(values) -> tuple[Grant, ...]:
    """Grants from a ``roles`` claim: each value a role ("läsare", "administratör") or a role and its scope
    ("redaktör:0181", "redaktor:0181", "åtgärdsansvarig:Telge Bostäder AB"). Values that are not this app's
    roles are skipped (the claim may carry other applications' roles)."""
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list | tuple):
        return ()
    out = []
    for value in values:
        if not isinstance(value, str):
            continue
        head, _, scope = value.partition(":")
        role = _role_name(head)
        scope = " ".join(scope.split()) or None
        if role is None:
            log.info("roles claim: %r is not one of this app's roles", value)
            continue
        if role in SCOPE_KIND:
            if scope is None or not _valid_scope(role, scope):
                log.warning("roles claim: %r has no valid scope", value)
                continue
            out.append(Grant(role, scope))
        else:
            out.append(Grant(role))
    return tuple(dict.fromkeys(out))


def _valid_scope(role: str, scope: str) -> bool:
    if role == EDITOR:
        return bool(_MUNICIPALITY.fullmatch(scope))
    return 0 < len(scope) <= MAX_BODY and scope.isprintable()


def _ids(claims: Mapping) -> set[str]:
    """What a roles-file entry may name the user by: the subject, Entra's object id, the e-mail (any case)."""
    out = {str(claims[k]) for k in ("sub", "oid") if claims.get(k)}
    if claims.get("email"):
        out.add(str(claims["email"]).strip().lower())
    return out


def principal_from_claims(claims: Mapping, roles_file: RolesFile | None = None) -> Principal:
    """The user the claims (``st.user``) describe, with their grants: from the ``roles`` claim when present,
    else from ``roles_file``; never from ``groups``. No subject: the anonymous visitor."""
    if not claims or not claims.get("is_logged_in", True) or not claims.get("sub"):
        return ANONYMOUS
    subject = str(claims["sub"])
    if "roles" in claims:
        grants = _claim_grants(claims["roles"])
    elif roles_file is not None:
        grants = roles_file.grants_for(_ids(claims))
    else:
        grants = ()
    return Principal(subject=subject, email=str(claims.get("email") or ""), name=str(claims.get("name") or ""),
                     grants=grants)


@dataclass(frozen=True)
class RolesFile:
    """A parsed roles file: per user id (subject, object id or lower-case e-mail) its grants."""

    users: Mapping[str, tuple[Grant, ...]]

    def grants_for(self, ids: set[str]) -> tuple[Grant, ...]:
        out: list[Grant] = []
        for i in sorted(ids):
            out += self.users.get(i, ())
        return tuple(dict.fromkeys(out))


def parse_roles_file(text: str, name: str = "rollfilen") -> RolesFile:
    """A roles file's TOML (``[[user]]`` tables with ``id``, ``roles``, ``municipalities``, ``bodies``), or
    RolesFileError in Swedish naming the entry."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RolesFileError(f"{name} är inte giltig TOML: {exc}") from None
    entries = doc.get("user", [])
    unknown = sorted(set(doc) - {"user"})
    if unknown or not isinstance(entries, list):
        raise RolesFileError(f"{name}: bara [[user]]-poster är tillåtna (hittade {', '.join(unknown) or 'user'}).")
    users: dict[str, list[Grant]] = {}
    for k, e in enumerate(entries, start=1):
        where = f"{name}, post {k}"
        if not isinstance(e, dict) or not isinstance(e.get("id"), str) or not e["id"].strip():
            raise RolesFileError(f"{where}: id saknas (användarens sub eller e-postadress).")
        extra = sorted(set(e) - {"id", "roles", "municipalities", "bodies", "comment"})
        if extra:
            raise RolesFileError(f"{where} ({e['id']}): okända fält {', '.join(extra)}.")
        roles = e.get("roles", [])
        if not isinstance(roles, list) or not roles:
            raise RolesFileError(f"{where} ({e['id']}): roles ska vara en lista, t.ex. [\"redaktör\"].")
        munis = e.get("municipalities", [])
        bodies = e.get("bodies", [])
        grants: list[Grant] = []
        for raw in roles:
            role = _role_name(raw) if isinstance(raw, str) else None
            if role is None:
                raise RolesFileError(f"{where} ({e['id']}): okänd roll ”{raw}”; rollerna är {', '.join(ROLES)}.")
            if role == EDITOR:
                bad = [m for m in munis if not (isinstance(m, str) and _MUNICIPALITY.fullmatch(m))]
                if not munis or bad:
                    raise RolesFileError(f"{where} ({e['id']}): en redaktör behöver municipalities med "
                                         "fyrsiffriga kommunkoder som strängar, t.ex. [\"0181\"].")
                grants += [Grant(role, m) for m in munis]
            elif role == ACTION_OWNER:
                if not bodies or not all(isinstance(b, str) and _valid_scope(role, " ".join(b.split()))
                                         for b in bodies):
                    raise RolesFileError(f"{where} ({e['id']}): en åtgärdsansvarig behöver bodies, t.ex. "
                                         "[\"Telge Bostäder AB\"].")
                grants += [Grant(role, " ".join(b.split())) for b in bodies]
            else:
                grants.append(Grant(role))
        uid = e["id"].strip()
        key = uid.lower() if "@" in uid else uid
        users.setdefault(key, []).extend(grants)
    return RolesFile(users={k: tuple(dict.fromkeys(v)) for k, v in users.items()})


_ROLES_CACHE: dict[str, tuple[tuple[int, int], RolesFile]] = {}


def roles_file_path(setting: str | None) -> Path | None:
    """The roles file named by ``INDICATOR_ROLES_FILE`` or by the secrets' setting; relative paths from the
    project root; None when neither names one."""
    raw = os.environ.get(ROLES_FILE_ENV) or setting or ""
    if not raw.strip():
        return None
    path = Path(raw.strip())
    return path if path.is_absolute() else PROJECT_ROOT / path


def load_roles_file(path: Path) -> RolesFile:
    """The roles file at ``path``, read again whenever it changes; RolesFileError in Swedish if it cannot
    be used."""
    try:
        info = path.stat()
    except OSError:
        raise RolesFileError(f"Rollfilen {path} finns inte; ingen har någon roll förrän den finns.") from None
    stamp = (info.st_ino, info.st_mtime_ns)
    cached = _ROLES_CACHE.get(str(path))
    if cached and cached[0] == stamp:
        return cached[1]
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RolesFileError(f"Rollfilen {path} kan inte läsas ({exc.__class__.__name__}).") from None
    parsed = parse_roles_file(text, name=f"Rollfilen {path.name}")
    _ROLES_CACHE[str(path)] = (stamp, parsed)
    return parsed
