"""Reading and writing what sync keeps per peer: sequences, acknowledgements, the journal, shadows.

Everything here runs on a Core connection inside the caller's transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select

from desktop.domain.sync_records import DELETED
from desktop.models import SyncJournalEntry, SyncReceivedBundle, SyncSentBundle, SyncShadow
from desktop.models.base import utc_now
from desktop.services.batching import chunks
from desktop.sync.row_codec import DriverWriter

CHUNK = 900  # ids per IN (...): below SQLite's old 999-parameter limit


@dataclass(frozen=True)
class Shadow:
    content_hash: str | None
    deleted: bool
    version: int | None

    @property
    def base(self) -> str | None:
        """The base an export sends: the hash, or DELETED when the peer deleted the record."""
        return DELETED if self.deleted else self.content_hash


def last_received_sequence(connection: Connection, source: uuid.UUID, kind: str) -> int | None:
    return connection.scalar(
        select(func.max(SyncReceivedBundle.sequence)).where(
            SyncReceivedBundle.source_node == source, SyncReceivedBundle.kind == kind
        )
    )


def received_bundle(connection: Connection, bundle_id: uuid.UUID):
    return connection.execute(select(SyncReceivedBundle).where(SyncReceivedBundle.bundle_id == bundle_id)).first()


def next_sequence(connection: Connection, target: uuid.UUID) -> int:
    last = connection.scalar(select(func.max(SyncSentBundle.sequence)).where(SyncSentBundle.target_node == target))
    return (last or 0) + 1


def acknowledged_high_water(connection: Connection, peer: uuid.UUID) -> int | None:
    """The journal seq up to which the peer has acknowledged everything this node sent it (None: nothing yet)."""
    return connection.scalar(
        select(func.max(SyncSentBundle.journal_high_water)).where(
            SyncSentBundle.target_node == peer,
            SyncSentBundle.kind == "data",
            SyncSentBundle.acknowledged_at.is_not(None),
        )
    )


def journal_high_water(connection: Connection) -> int:
    return connection.scalar(select(func.max(SyncJournalEntry.seq))) or 0


def changed_since(connection: Connection, tables: Iterable[str], after: int, upto: int) -> dict[str, set[uuid.UUID]]:
    """The records of ``tables`` with a journal entry in (after, upto], by table."""
    wanted = list(tables)
    changed: dict[str, set[uuid.UUID]] = {table: set() for table in wanted}
    rows = connection.execute(
        select(SyncJournalEntry.entity_type, SyncJournalEntry.entity_id)
        .where(SyncJournalEntry.seq > after, SyncJournalEntry.seq <= upto, SyncJournalEntry.entity_type.in_(wanted))
        .distinct()
    )
    for table, entity_id in rows:
        changed[table].add(entity_id)
    return changed


def shadows_of(
    connection: Connection, peer: uuid.UUID, ids: Iterable[uuid.UUID] | None = None, tables: Iterable[str] = ()
) -> dict[uuid.UUID, Shadow]:
    """The peer's shadows: of ``ids``, or (None) of every record of ``tables``."""
    columns = (SyncShadow.entity_id, SyncShadow.content_hash, SyncShadow.deleted, SyncShadow.version)
    found: dict[uuid.UUID, Shadow] = {}
    if ids is None:
        query = select(*columns).where(SyncShadow.peer_node == peer, SyncShadow.entity_type.in_(list(tables)))
        for entity_id, content_hash, deleted, version in connection.execute(query):
            found[entity_id] = Shadow(content_hash, deleted, version)
        return found
    for chunk in chunks(list(ids), CHUNK):
        query = select(*columns).where(SyncShadow.peer_node == peer, SyncShadow.entity_id.in_(chunk))
        for entity_id, content_hash, deleted, version in connection.execute(query):
            found[entity_id] = Shadow(content_hash, deleted, version)
    return found


def shadow_tombstones(connection: Connection, peer: uuid.UUID, tables: Iterable[str]) -> dict[str, set[uuid.UUID]]:
    """Records the peer is known to have (not deleted), by table: where a full export looks for deletions."""
    found: dict[str, set[uuid.UUID]] = {}
    query = select(SyncShadow.entity_type, SyncShadow.entity_id).where(
        SyncShadow.peer_node == peer, SyncShadow.deleted.is_(False), SyncShadow.entity_type.in_(list(tables))
    )
    for table, entity_id in connection.execute(query):
        found.setdefault(table, set()).add(entity_id)
    return found


# What a peer has of one record: (table, record id, content hash or None when deleted, its version if known).
ShadowWrite = tuple[str, uuid.UUID, str | None, int | None]


def record_shadows(connection: Connection, peer: uuid.UUID, writes: Sequence[ShadowWrite], now: datetime) -> None:
    """Record (insert or replace) what the peer has of each record: one row per peer and record."""
    writer = DriverWriter(connection, SyncShadow.__table__, _SHADOW_COLUMNS)
    peer_db, now_db = writer.to_db("peer_node", peer), writer.to_db("recorded_at", now)
    gone, kept = writer.to_db("deleted", True), writer.to_db("deleted", False)
    to_id, sql = writer.converter("entity_id"), writer.upsert_sql
    for chunk in chunks(list(writes), 50_000):
        writer.execute(
            sql,
            [
                (peer_db, to_id(entity_id), table, digest, version, gone if digest is None else kept, now_db)
                for table, entity_id, digest, version in chunk
            ],
        )


_SHADOW_COLUMNS = ("peer_node", "entity_id", "entity_type", "content_hash", "version", "deleted", "recorded_at")


def journal_resend(connection: Connection, records: Iterable[tuple[str, uuid.UUID]]) -> None:
    """Journal records that must be offered again to a peer whose version differs from this node's, though this
    node did not change them (it kept its own version in a conflict, or a peer reported an older one)."""
    writer = DriverWriter(connection, SyncJournalEntry.__table__, ("entity_type", "entity_id", "action", "at"))
    now = utc_now()
    writer.insert([{"entity_type": t, "entity_id": i, "action": "resend", "at": now} for t, i in records])
