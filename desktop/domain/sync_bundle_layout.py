"""The container of a sync bundle: a ZIP file of stored entries, laid out in exactly one way.

Any unzip tool lists and extracts a bundle, but Tuoyu writes only a small, fixed subset of ZIP
(PKWARE APPNOTE 6.3): entries stored without compression (so there is nothing to decompress and
no zip bomb), no encryption flag, no data descriptors, no extra fields, no comments, no ZIP64,
every header field that is not a name, size, CRC-32 or offset at one fixed value, the entries
back to back from byte 0, the central directory right after them and the end record last.
Members come first, sorted by name, then manifest.json and manifest.sig.

So every byte of a bundle is either covered by the signature (the manifest, which holds every
member's SHA-256) or fixed by this layout, and the reader checks both: a file that differs from
what the writer wrote in any byte is refused. The reader parses the end record and the central
directory itself (both bounded by limits before they are read) and checks each local header
against its central twin, instead of trusting a general ZIP reader's view of sizes and names.
Archive names are compared with the names Tuoyu expects; they are never used as paths.

Pure bytes in, bytes out: desktop.services.sync_bundle_files does the reading and writing.
"""

from __future__ import annotations

import itertools
import struct
from collections.abc import Sequence
from dataclasses import dataclass

from desktop.domain.sync_bundle import MANIFEST_ENTRY, MAX_ENTRIES, SIGNATURE_ENTRY

LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")
CENTRAL_HEADER = struct.Struct("<IHHHHHHIIIHHHHHII")
END_RECORD = struct.Struct("<IHHHHIIH")
LOCAL_SIGNATURE = 0x04034B50
CENTRAL_SIGNATURE = 0x02014B50
END_SIGNATURE = 0x06054B50
VERSION_MADE_BY = 20  # ZIP 2.0 on MS-DOS: the most widely understood attribute convention
VERSION_NEEDED = 10  # ZIP 1.0: stored entries need nothing more
STORED = 0
# Every entry carries the DOS epoch, 1980-01-01 00:00:00, like reproducible builds do; the manifest
# holds the real creation time, under the signature.
DOS_TIME = 0
DOS_DATE = (0 << 9) | (1 << 5) | 1
MAX_32 = 0xFFFFFFFF


class LayoutError(Exception):
    """The file is not a sync bundle container; the message says why, in Chinese, for the refusal."""


@dataclass(frozen=True)
class ArchiveEntry:
    """An entry as the central directory lists it, after checking it is laid out as Tuoyu writes it."""

    raw_name: bytes
    crc32: int
    size: int
    offset: int

    @property
    def name(self) -> str:
        # Without the UTF-8 flag a ZIP name is CP437 (what unzip shows). Every name Tuoyu writes is
        # ASCII, where the two agree; any other name is reported, never used.
        return self.raw_name.decode("cp437")

    @property
    def data_offset(self) -> int:
        return self.offset + LOCAL_HEADER.size + len(self.raw_name)

    @property
    def end(self) -> int:
        return self.data_offset + self.size


def local_header(raw_name: bytes, crc32: int, size: int) -> bytes:
    return (
        LOCAL_HEADER.pack(
            LOCAL_SIGNATURE, VERSION_NEEDED, 0, STORED, DOS_TIME, DOS_DATE, crc32, size, size, len(raw_name), 0
        )
        + raw_name
    )


def central_header(entry: ArchiveEntry) -> bytes:
    return (
        CENTRAL_HEADER.pack(
            CENTRAL_SIGNATURE,
            VERSION_MADE_BY,
            VERSION_NEEDED,
            0,
            STORED,
            DOS_TIME,
            DOS_DATE,
            entry.crc32,
            entry.size,
            entry.size,
            len(entry.raw_name),
            0,
            0,
            0,
            0,
            0,
            entry.offset,
        )
        + entry.raw_name
    )


def end_record(entry_count: int, directory_size: int, directory_offset: int) -> bytes:
    return END_RECORD.pack(END_SIGNATURE, 0, 0, entry_count, entry_count, directory_size, directory_offset, 0)


