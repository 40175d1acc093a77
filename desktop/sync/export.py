"""Export: everything a peer does not have yet, in one signed bundle (docs/sync.md "Export").

Which records: those with a journal entry after the last one the peer acknowledged (a receipt), or — on request,
or while the peer has acknowledged nothing — every record in scope. Each is read as it is now, or sent as a
deletion when it no longer exists and the peer is known to have it. A record whose content equals what the peer
is known to have (its shadow) is left out: nothing the peer sent is ever echoed back. Each record carries its
base, the version both last shared, for the importer's three-way rule.

The rows are read in one snapshot (on PostgreSQL after every transaction that wrote journal entries up to the
high-water mark has committed); the bundle's sequence number is taken and the file written in a short write
transaction that records the bundle as sent, so a file that cannot be written uses up no number.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, and_, select, text

from desktop.db.migrate import HEAD_REVISION
from desktop.domain.enums import NodeKind
from desktop.domain.node_enrolment import role_noun
from desktop.domain.sync_bundle import DEFAULT_LIFETIME, BundleHeader
from desktop.domain.sync_records import content_hash, content_keys
from desktop.errors import TuoyuError
from desktop.models import AuditEntry, InspectionPhoto, PhotoContent, SyncSentBundle
from desktop.models.base import utc_now
from desktop.models.uuid7 import uuid7
from desktop.services.batching import chunks
from desktop.services.enrolled_nodes import peer_keys
from desktop.services.nodes import own_keys, this_node
from desktop.services.startup import AppContext
from desktop.services.sync_bundle_files import write_bundle
from desktop.services.unit_of_work import write_session
from desktop.sync import scopes, state
from desktop.sync.memory import no_cyclic_gc
from desktop.sync.payload import DataPayload, Photo, TablePart, data_members
from desktop.sync.policy_files import policies_to_send
from desktop.sync.row_codec import codec

# With more changed records than this, audit entries are found by scanning their tables instead of by id.
_AUDIT_BY_ID_LIMIT = 20_000


@dataclass(frozen=True)
class ExportSummary:
    bundle_id: uuid.UUID
    target_node: uuid.UUID
    target_name: str
    target_role: str
    sequence: int
    full: bool
    file: str
    file_size: int
    # table → records sent (rows and deletions)
    records: dict[str, int] = field(default_factory=dict)
    deletions: int = 0
    # records in scope that the peer already has (equal to its shadow), not sent
    skipped: int = 0
    photos: int = 0
    audit_entries: int = 0
    policies: tuple[str, ...] = ()
    journal_high_water: int = 0

    @property
    def record_count(self) -> int:
        return sum(self.records.values())


def export_bundle(
    ctx: AppContext, *, to: uuid.UUID, out: Path, full: bool = False, now: datetime | None = None
) -> ExportSummary:
    """Write the bundle for the enrolled node ``to`` into ``out`` and record it as sent."""
    with no_cyclic_gc():
        return _export(ctx, to, Path(out), full, now)


def _export(ctx: AppContext, to: uuid.UUID, out: Path, full: bool, now: datetime | None) -> ExportSummary:
    own = own_keys(ctx)
    own_division = this_node(ctx).division_code
    peer = peer_keys(ctx, to)
    models = scopes.tables_from(own.role, peer.role)
    with_policies = scopes.sends_policies(own.role, peer.role)
    if not models and not with_policies:
        raise TuoyuError(
            f"本机是{role_noun(own.role)}，不向{role_noun(peer.role)}（“{peer.name}”）发送同步包。"
            "请确认要导出给哪个节点（tuoyu node list）。"
        )
    now = now or utc_now()
    high_water = _safe_high_water(ctx)
    with ctx.db.engine.connect() as connection:
        if not ctx.db.is_sqlite:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            if ctx.db.is_sqlite:
                high_water = state.journal_high_water(connection)
            acknowledged = state.acknowledged_high_water(connection, peer.node_id)
            full = full or acknowledged is None
            county = own_division if own.role is not NodeKind.CITY else None
            collected = _collect(connection, models, peer, own.role, county, full, acknowledged or 0, high_water)
    payload = DataPayload(
        own.role,
        peer.role,
        full,
        collected.parts,
        codec(AuditEntry.__table__).columns,
        collected.audit_rows,
        collected.photos,
        collected.references,
        policies_to_send(ctx) if with_policies else [],
    )
    personal = frozenset(model.__tablename__ for model in models if scopes.is_personal(model))
    members = data_members(payload, personal)
    bundle_id = uuid7()
    created_at = now.replace(microsecond=0)
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        connection = session.connection()
        sequence = state.next_sequence(connection, peer.node_id)
        header = BundleHeader(
            bundle_id, own.node_id, peer.node_id, sequence, HEAD_REVISION, created_at, created_at + DEFAULT_LIFETIME
        )
        written = write_bundle(
            Path(out), header, members, signing_key=own.signing_key, recipient_public_key=peer.encryption_key
        )
        summary = ExportSummary(
            bundle_id,
            peer.node_id,
            peer.name,
            peer.role.value,
            sequence,
            full,
            str(out),
            written.file_size,
            {part.table: part.count for part in collected.parts},
            sum(len(part.deleted) for part in collected.parts),
            collected.skipped,
            len(collected.photos),
            len(collected.audit_rows),
            tuple(name for name, _ in payload.policies),
            high_water,
        )
        session.add(
            SyncSentBundle(
                bundle_id=bundle_id,
                target_node=peer.node_id,
                sequence=sequence,
                kind="data",
                full=full,
                journal_high_water=high_water,
                record_count=summary.record_count,
                created_at=created_at,
                expires_at=header.expires_at,
                file_name=Path(out).name[:255],
                exported_by=ctx.actor.username,
            )
        )
        session.add(_audit(ctx, summary, now))
    return summary


def _safe_high_water(ctx: AppContext) -> int:
    """On PostgreSQL, the journal's high-water mark once every transaction that wrote entries below it has
    committed: sequence values are handed out before commit, so a later number may commit first. SHARE mode
    waits for the writers holding the table and keeps new ones out for the moment it takes to read the maximum."""
    if ctx.db.is_sqlite:
        return 0  # read in the export's own snapshot; SQLite has one writer at a time
    with ctx.db.engine.begin() as connection:
        connection.execute(text("LOCK TABLE sync_journal IN SHARE MODE"))
        return state.journal_high_water(connection)


@dataclass
class _Collected:
    parts: list[TablePart] = field(default_factory=list)
    audit_rows: list[list[Any]] = field(default_factory=list)
    photos: list[Photo] = field(default_factory=list)
    references: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    skipped: int = 0


def _collect(
    connection: Connection,
    models: tuple[type, ...],
    peer: Any,
    own_role: NodeKind,
    county: str | None,
    full: bool,
    after: int,
    high_water: int,
) -> _Collected:
    """What goes: records of ``county`` (a laptop's and a county's own; None for a city's) in the route's tables."""
    collected = _Collected()
    names = [model.__tablename__ for model in models]
    if full:
        shadows = state.shadows_of(connection, peer.node_id, None, names)
        changed = None
        known_to_peer = state.shadow_tombstones(connection, peer.node_id, names)
    else:
        changed = state.changed_since(connection, names, after, high_water)
        _add_companions(connection, changed)
        shadows = state.shadows_of(connection, peer.node_id, {i for ids in changed.values() for i in ids})
        known_to_peer = None
    exported_ids: set[uuid.UUID] = set()
    for model in models:
        table: Table = model.__table__
        table_codec = codec(table)
        transform = scopes.outgoing_transform(peer.role, table.name)
        where = _where(
            scopes.in_county(model, county) if county else None, scopes.route_filter(own_role, peer.role, model)
        )
        part = TablePart(table.name, table_codec.columns)
        keys = content_keys(table_codec.columns)
        present: set[uuid.UUID] = set()
        id_index = table_codec.columns.index("id")
        for row in _rows(connection, table, table_codec.select_columns, where, None if full else changed[table.name]):
            values = table_codec.encode(row)
            record = table_codec.as_dict(values)
            entity_id = row[id_index]
            present.add(entity_id)
            if transform is not None:
                record = transform(record)
                values = [record[name] for name in table_codec.columns]
            digest = content_hash(record, keys)
            shadow = shadows.get(entity_id)
            if shadow is not None and not shadow.deleted and shadow.content_hash == digest:
                collected.skipped += 1
                continue
            part.rows.append(values)
            part.bases.append(None if shadow is None else shadow.base)
            exported_ids.add(entity_id)
        gone = (known_to_peer or {}).get(table.name, set()) if full else changed[table.name]
        for entity_id in sorted(gone - present):
            shadow = shadows.get(entity_id)
            if shadow is None or shadow.deleted or _exists(connection, table, entity_id):
                continue  # the peer never had it, already deleted it, or it is out of scope but still here
            part.deleted.append((str(entity_id), shadow.base))
            exported_ids.add(entity_id)
        if part.count:
            collected.parts.append(part)
    collected.references = _references(connection, collected.parts)
    collected.photos = _photos(connection, collected.parts)
    collected.audit_rows = _audit_rows(connection, names, exported_ids)
    return collected


def _where(*clauses: Any) -> Any:
    present = [clause for clause in clauses if clause is not None]
    return and_(*present) if present else None


def _add_companions(connection: Connection, changed: dict[str, set[uuid.UUID]]) -> None:
    for parent, companions in scopes.COMPANIONS.items():
        parents = sorted(changed.get(parent, ()))
        for model, column in companions:
            if model.__tablename__ not in changed or not parents:
                continue
            table = model.__table__
            for chunk in chunks(parents, state.CHUNK):
                changed[model.__tablename__].update(
                    connection.scalars(select(table.c.id).where(table.c[column].in_(chunk)))
                )


def _rows(connection: Connection, table: Table, columns: list, where: Any, ids: set[uuid.UUID] | None):
    if ids is None:
        query = select(*columns)
        if where is not None:
            query = query.where(where)
        yield from connection.execute(query.order_by(table.c.id))
        return
    for chunk in chunks(sorted(ids), state.CHUNK):
        query = select(*columns).where(table.c.id.in_(chunk))
        if where is not None:
            query = query.where(where)
        yield from connection.execute(query.order_by(table.c.id))


def _exists(connection: Connection, table: Table, entity_id: uuid.UUID) -> bool:
    return connection.scalar(select(table.c.id).where(table.c.id == entity_id)) is not None


def _references(connection: Connection, parts: list[TablePart]) -> dict[str, dict[str, dict[str, Any]]]:
    """The natural keys of records the rows point at by id, for the importer to find its own copies by."""
    wanted: dict[str, set[str]] = {}
    for part in parts:
        table = scopes.MODELS[part.table].__table__
        for column in table.columns:
            for foreign_key in column.foreign_keys:
                target = foreign_key.column.table.name
                if target in scopes.NATURAL_KEYS and foreign_key.column.name == "id":
                    index = part.columns.index(column.name)
                    wanted.setdefault(target, set()).update(row[index] for row in part.rows if row[index])
    references: dict[str, dict[str, dict[str, Any]]] = {}
    for target, ids in wanted.items():
        model = scopes.MODELS_BY_NAME.get(target) or scopes.MODELS[target]
        table = model.__table__
        table_codec = codec(table)
        keys = scopes.NATURAL_KEYS[target]
        found = {}
        for chunk in chunks(sorted(ids), state.CHUNK):
            query = select(*table_codec.select_columns).where(table.c.id.in_([uuid.UUID(i) for i in chunk]))
            for row in connection.execute(query):
                record = table_codec.as_dict(table_codec.encode(row))
                found[record["id"]] = {**{key: record[key] for key in keys}, "hash": content_hash(record)}
        references[target] = found
    return references


def _photos(connection: Connection, parts: list[TablePart]) -> list[Photo]:
    part = next((p for p in parts if p.table == InspectionPhoto.__tablename__), None)
    if part is None or not part.rows:
        return []
    index = part.columns.index("sha256")
    hashes = sorted({row[index] for row in part.rows})
    photos = []
    for chunk in chunks(hashes, state.CHUNK):
        query = select(PhotoContent.sha256, PhotoContent.media_type, PhotoContent.data).where(
            PhotoContent.sha256.in_(chunk)
        )
        photos.extend(Photo(sha256, media_type, data) for sha256, media_type, data in connection.execute(query))
    return sorted(photos, key=lambda photo: photo.sha256)


def _audit_rows(connection: Connection, tables: list[str], ids: set[uuid.UUID]) -> list[list[Any]]:
    """The audit entries of the records sent (masked as stored), oldest first."""
    if not ids:
        return []
    table = AuditEntry.__table__
    audit_codec = codec(table)
    entity_index = audit_codec.columns.index("entity_id")
    if len(ids) <= _AUDIT_BY_ID_LIMIT:
        found = []
        for chunk in chunks(sorted(ids), state.CHUNK):
            query = select(*audit_codec.select_columns).where(table.c.entity_id.in_(chunk))
            found.extend(connection.execute(query))
    else:
        query = select(*audit_codec.select_columns).where(table.c.entity_type.in_(tables))
        found = [row for row in connection.execute(query) if row[entity_index] in ids]
    at, identifier = audit_codec.columns.index("at"), audit_codec.columns.index("id")
    found.sort(key=lambda row: (row[at], row[identifier]))
    return [audit_codec.encode(row) for row in found]


def _audit(ctx: AppContext, summary: ExportSummary, now: datetime) -> AuditEntry:
    counts = {"records": summary.records, "deletions": summary.deletions, "photos": summary.photos}
    return AuditEntry(
        at=now,
        actor=ctx.actor.username,
        origin=ctx.node_id,
        action="sync_export",
        entity_type="sync_bundle",
        entity_id=summary.bundle_id,
        subject_id=None,
        changes=json.dumps(
            {"target": str(summary.target_node), "sequence": summary.sequence, "full": summary.full, **counts},
            ensure_ascii=False,
            sort_keys=True,
        ),
        summary=f"导出同步包给“{summary.target_name}”（第 {summary.sequence} 号，{summary.record_count} 条记录）"[:300],
    )
