"""Table rows as plain JSON values and back, for files that carry records between installations
(field packages and their results today; the county ↔ city bundles build on the same form).

Each column is written by its type: UUIDs and decimals as strings, dates and aware timestamps in ISO
8601, enums by value, code sets as sorted lists. Binary columns never go into JSON (photos travel as
files of their own). Decoding is by the same column types, so a row reads back equal to what was
written, and a value of the wrong shape is refused with the column's name.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Date, Enum, Integer, LargeBinary, Numeric, String, Table, Text, Uuid

from desktop.errors import TuoyuError
from desktop.models.base import CodeSet, UTCDateTime


class RecordFormatError(TuoyuError):
    """A record in a file does not have the shape its table needs."""


def encode_row(table: Table, row: Any) -> dict[str, Any]:
    """One row (ORM object, Row or mapping) as a JSON-ready dict of its columns."""
    get = row.get if isinstance(row, dict) else (lambda key: getattr(row, key))
    return {c.name: _encode(c.type, get(c.name)) for c in table.columns if not isinstance(c.type, LargeBinary)}


def decode_row(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """A dict from ``encode_row`` back to column values; unknown keys are refused."""
    unknown = set(values) - set(table.columns.keys())
    if unknown:
        raise RecordFormatError(f"文件中的“{table.name}”记录含有本版本不认识的字段：{'、'.join(sorted(unknown))}。")
    decoded = {}
    for name, value in values.items():
        column = table.columns[name]
        try:
            decoded[name] = _decode(column.type, value)
        except (TypeError, ValueError, ArithmeticError) as error:
            raise RecordFormatError(f"文件中的“{table.name}.{name}”取值无效（{value!r}）。") from error
    return decoded


def _encode(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(kind, CodeSet):
        return sorted(kind.enum_class(v).value for v in value)
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(kind, Enum):
        return value.value if hasattr(value, "value") else str(value)
    return value


def _decode(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(kind, CodeSet):
        return frozenset(kind.enum_class(v) for v in value)
    if isinstance(kind, Uuid):
        return uuid.UUID(value)
    if isinstance(kind, UTCDateTime):
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError("timestamp without a time zone")
        return parsed
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Enum):
        return kind.enum_class(value) if kind.enum_class else str(value)
    if isinstance(kind, Numeric):
        return Decimal(value) if kind.asdecimal else float(value)
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise TypeError("not a boolean")
        return value
    if isinstance(kind, Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("not an integer")
        return value
    if isinstance(kind, String | Text):
        if not isinstance(value, str):
            raise TypeError("not text")
        return value
    raise TypeError(f"no decoder for {kind!r}")
