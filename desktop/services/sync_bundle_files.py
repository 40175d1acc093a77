"""Writing a sync bundle file whole or not at all, and opening one only after every check has passed.

``write_bundle`` seals the personal members to the target, signs the manifest and writes the
container (desktop.domain.sync_bundle_layout) through a temporary file that replaces the target
only when complete: a full disk or a pulled USB stick leaves no half bundle.

``open_bundle`` runs the checks of docs/bundle-format.md in order and returns the manifest and
the members (decrypted) only when all have passed; otherwise it raises SyncBundleRefused with a
reason code, before the caller has touched its database. It never extracts anything onto disk,
reads only what the bounded directory points to, and holds at most the limits' total in memory.
What needs the database comes in as parameters: the signer's public key, the last sequence seen
from the source, this installation's schema revision.
"""

from __future__ import annotations

import hashlib
import os
import uuid
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from desktop.domain.sync_bundle import (
    DEFAULT_LIMITS,
    ENCRYPTION_OVERHEAD,
    MANIFEST_ENTRY,
    MAX_DIRECTORY_BYTES,
    MEMBER_PREFIX,
    SIGNATURE_BYTES,
    SIGNATURE_ENTRY,
    BundleHeader,
    BundleLimits,
    BundleManifest,
    BundleMember,
    BundleTooLarge,
    ManifestMember,
    RefusalReason,
    SyncBundleRefused,
    not_a_bundle,
    sorted_members,
    valid_content_type,
    valid_member_name,
)
from desktop.domain.sync_bundle_checks import (
    SchemaRelation,
    check_addressed,
    check_limits,
    check_member_entries,
    check_member_hash,
    check_member_size,
    check_not_expired,
    check_schema,
    check_sequence,
    member_damaged,
    too_large,
)
from desktop.domain.sync_bundle_crypto import cannot_decrypt, opening_cipher, sealing_cipher, sign_manifest
from desktop.domain.sync_bundle_crypto import signature_valid as _signature_valid
from desktop.domain.sync_bundle_layout import (
    END_RECORD,
    ArchiveEntry,
    LayoutError,
    check_local_header,
    directory_bytes,
    local_header,
    local_header_size,
    parse_central_directory,
    parse_end_record,
)
from desktop.domain.sync_bundle_manifest import manifest_bytes, parse_manifest
from desktop.files import atomic_target, check_target

SignerKeys = Callable[[uuid.UUID], Ed25519PublicKey | None]
LastSequence = Callable[[uuid.UUID], int | None]


# ---- writing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WrittenBundle:
    manifest: BundleManifest
    file_size: int


def write_bundle(
    path: Path,
    header: BundleHeader,
    members: Sequence[BundleMember],
    *,
    signing_key: Ed25519PrivateKey,
    recipient_public_key: X25519PublicKey | None = None,
    limits: BundleLimits = DEFAULT_LIMITS,
) -> WrittenBundle:
    """Write the bundle to ``path`` (replacing it only once complete) and return its manifest.

    Members with ``encrypt=True`` are sealed to ``recipient_public_key`` (the target node's key).
    Raises BundleTooLarge, before writing anything, for a bundle every reader would refuse as too
    large; TuoyuError when the file cannot be written; ValueError for arguments no caller should pass.
    """
    path = Path(path)
    ordered = sorted_members(members)
    manifest_bytes(BundleManifest(header, (), None))  # the header alone: ValueError before any work
    _check_members_to_write(ordered, recipient_public_key)
    _check_size_to_write(ordered, limits)
    check_target(path)
    encryption, cipher = None, None
    if any(member.encrypt for member in ordered):
        assert recipient_public_key is not None  # checked above
        encryption, cipher = sealing_cipher(recipient_public_key, header.bundle_id)
    listed: list[ManifestMember] = []
    entries: list[ArchiveEntry] = []
    with atomic_target(path) as temporary, open(temporary, "wb") as out:
        for member in ordered:
            stored = cipher.seal(member.name, member.data) if cipher is not None and member.encrypt else member.data
            entries.append(_write_entry(out, entries, MEMBER_PREFIX + member.name, stored))
            listed.append(
                ManifestMember(
                    member.name, len(stored), hashlib.sha256(stored).hexdigest(), member.encrypt, member.content_type
                )
            )
        manifest = BundleManifest(header, tuple(listed), encryption)
        document = manifest_bytes(manifest)
        entries.append(_write_entry(out, entries, MANIFEST_ENTRY, document))
        entries.append(_write_entry(out, entries, SIGNATURE_ENTRY, sign_manifest(signing_key, document)))
        out.write(directory_bytes(entries))
        file_size = out.tell()
    return WrittenBundle(parse_manifest(document, path.name), file_size)


