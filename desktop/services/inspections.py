"""Doing inspections: a draft while answers come in, finished once (then never changed), a numbered
rectification notice for the failed items, and the 回头看 that closes it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.checklists import Answer, ChecklistTemplate
from desktop.domain.document_numbers import rectification_notice_number
from desktop.domain.enums import InspectionConclusion, InspectionKind
from desktop.domain.finding_records import finding_from_json, finding_to_json
from desktop.domain.inspection_outcome import Finding, InspectionOutcome, evaluate, evaluate_follow_up
from desktop.domain.problems import Problem, Severity
from desktop.domain.random_draw import drawn_from_json
from desktop.domain.working_days import WorkingDayCalendar, official_calendar
from desktop.errors import NotFoundError, TuoyuError
from desktop.models import (
    ChecklistTemplateRecord,
    DocumentCounter,
    Inspection,
    InspectionAnswer,
    Institution,
    RandomDraw,
    RectificationClosure,
    RectificationNotice,
    Region,
    User,
)
from desktop.services.checklist_templates import load_template
from desktop.services.inspection_corrections import correction_warnings, notice_of_chain
from desktop.services.institution_commands import ValidationFailed, require_version
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session, write_session

NOTICE_KIND = "rectification"


@dataclass(frozen=True)
class FinishResult:
    inspection_id: uuid.UUID
    conclusion: InspectionConclusion
    score: int | None
    notice_number: str | None
    deadline: date | None
    closed_notice: str | None  # for a 回头看 in which every item passed
    warnings: tuple[Problem, ...]


def latest_template_id(session: Session, kind: InspectionKind, on: date) -> uuid.UUID:
    """The newest template version in force on ``on`` for this kind of inspection."""
    for record in session.scalars(
        select(ChecklistTemplateRecord)
        .where(ChecklistTemplateRecord.effective_from <= on)
        .order_by(ChecklistTemplateRecord.effective_from.desc())
    ):
        if kind in _kinds(record.content):
            return record.id
    raise TuoyuError(f"没有适用于“{kind.label}”的检查表。请先导入检查表（tuoyu checklists import）。")


def has_template_for(ctx: AppContext, kind: InspectionKind, on: date) -> bool:
    template_kind = InspectionKind.SEMIANNUAL_INSPECTION if kind is InspectionKind.FOLLOW_UP else kind
    with read_session(ctx.db) as session:
        try:
            latest_template_id(session, template_kind, on)
        except TuoyuError:
            return False
    return True


@dataclass(frozen=True)
class DrawnAssignment:
    draw_id: uuid.UUID
    inspector_names: tuple[str, ...]


def drawn_assignment(ctx: AppContext, institution_id: uuid.UUID, period: str) -> DrawnAssignment | None:
    """The 双随机 draw's pair of inspectors for this institution in the quarter, if it was drawn."""
    with read_session(ctx.db) as session:
        county_code = session.scalar(select(Institution.county_code).where(Institution.id == institution_id))
        for draw_id, result_json in session.execute(
            select(RandomDraw.id, RandomDraw.result_json).where(
                RandomDraw.county_code == county_code, RandomDraw.period == period
            )
        ):
            for line in drawn_from_json(result_json):
                if line.institution_id == str(institution_id):
                    ids = [uuid.UUID(i) for i in line.inspector_ids]
                    names = dict(session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())
                    return DrawnAssignment(draw_id, tuple(names.get(i, "") for i in ids))
    return None


def _kinds(content: str) -> set[InspectionKind]:
    from desktop.domain.checklist_format import parse_template  # parsed only when choosing a template

    return set(parse_template(content).kinds)


def start_inspection(
    ctx: AppContext,
    institution_id: uuid.UUID,
    *,
    kind: InspectionKind,
    period: str,
    inspected_at: datetime,
    inspectors: str,
    representative: str | None = None,
    draw_id: uuid.UUID | None = None,
    follow_up_of: uuid.UUID | None = None,
) -> uuid.UUID:
    """Open a draft inspection with the template version in force that day."""
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        if session.get(Institution, institution_id) is None:
            raise NotFoundError("该机构已不存在，可能已被其他用户删除。请刷新列表。")
        template_kind = InspectionKind.SEMIANNUAL_INSPECTION if kind is InspectionKind.FOLLOW_UP else kind
        if follow_up_of is not None:
            notice = session.get(RectificationNotice, follow_up_of)
            if notice is None or notice.institution_id != institution_id:
                raise TuoyuError("找不到这家机构的该份整改通知书，无法开始回头看。")
            template_id = session.scalar(select(Inspection.template_id).where(Inspection.id == notice.inspection_id))
        else:
            template_id = latest_template_id(session, template_kind, inspected_at.date())
        inspection = Inspection(
            institution_id=institution_id,
            template_id=template_id,
            kind=kind,
            period=period,
            draw_id=draw_id,
            follow_up_of=follow_up_of,
            inspected_at=inspected_at,
            inspectors=inspectors.strip(),
            representative=representative,
            finished=False,
            conclusion=InspectionConclusion.INCOMPLETE,
        )
        session.add(inspection)
        session.flush()
        return inspection.id


