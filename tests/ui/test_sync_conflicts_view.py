"""同步 → 同步冲突 driven as the city's clerk would: a record both sides changed appears in the list, is shown field
by field with 本机版本 and 对方版本 side by side, and is resolved per field after a confirmation that names what
will change; a deletion against an edit can only be taken whole; saying no changes nothing."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.domain.enums import NodeKind, StaffRole
from desktop.models import Institution, StaffMember
from desktop.services.institution_commands import load_institution_form, update_institution
from desktop.services.roster_commands import StaffDraft, delete_staff_member, save_staff_member
from desktop.services.unit_of_work import write_session
from desktop.sync.importing import import_bundle
from desktop.ui.views.sync_view import CONFLICTS_TAB, SyncView
from tests.integration.subsidizing import institution
from tests.integration.syncing import GANZHOU, Network

TODAY = date(2026, 11, 23)
WAIT = 20_000


@pytest.fixture
def network(tmp_path: Path):
    net = Network(tmp_path)
    net.county = net.node("甘州区卫生健康局", NodeKind.COUNTY, GANZHOU)
    net.city = net.node("张掖市卫生健康委员会", NodeKind.CITY)
    net.enrol(net.county, net.city)
    yield net
    net.close()


@pytest.fixture
def answers(monkeypatch):
    """Message boxes recorded; the confirmation is answered with ``answers.reply`` (Yes unless a test says No)."""

    class Answers(list):
        reply = QMessageBox.StandardButton.Yes

    shown = Answers()
    for kind in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, lambda parent, title, text, kind=kind: shown.append((kind, title, text)))

    def question(parent, title, text):
        shown.append(("question", title, text))
        return shown.reply

    monkeypatch.setattr(QMessageBox, "question", question)
    return shown


def _edit(ctx, institution_id: uuid.UUID, **changes) -> None:
    form = load_institution_form(ctx, institution_id)
    update_institution(
        ctx, institution_id, dataclasses.replace(form.draft, **changes), expected_version=form.version, today=TODAY
    )


def _stored(ctx, model, entity_id: uuid.UUID):
    with ctx.db.session_factory() as session:
        return session.get(model, entity_id)


@pytest.fixture
def institution_in_conflict(network):
    """Shared with the city, then edited on both sides (the city first, the county later), and sent again."""
    county, city = network.county, network.city
    institution_id = institution(county, "甘州区阳光托育中心")
    network.acknowledge(network.send(county, city), county)
    _edit(city, institution_id, contact_phone="13900001111", slots=70)
    _edit(county, institution_id, contact_phone="13800002222", address="甘州区青年东街 8 号")
    path, _ = network.export(county, city)
    assert import_bundle(city, path).conflicts == 1
    return institution_id


def _view(qtbot, ctx) -> SyncView:
    view = SyncView(ctx)
    qtbot.addWidget(view)
    view.resize(1400, 860)
    view.show()
    view.tabs.setCurrentIndex(CONFLICTS_TAB)
    return view


def _cells(view: SyncView) -> dict[str, list[str]]:
    table = view.conflicts.comparison.table
    return {
        table.item(row, 0).text(): [table.item(row, c).text() for c in range(1, table.columnCount() - 1)]
        for row in range(table.rowCount())
    }


def _headers(view: SyncView) -> list[str]:
    table = view.conflicts.comparison.table
    return [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]


def _click_value(qtbot, view: SyncView, label: str, header: str) -> None:
    """Click the value of field ``label`` in the version column ``header`` — choosing it for the merge."""
    table = view.conflicts.comparison.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == label)
    column = next(c for c, text in enumerate(_headers(view)) if text.startswith(header))
    rect = table.visualRect(table.model().index(row, column))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_conflict_is_listed_shown_field_by_field_and_resolved_per_field(
    qtbot, network, institution_in_conflict, answers
):
    city = network.city
    view = _view(qtbot, city)
    assert view.tabs.tabText(CONFLICTS_TAB) == "同步冲突（1）(&C)"
    panel = view.conflicts
    assert panel.model.rowCount() == 1
    assert [panel.model.data(panel.model.index(0, c)) for c in range(4)] == ["机构档案", "甘州区阳光托育中心", 2, 3]

    comparison = panel.comparison
    assert comparison.title_label.text() == "机构档案“甘州区阳光托育中心”"
    # The record holds the county's later edit; the city's own edit is kept in the conflict, nothing lost.
    assert _headers(view) == ["字段", "本机版本", "对方版本（现用）", "采用"]
    mine, theirs = 0, 1
    cells = _cells(view)
    assert set(cells) == {"联系电话", "托位数", "地址"}
    assert (cells["联系电话"][mine], cells["联系电话"][theirs]) == ("13900001111", "13800002222")
    assert (cells["托位数"][mine], cells["托位数"][theirs]) == ("70", "60")
    assert (cells["地址"][mine], cells["地址"][theirs]) == ("（空）", "甘州区青年东街 8 号")
    assert "甘州区卫生健康局" in comparison.versions_label.text()
    assert comparison.merge_button.isEnabled() and comparison.keep_theirs_button.isEnabled()
    # Every field starts as the record is now (the other side's); the city takes back its own 托位数.
    assert set(comparison.choices().values()) == {"theirs"}
    _click_value(qtbot, view, "托位数", "本机版本")
    assert comparison.choices() == {"contact_phone": "theirs", "slots": "mine", "address": "theirs"}

    qtbot.mouseClick(comparison.merge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(kind == "information" for kind, _, _ in answers), timeout=WAIT)
    [(_, title, confirmation)] = [a for a in answers if a[0] == "question"]
    assert title == "处理同步冲突"
    assert "以对方版本为准，其中 1 个字段取本机版本" in confirmation and "托位数：60 → 70" in confirmation
    assert "联系电话" not in confirmation  # unchanged fields are not named
    stored = _stored(city, Institution, institution_in_conflict)
    assert (stored.contact_phone, stored.slots, stored.address) == ("13800002222", 70, "甘州区青年东街 8 号")
    assert panel.model.rowCount() == 0 and comparison.view is None
    assert view.tabs.tabText(CONFLICTS_TAB) == "同步冲突(&C)"

    # The resolved conflict stays on record, read-only.
    panel.show_resolved_check.setChecked(True)
    assert panel.model.rowCount() == 1 and str(panel.model.data(panel.model.index(0, 5))).startswith("已处理")
    assert not comparison.keep_mine_button.isEnabled() and not comparison.merge_button.isEnabled()
    assert "已于" in comparison.note_label.text()


def test_saying_no_to_the_confirmation_changes_nothing(qtbot, network, institution_in_conflict, answers):
    city = network.city
    before = _stored(city, Institution, institution_in_conflict)
    answers.reply = QMessageBox.StandardButton.No
    view = _view(qtbot, city)
    qtbot.mouseClick(view.conflicts.comparison.keep_mine_button, Qt.MouseButton.LeftButton)
    [(kind, _, text)] = answers
    assert kind == "question" and "保留本机版本" in text and "联系电话：13800002222 → 13900001111" in text
    after = _stored(city, Institution, institution_in_conflict)
    assert (after.contact_phone, after.slots, after.version) == (before.contact_phone, before.slots, before.version)
    assert view.conflicts.model.rowCount() == 1


def test_a_deletion_against_an_edit_can_only_be_taken_whole(qtbot, network, answers):
    county, city = network.county, network.city
    institution_id = institution(county, "甘州区阳光托育中心")
    staff = save_staff_member(county, institution_id, StaffDraft("李秀英", StaffRole.CARER), today=TODAY)
    network.acknowledge(network.send(county, city), county)
    with write_session(city.db, city.actor, city.node_id) as session:
        session.get(StaffMember, staff.record_id).name = "李秀英（已核实）"
    delete_staff_member(county, staff.record_id, expected_version=_stored(county, StaffMember, staff.record_id).version)
    path, _ = network.export(county, city)
    assert import_bundle(city, path).conflicts == 1

    view = _view(qtbot, city)
    comparison = view.conflicts.comparison
    assert comparison.title_label.text() == "从业人员“李秀英（已核实）”"
    assert "只能整体保留本机版本或对方版本" in comparison.note_label.text() and comparison.note_label.isVisible()
    assert not comparison.merge_button.isEnabled()
    table = comparison.table
    combos = [table.cellWidget(row, table.columnCount() - 1) for row in range(table.rowCount())]
    assert combos and not any(combo.isEnabled() for combo in combos)
    assert "已删除这条记录" in comparison.versions_label.text()
    assert _headers(view) == ["字段", "本机版本（现用）", "对方版本", "采用"]
    assert _cells(view)["姓名"] == ["李秀英（已核实）", "（已删除）"]

    qtbot.mouseClick(comparison.keep_theirs_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(kind == "information" for kind, _, _ in answers), timeout=WAIT)
    [(_, _, confirmation)] = [a for a in answers if a[0] == "question"]
    assert "保留对方版本" in confirmation and "删除这条记录" in confirmation
    assert _stored(city, StaffMember, staff.record_id) is None
    assert view.conflicts.model.rowCount() == 0


def test_a_refusal_from_the_service_is_shown_and_the_list_refreshed(qtbot, network, institution_in_conflict, answers):
    """Another clerk resolved the conflict meanwhile: the service says so in Chinese; the window carries on."""
    from desktop.sync.conflicts import list_conflicts, resolve_conflict

    city = network.city
    view = _view(qtbot, city)
    [conflict] = list_conflicts(city)
    resolve_conflict(city, conflict.id, keep="theirs")
    qtbot.mouseClick(view.conflicts.comparison.keep_mine_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(kind == "warning" for kind, _, _ in answers), timeout=WAIT)
    [(_, title, text)] = [a for a in answers if a[0] == "warning"]
    assert title == "处理同步冲突失败" and "已经处理过" in text
    assert view.conflicts.model.rowCount() == 0


def test_the_fields_are_chosen_from_the_keyboard(qtbot, network, institution_in_conflict, answers):
    """Tab goes from one field's choice to the next; the arrow keys change it, and the chosen value is marked."""
    view = _view(qtbot, network.city)
    qtbot.waitExposed(view)
    view.activateWindow()
    comparison = view.conflicts.comparison
    table = comparison.table
    combos = [table.cellWidget(row, table.columnCount() - 1) for row in range(table.rowCount())]
    combos[0].setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is combos[0])
    QTest.keyClick(combos[0], Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is combos[1]
    QTest.keyClick(combos[1], Qt.Key.Key_Up)
    field = comparison.view.differences[1].column
    assert comparison.choices()[field] == "mine"
    assert table.item(1, 1).font().bold() and not table.item(1, 2).font().bold()
