"""Who is writing, and what they may do: principals, roles and the read-only switch.

Every write to the registry (claims, sources, lines, imports, migrations)
takes a :class:`Principal` and checks it with :func:`require` inside the
library, so a page that forgets to hide a button still cannot write.

* **Roles** rank ``viewer < editor < admin``: a viewer reads and exports; an
  editor also adds, edits (any claim, with the version check) and imports; an
  admin also deletes, restores, manages theatres and grants roles.
* **Embedded single-user mode** (the SQLite file) needs no login: the caller
  is :func:`local_principal`, an admin named after the OS user.
* **Team mode**: the app builds the principal from an authenticated identity
  (Streamlit's OIDC login or a trusted proxy header, see
  :func:`identity_from_headers`) and the role from the store's ``roles``
  table or the ``CONTESTED_ROLES`` mapping (:func:`role_for`). A name typed
  into a form is never an identity.
* **Read-only mode** (``CONTESTED_READ_ONLY=1``, or ``--read-only`` after
  ``streamlit run dashboard.py --``): :func:`require` refuses every write,
  whoever asks.

Examples
--------
>>> ana = Principal("ana@desk.example", Role.EDITOR, "oidc")
>>> require(ana, Action.EDIT).identity
'ana@desk.example'
>>> require(ana, Action.DELETE)
Traceback (most recent call last):
...
geo.errors.PermissionDenied: ana@desk.example (editor) may not delete: the admin role is needed
>>> parse_role_map("ana@desk.example=admin, bo=viewer")["bo"]
<Role.VIEWER: 'viewer'>
>>> identity_from_headers({"X-Forwarded-User": "ana"}, "10.0.0.5", trusted="10.0.0.0/8")
'ana'
>>> identity_from_headers({"X-Forwarded-User": "ana"}, "192.0.2.7", trusted="10.0.0.0/8") is None
True
"""

from __future__ import annotations

import getpass
import hashlib
import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from geo.errors import PermissionDenied, ValidationError
from geo.vocab import Vocabulary

#: Environment variable: any of ``1``, ``true``, ``yes``, ``on`` starts the app and CLI read-only.
ENV_READ_ONLY = "CONTESTED_READ_ONLY"
#: Environment variable: ``identity=role`` pairs separated by commas (roles besides the store's table).
ENV_ROLES = "CONTESTED_ROLES"
#: Environment variable: the role of an authenticated identity that no mapping names (default viewer).
ENV_DEFAULT_ROLE = "CONTESTED_DEFAULT_ROLE"
#: Environment variable: proxy addresses or networks whose identity header is believed.
ENV_TRUSTED_PROXIES = "CONTESTED_TRUSTED_PROXIES"
#: Environment variable: the header a trusted proxy puts the identity in (default: the two below).
ENV_IDENTITY_HEADER = "CONTESTED_IDENTITY_HEADER"
#: Headers read, in order, when ``CONTESTED_IDENTITY_HEADER`` is not set (oauth2-proxy sets both).
DEFAULT_IDENTITY_HEADERS = ("X-Forwarded-User", "X-Auth-Request-Email")
#: Environment variable: ``team`` forces login even for an embedded store (``auto``: team iff a database URL).
ENV_MODE = "CONTESTED_AUTH_MODE"

_TRUE = {"1", "true", "yes", "on"}


class Role(Vocabulary):
    """What a principal may do; each role may do everything the one before it may."""

    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        """0 for viewer, 1 for editor, 2 for admin."""
        return list(Role).index(self)


class Action(Vocabulary):
    """Operations checked by :func:`require`."""

    READ = "read"
    EXPORT = "export"
    ADD = "add"
    EDIT = "edit"
    IMPORT = "import"
    DELETE = "delete"
    RESTORE = "restore"
    MANAGE_THEATRES = "manage theatres"
    MANAGE_ROLES = "manage roles"
    MIGRATE = "migrate"


#: The least role each action needs.
NEEDS: dict[Action, Role] = {
    Action.READ: Role.VIEWER,
    Action.EXPORT: Role.VIEWER,
    Action.ADD: Role.EDITOR,
    Action.EDIT: Role.EDITOR,
    Action.IMPORT: Role.EDITOR,
    Action.DELETE: Role.ADMIN,
    Action.RESTORE: Role.ADMIN,
    Action.MANAGE_THEATRES: Role.ADMIN,
    Action.MANAGE_ROLES: Role.ADMIN,
    Action.MIGRATE: Role.ADMIN,
}
#: Actions that only read; every other action is refused in read-only mode.
READ_ACTIONS = frozenset({Action.READ, Action.EXPORT})


