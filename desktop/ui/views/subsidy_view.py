"""补贴: subsidy applications by county, scheme, period and status; the selected one with everything
behind its amount and the steps it allows; a month's enrollment subsidies prepared in the background
(progress, cancel, then the children to look at); payment rosters and the annual summary."""

from __future__ import annotations

import threading
import uuid
from datetime import date
from functools import partial

from PySide6.QtCore import QItemSelection, Qt, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.amount_words import format_yuan
from desktop.domain.enums import ApplicationStatus, SubsidyScheme
from desktop.errors import TuoyuError
from desktop.services import regions
from desktop.services.enrollment_month import PreparationCancelled, PreparedMonth, prepare_enrollment_month
from desktop.services.startup import AppContext
from desktop.services.subsidy_applications import create_construction_application, create_operating_application
from desktop.services.subsidy_queries import (
    LIST_LIMIT,
    ApplicationFilter,
    ApplicationRow,
    institution_choices,
    list_applications,
    period_text,
)
from desktop.ui.dialogs.cross_county_claims_dialog import CrossCountyClaimsDialog
from desktop.ui.dialogs.payment_roster_dialog import AnnualSummaryDialog, PaymentRosterDialog
from desktop.ui.dialogs.subsidy_dialogs import IssuesDialog, NewApplicationDialog, PrepareMonthDialog
from desktop.ui.tablemodels.rows_table_model import RowsTableModel
from desktop.ui.tasks import ProgressRelay, TaskRunner
from desktop.ui.widgets.filter_combo import filter_combo
from desktop.ui.widgets.read_only_table import read_only_table
from desktop.ui.widgets.subsidy_detail_panel import SubsidyDetailPanel


