"""``python -m geo audit``: verify the audit log's hash chain, lock a PostGIS app role down, manage roles and tokens.

Examples
--------
::

    python -m geo audit verify --json                  # exit 1 and the first tampered record if any
    python -m geo audit lock-app contested_app --db postgresql://owner@db/claims
    python -m geo audit grant ana@desk.example editor  # an admin only
    python -m geo audit roles
    python -m geo audit issue-token bot@desk.example editor   # prints the token once
    CONTESTED_TOKEN=ctl_... python -m geo claims delete ID --version 3 --db postgresql://...
    python -m geo audit tokens                         # who holds one (never the token)
    python -m geo audit revoke-token bot@desk.example

``verify`` recomputes each record's hash from the one before it (see
:mod:`geo.claims.store.audit_chain`) and prints ``ok``, ``records``,
``sealed``, ``unsealed``, ``head`` and ``first_tampered``
(``{"audit_id", "reason"}`` or null); it exits 1 when the chain is broken.
``lock-app`` is run by the role that owns the tables (the one that ran the
migrations): the app role may then insert audit records but never change,
delete or un-trigger them. ``issue-token`` prints a new token for an
identity and role (admins only); the registry keeps only its SHA-256, and a
command run with ``CONTESTED_TOKEN`` set to it writes as that identity and
role (:mod:`geo.commands.identity`).
"""

from __future__ import annotations

import argparse
import json
import sys

from geo.auth import Action, authorize
from geo.claims.store import open_store
from geo.commands.identity import cli_principal
from geo.errors import StoreError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Define ``audit verify | lock-app | roles | grant | revoke | issue-token | tokens | revoke-token``."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", default=None, help="store file or postgresql:// URL")
    sub = parser.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    p = sub.add_parser("verify", parents=[common], help="recompute the hash chain; report the first tampered record")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p = sub.add_parser("lock-app", parents=[common], help="(PostGIS, as the owner) grant an app role insert-only audit")
    p.add_argument("role", metavar="ROLE", help="the database role the app connects as")
    sub.add_parser("roles", parents=[common], help="print the roles granted in the store")
    p = sub.add_parser("grant", parents=[common], help="give IDENTITY a role (viewer, editor, admin); admins only")
    p.add_argument("identity", metavar="IDENTITY")
    p.add_argument("role", metavar="ROLE", choices=("viewer", "editor", "admin"))
    p = sub.add_parser("revoke", parents=[common], help="take IDENTITY's role away; admins only")
    p.add_argument("identity", metavar="IDENTITY")
    p = sub.add_parser(
        "issue-token", parents=[common], help="print a new command-line token for IDENTITY and ROLE; admins only"
    )
    p.add_argument("identity", metavar="IDENTITY")
    p.add_argument("role", metavar="ROLE", choices=("viewer", "editor", "admin"))
    sub.add_parser("tokens", parents=[common], help="print the tokens issued (id, identity, role, by, when)")
    p = sub.add_parser("revoke-token", parents=[common], help="revoke every token of IDENTITY; admins only")
    p.add_argument("identity", metavar="IDENTITY")


def run(args: argparse.Namespace) -> int:
    """Run the chosen action; ``verify`` returns 1 when the chain is broken."""
    with open_store(args.db) as store:
        action = args.audit_action
        if action == "verify":
            report = store.verify_audit()
            if args.json:
                json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
                sys.stdout.write("\n")
            elif report["ok"]:
                print(f"ok: {report['records']} audit records, chain intact (head {report['head']})")
            else:
                bad = report["first_tampered"]
                print(f"TAMPERED: audit record {bad['audit_id']}: {bad['reason']}")
            return 0 if report["ok"] else 1
        if action == "lock-app":
            authorize(None, Action.MIGRATE)  # read-only mode refuses before anything else is said
            grant = getattr(store, "grant_app_role", None)
            if grant is None:
                raise StoreError("lock-app needs a postgresql:// store (an embedded file has no database roles)")
            for statement in grant(args.role):
                print(statement)
            return 0
        if action == "roles":
            for identity, role in store.roles().items():
                print(f"{identity}\t{role}")
            return 0
        if action == "tokens":
            for row in store.tokens():
                print("\t".join(row[k] for k in ("token_id", "identity", "role", "issued_by", "issued_at")))
            return 0
        if action == "issue-token":
            token = store.issue_token(args.identity, args.role, cli_principal(store))
            print(token)
            print(f"token for {args.identity} (role {args.role}); it is shown only now", file=sys.stderr)
            return 0
        if action == "revoke-token":
            count = store.revoke_tokens(args.identity, cli_principal(store))
            print(f"{args.identity}: {count} token(s) revoked")
            return 0
        role = args.role if action == "grant" else None
        store.set_role(args.identity, role, cli_principal(store))
        print(f"{args.identity}: {role or 'no role'}")
        return 0


__all__ = ["add_arguments", "run"]
