"""Planning an import: every incoming record against this database, before anything is written.

From the parsed bundle and the database (inside the import's transaction) this works out, per record, what the
three-way rule of desktop/domain/sync_merge.py says; maps records matched by natural key (regions, templates) to
this installation's ids; upgrades rows of an older schema; and refuses the whole bundle — nothing written — when
a record is not one the source may send, belongs to another county, or points at a record this database does not
have. The plan is what a dry run reports and what desktop/sync/import_apply.py writes.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Connection, Table, select

from desktop.domain.enums import NodeKind
from desktop.domain.node_enrolment import role_noun
from desktop.domain.sync_bundle_checks import SchemaRelation
from desktop.domain.sync_merge import Candidate, Outcome, RecordPlan, deletion, plan_record
from desktop.domain.sync_records import DELETED, content_hash, content_keys
from desktop.models import Inspection, InspectionAnswer, InspectionPhoto, PhotoContent, SyncConflict, SyncShadow
from desktop.services.batching import chunks
from desktop.services.record_codec import RecordFormatError
from desktop.sync import scopes, state
from desktop.sync.payload import ACCEPTED, CONFLICT, KEPT, DataPayload, TablePart
from desktop.sync.refusals import NOTHING_CHANGED, ContentRefusal, SyncContentRefused, bad_content
from desktop.sync.row_codec import TableCodec, codec

# Table names as a person reads them in a refusal.
TABLE_LABELS = {
    "regions": "行政区划",
    "region_populations": "人口数据",
    "checklist_templates": "检查表",
    "institutions": "机构档案",
    "institution_events": "机构变更记录",
    "class_groups": "班级",
    "staff": "从业人员",
    "children": "在托幼儿",
    "random_draws": "双随机抽查记录",
    "inspections": "检查记录",
    "inspection_answers": "检查项结果",
    "inspection_photos": "检查照片",
    "rectification_notices": "整改通知书",
    "rectification_closures": "整改销号",
    "violations": "违法行为处理记录",
    "subsidy_applications": "补贴申请",
    "enrollment_claims": "入托补贴明细",
    "sync_conflict_resolutions": "冲突处理记录",
    "photo_contents": "照片",
}


def label_of(table: str) -> str:
    return TABLE_LABELS.get(table, table)


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
    _map_references(connection, payload, id_maps, label)
    resolutions: list[dict[str, Any]] = []
    here = _Here(
        source=source.node_id,
        nodes=(str(source.node_id),),
        mine=(str(own_node),),
        conflicts=_exists(connection, select(SyncConflict.id).where(SyncConflict.status == "open")),
        heard=_exists(connection, select(SyncShadow.entity_id).where(SyncShadow.peer_node == source.node_id)),
    )
    # Parents come first, so by the time a table is planned the ids of records it points at are mapped.
    decoded_parts = []
    for part in parts:
        model = scopes.MODELS[part.table]
        table: Table = model.__table__
        table_codec = codec(table)
        records = _records(part, table_codec, schema, label)
        deleted = [(_uuid(sent_id, label), base) for sent_id, base in part.deleted]
        _rewrite_references(table, records, id_maps)
        empty = not _exists(connection, select(table.c.id))
        local_rows = (
            {} if empty else _local_rows(connection, table_codec, [r[ID] for r in records] + [i for i, _ in deleted])
        )
        mapping = _natural_key_matches(connection, table_codec, records, local_rows, label)
        id_maps.setdefault(part.table, {}).update(mapping)
        decoded_parts.append((part, table_codec, records, deleted, local_rows, id_maps[part.table], empty))
        if part.table == "sync_conflict_resolutions":
            resolutions.extend(records)
    closing = _conflicts_closed_by(connection, resolutions)
    plan.closing = {conflict_id: resolution_id for conflict_id, resolution_id in closing.values()}
    for part, table_codec, records, deleted, local_rows, mapping, empty in decoded_parts:
        _plan_table(connection, plan, here, part, table_codec, records, deleted, local_rows, mapping, closing, empty)
    if source.role in (NodeKind.LAPTOP, NodeKind.COUNTY):
        _check_county(connection, plan, source.division_code, label)
    _check_references(connection, plan, payload, label)
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


# The parsed id of a record, kept beside its columns while it is planned.
ID = "__id__"


@dataclass(frozen=True)
class _Here:
    """What planning needs to know about this database and the source, asked once per import."""

    source: uuid.UUID
    nodes: tuple[str, ...]  # the source, as a candidate's node list
    mine: tuple[str, ...]  # this node, likewise
    conflicts: bool  # some conflict is open here
    heard: bool  # this node has shadows of the source


def _exists(connection: Connection, query: Any) -> bool:
    return connection.execute(query.limit(1)).first() is not None


def _uuid(value: Any, label: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError, AttributeError) as error:
        raise bad_content(label, f"记录编号无效（{str(value)[:40]}）") from error


# ---- records --------------------------------------------------------------------------------------


def _records(part: TablePart, table_codec: TableCodec, schema: SchemaRelation, label: str) -> list[dict[str, Any]]:
    """The rows of a part as dicts of this installation's columns (an older schema's upgraded)."""
    ours = table_codec.columns
    extra = [name for name in part.columns if name not in ours]
    missing = [name for name in ours if name not in part.columns]
    if (extra or missing) and schema is SchemaRelation.SAME:
        raise bad_content(label, f"{label_of(part.table)}的字段与本版本不符")
    records = []
    seen: set[str] = set()
    for values in part.rows:
        record = dict(zip(part.columns, values, strict=True))
        for name in extra:
            del record[name]  # removed by a later revision
        if not isinstance(record.get("id"), str) or record["id"] in seen:
            raise bad_content(label, f"{label_of(part.table)}记录的编号缺失或重复")
        seen.add(record["id"])
        record[ID] = _uuid(record["id"], label)
        if missing:
            record["__missing__"] = missing
        records.append(record)
    return records


def default_value(column: Column, table_codec: TableCodec) -> Any:
    """The value a column added after a bundle was written takes in its rows: its default, else empty."""
    default = column.default
    if default is not None and getattr(default, "is_scalar", False):
        value = default.arg
    elif default is not None and getattr(default, "is_callable", False):
        value = default.arg(None)
    elif column.server_default is not None and isinstance(getattr(column.server_default, "arg", None), str):
        value = column.server_default.arg
    elif column.nullable:
        return None
    else:
        raise ValueError(column.name)
    return table_codec.encode_value(column.name, value)


def _local_rows(connection: Connection, table_codec: TableCodec, ids: list[uuid.UUID]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    table = table_codec.table
    for chunk in chunks(ids, state.CHUNK):
        query = select(*table_codec.select_columns).where(table.c.id.in_(chunk))
        for row in connection.execute(query):
            record = table_codec.as_dict(table_codec.encode(row))
            found[record["id"]] = record
    return found


def _natural_key_matches(
    connection: Connection,
    table_codec: TableCodec,
    records: list[dict[str, Any]],
    local_rows: dict[str, dict[str, Any]],
    label: str,
) -> dict[str, str]:
    """Incoming id → this database's id, for records this database holds under its own id (same natural key)."""
    keys = scopes.NATURAL_KEYS.get(table_codec.table.name)
    if not keys:
        return {}
    unmatched = [record for record in records if record["id"] not in local_rows]
    if not unmatched:
        return {}
    table = table_codec.table
    by_key: dict[tuple, dict[str, Any]] = {}
    query = select(*table_codec.select_columns)
    for row in connection.execute(query):
        local = table_codec.as_dict(table_codec.encode(row))
        by_key[tuple(local[key] for key in keys)] = local
    mapping = {}
    for record in unmatched:
        if any(key not in record for key in keys):
            raise bad_content(label, f"{label_of(table.name)}缺少识别字段")
        local = by_key.get(tuple(record[key] for key in keys))
        if local is not None:
            mapping[record["id"]] = local["id"]
            local_rows[local["id"]] = local
    return mapping


