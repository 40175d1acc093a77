"""Turn a read roster sheet into children and a row-by-row list of problems, in Chinese.

The same contract as the register's sheet (``institution_sheet``): structural problems (no header,
missing required columns, merged or repeated headers, no data) raise ``ExcelFileError``; everything
else is a ``CellError`` on the row and column where the clerk can fix it; a row with any error
yields no record, so a caller that writes only when ``errors`` is empty imports all or nothing.
Each row is judged by the same rules as the form (``desktop.domain.child_rules``), so a child
refused by hand is refused from a sheet with the same words. No message carries a full ID number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from desktop.domain.child_rules import ChildFacts, check_child
from desktop.domain.enums import Sex
from desktop.domain.identifiers import mask_id_number, mask_id_numbers_in
from desktop.domain.problems import Severity
from desktop.excel import cell_values as cv
from desktop.excel.child_columns import CHILD_INDEX, COLUMNS_BY_FIELD
from desktop.excel.errors import ExcelFileError
from desktop.excel.institution_columns import HeaderMap
from desktop.excel.institution_sheet import ROW_LEVEL, CellError
from desktop.excel.sheet_data import CellRange, FileFormat, SheetData, SheetRow, column_letter

__all__ = ["ChildSheetRow", "ParsedChildSheet", "parse_child_sheet"]

_TOTAL_ROW_WORDS = ("合计", "总计", "小计")
_SAMPLE_PREFIXES = ("【示例】", "示例", "(示例)", "（示例）")
_MAX_NAME = 60
_HIDDEN_ROW = "这一行被隐藏了。隐藏的行也会被导入：请取消隐藏，确认需要导入，不需要就删除整行。"
_HIDDEN_COLUMN = "这一列被隐藏了，其内容也会导入，请取消隐藏后核对。"
_SAMPLE_ROW = "这是导入模板中的示例行，请删除这一行后再导入。"

_PARSERS: dict[str, Callable[[object], cv.Parsed]] = {
    "name": lambda raw: cv.parse_text(raw, max_length=_MAX_NAME),
    "id_number": lambda raw: cv.parse_identifier_text(raw, what="身份证号码"),
    "sex": lambda raw: cv.parse_enum(raw, Sex, what="性别"),
    "guardian_name": lambda raw: cv.parse_text(raw, max_length=_MAX_NAME),
    "guardian_phone": cv.parse_phone,
    "enrolled_on": cv.parse_date,
    "left_on": cv.parse_date,
}


@dataclass(frozen=True, slots=True)
class ChildSheetRow:
    """One child as read from a row; ``None`` means the cell was blank or the column absent."""

    row: int
    name: str
    id_number: str
    enrolled_on: date
    guardian_name: str
    guardian_phone: str
    sex: Sex | None = None
    left_on: date | None = None


@dataclass(frozen=True)
class ParsedChildSheet:
    records: tuple[ChildSheetRow, ...]  # rows without errors, in sheet order
    errors: tuple[CellError, ...]
    warnings: tuple[CellError, ...]
    notes: tuple[str, ...]
    header_row: int
    headers: dict[str, str]  # field -> header as written, for the columns present
    data_rows: int
    error_rows: frozenset[int] = field(default=frozenset())

    @property
    def ok(self) -> bool:
        return not self.errors

    def header_of(self, field_name: str) -> str:
        """The column as the clerk's sheet names it, or as the template does when the sheet lacks it."""
        spec = COLUMNS_BY_FIELD.get(field_name)
        return self.headers.get(field_name) or (spec.header if spec else "（整行）")


def parse_child_sheet(sheet: SheetData, *, today: date) -> ParsedChildSheet:
    """Parse every row below the header, judging each child as the form would on ``today``."""
    position = CHILD_INDEX.find_header_row(sheet.rows)
    if position is None:
        required = "、".join(spec.header for spec in COLUMNS_BY_FIELD.values() if spec.required)
        raise ExcelFileError(
            f"在工作表“{sheet.sheet_name}”的前 10 行中找不到表头（至少要有两列能认出，例如“姓名”“身份证号”）。"
            f"必填列为：{required}。请使用在托幼儿名单导入模板，或把表头改成模板中的名称后再导入。",
            code="excel.no_header",
        )
    header_row = sheet.rows[position].number
    header = CHILD_INDEX.map_header(sheet.rows[position].values)
    problems = _structure_problems(sheet, header_row, header)
    if problems:
        raise ExcelFileError(
            f"工作表“{sheet.sheet_name}”的表头有问题：" + "；".join(problems) + "。请对照导入模板修改后再导入。",
            code="excel.bad_header",
        )
    data = sheet.rows[position + 1 :]
    if not data:
        raise ExcelFileError(
            f"工作表“{sheet.sheet_name}”只有表头（第 {header_row} 行），下面没有任何幼儿数据。", code="excel.no_data"
        )
    return _RowParser(sheet, header_row, header, today).run(data)


def _structure_problems(sheet: SheetData, header_row: int, header: HeaderMap) -> list[str]:
    problems = []
    if header.missing_required:
        problems.append("缺少必填列" + "、".join(f"“{spec.header}”" for spec in header.missing_required))
    for field_name, columns in header.duplicates:
        letters = "、".join(column_letter(c) for c in columns)
        problems.append(f"“{COLUMNS_BY_FIELD[field_name].header}”列重复出现（第 {letters} 列），请只保留一列")
    merged = [r for r in sheet.facts.merged_ranges if r.touches_row(header_row)]
    if merged:
        ranges = "、".join(str(r) for r in merged[:5])
        problems.append(f"表头（第 {header_row} 行）有合并单元格 {ranges}，请取消合并，每列只写一个表头")
    return problems