def _write_entry(out: BinaryIO, written: Sequence[ArchiveEntry], name: str, data: bytes) -> ArchiveEntry:
    raw_name = name.encode("ascii")
    entry = ArchiveEntry(raw_name, zlib.crc32(data), len(data), written[-1].end if written else 0)
    out.write(local_header(raw_name, entry.crc32, entry.size))
    out.write(data)
    return entry


def _check_members_to_write(members: Sequence[BundleMember], recipient: X25519PublicKey | None) -> None:
    names = [member.name for member in members]
    if len(set(names)) != len(names):
        raise ValueError("two members with the same name")
    for member in members:
        if not valid_member_name(member.name):
            raise ValueError(f"not a valid member name: {member.name!r}")
        if not valid_content_type(member.content_type):
            raise ValueError(f"not a valid content type: {member.content_type!r}")
        if member.encrypt and recipient is None:
            raise ValueError(f"member {member.name!r} is personal data but no recipient key was given")


def _check_size_to_write(members: Sequence[BundleMember], limits: BundleLimits) -> None:
    sizes = [len(member.data) + (ENCRYPTION_OVERHEAD if member.encrypt else 0) for member in members]
    if len(members) > limits.members or max(sizes, default=0) > limits.member_bytes or sum(sizes) > limits.total_bytes:
        raise BundleTooLarge(
            f"同步包过大：{len(members)} 个成员，共 {sum(sizes) / 1024**2:,.1f} MB；上限为 {limits.members} 个成员、"
            f"单个 {limits.member_bytes / 1024**2:,.0f} MB、共 {limits.total_bytes / 1024**2:,.0f} MB。"
            "没有写入任何文件。请分几次导出。"
        )


# ---- reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenedBundle:
    """A bundle that passed every check: its verified manifest and its members' bytes, decrypted."""

    manifest: BundleManifest
    members: Mapping[str, bytes]
    schema: SchemaRelation

    @property
    def header(self) -> BundleHeader:
        return self.manifest.header


def open_bundle(
    path: Path,
    *,
    this_node: uuid.UUID,
    signer_keys: SignerKeys,
    last_sequence: LastSequence,
    schema_revision: str,
    decryption_key: X25519PrivateKey | None,
    now: datetime,
    limits: BundleLimits = DEFAULT_LIMITS,
) -> OpenedBundle:
    """The bundle at ``path`` if it passes every check, else SyncBundleRefused (see docs/bundle-format.md).

    ``signer_keys(node_id)`` is the enrolled Ed25519 public key of a node, or None for a node this
    installation does not know; ``last_sequence(node_id)`` the highest sequence number imported
    from it, or None; ``schema_revision`` this installation's (desktop.db.migrate.HEAD_REVISION).
    """
    path = Path(path)
    label = path.name
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below; one handle, so a file swapped mid-read is not mixed in
    except OSError as error:
        raise SyncBundleRefused(
            RefusalReason.UNREADABLE,
            f"无法读取文件“{path}”（{error.strerror or error}）。没有导入任何内容。请确认文件位置和读取权限后再试。",
        ) from error
    with handle:
        reader = _ContainerReader(handle, label)
        return _open(reader, label, this_node, signer_keys, last_sequence, schema_revision, decryption_key, now, limits)


