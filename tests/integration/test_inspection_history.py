"""An institution's inspections as its record lists them: newest first, each with its notice and where
that stands, its corrections and its violations — in a fixed number of queries."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import event, select

from desktop.domain.checklists import Answer
from desktop.domain.enums import InspectionConclusion, InspectionKind, ViolationAction
from desktop.models import RectificationNotice
from desktop.services.inspection_corrections import correct_inspection
from desktop.services.inspection_history import NoticeState, load_inspection_history
from desktop.services.inspection_ledger import due_this_week
from desktop.services.violations import record_violation
from tests.integration.inspecting import answer, finish, follow_up, inspect, institution

DEADLINE = date(2026, 10, 20)  # of a notice served on 30 September


def test_inspections_newest_first_with_their_notice_and_its_state(ctx):
    institution_id = institution(ctx)
    spring_id, _ = inspect(
        ctx,
        institution_id,
        kind=InspectionKind.QUARTERLY_SPOT_CHECK,
        period="2026Q2",
        at=datetime(2026, 5, 12, 2, tzinfo=UTC),
        today=date(2026, 5, 12),
    )
    autumn_id, result = inspect(ctx, institution_id, failing=["fire.extinguishers"])

    history = load_inspection_history(ctx, institution_id, today=DEADLINE)
    assert [line.id for line in history.inspections] == [autumn_id, spring_id]
    autumn, spring = history.inspections
    assert (autumn.kind, autumn.period, autumn.inspectors, autumn.inspected_on) == (
        InspectionKind.SEMIANNUAL_INSPECTION,
        "2026H2",
        "王芳、李强",
        date(2026, 9, 30),
    )
    assert (autumn.conclusion, autumn.score) == (result.conclusion, result.score)
    assert autumn.conclusion is InspectionConclusion.RECTIFICATION_REQUIRED
    assert (autumn.notice_number, autumn.deadline) == (result.notice_number, DEADLINE)
    assert (autumn.notice_state, autumn.notice_state_text) == (NoticeState.OPEN, "整改中")  # due today: not late
    assert spring.conclusion is InspectionConclusion.PASSED and spring.notice_state is None
    assert history.overdue == ()

    late = load_inspection_history(ctx, institution_id, today=date(2026, 10, 21))
    assert late.inspections[0].notice_state_text == "已逾期" and late.overdue == (late.inspections[0],)

    with ctx.db.session_factory() as session:
        notice_id = session.scalar(select(RectificationNotice.id))
    follow_up_id, _ = follow_up(
        ctx, institution_id, notice_id, {"fire.extinguishers": Answer.COMPLIANT}, date(2026, 10, 22)
    )
    closed = load_inspection_history(ctx, institution_id, today=date(2026, 11, 23))
    recheck = closed.line(follow_up_id)
    assert closed.inspections[0] is recheck
    assert (recheck.follow_up_notice_number, recheck.closed_its_notice) == (result.notice_number, True)
    noticed = closed.line(autumn_id)
    assert (noticed.notice_state, noticed.closed_on) == (NoticeState.CLOSED, date(2026, 10, 22))
    assert noticed.notice_state_text == "已整改（2026年10月22日销号）"
    assert closed.overdue == () and closed.open_notices == ()


def test_corrections_are_marked_on_both_records_and_listed_above_the_original(ctx):
    institution_id = institution(ctx)
    original_id, _ = inspect(ctx, institution_id)
    draft_id = correct_inspection(ctx, original_id)
    pending = load_inspection_history(ctx, institution_id, today=date(2026, 10, 9))
    assert [line.id for line in pending.inspections] == [draft_id, original_id]
    draft, original = pending.inspections
    assert (draft.finished, draft.conclusion, draft.correction_text) == (
        False,
        InspectionConclusion.INCOMPLETE,
        "更正记录",
    )
    assert (original.correction_draft_id, original.correction_text) == (draft_id, "更正中（草稿）")

    answer(ctx, draft_id, failing=["fire.extinguishers"])
    finish(ctx, draft_id, date(2026, 10, 9))
    done = load_inspection_history(ctx, institution_id, today=date(2026, 10, 9))
    correction, original = done.inspections
    assert (correction.corrects_id, correction.notice_state) == (original_id, NoticeState.OPEN)
    assert (original.corrected_by_id, original.correction_text) == (draft_id, "已被更正")


def test_violations_are_counted_per_inspection_as_they_stand(ctx):
    institution_id = institution(ctx)
    first_id, _ = inspect(ctx, institution_id, failing=["fire.extinguishers"])
    second_id, _ = inspect(ctx, institution_id, at=datetime(2026, 10, 9, 2, tzinfo=UTC), today=date(2026, 10, 9))
    today = date(2026, 10, 12)
    wrong = record_violation(ctx, first_id, "灭火器过期", ViolationAction.INTERVIEW, today, today=today)
    record_violation(
        ctx,
        first_id,
        "灭火器过期",
        ViolationAction.ORDER_CORRECTION,
        today,
        corrects_id=wrong.violation_id,
        today=today,
    )
    record_violation(ctx, first_id, "未公示收费", ViolationAction.ORDER_CORRECTION, today, today=today)
    history = load_inspection_history(ctx, institution_id, today=today)
    assert (history.line(first_id).violation_count, history.line(second_id).violation_count) == (2, 0)
    assert {v.description for v in history.violations_of(first_id)} == {"灭火器过期", "未公示收费"}
    assert history.violations_of(second_id) == ()


def test_the_history_takes_the_same_few_queries_however_many_inspections(ctx):
    institution_id = institution(ctx)

    def queries() -> int:
        statements: list[str] = []

        def count(_conn, _cursor, statement, *_args) -> None:
            statements.append(statement)

        event.listen(ctx.db.engine, "before_cursor_execute", count)
        try:
            load_inspection_history(ctx, institution_id, today=date(2026, 11, 23))
        finally:
            event.remove(ctx.db.engine, "before_cursor_execute", count)
        return len(statements)

    inspection_id, _ = inspect(ctx, institution_id, failing=["fire.extinguishers"])
    record_violation(
        ctx, inspection_id, "灭火器过期", ViolationAction.INTERVIEW, date(2026, 9, 30), today=date(2026, 9, 30)
    )
    one = queries()
    for day in (1, 2, 3, 4):
        inspection_id, _ = inspect(
            ctx,
            institution_id,
            ["fire.extinguishers"],
            at=datetime(2026, 10, 12 + day, 2, tzinfo=UTC),
            today=date(2026, 10, 12 + day),
        )
        record_violation(
            ctx, inspection_id, "灭火器过期", ViolationAction.INTERVIEW, date(2026, 11, 1), today=date(2026, 11, 1)
        )
        correct_inspection(ctx, inspection_id)
    assert len(load_inspection_history(ctx, institution_id, today=date(2026, 11, 23)).inspections) == 9
    assert queries() == one <= 3


def test_every_institution_the_ledger_finds_overdue_shows_it_in_its_record(demo_ctx):
    today = date(2026, 11, 23)
    overdue = [
        item for item in due_this_week(demo_ctx, today=today, county_code="620702") if item.kind == "overdue_notice"
    ]
    assert overdue
    for item in overdue[:10]:
        history = load_inspection_history(demo_ctx, uuid.UUID(item.institution_id), today=today)
        assert item.document_number in {line.notice_number for line in history.overdue}
