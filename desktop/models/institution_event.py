"""Dated events in an institution's life (filing, 普惠, operating status): its legal history.

Append-only, like the audit log: the institution's current filing, 普惠 and operating fields are the
result of these events, and a correction is a new event, never an edit of an old one.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop.domain.enums import InstitutionEventKind
from desktop.models.base import Base, SyncedRecord, enum_column


class InstitutionEvent(SyncedRecord, Base):
    __tablename__ = "institution_events"

    institution_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("institutions.id"), index=True)
    kind: Mapped[InstitutionEventKind] = mapped_column(enum_column(InstitutionEventKind))
    # The day it happened (the filing date, the closing date…), not the day it was typed in.
    occurred_on: Mapped[date]
    # The filing number or the recognising document's number, when the event has one.
    document_number: Mapped[str | None] = mapped_column(String(60))
    reason: Mapped[str | None] = mapped_column(String(300))

    @property
    def audit_subject_id(self) -> uuid.UUID:
        return self.institution_id
