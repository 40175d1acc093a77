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
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop.domain.enums import InspectionKind, InstitutionEventKind
from desktop.services.inspections import start_inspection
from desktop.services.inspectors import active_inspectors
from desktop.services.institution_commands import update_institution
from desktop.ui.app import open_for_gui
from desktop.ui.chinese import install_chinese
from desktop.ui.dialogs.field_package_dialog import FieldPackageDialog
from desktop.ui.dialogs.import_wizard import ImportWizard
from desktop.ui.dialogs.inspection_dialog import InspectionDialog
from desktop.ui.dialogs.institution_dialog import InstitutionDialog
from desktop.ui.dialogs.roster_dialogs import lifecycle_dialog, staff_dialog
from desktop.ui.main_window import MainWindow

TODAY = date(2026, 11, 23)


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
        ctx, note = open_for_gui(data_dir=args.data_dir or Path(scratch), url=None, today=TODAY)
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
        view.clear_button.click()
        view.table.selectRow(2)
        record = view.detail.record
        update_institution(
            ctx,
            record.form.institution_id,
            replace(record.form.draft, slots=record.form.draft.slots + 10),
            expected_version=record.form.version,
            today=TODAY,
        )
        view.refresh()
        view.detail.show_institution(record.form.institution_id)
        view.detail.tabs.setCurrentIndex(5)
        shoot("06-record-history")
        view.detail.tabs.setCurrentIndex(4)
        shoot("07-record-findings")

        def shoot_dialog(name: str, dialog) -> None:
            dialog.show()
            settle(app)
            path = args.out / f"{name}.png"
            dialog.grab().save(str(path))
            shots.append(path)
            dialog.close()

        new = InstitutionDialog(ctx, today=TODAY)
        type_text(new.panels["基本信息"].fields["credit_code"].focus_widget(), "91350100M000100Y44")
        shoot_dialog("08-new-institution-problems", new)
        staff = staff_dialog(ctx, record.form.institution_id, today=TODAY, classes=list(record.classes))
        type_text(staff.panel.fields["name"].focus_widget(), "王芳")
        type_text(staff.panel.fields["id_number"].focus_widget(), "620702199005061243")
        shoot_dialog("09-staff-wrong-id-number", staff)
        form = view.detail.record.form
        closing = lifecycle_dialog(
            ctx,
            form.institution_id,
            InstitutionEventKind.CLOSED,
            state=form.lifecycle,
            version=form.version,
            today=TODAY,
        )
        shoot_dialog("10-close-needs-a-reason", closing)
        bad_sheet = Path(scratch) / "名单.xlsx"
        workbook = Workbook()
        workbook.active.append(["序号", "机构名称", "统一社会信用代码", "举办主体", "所属县区", "托位数", "备案日期"])
        workbook.active.append(
            [1, "甘州区小天使托育中心", "91350100M000100Y43", "社会力量举办", "甘州区", 60, "2024年6月17日"]
        )
        workbook.active.append([2, "民乐县禾苗托育园", 9.16207e17, "民办", "民乐", "六十", "2024-02-30"])
        workbook.save(bad_sheet)
        wizard = ImportWizard(ctx, window.views["institutions"]._tasks, today=TODAY)
        wizard.check(bad_sheet)
        while wizard.report is None and wizard._busy:
            app.processEvents()
        shoot_dialog("11-import-check-errors", wizard)
        window.navigation.setCurrentRow(1)
        shoot("12-inspection-ledger")
        ledger = window.views["inspections"]
        ledger.county_combo.setCurrentIndex(ledger.county_combo.findText("甘州区"))
        ledger.tabs.setCurrentIndex(1)
        shoot("12b-half-year-plan")
        ledger.tabs.setCurrentIndex(0)
        shoot_dialog("12c-field-package-export", FieldPackageDialog(active_inspectors(ctx), window))
        inspection_id = start_inspection(
            ctx,
            record.form.institution_id,
            kind=InspectionKind.SEMIANNUAL_INSPECTION,
            period="2026H2",
            inspected_at=datetime(2026, 11, 23, 2, tzinfo=UTC),
            inspectors="王芳、李强",
        )
        screen = InspectionDialog(ctx, inspection_id, today=TODAY)
        for key in (Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_2):
            QTest.keyClick(screen.table, key)
        type_text(screen.note_edit, "二楼活动室灭火器压力不足")
        QTest.keyClick(screen.note_edit, Qt.Key.Key_Return)
        QTest.keyClick(screen.table, Qt.Key.Key_1)
        shoot_dialog("13-inspection-keyboard", screen)
        window.close()
        ctx.close()
    for path in shots:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
