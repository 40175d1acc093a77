"""A corpus of malformed sync bundles: every one refused with SyncBundleRefused, quickly, nothing written to disk.

Most bundles here keep a valid signature (only the container around the signed manifest is changed)
or are re-signed with the source's own key, so they reach the later checks instead of stopping at
the signature.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest

from desktop.domain.sync_bundle import RefusalReason, SyncBundleRefused
from desktop.domain.sync_bundle_layout import ArchiveEntry, directory_bytes, local_header
from desktop.domain.sync_bundle_manifest import canonical_json
from tests.integration.sync_bundles import (
    Parties,
    assemble,
    manifest_of,
    open_as,
    read_parts,
    replaced_member,
    resigned,
    with_member,
    write_valid,
)

R = RefusalReason


@pytest.fixture
def parties() -> Parties:
    return Parties()


@pytest.fixture
def valid(tmp_path, parties) -> bytes:
    path = tmp_path / "valid.tuoyu-sync"
    write_valid(path, parties)
    return path.read_bytes()


def reason_for(data: bytes, tmp_path: Path, parties: Parties, **options) -> RefusalReason:
    path = tmp_path / "case.tuoyu-sync"
    path.write_bytes(data)
    with pytest.raises(SyncBundleRefused) as caught:
        open_as(path, parties, **options)
    return caught.value.reason


def regions(data: bytes) -> dict[str, list[range]]:
    """Byte ranges of each part of a bundle, found with Python's zipfile (not with the code under test)."""
    found: dict[str, list[range]] = {"headers": [], "manifest": [], "signature": [], "members": []}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        directory_start = archive.start_dir
    for info in infos:
        data_start = info.header_offset + 30 + len(info.orig_filename)
        found["headers"].append(range(info.header_offset, data_start))
        part = {"manifest.json": "manifest", "manifest.sig": "signature"}.get(info.filename, "members")
        found[part].append(range(data_start, data_start + info.file_size))
    found["directory"] = [range(directory_start, len(data))]
    return found


# ---- not a bundle at all -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [b"", b"hello", b"%PDF-1.7\n" + bytes(500), os.urandom(4096), b"PK\x05\x06" + bytes(18), b"PK\x03\x04" * 100],
)
def test_files_that_are_not_bundles(tmp_path, parties, data):
    assert reason_for(data, tmp_path, parties) is R.NOT_A_BUNDLE


def test_an_empty_file_says_it_is_empty(tmp_path, parties):
    path = tmp_path / "empty.tuoyu-sync"
    path.write_bytes(b"")
    with pytest.raises(SyncBundleRefused, match="文件是空的"):
        open_as(path, parties)


def test_an_ordinary_zip_of_the_same_entries_is_not_a_bundle(tmp_path, parties, valid):
    """Tuoyu reads only its own layout; a general ZIP writer's headers differ, so it cannot smuggle anything in."""
    for compression in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression) as archive:
            for name, data in read_parts(valid):
                archive.writestr(name.decode(), data)
        assert reason_for(buffer.getvalue(), tmp_path, parties) is R.NOT_A_BUNDLE


# ---- damaged files -------------------------------------------------------------------------------


def test_a_bundle_cut_short_anywhere_is_refused(tmp_path, parties, valid):
    # Every length through the headers at the end, every 11th byte through the entries before them.
    directory_start = regions(valid)["directory"][0].start
    lengths = [*range(0, directory_start, 11), *range(directory_start - 300, len(valid))]
    for length in lengths:
        assert reason_for(valid[:length], tmp_path, parties) is R.NOT_A_BUNDLE, length


@pytest.mark.parametrize(
    ("part", "reason", "step"),
    [
        ("headers", R.NOT_A_BUNDLE, 1),
        ("directory", R.NOT_A_BUNDLE, 1),
        ("manifest", R.NOT_A_BUNDLE, 3),  # the container's CRC-32 catches it first
        ("signature", R.NOT_A_BUNDLE, 1),
        ("members", R.MEMBER_WRONG_HASH, 29),
    ],
)
def test_a_flipped_byte_in_any_part_is_refused(tmp_path, parties, valid, part, reason, step):
    positions = [p for span in regions(valid)[part] for p in span][::step]
    assert positions
    for position in positions:
        for mask in (0x01, 0x80):
            damaged = bytearray(valid)
            damaged[position] ^= mask
            assert reason_for(bytes(damaged), tmp_path, parties) is reason, (part, position, mask)


