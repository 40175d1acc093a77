"""One institution as read from a sheet row: typed values ready for the service layer, plus the row number."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from desktop.domain.enums import (
    DemonstrationLevel,
    FilingStatus,
    OperatingStatus,
    Ownership,
    RegistrationType,
    ServiceMode,
    SponsorType,
)


@dataclass(frozen=True, slots=True)
class InstitutionSheetRow:
    """Field names are ``Institution``'s attributes.

    ``None`` means the cell was blank or the column absent (see ``ParsedSheet.present_fields``);
    the service decides whether that keeps the stored value or takes the model's default.
    Money is integer fen; areas are ``Decimal`` with 2 places.
    """

    row: int
    name: str
    sponsor_type: SponsorType
    county_code: str
    slots: int
    credit_code: str | None = None
    ownership: Ownership | None = None
    registration_type: RegistrationType | None = None
    service_modes: frozenset[ServiceMode] | None = None
    chain_brand: str | None = None
    township_code: str | None = None
    address: str | None = None
    legal_representative: str | None = None
    principal_name: str | None = None
    contact_person: str | None = None
    contact_phone: str | None = None
    building_area_m2: Decimal | None = None
    outdoor_area_m2: Decimal | None = None
    premises_leased: bool | None = None
    lease_expires_on: date | None = None
    fee_full_day_monthly_fen: int | None = None
    fee_half_day_monthly_fen: int | None = None
    fee_hourly_fen: int | None = None
    meal_fee_daily_fen: int | None = None
    serves_meals: bool | None = None
    food_licence_number: str | None = None
    filing_status: FilingStatus | None = None
    filing_number: str | None = None
    filed_on: date | None = None
    puhui: bool | None = None
    puhui_recognized_on: date | None = None
    operating_status: OperatingStatus | None = None
    opened_on: date | None = None
    status_changed_on: date | None = None
    status_reason: str | None = None
    demonstration: bool | None = None
    demonstration_level: DemonstrationLevel | None = None
    demonstration_recognized_on: date | None = None
    medical_partnership: bool | None = None
    medical_partner_name: str | None = None
    notes: str | None = None

    def values(self) -> dict[str, object]:
        """Field -> value, without ``row``: what the service writes onto an ``Institution``."""
        return {name: getattr(self, name) for name in RECORD_FIELDS}


RECORD_FIELDS = tuple(f.name for f in fields(InstitutionSheetRow) if f.name != "row")
