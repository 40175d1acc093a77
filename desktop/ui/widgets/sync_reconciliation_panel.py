"""同步 → 对账: per enrolled node, the bundles sent, acknowledged (their receipts imported here) and outstanding,
those received, and the records the next export would consider; below, the outstanding bundles of the node
selected — the ones whose receipt has not come back yet."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QItemSelection, Qt, Slot
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from desktop.sync.reconciliation import PeerStatus, SyncStatus
from desktop.ui.sync_texts import when
from desktop.ui.tablemodels.rows_table_model import RowsTableModel
from desktop.ui.widgets.button_row import hint_label
from desktop.ui.widgets.read_only_table import read_only_table
from desktop.ui.widgets.table_columns import stretch_column

PEER_HEADERS = ("节点", "角色", "已发送", "已确认", "未确认", "最近发送", "最近确认", "已接收", "最近接收", "待发改动")
OUTSTANDING_HEADERS = ("同步包", "导出时间", "记录数", "范围", "文件名")


class SyncReconciliationPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._peers: tuple[PeerStatus, ...] = ()
        self.peer_model = RowsTableModel(PEER_HEADERS, self)
        self.peer_table = read_only_table(self.peer_model)
        stretch_column(self.peer_table, 0)
        self.peer_table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.peer_label = QLabel()
        self.peer_label.setWordWrap(True)
        self.outstanding_model = RowsTableModel(OUTSTANDING_HEADERS, self)
        self.outstanding_table = read_only_table(self.outstanding_model)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(QLabel("已登记的节点"))
        top_layout.addWidget(self.peer_table, 1)
        top_layout.addWidget(
            hint_label(
                "已确认：对方导入后生成的回执已带回本机导入。未确认的同步包请催对方导入并交回回执；"
                "丢失的同步包不必补发，下次导出会从对方最后确认的地方开始。",
                wrap=True,
            )
        )
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.peer_label)
        bottom_layout.addWidget(self.outstanding_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setSizes([280, 420])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def show_status(self, status: SyncStatus | None) -> None:
        selected = self.selected_node()
        self._peers = status.peers if status is not None else ()
        self.peer_model.set_rows([_peer_row(peer) for peer in self._peers])
        row = next((n for n, p in enumerate(self._peers) if p.node_id == selected), 0 if self._peers else None)
        if row is None:
            self._show_peer(None)
        else:
            self.peer_table.selectRow(row)
            self._show_peer(self._peers[row])

    def selected_node(self) -> uuid.UUID | None:
        peer = self._selected()
        return peer.node_id if peer is not None else None

    def _selected(self) -> PeerStatus | None:
        rows = self.peer_table.selectionModel().selectedRows()
        return self._peers[rows[0].row()] if rows and rows[0].row() < len(self._peers) else None

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_peer(self._selected())

    def _show_peer(self, peer: PeerStatus | None) -> None:
        if peer is None:
            none_enrolled = "还没有登记任何节点：请在“文件 → 本机与已登记节点”中登记。"
            self.peer_label.setText("" if self._peers else none_enrolled)
            self.outstanding_model.set_rows([])
            return
        if peer.never_acknowledged:
            next_export = f"对方还没有确认过任何同步包，下次导出将包含全部 {peer.changed_since_acknowledged} 条记录。"
        else:
            next_export = f"对方最后确认之后，本机有 {peer.changed_since_acknowledged} 条记录有改动，下次导出时发送。"
        waiting = (
            f"给“{peer.name}”的同步包中有 {len(peer.outstanding)} 个未确认（对方尚未交回回执）："
            if peer.outstanding
            else f"给“{peer.name}”的同步包都已确认。"
        )
        self.peer_label.setText(f"{next_export}\n{waiting}")
        self.outstanding_model.set_rows(
            [
                (
                    f"第 {bundle.sequence} 号",
                    when(bundle.created_at),
                    bundle.record_count,
                    "全部记录" if bundle.full else "改动",
                    bundle.file_name,
                )
                for bundle in peer.outstanding
            ]
        )


def _peer_row(peer: PeerStatus) -> tuple:
    last_received = (
        f"第 {peer.last_received_sequence} 号（{when(peer.last_received_at)}）"
        if peer.last_received_sequence is not None
        else "—"
    )
    return (
        peer.name,
        peer.role_name,
        peer.sent,
        peer.acknowledged,
        len(peer.outstanding),
        when(peer.last_sent_at),
        when(peer.last_acknowledged_at),
        peer.received,
        last_received,
        peer.changed_since_acknowledged,
    )
