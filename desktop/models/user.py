"""People who use Tuoyu: clerks, inspectors, administrators and city viewers."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop.domain.enums import UserRole
from desktop.models.base import Base, SyncedRecord, enum_column


class User(SyncedRecord, Base):
    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    role: Mapped[UserRole] = mapped_column(enum_column(UserRole))
    # The county this user works for; None for city-level users.
    county_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    active: Mapped[bool] = mapped_column(default=True)
    # Set once login arrives; until then the operating-system account identifies the user.
    password_hash: Mapped[str | None] = mapped_column(String(200))
