"""同步: this node, 导出同步包 / 导入同步包或回执, and two tabs — 对账 (per enrolled node: sent, acknowledged,
outstanding, received, changes waiting) and 同步冲突 (each conflict side by side, resolved whole or per field).

An area rather than a dialog: a county clerk comes back to it every time a USB stick arrives or leaves, and the
conflicts stay open here until someone decides them. ``records_changed`` tells the window that an import or a
resolution changed records the other areas show.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from desktop.errors import TuoyuError
from desktop.services.nodes import this_node
from desktop.services.startup import AppContext
from desktop.sync.reconciliation import sync_status
from desktop.ui.sync_exchange import SyncExchange
from desktop.ui.tasks import TaskRunner
from desktop.ui.widgets.button_row import button_row
from desktop.ui.widgets.form_fields import ERROR_STYLE
from desktop.ui.widgets.sync_conflicts_panel import SyncConflictsPanel
from desktop.ui.widgets.sync_reconciliation_panel import SyncReconciliationPanel

RECONCILIATION_TAB, CONFLICTS_TAB = 0, 1


class SyncView(QWidget):
    records_changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._tasks = TaskRunner(self)
        self.exchange = SyncExchange(ctx, self, self._tasks, on_changed=self._on_records_changed)

        self.node_label = QLabel()
        font = QFont(self.node_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.node_label.setFont(font)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(ERROR_STYLE)
        self.export_button = QPushButton("导出同步包(&E)…")
        self.import_button = QPushButton("导入同步包或回执(&I)…")
        self.refresh_button = QPushButton("刷新(&R)")
        self.export_button.clicked.connect(self.exchange.export)
        self.import_button.clicked.connect(lambda: self.exchange.import_file())
        self.refresh_button.clicked.connect(self.refresh)

        self.reconciliation = SyncReconciliationPanel()
        self.conflicts = SyncConflictsPanel(ctx, self._tasks)
        self.conflicts.resolved.connect(self._on_records_changed)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.reconciliation, "对账(&D)")
        self.tabs.addTab(self.conflicts, "同步冲突(&C)")

        layout = QVBoxLayout(self)
        layout.addLayout(button_row([self.node_label], [self.export_button, self.import_button, self.refresh_button]))
        layout.addWidget(self.problem_label)
        layout.addWidget(self.tabs, 1)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        try:
            node = this_node(self._ctx)
            status = sync_status(self._ctx)
        except TuoyuError as error:  # not a node yet, or its keys are missing or damaged
            self.node_label.setText("本机尚未成为同步节点")
            self.problem_label.setText(f"{error.message}\n请在“文件 → 本机与已登记节点”中处理。")
            self.problem_label.show()
            self.reconciliation.show_status(None)
            self.conflicts.refresh()
            self._show_conflict_count()
            for button in (self.export_button, self.import_button):
                button.setEnabled(False)
            return
        self.node_label.setText(f"本机：{node.name}（{node.division_name}{node.role_noun}）")
        self.problem_label.hide()
        for button in (self.export_button, self.import_button):
            button.setEnabled(True)
        self.reconciliation.show_status(status)
        self.conflicts.refresh()
        self._show_conflict_count()

    def show_conflicts(self) -> None:
        self.tabs.setCurrentIndex(CONFLICTS_TAB)

    def _show_conflict_count(self) -> None:
        count = self.conflicts.open_count()
        self.tabs.setTabText(CONFLICTS_TAB, f"同步冲突（{count}）(&C)" if count else "同步冲突(&C)")

    def _on_records_changed(self) -> None:
        self.refresh()
        self.records_changed.emit()
