"""准备本月入托补贴: one enrollment application per institution-month from the children's roster.

A child is on an institution's roster for a month when it was enrolled on or before the month's last
day and had not left before its first. Each such child becomes one claim (child-month) computed by
the policy in force on the month's first day; the application's amount is the sum of its eligible
claims, split between payers on that sum (``desktop.services.enrollment_claims``).

A child — by ID number — is claimed at most once per month in a county:

- already claimed this month (by another institution's live application) → a conflict for the
  clerk, not claimed again;
- on two rosters at once (two institutions, or twice on one) with overlapping stays → a conflict,
  claimed by neither until the clerk corrects the roster (a leaving date, a mistyped ID number) and
  prepares the month again;
- moved during the month (the first stay ended before the second began) → claimed once, by the
  institution it moved to, and listed so the clerk sees it.

The partial unique index on live claims (county, month, ID number) is the backstop.

Running the month again adds only what is missing: institutions without an application get one; a
draft gets the children added to its roster since; an application already submitted or further is
not touched (its new children are listed). A rejected application no longer holds its children, so
the month can be prepared again for that institution.

Batch: everything is computed first, then written with bulk Core inserts in chunks, all in one
transaction. ``progress(done, total)`` is called as children are computed and claims written;
``cancelled()`` is checked between chunks, and cancelling rolls the transaction back — nothing is
written, so a cancelled run leaves the month exactly as it was and can simply be run again. Each new
application gets one audit entry (with its number of claims); the claims themselves are lines of
their application, recomputable from the roster and the policy, and are not audited one by one.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop.db.session_events import audit_rows_for_bulk_insert
from desktop.domain.claim_conflicts import ClaimIssue, ExistingClaim, RosterEntry, choose_claimant
from desktop.domain.enums import ApplicationStatus, FilingStatus, OperatingStatus, RegionLevel, SubsidyScheme
from desktop.domain.subsidy_policy import SubsidyKind, SubsidyPolicy
from desktop.errors import TuoyuError
from desktop.models import AuditEntry, Child, EnrollmentClaim, Institution, Region, SubsidyApplication
from desktop.models.base import utc_now
from desktop.models.uuid7 import uuid7_batch
from desktop.services.batching import chunks
from desktop.services.enrollment_claims import (
    ClaimCalculator,
    ClaimFigures,
    application_result,
    enrollment_facts_json,
    month_bounds,
    recompute_enrollment,
)
from desktop.services.startup import AppContext
from desktop.services.subsidy_applications import result_values, store_result
from desktop.services.subsidy_facts import (
    PolicyBook,
    institutions_with_overdue_major_rectification,
    load_institution,
    subsidy_write_session,
)

__all__ = ["ClaimIssue", "PreparationCancelled", "PreparedMonth", "prepare_enrollment_month"]

CHUNK = 5000
Progress = Callable[[int, int], None]


class PreparationCancelled(TuoyuError):
    """The clerk cancelled: the transaction was rolled back and nothing was written."""


@dataclass(frozen=True)
class PreparedMonth:
    month: str
    counties: tuple[str, ...]
    applications_created: int
    applications_extended: int
    claims_added: int
    eligible_claims_added: int
    amount_added_fen: int
    already_claimed: int
    issues: tuple[ClaimIssue, ...]
    skipped: tuple[str, ...]

    @property
    def conflicts(self) -> tuple[ClaimIssue, ...]:
        return tuple(issue for issue in self.issues if issue.kind == "conflict")

    def as_json(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "counties": list(self.counties),
            "applications_created": self.applications_created,
            "applications_extended": self.applications_extended,
            "claims_added": self.claims_added,
            "eligible_claims_added": self.eligible_claims_added,
            "amount_added_fen": self.amount_added_fen,
            "already_claimed": self.already_claimed,
            "conflicts": len(self.conflicts),
            "issues": [issue.__dict__ for issue in self.issues],
            "skipped": list(self.skipped),
        }


@dataclass
class _Row:
    child_id: uuid.UUID
    institution_id: uuid.UUID
    name: str
    id_number: str
    birth_date: date
    enrolled_on: date
    left_on: date | None


@dataclass
class _Institution:
    id: uuid.UUID
    name: str
    initials: str
    county_code: str
    filed: bool
    puhui: bool
    closed_before: bool
    application: tuple[uuid.UUID, ApplicationStatus] | None = None


@dataclass
class _Plan:
    """What one run will write."""

    applications: list[dict] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)
    claim_counts: dict[uuid.UUID, int] = field(default_factory=dict)
    extended: set[uuid.UUID] = field(default_factory=set)
    issues: list[ClaimIssue] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    already: int = 0
    eligible: int = 0
    amount: int = 0


def prepare_enrollment_month(
    ctx: AppContext,
    county_code: str | None,
    month: str,
    *,
    today: date | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    book: PolicyBook | None = None,
) -> PreparedMonth:
    """Prepare ``month`` ("2026-11") for one county, or for every county when ``county_code`` is None."""
    today = today or date.today()
    first, _ = month_bounds(month)
    book = book or PolicyBook()
    report = progress or (lambda done, total: None)
    stop = cancelled or (lambda: False)
    plan = _Plan()
    now = utc_now()
    stamp = {"created_at": now, "updated_at": now, "origin": ctx.node_id, "version": 1}
    with subsidy_write_session(ctx) as session:
        codes = [county_code] if county_code else _counties(session)
        policies: dict[str, SubsidyPolicy] = {}
        for code in codes:
            try:
                policies[code] = book.policy_for(code, first, SubsidyKind.ENROLLMENT)
            except TuoyuError as error:
                if county_code:
                    raise
                plan.skipped.append(error.message)
        total = 2 * _count_candidates(session, list(policies), month)
        done = 0
        for code, policy in policies.items():
            done = _plan_county(session, plan, code, policy, month, today, stamp, (done, total), report, stop)
        _write(session, ctx, plan, month, (done, total), report, stop)
        for application_id in sorted(plan.extended):
            _recompute_draft(session, application_id, book, today)
        report(total, total)
    return PreparedMonth(
        month=month,
        counties=tuple(policies),
        applications_created=len(plan.applications),
        applications_extended=len(plan.extended),
        claims_added=len(plan.claims),
        eligible_claims_added=plan.eligible,
        amount_added_fen=plan.amount,
        already_claimed=plan.already,
        issues=tuple(plan.issues),
        skipped=tuple(plan.skipped),
    )


# --------------------------------------------------------------------------- reading


def _counties(session: Session) -> list[str]:
    return list(
        session.scalars(
            select(Region.code)
            .where(Region.level == RegionLevel.COUNTY, Region.code.in_(select(Institution.county_code).distinct()))
            .order_by(Region.code)
        )
    )


def _in_month(month: str):
    first, last = month_bounds(month)
    return (Child.enrolled_on <= last, or_(Child.left_on.is_(None), Child.left_on >= first))


def _count_candidates(session: Session, counties: Sequence[str], month: str) -> int:
    if not counties:
        return 0
    return session.scalar(
        select(func.count())
        .select_from(Child)
        .join(Institution, Institution.id == Child.institution_id)
        .where(Institution.county_code.in_(counties), *_in_month(month))
    )


def _institutions(session: Session, county_code: str, month: str) -> dict[uuid.UUID, _Institution]:
    first, _ = month_bounds(month)
    result = {}
    for row in session.execute(
        select(
            Institution.id,
            Institution.name,
            Institution.name_initials,
            Institution.filing_status,
            Institution.puhui,
            Institution.operating_status,
            Institution.status_changed_on,
        ).where(Institution.county_code == county_code)
    ):
        closed_before = row.operating_status is OperatingStatus.CLOSED and (
            row.status_changed_on is None or row.status_changed_on < first
        )
        result[row.id] = _Institution(
            row.id,
            row.name,
            row.name_initials,
            county_code,
            row.filing_status is FilingStatus.FILED,
            row.puhui,
            closed_before,
        )
    for application_id, institution_id, status in session.execute(
        select(SubsidyApplication.id, SubsidyApplication.institution_id, SubsidyApplication.status).where(
            SubsidyApplication.scheme == SubsidyScheme.ENROLLMENT,
            SubsidyApplication.county_code == county_code,
            SubsidyApplication.period == month,
            SubsidyApplication.status != ApplicationStatus.REJECTED,
        )
    ):
        if institution_id in result:
            result[institution_id].application = (application_id, status)
    return result


def _rows(session: Session, county_code: str, month: str) -> list[_Row]:
    return [
        _Row(*row)
        for row in session.execute(
            select(
                Child.id,
                Child.institution_id,
                Child.name,
                Child.id_number,
                Child.birth_date,
                Child.enrolled_on,
                Child.left_on,
            )
            .join(Institution, Institution.id == Child.institution_id)
            .where(Institution.county_code == county_code, *_in_month(month))
        )
    ]


# --------------------------------------------------------------------------- planning


def _plan_county(
    session: Session,
    plan: _Plan,
    county_code: str,
    policy: SubsidyPolicy,
    month: str,
    today: date,
    stamp: dict,
    position: tuple[int, int],
    report: Progress,
    stop: Callable[[], bool],
) -> int:
    done, total = position
    institutions = _institutions(session, county_code, month)
    claimed = {
        id_number: (application_id, child_id)
        for id_number, application_id, child_id in session.execute(
            select(EnrollmentClaim.id_number, EnrollmentClaim.application_id, EnrollmentClaim.child_id).where(
                EnrollmentClaim.county_code == county_code,
                EnrollmentClaim.month == month,
                EnrollmentClaim.live.is_(True),
            )
        )
    }
    holder = {
        inst.application[0]: inst for inst in institutions.values() if inst.application is not None
    }  # application -> institution
    groups: dict[str, list[_Row]] = defaultdict(list)
    closed: dict[uuid.UUID, int] = defaultdict(int)
    for row in _rows(session, county_code, month):
        if institutions[row.institution_id].closed_before:
            closed[row.institution_id] += 1
        else:
            groups[row.id_number.upper()].append(row)
    for institution_id, count in closed.items():
        inst = institutions[institution_id]
        plan.skipped.append(
            f"“{inst.name}”在本月之前已关闭，花名册上仍有 {count} 名幼儿未登记离托，未生成入托补贴申请。"
        )
    chosen: dict[uuid.UUID, list[_Row]] = defaultdict(list)
    not_added: dict[uuid.UUID, int] = defaultdict(int)
    for id_number, rows in groups.items():
        existing = claimed.get(id_number)
        if existing is None and len(rows) == 1:  # nearly every child: nothing to choose
            _add(chosen, not_added, institutions, rows[0])
            continue
        if existing is not None:
            application_id, child_id = existing
            claimant = holder[application_id].name if application_id in holder else "本县区另一家机构"
            existing = ExistingClaim(child_id, claimant)
        by_key = {row.child_id: row for row in rows}
        entries = [
            RosterEntry(row.child_id, institutions[row.institution_id].name, row.name, row.enrolled_on, row.left_on)
            for row in rows
        ]
        choice = choose_claimant(id_number, entries, existing)
        plan.already += choice.already_claimed
        if choice.issue is not None:
            plan.issues.append(choice.issue)
        if choice.claimant is None:
            continue
        _add(chosen, not_added, institutions, by_key[choice.claimant.key])
    for institution_id, count in not_added.items():
        inst = institutions[institution_id]
        plan.issues.append(
            ClaimIssue(
                "not_added",
                "",
                (),
                (inst.name,),
                f"“{inst.name}”本月的申请已{inst.application[1].label}，其后登记的 {count} 名幼儿未加入；"
                "如需加入，请退回该申请后重新准备本月。",
            )
        )
    overdue = institutions_with_overdue_major_rectification(session, today, county_code=county_code)
    calculator = ClaimCalculator(policy, month)
    next_check = done + CHUNK
    for inst in sorted((institutions[i] for i in chosen), key=lambda i: (i.initials, i.name, str(i.id))):
        rows = chosen[inst.id]
        figures = [
            calculator.claim(
                county_code,
                row.birth_date,
                row.enrolled_on,
                row.left_on,
                filed=inst.filed,
                puhui=inst.puhui,
                overdue=inst.id in overdue,
            )
            for row in rows
        ]
        if inst.application is not None:
            application_id = inst.application[0]
            plan.extended.add(application_id)
        else:
            application_id = _new_application(plan, inst, policy, month, figures, inst.id in overdue, stamp)
        for row, claim in zip(rows, figures, strict=True):
            plan.claims.append(
                {
                    "application_id": application_id,
                    "child_id": row.child_id,
                    "county_code": county_code,
                    "month": month,
                    "id_number": row.id_number,
                    "eligible": claim.eligible,
                    "amount_fen": claim.amount_fen,
                    "reasons_json": claim.reasons_json,
                    "live": True,
                    **stamp,
                }
            )
            if claim.eligible:
                plan.eligible += 1
                plan.amount += claim.amount_fen
        plan.claim_counts[application_id] = plan.claim_counts.get(application_id, 0) + len(rows)
        done += len(rows)
        if done >= next_check:
            next_check = done + CHUNK
            report(done, total)
            if stop():
                raise PreparationCancelled("已取消：本月入托补贴没有写入任何数据。")
    # Children computed for nobody (conflicts, closed, not added) still count towards the progress.
    return done + sum(closed.values()) + _unassigned(groups, chosen)


def _add(
    chosen: dict[uuid.UUID, list[_Row]],
    not_added: dict[uuid.UUID, int],
    institutions: dict[uuid.UUID, _Institution],
    row: _Row,
) -> None:
    """The row claims, unless its institution's application for the month is already past draft."""
    inst = institutions[row.institution_id]
    if inst.application is not None and inst.application[1] is not ApplicationStatus.DRAFT:
        not_added[inst.id] += 1
    else:
        chosen[inst.id].append(row)


