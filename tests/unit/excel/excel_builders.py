"""Files for the excel tests, made by the tests themselves: workbooks, compound files, region tables."""

from __future__ import annotations

import struct
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl import Workbook

from desktop.domain.identifiers import make_credit_code
from desktop.paths import resources_dir


def zhangye() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """(county code -> name, county code -> township code -> name) of the bundled Zhangye file."""
    data = tomllib.loads((resources_dir() / "regions" / "620700.toml").read_text(encoding="utf-8"))
    counties = {county["code"]: county["name"] for county in data["counties"]}
    townships = {county["code"]: {t["code"]: t["name"] for t in county["townships"]} for county in data["counties"]}
    return counties, townships


COUNTIES, TOWNSHIPS = zhangye()
GANZHOU = "620702"
LINZE = "620723"


def credit_code(serial: int, county: str = GANZHOU) -> str:
    return make_credit_code("5", "2", county, f"MA{serial:06d}")


def xlsx(path: Path, rows: Sequence[Sequence[object]], *, title: str = "名单", setup: Callable | None = None) -> Path:
    """An .xlsx whose first sheet holds ``rows`` from A1; ``setup(workbook, sheet)`` adds the rest."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    if setup is not None:
        setup(workbook, sheet)
    workbook.save(path)
    return path


HEADER = ["机构名称", "统一社会信用代码", "举办主体", "所属县区", "乡镇（街道）", "托位数", "备案日期", "是否普惠"]


def institution_row(serial: int, **overrides: object) -> list[object]:
    """A valid row under ``HEADER``; keyword arguments replace cells by header."""
    values = {
        "机构名称": f"甘州区第{serial}托育中心",
        "统一社会信用代码": credit_code(serial),
        "举办主体": "社会力量举办",
        "所属县区": "甘州区",
        "乡镇（街道）": "东街街道",
        "托位数": 60,
        "备案日期": "2024-06-17",
        "是否普惠": "是",
    }
    values.update(overrides)
    return [values[header] for header in HEADER]


# ------------------------------------------------------------------------- OLE2 compound files

_END, _FREE, _FAT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


def _directory_entry(name: str, kind: int, start: int, size: int, child: int = _FREE, right: int = _FREE) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    entry = encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
    entry += struct.pack("<III", _FREE, right, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
    entry += struct.pack("<IQ", start, size)
    assert len(entry) == 128
    return entry


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A version-3 compound file holding ``streams`` (each padded to 4096 bytes: no mini stream)."""
    sector = 512
    padded = {name: data.ljust(max(4096, -(-len(data) // sector) * sector), b"\0") for name, data in streams.items()}
    fat = [_FAT, _END]  # sector 0: the FAT, sector 1: the directory
    entries = [b""]
    names = list(padded)
    for position, name in enumerate(names):
        start = len(fat)
        count = len(padded[name]) // sector
        fat.extend(range(start + 1, start + count))
        fat.append(_END)
        right = position + 2 if position + 1 < len(names) else _FREE
        entries.append(_directory_entry(name, 2, start, len(padded[name]), right=right))
    entries[0] = _directory_entry("Root Entry", 5, _END, 0, child=1)
    assert len(entries) <= 4 and len(fat) <= sector // 4
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
    header += struct.pack("<109I", 0, *([_FREE] * 108))
    fat_sector = struct.pack(f"<{sector // 4}I", *fat, *([_FREE] * (sector // 4 - len(fat))))
    directory = b"".join(entries).ljust(sector, b"\0")
    return header + fat_sector + directory + b"".join(padded[name] for name in names)


def biff_record(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def biff_workbook(*, encrypted: bool = False) -> bytes:
    """A BIFF8 workbook-globals substream: BOF, optionally FILEPASS, EOF."""
    stream = biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0))
    if encrypted:
        stream += biff_record(0x002F, b"\x01\x00" + b"\0" * 52)
    return stream + biff_record(0x000A)