@dataclass(frozen=True)
class Principal:
    """An authenticated caller.

    Attributes
    ----------
    identity : str
        What the audit log records (an e-mail from OIDC or the proxy, an OS user name).
    role : Role
    source : str
        How the identity was established: ``os``, ``oidc``, ``header``, ``token``, ``caller``.
    """

    identity: str
    role: Role
    source: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "identity", check_identity(self.identity))
        object.__setattr__(self, "role", Role.parse(self.role, field="role"))

    def may(self, action: Action | str) -> bool:
        """Whether :func:`require` would let this principal do ``action`` (read-only mode included)."""
        try:
            require(self, action)
        except PermissionDenied:
            return False
        return True


def check_identity(identity: Any) -> str:
    """``identity`` stripped; refuse an empty, over-long or non-printable one.

    >>> check_identity(" ana ")
    'ana'
    """
    if not isinstance(identity, str) or not identity.strip():
        raise ValidationError("a user name is required for the audit log", field="user")
    identity = identity.strip()
    if len(identity) > 100 or any(ord(ch) < 32 or ord(ch) == 127 for ch in identity):
        raise ValidationError("must be at most 100 printable characters", field="user")
    return identity


def read_only(environ: Mapping[str, str] | None = None) -> bool:
    """Whether read-only mode is on (``CONTESTED_READ_ONLY``).

    >>> read_only({ENV_READ_ONLY: "1"}), read_only({})
    (True, False)
    """
    env = os.environ if environ is None else environ
    return env.get(ENV_READ_ONLY, "").strip().lower() in _TRUE


def require(principal: Principal | None, action: Action | str) -> Principal:
    """Return ``principal`` if it may do ``action``; else raise :class:`PermissionDenied`.

    Raises
    ------
    PermissionDenied
        In read-only mode for any write; without a principal; or when the
        principal's role ranks below what the action needs.
    """
    action = Action.parse(action, field="action")
    if action not in READ_ACTIONS and read_only():
        raise PermissionDenied(f"this registry is read-only ({ENV_READ_ONLY} is set): {action} is refused")
    if not isinstance(principal, Principal):
        raise PermissionDenied(f"{action} needs a signed-in user; sign in first")
    needed = NEEDS[action]
    if principal.role.rank < needed.rank:
        raise PermissionDenied(f"{principal.identity} ({principal.role}) may not {action}: the {needed} role is needed")
    return principal


def os_user() -> str:
    """The login name of this process (``cli`` if the system cannot tell)."""
    try:
        return getpass.getuser() or "cli"
    except (OSError, KeyError):
        return "cli"


def local_principal(name: str | None = None) -> Principal:
    """The embedded single-user mode's principal: an admin named ``name`` or the OS user."""
    return Principal(name or os_user(), Role.ADMIN, "os")


def as_principal(user: Principal | str | None, *, accept_names: bool = True) -> Principal:
    """The principal a store write runs as.

    A :class:`Principal` is used as it is. A plain name is what a library
    caller holding the store's own credentials passes (scripts, tests, the
    embedded store): it is taken as an admin with ``source="caller"`` unless
    the store was told to accept principals only (the app in team mode does).
    """
    if isinstance(user, Principal):
        return user
    if read_only():
        raise PermissionDenied(f"this registry is read-only ({ENV_READ_ONLY} is set); nothing was changed")
    if not accept_names:
        raise PermissionDenied("this registry takes writes from signed-in users only, not from a typed name")
    return Principal(check_identity(user), Role.ADMIN, "caller")


#: What every token :func:`new_token` makes starts with (so a leaked one is easy to recognise).
TOKEN_PREFIX = "ctl_"


