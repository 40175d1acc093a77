"""导出同步包: choose the enrolled node to send to (only those this node sends to) and whether to send everything
again; afterwards, what the bundle holds — records per table, deletions, photos, the file and its size — and the
reminder that the bundle counts as delivered only when the other side's receipt is brought back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.services.sync_destinations import SyncDestination
from desktop.sync.export import ExportSummary
from desktop.ui.sync_texts import RECEIPT_REMINDER, file_size_text, table_name
from desktop.ui.tablemodels.rows_table_model import RowsTableModel
from desktop.ui.widgets.button_row import hint_label
from desktop.ui.widgets.read_only_table import read_only_table
from desktop.ui.widgets.table_columns import stretch_column


class SyncExportDialog(QDialog):
    def __init__(self, destinations: list[SyncDestination], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("导出同步包")
        self._destinations = destinations
        self.node_combo = QComboBox()
        for destination in destinations:
            node = destination.node
            self.node_combo.addItem(f"{node.name}（{node.division_name}{node.role_name}）")
        self.sequence_label = QLabel()
        self.full_check = QCheckBox("全部重新导出(&A)")
        self.full_check.setToolTip("对方重装了软件、恢复了旧备份，或怀疑缺了数据时使用")
        note = hint_label(
            "默认只导出对方上次回执确认之后的改动（对方还从未确认时，导出全部）。"
            "勾选“全部重新导出”则导出范围内的全部记录；对方已有的记录导入时显示为“未变”，不会重复。",
            wrap=True,
        )
        form = QFormLayout()
        form.addRow("导出给(&T)：", self.node_combo)
        form.addRow("同步包编号：", self.sequence_label)
        form.addRow("", self.full_check)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("选择保存位置并导出(&S)…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self.node_combo.currentIndexChanged.connect(self._show_sequence)
        self._show_sequence()

    def _show_sequence(self) -> None:
        self.sequence_label.setText(f"第 {self.destination.next_sequence} 号")

    @property
    def destination(self) -> SyncDestination:
        return self._destinations[self.node_combo.currentIndex()]

    @property
    def full(self) -> bool:
        return self.full_check.isChecked()


class SyncExportSummaryDialog(QDialog):
    """What was written, table by table, and what to do with it."""

    def __init__(self, summary: ExportSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("导出同步包")
        self.summary = summary
        scope = "全部记录" if summary.full else "上次确认之后的改动"
        self.heading_label = heading = QLabel(
            f"已导出给“{summary.target_name}”的第 {summary.sequence} 号同步包（{scope}）"
        )
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        heading.setFont(font)
        heading.setWordWrap(True)

        self.model = RowsTableModel(("内容", "条数"), self)
        self.model.set_rows(self.rows())
        self.table = read_only_table(self.model)
        stretch_column(self.table, 0)

        self.file_label = QLabel(summary.file)
        self.file_label.setWordWrap(True)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow("文件：", self.file_label)
        form.addRow("大小：", QLabel(file_size_text(summary.file_size)))
        form.addRow("记录合计：", QLabel(f"{summary.record_count} 条（其中删除 {summary.deletions} 条）"))
        if summary.skipped:
            form.addRow("未重复导出：", QLabel(f"{summary.skipped} 条（对方已有相同内容）"))

        self.reminder_label = QLabel(RECEIPT_REMINDER)
        self.reminder_label.setWordWrap(True)
        self.reminder_label.setStyleSheet("font-weight: bold;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        close.setFocus()
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.reminder_label)
        layout.addWidget(buttons)
        # Tall enough for every row of a county's full export (about 20 tables) without scrolling.
        rows_height = self.table.verticalHeader().defaultSectionSize() * (self.model.rowCount() + 1)
        self.resize(620, min(900, 260 + rows_height))

    def rows(self) -> list[tuple[str, int]]:
        """Records per table (deletions included), then deletions, photos, the audit trail and policy files."""
        summary = self.summary
        rows: list[tuple[str, int]] = [(table_name(table), count) for table, count in summary.records.items()]
        rows.append(("其中删除", summary.deletions))
        rows.append(("照片", summary.photos))
        rows.append(("审计记录", summary.audit_entries))
        if summary.policies:
            rows.append((f"政策文件（{'、'.join(summary.policies)}）", len(summary.policies)))
        return rows
