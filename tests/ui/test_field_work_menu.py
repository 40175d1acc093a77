"""文件 → 外业检查 driven as a clerk and an inspector would: package out, results back, once."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox
from sqlalchemy import func, select

from desktop.demo.zhangye import Scale
from desktop.models import Inspection
from desktop.services.demo_service import load_demo
from desktop.services.startup import open_app
from desktop.ui import field_work_menu
from desktop.ui.dialogs.field_package_dialog import FieldPackageDialog
from desktop.ui.main_window import MainWindow
from tests.integration.test_field_packages import _inspect

TODAY = date(2026, 11, 23)


@pytest.fixture
def messages(monkeypatch):
    shown = []
    for kind in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, kind, lambda parent, title, text, kind=kind: shown.append((kind, text)))
    return shown


def _window(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.field_work._today = lambda: TODAY
    return window


def test_a_package_goes_out_and_the_results_come_back_once(qtbot, tmp_path, monkeypatch, messages):
    county = open_app(data_dir=tmp_path / "county", url=None)
    laptop = open_app(data_dir=tmp_path / "laptop", url=None)
    try:
        load_demo(county, scale=Scale.COUNTY, seed=7, today=TODAY)
        county_window, laptop_window = _window(qtbot, county), _window(qtbot, laptop)
        package, results = tmp_path / "包.tuoyu-field", tmp_path / "结果.tuoyu-results"

        def choose_county_scope(dialog: FieldPackageDialog) -> QDialog.DialogCode:
            dialog.county_radio.setChecked(True)
            return QDialog.DialogCode.Accepted

        monkeypatch.setattr(FieldPackageDialog, "exec", choose_county_scope)
        monkeypatch.setattr(field_work_menu, "ask_save_path", lambda *a: package)
        county_window.field_work.export_package_action.trigger()
        qtbot.waitUntil(lambda: len(messages) == 1, timeout=10000)
        assert messages[-1][0] == "information" and "预留" in messages[-1][1] and package.exists()

        monkeypatch.setattr(field_work_menu, "ask_open_path", lambda *a: package)
        laptop_window.field_work.load_package_action.trigger()
        qtbot.waitUntil(lambda: len(messages) == 2, timeout=10000)
        assert "已载入" in messages[-1][1]
        assert not laptop_window.field_work.export_package_action.isEnabled()
        assert "检查笔记本" in laptop_window.field_label.text() and not laptop_window.field_label.isHidden()
        assert county_window.field_label.isHidden()

        _inspect(laptop)
        monkeypatch.setattr(field_work_menu, "ask_save_path", lambda *a: results)
        laptop_window.field_work.export_results_action.trigger()
        qtbot.waitUntil(lambda: len(messages) == 3, timeout=10000)
        assert "检查 1 次" in messages[-1][1]

        monkeypatch.setattr(field_work_menu, "ask_open_path", lambda *a: results)
        for shown, expected in ((4, "已导入"), (5, "此前已经导入过")):
            county_window.field_work.import_results_action.trigger()
            qtbot.waitUntil(lambda shown=shown: len(messages) == shown, timeout=10000)
            assert expected in messages[-1][1]
        from_laptop = select(func.count()).select_from(Inspection).where(Inspection.origin == laptop.node_id)
        with county.db.session_factory() as session:
            assert session.scalar(from_laptop) == 1

        # The package given to the county's import by mistake: refused, in Chinese.
        monkeypatch.setattr(field_work_menu, "ask_open_path", lambda *a: package)
        county_window.field_work.import_results_action.trigger()
        qtbot.waitUntil(lambda: messages[-1][0] == "warning", timeout=10000)
        assert "不是检查结果文件" in messages[-1][1]
    finally:
        county.close()
        laptop.close()
