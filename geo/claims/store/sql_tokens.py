"""Roles and command-line tokens: who may do what, granted by admins, every change audited.

An admin grants each identity a role (``roles`` table) and may issue it
command-line tokens: a token lets a script or an analyst's shell on another
machine write as a named identity with a given role (``CONTESTED_TOKEN``, see
:mod:`geo.commands.identity`), without a database login per person. The
token itself is shown once, when issued; the ``tokens`` table holds its
SHA-256 (:func:`geo.auth.token_digest`), so a copy of the registry gives
nobody a usable token. Revoking an identity's role (or lowering it) revokes its
tokens (those above the new role) too.

Every grant, change and revoke of a role, and every token issued or revoked,
writes an audit record in the same transaction (``entity`` ``role`` with the
identity as ``entity_id``, or ``token`` with the start of the token's hash),
sealed in the same hash chain as the claims' records, so
``python -m geo audit verify`` covers who was given which rights, by whom.
"""

from __future__ import annotations

from typing import Any

from geo.auth import Action, Principal, Role, check_identity, new_token, token_digest
from geo.claims.store.base import AuditAction, AuditEntity
from geo.claims.store.sql_base import AuditRow, SQLBase

#: How many hex digits of a token's hash name it in listings and in the audit log.
TOKEN_ID_DIGITS = 12

_TOKEN_COLUMNS = "token_hash, identity, role, issued_by, issued_at"


def token_record(row: dict[str, Any]) -> dict[str, str]:
    """A ``tokens`` row as listed and audited: ``token_id`` (start of the hash) instead of the hash."""
    row = dict(row)
    return {"token_id": str(row.pop("token_hash"))[:TOKEN_ID_DIGITS], **{k: str(v) for k, v in row.items()}}


