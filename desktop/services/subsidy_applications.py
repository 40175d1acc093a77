"""Subsidy applications (补贴申请): create one, and move it through 提交 → 初审 → 审核 → 发放, or 退回.

- Creating computes the amount at once (a draft shows the clerk what the policy gives).
- Every step before approval recomputes it from the register as it is now and the policy in force
  (a newer policy version, a corrected slot count or a lapsed filing count at once); the approval
  stores the final figures in the same UPDATE that sets the status, and from then on the database
  refuses any change to them. An approved application is never recomputed: if its facts change
  later, the detail screen says so (``desktop.services.subsidy_queries``).
- Each step records who (the acting user) and when on the row; the audit log records the change
  with old and new values, as for every ORM write.
- 退回 needs a reason; rejecting an enrollment application frees its children for the month.

The rules of which step may follow which are in ``desktop.domain.application_workflow``.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from desktop.domain.application_workflow import Action, WorkflowError, check_action, is_frozen
from desktop.domain.enums import ApplicationStatus, SubsidyScheme
from desktop.domain.registry_rules import format_date_cn
from desktop.domain.subsidy_policy import SubsidyKind
from desktop.domain.subsidy_rules import SubsidyFactsError, SubsidyResult, compute
from desktop.errors import NotFoundError, TuoyuError
from desktop.models import EnrollmentClaim, SubsidyApplication
from desktop.models.base import utc_now
from desktop.services.enrollment_claims import month_bounds, recompute_enrollment
from desktop.services.institution_commands import ConcurrentEditError
from desktop.services.startup import AppContext
from desktop.services.subsidy_facts import (
    InstitutionSnapshot,
    PolicyBook,
    construction_facts,
    facts_to_json,
    load_institution,
    operating_facts,
    refuse_closed,
    subsidy_write_session,
)

__all__ = [
    "ApplicationOutcome",
    "approve",
    "create_construction_application",
    "create_operating_application",
    "first_review",
    "pay",
    "reject",
    "result_values",
    "store_result",
    "submit",
]

LIVE = SubsidyApplication.status != ApplicationStatus.REJECTED


@dataclass(frozen=True)
class ApplicationOutcome:
    application_id: uuid.UUID
    institution_id: uuid.UUID
    status: ApplicationStatus
    version: int
    eligible: bool
    amount_fen: int
    warnings: tuple[str, ...] = ()


# --------------------------------------------------------------------------- creating


def create_construction_application(
    ctx: AppContext,
    institution_id: uuid.UUID,
    *,
    meets_standard: bool,
    today: date,
    book: PolicyBook | None = None,
) -> ApplicationOutcome:
    """A draft for the one-time construction subsidy. ``meets_standard`` is the clerk's finding that
    the site meets the national and provincial construction standards: the register cannot tell."""
    book = book or PolicyBook.of(ctx)
    with subsidy_write_session(ctx) as session:
        institution = load_institution(session, institution_id)
        refuse_closed(institution, "申请建设补贴")
        _refuse_second(session, SubsidyScheme.CONSTRUCTION, institution, "")
        facts = construction_facts(session, institution, meets_standard=meets_standard, today=today)
        result = _compute(facts, book.policy_for(institution.county_code, today, SubsidyKind.CONSTRUCTION))
        return _insert(session, institution, SubsidyScheme.CONSTRUCTION, "", result, facts_to_json(facts, date=today))


def create_operating_application(
    ctx: AppContext, institution_id: uuid.UUID, year: int, *, today: date, book: PolicyBook | None = None
) -> ApplicationOutcome:
    """A draft for one institution-year of the operating subsidy (months operating from its events)."""
    book = book or PolicyBook.of(ctx)
    with subsidy_write_session(ctx) as session:
        institution = load_institution(session, institution_id)
        refuse_closed(institution, f"申请 {year} 年度运营补贴", period_start=date(year, 1, 1))
        _refuse_second(session, SubsidyScheme.OPERATING, institution, str(year))
        facts = operating_facts(session, institution, year, today=today)
        result = _compute(facts, book.policy_for(institution.county_code, date(year, 1, 1), SubsidyKind.OPERATING))
        return _insert(session, institution, SubsidyScheme.OPERATING, str(year), result, facts_to_json(facts))


def _refuse_second(session: Session, scheme: SubsidyScheme, institution: InstitutionSnapshot, period: str) -> None:
    existing = session.execute(
        select(SubsidyApplication.status, SubsidyApplication.created_at).where(
            SubsidyApplication.scheme == scheme,
            SubsidyApplication.institution_id == institution.id,
            SubsidyApplication.period == period,
            LIVE,
        )
    ).first()
    if existing is not None:
        raise TuoyuError(_second_message(scheme, institution.name, period, existing.status, existing.created_at.date()))


def _second_message(scheme: SubsidyScheme, name: str, period: str, status: ApplicationStatus, since: date) -> str:
    held = f"（{format_date_cn(since)}建立，当前状态“{status.label}”）"
    if scheme is SubsidyScheme.CONSTRUCTION:
        return (
            f"“{name}”已有建设补贴申请{held}。一次性建设补贴每家机构只能申请、领取一次；"
            "只有该申请被退回后才能重新申请。"
        )
    what = f"{period} 年度运营补贴" if scheme is SubsidyScheme.OPERATING else f"{period} 入托补贴"
    return f"“{name}”已有{what}申请{held}，同一期间只能有一份申请；如需重做，请先退回原申请。"


def _compute(facts, policy) -> SubsidyResult:
    try:
        return compute(facts, policy)
    except SubsidyFactsError as error:
        raise TuoyuError(f"无法计算补贴金额：{error.message}") from None


def _insert(
    session: Session,
    institution: InstitutionSnapshot,
    scheme: SubsidyScheme,
    period: str,
    result: SubsidyResult,
    facts_json: str,
) -> ApplicationOutcome:
    application = SubsidyApplication(
        scheme=scheme,
        institution_id=institution.id,
        county_code=institution.county_code,
        period=period,
        status=ApplicationStatus.DRAFT,
    )
    store_result(application, result, facts_json)
    session.add(application)
    try:
        session.flush()
    except IntegrityError:  # another clerk created it between our check and our insert
        raise TuoyuError(
            _second_message(scheme, institution.name, period, ApplicationStatus.DRAFT, utc_now().date())
        ) from None
    return _outcome(application, result.warnings)


def result_values(result: SubsidyResult, facts_json: str) -> dict[str, object]:
    """The columns a computation fills on an application."""
    return {
        "facts_json": facts_json,
        "policy_name": result.policy.name,
        "policy_version": str(result.policy.version),
        "policy_sha256": result.policy.sha256,
        "parameters_json": json.dumps(result.parameters, ensure_ascii=False, sort_keys=True),
        "eligible": result.eligible,
        "amount_fen": result.amount_fen,
        "city_share_fen": result.city_share_fen,
        "county_share_fen": result.county_share_fen,
        "reasons_json": json.dumps(
            {"reasons": list(result.reasons), "warnings": list(result.warnings)}, ensure_ascii=False
        ),
    }


def store_result(application: SubsidyApplication, result: SubsidyResult, facts_json: str) -> None:
    """Put computed figures on a not yet approved application (the database refuses it afterwards)."""
    for key, value in result_values(result, facts_json).items():
        if getattr(application, key, None) != value:
            setattr(application, key, value)


# --------------------------------------------------------------------------- steps


def submit(
    ctx: AppContext,
    application_id: uuid.UUID,
    *,
    today: date,
    expected_version: int | None = None,
    book: PolicyBook | None = None,
) -> ApplicationOutcome:
    """提交: the clerk hands the application to the county's first review."""
    return _step(ctx, application_id, Action.SUBMIT, today=today, expected_version=expected_version, book=book)


