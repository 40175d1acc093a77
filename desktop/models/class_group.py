"""Classes (班级) of an institution: 乳儿班/托小班/托大班/混龄班 with their capacity."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop.domain.enums import ClassType
from desktop.models.base import Base, SyncedRecord, enum_column


class ClassGroup(SyncedRecord, Base):
    __tablename__ = "class_groups"

    institution_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("institutions.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    class_type: Mapped[ClassType] = mapped_column(enum_column(ClassType))
    capacity: Mapped[int]
    # Children in the class as last reported by the institution (定期报告在托幼儿).
    enrolled_count: Mapped[int] = mapped_column(default=0)

    @property
    def audit_subject_id(self) -> uuid.UUID:
        return self.institution_id
