"""The 检查记录 tab of an institution's record and the violation dialog, driven like a clerk would:
overdue notices stand out, Enter reopens an inspection, 更正 opens a draft copy, violations are typed
in with the keyboard and corrected as new records."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import ClassVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox
from sqlalchemy import select

from desktop.domain.checklists import Answer
from desktop.domain.enums import InspectionKind, OperatingStatus, SponsorType, ViolationAction
from desktop.domain.lifecycle_rules import LifecycleState
from desktop.models import Inspection, Violation
from desktop.services.inspection_history import load_inspection_history
from desktop.services.inspections import finish_inspection, save_answers, start_inspection, template_for
from desktop.services.institution_commands import InstitutionDraft, create_institution
from desktop.services.violations import record_violation
from desktop.ui.dialogs.record_dialog import RecordDialog
from desktop.ui.dialogs.violation_dialog import violation_dialog
from desktop.ui.tablemodels.inspection_history_model import OVERDUE_COLOUR, InspectionHistoryModel, ViolationsModel
from desktop.ui.widgets.institution_detail_panel import InstitutionDetailPanel
from tests.ui.conftest import type_text

INSPECTED = date(2026, 9, 30)
LATE = date(2026, 10, 21)  # the notice's deadline (20 October) has passed
SAVE = QDialogButtonBox.StandardButton.Save


def _inspected(ctx, failing=("fire.extinguishers",)):
    draft = InstitutionDraft(name="甘州区阳光托育中心", sponsor_type=SponsorType.SOCIAL, county_code="620702", slots=40)
    lifecycle = LifecycleState(operating_status=OperatingStatus.OPERATING, opened_on=date(2025, 3, 1))
    institution_id = create_institution(ctx, draft, lifecycle, today=INSPECTED).institution_id
    inspection_id = start_inspection(
        ctx,
        institution_id,
        kind=InspectionKind.SEMIANNUAL_INSPECTION,
        period="2026H2",
        inspected_at=datetime(2026, 9, 30, 2, tzinfo=UTC),
        inspectors="王芳、李强",
    )
    answers = {item.code: Answer.COMPLIANT for item in template_for(ctx, inspection_id).items}
    answers |= {code: Answer.NON_COMPLIANT for code in failing}
    save_answers(ctx, inspection_id, answers, {code: "现场发现问题" for code in failing})
    with ctx.db.session_factory() as session:
        version = session.get(Inspection, inspection_id).version
    finish_inspection(ctx, inspection_id, expected_version=version, today=INSPECTED)
    return institution_id, inspection_id


class Opened:
    """Stands in for the inspection screen: records which inspection was opened."""

    ids: ClassVar[list] = []

    def __init__(self, ctx, inspection_id, *, today, parent=None):
        Opened.ids.append(inspection_id)

    def exec(self) -> int:
        return 0


@pytest.fixture
def panel(qtbot, sqlite_ctx, monkeypatch):
    monkeypatch.setattr("desktop.ui.widgets.inspection_history_tab.InspectionDialog", Opened)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    Opened.ids = []
    institution_id, inspection_id = _inspected(sqlite_ctx)
    widget = InstitutionDetailPanel(sqlite_ctx)
    widget.inspections_tab.today = lambda: LATE
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    widget.show_institution(institution_id)
    widget.tabs.setCurrentWidget(widget.inspections_tab)
    widget.inspection_id = inspection_id
    return widget


def test_the_record_lists_its_inspections_with_the_overdue_notice_in_red_and_in_the_header(panel):
    tab = panel.inspections_tab
    assert panel.tabs.tabText(panel.tabs.indexOf(tab)) == "检查记录（1）"
    model = tab.model
    row = [model.data(model.index(0, column)) for column in range(model.columnCount())]
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    shown = dict(zip(headers, row, strict=True))
    assert (shown["检查日期"], shown["类型"], shown["结论"]) == ("2026年9月30日", "半年检查", "需整改")
    assert shown["整改通知书"].startswith("甘州卫监改〔2026〕") and shown["整改期限"] == "2026年10月20日"
    assert shown["整改状态"] == "已逾期"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole).color() == OVERDUE_COLOUR
    assert panel.alert.isVisible() and "整改已逾期" in panel.alert.text() and "已逾期 1 天" in panel.alert.text()


def test_a_notice_still_within_its_deadline_is_not_red(panel):
    panel.inspections_tab.today = lambda: date(2026, 10, 20)
    panel.show_institution(panel.record.form.institution_id)
    model = panel.inspections_tab.model
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole) is None
    assert panel.alert.text().startswith("整改中：") and "逾期" not in panel.alert.text()


def test_enter_or_a_double_click_opens_the_inspection(qtbot, panel):
    view = panel.inspections_tab.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert Opened.ids == [panel.inspection_id]
    rect = view.visualRect(panel.inspections_tab.model.index(0, 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # a double-click's first press
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert Opened.ids == [panel.inspection_id, panel.inspection_id]


def test_correcting_asks_first_then_opens_a_draft_copy_and_the_list_shows_both(panel, monkeypatch):
    tab = panel.inspections_tab
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    tab.correct_button.click()
    assert Opened.ids == [] and tab.model.rowCount() == 1

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    tab.correct_button.click()
    with panel._ctx.db.session_factory() as session:
        draft = session.scalar(select(Inspection).where(Inspection.corrects_id == panel.inspection_id))
    assert Opened.ids == [draft.id] and not draft.finished
    assert panel.tabs.tabText(panel.tabs.indexOf(tab)) == "检查记录（2）"
    assert [line.correction_text for line in tab.model.lines] == ["更正记录", "更正中（草稿）"]

    tab.view.selectRow(1)  # the original again: its open draft is reopened, not a second one made
    tab.correct_button.click()
    assert Opened.ids == [draft.id, draft.id]


def test_recording_a_violation_from_the_tab_and_correcting_it(panel, monkeypatch):
    tab = panel.inspections_tab

    def fill_and_save(dialog: RecordDialog) -> int:
        fields = dialog.panel.fields
        if dialog.windowTitle() == "登记违法行为":
            fields["description"].set_value("灭火器过期未更换")
            fields["action"].set_value(ViolationAction.FINE)
            fields["fine_fen"].set_value(50_000)
            fields["legal_basis"].set_value("《消防法》第六十条")
            fields["decision_number"].set_value("甘州卫罚〔2026〕3号")
        else:
            assert fields["fine_fen"].value() == 50_000  # the correction starts from the record
            fields["fine_fen"].set_value(500_000)
        fields["decided_on"].set_value(date(2026, 10, 9))
        dialog.buttons.button(SAVE).click()
        return dialog.result()

    monkeypatch.setattr(RecordDialog, "exec", fill_and_save)
    tab.violation_button.click()
    assert tab.violations_model.rowCount() == 1 and tab.model.lines[0].violation_count == 1
    tab.violations_view.selectRow(0)
    tab.correct_violation_button.click()
    (line,) = tab.violations_model.lines
    assert line.fine_fen == 500_000 and [e.fine_fen for e in line.earlier] == [50_000]
    assert tab.violations_model.data(tab.violations_model.index(0, 7)) == "已更正 1 次"
    tab.violations_view.selectRow(0)
    assert "已更正" in tab.earlier_label.text() and "¥500.00" in tab.earlier_label.text()
    with panel._ctx.db.session_factory() as session:
        assert len(session.scalars(select(Violation)).all()) == 2


def test_the_table_models_pass_the_model_tester(qtmodeltester, sqlite_ctx):
    institution_id, inspection_id = _inspected(sqlite_ctx)
    record_violation(sqlite_ctx, inspection_id, "灭火器过期", ViolationAction.INTERVIEW, LATE, today=LATE)
    history = load_inspection_history(sqlite_ctx, institution_id, today=LATE)
    inspections = InspectionHistoryModel()
    inspections.set_lines(history.inspections)
    qtmodeltester.check(inspections)
    violations = ViolationsModel()
    violations.set_lines(history.violations, {line.id: line.inspected_on for line in history.inspections})
    qtmodeltester.check(violations)


@pytest.fixture
def dialog(qtbot, sqlite_ctx):
    institution_id, _ = _inspected(sqlite_ctx)
    (line,) = load_inspection_history(sqlite_ctx, institution_id, today=LATE).inspections
    widget = violation_dialog(sqlite_ctx, line, institution_name="甘州区阳光托育中心", today=LATE)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _problem(dialog: QDialog, key: str) -> str:
    label = dialog.panel.problem_labels[key]
    return "" if label.isHidden() else label.text()


def test_a_fine_typed_in_with_the_keyboard(qtbot, dialog, sqlite_ctx):
    fields = dialog.panel.fields
    fine_row = fields["fine_fen"].parentWidget()
    assert fine_row.isHidden()  # 责令限期改正 takes no amount
    assert "违法行为未填写" in _problem(dialog, "description")
    assert not dialog.buttons.button(SAVE).isEnabled()

    description = fields["description"].focus_widget()
    description.setFocus()
    type_text(description, "灭火器过期未更换")
    qtbot.keyClick(description, Qt.Key.Key_Tab)
    assert fields["legal_basis"].focus_widget().hasFocus()
    type_text(fields["legal_basis"].focus_widget(), "《消防法》第六十条")
    qtbot.keyClick(fields["legal_basis"].focus_widget(), Qt.Key.Key_Tab)
    combo = fields["action"].focus_widget()
    assert combo.hasFocus()
    for _ in range(3):  # 责令限期改正 → 约谈负责人 → 警告 → 罚款
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert fields["action"].value() is ViolationAction.FINE and not fine_row.isHidden()
    assert "请填写罚款金额" in _problem(dialog, "fine_fen")
    qtbot.keyClick(combo, Qt.Key.Key_Tab)
    amount = fields["fine_fen"].focus_widget()
    assert amount.hasFocus()
    type_text(amount, "5000")
    assert _problem(dialog, "fine_fen") == ""
    assert "决定书文号" in _problem(dialog, "decision_number")  # a warning: may be saved without
    qtbot.keyClick(amount, Qt.Key.Key_Tab)
    type_text(fields["decision_number"].focus_widget(), "甘州卫罚〔2026〕3号")
    assert dialog.buttons.button(SAVE).isEnabled()
    qtbot.keyClick(fields["decision_number"].focus_widget(), Qt.Key.Key_Return)  # the default button saves

    assert dialog.result() == QDialog.DialogCode.Accepted
    with sqlite_ctx.db.session_factory() as session:
        saved = session.scalar(select(Violation))
    assert (saved.description, saved.action, saved.fine_fen) == ("灭火器过期未更换", ViolationAction.FINE, 500_000)
    assert (saved.legal_basis, saved.decision_number, saved.decided_on) == (
        "《消防法》第六十条",
        "甘州卫罚〔2026〕3号",
        LATE,
    )


def test_problems_show_under_their_fields_and_an_amount_goes_with_the_fine(qtbot, dialog):
    fields = dialog.panel.fields
    type_text(fields["description"].focus_widget(), "未公示收费标准")
    fields["decided_on"].set_value(date(2026, 9, 29))
    assert "早于发现该行为的检查日期" in _problem(dialog, "decided_on")
    assert not dialog.buttons.button(SAVE).isEnabled()
    fields["decided_on"].set_value(date(2026, 10, 22))
    assert "晚于今天" in _problem(dialog, "decided_on")
    fields["decided_on"].set_value(date(2026, 10, 8))
    assert _problem(dialog, "decided_on") == ""

    fields["action"].set_value(ViolationAction.FINE)
    type_text(fields["fine_fen"].focus_widget(), "12元5")
    assert "不是数字" in _problem(dialog, "fine_fen")
    fields["action"].set_value(ViolationAction.INTERVIEW)  # the amount leaves with the fine
    assert fields["fine_fen"].parentWidget().isHidden() and fields["fine_fen"].value() is None
    assert _problem(dialog, "fine_fen") == "" and dialog.buttons.button(SAVE).isEnabled()
