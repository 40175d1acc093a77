"""Administrative regions (GB/T 2260 city and county codes, 9-digit township codes) and populations."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop.domain.enums import RegionLevel, TownshipKind
from desktop.models.base import Base, SyncedRecord, enum_column


class Region(SyncedRecord, Base):
    """A city, county or township. Codes are stable natural keys: a new code is a new region."""

    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    level: Mapped[RegionLevel] = mapped_column(enum_column(RegionLevel))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    township_kind: Mapped[TownshipKind | None] = mapped_column(enum_column(TownshipKind))


class RegionPopulation(SyncedRecord, Base):
    """Population of a region in one year: the denominators of the per-1,000 indicators."""

    __tablename__ = "region_populations"
    __table_args__ = (UniqueConstraint("region_code", "year"),)

    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    year: Mapped[int]
    resident_population: Mapped[int | None]
    under3_population: Mapped[int | None]
    # True when the under-3 figure is our estimate rather than a published statistic.
    under3_estimated: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str | None] = mapped_column(String(300))
