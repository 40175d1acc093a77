"""Reconciliation (对账): per enrolled node, what was sent, acknowledged and outstanding (docs/sync.md "Receipts").

A bundle is outstanding until the peer's receipt for it has been imported here. "Changed since acknowledged"
counts the records the next export to that node would consider: those journalled after the last acknowledged
bundle's high-water mark, or, while nothing has been acknowledged (the next export is a full one), every record
the export selects — this county's records (a city's: all) of the route's tables, less those the route keeps back
(unfinished inspections between a county and its laptops). A full export also leaves out a record the peer is
known to hold unchanged (it sent it here); hashing every record to find those would cost as much as the export.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, distinct, func, select

from desktop.domain.enums import NodeKind
from desktop.domain.node_enrolment import role_noun
from desktop.models import SyncConflict, SyncJournalEntry, SyncReceivedBundle, SyncSentBundle
from desktop.services.enrolled_nodes import list_nodes
from desktop.services.nodes import this_node
from desktop.services.startup import AppContext
from desktop.sync import scopes, state
from desktop.sync.import_apply import CONFLICT_OPEN
from desktop.sync.payload import DATA, RECEIPT


@dataclass(frozen=True)
class SentBundle:
    bundle_id: uuid.UUID
    sequence: int
    created_at: datetime
    record_count: int
    full: bool
    file_name: str
    acknowledged_at: datetime | None


@dataclass(frozen=True)
class PeerStatus:
    node_id: uuid.UUID
    name: str
    role: str
    role_name: str
    sent: int
    acknowledged: int
    outstanding: tuple[SentBundle, ...]
    last_sent_at: datetime | None
    last_acknowledged_at: datetime | None
    received: int
    last_received_sequence: int | None
    last_received_at: datetime | None
    # Records the next export to this node would look at.
    changed_since_acknowledged: int
    never_acknowledged: bool


@dataclass(frozen=True)
class SyncStatus:
    node_id: uuid.UUID
    name: str
    role: str
    peers: tuple[PeerStatus, ...]
    open_conflicts: int


def sync_status(ctx: AppContext) -> SyncStatus:
    own = this_node(ctx)
    peers = []
    # The export's rule (desktop/sync/export.py): a county's and a laptop's own records; a city's, all of them.
    county = own.division_code if own.role is not NodeKind.CITY else None
    with ctx.db.engine.connect() as connection:
        for node in list_nodes(ctx):
            peers.append(_peer(connection, own.role, county, node))
        open_conflicts = connection.scalar(
            select(func.count()).select_from(SyncConflict).where(SyncConflict.status == CONFLICT_OPEN)
        )
    return SyncStatus(own.node_id, own.name, own.role.value, tuple(peers), open_conflicts or 0)


def _peer(connection: Connection, own_role: NodeKind, county: str | None, node) -> PeerStatus:
    sent = [
        SentBundle(
            row.bundle_id, row.sequence, row.created_at, row.record_count, row.full, row.file_name, row.acknowledged_at
        )
        for row in connection.execute(
            select(SyncSentBundle)
            .where(SyncSentBundle.target_node == node.node_id, SyncSentBundle.kind == DATA)
            .order_by(SyncSentBundle.sequence)
        )
    ]
    received = connection.execute(
        select(func.count(), func.max(SyncReceivedBundle.sequence), func.max(SyncReceivedBundle.imported_at)).where(
            SyncReceivedBundle.source_node == node.node_id, SyncReceivedBundle.kind != RECEIPT
        )
    ).one()
    acknowledged = state.acknowledged_high_water(connection, node.node_id)
    tables = [model.__tablename__ for model in scopes.tables_from(own_role, node.role)]
    if acknowledged is None:
        changed = sum(
            _in_scope(connection, own_role, county, node.role, model)
            for model in scopes.tables_from(own_role, node.role)
        )
    else:
        changed = (
            connection.scalar(
                select(func.count(distinct(SyncJournalEntry.entity_id))).where(
                    SyncJournalEntry.seq > acknowledged, SyncJournalEntry.entity_type.in_(tables)
                )
            )
            or 0
        )
    acknowledged_times = [b.acknowledged_at for b in sent if b.acknowledged_at is not None]
    return PeerStatus(
        node.node_id,
        node.name,
        node.role.value,
        role_noun(node.role),
        len(sent),
        len(acknowledged_times),
        tuple(b for b in sent if b.acknowledged_at is None),
        max((b.created_at for b in sent), default=None),
        max(acknowledged_times, default=None),
        received[0] or 0,
        received[1],
        received[2],
        changed,
        acknowledged is None,
    )


def _in_scope(connection: Connection, own_role: NodeKind, county: str | None, peer_role: NodeKind, model: type) -> int:
    """Rows of ``model`` a full export to a node of kind ``peer_role`` selects (export.py ``_collect``)."""
    query = select(func.count()).select_from(model.__table__)
    for clause in (
        scopes.in_county(model, county) if county else None,
        scopes.route_filter(own_role, peer_role, model),
    ):
        if clause is not None:
            query = query.where(clause)
    return connection.scalar(query) or 0
