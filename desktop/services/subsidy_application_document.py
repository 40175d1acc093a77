"""The 补贴申请审核表's data: one subsidy application as the 补贴 screen shows it (application_detail), plus what a
paper form adds — the institution's credit code, sponsor type and filing number, the policy's title, the reviewing
bureau, the steps' users by their display names, and the day it was printed."""

from __future__ import annotations

import re
import uuid
from datetime import date

from sqlalchemy import select

from desktop.domain.registry_rules import format_date_cn
from desktop.errors import NotFoundError, TuoyuError
from desktop.models import Institution, SubsidyApplication, User
from desktop.reports.subsidy_application_form import (
    ClaimLine,
    PayerShare,
    SubsidyApplicationDocument,
    WorkflowStep,
)
from desktop.services.printing import issuing_body
from desktop.services.startup import AppContext
from desktop.services.subsidy_facts import PolicyBook
from desktop.services.subsidy_queries import ApplicationDetail, ClaimRow, application_detail
from desktop.services.unit_of_work import read_session

CITY_PAYER = "市级"
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")


def _application_id(key: str) -> uuid.UUID:
    try:
        return uuid.UUID(key.strip())
    except ValueError:
        raise NotFoundError(
            f"补贴申请 ID“{key}”格式不对：请使用申请的 ID（如 01a2070b-b67d-7514-a071-4d07c0d31044）。"
        ) from None


def subsidy_application_document(ctx: AppContext, key: str, *, today: date) -> SubsidyApplicationDocument:
    """The 补贴申请审核表 of the application with this id, as it stands on ``today``."""
    application_id = _application_id(key)
    with read_session(ctx.db) as session:
        if session.get(SubsidyApplication, application_id) is None:
            raise NotFoundError(f"找不到补贴申请“{key}”：请核对申请的 ID，或在“补贴”页面中查找该申请。")
    detail = application_detail(ctx, application_id, today=today)
    with read_session(ctx.db) as session:
        institution = session.get_one(Institution, detail.institution_id)
        credit_code, filing_number = institution.credit_code or "", institution.filing_number or ""
        sponsor_type = institution.sponsor_type.label
        users = {step[1] for step in detail.steps if step[1]}
        names = dict(session.execute(select(User.username, User.display_name).where(User.username.in_(users))).all())
    return SubsidyApplicationDocument(
        application_id=str(detail.id),
        reviewing_body=issuing_body(detail.county_name),
        institution_name=detail.institution,
        credit_code=credit_code,
        county_name=detail.county_name,
        sponsor_type=sponsor_type,
        filing_number=filing_number,
        scheme=detail.scheme.label,
        period=detail.period_text,
        status=detail.status.label,
        eligible=detail.eligible,
        amount_fen=detail.amount_fen,
        shares=(
            PayerShare(CITY_PAYER, detail.city_share_fen),
            PayerShare(detail.county_name or "县区", detail.county_share_fen),
        ),
        facts=tuple((label, _chinese_dates(value)) for label, value in detail.facts),
        policy_title=_policy_title(ctx, detail),
        policy_identity=_policy_identity(detail),
        parameters=detail.parameters,
        reasons=detail.reasons,
        notes=(*detail.warnings, *detail.changed_since_approval),
        steps=tuple(WorkflowStep(step, names.get(who, who), when) for step, who, when in detail.steps),
        rejection_reason=detail.rejection_reason,
        claims=tuple(_claim_line(claim) for claim in detail.claims),
        printed_on=today,
    )


def _chinese_dates(text: str) -> str:
    """A fact stored as 2026-11-23 prints as 2026年11月23日, and 2026-11 as 2026年11月, as every date on the form."""
    if day := _ISO_DATE.fullmatch(text):
        return format_date_cn(date(int(day[1]), int(day[2]), int(day[3])))
    if month := _ISO_MONTH.fullmatch(text):
        return f"{month[1]}年{int(month[2])}月"
    return text


def _policy_identity(detail: ApplicationDetail) -> str:
    if not detail.policy_name:
        return ""
    return f"{detail.policy_name} 第{detail.policy_version}版，SHA-256 {detail.policy_sha256[:12]}"


def _policy_title(ctx: AppContext, detail: ApplicationDetail) -> str:
    """The policy's own title from the file of the same name and version; its name if that file is gone."""
    try:
        policies = PolicyBook.of(ctx).policies
    except TuoyuError:  # a broken policy folder must not stop printing an amount that is already stored
        policies = ()
    for policy in policies:
        if policy.name == detail.policy_name and str(policy.version) == detail.policy_version:
            return policy.title
    return detail.policy_name or "（未记录）"


def _claim_line(claim: ClaimRow) -> ClaimLine:
    return ClaimLine(claim.name, claim.id_number_masked, claim.eligible, claim.amount_fen, _claim_note(claim))


def _claim_note(claim: ClaimRow) -> str:
    """What a reviewer needs beside a child: every reason when the child does not qualify (the paper has room for
    the whole why), otherwise the first, as the 补贴 screen shows it."""
    if not claim.eligible:
        return "".join(claim.reasons)
    return claim.reasons[0] if claim.reasons else ""