def first_review(
    ctx: AppContext,
    application_id: uuid.UUID,
    *,
    today: date,
    expected_version: int | None = None,
    book: PolicyBook | None = None,
) -> ApplicationOutcome:
    """初审通过."""
    return _step(ctx, application_id, Action.FIRST_REVIEW, today=today, expected_version=expected_version, book=book)


def approve(
    ctx: AppContext,
    application_id: uuid.UUID,
    *,
    today: date,
    expected_version: int | None = None,
    book: PolicyBook | None = None,
) -> ApplicationOutcome:
    """审核通过: the amount is computed a last time and frozen."""
    return _step(ctx, application_id, Action.APPROVE, today=today, expected_version=expected_version, book=book)


def pay(
    ctx: AppContext, application_id: uuid.UUID, *, today: date, expected_version: int | None = None
) -> ApplicationOutcome:
    """发放: the approved amount was paid on ``today``."""
    return _step(ctx, application_id, Action.PAY, today=today, expected_version=expected_version)


def reject(
    ctx: AppContext, application_id: uuid.UUID, reason: str, *, today: date, expected_version: int | None = None
) -> ApplicationOutcome:
    """退回 with a reason; an enrollment application's children can then be claimed again for the month."""
    return _step(ctx, application_id, Action.REJECT, today=today, expected_version=expected_version, reason=reason)


