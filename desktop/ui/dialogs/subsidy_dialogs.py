"""The small dialogs of the 补贴 area: a rejection's reason, a new application, the month to prepare,
and the children the clerk must look at after preparing a month. All keyboard-first: the first field
has the focus, Enter accepts where a single line is typed, Esc cancels."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QRegularExpression, Qt, Slot
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.application_workflow import MAX_REASON
from desktop.domain.claim_conflicts import ClaimIssue
from desktop.domain.enums import SubsidyScheme
from desktop.ui.tablemodels.rows_table_model import RowsTableModel
from desktop.ui.widgets.read_only_table import read_only_table

ISSUE_KINDS = {"conflict": "重复申领", "transfer": "月内转园", "not_added": "未加入", "invalid": "无法计算"}


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class RejectDialog(QDialog):
    """退回: the reason is required; it goes on the application and into the audit log."""

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("退回申请")
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setPlaceholderText("写明退回原因，如：托位数与备案不符，请核实后重新申请。")
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b3261e;")
        self.buttons = _buttons(self, "退回(&R)")
        self.buttons.accepted.disconnect()
        self.buttons.accepted.connect(self._on_accept)
        layout = QVBoxLayout(self)
        caption = QLabel(f"退回 {what}。退回后该申请不再办理；原因(&Y)：")
        caption.setBuddy(self.reason_edit)
        caption.setWordWrap(True)
        layout.addWidget(caption)
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(480, 240)
        self.reason_edit.setFocus()

    @property
    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    @Slot()
    def _on_accept(self) -> None:
        if not self.reason:
            self.error_label.setText("请写明退回原因。")
            self.reason_edit.setFocus()
            return
        if len(self.reason) > MAX_REASON:
            self.error_label.setText(f"退回原因最多 {MAX_REASON} 字，现在是 {len(self.reason)} 字。")
            return
        self.accept()


class NewApplicationDialog(QDialog):
    """A construction or operating application for one institution of a county."""

    def __init__(
        self,
        institutions: Sequence[tuple[uuid.UUID, str]],
        *,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("新建补贴申请")
        self.institution_combo = QComboBox()
        self.institution_combo.setEditable(True)  # type to find: the completer matches as you type
        self.institution_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for institution_id, name in institutions:
            self.institution_combo.addItem(name, institution_id)
        self.construction_radio = QRadioButton("一次性建设补贴(&C)")
        self.operating_radio = QRadioButton("运营补贴(&O)")
        self.construction_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.construction_radio)
        group.addButton(self.operating_radio)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, today.year)
        self.year_spin.setValue(today.year)
        self.standard_check = QCheckBox("经核实，达到国家和省级规范建设要求(&S)")
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b3261e;")
        schemes = QHBoxLayout()
        schemes.addWidget(self.construction_radio)
        schemes.addWidget(self.operating_radio)
        form = QFormLayout()
        form.addRow("机构(&I)：", self.institution_combo)
        form.addRow("补贴种类：", schemes)
        form.addRow("运营年度(&Y)：", self.year_spin)
        form.addRow("", self.standard_check)
        self.buttons = _buttons(self, "建立申请(&A)")
        self.buttons.accepted.disconnect()
        self.buttons.accepted.connect(self._on_accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        note = QLabel("金额按现行补贴政策和机构档案计算；建立后为草稿，提交前可以退回作废。")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.construction_radio.toggled.connect(self._on_scheme_changed)
        self._on_scheme_changed()
        self.institution_combo.setFocus()

    @property
    def scheme(self) -> SubsidyScheme:
        return SubsidyScheme.CONSTRUCTION if self.construction_radio.isChecked() else SubsidyScheme.OPERATING

    @property
    def institution_id(self) -> uuid.UUID | None:
        index = self.institution_combo.findText(self.institution_combo.currentText())
        return self.institution_combo.itemData(index) if index >= 0 else None

    @Slot()
    def _on_scheme_changed(self) -> None:
        construction = self.scheme is SubsidyScheme.CONSTRUCTION
        self.year_spin.setEnabled(not construction)
        self.standard_check.setEnabled(construction)

    @Slot()
    def _on_accept(self) -> None:
        if self.institution_id is None:
            self.error_label.setText("请从列表中选择一家机构。")
            self.institution_combo.setFocus()
            return
        self.accept()


class PrepareMonthDialog(QDialog):
    """Which county (or all) and which month to prepare."""

    def __init__(
        self, counties: Sequence[tuple[str, str]], county_code: str | None, month: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("准备入托补贴")
        self.county_combo = QComboBox()
        self.county_combo.addItem("全部县区", None)
        for code, name in counties:
            self.county_combo.addItem(name, code)
        self.county_combo.setCurrentIndex(max(self.county_combo.findData(county_code), 0))
        self.month_edit = QLineEdit(month)
        self.month_edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{4}-\d{2}"), self))
        self.month_edit.setPlaceholderText("YYYY-MM")
        form = QFormLayout()
        form.addRow("县区(&C)：", self.county_combo)
        form.addRow("补贴月份(&M)：", self.month_edit)
        note = QLabel(
            "按在托幼儿花名册为每家机构生成当月入托补贴申请（草稿）。已生成的不会重复；"
            "同一幼儿本月在县区内只能申领一次，重复的会列出供核实。"
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(_buttons(self, "开始准备(&S)"))
        self.month_edit.setFocus()
        self.month_edit.selectAll()

    @property
    def county_code(self) -> str | None:
        return self.county_combo.currentData()

    @property
    def month(self) -> str:
        return self.month_edit.text().strip()


class IssuesDialog(QDialog):
    """The children a clerk must look at after a month was prepared: conflicts first."""

    def __init__(self, summary: str, issues: Sequence[ClaimIssue], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("准备结果")
        self.model = RowsTableModel(["类型", "身份证号", "幼儿", "机构", "说明"], self)
        order = {"conflict": 0, "not_added": 1, "transfer": 2}
        self.model.set_rows(
            [
                (
                    ISSUE_KINDS.get(i.kind, i.kind),
                    i.id_number_masked,
                    "、".join(i.child_names),
                    "、".join(i.institutions),
                    i.message,
                )
                for i in sorted(issues, key=lambda i: order.get(i.kind, 3))
            ]
        )
        self.table = read_only_table(self.model, wrap=True)
        label = QLabel(summary)
        label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(960, 420)
        self.table.setFocus()
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