def _unassigned(groups: dict[str, list[_Row]], chosen: dict[uuid.UUID, list[_Row]]) -> int:
    """Rows claimed by nobody this run (conflicts, already claimed, not added)."""
    return sum(len(rows) for rows in groups.values()) - sum(len(rows) for rows in chosen.values())


def _new_application(
    plan: _Plan,
    inst: _Institution,
    policy: SubsidyPolicy,
    month: str,
    figures: list[ClaimFigures],
    overdue: bool,
    stamp: dict,
) -> uuid.UUID:
    (application_id,) = uuid7_batch(1)
    result = application_result(policy, inst.county_code, month, figures)
    values = result_values(
        result,
        enrollment_facts_json(
            inst.county_code,
            month,
            filed=inst.filed,
            puhui=inst.puhui,
            overdue=overdue,
            children=len(figures),
            eligible=sum(f.eligible for f in figures),
        ),
    )
    row = {
        "id": application_id,
        "scheme": SubsidyScheme.ENROLLMENT,
        "institution_id": inst.id,
        "county_code": inst.county_code,
        "period": month,
        "status": ApplicationStatus.DRAFT,
        **values,
        **stamp,
    }
    plan.applications.append(row)
    return application_id


# --------------------------------------------------------------------------- writing


def _write(
    session: Session,
    ctx: AppContext,
    plan: _Plan,
    month: str,
    position: tuple[int, int],
    report: Progress,
    stop: Callable[[], bool],
) -> None:
    done, total = position
    if stop():
        raise PreparationCancelled("已取消：本月入托补贴没有写入任何数据。")
    applications = plan.applications
    claims = plan.claims
    for row, claim_id in zip(claims, uuid7_batch(len(claims)), strict=True):
        row["id"] = claim_id
    audit = audit_rows_for_bulk_insert(
        SubsidyApplication,
        applications,
        actor=ctx.actor.username,
        node_id=ctx.node_id,
        summary=f"准备 {month} 入托补贴",
        extra={row["id"]: {"enrollment_claims": plan.claim_counts.get(row["id"], 0)} for row in applications},
    )
    connection = session.connection()
    try:
        for chunk in chunks(applications, CHUNK):
            connection.execute(insert(SubsidyApplication.__table__), chunk)
        for chunk in chunks(audit, CHUNK):
            connection.execute(insert(AuditEntry.__table__), chunk)
        remaining = total - done
        for written, chunk in enumerate(chunks(claims, CHUNK), 1):
            connection.execute(insert(EnrollmentClaim.__table__), chunk)
            report(done + remaining * min(written * CHUNK, len(claims)) // max(len(claims), 1), total)
            if stop():
                raise PreparationCancelled("已取消：本月入托补贴没有写入任何数据。")
    except IntegrityError:
        raise TuoyuError(
            f"{month} 的入托补贴正由另一位用户同时准备，本次没有写入任何数据。请稍后刷新，再重新准备本月。"
        ) from None


def _recompute_draft(session: Session, application_id: uuid.UUID, book: PolicyBook, today: date) -> None:
    """A draft that got new children: its amount is the sum of all its claims again."""
    application = session.get(SubsidyApplication, application_id)
    institution = load_institution(session, application.institution_id)
    result, facts_json = recompute_enrollment(session, application, institution, book, today)
    store_result(application, result, facts_json)
    session.flush()
