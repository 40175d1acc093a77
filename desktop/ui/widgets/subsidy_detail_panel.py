"""One subsidy application: its amount in figures and 大写, the shares, the reasons, the facts, which
policy (name, version, SHA-256) and parameter values produced it, who did each step — and the buttons
for the steps its status allows. An enrollment application lists its children, ID numbers masked."""

from __future__ import annotations

import html
import uuid
from datetime import date

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.amount_words import format_yuan
from desktop.domain.application_workflow import Action
from desktop.domain.enums import SubsidyScheme
from desktop.errors import TuoyuError
from desktop.services import subsidy_applications as steps
from desktop.services.startup import AppContext
from desktop.services.subsidy_queries import ApplicationDetail, application_detail
from desktop.ui.dialogs.subsidy_dialogs import RejectDialog
from desktop.ui.document_jobs import subsidy_application_job
from desktop.ui.print_jobs import PrintJobs
from desktop.ui.tablemodels.rows_table_model import RowsTableModel
from desktop.ui.tasks import TaskRunner
from desktop.ui.widgets.read_only_table import read_only_table

ALERT_STYLE = "color: #b3261e;"
BUTTON_TEXT = {
    Action.SUBMIT: "提交(&S)",
    Action.FIRST_REVIEW: "初审通过(&F)",
    Action.APPROVE: "审核通过(&A)",
    Action.PAY: "发放(&P)",
    Action.REJECT: "退回(&R)…",
}
# Steps that cannot be undone get a confirmation first.
CONFIRM = {
    Action.APPROVE: "审核通过后金额即冻结，此后不再按新政策或档案变化重新计算。确定审核通过？",
    Action.PAY: "确认该申请的补贴已于今天发放？发放后不能退回。",
}


class SubsidyDetailPanel(QWidget):
    changed = Signal(uuid.UUID)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._today = today
        self.detail: ApplicationDetail | None = None
        self.heading = QLabel("请在左侧选择一份申请。")
        self.heading.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.heading.setWordWrap(True)
        self.amount_label = QLabel()
        self.amount_label.setStyleSheet("font-size: 14pt;")
        self.amount_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.shares_label = QLabel()
        self.warning_label = QLabel()
        self.warning_label.setStyleSheet(ALERT_STYLE)
        self.warning_label.setWordWrap(True)
        self.body = QTextBrowser()
        self.body.setOpenLinks(False)
        self.claims_model = RowsTableModel(["幼儿", "身份证号", "符合条件", "金额（元）", "说明"], self)
        self.claims_table = read_only_table(self.claims_model)
        self.buttons = {action: QPushButton(text) for action, text in BUTTON_TEXT.items()}
        row = QHBoxLayout()
        for action, button in self.buttons.items():
            button.clicked.connect(lambda _checked=False, a=action: self.perform(a))
            button.hide()
            row.addWidget(button)
        row.addStretch(1)
        self.print_jobs = PrintJobs(self, TaskRunner(self))
        self.print_button = QPushButton("打印审核表(&P)…")
        self.print_button.setToolTip("补贴申请审核表：依据、参数、金额（大写）、承担方和审核签字栏")
        self.print_button.clicked.connect(self._on_print)
        self.print_button.hide()
        row.addWidget(self.print_button)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.body)
        split.addWidget(self.claims_table)
        split.setSizes([400, 240])
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.amount_label)
        layout.addWidget(self.shares_label)
        layout.addWidget(self.warning_label)
        layout.addLayout(row)
        layout.addWidget(split, 1)
        self.show_application(None)

    def today(self) -> date:
        return self._today or date.today()

    def _on_print(self) -> None:
        detail = self.detail
        if detail is not None:
            title = f"{detail.institution} {detail.scheme.label} {detail.period_text}"
            self.print_jobs.preview(subsidy_application_job(self._ctx, detail.id, title, self.today()))

    def show_application(self, application_id: uuid.UUID | None) -> None:
        self.detail = None if application_id is None else application_detail(
            self._ctx, application_id, today=self.today()
        )  # fmt: skip
        detail = self.detail
        if detail is None:
            for button in self.buttons.values():
                button.hide()
            self.print_button.hide()
            self.heading.setText("请在左侧选择一份申请。")
            for label in (self.amount_label, self.shares_label, self.warning_label):
                label.clear()
            self.body.clear()
            self.claims_model.set_rows([])
            self.claims_table.hide()
            return
        self.heading.setText(
            f"{detail.institution}　{detail.scheme.label}　{detail.period_text}　【{detail.status.label}】"
        )
        verdict = "" if detail.eligible else "（不符合条件）"
        self.amount_label.setText(f"¥{format_yuan(detail.amount_fen)}　{detail.amount_words}{verdict}")
        frozen = "　金额已冻结" if detail.frozen else "　（审核前每一步都按现行政策和档案重新计算）"
        self.shares_label.setText(
            f"市级承担 ¥{format_yuan(detail.city_share_fen)}　{detail.county_name}承担 "
            f"¥{format_yuan(detail.county_share_fen)}{frozen}"
        )
        alerts = [*detail.changed_since_approval, *(f"提示：{w}" for w in detail.warnings)]
        self.warning_label.setText("\n".join(alerts))
        self.warning_label.setVisible(bool(alerts))
        self.body.setHtml(_body_html(detail))
        for action, button in self.buttons.items():
            button.setVisible(action in detail.actions)
        self.print_button.show()
        enrollment = detail.scheme is SubsidyScheme.ENROLLMENT
        self.claims_table.setVisible(enrollment)
        self.claims_model.set_rows(
            [
                (c.name, c.id_number_masked, "是" if c.eligible else "否", format_yuan(c.amount_fen),
                 _claim_note(c.reasons, c.eligible))
                for c in detail.claims
            ]
        )  # fmt: skip

    @Slot()
    def perform(self, action: Action) -> None:
        detail = self.detail
        if detail is None:
            return
        reason = None
        if action is Action.REJECT:
            dialog = RejectDialog(f"“{detail.institution}”的{detail.scheme.label}申请（{detail.period_text}）", self)
            if not dialog.exec():
                return
            reason = dialog.reason
        elif action in CONFIRM:
            answer = QMessageBox.question(self, action.label, CONFIRM[action])
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            outcome = _run(self._ctx, detail, action, reason, self.today())
        except TuoyuError as error:
            QMessageBox.warning(self, f"不能{action.label}", error.message)
            self.show_application(detail.id)  # someone else may have moved it on
            return
        self.show_application(detail.id)
        self.changed.emit(outcome.application_id)


