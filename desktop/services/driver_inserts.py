"""Inserts of hundreds of thousands of rows straight to the database driver, in SQLAlchemy's own forms.

A month of a province's enrollment claims is ~200,000 rows. SQLAlchemy's executemany converts every
value of every row (a UUID to its text form, an aware timestamp to naive UTC text on SQLite…), which
took longer than the database's own work. Here each column's converter is SQLAlchemy's own, applied
by the caller once per distinct value (a constant timestamp, one application id for all its claims)
or per row only where the value differs per row; ids read back with ``raw_id`` are already in the
database's form and pass unconverted. SQLite and PostgreSQL drivers both take positional parameters.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Column, ColumnElement, Connection, String, Table, type_coerce

from desktop.models.uuid7 import uuid7_batch, uuid7_hex_batch

__all__ = ["DriverInsert", "as_uuid", "raw_date", "raw_id"]


def raw_id(column: Column) -> ColumnElement:
    """Select a UUID column as the driver returns it (text on SQLite, a UUID on PostgreSQL)."""
    return type_coerce(column, String()).label(column.key)


def raw_date(column: Column) -> ColumnElement:
    """Select a date column as the driver returns it (text on SQLite, a date on PostgreSQL)."""
    return type_coerce(column, String()).label(column.key)


def as_uuid(value: Any) -> uuid.UUID:
    """A ``raw_id`` value as a UUID."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


class DriverInsert:
    """``INSERT INTO table (columns) VALUES (…)`` executed with the driver's executemany."""

    def __init__(self, connection: Connection, table: Table, columns: Sequence[str]) -> None:
        self.connection = connection
        dialect = connection.dialect
        quote = dialect.identifier_preparer.quote
        marker = "?" if dialect.paramstyle == "qmark" else "%s"
        self.sql = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in columns)}) "
            f"VALUES ({', '.join([marker] * len(columns))})"
        )
        self._to_db = {name: _bind_processor(table.c[name], dialect) for name in columns}

    def to_db(self, column: str, value: Any) -> Any:
        """``value`` of ``column`` in the form SQLAlchemy would store it."""
        return None if value is None else self._to_db[column](value)

    def converter(self, column: str) -> Callable[[Any], Any]:
        return self._to_db[column]

    def new_ids(self, count: int) -> list[Any]:
        """``count`` fresh UUIDv7 ids in the database's form (text on SQLite, UUIDs where native)."""
        if self.connection.dialect.supports_native_uuid:
            return [self.to_db("id", value) for value in uuid7_batch(count)]
        return uuid7_hex_batch(count)

    def execute(self, rows: list[tuple]) -> None:
        if rows:
            self.connection.exec_driver_sql(self.sql, rows)


def _bind_processor(column: Column, dialect: Any) -> Callable[[Any], Any]:
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    return process or (lambda value: value)
