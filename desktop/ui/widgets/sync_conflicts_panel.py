"""同步 → 同步冲突: the open conflicts (and, on request, the resolved ones) above, the selected one side by side
below; a resolution is confirmed with the fields it will change, then made in the background."""

from __future__ import annotations

import uuid
from functools import partial

from PySide6.QtCore import QItemSelection, Qt, Signal, Slot
from PySide6.QtWidgets import QCheckBox, QLabel, QMessageBox, QProgressDialog, QSplitter, QVBoxLayout, QWidget

from desktop.errors import TuoyuError
from desktop.services.startup import AppContext
from desktop.sync.conflicts import ConflictView, Resolution, list_conflicts, resolve_conflict
from desktop.ui.conflict_resolution_plan import ResolutionPlan
from desktop.ui.sync_texts import when
from desktop.ui.tablemodels.rows_table_model import RowsTableModel
from desktop.ui.tasks import TaskRunner
from desktop.ui.widgets.button_row import button_row, hint_label
from desktop.ui.widgets.conflict_comparison import ConflictComparison
from desktop.ui.widgets.read_only_table import read_only_table
from desktop.ui.widgets.table_columns import stretch_column

HEADERS = ("类别", "记录", "版本数", "不同的字段", "发现时间", "状态")
TITLE = "处理同步冲突"


class SyncConflictsPanel(QWidget):
    resolved = Signal()  # a record was changed by a resolution

    def __init__(self, ctx: AppContext, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._tasks = ctx, tasks
        self._conflicts: list[ConflictView] = []
        self.progress: QProgressDialog | None = None

        self.show_resolved_check = QCheckBox("显示已处理的冲突(&V)")
        self.show_resolved_check.toggled.connect(self.refresh)
        self.count_label = QLabel()
        self.model = RowsTableModel(HEADERS, self)
        self.table = read_only_table(self.model)
        stretch_column(self.table, 1)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.comparison = ConflictComparison()
        self.comparison.resolve_requested.connect(self._on_resolve_requested)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(button_row([self.count_label], [self.show_resolved_check]))
        top_layout.addWidget(self.table, 1)
        top_layout.addWidget(
            hint_label(
                "同一条记录在两个节点上都被修改时，两边的版本都会保留，数据库先采用较晚的修改。"
                "请逐条核对后选择保留哪一边，或逐字段合并；处理结果随下次同步发给其他节点。",
                wrap=True,
            )
        )
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.comparison)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([220, 520])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    # ------------------------------------------------------------------ the list

    @Slot()
    def refresh(self) -> None:
        selected = self.selected_id()
        self._conflicts = list_conflicts(self._ctx, include_resolved=self.show_resolved_check.isChecked())
        self.model.set_rows(
            [
                (
                    c.table_label,
                    c.record_label or str(c.entity_id),
                    len(c.versions),
                    len(c.differences),
                    when(c.detected_at),
                    "待处理" if c.status == "open" else f"已处理（{when(c.resolved_at)}）",
                )
                for c in self._conflicts
            ]
        )
        open_count = sum(c.status == "open" for c in self._conflicts)
        self.count_label.setText(f"待处理的同步冲突：{open_count} 个" if open_count else "没有待处理的同步冲突。")
        row = next((n for n, c in enumerate(self._conflicts) if c.id == selected), 0 if self._conflicts else None)
        if row is None:
            self.comparison.show_conflict(None)
        else:
            self.table.selectRow(row)
            self.comparison.show_conflict(self._conflicts[row])

    def open_count(self) -> int:
        return sum(c.status == "open" for c in self._conflicts)

    def selected_id(self) -> uuid.UUID | None:
        rows = self.table.selectionModel().selectedRows()
        return self._conflicts[rows[0].row()].id if rows and rows[0].row() < len(self._conflicts) else None

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        conflict_id = self.selected_id()
        shown = self.comparison.view
        if conflict_id is not None and (shown is None or shown.id != conflict_id):
            self.comparison.show_conflict(next(c for c in self._conflicts if c.id == conflict_id))

    # ------------------------------------------------------------------ resolving

    @Slot(object)
    def _on_resolve_requested(self, plan: ResolutionPlan) -> None:
        view = self.comparison.view
        if view is None:
            return
        answer = QMessageBox.question(self, TITLE, confirmation_text(view, plan))
        if answer != QMessageBox.StandardButton.Yes:
            return
        progress = QProgressDialog("正在处理冲突…", None, 0, 0, self)
        progress.setWindowTitle(TITLE)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.show()
        self.progress = progress
        work = partial(resolve_conflict, self._ctx, view.id, keep=plan.keep, fields=plan.fields)
        self._tasks.run(work, partial(self._on_resolved, view, plan), self._on_failed, writes=True)

    def _on_resolved(self, view: ConflictView, plan: ResolutionPlan, _result: Resolution) -> None:
        self._close_progress()
        self.refresh()
        self.resolved.emit()
        QMessageBox.information(
            self,
            TITLE,
            f"已处理{view.table_label}“{view.record_label}”的冲突：{plan.describe()}。\n"
            "处理结果已记入审计日志，会随下次同步发给其他节点。",
        )

    def _on_failed(self, error: BaseException) -> None:
        self._close_progress()
        if not isinstance(error, TuoyuError):
            raise error  # a bug: the application's error hook says so in Chinese
        QMessageBox.warning(self, f"{TITLE}失败", error.message)
        self.refresh()  # another clerk may have resolved it meanwhile

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None


def confirmation_text(view: ConflictView, plan: ResolutionPlan) -> str:
    """What the person is asked before anything is written: the choice and every field that will change."""
    if plan.changes:
        changes = "将作如下改动：\n" + "\n".join(f"　· {line}" for line in plan.changes)
    else:
        changes = "记录内容不变（数据库现在就是所选的内容），只记下处理结果。"
    return (
        f"{view.table_label}“{view.record_label}”：{plan.describe()}。\n\n{changes}\n\n"
        "处理结果会记入审计日志，并随下次同步发给其他节点。确定这样处理吗？"
    )
