"""Recording violations found at an inspection, with the action taken; corrections as new records.

A violation is legal evidence: the database refuses to change or delete one (trigger), so a wrong
record is corrected by a new record naming it (``corrects_id``). Each record is corrected at most
once — a further correction names the latest record — so a violation's records form a chain whose
last record is the one that stands; the earlier ones are its history (shown as 已更正).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.enums import ViolationAction
from desktop.domain.problems import Problem, Severity, has_errors
from desktop.domain.violation_rules import ViolationFacts, check_violation
from desktop.errors import NotFoundError, TuoyuError
from desktop.models import Inspection, Violation
from desktop.services.changes import Changes
from desktop.services.institution_commands import ValidationFailed
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import write_session


@dataclass(frozen=True)
class ViolationSaved:
    violation_id: uuid.UUID
    warnings: tuple[Problem, ...]  # saved anyway (errors never reach here)
    changes: Changes


@dataclass(frozen=True)
class ViolationLine:
    """One violation as it stands, with the records it corrected (oldest first) as ``earlier``."""

    id: uuid.UUID
    inspection_id: uuid.UUID
    description: str
    legal_basis: str | None
    action: ViolationAction
    fine_fen: int | None
    decision_number: str | None
    decided_on: date
    corrects_id: uuid.UUID | None
    earlier: tuple[ViolationLine, ...] = ()

    @property
    def corrected(self) -> bool:
        """True when this record corrects an earlier one (its history is in ``earlier``)."""
        return self.corrects_id is not None


VIOLATION_COLUMNS = (
    Violation.id,
    Violation.inspection_id,
    Violation.description,
    Violation.legal_basis,
    Violation.action,
    Violation.fine_fen,
    Violation.decision_number,
    Violation.decided_on,
    Violation.corrects_id,
)


def standing(lines: Iterable[ViolationLine]) -> list[ViolationLine]:
    """The latest record of each chain, each carrying the records it replaced, in the given order."""
    lines = list(lines)
    by_id = {line.id: line for line in lines}
    corrected = {line.corrects_id for line in lines if line.corrects_id is not None}
    result = []
    for line in lines:
        if line.id in corrected:
            continue
        earlier: list[ViolationLine] = []
        step = by_id.get(line.corrects_id) if line.corrects_id else None
        while step is not None:
            earlier.append(step)
            step = by_id.get(step.corrects_id) if step.corrects_id else None
        result.append(_with_earlier(line, tuple(reversed(earlier))))
    return result


def _with_earlier(line: ViolationLine, earlier: tuple[ViolationLine, ...]) -> ViolationLine:
    return ViolationLine(
        line.id,
        line.inspection_id,
        line.description,
        line.legal_basis,
        line.action,
        line.fine_fen,
        line.decision_number,
        line.decided_on,
        line.corrects_id,
        earlier,
    )


def record_violation(
    ctx: AppContext,
    inspection_id: uuid.UUID,
    description: str | None,
    action: ViolationAction,
    decided_on: date,
    legal_basis: str | None = None,
    fine_fen: int | None = None,
    decision_number: str | None = None,
    corrects_id: uuid.UUID | None = None,
    *,
    today: date | None = None,
) -> ViolationSaved:
    """Record a violation found at a finished inspection, or (``corrects_id``) a correction of one.

    Errors raise ValidationFailed and nothing is stored; warnings are stored with the record and
    returned. A correction must name the latest record of its chain, of the same inspection.
    """
    today = today or date.today()
    facts = ViolationFacts(
        _text(description),
        ViolationAction(action),
        decided_on,
        _text(legal_basis),
        fine_fen,
        _text(decision_number),
    )
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        inspection = session.get(Inspection, inspection_id)
        if inspection is None:
            raise NotFoundError("找不到该检查记录，可能已被其他用户删除。请刷新后再试。")
        if not inspection.finished:
            raise TuoyuError("这次检查还是草稿。请先完成检查，再登记检查中发现的违法行为。")
        problems = check_violation(facts, inspected_on=inspection.inspected_at.astimezone().date(), today=today)
        if corrects_id is not None:
            problems += _correction_problems(session, inspection_id, corrects_id, facts)
        if has_errors(problems):
            raise ValidationFailed(problems)
        violation = Violation(
            inspection_id=inspection.id,
            institution_id=inspection.institution_id,
            description=facts.description,
            legal_basis=facts.legal_basis,
            action=facts.action,
            fine_fen=facts.fine_fen,
            decision_number=facts.decision_number,
            decided_on=facts.decided_on,
            corrects_id=corrects_id,
        )
        session.add(violation)
        session.flush()
        return ViolationSaved(
            violation.id,
            tuple(p for p in problems if p.severity is Severity.WARNING),
            Changes(institutions=frozenset({inspection.institution_id})),
        )


def _correction_problems(
    session: Session, inspection_id: uuid.UUID, corrects_id: uuid.UUID, facts: ViolationFacts
) -> tuple[Problem, ...]:
    original = session.get(Violation, corrects_id)
    if original is None or original.inspection_id != inspection_id:
        raise NotFoundError("找不到要更正的违法行为记录，或它不属于这次检查。请刷新后再试。")
    if session.scalar(select(Violation.id).where(Violation.corrects_id == corrects_id).limit(1)) is not None:
        raise TuoyuError("这条违法行为记录已经被更正过。请刷新后，对最新的一条记录进行更正。")
    before = (
        original.description,
        original.legal_basis,
        original.action,
        original.fine_fen,
        original.decision_number,
        original.decided_on,
    )
    after = (
        facts.description,
        facts.legal_basis,
        facts.action,
        facts.fine_fen,
        facts.decision_number,
        facts.decided_on,
    )
    if before == after:
        return (
            Problem(
                "violation.correction_unchanged",
                "更正的内容与原记录完全相同。请改正有误的内容后再保存，或取消更正。",
                Severity.ERROR,
            ),
        )
    return ()


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None