def _run(ctx: AppContext, detail: ApplicationDetail, action: Action, reason: str | None, today: date):
    version = detail.version
    if action is Action.REJECT:
        return steps.reject(ctx, detail.id, reason or "", today=today, expected_version=version)
    step = {
        Action.SUBMIT: steps.submit,
        Action.FIRST_REVIEW: steps.first_review,
        Action.APPROVE: steps.approve,
        Action.PAY: steps.pay,
    }[action]
    return step(ctx, detail.id, today=today, expected_version=version)


def _claim_note(reasons: tuple[str, ...], eligible: bool) -> str:
    """The reason a reviewer needs on one line: why not, or how it was counted."""
    if not reasons:
        return ""
    if not eligible:
        return next((r for r in reasons if "不" in r or "无法" in r), reasons[-1])
    return reasons[0]


def _body_html(detail: ApplicationDetail) -> str:
    e = html.escape
    parts = ["<h3>计算依据</h3><ol>", *(f"<li>{e(r)}</li>" for r in detail.reasons), "</ol>"]
    if detail.rejection_reason:
        parts.append(f"<p style='color:#b3261e'><b>退回原因：</b>{e(detail.rejection_reason)}</p>")
    parts.append("<h3>申请事实</h3><table cellspacing='0' cellpadding='2'>")
    parts += [f"<tr><td>{e(k)}</td><td><b>{e(v)}</b></td></tr>" for k, v in detail.facts]
    parts.append("</table>")
    parts.append(f"<h3>补贴政策</h3><p>{e(detail.policy_text)}</p><table cellspacing='0' cellpadding='2'>")
    parts += [f"<tr><td>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in detail.parameters]
    parts.append("</table><h3>办理记录</h3><table cellspacing='0' cellpadding='2'>")
    parts += [f"<tr><td>{e(step)}</td><td>{e(who)}</td><td>{e(when)}</td></tr>" for step, who, when in detail.steps]
    parts.append("</table>")
    return "".join(parts)
