"""The 补贴 area driven like a clerk: filters typed, an application's policy and parameters shown, the
workflow's buttons, a rejection's reason typed, a month prepared in the background with progress and
cancel, the conflicts listed, and the payment roster exported."""

from __future__ import annotations

import time

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton
from sqlalchemy import func, select

from desktop.domain.application_workflow import Action
from desktop.domain.enums import ApplicationStatus, SubsidyScheme
from desktop.excel.payment_roster_workbooks import ROSTER_SHEET
from desktop.models import EnrollmentClaim, SubsidyApplication
from desktop.services.subsidy_applications import approve, create_construction_application, first_review, submit
from desktop.services.subsidy_policies import load_policies
from desktop.ui.dialogs.payment_roster_dialog import PaymentRosterDialog
from desktop.ui.dialogs.subsidy_dialogs import NewApplicationDialog, RejectDialog
from desktop.ui.views import subsidy_view
from desktop.ui.views.subsidy_view import SubsidyView
from tests.integration.subsidizing import GANZHOU, TODAY, child, institution
from tests.pdf_reading import pdf_text, squeezed
from tests.ui.conftest import type_text


@pytest.fixture
def view(qtbot, sqlite_ctx, monkeypatch):
    """The view; a message box that nobody would answer in a test is recorded instead."""
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    widget = SubsidyView(sqlite_ctx, today=TODAY)
    qtbot.addWidget(widget)
    widget.resize(1400, 860)
    widget.show()
    return widget


def status_of(ctx, application_id) -> ApplicationStatus:
    with ctx.db.session_factory() as session:
        return session.get(SubsidyApplication, application_id).status


def visible_buttons(view) -> list[str]:
    return [b.text() for b in view.detail.buttons.values() if b.isVisible()]


def test_the_detail_names_the_policy_and_offers_the_allowed_steps(qtbot, sqlite_ctx, view, monkeypatch):
    created = create_construction_application(sqlite_ctx, institution(sqlite_ctx), meets_standard=True, today=TODAY)
    view.refresh()
    view.table.selectRow(0)
    detail = view.detail
    assert "¥30,000.00" in detail.amount_label.text() and "人民币叁万元整" in detail.amount_label.text()
    assert "市级承担 ¥6,000.00" in detail.shares_label.text()
    sha = load_policies()[0].sha256[:12]
    body = detail.body.toPlainText()
    assert f"zhangye-2026 第1版（SHA-256 {sha}）" in body
    assert "建设补贴档次" in body and "按备案托位数" in body and "托位 60 个，适用 50–99 档" in body
    assert visible_buttons(view) == ["提交(&S)", "退回(&R)…"] and detail.print_button.isVisible()
    detail.print_button.click()
    qtbot.waitUntil(lambda: detail.print_jobs.last_preview is not None, timeout=10_000)
    printed = squeezed(pdf_text(detail.print_jobs.last_preview.printed.pdf))
    assert "补贴申请审核表" in printed and "人民币叁万元整" in printed
    detail.print_jobs.last_preview.close()
    QTest.mouseClick(detail.buttons[Action.SUBMIT], Qt.MouseButton.LeftButton)
    assert status_of(sqlite_ctx, created.application_id) is ApplicationStatus.SUBMITTED
    assert view.model.data(view.model.index(0, 4)) == "已提交"
    assert visible_buttons(view) == ["初审通过(&F)", "退回(&R)…"]


def test_approval_asks_first_and_then_shows_the_amount_frozen(qtbot, sqlite_ctx, view, monkeypatch):
    created = create_construction_application(sqlite_ctx, institution(sqlite_ctx), meets_standard=True, today=TODAY)
    submit(sqlite_ctx, created.application_id, today=TODAY)
    first_review(sqlite_ctx, created.application_id, today=TODAY)
    view.refresh()
    view.table.selectRow(0)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text: asked.append(text) or answers.pop(0))
    approve_button = next(b for b in view.detail.buttons.values() if b.text() == "审核通过(&A)")
    approve_button.click()
    assert status_of(sqlite_ctx, created.application_id) is ApplicationStatus.FIRST_REVIEWED
    approve_button.click()
    assert status_of(sqlite_ctx, created.application_id) is ApplicationStatus.APPROVED
    assert "金额即冻结" in asked[0]
    assert "金额已冻结" in view.detail.shares_label.text()
    assert visible_buttons(view) == ["发放(&P)", "退回(&R)…"]


