"""The review workflow of a subsidy application (补贴申请): which step may follow which, and why not.

    draft ──提交──► submitted ──初审通过──► first_reviewed ──审核通过──► approved ──发放──► paid
      │                │                        │                          │
      └──────────── 退回（须写明原因）──────────┴──────────────────────────┘──► rejected

Pure: the service asks ``check_action`` before it changes a row, and the screen asks
``allowed_actions`` which buttons to offer. Each refusal is a Chinese sentence that names the rule.

Rejection (退回) is allowed from every status before payment:

- from a draft: a draft made by mistake would otherwise hold its place for ever (one live
  application per scheme, institution and period — for the construction subsidy, once ever);
- from submitted and first_reviewed: the reviewer's ordinary 不予通过;
- from approved: approval (审核) commits the amount but no money has moved. A mistake found before
  payment (the child had left, the institution has closed, the same child claimed in another
  county) must be stoppable; paying a known-wrong amount and recovering it later is worse. The
  approved amount stays on the row unchanged (frozen), so the record shows what was approved and
  why it was then stopped;
- never from paid: the money has left the treasury; recovering it is a separate procedure.

A rejected application is final. The institution applies again with a new application, which the
one-live-application rule then allows.
"""

from __future__ import annotations

from enum import StrEnum

from desktop.domain.enums import ApplicationStatus
from desktop.errors import TuoyuError

__all__ = [
    "REJECTABLE",
    "Action",
    "WorkflowError",
    "allowed_actions",
    "check_action",
    "is_frozen",
]

Status = ApplicationStatus


class Action(StrEnum):
    SUBMIT = "submit"
    FIRST_REVIEW = "first_review"
    APPROVE = "approve"
    PAY = "pay"
    REJECT = "reject"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Action.SUBMIT: "提交",
    Action.FIRST_REVIEW: "初审通过",
    Action.APPROVE: "审核通过",
    Action.PAY: "发放",
    Action.REJECT: "退回",
}

# The forward steps: action -> (the one status it starts from, the status it leads to).
_FORWARD: dict[Action, tuple[Status, Status]] = {
    Action.SUBMIT: (Status.DRAFT, Status.SUBMITTED),
    Action.FIRST_REVIEW: (Status.SUBMITTED, Status.FIRST_REVIEWED),
    Action.APPROVE: (Status.FIRST_REVIEWED, Status.APPROVED),
    Action.PAY: (Status.APPROVED, Status.PAID),
}
REJECTABLE = frozenset({Status.DRAFT, Status.SUBMITTED, Status.FIRST_REVIEWED, Status.APPROVED})
# Approved and paid amounts are frozen (a database trigger refuses any change to them).
_FROZEN = frozenset({Status.APPROVED, Status.PAID})

# Why a forward step cannot start from a status other than its own, said as the rule.
_ORDER_RULE = {
    Action.SUBMIT: "只有草稿可以提交",
    Action.FIRST_REVIEW: "初审只能对已提交的申请进行",
    Action.APPROVE: "审核只能在初审通过之后进行",
    Action.PAY: "只有审核通过的申请才能发放",
}
MAX_REASON = 500


class WorkflowError(TuoyuError):
    """A step that the workflow does not allow from the application's status."""


def allowed_actions(status: Status) -> tuple[Action, ...]:
    """The actions offered for an application in ``status``, in workflow order (reject last)."""
    forward = tuple(action for action, (start, _) in _FORWARD.items() if start is status)
    return forward + ((Action.REJECT,) if status in REJECTABLE else ())


def is_frozen(status: Status) -> bool:
    """True once the amount is approved: it is never recomputed again."""
    return status in _FROZEN


def check_action(status: Status, action: Action, *, reason: str | None = None) -> Status:
    """The status after ``action``; raises ``WorkflowError`` (the rule named) when it is not allowed."""
    now = f"该申请当前为“{status.label}”"
    if action is Action.REJECT:
        if status is Status.PAID:
            raise WorkflowError(f"{now}，不能退回：补贴已发放，资金已拨付；如需追回，请按追缴程序另行办理。")
        if status is Status.REJECTED:
            raise WorkflowError(f"{now}，不能再次退回。如需重新申请，请新建一份申请。")
        text = (reason or "").strip()
        if not text:
            raise WorkflowError("退回申请须写明原因（例如“托位数与备案不符”），原因会记入申请和审计日志。")
        if len(text) > MAX_REASON:
            raise WorkflowError(f"退回原因最多 {MAX_REASON} 字，现在是 {len(text)} 字，请精简。")
        return Status.REJECTED
    start, end = _FORWARD[action]
    if status is start:
        return end
    if status is Status.REJECTED:
        raise WorkflowError(f"{now}，不能{action.label}：已退回的申请不再办理，如需重新申请，请新建一份申请。")
    if status is Status.PAID:
        raise WorkflowError(f"{now}，不能{action.label}：补贴已发放，流程已结束。")
    next_step = allowed_actions(status)[0].label
    raise WorkflowError(f"{now}，不能{action.label}：{_ORDER_RULE[action]}；下一步应为“{next_step}”。")
