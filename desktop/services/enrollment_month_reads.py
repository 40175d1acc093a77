"""What 准备本月入托补贴 reads: a county's institutions with their live application for the month, the
children in care during the month, and the month's live claims — ids and dates as the database holds
them, so a province's ~200,000 rows are not converted value by value (``desktop.services.driver_inserts``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from desktop.domain.enums import ApplicationStatus, FilingStatus, OperatingStatus, RegionLevel, SubsidyScheme
from desktop.models import Child, EnrollmentClaim, Institution, Region, SubsidyApplication
from desktop.services.driver_inserts import as_uuid, raw_date, raw_id
from desktop.services.enrollment_claims import month_bounds

__all__ = [
    "ChildInCare",
    "CountyInstitution",
    "children_in_care",
    "count_children",
    "counties",
    "county_institutions",
    "live_claims",
]


@dataclass
class CountyInstitution:
    uid: uuid.UUID
    name: str
    initials: str
    county_code: str
    filed: bool
    puhui: bool
    closed_before: bool
    application: tuple[Any, ApplicationStatus] | None = None  # (raw id, status) of its live application


def counties(session: Session) -> list[str]:
    return list(
        session.scalars(
            select(Region.code)
            .where(Region.level == RegionLevel.COUNTY, Region.code.in_(select(Institution.county_code).distinct()))
            .order_by(Region.code)
        )
    )


def in_month(month: str) -> tuple:
    first, last = month_bounds(month)
    return (Child.enrolled_on <= last, or_(Child.left_on.is_(None), Child.left_on >= first))


def count_children(session: Session, counties: Sequence[str], month: str) -> int:
    if not counties:
        return 0
    return session.scalar(
        select(func.count())
        .select_from(Child)
        .join(Institution, Institution.id == Child.institution_id)
        .where(Institution.county_code.in_(counties), *in_month(month))
    )


def county_institutions(session: Session, county_code: str, month: str) -> dict[Any, CountyInstitution]:
    """The county's institutions by raw id, each with its live application for the month."""
    first, _ = month_bounds(month)
    result = {}
    for row in session.execute(
        select(
            raw_id(Institution.id),
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
        filed = row.filing_status is FilingStatus.FILED
        result[row.id] = CountyInstitution(
            as_uuid(row.id), row.name, row.name_initials, county_code, filed, row.puhui, closed_before
        )
    for application_id, institution_id, status in session.execute(
        select(
            raw_id(SubsidyApplication.id), raw_id(SubsidyApplication.institution_id), SubsidyApplication.status
        ).where(
            SubsidyApplication.scheme == SubsidyScheme.ENROLLMENT,
            SubsidyApplication.county_code == county_code,
            SubsidyApplication.period == month,
            SubsidyApplication.status != ApplicationStatus.REJECTED,
        )
    ):
        if institution_id in result:
            result[institution_id].application = (application_id, status)
    return result


class ChildInCare(NamedTuple):
    id: Any  # as the database holds it
    institution_id: Any
    name: str
    id_number: str
    enrolled_on: date
    left_on: date | None
    dates: tuple[date, date, date | None]  # birth, enrolled, left: what the calculator reads


def children_in_care(session: Session, county_code: str, month: str) -> list[ChildInCare]:
    """The county's children in care during the month. Dates are read as text and converted once per
    distinct day (a province month holds ~200,000 children but a few thousand days)."""
    days = _Days()
    children = []
    for child_id, institution_id, name, id_number, born, enrolled, left in session.execute(
        select(
            raw_id(Child.id),
            raw_id(Child.institution_id),
            Child.name,
            Child.id_number,
            raw_date(Child.birth_date),
            raw_date(Child.enrolled_on),
            raw_date(Child.left_on),
        )
        .join(Institution, Institution.id == Child.institution_id)
        .where(Institution.county_code == county_code, *in_month(month))
    ):
        enrolled_on, left_on = days[enrolled], days[left]
        children.append(
            ChildInCare(
                child_id, institution_id, name, id_number, enrolled_on, left_on, (days[born], enrolled_on, left_on)
            )
        )
    return children


class _Days(dict):
    def __missing__(self, value: Any) -> date | None:
        day = self[value] = value if value is None or isinstance(value, date) else date.fromisoformat(value)
        return day


def live_claims(session: Session, county_code: str, month: str) -> dict[str, tuple[Any, Any]]:
    """ID number -> (application id, child id), raw, of the month's live claims in the county."""
    return {
        id_number: (application_id, child_id)
        for id_number, application_id, child_id in session.execute(
            select(
                EnrollmentClaim.id_number, raw_id(EnrollmentClaim.application_id), raw_id(EnrollmentClaim.child_id)
            ).where(
                EnrollmentClaim.county_code == county_code,
                EnrollmentClaim.month == month,
                EnrollmentClaim.live.is_(True),
            )
        )
    }
