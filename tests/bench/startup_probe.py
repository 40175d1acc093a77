"""Child process for the start-up benchmark: start, paint, print the wall-clock time of the first paint.

``python -m tests.bench.startup_probe tuoyu DATA_DIR`` starts Tuoyu's real window the way
``desktop.ui.app.run_gui`` does; ``bare`` paints an empty QMainWindow; ``table DATA_DIR`` paints a window
with a QTableView over 10,000 rows loaded with SQLAlchemy Core (the raw-library baseline of
performance-baselines.md §5c). The parent measures from before it starts this process.
"""

from __future__ import annotations

import sys
import time


def _wait_for_paint(app, widget) -> float:
    from PySide6.QtCore import QEvent, QObject

    painted: list[float] = []

    class PaintWatcher(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(0.0)
            return False

    watcher = PaintWatcher()
    widget.installEventFilter(watcher)
    while not painted:
        app.processEvents()
    app.processEvents()  # let the paint finish
    return time.time()


def probe_tuoyu(data_dir: str) -> float:
    from pathlib import Path

    from PySide6.QtWidgets import QApplication

    from desktop.ui.chinese import install_chinese

    app = QApplication(sys.argv)
    install_chinese(app)
    from desktop.ui.app import open_for_gui
    from desktop.ui.main_window import MainWindow

    ctx, _ = open_for_gui(data_dir=Path(data_dir), url=None)
    window = MainWindow(ctx)
    window.show()
    view = window.views["institutions"]
    painted_at = _wait_for_paint(app, view.table.viewport())
    assert view.model.rowCount() > 0 and view.model.data(view.model.index(0, 0))
    return painted_at


def probe_bare() -> float:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv)
    window = QMainWindow()
    window.resize(1400, 860)
    window.show()
    return _wait_for_paint(app, window)


def probe_table(data_dir: str) -> float:
    from PySide6.QtCore import QAbstractTableModel, Qt
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
    from sqlalchemy import create_engine, text

    app = QApplication(sys.argv)
    engine = create_engine(f"sqlite:///{data_dir}/tuoyu.db")
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT name, county_code, township_code, sponsor_type, slots, puhui, filing_status, "
                "operating_status, credit_code, contact_phone FROM institutions ORDER BY name LIMIT 10000"
            )
        ).all()

    class Model(QAbstractTableModel):
        def rowCount(self, parent=None):
            return len(rows)

        def columnCount(self, parent=None):
            return 10

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            return rows[index.row()][index.column()] if role == Qt.ItemDataRole.DisplayRole else None

    window = QMainWindow()
    window.resize(1400, 860)
    table = QTableView()
    table.setModel(Model())
    window.setCentralWidget(table)
    window.show()
    return _wait_for_paint(app, table.viewport())


if __name__ == "__main__":
    kind = sys.argv[1]
    probes = {"tuoyu": probe_tuoyu, "bare": probe_bare, "table": probe_table}
    print(f"{probes[kind](*sys.argv[2:]):.6f}", flush=True)
