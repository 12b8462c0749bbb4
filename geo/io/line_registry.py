"""Managing the analyst's own lines: list, rename, delete and restore imported and drawn lines.

Imported lines live in ``user_lines.csv`` + ``user_line_vertices.csv`` and
drawn ones in ``drawn_lines.geojson``, all in one data directory (see
:mod:`geo.reference.user_lines`, :mod:`geo.io.save`, :mod:`geo.io.drawn`). Shipped reference lines cannot be
changed here.

Audit
-----
Every rename, delete and restore is recorded in ``lines_audit.jsonl`` beside
the line files: one JSON object per line with ``at`` (UTC), ``user``,
``action``, ``line_id``, ``kind`` (imported | drawn), ``before`` and
``after``. The lines are files, not rows of the claims store (which may be a
shared PostGIS database while the lines stay on the analyst's disk), so their
audit sits with them, written under the same lock
(:func:`geo.atomic.locked`). A delete stores the whole line in ``before``
(metadata and vertices, or the GeoJSON feature), which is what
:func:`restore_line` puts back. The record is appended before the line files
change, so a crash can leave a recorded change that did not happen (harmless:
the line is still there) but never a deleted line without its record.

Deleting a line that claims cite (their ``reference_line``) is refused with
the list of those claims; callers pass the claims they know of.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from geo import config
from geo import schema as S
from geo.atomic import locked
from geo.auth import Action, Principal, as_principal, require
from geo.errors import DataFileError, ValidationError
from geo.io.drawn import MAX_NAME
from geo.io.save import MAX_LINE_NAME
from geo.reference.lines import lines_from_frames, reference_lines
from geo.reference.user_lines import (
    DRAWN_FILENAME,
    USER_LINES_FILE,
    read_drawn_features,
    read_user_tables,
    write_drawn_features,
    write_user_tables,
)
from geo.vocab import UserLineOrigin

AUDIT_FILENAME = "lines_audit.jsonl"
KIND_IMPORTED = UserLineOrigin.IMPORTED.value
KIND_DRAWN = UserLineOrigin.DRAWN.value
ACTION_RENAME = "rename"
ACTION_DELETE = "delete"
ACTION_RESTORE = "restore"
LIST_COLUMNS = [S.LINE_ID, S.LINE_NAME, S.LINE_DATE, S.LINE_KIND, S.LINE_DRAWN_BY, S.LINE_SOURCES, "stored_as"]


class LineNotFoundError(ValidationError):
    """No imported or drawn line has this id."""


class LineInUseError(ValidationError):
    """The line is cited by claims and so cannot be deleted."""


def _dir(data_dir: str | os.PathLike[str] | None) -> Path:
    return config.data_dir() if data_dir is None else Path(data_dir)


def audit_file(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """The append-only audit file of line changes."""
    return _dir(data_dir) / AUDIT_FILENAME


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _check_user(user: Principal | str, action: Action) -> str:
    """The identity to audit, once ``user`` may do ``action`` (see :mod:`geo.auth`)."""
    return require(as_principal(user), action).identity


def _append_audit(d: Path, record: dict[str, Any]) -> None:
    with (d / AUDIT_FILENAME).open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def line_history(line_id: str | None = None, data_dir: str | os.PathLike[str] | None = None) -> list[dict[str, Any]]:
    """Audit records (oldest first) of one line, or of every line when ``line_id`` is None.

    A last line cut short by a crash is skipped; any other unreadable line
    raises :class:`DataFileError` naming the file and line number.
    """
    path = audit_file(data_dir)
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    for n, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            rec = json.loads(text)
        except ValueError:
            if n == len(lines):
                continue  # an append interrupted by a crash
            raise DataFileError(f"{path}: line {n} is not JSON") from None
        if line_id is None or rec.get("line_id") == line_id:
            out.append(rec)
    return out


# ---------------------------------------------------------------------------
# reading both kinds
# ---------------------------------------------------------------------------
def _imported(d: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return read_user_tables(d)


def _drawn(d: Path) -> list[dict]:
    return read_drawn_features(d / DRAWN_FILENAME)


def _feature_id(feat: dict) -> str:
    return str((feat.get("properties") or {}).get(S.LINE_ID) or "")


def list_lines(data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The imported and drawn lines (columns :data:`LIST_COLUMNS`), imported first.

    ``stored_as`` is the file that holds the line.
    """
    d = _dir(data_dir)
    rows = []
    meta, _ = _imported(d)
    for _, r in meta.iterrows():
        rows.append(
            {
                S.LINE_ID: r[S.LINE_ID],
                S.LINE_NAME: r[S.LINE_NAME],
                S.LINE_DATE: r[S.LINE_DATE],
                S.LINE_KIND: KIND_IMPORTED,
                S.LINE_DRAWN_BY: r[S.LINE_DRAWN_BY],
                S.LINE_SOURCES: r[S.LINE_SOURCES],
                "stored_as": USER_LINES_FILE,
            }
        )
    for feat in _drawn(d):
        props = feat.get("properties") or {}
        rows.append(
            {
                S.LINE_ID: _feature_id(feat),
                S.LINE_NAME: str(props.get(S.LINE_NAME) or ""),
                S.LINE_DATE: str(props.get(S.LINE_DATE) or ""),
                S.LINE_KIND: KIND_DRAWN,
                S.LINE_DRAWN_BY: str(props.get(S.LINE_DRAWN_BY) or ""),
                S.LINE_SOURCES: str(props.get(S.SOURCE_URL) or ""),
                "stored_as": DRAWN_FILENAME,
            }
        )
    return pd.DataFrame(rows, columns=LIST_COLUMNS)


