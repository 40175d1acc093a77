"""检查: the ledger at a glance — each county's half-year coverage, its quarter's draw, rectifications
in progress and overdue — what is due this week, and a county's half-year plan institution by
institution (planned month, done or overdue). 打印 prints a day's 整改通知书 in one go, the county's quarterly
双随机抽查名单 and its 主要指标汇总表."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.inspection_plan import PLAN_STATE_LABELS, PlanState
from desktop.domain.registry_rules import format_date_cn
from desktop.services.inspection_ledger import county_ledgers, due_this_week, quarter
from desktop.services.inspection_plan import county_plan
from desktop.services.printing import notices_issued_on
from desktop.services.startup import AppContext
from desktop.ui.dialogs.choose_day import ChooseDayDialog
from desktop.ui.document_jobs import county_summary_job, random_draw_list_job, rectification_notice_job
from desktop.ui.print_jobs import PrintJobs
from desktop.ui.tablemodels.rows_table_model import RowsTableModel
from desktop.ui.tasks import TaskRunner
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
        self.print_jobs = PrintJobs(self, TaskRunner(self))
        self.print_button = QPushButton("打印(&P)")
        self.print_menu = QMenu(self.print_button)
        self.print_notices_action = self.print_menu.addAction("某日签发的整改通知书…", self._on_print_notices)
        self.print_draw_action = self.print_menu.addAction("本季度双随机抽查名单…", self._on_print_draw)
        self.print_summary_action = self.print_menu.addAction("主要指标汇总表（本年度）…", self._on_print_summary)
        self.print_button.setMenu(self.print_menu)
        self.counties_model = RowsTableModel(
            ["县区", "运营机构", "本半年已检查", "半年检查覆盖率", "本季度抽中", "抽查已完成", "整改中", "整改逾期"],
            self,
        )
        self.due_label = QLabel()
        self.due_model = RowsTableModel(["类型", "机构", "县区", "事项", "期限", "文号"], self)
        due_page = QWidget()
        due_layout = QVBoxLayout(due_page)
        due_layout.addWidget(self.due_label)
        due_layout.addWidget(read_only_table(self.due_model))

        self.plan_label = QLabel()
        self.plan_model = RowsTableModel(
            ["机构", "乡镇（街道）", "计划月份", "半年检查", "检查日期", "本季度抽查", "整改中", "整改逾期"], self
        )
        plan_page = QWidget()
        plan_layout = QVBoxLayout(plan_page)
        plan_layout.addWidget(self.plan_label)
        self.plan_table = read_only_table(self.plan_model)
        plan_layout.addWidget(self.plan_table)

        self.tabs = QTabWidget()
        self.tabs.addTab(due_page, "本周到期")
        self.tabs.addTab(plan_page, "半年检查计划")
        # One county choice for the lists below: what is due, and the county's half-year plan.
        self.county_combo = QComboBox()
        self.county_combo.addItem("全部县区", None)
        county_label = QLabel("县区(&C)：")
        county_label.setBuddy(self.county_combo)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(county_label)
        top.addWidget(self.county_combo)
        top.addWidget(self.refresh_button)
        top.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(read_only_table(self.counties_model), 2)
        layout.addWidget(self.tabs, 3)
        self.refresh_button.clicked.connect(self.refresh)
        self.county_combo.currentIndexChanged.connect(self._show_county_lists)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        today = self._today or date.today()
        ledgers = county_ledgers(self._ctx, today=today)
        half, quarter = (ledgers[0].half_year, ledgers[0].quarter) if ledgers else ("", "")
        self.heading.setText(f"检查台账　{format_date_cn(today)}　本半年 {half}　本季度 {quarter}")
        if self.county_combo.count() != len(ledgers) + 1:
            self.county_combo.blockSignals(True)
            for ledger in ledgers:
                self.county_combo.addItem(ledger.county_name, ledger.county_code)
            self.county_combo.blockSignals(False)
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
        self._show_county_lists()

    @Slot()
    def _show_county_lists(self) -> None:
        self._show_due()
        self._show_plan()

    def _show_due(self) -> None:
        items = due_this_week(self._ctx, today=self._today or date.today(), county_code=self.county_combo.currentData())
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

    def _show_plan(self) -> None:
        county_code = self.county_combo.currentData()
        if county_code is None:
            self.plan_label.setText("半年检查计划按县区制定：请在上方选择一个县区。")
            self.plan_model.set_rows([])
            return
        rows = county_plan(self._ctx, county_code, today=self._today or date.today())
        counts = {state: sum(1 for r in rows if r.plan.state is state) for state in PlanState}
        self.plan_label.setText(
            f"运营机构 {len(rows)} 家：已检查 {counts[PlanState.DONE]}，本月计划 {counts[PlanState.DUE]}，"
            f"待检查 {counts[PlanState.PLANNED]}，逾期未检查 {counts[PlanState.OVERDUE]}"
            "　（计划月份按机构拼音顺序均分到半年的六个月）"
        )
        self.plan_model.set_rows(
            [
                (
                    r.name,
                    r.township_name,
                    r.plan.planned_label,
                    PLAN_STATE_LABELS[r.plan.state],
                    format_date_cn(r.inspected_on) if r.inspected_on else "",
                    r.draw_state,
                    r.open_notices or "",
                    r.overdue_notices or "",
                )
                for r in rows
            ]
        )

    # --- printing --------------------------------------------------------------------------------

    @Slot()
    def _on_print_notices(self) -> None:
        county = self.county_combo.currentText()
        dialog = ChooseDayDialog(
            "打印整改通知书", "签发日期(&D)：", self._today or date.today(), f"范围：{county}（在上方切换县区）", self
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_notices_of(dialog.day)

    def print_notices_of(self, day: date) -> None:
        """Print, or save into a folder, every notice issued on ``day`` in the chosen county (or all)."""
        notices = notices_issued_on(self._ctx, day, county_code=self.county_combo.currentData())
        jobs = [rectification_notice_job(self._ctx, notice.document_number) for notice in notices]
        self.print_jobs.print_many(jobs, f"{format_date_cn(day)}签发的整改通知书")

    def _chosen_county(self, what: str) -> tuple[str, str] | None:
        code = self.county_combo.currentData()
        if code is None:
            QMessageBox.information(self, f"打印{what}", f"{what}按县区打印：请先在上方选择一个县区。")
            return None
        return code, self.county_combo.currentText()

    @Slot()
    def _on_print_draw(self) -> None:
        county = self._chosen_county("双随机抽查名单")
        if county is not None:
            today = self._today or date.today()
            self.print_jobs.preview(random_draw_list_job(self._ctx, *county, quarter(today), today))

    @Slot()
    def _on_print_summary(self) -> None:
        county = self._chosen_county("主要指标汇总表")
        if county is not None:
            today = self._today or date.today()
            self.print_jobs.preview(county_summary_job(self._ctx, *county, today.year, today))
