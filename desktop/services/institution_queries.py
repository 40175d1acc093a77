"""Read side of the institution register: ids for a filter and sort, rows for a page, one record.

Lists never load ORM objects (10x slower than a Core select of the needed columns, see
performance-baselines §2e): ``search_institution_ids`` returns ordered ids; the table model asks
``load_institution_rows`` for the page it is about to paint.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import Select, String, and_, exists, func, or_, select, type_coerce
from sqlalchemy.orm import aliased

from desktop.domain.enums import (
    FilingStatus,
    OperatingStatus,
    SponsorType,
)
from desktop.domain.pinyin_search import is_initials_query
from desktop.models import Institution, RectificationClosure, RectificationNotice, Region
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
    # Rectification notices past their deadline without a 回头看 that closed them.
    overdue_notices: int = 0


# Sort keys the list offers, each mapped to the SQL expressions it sorts by. Names sort by their
# pinyin initials first, which is the order Chinese users expect (code-point order is not).
SORT_COLUMNS = {
    "name": (Institution.name_initials, Institution.name),
    "county": (Institution.county_code,),
    "township": (Institution.township_code,),
    "sponsor_type": (Institution.sponsor_type,),
    "slots": (Institution.slots,),
    "puhui": (Institution.puhui,),
    "filing_status": (Institution.filing_status,),
    "operating_status": (Institution.operating_status,),
    "credit_code": (Institution.credit_code,),
    "contact_phone": (Institution.contact_phone,),
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
    order = [column.desc() if descending else column.asc() for column in SORT_COLUMNS[sort_key]]
    statement = _filtered(select(_KEY), criteria).order_by(*order, Institution.id)
    with read_connection(ctx.db) as connection:
        return connection.execute(statement).scalars().all()


def count_institutions(ctx: AppContext, criteria: InstitutionFilter | None = None) -> int:
    statement = _filtered(select(func.count()).select_from(Institution), criteria or InstitutionFilter())
    with read_session(ctx.db) as session:
        return session.scalar(statement) or 0


def load_institution_rows(
    ctx: AppContext, keys: Sequence[RowKey], *, today: date | None = None
) -> dict[RowKey, InstitutionRow]:
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
        rows = {row[0]: InstitutionRow(*row[1:]) for row in connection.execute(statement)}
        overdue = dict(
            connection.execute(
                select(RectificationNotice.institution_id, func.count())
                .where(
                    RectificationNotice.institution_id.in_([r.id for r in rows.values()]),
                    RectificationNotice.deadline < (today or date.today()),
                    ~exists().where(RectificationClosure.notice_id == RectificationNotice.id),
                )
                .group_by(RectificationNotice.institution_id)
            ).all()
        )
    return {key: replace(row, overdue_notices=overdue.get(row.id, 0)) for key, row in rows.items()}
