"""Inspections, their answers, rectification notices and their closure: legal evidence.

A draft inspection may change; a finished one never does (database triggers refuse it): a correction
is a new inspection that names the one it corrects. Notices and closures are append-only too. A
notice is overdue when its deadline has passed without a closure: derived, never stored.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop.domain.checklists import Answer
from desktop.domain.enums import InspectionConclusion, InspectionKind
from desktop.models.base import Base, SyncedRecord, enum_column


class Inspection(SyncedRecord, Base):
    __tablename__ = "inspections"

    institution_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("institutions.id"), index=True)
    # The exact template version used: a later version never changes what this inspection meant.
    template_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("checklist_templates.id"))
    kind: Mapped[InspectionKind] = mapped_column(enum_column(InspectionKind))
    period: Mapped[str] = mapped_column(String(8), index=True)  # "2026Q1" or "2026H1"
    draw_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("random_draws.id"))
    # For a 回头看: the notice whose items it re-checks. No foreign key: notices point at inspections,
    # and a cycle of foreign keys cannot be created on SQLite; the service checks the link.
    follow_up_of: Mapped[uuid.UUID | None] = mapped_column(index=True)
    # A correction names the finished inspection it replaces.
    corrects_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inspections.id"))
    inspected_at: Mapped[datetime]
    inspectors: Mapped[str] = mapped_column(String(200))  # names, "、"-separated, as signed on paper
    representative: Mapped[str | None] = mapped_column(String(60))  # the institution's, who signs
    finished: Mapped[bool] = mapped_column(default=False)
    conclusion: Mapped[InspectionConclusion] = mapped_column(enum_column(InspectionConclusion))
    score: Mapped[int | None]

    @property
    def audit_subject_id(self) -> uuid.UUID:
        return self.institution_id


class InspectionAnswer(SyncedRecord, Base):
    __tablename__ = "inspection_answers"
    __table_args__ = (UniqueConstraint("inspection_id", "item_code"),)

    # No index of its own: the unique (inspection_id, item_code) index serves lookups by inspection,
    # and a second one made every answer's insert a third slower (millions of rows at province scale).
    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"))
    item_code: Mapped[str] = mapped_column(String(80))
    answer: Mapped[Answer] = mapped_column(enum_column(Answer))
    note: Mapped[str | None] = mapped_column(Text)

    @property
    def audit_subject_id(self) -> uuid.UUID:
        return self.inspection_id


class RectificationNotice(SyncedRecord, Base):
    """整改通知书: the failed items of one inspection, numbered per county per year, never reused."""

    __tablename__ = "rectification_notices"
    __table_args__ = (UniqueConstraint("county_code", "year", "serial"),)

    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"), index=True)
    institution_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("institutions.id"), index=True)
    county_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    year: Mapped[int]
    serial: Mapped[int]
    document_number: Mapped[str] = mapped_column(String(60), unique=True)  # 甘州卫监改〔2026〕12号
    issued_on: Mapped[date]
    deadline: Mapped[date] = mapped_column(index=True)
    # True when the deadline was counted without the official holiday schedule (outside its years).
    deadline_estimated: Mapped[bool] = mapped_column(default=False)
    # The failed items as found: JSON list of {code, area, text, rule, severity, note, deadline}.
    items_json: Mapped[str] = mapped_column(Text)

    @property
    def audit_subject_id(self) -> uuid.UUID:
        return self.institution_id


class RectificationClosure(SyncedRecord, Base):
    """A notice closed by a follow-up inspection in which every item passed."""

    __tablename__ = "rectification_closures"

    notice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rectification_notices.id"), unique=True)
    follow_up_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"))
    closed_on: Mapped[date]


class DocumentCounter(Base):
    """The last serial number used per county, year and document kind: numbers are never reused."""

    __tablename__ = "document_counters"

    county_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)  # "rectification"
    last_serial: Mapped[int] = mapped_column(default=0)
    # On a field laptop: the last number of the block the county reserved for it (None elsewhere).
    ceiling: Mapped[int | None]
