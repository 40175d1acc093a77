"""What an inspection leaves besides its answers: photos, and violations with the action taken.

Photos are stored by content: ``photo_contents`` holds each distinct image once, keyed by its
SHA-256, and ``inspection_photos`` says which inspection (and item) it documents. A photo of a
finished inspection can no longer be added, changed or removed; violations are append-only, so a
correction is a new record that names the one it corrects.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.domain.enums import ViolationAction
from desktop.models.base import Base, SyncedRecord, enum_column


class PhotoContent(Base):
    """The bytes of one image, once however many inspections show it."""

    __tablename__ = "photo_contents"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(40))  # "image/jpeg", "image/png"
    byte_size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)


class InspectionPhoto(SyncedRecord, Base):
    __tablename__ = "inspection_photos"

    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"), index=True)
    item_code: Mapped[str | None] = mapped_column(String(80))  # None: a photo of the visit as a whole
    sha256: Mapped[str] = mapped_column(ForeignKey("photo_contents.sha256"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))  # as it was on the inspector's disk
    caption: Mapped[str | None] = mapped_column(Text)

    @property
    def audit_subject_id(self) -> uuid.UUID:
        return self.inspection_id


class Violation(SyncedRecord, Base):
    """违规行为: a violation found at an inspection and the action the bureau took on it."""

    __tablename__ = "violations"
    # Each record is corrected at most once: two clerks correcting the same record at the same time
    # cannot both succeed (the service checks first; this index is the backstop).
    __table_args__ = (Index("uq_violations_corrects_id", "corrects_id", unique=True),)

    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"), index=True)
    institution_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("institutions.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str | None] = mapped_column(Text)
    action: Mapped[ViolationAction] = mapped_column(enum_column(ViolationAction))
    fine_fen: Mapped[int | None]  # only for a fine; money is kept in fen
    decision_number: Mapped[str | None] = mapped_column(String(60))  # 行政处罚决定书文号, when there is one
    decided_on: Mapped[date]
    corrects_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("violations.id"))

    @property
    def audit_subject_id(self) -> uuid.UUID:
        return self.institution_id
