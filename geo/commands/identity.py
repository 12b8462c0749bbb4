"""Who the command line writes as: one principal per command, checked by the library.

* A token (``CONTESTED_TOKEN``, issued by an admin with ``python -m geo audit
  issue-token``): the identity and role it was issued for, in either mode.
  The store keeps only the token's hash; an unknown or revoked token is
  refused, never replaced by another identity. A token is read from the
  environment, not from an argument, so it shows in no process list.
* Else, an embedded store (a SQLite file): the single user is an admin named
  ``--user``, else ``$CONTESTED_USER``, else the OS login name.
* Else, a shared database (team mode): the identity is the OS login name (the
  database login already vouches for the machine account), and the role comes
  from the store's ``roles`` table, then ``CONTESTED_ROLES``, then
  ``CONTESTED_DEFAULT_ROLE`` (viewer).

With a token or in team mode ``--user`` may not name anyone else.
Read-only mode (``CONTESTED_READ_ONLY=1``) refuses every write whoever asks.
"""

from __future__ import annotations

import os

from geo.auth import Principal, local_principal, os_user, role_for, team_mode
from geo.claims.store import Store, is_database_url
from geo.errors import PermissionDenied

#: Environment variable: the embedded mode's user name for the audit log.
ENV_USER = "CONTESTED_USER"
#: Environment variable: a token an admin issued (``audit issue-token``); the command runs as its principal.
ENV_TOKEN = "CONTESTED_TOKEN"


def _only_self(identity: str, user: str | None, how: str) -> None:
    if user and user.strip() and user.strip() != identity:
        raise PermissionDenied(
            f"{how} the command line writes as {identity!r}; --user cannot choose another identity ({user.strip()!r})"
        )


def cli_principal(store: Store, user: str | None = None) -> Principal:
    """The principal a command writing to ``store`` runs as (see the module docstring)."""
    token = os.environ.get(ENV_TOKEN, "").strip()
    if token:
        found = store.token_principal(token)
        if found is None:
            raise PermissionDenied(f"${ENV_TOKEN} is not a token this registry issued (or it was revoked)")
        _only_self(found.identity, user, f"with ${ENV_TOKEN}")
        return found
    if team_mode(is_database_url(store.location)):
        identity = os_user()
        _only_self(identity, user, "in team mode")
        return Principal(identity, role_for(identity, store.roles()), "os")
    name = (user or "").strip() or os.environ.get(ENV_USER, "").strip() or None
    return local_principal(name)


__all__ = ["ENV_TOKEN", "ENV_USER", "cli_principal"]
