"""Correcting a finished inspection: a new draft copied from it, finished as usual; notices served are
never withdrawn or doubled, and the ledger counts the institution once."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from desktop.domain.checklists import Answer
from desktop.domain.enums import InspectionConclusion, InspectionKind
from desktop.errors import TuoyuError
from desktop.models import Inspection, RectificationClosure, RectificationNotice
from desktop.services.inspection_corrections import CorrectionPending, correct_inspection
from desktop.services.inspection_history import NoticeState, load_inspection_history
from desktop.services.inspection_ledger import county_ledgers
from desktop.services.inspections import load_inspection_form, save_answers, start_inspection
from desktop.services.random_draws import draw_counties
from tests.integration.inspecting import (
    AT,
    answer,
    answers_of,
    finish,
    follow_up,
    inspect,
    institution,
    notice_of,
)

FIXED_ON = date(2026, 10, 9)  # the day the correction is finished


def _notices(ctx) -> int:
    with ctx.db.session_factory() as session:
        return session.scalar(select(func.count()).select_from(RectificationNotice))


def _gz(ctx, today=FIXED_ON):
    return next(c for c in county_ledgers(ctx, today=today) if c.county_code == "620702")


def test_a_correction_starts_as_a_draft_copy_of_the_original(ctx):
    institution_id = institution(ctx)
    original_id, _ = inspect(ctx, institution_id, failing=["fire.extinguishers"])
    before = answers_of(ctx, original_id)
    corrected_at = datetime(2026, 10, 8, 1, tzinfo=UTC)
    draft_id = correct_inspection(ctx, original_id, corrected_at=corrected_at)
    with ctx.db.session_factory() as session:
        original, draft = session.get(Inspection, original_id), session.get(Inspection, draft_id)
        copied = ("institution_id", "template_id", "kind", "period", "draw_id", "follow_up_of", "inspected_at")
        assert all(getattr(draft, key) == getattr(original, key) for key in copied)
        assert (draft.inspectors, draft.representative) == ("王芳、李强", "张园长")
        assert (draft.corrects_id, draft.finished, draft.conclusion) == (
            original_id,
            False,
            InspectionConclusion.INCOMPLETE,
        )
        assert draft.created_at == corrected_at
    assert answers_of(ctx, draft_id) == before
    assert answers_of(ctx, draft_id)["fire.extinguishers"] == (Answer.NON_COMPLIANT, "现场发现问题")
    form = load_inspection_form(ctx, draft_id)  # what the inspection screen opens
    assert not form.finished and form.answers["fire.extinguishers"] is Answer.NON_COMPLIANT


def test_only_a_finished_inspection_is_corrected_and_only_once(ctx):
    institution_id = institution(ctx)
    draft_only = start_inspection(
        ctx,
        institution_id,
        kind=InspectionKind.QUARTERLY_SPOT_CHECK,
        period="2026Q3",
        inspected_at=AT,
        inspectors="王芳、李强",
    )
    with pytest.raises(TuoyuError, match="直接打开修改"):
        correct_inspection(ctx, draft_only)

    original_id, _ = inspect(ctx, institution_id)
    correction_id = correct_inspection(ctx, original_id)
    with pytest.raises(CorrectionPending) as pending:
        correct_inspection(ctx, original_id)
    assert pending.value.draft_id == correction_id

    finish(ctx, correction_id, FIXED_ON)
    with pytest.raises(TuoyuError, match="已经被更正过"):
        correct_inspection(ctx, original_id)
    second = correct_inspection(ctx, correction_id)  # the correction itself may be corrected
    with ctx.db.session_factory() as session:
        assert session.get(Inspection, second).corrects_id == correction_id
    assert answers_of(ctx, original_id) == answers_of(ctx, second)  # the original is untouched


def test_a_correction_that_finds_what_the_original_missed_issues_the_notice_from_the_day_it_is_finished(ctx):
    institution_id = institution(ctx)
    original_id, passed = inspect(ctx, institution_id)
    assert passed.notice_number is None
    correction_id = correct_inspection(ctx, original_id)
    answer(ctx, correction_id, failing=["fire.extinguishers"])
    result = finish(ctx, correction_id, FIXED_ON)
    assert result.conclusion is InspectionConclusion.RECTIFICATION_REQUIRED and result.notice_number
    notice = notice_of(ctx, correction_id)
    assert notice.issued_on == FIXED_ON
    # 10 working days from the day after it was served (Saturday 10 October is a make-up working day),
    # not from the visit (that would have been 20 October).
    assert notice.deadline == date(2026, 10, 22)
    assert _notices(ctx) == 1


def test_a_correction_issues_no_second_notice_and_the_first_stays_in_force(ctx):
    institution_id = institution(ctx)
    original_id, first = inspect(ctx, institution_id, failing=["fire.extinguishers"])
    ledger_before = _gz(ctx)

    same = correct_inspection(ctx, original_id)
    save_answers(
        ctx,
        same,
        {**{code: a for code, (a, _) in answers_of(ctx, same).items()}},
        {"fire.extinguishers": "灭火器压力不足，已过期两个月"},  # the note was incomplete
    )
    result = finish(ctx, same, FIXED_ON)
    assert result.notice_number is None and _notices(ctx) == 1
    assert [w.code for w in result.warnings] == ["correction.notice_kept"]
    assert first.notice_number in result.warnings[0].message

    wider = correct_inspection(ctx, same)
    answer(ctx, wider, failing=["fire.extinguishers", "fire.evacuation_routes"])
    result = finish(ctx, wider, FIXED_ON)
    assert result.notice_number is None and _notices(ctx) == 1
    assert [w.code for w in result.warnings] == ["correction.findings_not_on_notice"]

    cleared = correct_inspection(ctx, wider)
    answer(ctx, cleared)
    result = finish(ctx, cleared, FIXED_ON)
    assert result.conclusion is InspectionConclusion.PASSED and _notices(ctx) == 1
    assert [w.code for w in result.warnings] == ["correction.notice_stands"]

    history = load_inspection_history(ctx, institution_id, today=date(2026, 10, 21))
    (noticed,) = [line for line in history.inspections if line.notice_number]
    assert noticed.id == original_id and noticed.notice_state is NoticeState.OVERDUE  # only a 回头看 closes it
    # Three corrections of one half-year inspection: still one institution inspected, one open notice.
    assert _gz(ctx) == ledger_before
    assert (ledger_before.semiannual_done, ledger_before.open_notices) == (1, 1)


def test_a_corrected_spot_check_of_a_drawn_institution_counts_once_in_the_county_ledger(demo_ctx):
    today = date(2026, 11, 23)
    (drawn,) = draw_counties(demo_ctx, period="2026Q4", seed=11, rate=0.2, county_code="620702")
    target = uuid.UUID(drawn.lines[0].institution_id)
    before = _gz(demo_ctx, today)
    spot_id, _ = inspect(
        demo_ctx,
        target,
        kind=InspectionKind.QUARTERLY_SPOT_CHECK,
        period="2026Q4",
        at=datetime(2026, 11, 20, 2, tzinfo=UTC),
        today=date(2026, 11, 20),
    )
    spot_checked = _gz(demo_ctx, today)
    assert spot_checked.drawn_done == before.drawn_done + 1
    correction = correct_inspection(demo_ctx, spot_id)
    answer(demo_ctx, correction, failing=["fire.extinguishers"])
    finish(demo_ctx, correction, today)
    after = _gz(demo_ctx, today)
    assert (after.drawn, after.drawn_done, after.semiannual_done) == (
        spot_checked.drawn,
        spot_checked.drawn_done,
        spot_checked.semiannual_done,
    )
    assert after.open_notices == spot_checked.open_notices + 1  # the notice the correction issued


def test_a_follow_up_that_closed_its_notice_cannot_be_corrected_one_that_did_not_can(ctx):
    institution_id = institution(ctx)
    _, first = inspect(ctx, institution_id, failing=["fire.extinguishers", "fire.evacuation_routes"])
    with ctx.db.session_factory() as session:
        notice_id = session.scalar(
            select(RectificationNotice.id).where(RectificationNotice.document_number == first.notice_number)
        )
    partial_id, partial = follow_up(
        ctx,
        institution_id,
        notice_id,
        {"fire.extinguishers": Answer.COMPLIANT, "fire.evacuation_routes": Answer.NON_COMPLIANT},
        date(2026, 10, 12),
    )
    assert partial.closed_notice is None
    # The inspector mistyped: both items were in fact rectified.
    correction_id = correct_inspection(ctx, partial_id)
    assert load_inspection_form(ctx, correction_id).item_codes == ("fire.extinguishers", "fire.evacuation_routes")
    save_answers(
        ctx, correction_id, {"fire.extinguishers": Answer.COMPLIANT, "fire.evacuation_routes": Answer.COMPLIANT}
    )
    closed = finish(ctx, correction_id, date(2026, 10, 13))
    assert closed.closed_notice == first.notice_number
    with ctx.db.session_factory() as session:
        closure = session.scalar(select(RectificationClosure).where(RectificationClosure.notice_id == notice_id))
    assert (closure.follow_up_id, closure.closed_on) == (correction_id, date(2026, 10, 12))  # the visit's day
    with pytest.raises(TuoyuError, match="销号不能撤回"):
        correct_inspection(ctx, correction_id)


def test_a_second_follow_up_of_a_closed_notice_finishes_without_closing_it_again(ctx):
    institution_id = institution(ctx)
    _, first = inspect(ctx, institution_id, failing=["fire.extinguishers"])
    with ctx.db.session_factory() as session:
        notice_id = session.scalar(select(RectificationNotice.id))
    both_open = [
        start_inspection(
            ctx,
            institution_id,
            kind=InspectionKind.FOLLOW_UP,
            period="2026H2",
            inspected_at=AT,
            inspectors="王芳、李强",
            follow_up_of=notice_id,
        )
        for _ in range(2)
    ]
    for inspection_id in both_open:
        save_answers(ctx, inspection_id, {"fire.extinguishers": Answer.COMPLIANT})
    assert finish(ctx, both_open[0]).closed_notice == first.notice_number
    assert finish(ctx, both_open[1]).closed_notice is None
    with ctx.db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(RectificationClosure)) == 1
