"""Conflicts a person resolves (docs/sync.md "Conflicts"): list them field by field, keep mine / theirs / per field.

A conflict holds every version of a record that was changed on more than one node since they last shared it.
"Mine" is the version this node had when the conflict was found; "theirs" the other one (with several, the one
the winner rule prefers among them). Resolving is a normal, versioned edit of the record through the unit of work
— so it is audited, journalled and travels onward — plus a resolution record, which travels too and closes the
same conflict on every node that holds it.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from desktop.domain.field_labels import field_label
from desktop.domain.sync_merge import Candidate, winner, winner_order
from desktop.domain.sync_records import BOOKKEEPING, DELETED, content_hash
from desktop.errors import NotFoundError, TuoyuError
from desktop.models import AppSetting, Node, SyncConflict, SyncConflictResolution
from desktop.models.base import utc_now
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session, write_session
from desktop.sync import scopes
from desktop.sync.conflict_values import DELETED_TEXT, ValueReader
from desktop.sync.import_apply import CONFLICT_OPEN, CONFLICT_RESOLVED
from desktop.sync.import_plan import label_of
from desktop.sync.row_codec import codec

MINE, THEIRS, FIELDS = "mine", "theirs", "fields"


@dataclass(frozen=True)
class ConflictVersion:
    key: str  # content hash, or "deleted"
    deleted: bool
    mine: bool
    theirs: bool
    current: bool  # what the database holds now
    nodes: tuple[str, ...]  # names of the nodes that had it
    updated_at: str | None
    version: int | None


@dataclass(frozen=True)
class FieldDifference:
    column: str
    label: str
    # The value in each version (in ``ConflictView.versions`` order), as a person reads it; personal data masked.
    values: tuple[str, ...]


@dataclass(frozen=True)
class ConflictView:
    id: uuid.UUID
    entity_type: str
    table_label: str
    entity_id: uuid.UUID
    record_label: str
    status: str
    frozen: bool
    detected_at: datetime
    resolved_at: datetime | None
    versions: tuple[ConflictVersion, ...]
    differences: tuple[FieldDifference, ...]


def list_conflicts(ctx: AppContext, *, include_resolved: bool = False) -> list[ConflictView]:
    with read_session(ctx.db) as session:
        query = select(SyncConflict).order_by(SyncConflict.detected_at, SyncConflict.id)
        if not include_resolved:
            query = query.where(SyncConflict.status == CONFLICT_OPEN)
        names = _node_names(session, ctx.node_id)
        reader = ValueReader(session)
        return [_view(conflict, names, reader) for conflict in session.scalars(query)]


def conflict_view(ctx: AppContext, conflict_id: uuid.UUID) -> ConflictView:
    with read_session(ctx.db) as session:
        conflict = session.get(SyncConflict, conflict_id)
        if conflict is None:
            raise NotFoundError(f"没有编号为 {conflict_id} 的同步冲突。请用 tuoyu sync conflicts 查看。")
        return _view(conflict, _node_names(session, ctx.node_id), ValueReader(session))


@dataclass(frozen=True)
class Resolution:
    conflict_id: uuid.UUID
    resolution_id: uuid.UUID
    entity_type: str
    entity_id: uuid.UUID
    choice: str
    chosen_hash: str | None
    changed_columns: tuple[str, ...]


def resolve_conflict(
    ctx: AppContext, conflict_id: uuid.UUID, *, keep: str, fields: dict[str, str] | None = None
) -> Resolution:
    """Decide a conflict: the record becomes ``keep``'s version (mine / theirs), with ``fields`` taken from the
    named side; the change is an ordinary edit, and the resolution record travels to the other nodes."""
    fields = dict(fields or {})
    if keep not in (MINE, THEIRS) or any(side not in (MINE, THEIRS) for side in fields.values()):
        raise TuoyuError("请选择保留“本机版本”（mine）或“对方版本”（theirs）；逐字段选择时每个字段也只能是这两者之一。")
    now = utc_now()
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        conflict = session.get(SyncConflict, conflict_id, with_for_update=True)
        if conflict is None:
            raise NotFoundError(f"没有编号为 {conflict_id} 的同步冲突。请用 tuoyu sync conflicts 查看。")
        if conflict.status != CONFLICT_OPEN:
            raise TuoyuError("这个同步冲突已经处理过了，不需要再处理。")
        candidates = [Candidate.from_json(c) for c in json.loads(conflict.candidates_json)]
        mine, theirs = _sides(candidates)
        model = scopes.MODELS[conflict.entity_type]
        table = model.__table__
        table_codec = codec(table)
        unknown = [name for name in fields if name not in table_codec.columns or name in BOOKKEEPING]
        if unknown:
            raise TuoyuError(f"{label_of(conflict.entity_type)}没有可选择的字段：{'、'.join(unknown)}。")
        chosen = mine if keep == MINE else theirs
        other = theirs if keep == MINE else mine
        result: dict[str, Any] | None = None if chosen.deleted else dict(chosen.row or {})
        if fields:
            if chosen.deleted or other.deleted:
                raise TuoyuError("一方是删除，不能逐字段选择；请整体保留本机版本或对方版本。")
            assert result is not None
            for name, side in fields.items():
                result[name] = ((mine.row if side == MINE else theirs.row) or {}).get(name)
        record = session.get(model, conflict.entity_id)
        current = None if record is None else table_codec.as_dict(table_codec.encode(_values(record, table_codec)))
        if conflict.frozen and _content(current) != _content(result):
            raise TuoyuError(
                f"这条{label_of(conflict.entity_type)}已定稿，数据库不允许修改，只能保留本机版本。"
                "如需更正，请另行录入更正记录。"
            )
        changed = _apply(session, model, table_codec, record, result, conflict.entity_id)
        session.flush()
        chosen_hash = (
            None if result is None else content_hash(_encoded(session, model, table_codec, conflict.entity_id))
        )
        resolution = SyncConflictResolution(
            entity_type=conflict.entity_type,
            entity_id=conflict.entity_id,
            candidate_hashes=json.dumps(sorted(c.key for c in candidates)),
            chosen_hash=chosen_hash,
            choice=FIELDS if fields else keep,
            fields_json=json.dumps(fields, sort_keys=True),
            resolved_by=ctx.actor.username[:60],
            resolved_at=now,
        )
        session.add(resolution)
        session.flush()
        session.execute(
            update(SyncConflict)
            .where(SyncConflict.id == conflict_id)
            .values(status=CONFLICT_RESOLVED, resolved_at=now, changed_at=now, resolution_id=resolution.id)
        )
        return Resolution(
            conflict_id,
            resolution.id,
            conflict.entity_type,
            conflict.entity_id,
            resolution.choice,
            chosen_hash,
            tuple(changed),
        )


# ---- helpers --------------------------------------------------------------------------------------


def _sides(candidates: list[Candidate]) -> tuple[Candidate, Candidate]:
    """Mine: the version this node had; theirs: the best of the others by the winner rule."""
    local = [c for c in candidates if c.local]
    mine = local[0] if local else min(candidates, key=winner_order)
    others = [c for c in candidates if c.key != mine.key]
    return mine, (winner(others) if others else mine)


def _values(record: Any, table_codec: Any) -> list[Any]:
    return [getattr(record, name) for name in table_codec.columns]


def _content(row: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if row is None else {k: v for k, v in row.items() if k not in BOOKKEEPING and v is not None}


def _encoded(session: Any, model: type, table_codec: Any, entity_id: uuid.UUID) -> dict[str, Any]:
    row = session.execute(select(*table_codec.select_columns).where(table_codec.table.c.id == entity_id)).one()
    return table_codec.as_dict(table_codec.encode(row))


def _apply(
    session: Any, model: type, table_codec: Any, record: Any, result: dict[str, Any] | None, entity_id: uuid.UUID
) -> list[str]:
    """Make the record hold ``result`` with the ORM (versioned, audited, journalled); returns the columns changed."""
    if result is None:
        if record is not None:
            session.delete(record)
            return ["(删除)"]
        return []
    decoded = table_codec.decode({k: v for k, v in result.items() if k not in BOOKKEEPING})
    if record is None:
        record = model(id=entity_id, **decoded)
        session.add(record)
        return sorted(decoded)
    changed = []
    for name, value in decoded.items():
        if getattr(record, name) != value:
            setattr(record, name, value)
            changed.append(name)
    return changed


def _node_names(session: Any, own_node: uuid.UUID) -> dict[str, str]:
    names = {str(node_id): name for node_id, name in session.execute(select(Node.node_id, Node.name))}
    own_name = session.scalar(select(AppSetting.value).where(AppSetting.key == "node_name"))
    names[str(own_node)] = f"本机（{own_name}）" if own_name else "本机"
    return names


def _view(conflict: SyncConflict, names: dict[str, str], reader: ValueReader) -> ConflictView:
    candidates = [Candidate.from_json(c) for c in json.loads(conflict.candidates_json)]
    mine, theirs = _sides(candidates)
    versions = tuple(
        ConflictVersion(
            c.key,
            c.deleted,
            c.key == mine.key,
            c.key == theirs.key and theirs.key != mine.key,
            c.key == conflict.winner_hash,
            tuple(names.get(node, node) for node in c.nodes),
            c.updated_at,
            c.version,
        )
        for c in candidates
    )
    model = scopes.MODELS.get(conflict.entity_type)
    sensitive = getattr(model, "__sensitive__", frozenset())
    columns = sorted({k for c in candidates for k in (c.row or {}) if k not in BOOKKEEPING})
    differences = []
    for column in columns:
        # Compared on the real values: two ID numbers that differ only where masking hides them still differ.
        stored = {_stored_value(c, column) for c in candidates}
        if len(stored) > 1:
            values = tuple(_shown(reader, model, c, column, column in sensitive) for c in candidates)
            differences.append(FieldDifference(column, field_label(conflict.entity_type, column), values))
    record_label = ""
    if model is not None:
        record_label = next(
            (label for c in candidates if c.row and (label := reader.record_label(model.__table__, c.row))), ""
        )
    return ConflictView(
        conflict.id,
        conflict.entity_type,
        label_of(conflict.entity_type),
        conflict.entity_id,
        record_label[:60],
        conflict.status,
        conflict.frozen,
        conflict.detected_at,
        conflict.resolved_at,
        versions,
        tuple(differences),
    )


def _stored_value(candidate: Candidate, column: str) -> str:
    if candidate.deleted:
        return DELETED
    return json.dumps((candidate.row or {}).get(column), sort_keys=True, ensure_ascii=False)


def _shown(reader: ValueReader, model: type | None, candidate: Candidate, column: str, sensitive: bool) -> str:
    if candidate.deleted:
        return DELETED_TEXT
    value = (candidate.row or {}).get(column)
    if model is None:
        return "" if value is None else str(value)
    return reader.shown(model.__table__, column, value, sensitive=sensitive)