@pytest.mark.parametrize(
    ("part", "reasons"),
    [
        # A changed source node names a node nobody enrolled; a broken character is not JSON any more.
        ("manifest", {R.BAD_SIGNATURE, R.UNKNOWN_SIGNER, R.NOT_A_BUNDLE}),
        ("signature", {R.BAD_SIGNATURE}),
    ],
)
def test_a_flipped_byte_with_the_crc_made_to_match_fails_the_signature(tmp_path, parties, valid, part, reasons):
    name = {"manifest": b"manifest.json", "signature": b"manifest.sig"}[part]
    parts = read_parts(valid)
    stored = dict(parts)[name]
    for position in range(0, len(stored), 3):
        changed = bytearray(stored)
        changed[position] ^= 0x01
        forged = assemble([(n, bytes(changed) if n == name else d) for n, d in parts])
        assert reason_for(forged, tmp_path, parties) in reasons, position


def test_a_member_flipped_with_the_crc_made_to_match_fails_its_hash(tmp_path, parties, valid):
    parts = read_parts(valid)
    for name, stored in parts[:-2]:
        if stored:
            forged = assemble(replaced_member(parts, name.decode()[len("members/") :], b"X" + stored[1:]))
            assert reason_for(forged, tmp_path, parties) is R.MEMBER_WRONG_HASH, name


@pytest.mark.parametrize(
    "change",
    [
        lambda data: b"\0" + data,  # data before the first entry
        lambda data: data + b"\0",  # data after the end record
        lambda data: data[:-2] + b"\x05\x00hello",  # an archive comment
        lambda data: data[:-22] + data[-22:-12] + struct.pack("<I", 0xFFFFFFFF) + data[-8:],  # a ZIP64-style size
    ],
)
def test_bytes_around_the_archive_are_refused(tmp_path, parties, valid, change):
    assert reason_for(change(valid), tmp_path, parties) is R.NOT_A_BUNDLE


def test_entries_in_another_order_are_refused(tmp_path, parties, valid):
    parts = read_parts(valid)
    swapped_members = [parts[1], parts[0], *parts[2:]]
    signature_first = [*parts[:-2], parts[-1], parts[-2]]
    for order in (swapped_members, signature_first):
        assert reason_for(assemble(order), tmp_path, parties) is R.NOT_A_BUNDLE


def test_a_second_manifest_or_signature_is_refused(tmp_path, parties, valid):
    parts = read_parts(valid)
    for name in (b"manifest.json", b"manifest.sig"):
        doubled = sorted([*parts[:-2], (name, dict(parts)[name])]) + parts[-2:]
        assert reason_for(assemble(doubled), tmp_path, parties) is R.NOT_A_BUNDLE


def test_a_signature_of_the_wrong_length_is_refused(tmp_path, parties, valid):
    parts = read_parts(valid)
    for signature in (b"", dict(parts)[b"manifest.sig"] + b"\0"):
        assert reason_for(assemble([*parts[:-1], (b"manifest.sig", signature)]), tmp_path, parties) is R.NOT_A_BUNDLE


# ---- members that do not match the manifest (the signature still valid) -------------------------


def test_a_member_twice_in_the_archive_is_refused(tmp_path, parties, valid):
    parts = read_parts(valid)
    name, data = parts[0]
    assert reason_for(assemble(with_member(parts, name, data)), tmp_path, parties) is R.MEMBER_DUPLICATED
    assert reason_for(assemble(with_member(parts, name, b"other")), tmp_path, parties) is R.MEMBER_DUPLICATED


def test_a_member_missing_or_extra_in_the_archive_is_refused(tmp_path, parties, valid):
    parts = read_parts(valid)
    assert reason_for(assemble(parts[1:]), tmp_path, parties) is R.MEMBER_MISSING
    extra = with_member(parts, b"members/rows/more.json", b"[]")
    assert reason_for(assemble(extra), tmp_path, parties) is R.MEMBER_EXTRA


