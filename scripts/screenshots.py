"""Screenshots of the main window on the demo database, to look at what we built.

    .venv/bin/python scripts/screenshots.py [--out out/screenshots] [--data-dir DIR]

Runs Qt offscreen (or on the display given by QT_QPA_PLATFORM / DISPLAY). Without --data-dir it
uses a fresh temporary folder, so the first-run demo load is part of what is shown.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop.ui.app import open_for_gui
from desktop.ui.chinese import install_chinese
from desktop.ui.main_window import MainWindow


def settle(app: QApplication) -> None:
    for _ in range(10):
        app.processEvents()


def type_text(widget, text: str) -> None:
    for character in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, character, Qt.KeyboardModifier.NoModifier)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("out/screenshots"))
    parser.add_argument("--data-dir", type=Path)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv)
    install_chinese(app)
    with tempfile.TemporaryDirectory(prefix="tuoyu-shots-") as scratch:
        ctx, note = open_for_gui(data_dir=args.data_dir or Path(scratch), url=None, today=date(2026, 11, 23))
        window = MainWindow(ctx)
        window.statusBar().showMessage(note)
        window.resize(1440, 900)
        window.show()
        settle(app)
        view = window.views["institutions"]
        shots = []

        def shoot(name: str) -> None:
            settle(app)
            path = args.out / f"{name}.png"
            window.grab().save(str(path))
            shots.append(path)

        shoot("01-register")
        view.table.selectRow(0)
        shoot("02-record-basics")
        view.detail.tabs.setCurrentIndex(2)
        shoot("03-record-staff-masked-ids")
        view.search_edit.setFocus()
        type_text(view.search_edit, "zyty")
        view.table.selectRow(0)
        view.detail.tabs.setCurrentIndex(1)
        shoot("04-search-pinyin-initials")
        view.search_edit.clear()
        view.county_combo.setCurrentIndex(view.county_combo.findText("民乐县"))
        view.puhui_combo.setCurrentIndex(view.puhui_combo.findText("普惠"))
        view.table.horizontalHeader().setSortIndicator(4, Qt.SortOrder.DescendingOrder)
        shoot("05-filter-county-puhui-sorted-by-slots")
        window.close()
        ctx.close()
    for path in shots:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
