"""Command-line tokens: an admin issues one per identity and role; the store keeps only its hash.

A token lets a script or an analyst's shell on another machine write as a
named identity with a given role (``CONTESTED_TOKEN``, see
:mod:`geo.commands.identity`), without a database login per person. The
token itself is shown once, when issued; the ``tokens`` table holds its
SHA-256 (:func:`geo.auth.token_digest`), so a copy of the registry gives
nobody a usable token. Revoking an identity's role (or lowering it) revokes its
tokens (those above the new role) too.
"""

from __future__ import annotations

from geo.auth import Action, Principal, Role, check_identity, new_token, token_digest
from geo.claims.store.sql_base import SQLBase

#: How many hex digits of a token's hash name it in listings.
TOKEN_ID_DIGITS = 12


class TokenWrites(SQLBase):
    """Issue, list, revoke and resolve command-line tokens (the ``tokens`` table)."""

    def issue_token(self, identity: str, role: str, user: Principal | str) -> str:
        """Issue a token for ``identity`` with ``role`` (viewer, editor, admin); return it. Admins only.

        The token is returned once and never stored: keep it, or issue another.
        """
        who = self._authorize(user, Action.MANAGE_ROLES)
        identity = check_identity(identity)
        role = str(Role.parse(role, field="role"))
        token = new_token()
        with self._lock, self._write_cursor() as cur:
            cur.execute(
                self._sql(
                    "INSERT INTO tokens (token_hash, identity, role, issued_by, issued_at) VALUES (?, ?, ?, ?, ?)"
                ),
                (token_digest(token), identity, role, who, self._now(cur)),
            )
        return token

    def revoke_tokens(self, identity: str, user: Principal | str) -> int:
        """Revoke every token issued to ``identity``; return how many there were. Admins only."""
        self._authorize(user, Action.MANAGE_ROLES)
        identity = check_identity(identity)
        with self._lock, self._write_cursor() as cur:
            cur.execute(self._sql("DELETE FROM tokens WHERE identity = ?"), (identity,))
            return max(int(cur.rowcount or 0), 0)

    def tokens(self) -> list[dict[str, str]]:
        """The tokens issued, oldest first: ``token_id`` (start of the hash), ``identity``, ``role``, ``issued_by``, ``issued_at``."""
        with self._lock, self._read_cursor() as cur:
            rows = self._rows(
                cur, "SELECT token_hash, identity, role, issued_by, issued_at FROM tokens ORDER BY issued_at, identity"
            )
        return [
            {"token_id": str(r.pop("token_hash"))[:TOKEN_ID_DIGITS], **{k: str(v) for k, v in r.items()}} for r in rows
        ]

    def token_principal(self, token: str) -> Principal | None:
        """The principal ``token`` was issued for (``source="token"``), or None if unknown or revoked."""
        if not isinstance(token, str) or not token.strip():
            return None
        with self._lock, self._read_cursor() as cur:
            rows = self._rows(cur, "SELECT identity, role FROM tokens WHERE token_hash = ?", (token_digest(token),))
        if not rows:
            return None
        return Principal(rows[0]["identity"], rows[0]["role"], "token")


__all__ = ["TOKEN_ID_DIGITS", "TokenWrites"]
