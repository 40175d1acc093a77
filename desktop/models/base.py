"""The declarative base every Tuoyu table stands on (DESIGN.md §3).

Every row that travels between installations carries a UUID (time-ordered v7), created/updated
timestamps in UTC, the node that created it (``origin``) and an integer ``version`` that SQLAlchemy
uses for optimistic locking and that sync uses to detect conflicts.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import Enum as PyEnum
from typing import Any, ClassVar

from sqlalchemy import DateTime, Integer, MetaData, String, TypeDecorator, Uuid
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from desktop.models.uuid7 import uuid7

# Stable constraint names: Alembic's batch mode on SQLite can only drop what has a name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every engine (SQLite would otherwise hand back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: Tuoyu stores only aware UTC timestamps")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class CodeSet(TypeDecorator[frozenset]):
    """A small set of enum members stored as sorted comma-separated values ("full_day,hourly").

    Kept as text rather than JSON so that a plain LIKE can filter on it on SQLite and PostgreSQL.
    """

    impl = String(120)
    cache_ok = True

    def __init__(self, enum_class: type[PyEnum]) -> None:
        super().__init__()
        self.enum_class = enum_class

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return ",".join(sorted(self.enum_class(v).value for v in value))

    def process_result_value(self, value: str | None, dialect: Any) -> frozenset | None:
        if value is None:
            return None
        return frozenset(self.enum_class(v) for v in value.split(",") if v)


def enum_column(enum_class: type[PyEnum]) -> SAEnum:
    """Store an enum as its string value, without a database enum type or CHECK constraint.

    New members can then arrive with a new release (or a newer bundle) without a schema change.
    """
    return SAEnum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict] = {datetime: UTCDateTime(), uuid.UUID: Uuid()}


class SyncedRecord:
    """Columns shared by every record that travels between installations.

    ``origin`` is the node id of the installation that created the row. The unit of work fills it
    in for new rows (``desktop.db.session_events``); bulk loaders pass it explicitly.
    """

    # Attributes whose values are personal data: the audit log stores them masked.
    __sensitive__: ClassVar[frozenset[str]] = frozenset()

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)
    origin: Mapped[uuid.UUID]
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}

    @property
    def audit_subject_id(self) -> uuid.UUID:
        """The record whose history shows this row's changes (a staff member's: their institution)."""
        return self.id
