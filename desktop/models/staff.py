"""People working at an institution (从业人员): principal, carers, health staff, cooks, guards."""

from __future__ import annotations

import uuid
from datetime import date
from typing import ClassVar

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop.domain.enums import Sex, StaffRole
from desktop.models.base import Base, SyncedRecord, enum_column


class StaffMember(SyncedRecord, Base):
    __tablename__ = "staff"
    __sensitive__: ClassVar[frozenset[str]] = frozenset({"id_number"})

    institution_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("institutions.id"), index=True)
    class_group_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("class_groups.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    # Resident ID number (GB 11643). Sensitive: shown masked, never logged, audited masked.
    id_number: Mapped[str | None] = mapped_column(String(18), index=True)
    sex: Mapped[Sex | None] = mapped_column(enum_column(Sex))
    role: Mapped[StaffRole] = mapped_column(enum_column(StaffRole))
    phone: Mapped[str | None] = mapped_column(String(30))
    education: Mapped[str | None] = mapped_column(String(30))
    qualification: Mapped[str | None] = mapped_column(String(100))
    employed_from: Mapped[date | None]
    employed_until: Mapped[date | None]
    health_certificate_number: Mapped[str | None] = mapped_column(String(40))
    health_certificate_expires_on: Mapped[date | None]
    training_hours: Mapped[int] = mapped_column(default=0)
    # Date of the no-criminal-record certificate (无犯罪记录证明) seen by the bureau.
    criminal_record_checked_on: Mapped[date | None]

    @property
    def audit_subject_id(self) -> uuid.UUID:
        return self.institution_id