def deleted_lines(data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Lines whose last audit record is a delete and that are not back: what :func:`restore_line` can restore.

    Columns ``line_id``, ``name``, ``kind``, ``deleted_at``, ``deleted_by``.
    """
    last: dict[str, dict] = {}
    for rec in line_history(None, data_dir):
        last[rec.get("line_id", "")] = rec
    present = set(list_lines(data_dir)[S.LINE_ID])
    rows = [
        {
            S.LINE_ID: lid,
            S.LINE_NAME: _record_name(rec.get("before") or {}),
            S.LINE_KIND: rec.get("kind", ""),
            "deleted_at": rec.get("at", ""),
            "deleted_by": rec.get("user", ""),
        }
        for lid, rec in last.items()
        if rec.get("action") == ACTION_DELETE and lid not in present
    ]
    return pd.DataFrame(rows, columns=[S.LINE_ID, S.LINE_NAME, S.LINE_KIND, "deleted_at", "deleted_by"])


def _record_name(before: dict) -> str:
    if "meta" in before:
        return str(before["meta"].get(S.LINE_NAME, ""))
    if "feature" in before:
        return str((before["feature"].get("properties") or {}).get(S.LINE_NAME, ""))
    return str(before.get(S.LINE_NAME, ""))


def _find(d: Path, line_id: str) -> str:
    meta, _ = _imported(d)
    if line_id in set(meta[S.LINE_ID]):
        return KIND_IMPORTED
    if any(_feature_id(f) == line_id for f in _drawn(d)):
        return KIND_DRAWN

    if line_id in set(reference_lines()[S.LINE_ID]):
        raise ValidationError(f"line {line_id!r} is a shipped reference line; only imported and drawn lines change")
    raise LineNotFoundError(f"no imported or drawn line with id {line_id!r}")


def _check_name(name: Any, kind: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("give the line a name", field=S.LINE_NAME)
    name = name.strip()
    limit = MAX_NAME if kind == KIND_DRAWN else MAX_LINE_NAME
    if len(name) > limit:
        raise ValidationError(f"has {len(name):,} characters; at most {limit} characters", field=S.LINE_NAME)
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise ValidationError("must not contain control characters (new lines, tabs ...)", field=S.LINE_NAME)
    return name


# ---------------------------------------------------------------------------
# changes
# ---------------------------------------------------------------------------
def rename_line(
    line_id: str, name: str, *, user: Principal | str, data_dir: str | os.PathLike[str] | None = None
) -> dict:
    """Give an imported or drawn line a new name (audited). Returns the audit record.

    Raises
    ------
    LineNotFoundError, ValidationError
        Unknown line, shipped line, empty or too long name; nothing changes.
    """
    user = _check_user(user, Action.EDIT)
    d = _dir(data_dir)
    with locked(d):
        kind = _find(d, line_id)
        name = _check_name(name, kind)
        if kind == KIND_IMPORTED:
            meta, vert = _imported(d)
            old = str(meta.loc[meta[S.LINE_ID] == line_id, S.LINE_NAME].iloc[0])
        else:
            feats = _drawn(d)
            feat = next(f for f in feats if _feature_id(f) == line_id)
            old = str((feat.get("properties") or {}).get(S.LINE_NAME) or "")
        rec = {
            "at": _now(),
            "user": user,
            "action": ACTION_RENAME,
            "line_id": line_id,
            "kind": kind,
            "before": {S.LINE_NAME: old},
            "after": {S.LINE_NAME: name},
        }
        if old == name:
            return rec
        _append_audit(d, rec)
        if kind == KIND_IMPORTED:
            meta = meta.copy()
            meta.loc[meta[S.LINE_ID] == line_id, S.LINE_NAME] = name
            write_user_tables(d, meta, vert)
        else:
            feat.setdefault("properties", {})[S.LINE_NAME] = name
            write_drawn_features(d / DRAWN_FILENAME, feats)
    return rec


def claims_citing_line(claims: pd.DataFrame | None, line_id: str) -> list[str]:
    """Ids of the claims in ``claims`` (a :meth:`geo.claims.store.Store.list_claims` frame) whose ``reference_line`` is ``line_id``."""
    if claims is None or not len(claims) or S.CLAIM_REFERENCE_LINE not in claims.columns:
        return []
    hit = claims[claims[S.CLAIM_REFERENCE_LINE].astype(str) == line_id]
    return sorted(str(c) for c in hit[S.CLAIM_ID])


def delete_line(
    line_id: str,
    *,
    user: Principal | str,
    data_dir: str | os.PathLike[str] | None = None,
    cited_by: Iterable[str] = (),
) -> dict:
    """Delete an imported or drawn line (audited; :func:`restore_line` undoes it). Returns the audit record.

    ``cited_by``: ids of claims that cite the line (see
    :func:`claims_citing_line`); if there are any the delete is refused with
    their list (:class:`LineInUseError`), nothing changes.
    """
    user = _check_user(user, Action.DELETE)
    citing = sorted(set(cited_by))
    d = _dir(data_dir)
    with locked(d):
        kind = _find(d, line_id)
        if citing:
            shown = ", ".join(citing[:20]) + (f" and {len(citing) - 20} more" if len(citing) > 20 else "")
            raise LineInUseError(
                f"line {line_id!r} is the reference line of {len(citing)} claim(s): {shown}; "
                "change or delete those claims first; nothing was deleted"
            )
        if kind == KIND_IMPORTED:
            meta, vert = _imported(d)
            row = meta[meta[S.LINE_ID] == line_id].iloc[0]
            before = {
                "meta": {c: str(row[c]) for c in S.LINE_COLUMNS},
                "vertices": vert[vert[S.V_LINE_ID] == line_id][S.VERTEX_COLUMNS].astype(str).to_dict("records"),
            }
        else:
            feats = _drawn(d)
            before = {"feature": next(f for f in feats if _feature_id(f) == line_id)}
        rec = {
            "at": _now(),
            "user": user,
            "action": ACTION_DELETE,
            "line_id": line_id,
            "kind": kind,
            "before": before,
            "after": None,
        }
        _append_audit(d, rec)
        if kind == KIND_IMPORTED:
            write_user_tables(
                d,
                meta[meta[S.LINE_ID] != line_id].reset_index(drop=True),
                vert[vert[S.V_LINE_ID] != line_id].reset_index(drop=True),
            )
        else:
            write_drawn_features(d / DRAWN_FILENAME, [f for f in feats if _feature_id(f) != line_id])
    return rec


def restore_line(line_id: str, *, user: Principal | str, data_dir: str | os.PathLike[str] | None = None) -> dict:
    """Put back a deleted line from its delete record (audited). Returns the audit record.

    Raises
    ------
    ValidationError
        The line was never deleted, is present again, or its id was reused.
    """
    user = _check_user(user, Action.RESTORE)
    d = _dir(data_dir)
    with locked(d):
        history = line_history(line_id, d)
        if not history or history[-1].get("action") != ACTION_DELETE:
            raise LineNotFoundError(f"line {line_id!r} has no delete to undo")
        if line_id in set(list_lines(d)[S.LINE_ID]):
            raise ValidationError(f"line {line_id!r} exists (restored already?); nothing changed")
        deleted = history[-1]
        kind, before = deleted.get("kind"), deleted.get("before") or {}
        rec = {
            "at": _now(),
            "user": user,
            "action": ACTION_RESTORE,
            "line_id": line_id,
            "kind": kind,
            "before": None,
            "after": before,
        }
        if kind == KIND_IMPORTED:
            meta, vert = _imported(d)
            meta = pd.concat([meta[S.LINE_COLUMNS], pd.DataFrame([before["meta"]], columns=S.LINE_COLUMNS)])
            vert = pd.concat([vert[S.VERTEX_COLUMNS], pd.DataFrame(before["vertices"], columns=S.VERTEX_COLUMNS)])

            lines_from_frames(meta, vert, origin=f"restored line {line_id!r}")  # still a valid line
            _append_audit(d, rec)
            write_user_tables(d, meta.reset_index(drop=True), vert.reset_index(drop=True))
        elif kind == KIND_DRAWN:
            feats = _drawn(d)
            _append_audit(d, rec)
            write_drawn_features(d / DRAWN_FILENAME, [*feats, before["feature"]])
        else:
            raise DataFileError(f"{audit_file(d)}: the delete of {line_id!r} has an unknown kind {kind!r}")
    return rec
