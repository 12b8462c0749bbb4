"""Who the command line writes as: one principal per command, checked by the library.

* An embedded store (a SQLite file): the single user is an admin named
  ``--user``, else ``$CONTESTED_USER``, else the OS login name.
* A shared database (team mode): the identity is the OS login name (the
  database login already vouches for the machine account); ``--user`` may
  not name anyone else, and the role comes from the store's ``roles`` table,
  then ``CONTESTED_ROLES``, then ``CONTESTED_DEFAULT_ROLE`` (viewer).

Read-only mode (``CONTESTED_READ_ONLY=1``) refuses every write whoever asks.
"""

from __future__ import annotations

import os

from geo.auth import Principal, local_principal, os_user, role_for, team_mode
from geo.claims.store import Store, is_database_url
from geo.errors import PermissionDenied

#: Environment variable: the embedded mode's user name for the audit log.
ENV_USER = "CONTESTED_USER"


def cli_principal(store: Store, user: str | None = None) -> Principal:
    """The principal a command writing to ``store`` runs as (see the module docstring)."""
    if team_mode(is_database_url(store.location)):
        identity = os_user()
        if user and user.strip() and user.strip() != identity:
            raise PermissionDenied(
                f"in team mode the command line writes as the login user {identity!r}; "
                f"--user cannot choose another identity ({user.strip()!r})"
            )
        return Principal(identity, role_for(identity, store.roles()), "os")
    name = (user or "").strip() or os.environ.get(ENV_USER, "").strip() or None
    return local_principal(name)


__all__ = ["ENV_USER", "cli_principal"]