def save_answers(
    ctx: AppContext, inspection_id: uuid.UUID, answers: Mapping[str, Answer], notes: Mapping[str, str] | None = None
) -> None:
    """Store the draft's answers as they stand (a finished inspection refuses this)."""
    notes = notes or {}
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        inspection = _draft(session, inspection_id)
        stored = {
            a.item_code: a
            for a in session.scalars(select(InspectionAnswer).where(InspectionAnswer.inspection_id == inspection.id))
        }
        for code, answer in answers.items():
            note = (notes.get(code) or "").strip() or None
            if code in stored:
                if (stored[code].answer, stored[code].note) != (Answer(answer), note):
                    stored[code].answer, stored[code].note = Answer(answer), note
            else:
                session.add(
                    InspectionAnswer(inspection_id=inspection.id, item_code=code, answer=Answer(answer), note=note)
                )
        for code in set(stored) - set(answers):
            session.delete(stored[code])


def finish_inspection(
    ctx: AppContext,
    inspection_id: uuid.UUID,
    *,
    expected_version: int,
    today: date,
    calendar: WorkingDayCalendar | None = None,
) -> FinishResult:
    """Evaluate the answers; finish the inspection, issue the notice or close the rectification."""
    calendar = calendar or official_calendar()
    template = template_for(ctx, inspection_id)
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        inspection = _draft(session, inspection_id)
        require_version(session, inspection, expected_version)
        answers, notes = _answers(session, inspection_id)
        inspected_on = inspection.inspected_at.astimezone().date()
        if inspection.kind is InspectionKind.FOLLOW_UP:
            return _finish_follow_up(session, inspection, answers, notes, inspected_on)
        # A correction's notice, if it issues one, is served when the correction is finished: its
        # deadlines count from then. It issues none when an earlier record of its chain has one.
        served_on = today if inspection.corrects_id else inspected_on
        outcome = evaluate(template, answers, notes, inspected_on=served_on, calendar=calendar)
        if not outcome.can_finish:
            raise ValidationFailed(outcome.problems)
        inspection.finished, inspection.conclusion, inspection.score = True, outcome.conclusion, outcome.score
        standing = notice_of_chain(session, inspection)
        notice = _issue_notice(session, inspection, outcome, today) if outcome.findings and not standing else None
        session.flush()
        return FinishResult(
            inspection.id,
            outcome.conclusion,
            outcome.score,
            notice.document_number if notice else None,
            notice.deadline if notice else None,
            None,
            tuple(p for p in outcome.problems if p.severity is Severity.WARNING)
            + correction_warnings(standing, outcome.findings),
        )


def _finish_follow_up(
    session: Session,
    inspection: Inspection,
    answers: Mapping[str, Answer],
    notes: Mapping[str, str],
    inspected_on: date,
) -> FinishResult:
    notice = session.get(RectificationNotice, inspection.follow_up_of)
    findings = findings_of(notice)
    outcome = evaluate_follow_up(findings, answers, notes, inspected_on=inspected_on)
    if not outcome.can_finish:
        raise ValidationFailed(outcome.problems)
    inspection.finished = True
    inspection.conclusion = (
        InspectionConclusion.PASSED if outcome.all_rectified else InspectionConclusion.RECTIFICATION_REQUIRED
    )
    closed = None
    # Another 回头看 of the same notice (two may be open at once) may have closed it already.
    already = session.scalar(select(RectificationClosure.id).where(RectificationClosure.notice_id == notice.id))
    if outcome.all_rectified and already is None:
        session.add(RectificationClosure(notice_id=notice.id, follow_up_id=inspection.id, closed_on=inspected_on))
        closed = notice.document_number
    session.flush()
    return FinishResult(
        inspection.id,
        inspection.conclusion,
        None,
        None,
        notice.deadline,
        closed,
        tuple(p for p in outcome.problems if p.severity is Severity.WARNING),
    )


def _issue_notice(
    session: Session, inspection: Inspection, outcome: InspectionOutcome, today: date
) -> RectificationNotice:
    institution = session.get(Institution, inspection.institution_id)
    county_name = session.scalar(select(Region.name).where(Region.code == institution.county_code)) or ""
    year = today.year
    counter = session.get(DocumentCounter, (institution.county_code, year, NOTICE_KIND), with_for_update=True)
    _check_reserved_numbers(session, counter, institution.county_code, year)
    if counter is None:
        counter = DocumentCounter(county_code=institution.county_code, year=year, kind=NOTICE_KIND, last_serial=0)
        session.add(counter)
    counter.last_serial += 1
    number = rectification_notice_number(county_name, year, counter.last_serial)
    notice = RectificationNotice(
        inspection_id=inspection.id,
        institution_id=institution.id,
        county_code=institution.county_code,
        year=year,
        serial=counter.last_serial,
        document_number=number,
        issued_on=today,
        deadline=outcome.deadline.due,
        deadline_estimated=outcome.deadline.estimated,
        items_json=json.dumps([finding_to_json(f) for f in outcome.findings], ensure_ascii=False),
    )
    session.add(notice)
    return notice


