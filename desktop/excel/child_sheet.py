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
from desktop.excel.column_index import HeaderMap
from desktop.excel.sheet_checks import CellError, SheetChecks, locate_header
from desktop.excel.sheet_data import SheetData, SheetRow

__all__ = ["ChildSheetRow", "ParsedChildSheet", "parse_child_sheet"]

_SAMPLE_PREFIXES = ("【示例】", "示例", "(示例)", "（示例）")
_MAX_NAME = 60

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
    header_row, header, data = locate_header(
        sheet, CHILD_INDEX, examples="“姓名”“身份证号”", template="在托幼儿名单导入模板", what="幼儿"
    )
    return _RowParser(sheet, header_row, header, today).run(data)


class _RowParser(SheetChecks):
    def __init__(self, sheet: SheetData, header_row: int, header: HeaderMap, today: date) -> None:
        super().__init__(sheet, header_row, header, COLUMNS_BY_FIELD)
        self.today = today

    def run(self, data: tuple[SheetRow, ...]) -> ParsedChildSheet:
        notes = self.sheet_notes()
        records: list[ChildSheetRow] = []
        rows_by_id: dict[str, list[int]] = {}
        data_rows = 0
        for row in self.filled_rows(data):
            data_rows += 1
            record = self.parse_row(row.number, row.values)
            if record is not None:
                records.append(record)
                rows_by_id.setdefault(record.id_number, []).append(row.number)
        self.check_repeats(rows_by_id, "id_number", shown=mask_id_number, what="幼儿")
        return ParsedChildSheet(**self.outcome(records, notes, data_rows))

    def parse_row(self, number: int, values: tuple) -> ChildSheetRow | None:
        errors_before = len(self.errors)
        self.check_hidden_row(number)
        name_column = self.header.columns["name"]
        name = values[name_column] if name_column < len(values) else None
        if isinstance(name, str) and self.special_row(
            number, name.strip(), sample_prefixes=_SAMPLE_PREFIXES, what="幼儿"
        ):
            return None
        parsed: dict[str, object] = {}
        unreadable: set[str] = set()
        for field_name, column in self.header.columns.items():
            raw = values[column] if column < len(values) else None
            problem = self.cell_problem(number, column)
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
