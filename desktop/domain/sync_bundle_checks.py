"""The checks a sync bundle passes after its signature is verified, one function each, in import order.

Each takes the verified manifest and the facts it needs (this node, the last sequence seen from
the source, the clock, the names in the archive, the limits, this installation's schema revision)
and raises SyncBundleRefused with a reason code and a Chinese message saying what is wrong and
what to do. desktop.services.sync_bundle_files calls them in the order docs/bundle-format.md gives.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from desktop.domain.sync_bundle import (
    MANIFEST_ENTRY,
    SIGNATURE_ENTRY,
    BundleLimits,
    BundleManifest,
    ManifestMember,
    RefusalReason,
    SyncBundleRefused,
    china_time_text,
    revision_number,
    shown_name,
)

_NOTHING = "没有导入任何内容。"


class SchemaRelation(StrEnum):
    """How the bundle's schema revision stands to this installation's (a newer one is refused)."""

    SAME = "same"
    OLDER = "older"


def check_addressed(manifest: BundleManifest, this_node: uuid.UUID, label: str) -> None:
    target = manifest.header.target_node
    if target != this_node:
        raise SyncBundleRefused(
            RefusalReason.WRONG_TARGET,
            f"“{label}”是发给另一个节点（{target}）的，不是发给本机（{this_node}）的。{_NOTHING}"
            "请确认选择的文件，或请对方为本机导出同步包。",
            manifest=manifest,
        )


def check_sequence(manifest: BundleManifest, last_sequence: int | None, label: str) -> None:
    """Refuse a bundle already imported (same sequence) or older than the last one imported from its source."""
    sequence = manifest.header.sequence
    if last_sequence is None or sequence > last_sequence:
        return
    if sequence == last_sequence:
        raise SyncBundleRefused(
            RefusalReason.REPLAYED,
            f"“{label}”（{manifest.describe()}）已经导入过。{_NOTHING}不需要再次导入。",
            manifest=manifest,
        )
    raise SyncBundleRefused(
        RefusalReason.ROLLED_BACK,
        f"“{label}”是{manifest.describe()}，但本机已经导入过该节点更新的第 {last_sequence} 号同步包，"
        f"旧的同步包不能再导入。{_NOTHING}请使用对方最新导出的同步包。",
        manifest=manifest,
    )


def check_not_expired(manifest: BundleManifest, now: datetime, label: str) -> None:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    expires_at = manifest.header.expires_at
    if now >= expires_at:
        raise SyncBundleRefused(
            RefusalReason.EXPIRED,
            f"“{label}”（{manifest.describe()}）已于北京时间 {china_time_text(expires_at)} 过期。{_NOTHING}"
            "请对方重新导出同步包后再导入。",
            manifest=manifest,
        )


def check_member_entries(manifest: BundleManifest, entry_names: Sequence[str], label: str) -> None:
    """The archive holds each listed member exactly once and nothing else (besides manifest and signature)."""
    counts = Counter(entry_names)
    expected = {member.entry_name for member in manifest.members} | {MANIFEST_ENTRY, SIGNATURE_ENTRY}
    for member in manifest.members:
        if member.entry_name not in counts:
            raise SyncBundleRefused(
                RefusalReason.MEMBER_MISSING,
                f"“{label}”不完整：缺少清单中的“{member.name}”。{_NOTHING}请重新复制这个文件，或请对方重新导出。",
                manifest=manifest,
            )
    for name in entry_names:
        if name not in expected:
            raise SyncBundleRefused(
                RefusalReason.MEMBER_EXTRA,
                f"“{label}”中有清单之外的内容“{shown_name(name)}”，文件在导出后被改动过。{_NOTHING}"
                "请不要使用这个文件，请对方重新导出。",
                manifest=manifest,
            )
    for name, count in counts.items():
        if count > 1:
            raise SyncBundleRefused(
                RefusalReason.MEMBER_DUPLICATED,
                f"“{label}”中的“{shown_name(name)}”出现了 {count} 次，文件在导出后被改动过。{_NOTHING}"
                "请不要使用这个文件，请对方重新导出。",
                manifest=manifest,
            )


def check_member_size(manifest: BundleManifest, member: ManifestMember, stored_size: int, label: str) -> None:
    if stored_size != member.size:
        raise SyncBundleRefused(
            RefusalReason.MEMBER_WRONG_SIZE,
            f"“{label}”中的“{member.name}”大小与清单不符（清单为 {member.size} 字节，文件中为 {stored_size} 字节），"
            f"文件已损坏或被改动过。{_NOTHING}请重新复制这个文件，或请对方重新导出。",
            manifest=manifest,
        )


def check_limits(manifest: BundleManifest, limits: BundleLimits, label: str) -> None:
    """Sizes a sane bundle never reaches; checked before any member is read into memory."""
    problem = None
    if len(manifest.members) > limits.members:
        problem = f"有 {len(manifest.members)} 个成员，上限为 {limits.members} 个"
    else:
        largest = max(manifest.members, key=lambda member: member.size, default=None)
        if largest is not None and largest.size > limits.member_bytes:
            problem = f"其中“{largest.name}”有 {_mb(largest.size)}，单个成员上限为 {_mb(limits.member_bytes)}"
        elif manifest.total_size > limits.total_bytes:
            problem = f"成员共 {_mb(manifest.total_size)}，上限为 {_mb(limits.total_bytes)}"
    if problem is not None:
        raise too_large(label, problem, manifest)


def too_large(label: str, problem: str, manifest: BundleManifest | None = None) -> SyncBundleRefused:
    return SyncBundleRefused(
        RefusalReason.TOO_LARGE,
        f"“{label}”过大（{problem}），不是正常的同步包。{_NOTHING}如果数据确实很多，请对方分几次导出。",
        manifest=manifest,
    )


def check_member_hash(manifest: BundleManifest, member: ManifestMember, sha256: str, label: str) -> None:
    if sha256 != member.sha256:
        raise member_damaged(manifest, member, label)


def member_damaged(manifest: BundleManifest, member: ManifestMember, label: str) -> SyncBundleRefused:
    return SyncBundleRefused(
        RefusalReason.MEMBER_WRONG_HASH,
        f"“{label}”中的“{member.name}”与清单不符（SHA-256 校验失败），文件已损坏或被改动过。{_NOTHING}"
        "请重新复制这个文件，或请对方重新导出。",
        manifest=manifest,
    )


def check_schema(manifest: BundleManifest, schema_revision: str, label: str) -> SchemaRelation:
    """SAME or OLDER (the importer upgrades older data); a newer or unknown revision is refused."""
    theirs = manifest.header.schema_revision
    if theirs == schema_revision:
        return SchemaRelation.SAME
    ours_number = revision_number(schema_revision)
    if ours_number is None:
        raise ValueError(f"not a schema revision: {schema_revision!r}")
    theirs_number = revision_number(theirs)
    if theirs_number is not None and theirs_number < ours_number:
        return SchemaRelation.OLDER
    raise SyncBundleRefused(
        RefusalReason.NEWER_SCHEMA,
        f"“{label}”由数据库结构更新（或本机不认识）的托育监管导出（结构版本 {theirs}），"
        f"本机的结构版本为 {schema_revision}。"
        f"{_NOTHING}请先把本机的托育监管升级到与对方相同或更新的版本，再导入这个同步包。",
        manifest=manifest,
    )


def _mb(size: int) -> str:
    return f"{size / 1024**2:,.1f} MB"
