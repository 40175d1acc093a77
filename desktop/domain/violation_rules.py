"""Rules for recording a violation (违法行为) found at an inspection and the action the bureau took.

Pure: ``today`` and the inspection's date are parameters. A violation is legal evidence and is never
edited, so everything that can be checked is checked before it is stored: a wrong record can only be
corrected by a new record that names it.

- The description is required: it is what the institution did wrong.
- A fine (罚款) needs its amount, above zero; every other action has no amount.
- The decision cannot predate the inspection that found the violation, nor be in the future.
- 警告, 罚款 and 责令停业整顿 are administrative penalties (《行政处罚法》第九条): they are decided by a
  written decision (行政处罚决定书) citing its legal basis, so a missing basis or decision number is
  worth a warning (the paper may simply not be at hand yet).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desktop.domain.enums import ViolationAction
from desktop.domain.problems import Problem, Severity
from desktop.domain.registry_rules import format_date_cn

__all__ = ["MAX_FINE_FEN", "PENALTIES", "VIOLATION_FIELDS", "ViolationFacts", "check_violation"]

_ERROR = Severity.ERROR
_WARNING = Severity.WARNING

# The Chinese name of each field, for the form and for messages.
VIOLATION_FIELDS = {
    "description": "违法行为",
    "legal_basis": "法律依据",
    "action": "处理措施",
    "fine_fen": "罚款金额（元）",
    "decision_number": "决定书文号",
    "decided_on": "处理日期",
}

# Actions that are administrative penalties, decided by a written decision citing its legal basis.
PENALTIES = frozenset({ViolationAction.WARNING, ViolationAction.FINE, ViolationAction.SUSPENSION})

# Ten million yuan: far above any fine a county health bureau imposes on a childcare institution,
# and well inside the column's range; a larger figure is a typing slip (a few zeros too many).
MAX_FINE_FEN = 10_000_000 * 100
DECISION_NUMBER_LENGTH = 60


@dataclass(frozen=True)
class ViolationFacts:
    description: str | None
    action: ViolationAction
    decided_on: date
    legal_basis: str | None = None
    fine_fen: int | None = None
    decision_number: str | None = None


def check_violation(facts: ViolationFacts, *, inspected_on: date, today: date) -> tuple[Problem, ...]:
    """Everything wrong with a violation as entered, in the order of the form."""
    problems: list[Problem] = []
    if not (facts.description or "").strip():
        problems.append(
            Problem(
                "violation.description_empty",
                "违法行为未填写。请写明机构违反了什么规定、现场看到的情况。",
                _ERROR,
                "description",
            )
        )
    problems += _fine(facts)
    problems += _decided_on(facts.decided_on, inspected_on, today)
    if len((facts.decision_number or "").strip()) > DECISION_NUMBER_LENGTH:
        problems.append(
            Problem(
                "violation.decision_number_too_long",
                f"决定书文号超过 {DECISION_NUMBER_LENGTH} 个字，请只填写文号，例如：甘州卫罚〔2026〕3号。",
                _ERROR,
                "decision_number",
            )
        )
    if facts.action in PENALTIES:
        problems += _penalty_papers(facts)
    return tuple(problems)


def _fine(facts: ViolationFacts) -> list[Problem]:
    amount = facts.fine_fen
    if facts.action is ViolationAction.FINE:
        if amount is None or amount <= 0:
            return [
                Problem(
                    "violation.fine_missing",
                    "处理措施为“罚款”，请填写罚款金额（元），金额应大于 0。",
                    _ERROR,
                    "fine_fen",
                )
            ]
        if amount > MAX_FINE_FEN:
            return [
                Problem(
                    "violation.fine_too_large",
                    f"罚款金额 {amount / 100:,.2f} 元超过 1000 万元，请核对金额（单位是元）。",
                    _ERROR,
                    "fine_fen",
                )
            ]
        return []
    if amount is not None:
        return [
            Problem(
                "violation.fine_not_allowed",
                f"处理措施为“{facts.action.label}”，不应填写罚款金额。请清空金额，或把处理措施改为“罚款”。",
                _ERROR,
                "fine_fen",
            )
        ]
    return []


def _decided_on(decided_on: date, inspected_on: date, today: date) -> list[Problem]:
    if decided_on < inspected_on:
        return [
            Problem(
                "violation.decided_before_inspection",
                f"处理日期 {format_date_cn(decided_on)} 早于发现该行为的检查日期 {format_date_cn(inspected_on)}，"
                "请核对日期。",
                _ERROR,
                "decided_on",
            )
        ]
    if decided_on > today:
        return [
            Problem(
                "violation.decided_in_future",
                f"处理日期 {format_date_cn(decided_on)} 晚于今天，请填写已经作出处理的日期。",
                _ERROR,
                "decided_on",
            )
        ]
    return []


def _penalty_papers(facts: ViolationFacts) -> list[Problem]:
    problems = []
    what = f"“{facts.action.label}”属行政处罚"
    if not (facts.legal_basis or "").strip():
        problems.append(
            Problem(
                "violation.penalty_without_basis",
                f"{what}，应写明法律依据（法规名称和条款）；暂不确定的可先保存，日后更正补记。",
                _WARNING,
                "legal_basis",
            )
        )
    if not (facts.decision_number or "").strip():
        problems.append(
            Problem(
                "violation.penalty_without_decision",
                f"{what}，应填写行政处罚决定书文号；尚未编号的可先保存，日后更正补记。",
                _WARNING,
                "decision_number",
            )
        )
    return problems
