"""Steps shared by the subsidy tests: filed institutions, children on their rosters, users acting."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, date, datetime

from sqlalchemy import select

from desktop.domain.checklists import Answer
from desktop.domain.enums import FilingStatus, InspectionKind, ItemSeverity, OperatingStatus, SponsorType
from desktop.domain.identifiers import make_id_number
from desktop.domain.lifecycle_rules import LifecycleState
from desktop.models import Child, EnrollmentClaim, Inspection, SubsidyApplication
from desktop.services.inspections import finish_inspection, save_answers, start_inspection, template_for
from desktop.services.institution_commands import InstitutionDraft, create_institution
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import Actor, write_session

TODAY = date(2026, 11, 23)
GANZHOU, SHANDAN = "620702", "620725"


def filed(opened_on: date = date(2024, 3, 1), *, puhui: bool = True) -> LifecycleState:
    return LifecycleState(
        filing_status=FilingStatus.FILED,
        filing_number="甘张甘卫托备〔2024〕1号",
        filed_on=date(2024, 2, 1),
        puhui=puhui,
        puhui_recognized_on=date(2024, 2, 1) if puhui else None,
        operating_status=OperatingStatus.OPERATING,
        opened_on=opened_on,
    )


def institution(
    ctx: AppContext,
    name: str = "甘州区阳光托育中心",
    *,
    county: str = GANZHOU,
    slots: int = 60,
    sponsor: SponsorType = SponsorType.SOCIAL,
    lifecycle: LifecycleState | None = None,
) -> uuid.UUID:
    draft = InstitutionDraft(name=name, sponsor_type=sponsor, county_code=county, slots=slots)
    return create_institution(ctx, draft, lifecycle or filed(), today=date(2024, 3, 1)).institution_id


def as_user(ctx: AppContext, username: str) -> AppContext:
    return dataclasses.replace(ctx, actor=Actor(username))


_sequence = iter(range(1, 10**6))


def child(
    ctx: AppContext,
    institution_id: uuid.UUID,
    *,
    name: str = "王小明",
    born: date = date(2024, 6, 15),
    enrolled_on: date = date(2025, 9, 1),
    left_on: date | None = None,
    id_number: str | None = None,
    county: str = GANZHOU,
) -> str:
    """A child on a roster; returns its ID number (a fresh valid one unless given)."""
    id_number = id_number or make_id_number(county, born, next(_sequence) % 1000)
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        session.add(
            Child(
                institution_id=institution_id,
                name=name,
                id_number=id_number,
                birth_date=born,
                enrolled_on=enrolled_on,
                left_on=left_on,
            )
        )
    return id_number


def overdue_notice(ctx: AppContext, institution_id: uuid.UUID, severity: ItemSeverity) -> None:
    """An inspection on 2026-09-30 failing one item of ``severity``: its notice is overdue by TODAY."""
    inspection_id = start_inspection(
        ctx,
        institution_id,
        kind=InspectionKind.SEMIANNUAL_INSPECTION,
        period="2026H2",
        inspected_at=datetime(2026, 9, 30, 2, 0, tzinfo=UTC),
        inspectors="王芳、李强",
        representative="张园长",
    )
    items = template_for(ctx, inspection_id).items
    failing = next(item.code for item in items if item.severity is severity and not item.veto)
    answers = {item.code: Answer.COMPLIANT for item in items} | {failing: Answer.NON_COMPLIANT}
    save_answers(ctx, inspection_id, answers, {failing: "现场发现问题"})
    with ctx.db.session_factory() as session:
        version = session.get(Inspection, inspection_id).version
    result = finish_inspection(ctx, inspection_id, expected_version=version, today=date(2026, 9, 30))
    assert result.deadline < TODAY


def application(ctx: AppContext, application_id: uuid.UUID) -> SubsidyApplication:
    with ctx.db.session_factory() as session:
        found = session.get(SubsidyApplication, application_id)
        session.expunge(found)
        return found


def live_claims(ctx: AppContext, month: str = "2026-11") -> list[tuple[str, uuid.UUID, int]]:
    with ctx.db.session_factory() as session:
        return [
            tuple(row)
            for row in session.execute(
                select(EnrollmentClaim.id_number, EnrollmentClaim.application_id, EnrollmentClaim.amount_fen).where(
                    EnrollmentClaim.month == month, EnrollmentClaim.live.is_(True)
                )
            )
        ]
