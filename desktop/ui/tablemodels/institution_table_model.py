"""Table of institutions: holds the ordered row keys, loads display rows a page at a time as they are painted.

Sorting and filtering happen in SQL (the view re-runs the search and calls ``set_keys``); a proxy model
would call back into Python per comparison and takes seconds at 100,000 rows. ``data`` is called
for every role of every visible cell on each repaint, so it answers from a tuple of ready-made
cell texts and returns early for the roles it does not serve.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from desktop.services.institution_queries import InstitutionRow, RowKey, key_to_id

PAGE_SIZE = 200  # rows per query: far below SQLite's bound-parameter limit

AnyIndex = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole
OVERDUE_COLOR = QColor("#c00000")
RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _cells(row: InstitutionRow) -> tuple[str | int, ...]:
    """The row's cell values in column order (see InstitutionTableModel.COLUMNS)."""
    return (
        row.name,
        row.county_name,
        row.township_name,
        row.sponsor_type.label,
        row.slots,
        "普惠" if row.puhui else "—",
        row.filing_status.label,
        row.operating_status.label,
        row.credit_code,
        row.contact_phone,
        f"整改逾期 {row.overdue_notices} 份" if row.overdue_notices else "",
    )


class InstitutionTableModel(QAbstractTableModel):
    IdRole = Qt.ItemDataRole.UserRole
    # (sort key in institution_queries.SORT_COLUMNS, header), in the order _cells returns them.
    COLUMNS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("name", "机构名称"),
        ("county", "县区"),
        ("township", "乡镇（街道）"),
        ("sponsor_type", "举办主体"),
        ("slots", "托位"),
        ("puhui", "普惠"),
        ("filing_status", "备案"),
        ("operating_status", "运营状态"),
        ("credit_code", "统一社会信用代码"),
        ("contact_phone", "联系电话"),
        ("", "整改"),  # not sortable: counted per page, not in the search
    )
    SLOTS_COLUMN = 4
    OVERDUE_COLUMN = 10

    # (sort key, descending): the owner re-runs the search in that order and calls set_keys.
    sort_requested = Signal(str, bool)

    def __init__(
        self, load_rows: Callable[[Sequence[RowKey]], dict[RowKey, InstitutionRow]], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._load_rows = load_rows  # injected: the model never sees SQLAlchemy
        self._keys: list[RowKey] = []
        self._cells: dict[RowKey, tuple[str | int, ...]] = {}
        self._loaded_pages: set[int] = set()

    # --- the model's own API ------------------------------------------------------------------

    def set_keys(self, keys: Sequence[RowKey]) -> None:
        self.beginResetModel()
        self._keys = list(keys)
        self._cells.clear()
        self._loaded_pages.clear()
        self.endResetModel()

    def id_at(self, row: int) -> uuid.UUID | None:
        return key_to_id(self._keys[row]) if 0 <= row < len(self._keys) else None

    def row_of(self, institution_id: uuid.UUID) -> int | None:
        """The row showing ``institution_id``, or None when the current search does not hold it."""
        for key in (institution_id.hex, institution_id):  # SQLite keys are hex text, PostgreSQL's UUIDs
            try:
                return self._keys.index(key)
            except ValueError:
                continue
        return None

    # --- Qt overrides ---------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if role != DISPLAY:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section][1] if 0 <= section < len(self.COLUMNS) else None
        return section + 1

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        if role in (DISPLAY, TOOLTIP):
            cells = self._row_cells(index.row())
            return None if cells is None else cells[index.column()]
        if role == ALIGNMENT:
            return RIGHT_ALIGNED if index.column() == self.SLOTS_COLUMN else None
        if role == FOREGROUND and index.column() == self.OVERDUE_COLUMN:
            return OVERDUE_COLOR
        if role == self.IdRole:
            institution_id = self.id_at(index.row())
            return None if institution_id is None else str(institution_id)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self.COLUMNS) and self.COLUMNS[column][0]:
            self.sort_requested.emit(self.COLUMNS[column][0], order == Qt.SortOrder.DescendingOrder)

    # --- paging ---------------------------------------------------------------------------------

    def _row_cells(self, row: int) -> tuple[str | int, ...] | None:
        if not 0 <= row < len(self._keys):
            return None
        key = self._keys[row]
        cells = self._cells.get(key)
        if cells is not None:
            return cells
        page = row // PAGE_SIZE
        if page not in self._loaded_pages:
            self._loaded_pages.add(page)
            page_keys = self._keys[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
            self._cells.update((k, _cells(r)) for k, r in self._load_rows(page_keys).items())
        # A row deleted since the search has no data; it shows empty until the next search.
        return self._cells.get(key)
