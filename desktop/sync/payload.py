"""The members of a sync bundle and what they hold (docs/sync.md "Inside a bundle").

A data bundle has ``sync.json`` — what is in it: its tables (parents first) with their columns and the members
holding their rows, the audit entries, the photos, the natural keys of referenced records, the policy files —
and the members it names: ``rows/<table>/<nnnn>.json`` (``{"rows": [[values…]], "bases": [base…],
"deleted": [[id, base]…]}``; personal tables encrypted), ``audit/<nnnn>.json`` (encrypted), ``photos/<sha256>.bin``
and ``policies/<file>``. A receipt has only ``receipt.json``.

Parsing is strict: JSON with duplicate keys, NaN or the wrong shape, a member listed but missing or present but
not listed, is refused as ``bad_content`` before anything reaches the database.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop.domain.enums import NodeKind
from desktop.domain.sync_bundle import BundleMember
from desktop.domain.sync_records import DELETED, is_content_hash
from desktop.sync.refusals import bad_content

SYNC_MEMBER = "sync.json"
RECEIPT_MEMBER = "receipt.json"
PAYLOAD_VERSION = 1
ROWS_PER_MEMBER = 50_000
AUDIT_PER_MEMBER = 100_000
DATA, RECEIPT = "data", "receipt"
# Receipt statuses: the importer has what was sent; kept a newer version of its own; holds the record in conflict.
ACCEPTED, KEPT, CONFLICT = "accepted", "kept", "conflict"

_SHA256 = re.compile(r"[0-9a-f]{64}")
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,100}")


@dataclass
class TablePart:
    """One table's records in a bundle: rows (encoded values in ``columns`` order) with their bases, deletions."""

    table: str
    columns: tuple[str, ...]
    rows: list[list[Any]] = field(default_factory=list)
    bases: list[str | None] = field(default_factory=list)
    deleted: list[tuple[str, str | None]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows) + len(self.deleted)


@dataclass(frozen=True)
class Photo:
    sha256: str
    media_type: str
    data: bytes


@dataclass
class DataPayload:
    source_role: NodeKind
    target_role: NodeKind
    full: bool
    tables: list[TablePart]
    audit_columns: tuple[str, ...] = ()
    audit_rows: list[list[Any]] = field(default_factory=list)
    photos: list[Photo] = field(default_factory=list)
    # table → {id as sent: {natural key column: value, …, "hash": content hash}}
    references: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    policies: list[tuple[str, bytes]] = field(default_factory=list)

    @property
    def record_count(self) -> int:
        return sum(part.count for part in self.tables)


@dataclass(frozen=True)
class ReceiptPayload:
    bundle_id: uuid.UUID
    sequence: int
    # table → [(id as the source sent it, hash the importer now has or None, status)]
    records: dict[str, list[tuple[str, str | None, str]]]


# ---- writing ------------------------------------------------------------------------------------


