"""Writing and opening sync bundle files: round trip, each refusal in its turn, encryption, whole-or-nothing writing."""

from __future__ import annotations

import base64
import errno
import hashlib
import io
import json
import shutil
import subprocess
import uuid
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

import desktop.services.sync_bundle_files as sync_bundle_files
from desktop.domain.sync_bundle import (
    BundleLimits,
    BundleMember,
    BundleTooLarge,
    RefusalReason,
    SyncBundleRefused,
)
from desktop.domain.sync_bundle_checks import SchemaRelation
from desktop.errors import TuoyuError
from desktop.services.sync_bundle_files import write_bundle
from tests.integration.sync_bundles import (
    EXPIRES,
    NOW,
    PERSONAL_ROWS,
    PHOTO,
    PLAIN_ROWS,
    Parties,
    assemble,
    open_as,
    read_parts,
    replaced_member,
    resigned,
    sample_members,
    with_member,
    write_valid,
)


@pytest.fixture
def parties() -> Parties:
    return Parties()


def refusal(path: Path, parties: Parties, **options) -> SyncBundleRefused:
    with pytest.raises(SyncBundleRefused) as caught:
        open_as(path, parties, **options)
    assert "没有导入任何内容" in caught.value.message
    return caught.value


def forged(tmp_path: Path, parties: Parties, edit=None, *, parts_edit=None, name="forged.tuoyu-sync", **write) -> Path:
    """A bundle re-signed by the source after its manifest or parts were changed."""
    original = tmp_path / "original.tuoyu-sync"
    write_valid(original, parties, **write)
    parts = read_parts(original.read_bytes())
    if parts_edit is not None:
        parts = parts_edit(parts)
    path = tmp_path / name
    path.write_bytes(assemble(resigned(parts, edit, key=parties.signing_key)))
    return path


# ---- round trip ----------------------------------------------------------------------------------


def test_a_bundle_opens_with_every_member_as_written_and_personal_ones_decrypted(tmp_path, parties):
    path = tmp_path / "b.tuoyu-sync"
    written = write_valid(path, parties)
    opened = open_as(path, parties)
    assert opened.members == {
        "rows/institutions.json": PLAIN_ROWS,
        "rows/children.json": PERSONAL_ROWS,
        "photos/0001.jpg": PHOTO,
        "rows/empty.json": b"",
    }
    assert opened.manifest == written.manifest
    assert opened.schema is SchemaRelation.SAME
    assert written.file_size == path.stat().st_size
    listed = {member.name: member for member in opened.manifest.members}
    assert listed["rows/children.json"].encrypted and not listed["rows/institutions.json"].encrypted
    assert listed["photos/0001.jpg"].content_type == "image/jpeg"


def test_personal_members_are_not_readable_in_the_file(tmp_path, parties):
    path = tmp_path / "b.tuoyu-sync"
    write_valid(path, parties)
    whole = path.read_bytes()
    assert b"620702199001010000" not in whole and b"id_number" not in whole
    assert "托育机构1".encode() in whole  # plain members are stored as they are


def test_a_bundle_without_members_or_personal_data_needs_no_keys_to_open(tmp_path, parties):
    path = tmp_path / "b.tuoyu-sync"
    write_bundle(path, parties.header(), [], signing_key=parties.signing_key)
    opened = open_as(path, parties, decryption_key=None, last_sequence=None)
    assert opened.members == {} and opened.manifest.encryption is None


def test_any_zip_tool_lists_and_extracts_a_bundle(tmp_path, parties):
    path = tmp_path / "b.tuoyu-sync"
    write_valid(path, parties)
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert archive.namelist()[-2:] == ["manifest.json", "manifest.sig"]
        assert archive.read("members/rows/institutions.json") == PLAIN_ROWS
    if shutil.which("unzip"):
        result = subprocess.run(["unzip", "-t", str(path)], capture_output=True, text=True, check=False)
        assert result.returncode == 0 and "No errors detected" in result.stdout


