"""The 复查意见书 gathered from the register: found by notice number, notice id or 回头看 id; each item's result as the
rule that closed (or kept open) the notice saw it; corrections read through; refusals that say what to do."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from desktop.domain.checklists import Answer
from desktop.domain.enums import InspectionKind, ViolationAction
from desktop.errors import NotFoundError, TuoyuError
from desktop.models import Inspection, RectificationClosure, RectificationNotice
from desktop.reports.follow_up_opinion import RecheckResult, render_follow_up_opinion
from desktop.services.follow_up_opinion import follow_up_opinion_document
from desktop.services.inspection_corrections import correct_inspection
from desktop.services.inspections import save_answers, start_inspection
from desktop.services.violations import record_violation
from tests.integration.inspecting import finish, follow_up, inspect, institution, notice_of
from tests.pdf_reading import all_fonts_embedded_subsets, pdf_text, squeezed

FAILING = ["fire.extinguishers", "fire.evacuation_routes"]


@pytest.fixture
def noticed(ctx):
    """An institution inspected on 2026-09-30 with two items failing, and the notice it was served."""
    institution_id = institution(ctx, name="甘州区乐育托育中心")
    inspection_id, result = inspect(ctx, institution_id, failing=FAILING)
    notice = notice_of(ctx, inspection_id)
    assert notice is not None and result.notice_number == notice.document_number
    return ctx, institution_id, notice


def _follow_up_with_notes(ctx, institution_id, notice, answers, notes, day):
    inspection_id = start_inspection(
        ctx,
        institution_id,
        kind=InspectionKind.FOLLOW_UP,
        period="2026H2",
        inspected_at=datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC),
        inspectors="王芳、李强",
        follow_up_of=notice.id,
    )
    save_answers(ctx, inspection_id, answers, notes)
    return inspection_id, finish(ctx, inspection_id, day)


def test_a_closing_follow_up_prints_every_item_rectified_by_number_by_notice_id_and_by_inspection_id(noticed):
    ctx, institution_id, notice = noticed
    day = notice.deadline
    inspection_id, result = _follow_up_with_notes(
        ctx, institution_id, notice, dict.fromkeys(FAILING, Answer.COMPLIANT), {FAILING[0]: "已更换灭火器"}, day
    )
    assert result.closed_notice == notice.document_number

    document = follow_up_opinion_document(ctx, notice.document_number)
    assert document == follow_up_opinion_document(ctx, str(notice.id))
    assert document == follow_up_opinion_document(ctx, str(inspection_id))
    assert document.rectified and document.rechecked_on == day and document.issuing_body == "甘州区卫生健康局"
    assert [item.result for item in document.items] == [RecheckResult.RECTIFIED] * 2
    notes = {code: item.note for code, item in zip(_codes(ctx, notice), document.items, strict=True)}
    assert notes == {FAILING[0]: "已更换灭火器", FAILING[1]: ""}
    text = squeezed(pdf_text(render_follow_up_opinion(document).pdf))
    assert "甘州区乐育托育中心：" in text and notice.document_number in text
    assert f"{day.year}年{day.month}月{day.day}日，我局监督人员（王芳、李强）" in text
    assert "复查结论：整改到位" in text
    assert all_fonts_embedded_subsets(render_follow_up_opinion(document).pdf)


def test_an_item_still_failing_after_the_deadline_is_overdue_and_the_notice_stays_open(noticed):
    ctx, institution_id, notice = noticed
    late = date(2026, 12, 1)
    assert late > notice.deadline
    answers = {FAILING[0]: Answer.COMPLIANT, FAILING[1]: Answer.NON_COMPLIANT}
    _follow_up_with_notes(ctx, institution_id, notice, answers, {FAILING[1]: "安全出口仍被锁闭"}, late)
    document = follow_up_opinion_document(ctx, notice.document_number)
    by_code = dict(zip(_codes(ctx, notice), document.items, strict=True))
    assert by_code[FAILING[0]].result is RecheckResult.RECTIFIED
    failing = by_code[FAILING[1]]
    assert (failing.result, failing.overdue, failing.note) == (RecheckResult.NOT_RECTIFIED, True, "安全出口仍被锁闭")
    assert not document.rectified
    text = squeezed(pdf_text(render_follow_up_opinion(document).pdf))
    assert "复查结论：未整改到位" in text and "我局将依法处理" in text and "安全出口仍被锁闭" in text


def test_the_latest_follow_up_is_printed_and_an_unchecked_item_is_said_to_be_so(noticed):
    ctx, institution_id, notice = noticed
    first = notice.issued_on + timedelta(days=1)
    _follow_up_with_notes(ctx, institution_id, notice, {FAILING[0]: Answer.COMPLIANT}, {}, first)
    partial = follow_up_opinion_document(ctx, notice.document_number)
    assert {item.result for item in partial.items} == {RecheckResult.RECTIFIED, RecheckResult.NOT_RECHECKED}
    follow_up(ctx, institution_id, notice.id, dict.fromkeys(FAILING, Answer.COMPLIANT), today=notice.deadline)
    latest = follow_up_opinion_document(ctx, notice.document_number)
    assert latest.rectified and latest.rechecked_on == notice.deadline


def test_a_corrected_follow_up_is_read_through_to_its_correction(noticed):
    ctx, institution_id, notice = noticed
    answers = {FAILING[0]: Answer.COMPLIANT, FAILING[1]: Answer.NON_COMPLIANT}
    original, _ = _follow_up_with_notes(ctx, institution_id, notice, answers, {}, notice.deadline)
    correction = correct_inspection(ctx, original)
    save_answers(ctx, correction, dict.fromkeys(FAILING, Answer.COMPLIANT))
    finish(ctx, correction, notice.deadline)
    with ctx.db.session_factory() as session:
        closed_by = session.scalar(
            select(RectificationClosure.follow_up_id).where(RectificationClosure.notice_id == notice.id)
        )
    assert closed_by == correction
    for key in (notice.document_number, str(original), str(correction)):
        assert follow_up_opinion_document(ctx, key).rectified, key


def test_a_violation_decided_at_the_follow_up_is_printed_as_the_action_taken(noticed):
    ctx, institution_id, notice = noticed
    answers = {FAILING[0]: Answer.COMPLIANT, FAILING[1]: Answer.NON_COMPLIANT}
    inspection_id, _ = _follow_up_with_notes(ctx, institution_id, notice, answers, {}, date(2026, 12, 1))
    record_violation(
        ctx,
        inspection_id,
        "安全出口逾期未整改",
        ViolationAction.FINE,
        date(2026, 12, 1),
        legal_basis="《消防法》第六十条",
        fine_fen=500_000,
        decision_number="甘州卫罚〔2026〕3号",
        today=date(2026, 12, 1),
    )
    document = follow_up_opinion_document(ctx, notice.document_number)
    assert document.actions == ("安全出口逾期未整改，罚款人民币5,000.00元（甘州卫罚〔2026〕3号）",)


def test_a_notice_without_a_follow_up_or_with_only_a_draft_is_refused_with_what_to_do(noticed):
    ctx, institution_id, notice = noticed
    with pytest.raises(TuoyuError, match="还没有回头看：请先对该机构开展整改回头看"):
        follow_up_opinion_document(ctx, notice.document_number)
    draft = start_inspection(
        ctx,
        institution_id,
        kind=InspectionKind.FOLLOW_UP,
        period="2026H2",
        inspected_at=datetime(2026, 10, 9, 2, 0, tzinfo=UTC),
        inspectors="王芳",
        follow_up_of=notice.id,
    )
    with pytest.raises(TuoyuError, match="回头看还没有完成（仍是草稿）"):
        follow_up_opinion_document(ctx, notice.document_number)
    with pytest.raises(TuoyuError, match="这次回头看还是草稿"):
        follow_up_opinion_document(ctx, str(draft))


def test_unknown_keys_and_an_inspection_that_is_not_a_follow_up_are_refused(noticed):
    ctx, _, notice = noticed
    with pytest.raises(NotFoundError, match="找不到整改通知书“甘州卫监改〔2026〕9999号”"):
        follow_up_opinion_document(ctx, "甘州卫监改〔2026〕9999号")
    with pytest.raises(NotFoundError, match="找不到 ID 为"):
        follow_up_opinion_document(ctx, str(uuid.uuid4()))
    with pytest.raises(TuoyuError, match="半年检查，不是整改回头看"):
        follow_up_opinion_document(ctx, str(notice.inspection_id))


def test_every_closed_demo_notice_prints_as_rectified(demo_ctx):
    with demo_ctx.db.session_factory() as session:
        closed = session.execute(
            select(RectificationNotice.document_number, RectificationClosure.follow_up_id)
            .join(RectificationClosure, RectificationClosure.notice_id == RectificationNotice.id)
            .order_by(RectificationNotice.document_number)
            .limit(5)
        ).all()
        kinds = {session.get(Inspection, follow_up_id).kind for _, follow_up_id in closed}
    assert closed and kinds == {InspectionKind.FOLLOW_UP}
    for number, follow_up_id in closed:
        document = follow_up_opinion_document(demo_ctx, number)
        assert document.rectified and document == follow_up_opinion_document(demo_ctx, str(follow_up_id))
        assert render_follow_up_opinion(document).undrawable == ()


def _codes(ctx, notice) -> list[str]:
    from desktop.services.inspections import findings_of

    with ctx.db.session_factory() as session:
        return [finding.item_code for finding in findings_of(session.get(RectificationNotice, notice.id))]
