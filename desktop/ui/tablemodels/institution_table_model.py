"""Table of institutions: holds the ordered ids, loads display rows a page at a time as they are painted.

Sorting and filtering happen in SQL (the view re-runs the search and calls ``set_ids``); a proxy model
would call back into Python per comparison and takes seconds at 100,000 rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from desktop.services.institution_queries import InstitutionRow

PAGE_SIZE = 200  # rows per query: far below SQLite's bound-parameter limit

AnyIndex = QModelIndex | QPersistentModelIndex


class InstitutionTableModel(QAbstractTableModel):
    IdRole = Qt.ItemDataRole.UserRole
    # (sort key in institution_queries.SORT_COLUMNS, header)
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
    )
    SLOTS_COLUMN = 4

    # (sort key, descending): the owner re-runs the search in that order and calls set_ids.
    sort_requested = Signal(str, bool)

    def __init__(
        self, load_rows: Callable[[Sequence[uuid.UUID]], dict[uuid.UUID, InstitutionRow]], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._load_rows = load_rows  # injected: the model never sees SQLAlchemy
        self._ids: list[uuid.UUID] = []
        self._rows: dict[uuid.UUID, InstitutionRow] = {}
        self._loaded_pages: set[int] = set()

    # --- the model's own API ------------------------------------------------------------------

    def set_ids(self, ids: Sequence[uuid.UUID]) -> None:
        self.beginResetModel()
        self._ids = list(ids)
        self._rows.clear()
        self._loaded_pages.clear()
        self.endResetModel()

    def id_at(self, row: int) -> uuid.UUID | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, institution_id: uuid.UUID) -> int | None:
        try:
            return self._ids.index(institution_id)
        except ValueError:
            return None

    def invalidate(self, ids: set[uuid.UUID] | None = None) -> None:
        """Forget cached rows (all, or the given ones) and repaint; order and count are unchanged."""
        if ids is None:
            self._rows.clear()
        else:
            for institution_id in ids:
                self._rows.pop(institution_id, None)
        self._loaded_pages.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self.COLUMNS) - 1))

    # --- Qt overrides ---------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section][1] if 0 <= section < len(self.COLUMNS) else None
        return section + 1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._ids)):
            return None
        institution_id = self._ids[index.row()]
        if role == self.IdRole:
            return str(institution_id)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == self.SLOTS_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self._row(index.row())
        if row is None:
            return None
        return _display(row, self.COLUMNS[index.column()][0])

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self.COLUMNS):
            self.sort_requested.emit(self.COLUMNS[column][0], order == Qt.SortOrder.DescendingOrder)

    # --- paging ---------------------------------------------------------------------------------

    def _row(self, row: int) -> InstitutionRow | None:
        institution_id = self._ids[row]
        cached = self._rows.get(institution_id)
        if cached is not None:
            return cached
        page = row // PAGE_SIZE
        if page not in self._loaded_pages:
            self._loaded_pages.add(page)
            page_ids = self._ids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
            self._rows.update(self._load_rows(page_ids))
        # A row deleted since the search has no data; it shows empty until the next search.
        return self._rows.get(institution_id)


_DISPLAY: dict[str, Callable[[InstitutionRow], str | int]] = {
    "name": lambda row: row.name,
    "county": lambda row: row.county_name,
    "township": lambda row: row.township_name,
    "sponsor_type": lambda row: row.sponsor_type.label,
    "slots": lambda row: row.slots,
    "puhui": lambda row: "普惠" if row.puhui else "—",
    "filing_status": lambda row: row.filing_status.label,
    "operating_status": lambda row: row.operating_status.label,
    "credit_code": lambda row: row.credit_code,
    "contact_phone": lambda row: row.contact_phone,
}


def _display(row: InstitutionRow, key: str) -> str | int:
    return _DISPLAY[key](row)
