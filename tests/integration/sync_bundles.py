"""Nodes, keys and bundles for the sync bundle tests, and the tools to forge bad ones.

``Parties`` holds a source, its target and a third node with their keys. ``write_valid`` writes a
good bundle from the source to the target; ``open_as`` opens one with the callbacks an importer
would pass. ``read_parts`` takes a bundle apart with Python's own zipfile (an independent reader),
``assemble`` puts entries back together in Tuoyu's layout, and ``resigned`` rewrites the manifest
and signs it with the source's key — a forger who holds a source's key, the strongest attacker the
later checks must still stop.
"""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from desktop.db.migrate import HEAD_REVISION
from desktop.domain.sync_bundle import (
    MANIFEST_ENTRY,
    MEMBER_PREFIX,
    SIGNATURE_ENTRY,
    BundleHeader,
    BundleLimits,
    BundleMember,
)
from desktop.domain.sync_bundle_layout import ArchiveEntry, directory_bytes, local_header
from desktop.domain.sync_bundle_manifest import canonical_json
from desktop.services.sync_bundle_files import OpenedBundle, WrittenBundle, open_bundle, write_bundle

CREATED = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)
NOW = CREATED + timedelta(days=2)
EXPIRES = CREATED + timedelta(days=90)

PLAIN_ROWS = json.dumps([{"id": i, "name": f"托育机构{i}"} for i in range(40)], ensure_ascii=False).encode()
PERSONAL_ROWS = json.dumps([{"id": i, "id_number": f"62070219900101{i:04d}"} for i in range(40)]).encode()
PHOTO = bytes(range(256)) * 8


@dataclass
class Parties:
    source: uuid.UUID = field(default_factory=uuid.uuid4)
    target: uuid.UUID = field(default_factory=uuid.uuid4)
    other: uuid.UUID = field(default_factory=uuid.uuid4)
    signing_key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    other_signing_key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    target_key: X25519PrivateKey = field(default_factory=X25519PrivateKey.generate)
    other_key: X25519PrivateKey = field(default_factory=X25519PrivateKey.generate)

    def header(self, **changes: Any) -> BundleHeader:
        values = {
            "bundle_id": uuid.uuid4(),
            "source_node": self.source,
            "target_node": self.target,
            "sequence": 7,
            "schema_revision": HEAD_REVISION,
            "created_at": CREATED,
            "expires_at": EXPIRES,
        }
        return BundleHeader(**(values | changes))

    def signer_keys(self, node: uuid.UUID):
        return {self.source: self.signing_key.public_key(), self.other: self.other_signing_key.public_key()}.get(node)


def sample_members() -> list[BundleMember]:
    return [
        BundleMember("rows/institutions.json", PLAIN_ROWS),
        BundleMember("rows/children.json", PERSONAL_ROWS, encrypt=True),
        BundleMember("photos/0001.jpg", PHOTO, "image/jpeg"),
        BundleMember("rows/empty.json", b""),
    ]


def write_valid(
    path: Path, parties: Parties, members: list[BundleMember] | None = None, **changes: Any
) -> WrittenBundle:
    return write_bundle(
        path,
        parties.header(**changes),
        sample_members() if members is None else members,
        signing_key=parties.signing_key,
        recipient_public_key=parties.target_key.public_key(),
    )


def open_as(
    path: Path,
    parties: Parties,
    *,
    this_node: uuid.UUID | None = None,
    last_sequence: int | None = 6,
    schema_revision: str = HEAD_REVISION,
    decryption_key: X25519PrivateKey | str | None = "target",
    now: datetime = NOW,
    limits: BundleLimits | None = None,
) -> OpenedBundle:
    extra = {} if limits is None else {"limits": limits}
    return open_bundle(
        path,
        this_node=parties.target if this_node is None else this_node,
        signer_keys=parties.signer_keys,
        last_sequence=lambda node: last_sequence if node == parties.source else None,
        schema_revision=schema_revision,
        decryption_key=parties.target_key if decryption_key == "target" else decryption_key,
        now=now,
        **extra,
    )


# ---- forging -------------------------------------------------------------------------------------

Parts = list[tuple[bytes, bytes]]


def read_parts(data: bytes) -> Parts:
    """The entries of a Tuoyu bundle as (raw name, bytes), in archive order, read with zipfile."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.orig_filename.encode("cp437"), archive.read(info)) for info in archive.infolist()]


def assemble(parts: Parts) -> bytes:
    """Entries in Tuoyu's layout, in the order given (right or wrong), with correct CRCs and offsets."""
    body = bytearray()
    entries: list[ArchiveEntry] = []
    for raw_name, data in parts:
        entry = ArchiveEntry(raw_name, zlib.crc32(data), len(data), len(body))
        body += local_header(raw_name, entry.crc32, entry.size) + data
        entries.append(entry)
    return bytes(body + directory_bytes(entries))


def manifest_of(parts: Parts) -> dict[str, Any]:
    return json.loads(dict(parts)[MANIFEST_ENTRY.encode()])


def resigned(
    parts: Parts,
    edit: Callable[[dict[str, Any]], None] | None = None,
    *,
    key: Ed25519PrivateKey,
    rehash: bool = True,
) -> Parts:
    """The parts with the manifest edited, every member's size and hash recomputed (unless told not to), re-signed."""
    manifest = manifest_of(parts)
    stored = {name[len(MEMBER_PREFIX) :].decode(): data for name, data in parts if name.startswith(b"members/")}
    if rehash:
        for member in manifest["members"]:
            if member["name"] in stored:
                member["size"] = len(stored[member["name"]])
                member["sha256"] = hashlib.sha256(stored[member["name"]]).hexdigest()
    if edit is not None:
        edit(manifest)
    document = canonical_json(manifest)
    replaced = []
    for name, data in parts:
        if name == MANIFEST_ENTRY.encode():
            data = document
        elif name == SIGNATURE_ENTRY.encode():
            data = key.sign(document)
        replaced.append((name, data))
    return replaced


def with_member(parts: Parts, name: bytes, data: bytes) -> Parts:
    """The parts with an entry added before the manifest and signature, where the sorted layout puts it."""
    return sorted([*parts[:-2], (name, data)], key=lambda part: part[0]) + parts[-2:]


def replaced_member(parts: Parts, name: str, data: bytes) -> Parts:
    raw = (MEMBER_PREFIX + name).encode()
    return [(n, data if n == raw else d) for n, d in parts]
