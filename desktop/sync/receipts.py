"""Receipts (回执): the importer's signed answer, and what the source does with it (docs/sync.md "Receipts").

Every import of a data bundle answers with a receipt bundle addressed to the source: the bundle id and sequence
it acknowledges and, per record, the content the importer now holds (its hash, or none) and whether it took the
source's version (accepted), kept a newer one of its own (kept), or holds the record in conflict. The receipt's
number is taken in the import's transaction and stored with the import, so importing the same bundle again
writes the same receipt (same id, number and time) — a receipt lost on the way is simply made again.

Imported at the source, a receipt marks the bundle acknowledged (the next export starts after its journal
high-water mark), records what the peer now holds as its shadows, and offers again the records the peer holds
differently.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, select, update

from desktop.db.migrate import HEAD_REVISION
from desktop.domain.sync_bundle import DEFAULT_LIFETIME, BundleHeader
from desktop.models import AuditEntry, SyncReceivedBundle, SyncSentBundle
from desktop.models.uuid7 import uuid7
from desktop.services.nodes import OwnKeys
from desktop.services.sync_bundle_files import write_bundle
from desktop.sync import scopes, state
from desktop.sync.payload import ACCEPTED, RECEIPT, ReceiptPayload, receipt_members
from desktop.sync.refusals import NOTHING_CHANGED, ContentRefusal, SyncContentRefused, bad_content
from desktop.sync.row_codec import DriverWriter, codec


@dataclass(frozen=True)
class ReceiptTicket:
    """The receipt an import answers with: its identity, fixed when the import commits."""

    bundle_id: uuid.UUID
    sequence: int
    created_at: datetime


def reserve_receipt(
    connection: Connection, *, source: uuid.UUID, records: int, now: datetime, actor: str
) -> ReceiptTicket:
    """Take the receipt's number (this node's next to the source) and record it as sent, in the import's transaction."""
    ticket = ReceiptTicket(uuid7(), state.next_sequence(connection, source), now.replace(microsecond=0))
    connection.execute(
        SyncSentBundle.__table__.insert().values(
            bundle_id=ticket.bundle_id,
            target_node=source,
            sequence=ticket.sequence,
            kind=RECEIPT,
            full=False,
            journal_high_water=None,
            record_count=records,
            created_at=ticket.created_at,
            expires_at=ticket.created_at + DEFAULT_LIFETIME,
            file_name="",
            exported_by=actor[:60],
        )
    )
    return ticket


def write_receipt(path: Path, ticket: ReceiptTicket, own: OwnKeys, source: uuid.UUID, receipt: ReceiptPayload) -> int:
    """Write the receipt file; returns its size. Not encrypted: it holds ids and hashes only."""
    header = BundleHeader(
        ticket.bundle_id,
        own.node_id,
        source,
        ticket.sequence,
        HEAD_REVISION,
        ticket.created_at,
        ticket.created_at + DEFAULT_LIFETIME,
    )
    return write_bundle(path, header, receipt_members(receipt), signing_key=own.signing_key).file_size


def default_receipt_path(imported: Path) -> Path:
    """Beside the imported file: 甘州区-3.tuoyu-sync → 甘州区-3.回执.tuoyu-sync."""
    imported = Path(imported)
    return imported.with_name(f"{imported.stem}.回执{imported.suffix or '.tuoyu-sync'}")


@dataclass(frozen=True)
class ReceiptApplied:
    acknowledged_bundle: uuid.UUID
    acknowledged_sequence: int
    records: int
    accepted: int
    already_acknowledged: bool


def apply_receipt(
    connection: Connection,
    receipt: ReceiptPayload,
    *,
    own_role,
    peer,
    receipt_bundle: uuid.UUID,
    receipt_sequence: int,
    actor: str,
    own_node: uuid.UUID,
    now: datetime,
    label: str,
    dry_run: bool,
) -> ReceiptApplied:
    sent = connection.execute(
        select(SyncSentBundle.sequence, SyncSentBundle.acknowledged_at).where(
            SyncSentBundle.bundle_id == receipt.bundle_id,
            SyncSentBundle.target_node == peer.node_id,
            SyncSentBundle.kind == "data",
        )
    ).first()
    if sent is None:
        raise SyncContentRefused(
            ContentRefusal.UNKNOWN_BUNDLE,
            f"“{label}”是“{peer.name}”的回执，但它所确认的同步包（{receipt.bundle_id}）不是本机发给该节点的。"
            f"{NOTHING_CHANGED}请确认回执来自本机导出的同步包。",
        )
    if sent.sequence != receipt.sequence:
        raise bad_content(label, "回执的序号与所确认的同步包不符")
    allowed = {model.__tablename__ for model in scopes.tables_from(own_role, peer.role)}
    writes = []
    resend = []
    accepted = 0
    for table, entries in receipt.records.items():
        if table not in allowed:
            raise bad_content(label, f"回执中有本机不发送的记录（{table[:40]}）")
        for sent_id, have, status in entries:
            try:
                entity_id = uuid.UUID(sent_id)
            except ValueError as error:
                raise bad_content(label, "回执中的记录编号无效") from error
            writes.append((table, entity_id, have, None))
            if status == ACCEPTED:
                accepted += 1
            else:
                resend.append((table, entity_id))
    result = ReceiptApplied(
        receipt.bundle_id, receipt.sequence, len(writes), accepted, sent.acknowledged_at is not None
    )
    if dry_run:
        return result
    state.record_shadows(connection, peer.node_id, writes, now)
    state.journal_resend(connection, resend)
    if sent.acknowledged_at is None:
        connection.execute(
            update(SyncSentBundle.__table__)
            .where(SyncSentBundle.bundle_id == receipt.bundle_id)
            .values(acknowledged_at=now)
        )
    connection.execute(
        SyncReceivedBundle.__table__.insert().values(
            bundle_id=receipt_bundle,
            source_node=peer.node_id,
            sequence=receipt_sequence,
            kind=RECEIPT,
            record_count=len(writes),
            created=0,
            updated=0,
            deleted=0,
            unchanged=0,
            conflicts=len(writes) - accepted,
            imported_at=now,
            imported_by=actor[:60],
        )
    )
    DriverWriter(connection, AuditEntry.__table__, codec(AuditEntry.__table__).columns).insert(
        [
            {
                "id": uuid7(),
                "at": now,
                "actor": actor,
                "origin": own_node,
                "action": "sync_receipt",
                "entity_type": "sync_bundle",
                "entity_id": receipt.bundle_id,
                "subject_id": None,
                "changes": json.dumps(
                    {"receipt": str(receipt_bundle), "records": len(writes), "accepted": accepted}, sort_keys=True
                ),
                "summary": (
                    f"导入“{peer.name}”的回执：第 {receipt.sequence} 号同步包已送达，{len(writes)} 条记录，"
                    f"其中 {len(writes) - accepted} 条对方保留了不同的版本"
                )[:300],
            }
        ]
    )
    return result
