"""Import from Excel in two steps: check (a dry run) and, when there is no error, import.

Both steps run off the UI thread through the same service as the CLI (``tuoyu institutions import``
by default; ``tuoyu children import`` for an institution's roster, see ``ImportTarget``). The
clerk sees every problem by row and column, can save a copy of the workbook with the reasons
written beside the bad rows, and imports only when nothing is wrong: all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import TuoyuError
from desktop.excel.error_copy import error_copy_path
from desktop.services.institution_import import ImportReport, import_institutions
from desktop.services.startup import AppContext
from desktop.ui.tablemodels.rows_table_model import RowsTableModel
from desktop.ui.tasks import TaskRunner
from desktop.ui.widgets.read_only_table import read_only_table

FILE_FILTER = "表格文件 (*.xlsx *.xlsm *.xls *.csv);;所有文件 (*)"


@dataclass(frozen=True)
class ImportTarget:
    """What the wizard imports: its title, how it counts records ("家" 机构, "名" 幼儿), and the service
    call ``run(path, *, dry_run, write_errors_to)`` that returns an ``ImportReport``."""

    title: str
    noun: str
    unit: str
    run: Callable[..., ImportReport]


def institution_target(ctx: AppContext, today: date) -> ImportTarget:
    return ImportTarget("从 Excel 导入机构档案", "机构", "家", partial(import_institutions, ctx, today=today))


class ImportWizard(QDialog):
    # Emitted after a committed import, so the list can search again.
    imported = Signal()

    def __init__(
        self,
        ctx: AppContext,
        tasks: TaskRunner,
        *,
        today: date,
        target: ImportTarget | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self.target = target or institution_target(ctx, today)
        self.path: Path | None = None
        self.report: ImportReport | None = None
        self._busy = False
        self.setWindowTitle(self.target.title)
        self.resize(900, 620)

        self.file_label = QLabel("请选择要导入的表格（.xlsx、.xls 或 .csv）。可先下载导入模板，按模板填写。")
        self.file_label.setWordWrap(True)
        self.choose_button = QPushButton("选择文件(&O)…")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.errors_model = RowsTableModel(["行", "列", "原因"], self)
        self.warnings_model = RowsTableModel(["行", "列", "提示"], self)
        self.tabs = QTabWidget()
        self.tabs.addTab(read_only_table(self.errors_model, wrap=True), "错误")
        self.tabs.addTab(read_only_table(self.warnings_model, wrap=True), "提示")
        self.save_errors_button = QPushButton("保存错误标注副本(&S)…")
        self.import_button = QPushButton("开始导入(&I)")
        self.close_button = QPushButton("关闭")

        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(self.choose_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_errors_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)

        self.choose_button.clicked.connect(self._on_choose)
        self.save_errors_button.clicked.connect(self._on_save_errors)
        self.import_button.clicked.connect(self._on_import)
        self.close_button.clicked.connect(self.reject)
        self._update_buttons()

    def _update_buttons(self) -> None:
        report = self.report
        self.choose_button.setEnabled(not self._busy)
        self.import_button.setEnabled(
            not self._busy
            and report is not None
            and not report.errors
            and report.dry_run
            and (report.created + report.updated) > 0
        )
        self.save_errors_button.setEnabled(not self._busy and report is not None and bool(report.errors))
        self.close_button.setEnabled(not self._busy)

    # --- step 1: check ---------------------------------------------------------------------------

    def check(self, path: Path) -> None:
        """Dry-run ``path`` in the background and show what an import would do."""
        self.path = path
        self.report = None
        self._busy = True
        self.file_label.setText(f"文件：{path}")
        self.summary.setText("正在检查，请稍候……")
        self._update_buttons()
        self._tasks.run(
            partial(self.target.run, path, dry_run=True),
            self._on_checked,
            self._on_failed,
            writes=False,
        )

    @Slot()
    def _on_choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择要导入的表格", str(Path.home()), FILE_FILTER)
        if name:
            self.check(Path(name))

    def _on_checked(self, report: ImportReport) -> None:
        self._busy = False
        self._show(report)
        unit, noun = self.target.unit, self.target.noun
        if report.errors:
            self.summary.setText(
                f"发现 {len(report.errors)} 处错误，不能导入。请按“错误”页改正表格后重新选择文件，"
                "或保存一份带错误原因的副本，在副本里逐行修改。\n"
                f"（若无错误，将新增 {report.created} {unit}、更新 {report.updated} {unit}、"
                f"{report.unchanged} {unit}无变化。）"
            )
        elif report.created + report.updated == 0:
            self.summary.setText(f"检查通过：表格与系统中的 {report.unchanged} {unit}{noun}完全一致，无需导入。")
        else:
            self.summary.setText(
                f"检查通过：将新增 {report.created} {unit}、更新 {report.updated} {unit}，"
                f"{report.unchanged} {unit}无变化。共 {len(report.warnings)} 条提示，导入后可在机构记录中跟进。"
                "点“开始导入”写入数据库。"
            )
        self._update_buttons()

    def _show(self, report: ImportReport) -> None:
        self.report = report
        self.errors_model.set_rows([(e.row, e.column, e.message) for e in report.errors])
        self.warnings_model.set_rows([(w.row, w.column, w.message) for w in report.warnings])
        self.tabs.setTabText(0, f"错误（{len(report.errors)}）")
        self.tabs.setTabText(1, f"提示（{len(report.warnings)}）")
        self.tabs.setCurrentIndex(0 if report.errors else 1)
        for index in range(self.tabs.count()):
            self.tabs.widget(index).resizeRowsToContents()  # long reasons wrap instead of being cut

    def _on_failed(self, error: BaseException) -> None:
        self._busy = False
        message = error.message if isinstance(error, TuoyuError) else f"意外错误：{type(error).__name__}"
        self.summary.setText(message)
        self._update_buttons()
        if not isinstance(error, TuoyuError):
            raise error  # a bug: the application's error dialog reports it

    # --- step 2: import --------------------------------------------------------------------------

    @Slot()
    def _on_import(self) -> None:
        if self.path is None:
            return
        self._busy = True
        self.summary.setText("正在导入，请稍候……")
        self._update_buttons()
        self._tasks.run(
            partial(self.target.run, self.path, dry_run=False),
            self._on_imported,
            self._on_failed,
            writes=True,
        )

    def _on_imported(self, report: ImportReport) -> None:
        self._busy = False
        self._show(report)
        if report.committed:
            unit = self.target.unit
            self.summary.setText(
                f"导入完成：新增 {report.created} {unit}，更新 {report.updated} {unit}，"
                f"{report.unchanged} {unit}无变化。"
            )
            self.imported.emit()
        else:
            # The register changed between the check and the import: the new problems are shown.
            self.summary.setText(f"数据已有变化，重新检查发现 {len(report.errors)} 处错误，未导入任何数据。")
        self.report = report if not report.committed else None
        self._update_buttons()

    @Slot()
    def _on_save_errors(self) -> None:
        if self.path is None:
            return
        suggested = str(error_copy_path(self.path))
        target, _ = QFileDialog.getSaveFileName(self, "保存错误标注副本", suggested, "Excel 工作簿 (*.xlsx)")
        if not target:
            return
        try:
            self.target.run(self.path, dry_run=True, write_errors_to=Path(target))
        except TuoyuError as error:
            QMessageBox.warning(self, "未能保存", error.message)
            return
        QMessageBox.information(self, "已保存", f"已把错误原因写入\n{target}\n请在这个副本中逐行修改后重新导入。")
