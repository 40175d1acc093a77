"""The 检查记录 tab of an institution's record: its inspections (overdue notices in red) and the
violations found at them, with what a clerk does next — reopen an inspection (Enter or double-click),
correct a finished one, record a violation or correct one, print its 检查记录表, the notice it issued or, for a 回头看,
its 复查意见书."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.registry_rules import format_date_cn
from desktop.errors import TuoyuError
from desktop.services.inspection_corrections import CorrectionPending, correct_inspection
from desktop.services.inspection_history import InspectionHistory, InspectionLine, load_inspection_history
from desktop.services.startup import AppContext
from desktop.services.violations import ViolationLine
from desktop.ui.dialogs.inspection_dialog import InspectionDialog
from desktop.ui.dialogs.violation_dialog import violation_dialog
from desktop.ui.document_jobs import follow_up_opinion_job, inspection_record_job, rectification_notice_job
from desktop.ui.print_jobs import PrintJobs
from desktop.ui.tablemodels.inspection_history_model import (
    InspectionHistoryModel,
    ViolationsModel,
    earlier_records_text,
)
from desktop.ui.tasks import TaskRunner
from desktop.ui.widgets.button_row import button_row, hint_label
from desktop.ui.widgets.read_only_table import read_only_table


class InspectionHistoryTab(QWidget):
    # Something was saved here (a correction, a violation): the record reloads.
    changed = Signal()

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, today: Callable[[], date] = date.today
    ) -> None:
        super().__init__(parent)
        self._ctx, self.today = ctx, today
        self.history: InspectionHistory | None = None
        self.institution_name = ""

        self.model = InspectionHistoryModel(self)
        self.view = read_only_table(self.model)
        self.view.activated.connect(self._on_open)  # Enter, or a double-click
        self.open_button = QPushButton("打开(&O)", clicked=self._on_open)
        self.correct_button = QPushButton("更正(&C)…", clicked=self._on_correct)
        self.violation_button = QPushButton("违法行为(&V)…", clicked=self._on_violation)
        self.print_jobs = PrintJobs(self, TaskRunner(self))
        self.print_button = QPushButton("打印(&P)")
        self.print_menu = QMenu(self.print_button)
        self.print_record_action = self.print_menu.addAction("检查记录表…", self._on_print_record)
        self.print_notice_action = self.print_menu.addAction("整改通知书…", self._on_print_notice)
        self.print_opinion_action = self.print_menu.addAction("复查意见书…", self._on_print_opinion)
        self.print_menu.aboutToShow.connect(self._enable_print_actions)
        self.print_button.setMenu(self.print_menu)
        buttons = button_row(
            (self.open_button, self.correct_button, self.violation_button, self.print_button),
            right=(hint_label("回车或双击打开检查；红色为整改已逾期。"),),
        )

        self.violations_model = ViolationsModel(self)
        self.violations_view = read_only_table(self.violations_model)
        self.violations_label = QLabel("违法行为")
        self.correct_violation_button = QPushButton("更正该违法行为(&R)…", clicked=self._on_correct_violation)
        self.earlier_label = hint_label(wrap=True)
        self.earlier_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.violations_view.selectionModel().currentRowChanged.connect(self._on_violation_row)

        top = QWidget()
        top_box = QVBoxLayout(top)
        top_box.setContentsMargins(0, 0, 0, 0)
        top_box.addLayout(buttons)
        top_box.addWidget(self.view)
        bottom = QWidget()
        bottom_box = QVBoxLayout(bottom)
        bottom_box.setContentsMargins(0, 0, 0, 0)
        bottom_box.addLayout(button_row((self.violations_label,), right=(self.correct_violation_button,)))
        bottom_box.addWidget(self.violations_view)
        bottom_box.addWidget(self.earlier_label)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    # --- showing --------------------------------------------------------------------------------

    def show_history(self, institution_id: uuid.UUID, institution_name: str) -> InspectionHistory:
        """Load and show the institution's inspections; the selected one stays selected on a reload."""
        same = self.history is not None and self.history.institution_id == institution_id
        kept = self.selected() if same else None
        self.institution_name = institution_name
        self.history = load_inspection_history(self._ctx, institution_id, today=self.today())
        self.model.set_lines(self.history.inspections)
        days = {line.id: line.inspected_on for line in self.history.inspections}
        self.violations_model.set_lines(self.history.violations, days)
        self.violations_label.setText(f"<b>违法行为（{len(self.history.violations)}）</b>")
        self.earlier_label.setText("")
        ids = [line.id for line in self.history.inspections]
        if ids:
            self.view.selectRow(ids.index(kept.id) if kept and kept.id in ids else 0)
        return self.history

    def alert(self) -> str:
        """The record's headline about rectification: overdue notices first, else the open ones."""
        if self.history is None:
            return ""
        today = self.today()
        overdue = self.history.overdue
        if overdue:
            first = overdue[0]
            text = (
                f"⚠ 整改已逾期：{first.notice_number}，期限 {format_date_cn(first.deadline)}，"
                f"已逾期 {(today - first.deadline).days} 天"
            )
            if len(overdue) > 1:
                text += f"（另有 {len(overdue) - 1} 份整改通知书逾期）"
            return text + "。请尽快安排整改回头看。"
        open_notices = sorted(self.history.open_notices, key=lambda line: line.deadline)
        if open_notices:
            first = open_notices[0]
            return f"整改中：{first.notice_number}，期限 {format_date_cn(first.deadline)}。"
        return ""

    def selected(self) -> InspectionLine | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.lines[rows[0].row()] if rows else None

    # --- printing --------------------------------------------------------------------------------

    @Slot()
    def _enable_print_actions(self) -> None:
        line = self.selected()
        self.print_record_action.setEnabled(line is not None)
        self.print_notice_action.setEnabled(line is not None and line.notice_number is not None)
        self.print_opinion_action.setEnabled(line is not None and line.follow_up_notice_number is not None)

    @Slot()
    def _on_print_record(self) -> None:
        line = self.selected()
        if line is not None:
            day = line.inspected_at.astimezone().date().isoformat()
            self.print_jobs.preview(inspection_record_job(self._ctx, line.id, self.institution_name, day))

    @Slot()
    def _on_print_notice(self) -> None:
        line = self.selected()
        if line is not None and line.notice_number is not None:
            self.print_jobs.preview(rectification_notice_job(self._ctx, line.notice_number))

    @Slot()
    def _on_print_opinion(self) -> None:
        line = self.selected()
        if line is not None and line.follow_up_notice_number is not None:
            self.print_jobs.preview(follow_up_opinion_job(self._ctx, line.id, line.follow_up_notice_number))

    def selected_violation(self) -> ViolationLine | None:
        rows = self.violations_view.selectionModel().selectedRows()
        return self.violations_model.lines[rows[0].row()] if rows else None

    @Slot()
    def _on_violation_row(self, current, _previous) -> None:
        line = self.violations_model.lines[current.row()] if current.isValid() else None
        self.earlier_label.setText(earlier_records_text(line) if line and line.earlier else "")

    # --- actions --------------------------------------------------------------------------------

    def _open(self, inspection_id: uuid.UUID, *, draft: bool) -> None:
        try:
            InspectionDialog(self._ctx, inspection_id, today=self.today(), parent=self).exec()
        except TuoyuError as error:
            QMessageBox.warning(self, "无法打开", error.message)
        if draft:  # it may have been saved or finished; a finished one opens read-only
            self.changed.emit()

    @Slot()
    def _on_open(self) -> None:
        line = self.selected()
        if line is not None:
            self._open(line.id, draft=not line.finished)

    @Slot()
    def _on_correct(self) -> None:
        line = self.selected()
        if line is None:
            QMessageBox.information(self, "更正检查", "请先在列表中选择要更正的检查。")
            return
        if line.correction_draft_id is not None:
            self._continue_correction(line.correction_draft_id)
            return
        question = (
            f"更正 {format_date_cn(line.inspected_on)} 的{line.kind.label}？\n\n"
            "已完成的检查记录不能修改。更正将新建一份草稿，内容与原记录相同；改正有误的检查结果后完成，"
            "即以更正记录为准，原记录保留并标为“已被更正”。已发出的整改通知书继续有效。"
        )
        if QMessageBox.question(self, "更正检查", question) != QMessageBox.StandardButton.Yes:
            return
        try:
            draft_id = correct_inspection(self._ctx, line.id)
        except CorrectionPending as pending:
            self._continue_correction(pending.draft_id)
            return
        except TuoyuError as error:
            QMessageBox.warning(self, "不能更正", error.message)
            return
        self._open(draft_id, draft=True)

    def _continue_correction(self, draft_id: uuid.UUID) -> None:
        QMessageBox.information(self, "更正检查", "这次检查已有一份未完成的更正草稿，现在打开它继续填写。")
        self._open(draft_id, draft=True)

    @Slot()
    def _on_violation(self) -> None:
        line = self.selected()
        if line is None:
            QMessageBox.information(self, "违法行为", "请先在列表中选择发现违法行为的那次检查。")
            return
        if not line.finished:
            QMessageBox.information(self, "违法行为", "这次检查还是草稿。请先完成检查，再登记发现的违法行为。")
            return
        self._record(line, None)

    @Slot()
    def _on_correct_violation(self) -> None:
        violation = self.selected_violation()
        if violation is None or self.history is None:
            QMessageBox.information(self, "更正违法行为", "请先在下方列表中选择要更正的违法行为。")
            return
        inspection = self.history.line(violation.inspection_id)
        if inspection is not None:
            self._record(inspection, violation)

    def _record(self, inspection: InspectionLine, correcting: ViolationLine | None) -> None:
        dialog = violation_dialog(
            self._ctx,
            inspection,
            institution_name=self.institution_name,
            today=self.today(),
            correcting=correcting,
            parent=self,
        )
        if dialog.exec():
            self.changed.emit()
