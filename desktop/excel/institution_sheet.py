"""Turn a read sheet into institution records and a row-by-row list of problems, in Chinese.

Structural problems (no header, missing required columns, merged or repeated headers, no data)
raise ``ExcelFileError``: there is nothing row by row to show. Everything else is a ``CellError``
on the row and column where the clerk can fix it. A row with any error yields no record, so a
caller that commits only when ``errors`` is empty imports all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from desktop.domain.identifiers import validate_credit_code
from desktop.excel import cell_values as cv
from desktop.excel.errors import ExcelFileError
from desktop.excel.institution_columns import COLUMNS_BY_FIELD, ColumnSpec, HeaderMap, Kind, find_header_row, map_header
from desktop.excel.institution_sheet_row import InstitutionSheetRow
from desktop.excel.region_names import RegionResolver
from desktop.excel.sheet_data import CellRange, FileFormat, SheetData, column_letter

ROW_LEVEL = ""  # CellError.column for a problem with the whole row
MAX_SLOTS = 5000
# Dates that cannot lie in the future; a planned opening date may (a warning then).
_PAST_ONLY = frozenset({"filed_on", "puhui_recognized_on", "status_changed_on", "demonstration_recognized_on"})
_TOTAL_ROW_WORDS = ("合计", "总计", "小计")
_SAMPLE_PREFIXES = ("【示例】", "示例", "(示例)")


@dataclass(frozen=True, slots=True)
class CellError:
    """A problem at a row (1-based, as the sheet shows it) and column (its header as written)."""

    row: int
    column: str
    message: str


@dataclass(frozen=True)
class ParsedSheet:
    records: tuple[InstitutionSheetRow, ...]  # rows without errors, in sheet order
    errors: tuple[CellError, ...]
    warnings: tuple[CellError, ...]  # may be confirmed by an officer; they do not drop the row
    notes: tuple[str, ...]  # information: ignored columns, sheets not read
    header_row: int
    headers: dict[str, str]  # field -> header as written, for the columns present
    data_rows: int  # rows that held a value below the header
    error_rows: frozenset[int] = field(default=frozenset())

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def present_fields(self) -> frozenset[str]:
        """Fields whose column is in the sheet: an update should leave the others alone."""
        return frozenset(self.headers)


Parser = Callable[[object], cv.Parsed]


def _parser_for(spec: ColumnSpec, what: str, regions: RegionResolver) -> Parser:
    kind = spec.kind
    if kind is Kind.TEXT:
        return lambda raw: cv.parse_text(raw, max_length=spec.max_length)
    if kind is Kind.LONG_TEXT:
        return lambda raw: cv.parse_text(raw, max_length=spec.max_length, multiline=True)
    if kind is Kind.CREDIT_CODE:
        return lambda raw: cv.parse_identifier_text(raw, what="统一社会信用代码")
    if kind is Kind.PHONE:
        return cv.parse_phone
    if kind is Kind.IDENTIFIER:
        return lambda raw: cv.parse_code_text(raw, max_length=spec.max_length)
    if kind is Kind.WHOLE_NUMBER:
        return lambda raw: cv.parse_whole_number(raw, what=what, maximum=MAX_SLOTS)
    if kind is Kind.AREA:
        return lambda raw: cv.parse_area(raw, what=what)
    if kind is Kind.MONEY:
        return lambda raw: cv.parse_money_fen(raw, what=what)
    if kind is Kind.DATE:
        return cv.parse_date
    if kind is Kind.YES_NO:
        return cv.parse_yes_no
    if kind is Kind.ENUM:
        return lambda raw: cv.parse_enum(raw, spec.enum, what=what)
    if kind is Kind.ENUM_SET:
        return lambda raw: cv.parse_enum_set(raw, spec.enum, what=what)
    if kind is Kind.COUNTY:
        return regions.county
    raise ValueError(kind)  # townships are resolved after the county of the row


def _structure_problems(sheet: SheetData, header_row: int, header: HeaderMap) -> list[str]:
    problems = []
    if header.missing_required:
        missing = "、".join(f"“{spec.header}”" for spec in header.missing_required)
        problems.append(f"缺少必填列{missing}")
    for field_name, columns in header.duplicates:
        letters = "、".join(column_letter(c) for c in columns)
        problems.append(f"“{COLUMNS_BY_FIELD[field_name].header}”列重复出现（第 {letters} 列），请只保留一列")
    merged = [r for r in sheet.facts.merged_ranges if r.touches_row(header_row)]
    if merged:
        ranges = "、".join(str(r) for r in merged[:5])
        problems.append(f"表头（第 {header_row} 行）有合并单元格 {ranges}，请取消合并，每列只写一个表头")
    return problems


def _template_headers() -> str:
    required = [spec.header for spec in COLUMNS_BY_FIELD.values() if spec.required]
    return "、".join(required)


def _raise_no_header(sheet: SheetData) -> None:
    raise ExcelFileError(
        f"在工作表“{sheet.sheet_name}”的前 10 行中找不到表头（至少要有两列能认出，例如“机构名称”“托位数”）。"
        f"必填列为：{_template_headers()}。请使用导入模板，或把表头改成模板中的名称后再导入。",
        code="excel.no_header",
    )


def parse_institution_sheet(
    sheet: SheetData,
    *,
    counties: Mapping[str, str],
    townships: Mapping[str, Mapping[str, str]],
    today: date | None = None,
) -> ParsedSheet:
    """Parse every row below the header.

    ``counties`` maps county code -> name; ``townships`` maps county code -> (township code -> name).
    With ``today``, dates later than today are reported.
    """
    position = find_header_row(sheet.rows)
    if position is None:
        _raise_no_header(sheet)
    header_row = sheet.rows[position].number
    header = map_header(sheet.rows[position].values)
    problems = _structure_problems(sheet, header_row, header)
    if problems:
        raise ExcelFileError(
            f"工作表“{sheet.sheet_name}”的表头有问题：" + "；".join(problems) + "。请对照导入模板修改后再导入。",
            code="excel.bad_header",
        )
    data = sheet.rows[position + 1 :]
    if not data:
        raise ExcelFileError(
            f"工作表“{sheet.sheet_name}”只有表头（第 {header_row} 行），下面没有任何机构数据。", code="excel.no_data"
        )
    return _RowParser(sheet, header_row, header, RegionResolver(counties, townships), today).run(data)


class _RowParser:
    def __init__(
        self, sheet: SheetData, header_row: int, header: HeaderMap, regions: RegionResolver, today: date | None
    ) -> None:
        self.sheet, self.header_row, self.header, self.regions, self.today = sheet, header_row, header, regions, today
        self.errors: list[CellError] = []
        self.warnings: list[CellError] = []
        self.plan = [
            (name, column, header.headers[name], _parser_for(COLUMNS_BY_FIELD[name], header.headers[name], regions))
            for name, column in header.columns.items()
            if name != "township_code"
        ]
        self.township_column = header.columns.get("township_code")
        mapped = set(header.columns.values())
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

    def run(self, data) -> ParsedSheet:
        notes = self.notes()  # first: it may add sheet-wide errors and warnings
        records: list[InstitutionSheetRow] = []
        codes: dict[str, list[int]] = {}
        data_rows = 0
        mapped = sorted(set(self.header.columns.values()))
        for row in data:
            values = row.values
            if all(values[c] is None for c in mapped if c < len(values)):
                continue  # blank in every column we read (a 序号 alone does not make a row)
            data_rows += 1
            record = self.parse_row(row.number, values)
            if record is not None:
                records.append(record)
                if record.credit_code:
                    codes.setdefault(record.credit_code, []).append(row.number)
        self.check_duplicates(codes)
        error_rows = frozenset(error.row for error in self.errors)
        return ParsedSheet(
            records=tuple(r for r in records if r.row not in error_rows),
            errors=tuple(sorted(self.errors, key=lambda e: e.row)),
            warnings=tuple(sorted(self.warnings, key=lambda e: e.row)),
            notes=tuple(notes),
            header_row=self.header_row,
            headers=dict(self.header.headers),
            data_rows=data_rows,
            error_rows=error_rows,
        )

    def parse_row(self, number: int, values: tuple) -> InstitutionSheetRow | None:
        errors_before = len(self.errors)
        error = self.errors.append
        if number in self.sheet.facts.hidden_rows:
            error(
                CellError(
                    number,
                    ROW_LEVEL,
                    "这一行被隐藏了。隐藏的行也会被导入：请取消隐藏，确认需要导入，不需要就删除整行。",
                )
            )
        name_column = self.header.columns["name"]
        name = values[name_column] if name_column < len(values) else None
        if isinstance(name, str) and self._special_row(number, name.strip()):
            return None
        count = len(values)
        parsed: dict[str, object] = {}
        for name_, column, header_text, parse in self.plan:
            raw = values[column] if column < count else None
            if self.merged and (number, column) in self.merged:
                cell_range = self.merged[(number, column)]
                error(
                    CellError(
                        number, header_text, f"该单元格属于合并单元格 {cell_range}，请取消合并，并在每一行分别填写。"
                    )
                )
                continue
            if self.formulas and (number, column) in self.formulas:
                error(
                    CellError(
                        number,
                        header_text,
                        "该单元格是公式，导入只接受数值。请复制该列，用“选择性粘贴 → 数值”粘贴回原处后再导入。",
                    )
                )
                continue
            if raw is None:
                continue
            value, problem = parse(raw)
            if problem is not None:
                error(CellError(number, header_text, problem))
            elif value is not None:
                parsed[name_] = value
        self._check_row(number, values, parsed)
        if len(self.errors) > errors_before:
            return None
        return InstitutionSheetRow(row=number, **parsed)

    def _special_row(self, number: int, name: str) -> bool:
        """A template sample row or a totals row: one clear message instead of a dozen."""
        header = self.header_of("name")
        if name.startswith(_SAMPLE_PREFIXES):
            self.errors.append(CellError(number, header, "这是导入模板中的示例行，请删除这一行后再导入。"))
            return True
        if name.replace(" ", "").startswith(_TOTAL_ROW_WORDS):
            self.errors.append(CellError(number, header, f"这一行像是“{name[:4]}”行，不是机构，请删除这一行后再导入。"))
            return True
        return False

    def _check_row(self, number: int, values: tuple, parsed: dict[str, object]) -> None:
        for spec in COLUMNS_BY_FIELD.values():
            if spec.required and spec.field not in parsed and not self._reported(number, spec.field):
                self.errors.append(
                    CellError(number, self.header_of(spec.field), f"“{spec.header}”是必填项，不能为空。")
                )
        credit_code = parsed.get("credit_code")
        if isinstance(credit_code, str):
            check = validate_credit_code(credit_code)
            for problem in check.problems:
                target = self.errors if problem.is_error else self.warnings
                target.append(CellError(number, self.header_of("credit_code"), problem.message))
        if self.township_column is not None:
            raw = values[self.township_column] if self.township_column < len(values) else None
            county = parsed.get("county_code")
            if raw is not None and isinstance(county, str):
                code, problem = self.regions.township(raw, county)
                if problem:
                    self.errors.append(CellError(number, self.header_of("township_code"), problem))
                elif code:
                    parsed["township_code"] = code
        if self.today is not None:
            for field_name, value in parsed.items():
                if isinstance(value, date) and value > self.today and field_name != "lease_expires_on":
                    target = self.errors if field_name in _PAST_ONLY else self.warnings
                    target.append(
                        CellError(number, self.header_of(field_name), f"日期 {value.isoformat()} 晚于今天，请核对。")
                    )

    def _reported(self, number: int, field_name: str) -> bool:
        header = self.header_of(field_name)
        return any(e.row == number and e.column == header for e in reversed(self.errors[-40:]))

    def check_duplicates(self, codes: dict[str, list[int]]) -> None:
        header = self.header_of("credit_code")
        for code, rows in codes.items():
            if len(rows) > 1:
                listed = "、".join(str(r) for r in rows)
                message = (
                    f"统一社会信用代码 {code} 在本文件中出现了 {len(rows)} 次（第 {listed} 行），"
                    "同一机构只能占一行，请删除或合并重复的行。"
                )
                self.errors.extend(CellError(row, header, message) for row in rows)

    def notes(self) -> list[str]:
        notes = []
        for column, text in self.header.unknown:
            notes.append(f"第 {column_letter(column)} 列“{text}”不是模板中的列，没有导入。")
        facts = self.sheet.facts
        for name_, column in self.header.columns.items():
            if column in facts.hidden_columns:
                self.warnings.append(
                    CellError(
                        self.header_row, self.header_of(name_), "这一列被隐藏了，其内容也会导入，请取消隐藏后核对。"
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
