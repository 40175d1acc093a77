"""An import's incoming rows as this database's records, before they are planned (docs/sync.md "Import").

Each row of a bundle's table becomes a dict of this installation's columns — an older schema's rows upgraded
(columns added since take their default, columns removed since are dropped), its id checked and parsed once —
and records matched by natural key (regions, checklist templates, which every installation loads under ids of its
own) are given this database's ids, everywhere they are pointed at.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Column, Connection, Table, select

from desktop.domain.sync_bundle_checks import SchemaRelation
from desktop.domain.sync_records import content_hash
from desktop.services.batching import chunks
from desktop.services.record_codec import RecordFormatError
from desktop.sync import scopes, state
from desktop.sync.labels import label_of
from desktop.sync.payload import DataPayload, TablePart
from desktop.sync.refusals import NOTHING_CHANGED, ContentRefusal, SyncContentRefused, bad_content
from desktop.sync.row_codec import TableCodec, codec

# The parsed id of a record, kept beside its columns while it is planned.
ID = "__id__"


def exists(connection: Connection, query: Any) -> bool:
    return connection.execute(query.limit(1)).first() is not None


def parse_id(value: Any, label: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError, AttributeError) as error:
        raise bad_content(label, f"记录编号无效（{str(value)[:40]}）") from error


# ---- records --------------------------------------------------------------------------------------


def part_records(part: TablePart, table_codec: TableCodec, schema: SchemaRelation, label: str) -> list[dict[str, Any]]:
    """The rows of a part as dicts of this installation's columns (an older schema's upgraded)."""
    ours = table_codec.columns
    extra = [name for name in part.columns if name not in ours]
    missing = [name for name in ours if name not in part.columns]
    if (extra or missing) and schema is SchemaRelation.SAME:
        raise bad_content(label, f"{label_of(part.table)}的字段与本版本不符")
    records = []
    seen: set[str] = set()
    for values in part.rows:
        record = dict(zip(part.columns, values, strict=True))
        for name in extra:
            del record[name]  # removed by a later revision
        if not isinstance(record.get("id"), str) or record["id"] in seen:
            raise bad_content(label, f"{label_of(part.table)}记录的编号缺失或重复")
        seen.add(record["id"])
        record[ID] = parse_id(record["id"], label)
        if missing:
            record["__missing__"] = missing
        records.append(record)
    return records


def default_value(column: Column, table_codec: TableCodec) -> Any:
    """The value a column added after a bundle was written takes in its rows: its default, else empty."""
    default = column.default
    if default is not None and getattr(default, "is_scalar", False):
        value = default.arg
    elif default is not None and getattr(default, "is_callable", False):
        value = default.arg(None)
    elif column.server_default is not None and isinstance(getattr(column.server_default, "arg", None), str):
        value = column.server_default.arg
    elif column.nullable:
        return None
    else:
        raise ValueError(column.name)
    return table_codec.encode_value(column.name, value)


def local_rows(connection: Connection, table_codec: TableCodec, ids: list[uuid.UUID]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    table = table_codec.table
    for chunk in chunks(ids, state.CHUNK):
        query = select(*table_codec.select_columns).where(table.c.id.in_(chunk))
        for row in connection.execute(query):
            record = table_codec.as_dict(table_codec.encode(row))
            found[record["id"]] = record
    return found


def natural_key_matches(
    connection: Connection,
    table_codec: TableCodec,
    records: list[dict[str, Any]],
    local_rows: dict[str, dict[str, Any]],
    label: str,
) -> dict[str, str]:
    """Incoming id → this database's id, for records this database holds under its own id (same natural key)."""
    keys = scopes.NATURAL_KEYS.get(table_codec.table.name)
    if not keys:
        return {}
    unmatched = [record for record in records if record["id"] not in local_rows]
    if not unmatched:
        return {}
    table = table_codec.table
    by_key: dict[tuple, dict[str, Any]] = {}
    query = select(*table_codec.select_columns)
    for row in connection.execute(query):
        local = table_codec.as_dict(table_codec.encode(row))
        by_key[tuple(local[key] for key in keys)] = local
    mapping = {}
    for record in unmatched:
        if any(key not in record for key in keys):
            raise bad_content(label, f"{label_of(table.name)}缺少识别字段")
        local = by_key.get(tuple(record[key] for key in keys))
        if local is not None:
            mapping[record["id"]] = local["id"]
            local_rows[local["id"]] = local
    return mapping


def rewrite_references(table: Table, records: list[dict[str, Any]], id_maps: dict[str, dict[str, str]]) -> None:
    """Point foreign keys at this database's ids of records matched by natural key."""
    for column in table.columns:
        for foreign_key in column.foreign_keys:
            mapping = id_maps.get(foreign_key.column.table.name)
            if mapping and foreign_key.column.name == "id":
                for record in records:
                    value = record.get(column.name)
                    if value in mapping:
                        record[column.name] = mapping[value]


def map_references(
    connection: Connection, payload: DataPayload, id_maps: dict[str, dict[str, str]], label: str
) -> None:
    """Records pointed at by id that the bundle names by natural key only (a laptop's template ids): find ours.
    Those the bundle carries as rows are matched with the rows."""
    for target, references in payload.references.items():
        carried = {
            row[part.columns.index("id")] for part in payload.tables if part.table == target for row in part.rows
        }
        keys = scopes.NATURAL_KEYS.get(target)
        if keys is None:
            raise bad_content(label, f"引用了无法识别的表 {target[:40]}")
        table_codec = codec(scopes.MODELS_BY_NAME[target].__table__)
        local = {}
        for row in connection.execute(select(*table_codec.select_columns)):
            record = table_codec.as_dict(table_codec.encode(row))
            local[tuple(record[key] for key in keys)] = record
        mapping = id_maps.setdefault(target, {})
        for sent_id, reference in references.items():
            if sent_id in mapping or sent_id in carried:
                continue
            if any(key not in reference for key in keys):
                raise bad_content(label, f"{label_of(target)}的引用缺少识别字段")
            found = local.get(tuple(reference[key] for key in keys))
            if found is None or content_hash(found) != reference.get("hash"):
                shown = "、".join(str(reference[key]) for key in keys)
                raise SyncContentRefused(
                    ContentRefusal.MISSING_REFERENCE,
                    f"“{label}”中的记录使用的{label_of(target)}（{shown}）在本数据库中没有，或内容不同。{NOTHING_CHANGED}"
                    f"请先导入该{label_of(target)}（由市级下发），再导入这个同步包。",
                )
            mapping[sent_id] = found["id"]


def missing_default(table_codec: TableCodec, name: str) -> Any:
    try:
        return default_value(table_codec.table.c[name], table_codec)
    except ValueError as error:
        raise RecordFormatError(f"同步包中的“{table_codec.table.name}”记录缺少必填字段 {name}。") from error