def test_the_by_hand_recipe_of_docs_bundle_format_verifies_and_decrypts(tmp_path, parties):
    """What docs/bundle-format.md tells a person to do, with zipfile, hashlib and cryptography only."""
    path = tmp_path / "b.tuoyu-sync"
    write_valid(path, parties)
    archive = zipfile.ZipFile(path)
    manifest_bytes = archive.read("manifest.json")
    public_key = Ed25519PublicKey.from_public_bytes(parties.signing_key.public_key().public_bytes_raw())
    public_key.verify(archive.read("manifest.sig"), manifest_bytes)  # raises if not signed by the source
    manifest = json.loads(manifest_bytes)
    for member in manifest["members"]:
        data = archive.read("members/" + member["name"])
        assert len(data) == member["size"] and hashlib.sha256(data).hexdigest() == member["sha256"]
    encryption = manifest["encryption"]
    ephemeral = base64.b64decode(encryption["ephemeral_public_key"])
    recipient = base64.b64decode(encryption["recipient_public_key"])
    shared = parties.target_key.exchange(X25519PublicKey.from_public_bytes(ephemeral))
    key = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=uuid.UUID(manifest["bundle_id"]).bytes,
        info=b"tuoyu-sync-bundle/1 member key" + ephemeral + recipient,
    ).derive(shared)
    stored = archive.read("members/rows/children.json")
    aad = f"tuoyu-sync-bundle/1|{manifest['bundle_id']}|rows/children.json".encode()
    assert ChaCha20Poly1305(key).decrypt(stored[:12], stored[12:], aad) == PERSONAL_ROWS


def test_an_older_schema_revision_is_reported_for_the_importer_to_upgrade(tmp_path, parties):
    path = tmp_path / "b.tuoyu-sync"
    write_valid(path, parties, schema_revision="0007_evidence_field_packages")
    opened = open_as(path, parties)
    assert opened.schema is SchemaRelation.OLDER
    assert opened.header.schema_revision == "0007_evidence_field_packages"


# ---- each refusal, and the order they come in ----------------------------------------------------


def test_a_missing_file_is_unreadable(tmp_path, parties):
    assert refusal(tmp_path / "nowhere.tuoyu-sync", parties).reason is RefusalReason.UNREADABLE
    assert refusal(tmp_path, parties).reason is RefusalReason.UNREADABLE  # a folder


class _PulledStick(io.BufferedReader):
    """A file on a USB stick pulled out after the directory was read."""

    def read(self, size=-1):
        self.reads = getattr(self, "reads", 0) + 1
        if self.reads > 3:
            raise OSError(errno.EIO, "Input/output error")
        return super().read(size)


def test_a_stick_pulled_out_while_reading_is_unreadable(tmp_path, parties, monkeypatch):
    path = tmp_path / "b.tuoyu-sync"
    write_valid(path, parties)
    pulled = lambda file, mode: _PulledStick(io.FileIO(file, mode))  # noqa: E731
    monkeypatch.setattr(sync_bundle_files, "open", pulled, raising=False)
    refused = refusal(path, parties)
    assert refused.reason is RefusalReason.UNREADABLE and "U 盘" in refused.message


def test_an_unknown_signer_is_refused_and_told_to_enrol(tmp_path, parties):
    path = tmp_path / "b.tuoyu-sync"
    write_valid(path, parties, source_node=uuid.uuid4())
    refused = refusal(path, parties)
    assert refused.reason is RefusalReason.UNKNOWN_SIGNER and "tuoyu node enrol" in refused.message
    assert refused.manifest is None  # nothing unverified is handed on


def test_a_bundle_signed_by_another_enrolled_node_is_refused(tmp_path, parties):
    path = tmp_path / "b.tuoyu-sync"
    write_valid(path, parties)
    parts = resigned(read_parts(path.read_bytes()), key=parties.other_signing_key)
    path.write_bytes(assemble(parts))
    assert refusal(path, parties).reason is RefusalReason.BAD_SIGNATURE


def test_a_manifest_changed_after_signing_is_refused(tmp_path, parties):
    path = tmp_path / "b.tuoyu-sync"
    write_valid(path, parties)
    parts = read_parts(path.read_bytes())
    honest = dict(parts)[b"manifest.json"]
    changed = honest.replace(str(parties.target).encode(), str(parties.other).encode())
    path.write_bytes(assemble([(n, changed if n == b"manifest.json" else d) for n, d in parts]))
    assert refusal(path, parties, this_node=parties.other).reason is RefusalReason.BAD_SIGNATURE


def test_a_bundle_for_another_node_is_refused(tmp_path, parties):
    path = tmp_path / "b.tuoyu-sync"
    write_valid(path, parties)
    refused = refusal(path, parties, this_node=parties.other)
    assert refused.reason is RefusalReason.WRONG_TARGET
    assert refused.manifest is not None and refused.manifest.header.target_node == parties.target


def test_replays_and_rollbacks_are_refused(tmp_path, parties):
    path = tmp_path / "b.tuoyu-sync"
    write_valid(path, parties, sequence=7)
    assert refusal(path, parties, last_sequence=7).reason is RefusalReason.REPLAYED
    assert refusal(path, parties, last_sequence=8).reason is RefusalReason.ROLLED_BACK
    assert open_as(path, parties, last_sequence=None).header.sequence == 7
    assert open_as(path, parties, last_sequence=3).header.sequence == 7  # a gap is the importer's business


