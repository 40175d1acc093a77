"""Screenshots of the main window on the demo database, to look at what we built.

    .venv/bin/python scripts/screenshots.py [--out out/screenshots] [--data-dir DIR]

Runs Qt offscreen (or on the display given by QT_QPA_PLATFORM / DISPLAY). Without --data-dir it
uses a fresh temporary folder, so the first-run demo load is part of what is shown.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from screenshot_kit import TODAY, argument_parser, shooting

from desktop.domain.enums import InspectionKind, InstitutionEventKind
from desktop.services.inspections import start_inspection
from desktop.services.inspectors import active_inspectors
from desktop.services.institution_commands import update_institution
from desktop.ui.app import open_for_gui
from desktop.ui.dialogs.field_package_dialog import FieldPackageDialog
from desktop.ui.dialogs.import_wizard import ImportWizard
from desktop.ui.dialogs.inspection_dialog import InspectionDialog
from desktop.ui.dialogs.institution_dialog import InstitutionDialog
from desktop.ui.dialogs.roster_dialogs import lifecycle_dialog, staff_dialog
from desktop.ui.main_window import MainWindow


def type_text(widget, text: str) -> None:
    for character in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, character, Qt.KeyboardModifier.NoModifier)


def main() -> int:
    parser = argument_parser()
    parser.add_argument("--data-dir", type=Path)
    with shooting("tuoyu-shots-", parser) as camera:
        ctx, note = open_for_gui(data_dir=camera.args.data_dir or camera.scratch, url=None, today=TODAY)
        camera.contexts.append(ctx)
        window = MainWindow(ctx)
        window.statusBar().showMessage(note)
        window.resize(1440, 900)
        window.show()
        camera.settle()
        view = window.views["institutions"]

        camera.shoot(window, "01-register")
        view.table.selectRow(0)
        camera.shoot(window, "02-record-basics")
        view.detail.tabs.setCurrentIndex(2)
        camera.shoot(window, "03-record-staff-masked-ids")
        view.search_edit.setFocus()
        type_text(view.search_edit, "zyty")
        view.table.selectRow(0)
        view.detail.tabs.setCurrentIndex(1)
        camera.shoot(window, "04-search-pinyin-initials")
        view.search_edit.clear()
        view.county_combo.setCurrentIndex(view.county_combo.findText("民乐县"))
        view.puhui_combo.setCurrentIndex(view.puhui_combo.findText("普惠"))
        view.table.horizontalHeader().setSortIndicator(4, Qt.SortOrder.DescendingOrder)
        camera.shoot(window, "05-filter-county-puhui-sorted-by-slots")
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
        camera.shoot(window, "06-record-history")
        view.detail.tabs.setCurrentIndex(4)
        camera.shoot(window, "07-record-findings")

        new = InstitutionDialog(ctx, today=TODAY)
        type_text(new.panels["基本信息"].fields["credit_code"].focus_widget(), "91350100M000100Y44")
        camera.shoot_shown(new, "08-new-institution-problems")
        staff = staff_dialog(ctx, record.form.institution_id, today=TODAY, classes=list(record.classes))
        type_text(staff.panel.fields["name"].focus_widget(), "王芳")
        type_text(staff.panel.fields["id_number"].focus_widget(), "620702199005061243")
        camera.shoot_shown(staff, "09-staff-wrong-id-number")
        form = view.detail.record.form
        closing = lifecycle_dialog(
            ctx,
            form.institution_id,
            InstitutionEventKind.CLOSED,
            state=form.lifecycle,
            version=form.version,
            today=TODAY,
        )
        camera.shoot_shown(closing, "10-close-needs-a-reason")
        bad_sheet = camera.scratch / "名单.xlsx"
        workbook = Workbook()
        workbook.active.append(["序号", "机构名称", "统一社会信用代码", "举办主体", "所属县区", "托位数", "备案日期"])
        workbook.active.append(
            [1, "甘州区小天使托育中心", "91350100M000100Y43", "社会力量举办", "甘州区", 60, "2024年6月17日"]
        )
        workbook.active.append([2, "民乐县禾苗托育园", 9.16207e17, "民办", "民乐", "六十", "2024-02-30"])
        workbook.save(bad_sheet)
        wizard = ImportWizard(ctx, window.views["institutions"]._tasks, today=TODAY)
        wizard.check(bad_sheet)
        camera.wait_until(lambda: wizard.report is not None or not wizard._busy)
        camera.shoot_shown(wizard, "11-import-check-errors")
        window.navigation.setCurrentRow(1)
        camera.shoot(window, "12-inspection-ledger")
        ledger = window.views["inspections"]
        ledger.county_combo.setCurrentIndex(ledger.county_combo.findText("甘州区"))
        ledger.tabs.setCurrentIndex(1)
        camera.shoot(window, "12b-half-year-plan")
        ledger.tabs.setCurrentIndex(0)
        camera.shoot_shown(FieldPackageDialog(active_inspectors(ctx), window), "12c-field-package-export")
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
        camera.shoot_shown(screen, "13-inspection-keyboard")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
