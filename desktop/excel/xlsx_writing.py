"""What every file Tuoyu writes for clerks shares: atomic replacement, formula-injection escaping, styles."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop import files
from desktop.excel.errors import ExcelFileError

# A cell starting with one of these is a formula to Excel, WPS and LibreOffice once a clerk
# presses Enter in it or opens a CSV (OWASP "CSV injection"; reliability anchor B13).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL_COLOR = "DDEBF7"
BAD_CELL_COLOR = "FFC7CE"
REASON_COLOR = "9C0006"


def needs_escape(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def escape_for_csv(value: str) -> str:
    """Prefix a formula-looking text with "'" (the importer strips it again before = + - @)."""
    return "'" + value if needs_escape(value) else value


def text_cell(sheet, value: str):
    """A write-only cell that stays text even when it starts with "=": typed as a string, quote-prefixed."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value)
    if needs_escape(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def strip_illegal(value: str) -> str:
    """openpyxl refuses control characters in cells; a copy for the clerk must not fail on them."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value)


def check_target(path: Path) -> None:
    """Fail before any work when the folder to write into does not exist."""
    files.check_target(path, write_failed)


@contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """``desktop.files.atomic_target`` with the message a clerk needs for a spreadsheet (close it in Excel)."""
    with files.atomic_target(path, write_failed) as temporary:
        yield temporary


def write_failed(path: Path, error: OSError) -> ExcelFileError:
    return ExcelFileError(
        f"无法写入文件“{path}”（{error.strerror or error}）。如果该文件正在 Excel 或 WPS 中打开，请先关闭；"
        "也请检查文件夹是否存在、磁盘空间是否足够。",
        code="excel.write_failed",
    )
