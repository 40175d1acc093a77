"""Doing an inspection at the institution, keyboard first.

↑/↓ move between items; 1 符合, 2 不符合, 3 不适用 answer the current item and move to the next;
N (or Enter) writes a note for it; P adds photos to it, Shift+P photos of the visit as a whole;
Ctrl+S saves the draft; Ctrl+Enter finishes. The running result (findings, veto items, score,
earliest deadline) is shown as the answers come in.

Photos are stored the moment they are added (answers wait for Ctrl+S), each file on its own: a
file that is refused is named in one message at the end, and the others of the same selection are
kept. Once the inspection is finished the strip only shows and opens them.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QStandardPaths, Qt, Slot
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.checklists import Answer
from desktop.domain.photos import FILE_PATTERNS, MAX_PHOTO_BYTES, megabytes
from desktop.domain.problems import Severity
from desktop.errors import TuoyuError
from desktop.services.inspection_photos import PhotoRecord, attach_photo, photo_bytes, photos_of, remove_photo
from desktop.services.inspections import (
    FinishResult,
    finish_inspection,
    load_inspection_form,
    running_outcome,
    save_answers,
)
from desktop.services.institution_commands import ValidationFailed
from desktop.services.startup import AppContext
from desktop.ui.tablemodels.checklist_answers_model import ChecklistAnswersModel
from desktop.ui.widgets.photo_strip import PhotoStrip

KEYS = {Qt.Key.Key_1: Answer.COMPLIANT, Qt.Key.Key_2: Answer.NON_COMPLIANT, Qt.Key.Key_3: Answer.NOT_APPLICABLE}
PHOTO_FILTER = f"照片 ({' '.join(FILE_PATTERNS)});;所有文件 (*)"


class InspectionDialog(QDialog):
    photo_folder = ""  # where the last photos came from (the inspector's card or phone folder), for this run

    def __init__(self, ctx: AppContext, inspection_id: uuid.UUID, *, today: date, parent: QWidget | None = None):
        super().__init__(parent)
        self._ctx, self._today = ctx, today
        self.form = load_inspection_form(ctx, inspection_id)
        self.result: FinishResult | None = None
        form = self.form
        self.setWindowTitle(f"{form.kind.label}：{form.institution_name}")
        self.resize(1100, 760)
        items = [form.template.item(code) for code in form.item_codes]
        self.model = ChecklistAnswersModel(form.template, items, self)
        self.model.set_answers(form.answers, form.notes)
        header = QLabel(
            f"<b>{form.institution_name}</b>　{form.kind.label} {form.period}　"
            f"{form.inspected_at.astimezone():%Y-%m-%d %H:%M}　检查人员：{form.inspectors}　"
            f"机构负责人：{form.representative or '—'}　检查表：{form.template.title} {form.template.version}"
        )
        header.setWordWrap(True)
        hint = QLabel(
            "键盘：↑↓ 选择项目　1 符合　2 不符合　3 不适用　N 写备注　P 为当前项目添加照片　Shift+P 添加整体照片　"
            "Ctrl+S 保存草稿　Ctrl+Enter 完成检查"
        )
        hint.setWordWrap(True)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        columns = self.table.horizontalHeader()
        columns.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        columns.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.installEventFilter(self)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("当前项目的备注：不符合时写明现场情况（将印在整改通知书上），回车确认")
        self.photo_strip = PhotoStrip(lambda sha256: photo_bytes(ctx, sha256))
        self.photo_strip.read_only = form.finished
        self.add_photo_button = QPushButton("添加照片(&P)…")
        self.add_photo_button.setToolTip(f"为当前项目添加照片（可多选；每张不超过 {megabytes(MAX_PHOTO_BYTES)}）")
        self.add_visit_photo_button = QPushButton("整体照片(&V)…")
        self.add_visit_photo_button.setToolTip("添加不属于某个项目的照片，如机构大门、整体环境")
        for button in (self.add_photo_button, self.add_visit_photo_button):
            button.setAutoDefault(False)  # Enter in the note field must not open the file dialog
        self.photo_label = QLabel()
        self.photo_label.setWordWrap(True)
        photo_buttons = QVBoxLayout()
        photo_buttons.addWidget(self.photo_label)
        photo_buttons.addWidget(self.add_photo_button)
        photo_buttons.addWidget(self.add_visit_photo_button)
        photo_buttons.addStretch(1)
        photos = QHBoxLayout()
        photos.addWidget(self.photo_strip, 1)
        photos.addLayout(photo_buttons)
        self.outcome_label = QLabel()
        self.outcome_label.setWordWrap(True)
        self.save_button = QPushButton("保存草稿(&S)")
        self.finish_button = QPushButton("完成检查(&F)")
        self.close_button = QPushButton("关闭")
        buttons = QHBoxLayout()
        buttons.addWidget(self.outcome_label, 1)
        for button in (self.save_button, self.finish_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note_edit)
        layout.addLayout(photos)
        layout.addLayout(buttons)

        self.note_edit.returnPressed.connect(self._on_note_entered)
        self.save_button.clicked.connect(self._on_save)
        self.finish_button.clicked.connect(self._on_finish)
        self.close_button.clicked.connect(self.reject)
        self.add_photo_button.clicked.connect(lambda: self.add_photos(self.current_item_code()))
        self.add_visit_photo_button.clicked.connect(lambda: self.add_photos(None))
        self.photo_strip.remove_requested.connect(self.remove_photo)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self._on_save)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self._on_finish)
        self.table.selectionModel().currentRowChanged.connect(self._on_row_changed)
        if form.finished:
            for widget in (
                self.save_button,
                self.finish_button,
                self.note_edit,
                self.add_photo_button,
                self.add_visit_photo_button,
            ):
                widget.setEnabled(False)
        self.table.setFocus()
        self.table.selectRow(0)
        self._show_outcome()
        self._show_photos()

    # --- keyboard -------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress and not self.form.finished:
            key = event.key()
            if key in KEYS:
                self.answer_current(KEYS[key])
                return True
            if key in (Qt.Key.Key_N, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.note_edit.setFocus()
                return True
            if key == Qt.Key.Key_P:
                shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                self.add_photos(None if shift else self.current_item_code())
                return True
        return super().eventFilter(watched, event)

    def current_row(self) -> int:
        return max(0, self.table.currentIndex().row())

    def answer_current(self, answer: Answer) -> None:
        row = self.current_row()
        self.model.answer(row, answer)
        if answer is Answer.NON_COMPLIANT:
            self.note_edit.setFocus()  # a finding needs its note; Enter returns to the list
        elif row + 1 < self.model.rowCount():
            self.table.selectRow(row + 1)
        self._show_outcome()

    @Slot()
    def _on_note_entered(self) -> None:
        row = self.current_row()
        self.model.set_note(row, self.note_edit.text())
        self.table.setFocus()
        if row + 1 < self.model.rowCount():
            self.table.selectRow(row + 1)
        self._show_outcome()

    def _on_row_changed(self, current, _previous) -> None:
        if current.isValid():
            self.note_edit.setText(self.model.notes.get(self.model.item_at(current.row()).code, ""))

    # --- photos ---------------------------------------------------------------------------------

    def current_item_code(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.item_at(index.row()).code if index.isValid() else None

    def choose_photo_files(self) -> list[str]:
        """The files the inspector picks (tests replace this to skip the file dialog)."""
        folder = InspectionDialog.photo_folder or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.PicturesLocation
        )
        paths, _ = QFileDialog.getOpenFileNames(self, "选择照片", folder, PHOTO_FILTER)
        return paths

    def add_photos(self, item_code: str | None) -> None:
        """Attach the chosen files to the item (None: to the visit); every good file is kept."""
        if self.form.finished:
            return
        paths = self.choose_photo_files()
        if not paths:
            return
        InspectionDialog.photo_folder = str(Path(paths[0]).parent)
        refused = []
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            for path in paths:
                try:
                    attach_photo(self._ctx, self.form.inspection_id, path, item_code=item_code)
                except TuoyuError as error:
                    refused.append(error.message)
        finally:
            QGuiApplication.restoreOverrideCursor()
        self._show_photos()
        if refused:
            added = len(paths) - len(refused)
            head = f"已添加 {added} 张照片，以下 {len(refused)} 个文件未添加：" if added else "照片未添加："
            QMessageBox.warning(self, "照片未添加", head + "\n\n" + "\n\n".join(refused[:10]))
        self.table.setFocus()

    @Slot(object)
    def remove_photo(self, photo: PhotoRecord) -> None:
        answer = QMessageBox.question(
            self,
            "删除照片",
            f"从这次检查中删除照片“{photo.file_name}”？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        row = self.photo_strip.currentRow()
        try:
            remove_photo(self._ctx, photo.id)
        except TuoyuError as error:
            QMessageBox.warning(self, "未删除", error.message)
        self._show_photos()
        self.photo_strip.setCurrentRow(min(row, self.photo_strip.count() - 1))

    def _show_photos(self) -> None:
        self.photos = photos_of(self._ctx, self.form.inspection_id)
        self.photo_strip.set_photos(self.photos, self._photo_label)
        count = len(self.photos)
        self.photo_label.setText(f"照片 {count} 张" if count else "暂无照片")

    def _photo_label(self, photo: PhotoRecord) -> tuple[str, str]:
        if photo.item_code is None:
            return "整体", "整体照片（不属于某个项目）"
        try:
            text = self.form.template.item(photo.item_code).text
        except KeyError:  # an item of another template version
            text = photo.item_code
        number = self.form.item_codes.index(photo.item_code) + 1 if photo.item_code in self.form.item_codes else None
        return (f"{number}. {text}" if number else text), f"项目：{text}"

    # --- outcome, save, finish ------------------------------------------------------------------

    def _show_outcome(self) -> None:
        answered = sum(1 for code in self.form.item_codes if code in self.model.answers)
        text = f"已答 {answered}/{len(self.form.item_codes)} 项"
        outcome = running_outcome(self.form, self.model.answers, self.model.notes)
        if outcome is not None:
            text += f"　不符合 {len(outcome.findings)} 项"
            if outcome.veto_failed:
                text += f"　<span style='color:#b3261e'>一票否决 {len(outcome.veto_failed)} 项</span>"
            if outcome.score is not None:
                text += f"　得分 {outcome.score}"
            if outcome.deadline is not None:
                text += f"　最早整改期限 {outcome.deadline.due:%Y-%m-%d}"
        self.outcome_label.setText(text)

    @Slot()
    def _on_save(self) -> bool:
        try:
            save_answers(self._ctx, self.form.inspection_id, self.model.answers, self.model.notes)
        except TuoyuError as error:
            QMessageBox.warning(self, "未保存", error.message)
            return False
        return True

    @Slot()
    def _on_finish(self) -> None:
        if not self._on_save():
            return
        version = load_inspection_form(self._ctx, self.form.inspection_id).version
        try:
            self.result = finish_inspection(
                self._ctx, self.form.inspection_id, expected_version=version, today=self._today
            )
        except ValidationFailed as failure:
            errors = [p.message for p in failure.problems if p.severity is Severity.ERROR]
            QMessageBox.warning(self, "还不能完成", "检查已保存为草稿。完成前请处理：\n" + "\n".join(errors[:15]))
            return
        except TuoyuError as error:
            QMessageBox.warning(self, "未完成", error.message)
            return
        result = self.result
        message = f"检查已完成，结论：{result.conclusion.label}。"
        if result.notice_number:
            message += f"\n已生成整改通知书 {result.notice_number}，整改期限 {result.deadline:%Y-%m-%d}。"
        if result.closed_notice:
            message += f"\n整改通知书 {result.closed_notice} 的问题已全部整改，已销号。"
        for warning in result.warnings:  # e.g. a correction: the original notice stays in force
            message += f"\n提示：{warning.message}"
        QMessageBox.information(self, "检查完成", message)
        self.accept()
