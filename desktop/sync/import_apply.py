"""Writing an import's plan, inside the import's one transaction (docs/sync.md "Import").

Rows go straight to the driver's executemany (desktop/sync/row_codec.py), parents first and deletions last,
children first; inspections that arrive finished are written as drafts and finished once their answers and
photos are in (the database refuses to add to a finished inspection). Then the conflicts, the shadows of what
the source now has, the journal entries of records to offer back, and the audit trail: the source's entries for
the records it sent (as they were written there, personal data masked) and this node's own entries for the
import and for each conflict. The database's journal triggers record every row written here, so what arrives
travels on (a county forwards a laptop's inspections to the city).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, update

from desktop.domain.sync_merge import Candidate, Outcome, winner
from desktop.models import AuditEntry, Inspection, PhotoContent, SyncConflict
from desktop.models.uuid7 import uuid7
from desktop.services.batching import chunks
from desktop.sync import scopes, state
from desktop.sync.import_plan import ImportPlan, RecordEntry, label_of
from desktop.sync.payload import Photo
from desktop.sync.row_codec import DriverWriter, codec

CONFLICT_OPEN, CONFLICT_RESOLVED = "open", "resolved"


@dataclass(frozen=True)
class Applied:
    audit_entries: int
    photos: int


def apply_plan(
    connection: Connection,
    plan: ImportPlan,
    *,
    photos: Sequence[Photo],
    audit_rows: Sequence[dict[str, Any]],
    source: uuid.UUID,
    actor: str,
    own_node: uuid.UUID,
    now: datetime,
) -> Applied:
    _photos(connection, photos)
    _rows(connection, plan)
    _finish_inspections(connection, plan.to_finish)
    _conflicts(connection, plan, now)
    _close_conflicts(connection, plan.closing, now)
    state.record_shadows(
        connection,
        source,
        [
            (e.table, e.entity_id, e.incoming.hash, e.incoming.version)
            for e in plan.entries
            if e.local_id not in plan.settled
        ],
        now,
    )
    reverse = [entry for entry in plan.entries if entry.table in plan.reverse_tables]
    state.journal_resend(
        connection,
        [(e.table, e.entity_id) for e in reverse if e.final_key is not None and e.final_key != e.incoming.key],
    )
    columns = codec(AuditEntry.__table__).columns
    arrived = DriverWriter(connection, AuditEntry.__table__, columns, encoded=True)
    for chunk in chunks(list(audit_rows), 20_000):
        arrived.insert_missing(chunk)  # entries this node already has (by id) are left as they are
    DriverWriter(connection, AuditEntry.__table__, columns).insert(
        [_conflict_audit(entry, actor, own_node, now) for entry in plan.entries if entry.plan.conflict]
    )
    return Applied(len(audit_rows), len(photos))


def _photos(connection: Connection, photos: Sequence[Photo]) -> None:
    writer = DriverWriter(connection, PhotoContent.__table__, ("sha256", "media_type", "byte_size", "data"))
    writer.insert_missing(
        [{"sha256": p.sha256, "media_type": p.media_type, "byte_size": len(p.data), "data": p.data} for p in photos]
    )


def _rows(connection: Connection, plan: ImportPlan) -> None:
    """The records to write, as they arrived (the shared JSON form), converted once per distinct value."""
    inserts: dict[str, list[RecordEntry]] = {}
    updates: dict[str, list[RecordEntry]] = {}
    deletes: dict[str, list[str]] = {}
    for entry in plan.entries:
        write = entry.plan.write
        if write is None:
            continue
        if write.deleted:
            if entry.local is not None:
                deletes.setdefault(entry.table, []).append(entry.local_id)
            continue
        (inserts if entry.local is None else updates).setdefault(entry.table, []).append(entry)
    for name in sorted(set(inserts) | set(updates), key=scopes.table_order):
        table: Table = scopes.MODELS[name].__table__
        writer = DriverWriter(connection, table, codec(table).columns, encoded=True)
        for chunk in chunks(_parents_first(table, inserts.get(name, [])), 20_000):
            writer.insert([entry.plan.write.row for entry in chunk], overrides=_overrides(chunk, plan, inserting=True))
        for chunk in chunks(updates.get(name, []), 20_000):
            writer.update([entry.plan.write.row for entry in chunk], overrides=_overrides(chunk, plan, inserting=False))
    for name in sorted(deletes, key=scopes.table_order, reverse=True):
        table = scopes.MODELS[name].__table__
        DriverWriter(connection, table, ("id",), encoded=True).delete(deletes[name])


def _overrides(entries: Sequence[RecordEntry], plan: ImportPlan, *, inserting: bool) -> dict[str, list[Any]]:
    """Values written instead of the arrived ones: the id as parsed when the bundle was read, an inspection that
    arrives finished written as a draft (finished once its answers are in), and on an update this installation's
    optimistic-locking counter moved on — so a form opened before the import cannot save over what arrived
    (desktop/services/institution_commands.require_version)."""
    overrides: dict[str, list[Any]] = {"id": [entry.entity_id for entry in entries]}
    if plan.to_finish and entries and entries[0].table == Inspection.__tablename__:
        overrides["finished"] = [
            False if entry.entity_id in plan.to_finish else entry.plan.write.row["finished"] for entry in entries
        ]
    if not inserting:
        overrides["version"] = [(entry.local_version or 0) + 1 for entry in entries]
    return overrides


def _parents_first(table: Table, entries: list[RecordEntry]) -> list[RecordEntry]:
    """Records of a table that points at itself (a correction at what it corrects), each after the one it names."""
    links = [
        (column.name, foreign_key.column.name)
        for column in table.columns
        for foreign_key in column.foreign_keys
        if foreign_key.column.table is table
    ]
    if not links or len(entries) < 2:
        return entries
    ordered: list[RecordEntry] = []
    placed: set[int] = set()
    by_key = {(target, str(entry.plan.write.row[target])): entry for _, target in links for entry in entries}
    visiting: set[int] = set()

    def place(entry: RecordEntry) -> None:
        if id(entry) in placed or id(entry) in visiting:
            return
        visiting.add(id(entry))
        for column, target in links:
            parent = by_key.get((target, str(entry.plan.write.row.get(column))))
            if parent is not None and parent is not entry:
                place(parent)
        placed.add(id(entry))
        ordered.append(entry)

    for entry in entries:
        place(entry)
    return ordered


def _finish_inspections(connection: Connection, ids: set[uuid.UUID]) -> None:
    table = Inspection.__table__
    for chunk in chunks(sorted(ids), state.CHUNK):
        # updated_at as it arrived: the column's onupdate would stamp this machine's clock on the record.
        connection.execute(
            update(table).where(table.c.id.in_(chunk)).values(finished=True, updated_at=table.c.updated_at)
        )


def _conflicts(connection: Connection, plan: ImportPlan, now: datetime) -> None:
    for entry in plan.entries:
        candidates = entry.plan.conflict
        if candidates is None:
            continue
        document = json.dumps([c.as_json() for c in candidates], ensure_ascii=False, sort_keys=True)
        kept = entry.final_key
        winner_hash = kept if entry.plan.frozen else winner(candidates).key
        if entry.conflict_id is not None:
            connection.execute(
                update(SyncConflict.__table__)
                .where(SyncConflict.id == entry.conflict_id)
                .values(candidates_json=document, winner_hash=winner_hash, frozen=entry.plan.frozen, changed_at=now)
            )
        else:
            connection.execute(
                SyncConflict.__table__.insert().values(
                    id=uuid7(),
                    entity_type=entry.table,
                    entity_id=entry.entity_id,
                    status=CONFLICT_OPEN,
                    frozen=entry.plan.frozen,
                    candidates_json=document,
                    winner_hash=winner_hash,
                    detected_at=now,
                    changed_at=now,
                )
            )


def _close_conflicts(connection: Connection, closing: dict[uuid.UUID, uuid.UUID], now: datetime) -> None:
    for conflict_id, resolution_id in closing.items():
        connection.execute(
            update(SyncConflict.__table__)
            .where(SyncConflict.id == conflict_id)
            .values(status=CONFLICT_RESOLVED, resolved_at=now, resolution_id=resolution_id, changed_at=now)
        )


def _conflict_audit(entry: RecordEntry, actor: str, own_node: uuid.UUID, now: datetime) -> dict[str, Any]:
    candidates: tuple[Candidate, ...] = entry.plan.conflict or ()
    changes = {
        "candidates": [c.key for c in candidates],
        "kept": entry.final_key,
        "frozen": entry.plan.frozen,
    }
    verb = "保留本机版本（该记录不可修改）" if entry.plan.frozen else "暂按规则取其一"
    return {
        "id": uuid7(),
        "at": now,
        "actor": actor,
        "origin": own_node,
        "action": "sync_conflict",
        "entity_type": entry.table,
        "entity_id": entry.entity_id,
        "subject_id": entry.entity_id,
        "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True),
        "summary": f"同步冲突：{label_of(entry.table)}有 {len(candidates)} 个不同版本，{verb}，待人工处理"[:300],
    }


def import_audit(
    plan: ImportPlan, *, bundle_id: uuid.UUID, label: str, describe: str, actor: str, own_node: uuid.UUID, now: datetime
) -> dict[str, Any]:
    """This node's entry for the import as a whole: who imported which bundle, and what it did."""
    counts = {outcome.value: plan.count(outcome) for outcome in Outcome}
    return {
        "id": uuid7(),
        "at": now,
        "actor": actor,
        "origin": own_node,
        "action": "sync_import",
        "entity_type": "sync_bundle",
        "entity_id": bundle_id,
        "subject_id": None,
        "changes": json.dumps({"file": label, **counts}, ensure_ascii=False, sort_keys=True),
        "summary": (
            f"导入{describe}：新增 {counts['created']}，更新 {counts['updated']}，删除 {counts['deleted']}，"
            f"未变 {counts['unchanged']}，冲突 {counts['conflict']}"
        )[:300],
    }
