"""A read-only table of a short list (a record's staff, the ledger, an import's errors)."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTableView

from desktop.ui.tablemodels.rows_table_model import RowsTableModel


def read_only_table(model: RowsTableModel, *, wrap: bool = False) -> QTableView:
    """Rows selected whole, columns sized to their contents, the last one taking the rest of the width.

    ``wrap`` lets long texts (an import's reasons) break over lines instead of being cut.
    """
    view = QTableView()
    view.setModel(model)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.verticalHeader().hide()
    view.setWordWrap(wrap)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # Size columns from the first 200 rows only: a province's list of thousands would otherwise be
    # measured row by row on every refresh (0.4 s of the 检查 area's 0.65 s).
    header.setResizeContentsPrecision(200)
    header.setStretchLastSection(True)
    return view
