"""文件 → 本机与已登记节点 driven as a clerk would: initialise, export the public-key file, enrol a laptop after
comparing fingerprints, print the fingerprint sheet, remove an enrolment."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from desktop.domain.enums import NodeKind
from desktop.domain.node_keys import fingerprint_lines
from desktop.services.enrolled_nodes import enrol_node, list_nodes
from desktop.services.nodes import division_options, export_public_key, init_node, this_node
from desktop.services.startup import open_app
from desktop.ui.dialogs import nodes_dialog
from desktop.ui.dialogs.enrol_confirm_dialog import EnrolConfirmDialog
from desktop.ui.dialogs.node_init_dialog import NodeInitDialog
from desktop.ui.dialogs.nodes_dialog import NodesDialog
from desktop.ui.main_window import MainWindow
from tests.ui.conftest import type_text

GANZHOU = "620702"


@pytest.fixture
def messages(monkeypatch):
    shown = []
    for kind in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, kind, lambda parent, title, text, kind=kind: shown.append((kind, text)))
    return shown


@pytest.fixture
def contexts(tmp_path: Path):
    opened = {}

    def opening(name: str):
        opened[name] = open_app(data_dir=tmp_path / name, url=None)
        return opened[name]

    yield opening
    for ctx in opened.values():
        ctx.close()


def _dialog(qtbot, ctx) -> NodesDialog:
    dialog = NodesDialog(ctx)
    qtbot.addWidget(dialog)
    return dialog


def _laptop_key_file(contexts, tmp_path: Path) -> tuple[object, Path]:
    laptop = contexts("laptop")
    init_node(laptop, role=NodeKind.LAPTOP, name="张三的检查笔记本", division_code=GANZHOU)
    path = tmp_path / "张三.tuoyu-pubkey"
    export_public_key(laptop, path)
    return laptop, path


def test_a_new_installation_is_initialised_and_shows_its_fingerprint_large(qtbot, contexts, monkeypatch, messages):
    county = contexts("county")
    dialog = _dialog(qtbot, county)
    assert "尚未初始化" in dialog.problem_label.text() and not dialog.init_button.isHidden()
    assert not dialog.export_button.isEnabled() and not dialog.enrol_button.isEnabled()

    def fill(form: NodeInitDialog) -> QDialog.DialogCode:
        assert not form.ok_button.isEnabled()  # a name is needed first
        form.role_combo.setCurrentIndex(form.role_combo.findData(NodeKind.COUNTY))
        type_text(form.name_edit, "甘州区卫生健康局")
        form.division_combo.setCurrentIndex(form.division_combo.findData(GANZHOU))
        assert form.ok_button.isEnabled()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(NodeInitDialog, "exec", fill)
    qtbot.mouseClick(dialog.init_button, Qt.MouseButton.LeftButton)

    node = this_node(county)
    assert (node.role, node.name, node.division_code) == (NodeKind.COUNTY, "甘州区卫生健康局", GANZHOU)
    assert dialog.fingerprint_label.text().splitlines() == fingerprint_lines(node.fingerprint)
    assert dialog.name_label.text() == "甘州区卫生健康局" and dialog.role_label.text() == "县区节点"
    assert dialog.init_button.isHidden() and not dialog.replace_button.isHidden()
    assert dialog.export_button.isEnabled() and "已生成新密钥" in messages[-1][1]


def test_the_init_form_offers_counties_to_a_county_and_cities_to_a_city(qtbot, contexts):
    county = contexts("county")
    form = NodeInitDialog(lambda role: division_options(county, role), replacing=False)
    qtbot.addWidget(form)
    assert form.division_combo.findData(GANZHOU) >= 0 and form.division_combo.findData("620700") < 0
    form.role_combo.setCurrentIndex(form.role_combo.findData(NodeKind.CITY))
    assert [form.division_combo.itemData(i) for i in range(form.division_combo.count())] == ["620700"]


def test_replacing_keys_asks_through_its_own_form_and_changes_the_fingerprint(qtbot, contexts, monkeypatch, messages):
    county = contexts("county")
    before = init_node(county, role=NodeKind.COUNTY, name="甘州区卫生健康局", division_code=GANZHOU)
    dialog = _dialog(qtbot, county)
    seen = {}

    def keep_as_is(form: NodeInitDialog) -> QDialog.DialogCode:
        seen["title"], seen["name"] = form.windowTitle(), form.node_name
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(NodeInitDialog, "exec", keep_as_is)
    dialog.replace_button.click()
    assert seen == {"title": "重新初始化本机节点（更换密钥）", "name": "甘州区卫生健康局"}
    after = this_node(county)
    assert after.fingerprint != before.fingerprint
    assert dialog.fingerprint_label.text().splitlines() == fingerprint_lines(after.fingerprint)


def test_the_public_key_file_is_exported_where_the_clerk_chooses(qtbot, contexts, tmp_path, monkeypatch, messages):
    county = contexts("county")
    init_node(county, role=NodeKind.COUNTY, name="甘州区卫生健康局", division_code=GANZHOU)
    dialog = _dialog(qtbot, county)
    target = tmp_path / "甘州区-公钥.tuoyu-pubkey"
    suggested = []
    monkeypatch.setattr(nodes_dialog, "ask_save_path", lambda parent, title, name, f: suggested.append(name) or target)
    dialog.export_button.click()
    assert suggested == ["甘州区卫生健康局-公钥.tuoyu-pubkey"]
    assert target.exists() and this_node(county).grouped_fingerprint in messages[-1][1]


def test_a_laptop_is_enrolled_only_after_the_fingerprint_is_confirmed(qtbot, contexts, tmp_path, monkeypatch, messages):
    county = contexts("county")
    init_node(county, role=NodeKind.COUNTY, name="甘州区卫生健康局", division_code=GANZHOU)
    laptop, key_file = _laptop_key_file(contexts, tmp_path)
    dialog = _dialog(qtbot, county)
    monkeypatch.setattr(nodes_dialog, "ask_open_path", lambda *a: key_file)
    shown = {}

    def look_but_do_not_confirm(confirm: EnrolConfirmDialog) -> QDialog.DialogCode:
        shown["fingerprint"] = confirm.fingerprint_label.text().splitlines()
        shown["enabled_before"] = confirm.enrol_button.isEnabled()
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(EnrolConfirmDialog, "exec", look_but_do_not_confirm)
    dialog.enrol_button.click()
    assert shown == {"fingerprint": fingerprint_lines(this_node(laptop).fingerprint), "enabled_before": False}
    assert list_nodes(county) == [] and dialog.model.rowCount() == 0

    def confirm_match(confirm: EnrolConfirmDialog) -> QDialog.DialogCode:
        confirm.matches_check.setChecked(True)
        assert confirm.enrol_button.isEnabled()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(EnrolConfirmDialog, "exec", confirm_match)
    dialog.enrol_button.click()
    assert "已登记甘州区的检查笔记本“张三的检查笔记本”" in messages[-1][1]
    assert [n.node_id for n in list_nodes(county)] == [laptop.node_id]
    assert dialog.model.rowCount() == 1 and dialog.model.index(0, 1).data() == "张三的检查笔记本"

    dialog.enrol_button.click()  # the same file again: said, not enrolled twice
    assert "此前已用同一公钥登记" in messages[-1][1] and len(list_nodes(county)) == 1


def test_a_file_the_rules_refuse_is_explained_and_nothing_is_enrolled(qtbot, contexts, tmp_path, monkeypatch, messages):
    city = contexts("city")
    init_node(city, role=NodeKind.CITY, name="张掖市卫生健康委员会")
    _, key_file = _laptop_key_file(contexts, tmp_path)
    dialog = _dialog(qtbot, city)
    monkeypatch.setattr(nodes_dialog, "ask_open_path", lambda *a: key_file)
    monkeypatch.setattr(EnrolConfirmDialog, "exec", lambda confirm: pytest.fail("a refused file is not offered"))
    dialog.enrol_button.click()
    assert messages[-1][0] == "warning" and "检查笔记本由所属县区登记" in messages[-1][1]
    assert list_nodes(city) == []


def test_an_enrolment_is_removed_after_the_clerk_says_yes(qtbot, contexts, tmp_path, monkeypatch, messages):
    county = contexts("county")
    init_node(county, role=NodeKind.COUNTY, name="甘州区卫生健康局", division_code=GANZHOU)
    _, key_file = _laptop_key_file(contexts, tmp_path)
    enrol_node(county, key_file)
    dialog = _dialog(qtbot, county)
    assert not dialog.remove_button.isEnabled()
    dialog.table.selectRow(0)
    assert dialog.remove_button.isEnabled()

    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *a: next(answers))
    dialog.remove_button.click()
    assert len(list_nodes(county)) == 1
    dialog.remove_button.click()
    assert list_nodes(county) == [] and dialog.model.rowCount() == 0


def test_the_fingerprint_sheet_is_printed_with_the_fingerprint_on_it(qtbot, contexts, monkeypatch):
    county = contexts("county")
    node = init_node(county, role=NodeKind.COUNTY, name="甘州区卫生健康局", division_code=GANZHOU)
    dialog = _dialog(qtbot, county)
    printed = []
    monkeypatch.setattr(nodes_dialog, "print_text", lambda parent, title, text: printed.append(text) or True)
    dialog.print_button.click()
    assert len(printed) == 1
    assert all(line in printed[0] for line in fingerprint_lines(node.fingerprint))
    assert "甘州区卫生健康局" in printed[0] and str(node.node_id) in printed[0]


def test_a_damaged_key_file_is_shown_with_what_to_do(qtbot, contexts):
    county = contexts("county")
    init_node(county, role=NodeKind.COUNTY, name="甘州区卫生健康局", division_code=GANZHOU)
    key_file = county.db.data_dir / "keys" / "node-private-key.json"
    key_file.write_text("{")
    dialog = _dialog(qtbot, county)
    assert "本机私钥文件已损坏" in dialog.problem_label.text()
    assert not dialog.replace_button.isHidden() and not dialog.export_button.isEnabled()


def test_the_file_menu_opens_the_dialog(qtbot, contexts, monkeypatch):
    window = MainWindow(contexts("county"))
    qtbot.addWidget(window)
    opened = []
    monkeypatch.setattr(NodesDialog, "exec", lambda dialog: opened.append(dialog.windowTitle()) or 0)
    file_menu = window.menuBar().actions()[0].menu()
    assert window.nodes_action in file_menu.actions()
    window.nodes_action.trigger()
    assert opened == ["本机与已登记节点"]
