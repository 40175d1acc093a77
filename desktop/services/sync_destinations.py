"""Where this node can send a sync bundle: the enrolled nodes a route leads to, each with the number its next
bundle will carry and the file name to offer for it (甘州区卫生健康局-至-张掖市卫生健康委员会-第3号.tuoyu-sync).

The GUI asks for this before the save dialog, so the number in the offered name is read here without being taken:
the export takes it (desktop/sync/state.next_sequence) in its own transaction, and receipts sent to the same node
use the same counter, so the name is a suggestion, right unless another export or import runs in between.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from desktop.services.enrolled_nodes import NodeEntry, list_nodes
from desktop.services.nodes import this_node
from desktop.services.startup import AppContext
from desktop.sync import scopes, state

BUNDLE_SUFFIX = ".tuoyu-sync"


@dataclass(frozen=True)
class SyncDestination:
    node: NodeEntry
    next_sequence: int
    file_name: str

    @property
    def node_id(self) -> uuid.UUID:
        return self.node.node_id


def sync_destinations(ctx: AppContext) -> list[SyncDestination]:
    """The enrolled nodes this node sends bundles to, in list_nodes order (the city, counties, laptops)."""
    own = this_node(ctx)
    nodes = [
        node
        for node in list_nodes(ctx)
        if scopes.tables_from(own.role, node.role) or scopes.sends_policies(own.role, node.role)
    ]
    with ctx.db.engine.connect() as connection:
        numbers = {node.node_id: state.next_sequence(connection, node.node_id) for node in nodes}
    return [
        SyncDestination(node, numbers[node.node_id], bundle_file_name(own.name, node.name, numbers[node.node_id]))
        for node in nodes
    ]


def bundle_file_name(source: str, target: str, sequence: int) -> str:
    """“<source>-至-<target>-第<n>号.tuoyu-sync”; characters Windows forbids in file names become “_”."""
    return f"{_safe(source)}-至-{_safe(target)}-第{sequence}号{BUNDLE_SUFFIX}"


def _safe(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name.strip()) or "节点"
