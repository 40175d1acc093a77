"""导入同步包: what the dry run found — the records a bundle would create, update, delete, leave unchanged or hold
in conflict, in total and per kind of record, or for a receipt which bundle of this node it acknowledges — with
导入 to apply it; and the text of a refusal, in full, for the message box that shows it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from desktop.sync.importing import ImportOutcome
from desktop.sync.labels import label_of
from desktop.sync.payload import RECEIPT
from desktop.ui.tablemodels.rows_table_model import RowsTableModel
from desktop.ui.widgets.button_row import hint_label
from desktop.ui.widgets.form_fields import ERROR_STYLE
from desktop.ui.widgets.read_only_table import read_only_table
from desktop.ui.widgets.table_columns import stretch_column


def refusal_text(source: Path, outcome: ImportOutcome) -> str:
    """The refusal's own message, whole, and its code for whoever supports the office."""
    return f"“{source.name}”没有导入。\n\n{outcome.message}\n\n（原因代码：{outcome.reason}）"


class SyncImportPreviewDialog(QDialog):
    def __init__(self, source: Path, outcome: ImportOutcome, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outcome = outcome
        receipt = outcome.kind == RECEIPT
        self.setWindowTitle("导入回执" if receipt else "导入同步包")
        what = "回执" if receipt else f"第 {outcome.sequence} 号同步包"
        heading = QLabel(f"“{outcome.source_name}”的{what}")
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        heading.setFont(font)
        file_label = QLabel(str(source))
        file_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow("文件：", file_label)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)

        self.model = RowsTableModel(("试导入的结果（尚未写入）", "条数"), self)
        self.table = read_only_table(self.model)
        stretch_column(self.table, 0)
        self.conflict_label = QLabel()
        self.conflict_label.setWordWrap(True)
        self.conflict_label.setStyleSheet(ERROR_STYLE)
        self.message_label = QLabel(outcome.message)
        self.message_label.setWordWrap(True)
        if receipt:
            layout.addWidget(self.message_label)
            layout.addWidget(hint_label("导入回执后，这个同步包在“同步 → 对账”中显示为已确认。", wrap=True))
        else:
            self.model.set_rows(self.rows())
            layout.addWidget(self.table, 1)
            self.tables_model = RowsTableModel(("按类别", "新增", "更新", "删除", "未变", "冲突"), self)
            self.tables_model.set_rows(self.table_rows())
            self.tables_table = read_only_table(self.tables_model)
            stretch_column(self.tables_table, 0)
            layout.addWidget(self.tables_table, 1)
            if outcome.conflicts:
                self.conflict_label.setText(
                    f"有 {outcome.conflicts} 条记录两边都改过。导入时两边的版本都会保留，不会丢失；"
                    "导入后请在“同步 → 同步冲突”中逐条核对处理。"
                )
                layout.addWidget(self.conflict_label)
            layout.addWidget(
                hint_label("导入要么全部写入，要么什么都不写。导入后会在同步包旁边生成回执，请交回给对方。", wrap=True)
            )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("导入回执(&I)" if receipt else "导入(&I)")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, 600 if not receipt else 240)

    def rows(self) -> list[tuple[str, int]]:
        outcome = self.outcome
        return [
            ("新增", outcome.created),
            ("更新", outcome.updated),
            ("删除", outcome.deleted),
            ("未变（本机已有）", outcome.unchanged),
            ("冲突（两边都改过）", outcome.conflicts),
            ("照片", outcome.photos),
            ("审计记录", outcome.audit_entries),
        ]

    def table_rows(self) -> list[tuple[str, int, int, int, int, int]]:
        """A row per kind of record in the bundle (parents first), with what the import does to them."""
        return [
            (
                label_of(table),
                counts["created"],
                counts["updated"],
                counts["deleted"],
                counts["unchanged"],
                counts["conflicts"],
            )
            for table, counts in self.outcome.tables.items()
        ]