TRAVERSAL_NAMES = [
    b"../evil.txt",
    b"../../../../../../tmp/evil.txt",
    b"/etc/evil.txt",
    b"members/../../evil.txt",
    b"members\\..\\..\\evil.txt",
    b"..\\evil.txt",
    b"C:/evil.txt",
    b"C:\\Windows\\evil.txt",
    b"\\\\server\\share\\evil.txt",
    b"members/rows/a\x00b.json",
    b"members/\xe5\x84\xbf\xe7\xab\xa5.json",
    b"members/rows/",
]


@pytest.mark.parametrize("name", TRAVERSAL_NAMES)
def test_path_traversal_names_are_refused_and_nothing_is_written_anywhere(tmp_path, parties, valid, name, monkeypatch):
    stick = tmp_path / "a" / "b" / "c"
    stick.mkdir(parents=True)
    monkeypatch.chdir(stick)  # where a relative name would land if it were ever used as a path
    path = stick / "case.tuoyu-sync"
    path.write_bytes(assemble(with_member(read_parts(valid), name, b"owned")))
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(SyncBundleRefused) as caught:
        open_as(path, parties)
    assert caught.value.reason is R.MEMBER_EXTRA
    assert sorted(tmp_path.rglob("*")) == before
    assert not any(Path(folder, "evil.txt").exists() for folder in ("/tmp", "/etc", tmp_path, tmp_path / "a"))


def test_a_traversal_name_in_place_of_a_member_is_refused(tmp_path, parties, valid):
    parts = read_parts(valid)
    renamed = sorted([(b"../" + parts[0][0], parts[0][1]), *parts[1:-2]]) + parts[-2:]
    assert reason_for(assemble(renamed), tmp_path, parties) is R.MEMBER_MISSING


def test_a_traversal_name_in_a_signed_manifest_is_refused(tmp_path, parties, valid):
    forged = resigned(read_parts(valid), lambda m: m["members"][0].update(name="../evil.txt"), key=parties.signing_key)
    assert reason_for(assemble(forged), tmp_path, parties) is R.NOT_A_BUNDLE


def test_a_message_never_carries_control_characters_from_a_name(tmp_path, parties, valid):
    path = tmp_path / "case.tuoyu-sync"
    path.write_bytes(assemble(with_member(read_parts(valid), b"members/\x1b[2Jx", b"")))
    with pytest.raises(SyncBundleRefused) as caught:
        open_as(path, parties)
    assert "\x1b" not in caught.value.message and "?[2Jx" in caught.value.message


def test_a_member_bigger_or_smaller_than_its_manifest_says_is_refused(tmp_path, parties, valid):
    parts = read_parts(valid)
    name = parts[0][0].decode()[len("members/") :]
    for data in (parts[0][1] + b"more", parts[0][1][:-1], b"x" * 10_000_000):
        assert reason_for(assemble(replaced_member(parts, name, data)), tmp_path, parties) is R.MEMBER_WRONG_SIZE


# ---- zip bombs and oversized files ---------------------------------------------------------------


def _refused_quickly(path: Path, parties: Parties) -> tuple[RefusalReason, float, int]:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(SyncBundleRefused) as caught:
            open_as(path, parties)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return caught.value.reason, elapsed, peak


