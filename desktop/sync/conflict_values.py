"""A conflict's values as a person reads them: enum labels, the name of the record a foreign key points to, 是/否,
dates in Chinese, money in yuan, personal data masked — and the label of a record (its name, or for a record
without one, what identifies it: a region and year, an institution and date).

Values are the shared JSON form of desktop/sync/row_codec.py (what a conflict's candidates hold).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Column, Date, Enum, Table, select

from desktop.domain.amount_words import format_yuan
from desktop.domain.enums import LabelledEnum
from desktop.domain.identifiers import mask_id_number
from desktop.domain.phone_numbers import mask_phone_number
from desktop.domain.registry_rules import format_date_cn
from desktop.models.base import CodeSet, UTCDateTime
from desktop.services.record_codec import RecordFormatError
from desktop.sync.row_codec import codec

NAME_COLUMNS = ("name", "title", "document_number", "display_name", "code", "item_code")
DELETED_TEXT = "（已删除）"


class ValueReader:
    """Reads values of the tables of one database session; the records foreign keys point to are looked up once."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self._referenced: dict[tuple[str, str, Any], str] = {}

    def shown(self, table: Table, column: str, value: Any, *, sensitive: bool) -> str:
        if value is None:
            return ""
        if column not in table.c:
            return str(value)
        text = self._readable(table.c[column], value)
        if sensitive:
            return mask_phone_number(text) if "phone" in column else mask_id_number(text)
        return text

    def record_label(self, table: Table, row: dict[str, Any]) -> str:
        """What a person calls the record: its name, or what identifies a record without one."""
        if table.name == "region_populations":
            region = self._referenced_label(table.c.region_code, row.get("region_code"))
            return f"{region or row.get('region_code') or ''} {row.get('year') or ''}年".strip()
        if table.name == "inspections":
            institution = self._referenced_label(table.c.institution_id, row.get("institution_id"))
            inspected = self._readable(table.c.inspected_at, row["inspected_at"]) if row.get("inspected_at") else ""
            return f"{institution} {inspected[: inspected.find('日') + 1]}".strip()
        return next((str(row[name]) for name in NAME_COLUMNS if name in table.c and row.get(name)), "")

    def _readable(self, column: Column, value: Any) -> str:
        kind = column.type
        if column.foreign_keys:
            return self._referenced_label(column, value) or str(value)
        if isinstance(kind, CodeSet):
            return "、".join(_enum_label(kind.enum_class, v) for v in value)
        if isinstance(kind, Enum) and kind.enum_class is not None:
            return _enum_label(kind.enum_class, value)
        if isinstance(kind, Boolean):
            return "是" if value else "否"
        if isinstance(kind, UTCDateTime):
            moment = datetime.fromisoformat(value).astimezone()
            return f"{format_date_cn(moment.date())} {moment:%H:%M}"
        if isinstance(kind, Date):
            return format_date_cn(date.fromisoformat(value))
        if column.name.endswith("_fen") and isinstance(value, int) and not isinstance(value, bool):
            return f"{format_yuan(value)} 元"
        if isinstance(value, list):
            return "、".join(map(str, value))
        return str(value)

    def _referenced_label(self, column: Column, value: Any) -> str:
        """The label of the record ``value`` points to through ``column``'s foreign key; "" if not found here."""
        if value is None or not column.foreign_keys:
            return ""
        target = next(iter(column.foreign_keys)).column
        key = (target.table.name, target.name, value)
        if key not in self._referenced:
            table_codec = codec(target.table)
            try:
                wanted = table_codec.decode_value(target.name, value)
            except RecordFormatError:
                return ""
            found = self.session.execute(select(*table_codec.select_columns).where(target == wanted)).first()
            label = ""
            if found is not None:
                label = self.record_label(target.table, table_codec.as_dict(table_codec.encode(found)))
            self._referenced[key] = label
        return self._referenced[key]


def _enum_label(enum_class: type, value: Any) -> str:
    try:
        member = enum_class(value)
    except ValueError:  # a member a newer release added
        return str(value)
    return member.label if isinstance(member, LabelledEnum) else str(value)
