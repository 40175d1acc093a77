"""The shell: Chinese everywhere, areas in the navigation, the status bar tells where the data is."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.db.migrate import HEAD_REVISION
from desktop.ui import app as app_module
from desktop.ui.main_window import MainWindow
from desktop.ui.tasks import TaskRunner
from tests.conftest import TODAY


def test_the_bundled_font_draws_chinese_without_system_fonts(chinese_qt):
    assert "Noto Sans SC" in chinese_qt
    font = QApplication.font()
    assert font.family() == "Noto Sans SC"
    metrics = QFontMetrics(font)
    assert all(metrics.inFontUcs4(ord(ch)) for ch in "托育机构档案甘州区¥")


def test_first_start_on_an_empty_folder_loads_the_demo_and_says_so(qtbot, tmp_path):
    ctx, note = app_module.open_for_gui(data_dir=tmp_path / "data", url=None, today=TODAY)
    try:
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        assert "演示数据" in note
        assert window.views["institutions"].model.rowCount() == 160
        assert [window.navigation.item(i).text() for i in range(window.navigation.count())] == [
            "机构档案",
            "检查",
            "补贴",
            "同步",
        ]
        assert window.database_label.text() == f"数据库：{tmp_path / 'data' / 'tuoyu.db'}"
        assert window.revision_label.text() == f"结构版本：{HEAD_REVISION}"
        assert window.user_label.text().startswith("当前用户：")
    finally:
        ctx.close()


def test_a_second_start_does_not_load_the_demo_again(tmp_path):
    first, _ = app_module.open_for_gui(data_dir=tmp_path, url=None, today=TODAY)
    first.close()
    second, note = app_module.open_for_gui(data_dir=tmp_path, url=None, today=TODAY)
    second.close()
    assert note == ""


def test_a_damaged_database_at_start_gets_a_chinese_dialog_and_exit_status_1(tmp_path, monkeypatch):
    (tmp_path / "tuoyu.db").write_bytes(b"SQLite format 3\x00" + b"\x01" * 5000)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append((title, text)))
    assert app_module.run_gui(data_dir=tmp_path, url=None) == 1
    assert shown and "损坏" in shown[0][1]


def test_background_work_reports_back_on_the_ui_thread(qtbot):
    runner = TaskRunner()
    results = []
    runner.run(lambda: sum(range(1000)), results.append, results.append, writes=False)
    qtbot.waitUntil(lambda: results == [499500])
    failures = []
    runner.run(lambda: 1 / 0, failures.append, failures.append, writes=True)
    qtbot.waitUntil(lambda: bool(failures))
    assert isinstance(failures[0], ZeroDivisionError)
    runner.shutdown()


def test_backing_up_from_the_file_menu_writes_a_verified_copy(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    ctx, _ = app_module.open_for_gui(data_dir=tmp_path / "data", url=None, today=TODAY)
    try:
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        target = tmp_path / "备份.db"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
        messages = []
        monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: messages.append(text))
        backup_action = next(a for a in window.menuBar().actions()[0].menu().actions() if "备份" in a.text())
        backup_action.trigger()
        qtbot.waitUntil(lambda: bool(messages), timeout=10000)
        assert Path(target).exists() and "已校验" in messages[0]
    finally:
        ctx.close()


def test_the_inspection_area_shows_each_county_and_what_is_due(qtbot, sqlite_ctx):
    from desktop.demo.zhangye import Scale
    from desktop.services.demo_service import load_demo
    from desktop.ui.views.inspection_overview_view import InspectionOverviewView

    load_demo(sqlite_ctx, scale=Scale.COUNTY, seed=7, today=TODAY)
    view = InspectionOverviewView(sqlite_ctx, today=TODAY)
    qtbot.addWidget(view)
    assert view.counties_model.rowCount() == 6
    assert view.counties_model.data(view.counties_model.index(0, 0)) == "甘州区"
    assert view.due_model.rowCount() > 0
    assert "整改逾期" in view.due_label.text()
    everywhere = view.due_model.rowCount()
    assert "请在上方选择一个县区" in view.plan_label.text() and view.plan_model.rowCount() == 0
    # One county: its due list and its half-year plan, every operating institution with its month.
    view.county_combo.setCurrentIndex(view.county_combo.findText("甘州区"))
    assert 0 < view.due_model.rowCount() < everywhere
    assert {view.due_model.data(view.due_model.index(r, 2)) for r in range(view.due_model.rowCount())} == {"甘州区"}
    assert view.plan_model.rowCount() == view.counties_model.data(view.counties_model.index(0, 1))
    months = {view.plan_model.data(view.plan_model.index(r, 2)) for r in range(view.plan_model.rowCount())}
    assert months == {f"2026年{m}月" for m in range(7, 13)}
    assert "逾期未检查" in view.plan_label.text()
    view.county_combo.setCurrentIndex(view.county_combo.findText("民乐县"))
    minle = next(r for r in range(6) if view.counties_model.data(view.counties_model.index(r, 0)) == "民乐县")
    assert view.plan_model.rowCount() == view.counties_model.data(view.counties_model.index(minle, 1))
