"""The review workflow: every status against every action, the buttons each status offers, and
refusals that name the rule."""

from __future__ import annotations

import pytest

from desktop.domain.application_workflow import Action, WorkflowError, allowed_actions, check_action, is_frozen
from desktop.domain.enums import ApplicationStatus as S

A = Action
# (status, action) -> the status it leads to; every pair not listed is refused.
ALLOWED = {
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, A.FIRST_REVIEW): S.FIRST_REVIEWED,
    (S.FIRST_REVIEWED, A.APPROVE): S.APPROVED,
    (S.APPROVED, A.PAY): S.PAID,
    (S.DRAFT, A.REJECT): S.REJECTED,
    (S.SUBMITTED, A.REJECT): S.REJECTED,
    (S.FIRST_REVIEWED, A.REJECT): S.REJECTED,
    (S.APPROVED, A.REJECT): S.REJECTED,
}


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", list(A))
def test_every_status_and_action(status, action):
    if (status, action) in ALLOWED:
        assert check_action(status, action, reason="托位数与备案不符") is ALLOWED[(status, action)]
    else:
        with pytest.raises(WorkflowError) as refused:
            check_action(status, action, reason="托位数与备案不符")
        assert f"当前为“{status.label}”" in refused.value.message


@pytest.mark.parametrize(
    ("status", "buttons"),
    [
        (S.DRAFT, ["提交", "退回"]),
        (S.SUBMITTED, ["初审通过", "退回"]),
        (S.FIRST_REVIEWED, ["审核通过", "退回"]),
        (S.APPROVED, ["发放", "退回"]),
        (S.PAID, []),
        (S.REJECTED, []),
    ],
)
def test_the_buttons_of_each_status_are_exactly_the_allowed_actions(status, buttons):
    assert [action.label for action in allowed_actions(status)] == buttons
    for action in A:
        allowed = action in allowed_actions(status)
        assert allowed == ((status, action) in ALLOWED)


@pytest.mark.parametrize("reason", [None, "", "   \n"])
def test_a_rejection_needs_a_reason(reason):
    with pytest.raises(WorkflowError, match="须写明原因"):
        check_action(S.SUBMITTED, A.REJECT, reason=reason)


def test_a_very_long_reason_is_refused_with_its_length():
    with pytest.raises(WorkflowError, match="最多 500 字，现在是 501 字"):
        check_action(S.SUBMITTED, A.REJECT, reason="原" * 501)


@pytest.mark.parametrize(
    ("status", "action", "rule"),
    [
        (S.SUBMITTED, A.APPROVE, "审核只能在初审通过之后进行；下一步应为“初审通过”"),
        (S.DRAFT, A.PAY, "只有审核通过的申请才能发放；下一步应为“提交”"),
        (S.FIRST_REVIEWED, A.SUBMIT, "只有草稿可以提交"),
        (S.PAID, A.REJECT, "补贴已发放，资金已拨付"),
        (S.REJECTED, A.SUBMIT, "已退回的申请不再办理，如需重新申请，请新建一份申请"),
        (S.PAID, A.PAY, "流程已结束"),
    ],
)
def test_refusals_name_the_rule(status, action, rule):
    with pytest.raises(WorkflowError) as refused:
        check_action(status, action, reason="原因")
    assert rule in refused.value.message


def test_amounts_are_frozen_from_approval_on():
    assert [s for s in S if is_frozen(s)] == [S.APPROVED, S.PAID]
