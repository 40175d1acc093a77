"""One institution's inspections, newest first, with their notices, corrections and violations.

What a clerk needs to see and reopen a past inspection: when and what kind, who inspected, the
conclusion and score, the rectification notice it issued and where that stands (整改中, 已逾期 once
the deadline has passed without a closure, 已整改 with the day it was closed), whether the record was
corrected by a later one or corrects an earlier one, and the violations found at it.

Two queries whatever the number of inspections: the inspections joined to their notice and its
closure (an inspection issues at most one notice), and the institution's violations.
Overdue is derived from ``today``, never stored, with the same rule as the ledger.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import select

from desktop.domain.enums import InspectionConclusion, InspectionKind
from desktop.domain.registry_rules import format_date_cn
from desktop.models import Inspection, RectificationClosure, RectificationNotice, Violation
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_connection
from desktop.services.violations import VIOLATION_COLUMNS, ViolationLine, standing


class NoticeState(StrEnum):
    OPEN = "open"
    OVERDUE = "overdue"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"open": "整改中", "overdue": "已逾期", "closed": "已整改"}[self.value]


@dataclass(frozen=True)
class InspectionLine:
    id: uuid.UUID
    inspected_at: datetime
    kind: InspectionKind
    period: str
    inspectors: str
    representative: str | None
    finished: bool
    conclusion: InspectionConclusion
    score: int | None
    # The notice this inspection issued (None when it issued none).
    notice_id: uuid.UUID | None
    notice_number: str | None
    deadline: date | None
    notice_state: NoticeState | None
    closed_on: date | None
    # For a 回头看: the notice it re-checks, and whether this 回头看 closed it.
    follow_up_notice_number: str | None
    closed_its_notice: bool
    # Corrections: the record this one corrects, the finished record that corrects this one, and a
    # correction still open as a draft.
    corrects_id: uuid.UUID | None
    corrected_by_id: uuid.UUID | None
    correction_draft_id: uuid.UUID | None
    violation_count: int

    @property
    def inspected_on(self) -> date:
        return self.inspected_at.astimezone().date()

    @property
    def overdue(self) -> bool:
        return self.notice_state is NoticeState.OVERDUE

    @property
    def notice_state_text(self) -> str:
        """整改中 / 已逾期 / 已整改（2026年10月9日销号）, or "" without a notice."""
        if self.notice_state is None:
            return ""
        if self.notice_state is NoticeState.CLOSED and self.closed_on is not None:
            return f"已整改（{format_date_cn(self.closed_on)}销号）"
        return self.notice_state.label

    @property
    def correction_text(self) -> str:
        """已被更正 / 更正记录 / 更正中 (a draft correction is open), or ""."""
        marks = []
        if self.corrects_id is not None:
            marks.append("更正记录")
        if self.corrected_by_id is not None:
            marks.append("已被更正")
        elif self.correction_draft_id is not None:
            marks.append("更正中（草稿）")
        return "，".join(marks)


@dataclass(frozen=True)
class InspectionHistory:
    institution_id: uuid.UUID
    inspections: tuple[InspectionLine, ...]  # newest first; a correction above the record it corrects
    violations: tuple[ViolationLine, ...]  # as they stand (latest of each chain), newest first

    @property
    def overdue(self) -> tuple[InspectionLine, ...]:
        """Inspections whose notice is past its deadline without a closure, earliest deadline first."""
        return tuple(sorted((i for i in self.inspections if i.overdue), key=lambda i: i.deadline))

    @property
    def open_notices(self) -> tuple[InspectionLine, ...]:
        return tuple(i for i in self.inspections if i.notice_state in (NoticeState.OPEN, NoticeState.OVERDUE))

    def line(self, inspection_id: uuid.UUID) -> InspectionLine | None:
        return next((i for i in self.inspections if i.id == inspection_id), None)

    def violations_of(self, inspection_id: uuid.UUID) -> tuple[ViolationLine, ...]:
        return tuple(v for v in self.violations if v.inspection_id == inspection_id)


_INSPECTIONS = (
    select(
        Inspection.id,
        Inspection.inspected_at,
        Inspection.kind,
        Inspection.period,
        Inspection.inspectors,
        Inspection.representative,
        Inspection.finished,
        Inspection.conclusion,
        Inspection.score,
        Inspection.follow_up_of,
        Inspection.corrects_id,
        RectificationNotice.id.label("notice_id"),
        RectificationNotice.document_number,
        RectificationNotice.deadline,
        RectificationClosure.closed_on,
        RectificationClosure.follow_up_id.label("closed_by"),
    )
    .outerjoin(RectificationNotice, RectificationNotice.inspection_id == Inspection.id)
    .outerjoin(RectificationClosure, RectificationClosure.notice_id == RectificationNotice.id)
    .order_by(Inspection.inspected_at.desc(), Inspection.created_at.desc())
)


def load_inspection_history(ctx: AppContext, institution_id: uuid.UUID, *, today: date) -> InspectionHistory:
    with read_connection(ctx.db) as connection:
        rows = connection.execute(_INSPECTIONS.where(Inspection.institution_id == institution_id)).all()
        violation_rows = connection.execute(
            select(*VIOLATION_COLUMNS)
            .where(Violation.institution_id == institution_id)
            .order_by(Violation.decided_on.desc(), Violation.created_at.desc())
        ).all()
    violations = standing(ViolationLine(*row) for row in violation_rows)
    counts = Counter(v.inspection_id for v in violations)
    notices = {row.notice_id: row for row in rows if row.notice_id is not None}
    corrected_by: dict[uuid.UUID, uuid.UUID] = {}
    drafts: dict[uuid.UUID, uuid.UUID] = {}
    for row in rows:
        if row.corrects_id is not None:
            (corrected_by if row.finished else drafts)[row.corrects_id] = row.id
    lines = []
    for row in rows:
        rechecked = notices.get(row.follow_up_of) if row.follow_up_of is not None else None
        lines.append(
            InspectionLine(
                row.id,
                row.inspected_at,
                row.kind,
                row.period,
                row.inspectors,
                row.representative,
                row.finished,
                row.conclusion,
                row.score,
                row.notice_id,
                row.document_number,
                row.deadline,
                _state(row.deadline, row.closed_on, today) if row.notice_id is not None else None,
                row.closed_on,
                rechecked.document_number if rechecked else None,
                rechecked is not None and rechecked.closed_by == row.id,
                row.corrects_id,
                corrected_by.get(row.id),
                drafts.get(row.id),
                counts.get(row.id, 0),
            )
        )
    return InspectionHistory(institution_id, tuple(lines), tuple(violations))


def _state(deadline: date, closed_on: date | None, today: date) -> NoticeState:
    if closed_on is not None:
        return NoticeState.CLOSED
    return NoticeState.OVERDUE if deadline < today else NoticeState.OPEN