def directory_bytes(entries: Sequence[ArchiveEntry]) -> bytes:
    """The central directory and the end record that close a container whose entries end where it starts."""
    if len(entries) > MAX_ENTRIES:
        raise ValueError("a bundle container holds at most 65535 entries")
    directory = b"".join(central_header(entry) for entry in entries)
    offset = entries[-1].end if entries else 0
    if offset + len(directory) > MAX_32:
        raise ValueError("a bundle container is smaller than 4 GiB")
    return directory + end_record(len(entries), len(directory), offset)


@dataclass(frozen=True)
class EndRecord:
    entry_count: int
    directory_size: int
    directory_offset: int


def parse_end_record(tail: bytes, file_size: int) -> EndRecord:
    """The last 22 bytes of the file, which must close the directory right before them."""
    if file_size == 0:
        raise LayoutError("文件是空的")
    if len(tail) != END_RECORD.size or file_size < END_RECORD.size:
        raise LayoutError("文件太短")
    signature, _, _, count, _, size, offset, _ = END_RECORD.unpack(tail)
    if signature != END_SIGNATURE:
        raise LayoutError("文件末尾没有 ZIP 目录，文件可能不完整")
    if tail != end_record(count, size, offset) or offset + size + END_RECORD.size != file_size:
        raise LayoutError("ZIP 目录的位置或格式不对")
    return EndRecord(count, size, offset)


def parse_central_directory(directory: bytes, end: EndRecord) -> list[ArchiveEntry]:
    """The entries of the central directory, each header exactly as Tuoyu writes it."""
    entries = []
    position = 0
    for _ in range(end.entry_count):
        fixed = directory[position : position + CENTRAL_HEADER.size]
        if len(fixed) != CENTRAL_HEADER.size:
            raise LayoutError("ZIP 目录不完整")
        fields = CENTRAL_HEADER.unpack(fixed)
        crc32, size, name_length, offset = fields[7], fields[8], fields[10], fields[16]
        start = position + CENTRAL_HEADER.size
        raw_name = directory[start : start + name_length]
        entry = ArchiveEntry(raw_name, crc32, size, offset)
        if len(raw_name) != name_length or directory[position : start + name_length] != central_header(entry):
            raise LayoutError("ZIP 目录中的条目格式不对")
        entries.append(entry)
        position = start + name_length
    if position != len(directory):
        raise LayoutError("ZIP 目录的长度与条目数不符")
    _check_tiling(entries, end.directory_offset)
    _check_order(entries)
    return entries


def check_local_header(header: bytes, entry: ArchiveEntry) -> None:
    """The local header before an entry's bytes must be the twin of its directory entry."""
    if header != local_header(entry.raw_name, entry.crc32, entry.size):
        raise LayoutError(f"条目“{_shown(entry)}”的文件头与 ZIP 目录不符")


def local_header_size(entry: ArchiveEntry) -> int:
    return LOCAL_HEADER.size + len(entry.raw_name)


def _check_tiling(entries: Sequence[ArchiveEntry], directory_offset: int) -> None:
    # The entries cover the file from byte 0 to the directory without gaps or overlaps, so no size
    # field can point past the file and no byte is left unaccounted for.
    position = 0
    for entry in entries:
        if entry.offset != position:
            raise LayoutError("ZIP 条目之间有空隙或重叠")
        position = entry.end
    if position != directory_offset:
        raise LayoutError("ZIP 条目与目录之间有空隙或重叠")


def _check_order(entries: Sequence[ArchiveEntry]) -> None:
    names = [entry.raw_name for entry in entries]
    if names[-2:] != [MANIFEST_ENTRY.encode(), SIGNATURE_ENTRY.encode()]:
        raise LayoutError("缺少清单或签名")
    members = names[:-2]
    if MANIFEST_ENTRY.encode() in members or SIGNATURE_ENTRY.encode() in members:
        raise LayoutError("清单或签名出现了不止一次")
    # Non-decreasing, not strictly: a repeated member name is reported as such once the manifest is trusted.
    if any(earlier > later for earlier, later in itertools.pairwise(members)):
        raise LayoutError("ZIP 条目的顺序不对")


def _shown(entry: ArchiveEntry) -> str:
    name = entry.name
    cleaned = "".join(character if character.isprintable() else "?" for character in name[:80])
    return cleaned + ("…" if len(name) > 80 else "")
