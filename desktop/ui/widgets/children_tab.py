"""The 在托儿童 tab of an institution's record: its roster of enrolled children (ID numbers masked),
with what a clerk does to it — add, edit (Enter or double-click), record leaving, delete an entry
made by mistake, and import the roster from Excel (check first, then import: all or nothing)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QVBoxLayout, QWidget

from desktop.domain.registry_rules import format_date_cn
from desktop.errors import TuoyuError
from desktop.services.children import ChildLine, delete_child, list_children, load_child
from desktop.services.children_import import import_children, write_roster_template
from desktop.services.startup import AppContext
from desktop.ui.dialogs.child_dialogs import ChildDialog, leave_dialog
from desktop.ui.dialogs.import_wizard import ImportTarget, ImportWizard
from desktop.ui.tablemodels.rows_table_model import RowsTableModel
from desktop.ui.tasks import TaskRunner
from desktop.ui.widgets.button_row import button_row, hint_label
from desktop.ui.widgets.read_only_table import read_only_table

HEADERS = ("姓名", "身份证号", "出生日期", "月龄", "监护人", "入托日期", "离托日期")


class ChildrenTab(QWidget):
    # The roster changed here: the record reloads (its tab title counts the children in care).
    changed = Signal()

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, today: Callable[[], date] = date.today
    ) -> None:
        super().__init__(parent)
        self._ctx, self.today = ctx, today
        self.institution_id: uuid.UUID | None = None
        self.institution_name = ""
        self.lines: tuple[ChildLine, ...] = ()
        self._tasks: TaskRunner | None = None

        self.model = RowsTableModel(HEADERS, self)
        self.view = read_only_table(self.model)
        self.view.activated.connect(self._on_edit)  # Enter, or a double-click
        QShortcut(QKeySequence.StandardKey.Delete, self.view, activated=self._on_delete)
        self.add_button = QPushButton("添加(&A)…", clicked=self._on_add)
        self.edit_button = QPushButton("编辑…", clicked=self._on_edit)
        self.leave_button = QPushButton("离托(&L)…", clicked=self._on_leave)
        self.delete_button = QPushButton("删除", clicked=self._on_delete)
        self.import_button = QPushButton("从 Excel 导入(&X)…", clicked=self._on_import)
        self.template_button = QPushButton("下载导入模板…", clicked=self._on_template)
        self.summary = hint_label(wrap=True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(
            button_row(
                (self.add_button, self.edit_button, self.leave_button, self.delete_button),
                right=(self.import_button, self.template_button),
            )
        )
        layout.addWidget(self.view)
        layout.addWidget(self.summary)

    # --- showing --------------------------------------------------------------------------------

    def show_children(self, institution_id: uuid.UUID, institution_name: str) -> tuple[ChildLine, ...]:
        """Load and show the roster; the selected child stays selected on a reload."""
        kept = self.selected() if self.institution_id == institution_id else None
        self.institution_id, self.institution_name = institution_id, institution_name
        self.lines = list_children(self._ctx, institution_id, today=self.today())
        self.model.set_rows(
            [
                (
                    line.name,
                    line.id_number_masked,
                    format_date_cn(line.birth_date),
                    f"{line.age_months} 个月",
                    line.guardian_name,
                    format_date_cn(line.enrolled_on),
                    format_date_cn(line.left_on) if line.left_on else "",
                )
                for line in self.lines
            ]
        )
        in_care = self.in_care()
        self.summary.setText(
            f"在托 {in_care} 名，已离托 {len(self.lines) - in_care} 名。身份证号码只显示前 6 位和后 4 位；"
            "编辑时可点“显示完整号码”查看，查看会记入操作日志。"
        )
        ids = [line.id for line in self.lines]
        if ids:
            self.view.selectRow(ids.index(kept.id) if kept and kept.id in ids else 0)
        return self.lines

    def in_care(self) -> int:
        return sum(1 for line in self.lines if line.in_care)

    def selected(self) -> ChildLine | None:
        rows = self.view.selectionModel().selectedRows()
        return self.lines[rows[0].row()] if rows and rows[0].row() < len(self.lines) else None

    # --- actions --------------------------------------------------------------------------------

    def _saved(self, outcome) -> None:
        """After a save: the warnings only the service could know (the child in care elsewhere)."""
        warnings = [w.message for w in getattr(outcome, "warnings", ()) if w.code == "child.enrolled_elsewhere"]
        if warnings:
            QMessageBox.information(self, "已保存，请核实", "\n".join(warnings))
        self.changed.emit()

    @Slot()
    def _on_add(self) -> None:
        if self.institution_id is None:
            return
        dialog = ChildDialog(self._ctx, self.institution_id, today=self.today(), parent=self)
        if dialog.exec():
            self._saved(dialog.result_value)

    @Slot()
    def _on_edit(self) -> None:
        line = self.selected()
        if line is None or self.institution_id is None:
            return
        try:
            form = load_child(self._ctx, line.id)
        except TuoyuError as error:
            QMessageBox.warning(self, "无法编辑", error.message)
            return
        dialog = ChildDialog(self._ctx, self.institution_id, today=self.today(), form=form, parent=self)
        if dialog.exec():
            self._saved(dialog.result_value)

    @Slot()
    def _on_leave(self) -> None:
        line = self.selected()
        if line is None:
            QMessageBox.information(self, "离托", "请先在名单中选择离托的幼儿。")
            return
        if leave_dialog(self._ctx, line, today=self.today(), parent=self).exec():
            self.changed.emit()

    @Slot()
    def _on_delete(self) -> None:
        line = self.selected()
        if line is None:
            return
        question = (
            f"删除幼儿“{line.name}”（{line.id_number_masked}）的记录？\n\n"
            "只有登记错误时才删除；已离开的幼儿请用“离托”填写离托日期，以便保留入托记录。"
        )
        if QMessageBox.question(self, "请确认", question) != QMessageBox.StandardButton.Yes:
            return
        try:
            delete_child(self._ctx, line.id, expected_version=line.version)
        except TuoyuError as error:
            QMessageBox.warning(self, "不能删除", error.message)
            return
        self.changed.emit()

    def import_wizard(self) -> ImportWizard | None:
        """The check-then-import dialog for this institution's roster (not shown)."""
        if self.institution_id is None:
            return None
        if self._tasks is None:
            self._tasks = TaskRunner(self)
        target = ImportTarget(
            f"从 Excel 导入在托幼儿名单：{self.institution_name}",
            "幼儿",
            "名",
            partial(import_children, self._ctx, institution_id=self.institution_id, today=self.today()),
        )
        wizard = ImportWizard(self._ctx, self._tasks, today=self.today(), target=target, parent=self)
        wizard.imported.connect(self.changed)
        return wizard

    @Slot()
    def _on_import(self) -> None:
        wizard = self.import_wizard()
        if wizard is not None:
            wizard.exec()

    @Slot()
    def _on_template(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "保存在托幼儿名单导入模板", str(Path.home() / "在托幼儿名单导入模板.xlsx"), "Excel 工作簿 (*.xlsx)"
        )
        if not name:
            return
        try:
            write_roster_template(Path(name))
        except TuoyuError as error:
            QMessageBox.warning(self, "未能保存", error.message)
            return
        QMessageBox.information(self, "已保存", f"导入模板已保存到\n{name}")

    def shutdown(self) -> None:
        """Wait for a running import (the window is closing)."""
        if self._tasks is not None:
            self._tasks.shutdown()