def new_token() -> str:
    """A fresh command-line token: :data:`TOKEN_PREFIX` and 43 random URL-safe characters (256 bits)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """The SHA-256 (hex) a store keeps instead of ``token``; surrounding blanks are ignored.

    A token carries 256 random bits, so a plain hash is enough: there is no
    password to guess from it.

    >>> token_digest(" abc ") == token_digest("abc") != token_digest("abd")
    True
    """
    return hashlib.sha256(token.strip().encode("utf-8")).hexdigest()


def authorize(user: Principal | str | None, action: Action | str) -> Principal:
    """:func:`require` for a library write outside the store (theatres, lines, control maps, migrations).

    ``user`` is the caller's principal (a plain name is taken as by
    :func:`as_principal`); None means the embedded mode's :func:`local_principal`.
    Read-only mode refuses the write either way.
    """
    return require(as_principal(user) if user is not None else local_principal(), action)


def parse_role_map(text: str) -> dict[str, Role]:
    """``"ana=admin, bo@x.org=editor"`` as ``{identity: Role}``.

    Raises
    ------
    ValidationError
        Naming the pair that is not ``identity=role`` or names an unknown role.
    """
    roles: dict[str, Role] = {}
    for i, pair in enumerate(p for p in text.replace(";", ",").split(",") if p.strip()):
        identity, sep, role = pair.rpartition("=")
        if not sep or not identity.strip():
            raise ValidationError(f"{pair.strip()!r} is not identity=role", field=ENV_ROLES, row=i + 1)
        roles[check_identity(identity)] = Role.parse(role.strip(), field=ENV_ROLES)
    return roles


def default_role(environ: Mapping[str, str] | None = None) -> Role:
    """The role of a signed-in identity nobody granted one (``CONTESTED_DEFAULT_ROLE``, else viewer)."""
    env = os.environ if environ is None else environ
    text = env.get(ENV_DEFAULT_ROLE, "").strip()
    return Role.parse(text, field=ENV_DEFAULT_ROLE) if text else Role.VIEWER


def role_for(identity: str, stored: Mapping[str, str], environ: Mapping[str, str] | None = None) -> Role:
    """The role of ``identity``: the store's ``roles`` table first, then ``CONTESTED_ROLES``, then the default.

    >>> role_for("ana", {"ana": "editor"}, {ENV_ROLES: "ana=admin"})
    <Role.EDITOR: 'editor'>
    >>> role_for("bo", {}, {ENV_ROLES: "bo=admin"})
    <Role.ADMIN: 'admin'>
    >>> role_for("cy", {}, {})
    <Role.VIEWER: 'viewer'>
    """
    env = os.environ if environ is None else environ
    if identity in stored:
        return Role.parse(stored[identity], field="role")
    mapped = parse_role_map(env.get(ENV_ROLES, ""))
    if identity in mapped:
        return mapped[identity]
    return default_role(env)


def _networks(trusted: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    nets = []
    for item in trusted.replace(";", ",").split(","):
        if item.strip():
            try:
                nets.append(ipaddress.ip_network(item.strip(), strict=False))
            except ValueError:
                raise ValidationError(
                    f"{item.strip()!r} is not an address or network", field=ENV_TRUSTED_PROXIES
                ) from None
    return nets


def identity_from_headers(
    headers: Mapping[str, str],
    remote_addr: str | None,
    *,
    trusted: str | None = None,
    header: str | None = None,
) -> str | None:
    """The identity a trusted reverse proxy vouches for, or None.

    Parameters
    ----------
    headers : mapping
        Request headers (names compared case-insensitively).
    remote_addr : str or None
        The address the request came from (the proxy's, when there is one).
    trusted : str, optional
        Comma-separated addresses or networks (``CONTESTED_TRUSTED_PROXIES``);
        none trusted by default, so the header is ignored.
    header : str, optional
        The header to read (``CONTESTED_IDENTITY_HEADER``, else
        ``X-Forwarded-User`` then ``X-Auth-Request-Email``).
    """
    trusted = os.environ.get(ENV_TRUSTED_PROXIES, "") if trusted is None else trusted
    header = os.environ.get(ENV_IDENTITY_HEADER, "").strip() if header is None else header
    if not remote_addr or not trusted.strip():
        return None
    try:
        addr = ipaddress.ip_address(remote_addr.strip().removeprefix("::ffff:"))
    except ValueError:
        return None
    if not any(addr in net for net in _networks(trusted)):
        return None
    lowered = {str(k).lower(): v for k, v in headers.items()}
    for name in (header,) if header else DEFAULT_IDENTITY_HEADERS:
        value = lowered.get(name.lower())
        if isinstance(value, str) and value.strip():
            try:
                return check_identity(value)
            except ValidationError:
                return None
    return None


def team_mode(store_is_database: bool, environ: Mapping[str, str] | None = None) -> bool:
    """Whether the app requires a signed-in identity: a shared database store, or ``CONTESTED_AUTH_MODE=team``.

    >>> team_mode(False, {}), team_mode(True, {}), team_mode(False, {ENV_MODE: "team"})
    (False, True, True)
    """
    env = os.environ if environ is None else environ
    mode = env.get(ENV_MODE, "auto").strip().lower() or "auto"
    if mode == "team":
        return True
    if mode == "single":
        return False
    return store_is_database


__all__ = [
    "DEFAULT_IDENTITY_HEADERS",
    "ENV_DEFAULT_ROLE",
    "ENV_IDENTITY_HEADER",
    "ENV_MODE",
    "ENV_READ_ONLY",
    "ENV_ROLES",
    "ENV_TRUSTED_PROXIES",
    "NEEDS",
    "READ_ACTIONS",
    "TOKEN_PREFIX",
    "Action",
    "Principal",
    "Role",
    "as_principal",
    "authorize",
    "check_identity",
    "default_role",
    "identity_from_headers",
    "local_principal",
    "new_token",
    "os_user",
    "parse_role_map",
    "read_only",
    "require",
    "role_for",
    "team_mode",
    "token_digest",
]
