"""跨县区重复申领: the children whose enrollment subsidy two or more counties approved or paid for the same month,
as the city sees them once every county's data is in. ID numbers are masked; each claim is one row, grouped by
child, so the city can ask the counties which claim stands."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QRegularExpression, Qt, Slot
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QVBoxLayout, QWidget

from desktop.domain.amount_words import format_yuan
from desktop.domain.registry_rules import format_date_cn
from desktop.errors import TuoyuError
from desktop.services.cross_county_claims import CrossCountyClaim, cross_county_claims
from desktop.services.startup import AppContext
from desktop.ui.tablemodels.rows_table_model import RowsTableModel
from desktop.ui.tasks import TaskRunner
from desktop.ui.widgets.read_only_table import read_only_table

HEADERS = ["月份", "身份证号", "幼儿", "县区", "机构", "状态", "发放日期", "金额（元）", "提示"]


class CrossCountyClaimsDialog(QDialog):
    def __init__(self, ctx: AppContext, tasks: TaskRunner, month: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._tasks = ctx, tasks
        self.setWindowTitle("跨县区重复申领（入托补贴）")
        self.month_edit = QLineEdit(month)
        self.month_edit.setPlaceholderText("全部月份")
        self.month_edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"(\d{4}-\d{2})?"), self))
        self.month_edit.setMaximumWidth(100)
        self.show_button = QPushButton("查找(&S)")
        self.show_button.setDefault(True)
        self.model = RowsTableModel(HEADERS, self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        month_label = QLabel("月份(&M)：")
        month_label.setBuddy(self.month_edit)
        top = QHBoxLayout()
        top.addWidget(month_label)
        top.addWidget(self.month_edit)
        top.addWidget(self.show_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(read_only_table(self.model), 1)
        layout.addWidget(self.summary)
        self.show_button.clicked.connect(self.load)
        self.cases: list[CrossCountyClaim] | None = None
        self.resize(1100, 560)

    @Slot()
    def load(self) -> None:
        month = self.month_edit.text().strip() or None
        self.setCursor(Qt.CursorShape.BusyCursor)
        self.show_button.setEnabled(False)
        self._tasks.run(
            partial(cross_county_claims, self._ctx, month=month), self.show_cases, self._failed, writes=False
        )

    def show_cases(self, cases: list[CrossCountyClaim]) -> None:
        self.unsetCursor()
        self.show_button.setEnabled(True)
        self.cases = cases
        self.model.set_rows(
            [
                (case.month, case.id_number_masked, claim.child_name, claim.county_name, claim.institution,
                 claim.status.label, format_date_cn(claim.paid_on) if claim.paid_on else "",
                 format_yuan(claim.amount_fen), "已重复发放" if case.paid_twice else "")
                for case in cases
                for claim in case.claims
            ]
        )  # fmt: skip
        paid_twice = sum(1 for case in cases if case.paid_twice)
        self.summary.setText(
            f"{len(cases)} 名幼儿在同一月份被两个及以上县区申领，其中已在两地发放 {paid_twice} 名。请与相关县区核实后，"
            "由不应发放的县区退回申请或追回补贴。"
            if cases
            else "没有发现跨县区重复申领。（只统计已审核或已发放的申请；市级汇总各县区数据后查找。）"
        )

    def _failed(self, error: BaseException) -> None:
        self.unsetCursor()
        self.show_button.setEnabled(True)
        if not isinstance(error, TuoyuError):
            raise error
        QMessageBox.warning(self, "未能查找", error.message)