def test_an_expired_bundle_is_refused(tmp_path, parties):
    path = tmp_path / "b.tuoyu-sync"
    write_valid(path, parties)
    assert refusal(path, parties, now=EXPIRES).reason is RefusalReason.EXPIRED
    assert open_as(path, parties, now=EXPIRES - timedelta(seconds=1))


def test_a_member_missing_extra_or_duplicated_is_refused(tmp_path, parties):
    missing = forged(tmp_path, parties, parts_edit=lambda p: [x for x in p if x[0] != b"members/photos/0001.jpg"])
    extra = forged(tmp_path, parties, edit=lambda m: m["members"].pop(0), name="extra.tuoyu-sync")
    twice = forged(tmp_path, parties, parts_edit=lambda p: with_member(p, p[0][0], p[0][1]), name="twice.tuoyu-sync")
    assert refusal(missing, parties).reason is RefusalReason.MEMBER_MISSING
    assert refusal(extra, parties).reason is RefusalReason.MEMBER_EXTRA
    assert refusal(twice, parties).reason is RefusalReason.MEMBER_DUPLICATED


def test_a_member_of_another_size_or_content_than_listed_is_refused(tmp_path, parties):
    def bigger(manifest):
        manifest["members"][0]["size"] -= 1

    def other_hash(manifest):
        manifest["members"][0]["sha256"] = "0" * 64

    assert refusal(forged(tmp_path, parties, bigger), parties).reason is RefusalReason.MEMBER_WRONG_SIZE
    assert refusal(forged(tmp_path, parties, other_hash), parties).reason is RefusalReason.MEMBER_WRONG_HASH


def test_a_bundle_beyond_the_limits_is_refused_before_its_members_are_read(tmp_path, parties):
    path = tmp_path / "b.tuoyu-sync"
    write_valid(path, parties)
    for limits in (BundleLimits(members=3), BundleLimits(member_bytes=len(PHOTO) - 1), BundleLimits(total_bytes=4000)):
        assert refusal(path, parties, limits=limits).reason is RefusalReason.TOO_LARGE
    assert refusal(path, parties, limits=BundleLimits(manifest_bytes=500)).reason is RefusalReason.TOO_LARGE


def test_a_newer_schema_revision_is_refused(tmp_path, parties):
    path = tmp_path / "b.tuoyu-sync"
    write_valid(path, parties, schema_revision="0099_future")
    refused = refusal(path, parties)
    assert refused.reason is RefusalReason.NEWER_SCHEMA and "请先把本机的托育监管升级" in refused.message


def test_checks_run_in_the_documented_order(tmp_path, parties):
    """Each bundle fails two checks; the earlier one in docs/bundle-format.md is the one reported."""
    stranger = uuid.uuid4()
    cases = [
        ({"source_node": stranger}, {"this_node": parties.other}, RefusalReason.UNKNOWN_SIGNER),
        ({}, {"this_node": parties.other, "last_sequence": 7}, RefusalReason.WRONG_TARGET),
        ({}, {"last_sequence": 7, "now": EXPIRES}, RefusalReason.REPLAYED),
        ({}, {"now": EXPIRES, "limits": BundleLimits(members=1)}, RefusalReason.EXPIRED),
        ({}, {"limits": BundleLimits(members=1), "schema_revision": "0001_core_register"}, RefusalReason.TOO_LARGE),
        ({"schema_revision": "0099_future"}, {"decryption_key": None}, RefusalReason.NEWER_SCHEMA),
    ]
    for index, (header, opening, reason) in enumerate(cases):
        path = tmp_path / f"{index}.tuoyu-sync"
        write_valid(path, parties, **header)
        assert refusal(path, parties, **opening).reason is reason, index


def test_member_checks_come_before_limits_and_limits_before_hashes(tmp_path, parties):
    small = BundleLimits(members=1)
    missing = forged(tmp_path, parties, parts_edit=lambda p: p[1:])
    assert refusal(missing, parties, limits=small).reason is RefusalReason.MEMBER_MISSING

    def wrong_hash(manifest):
        manifest["members"][0]["sha256"] = "0" * 64

    damaged = forged(tmp_path, parties, wrong_hash, name="damaged.tuoyu-sync")
    assert refusal(damaged, parties, limits=small).reason is RefusalReason.TOO_LARGE
    assert refusal(damaged, parties, schema_revision="0001_core_register").reason is RefusalReason.MEMBER_WRONG_HASH


