"""The audit log (审计日志): who changed what, when, with old and new values.

Append-only: a database trigger refuses UPDATE and DELETE (see the migration that creates it).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.base import Base, utc_now
from desktop.models.uuid7 import uuid7


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
    actor: Mapped[str] = mapped_column(String(60))
    origin: Mapped[uuid.UUID]
    # insert / update / delete for record changes; other verbs for events (demo_loaded, backup…).
    action: Mapped[str] = mapped_column(String(30))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    # The record whose history this entry belongs to: an institution for changes to its classes,
    # staff and events. Empty on entries written before revision 0003.
    subject_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    # JSON object {attribute: [old, new]}; personal data masked.
    changes: Mapped[str] = mapped_column(Text, default="{}")
    summary: Mapped[str] = mapped_column(String(300), default="")
