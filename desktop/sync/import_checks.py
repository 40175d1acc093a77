"""What an import refuses before it writes anything, beyond the bundle's own checks (docs/sync.md "Import"):
a record of another county than the source's own (reliability-anchors A26), and a record that points at one this
database neither has nor gets from the bundle.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, Connection, select

from desktop.models import PhotoContent
from desktop.services.batching import chunks
from desktop.sync import scopes, state
from desktop.sync.import_records import local_rows
from desktop.sync.labels import label_of
from desktop.sync.payload import DataPayload
from desktop.sync.refusals import NOTHING_CHANGED, ContentRefusal, SyncContentRefused
from desktop.sync.row_codec import codec

if TYPE_CHECKING:
    from desktop.sync.import_plan import ImportPlan, RecordEntry


def check_county(connection: Connection, plan: ImportPlan, county: str, label: str) -> None:
    """Every record a laptop or county sends must be of its own county (reliability-anchors A26)."""
    incoming: dict[str, dict[str, Any]] = {}
    for entry in plan.entries:
        if entry.incoming.row is not None:
            incoming.setdefault(entry.table, {})[entry.incoming.row["id"]] = entry.incoming.row
    resolved: dict[tuple[str, str], str | None] = {}

    def county_of(table: str, record: dict[str, Any]) -> str | None:
        rule = scopes.COUNTY_OF.get(table)
        if rule is None:
            return county
        value = record.get(rule.column)
        if rule.via is None:
            return value
        key = (rule.via, value)
        if key not in resolved:
            parent = incoming.get(rule.via, {}).get(value)
            if parent is None:
                parent = _local_record(connection, rule.via, value)
            resolved[key] = None if parent is None else county_of(rule.via, parent)
        return resolved[key]

    for table, records in incoming.items():
        for record in records.values():
            found = county_of(table, record)
            if found is not None and found != county:
                raise SyncContentRefused(
                    ContentRefusal.NOT_ALLOWED,
                    f"“{label}”中有{label_of(table)}不属于来源节点所在的县区（{county}）。{NOTHING_CHANGED}"
                    "请确认同步包来自本县区的节点。",
                )


def _local_record(connection: Connection, table_name: str, entity_id: str | None) -> dict[str, Any] | None:
    if entity_id is None:
        return None
    try:
        key = uuid.UUID(entity_id)
    except (TypeError, ValueError, AttributeError):
        return None  # not an id at all: the check of references refuses it
    table_codec = codec(scopes.MODELS_BY_NAME[table_name].__table__)
    return local_rows(connection, table_codec, [key]).get(entity_id)


def check_references(connection: Connection, plan: ImportPlan, payload: DataPayload, label: str) -> None:
    """Every record written must point at records this database has, or gets from the bundle, and keeps."""
    writes = [entry for entry in plan.entries if entry.plan.write is not None and not entry.plan.write.deleted]
    deleting = {e.local_id for e in plan.entries if e.plan.write is not None and e.plan.write.deleted}
    arriving: dict[str, set[str]] = {}
    for entry in writes:
        arriving.setdefault(entry.table, set()).add(entry.local_id)
    photos = {photo.sha256 for photo in payload.photos}
    by_table: dict[str, list[RecordEntry]] = {}
    for entry in writes:
        by_table.setdefault(entry.table, []).append(entry)
    for table_name, entries in by_table.items():
        table = scopes.MODELS[table_name].__table__
        for column in table.columns:
            for foreign_key in column.foreign_keys:
                target = foreign_key.column
                wanted = {e.plan.write.row.get(column.name) for e in entries} - {None}
                if target.table.name == PhotoContent.__tablename__:
                    wanted -= photos
                if target.name == "id":
                    wanted -= arriving.get(target.table.name, set()) - deleting
                else:
                    wanted -= {
                        e.plan.write.row.get(target.name)
                        for e in plan.entries
                        if e.table == target.table.name and e.plan.write is not None and e.plan.write.row
                    }
                missing = wanted - _existing(connection, target, wanted, deleting)
                if missing:
                    raise SyncContentRefused(
                        ContentRefusal.MISSING_REFERENCE,
                        f"“{label}”中有 {len(missing)} 条{label_of(table_name)}所指的{label_of(target.table.name)}"
                        f"在本数据库中没有。{NOTHING_CHANGED}请先导入对方更早的同步包，或请对方完整导出（--full）后再导入。",
                    )


def _existing(connection: Connection, target: Column, values: Iterable[Any], deleting: set[str]) -> set[Any]:
    values = list(values)
    if not values:
        return set()
    found = set()
    is_id = target.name == "id"
    for chunk in chunks(values, state.CHUNK):
        keys = [uuid.UUID(v) for v in chunk] if is_id else list(chunk)
        for row in connection.execute(select(target).where(target.in_(keys))):
            value = str(row[0]) if is_id else row[0]
            if is_id and value in deleting:
                continue
            found.add(value)
    return found
