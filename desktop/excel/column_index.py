"""Finding a sheet's header by its text, for any set of columns: which cell names which field.

Every import describes its columns with ``ColumnSpec`` and matches them with a ``ColumnIndex``:
the register (``institution_columns``) and a roster of children (``child_columns``) alike, with
the same normalisation (``normalize_header``), the same trailing-unit leniency and the same ``HeaderMap``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from desktop.domain.enums import LabelledEnum
from desktop.domain.identifiers import FULL_WIDTH_FOLD, without_spaces
from desktop.excel.sheet_data import CellValue, SheetRow

HEADER_SEARCH_ROWS = 10
# Columns that carry nothing to import: row numbers, and the reasons column of an error copy
# (a clerk fixes the copy and imports it again).
IGNORED_HEADERS = frozenset({"序号", "编号", "no", "no.", "错误原因"})

_NOISE = re.compile(r"\*|\((?:必填|选填|必填项|可选)\)|:+$")
_TRAILING_UNIT = re.compile(r"\([^()]*\)$")  # a header's "(unit)" may be left off


class Kind(StrEnum):
    TEXT = "text"  # one line
    LONG_TEXT = "long_text"  # may hold line breaks
    CREDIT_CODE = "credit_code"
    PHONE = "phone"
    IDENTIFIER = "identifier"  # a number-like code kept as typed (备案号, 许可证号)
    WHOLE_NUMBER = "whole_number"
    AREA = "area"  # square metres, 2 decimals
    MONEY = "money"  # yuan in the sheet, integer fen in the record
    DATE = "date"
    YES_NO = "yes_no"
    ENUM = "enum"
    ENUM_SET = "enum_set"
    COUNTY = "county"
    TOWNSHIP = "township"


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    field: str
    header: str
    kind: Kind
    required: bool = False
    aliases: tuple[str, ...] = ()
    enum: type[LabelledEnum] | None = None
    max_length: int | None = None
    width: int = 14
    note: str = ""


@dataclass(frozen=True, slots=True)
class HeaderMap:
    """Which column holds which field, as found in one header row."""

    columns: dict[str, int]  # field -> 0-based column (the first, if a header is repeated)
    headers: dict[str, str]  # field -> the header text as the clerk wrote it
    unknown: tuple[tuple[int, str], ...]  # columns whose header is not ours: ignored, reported
    ignored: tuple[tuple[int, str], ...]  # 序号, 错误原因: ignored silently
    missing_required: tuple[ColumnSpec, ...]
    duplicates: tuple[tuple[str, tuple[int, ...]], ...]  # field -> every column that names it

    @property
    def recognised(self) -> int:
        return len(self.columns)


def normalize_header(text: CellValue) -> str:
    """Header text as compared: no whitespace (U+3000 too), full-width folded, no "*", "(必填)", ":"."""
    if text is None:
        return ""
    folded = without_spaces(str(text).translate(FULL_WIDTH_FOLD)).replace("【", "(").replace("】", ")")
    return _NOISE.sub("", _NOISE.sub("", folded)).casefold()


class ColumnIndex:
    """The headers (and their aliases) of one sheet layout, matched after ``normalize_header``."""

    def __init__(self, columns: Sequence[ColumnSpec], *, ignored: frozenset[str] = IGNORED_HEADERS) -> None:
        self.columns = tuple(columns)
        self.by_field = {spec.field: spec for spec in self.columns}
        self.ignored = ignored
        self._exact: dict[str, ColumnSpec] = {}
        self._loose: dict[str, ColumnSpec] = {}  # without a trailing "(unit)": "托位数(个)" -> "托位数"
        for spec in self.columns:
            for text in (spec.header, *spec.aliases):
                key = normalize_header(text)
                if self._exact.setdefault(key, spec) is not spec:
                    raise ValueError(f"header {text!r} is claimed by two columns")
                if self._loose.setdefault(_TRAILING_UNIT.sub("", key), spec) is not spec:
                    raise ValueError(f"header {text!r} without its unit is claimed by two columns")

    def spec_for_header(self, text: CellValue) -> ColumnSpec | None:
        """The column a header names, or None."""
        key = normalize_header(text)
        if not key:
            return None
        return self._exact.get(key) or self._loose.get(_TRAILING_UNIT.sub("", key))

    def map_header(self, cells: Sequence[CellValue]) -> HeaderMap:
        """Map one header row's cells to fields."""
        found: dict[str, list[int]] = {}
        headers: dict[str, str] = {}
        unknown, ignored = [], []
        for index, cell in enumerate(cells):
            if cell is None or not str(cell).strip():
                continue
            spec = self.spec_for_header(cell)
            if spec is None:
                (ignored if normalize_header(cell) in self.ignored else unknown).append((index, str(cell).strip()))
                continue
            found.setdefault(spec.field, []).append(index)
            headers.setdefault(spec.field, str(cell).strip())
        return HeaderMap(
            columns={field: indexes[0] for field, indexes in found.items()},
            headers=headers,
            unknown=tuple(unknown),
            ignored=tuple(ignored),
            missing_required=tuple(spec for spec in self.columns if spec.required and spec.field not in found),
            duplicates=tuple((field, tuple(indexes)) for field, indexes in found.items() if len(indexes) > 1),
        )

    def find_header_row(self, rows: Sequence[SheetRow], *, search: int = HEADER_SEARCH_ROWS) -> int | None:
        """Position in ``rows`` of the header: among the first rows, the one naming most fields (at least 2).

        Sheets often carry a title ("2024年甘州区托育机构名单") or a note above the header.
        """
        best, best_count = None, 1
        for position, row in enumerate(rows[:search]):
            count = len({spec.field for cell in row.values if (spec := self.spec_for_header(cell)) is not None})
            if count > best_count:
                best, best_count = position, count
        return best
