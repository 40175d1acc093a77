"""Screenshots of an institution's 在托儿童 tab (a child also on another roster of the county), the child
dialog (ID masked, then with a mistyped number under its field), and the roster import with errors.

    .venv/bin/python scripts/screenshot_children.py [--out out/screenshots]

Runs Qt offscreen on a temporary database with the county demo, on the demo's day.
"""

from __future__ import annotations

import sys

from openpyxl import Workbook
from screenshot_kit import TODAY, shooting
from sqlalchemy import func, select

from desktop.models import Child
from desktop.services.children import load_child
from desktop.ui.dialogs.child_dialogs import ChildDialog
from desktop.ui.widgets.institution_detail_panel import InstitutionDetailPanel


def main() -> int:
    with shooting("tuoyu-children-") as camera:
        ctx = camera.open_demo()
        with ctx.db.session_factory() as session:
            twice = session.scalar(select(Child.id_number).group_by(Child.id_number).having(func.count() > 1))
            child = session.scalars(select(Child).where(Child.id_number == twice).order_by(Child.enrolled_on)).first()
            child_id, institution_id = child.id, child.institution_id

        panel = InstitutionDetailPanel(ctx)
        panel.children_tab.today = lambda: TODAY
        panel.resize(1300, 760)
        panel.show()
        panel.show_institution(institution_id)
        panel.tabs.setCurrentWidget(panel.children_tab)
        ids = [line.id for line in panel.children_tab.lines]
        panel.children_tab.view.selectRow(ids.index(child_id))
        camera.shoot(panel, "children_tab")

        dialog = ChildDialog(ctx, institution_id, today=TODAY, form=load_child(ctx, child_id), parent=panel)
        dialog.show()
        camera.shoot(dialog, "child_dialog")
        number = dialog.panel.fields["id_number"]
        dialog.reveal_button.click()
        typed = number.value()
        number.set_value(typed[:10] + typed[11] + typed[10] + typed[12:])  # two digits swapped
        dialog.panel.fields["guardian_phone"].set_value("1391234567")
        camera.shoot(dialog, "child_dialog_problems")
        dialog.reject()

        workbook = Workbook()
        workbook.active.append(["序号", "幼儿姓名", "公民身份号码", "家长姓名", "家长电话", "入园日期"])
        workbook.active.append([1, "张一诺", "620702202406150028", "张伟", "13993612345", "2026-03-01"])
        workbook.active.append([2, "李子涵", "62070220240230002X", "李娜", "13993612346", "2026-03-01"])
        workbook.active.append([3, "王梓萱", "620702202311090041", "王芳", "1399361234", "2027-01-01"])
        source = camera.scratch / "名单.xlsx"
        workbook.save(source)
        wizard = panel.children_tab.import_wizard()
        wizard.resize(980, 560)
        wizard.show()
        wizard.check(source)
        camera.wait_until(lambda: wizard.report is not None)
        camera.shoot(wizard, "children_import")
        panel.children_tab.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
