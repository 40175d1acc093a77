"""A copy of the clerk's file with the reasons beside each bad row, so the fix happens where the data is.

For .xlsx the clerk's own workbook is copied (formatting kept as far as openpyxl keeps it: images
and charts are dropped, which is one reason it is a copy). .xls and .csv cannot be written back
by openpyxl, so their rows are written into a new .xlsx with the same row numbers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.excel.institution_columns import find_header_row, normalize_header
from desktop.excel.sheet_data import FileFormat, SheetData, SheetRow
from desktop.excel.workbook_reader import read_sheet
from desktop.excel.xlsx_writing import (
    BAD_CELL_COLOR,
    REASON_COLOR,
    atomic_target,
    check_target,
    strip_illegal,
    text_cell,
)

if TYPE_CHECKING:
    from desktop.excel.institution_sheet import CellError

REASON_HEADER = "错误原因"
_REASON_WIDTH = 60


def error_copy_path(source: Path) -> Path:
    """Where the copy goes by default: beside the source, "名单_错误标注.xlsx"."""
    return source.with_name(f"{source.stem}_错误标注.xlsx")


def _reason_text(errors: Sequence[CellError]) -> str:
    return "；".join(f"【{e.column}】{e.message}" if e.column else e.message for e in errors)


def write_error_copy(
    source: Path,
    out: Path,
    errors: Sequence[CellError],
    *,
    sheet_name: str | None = None,
    find_header: Callable[[Sequence[SheetRow]], int | None] = find_header_row,
) -> int:
    """Write the copy to ``out`` (always an .xlsx) and return how many rows got a reason.

    ``find_header`` finds the header among the rows: the register's by default, a roster's for children.
    """
    check_target(out)
    sheet = read_sheet(source, sheet_name=sheet_name)
    position = find_header(sheet.rows)
    header_row = sheet.rows[position].number if position is not None else sheet.rows[0].number
    header_cells = sheet.rows[position].values if position is not None else ()
    by_row: dict[int, list[CellError]] = defaultdict(list)
    for error in errors:
        by_row[error.row].append(error)
    columns = {str(text).strip(): index for index, text in enumerate(header_cells) if text is not None}
    reason_column = next(
        (index for index, text in enumerate(header_cells) if normalize_header(text) == REASON_HEADER),
        sheet.facts.max_col if sheet.format is not FileFormat.CSV else max(len(r.values) for r in sheet.rows),
    )
    if sheet.format is FileFormat.XLSX:
        _annotate_xlsx(sheet, out, by_row, columns, header_row, reason_column)
    else:
        _rebuild_xlsx(sheet, out, by_row, columns, header_row, reason_column)
    return len([row for row in by_row if row != header_row])


def _annotate_xlsx(sheet: SheetData, out: Path, by_row, columns, header_row: int, reason_column: int) -> None:
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bad = PatternFill("solid", fgColor=BAD_CELL_COLOR)
    red = Font(color=REASON_COLOR)
    workbook = load_workbook(sheet.path)
    worksheet = workbook[sheet.sheet_name]
    target = reason_column + 1  # openpyxl columns are 1-based
    if reason_column < sheet.facts.max_col:  # the copy of a copy: clear the earlier round's reasons
        for row in range(header_row + 1, sheet.facts.max_row + 1):
            worksheet.cell(row, target).value = None
    header_cell = worksheet.cell(header_row, target, REASON_HEADER)
    header_cell.font = Font(bold=True, color=REASON_COLOR)
    worksheet.column_dimensions[get_column_letter(target)].width = _REASON_WIDTH
    for row, errors in by_row.items():
        if row == header_row:
            header_cell.comment = Comment(_reason_text(errors), "托育监管")
            continue
        reason = worksheet.cell(row, target, strip_illegal(_reason_text(errors)))
        reason.font = red
        reason.alignment = Alignment(wrap_text=True, vertical="top")
        worksheet.row_dimensions[row].hidden = False  # a hidden row with an error must be seen
        for error in errors:
            if error.column in columns:
                worksheet.cell(row, columns[error.column] + 1).fill = bad
    with atomic_target(out) as temporary:
        workbook.save(temporary)


def _rebuild_xlsx(sheet: SheetData, out: Path, by_row, columns, header_row: int, reason_column: int) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    bad = PatternFill("solid", fgColor=BAD_CELL_COLOR)
    workbook = Workbook(write_only=True)
    title = "".join(ch for ch in sheet.sheet_name if ch not in "[]:*?/\\")[:31] or "Sheet1"
    output = workbook.create_sheet(title)
    output.column_dimensions[_letter(reason_column)].width = _REASON_WIDTH
    rows = {row.number: row.values for row in sheet.rows}
    last = max(max(rows), max(by_row, default=0))
    for number in range(1, last + 1):
        values = rows.get(number, ())
        errors = by_row.get(number, [])
        bad_columns = {columns[e.column] for e in errors if e.column in columns}
        cells = []
        for index in range(max(len(values), reason_column + 1)):
            value = values[index] if index < len(values) else None
            cell = _cell(output, value)
            if index in bad_columns and number != header_row:
                cell.fill = bad
            cells.append(cell)
        if number == header_row:
            reason = WriteOnlyCell(output, REASON_HEADER)
            reason.font = Font(bold=True, color=REASON_COLOR)
        else:
            reason = WriteOnlyCell(output, strip_illegal(_reason_text(errors)) if errors else None)
            reason.font = Font(color=REASON_COLOR)
            reason.alignment = Alignment(wrap_text=True, vertical="top")
        cells[reason_column] = reason
        output.append(cells)
    with atomic_target(out) as temporary:
        workbook.save(temporary)


def _cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        return text_cell(sheet, strip_illegal(value))
    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
