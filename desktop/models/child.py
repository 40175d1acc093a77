"""Children enrolled at an institution (在托幼儿): the roster the enrollment subsidy is paid from."""

from __future__ import annotations

import uuid
from datetime import date
from typing import ClassVar

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop.domain.enums import Sex
from desktop.models.base import Base, SyncedRecord, enum_column


class Child(SyncedRecord, Base):
    __tablename__ = "children"
    __sensitive__: ClassVar[frozenset[str]] = frozenset({"id_number", "guardian_phone"})

    institution_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("institutions.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    # Resident ID number (GB 11643), validated with its check character; the birth date comes from it.
    # Sensitive: masked in lists and printouts, audited masked, never sent to a field laptop.
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    birth_date: Mapped[date]
    sex: Mapped[Sex | None] = mapped_column(enum_column(Sex))
    guardian_name: Mapped[str | None] = mapped_column(String(60))
    guardian_phone: Mapped[str | None] = mapped_column(String(30))
    enrolled_on: Mapped[date]
    left_on: Mapped[date | None]

    @property
    def audit_subject_id(self) -> uuid.UUID:
        return self.institution_id
