"""Per-keystroke search latency in the institution list, beside the bare SQL query, at 10k and 100k rows.

    .venv/bin/python -m tests.bench.search_bench [--data-dir DIR] [--repeat 5]

Latency is measured from the key event to the repainted list: the key event runs the search and
resets the model, and the following processEvents() delivers the update that repaints the list
(offscreen, so painting is the software raster). Each query is typed one character at a time into
the real InstitutionListView.
The baseline is ``SELECT id FROM institutions WHERE name LIKE ?`` with plain sqlite3 on the same file.
The 100k database is the province demo with each institution copied nine more times.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop.demo.zhangye import Scale
from desktop.services.demo_service import load_demo
from desktop.services.startup import open_app
from desktop.ui.chinese import install_chinese
from desktop.ui.views.institution_list_view import InstitutionListView

QUERIES = ("阳光托育", "甘州区", "zyty", "9162", "托育中心")


def build_province(data_dir: Path) -> None:
    ctx = open_app(data_dir=data_dir, url=None)
    load_demo(ctx, scale=Scale.PROVINCE, seed=1, today=date(2026, 11, 23))
    ctx.close()


def grow_tenfold(source_dir: Path, target_dir: Path) -> None:
    """Copy every institution nine more times (new ids), for the 100,000-row case."""
    target_dir.mkdir(parents=True)
    shutil.copy(source_dir / "tuoyu.db", target_dir / "tuoyu.db")
    connection = sqlite3.connect(target_dir / "tuoyu.db")
    columns = [row[1] for row in connection.execute("PRAGMA table_info(institutions)")]
    others = ", ".join(c for c in columns if c != "id")
    for copy in range(1, 10):
        connection.execute(
            f"INSERT INTO institutions (id, {others}) SELECT lower(hex(randomblob(16))), {others} FROM institutions "
            f"WHERE rowid <= 10000"
        )
        del copy
    connection.commit()
    connection.execute("ANALYZE")
    connection.close()


def type_and_time(app: QApplication, view: InstitutionListView, text: str) -> list[float]:
    """Milliseconds from each key event to the repainted list."""
    timings = []
    for character in text:
        started = time.perf_counter()
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, view.search_edit, Qt.Key.Key_unknown, character, Qt.KeyboardModifier.NoModifier
        )
        app.processEvents()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def bare_like(path: Path, text: str) -> list[float]:
    connection = sqlite3.connect(path)
    timings = []
    for end in range(1, len(text) + 1):
        started = time.perf_counter()
        connection.execute("SELECT id FROM institutions WHERE name LIKE ?", (f"%{text[:end]}%",)).fetchall()
        timings.append((time.perf_counter() - started) * 1000)
    connection.close()
    return timings


def measure(app: QApplication, data_dir: Path, repeat: int) -> dict[str, float]:
    ctx = open_app(data_dir=data_dir, url=None)
    view = InstitutionListView(ctx)
    view.resize(1400, 800)
    view.show()
    app.processEvents()
    ui, sql = [], []
    for _ in range(repeat):
        for query in QUERIES:
            view.search_edit.clear()
            app.processEvents()
            ui += type_and_time(app, view, query)
            sql += bare_like(ctx.db.path, query)
    view.close()
    ctx.close()
    return {
        "keystroke_ms_median": statistics.median(ui),
        "keystroke_ms_p90": statistics.quantiles(ui, n=10)[-1],
        "bare_like_ms_median": statistics.median(sql),
        "keystrokes": len(ui),
    }


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.search_bench")
    parser.add_argument("--data-dir", type=Path, help="an existing province demo (built if omitted)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    app = QApplication(sys.argv)
    install_chinese(app)
    with tempfile.TemporaryDirectory(prefix="tuoyu-search-") as folder:
        province = args.data_dir or Path(folder) / "province"
        if args.data_dir is None:
            build_province(province)
        big = Path(folder) / "100k"
        grow_tenfold(province, big)
        # Opening upgrades nothing here; the 100k copy gets its search index rebuilt by the app if any.
        for label, data_dir in (("10,000", province), ("100,000", big)):
            figures = measure(app, data_dir, args.repeat)
            print(
                f"{label} institutions: keystroke→repaint median {figures['keystroke_ms_median']:.1f} ms "
                f"(p90 {figures['keystroke_ms_p90']:.1f} ms, {figures['keystrokes']} keystrokes); "
                f"bare LIKE on name {figures['bare_like_ms_median']:.1f} ms; "
                f"ratio {figures['keystroke_ms_median'] / figures['bare_like_ms_median']:.1f}x"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
