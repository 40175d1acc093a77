"""What sync keeps about the records it exchanges (docs/sync.md).

- ``sync_journal``: one row per change of a record that can travel, written by database triggers (migration
  0010, desktop/db/sync_journal_triggers.py) in the transaction of the change, whatever code path made it. Its
  ``seq`` is this database's own order of changes: exports run "from the last journal seq the peer
  acknowledged", never from a clock, which a laptop may have set back.
- ``sync_shadows``: per peer and record, the content this node knows the peer has (its hash, or that the peer
  deleted it): the version both last shared. It is the ``base`` an export sends, and it stops an export from
  echoing back what the peer sent.
- ``sync_sent`` / ``sync_received``: the bundles (data and receipts) sent to and imported from each peer, with
  their sequence numbers; a bundle id imported once is "nothing to do" the next time.
- ``sync_conflicts``: the competing versions of a record changed on both sides, kept until a person resolves
  them. Local to this installation.
- ``sync_conflict_resolutions``: a person's decision on a conflict. A synced record, so it travels and closes
  the same conflict on the peers that have it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.base import Base, SyncedRecord, utc_now
from desktop.models.uuid7 import uuid7


class SyncJournalEntry(Base):
    __tablename__ = "sync_journal"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[uuid.UUID]
    action: Mapped[str] = mapped_column(String(8))  # insert / update / delete / resend
    at: Mapped[datetime] = mapped_column(default=utc_now)


class SyncShadow(Base):
    __tablename__ = "sync_shadows"

    peer_node: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    entity_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    # SHA-256 of the record's content (desktop.domain.sync_records.content_hash); None when deleted.
    content_hash: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int | None]
    deleted: Mapped[bool] = mapped_column(default=False)
    recorded_at: Mapped[datetime] = mapped_column(default=utc_now)


class SyncSentBundle(Base):
    __tablename__ = "sync_sent"
    __table_args__ = (UniqueConstraint("target_node", "sequence"),)

    bundle_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    target_node: Mapped[uuid.UUID]
    sequence: Mapped[int]
    kind: Mapped[str] = mapped_column(String(12))  # data / receipt
    full: Mapped[bool] = mapped_column(default=False)
    # The highest journal seq this export covered: acknowledged, it is where the next export starts.
    journal_high_water: Mapped[int | None]
    record_count: Mapped[int]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    file_name: Mapped[str] = mapped_column(String(255))
    exported_by: Mapped[str] = mapped_column(String(60))
    acknowledged_at: Mapped[datetime | None]


class SyncReceivedBundle(Base):
    __tablename__ = "sync_received"
    __table_args__ = (Index("ix_sync_received_source", "source_node", "kind", "sequence"),)

    bundle_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    source_node: Mapped[uuid.UUID]
    sequence: Mapped[int]
    kind: Mapped[str] = mapped_column(String(12))  # data / receipt
    record_count: Mapped[int]
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    deleted: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    conflicts: Mapped[int] = mapped_column(default=0)
    imported_at: Mapped[datetime]
    imported_by: Mapped[str] = mapped_column(String(60))
    # The receipt this import answers with (data bundles only): written again, identical, on re-import.
    receipt_bundle_id: Mapped[uuid.UUID | None]
    receipt_sequence: Mapped[int | None]
    receipt_created_at: Mapped[datetime | None]


class SyncConflict(Base):
    __tablename__ = "sync_conflicts"
    __table_args__ = (Index("ix_sync_conflicts_entity", "entity_type", "entity_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[uuid.UUID]
    status: Mapped[str] = mapped_column(String(12), index=True)  # open / resolved
    # True when the record may not be changed here (a finished inspection, an append-only record): the
    # local version stays whatever the candidates say, and only "keep mine" can resolve it.
    frozen: Mapped[bool] = mapped_column(default=False)
    # JSON list of the competing versions, sorted by hash (desktop.domain.sync_merge.Candidate).
    candidates_json: Mapped[str] = mapped_column(Text)
    winner_hash: Mapped[str | None] = mapped_column(String(64))
    detected_at: Mapped[datetime] = mapped_column(default=utc_now)
    changed_at: Mapped[datetime] = mapped_column(default=utc_now)
    resolved_at: Mapped[datetime | None]
    resolution_id: Mapped[uuid.UUID | None]


class SyncConflictResolution(SyncedRecord, Base):
    __tablename__ = "sync_conflict_resolutions"

    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[uuid.UUID] = mapped_column(index=True)
    # JSON list of the candidate hashes the person saw (a deleted candidate is "deleted").
    candidate_hashes: Mapped[str] = mapped_column(Text)
    # The content chosen (its hash), or None when the record was deleted.
    chosen_hash: Mapped[str | None] = mapped_column(String(64))
    choice: Mapped[str] = mapped_column(String(12))  # mine / theirs / fields
    # JSON object {column: "mine" | "theirs"} for a per-field choice.
    fields_json: Mapped[str] = mapped_column(Text, default="{}")
    resolved_by: Mapped[str] = mapped_column(String(60))
    resolved_at: Mapped[datetime] = mapped_column(default=utc_now)
