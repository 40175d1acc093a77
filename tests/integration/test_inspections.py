"""Doing an inspection: draft, finish once, a numbered notice for failures, the 回头看 that closes it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from desktop.domain.checklists import Answer
from desktop.domain.enums import InspectionConclusion, InspectionKind
from desktop.errors import TuoyuError
from desktop.models import Inspection, Institution, RectificationClosure, RectificationNotice
from desktop.services.inspections import (
    finish_inspection,
    save_answers,
    start_inspection,
    template_for,
)
from desktop.services.institution_commands import ValidationFailed

TODAY = date(2026, 9, 30)
AT = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)  # 10:00 in China


def _institution(ctx, county="620702"):
    with ctx.db.session_factory() as session:
        return session.scalar(select(Institution.id).where(Institution.county_code == county).limit(1))


def _version(ctx, inspection_id):
    with ctx.db.session_factory() as session:
        return session.get(Inspection, inspection_id).version


def _inspect(ctx, institution_id, failing=(), kind=InspectionKind.SEMIANNUAL_INSPECTION):
    inspection_id = start_inspection(
        ctx,
        institution_id,
        kind=kind,
        period="2026H2",
        inspected_at=AT,
        inspectors="王芳、李强",
        representative="张园长",
    )
    template = template_for(ctx, inspection_id)
    answers = {item.code: Answer.COMPLIANT for item in template.items}
    answers |= {code: Answer.NON_COMPLIANT for code in failing}
    save_answers(ctx, inspection_id, answers, {code: "现场发现问题" for code in failing})
    return inspection_id, finish_inspection(
        ctx, inspection_id, expected_version=_version(ctx, inspection_id), today=TODAY
    )


def test_a_clean_inspection_passes_without_a_notice(demo_ctx):
    _, result = _inspect(demo_ctx, _institution(demo_ctx))
    assert result.conclusion is InspectionConclusion.PASSED and result.notice_number is None


def test_failures_get_a_notice_numbered_per_county_and_year(demo_ctx):
    _, first = _inspect(demo_ctx, _institution(demo_ctx), failing=["fire.extinguishers"])
    _, second = _inspect(
        demo_ctx, _institution(demo_ctx), failing=["food.menu_weekly"] if False else ["fire.extinguishers"]
    )
    _, other_county = _inspect(demo_ctx, _institution(demo_ctx, "620722"), failing=["fire.extinguishers"])
    serial = int(re.fullmatch(r"甘州卫监改〔2026〕(\d+)号", first.notice_number)[1])
    assert second.notice_number == f"甘州卫监改〔2026〕{serial + 1}号"  # after the demo's own notices
    assert re.fullmatch(r"民乐卫监改〔2026〕\d+号", other_county.notice_number)
    assert first.deadline == date(2026, 10, 20)  # 10 working days across National Day and its make-up day


def test_an_inspection_with_unanswered_mandatory_items_stays_a_draft(demo_ctx):
    inspection_id = start_inspection(
        demo_ctx,
        _institution(demo_ctx),
        kind=InspectionKind.QUARTERLY_SPOT_CHECK,
        period="2026Q3",
        inspected_at=AT,
        inspectors="王芳、李强",
    )
    save_answers(demo_ctx, inspection_id, {"fire.extinguishers": Answer.COMPLIANT})
    with pytest.raises(ValidationFailed) as caught:
        finish_inspection(demo_ctx, inspection_id, expected_version=_version(demo_ctx, inspection_id), today=TODAY)
    assert any(p.code == "inspection.mandatory_unanswered" for p in caught.value.problems)
    with demo_ctx.db.session_factory() as session:
        assert session.get(Inspection, inspection_id).finished is False


def test_a_finished_inspection_cannot_be_changed_by_the_service_or_the_database(demo_ctx):
    inspection_id, _ = _inspect(demo_ctx, _institution(demo_ctx), failing=["fire.extinguishers"])
    with pytest.raises(TuoyuError, match="不能再修改"):
        save_answers(demo_ctx, inspection_id, {"fire.extinguishers": Answer.COMPLIANT})
    for statement in (
        "UPDATE inspections SET score = 1",
        "DELETE FROM inspection_answers",
        "UPDATE rectification_notices SET deadline = '2030-01-01'",
    ):
        with pytest.raises(DBAPIError), demo_ctx.db.engine.begin() as connection:
            connection.execute(text(statement))


def _follow_up(ctx, institution_id, notice_id, answers):
    inspection_id = start_inspection(
        ctx,
        institution_id,
        kind=InspectionKind.FOLLOW_UP,
        period="2026H2",
        inspected_at=AT,
        inspectors="王芳、李强",
        follow_up_of=notice_id,
    )
    save_answers(ctx, inspection_id, answers)
    return finish_inspection(ctx, inspection_id, expected_version=_version(ctx, inspection_id), today=TODAY)


def test_a_follow_up_where_everything_passes_closes_the_notice(demo_ctx):
    institution_id = _institution(demo_ctx)
    _, result = _inspect(demo_ctx, institution_id, failing=["fire.extinguishers", "fire.evacuation_routes"])
    with demo_ctx.db.session_factory() as session:
        notice_id = session.scalar(
            select(RectificationNotice.id).where(RectificationNotice.document_number == result.notice_number)
        )
    partial = _follow_up(
        demo_ctx,
        institution_id,
        notice_id,
        {"fire.extinguishers": Answer.COMPLIANT, "fire.evacuation_routes": Answer.NON_COMPLIANT},
    )
    assert partial.closed_notice is None
    closed = _follow_up(
        demo_ctx,
        institution_id,
        notice_id,
        {"fire.extinguishers": Answer.COMPLIANT, "fire.evacuation_routes": Answer.COMPLIANT},
    )
    assert closed.closed_notice == result.notice_number
    with demo_ctx.db.session_factory() as session:
        closed_on = session.scalar(
            select(RectificationClosure.closed_on).where(RectificationClosure.notice_id == notice_id)
        )
    assert closed_on == AT.astimezone().date()
