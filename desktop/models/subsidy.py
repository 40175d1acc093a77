"""Subsidy applications and, for the enrollment subsidy, the child-months they claim.

An application's amount is computed from its facts by the policy in force (desktop.domain.subsidy_rules)
and frozen at approval together with the policy's identity (name, version, SHA-256) and the parameter
values used, so a newer policy file never changes what was approved. Who did each step and when is
on the row (for rosters and lists) and in the audit log.

One live application per scheme, institution and period (rejected ones do not count): a construction
subsidy (period "") can therefore be granted to an institution only once, ever. A child (by ID number)
can be claimed once per month in a county: a second live claim is refused by a unique index.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.domain.enums import ApplicationStatus, SubsidyScheme
from desktop.models.base import Base, SyncedRecord, enum_column

_LIVE = "status <> 'rejected'"


class SubsidyApplication(SyncedRecord, Base):
    __tablename__ = "subsidy_applications"
    __table_args__ = (
        Index(
            "uq_subsidy_applications_live",
            "scheme",
            "institution_id",
            "period",
            unique=True,
            sqlite_where=text(_LIVE),
            postgresql_where=text(_LIVE),
        ),
        Index("ix_subsidy_applications_county_scheme_period", "county_code", "scheme", "period"),
    )

    scheme: Mapped[SubsidyScheme] = mapped_column(enum_column(SubsidyScheme))
    institution_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("institutions.id"), index=True)
    county_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    period: Mapped[str] = mapped_column(String(7))  # "" construction, "2026" operating, "2026-11" enrollment
    status: Mapped[ApplicationStatus] = mapped_column(enum_column(ApplicationStatus))
    # The facts the amount was computed from, as JSON (the quote calculator's form).
    facts_json: Mapped[str] = mapped_column(Text)
    policy_name: Mapped[str | None] = mapped_column(String(60))
    policy_version: Mapped[str | None] = mapped_column(String(20))
    policy_sha256: Mapped[str | None] = mapped_column(String(64))
    parameters_json: Mapped[str | None] = mapped_column(Text)
    eligible: Mapped[bool | None]
    amount_fen: Mapped[int | None]
    city_share_fen: Mapped[int | None]
    county_share_fen: Mapped[int | None]
    reasons_json: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None]
    submitted_by: Mapped[str | None] = mapped_column(String(60))
    first_reviewed_at: Mapped[datetime | None]
    first_reviewed_by: Mapped[str | None] = mapped_column(String(60))
    approved_at: Mapped[datetime | None]
    approved_by: Mapped[str | None] = mapped_column(String(60))
    paid_on: Mapped[date | None]
    paid_by: Mapped[str | None] = mapped_column(String(60))
    rejected_at: Mapped[datetime | None]
    rejected_by: Mapped[str | None] = mapped_column(String(60))
    rejection_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def audit_subject_id(self) -> uuid.UUID:
        return self.institution_id


class EnrollmentClaim(SyncedRecord, Base):
    """One child-month of an enrollment application."""

    __tablename__ = "enrollment_claims"
    __sensitive__: ClassVar[frozenset[str]] = frozenset({"id_number"})
    __table_args__ = (
        Index(
            "uq_enrollment_claims_live",
            "county_code",
            "month",
            "id_number",
            unique=True,
            sqlite_where=text("live"),
            postgresql_where=text("live"),
        ),
    )

    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subsidy_applications.id"), index=True)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True)
    county_code: Mapped[str] = mapped_column(String(12))
    month: Mapped[str] = mapped_column(String(7))  # "2026-11"
    # The child's ID number as claimed: the same child on two rosters is the same number.
    id_number: Mapped[str] = mapped_column(String(18))
    eligible: Mapped[bool]
    amount_fen: Mapped[int]
    reasons_json: Mapped[str] = mapped_column(Text)
    # False once its application is rejected: the month can then be claimed again.
    live: Mapped[bool] = mapped_column(default=True)

    @property
    def audit_subject_id(self) -> uuid.UUID:
        return self.application_id