def _rewrite_references(table: Table, records: list[dict[str, Any]], id_maps: dict[str, dict[str, str]]) -> None:
    """Point foreign keys at this database's ids of records matched by natural key."""
    for column in table.columns:
        for foreign_key in column.foreign_keys:
            mapping = id_maps.get(foreign_key.column.table.name)
            if mapping and foreign_key.column.name == "id":
                for record in records:
                    value = record.get(column.name)
                    if value in mapping:
                        record[column.name] = mapping[value]


def _map_references(
    connection: Connection, payload: DataPayload, id_maps: dict[str, dict[str, str]], label: str
) -> None:
    """Records pointed at by id that the bundle names by natural key only (a laptop's template ids): find ours.
    Those the bundle carries as rows are matched with the rows."""
    for target, references in payload.references.items():
        carried = {
            row[part.columns.index("id")] for part in payload.tables if part.table == target for row in part.rows
        }
        keys = scopes.NATURAL_KEYS.get(target)
        if keys is None:
            raise bad_content(label, f"引用了无法识别的表 {target[:40]}")
        table_codec = codec(scopes.MODELS_BY_NAME[target].__table__)
        local = {}
        for row in connection.execute(select(*table_codec.select_columns)):
            record = table_codec.as_dict(table_codec.encode(row))
            local[tuple(record[key] for key in keys)] = record
        mapping = id_maps.setdefault(target, {})
        for sent_id, reference in references.items():
            if sent_id in mapping or sent_id in carried:
                continue
            if any(key not in reference for key in keys):
                raise bad_content(label, f"{label_of(target)}的引用缺少识别字段")
            found = local.get(tuple(reference[key] for key in keys))
            if found is None or content_hash(found) != reference.get("hash"):
                shown = "、".join(str(reference[key]) for key in keys)
                raise SyncContentRefused(
                    ContentRefusal.MISSING_REFERENCE,
                    f"“{label}”中的记录使用的{label_of(target)}（{shown}）在本数据库中没有，或内容不同。{NOTHING_CHANGED}"
                    f"请先导入该{label_of(target)}（由市级下发），再导入这个同步包。",
                )
            mapping[sent_id] = found["id"]


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
                record[name] = local[name] if local is not None else _default(table_codec, name)
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


