"""What every imported sheet is checked for, whatever its rows describe: one place, the same words.

The register (``institution_sheet``) and a roster of children (``child_sheet``) read the same kinds
of sheet from the same clerks, so the sheet-level checks are the same: the header found and sound,
hidden rows and columns, merged cells, formulas, template sample rows and totals rows, a key repeated
down the sheet, other sheets not read, the CSV encoding used. Each parser keeps what is its own: how a
cell becomes a value and which rules judge a row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from desktop.excel.column_index import ColumnIndex, ColumnSpec, HeaderMap
from desktop.excel.errors import ExcelFileError
from desktop.excel.sheet_data import CellRange, FileFormat, SheetData, SheetRow, column_letter

__all__ = ["ROW_LEVEL", "CellError", "SheetChecks", "locate_header"]

ROW_LEVEL = ""  # CellError.column for a problem with the whole row
_TOTAL_ROW_WORDS = ("合计", "总计", "小计")


@dataclass(frozen=True, slots=True)
class CellError:
    """A problem at a row (1-based, as the sheet shows it) and column (its header as written)."""

    row: int
    column: str
    message: str


def locate_header(
    sheet: SheetData, index: ColumnIndex, *, examples: str, template: str, what: str
) -> tuple[int, HeaderMap, tuple[SheetRow, ...]]:
    """The header's row number, what its cells name and the rows below it.

    A sheet without a recognisable header, with a header that is wrong (missing required columns, a
    column twice, merged cells) or with nothing below it raises ``ExcelFileError``: there is nothing
    row by row to show. ``examples`` names two headers, ``template`` the template to use, ``what`` the rows.
    """
    position = index.find_header_row(sheet.rows)
    if position is None:
        required = "、".join(spec.header for spec in index.columns if spec.required)
        raise ExcelFileError(
            f"在工作表“{sheet.sheet_name}”的前 10 行中找不到表头（至少要有两列能认出，例如{examples}）。"
            f"必填列为：{required}。请使用{template}，或把表头改成模板中的名称后再导入。",
            code="excel.no_header",
        )
    header_row = sheet.rows[position].number
    header = index.map_header(sheet.rows[position].values)
    problems = _header_problems(sheet, header_row, header, index.by_field)
    if problems:
        raise ExcelFileError(
            f"工作表“{sheet.sheet_name}”的表头有问题：" + "；".join(problems) + "。请对照导入模板修改后再导入。",
            code="excel.bad_header",
        )
    data = sheet.rows[position + 1 :]
    if not data:
        raise ExcelFileError(
            f"工作表“{sheet.sheet_name}”只有表头（第 {header_row} 行），下面没有任何{what}数据。", code="excel.no_data"
        )
    return header_row, header, data


def _header_problems(
    sheet: SheetData, header_row: int, header: HeaderMap, columns_by_field: Mapping[str, ColumnSpec]
) -> list[str]:
    problems = []
    if header.missing_required:
        missing = "、".join(f"“{spec.header}”" for spec in header.missing_required)
        problems.append(f"缺少必填列{missing}")
    for field_name, columns in header.duplicates:
        letters = "、".join(column_letter(c) for c in columns)
        problems.append(f"“{columns_by_field[field_name].header}”列重复出现（第 {letters} 列），请只保留一列")
    merged = [r for r in sheet.facts.merged_ranges if r.touches_row(header_row)]
    if merged:
        ranges = "、".join(str(r) for r in merged[:5])
        problems.append(f"表头（第 {header_row} 行）有合并单元格 {ranges}，请取消合并，每列只写一个表头")
    return problems


class SheetChecks:
    """The rows below one header, checked as a sheet: a row parser extends it with its own cells and rules.

    Problems collect in ``errors`` and ``warnings``; ``sheet_notes`` runs first, as it may add sheet-wide ones.
    """

    def __init__(
        self, sheet: SheetData, header_row: int, header: HeaderMap, columns_by_field: Mapping[str, ColumnSpec]
    ) -> None:
        self.sheet, self.header_row, self.header = sheet, header_row, header
        self.columns_by_field = columns_by_field
        self.errors: list[CellError] = []
        self.warnings: list[CellError] = []
        mapped = set(header.columns.values())
        self.mapped = sorted(mapped)
        self.formulas = {cell for cell in sheet.facts.formula_cells if cell[1] in mapped and cell[0] > header_row}
        self.merged: dict[tuple[int, int], CellRange] = {
            (row, col): cell_range
            for cell_range in sheet.facts.merged_ranges
            if cell_range.last_row > header_row
            for row in range(max(cell_range.first_row, header_row + 1), cell_range.last_row + 1)
            for col in range(cell_range.first_col, cell_range.last_col + 1)
            if col in mapped
        }

    def header_of(self, field_name: str) -> str:
        return self.header.headers.get(field_name) or self.columns_by_field[field_name].header

    def filled_rows(self, data: Sequence[SheetRow]) -> Iterator[SheetRow]:
        """The rows with a value in a column we read (a 序号 alone does not make a row)."""
        for row in data:
            values = row.values
            if not all(values[c] is None for c in self.mapped if c < len(values)):
                yield row

    def check_hidden_row(self, number: int) -> None:
        if number in self.sheet.facts.hidden_rows:
            self.errors.append(
                CellError(
                    number,
                    ROW_LEVEL,
                    "这一行被隐藏了。隐藏的行也会被导入：请取消隐藏，确认需要导入，不需要就删除整行。",
                )
            )

    def cell_problem(self, number: int, column: int) -> str | None:
        """Why a cell cannot be read at all (merged, a formula), or None."""
        if self.merged and (number, column) in self.merged:
            return f"该单元格属于合并单元格 {self.merged[(number, column)]}，请取消合并，并在每一行分别填写。"
        if self.formulas and (number, column) in self.formulas:
            return "该单元格是公式，导入只接受数值。请复制该列，用“选择性粘贴 → 数值”粘贴回原处后再导入。"
        return None

    def special_row(self, number: int, name: str, *, sample_prefixes: tuple[str, ...], what: str) -> bool:
        """A template sample row or a totals row: one clear message instead of a dozen."""
        header = self.header_of("name")
        if name.startswith(sample_prefixes):
            self.errors.append(CellError(number, header, "这是导入模板中的示例行，请删除这一行后再导入。"))
            return True
        if name.replace(" ", "").startswith(_TOTAL_ROW_WORDS):
            self.errors.append(
                CellError(number, header, f"这一行像是“{name[:4]}”行，不是{what}，请删除这一行后再导入。")
            )
            return True
        return False

    def check_repeats(
        self, rows_by_key: Mapping[str, list[int]], field_name: str, *, shown: Callable[[str], str], what: str
    ) -> None:
        """Every row of a key (credit code, ID number) that stands more than once in the sheet."""
        header = self.header_of(field_name)
        label = self.columns_by_field[field_name].header
        for key, rows in rows_by_key.items():
            if len(rows) > 1:
                listed = "、".join(str(r) for r in rows)
                message = (
                    f"{label} {shown(key)} 在本文件中出现了 {len(rows)} 次（第 {listed} 行），"
                    f"同一{what}只能占一行，请删除或合并重复的行。"
                )
                self.errors.extend(CellError(row, header, message) for row in rows)

    def sheet_notes(self) -> list[str]:
        notes = [f"第 {column_letter(col)} 列“{text}”不是模板中的列，没有导入。" for col, text in self.header.unknown]
        facts = self.sheet.facts
        for field_name, column in self.header.columns.items():
            if column in facts.hidden_columns:
                self.warnings.append(
                    CellError(
                        self.header_row,
                        self.header_of(field_name),
                        "这一列被隐藏了，其内容也会导入，请取消隐藏后核对。",
                    )
                )
        located = len(facts.formula_cells)
        if facts.formula_count > located:
            self.errors.append(
                CellError(
                    self.header_row,
                    ROW_LEVEL,
                    f"工作表中有 {facts.formula_count - located} 个无法定位的公式单元格，"
                    "请把整张表复制后“选择性粘贴 → 数值”再导入。",
                )
            )
        if self.sheet.other_sheets:
            others = "、".join(f"“{name}”" for name in self.sheet.other_sheets)
            notes.append(f"只读取了工作表“{self.sheet.sheet_name}”；工作簿中的其他工作表{others}没有导入。")
        if self.sheet.format is FileFormat.CSV and self.sheet.encoding:
            encoding = {"gb18030": "GBK/GB18030", "utf-8-sig": "UTF-8", "utf-16": "UTF-16"}.get(
                self.sheet.encoding, self.sheet.encoding.upper()
            )
            notes.append(f"CSV 文件按 {encoding} 编码读取。")
        return notes

    def outcome(self, records: Sequence[Any], notes: list[str], data_rows: int) -> dict[str, Any]:
        """What a parsed sheet holds: the records of rows without errors, problems in row order, notes."""
        error_rows = frozenset(error.row for error in self.errors)
        return {
            "records": tuple(r for r in records if r.row not in error_rows),
            "errors": tuple(sorted(self.errors, key=lambda e: e.row)),
            "warnings": tuple(sorted(self.warnings, key=lambda e: e.row)),
            "notes": tuple(notes),
            "header_row": self.header_row,
            "headers": dict(self.header.headers),
            "data_rows": data_rows,
            "error_rows": error_rows,
        }
