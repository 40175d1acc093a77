"""The inspection screen, typed through with the keyboard as an inspector on a laptop would."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from desktop.domain.checklists import Answer
from desktop.domain.enums import InspectionConclusion, InspectionKind, SponsorType
from desktop.domain.lifecycle_rules import LifecycleState
from desktop.models import Inspection, RectificationNotice
from desktop.services.inspection_photos import photos_of
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


# --- photos ---------------------------------------------------------------------------------------


def _photo(path, colour="#2e7d32", size=(640, 480)):
    """A real photo-sized PNG written by Qt, as a camera folder would hold one."""
    image = QImage(*size, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path))
    return str(path)


def _choose(monkeypatch, dialog, *paths):
    chosen = []
    monkeypatch.setattr(dialog, "choose_photo_files", lambda: chosen.append(True) or list(paths))
    return chosen


def test_photos_are_added_with_the_keyboard_to_the_current_item_or_the_whole_visit(
    qtbot, dialog, sqlite_ctx, tmp_path, monkeypatch
):
    dialog.table.selectRow(2)
    item = dialog.model.item_at(2)
    _choose(monkeypatch, dialog, _photo(tmp_path / "灭火器1.png"), _photo(tmp_path / "灭火器2.png", "#b3261e"))
    qtbot.keyClick(dialog.table, Qt.Key.Key_P)
    _choose(monkeypatch, dialog, _photo(tmp_path / "大门.png", "#1565c0", (480, 640)))
    qtbot.keyClick(dialog.table, Qt.Key.Key_P, Qt.KeyboardModifier.ShiftModifier)
    assert dialog.photo_strip.count() == 3 and dialog.photo_label.text() == "照片 3 张"
    assert [p.item_code for p in photos_of(sqlite_ctx, dialog.form.inspection_id)] == [item.code, item.code, None]
    first, _, visit = (dialog.photo_strip.item(row) for row in range(3))
    assert first.text() == f"3. {item.text}" and f"项目：{item.text}" in first.toolTip()
    assert "灭火器1.png" in first.toolTip()
    assert visit.text() == "整体"
    sizes = [dialog.photo_strip.item(row).icon().availableSizes()[0] for row in range(3)]
    assert sizes[0] == QSize(96, 72) and sizes[2] == QSize(72, 96)  # scaled to the strip, upright kept upright
    assert dialog.table.hasFocus()  # back to answering


def test_thumbnails_are_decoded_once_per_image(qtbot, dialog, tmp_path, monkeypatch):
    loads = []
    load = dialog.photo_strip._load_bytes
    monkeypatch.setattr(dialog.photo_strip, "_load_bytes", lambda sha256: loads.append(sha256) or load(sha256))
    _choose(monkeypatch, dialog, _photo(tmp_path / "a.png"))
    dialog.add_photo_button.click()
    _choose(monkeypatch, dialog, _photo(tmp_path / "b.png", "#000000"))
    dialog.add_photo_button.click()
    assert dialog.photo_strip.count() == 2 and len(loads) == 2 == len(set(loads))


def test_refused_files_are_named_in_one_message_and_the_rest_are_kept(qtbot, dialog, sqlite_ctx, tmp_path, monkeypatch):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warnings.append(text))
    pdf = tmp_path / "检查记录.pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + bytes(100))
    video = tmp_path / "VID_0001.jpg"
    with video.open("wb") as stream:
        stream.truncate(200 * 1024 * 1024)
    _choose(monkeypatch, dialog, str(pdf), _photo(tmp_path / "good.png"), str(video))
    qtbot.keyClick(dialog.table, Qt.Key.Key_P)
    assert dialog.photo_strip.count() == 1 and len(photos_of(sqlite_ctx, dialog.form.inspection_id)) == 1
    assert len(warnings) == 1
    assert warnings[0].startswith("已添加 1 张照片，以下 2 个文件未添加")
    assert "文件“检查记录.pdf”不是图片" in warnings[0] and "照片“VID_0001.jpg”有 200 MB" in warnings[0]


def test_delete_removes_the_selected_photo_of_a_draft_after_asking(qtbot, dialog, sqlite_ctx, tmp_path, monkeypatch):
    _choose(monkeypatch, dialog, _photo(tmp_path / "a.png"), _photo(tmp_path / "b.png", "#000000"))
    qtbot.keyClick(dialog.table, Qt.Key.Key_P)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *a: answers.pop(0))
    dialog.photo_strip.setFocus()
    dialog.photo_strip.setCurrentRow(0)
    qtbot.keyClick(dialog.photo_strip, Qt.Key.Key_Delete)  # answered No: kept
    assert dialog.photo_strip.count() == 2
    qtbot.keyClick(dialog.photo_strip, Qt.Key.Key_Delete)
    assert [p.file_name for p in photos_of(sqlite_ctx, dialog.form.inspection_id)] == ["b.png"]
    assert dialog.photo_strip.count() == 1 and dialog.photo_strip.currentRow() == 0


def test_a_finished_inspection_shows_its_photos_read_only(qtbot, dialog, sqlite_ctx, tmp_path, monkeypatch):
    _choose(monkeypatch, dialog, _photo(tmp_path / "a.png"))
    qtbot.keyClick(dialog.table, Qt.Key.Key_P)
    _press(qtbot, dialog.table, Qt.Key.Key_1, dialog.model.rowCount())
    dialog.finish_button.click()
    assert dialog.result is not None
    finished = InspectionDialog(sqlite_ctx, dialog.form.inspection_id, today=TODAY)
    qtbot.addWidget(finished)
    finished.show()
    chosen = _choose(monkeypatch, finished, _photo(tmp_path / "b.png", "#000000"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a: pytest.fail("a finished inspection asked to delete"))
    assert not finished.add_photo_button.isEnabled() and not finished.add_visit_photo_button.isEnabled()
    qtbot.keyClick(finished.table, Qt.Key.Key_P)
    finished.photo_strip.setCurrentRow(0)
    qtbot.keyClick(finished.photo_strip, Qt.Key.Key_Delete)
    assert chosen == [] and finished.photo_strip.count() == 1
    assert "Delete" not in finished.photo_strip.item(0).toolTip()
    qtbot.keyClick(finished.photo_strip, Qt.Key.Key_Return)  # still opens larger
    assert finished.photo_strip.viewer.isVisible()
    assert finished.photo_strip.viewer.picture.pixmap().size() == QSize(640, 480)
