"""What a sheet holds once read: its rows with spreadsheet row numbers, and the facts an import must report.

Plain data with no reader behind it, so the parser and its tests need neither calamine nor openpyxl.
Rows are 1-based (as Excel and WPS show them); columns are 0-based indexes into ``SheetRow.values``,
shown to clerks as letters (``column_letter(0) == "A"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path

CellValue = str | int | float | bool | date | datetime | time | timedelta | None


class FileFormat(StrEnum):
    XLSX = "xlsx"
    XLS = "xls"
    CSV = "csv"


class Inspection(StrEnum):
    """Which facts the reader could establish for this format (CSV has no hidden rows or formulas)."""

    HIDDEN_ROWS = "hidden_rows"
    FORMULAS = "formulas"
    MERGED_CELLS = "merged_cells"


def column_letter(index: int) -> str:
    """Spreadsheet column name of a 0-based index: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_index(letters: str) -> int:
    """0-based index of a column name: "A" -> 0, "AA" -> 26."""
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number - 1


@dataclass(frozen=True, slots=True)
class CellRange:
    """A rectangle of cells, e.g. a merged range: rows 1-based, columns 0-based, both inclusive."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int

    def __str__(self) -> str:
        return f"{column_letter(self.first_col)}{self.first_row}:{column_letter(self.last_col)}{self.last_row}"

    def touches_row(self, row: int) -> bool:
        return self.first_row <= row <= self.last_row


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One row that holds at least one value. Trailing empty cells are trimmed; empty cells are None."""

    number: int
    values: tuple[CellValue, ...]

    def get(self, index: int) -> CellValue:
        return self.values[index] if index < len(self.values) else None


@dataclass(frozen=True, slots=True)
class SheetFacts:
    """What the file says about a sheet beyond its values, found before the values are loaded."""

    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: frozenset[int] = frozenset()
    merged_ranges: tuple[CellRange, ...] = ()
    # (row, column) of cells holding a formula; ``formula_count`` also counts those whose
    # position the file does not state (cells without an ``r`` attribute).
    formula_cells: tuple[tuple[int, int], ...] = ()
    formula_count: int = 0
    # Bounding box of the cells that hold a value (1-based row, column count); 0 when empty.
    max_row: int = 0
    max_col: int = 0
    # The size the file declares for the sheet (.xls DIMENSIONS), which calamine allocates as
    # given: a damaged record declaring 889 million rows made it abort asking for 950 GB.
    declared_rows: int = 0
    declared_cols: int = 0

    @property
    def grid(self) -> tuple[int, int]:
        """(rows, columns) the value reader will allocate."""
        return max(self.max_row, self.declared_rows), max(self.max_col, self.declared_cols)


@dataclass(frozen=True, slots=True)
class SheetData:
    """A sheet as read: the rows with values, in order, and what the importer must report."""

    path: Path
    format: FileFormat
    sheet_name: str
    rows: tuple[SheetRow, ...]
    facts: SheetFacts = SheetFacts()
    # Which facts could be established (all for .xlsx and .xls; none for .csv).
    inspected: frozenset[Inspection] = frozenset()
    # The workbook's other sheets, hidden ones included, so the report can say what was not imported.
    other_sheets: tuple[str, ...] = ()
    # For .csv: the encoding and delimiter that were detected.
    encoding: str | None = None
    delimiter: str | None = None
