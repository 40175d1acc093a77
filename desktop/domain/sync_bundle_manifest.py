"""The manifest of a sync bundle: written in one canonical form, read back only if it is one of ours.

The manifest names the format and version, the bundle id, the schema revision of the database it
came from, the source and target nodes, the source's sequence number for this bundle, when it was
made and when it expires, the keys of its encrypted members, and for every member its name, size,
SHA-256 (of the bytes stored in the container), whether it is encrypted and its content type. The
source signs its exact bytes, so everything the reader later relies on is under one signature.

``parse_manifest`` is the first check on import: it turns bytes into a ``BundleManifest`` or
refuses them as "not a bundle" (or "a newer format"). It is strict on purpose — exact field sets,
no duplicate JSON keys, one spelling of ids and times — so that two readers can never see two
different manifests in the same signed bytes.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from desktop.domain.sync_bundle import (
    ENCRYPTION_OVERHEAD,
    ENCRYPTION_SCHEME,
    FORMAT_NAME,
    FORMAT_VERSION,
    MAX_JSON_INTEGER,
    BundleHeader,
    BundleManifest,
    Encryption,
    ManifestMember,
    RefusalReason,
    SyncBundleRefused,
    not_a_bundle,
    revision_number,
    shown_text,
    timestamp_text,
    valid_content_type,
    valid_member_name,
)

_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_KEY_BASE64 = re.compile(r"[A-Za-z0-9+/]{43}=")  # 32 bytes, standard Base64 as in the public-key files
_TOP_FIELDS = frozenset({
    "format", "format_version", "bundle_id", "schema_revision", "source_node", "target_node", "sequence",
    "created_at", "expires_at", "encryption", "members",
})  # fmt: skip
_MEMBER_FIELDS = frozenset({"name", "size", "sha256", "encrypted", "content_type"})
_ENCRYPTION_FIELDS = frozenset({"scheme", "ephemeral_public_key", "recipient_public_key"})


def manifest_document(manifest: BundleManifest) -> dict[str, Any]:
    header = manifest.header
    encryption = manifest.encryption
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "bundle_id": str(header.bundle_id),
        "schema_revision": header.schema_revision,
        "source_node": str(header.source_node),
        "target_node": str(header.target_node),
        "sequence": header.sequence,
        "created_at": timestamp_text(header.created_at),
        "expires_at": timestamp_text(header.expires_at),
        "encryption": None
        if encryption is None
        else {
            "scheme": ENCRYPTION_SCHEME,
            "ephemeral_public_key": key_text(encryption.ephemeral_public_key),
            "recipient_public_key": key_text(encryption.recipient_public_key),
        },
        "members": [
            {
                "name": member.name,
                "size": member.size,
                "sha256": member.sha256,
                "encrypted": member.encrypted,
                "content_type": member.content_type,
            }
            for member in manifest.members
        ],
    }


def key_text(key: bytes) -> str:
    """A raw 32-byte public key as the manifest (and the nodes' public-key files) write it: standard Base64."""
    return base64.b64encode(key).decode("ascii")


def canonical_json(document: Mapping[str, Any]) -> bytes:
    """The one way Tuoyu writes a manifest: UTF-8, sorted keys, two-space indent, final newline.

    Readers verify the signature over the bytes as they are; the canonical form only makes the
    bytes a writer produces reproducible and pleasant to read in a text editor.
    """
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def manifest_bytes(manifest: BundleManifest) -> bytes:
    """The manifest as it is stored and signed. Raises ValueError for a manifest no reader would accept."""
    data = canonical_json(manifest_document(manifest))
    try:
        parse_manifest(data, "（新同步包）")  # a writer never produces what its own reader refuses
    except SyncBundleRefused as refusal:
        raise ValueError(f"this manifest would be refused: {refusal.message}") from None
    return data


class _Malformed(Exception):
    """One thing wrong with a manifest, in Chinese; becomes a NOT_A_BUNDLE refusal."""


def parse_manifest(data: bytes, label: str) -> BundleManifest:
    """The manifest in ``data``, or a refusal saying why it is not one Tuoyu can read."""
    try:
        document = json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constant)
    except _Malformed as problem:
        raise not_a_bundle(label, str(problem)) from None
    except (ValueError, RecursionError):  # bad UTF-8, bad JSON, absurdly long numbers or nesting
        raise not_a_bundle(label, "清单不是有效的 JSON") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise not_a_bundle(label, "没有同步包清单")
    version = document.get("format_version")
    if not _is_int(version) or version < 1:
        raise not_a_bundle(label, "同步包格式版本无效")
    if version > FORMAT_VERSION:
        raise SyncBundleRefused(
            RefusalReason.NEWER_FORMAT,
            f"“{label}”由更新版本的托育监管生成（同步包格式版本 {version}），本机只能读取到版本 {FORMAT_VERSION}。"
            "没有导入任何内容。请先升级本机的托育监管，再导入这个同步包。",
        )
    try:
        return _manifest_v1(document)
    except _Malformed as problem:
        raise not_a_bundle(label, str(problem)) from None


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Two readers must never see two different manifests in the same bytes.
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Malformed(f"清单中的“{shown_text(key)}”出现了两次")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise _Malformed(f"清单中有非数字“{name}”")