def _default(table_codec: TableCodec, name: str) -> Any:
    try:
        return default_value(table_codec.table.c[name], table_codec)
    except ValueError as error:
        raise RecordFormatError(f"同步包中的“{table_codec.table.name}”记录缺少必填字段 {name}。") from error


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


# ---- checks ---------------------------------------------------------------------------------------


def _check_county(connection: Connection, plan: ImportPlan, county: str, label: str) -> None:
    """Every record a laptop or county sends must be of its own county (reliability-anchors A26)."""
    incoming: dict[str, dict[str, Any]] = {}
    for entry in plan.entries:
        if entry.incoming.row is not None:
            incoming.setdefault(entry.table, {})[entry.incoming.row["id"]] = entry.incoming.row
    resolved: dict[tuple[str, str], str | None] = {}

    def county_of(table: str, record: dict[str, Any]) -> str | None:
        rule = scopes.COUNTY_OF.get(table)
        if rule is None:
            return county
        value = record.get(rule.column)
        if rule.via is None:
            return value
        key = (rule.via, value)
        if key not in resolved:
            parent = incoming.get(rule.via, {}).get(value)
            if parent is None:
                parent = _local_record(connection, rule.via, value)
            resolved[key] = None if parent is None else county_of(rule.via, parent)
        return resolved[key]

    for table, records in incoming.items():
        for record in records.values():
            found = county_of(table, record)
            if found is not None and found != county:
                raise SyncContentRefused(
                    ContentRefusal.NOT_ALLOWED,
                    f"“{label}”中有{label_of(table)}不属于来源节点所在的县区（{county}）。{NOTHING_CHANGED}"
                    "请确认同步包来自本县区的节点。",
                )


def _local_record(connection: Connection, table_name: str, entity_id: str | None) -> dict[str, Any] | None:
    if entity_id is None:
        return None
    try:
        key = uuid.UUID(entity_id)
    except (TypeError, ValueError, AttributeError):
        return None  # not an id at all: the check of references refuses it
    table_codec = codec(scopes.MODELS_BY_NAME[table_name].__table__)
    return _local_rows(connection, table_codec, [key]).get(entity_id)


def _check_references(connection: Connection, plan: ImportPlan, payload: DataPayload, label: str) -> None:
    """Every record written must point at records this database has, or gets from the bundle, and keeps."""
    writes = [entry for entry in plan.entries if entry.plan.write is not None and not entry.plan.write.deleted]
    deleting = {e.local_id for e in plan.entries if e.plan.write is not None and e.plan.write.deleted}
    arriving: dict[str, set[str]] = {}
    for entry in writes:
        arriving.setdefault(entry.table, set()).add(entry.local_id)
    photos = {photo.sha256 for photo in payload.photos}
    by_table: dict[str, list[RecordEntry]] = {}
    for entry in writes:
        by_table.setdefault(entry.table, []).append(entry)
    for table_name, entries in by_table.items():
        table = scopes.MODELS[table_name].__table__
        for column in table.columns:
            for foreign_key in column.foreign_keys:
                target = foreign_key.column
                wanted = {e.plan.write.row.get(column.name) for e in entries} - {None}
                if target.table.name == PhotoContent.__tablename__:
                    wanted -= photos
                if target.name == "id":
                    wanted -= arriving.get(target.table.name, set()) - deleting
                else:
                    wanted -= {
                        e.plan.write.row.get(target.name)
                        for e in plan.entries
                        if e.table == target.table.name and e.plan.write is not None and e.plan.write.row
                    }
                missing = wanted - _existing(connection, target, wanted, deleting)
                if missing:
                    raise SyncContentRefused(
                        ContentRefusal.MISSING_REFERENCE,
                        f"“{label}”中有 {len(missing)} 条{label_of(table_name)}所指的{label_of(target.table.name)}"
                        f"在本数据库中没有。{NOTHING_CHANGED}请先导入对方更早的同步包，或请对方完整导出（--full）后再导入。",
                    )


def _existing(connection: Connection, target: Column, values: Iterable[Any], deleting: set[str]) -> set[Any]:
    values = list(values)
    if not values:
        return set()
    found = set()
    is_id = target.name == "id"
    for chunk in chunks(values, state.CHUNK):
        keys = [uuid.UUID(v) for v in chunk] if is_id else list(chunk)
        for row in connection.execute(select(target).where(target.in_(keys))):
            value = str(row[0]) if is_id else row[0]
            if is_id and value in deleting:
                continue
            found.add(value)
    return found
