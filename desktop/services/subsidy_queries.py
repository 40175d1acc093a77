"""What the 补贴 screen shows: lists of applications, and one application with everything behind its amount.

The detail says which policy (name, version, the first 12 characters of its SHA-256) and which
parameter values produced the amount, the facts it was computed from, the reasons, who did each step
and when, and — for an approved or paid application, whose amount is frozen — any fact of the
register that has changed since, as a warning: the amount is never recomputed.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.domain.amount_words import amount_words
from desktop.domain.application_workflow import Action, allowed_actions, is_frozen
from desktop.domain.enums import ApplicationStatus, OperatingStatus, SubsidyScheme
from desktop.domain.identifiers import mask_id_number
from desktop.domain.registry_rules import format_date_cn
from desktop.domain.subsidy_display import fact_lines, parameter_lines
from desktop.errors import NotFoundError, TuoyuError
from desktop.models import Child, EnrollmentClaim, Institution, Region, SubsidyApplication
from desktop.services.enrollment_claims import month_bounds
from desktop.services.startup import AppContext
from desktop.services.subsidy_facts import (
    construction_facts,
    institutions_with_overdue_major_rectification,
    load_institution,
    operating_facts,
)
from desktop.services.unit_of_work import read_connection, read_session

__all__ = [
    "ApplicationDetail",
    "ApplicationFilter",
    "ApplicationRow",
    "ClaimRow",
    "application_detail",
    "institution_choices",
    "list_applications",
]

A = SubsidyApplication
CHINA = timedelta(hours=8)
LIST_LIMIT = 5000


@dataclass(frozen=True)
class ApplicationFilter:
    county_code: str | None = None
    scheme: SubsidyScheme | None = None
    period: str = ""  # "" any; "2026" also matches the months of 2026
    status: ApplicationStatus | None = None


@dataclass(frozen=True)
class ApplicationRow:
    id: uuid.UUID
    institution: str
    county_name: str
    scheme: SubsidyScheme
    period: str
    status: ApplicationStatus
    eligible: bool
    amount_fen: int
    city_share_fen: int
    county_share_fen: int


@dataclass(frozen=True)
class ClaimRow:
    name: str
    id_number_masked: str
    eligible: bool
    amount_fen: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ApplicationDetail:
    id: uuid.UUID
    version: int
    scheme: SubsidyScheme
    institution_id: uuid.UUID
    institution: str
    county_name: str
    period: str
    status: ApplicationStatus
    eligible: bool
    amount_fen: int
    city_share_fen: int
    county_share_fen: int
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]
    facts: tuple[tuple[str, str], ...]
    policy_name: str
    policy_version: str
    policy_sha256: str
    parameters: tuple[tuple[str, str], ...]
    steps: tuple[tuple[str, str, str], ...]  # (step, who, when)
    rejection_reason: str
    actions: tuple[Action, ...]
    changed_since_approval: tuple[str, ...]
    claims: tuple[ClaimRow, ...]

    @property
    def amount_words(self) -> str:
        return amount_words(self.amount_fen)

    @property
    def frozen(self) -> bool:
        return is_frozen(self.status)

    @property
    def policy_text(self) -> str:
        return f"{self.policy_name} 第{self.policy_version}版（SHA-256 {self.policy_sha256[:12]}）"

    @property
    def period_text(self) -> str:
        return period_text(self.scheme, self.period)


def period_text(scheme: SubsidyScheme, period: str) -> str:
    if scheme is SubsidyScheme.CONSTRUCTION:
        return "一次性"
    if scheme is SubsidyScheme.OPERATING:
        return f"{period}年度"
    year, month = period.split("-")
    return f"{year}年{int(month)}月"


def list_applications(ctx: AppContext, wanted: ApplicationFilter) -> list[ApplicationRow]:
    """The applications that match, by county, institution (pinyin), scheme and period; at most LIST_LIMIT."""
    query = (
        select(
            A.id,
            Institution.name,
            Region.name,
            A.scheme,
            A.period,
            A.status,
            A.eligible,
            A.amount_fen,
            A.city_share_fen,
            A.county_share_fen,
        )
        .join(Institution, Institution.id == A.institution_id)
        .join(Region, Region.code == A.county_code)
        .order_by(A.county_code, Institution.name_initials, Institution.name, A.scheme, A.period.desc())
        .limit(LIST_LIMIT)
    )
    if wanted.county_code:
        query = query.where(A.county_code == wanted.county_code)
    if wanted.scheme:
        query = query.where(A.scheme == wanted.scheme)
    if wanted.status:
        query = query.where(A.status == wanted.status)
    period = wanted.period.strip()
    if period:
        query = query.where((A.period == period) | (A.period.startswith(period + "-")))
    with read_connection(ctx.db) as connection:
        return [
            ApplicationRow(
                row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]), row[7] or 0, row[8] or 0, row[9] or 0
            )
            for row in connection.execute(query)
        ]


def institution_choices(ctx: AppContext, county_code: str) -> list[tuple[uuid.UUID, str]]:
    """The county's institutions (not closed) for a new application, in pinyin order."""
    with read_connection(ctx.db) as connection:
        return [
            (row.id, row.name)
            for row in connection.execute(
                select(Institution.id, Institution.name)
                .where(Institution.county_code == county_code, Institution.operating_status != OperatingStatus.CLOSED)
                .order_by(Institution.name_initials, Institution.name)
            )
        ]


