"""Checklist templates as issued: one row per (code, version), its text kept exactly.

A template version never changes once stored (append-only, like the audit log): an inspection points at the
row it used, so editing a template — which means issuing a new version — never changes a past
inspection.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.base import Base, SyncedRecord


class ChecklistTemplateRecord(SyncedRecord, Base):
    __tablename__ = "checklist_templates"
    __table_args__ = (UniqueConstraint("code", "template_version"),)

    code: Mapped[str] = mapped_column(String(60))
    # "2026.1": the issued version (``version`` is the row's optimistic-locking counter).
    template_version: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    effective_from: Mapped[date]
    # The template in its canonical text form (desktop.domain.checklist_format.dump_template).
    content: Mapped[str] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(String(64))
    # Where it came from: "bundled", or the file a city-issued version was imported from.
    source: Mapped[str] = mapped_column(String(300))
