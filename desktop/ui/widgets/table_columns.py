"""Which column of a read-only table takes the spare width: the one with the names, not the last one of numbers."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTableView


def stretch_column(view: QTableView, column: int) -> None:
    """``column`` takes the width left over; the others stay sized to their contents, numbers beside their names."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
