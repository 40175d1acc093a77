"""Violations found at an inspection, with the action taken: checked before they are stored, never
changed afterwards (the database refuses), corrected by new records that name the old ones."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from desktop.domain.enums import InspectionKind, ViolationAction
from desktop.errors import TuoyuError
from desktop.models import AuditEntry, Inspection, Violation
from desktop.services.inspection_history import load_inspection_history
from desktop.services.inspections import start_inspection
from desktop.services.institution_commands import ValidationFailed
from desktop.services.violations import record_violation
from tests.integration.inspecting import AT, TODAY, inspect, institution

LATER = date(2026, 10, 12)


@pytest.fixture
def inspected(ctx):
    institution_id = institution(ctx)
    inspection_id, _ = inspect(ctx, institution_id, failing=["fire.extinguishers"])
    return ctx, institution_id, inspection_id


def _count(ctx) -> int:
    with ctx.db.session_factory() as session:
        return session.scalar(select(func.count()).select_from(Violation))


def test_a_fine_is_recorded_against_the_inspection_and_its_institution(inspected):
    ctx, institution_id, inspection_id = inspected
    saved = record_violation(
        ctx,
        inspection_id,
        "  灭火器过期未更换  ",
        ViolationAction.FINE,
        date(2026, 10, 9),
        legal_basis="《消防法》第六十条",
        fine_fen=500_000,
        decision_number="甘州卫罚〔2026〕3号",
        today=LATER,
    )
    assert saved.warnings == () and saved.changes.institutions == {institution_id}
    with ctx.db.session_factory() as session:
        row = session.get(Violation, saved.violation_id)
        audited = session.scalar(select(AuditEntry.subject_id).where(AuditEntry.entity_id == row.id))
    assert (row.institution_id, row.description, row.fine_fen) == (institution_id, "灭火器过期未更换", 500_000)
    assert audited == institution_id  # the institution's 修改历史 shows it
    history = load_inspection_history(ctx, institution_id, today=LATER)
    (line,) = history.violations
    assert (line.action, line.decided_on, line.corrected) == (ViolationAction.FINE, date(2026, 10, 9), False)
    assert history.line(inspection_id).violation_count == 1


def test_invalid_input_is_refused_with_every_problem_and_nothing_is_stored(inspected):
    ctx, _, inspection_id = inspected
    with pytest.raises(ValidationFailed) as caught:
        record_violation(ctx, inspection_id, " ", ViolationAction.WARNING, date(2026, 9, 1), fine_fen=100, today=LATER)
    found = {(p.code, p.field) for p in caught.value.problems}
    assert {
        ("violation.description_empty", "description"),
        ("violation.fine_not_allowed", "fine_fen"),
        ("violation.decided_before_inspection", "decided_on"),
    } <= found
    assert "未保存" in caught.value.message
    assert _count(ctx) == 0


def test_a_penalty_without_its_papers_is_saved_with_warnings(inspected):
    ctx, _, inspection_id = inspected
    saved = record_violation(ctx, inspection_id, "未公示收费标准", ViolationAction.WARNING, TODAY, today=TODAY)
    assert {p.code for p in saved.warnings} == {
        "violation.penalty_without_basis",
        "violation.penalty_without_decision",
    }


def test_a_draft_inspection_takes_no_violations(ctx):
    draft_id = start_inspection(
        ctx,
        institution(ctx),
        kind=InspectionKind.QUARTERLY_SPOT_CHECK,
        period="2026Q3",
        inspected_at=AT,
        inspectors="王芳、李强",
    )
    with pytest.raises(TuoyuError, match="草稿"):
        record_violation(ctx, draft_id, "未公示收费标准", ViolationAction.INTERVIEW, TODAY, today=TODAY)


def test_a_correction_is_a_new_record_and_the_list_shows_the_latest_with_its_history(inspected):
    ctx, institution_id, inspection_id = inspected
    first = record_violation(
        ctx,
        inspection_id,
        "灭火器过期",
        ViolationAction.FINE,
        date(2026, 10, 9),
        "《消防法》",
        50_000,
        "罚〔2026〕3号",
        today=LATER,
    ).violation_id
    second = record_violation(
        ctx,
        inspection_id,
        "灭火器过期",
        ViolationAction.FINE,
        date(2026, 10, 9),
        "《消防法》",
        500_000,
        "罚〔2026〕3号",
        corrects_id=first,
        today=LATER,
    ).violation_id
    with pytest.raises(TuoyuError, match="已经被更正过"):
        record_violation(
            ctx,
            inspection_id,
            "灭火器过期",
            ViolationAction.WARNING,
            LATER,
            "《消防法》",
            None,
            "罚〔2026〕3号",
            corrects_id=first,
            today=LATER,
        )
    with pytest.raises(ValidationFailed) as unchanged:
        record_violation(
            ctx,
            inspection_id,
            "灭火器过期",
            ViolationAction.FINE,
            date(2026, 10, 9),
            "《消防法》",
            500_000,
            "罚〔2026〕3号",
            corrects_id=second,
            today=LATER,
        )
    assert [p.code for p in unchanged.value.problems] == ["violation.correction_unchanged"]
    third = record_violation(
        ctx,
        inspection_id,
        "灭火器过期未更换",
        ViolationAction.FINE,
        date(2026, 10, 9),
        "《消防法》",
        500_000,
        "罚〔2026〕3号",
        corrects_id=second,
        today=LATER,
    ).violation_id

    history = load_inspection_history(ctx, institution_id, today=LATER)
    (line,) = history.violations
    assert line.id == third and line.corrected
    assert [earlier.id for earlier in line.earlier] == [first, second]
    assert [earlier.fine_fen for earlier in line.earlier] == [50_000, 500_000]
    assert history.line(inspection_id).violation_count == 1
    assert _count(ctx) == 3  # nothing was overwritten


def test_a_correction_names_a_violation_of_the_same_inspection(inspected):
    ctx, institution_id, inspection_id = inspected
    other_id, _ = inspect(ctx, institution_id)
    first = record_violation(ctx, inspection_id, "灭火器过期", ViolationAction.INTERVIEW, TODAY, today=TODAY)
    with pytest.raises(TuoyuError, match="不属于这次检查"):
        record_violation(
            ctx, other_id, "灭火器过期", ViolationAction.WARNING, TODAY, corrects_id=first.violation_id, today=TODAY
        )


def test_the_database_refuses_to_change_or_delete_a_violation(inspected):
    ctx, _, inspection_id = inspected
    record_violation(ctx, inspection_id, "灭火器过期", ViolationAction.INTERVIEW, TODAY, today=TODAY)
    for statement in ("UPDATE violations SET fine_fen = 1", "DELETE FROM violations"):
        with pytest.raises(DBAPIError, match="append-only"), ctx.db.engine.begin() as connection:
            connection.execute(text(statement))
    assert _count(ctx) == 1
    with ctx.db.session_factory() as session:
        assert session.scalar(select(Violation.fine_fen)) is None
        assert session.get(Inspection, inspection_id).finished
