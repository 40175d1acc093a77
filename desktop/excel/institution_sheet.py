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
from desktop.excel.institution_columns import COLUMNS_BY_FIELD, INSTITUTION_INDEX, ColumnSpec, HeaderMap, Kind
from desktop.excel.institution_sheet_row import InstitutionSheetRow
from desktop.excel.region_names import RegionResolver
from desktop.excel.sheet_checks import ROW_LEVEL, CellError, SheetChecks, locate_header
from desktop.excel.sheet_data import SheetData

__all__ = ["MAX_SLOTS", "ROW_LEVEL", "CellError", "ParsedSheet", "parse_institution_sheet"]

MAX_SLOTS = 5000
# Dates that cannot lie in the future; a planned opening date may (a warning then).
_PAST_ONLY = frozenset({"filed_on", "puhui_recognized_on", "status_changed_on", "demonstration_recognized_on"})
_SAMPLE_PREFIXES = ("【示例】", "示例", "(示例)")


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
    header_row, header, data = locate_header(
        sheet, INSTITUTION_INDEX, examples="“机构名称”“托位数”", template="导入模板", what="机构"
    )
    return _RowParser(sheet, header_row, header, RegionResolver(counties, townships), today).run(data)


class _RowParser(SheetChecks):
    def __init__(
        self, sheet: SheetData, header_row: int, header: HeaderMap, regions: RegionResolver, today: date | None
    ) -> None:
        super().__init__(sheet, header_row, header, COLUMNS_BY_FIELD)
        self.regions, self.today = regions, today
        self.plan = [
            (name, column, header.headers[name], _parser_for(COLUMNS_BY_FIELD[name], header.headers[name], regions))
            for name, column in header.columns.items()
            if name != "township_code"
        ]
        self.township_column = header.columns.get("township_code")

    def run(self, data) -> ParsedSheet:
        notes = self.sheet_notes()  # first: it may add sheet-wide errors and warnings
        records: list[InstitutionSheetRow] = []
        codes: dict[str, list[int]] = {}
        data_rows = 0
        for row in self.filled_rows(data):
            data_rows += 1
            record = self.parse_row(row.number, row.values)
            if record is not None:
                records.append(record)
                if record.credit_code:
                    codes.setdefault(record.credit_code, []).append(row.number)
        self.check_repeats(codes, "credit_code", shown=str, what="机构")
        return ParsedSheet(**self.outcome(records, notes, data_rows))

    def parse_row(self, number: int, values: tuple) -> InstitutionSheetRow | None:
        errors_before = len(self.errors)
        error = self.errors.append
        self.check_hidden_row(number)
        name_column = self.header.columns["name"]
        name = values[name_column] if name_column < len(values) else None
        if isinstance(name, str) and self.special_row(
            number, name.strip(), sample_prefixes=_SAMPLE_PREFIXES, what="机构"
        ):
            return None
        count = len(values)
        parsed: dict[str, object] = {}
        for name_, column, header_text, parse in self.plan:
            raw = values[column] if column < count else None
            if (problem := self.cell_problem(number, column)) is not None:
                error(CellError(number, header_text, problem))
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
