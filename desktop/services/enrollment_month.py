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

Batch: everything is computed first, then written in chunks, all in one transaction: applications
with bulk Core inserts, claims straight to the driver in SQLAlchemy's storage forms
(``desktop.services.driver_inserts``; ids read and written back in the database's own form).
``progress(done, total)`` is called as children are computed and claims written; ``cancelled()`` is
checked between chunks, and cancelling rolls the transaction back — nothing is written, so a
cancelled run leaves the month exactly as it was and can simply be run again. Each new
application gets one audit entry (with its number of claims); the claims themselves are lines of
their application, recomputable from the roster and the policy, and are not audited one by one.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop.db.session_events import audit_rows_for_bulk_insert
from desktop.domain.claim_conflicts import ClaimIssue, ExistingClaim, RosterEntry, choose_claimant
from desktop.domain.enums import ApplicationStatus, SubsidyScheme
from desktop.domain.subsidy_policy import SubsidyKind, SubsidyPolicy
from desktop.errors import TuoyuError
from desktop.models import AuditEntry, EnrollmentClaim, SubsidyApplication
from desktop.models.base import utc_now
from desktop.models.uuid7 import uuid7_batch
from desktop.services.batching import chunks
from desktop.services.driver_inserts import DriverInsert, as_uuid
from desktop.services.enrollment_claims import (
    ClaimCalculator,
    ClaimFigures,
    application_result,
    enrollment_facts_json,
    month_bounds,
    recompute_enrollment,
)
from desktop.services.enrollment_month_reads import (
    ChildInCare,
    CountyInstitution,
    children_in_care,
    count_children,
    counties,
    county_institutions,
    live_claims,
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
CLAIM_COLUMNS = (
    "id", "application_id", "child_id", "county_code", "month", "id_number", "eligible", "amount_fen",
    "reasons_json", "live", "created_at", "updated_at", "origin", "version",
)  # fmt: skip
CANCELLED = "已取消：本月入托补贴没有写入任何数据。"


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
class _Plan:
    """What one run will write. Claims are tuples: (application id in database form, child id as read,
    county, ID number, eligible, amount, reasons)."""

    claim_writer: DriverInsert
    applications: list[dict] = field(default_factory=list)
    claims: list[tuple] = field(default_factory=list)
    claim_counts: dict[uuid.UUID, int] = field(default_factory=dict)
    extended: set[uuid.UUID] = field(default_factory=set)
    issues: list[ClaimIssue] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    already: int = 0
    eligible: int = 0
    amount: int = 0


@dataclass
class _Run:
    """One call's settings and its progress."""

    month: str
    today: date
    stamp: dict
    report: Progress
    stop: Callable[[], bool]
    total: int = 0
    done: int = 0

    def advance(self, count: int, *, check: bool) -> None:
        self.done += count
        if check:
            self.report(self.done, self.total)
            if self.stop():
                raise PreparationCancelled(CANCELLED)


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
    first, _ = month_bounds(month)
    book = book or PolicyBook.of(ctx)
    now = utc_now()
    run = _Run(
        month,
        today or date.today(),
        {"created_at": now, "updated_at": now, "origin": ctx.node_id, "version": 1},
        progress or (lambda done, total: None),
        cancelled or (lambda: False),
    )
    with subsidy_write_session(ctx) as session:
        plan = _Plan(DriverInsert(session.connection(), EnrollmentClaim.__table__, CLAIM_COLUMNS))
        policies: dict[str, SubsidyPolicy] = {}
        for code in [county_code] if county_code else counties(session):
            try:
                policies[code] = book.policy_for(code, first, SubsidyKind.ENROLLMENT)
            except TuoyuError as error:
                if county_code:
                    raise
                plan.skipped.append(error.message)
        run.total = 2 * count_children(session, list(policies), month)
        for code, policy in policies.items():
            _plan_county(session, plan, run, code, policy)
        _write(session, ctx, plan, run)
        for application_id in sorted(plan.extended):
            _recompute_draft(session, application_id, book, run.today)
        run.report(run.total, run.total)
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


# --------------------------------------------------------------------------- planning


def _plan_county(session: Session, plan: _Plan, run: _Run, county_code: str, policy: SubsidyPolicy) -> None:
    institutions = county_institutions(session, county_code, run.month)
    chosen, not_added = _choose_rows(session, plan, institutions, county_code, run)
    overdue = {
        i.hex for i in institutions_with_overdue_major_rectification(session, run.today, county_code=county_code)
    }
    calculator = ClaimCalculator(policy, run.month)
    to_db = plan.claim_writer.to_db
    next_check = run.done + CHUNK
    for key in sorted(chosen, key=lambda k: (institutions[k].initials, institutions[k].name, str(k))):
        inst, rows = institutions[key], chosen[key]
        flagged = inst.uid.hex in overdue
        figures = calculator.claims(
            county_code, [row.dates for row in rows], filed=inst.filed, puhui=inst.puhui, overdue=flagged
        )
        if inst.application is not None:
            application_id = as_uuid(inst.application[0])
            plan.extended.add(application_id)
        else:
            application_id = _new_application(plan, run, inst, policy, figures, flagged)
        stored_id = to_db("application_id", application_id)
        for row, claim in zip(rows, figures, strict=True):
            plan.claims.append(
                (stored_id, row.id, row.id_number, claim.eligible, claim.amount_fen, claim.reasons_json, county_code)
            )
            if claim.eligible:
                plan.eligible += 1
                plan.amount += claim.amount_fen
        plan.claim_counts[application_id] = plan.claim_counts.get(application_id, 0) + len(rows)
        run.advance(len(rows), check=run.done + len(rows) >= next_check)
        if run.done >= next_check:
            next_check = run.done + CHUNK
    for key, count in not_added.items():
        inst = institutions[key]
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


def _choose_rows(
    session: Session, plan: _Plan, institutions: dict[Any, CountyInstitution], county_code: str, run: _Run
) -> tuple[dict[Any, list[ChildInCare]], dict[Any, int]]:
    """Which child rows claim this month, per institution; and per institution, how many could not
    be added because its application is past draft. Rows that claim nothing count as done."""
    claimed = live_claims(session, county_code, run.month)
    holder = {inst.application[0]: inst.name for inst in institutions.values() if inst.application is not None}
    groups: dict[str, list[ChildInCare]] = defaultdict(list)
    closed: dict[Any, int] = defaultdict(int)
    for row in children_in_care(session, county_code, run.month):
        if institutions[row.institution_id].closed_before:
            closed[row.institution_id] += 1
        else:
            groups[row.id_number.upper()].append(row)
    for key, count in closed.items():
        plan.skipped.append(
            f"“{institutions[key].name}”在本月之前已关闭，花名册上仍有 {count} 名幼儿未登记离托，未生成入托补贴申请。"
        )
    chosen: dict[Any, list[ChildInCare]] = defaultdict(list)
    not_added: dict[Any, int] = defaultdict(int)
    idle = sum(closed.values())
    for id_number, rows in groups.items():
        existing = claimed.get(id_number)
        if existing is None and len(rows) == 1:  # nearly every child: nothing to choose
            row = rows[0]
        else:
            if existing is not None:
                existing = ExistingClaim(existing[1], holder.get(existing[0], "本县区另一家机构"))
            entries = [
                RosterEntry(r.id, institutions[r.institution_id].name, r.name, r.enrolled_on, r.left_on) for r in rows
            ]
            choice = choose_claimant(id_number, entries, existing)
            plan.already += choice.already_claimed
            if choice.issue is not None:
                plan.issues.append(choice.issue)
            idle += len(rows) - (choice.claimant is not None)
            if choice.claimant is None:
                continue
            row = next(r for r in rows if r.id == choice.claimant.key)
        inst = institutions[row.institution_id]
        if inst.application is not None and inst.application[1] is not ApplicationStatus.DRAFT:
            not_added[row.institution_id] += 1
            idle += 1
        else:
            chosen[row.institution_id].append(row)
    run.advance(idle, check=False)
    return chosen, not_added


def _new_application(
    plan: _Plan, run: _Run, inst: CountyInstitution, policy: SubsidyPolicy, figures: list[ClaimFigures], overdue: bool
) -> uuid.UUID:
    (application_id,) = uuid7_batch(1)
    result = application_result(policy, inst.county_code, run.month, figures)
    facts = enrollment_facts_json(
        inst.county_code,
        run.month,
        filed=inst.filed,
        puhui=inst.puhui,
        overdue=overdue,
        children=len(figures),
        eligible=sum(f.eligible for f in figures),
    )
    plan.applications.append(
        {
            "id": application_id,
            "scheme": SubsidyScheme.ENROLLMENT,
            "institution_id": inst.uid,
            "county_code": inst.county_code,
            "period": run.month,
            "status": ApplicationStatus.DRAFT,
            **result_values(result, facts),
            **run.stamp,
        }
    )
    return application_id


# --------------------------------------------------------------------------- writing


def _write(session: Session, ctx: AppContext, plan: _Plan, run: _Run) -> None:
    if run.stop():
        raise PreparationCancelled(CANCELLED)
    audit = audit_rows_for_bulk_insert(
        SubsidyApplication,
        plan.applications,
        actor=ctx.actor.username,
        node_id=ctx.node_id,
        summary=f"准备 {run.month} 入托补贴",
        extra={row["id"]: {"enrollment_claims": plan.claim_counts.get(row["id"], 0)} for row in plan.applications},
    )
    writer = plan.claim_writer
    flags = {value: writer.to_db("eligible", value) for value in (False, True)}
    constant = (
        writer.to_db("month", run.month),
        writer.to_db("live", True),
        *(writer.to_db(name, run.stamp[name]) for name in ("created_at", "updated_at", "origin", "version")),
    )
    month_db, live_db, *stamp_db = constant
    connection = session.connection()
    remaining = run.total - run.done
    try:
        for chunk in chunks(plan.applications, CHUNK):
            connection.execute(insert(SubsidyApplication.__table__), chunk)
        for chunk in chunks(audit, CHUNK):
            connection.execute(insert(AuditEntry.__table__), chunk)
        written = 0
        for chunk in chunks(plan.claims, CHUNK):
            ids = writer.new_ids(len(chunk))
            writer.execute(
                [
                    (
                        claim_id,
                        application_id,
                        child_id,
                        county,
                        month_db,
                        id_number,
                        flags[eligible],
                        amount,
                        reasons,
                        live_db,
                        *stamp_db,
                    )
                    for claim_id, (application_id, child_id, id_number, eligible, amount, reasons, county) in zip(
                        ids, chunk, strict=True
                    )
                ]
            )
            written += len(chunk)
            run.report(run.done + remaining * written // len(plan.claims), run.total)
            if run.stop():
                raise PreparationCancelled(CANCELLED)
    except IntegrityError:
        raise TuoyuError(
            f"{run.month} 的入托补贴正由另一位用户同时准备，本次没有写入任何数据。请稍后刷新，再重新准备本月。"
        ) from None


def _recompute_draft(session: Session, application_id: uuid.UUID, book: PolicyBook, today: date) -> None:
    """A draft that got new children: its amount is the sum of all its claims again."""
    application = session.get(SubsidyApplication, application_id)
    institution = load_institution(session, application.institution_id)
    result, facts_json = recompute_enrollment(session, application, institution, book, today)
    store_result(application, result, facts_json)
    session.flush()