def test_a_rejection_needs_a_typed_reason(qtbot, sqlite_ctx, view):
    created = create_construction_application(sqlite_ctx, institution(sqlite_ctx), meets_standard=True, today=TODAY)
    view.refresh()
    view.table.selectRow(0)
    seen = []

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, RejectDialog)
        dialog.buttons.accepted.emit()  # OK with nothing typed: refused under the field
        seen.append(dialog.error_label.text())
        type_text(dialog.reason_edit, "托位数与备案不符")
        dialog.buttons.accepted.emit()

    QTimer.singleShot(0, fill)
    next(b for b in view.detail.buttons.values() if b.text() == "退回(&R)…").click()
    assert seen == ["请写明退回原因。"]
    assert status_of(sqlite_ctx, created.application_id) is ApplicationStatus.REJECTED
    assert "退回原因：托位数与备案不符" in view.detail.body.toPlainText()
    assert visible_buttons(view) == []


def test_filters_typed_and_chosen(qtbot, sqlite_ctx, view):
    sunshine = institution(sqlite_ctx)
    create_construction_application(sqlite_ctx, sunshine, meets_standard=True, today=TODAY)
    child(sqlite_ctx, sunshine)
    view.start_preparing(GANZHOU, "2026-11")
    qtbot.waitUntil(lambda: view.progress is None, timeout=10_000)
    view.period_edit.clear()
    view.period_edit.setFocus()
    type_text(view.period_edit, "2026-11")
    QTest.keyClick(view.period_edit, Qt.Key.Key_Return)
    assert view.model.rowCount() == 1 and view.model.data(view.model.index(0, 2)) == "入托补贴"
    view.period_edit.clear()
    QTest.keyClick(view.period_edit, Qt.Key.Key_Return)
    view.scheme_combo.setCurrentIndex(view.scheme_combo.findData(SubsidyScheme.CONSTRUCTION))
    assert view.model.rowCount() == 1 and view.model.data(view.model.index(0, 3)) == "一次性"
    view.status_combo.setCurrentIndex(view.status_combo.findData(ApplicationStatus.PAID))
    assert view.model.rowCount() == 0


def test_preparing_a_month_runs_in_the_background_and_lists_the_conflicts(qtbot, sqlite_ctx, view, monkeypatch):
    sunshine = institution(sqlite_ctx, "甘州区阳光托育中心")
    star = institution(sqlite_ctx, "甘州区小星星托育园")
    twin = child(sqlite_ctx, sunshine, name="王小明")
    child(sqlite_ctx, star, name="王小明", id_number=twin)
    child(sqlite_ctx, star, name="李四")
    shown = []
    monkeypatch.setattr(subsidy_view.IssuesDialog, "exec", lambda self: shown.append(self) or 0)
    view.start_preparing(GANZHOU, "2026-11")
    assert view.progress is not None and view.progress.labelText() == "正在准备 2026-11 入托补贴…"
    qtbot.waitUntil(lambda: view.progress is None, timeout=10_000)
    (dialog,) = shown
    assert dialog.model.rowCount() == 1
    assert dialog.model.data(dialog.model.index(0, 0)) == "重复申领"
    assert twin not in dialog.model.data(dialog.model.index(0, 1)) and "********" in dialog.model.data(
        dialog.model.index(0, 1)
    )
    assert "甘州区阳光托育中心" in dialog.model.data(dialog.model.index(0, 3))
    assert view.model.rowCount() == 1 and view.period_edit.text() == "2026-11"


def test_cancelling_the_preparation_writes_nothing(qtbot, sqlite_ctx, view, monkeypatch):
    sunshine = institution(sqlite_ctx)
    child(sqlite_ctx, sunshine)
    real = subsidy_view.prepare_enrollment_month

    def waits_for_cancel(*args, cancelled, **kwargs):
        deadline = time.monotonic() + 10
        while not cancelled() and time.monotonic() < deadline:
            time.sleep(0.01)
        return real(*args, cancelled=cancelled, **kwargs)

    monkeypatch.setattr(subsidy_view, "prepare_enrollment_month", waits_for_cancel)
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append((title, text)))
    view.start_preparing(GANZHOU, "2026-11")
    QTest.mouseClick(view.progress.findChild(QPushButton), Qt.MouseButton.LeftButton)  # 取消
    qtbot.waitUntil(lambda: view.progress is None, timeout=10_000)
    assert told == [("已取消", "已取消：本月入托补贴没有写入任何数据。")]
    with sqlite_ctx.db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(EnrollmentClaim)) == 0


