"""Childcare institutions (托育机构): the register the county keeps (REFERENCE.md §1.6, §2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.domain.enums import (
    DemonstrationLevel,
    FilingStatus,
    OperatingStatus,
    Ownership,
    RegistrationType,
    ServiceMode,
    SponsorType,
)
from desktop.models.base import Base, CodeSet, SyncedRecord, enum_column


class Institution(SyncedRecord, Base):
    __tablename__ = "institutions"
    __table_args__ = (
        # Search as you type reads only these columns, already in the list's default order (pinyin),
        # so SQLite answers from this index alone: a scan of 10,000 names takes ~2.5 ms instead of ~7.
        Index("ix_institutions_search", "name_initials", "name", "id", "address", "credit_code"),
    )

    name: Mapped[str] = mapped_column(String(200), index=True)
    # Pinyin initials of the name ("张掖市阳光托育" -> "zysygty"), kept for search as you type.
    name_initials: Mapped[str] = mapped_column(String(200), default="", server_default="")
    credit_code: Mapped[str | None] = mapped_column(String(18), index=True)
    sponsor_type: Mapped[SponsorType] = mapped_column(enum_column(SponsorType))
    ownership: Mapped[Ownership | None] = mapped_column(enum_column(Ownership))
    registration_type: Mapped[RegistrationType | None] = mapped_column(enum_column(RegistrationType))
    service_modes: Mapped[frozenset[ServiceMode]] = mapped_column(CodeSet(ServiceMode), default=frozenset)
    chain_brand: Mapped[str | None] = mapped_column(String(100))

    county_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    township_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    address: Mapped[str] = mapped_column(String(300), default="")

    legal_representative: Mapped[str | None] = mapped_column(String(60))
    principal_name: Mapped[str | None] = mapped_column(String(60))
    contact_person: Mapped[str | None] = mapped_column(String(60))
    contact_phone: Mapped[str | None] = mapped_column(String(30))

    # Slots (托位) the institution is set up and filed for; class capacities may differ.
    slots: Mapped[int] = mapped_column(default=0)
    building_area_m2: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    outdoor_area_m2: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    premises_leased: Mapped[bool] = mapped_column(default=False)
    lease_expires_on: Mapped[date | None]

    # Fees in integer fen: never float money.
    fee_full_day_monthly_fen: Mapped[int | None]
    fee_half_day_monthly_fen: Mapped[int | None]
    fee_hourly_fen: Mapped[int | None]
    meal_fee_daily_fen: Mapped[int | None]
    serves_meals: Mapped[bool] = mapped_column(default=False)
    food_licence_number: Mapped[str | None] = mapped_column(String(40))

    filing_status: Mapped[FilingStatus] = mapped_column(enum_column(FilingStatus), default=FilingStatus.NOT_FILED)
    filing_number: Mapped[str | None] = mapped_column(String(60))
    filed_on: Mapped[date | None]

    puhui: Mapped[bool] = mapped_column(default=False)
    puhui_recognized_on: Mapped[date | None]

    operating_status: Mapped[OperatingStatus] = mapped_column(
        enum_column(OperatingStatus), default=OperatingStatus.OPERATING
    )
    opened_on: Mapped[date | None]
    status_changed_on: Mapped[date | None]
    status_reason: Mapped[str | None] = mapped_column(String(300))

    demonstration: Mapped[bool] = mapped_column(default=False)
    demonstration_level: Mapped[DemonstrationLevel | None] = mapped_column(enum_column(DemonstrationLevel))
    demonstration_recognized_on: Mapped[date | None]

    medical_partnership: Mapped[bool] = mapped_column(default=False)
    medical_partner_name: Mapped[str | None] = mapped_column(String(200))

    notes: Mapped[str | None] = mapped_column(Text)
