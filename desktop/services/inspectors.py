"""The inspector roster (检查人员名录) as the screens and commands need it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from desktop.domain.enums import UserRole
from desktop.errors import NotFoundError
from desktop.models import Region, User
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session


@dataclass(frozen=True)
class InspectorEntry:
    id: uuid.UUID
    username: str
    name: str
    county_code: str | None
    county_name: str


def active_inspectors(ctx: AppContext, county_code: str | None = None) -> list[InspectorEntry]:
    where = [User.role == UserRole.INSPECTOR, User.active.is_(True)]
    if county_code is not None:
        where.append(User.county_code == county_code)
    with read_session(ctx.db) as session:
        rows = session.execute(
            select(User.id, User.username, User.display_name, User.county_code, Region.name)
            .outerjoin(Region, Region.code == User.county_code)
            .where(*where)
            .order_by(User.county_code, User.display_name)
        )
        return [InspectorEntry(r[0], r[1], r[2], r[3], r[4] or "") for r in rows]


def inspector_by_username(ctx: AppContext, username: str) -> uuid.UUID:
    with read_session(ctx.db) as session:
        found = session.scalar(select(User.id).where(User.username == username, User.role == UserRole.INSPECTOR))
    if found is None:
        raise NotFoundError(f"检查员名录中没有用户名“{username}”。请用 tuoyu 的检查员名录核对用户名。")
    return found
