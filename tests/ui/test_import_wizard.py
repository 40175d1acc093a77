"""The import wizard: check first, import only when there is no error, then the list refreshes."""

from __future__ import annotations

from openpyxl import Workbook
from sqlalchemy import func, select

from desktop.models import Institution
from desktop.services.regions import ensure_regions
from desktop.ui.dialogs.import_wizard import ImportWizard
from desktop.ui.tasks import TaskRunner
from tests.conftest import TODAY


def _sheet(path, slots):
    workbook = Workbook()
    workbook.active.append(["机构名称", "举办主体", "所属县区", "托位数", "联系电话"])
    workbook.active.append(["甘州区阳光托育中心", "社会力量举办", "甘州区", slots, "0936-8212345"])
    workbook.save(path)
    return path


def _wizard(qtbot, ctx):
    ensure_regions(ctx)
    tasks = TaskRunner()
    wizard = ImportWizard(ctx, tasks, today=TODAY)
    qtbot.addWidget(wizard)
    return wizard, tasks


def test_a_clean_sheet_is_checked_then_imported(qtbot, sqlite_ctx, tmp_path):
    wizard, tasks = _wizard(qtbot, sqlite_ctx)
    wizard.check(_sheet(tmp_path / "好.xlsx", 60))
    qtbot.waitUntil(lambda: wizard.report is not None, timeout=10000)
    assert "检查通过" in wizard.summary.text() and wizard.import_button.isEnabled()
    with qtbot.waitSignal(wizard.imported, timeout=10000):
        wizard.import_button.click()
    with sqlite_ctx.db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Institution)) == 1
    tasks.shutdown()


def test_a_sheet_with_errors_shows_them_and_cannot_be_imported(qtbot, sqlite_ctx, tmp_path):
    wizard, tasks = _wizard(qtbot, sqlite_ctx)
    wizard.check(_sheet(tmp_path / "坏.xlsx", "六十"))
    qtbot.waitUntil(lambda: wizard.report is not None, timeout=10000)
    assert wizard.errors_model.rowCount() == 1
    assert wizard.errors_model.data(wizard.errors_model.index(0, 1)) == "托位数"
    assert not wizard.import_button.isEnabled() and wizard.save_errors_button.isEnabled()
    tasks.shutdown()


def test_a_file_that_cannot_be_read_is_explained_in_the_wizard(qtbot, sqlite_ctx, tmp_path):
    wizard, tasks = _wizard(qtbot, sqlite_ctx)
    fake = tmp_path / "名单.xls"
    fake.write_bytes(b"\x00" * 100)
    wizard.check(fake)
    qtbot.waitUntil(lambda: not wizard._busy, timeout=10000)
    assert "正在检查" not in wizard.summary.text() and not wizard.import_button.isEnabled()
    assert wizard.choose_button.isEnabled()
    tasks.shutdown()