def application_detail(ctx: AppContext, application_id: uuid.UUID, *, today: date) -> ApplicationDetail:
    with read_session(ctx.db) as session:
        application = session.get(A, application_id)
        if application is None:
            raise NotFoundError("该补贴申请已不存在，请刷新列表。")
        institution = session.get(Institution, application.institution_id)
        county_name = session.scalar(select(Region.name).where(Region.code == application.county_code)) or ""
        stored = json.loads(application.reasons_json or "{}")
        facts = json.loads(application.facts_json or "{}")
        changed = _changed_since_approval(session, application, facts, today) if is_frozen(application.status) else ()
        claims = _claims(session, application.id) if application.scheme is SubsidyScheme.ENROLLMENT else ()
        return ApplicationDetail(
            id=application.id,
            version=application.version,
            scheme=application.scheme,
            institution_id=application.institution_id,
            institution=institution.name,
            county_name=county_name,
            period=application.period,
            status=application.status,
            eligible=bool(application.eligible),
            amount_fen=application.amount_fen or 0,
            city_share_fen=application.city_share_fen or 0,
            county_share_fen=application.county_share_fen or 0,
            reasons=tuple(stored.get("reasons", ())),
            warnings=tuple(stored.get("warnings", ())),
            facts=tuple(fact_lines(facts)),
            policy_name=application.policy_name or "",
            policy_version=application.policy_version or "",
            policy_sha256=application.policy_sha256 or "",
            parameters=tuple(parameter_lines(json.loads(application.parameters_json or "{}"))),
            steps=_steps(application),
            rejection_reason=application.rejection_reason or "",
            actions=allowed_actions(application.status),
            changed_since_approval=tuple(changed),
            claims=claims,
        )


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = moment + CHINA
    return f"{format_date_cn(local.date())} {local:%H:%M}"


def _steps(application: SubsidyApplication) -> tuple[tuple[str, str, str], ...]:
    steps = [("建立", "", _when(application.created_at))]
    for label, who, when in (
        ("提交", application.submitted_by, _when(application.submitted_at)),
        ("初审通过", application.first_reviewed_by, _when(application.first_reviewed_at)),
        ("审核通过", application.approved_by, _when(application.approved_at)),
        ("发放", application.paid_by, format_date_cn(application.paid_on) if application.paid_on else ""),
        ("退回", application.rejected_by, _when(application.rejected_at)),
    ):
        if who:
            steps.append((label, who, when))
    return tuple(steps)


def _claims(session: Session, application_id: uuid.UUID) -> tuple[ClaimRow, ...]:
    rows = session.execute(
        select(
            Child.name,
            EnrollmentClaim.id_number,
            EnrollmentClaim.eligible,
            EnrollmentClaim.amount_fen,
            EnrollmentClaim.reasons_json,
        )
        .join(Child, Child.id == EnrollmentClaim.child_id)
        .where(EnrollmentClaim.application_id == application_id)
        .order_by(EnrollmentClaim.eligible.desc(), Child.name)
    )
    return tuple(
        ClaimRow(name, mask_id_number(number), eligible, amount, tuple(json.loads(reasons)))
        for name, number, eligible, amount, reasons in rows
    )


def _changed_since_approval(session: Session, application: SubsidyApplication, facts: dict, today: date) -> list[str]:
    """The register's facts now, compared with those the frozen amount was computed from."""
    institution = load_institution(session, application.institution_id)
    try:
        if application.scheme is SubsidyScheme.CONSTRUCTION:
            current = construction_facts(
                session, institution, meets_standard=facts.get("meets_standard", False), today=today,
                application_id=application.id,
            ).__dict__  # fmt: skip
        elif application.scheme is SubsidyScheme.OPERATING:
            current = operating_facts(session, institution, int(application.period), today=today).__dict__
        else:
            current = {
                "institution_filed": institution.filed,
                "institution_puhui": institution.puhui,
                "overdue_major_rectification": institution.id
                in institutions_with_overdue_major_rectification(session, today, institution_ids=[institution.id]),
            }
    except TuoyuError as error:
        return [f"按机构现状已无法计算：{error.message}"]
    names = dict(fact_lines({key: facts[key] for key in facts if key in current}))
    now = dict(fact_lines({key: _plain(current[key]) for key in current if key in facts}))
    notes = [
        f"{label}：审核时为“{value}”，现在为“{now[label]}”。"
        for label, value in names.items()
        if now.get(label) != value
    ]
    if application.scheme is SubsidyScheme.ENROLLMENT:
        first, _ = month_bounds(application.period)
        left = session.scalar(
            select(func.count())
            .select_from(EnrollmentClaim)
            .join(Child, Child.id == EnrollmentClaim.child_id)
            .where(
                EnrollmentClaim.application_id == application.id,
                EnrollmentClaim.eligible.is_(True),
                Child.left_on < first,
            )
        )
        if left:
            notes.append(f"{left} 名幼儿的离托日期现已登记为{format_date_cn(first)}之前。")
    if notes and application.status is ApplicationStatus.APPROVED:
        notes.append("已审核的金额不会重新计算；如需更正，请在发放前退回该申请并写明原因。")
    elif notes:
        notes.append("已发放的金额不会重新计算。")
    return notes


def _plain(value):
    return getattr(value, "value", value)
