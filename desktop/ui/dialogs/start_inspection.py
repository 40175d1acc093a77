"""Starting an inspection of one institution: which kind (or which notice to re-check), who inspects,
who signs for the institution, and when. A quarterly spot check of a drawn institution starts with the
pair of inspectors the 双随机 draw gave it, and records the draw."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.enums import InspectionKind
from desktop.errors import TuoyuError
from desktop.services.inspection_ledger import half_year, quarter
from desktop.services.inspections import drawn_assignment, has_template_for, open_notices_of, start_inspection
from desktop.services.startup import AppContext
from desktop.ui.dialogs.inspection_dialog import InspectionDialog


@dataclass(frozen=True)
class Choice:
    label: str
    kind: InspectionKind
    period: str
    notice_id: uuid.UUID | None = None


def inspection_choices(ctx: AppContext, institution_id: uuid.UUID, today: date) -> list[Choice]:
    """The kinds that have a checklist in force, then one 回头看 per open notice."""
    choices = [
        Choice(f"半年检查（{half_year(today)}）", InspectionKind.SEMIANNUAL_INSPECTION, half_year(today)),
        Choice(f"季度抽查（{quarter(today)}）", InspectionKind.QUARTERLY_SPOT_CHECK, quarter(today)),
        Choice(f"专项检查（{quarter(today)}）", InspectionKind.SPECIAL, quarter(today)),
    ]
    choices = [c for c in choices if has_template_for(ctx, c.kind, today)]
    choices += [
        Choice(
            f"整改回头看：{n.document_number}（期限 {n.deadline:%Y-%m-%d}）",
            InspectionKind.FOLLOW_UP,
            half_year(today),
            n.id,
        )
        for n in open_notices_of(ctx, institution_id)
    ]
    return choices


def inspector_names(text: str) -> list[str]:
    return [name.strip() for name in text.replace(",", "、").replace("，", "、").split("、") if name.strip()]


class StartInspectionDialog(QDialog):
    def __init__(
        self, ctx: AppContext, institution_id: uuid.UUID, *, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("新建检查")
        self._ctx, self._institution_id, self._today = ctx, institution_id, today
        self.choices = inspection_choices(ctx, institution_id, today)
        self.kind_combo = QComboBox()
        self.kind_combo.addItems([c.label for c in self.choices])
        self.inspectors_edit = QLineEdit()
        self.inspectors_edit.setPlaceholderText("至少两人，用顿号分隔，如：王芳、李强")
        self.representative_edit = QLineEdit()
        self.representative_edit.setPlaceholderText("机构在场负责人，签字确认检查结果")
        self.when_edit = QDateTimeEdit(QDateTime.currentDateTime())
        self.when_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when_edit.setCalendarPopup(True)
        self.draw_label = QLabel()
        self.draw_label.setWordWrap(True)
        self.draw_id: uuid.UUID | None = None
        form = QFormLayout()
        form.addRow("检查类型(&K)：", self.kind_combo)
        form.addRow("检查人员(&I)：", self.inspectors_edit)
        form.addRow("", self.draw_label)
        form.addRow("机构负责人(&R)：", self.representative_edit)
        form.addRow("检查时间(&T)：", self.when_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("开始检查")
        buttons.accepted.connect(self._on_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.inspection_id: uuid.UUID | None = None
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self._on_kind_changed()

    @property
    def choice(self) -> Choice:
        return self.choices[self.kind_combo.currentIndex()]

    def _on_kind_changed(self) -> None:
        """A drawn spot check comes with its drawn pair; anything else with whoever the clerk names."""
        self.draw_id = None
        self.draw_label.clear()
        if self.choice.kind is not InspectionKind.QUARTERLY_SPOT_CHECK:
            return
        assignment = drawn_assignment(self._ctx, self._institution_id, self.choice.period)
        if assignment is None:
            self.draw_label.setText("本机构未被本季度双随机抽中，属于计划外抽查。")
            return
        self.draw_id = assignment.draw_id
        self.inspectors_edit.setText("、".join(assignment.inspector_names))
        self.draw_label.setText(f"双随机抽取的检查人员：{'、'.join(assignment.inspector_names)}（可按回避或请假调整）")

    def _on_accept(self) -> None:
        if len(inspector_names(self.inspectors_edit.text())) < 2:
            QMessageBox.warning(self, "未开始", "现场检查应由两名以上检查人员进行，请填写至少两人的姓名。")
            return
        choice = self.choice
        inspected_at = self.when_edit.dateTime().toPython().astimezone(UTC)
        try:
            self.inspection_id = start_inspection(
                self._ctx,
                self._institution_id,
                kind=choice.kind,
                period=choice.period,
                inspected_at=inspected_at,
                inspectors="、".join(inspector_names(self.inspectors_edit.text())),
                representative=self.representative_edit.text().strip() or None,
                draw_id=self.draw_id,
                follow_up_of=choice.notice_id,
            )
        except TuoyuError as error:
            QMessageBox.warning(self, "未开始", error.message)
            return
        self.accept()


def run_new_inspection(ctx: AppContext, institution_id: uuid.UUID, *, parent: QWidget) -> bool:
    """Ask what to inspect, open the inspection screen; True when something was saved."""
    today = date.today()
    starting = StartInspectionDialog(ctx, institution_id, today=today, parent=parent)
    if not starting.choices:
        QMessageBox.warning(parent, "未开始", "没有可用的检查表。请先导入检查表（tuoyu checklists import）。")
        return False
    if starting.exec() != QDialog.DialogCode.Accepted or starting.inspection_id is None:
        return False
    InspectionDialog(ctx, starting.inspection_id, today=today, parent=parent).exec()
    return True