# ---- encryption ----------------------------------------------------------------------------------


def test_another_nodes_key_cannot_read_personal_members(tmp_path, parties):
    path = tmp_path / "b.tuoyu-sync"
    write_valid(path, parties)
    assert refusal(path, parties, decryption_key=parties.other_key).reason is RefusalReason.CANNOT_DECRYPT
    assert refusal(path, parties, decryption_key=None).reason is RefusalReason.CANNOT_DECRYPT


def test_a_bundle_claiming_to_be_for_another_key_still_does_not_open_with_it(tmp_path, parties):
    other_public = base64.b64encode(parties.other_key.public_key().public_bytes_raw()).decode()
    path = forged(tmp_path, parties, lambda m: m["encryption"].update(recipient_public_key=other_public))
    assert refusal(path, parties, decryption_key=parties.other_key).reason is RefusalReason.CANNOT_DECRYPT


def test_ciphertext_changed_and_re_signed_by_the_source_fails_its_tag(tmp_path, parties):
    def flip(parts):
        stored = bytearray(dict(parts)[b"members/rows/children.json"])
        stored[20] ^= 1
        return replaced_member(parts, "rows/children.json", bytes(stored))

    path = forged(tmp_path, parties, parts_edit=flip)
    assert refusal(path, parties).reason is RefusalReason.CANNOT_DECRYPT


def test_an_encrypted_member_moved_to_another_name_fails_its_tag(tmp_path, parties):
    members = [*sample_members(), BundleMember("rows/staff.json", b'{"id_number": "x"}', encrypt=True)]

    def swap(parts):
        data = dict(parts)
        children, staff = data[b"members/rows/children.json"], data[b"members/rows/staff.json"]
        return replaced_member(replaced_member(parts, "rows/children.json", staff), "rows/staff.json", children)

    path = forged(tmp_path, parties, parts_edit=swap, members=members)
    assert refusal(path, parties).reason is RefusalReason.CANNOT_DECRYPT


# ---- writing -------------------------------------------------------------------------------------


class _FullDisk(io.BufferedWriter):
    """A file that takes the first few kilobytes and then reports the disk full."""

    def write(self, data):
        if self.tell() + len(data) > 3000:
            raise OSError(errno.ENOSPC, "No space left on device")
        return super().write(data)


def test_a_full_disk_leaves_no_file_and_keeps_the_old_one(tmp_path, parties, monkeypatch):
    path = tmp_path / "b.tuoyu-sync"
    path.write_bytes(b"the bundle written yesterday")
    monkeypatch.setattr(sync_bundle_files, "open", lambda file, mode: _FullDisk(io.FileIO(file, mode)), raising=False)
    with pytest.raises(TuoyuError, match="磁盘空间是否足够"):
        write_valid(path, parties)
    assert path.read_bytes() == b"the bundle written yesterday"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.tuoyu-sync"]


def test_a_missing_folder_is_reported_before_any_work(tmp_path, parties):
    with pytest.raises(TuoyuError, match="文件夹不存在"):
        write_valid(tmp_path / "no" / "b.tuoyu-sync", parties)


def test_a_bundle_every_reader_would_refuse_is_not_written(tmp_path, parties):
    path = tmp_path / "b.tuoyu-sync"
    with pytest.raises(BundleTooLarge, match="请分几次导出"):
        write_bundle(
            path,
            parties.header(),
            sample_members(),
            signing_key=parties.signing_key,
            recipient_public_key=parties.target_key.public_key(),
            limits=BundleLimits(total_bytes=1000),
        )
    assert not path.exists()


@pytest.mark.parametrize(
    ("members", "recipient", "header", "problem"),
    [
        ([BundleMember("../x", b"")], True, {}, "member name"),
        ([BundleMember("a", b""), BundleMember("a", b"1")], True, {}, "same name"),
        ([BundleMember("a", b"", "JSON")], True, {}, "content type"),
        ([BundleMember("a", b"", encrypt=True)], False, {}, "no recipient key"),
        ([], True, {"sequence": 0}, "would be refused"),
        ([], True, {"expires_at": NOW - timedelta(days=30)}, "would be refused"),
    ],
)
def test_arguments_no_caller_should_pass_are_programming_errors(tmp_path, parties, members, recipient, header, problem):
    with pytest.raises(ValueError, match=problem):
        write_bundle(
            tmp_path / "b.tuoyu-sync",
            parties.header(**header),
            members,
            signing_key=parties.signing_key,
            recipient_public_key=parties.target_key.public_key() if recipient else None,
        )
    assert list(tmp_path.iterdir()) == []
