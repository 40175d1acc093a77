"""Steps shared by the tests of an institution's inspections: a registered institution, an inspection
done with some items failing, a finished correction."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime

from sqlalchemy import select

from desktop.domain.checklists import Answer
from desktop.domain.enums import InspectionKind, OperatingStatus, SponsorType
from desktop.domain.lifecycle_rules import LifecycleState
from desktop.models import Inspection, InspectionAnswer, RectificationNotice
from desktop.services.inspections import FinishResult, finish_inspection, save_answers, start_inspection, template_for
from desktop.services.institution_commands import InstitutionDraft, create_institution

TODAY = date(2026, 9, 30)
AT = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)  # 10:00 in China
OPERATING = LifecycleState(operating_status=OperatingStatus.OPERATING, opened_on=date(2025, 3, 1))


def institution(ctx, name: str = "甘州区阳光托育中心") -> uuid.UUID:
    draft = InstitutionDraft(name=name, sponsor_type=SponsorType.SOCIAL, county_code="620702", slots=40)
    return create_institution(ctx, draft, OPERATING, today=TODAY).institution_id


def version(ctx, inspection_id: uuid.UUID) -> int:
    with ctx.db.session_factory() as session:
        return session.get(Inspection, inspection_id).version


def answer(ctx, inspection_id: uuid.UUID, failing: Iterable[str] = ()) -> None:
    """Every item answered 符合 except ``failing`` (不符合, with a note)."""
    failing = list(failing)
    answers = {item.code: Answer.COMPLIANT for item in template_for(ctx, inspection_id).items}
    answers |= {code: Answer.NON_COMPLIANT for code in failing}
    save_answers(ctx, inspection_id, answers, {code: "现场发现问题" for code in failing})


def finish(ctx, inspection_id: uuid.UUID, today: date = TODAY) -> FinishResult:
    return finish_inspection(ctx, inspection_id, expected_version=version(ctx, inspection_id), today=today)


def inspect(
    ctx,
    institution_id: uuid.UUID,
    failing: Iterable[str] = (),
    *,
    kind: InspectionKind = InspectionKind.SEMIANNUAL_INSPECTION,
    period: str = "2026H2",
    at: datetime = AT,
    today: date = TODAY,
) -> tuple[uuid.UUID, FinishResult]:
    inspection_id = start_inspection(
        ctx,
        institution_id,
        kind=kind,
        period=period,
        inspected_at=at,
        inspectors="王芳、李强",
        representative="张园长",
    )
    answer(ctx, inspection_id, failing)
    return inspection_id, finish(ctx, inspection_id, today)


def follow_up(ctx, institution_id: uuid.UUID, notice_id: uuid.UUID, answers: dict[str, Answer], today: date = TODAY):
    inspection_id = start_inspection(
        ctx,
        institution_id,
        kind=InspectionKind.FOLLOW_UP,
        period="2026H2",
        inspected_at=datetime.combine(today, AT.timetz()),
        inspectors="王芳、李强",
        follow_up_of=notice_id,
    )
    save_answers(ctx, inspection_id, answers)
    return inspection_id, finish(ctx, inspection_id, today)


def notice_of(ctx, inspection_id: uuid.UUID) -> RectificationNotice | None:
    with ctx.db.session_factory() as session:
        return session.scalar(select(RectificationNotice).where(RectificationNotice.inspection_id == inspection_id))


def answers_of(ctx, inspection_id: uuid.UUID) -> dict[str, tuple[Answer, str | None]]:
    with ctx.db.session_factory() as session:
        return {
            a.item_code: (a.answer, a.note)
            for a in session.scalars(select(InspectionAnswer).where(InspectionAnswer.inspection_id == inspection_id))
        }
