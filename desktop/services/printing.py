"""Gathering what a printed form shows: each function reads the database once and returns the plain data object
that a module of desktop.reports turns into a PDF (reports never open a session)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from desktop.errors import NotFoundError
from desktop.models import Inspection, Institution, RectificationNotice, Region
from desktop.reports.rectification_notice import NoticeItem, RectificationNoticeDocument
from desktop.services.inspections import findings_of
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
