"""Who may inspect what: declared conflicts of interest (回避), and the record of each random draw."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.base import Base, SyncedRecord, utc_now


class InspectorConflict(SyncedRecord, Base):
    """An inspector must never be drawn for this institution (a relative works there, a past job…)."""

    __tablename__ = "inspector_conflicts"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    institution_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("institutions.id"), index=True)
    reason: Mapped[str] = mapped_column(String(200))
    declared_on: Mapped[date]


class RandomDraw(SyncedRecord, Base):
    """One 双随机 draw as it was made: inputs, seed and result, for anyone to check. Append-only."""

    __tablename__ = "random_draws"

    period: Mapped[str] = mapped_column(String(8), index=True)  # "2026Q1"
    county_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    seed: Mapped[int]
    rate: Mapped[float] = mapped_column(Numeric(5, 4, asdecimal=False))
    minimum: Mapped[int]
    # SHA-256 of the canonical inputs (desktop.domain.random_draw.DrawInput.fingerprint).
    inputs_sha256: Mapped[str] = mapped_column(String(64))
    # The canonical inputs and the drawn list, as JSON, so the draw can be redone from this row alone.
    inputs_json: Mapped[str] = mapped_column(Text)
    result_json: Mapped[str] = mapped_column(Text)
    drawn_by: Mapped[str] = mapped_column(String(60))
    drawn_at: Mapped[datetime] = mapped_column(default=utc_now)