def _deflate_bomb(uncompressed_size: int) -> bytes:
    """Raw deflate data for ``uncompressed_size`` zero bytes, made without ever holding them: a block
    of 1 MiB zeros compressed and fully flushed is independent of what came before, so it repeats."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(1024**2)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * (uncompressed_size // 1024**2) + compressor.flush(zlib.Z_FINISH)


def _general_zip(entries: list[tuple[bytes, bytes, int, int, int]]) -> bytes:
    """A ZIP as any tool would write it: (name, stored data, method, CRC-32, uncompressed size) per entry."""
    body, directory = bytearray(), bytearray()
    for name, data, method, crc, size in entries:
        fields = (20, 0, method, 0, 0x21, crc, len(data), size, len(name))
        directory += struct.pack("<I6H3I5H2I", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0, len(body)) + name
        body += struct.pack("<I5H3I2H", 0x04034B50, *fields, 0) + name + data
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), len(body), 0)
    return bytes(body + directory + end)


def test_a_zip_bomb_is_refused_within_a_second_in_little_memory(tmp_path, parties, valid):
    """4 GiB of zeros deflated into 4 MB, in an otherwise valid bundle re-signed by the source listing it."""
    declared = 4 * 1024**3 - 1
    listed = {"name": "a.bin", "size": declared, "sha256": "0" * 64, "encrypted": False, "content_type": "a/b"}
    parts = resigned(read_parts(valid), lambda m: m["members"].insert(0, listed), key=parties.signing_key, rehash=False)
    bomb = (b"members/a.bin", _deflate_bomb(declared), zipfile.ZIP_DEFLATED, 0, declared)
    path = tmp_path / "bomb.tuoyu-sync"
    path.write_bytes(_general_zip([bomb, *((name, data, 0, zlib.crc32(data), len(data)) for name, data in parts)]))
    with zipfile.ZipFile(path) as archive:  # a general ZIP reader sees the bomb
        assert archive.getinfo("members/a.bin").file_size == declared
        assert archive.read("manifest.json") == dict(parts)[b"manifest.json"]
    reason, elapsed, peak = _refused_quickly(path, parties)
    assert reason is R.NOT_A_BUNDLE  # nothing is ever decompressed: only stored entries make a bundle
    assert elapsed < 1.0 and peak < 16 * 1024**2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bomb.tuoyu-sync", "valid.tuoyu-sync"]


def test_a_signed_bundle_with_a_member_beyond_the_limit_is_refused_before_it_is_read(tmp_path, parties, valid):
    """A 300 MB member (a sparse file: it costs no disk) properly listed and signed: refused unread."""
    size = 300 * 1024**2
    digest, crc = hashlib.sha256(), 0
    for _ in range(size // 1024**2):
        chunk = bytes(1024**2)
        digest.update(chunk)
        crc = zlib.crc32(chunk, crc)
    huge = {"name": "a.bin", "size": size, "sha256": digest.hexdigest(), "encrypted": False, "content_type": "a/b"}
    parts = resigned(read_parts(valid), lambda m: m["members"].insert(0, huge), key=parties.signing_key)
    path = tmp_path / "huge.tuoyu-sync"
    entries = []
    with path.open("wb") as out:
        for raw_name, data in [(b"members/a.bin", None), *parts]:
            entry_crc, entry_size = (crc, size) if data is None else (zlib.crc32(data), len(data))
            entries.append(ArchiveEntry(raw_name, entry_crc, entry_size, out.tell()))
            out.write(local_header(raw_name, entry_crc, entry_size))
            if data is None:
                out.seek(size, os.SEEK_CUR)
            else:
                out.write(data)
        out.write(directory_bytes(entries))
    reason, elapsed, peak = _refused_quickly(path, parties)
    assert reason is R.TOO_LARGE
    assert elapsed < 1.0 and peak < 16 * 1024**2


@pytest.mark.parametrize(
    "end_record",
    [
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFF0, 0, 0),  # a 4 GB directory
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0, 0, 0),  # 65535 entries in no bytes
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 46, 0, 0),
    ],
)
def test_a_directory_claiming_to_be_enormous_is_refused_without_reading_it(tmp_path, parties, end_record):
    path = tmp_path / "directory.tuoyu-sync"
    path.write_bytes(bytes(46) + end_record)
    reason, elapsed, peak = _refused_quickly(path, parties)
    assert reason in {R.TOO_LARGE, R.NOT_A_BUNDLE}
    assert elapsed < 1.0 and peak < 16 * 1024**2


def test_a_manifest_beyond_its_limit_is_refused_before_it_is_parsed(tmp_path, parties, valid):
    parts = read_parts(valid)
    padded = json.dumps({**manifest_of(parts), "padding": "x" * 9_000_000}).encode()
    forged = assemble([*parts[:-2], (b"manifest.json", padded), parts[-1]])
    assert reason_for(forged, tmp_path, parties) is R.TOO_LARGE
    assert canonical_json(manifest_of(parts)) == dict(parts)[b"manifest.json"]
