"""文件 → 同步 driven as the clerks at a county and at the city would: a bundle exported through the dialog, checked
with a dry run and imported at the city, its receipt carried back; a tampered bundle refused with its message and
nothing changed; the 对账 tab showing the bundle outstanding, then acknowledged.

Each node is a real installation in a temporary folder (tests/integration/syncing.py), with a window of its own.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton
from sqlalchemy import func, select

from desktop.domain.enums import NodeKind
from desktop.models import Child, Institution
from desktop.services.startup import open_app
from desktop.ui import sync_exchange
from desktop.ui.dialogs.sync_export_dialog import SyncExportDialog, SyncExportSummaryDialog
from desktop.ui.dialogs.sync_import_dialog import SyncImportPreviewDialog
from desktop.ui.main_window import MainWindow
from tests.integration.subsidizing import child, institution
from tests.integration.syncing import GANZHOU, Network, fingerprint

WAIT = 20_000


@pytest.fixture
def network(tmp_path: Path):
    net = Network(tmp_path)
    net.county = net.node("甘州区卫生健康局", NodeKind.COUNTY, GANZHOU)
    net.city = net.node("张掖市卫生健康委员会", NodeKind.CITY)
    net.laptop = net.node("王芳的检查笔记本", NodeKind.LAPTOP, GANZHOU)
    net.enrol(net.county, net.city)
    net.enrol(net.county, net.laptop)
    institution_id = institution(net.county, "甘州区阳光托育中心")
    child(net.county, institution_id, name="王小明")
    yield net
    net.close()


@pytest.fixture
def messages(monkeypatch):
    """Message boxes nobody would answer in a test: recorded (kind, title, text); a question is answered No."""
    shown = []
    for kind in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, lambda parent, title, text, kind=kind: shown.append((kind, title, text)))

    def question(parent, title, text):
        shown.append(("question", title, text))
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    return shown


@pytest.fixture
def dialogs(monkeypatch):
    """The export form and the two summaries, answered as a clerk would and remembered for the test to read."""
    seen: dict[str, list] = {"export": [], "summary": [], "preview": []}
    choice = {"node": "张掖市卫生健康委员会", "full": False, "import": True}

    def export_form(dialog: SyncExportDialog) -> QDialog.DialogCode:
        items = [dialog.node_combo.itemText(i) for i in range(dialog.node_combo.count())]
        seen["export"].append((items, dialog.sequence_label.text()))
        dialog.node_combo.setCurrentIndex(next(i for i, text in enumerate(items) if text.startswith(choice["node"])))
        dialog.full_check.setChecked(choice["full"])
        return QDialog.DialogCode.Accepted

    def summary(dialog: SyncExportSummaryDialog) -> QDialog.DialogCode:
        seen["summary"].append(dialog)
        return QDialog.DialogCode.Accepted

    def preview(dialog: SyncImportPreviewDialog) -> QDialog.DialogCode:
        seen["preview"].append(dialog)
        return QDialog.DialogCode.Accepted if choice["import"] else QDialog.DialogCode.Rejected

    monkeypatch.setattr(SyncExportDialog, "exec", export_form)
    monkeypatch.setattr(SyncExportSummaryDialog, "exec", summary)
    monkeypatch.setattr(SyncImportPreviewDialog, "exec", preview)
    seen["choice"] = choice
    return seen


def _window(qtbot, ctx) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    return window


def _choose_file(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(sync_exchange, "ask_open_path", lambda *a: path)


def _count(ctx, model) -> int:
    with ctx.db.session_factory() as session:
        return session.scalar(select(func.count()).select_from(model))


def _peer_row(window: MainWindow, name: str) -> dict[str, object]:
    panel = window.views["sync"].reconciliation
    model = panel.peer_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    for row in range(model.rowCount()):
        values = [model.data(model.index(row, c)) for c in range(model.columnCount())]
        if values[0] == name:
            return dict(zip(headers, values, strict=True))
    raise AssertionError(f"{name} not in the 对账 table")


def _outstanding(window: MainWindow) -> list[list[object]]:
    model = window.views["sync"].reconciliation.outstanding_model
    return [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_a_bundle_goes_to_the_city_with_a_dry_run_first_and_its_receipt_comes_back(
    qtbot, network, tmp_path, monkeypatch, messages, dialogs
):
    county, city = network.county, network.city
    county_window, city_window = _window(qtbot, county), _window(qtbot, city)
    county_window.sync_menu.area_action.trigger()  # 文件 → 同步 → 对账与同步冲突
    assert county_window.stack.currentWidget() is county_window.views["sync"]
    offered = []
    bundle = tmp_path / "到市里.tuoyu-sync"

    def save_as(parent, title, suggested, file_filter):
        offered.append(suggested)
        return bundle

    monkeypatch.setattr(sync_exchange, "ask_save_path", save_as)
    county_window.sync_menu.export_action.trigger()
    qtbot.waitUntil(lambda: bool(dialogs["summary"]), timeout=WAIT)

    [(nodes, sequence)] = dialogs["export"]
    assert nodes == ["张掖市卫生健康委员会（张掖市市级节点）", "王芳的检查笔记本（甘州区检查笔记本）"]
    assert sequence == "第 1 号"
    assert offered == ["甘州区卫生健康局-至-张掖市卫生健康委员会-第1号.tuoyu-sync"]
    [summary] = dialogs["summary"]
    rows = dict(summary.rows())
    assert (rows["机构档案"], rows["在托幼儿"], rows["其中删除"], rows["照片"]) == (1, 1, 0, 0)
    assert bundle.exists() and summary.file_label.text() == str(bundle)
    assert summary.heading_label.text() == "已导出给“张掖市卫生健康委员会”的第 1 号同步包（全部记录）"
    assert "回执带回本机" in summary.reminder_label.text()

    # The county's 对账: one bundle sent to the city, not acknowledged yet.
    city_row = _peer_row(county_window, "张掖市卫生健康委员会")
    assert (city_row["已发送"], city_row["已确认"], city_row["未确认"]) == (1, 0, 1)
    [[number, _, records, scope, file_name]] = _outstanding(county_window)
    assert (number, scope, file_name) == (
        "第 1 号",
        "全部记录",
        bundle.name,
    ) and records == summary.summary.record_count

    # At the city: the dry run shows what would happen, and nothing is written until 导入.
    _choose_file(monkeypatch, bundle)
    dialogs["choice"]["import"] = False
    city_window.sync_menu.import_action.trigger()
    qtbot.waitUntil(lambda: bool(dialogs["preview"]), timeout=WAIT)
    [preview] = dialogs["preview"]
    counts = dict(preview.rows())
    assert counts["新增"] >= 2 and counts["冲突（两边都改过）"] == 0
    per_table = {row[0]: row[1:] for row in preview.table_rows()}
    assert per_table["机构档案"] == (1, 0, 0, 0, 0) and per_table["在托幼儿"] == (1, 0, 0, 0, 0)
    assert sum(row[0] for row in per_table.values()) == counts["新增"]
    assert preview.tables_model.rowCount() == len(per_table)
    assert preview.import_button.text() == "导入(&I)"
    assert _count(city, Institution) == 0 and _count(city, Child) == 0

    dialogs["choice"]["import"] = True
    city_window.sync_menu.import_action.trigger()
    qtbot.waitUntil(lambda: any(kind == "information" for kind, _, _ in messages), timeout=WAIT)
    assert dict(dialogs["preview"][-1].rows()) == counts
    [(_, title, text)] = [m for m in messages if m[0] == "information"]
    receipt = bundle.with_name("到市里.回执.tuoyu-sync")
    assert title == "导入同步包"
    assert f"已新增 {counts['新增']} 条" in text and str(receipt) in text and "交回给“甘州区卫生健康局”" in text
    assert receipt.exists()
    assert _count(city, Institution) == 1 and _count(city, Child) == 1
    city_window.show_area("sync")
    county_row = _peer_row(city_window, "甘州区卫生健康局")
    assert county_row["已接收"] == 1 and county_row["最近接收"].startswith("第 1 号")

    # The receipt back at the county: previewed, imported, and the bundle is acknowledged.
    messages.clear()
    _choose_file(monkeypatch, receipt)
    county_window.sync_menu.import_action.trigger()
    qtbot.waitUntil(lambda: any(kind == "information" for kind, _, _ in messages), timeout=WAIT)
    receipt_preview = dialogs["preview"][-1]
    assert receipt_preview.import_button.text() == "导入回执(&I)"
    assert "本机第 1 号同步包已送达" in receipt_preview.message_label.text()
    [(_, title, text)] = [m for m in messages if m[0] == "information"]
    assert title == "导入回执" and "本机第 1 号同步包已送达" in text
    city_row = _peer_row(county_window, "张掖市卫生健康委员会")
    assert (city_row["已发送"], city_row["已确认"], city_row["未确认"], city_row["待发改动"]) == (1, 1, 0, 0)
    assert _outstanding(county_window) == []
    assert "都已确认" in county_window.views["sync"].reconciliation.peer_label.text()

    # The same bundle again at the city: nothing to do; the clerk is offered its receipt again and declines.
    messages.clear()
    _choose_file(monkeypatch, bundle)
    city_window.sync_menu.import_action.trigger()
    qtbot.waitUntil(lambda: bool(messages), timeout=WAIT)
    [(kind, _, text)] = messages
    assert kind == "question" and "已于" in text and "没有任何改动" in text and "重新生成回执" in text
    assert _count(city, Institution) == 1


def test_a_tampered_bundle_is_refused_with_its_message_in_full_and_changes_nothing(
    qtbot, network, tmp_path, monkeypatch, messages, dialogs
):
    county, city = network.county, network.city
    path, _ = network.export(county, city)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    before = fingerprint(city)

    city_window = _window(qtbot, city)
    _choose_file(monkeypatch, path)
    city_window.sync_menu.import_action.trigger()
    qtbot.waitUntil(lambda: bool(messages), timeout=WAIT)

    [(kind, title, text)] = messages
    assert (kind, title) == ("warning", "同步包被拒绝")
    assert f"“{path.name}”没有导入" in text and "原因代码：" in text
    assert "没有导入任何内容" in text or "没有任何改动" in text or "数据库保持原样" in text
    assert dialogs["preview"] == []
    assert fingerprint(city) == before


def test_a_bundle_for_another_node_is_refused_and_the_window_carries_on(qtbot, network, monkeypatch, messages, dialogs):
    county, city, laptop = network.county, network.city, network.laptop
    path, _ = network.export(county, laptop)  # addressed to the laptop, taken to the city by mistake
    before = fingerprint(city)
    city_window = _window(qtbot, city)
    _choose_file(monkeypatch, path)
    city_window.sync_menu.import_action.trigger()
    qtbot.waitUntil(lambda: bool(messages), timeout=WAIT)
    [(kind, title, text)] = messages
    assert (kind, title) == ("warning", "同步包被拒绝") and "wrong_target" in text
    assert fingerprint(city) == before
    assert city_window.isEnabled()


def test_a_dry_run_cancelled_shows_nothing_and_writes_nothing(qtbot, network, monkeypatch, messages, dialogs):
    county, city = network.county, network.city
    path, _ = network.export(county, city)
    before = fingerprint(city)
    city_window = _window(qtbot, city)
    exchange = city_window.sync_menu.exchange
    _choose_file(monkeypatch, path)
    city_window.sync_menu.import_action.trigger()
    assert exchange.progress is not None and exchange.progress.labelText().startswith("正在检查")
    [cancel] = [b for b in exchange.progress.findChildren(QPushButton) if b.text() == "取消"]
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert exchange.progress is None
    drained = threading.Event()
    city_window._tasks.run(lambda: None, lambda _: drained.set(), lambda _: drained.set(), writes=True)
    qtbot.waitUntil(drained.is_set, timeout=WAIT)  # the writer thread ran the dry run first
    assert dialogs["preview"] == [] and messages == []
    assert fingerprint(city) == before


def test_an_installation_that_is_not_a_node_is_told_what_to_do(qtbot, tmp_path, messages, dialogs):
    ctx = open_app(data_dir=tmp_path / "fresh", url=None)
    try:
        window = _window(qtbot, ctx)
        window.sync_menu.export_action.trigger()
        [(kind, title, text)] = messages
        assert (kind, title) == ("warning", "导出同步包失败") and "初始化" in text
        window.show_area("sync")
        view = window.views["sync"]
        assert not view.export_button.isEnabled() and not view.import_button.isEnabled()
        assert "本机与已登记节点" in view.problem_label.text()
    finally:
        ctx.close()
