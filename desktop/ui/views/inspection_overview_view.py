"""检查: the ledger at a glance — each county's half-year coverage, its quarter's draw, rectifications
in progress and overdue — and what is due this week."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.domain.registry_rules import format_date_cn
from desktop.services.inspection_ledger import county_ledgers, due_this_week
from desktop.services.startup import AppContext
from desktop.ui.tablemodels.rows_table_model import RowsTableModel
from desktop.ui.widgets.read_only_table import read_only_table

DUE_KINDS = {
    "overdue_notice": "整改逾期",
    "notice_due": "整改到期",
    "drawn_pending": "季度抽查",
    "semiannual_pending": "半年检查",
}


class InspectionOverviewView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._today = today
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.refresh_button = QPushButton("刷新(&R)")
        self.counties_model = RowsTableModel(
            ["县区", "运营机构", "本半年已检查", "半年检查覆盖率", "本季度抽中", "抽查已完成", "整改中", "整改逾期"],
            self,
        )
        self.due_label = QLabel()
        self.due_model = RowsTableModel(["类型", "机构", "县区", "事项", "期限", "文号"], self)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(read_only_table(self.counties_model), 2)
        layout.addWidget(self.due_label)
        layout.addWidget(read_only_table(self.due_model), 3)
        self.refresh_button.clicked.connect(self.refresh)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        today = self._today or date.today()
        ledgers = county_ledgers(self._ctx, today=today)
        half, quarter = (ledgers[0].half_year, ledgers[0].quarter) if ledgers else ("", "")
        self.heading.setText(f"检查台账　{format_date_cn(today)}　本半年 {half}　本季度 {quarter}")
        self.counties_model.set_rows(
            [
                (
                    c.county_name,
                    c.operating,
                    c.semiannual_done,
                    f"{c.semiannual_coverage:.0%}",
                    c.drawn if c.drawn else "未抽取",
                    c.drawn_done,
                    c.open_notices,
                    c.overdue_notices,
                )
                for c in ledgers
            ]
        )
        items = due_this_week(self._ctx, today=today)
        overdue = sum(1 for item in items if item.kind == "overdue_notice")
        self.due_label.setText(f"本周到期与逾期（{len(items)} 项，其中整改逾期 {overdue} 项）")
        self.due_model.set_rows(
            [
                (
                    DUE_KINDS[item.kind],
                    item.institution_name,
                    item.county_name,
                    item.what,
                    format_date_cn(item.due),
                    item.document_number,
                )
                for item in items
            ]
        )
