"""Screenshots of sync: 导出同步包 (the form and the summary), 导入同步包 (a dry run with conflicts, a receipt, a
refused bundle), the 同步 area's 对账 tab at the county, and its 同步冲突 tab at the city — two versions side by
side chosen per field, a deletion against an edit, and three counties' versions of one record.

    .venv/bin/python scripts/screenshot_sync.py [--out out/screenshots]

Runs Qt offscreen on temporary installations: 甘州区 with the county demo, the city, a laptop, and two more
counties (肃南县, 民乐县) without demo data, enrolled with each other as the rules allow.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QMessageBox
from screenshot_kit import TODAY, shooting
from sqlalchemy import select

from desktop.domain.enums import NodeKind, StaffRole
from desktop.models import Institution, RegionPopulation, StaffMember
from desktop.services.enrolled_nodes import enrol_node
from desktop.services.nodes import export_public_key, init_node
from desktop.services.roster_commands import StaffDraft, delete_staff_member, save_staff_member
from desktop.services.startup import AppContext, open_app
from desktop.services.sync_destinations import sync_destinations
from desktop.services.unit_of_work import write_session
from desktop.sync.conflicts import list_conflicts
from desktop.sync.export import export_bundle
from desktop.sync.importing import import_bundle
from desktop.ui.dialogs.sync_export_dialog import SyncExportDialog, SyncExportSummaryDialog
from desktop.ui.dialogs.sync_import_dialog import SyncImportPreviewDialog, refusal_text
from desktop.ui.main_window import MainWindow
from desktop.ui.views.sync_view import CONFLICTS_TAB, SyncView

GANZHOU, SUNAN, MINLE = "620702", "620721", "620722"


def main() -> int:
    with shooting("tuoyu-sync-") as camera:
        county = camera.open_demo()
        init_node(county, role=NodeKind.COUNTY, name="甘州区卫生健康局", division_code=GANZHOU)
        city, laptop, sunan, minle = (
            _node(camera, folder, role, name, code)
            for folder, role, name, code in (
                ("city", NodeKind.CITY, "张掖市卫生健康委员会", None),
                ("laptop", NodeKind.LAPTOP, "王芳的检查笔记本", GANZHOU),
                ("sunan", NodeKind.COUNTY, "肃南县卫生健康局", SUNAN),
                ("minle", NodeKind.COUNTY, "民乐县卫生健康局", MINLE),
            )
        )
        for a, b in ((county, city), (county, laptop), (sunan, city), (minle, city)):
            _enrol(camera.scratch, a, b)
        usb = camera.scratch / "U盘"
        usb.mkdir()

        # 导出同步包: the form, then the summary of the county's first bundle to the city.
        form = SyncExportDialog(sync_destinations(county))
        camera.shoot_shown(form, "sync-export-dialog")
        first = usb / sync_destinations(county)[0].file_name
        camera.shoot_shown(
            SyncExportSummaryDialog(export_bundle(county, to=city.node_id, out=first)), "sync-export-summary"
        )
        camera.settle()
        receipt = import_bundle(city, first).receipt_file
        import_bundle(county, Path(receipt))
        export_bundle(county, to=laptop.node_id, out=usb / sync_destinations(county)[1].file_name)

        # Both sides change the same records: an institution on both, a staff member deleted at the county.
        with county.db.session_factory() as session:
            institution = session.scalars(
                select(Institution).where(Institution.county_code == GANZHOU).order_by(Institution.name)
            ).first()
        staff = save_staff_member(county, institution.id, StaffDraft("李秀英", StaffRole.CARER), today=TODAY)
        second = usb / sync_destinations(county)[0].file_name
        export_bundle(county, to=city.node_id, out=second)
        import_bundle(county, Path(import_bundle(city, second).receipt_file))
        _change(city, Institution, institution.id, contact_phone="13900001111", slots=institution.slots + 10)
        _change(county, Institution, institution.id, contact_phone="13800002222", address="甘州区青年东街 8 号")
        _change(city, StaffMember, staff.record_id, name="李秀英（已核实）")
        with county.db.session_factory() as session:
            version = session.get(StaffMember, staff.record_id).version
        delete_staff_member(county, staff.record_id, expected_version=version)
        third = usb / sync_destinations(county)[0].file_name
        export_bundle(county, to=city.node_id, out=third)

        preview = SyncImportPreviewDialog(third, import_bundle(city, third, dry_run=True))
        camera.shoot_shown(preview, "sync-import-preview")
        imported = import_bundle(city, third)
        window = MainWindow(county)
        window.resize(1400, 860)
        window.show()
        window.show_area("sync")
        camera.shoot(window, "sync-reconciliation")
        window.sync_menu.menu.popup(window.mapToGlobal(QPoint(40, 40)))
        camera.shoot(window.sync_menu.menu, "sync-menu")
        window.sync_menu.menu.close()
        window.close()
        camera.shoot_shown(
            SyncImportPreviewDialog(
                Path(imported.receipt_file), import_bundle(county, Path(imported.receipt_file), dry_run=True)
            ),
            "sync-import-receipt",
        )

        # A refused bundle: one byte changed on the way.
        tampered = usb / "被改动的同步包.tuoyu-sync"
        export_bundle(county, to=city.node_id, out=tampered)
        data = bytearray(tampered.read_bytes())
        data[len(data) // 2] ^= 0x01
        tampered.write_bytes(bytes(data))
        refused = import_bundle(city, tampered)
        box = QMessageBox(QMessageBox.Icon.Warning, "同步包被拒绝", refusal_text(tampered, refused))
        camera.shoot_shown(box, "sync-import-refused")

        # Three counties change one population figure of the city: three versions at the city.
        for node in (sunan, minle):
            import_bundle(node, Path(import_bundle(city, _export(node, city, usb)).receipt_file))
        for node, value in ((county, 11_111), (sunan, 22_222), (minle, 33_333)):
            _population(node, value)
            import_bundle(city, _export(node, city, usb))

        view = SyncView(city)
        view.resize(1400, 900)
        view.show()
        view.tabs.setCurrentIndex(CONFLICTS_TAB)
        conflicts = list_conflicts(city)
        kinds = {c.entity_type: n for n, c in enumerate(conflicts)}
        panel = view.conflicts
        panel.table.selectRow(kinds["institutions"])
        comparison = panel.comparison
        comparison.choose("slots", "mine")
        camera.shoot(view, "sync-conflict-fields")
        panel.table.selectRow(kinds["staff"])
        camera.shoot(view, "sync-conflict-deleted")
        panel.table.selectRow(kinds["region_populations"])
        camera.shoot(view, "sync-conflict-three-versions")
        view.close()
    return 0


def _node(camera, folder: str, role: NodeKind, name: str, code: str | None) -> AppContext:
    ctx = open_app(data_dir=camera.scratch / folder, url=None)
    camera.contexts.append(ctx)
    init_node(ctx, role=role, name=name, division_code=code)
    return ctx


def _enrol(scratch: Path, a: AppContext, b: AppContext) -> None:
    for mine, theirs in ((a, b), (b, a)):
        key = scratch / f"{theirs.node_id}.tuoyu-pubkey"
        export_public_key(theirs, key)
        enrol_node(mine, key)


def _export(node: AppContext, target: AppContext, usb: Path) -> Path:
    destination = next(d for d in sync_destinations(node) if d.node_id == target.node_id)
    path = usb / destination.file_name
    export_bundle(node, to=target.node_id, out=path)
    return path


def _change(ctx: AppContext, model: type, entity_id, **values) -> None:
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        record = session.get(model, entity_id)
        for name, value in values.items():
            setattr(record, name, value)


def _population(ctx: AppContext, under3: int) -> None:
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        row = session.scalar(
            select(RegionPopulation).where(RegionPopulation.region_code == "620700", RegionPopulation.year == 2020)
        )
        row.under3_population = under3


if __name__ == "__main__":
    sys.exit(main())
