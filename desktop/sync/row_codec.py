"""Rows of one table in the shared JSON form (desktop/services/record_codec.py), fast, and back to the database.

An export reads rows with Core (no ORM objects) and encodes each column by its type exactly as ``encode_row``
does; an import decodes them with ``decode_row``'s rules and hands the driver the values in SQLAlchemy's own
storage form (desktop/services/driver_inserts.py), so hundreds of thousands of rows move without the ORM and
without SQLAlchemy's per-value statement processing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Connection, Date, Enum, Integer, LargeBinary, Numeric, String, Table, Text, Uuid

from desktop.models.base import CodeSet, UTCDateTime
from desktop.services.record_codec import RecordFormatError


def _same(value: Any) -> Any:
    return value


def _text(value: Any) -> str:
    return str(value)


def _iso(value: date | datetime) -> str:
    return value.isoformat()


def _enum_value(value: Any) -> str:
    return value.value if hasattr(value, "value") else str(value)


def _encoder(kind: Any) -> Callable[[Any], Any]:
    if isinstance(kind, CodeSet):
        return lambda value: sorted(kind.enum_class(v).value for v in value)
    if isinstance(kind, Uuid | Numeric) and not (isinstance(kind, Numeric) and not kind.asdecimal):
        return _text
    if isinstance(kind, UTCDateTime | Date):
        return _iso
    if isinstance(kind, Enum):
        return _enum_value
    return _same


def _decoder(kind: Any) -> Callable[[Any], Any]:
    """``record_codec._decode`` per column type, chosen once per column instead of once per value."""
    if isinstance(kind, CodeSet):
        return lambda value: frozenset(kind.enum_class(v) for v in value)
    if isinstance(kind, Uuid):
        return uuid.UUID
    if isinstance(kind, UTCDateTime):

        def timestamp(value: str) -> datetime:
            parsed = datetime.fromisoformat(value)
            if parsed.tzinfo is None:
                raise ValueError("timestamp without a time zone")
            return parsed

        return timestamp
    if isinstance(kind, Date):
        return date.fromisoformat
    if isinstance(kind, Enum):
        return kind.enum_class if kind.enum_class else str
    if isinstance(kind, Numeric):
        return Decimal if kind.asdecimal else float
    if isinstance(kind, Boolean):

        def boolean(value: Any) -> bool:
            if not isinstance(value, bool):
                raise TypeError("not a boolean")
            return value

        return boolean
    if isinstance(kind, Integer):

        def integer(value: Any) -> int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError("not an integer")
            return value

        return integer
    if isinstance(kind, String | Text):

        def text(value: Any) -> str:
            if not isinstance(value, str):
                raise TypeError("not text")
            return value

        return text
    raise TypeError(f"no decoder for {kind!r}")


class TableCodec:
    """One table's columns in a fixed order, with an encoder and a decoder each."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.columns: tuple[str, ...] = tuple(c.name for c in table.columns if not isinstance(c.type, LargeBinary))
        self._encoders = [_encoder(table.c[name].type) for name in self.columns]
        self._decoders = {name: _decoder(table.c[name].type) for name in self.columns}

    def encode(self, row: Sequence[Any]) -> list[Any]:
        """A row read with ``select(*codec.select_columns)`` as JSON values, in ``columns`` order."""
        return [None if value is None else encode(value) for encode, value in zip(self._encoders, row, strict=True)]

    def encode_value(self, column: str, value: Any) -> Any:
        return None if value is None else self._encoders[self.columns.index(column)](value)

    @property
    def select_columns(self) -> list[Any]:
        return [self.table.c[name] for name in self.columns]

    def as_dict(self, values: Sequence[Any]) -> dict[str, Any]:
        return dict(zip(self.columns, values, strict=True))

    def decode_value(self, name: str, value: Any) -> Any:
        """One encoded value of column ``name``; RecordFormatError if it has the wrong shape."""
        try:
            return self._decoders[name](value)
        except (TypeError, ValueError, ArithmeticError) as error:
            raise RecordFormatError(f"文件中的“{self.table.name}.{name}”取值无效（{str(value)[:40]!r}）。") from error

    def decode(self, row: dict[str, Any]) -> dict[str, Any]:
        """An encoded row (all of this table's columns present) as column values; RecordFormatError if malformed."""
        decoded = {}
        for name, value in row.items():
            decode = self._decoders.get(name)
            if decode is None:
                raise RecordFormatError(f"文件中的“{self.table.name}”记录含有本版本不认识的字段：{name}。")
            if value is None:
                decoded[name] = None
                continue
            try:
                decoded[name] = decode(value)
            except (TypeError, ValueError, ArithmeticError) as error:
                raise RecordFormatError(
                    f"文件中的“{self.table.name}.{name}”取值无效（{str(value)[:40]!r}）。"
                ) from error
        return decoded


_CODECS: dict[str, TableCodec] = {}


def codec(table: Table) -> TableCodec:
    found = _CODECS.get(table.name)
    if found is None:
        found = _CODECS[table.name] = TableCodec(table)
    return found


# Columns whose values are (nearly) all different: converting them once per distinct value would only fill memory.
UNIQUE_COLUMNS = frozenset({"id", "entity_id", "content_hash"})