def _check_reserved_numbers(session: Session, counter: DocumentCounter | None, county_code: str, year: int) -> None:
    """On a field laptop, notices take numbers only from the block the county reserved for it."""
    if counter is not None and counter.ceiling is not None and counter.last_serial >= counter.ceiling:
        raise TuoyuError(
            f"本机预留的整改通知书编号（{year} 年至第 {counter.ceiling} 号）已用完，无法出具新的通知书；"
            "这次检查已保存为草稿。请导出检查结果交回县区，并领取新的任务包。"
        )
    if counter is None and session.scalar(
        select(DocumentCounter.county_code).where(
            DocumentCounter.county_code == county_code, DocumentCounter.ceiling.is_not(None)
        )
    ):
        raise TuoyuError(
            f"本机没有县区为 {year} 年预留的整改通知书编号，无法出具通知书；这次检查已保存为草稿。"
            "请领取新的任务包后再完成。"
        )


def findings_of(notice: RectificationNotice) -> list[Finding]:
    """The failed items of a notice, as found at the inspection that issued it."""
    return [finding_from_json(values) for values in json.loads(notice.items_json)]


def _draft(session: Session, inspection_id: uuid.UUID) -> Inspection:
    inspection = session.get(Inspection, inspection_id)
    if inspection is None:
        raise NotFoundError("找不到该检查记录。")
    if inspection.finished:
        raise TuoyuError("这次检查已经完成，记录不能再修改。如需更正，请新建一条更正记录。")
    return inspection


def _answers(session: Session, inspection_id: uuid.UUID) -> tuple[dict[str, Answer], dict[str, str]]:
    answers, notes = {}, {}
    for row in session.scalars(select(InspectionAnswer).where(InspectionAnswer.inspection_id == inspection_id)):
        answers[row.item_code] = row.answer
        if row.note:
            notes[row.item_code] = row.note
    return answers, notes


def template_for(ctx: AppContext, inspection_id: uuid.UUID) -> ChecklistTemplate:
    with read_session(ctx.db) as session:
        template_id = session.scalar(select(Inspection.template_id).where(Inspection.id == inspection_id))
    if template_id is None:
        raise NotFoundError("找不到该检查记录。")
    return load_template(ctx, template_id)


@dataclass(frozen=True)
class InspectionForm:
    """What the inspection screen needs: the header, the items to answer and the answers so far."""

    inspection_id: uuid.UUID
    version: int
    institution_name: str
    kind: InspectionKind
    period: str
    inspected_at: datetime
    inspectors: str
    representative: str | None
    finished: bool
    template: ChecklistTemplate
    item_codes: tuple[str, ...]  # a 回头看 re-checks only the notice's items
    answers: dict[str, Answer]
    notes: dict[str, str]


def load_inspection_form(ctx: AppContext, inspection_id: uuid.UUID) -> InspectionForm:
    template = template_for(ctx, inspection_id)
    with read_session(ctx.db) as session:
        inspection = session.get(Inspection, inspection_id)
        name = session.scalar(select(Institution.name).where(Institution.id == inspection.institution_id)) or ""
        answers, notes = _answers(session, inspection_id)
        codes = tuple(item.code for item in template.items)
        if inspection.follow_up_of is not None:
            notice = session.get(RectificationNotice, inspection.follow_up_of)
            codes = tuple(f.item_code for f in findings_of(notice))
        return InspectionForm(
            inspection.id,
            inspection.version,
            name,
            inspection.kind,
            inspection.period,
            inspection.inspected_at,
            inspection.inspectors,
            inspection.representative,
            inspection.finished,
            template,
            codes,
            answers,
            notes,
        )


def running_outcome(
    form: InspectionForm, answers: Mapping[str, Answer], notes: Mapping[str, str]
) -> InspectionOutcome | None:
    """The outcome as the answers stand, for the screen (None for a 回头看, which has no score)."""
    if form.kind is InspectionKind.FOLLOW_UP:
        return None
    return evaluate(
        form.template, answers, notes, inspected_on=form.inspected_at.astimezone().date(), calendar=official_calendar()
    )


@dataclass(frozen=True)
class OpenNotice:
    id: uuid.UUID
    document_number: str
    deadline: date


def open_notices_of(ctx: AppContext, institution_id: uuid.UUID) -> list[OpenNotice]:
    """The institution's rectification notices that no 回头看 has closed yet."""
    closed = select(RectificationClosure.notice_id)
    with read_session(ctx.db) as session:
        rows = session.execute(
            select(RectificationNotice.id, RectificationNotice.document_number, RectificationNotice.deadline)
            .where(RectificationNotice.institution_id == institution_id, RectificationNotice.id.not_in(closed))
            .order_by(RectificationNotice.deadline)
        )
        return [OpenNotice(*row) for row in rows]
