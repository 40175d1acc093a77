"""The 在托儿童 tab and the child dialogs, driven like a clerk: IDs masked in the list, typed entries checked
under their fields, the full number shown only on request (and audited), leaving, deleting, importing."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from sqlalchemy import select

from desktop.domain.enums import OperatingStatus, SponsorType
from desktop.domain.identifiers import make_id_number, mask_id_number
from desktop.domain.lifecycle_rules import LifecycleState
from desktop.models import AuditEntry
from desktop.services.children import ID_NUMBER_VIEWED, ChildDraft, list_children, load_child, save_child
from desktop.services.institution_commands import InstitutionDraft, create_institution
from desktop.services.regions import ensure_regions
from desktop.ui.dialogs.child_dialogs import ChildDialog, leave_dialog
from desktop.ui.widgets.institution_detail_panel import InstitutionDetailPanel
from tests.conftest import TODAY
from tests.ui.conftest import type_text

SAVE = QDialogButtonBox.StandardButton.Save
GIRL = make_id_number("620702", date(2025, 3, 14), 124)
BOY = make_id_number("620702", date(2024, 7, 1), 13)


def _institution(ctx, name: str):
    draft = InstitutionDraft(name=name, sponsor_type=SponsorType.SOCIAL, county_code="620702", slots=40)
    lifecycle = LifecycleState(operating_status=OperatingStatus.OPERATING, opened_on=date(2024, 3, 1))
    return create_institution(ctx, draft, lifecycle, today=TODAY).institution_id


@pytest.fixture
def roster(sqlite_ctx):
    ensure_regions(sqlite_ctx)
    institution_id = _institution(sqlite_ctx, "甘州区阳光托育中心")
    save_child(sqlite_ctx, institution_id, ChildDraft("王小雨", GIRL, date(2026, 3, 1), None, "王芳", "13912345678"),
               today=TODAY)  # fmt: skip
    return sqlite_ctx, institution_id


@pytest.fixture
def panel(qtbot, roster, monkeypatch):
    ctx, institution_id = roster
    widget = InstitutionDetailPanel(ctx)
    widget.children_tab.today = lambda: TODAY
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    widget.show_institution(institution_id)
    widget.tabs.setCurrentWidget(widget.children_tab)
    return widget


def _cells(tab) -> list[str]:
    model = tab.model
    return [str(model.data(model.index(r, c))) for r in range(model.rowCount()) for c in range(model.columnCount())]


def test_the_tab_lists_children_with_masked_ids_and_counts_those_in_care(panel):
    tab = panel.children_tab
    assert panel.tabs.tabText(panel.tabs.indexOf(tab)) == "在托儿童（1）"
    assert _cells(tab) == ["王小雨", mask_id_number(GIRL), "2025年3月14日", "20 个月", "王芳", "2026年3月1日", ""]
    assert all(GIRL not in text for text in _cells(tab))
    assert "在托 1 名" in tab.summary.text()


def _problem(dialog, key: str) -> str:
    label = dialog.panel.problem_labels[key]
    return label.text() if not label.isHidden() else ""


def test_a_child_typed_in_is_checked_under_its_fields_and_saved(qtbot, panel, roster):
    ctx, institution_id = roster
    dialog = ChildDialog(ctx, institution_id, today=TODAY, parent=panel)
    qtbot.addWidget(dialog)
    fields = dialog.panel.fields
    type_text(fields["name"].focus_widget(), "李乐")
    type_text(fields["id_number"].focus_widget(), BOY[:17] + ("0" if BOY[17] != "0" else "1"))
    assert "校验位" in _problem(dialog, "id_number") and not dialog.buttons.button(SAVE).isEnabled()
    fields["id_number"].focus_widget().clear()
    type_text(fields["id_number"].focus_widget(), BOY)
    assert _problem(dialog, "id_number") == ""
    assert "2024年7月1日，男" in dialog.identity.text()
    assert "监护人" in _problem(dialog, "guardian_name")
    type_text(fields["guardian_name"].focus_widget(), "李强")
    type_text(fields["guardian_phone"].focus_widget(), "139 1234 5679")
    fields["enrolled_on"].set_value(date(2025, 9, 1))
    assert dialog.buttons.button(SAVE).isEnabled(), dialog.general.text()
    dialog.buttons.button(SAVE).click()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert {line.name for line in list_children(ctx, institution_id, today=TODAY)} == {"王小雨", "李乐"}


def test_the_full_number_is_shown_only_on_request_and_the_look_is_audited(qtbot, panel, roster):
    ctx, institution_id = roster
    line = panel.children_tab.lines[0]
    dialog = ChildDialog(ctx, institution_id, today=TODAY, form=load_child(ctx, line.id), parent=panel)
    qtbot.addWidget(dialog)
    id_field = dialog.panel.fields["id_number"]
    assert id_field.value() == mask_id_number(GIRL) and _problem(dialog, "id_number") == ""
    assert "2025年3月14日" in dialog.identity.text()
    with ctx.db.session_factory() as session:
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == ID_NUMBER_VIEWED)).all() == []
    dialog.reveal_button.click()
    assert id_field.value() == GIRL and not dialog.reveal_button.isEnabled()
    with ctx.db.session_factory() as session:
        (entry,) = session.scalars(select(AuditEntry).where(AuditEntry.action == ID_NUMBER_VIEWED)).all()
    assert entry.entity_id == line.id
    dialog.buttons.button(SAVE).click()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_an_edit_that_keeps_the_masked_number_saves(qtbot, panel, roster):
    ctx, institution_id = roster
    line = panel.children_tab.lines[0]
    dialog = ChildDialog(ctx, institution_id, today=TODAY, form=load_child(ctx, line.id), parent=panel)
    qtbot.addWidget(dialog)
    guardian = dialog.panel.fields["guardian_name"].focus_widget()
    guardian.clear()
    type_text(guardian, "李强")
    dialog.buttons.button(SAVE).click()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert load_child(ctx, line.id).draft.guardian_name == "李强"


def test_leaving_is_recorded_and_refused_before_enrollment(qtbot, panel, roster):
    ctx, _ = roster
    line = panel.children_tab.lines[0]
    dialog = leave_dialog(ctx, line, today=TODAY, parent=panel)
    qtbot.addWidget(dialog)
    dialog.panel.fields["left_on"].set_value(date(2026, 2, 1))
    assert "早于入托日期" in _problem(dialog, "left_on") and not dialog.buttons.button(SAVE).isEnabled()
    dialog.panel.fields["left_on"].set_value(date(2026, 10, 31))
    dialog.buttons.button(SAVE).click()
    assert dialog.result() == dialog.DialogCode.Accepted
    panel.show_institution(panel.record.form.institution_id)
    assert panel.tabs.tabText(panel.tabs.indexOf(panel.children_tab)) == "在托儿童（0）"
    assert "2026年10月31日" in _cells(panel.children_tab)


def test_delete_asks_first_and_enter_opens_the_child(qtbot, panel, monkeypatch):
    tab = panel.children_tab
    opened = []
    monkeypatch.setattr("desktop.ui.widgets.children_tab.ChildDialog", lambda *a, **k: opened.append(k) or _Closed())
    tab.view.setFocus()
    QTest.keyClick(tab.view, Qt.Key.Key_Return)
    assert opened and opened[0]["form"].draft.name == "王小雨"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    tab.delete_button.click()
    assert tab.lines == () and panel.tabs.tabText(panel.tabs.indexOf(tab)) == "在托儿童（0）"


class _Closed:
    def exec(self) -> int:
        return 0


def test_saving_a_child_in_care_elsewhere_tells_the_clerk(qtbot, panel, roster, monkeypatch):
    ctx, _ = roster
    other = _institution(ctx, "甘州区彩虹树托育园")
    save_child(ctx, other, ChildDraft("李乐", BOY, date(2026, 1, 1), None, "李强", "13912345679"), today=TODAY)
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, title, text: told.append(text))

    def fill_and_save(dialog):
        fields = dialog.panel.fields
        type_text(fields["name"].focus_widget(), "李乐")
        type_text(fields["id_number"].focus_widget(), BOY)
        type_text(fields["guardian_name"].focus_widget(), "李强")
        type_text(fields["guardian_phone"].focus_widget(), "13912345679")
        fields["enrolled_on"].set_value(date(2026, 9, 1))
        dialog.buttons.button(SAVE).click()
        return dialog.result()

    monkeypatch.setattr(ChildDialog, "exec", fill_and_save)
    tab = panel.children_tab
    tab.add_button.click()
    assert len(told) == 1 and "甘州区彩虹树托育园" in told[0] and BOY not in told[0]
    assert panel.tabs.tabText(panel.tabs.indexOf(tab)) == "在托儿童（2）"


def test_a_roster_is_checked_then_imported_from_the_tab(qtbot, panel, tmp_path):
    workbook = Workbook()
    workbook.active.append(["姓名", "身份证号", "监护人", "监护人电话", "入托日期"])
    workbook.active.append(["王小雨", GIRL, "王芳", "13912345678", "2026-03-01"])
    workbook.active.append(["李乐", BOY, "李强", "13912345679", "2025-09-01"])
    path = tmp_path / "名单.xlsx"
    workbook.save(path)
    tab = panel.children_tab
    wizard = tab.import_wizard()
    qtbot.addWidget(wizard)
    assert "甘州区阳光托育中心" in wizard.windowTitle()
    wizard.check(path)
    qtbot.waitUntil(lambda: wizard.report is not None, timeout=10000)
    assert "新增 1 名、更新 0 名，1 名无变化" in wizard.summary.text() and wizard.import_button.isEnabled()
    with qtbot.waitSignal(wizard.imported, timeout=10000):
        wizard.import_button.click()
    qtbot.waitUntil(lambda: len(tab.lines) == 2, timeout=10000)
    assert panel.tabs.tabText(panel.tabs.indexOf(tab)) == "在托儿童（2）"
    tab.shutdown()