class _RowParser:
    def __init__(self, sheet: SheetData, header_row: int, header: HeaderMap, today: date) -> None:
        self.sheet, self.header_row, self.header, self.today = sheet, header_row, header, today
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
        return self.header.headers.get(field_name) or COLUMNS_BY_FIELD[field_name].header

    def run(self, data: tuple[SheetRow, ...]) -> ParsedChildSheet:
        notes = self.notes()
        records: list[ChildSheetRow] = []
        rows_by_id: dict[str, list[int]] = {}
        data_rows = 0
        for row in data:
            values = row.values
            if all(values[c] is None for c in self.mapped if c < len(values)):
                continue  # blank in every column we read (a 序号 alone does not make a row)
            data_rows += 1
            record = self.parse_row(row.number, values)
            if record is not None:
                records.append(record)
                rows_by_id.setdefault(record.id_number, []).append(row.number)
        self.check_repeats(rows_by_id)
        error_rows = frozenset(error.row for error in self.errors)
        headers = dict(self.header.headers)
        return ParsedChildSheet(
            records=tuple(r for r in records if r.row not in error_rows),
            errors=tuple(sorted(self.errors, key=lambda e: e.row)),
            warnings=tuple(sorted(self.warnings, key=lambda e: e.row)),
            notes=tuple(notes),
            header_row=self.header_row,
            headers=headers,
            data_rows=data_rows,
            error_rows=error_rows,
        )

    def parse_row(self, number: int, values: tuple) -> ChildSheetRow | None:
        errors_before = len(self.errors)
        if number in self.sheet.facts.hidden_rows:
            self.errors.append(CellError(number, ROW_LEVEL, _HIDDEN_ROW))
        name_column = self.header.columns["name"]
        name = values[name_column] if name_column < len(values) else None
        if isinstance(name, str) and self._special_row(number, name.strip()):
            return None
        parsed: dict[str, object] = {}
        unreadable: set[str] = set()
        for field_name, column in self.header.columns.items():
            raw = values[column] if column < len(values) else None
            problem = self._cell_problem(number, column)
            if problem is None and raw is not None:
                value, problem = _PARSERS[field_name](raw)
                if problem is None and value is not None:
                    parsed[field_name] = value
            if problem is not None:
                # A cell parser quotes what it read: a 15-digit ID typed into a number cell, an ID pasted
                # into the phone column. No report or error copy carries a whole ID number.
                self.errors.append(CellError(number, self.header_of(field_name), mask_id_numbers_in(problem)))
                unreadable.add(field_name)
        facts = ChildFacts(
            name=str(parsed.get("name") or ""),
            id_number=parsed.get("id_number"),  # type: ignore[arg-type]
            enrolled_on=parsed.get("enrolled_on"),  # type: ignore[arg-type]
            left_on=parsed.get("left_on"),  # type: ignore[arg-type]
            guardian_name=parsed.get("guardian_name"),  # type: ignore[arg-type]
            guardian_phone=parsed.get("guardian_phone"),  # type: ignore[arg-type]
            sex=parsed.get("sex"),  # type: ignore[arg-type]
        )
        for problem in check_child(facts, today=self.today):
            if problem.field in unreadable:
                continue  # the cell's own message says it better than "未填写"
            target = self.errors if problem.severity is Severity.ERROR else self.warnings
            target.append(CellError(number, self.header_of(problem.field or "name"), problem.message))
        if len(self.errors) > errors_before:
            return None
        return ChildSheetRow(row=number, **parsed)  # type: ignore[arg-type]

    def _cell_problem(self, number: int, column: int) -> str | None:
        if self.merged and (number, column) in self.merged:
            return f"该单元格属于合并单元格 {self.merged[(number, column)]}，请取消合并，并在每一行分别填写。"
        if self.formulas and (number, column) in self.formulas:
            return "该单元格是公式，导入只接受数值。请复制该列，用“选择性粘贴 → 数值”粘贴回原处后再导入。"
        return None

    def _special_row(self, number: int, name: str) -> bool:
        """A template sample row or a totals row: one clear message instead of a dozen."""
        if name.startswith(_SAMPLE_PREFIXES):
            self.errors.append(CellError(number, self.header_of("name"), _SAMPLE_ROW))
            return True
        if name.replace(" ", "").startswith(_TOTAL_ROW_WORDS):
            self.errors.append(
                CellError(number, self.header_of("name"), f"这一行像是“{name[:4]}”行，不是幼儿，请删除这一行后再导入。")
            )
            return True
        return False

    def check_repeats(self, rows_by_id: dict[str, list[int]]) -> None:
        header = self.header_of("id_number")
        for id_number, rows in rows_by_id.items():
            if len(rows) > 1:
                listed = "、".join(str(r) for r in rows)
                message = (
                    f"身份证号 {mask_id_number(id_number)} 在本文件中出现了 {len(rows)} 次（第 {listed} 行），"
                    "同一幼儿只能占一行，请删除或合并重复的行。"
                )
                self.errors.extend(CellError(row, header, message) for row in rows)

    def notes(self) -> list[str]:
        notes = [f"第 {column_letter(col)} 列“{text}”不是模板中的列，没有导入。" for col, text in self.header.unknown]
        facts = self.sheet.facts
        for field_name, column in self.header.columns.items():
            if column in facts.hidden_columns:
                self.warnings.append(CellError(self.header_row, self.header_of(field_name), _HIDDEN_COLUMN))
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