class DriverWriter:
    """INSERT, UPDATE by id and DELETE by id of rows, straight to the driver's executemany.

    Rows are column values (``encoded=False``) or the shared JSON form (``encoded=True``: decoded with the codec's
    rules, a malformed value refused as RecordFormatError). Each column's conversion to the driver's form is
    SQLAlchemy's own, done once per distinct value — an import repeats the same origin, timestamps, parent ids and
    enum values thousands of times — except for columns of unique values such as ids.
    """

    def __init__(self, connection: Connection, table: Table, columns: Sequence[str], *, encoded: bool = False) -> None:
        self.connection = connection
        self.table = table
        self.columns = tuple(columns)
        dialect = connection.dialect
        quote = dialect.identifier_preparer.quote
        marker = "?" if dialect.paramstyle == "qmark" else "%s"
        names = ", ".join(quote(name) for name in self.columns)
        self._insert = f"INSERT INTO {quote(table.name)} ({names}) VALUES ({', '.join([marker] * len(self.columns))})"
        others = [name for name in self.columns if name != "id"]
        self._update_columns = others
        assignments = ", ".join(f"{quote(name)} = {marker}" for name in others)
        self._update = f"UPDATE {quote(table.name)} SET {assignments} WHERE id = {marker}"
        self._delete = f"DELETE FROM {quote(table.name)} WHERE id = {marker}"
        table_codec = codec(table) if encoded else None
        self._to_db: dict[str, Callable[[Any], Any]] = {}
        # Encoded text and integers the driver takes as they are: only their type is checked, in the loop itself.
        self._checked_as_is: dict[str, type] = {}
        for name in self.columns:
            bind = _bind_processor(table.c[name], dialect)
            kind = table.c[name].type
            if table_codec is not None and bind is _same and type(kind) in (String, Text, Integer):
                self._checked_as_is[name] = int if isinstance(kind, Integer) else str
            convert = _decoding(table_codec, name, bind) if table_codec is not None else bind
            self._to_db[name] = convert if name in UNIQUE_COLUMNS else _memoized(convert)

    def to_db(self, column: str, value: Any) -> Any:
        return None if value is None else self._to_db[column](value)

    def converter(self, column: str) -> Callable[[Any], Any]:
        return self._to_db[column]

    def insert(self, rows: Sequence[dict[str, Any]], overrides: dict[str, list[Any]] | None = None) -> None:
        """``overrides``: for some columns, the values to write instead (one per row, in the rows' order)."""
        if rows:
            self.connection.exec_driver_sql(self._insert, self._params(self.columns, rows, overrides))

    def update(self, rows: Sequence[dict[str, Any]], overrides: dict[str, list[Any]] | None = None) -> None:
        if rows:
            columns = (*self._update_columns, "id")
            self.connection.exec_driver_sql(self._update, self._params(columns, rows, overrides))

    def insert_missing(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert rows whose primary key is not taken yet; the others are left as they are."""
        self._execute(self._insert + " ON CONFLICT DO NOTHING", rows)

    def upsert(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert rows, or overwrite the other columns of the row with the same primary key."""
        self._execute(self.upsert_sql, rows)

    def _execute(self, sql: str, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self.connection.exec_driver_sql(sql, self._params(self.columns, rows))

    def _params(
        self, columns: Sequence[str], rows: Sequence[dict[str, Any]], overrides: dict[str, list[Any]] | None = None
    ) -> list[tuple]:
        """Parameter tuples, converted a column at a time (one converter, many values: the fast loop)."""
        converted = []
        for name in columns:
            if overrides and name in overrides:
                convert = self._to_db[name]
                converted.append([None if value is None else convert(value) for value in overrides[name]])
                continue
            expected = self._checked_as_is.get(name)
            if expected is not None:
                values = [row.get(name) for row in rows]
                if any(type(value) is not expected for value in values if value is not None):
                    for value in values:  # raises RecordFormatError naming the column
                        self._to_db[name](value)
                converted.append(values)
                continue
            convert = self._to_db[name]
            converted.append([None if (value := row.get(name)) is None else convert(value) for row in rows])
        return list(zip(*converted, strict=True))

    def execute(self, sql: str, params: list[tuple]) -> None:
        """Parameter tuples already in the driver's form (``to_db``), for a caller that builds them itself."""
        if params:
            self.connection.exec_driver_sql(sql, params)

    @property
    def upsert_sql(self) -> str:
        quote = self.connection.dialect.identifier_preparer.quote
        keys = [column.name for column in self.table.primary_key.columns]
        others = [name for name in self.columns if name not in keys]
        assignments = ", ".join(f"{quote(name)} = excluded.{quote(name)}" for name in others)
        conflict = ", ".join(quote(name) for name in keys)
        return f"{self._insert} ON CONFLICT ({conflict}) DO UPDATE SET {assignments}"

    def delete(self, ids: Sequence[Any]) -> None:
        if ids:
            to_id = self._to_db["id"]
            self.connection.exec_driver_sql(self._delete, [(to_id(i),) for i in ids])


def _decoding(table_codec: TableCodec, name: str, bind: Callable[[Any], Any]) -> Callable[[Any], Any]:
    if isinstance(table_codec.table.c[name].type, Uuid):

        def convert_id(value: Any) -> Any:
            # An id the caller has already parsed (and so checked) is not parsed again.
            return bind(value if isinstance(value, uuid.UUID) else table_codec.decode_value(name, value))

        return convert_id

    def convert(value: Any) -> Any:
        return bind(table_codec.decode_value(name, value))

    return convert


def _memoized(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    cache: dict[Any, Any] = {}

    def converted(value: Any) -> Any:
        key = tuple(value) if isinstance(value, list) else value
        try:
            return cache[key]
        except KeyError:
            result = cache[key] = convert(value)
            return result
        except TypeError:  # not hashable
            return convert(value)

    return converted


def _bind_processor(column: Any, dialect: Any) -> Callable[[Any], Any]:
    if isinstance(column.type, Uuid) and not dialect.supports_native_uuid:
        return _uuid_hex  # what SQLAlchemy stores on SQLite, without its per-value checks
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    return process or _same


def _uuid_hex(value: Any) -> str:
    return value.hex if isinstance(value, uuid.UUID) else uuid.UUID(value).hex
