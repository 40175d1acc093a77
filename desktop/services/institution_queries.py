"""Read side of the institution register: ids for a filter and sort, rows for a page, one record.

Lists never load ORM objects (10x slower than a Core select of the needed columns, see
performance-baselines §2e): ``search_institution_ids`` returns ordered ids; the table model asks
``load_institution_rows`` for the page it is about to paint.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, String, and_, func, or_, select, type_coerce
from sqlalchemy.orm import aliased

from desktop.domain.enums import (
    ClassType,
    FilingStatus,
    OperatingStatus,
    Ownership,
    RegistrationType,
    ServiceMode,
    Sex,
    SponsorType,
    StaffRole,
)
from desktop.domain.identifiers import mask_id_number
from desktop.domain.pinyin_search import is_initials_query
from desktop.errors import NotFoundError
from desktop.models import ClassGroup, Institution, Region, StaffMember
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_connection, read_session

County = aliased(Region)
Township = aliased(Region)


@dataclass(frozen=True)
class InstitutionFilter:
    text: str = ""
    county_code: str | None = None
    township_code: str | None = None
    sponsor_type: SponsorType | None = None
    puhui: bool | None = None
    filing_status: FilingStatus | None = None
    operating_status: OperatingStatus | None = None


@dataclass(frozen=True)
class InstitutionRow:
    """What one line of the institution list shows."""

    id: uuid.UUID
    name: str
    county_name: str
    township_name: str
    sponsor_type: SponsorType
    slots: int
    puhui: bool
    filing_status: FilingStatus
    operating_status: OperatingStatus
    credit_code: str
    contact_phone: str


# Sort keys the list offers, each mapped to the SQL expressions it sorts by. Names sort by their
# pinyin initials first, which is the order Chinese users expect (code-point order is not).
SORT_COLUMNS = {
    "name": (Institution.name_initials, Institution.name),
    "county": Institution.county_code,
    "township": Institution.township_code,
    "sponsor_type": Institution.sponsor_type,
    "slots": Institution.slots,
    "puhui": Institution.puhui,
    "filing_status": Institution.filing_status,
    "operating_status": Institution.operating_status,
    "credit_code": Institution.credit_code,
    "contact_phone": Institution.contact_phone,
}


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(statement: Select, criteria: InstitutionFilter) -> Select:
    conditions = []
    text = criteria.text.strip()
    if text:
        pattern = f"%{_escape_like(text)}%"
        matches = [
            Institution.name.like(pattern, escape="\\"),
            Institution.address.like(pattern, escape="\\"),
        ]
        if text.isascii():  # credit codes are ASCII: a Chinese query cannot match one
            matches.append(Institution.credit_code.like(pattern.upper(), escape="\\"))
        if is_initials_query(text):
            # Pinyin initials: "ygty" finds …阳光托育… (letters together anywhere), and "zyty" finds
            # 张掖…托育… (the name starts with the first letter, the others follow in order).
            letters = text.lower()
            matches.append(Institution.name_initials.like(f"%{letters}%"))
            matches.append(Institution.name_initials.like("%".join(letters) + "%"))
        conditions.append(or_(*matches))
    if criteria.county_code:
        conditions.append(Institution.county_code == criteria.county_code)
    if criteria.township_code:
        conditions.append(Institution.township_code == criteria.township_code)
    if criteria.sponsor_type is not None:
        conditions.append(Institution.sponsor_type == criteria.sponsor_type)
    if criteria.puhui is not None:
        conditions.append(Institution.puhui.is_(criteria.puhui))
    if criteria.filing_status is not None:
        conditions.append(Institution.filing_status == criteria.filing_status)
    if criteria.operating_status is not None:
        conditions.append(Institution.operating_status == criteria.operating_status)
    return statement.where(and_(*conditions)) if conditions else statement


# An institution id as the database driver hands it back (hex text on SQLite, a UUID on PostgreSQL).
# Lists keep these: turning 100,000 of them into UUID objects on every keystroke costs more than the
# query. ``key_to_id`` gives the UUID of one row when it is needed.
RowKey = Any
_KEY = type_coerce(Institution.id, String())


def key_to_id(key: RowKey) -> uuid.UUID:
    return key if isinstance(key, uuid.UUID) else uuid.UUID(key)


def search_institution_ids(
    ctx: AppContext, criteria: InstitutionFilter, *, sort_key: str = "name", descending: bool = False
) -> list[RowKey]:
    """Keys of the institutions that match, in display order (sorted in SQL, ties broken by id)."""
    columns = SORT_COLUMNS[sort_key]
    columns = columns if isinstance(columns, tuple) else (columns,)
    order = [column.desc() if descending else column.asc() for column in columns]
    statement = _filtered(select(_KEY), criteria).order_by(*order, Institution.id)
    with read_connection(ctx.db) as connection:
        return connection.execute(statement).scalars().all()


def count_institutions(ctx: AppContext, criteria: InstitutionFilter | None = None) -> int:
    statement = _filtered(select(func.count()).select_from(Institution), criteria or InstitutionFilter())
    with read_session(ctx.db) as session:
        return session.scalar(statement) or 0


def load_institution_rows(ctx: AppContext, keys: Sequence[RowKey]) -> dict[RowKey, InstitutionRow]:
    """Display rows for one page of keys (the caller keeps pages well under the bound-parameter limit)."""
    statement = (
        select(
            _KEY,
            Institution.id,
            Institution.name,
            County.name,
            func.coalesce(Township.name, ""),
            Institution.sponsor_type,
            Institution.slots,
            Institution.puhui,
            Institution.filing_status,
            Institution.operating_status,
            func.coalesce(Institution.credit_code, ""),
            func.coalesce(Institution.contact_phone, ""),
        )
        .join(County, County.code == Institution.county_code)
        .outerjoin(Township, Township.code == Institution.township_code)
        .where(_KEY.in_(list(keys)))
    )
    with read_connection(ctx.db) as connection:
        return {row[0]: InstitutionRow(*row[1:]) for row in connection.execute(statement)}


@dataclass(frozen=True)
class ClassGroupLine:
    name: str
    class_type: ClassType
    capacity: int
    enrolled_count: int


@dataclass(frozen=True)
class StaffLine:
    name: str
    role: StaffRole
    sex: Sex | None
    # Masked: the full number is not needed to read a record.
    id_number_masked: str
    phone: str
    health_certificate_expires_on: date | None
    training_hours: int


@dataclass(frozen=True)
class InstitutionDetail:
    id: uuid.UUID
    name: str
    credit_code: str | None
    sponsor_type: SponsorType
    ownership: Ownership | None
    registration_type: RegistrationType | None
    service_modes: frozenset[ServiceMode]
    county_name: str
    township_name: str
    address: str
    legal_representative: str | None
    principal_name: str | None
    contact_person: str | None
    contact_phone: str | None
    slots: int
    building_area_m2: str | None
    outdoor_area_m2: str | None
    fee_full_day_monthly_fen: int | None
    filing_status: FilingStatus
    filing_number: str | None
    filed_on: date | None
    puhui: bool
    puhui_recognized_on: date | None
    operating_status: OperatingStatus
    status_reason: str | None
    demonstration: bool
    medical_partnership: bool
    medical_partner_name: str | None
    version: int
    classes: tuple[ClassGroupLine, ...]
    staff: tuple[StaffLine, ...]


def load_institution_detail(ctx: AppContext, institution_id: uuid.UUID) -> InstitutionDetail:
    with read_session(ctx.db) as session:
        institution = session.get(Institution, institution_id)
        if institution is None:
            raise NotFoundError("该机构已不存在，可能已被其他用户删除。请刷新列表。")
        county = session.scalar(select(Region.name).where(Region.code == institution.county_code)) or ""
        township = session.scalar(select(Region.name).where(Region.code == institution.township_code)) or ""
        classes = tuple(
            ClassGroupLine(c.name, c.class_type, c.capacity, c.enrolled_count)
            for c in session.scalars(
                select(ClassGroup).where(ClassGroup.institution_id == institution_id).order_by(ClassGroup.name)
            )
        )
        members = session.scalars(
            select(StaffMember).where(StaffMember.institution_id == institution_id).order_by(StaffMember.name)
        )
        role_order = list(StaffRole)  # principal first, then carers, health staff, cooks, guards
        staff = tuple(
            StaffLine(
                s.name,
                s.role,
                s.sex,
                mask_id_number(s.id_number or ""),
                s.phone or "",
                s.health_certificate_expires_on,
                s.training_hours,
            )
            for s in sorted(members, key=lambda member: role_order.index(member.role))
        )
        i = institution
        return InstitutionDetail(
            i.id,
            i.name,
            i.credit_code,
            i.sponsor_type,
            i.ownership,
            i.registration_type,
            i.service_modes,
            county,
            township,
            i.address,
            i.legal_representative,
            i.principal_name,
            i.contact_person,
            i.contact_phone,
            i.slots,
            _decimal_text(i.building_area_m2),
            _decimal_text(i.outdoor_area_m2),
            i.fee_full_day_monthly_fen,
            i.filing_status,
            i.filing_number,
            i.filed_on,
            i.puhui,
            i.puhui_recognized_on,
            i.operating_status,
            i.status_reason,
            i.demonstration,
            i.medical_partnership,
            i.medical_partner_name,
            i.version,
            classes,
            staff,
        )


def _decimal_text(value: object) -> str | None:
    return None if value is None else str(value)
