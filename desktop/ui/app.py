"""Start the GUI: Qt in Chinese, the database opened (and upgraded, and on first run filled with the
demo county), then the main window. Problems at start get a Chinese dialog and exit status 1."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import APP_NAME, APP_TITLE
from desktop.domain.identifiers import mask_id_numbers_in
from desktop.errors import TuoyuError
from desktop.services.startup import AppContext


def run_gui(*, data_dir: Path | None, url: str | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    from desktop.ui.chinese import install_chinese

    install_chinese(app)
    sys.excepthook = _report_unexpected_error
    try:
        ctx, note = open_for_gui(data_dir=data_dir, url=url)
    except TuoyuError as error:
        QMessageBox.critical(None, "无法打开数据库", error.message)
        return 1
    from desktop.ui.main_window import MainWindow

    window = MainWindow(ctx)
    if note:
        window.statusBar().showMessage(note, 15000)
    window.show()
    try:
        return app.exec()
    finally:
        ctx.close()


def _report_unexpected_error(kind: type[BaseException], error: BaseException, trace: object) -> None:
    """An error that escapes a slot is a bug: say so plainly instead of failing silently."""
    sys.__excepthook__(kind, error, trace)  # keep the traceback on stderr for support
    if isinstance(error, TuoyuError):
        QMessageBox.warning(None, "未完成", error.message)
        return
    first_line = mask_id_numbers_in((str(error).splitlines() or [""])[0])
    QMessageBox.critical(
        None,
        "程序错误",
        f"操作没有完成，程序遇到了意外错误：{kind.__name__}: {first_line}\n\n"
        "已保存的数据不受影响。请记下刚才的操作步骤并联系技术支持。",
    )


def open_for_gui(*, data_dir: Path | None, url: str | None, today: date | None = None) -> tuple[AppContext, str]:
    """Open the database for the window; returns the context and a note for the status bar."""
    from desktop.demo.zhangye import Scale
    from desktop.paths import default_data_dir
    from desktop.services.demo_service import database_is_empty, load_demo
    from desktop.services.regions import ensure_regions
    from desktop.services.startup import open_app

    embedded = url is None
    ctx = open_app(data_dir=data_dir or (default_data_dir() if embedded else None), url=url)
    notes = []
    if ctx.upgrade and ctx.upgrade.backup:
        notes.append(f"数据库结构已升级，升级前备份：{ctx.upgrade.backup.path}")
    try:
        if embedded and database_is_empty(ctx):
            summary, _ = load_demo(ctx, scale=Scale.COUNTY, seed=2026, today=today or date.today())
            notes.append(f"首次运行：已载入张掖市演示数据（{summary.institutions} 家机构）")
        else:
            ensure_regions(ctx)
    except BaseException:
        ctx.close()
        raise
    return ctx, "；".join(notes)