def _json(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def data_members(payload: DataPayload, personal_tables: frozenset[str]) -> list[BundleMember]:
    members: list[BundleMember] = []
    tables = []
    for part in payload.tables:
        names = []
        chunks = max(1, -(-len(part.rows) // ROWS_PER_MEMBER))
        for index in range(chunks):
            start = index * ROWS_PER_MEMBER
            body = {
                "rows": part.rows[start : start + ROWS_PER_MEMBER],
                "bases": part.bases[start : start + ROWS_PER_MEMBER],
                "deleted": [list(d) for d in part.deleted] if index == chunks - 1 else [],
            }
            name = f"rows/{part.table}/{index + 1:04d}.json"
            members.append(BundleMember(name, _json(body), encrypt=part.table in personal_tables))
            names.append(name)
        tables.append(
            {
                "table": part.table,
                "columns": list(part.columns),
                "members": names,
                "rows": len(part.rows),
                "deleted": len(part.deleted),
            }
        )
    audit_names = []
    for index in range(0, len(payload.audit_rows), AUDIT_PER_MEMBER):
        name = f"audit/{index // AUDIT_PER_MEMBER + 1:04d}.json"
        members.append(BundleMember(name, _json(payload.audit_rows[index : index + AUDIT_PER_MEMBER]), encrypt=True))
        audit_names.append(name)
    photos = []
    for photo in payload.photos:
        name = f"photos/{photo.sha256}.bin"
        members.append(BundleMember(name, photo.data, "application/octet-stream"))
        photos.append({"sha256": photo.sha256, "media_type": photo.media_type, "member": name})
    policies = []
    for file_name, data in payload.policies:
        name = f"policies/{file_name}"
        members.append(BundleMember(name, data, "application/toml"))
        policies.append({"name": file_name, "member": name})
    header = {
        "payload_version": PAYLOAD_VERSION,
        "kind": DATA,
        "source_role": payload.source_role.value,
        "target_role": payload.target_role.value,
        "full": payload.full,
        "tables": tables,
        "audit": {"columns": list(payload.audit_columns), "members": audit_names, "entries": len(payload.audit_rows)},
        "photos": photos,
        "references": payload.references,
        "policies": policies,
    }
    members.append(BundleMember(SYNC_MEMBER, _json(header)))
    return members


def receipt_members(receipt: ReceiptPayload) -> list[BundleMember]:
    document = {
        "payload_version": PAYLOAD_VERSION,
        "kind": RECEIPT,
        "acknowledges": {"bundle_id": str(receipt.bundle_id), "sequence": receipt.sequence},
        "records": {table: [list(entry) for entry in entries] for table, entries in sorted(receipt.records.items())},
    }
    return [BundleMember(RECEIPT_MEMBER, _json(document))]


def is_receipt(member_names: Sequence[str]) -> bool:
    return list(member_names) == [RECEIPT_MEMBER]


# ---- reading ------------------------------------------------------------------------------------


def _strict_json(data: bytes, label: str, member: str) -> Any:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        document = dict(pairs)
        if len(document) != len(pairs):
            raise ValueError("duplicate key")
        return document

    def no_constant(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    try:
        return json.loads(data.decode("utf-8"), object_pairs_hook=no_duplicates, parse_constant=no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise bad_content(label, f"{member} 不是有效的 JSON") from error


def _expect(condition: bool, label: str, problem: str) -> None:
    if not condition:
        raise bad_content(label, problem)


def _base(value: Any) -> bool:
    return value is None or value == DELETED or is_content_hash(value)


def parse_data(members: Mapping[str, bytes], label: str) -> DataPayload:
    """The data payload of an opened bundle (members by name, decrypted), or bad_content."""
    _expect(SYNC_MEMBER in members, label, f"缺少 {SYNC_MEMBER}")
    header = _strict_json(members[SYNC_MEMBER], label, SYNC_MEMBER)
    _expect(isinstance(header, dict), label, f"{SYNC_MEMBER} 不是对象")
    _expect(header.get("payload_version") == PAYLOAD_VERSION and header.get("kind") == DATA, label, "版本或种类不对")
    try:
        source_role, target_role = NodeKind(header.get("source_role")), NodeKind(header.get("target_role"))
    except ValueError as error:
        raise bad_content(label, "节点角色无效") from error
    _expect(isinstance(header.get("full"), bool), label, "full 无效")
    used = {SYNC_MEMBER}

    def member(name: Any) -> bytes:
        _expect(
            isinstance(name, str) and name in members and name not in used, label, f"成员 {str(name)[:60]} 缺失或重复"
        )
        used.add(name)
        return members[name]

    tables = []
    listed = header.get("tables")
    _expect(isinstance(listed, list), label, "tables 无效")
    seen_tables = set()
    for entry in listed:
        _expect(isinstance(entry, dict) and isinstance(entry.get("table"), str), label, "表的说明无效")
        table = entry["table"]
        _expect(table not in seen_tables, label, f"表 {table[:40]} 重复")
        seen_tables.add(table)
        columns = entry.get("columns")
        _expect(
            isinstance(columns, list)
            and all(isinstance(c, str) for c in columns)
            and len(set(columns)) == len(columns),
            label,
            f"表 {table[:40]} 的列无效",
        )
        _expect("id" in columns, label, f"表 {table[:40]} 没有 id 列")
        part = TablePart(table, tuple(columns))
        names = entry.get("members")
        _expect(isinstance(names, list) and names, label, f"表 {table[:40]} 的成员无效")
        for name in names:
            body = _strict_json(member(name), label, name)
            _expect(isinstance(body, dict) and set(body) == {"rows", "bases", "deleted"}, label, f"{name} 的结构无效")
            rows, bases, deleted = body["rows"], body["bases"], body["deleted"]
            _expect(isinstance(rows, list) and isinstance(bases, list) and len(rows) == len(bases), label, name)
            _expect(all(isinstance(r, list) and len(r) == len(columns) for r in rows), label, f"{name} 的行长度不对")
            _expect(all(_base(b) for b in bases), label, f"{name} 的 base 无效")
            _expect(isinstance(deleted, list), label, f"{name} 的删除记录无效")
            for item in deleted:
                _expect(isinstance(item, list) and len(item) == 2 and isinstance(item[0], str), label, name)
                _expect(_base(item[1]), label, f"{name} 的删除记录 base 无效")
                part.deleted.append((item[0], item[1]))
            part.rows.extend(rows)
            part.bases.extend(bases)
        _expect(entry.get("rows") == len(part.rows) and entry.get("deleted") == len(part.deleted), label, "记录数不符")
        tables.append(part)

    audit = header.get("audit")
    _expect(isinstance(audit, dict) and set(audit) == {"columns", "members", "entries"}, label, "audit 无效")
    audit_columns = audit["columns"]
    _expect(isinstance(audit_columns, list) and all(isinstance(c, str) for c in audit_columns), label, "audit 列无效")
    audit_rows: list[list[Any]] = []
    _expect(isinstance(audit["members"], list), label, "audit 成员无效")
    for name in audit["members"]:
        rows = _strict_json(member(name), label, name)
        _expect(
            isinstance(rows, list) and all(isinstance(r, list) and len(r) == len(audit_columns) for r in rows),
            label,
            name,
        )
        audit_rows.extend(rows)
    _expect(audit["entries"] == len(audit_rows), label, "审计记录数不符")

    photos = []
    _expect(isinstance(header.get("photos"), list), label, "photos 无效")
    for entry in header["photos"]:
        _expect(isinstance(entry, dict) and set(entry) == {"sha256", "media_type", "member"}, label, "照片说明无效")
        sha256, media_type = entry["sha256"], entry["media_type"]
        _expect(isinstance(sha256, str) and _SHA256.fullmatch(sha256) is not None, label, "照片哈希无效")
        _expect(isinstance(media_type, str) and 0 < len(media_type) <= 40, label, "照片类型无效")
        data = member(entry["member"])
        _expect(hashlib.sha256(data).hexdigest() == sha256, label, f"照片 {sha256[:12]}… 与其哈希不符")
        photos.append(Photo(sha256, media_type, data))

    references = header.get("references")
    _expect(isinstance(references, dict), label, "references 无效")
    for table, keys in references.items():
        _expect(
            isinstance(keys, dict) and all(isinstance(v, dict) for v in keys.values()), label, f"{table[:40]} 引用无效"
        )

    policies = []
    _expect(isinstance(header.get("policies"), list), label, "policies 无效")
    for entry in header["policies"]:
        _expect(isinstance(entry, dict) and set(entry) == {"name", "member"}, label, "政策文件说明无效")
        name = entry["name"]
        _expect(
            isinstance(name, str) and _FILE_NAME.fullmatch(name) is not None and name.endswith(".toml"),
            label,
            "政策文件名无效",
        )
        policies.append((name, member(entry["member"])))

    _expect(used == set(members), label, "有清单之外的成员")
    return DataPayload(
        source_role,
        target_role,
        header["full"],
        tables,
        tuple(audit_columns),
        audit_rows,
        photos,
        references,
        policies,
    )


def parse_receipt(members: Mapping[str, bytes], label: str) -> ReceiptPayload:
    document = _strict_json(members[RECEIPT_MEMBER], label, RECEIPT_MEMBER)
    _expect(
        isinstance(document, dict) and set(document) == {"payload_version", "kind", "acknowledges", "records"},
        label,
        "回执结构无效",
    )
    _expect(document["payload_version"] == PAYLOAD_VERSION and document["kind"] == RECEIPT, label, "回执版本不对")
    acknowledged = document["acknowledges"]
    _expect(isinstance(acknowledged, dict) and set(acknowledged) == {"bundle_id", "sequence"}, label, "回执对象无效")
    try:
        bundle_id = uuid.UUID(acknowledged["bundle_id"])
    except (TypeError, ValueError, AttributeError) as error:
        raise bad_content(label, "回执的同步包编号无效") from error
    sequence = acknowledged["sequence"]
    _expect(isinstance(sequence, int) and not isinstance(sequence, bool) and sequence > 0, label, "回执的序号无效")
    records = document["records"]
    _expect(isinstance(records, dict), label, "回执记录无效")
    parsed: dict[str, list[tuple[str, str | None, str]]] = {}
    for table, entries in records.items():
        _expect(isinstance(entries, list), label, f"回执中 {table[:40]} 无效")
        rows = []
        for entry in entries:
            _expect(
                isinstance(entry, list)
                and len(entry) == 3
                and isinstance(entry[0], str)
                and (entry[1] is None or is_content_hash(entry[1]))
                and entry[2] in (ACCEPTED, KEPT, CONFLICT),
                label,
                f"回执中 {table[:40]} 的记录无效",
            )
            rows.append((entry[0], entry[1], entry[2]))
        parsed[table] = rows
    return ReceiptPayload(bundle_id, sequence, parsed)
