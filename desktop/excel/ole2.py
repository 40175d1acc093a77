"""A minimal, defensive reader of OLE2 compound files (the container of .xls and of encrypted .xlsx).

Only what the importer needs: the names of the streams, and the bytes of one stream. Every
sector number and chain is bounds-checked, so a damaged or hostile file raises ``ValueError``
(which the caller turns into a Chinese message) instead of looping or reading out of range.
Layout per [MS-CFB] 2.2–2.6.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FREE, _END_OF_CHAIN, _FAT_SECTOR, _DIFAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFC
_NO_STREAM = 0xFFFFFFFF
_STREAM, _ROOT = 2, 5


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    kind: int
    start: int
    size: int


class CompoundFile:
    """An OLE2 compound file held in memory (the caller caps its size first)."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or not data.startswith(MAGIC):
            raise ValueError("not an OLE2 compound file")
        self._data = data
        (major,) = struct.unpack_from("<H", data, 26)
        sector_shift, mini_shift = struct.unpack_from("<HH", data, 30)
        if (major, sector_shift) not in ((3, 9), (4, 12)) or mini_shift != 6:
            raise ValueError("unsupported sector size")
        self._sector_size = 1 << sector_shift
        self._sector_count = max(0, (len(data) - self._sector_size) // self._sector_size)
        n_fat, first_dir, _sig, self._mini_cutoff, first_minifat, n_minifat, first_difat, n_difat = struct.unpack_from(
            "<IIIIIIII", data, 44
        )
        self._fat = self._read_fat(data, n_fat, first_difat, n_difat)
        self._entries = self._read_directory(first_dir)
        root = next((entry for entry in self._entries if entry.kind == _ROOT), None)
        if root is None:
            raise ValueError("no root entry")
        self._mini_stream = self._read_chain(root.start, root.size) if root.size else b""
        self._mini_fat = self._ints(self._read_chain(first_minifat, None)) if n_minifat else []

    # -------------------------------------------------------------------------------- public

    def stream_names(self) -> set[str]:
        return {entry.name for entry in self._entries if entry.kind == _STREAM}

    def read_stream(self, name: str) -> bytes:
        """The bytes of the first stream called ``name`` (case-insensitive, as the format says)."""
        wanted = name.casefold()
        for entry in self._entries:
            if entry.kind == _STREAM and entry.name.casefold() == wanted:
                if entry.size < self._mini_cutoff:
                    return self._read_mini_chain(entry.start, entry.size)
                return self._read_chain(entry.start, entry.size)
        raise KeyError(name)

    # ------------------------------------------------------------------------------ internals

    @staticmethod
    def _ints(raw: bytes) -> list[int]:
        return list(struct.unpack(f"<{len(raw) // 4}I", raw[: len(raw) // 4 * 4]))

    def _sector(self, number: int) -> bytes:
        if number >= self._sector_count:
            raise ValueError(f"sector {number} out of range")
        offset = (number + 1) * self._sector_size
        return self._data[offset : offset + self._sector_size]

    def _read_fat(self, data: bytes, n_fat: int, first_difat: int, n_difat: int) -> list[int]:
        fat_sectors = [n for n in struct.unpack_from("<109I", data, 76) if n != _FREE]
        per_difat = self._sector_size // 4 - 1
        sector, seen = first_difat, 0
        while sector not in (_END_OF_CHAIN, _FREE) and seen < n_difat:
            entries = self._ints(self._sector(sector))
            fat_sectors.extend(n for n in entries[:per_difat] if n != _FREE)
            sector, seen = entries[per_difat], seen + 1
        if len(fat_sectors) < n_fat:
            raise ValueError("FAT is truncated")
        return self._ints(b"".join(self._sector(n) for n in fat_sectors[:n_fat]))

    def _chain(self, start: int, table: list[int]) -> list[int]:
        chain: list[int] = []
        sector = start
        while sector != _END_OF_CHAIN:
            if sector >= len(table) or len(chain) > len(table):  # out of range, or a cycle
                raise ValueError("broken sector chain")
            chain.append(sector)
            sector = table[sector]
        return chain

    def _read_chain(self, start: int, size: int | None) -> bytes:
        raw = b"".join(self._sector(n) for n in self._chain(start, self._fat))
        if size is not None and len(raw) < size:
            raise ValueError("stream shorter than its declared size")
        return raw if size is None else raw[:size]

    def _read_mini_chain(self, start: int, size: int) -> bytes:
        parts = []
        for n in self._chain(start, self._mini_fat):
            if (n + 1) * 64 > len(self._mini_stream):
                raise ValueError("mini sector out of range")
            parts.append(self._mini_stream[n * 64 : (n + 1) * 64])
        raw = b"".join(parts)
        if len(raw) < size:
            raise ValueError("stream shorter than its declared size")
        return raw[:size]

    def _read_directory(self, first_dir: int) -> list[_Entry]:
        raw = self._read_chain(first_dir, None)
        entries = []
        for offset in range(0, len(raw) - 127, 128):
            name_length, kind = struct.unpack_from("<HB", raw, offset + 64)
            if kind not in (1, _STREAM, _ROOT) or not 2 <= name_length <= 64:
                continue  # unused slot
            name = raw[offset : offset + name_length - 2].decode("utf-16-le", errors="replace")
            start, size = struct.unpack_from("<IQ", raw, offset + 116)
            if self._sector_size == 512:
                size &= 0xFFFFFFFF  # version 3 files may leave garbage in the high half
            if start == _NO_STREAM:
                size = 0
            entries.append(_Entry(name, kind, start, size))
        return entries
