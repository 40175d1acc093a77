"""机构档案: the institution register — search as you type, filters, SQL sorting, the selected record."""

from __future__ import annotations

import uuid
from datetime import date
from functools import partial
from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.enums import FilingStatus, OperatingStatus, SponsorType
from desktop.errors import TuoyuError
from desktop.services import institution_queries, regions
from desktop.services.institution_export import export_institutions, write_import_template
from desktop.services.institution_queries import InstitutionFilter
from desktop.services.startup import AppContext
from desktop.ui.dialogs.import_wizard import ImportWizard
from desktop.ui.dialogs.institution_dialog import InstitutionDialog
from desktop.ui.tablemodels.institution_table_model import InstitutionTableModel
from desktop.ui.tasks import TaskRunner
from desktop.ui.widgets.filter_combo import ALL, filter_combo
from desktop.ui.widgets.institution_detail_panel import InstitutionDetailPanel


class InstitutionListView(QWidget):
    """One area of the main window (see desktop.ui.views.AREAS)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._sort_key = "name"
        self._descending = False

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("搜索：机构名称、统一社会信用代码、地址或拼音首字母（如 zyty）")
        self.search_edit.setClearButtonEnabled(True)
        self.county_combo = filter_combo([(c.name, c.code) for c in regions.counties(ctx)])
        self.township_combo = filter_combo([])
        self.sponsor_combo = filter_combo([(s.label, s) for s in SponsorType])
        self.puhui_combo = filter_combo([("普惠", True), ("非普惠", False)])
        self.filing_combo = filter_combo([(s.label, s) for s in FilingStatus])
        self.status_combo = filter_combo([(s.label, s) for s in OperatingStatus])
        self.clear_button = QPushButton("清除筛选")
        self.new_button = QPushButton("新增机构(&N)…")
        self.excel_button = QToolButton()
        self.excel_button.setText("Excel ▾")
        self.excel_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        excel_menu = QMenu(self)
        excel_menu.addAction("从 Excel 导入…", self._on_import)
        excel_menu.addAction("导出当前列表…", self._on_export)
        excel_menu.addAction("下载导入模板…", self._on_template)
        self.excel_button.setMenu(excel_menu)
        self._tasks = TaskRunner(self)
        self.count_label = QLabel()

        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 3)
        for label, combo in (
            ("县区", self.county_combo),
            ("乡镇", self.township_combo),
            ("举办主体", self.sponsor_combo),
            ("普惠", self.puhui_combo),
            ("备案", self.filing_combo),
            ("状态", self.status_combo),
        ):
            caption = QLabel(label)
            caption.setBuddy(combo)
            filters.addWidget(caption)
            filters.addWidget(combo, 1)
        filters.addWidget(self.clear_button)
        filters.addWidget(self.new_button)
        filters.addWidget(self.excel_button)

        self.model = InstitutionTableModel(partial(institution_queries.load_institution_rows, ctx), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)  # one line per cell: cheaper to lay out on every repaint
        # Fixed row heights: Qt then never measures rows, which keeps a reset of 100,000 rows cheap.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((300, 70, 110, 130, 50, 50, 90, 80, 170, 120, 100)):
            self.table.setColumnWidth(column, width)

        self.detail = InstitutionDetailPanel(ctx)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([820, 580])

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)

        self.search_edit.textChanged.connect(self._on_criteria_changed)
        self.county_combo.currentIndexChanged.connect(self._on_county_changed)
        for combo in self._filter_combos():
            combo.currentIndexChanged.connect(self._on_criteria_changed)
        self.clear_button.clicked.connect(self._on_clear_clicked)
        self.new_button.clicked.connect(self._on_new_clicked)
        self.detail.record_changed.connect(self._on_record_changed)
        self.model.sort_requested.connect(self._on_sort_requested)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.refresh()

    def criteria(self) -> InstitutionFilter:
        return InstitutionFilter(
            text=self.search_edit.text(),
            county_code=self.county_combo.currentData(),
            township_code=self.township_combo.currentData(),
            sponsor_type=self.sponsor_combo.currentData(),
            puhui=self.puhui_combo.currentData(),
            filing_status=self.filing_combo.currentData(),
            operating_status=self.status_combo.currentData(),
        )

    def refresh(self) -> None:
        """Re-run the search with the current criteria and order, keeping the selection if it is still there."""
        selected = self.model.id_at(self.table.currentIndex().row())
        keys = institution_queries.search_institution_ids(
            self._ctx, self.criteria(), sort_key=self._sort_key, descending=self._descending
        )
        self.model.set_keys(keys)
        self.count_label.setText(f"共 {len(keys)} 家机构")
        self.select_institution(selected)

    def select_institution(self, institution_id) -> None:
        """Select and show ``institution_id`` if the current search holds it; else show nothing."""
        row = self.model.row_of(institution_id) if institution_id is not None else None
        if row is not None:
            self.table.selectRow(row)  # the selection change shows the record
            self.table.scrollTo(self.model.index(row, 0))
        else:
            self.table.clearSelection()
            self.detail.show_institution(None)

    def _filter_combos(self) -> tuple[QComboBox, ...]:
        return (
            self.county_combo,
            self.township_combo,
            self.sponsor_combo,
            self.puhui_combo,
            self.filing_combo,
            self.status_combo,
        )

    @Slot()
    def _on_criteria_changed(self) -> None:
        self.refresh()

    @Slot()
    def _on_clear_clicked(self) -> None:
        # Reset every control silently, then search once.
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        for combo in self._filter_combos():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self._on_county_changed()
        self.refresh()

    @Slot(str, bool)
    def _on_sort_requested(self, sort_key: str, descending: bool) -> None:
        self._sort_key, self._descending = sort_key, descending
        self.refresh()

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        institution_id = self.model.id_at(rows[0].row()) if rows else None
        if self.detail.record is None or self.detail.record.form.institution_id != institution_id:
            self.detail.show_institution(institution_id)

    @Slot()
    def _on_county_changed(self) -> None:
        county_code = self.county_combo.currentData()
        self.township_combo.blockSignals(True)
        self.township_combo.clear()
        self.township_combo.addItem(ALL, None)
        for township in regions.townships(self._ctx, county_code) if county_code else ():
            self.township_combo.addItem(township.name, township.code)
        self.township_combo.blockSignals(False)

    @Slot()
    def _on_new_clicked(self) -> None:
        dialog = InstitutionDialog(self._ctx, today=date.today(), parent=self)
        if dialog.exec() and dialog.saved_id is not None:
            self._on_clear_clicked()  # make sure the new record is in the list
            self.select_institution(dialog.saved_id)

    @Slot()
    def _on_import(self) -> None:
        wizard = ImportWizard(self._ctx, self._tasks, today=date.today(), parent=self)
        wizard.imported.connect(self.refresh)
        wizard.exec()

    @Slot()
    def _on_export(self) -> None:
        suggested = str(Path.home() / f"托育机构名单-{date.today():%Y%m%d}.xlsx")
        name, _ = QFileDialog.getSaveFileName(
            self, "导出机构名单", suggested, "Excel 工作簿 (*.xlsx);;CSV（UTF-8，Excel/WPS 可直接打开） (*.csv)"
        )
        if not name:
            return
        self.setCursor(Qt.CursorShape.BusyCursor)
        work = partial(
            export_institutions,
            self._ctx,
            Path(name),
            self.criteria(),
            sort_key=self._sort_key,
            descending=self._descending,
        )
        self._tasks.run(work, partial(self._on_exported, Path(name)), self._on_task_failed, writes=False)

    def _on_exported(self, path: Path, count: int) -> None:
        self.unsetCursor()
        QMessageBox.information(self, "导出完成", f"已导出 {count} 家机构到\n{path}")

    def _on_task_failed(self, error: BaseException) -> None:
        self.unsetCursor()
        if not isinstance(error, TuoyuError):
            raise error
        QMessageBox.warning(self, "未完成", error.message)

    @Slot()
    def _on_template(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "保存导入模板", str(Path.home() / "托育机构导入模板.xlsx"), "Excel 工作簿 (*.xlsx)"
        )
        if not name:
            return
        try:
            write_import_template(Path(name))
        except (TuoyuError, OSError) as error:
            QMessageBox.warning(self, "未能保存", getattr(error, "message", str(error)))
            return
        QMessageBox.information(self, "已保存", f"导入模板已保存到\n{name}")

    @Slot(uuid.UUID)
    def _on_record_changed(self, institution_id: uuid.UUID) -> None:
        # An edit can change the row's text or its place in the order (a renamed institution).
        self.refresh()
        self.select_institution(institution_id)
