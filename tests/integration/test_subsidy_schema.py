"""What the database itself guarantees for subsidies, whatever the code above it does."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError

from desktop.domain.enums import ApplicationStatus, SponsorType, SubsidyScheme
from desktop.domain.lifecycle_rules import LifecycleState
from desktop.models import SubsidyApplication
from desktop.services.institution_commands import InstitutionDraft, create_institution
from desktop.services.unit_of_work import write_session
from tests.conftest import TODAY


def _institution(ctx):
    draft = InstitutionDraft(name="甘州区阳光托育中心", sponsor_type=SponsorType.SOCIAL, county_code="620702", slots=60)
    return create_institution(ctx, draft, LifecycleState(), today=TODAY).institution_id


def _application(ctx, institution_id, status=ApplicationStatus.APPROVED):
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        application = SubsidyApplication(
            scheme=SubsidyScheme.CONSTRUCTION,
            institution_id=institution_id,
            county_code="620702",
            period="",
            status=status,
            facts_json="{}",
            amount_fen=3_000_000,
            city_share_fen=600_000,
            county_share_fen=2_400_000,
            eligible=True,
        )
        session.add(application)
        session.flush()
        return application.id


def test_an_approved_amount_cannot_change_but_the_status_can_move_on(ctx):
    application_id = _application(ctx, _institution(ctx))
    table = SubsidyApplication.__table__
    with pytest.raises(DBAPIError, match="frozen"), ctx.db.engine.begin() as connection:
        connection.execute(update(table).where(table.c.id == application_id).values(amount_fen=5_000_000))
    with ctx.db.engine.begin() as connection:
        connection.execute(update(table).where(table.c.id == application_id).values(status=ApplicationStatus.PAID))
    with ctx.db.session_factory() as session:
        stored = session.scalar(select(SubsidyApplication).where(SubsidyApplication.id == application_id))
        assert (stored.status, stored.amount_fen) == (ApplicationStatus.PAID, 3_000_000)


def test_construction_is_granted_once_ever_unless_rejected(ctx):
    institution_id = _institution(ctx)
    first = _application(ctx, institution_id, ApplicationStatus.DRAFT)
    with pytest.raises(DBAPIError):
        _application(ctx, institution_id, ApplicationStatus.DRAFT)
    table = SubsidyApplication.__table__
    with ctx.db.engine.begin() as connection:
        connection.execute(update(table).where(table.c.id == first).values(status=ApplicationStatus.REJECTED))
    _application(ctx, institution_id, ApplicationStatus.DRAFT)  # a rejected one no longer counts