def test_the_payment_roster_shows_totals_and_exports(qtbot, sqlite_ctx, view, monkeypatch, tmp_path):
    sunshine = institution(sqlite_ctx)
    child(sqlite_ctx, sunshine)
    child(sqlite_ctx, sunshine, name="二")
    view.start_preparing(GANZHOU, "2026-11")
    qtbot.waitUntil(lambda: view.progress is None, timeout=10_000)
    (row,) = view._rows
    for step in (submit, first_review, approve):
        step(sqlite_ctx, row.id, today=TODAY)
    dialog = PaymentRosterDialog(sqlite_ctx, view._tasks, view._counties, county_code=GANZHOU, month="2026-11")
    qtbot.addWidget(dialog)
    dialog.load()
    qtbot.waitUntil(lambda: dialog.roster is not None, timeout=10_000)
    assert dialog.model.rowCount() == 1
    text = dialog.totals_label.text()
    assert "合计 400.00 元（人民币肆佰元整）" in text and "市级 80.00 元；甘州区 320.00 元" in text
    target = tmp_path / "花名册.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    messages = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: messages.append(text))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: bool(messages), timeout=10_000)
    rows = list(load_workbook(target)[ROSTER_SHEET].iter_rows(values_only=True))
    assert rows[-1][0] == "合计金额（大写）：人民币肆佰元整"

    dialog.print_button.click()  # the roster as shown, laid out in the background and previewed
    qtbot.waitUntil(lambda: dialog.print_jobs.last_preview is not None, timeout=20_000)
    printed = squeezed(pdf_text(dialog.print_jobs.last_preview.printed.pdf))
    assert "发放花名册" in printed and "人民币肆佰元整" in printed
    dialog.print_jobs.last_preview.close()


def test_a_new_construction_application_is_made_from_the_keyboard(qtbot, sqlite_ctx, view):
    institution(sqlite_ctx, "甘州区阳光托育中心")
    institution(sqlite_ctx, "甘州区小星星托育园", slots=120)
    view.county_combo.setCurrentIndex(view.county_combo.findData(GANZHOU))

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, NewApplicationDialog)
        dialog.institution_combo.lineEdit().clear()
        type_text(dialog.institution_combo.lineEdit(), "甘州区小星星托育园")
        dialog.standard_check.setFocus()
        QTest.keyClick(dialog.standard_check, Qt.Key.Key_Space)
        dialog.buttons.accepted.emit()

    QTimer.singleShot(0, fill)
    view.new_button.click()
    assert view.model.rowCount() == 1
    assert view.detail.heading.text().startswith("甘州区小星星托育园　建设补贴")
    assert "¥50,000.00" in view.detail.amount_label.text()
    assert ("达到国家和省级规范建设要求（经办人确认）", "是") in view.detail.detail.facts


def test_double_claims_across_counties_are_listed_masked(qtbot, sqlite_ctx, view, monkeypatch):
    from desktop.services import subsidy_applications as workflow
    from desktop.services.enrollment_month import prepare_enrollment_month
    from desktop.services.subsidy_queries import ApplicationFilter, list_applications
    from tests.integration.subsidizing import SHANDAN

    ganzhou = institution(sqlite_ctx)
    shandan = institution(sqlite_ctx, "山丹县小星星托育园", county=SHANDAN)
    twice = child(sqlite_ctx, ganzhou, name="李小花")
    child(sqlite_ctx, shandan, name="李小花", id_number=twice)
    for county in (GANZHOU, SHANDAN):
        prepare_enrollment_month(sqlite_ctx, county, "2026-11", today=TODAY)
        for row in list_applications(sqlite_ctx, ApplicationFilter(county_code=county, period="2026-11")):
            for step in (workflow.submit, workflow.first_review, workflow.approve, workflow.pay):
                step(sqlite_ctx, row.id, today=TODAY)
    view.period_edit.setText("2026-11")
    view.double_claims_button.click()
    dialog = view.double_claims_dialog
    qtbot.waitUntil(lambda: dialog.cases is not None, timeout=10_000)
    rows = [[dialog.model.data(dialog.model.index(r, c)) for c in range(dialog.model.columnCount())]
            for r in range(dialog.model.rowCount())]  # fmt: skip
    assert [(row[3], row[4], row[5], row[8]) for row in rows] == [
        ("甘州区", "甘州区阳光托育中心", "已发放", "已重复发放"),
        ("山丹县", "山丹县小星星托育园", "已发放", "已重复发放"),
    ]
    assert all(twice not in str(cell) for row in rows for cell in row) and rows[0][1].endswith(twice[-4:])
    assert "已在两地发放 1 名" in dialog.summary.text()
    dialog.close()
