"""What a sync bundle (同步包) is made of: its names, limits, parts and the refusal of a bad one.

A sync bundle carries named members (bytes) from one node to another: a ZIP container
(desktop.domain.sync_bundle_layout) holding the members, a manifest
(desktop.domain.sync_bundle_manifest) that lists each with its size and SHA-256, and the
source's Ed25519 signature of the manifest (desktop.domain.sync_bundle_crypto). Personal members
are encrypted to the target. On import, desktop.services.sync_bundle_files runs the checks of
desktop.domain.sync_bundle_checks in order and refuses with a ``SyncBundleRefused`` whose
``reason`` says which one failed.

docs/bundle-format.md is the contract: bump ``FORMAT_VERSION`` for any change a reader of the
previous version would misread, and keep reading the older versions.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from desktop.errors import TuoyuError

FORMAT_NAME = "tuoyu-sync-bundle"
FORMAT_VERSION = 1
MANIFEST_ENTRY = "manifest.json"
SIGNATURE_ENTRY = "manifest.sig"
MEMBER_PREFIX = "members/"
ENCRYPTION_SCHEME = "x25519-hkdf-sha256-chacha20poly1305"
SIGNATURE_BYTES = 64
# An encrypted member is stored as nonce (12 bytes) + ciphertext + Poly1305 tag (16 bytes).
ENCRYPTION_OVERHEAD = 12 + 16

# Limits. A real bundle stays far below them (a county's incremental export is a few MB, a photo at
# most 20 MB); they exist so a hostile or broken file cannot exhaust a laptop's memory, since
# members are handed to the importer in memory. An exporter with more to send writes several
# bundles (the sequence numbers keep their order).
MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 256 * 1024**2
MAX_TOTAL_BYTES = 1024**3
MAX_MANIFEST_BYTES = 8 * 1024**2
MAX_MEMBER_NAME_BYTES = 160
MAX_CONTENT_TYPE_LENGTH = 100
# The archive directory is read before anything is verified, so it has a ceiling of its own: a ZIP
# without ZIP64 has at most 65,535 entries, and a well-formed bundle's names are at most
# "members/" + 160 bytes, each behind a 46-byte header (about 14 MB in all).
MAX_ENTRIES = 0xFFFF
MAX_DIRECTORY_BYTES = MAX_ENTRIES * (46 + len(MEMBER_PREFIX) + MAX_MEMBER_NAME_BYTES)
# A USB stick may sit in a drawer for weeks; after this a bundle is stale and should be re-exported.
DEFAULT_LIFETIME = timedelta(days=90)
# JSON numbers above this lose precision in many readers (IEEE double), so the format forbids them.
MAX_JSON_INTEGER = 2**53 - 1

_MEMBER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)*")
_CONTENT_TYPE = re.compile(r"[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*")
_REVISION = re.compile(r"(\d{4})_[a-z0-9_]+")
CHINA_TIME = timedelta(hours=8)


@dataclass(frozen=True)
class BundleLimits:
    """The sizes beyond which a bundle is refused; tests use small ones to reach them cheaply."""

    members: int = MAX_MEMBERS
    member_bytes: int = MAX_MEMBER_BYTES
    total_bytes: int = MAX_TOTAL_BYTES
    manifest_bytes: int = MAX_MANIFEST_BYTES

    def __post_init__(self) -> None:
        # The container has 32-bit sizes and offsets (no ZIP64): the largest bundle must fit in them.
        if self.total_bytes + self.manifest_bytes + 2 * MAX_DIRECTORY_BYTES >= 2**32:
            raise ValueError("bundle limits beyond what a ZIP file without ZIP64 can hold")


DEFAULT_LIMITS = BundleLimits()


class RefusalReason(StrEnum):
    """Why a bundle was refused, in the order the checks run (docs/bundle-format.md, "Reading")."""

    UNREADABLE = "unreadable"
    NOT_A_BUNDLE = "not_a_bundle"
    NEWER_FORMAT = "newer_format"
    UNKNOWN_SIGNER = "unknown_signer"
    BAD_SIGNATURE = "bad_signature"
    WRONG_TARGET = "wrong_target"
    REPLAYED = "replayed"
    ROLLED_BACK = "rolled_back"
    EXPIRED = "expired"
    MEMBER_MISSING = "member_missing"
    MEMBER_EXTRA = "member_extra"
    MEMBER_DUPLICATED = "member_duplicated"
    MEMBER_WRONG_SIZE = "member_wrong_size"
    TOO_LARGE = "too_large"
    MEMBER_WRONG_HASH = "member_wrong_hash"
    NEWER_SCHEMA = "newer_schema"
    CANNOT_DECRYPT = "cannot_decrypt"


class SyncBundleRefused(TuoyuError):
    """A sync bundle that must not be imported; nothing was read into the database.

    ``manifest`` is set only once the signature has been verified, so whatever it says is what
    the source signed (the importer may show the source, sequence and bundle id of a replay).
    """

    def __init__(self, reason: RefusalReason, message: str, *, manifest: BundleManifest | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.manifest = manifest


class BundleTooLarge(TuoyuError):
    """What was asked to be written would be refused by every reader; nothing was written."""


@dataclass(frozen=True)
class BundleHeader:
    """Everything in the manifest except the members and encryption: who, to whom, which, when."""

    bundle_id: uuid.UUID
    source_node: uuid.UUID
    target_node: uuid.UUID
    sequence: int
    schema_revision: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class BundleMember:
    """A member to be written: its name, its bytes, its content type, and whether it is personal data."""

    name: str
    data: bytes
    content_type: str = "application/json"
    encrypt: bool = False


@dataclass(frozen=True)
class ManifestMember:
    """A member as the manifest lists it; size and SHA-256 are of the bytes stored in the container."""

    name: str
    size: int
    sha256: str
    encrypted: bool
    content_type: str

    @property
    def entry_name(self) -> str:
        return MEMBER_PREFIX + self.name


@dataclass(frozen=True)
class Encryption:
    """The raw X25519 public keys of a bundle's encrypted members: the source's one-off key and the target's."""

    ephemeral_public_key: bytes
    recipient_public_key: bytes


