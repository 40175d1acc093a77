"""跨县区重复申领: the same child (ID number) claimed for the enrollment subsidy in two or more counties in one
month — what the city looks for once every county's bundle is in its database.

Within a county a child is claimed once a month (the live-claim unique index and desktop.domain.claim_conflicts);
across counties nothing stops it, because each county only sees its own rosters. Only live, eligible claims of
applications that were approved or paid count: a draft or a rejected application pays nothing. Each case lists
every county's claim with its institution, status and amount, so the city can ask the counties which one stands.
ID numbers are masked in what this returns; the grouping itself is done on the full number in the database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from desktop.domain.enums import ApplicationStatus
from desktop.domain.identifiers import mask_id_number
from desktop.models import Child, EnrollmentClaim, Institution, Region, SubsidyApplication
from desktop.services.enrollment_claims import month_bounds
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session

PAYING = (ApplicationStatus.APPROVED, ApplicationStatus.PAID)


@dataclass(frozen=True)
class CountyClaim:
    county_code: str
    county_name: str
    institution: str
    child_name: str
    status: ApplicationStatus
    paid_on: date | None
    amount_fen: int


@dataclass(frozen=True)
class CrossCountyClaim:
    month: str
    id_number_masked: str
    claims: tuple[CountyClaim, ...]  # one per claim, by county code

    @property
    def paid_twice(self) -> bool:
        """Money already went out in more than one county (not merely approved)."""
        return sum(1 for claim in self.claims if claim.status is ApplicationStatus.PAID) > 1

    @property
    def amount_fen(self) -> int:
        return sum(claim.amount_fen for claim in self.claims)


def cross_county_claims(ctx: AppContext, *, month: str | None = None) -> list[CrossCountyClaim]:
    """Every child claimed in more than one county in a month (one month, or all), by month then masked number."""
    E, A = EnrollmentClaim, SubsidyApplication
    counted = (E.live.is_(True), E.eligible.is_(True), A.status.in_(PAYING))
    if month is not None:
        month_bounds(month)  # refuses a malformed month in Chinese
    duplicated = (
        select(E.month, E.id_number)
        .join(A, A.id == E.application_id)
        .where(*counted, *((E.month == month,) if month else ()))
        .group_by(E.month, E.id_number)
        .having(func.count(func.distinct(E.county_code)) > 1)
        .subquery()
    )
    query = (
        select(
            E.month, E.id_number, E.county_code, Region.name, Institution.name, Child.name, A.status, A.paid_on,
            E.amount_fen,
        )
        .join(duplicated, (duplicated.c.month == E.month) & (duplicated.c.id_number == E.id_number))
        .join(A, A.id == E.application_id)
        .join(Institution, Institution.id == A.institution_id)
        .join(Child, Child.id == E.child_id)
        .outerjoin(Region, Region.code == E.county_code)
        .where(*counted)
        .order_by(E.month, E.id_number, E.county_code, Institution.name)
    )  # fmt: skip
    grouped: dict[tuple[str, str], list[CountyClaim]] = defaultdict(list)
    with read_session(ctx.db) as session:
        for row in session.execute(query):
            grouped[(row[0], row[1])].append(
                CountyClaim(row.county_code, row[3] or row.county_code, row[4], row[5], ApplicationStatus(row.status),
                            row.paid_on, row.amount_fen)
            )  # fmt: skip
    return [
        CrossCountyClaim(claimed_month, mask_id_number(number), tuple(claims))
        for (claimed_month, number), claims in grouped.items()
    ]
