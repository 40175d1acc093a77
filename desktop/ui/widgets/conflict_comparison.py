"""One sync conflict side by side: a row per field that differs, a column per version (本机版本, 对方版本, and any
other node's), the value the record will take highlighted, and a choice per field (a combo in the 采用 column, or a
click on the value). The three buttons ask for 全部保留本机版本, 全部保留对方版本 or 按所选字段合并; the panel that
holds this widget confirms and resolves.

A conflict where one side deleted the record can only be taken whole (the service refuses a choice per field
there); a record already finalised can only keep this node's version; a resolved conflict is shown read-only.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.sync.conflicts import MINE, THEIRS, ConflictView
from desktop.ui.conflict_resolution_plan import (
    EMPTY,
    SIDE_NAMES,
    ResolutionPlan,
    a_side_deleted,
    plan_by_field,
    plan_whole,
    side_index,
)
from desktop.ui.sync_texts import when
from desktop.ui.widgets.button_row import button_row, hint_label
from desktop.ui.widgets.form_fields import WARNING_STYLE

CHOSEN_BACKGROUND = QBrush(QColor("#dff3e4"))
CHOICE_TEXTS = ((SIDE_NAMES[MINE], MINE), (SIDE_NAMES[THEIRS], THEIRS))


class ConflictComparison(QWidget):
    resolve_requested = Signal(object)  # a ResolutionPlan

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: ConflictView | None = None
        self._combos: list[QComboBox] = []
        self._order: list[int] = []  # positions in view.versions, as the columns show them: mine, theirs, others
        self.title_label = QLabel()
        font = QFont(self.title_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.title_label.setFont(font)
        self.versions_label = QLabel()
        self.versions_label.setWordWrap(True)
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet(WARNING_STYLE)

        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setTabKeyNavigation(False)  # Tab goes from one field's choice to the next
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.cellClicked.connect(self._on_cell_clicked)

        self.keep_mine_button = QPushButton("全部保留本机版本(&M)…")
        self.keep_theirs_button = QPushButton("全部保留对方版本(&T)…")
        self.merge_button = QPushButton("按所选字段合并(&G)…")
        self.keep_mine_button.clicked.connect(lambda: self._request(plan_whole(self._shown(), MINE)))
        self.keep_theirs_button.clicked.connect(lambda: self._request(plan_whole(self._shown(), THEIRS)))
        self.merge_button.clicked.connect(lambda: self._request(plan_by_field(self._shown(), self.choices())))
        self.hint = hint_label("逐字段选择：在“采用”一栏选本机或对方，或直接点击要采用的值。", wrap=True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title_label)
        layout.addWidget(self.versions_label)
        layout.addWidget(self.note_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        layout.addLayout(button_row([self.keep_mine_button, self.keep_theirs_button, self.merge_button]))
        self.show_conflict(None)

    # ------------------------------------------------------------------ showing

    def show_conflict(self, view: ConflictView | None) -> None:
        self.view = view
        self._combos = []
        self._order = []
        self.table.clear()
        if view is None:
            self.title_label.setText("请在上面的列表中选择一个冲突。")
            self.versions_label.clear()
            self.note_label.hide()
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            self._enable(whole_mine=False, whole_theirs=False, per_field=False)
            return
        self.title_label.setText(f"{view.table_label}“{view.record_label or view.entity_id}”")
        first = [side_index(view, MINE), side_index(view, THEIRS)]
        self._order = list(dict.fromkeys(first)) + [i for i in range(len(view.versions)) if i not in first]
        self.versions_label.setText("\n".join(self._version_lines(view)))
        self._fill_table(view)
        deleted = a_side_deleted(view)
        resolved = view.status != "open"
        note = ""
        if resolved:
            note = f"这个冲突已于 {when(view.resolved_at)} 处理，以下为当时两边的版本。"
        elif view.frozen:
            note = "这条记录已定稿，数据库不允许修改，只能保留本机版本；如需更正，请另行录入更正记录。"
        elif deleted:
            note = "一方删除了这条记录，另一方修改了它：只能整体保留本机版本或对方版本，不能逐字段选择。"
        elif len(view.versions) > 2:
            note = "其他版本仅供对照：处理时每个字段只能取本机版本或对方版本的值。"
        self.note_label.setText(note)
        self.note_label.setVisible(bool(note))
        self._enable(
            whole_mine=not resolved,
            whole_theirs=not resolved and not view.frozen,
            per_field=not resolved and not view.frozen and not deleted and bool(view.differences),
        )

    def _version_lines(self, view: ConflictView) -> list[str]:
        lines = []
        for version in (view.versions[i] for i in self._order):
            side = "本机版本" if version.mine else "对方版本" if version.theirs else "其他版本"
            who = "、".join(version.nodes) or "—"
            if version.deleted:
                detail = "已删除这条记录"
            else:
                detail = f"第 {version.version} 版，修改于 {when(version.updated_at)}"
            current = "　← 数据库现为此版本" if version.current else ""
            lines.append(f"{side}：来自{who}，{detail}{current}")
        lines.append(f"发现于 {when(view.detected_at)}")
        return lines

    def _fill_table(self, view: ConflictView) -> None:
        headers = ["字段"]
        for version in (view.versions[i] for i in self._order):
            name = "本机版本" if version.mine else "对方版本" if version.theirs else "其他版本"
            headers.append(name + ("（现用）" if version.current else ""))
        headers.append("采用")
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(view.differences))
        now = next((v for v in view.versions if v.current), None)
        default = THEIRS if now is not None and now.theirs else MINE  # as the record is now
        for row, difference in enumerate(view.differences):
            label = QTableWidgetItem(difference.label)
            label.setToolTip(difference.column)
            self.table.setItem(row, 0, label)
            for column, index in enumerate(self._order, start=1):
                self.table.setItem(row, column, QTableWidgetItem(difference.values[index] or EMPTY))
            combo = QComboBox()
            for text, side in CHOICE_TEXTS:
                combo.addItem(text, side)
            combo.setCurrentIndex(combo.findData(default))
            combo.currentIndexChanged.connect(lambda _index, row=row: self._highlight(row))
            self.table.setCellWidget(row, len(headers) - 1, combo)
            self._combos.append(combo)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column in range(1, len(headers) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.resizeRowsToContents()

    def _highlight(self, row: int) -> None:
        """Mark, in each row, the value the merged record would take (nothing while fields cannot be chosen)."""
        view = self._shown()
        chosen = self._order.index(side_index(view, self._combos[row].currentData())) + 1
        if not self.merge_button.isEnabled():
            chosen = -1
        for column in range(1, len(view.versions) + 1):
            item = self.table.item(row, column)
            if item is None:
                continue
            item.setBackground(CHOSEN_BACKGROUND if column == chosen else QBrush())
            font = item.font()
            font.setBold(column == chosen)
            item.setFont(font)

    def _enable(self, *, whole_mine: bool, whole_theirs: bool, per_field: bool) -> None:
        self.keep_mine_button.setEnabled(whole_mine)
        self.keep_theirs_button.setEnabled(whole_theirs)
        self.merge_button.setEnabled(per_field)
        self.hint.setVisible(per_field)
        for row, combo in enumerate(self._combos):
            combo.setEnabled(per_field)
            self._highlight(row)

    # ------------------------------------------------------------------ choosing

    def choices(self) -> dict[str, str]:
        """Each differing field and the side chosen for it."""
        view = self._shown()
        return {d.column: combo.currentData() for d, combo in zip(view.differences, self._combos, strict=True)}

    def choose(self, column: str, side: str) -> None:
        """Take ``column`` from ``side`` (what picking in the 采用 combo does)."""
        view = self._shown()
        row = next(i for i, d in enumerate(view.differences) if d.column == column)
        combo = self._combos[row]
        combo.setCurrentIndex(combo.findData(side))

    def _on_cell_clicked(self, row: int, column: int) -> None:
        view = self.view
        if view is None or not self.merge_button.isEnabled() or not 1 <= column <= len(view.versions):
            return
        version = view.versions[self._order[column - 1]]
        side = MINE if version.mine else THEIRS if version.theirs else None
        if side is not None:
            self._combos[row].setCurrentIndex(self._combos[row].findData(side))

    def _request(self, plan: ResolutionPlan) -> None:
        self.resolve_requested.emit(plan)

    def _shown(self) -> ConflictView:
        assert self.view is not None
        return self.view