class TokenWrites(SQLBase):
    """Grant and revoke roles; issue, list, revoke and resolve command-line tokens; audit each change."""

    # ---- roles ---------------------------------------------------------------
    def roles(self) -> dict[str, str]:
        """Return the roles granted in this store, ``{identity: role}``."""
        with self._lock, self._read_cursor() as cur:
            rows = self._rows(cur, "SELECT identity, role FROM roles ORDER BY identity")
        return {r["identity"]: r["role"] for r in rows}

    def set_role(self, identity: str, role: str | None, user: Principal | str) -> None:
        """Grant ``role`` (viewer, editor, admin) to ``identity``, or revoke it with None; admins only.

        The identity's tokens that rank above the new role (all of them, on a
        revoke) are revoked with it. The change is audited (``insert``,
        ``update`` or ``delete`` of entity ``role``); setting the role an
        identity already has, or revoking none, writes nothing.
        """
        who = self._authorize(user, Action.MANAGE_ROLES)
        identity = check_identity(identity)
        new = None if role is None else Role.parse(role, field="role")
        above = [str(r) for r in Role if new is None or r.rank > new.rank]
        with self._lock, self._write_cursor() as cur:
            found = self._rows(
                cur, "SELECT identity, role, granted_by, granted_at FROM roles WHERE identity = ?", (identity,)
            )
            before = {k: str(v) for k, v in found[0].items()} if found else None
            marks = ", ".join("?" for _ in above)
            dropped = (
                self._rows(
                    cur,
                    f"SELECT {_TOKEN_COLUMNS} FROM tokens WHERE identity = ? AND role IN ({marks}) ORDER BY token_hash",
                    (identity, *above),
                )
                if above
                else []
            )
            if before is not None and new is not None and before["role"] == str(new) and not dropped:
                return
            now = self._now(cur)
            audit: list[AuditRow] = []
            cur.execute(self._sql("DELETE FROM roles WHERE identity = ?"), (identity,))
            if dropped:
                cur.execute(
                    self._sql(f"DELETE FROM tokens WHERE identity = ? AND role IN ({marks})"), (identity, *above)
                )
                audit += self._token_deletes(dropped, now, who)
            after = None
            if new is not None:
                after = {"identity": identity, "role": str(new), "granted_by": who, "granted_at": now}
                cur.execute(
                    self._sql("INSERT INTO roles (identity, role, granted_by, granted_at) VALUES (?, ?, ?, ?)"),
                    tuple(after.values()),
                )
            if before is not None or after is not None:
                action = (
                    AuditAction.INSERT
                    if before is None
                    else AuditAction.DELETE
                    if after is None
                    else AuditAction.UPDATE
                )
                audit.insert(0, (now, who, action, AuditEntity.ROLE, identity, None, before, after))
            if audit:
                self._audit(cur, audit)

    # ---- tokens --------------------------------------------------------------
    def issue_token(self, identity: str, role: str, user: Principal | str) -> str:
        """Issue a token for ``identity`` with ``role`` (viewer, editor, admin); return it. Admins only.

        The token is returned once and never stored: keep it, or issue another.
        Audited as an ``insert`` of entity ``token`` (its hash's start, never the token).
        """
        who = self._authorize(user, Action.MANAGE_ROLES)
        identity = check_identity(identity)
        role = str(Role.parse(role, field="role"))
        token = new_token()
        with self._lock, self._write_cursor() as cur:
            now = self._now(cur)
            row = {
                "token_hash": token_digest(token),
                "identity": identity,
                "role": role,
                "issued_by": who,
                "issued_at": now,
            }
            cur.execute(
                self._sql(f"INSERT INTO tokens ({_TOKEN_COLUMNS}) VALUES (?, ?, ?, ?, ?)"),
                tuple(row.values()),
            )
            record = token_record(row)
            self._audit(
                cur, [(now, who, AuditAction.INSERT, AuditEntity.TOKEN, record["token_id"], None, None, record)]
            )
        return token

    def revoke_tokens(self, identity: str, user: Principal | str) -> int:
        """Revoke every token issued to ``identity``; return how many there were. Admins only; each audited."""
        who = self._authorize(user, Action.MANAGE_ROLES)
        identity = check_identity(identity)
        with self._lock, self._write_cursor() as cur:
            rows = self._rows(
                cur, f"SELECT {_TOKEN_COLUMNS} FROM tokens WHERE identity = ? ORDER BY token_hash", (identity,)
            )
            if not rows:
                return 0
            cur.execute(self._sql("DELETE FROM tokens WHERE identity = ?"), (identity,))
            self._audit(cur, self._token_deletes(rows, self._now(cur), who))
            return len(rows)

    def _token_deletes(self, rows: list[dict[str, Any]], now: str, who: str) -> list[AuditRow]:
        """Audit records of revoked tokens (``rows`` as read from ``tokens``)."""
        out: list[AuditRow] = []
        for row in rows:
            record = token_record(row)
            out.append((now, who, AuditAction.DELETE, AuditEntity.TOKEN, record["token_id"], None, record, None))
        return out

    def tokens(self) -> list[dict[str, str]]:
        """The tokens issued, oldest first: ``token_id`` (start of the hash), ``identity``, ``role``, ``issued_by``, ``issued_at``."""
        with self._lock, self._read_cursor() as cur:
            rows = self._rows(cur, f"SELECT {_TOKEN_COLUMNS} FROM tokens ORDER BY issued_at, identity")
        return [token_record(r) for r in rows]

    def token_principal(self, token: str) -> Principal | None:
        """The principal ``token`` was issued for (``source="token"``), or None if unknown or revoked."""
        if not isinstance(token, str) or not token.strip():
            return None
        with self._lock, self._read_cursor() as cur:
            rows = self._rows(cur, "SELECT identity, role FROM tokens WHERE token_hash = ?", (token_digest(token),))
        if not rows:
            return None
        return Principal(rows[0]["identity"], rows[0]["role"], "token")


__all__ = ["TOKEN_ID_DIGITS", "TokenWrites", "token_record"]
