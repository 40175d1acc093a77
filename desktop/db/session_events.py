"""Every ORM write is attributed and audited, whoever makes it.

A session that writes must say who it works for (``session.info["actor"]``) and on which
installation (``session.info["node_id"]``); the unit of work in ``desktop.services`` sets both. Before
a flush, new rows get their ``origin``; after the flush, one audit entry per inserted, updated or
deleted row is written in the same transaction, so a change and its audit record commit together
or not at all. Personal data (``__sensitive__`` attributes) is stored masked.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, sessionmaker

from desktop.domain.identifiers import mask_id_number
from desktop.domain.phone_numbers import mask_phone_number
from desktop.models.audit_entry import AuditEntry
from desktop.models.base import SyncedRecord, utc_now
from desktop.models.uuid7 import uuid7, uuid7_batch

# Bookkeeping columns: their changes are implied by every write and would only add noise.
UNAUDITED_ATTRIBUTES = frozenset({"created_at", "updated_at", "version", "origin"})


class UnattributedWriteError(RuntimeError):
    """A write was attempted outside a unit of work, so nobody would answer for it."""


def install(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)


def _audited(objects: Any) -> list[SyncedRecord]:
    return [obj for obj in objects if isinstance(obj, SyncedRecord)]


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    touched = _audited(session.new) + _audited(session.dirty) + _audited(session.deleted)
    if not touched:
        return
    if "actor" not in session.info or "node_id" not in session.info:
        raise UnattributedWriteError("writes must go through a unit of work (desktop.services.unit_of_work)")
    for obj in _audited(session.new):
        if obj.origin is None:
            obj.origin = session.info["node_id"]


def _after_flush(session: Session, _context: Any) -> None:
    rows = []
    now = utc_now()
    for action, objects in (("insert", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in _audited(objects):
            changes = _changes(obj, action)
            if action == "update" and not changes:
                continue  # touched but not modified
            rows.append(
                {
                    "id": uuid7(),
                    "at": now,
                    "actor": session.info["actor"],
                    "origin": session.info["node_id"],
                    "action": action,
                    "entity_type": obj.__tablename__,
                    "entity_id": obj.id,
                    "subject_id": obj.audit_subject_id,
                    "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True),
                    "summary": _summary(obj, action),
                }
            )
    if rows:
        session.connection().execute(insert(AuditEntry), rows)


def audit_rows_for_bulk_insert(
    model: type[SyncedRecord],
    rows: list[dict[str, Any]],
    *,
    actor: str,
    node_id: uuid.UUID,
    summary: str,
    extra: Mapping[uuid.UUID, Mapping[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Audit entries for rows inserted in bulk with Core (imports), in the same form the ORM listener
    writes them: one entry per row, every non-empty value as [None, new], personal data masked.
    ``extra`` adds values to some rows' entries (by row id), such as the events a record starts with."""
    extra = extra or {}
    now = utc_now()
    sensitive = model.__sensitive__
    subject_key = "institution_id" if "institution_id" in model.__table__.c else "id"
    entries = []
    for row, entry_id in zip(rows, uuid7_batch(len(rows)), strict=True):
        changes = {
            key: [None, _plain(value, key in sensitive, key)]
            for key, value in row.items()
            if value is not None and key not in UNAUDITED_ATTRIBUTES and key != "id"
        }
        for key, value in extra.get(row["id"], {}).items():
            changes[key] = [None, value]
        entries.append(
            {
                "id": entry_id,
                "at": now,
                "actor": actor,
                "origin": node_id,
                "action": "insert",
                "entity_type": model.__tablename__,
                "entity_id": row["id"],
                "subject_id": row[subject_key],
                "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True),
                "summary": summary[:300],
            }
        )
    return entries


def _changes(obj: SyncedRecord, action: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    sensitive = type(obj).__sensitive__
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in UNAUDITED_ATTRIBUTES or key == "id":
            continue
        history = state.attrs[key].history
        if action == "insert":
            new = history.added[0] if history.added else getattr(obj, key)
            if new is None:
                continue
            old = None
        elif action == "delete":
            old = history.deleted[0] if history.deleted else getattr(obj, key)
            new = None
        else:
            if not history.has_changes():
                continue
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old == new:
                continue
        changes[key] = [_plain(old, key in sensitive, key), _plain(new, key in sensitive, key)]
    return changes


_AS_IS = frozenset({str, int, bool, float})


def _plain(value: Any, sensitive: bool, key: str = "") -> Any:
    """A JSON-ready form of a column value; personal data is masked (a phone as phones are, 139****5678)."""
    if value is None:
        return None
    if sensitive:
        return mask_phone_number(str(value)) if "phone" in key else mask_id_number(str(value))
    if type(value) in _AS_IS:  # the common case first: imports call this ~500,000 times
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, frozenset | set):
        return sorted(_plain(v, False) for v in value)
    return value


def _summary(obj: SyncedRecord, action: str) -> str:
    verb = {"insert": "新增", "update": "修改", "delete": "删除"}[action]
    name = getattr(obj, "name", None) or getattr(obj, "username", None) or getattr(obj, "code", None) or ""
    return f"{verb} {obj.__tablename__} {name}".strip()[:300]
