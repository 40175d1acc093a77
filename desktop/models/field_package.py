"""Field packages: what a county hands one inspector's laptop, and the results that come back.

The same table lives on both sides. On the county's database a row records what was exported (to
whom, which notice numbers were reserved for the laptop, the secret its results must be signed
with); on the laptop the one row says which package the laptop is working on. Each results file
imported is recorded by its SHA-256, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.base import Base, SyncedRecord, utc_now


class FieldPackage(SyncedRecord, Base):
    __tablename__ = "field_packages"

    county_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    inspector_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    inspector_name: Mapped[str] = mapped_column(String(60))
    # Notice numbers kept for the laptop, so a notice issued on site has its final number.
    year: Mapped[int]
    serial_from: Mapped[int]
    serial_to: Mapped[int]
    # HMAC-SHA256 key for the results file: a file not signed with it is refused.
    secret: Mapped[str] = mapped_column(String(64))
    exported_at: Mapped[datetime] = mapped_column(default=utc_now)
    institution_count: Mapped[int]


class FieldResultImport(SyncedRecord, Base):
    __tablename__ = "field_result_imports"

    package_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("field_packages.id"), index=True)
    results_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    imported_at: Mapped[datetime] = mapped_column(default=utc_now)
    summary_json: Mapped[str] = mapped_column(Text)  # what the import added, for the record