class SubsidyView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._today = today
        self._tasks = TaskRunner(self)
        self._counties = [(c.code, c.name) for c in regions.counties(ctx)]
        self._rows: list[ApplicationRow] = []
        self.progress: QProgressDialog | None = None
        self._cancel = threading.Event()
        self._relay = ProgressRelay(self)
        self._relay.progressed.connect(self._on_progress)
        self.last_prepared: PreparedMonth | None = None

        self.county_combo = filter_combo([(name, code) for code, name in self._counties])
        self.scheme_combo = filter_combo([(s.label, s) for s in SubsidyScheme])
        self.period_edit = QLineEdit()
        self.period_edit.setPlaceholderText("如 2026 或 2026-11")
        self.period_edit.setClearButtonEnabled(True)
        self.period_edit.setMaximumWidth(170)
        self.status_combo = filter_combo([(s.label, s) for s in ApplicationStatus])
        filters = QHBoxLayout()
        for caption, widget in (
            ("县区(&C)", self.county_combo),
            ("补贴(&K)", self.scheme_combo),
            ("期间(&T)", self.period_edit),
            ("状态(&Z)", self.status_combo),
        ):
            label = QLabel(caption)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget, 1)
        self.new_button = QPushButton("新建申请(&N)…")
        self.prepare_button = QPushButton("准备本月入托补贴(&M)…")
        self.roster_button = QPushButton("发放花名册(&L)…")
        self.summary_button = QPushButton("年度汇总(&Y)…")
        self.double_claims_button = QPushButton("跨县区重复申领(&D)…")
        self.double_claims_button.setToolTip("同一幼儿同一月份在两个及以上县区的入托补贴（市级汇总各县区数据后使用）")
        buttons = (self.new_button, self.prepare_button, self.roster_button, self.summary_button)
        for button in (*buttons, self.double_claims_button):
            filters.addWidget(button)

        self.model = RowsTableModel(
            ["机构", "县区", "补贴", "期间", "状态", "金额（元）", "市级（元）", "县区（元）"], self
        )
        self.table = read_only_table(self.model)
        self.count_label = QLabel()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count_label)
        self.detail = SubsidyDetailPanel(ctx, today=today)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setSizes([700, 700])
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

        for combo in (self.county_combo, self.scheme_combo, self.status_combo):
            combo.currentIndexChanged.connect(self.refresh)
        self.period_edit.editingFinished.connect(self.refresh)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.detail.changed.connect(self._on_application_changed)
        self.new_button.clicked.connect(self._on_new)
        self.prepare_button.clicked.connect(self._on_prepare)
        self.roster_button.clicked.connect(self._on_roster)
        self.summary_button.clicked.connect(self._on_summary)
        self.double_claims_button.clicked.connect(self._on_double_claims)
        self.refresh()

    def today(self) -> date:
        return self._today or date.today()

    def criteria(self) -> ApplicationFilter:
        # Qt hands an enum member back as its plain str value: the enums are rebuilt here.
        scheme, status = self.scheme_combo.currentData(), self.status_combo.currentData()
        return ApplicationFilter(
            county_code=self.county_combo.currentData(),
            scheme=SubsidyScheme(scheme) if scheme else None,
            period=self.period_edit.text().strip(),
            status=ApplicationStatus(status) if status else None,
        )

    @Slot()
    def refresh(self) -> None:
        selected = self.selected_id()
        self._rows = list_applications(self._ctx, self.criteria())
        self.model.set_rows(
            [
                (r.institution, r.county_name, r.scheme.label, period_text(r.scheme, r.period), r.status.label,
                 format_yuan(r.amount_fen), format_yuan(r.city_share_fen), format_yuan(r.county_share_fen))
                for r in self._rows
            ]
        )  # fmt: skip
        total = sum(r.amount_fen for r in self._rows if r.status is not ApplicationStatus.REJECTED)
        more = f"（只列出前 {LIST_LIMIT} 份，请按县区、补贴或期间缩小范围）" if len(self._rows) >= LIST_LIMIT else ""
        self.count_label.setText(f"共 {len(self._rows)} 份申请，未退回的合计 ¥{format_yuan(total)}{more}")
        self.select(selected)

    def selected_id(self) -> uuid.UUID | None:
        rows = self.table.selectionModel().selectedRows()
        return self._rows[rows[0].row()].id if rows else None

    def select(self, application_id: uuid.UUID | None) -> None:
        row = next((n for n, r in enumerate(self._rows) if r.id == application_id), None)
        if row is None:
            self.table.clearSelection()
            self.detail.show_application(None)
        else:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
            self.detail.show_application(application_id)

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        application_id = self.selected_id()
        if self.detail.detail is None or self.detail.detail.id != application_id:
            self.detail.show_application(application_id)

    @Slot(uuid.UUID)
    def _on_application_changed(self, application_id: uuid.UUID) -> None:
        self.refresh()
        self.select(application_id)

    # ----------------------------------------------------------------------- new application

    @Slot()
    def _on_new(self) -> None:
        county = self.county_combo.currentData()
        if county is None:
            QMessageBox.information(self, "新建申请", "请先在“县区”中选择机构所在的县区。")
            self.county_combo.setFocus()
            return
        dialog = NewApplicationDialog(institution_choices(self._ctx, county), today=self.today(), parent=self)
        if not dialog.exec():
            return
        try:
            if dialog.scheme is SubsidyScheme.CONSTRUCTION:
                outcome = create_construction_application(
                    self._ctx, dialog.institution_id, meets_standard=dialog.standard_check.isChecked(),
                    today=self.today(),
                )  # fmt: skip
            else:
                outcome = create_operating_application(
                    self._ctx, dialog.institution_id, dialog.year_spin.value(), today=self.today()
                )
        except TuoyuError as error:
            QMessageBox.warning(self, "未能建立申请", error.message)
            return
        self._show_all_of(dialog.scheme)
        self.select(outcome.application_id)

    def _show_all_of(self, scheme: SubsidyScheme) -> None:
        """Filters that surely show a new application of ``scheme`` in the chosen county."""
        for combo, value in ((self.scheme_combo, scheme), (self.status_combo, None)):
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.findData(value) if value is not None else 0)
            combo.blockSignals(False)
        self.period_edit.clear()
        self.refresh()

    # ----------------------------------------------------------------------- preparing a month

    @Slot()
    def _on_prepare(self) -> None:
        dialog = PrepareMonthDialog(
            self._counties, self.county_combo.currentData(), self.today().strftime("%Y-%m"), parent=self
        )
        if dialog.exec():
            self.start_preparing(dialog.county_code, dialog.month)

    def start_preparing(self, county_code: str | None, month: str) -> None:
        self._cancel.clear()
        self.progress = QProgressDialog(f"正在准备 {month} 入托补贴…", "取消", 0, 0, self)
        self.progress.setWindowTitle("准备入托补贴")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.setMinimumDuration(0)
        self.progress.canceled.connect(self._on_cancel)
        self.progress.show()
        work = partial(
            prepare_enrollment_month, self._ctx, county_code, month, today=self.today(),
            progress=self._relay.report, cancelled=self._cancel.is_set,
        )  # fmt: skip
        self._tasks.run(work, partial(self._on_prepared, county_code, month), self._on_prepare_failed, writes=True)

    @Slot()
    def _on_cancel(self) -> None:
        """Cancel asks the worker to stop at its next chunk; the transaction is then rolled back."""
        self._cancel.set()
        if self.progress is not None:
            self.progress.setLabelText("正在取消，已准备的数据不会写入…")
            self.progress.show()

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if self.progress is not None and not self._cancel.is_set():
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(min(done, total))

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _on_prepared(self, county_code: str | None, month: str, prepared: PreparedMonth) -> None:
        self._close_progress()
        self.last_prepared = prepared
        for combo, value in ((self.county_combo, county_code), (self.scheme_combo, SubsidyScheme.ENROLLMENT)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(combo.findData(value), 0) if value is not None else 0)
            combo.blockSignals(False)
        self.period_edit.setText(month)
        self.refresh()
        summary = (
            f"{month}：新建申请 {prepared.applications_created} 份，补充草稿 {prepared.applications_extended} 份，"
            f"新增幼儿 {prepared.claims_added} 人（符合条件 {prepared.eligible_claims_added} 人，"
            f"¥{format_yuan(prepared.amount_added_fen)}），已申领过的 {prepared.already_claimed} 人未重复申领。"
        )
        if prepared.conflicts:
            summary += f"\n重复申领 {len(prepared.conflicts)} 人，均未申领，请核实花名册后重新准备本月。"
        if prepared.skipped:
            summary += "\n" + "\n".join(prepared.skipped)
        if prepared.issues:
            IssuesDialog(summary, prepared.issues, self).exec()
        else:
            QMessageBox.information(self, "准备完成", summary)

    def _on_prepare_failed(self, error: BaseException) -> None:
        self._close_progress()
        if isinstance(error, PreparationCancelled):
            QMessageBox.information(self, "已取消", error.message)
        elif isinstance(error, TuoyuError):
            QMessageBox.warning(self, "未能准备", error.message)
        else:
            raise error

    # ----------------------------------------------------------------------- across counties

    @Slot()
    def _on_double_claims(self) -> None:
        dialog = CrossCountyClaimsDialog(self._ctx, self._tasks, self.period_edit.text().strip(), parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.double_claims_dialog = dialog
        dialog.show()
        dialog.load()

    # ----------------------------------------------------------------------- rosters

    @Slot()
    def _on_roster(self) -> None:
        period = self.period_edit.text().strip()
        month = period if len(period) == 7 else self.today().strftime("%Y-%m")
        scheme = self.criteria().scheme or SubsidyScheme.ENROLLMENT
        dialog = PaymentRosterDialog(
            self._ctx, self._tasks, self._counties, county_code=self.county_combo.currentData(), month=month,
            scheme=scheme, parent=self,
        )  # fmt: skip
        dialog.load()
        dialog.exec()

    @Slot()
    def _on_summary(self) -> None:
        dialog = AnnualSummaryDialog(
            self._ctx, self._tasks, self._counties, county_code=self.county_combo.currentData(), today=self.today(),
            parent=self,
        )  # fmt: skip
        dialog.load()
        dialog.exec()

    def closeEvent(self, event) -> None:
        self._tasks.shutdown()
        super().closeEvent(event)
