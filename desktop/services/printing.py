"""Gathering what a printed form shows: each function reads the database once and returns the plain data object
that a module of desktop.reports turns into a PDF (reports never open a session)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from desktop.domain.checklists import Answer
from desktop.errors import NotFoundError
from desktop.models import Inspection, Institution, RectificationNotice, Region
from desktop.reports.inspection_record import InspectionRecordDocument, RecordItem
from desktop.reports.rectification_notice import NoticeItem, RectificationNoticeDocument
from desktop.services.inspections import findings_of, load_inspection_form
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session

# The county bureau that issues notices: the county's name plus this (甘州区 → 甘州区卫生健康局).
BUREAU_SUFFIX = "卫生健康局"


def issuing_body(county_name: str) -> str:
    return f"{county_name}{BUREAU_SUFFIX}"


def _notice_where(key: str):
    try:
        return RectificationNotice.id == uuid.UUID(key)
    except ValueError:
        return RectificationNotice.document_number == key.strip()


def rectification_notice_document(ctx: AppContext, key: str) -> RectificationNoticeDocument:
    """The 整改通知书 named by its id or its document number (甘州卫监改〔2026〕12号)."""
    with read_session(ctx.db) as session:
        notice = session.scalar(select(RectificationNotice).where(_notice_where(key)))
        if notice is None:
            raise NotFoundError(f"找不到整改通知书“{key}”：请输入通知书编号（如 甘州卫监改〔2026〕12号）或其 ID。")
        institution = session.get_one(Institution, notice.institution_id)
        inspection = session.get_one(Inspection, notice.inspection_id)
        county = session.scalar(select(Region.name).where(Region.code == notice.county_code))
        items = tuple(
            NoticeItem(
                code=finding.item_code,
                area_title=finding.area_title,
                text=finding.text,
                note=finding.note,
                rule=finding.rule,
                deadline=finding.deadline.due if finding.deadline else None,
            )
            for finding in findings_of(notice)
        )
        return RectificationNoticeDocument(
            issuing_body=issuing_body(county or notice.county_code),
            document_number=notice.document_number,
            institution_name=institution.name,
            institution_address=institution.address,
            inspected_on=inspection.inspected_at.date(),
            inspectors=inspection.inspectors,
            issued_on=notice.issued_on,
            deadline=notice.deadline,
            deadline_estimated=notice.deadline_estimated,
            items=items,
        )


RESULT_LABELS = {Answer.COMPLIANT: "符合", Answer.NON_COMPLIANT: "不符合", Answer.NOT_APPLICABLE: "不适用"}
UNANSWERED = "未答"


def _inspection_id(key: str) -> uuid.UUID:
    try:
        return uuid.UUID(key.strip())
    except ValueError:
        raise NotFoundError(f"检查记录 ID“{key}”格式不对：请使用检查记录的 ID（可在检查总览中复制）。") from None


def inspection_record_document(ctx: AppContext, key: str) -> InspectionRecordDocument:
    """The 检查记录表 of the inspection with this id: every item of its template version (for a 回头看, the notice's
    items) with its answer and note, the stored conclusion and score, and the notice issued on it, if any."""
    inspection_id = _inspection_id(key)
    form = load_inspection_form(ctx, inspection_id)  # raises NotFoundError for an unknown id
    template = form.template
    with read_session(ctx.db) as session:
        inspection = session.get_one(Inspection, inspection_id)
        address = session.scalar(select(Institution.address).where(Institution.id == inspection.institution_id))
        notice_number = session.scalar(
            select(RectificationNotice.document_number).where(RectificationNotice.inspection_id == inspection_id)
        )
        conclusion, score = inspection.conclusion, inspection.score
    area_titles = {area.code: area.title for area in template.areas}
    items = []
    for number, code in enumerate(form.item_codes, start=1):
        item = template.item(code)
        answer = form.answers.get(code)
        items.append(
            RecordItem(
                number=number,
                area_title=area_titles.get(item.area, ""),
                text=item.text,
                severity=item.severity.label,
                veto=item.veto,
                result=RESULT_LABELS[answer] if answer is not None else UNANSWERED,
                note=form.notes.get(code, ""),
            )
        )
    veto_failed = tuple(
        template.item(code).text
        for code in form.item_codes
        if template.item(code).veto and form.answers.get(code) is Answer.NON_COMPLIANT
    )
    return InspectionRecordDocument(
        institution_name=form.institution_name,
        institution_address=address or "",
        kind=form.kind.label,
        period=form.period,
        inspected_at=form.inspected_at.astimezone(),
        template_title=template.title,
        template_version=template.version,
        inspectors=tuple(name for name in form.inspectors.split("、") if name.strip()),
        representative=form.representative or "",
        finished=form.finished,
        conclusion=conclusion.label,
        score=score,
        veto_failed=veto_failed,
        notice_number=notice_number or "",
        items=tuple(items),
    )


@dataclass(frozen=True)
class IssuedNotice:
    document_number: str
    institution_name: str


def notices_issued_on(ctx: AppContext, day: date, *, county_code: str | None = None) -> list[IssuedNotice]:
    """The 整改通知书 issued on ``day`` (in one county, or all), in the order they were numbered: a day's batch."""
    query = (
        select(RectificationNotice.document_number, Institution.name)
        .join(Institution, Institution.id == RectificationNotice.institution_id)
        .where(RectificationNotice.issued_on == day)
        .order_by(RectificationNotice.county_code, RectificationNotice.year, RectificationNotice.serial)
    )
    if county_code is not None:
        query = query.where(RectificationNotice.county_code == county_code)
    with read_session(ctx.db) as session:
        return [IssuedNotice(number, name) for number, name in session.execute(query)]
