"""发放花名册 and 年度汇总 on screen, each exportable to Excel. Loading and writing run off the UI thread
(a province's enrollment roster has ~200,000 children)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, Slot
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.amount_words import format_yuan
from desktop.domain.enums import SubsidyScheme
from desktop.domain.payment_roster import AnnualSummary, PaymentRoster
from desktop.domain.registry_rules import format_date_cn
from desktop.errors import TuoyuError
from desktop.services.payment_rosters import (
    annual_summary,
    export_annual_summary,
    export_payment_roster,
    payment_roster,
)
from desktop.services.startup import AppContext
from desktop.ui.document_jobs import payment_roster_job
from desktop.ui.print_jobs import PrintJobs
from desktop.ui.tablemodels.rows_table_model import RowsTableModel
from desktop.ui.tasks import TaskRunner
from desktop.ui.widgets.read_only_table import read_only_table


def _yuan(fen: int) -> str:
    return format_yuan(fen)


class _ReportDialog(QDialog):
    """Criteria on top, a table, the totals, and 导出 Excel."""

    def __init__(
        self,
        ctx: AppContext,
        tasks: TaskRunner,
        counties: Sequence[tuple[str, str]],
        county_code: str | None,
        headers: Sequence[str],
        parent: QWidget | None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._tasks = tasks
        self.county_combo = QComboBox()
        self.county_combo.addItem("全部县区", None)
        for code, name in counties:
            self.county_combo.addItem(name, code)
        self.county_combo.setCurrentIndex(max(self.county_combo.findData(county_code), 0))
        self.show_button = QPushButton("显示(&S)")
        self.export_button = QPushButton("导出 Excel(&E)…")
        self.export_button.setEnabled(False)
        self.model = RowsTableModel(headers, self)
        self.table = read_only_table(self.model)
        self.totals_label = QLabel()
        self.totals_label.setWordWrap(True)
        self.totals_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.criteria = QHBoxLayout()
        self.bottom = QHBoxLayout()
        self.bottom.addWidget(self.totals_label, 1)
        self.bottom.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.criteria)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.bottom)
        self.show_button.clicked.connect(self.load)
        self.export_button.clicked.connect(self._on_export)
        self.resize(1100, 600)

    def add_criterion(self, caption: str, widget: QWidget) -> None:
        label = QLabel(caption)
        label.setBuddy(widget)
        self.criteria.addWidget(label)
        self.criteria.addWidget(widget)

    def finish_criteria(self) -> None:
        self.add_criterion("县区(&C)：", self.county_combo)
        self.criteria.addWidget(self.show_button)
        self.criteria.addStretch(1)
        self.show_button.setDefault(True)

    def run(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self.setCursor(Qt.CursorShape.BusyCursor)
        self.show_button.setEnabled(False)
        self._tasks.run(work, partial(self._finished, done), self._failed, writes=False)

    def _finished(self, done: Callable[[Any], None], result: Any) -> None:
        self.unsetCursor()
        self.show_button.setEnabled(True)
        done(result)

    def _failed(self, error: BaseException) -> None:
        self.unsetCursor()
        self.show_button.setEnabled(True)
        if not isinstance(error, TuoyuError):
            raise error
        QMessageBox.warning(self, "未完成", error.message)

    def load(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _on_export(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def ask_path(self, title: str, name: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(self, title, str(Path.home() / name), "Excel 工作簿 (*.xlsx)")
        return Path(chosen) if chosen else None


class PaymentRosterDialog(_ReportDialog):
    def __init__(
        self,
        ctx: AppContext,
        tasks: TaskRunner,
        counties: Sequence[tuple[str, str]],
        *,
        county_code: str | None,
        month: str,
        scheme: SubsidyScheme = SubsidyScheme.ENROLLMENT,
        parent: QWidget | None = None,
    ) -> None:
        headers = ["县区", "机构名称", "期间", "状态", "发放日期", "金额（元）", "市级（元）", "县区（元）", "幼儿人数"]
        super().__init__(ctx, tasks, counties, county_code, headers, parent)
        self.setWindowTitle("发放花名册")
        self.month_edit = QLineEdit(month)
        self.month_edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{4}-\d{2}"), self))
        self.month_edit.setMaximumWidth(90)
        self.scheme_combo = QComboBox()
        for value in SubsidyScheme:
            self.scheme_combo.addItem(value.label, value)
        self.scheme_combo.setCurrentIndex(self.scheme_combo.findData(scheme))
        self.print_jobs = PrintJobs(self, tasks)
        self.print_button = QPushButton("打印花名册(&P)…")
        self.print_button.setToolTip("补贴发放花名册（A4 横向）：每页小计，合计金额大写，末页签字栏")
        self.print_button.setEnabled(False)
        self.print_button.clicked.connect(self._on_print)
        self.bottom.insertWidget(1, self.print_button)
        self.add_criterion("月份(&M)：", self.month_edit)
        self.add_criterion("补贴(&K)：", self.scheme_combo)
        self.finish_criteria()
        self.roster: PaymentRoster | None = None
        self._shown: tuple[str, SubsidyScheme, str | None] = self._criteria()
        self.month_edit.setFocus()

    def _criteria(self) -> tuple[str, SubsidyScheme, str | None]:
        scheme = SubsidyScheme(self.scheme_combo.currentData())  # Qt hands the member back as its str value
        return self.month_edit.text().strip(), scheme, self.county_combo.currentData()

    @Slot()
    def load(self) -> None:
        month, scheme, county = self._criteria()
        self._shown = (month, scheme, county)
        self.run(partial(payment_roster, self._ctx, month, scheme, county_code=county), self.show_roster)

    def show_roster(self, roster: PaymentRoster) -> None:
        self.roster = roster
        self.setWindowTitle(roster.title)
        enrollment = roster.scheme is SubsidyScheme.ENROLLMENT
        self.model.set_rows(
            [
                (line.county_name, line.institution, line.period or "一次性", line.status_text,
                 format_date_cn(line.paid_on) if line.paid_on else "", _yuan(line.amount_fen),
                 _yuan(line.city_share_fen), _yuan(line.county_share_fen), len(line.children) if enrollment else "")
                for line in roster.lines
            ]
        )  # fmt: skip
        payers = "；".join(f"{payer} {_yuan(fen)} 元" for payer, fen in roster.payer_totals())
        children = f"，幼儿 {roster.children} 人" if enrollment else ""
        self.totals_label.setText(
            f"共 {len(roster.lines)} 家{children}，合计 {_yuan(roster.total_fen)} 元（{roster.total_words}）。"
            f"按承担方：{payers}。"
        )
        self.export_button.setEnabled(bool(roster.lines))
        self.print_button.setEnabled(bool(roster.lines))

    @Slot()
    def _on_export(self) -> None:
        month, scheme, county = self._criteria()
        path = self.ask_path("导出发放花名册", f"{scheme.label}发放花名册-{month}.xlsx")
        if path is None:
            return
        self.run(
            partial(export_payment_roster, self._ctx, path, month, scheme, county_code=county),
            partial(self._exported, path),
        )

    @Slot()
    def _on_print(self) -> None:
        """The roster as shown (its criteria), laid out in the background: hundreds of pages for a province."""
        month, scheme, county = self._shown  # what the table shows, even if the criteria were edited since
        self.print_jobs.preview(payment_roster_job(self._ctx, month, scheme, county, date.today()))

    def _exported(self, path: Path, roster: PaymentRoster) -> None:
        QMessageBox.information(self, "导出完成", f"已导出 {len(roster.lines)} 家机构的发放花名册到\n{path}")


class AnnualSummaryDialog(_ReportDialog):
    def __init__(
        self,
        ctx: AppContext,
        tasks: TaskRunner,
        counties: Sequence[tuple[str, str]],
        *,
        county_code: str | None,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        headers = ["县区", "补贴种类", "笔数", "发放金额（元）", "市级承担（元）", "县区承担（元）"]
        super().__init__(ctx, tasks, counties, county_code, headers, parent)
        self.setWindowTitle("年度汇总")
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, today.year)
        self.year_spin.setValue(today.year)
        self.add_criterion("年度(&Y)：", self.year_spin)
        self.finish_criteria()
        self.summary: AnnualSummary | None = None
        self.year_spin.setFocus()

    @Slot()
    def load(self) -> None:
        self.run(
            partial(annual_summary, self._ctx, self.year_spin.value(), county_code=self.county_combo.currentData()),
            self.show_summary,
        )

    def show_summary(self, summary: AnnualSummary) -> None:
        self.summary = summary
        self.setWindowTitle(summary.title)
        rows = [
            (r.county_name, r.scheme.label, r.count, _yuan(r.amount_fen), _yuan(r.city_share_fen),
             _yuan(r.county_share_fen))
            for r in summary.rows
        ]  # fmt: skip
        rows += [
            ("全部县区", r.scheme.label, r.count, _yuan(r.amount_fen), _yuan(r.city_share_fen),
             _yuan(r.county_share_fen))
            for r in summary.by_scheme()
        ]  # fmt: skip
        rows.append(("合计", "", summary.count, _yuan(summary.total_fen), _yuan(summary.city_fen),
                     _yuan(summary.county_fen)))  # fmt: skip
        self.model.set_rows(rows)
        self.totals_label.setText(
            f"按发放日期统计：{summary.count} 笔，合计 {_yuan(summary.total_fen)} 元（{summary.total_words}）；"
            f"市级承担 {_yuan(summary.city_fen)} 元，县区承担 {_yuan(summary.county_fen)} 元。"
        )
        self.export_button.setEnabled(bool(summary.rows))

    @Slot()
    def _on_export(self) -> None:
        year, county = self.year_spin.value(), self.county_combo.currentData()
        path = self.ask_path("导出年度汇总", f"{year}年托育补贴发放汇总.xlsx")
        if path is None:
            return
        self.run(
            partial(export_annual_summary, self._ctx, path, year, county_code=county), partial(self._exported, path)
        )

    def _exported(self, path: Path, summary: AnnualSummary) -> None:
        QMessageBox.information(self, "导出完成", f"已导出 {summary.year} 年度汇总到\n{path}")