@dataclass(frozen=True)
class BundleManifest:
    header: BundleHeader
    members: tuple[ManifestMember, ...]
    encryption: Encryption | None

    @property
    def total_size(self) -> int:
        return sum(member.size for member in self.members)

    def describe(self) -> str:
        """How a message names this bundle: source node and sequence number."""
        return f"来自节点 {self.header.source_node} 的第 {self.header.sequence} 号同步包"


def timestamp_text(moment: datetime) -> str:
    """A moment in the manifest: UTC, whole seconds, e.g. 2026-11-23T08:00:00Z."""
    if moment.tzinfo is None:
        raise ValueError("bundle times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def china_time_text(moment: datetime) -> str:
    """A moment as people in the bureau read it (Beijing time)."""
    return (moment.astimezone(UTC) + CHINA_TIME).strftime("%Y年%m月%d日 %H:%M")


def valid_member_name(name: str) -> bool:
    """Names are ASCII path-like words (rows/children.json, photos/<sha256>.jpg), never ``..`` or absolute."""
    return (
        isinstance(name, str)
        and len(name.encode("utf-8")) <= MAX_MEMBER_NAME_BYTES
        and _MEMBER_NAME.fullmatch(name) is not None
        and ".." not in name.split("/")
    )


def valid_content_type(value: Any) -> bool:
    return (
        isinstance(value, str) and len(value) <= MAX_CONTENT_TYPE_LENGTH and _CONTENT_TYPE.fullmatch(value) is not None
    )


def revision_number(revision: str) -> int | None:
    """The order of a schema revision: the numeric prefix of its name (0008_children_subsidies → 8)."""
    match = _REVISION.fullmatch(revision) if isinstance(revision, str) else None
    return int(match.group(1)) if match else None


def not_a_bundle(label: str, problem: str) -> SyncBundleRefused:
    return SyncBundleRefused(
        RefusalReason.NOT_A_BUNDLE,
        f"“{label}”不是托育监管的同步包，或文件已损坏（{problem}）。没有导入任何内容。"
        "请确认选择的文件；如果文件是复制来的，请重新复制，或请对方重新导出。",
    )


def shown_text(text: Any, limit: int = 60) -> str:
    """Text from a hostile file, safe to put in a message: printable, short."""
    text = str(text)
    cleaned = "".join(character if character.isprintable() else "?" for character in text[:limit])
    return cleaned + ("…" if len(text) > limit else "")


def shown_name(name: str) -> str:
    return shown_text(name, 80)


def sorted_members(members: Sequence[BundleMember]) -> list[BundleMember]:
    """Members in the one order the manifest and the container list them (by name, as bytes)."""
    return sorted(members, key=lambda member: member.name.encode("utf-8"))