def _open(
    reader: _ContainerReader,
    label: str,
    this_node: uuid.UUID,
    signer_keys: SignerKeys,
    last_sequence: LastSequence,
    schema_revision: str,
    decryption_key: X25519PrivateKey | None,
    now: datetime,
    limits: BundleLimits,
) -> OpenedBundle:
    # 1. Is it a bundle: the container, then the manifest and the signature it ends with.
    entries = reader.entries()
    manifest_entry, signature_entry = entries[-2], entries[-1]
    if manifest_entry.size > limits.manifest_bytes:
        raise too_large(label, f"清单有 {manifest_entry.size:,} 字节，上限为 {limits.manifest_bytes:,} 字节")
    document = reader.read_checked(manifest_entry, lambda: not_a_bundle(label, "清单已损坏"))
    if signature_entry.size != SIGNATURE_BYTES:
        raise not_a_bundle(label, "签名的长度不对")
    signature = reader.read_checked(signature_entry, lambda: not_a_bundle(label, "签名已损坏"))
    manifest = parse_manifest(document, label)
    # 2. Signed by the node it names.
    public_key = signer_keys(manifest.header.source_node)
    if public_key is None:
        raise SyncBundleRefused(
            RefusalReason.UNKNOWN_SIGNER,
            f"“{label}”来自本机没有登记的节点（{manifest.header.source_node}），无法核对它的签名。没有导入任何内容。"
            "请先登记该节点的公钥文件（tuoyu node enrol），核对双方屏幕上的指纹一致后再导入。",
        )
    if not _signature_valid(public_key, document, signature):
        raise SyncBundleRefused(
            RefusalReason.BAD_SIGNATURE,
            f"“{label}”的签名无效：文件在导出后被改动过、已损坏，或不是由它所写的来源节点签发的。没有导入任何内容。"
            "请重新复制这个文件，或请对方重新导出。",
        )
    # From here on the manifest is what the source signed.
    check_addressed(manifest, this_node, label)  # 3
    check_sequence(manifest, last_sequence(manifest.header.source_node), label)  # 4
    check_not_expired(manifest, now, label)  # 5
    by_name = {entry.name: entry for entry in entries[:-2]}
    check_member_entries(manifest, [entry.name for entry in entries[:-2]], label)  # 6: names
    for member in manifest.members:
        check_member_size(manifest, member, by_name[member.entry_name].size, label)  # 6: sizes
    check_limits(manifest, limits, label)  # 7, before reading any member
    stored = {}
    for member in manifest.members:  # 6: contents
        data = reader.read_checked(by_name[member.entry_name], lambda m=member: member_damaged(manifest, m, label))
        check_member_hash(manifest, member, hashlib.sha256(data).hexdigest(), label)
        stored[member.name] = data
    schema = check_schema(manifest, schema_revision, label)  # 8
    return OpenedBundle(manifest, _decrypted(manifest, stored, decryption_key, label), schema)  # 9


def _decrypted(
    manifest: BundleManifest, stored: dict[str, bytes], decryption_key: X25519PrivateKey | None, label: str
) -> dict[str, bytes]:
    if manifest.encryption is None:
        return stored
    if decryption_key is None:
        raise cannot_decrypt(label, "本机没有解密密钥", manifest)
    cipher = opening_cipher(manifest.encryption, decryption_key, manifest.header.bundle_id)
    if cipher is None:
        raise cannot_decrypt(label, "它是为另一把密钥加密的，本机的密钥可能已经更换", manifest)
    for member in manifest.members:
        if member.encrypted:
            plaintext = cipher.open(member.name, stored[member.name])
            if plaintext is None:
                raise cannot_decrypt(label, f"“{member.name}”的认证标签不符", manifest)
            stored[member.name] = plaintext
    return stored


class _ContainerReader:
    """Random access to the entries of a bundle file; nothing is read that a bounded directory does not point to."""

    def __init__(self, handle: BinaryIO, label: str) -> None:
        self._handle = handle
        self._label = label

    def entries(self) -> list[ArchiveEntry]:
        try:
            return self._entries()
        except LayoutError as problem:
            raise not_a_bundle(self._label, str(problem)) from None

    def _entries(self) -> list[ArchiveEntry]:
        try:
            size = os.fstat(self._handle.fileno()).st_size
        except OSError as error:
            raise self._unreadable(error) from error
        end = parse_end_record(self._read_at(max(size - END_RECORD.size, 0), END_RECORD.size), size)
        if end.directory_size > MAX_DIRECTORY_BYTES:  # at most 65,535 entries: the count field has 16 bits
            raise too_large(self._label, f"ZIP 目录有 {end.directory_size:,} 字节，上限为 {MAX_DIRECTORY_BYTES:,} 字节")
        entries = parse_central_directory(self._read_at(end.directory_offset, end.directory_size), end)
        for entry in entries:
            check_local_header(self._read_at(entry.offset, local_header_size(entry)), entry)
        return entries

    def read_checked(self, entry: ArchiveEntry, damaged: Callable[[], SyncBundleRefused]) -> bytes:
        """An entry's bytes, which must be all there and match the CRC-32 the container gives them."""
        data = self._read_at(entry.data_offset, entry.size)
        if len(data) != entry.size or zlib.crc32(data) != entry.crc32:
            raise damaged()
        return data

    def _read_at(self, offset: int, size: int) -> bytes:
        try:
            self._handle.seek(offset)
            return self._handle.read(size)
        except OSError as error:
            raise self._unreadable(error) from error

    def _unreadable(self, error: OSError) -> SyncBundleRefused:
        return SyncBundleRefused(
            RefusalReason.UNREADABLE,
            f"读取“{self._label}”时出错（{error.strerror or error}）。没有导入任何内容。"
            "如果文件在 U 盘上，请先复制到本机再导入。",
        )
