"""The items of a checklist with the answers and notes given so far (one inspection: ~50 rows)."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.domain.checklists import Answer, ChecklistItem, ChecklistTemplate

AnyIndex = QModelIndex | QPersistentModelIndex
ANSWER_TEXT = {Answer.COMPLIANT: "符合", Answer.NON_COMPLIANT: "不符合", Answer.NOT_APPLICABLE: "不适用"}
ANSWER_COLOUR = {Answer.COMPLIANT: "#1b5e20", Answer.NON_COMPLIANT: "#b3261e", Answer.NOT_APPLICABLE: "#5f6368"}


class ChecklistAnswersModel(QAbstractTableModel):
    COLUMNS: ClassVar[tuple[str, ...]] = ("区域", "检查项目", "严重程度", "结果", "备注")
    ANSWER_COLUMN = 3

    def __init__(
        self, template: ChecklistTemplate, items: list[ChecklistItem] | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._items = list(items if items is not None else template.items)
        self._areas = {area.code: area.title for area in template.areas}
        self.answers: dict[str, Answer] = {}
        self.notes: dict[str, str] = {}

    def item_at(self, row: int) -> ChecklistItem:
        return self._items[row]

    def set_answers(self, answers: dict[str, Answer], notes: dict[str, str]) -> None:
        self.beginResetModel()
        self.answers, self.notes = dict(answers), dict(notes)
        self.endResetModel()

    def answer(self, row: int, answer: Answer) -> None:
        self.answers[self._items[row].code] = answer
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    def set_note(self, row: int, note: str) -> None:
        code = self._items[row].code
        if note.strip():
            self.notes[code] = note.strip()
        else:
            self.notes.pop(code, None)
        self.dataChanged.emit(self.index(row, 4), self.index(row, 4))

    # --- Qt overrides ---------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section] if 0 <= section < len(self.COLUMNS) else None
        return section + 1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        answer = self.answers.get(item.code)
        column = index.column()
        if role == Qt.ItemDataRole.ForegroundRole and column == self.ANSWER_COLUMN and answer is not None:
            return QBrush(QColor(ANSWER_COLOUR[answer]))
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{item.text}\n依据：{item.rule}" + ("\n一票否决项" if item.veto else "")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == 0:
            return self._areas.get(item.area, item.area)
        if column == 1:
            return ("【否决】" if item.veto else "") + item.text
        if column == 2:
            return item.severity.label
        if column == 3:
            return ANSWER_TEXT.get(answer, "未答" if item.mandatory else "（可不答）")
        return self.notes.get(item.code, "")