def _step(
    ctx: AppContext,
    application_id: uuid.UUID,
    action: Action,
    *,
    today: date,
    expected_version: int | None,
    reason: str | None = None,
    book: PolicyBook | None = None,
) -> ApplicationOutcome:
    try:
        with subsidy_write_session(ctx) as session:
            application = session.get(SubsidyApplication, application_id, with_for_update=True)
            if application is None:
                raise NotFoundError("该补贴申请已不存在，请刷新列表。")
            if expected_version is not None and application.version != expected_version:
                raise ConcurrentEditError("这份申请刚刚被其他人办理过，请刷新后查看它的当前状态再办理。")
            status = check_action(application.status, action, reason=reason)
            warnings: tuple[str, ...] = ()
            if action is not Action.REJECT and not is_frozen(application.status):
                result = _recompute(session, application, book or PolicyBook.of(ctx), today, action)
                warnings = result.warnings
                if action is Action.APPROVE and not result.eligible:
                    raise WorkflowError(
                        "按现行政策和机构现状重新计算，该申请不符合补贴条件（金额为 0），不能审核通过；"
                        "请查看计算依据，并退回申请、写明原因。"
                    )
            _record_step(application, action, status, who=ctx.actor.username, today=today, reason=reason)
            if status is ApplicationStatus.REJECTED and application.scheme is SubsidyScheme.ENROLLMENT:
                _free_claims(session, application.id)
            session.flush()
            return _outcome(application, warnings)
    except StaleDataError as error:
        raise ConcurrentEditError("这份申请刚刚被其他人办理过，请刷新后查看它的当前状态再办理。") from error


def _recompute(
    session: Session, application: SubsidyApplication, book: PolicyBook, today: date, action: Action
) -> SubsidyResult:
    """The amount from the register as it is now and the policy in force, stored on the application."""
    institution = load_institution(session, application.institution_id)
    what = f"办理“{action.label}”"
    if application.scheme is SubsidyScheme.CONSTRUCTION:
        refuse_closed(institution, what)
        stated = json.loads(application.facts_json).get("meets_standard", False)
        facts = construction_facts(
            session, institution, meets_standard=stated, today=today, application_id=application.id
        )
        result = _compute(facts, book.policy_for(institution.county_code, today, SubsidyKind.CONSTRUCTION))
        facts_json = facts_to_json(facts, date=today)
    elif application.scheme is SubsidyScheme.OPERATING:
        year = int(application.period)
        refuse_closed(institution, what, period_start=date(year, 1, 1))
        facts = operating_facts(session, institution, year, today=today)
        result = _compute(facts, book.policy_for(institution.county_code, date(year, 1, 1), SubsidyKind.OPERATING))
        facts_json = facts_to_json(facts)
    else:
        refuse_closed(institution, what, period_start=month_bounds(application.period)[0])
        result, facts_json = recompute_enrollment(session, application, institution, book, today)
    store_result(application, result, facts_json)
    return result


def _record_step(
    application: SubsidyApplication,
    action: Action,
    status: ApplicationStatus,
    *,
    who: str,
    today: date,
    reason: str | None,
) -> None:
    now = utc_now()
    application.status = status
    if action is Action.SUBMIT:
        application.submitted_at, application.submitted_by = now, who
    elif action is Action.FIRST_REVIEW:
        application.first_reviewed_at, application.first_reviewed_by = now, who
    elif action is Action.APPROVE:
        application.approved_at, application.approved_by = now, who
    elif action is Action.PAY:
        application.paid_on, application.paid_by = today, who
    else:
        application.rejected_at, application.rejected_by = now, who
        application.rejection_reason = (reason or "").strip()


def _free_claims(session: Session, application_id: uuid.UUID) -> None:
    table = EnrollmentClaim.__table__
    session.connection().execute(
        update(table)
        .where(table.c.application_id == application_id, table.c.live.is_(True))
        .values(live=False, updated_at=utc_now(), version=table.c.version + 1)
    )


def _outcome(application: SubsidyApplication, warnings: tuple[str, ...]) -> ApplicationOutcome:
    return ApplicationOutcome(
        application_id=application.id,
        institution_id=application.institution_id,
        status=application.status,
        version=application.version,
        eligible=bool(application.eligible),
        amount_fen=application.amount_fen or 0,
        warnings=tuple(warnings),
    )