def _manifest_v1(document: dict[str, Any]) -> BundleManifest:
    _exact_fields(document, _TOP_FIELDS, "清单")
    source = _node_id(document["source_node"], "source_node")
    target = _node_id(document["target_node"], "target_node")
    if source == target:
        raise _Malformed("来源节点与目标节点相同")
    sequence = document["sequence"]
    if not _is_int(sequence) or not 1 <= sequence <= MAX_JSON_INTEGER:
        raise _Malformed("序号（sequence）不是正整数")
    revision = document["schema_revision"]
    if revision_number(revision) is None:
        raise _Malformed("数据库结构版本（schema_revision）无效")
    created_at = _timestamp(document["created_at"], "created_at")
    expires_at = _timestamp(document["expires_at"], "expires_at")
    if expires_at <= created_at:
        raise _Malformed("有效期（expires_at）早于生成时间")
    members = _members(document["members"])
    encryption = _encryption(document["encryption"])
    if (encryption is None) == any(member.encrypted for member in members):
        raise _Malformed("加密信息与成员的加密标记不一致")
    header = BundleHeader(
        bundle_id=_node_id(document["bundle_id"], "bundle_id"),
        source_node=source,
        target_node=target,
        sequence=sequence,
        schema_revision=revision,
        created_at=created_at,
        expires_at=expires_at,
    )
    return BundleManifest(header, members, encryption)


def _members(value: Any) -> tuple[ManifestMember, ...]:
    if not isinstance(value, list):
        raise _Malformed("成员清单（members）不是列表")
    members = []
    for item in value:
        if not isinstance(item, dict):
            raise _Malformed("成员清单中有一项不是对象")
        _exact_fields(item, _MEMBER_FIELDS, "成员清单")
        name = item["name"]
        if not valid_member_name(name):
            raise _Malformed(f"成员名“{shown_text(name)}”不合规定")
        size = item["size"]
        if not _is_int(size) or not 0 <= size <= MAX_JSON_INTEGER:
            raise _Malformed(f"成员“{name}”的大小无效")
        sha256 = item["sha256"]
        if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
            raise _Malformed(f"成员“{name}”的 SHA-256 无效")
        encrypted = item["encrypted"]
        if not isinstance(encrypted, bool):
            raise _Malformed(f"成员“{name}”的加密标记无效")
        if encrypted and size < ENCRYPTION_OVERHEAD:
            raise _Malformed(f"加密成员“{name}”短于密文的最小长度")
        content_type = item["content_type"]
        if not valid_content_type(content_type):
            raise _Malformed(f"成员“{name}”的内容类型无效")
        members.append(ManifestMember(name, size, sha256, encrypted, content_type))
    names = [member.name for member in members]
    # Sorted and unique: one order for writer, reader and a person comparing the list with `unzip -l`.
    if any(earlier >= later for earlier, later in itertools.pairwise(names)):
        raise _Malformed("成员清单未按名称排序或有重复的名称")
    return tuple(members)


def _encryption(value: Any) -> Encryption | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _Malformed("加密信息（encryption）不是对象")
    _exact_fields(value, _ENCRYPTION_FIELDS, "加密信息")
    if value["scheme"] != ENCRYPTION_SCHEME:
        raise _Malformed("不认识的加密方式")
    keys = []
    for field in ("ephemeral_public_key", "recipient_public_key"):
        text = value[field]
        if not isinstance(text, str) or not _KEY_BASE64.fullmatch(text):
            raise _Malformed(f"加密信息中的 {field} 无效")
        key = base64.b64decode(text)
        if key_text(key) != text:  # unused low bits set: another spelling of the same key
            raise _Malformed(f"加密信息中的 {field} 无效")
        keys.append(key)
    return Encryption(*keys)


def _exact_fields(document: dict[str, Any], expected: frozenset[str], where: str) -> None:
    missing = expected - document.keys()
    if missing:
        raise _Malformed(f"{where}缺少字段 {'、'.join(sorted(missing))}")
    unknown = document.keys() - expected
    if unknown:
        raise _Malformed(f"{where}中有未知字段 {'、'.join(shown_text(name) for name in sorted(unknown))}")


def _node_id(value: Any, field: str) -> uuid.UUID:
    if not isinstance(value, str) or len(value) != 36:
        raise _Malformed(f"{field} 不是有效的编号")
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        raise _Malformed(f"{field} 不是有效的编号") from None
    if str(parsed) != value:  # one spelling only: lower-case, hyphenated
        raise _Malformed(f"{field} 不是有效的编号")
    return parsed


def _timestamp(value: Any, field: str) -> datetime:
    if not isinstance(value, str) or not _TIMESTAMP.fullmatch(value):
        raise _Malformed(f"时间 {field} 无效")
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise _Malformed(f"时间 {field} 无效") from None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
