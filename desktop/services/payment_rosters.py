"""发放花名册 per month and scheme, and the year's summary per county: the money out and who pays it.

A month's roster lists the applications paid in it and those approved and waiting to be paid:

- enrollment: the applications for that month (period = month), approved or paid, each with its
  children (eligible claims, ID numbers masked);
- construction and operating: paid during that month (payment date), or approved by the month's
  end and not yet paid — the list the county hands to finance.

The annual summary counts what was paid in the year, by payment date (the treasury's view): an
enrollment month of December paid in January is in the next year's summary.

Amounts and shares are the frozen ones on each application; nothing is recomputed here.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import and_, func, or_, select

from desktop.domain.enums import ApplicationStatus, SubsidyScheme
from desktop.domain.identifiers import mask_id_number
from desktop.domain.payment_roster import AnnualSummary, ChildLine, PaymentRoster, RosterLine, SummaryRow
from desktop.excel.payment_roster_workbooks import write_annual_summary_xlsx, write_payment_roster_xlsx
from desktop.models import Child, EnrollmentClaim, Institution, Region, SubsidyApplication
from desktop.services.enrollment_claims import month_bounds
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_connection

__all__ = ["annual_summary", "export_annual_summary", "export_payment_roster", "payment_roster"]

A = SubsidyApplication
# Timestamps are stored in UTC; the bureau's day ends at midnight China time (UTC+8).
CHINA = timedelta(hours=8)


def payment_roster(
    ctx: AppContext, month: str, scheme: SubsidyScheme, *, county_code: str | None = None
) -> PaymentRoster:
    first, last = month_bounds(month)
    if scheme is SubsidyScheme.ENROLLMENT:
        which = and_(A.period == month, A.status.in_([ApplicationStatus.APPROVED, ApplicationStatus.PAID]))
    else:
        month_end = datetime.combine(last + timedelta(days=1), time(), tzinfo=UTC) - CHINA
        which = or_(
            and_(A.status == ApplicationStatus.PAID, A.paid_on >= first, A.paid_on <= last),
            and_(A.status == ApplicationStatus.APPROVED, A.approved_at < month_end),
        )
    query = (
        select(
            A.id,
            Institution.name,
            A.county_code,
            Region.name.label("county_name"),
            A.period,
            A.status,
            A.paid_on,
            A.amount_fen,
            A.city_share_fen,
            A.county_share_fen,
        )
        .join(Institution, Institution.id == A.institution_id)
        .join(Region, Region.code == A.county_code)
        .where(A.scheme == scheme, which)
        .order_by(A.county_code, Institution.name_initials, Institution.name, A.id)
    )
    if county_code:
        query = query.where(A.county_code == county_code)
    with read_connection(ctx.db) as connection:
        rows = connection.execute(query).all()
        children = _children(connection, which, county_code) if scheme is SubsidyScheme.ENROLLMENT else {}
        county_name = connection.scalar(select(Region.name).where(Region.code == county_code)) if county_code else ""
    lines = tuple(
        RosterLine(
            application_id=str(row.id),
            institution=row.name,
            county_code=row.county_code,
            county_name=row.county_name,
            period=row.period,
            status=row.status,
            paid_on=row.paid_on,
            amount_fen=row.amount_fen or 0,
            city_share_fen=row.city_share_fen or 0,
            county_share_fen=row.county_share_fen or 0,
            children=tuple(children.get(row.id, ())),
        )
        for row in rows
    )
    return PaymentRoster(scheme, month, county_name or "", lines)


def _children(connection, which, county_code: str | None) -> dict[uuid.UUID, list[ChildLine]]:
    """The eligible children of each enrollment application on the roster, ID numbers masked."""
    query = (
        select(EnrollmentClaim.application_id, Child.name, EnrollmentClaim.id_number, EnrollmentClaim.amount_fen)
        .join(A, A.id == EnrollmentClaim.application_id)
        .join(Child, Child.id == EnrollmentClaim.child_id)
        .where(
            A.scheme == SubsidyScheme.ENROLLMENT,
            which,
            EnrollmentClaim.live.is_(True),
            EnrollmentClaim.eligible.is_(True),
        )
        .order_by(Child.name, EnrollmentClaim.id_number)
    )
    if county_code:
        query = query.where(A.county_code == county_code)
    found: dict[uuid.UUID, list[ChildLine]] = defaultdict(list)
    for application_id, name, id_number, amount in connection.execute(query):
        found[application_id].append(ChildLine(name, mask_id_number(id_number), amount))
    return found


def annual_summary(ctx: AppContext, year: int, *, county_code: str | None = None) -> AnnualSummary:
    query = (
        select(
            A.county_code,
            Region.name,
            A.scheme,
            func.count(),
            func.sum(A.amount_fen),
            func.sum(A.city_share_fen),
            func.sum(A.county_share_fen),
        )
        .join(Region, Region.code == A.county_code)
        .where(A.status == ApplicationStatus.PAID, A.paid_on >= date(year, 1, 1), A.paid_on <= date(year, 12, 31))
        .group_by(A.county_code, Region.name, A.scheme)
        .order_by(A.county_code, A.scheme)
    )
    if county_code:
        query = query.where(A.county_code == county_code)
    with read_connection(ctx.db) as connection:
        rows = connection.execute(query).all()
        county_name = connection.scalar(select(Region.name).where(Region.code == county_code)) if county_code else ""
    order = list(SubsidyScheme)
    summary_rows = sorted(
        (
            SummaryRow(code, name, SubsidyScheme(scheme), count, int(amount or 0), int(city or 0), int(county or 0))
            for code, name, scheme, count, amount, city, county in rows
        ),
        key=lambda r: (r.county_code, order.index(r.scheme)),
    )
    return AnnualSummary(year, county_name or "", tuple(summary_rows))


def export_payment_roster(
    ctx: AppContext, path: Path, month: str, scheme: SubsidyScheme, *, county_code: str | None = None
) -> PaymentRoster:
    """The roster written to ``path`` (.xlsx); returns what was written."""
    roster = payment_roster(ctx, month, scheme, county_code=county_code)
    write_payment_roster_xlsx(path, roster)
    return roster


def export_annual_summary(ctx: AppContext, path: Path, year: int, *, county_code: str | None = None) -> AnnualSummary:
    summary = annual_summary(ctx, year, county_code=county_code)
    write_annual_summary_xlsx(path, summary)
    return summary
