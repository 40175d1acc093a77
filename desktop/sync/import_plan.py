"""Planning an import: every incoming record against this database, before anything is written.

From the parsed bundle and the database (inside the import's transaction) this works out, per record, what the
three-way rule of desktop/domain/sync_merge.py says, with the records read by desktop/sync/import_records.py, and
refuses the whole bundle — nothing written — when a record is not one the source may send, or fails the checks of
desktop/sync/import_checks.py. The plan is what a dry run reports and what desktop/sync/import_apply.py writes.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, select

from desktop.domain.enums import NodeKind
from desktop.domain.node_enrolment import role_noun
from desktop.domain.sync_bundle_checks import SchemaRelation
from desktop.domain.sync_merge import Candidate, Outcome, RecordPlan, deletion, plan_record
from desktop.domain.sync_records import DELETED, content_hash, content_keys
from desktop.models import Inspection, InspectionAnswer, InspectionPhoto, SyncConflict, SyncShadow
from desktop.services.batching import chunks
from desktop.sync import scopes, state
from desktop.sync.import_checks import check_county, check_references
from desktop.sync.import_records import (
    ID,
    default_value,
    exists,
    map_references,
    missing_default,
    natural_key_matches,
    parse_id,
    part_records,
    rewrite_references,
)
from desktop.sync.import_records import local_rows as read_local
from desktop.sync.labels import TABLE_LABELS, label_of
from desktop.sync.payload import ACCEPTED, CONFLICT, KEPT, DataPayload, TablePart
from desktop.sync.refusals import NOTHING_CHANGED, ContentRefusal, SyncContentRefused, bad_content
from desktop.sync.row_codec import TableCodec, codec

__all__ = ["TABLE_LABELS", "ImportPlan", "RecordEntry", "default_value", "label_of", "plan_import"]


@dataclass(slots=True)
class RecordEntry:
    """One incoming record and what will happen to it."""

    table: str
    sent_id: str  # the id as the source knows it (the receipt answers with it)
    entity_id: uuid.UUID  # this database's id (differs only for records matched by natural key)
    local_id: str  # the same, as text
    incoming: Candidate
    local: Candidate | None
    local_version: int | None
    plan: RecordPlan
    conflict_id: uuid.UUID | None = None  # the open conflict this record joins

    @property
    def final_key(self) -> str | None:
        """The version this database holds after the import (hash, DELETED, or None: no record)."""
        if self.plan.write is not None:
            return self.plan.write.key
        if self.local is None:
            return None
        return self.local.key

    @property
    def final_hash(self) -> str | None:
        key = self.final_key
        return None if key in (None, DELETED) else key


# The keys of a table's counts, as in the totals of desktop/sync/importing.py's ImportOutcome.
TABLE_COUNT_KEYS = {
    "created": Outcome.CREATED,
    "updated": Outcome.UPDATED,
    "deleted": Outcome.DELETED,
    "unchanged": Outcome.UNCHANGED,
    "conflicts": Outcome.CONFLICT,
}


@dataclass
class ImportPlan:
    entries: list[RecordEntry] = field(default_factory=list)
    # Inspections written as drafts first and finished once their answers and photos are in.
    to_finish: set[uuid.UUID] = field(default_factory=set)
    # Tables whose records this node sends back to the source: records held differently are offered again.
    reverse_tables: frozenset[str] = frozenset()
    # Open conflicts an incoming resolution decides: conflict id → resolution id.
    closing: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    # Records that can no longer change once imported (append-only ones, a finished inspection's answers and
    # photos), of tables this node does not send back: no shadow is kept for them, as no later version can come.
    settled: set[str] = field(default_factory=set)
    _counts: Counter | None = field(default=None, repr=False)

    def count(self, outcome: Outcome) -> int:
        if self._counts is None or sum(self._counts.values()) != len(self.entries):
            self._counts = Counter(entry.plan.outcome for entry in self.entries)
        return self._counts[outcome]

    def table_counts(self) -> dict[str, dict[str, int]]:
        """Per table (parents first): how many records the import creates, updates, deletes, leaves, or conflicts."""
        counts: dict[str, Counter] = {}
        for entry in self.entries:
            counts.setdefault(entry.table, Counter())[entry.plan.outcome] += 1
        return {
            table: {name: found[outcome] for name, outcome in TABLE_COUNT_KEYS.items()}
            for table, found in sorted(counts.items(), key=lambda item: scopes.table_order(item[0]))
        }

    def receipt_records(self) -> dict[str, list[tuple[str, str | None, str]]]:
        records: dict[str, list[tuple[str, str | None, str]]] = {}
        for entry in self.entries:
            if entry.plan.conflict is not None:
                status = CONFLICT
            elif entry.final_key == entry.incoming.key or (entry.final_key is None and entry.incoming.deleted):
                status = ACCEPTED
            else:
                status = KEPT
            records.setdefault(entry.table, []).append((entry.sent_id, entry.final_hash, status))
        return records


def plan_import(
    connection: Connection,
    payload: DataPayload,
    *,
    source: Any,
    own_node: uuid.UUID,
    own_role: NodeKind,
    schema: SchemaRelation,
    label: str,
) -> ImportPlan:
    allowed = {model.__tablename__ for model in scopes.tables_from(source.role, own_role)}
    for part in payload.tables:
        if part.table not in allowed:
            raise SyncContentRefused(
                ContentRefusal.NOT_ALLOWED,
                f"“{label}”中有{label_of(part.table)}，但{role_noun(source.role)}不向{role_noun(own_role)}发送这类记录。"
                f"{NOTHING_CHANGED}请确认同步包的来源。",
            )
    if payload.source_role is not source.role or payload.target_role is not own_role:
        raise bad_content(label, "同步包所写的节点角色与已登记的不符")
    parts = sorted(payload.tables, key=lambda part: scopes.table_order(part.table))
    reverse = frozenset(model.__tablename__ for model in scopes.tables_from(own_role, source.role))
    plan = ImportPlan(reverse_tables=reverse)
    id_maps: dict[str, dict[str, str]] = {}
    map_references(connection, payload, id_maps, label)
    resolutions: list[dict[str, Any]] = []
    here = _Here(
        source=source.node_id,
        nodes=(str(source.node_id),),
        mine=(str(own_node),),
        conflicts=exists(connection, select(SyncConflict.id).where(SyncConflict.status == "open")),
        heard=exists(connection, select(SyncShadow.entity_id).where(SyncShadow.peer_node == source.node_id)),
    )
    # Parents come first, so by the time a table is planned the ids of records it points at are mapped.
    decoded_parts = []
    for part in parts:
        model = scopes.MODELS[part.table]
        table: Table = model.__table__
        table_codec = codec(table)
        records = part_records(part, table_codec, schema, label)
        deleted = [(parse_id(sent_id, label), base) for sent_id, base in part.deleted]
        rewrite_references(table, records, id_maps)
        empty = not exists(connection, select(table.c.id))
        local_rows = (
            {} if empty else read_local(connection, table_codec, [r[ID] for r in records] + [i for i, _ in deleted])
        )
        mapping = natural_key_matches(connection, table_codec, records, local_rows, label)
        id_maps.setdefault(part.table, {}).update(mapping)
        decoded_parts.append((part, table_codec, records, deleted, local_rows, id_maps[part.table], empty))
        if part.table == "sync_conflict_resolutions":
            resolutions.extend(records)
    closing = _conflicts_closed_by(connection, resolutions)
    plan.closing = {conflict_id: resolution_id for conflict_id, resolution_id in closing.values()}
    for part, table_codec, records, deleted, local_rows, mapping, empty in decoded_parts:
        _plan_table(connection, plan, here, part, table_codec, records, deleted, local_rows, mapping, closing, empty)
    if source.role in (NodeKind.LAPTOP, NodeKind.COUNTY):
        check_county(connection, plan, source.division_code, label)
    check_references(connection, plan, payload, label)
    plan.settled = _settled(connection, plan)
    return plan


def _settled(connection: Connection, plan: ImportPlan) -> set[str]:
    """Records that can no longer change after this import, in tables this node does not send back."""
    finished: set[str] = set()
    parents: set[str] = set()
    for entry in plan.entries:
        row = entry.plan.write.row if entry.plan.write is not None else entry.local.row if entry.local else None
        if entry.table == Inspection.__tablename__:
            if row is not None and row.get("finished"):
                finished.add(entry.local_id)
        elif entry.table in _OF_INSPECTION and row is not None:
            parents.add(row["inspection_id"])
    unknown = sorted(parents - finished - {e.local_id for e in plan.entries if e.table == Inspection.__tablename__})
    for chunk in chunks([uuid.UUID(i) for i in unknown], state.CHUNK):
        query = select(Inspection.id).where(Inspection.id.in_(chunk), Inspection.finished.is_(True))
        finished.update(str(i) for i in connection.scalars(query))
    settled = set()
    for entry in plan.entries:
        if entry.table in plan.reverse_tables:
            continue
        row = entry.plan.write.row if entry.plan.write is not None else entry.local.row if entry.local else None
        of_finished = entry.table in _OF_INSPECTION and row is not None and row["inspection_id"] in finished
        if entry.table in scopes.APPEND_ONLY or of_finished:
            settled.add(entry.local_id)
    return settled


_OF_INSPECTION = (InspectionAnswer.__tablename__, InspectionPhoto.__tablename__)


@dataclass(frozen=True)
class _Here:
    """What planning needs to know about this database and the source, asked once per import."""

    source: uuid.UUID
    nodes: tuple[str, ...]  # the source, as a candidate's node list
    mine: tuple[str, ...]  # this node, likewise
    conflicts: bool  # some conflict is open here
    heard: bool  # this node has shadows of the source


# ---- planning -------------------------------------------------------------------------------------


def _plan_table(
    connection: Connection,
    plan: ImportPlan,
    here: _Here,
    part: TablePart,
    table_codec: TableCodec,
    records: list[dict[str, Any]],
    deleted: list[tuple[uuid.UUID, str | None]],
    local_rows: dict[str, dict[str, Any]],
    mapping: dict[str, str],
    closing: dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID]],
    empty: bool,
) -> None:
    table = table_codec.table
    table_name = str(table.name)  # plain text: the driver binds a str subclass (quoted_name) much more slowly
    keys = content_keys(table_codec.columns)
    items: list[tuple[str, uuid.UUID, str, Candidate, str | None]] = []
    for record, base in zip(records, part.bases, strict=True):
        sent_id = record["id"]
        entity_id = record.pop(ID)
        if sent_id in mapping:
            record["id"] = mapping[sent_id]
            entity_id = uuid.UUID(record["id"])
        missing = record.pop("__missing__", None)
        if missing:
            local = local_rows.get(record["id"])
            for name in missing:
                record[name] = local[name] if local is not None else missing_default(table_codec, name)
        items.append(
            (sent_id, entity_id, record["id"], Candidate(content_hash(record, keys), record, here.nodes), base)
        )
    for entity_id, base in deleted:
        sent_id = str(entity_id)
        if sent_id in mapping:
            entity_id = uuid.UUID(mapping[sent_id])
        items.append((sent_id, entity_id, mapping.get(sent_id, sent_id), deletion(here.nodes), base))
    ids = [entity_id for _, entity_id, _, _, _ in items]
    conflicts = _open_conflicts(connection, table.name, ids) if here.conflicts else {}
    frozen = set() if empty else _frozen(connection, table.name, local_rows)
    # What this node last heard the source has: a second bundle sent before the first one's receipt came back.
    heard = state.shadows_of(connection, here.source, ids) if here.heard else {}
    inspections = table.name == Inspection.__tablename__
    for sent_id, entity_id, local_id, incoming, base in items:
        local_row = local_rows.get(local_id)
        local = None if local_row is None else Candidate(content_hash(local_row, keys), local_row, here.mine)
        open_conflict = conflicts.get(entity_id)
        if open_conflict is not None and entity_id in closing:
            open_conflict = None  # decided by a resolution in this bundle: the resolved version applies
        shadow = heard.get(entity_id)
        record_plan = plan_record(
            incoming,
            (base, None if shadow is None else shadow.base),
            local,
            None if open_conflict is None else open_conflict[1],
            frozen=local_id in frozen,
        )
        plan.entries.append(
            RecordEntry(
                table_name,
                sent_id,
                entity_id,
                local_id,
                incoming,
                local,
                None if local_row is None else local_row.get("version"),
                record_plan,
                conflict_id=None if open_conflict is None else open_conflict[0],
            )
        )
        write = record_plan.write
        finishing = inspections and write is not None and (write.row or {}).get("finished")
        if finishing and (local_row is None or not local_row.get("finished")):
            plan.to_finish.add(entity_id)


def _open_conflicts(
    connection: Connection, table: str, ids: list[uuid.UUID]
) -> dict[uuid.UUID, tuple[uuid.UUID, tuple[Candidate, ...]]]:
    found = {}
    for chunk in chunks(ids, state.CHUNK):
        query = select(SyncConflict.id, SyncConflict.entity_id, SyncConflict.candidates_json).where(
            SyncConflict.entity_type == table, SyncConflict.status == "open", SyncConflict.entity_id.in_(chunk)
        )
        for conflict_id, entity_id, candidates in connection.execute(query):
            found[entity_id] = (conflict_id, tuple(Candidate.from_json(c) for c in json.loads(candidates)))
    return found


def _conflicts_closed_by(
    connection: Connection, resolutions: list[dict[str, Any]]
) -> dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID]]:
    """Open conflicts (record id → (conflict id, resolution id)) that an incoming resolution decides: it saw
    every version this node holds."""
    closing: dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID]] = {}
    for resolution in resolutions:
        try:
            entity_id = uuid.UUID(resolution["entity_id"])
            resolution_id = uuid.UUID(resolution["id"])
            seen = set(json.loads(resolution["candidate_hashes"])) | {resolution.get("chosen_hash") or DELETED}
        except (KeyError, TypeError, ValueError):
            continue  # a malformed resolution is refused when its row is decoded
        query = select(SyncConflict.id, SyncConflict.candidates_json).where(
            SyncConflict.entity_type == resolution["entity_type"],
            SyncConflict.entity_id == entity_id,
            SyncConflict.status == "open",
        )
        for conflict_id, candidates in connection.execute(query):
            keys = {Candidate.from_json(c).key for c in json.loads(candidates)}
            if keys <= seen:
                closing[entity_id] = (conflict_id, resolution_id)
    return closing


def _frozen(connection: Connection, table: str, local_rows: dict[str, dict[str, Any]]) -> set[str]:
    """Local records the database will not let change: append-only ones, and finished inspections' records."""
    if table in scopes.APPEND_ONLY:
        return set(local_rows)
    if table == Inspection.__tablename__:
        return {i for i, row in local_rows.items() if row.get("finished")}
    if table in (InspectionAnswer.__tablename__, InspectionPhoto.__tablename__):
        parents = {row["inspection_id"] for row in local_rows.values()}
        finished = set()
        for chunk in chunks([uuid.UUID(p) for p in parents], state.CHUNK):
            query = select(Inspection.id).where(Inspection.id.in_(chunk), Inspection.finished.is_(True))
            finished.update(str(i) for i in connection.scalars(query))
        return {i for i, row in local_rows.items() if row["inspection_id"] in finished}
    return set()
