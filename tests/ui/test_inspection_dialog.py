"""The inspection screen, typed through with the keyboard as an inspector on a laptop would."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from desktop.domain.checklists import Answer
from desktop.domain.enums import InspectionConclusion, InspectionKind, SponsorType
from desktop.domain.lifecycle_rules import LifecycleState
from desktop.models import Inspection, RectificationNotice
from desktop.services.inspections import start_inspection
from desktop.services.institution_commands import InstitutionDraft, create_institution
from desktop.ui.dialogs.inspection_dialog import InspectionDialog
from tests.ui.conftest import type_text

TODAY = date(2026, 9, 30)


@pytest.fixture
def dialog(qtbot, sqlite_ctx, monkeypatch):
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: None)
    draft = InstitutionDraft(name="甘州区阳光托育中心", sponsor_type=SponsorType.SOCIAL, county_code="620702", slots=40)
    institution_id = create_institution(sqlite_ctx, draft, LifecycleState(), today=TODAY).institution_id
    inspection_id = start_inspection(
        sqlite_ctx,
        institution_id,
        kind=InspectionKind.SEMIANNUAL_INSPECTION,
        period="2026H2",
        inspected_at=datetime(2026, 9, 30, 2, tzinfo=UTC),
        inspectors="王芳、李强",
    )
    widget = InspectionDialog(sqlite_ctx, inspection_id, today=TODAY)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _press(qtbot, widget, key, times=1):
    for _ in range(times):
        qtbot.keyClick(widget, key)


def test_answering_every_item_with_the_keyboard_and_finishing(qtbot, dialog, sqlite_ctx):
    rows = dialog.model.rowCount()
    _press(qtbot, dialog.table, Qt.Key.Key_2)  # the first item is not compliant: focus goes to the note
    assert dialog.note_edit.hasFocus() or dialog.focusWidget() is dialog.note_edit
    type_text(dialog.note_edit, "现场未见")
    qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Return)
    _press(qtbot, dialog.table, Qt.Key.Key_1, rows - 1)
    assert dialog.model.answers[dialog.model.item_at(0).code] is Answer.NON_COMPLIANT
    assert "不符合 1 项" in dialog.outcome_label.text()
    dialog.finish_button.click()
    assert dialog.result is not None and dialog.result.notice_number
    with sqlite_ctx.db.session_factory() as session:
        inspection = session.scalar(select(Inspection))
        notice = session.scalar(select(RectificationNotice))
    assert inspection.finished and inspection.conclusion in (
        InspectionConclusion.RECTIFICATION_REQUIRED,
        InspectionConclusion.VETOED,
    )
    assert "现场未见" in notice.items_json


def test_an_unfinished_checklist_is_kept_as_a_draft(qtbot, dialog, sqlite_ctx):
    _press(qtbot, dialog.table, Qt.Key.Key_1, 3)
    dialog.finish_button.click()
    assert dialog.result is None
    with sqlite_ctx.db.session_factory() as session:
        inspection = session.scalar(select(Inspection))
        assert not inspection.finished
    reopened = InspectionDialog(sqlite_ctx, inspection.id, today=TODAY)
    qtbot.addWidget(reopened)
    assert len(reopened.model.answers) == 3  # the draft's answers were saved
