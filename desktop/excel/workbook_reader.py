"""Read one sheet of a clerk's file (.xlsx, .xls or .csv) into rows of raw cell values, or refuse it clearly.

Values come from python-calamine (Rust): 0.17 s for a 10,000 × 20 Chinese .xlsx where openpyxl's
read_only mode takes 1.7 s (4.0 s when Excel or WPS wrote it, with shared strings), and it reads
.xls (0.04 s), which openpyxl cannot. Figures: tests/bench/excel_read_bench.py.
What calamine does not tell (formulas, hidden rows, the size of the grid it is about to allocate)
comes from a scan of the file itself before calamine opens it: ``xlsx_inspection``, ``xls_inspection``.

Nothing here knows about institutions: the parser decides what the facts mean for an import.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from desktop.excel.csv_reader import decode_csv, detect_delimiter, read_csv_rows, too_many_rows
from desktop.excel.errors import ExcelFileError
from desktop.excel.file_format import encrypted, not_workbook, sniff_format
from desktop.excel.ole2 import CompoundFile
from desktop.excel.sheet_data import CellRange, FileFormat, Inspection, SheetData, SheetFacts, SheetRow
from desktop.excel.xls_inspection import XlsFormatError, inspect_xls_sheet, list_xls_sheets
from desktop.excel.xlsx_inspection import (
    ZIP_ERRORS,
    XlsxFormatError,
    check_zip,
    inspect_xlsx_sheet,
    list_xlsx_sheets,
)

MIB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MIB
# Rows that hold a value. A province has about 10,000 institutions; rosters are per institution.
DEFAULT_MAX_ROWS = 50_000
# Cells in the value bounding box: calamine allocates the whole grid, ~32 bytes a cell.
DEFAULT_MAX_CELLS = 2_000_000
_ALL_FACTS = frozenset(Inspection)


def read_sheet(
    path: Path,
    *,
    sheet_name: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_cells: int = DEFAULT_MAX_CELLS,
) -> SheetData:
    """The named sheet, or the first visible sheet holding a value. Raises ``ExcelFileError``."""
    path = Path(path)
    head = _check_file(path, max_bytes)
    file_format = sniff_format(path, head)
    if file_format is FileFormat.CSV:
        return _read_csv(path, max_rows)
    if file_format is FileFormat.XLSX:
        return _read_xlsx(path, sheet_name, max_bytes=max_bytes, max_rows=max_rows, max_cells=max_cells)
    return _read_xls(path, sheet_name, max_rows=max_rows, max_cells=max_cells)


def _megabytes(size: int) -> str:
    return f"{size / MIB:.1f} MB"


def _check_file(path: Path, max_bytes: int) -> bytes:
    """The first bytes of the file, after checking that it exists, is readable and not too large."""
    try:
        if path.is_dir():
            raise ExcelFileError(f"“{path}”是一个文件夹，请选择其中的 Excel 或 CSV 文件。", code="excel.not_found")
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(4096)
    except FileNotFoundError as error:
        raise ExcelFileError(
            f"找不到文件“{path}”。请检查文件名和所在文件夹是否正确，文件是否已被移动或删除。", code="excel.not_found"
        ) from error
    except PermissionError as error:
        raise ExcelFileError(
            f"无法打开文件“{path.name}”：文件可能正被 Excel 或 WPS 打开，或没有读取权限。请关闭该文件后重试。",
            code="excel.locked",
        ) from error
    except OSError as error:
        raise _read_failed(path, error) from error
    if size == 0:
        raise ExcelFileError(f"文件“{path.name}”是空的（0 字节），里面没有任何内容。", code="excel.empty")
    if size > max_bytes:
        raise ExcelFileError(
            f"文件“{path.name}”大小为 {_megabytes(size)}，超过了一次导入的上限 {_megabytes(max_bytes)}。"
            "请删除不需要的工作表、图片和格式，或把数据拆分成几个文件，或另存为 CSV 文件（只保留数据）后再导入。",
            code="excel.too_large",
        )
    return head


def _read_failed(path: Path, error: OSError) -> ExcelFileError:
    return ExcelFileError(
        f"读取文件“{path.name}”时出错（{error.strerror or error}）。如果文件在 U 盘或网络共享上，"
        "请先复制到本机再导入。",
        code="excel.read_failed",
    )


def _read_csv(path: Path, max_rows: int) -> SheetData:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _read_failed(path, error) from error
    text, encoding = decode_csv(path, data)
    delimiter = detect_delimiter(text)
    rows = read_csv_rows(path, text, delimiter, max_rows=max_rows)
    if not rows:
        raise _empty(path, None)
    return SheetData(
        path=path, format=FileFormat.CSV, sheet_name=path.stem, rows=tuple(rows), encoding=encoding, delimiter=delimiter
    )


def _empty(path: Path, sheet: str | None, hidden_with_data: Sequence[str] = ()) -> ExcelFileError:
    if sheet is not None:
        return ExcelFileError(f"文件“{path.name}”的工作表“{sheet}”是空的，没有任何数据。", code="excel.empty")
    message = f"文件“{path.name}”中没有任何数据"
    if hidden_with_data:
        names = "、".join(f"“{name}”" for name in hidden_with_data)
        message += f"（有数据的工作表{names}被隐藏了，请在 Excel 或 WPS 中取消隐藏后再导入）"
    return ExcelFileError(message + "。", code="excel.empty")


def _check_grid(path: Path, sheet: str, facts: SheetFacts, max_cells: int) -> None:
    rows, columns = facts.grid
    if rows * columns <= max_cells:
        return
    raise ExcelFileError(
        f"文件“{path.name}”的工作表“{sheet}”的数据范围为 {rows:,} 行 × {columns:,} 列，"
        f"超过了一次导入的上限（{max_cells:,} 个单元格）。请删除表格右侧和下方多余的内容，"
        "或拆分成几个文件后分别导入。",
        code="excel.too_many_cells",
    )


def _too_many_cells_in_workbook(path: Path, max_cells: int) -> ExcelFileError:
    return ExcelFileError(
        f"文件“{path.name}”各工作表的数据合计超过了一次导入的上限（{max_cells:,} 个单元格）。"
        "请删除不需要的工作表，或把要导入的工作表另存为单独的文件后再导入。",
        code="excel.too_many_cells",
    )


def _sheet_not_found(path: Path, name: str, names: Iterable[str]) -> ExcelFileError:
    listed = "、".join(f"“{n}”" for n in names) or "（无）"
    return ExcelFileError(
        f"文件“{path.name}”中没有名为“{name}”的工作表。该文件的工作表有：{listed}。", code="excel.sheet_not_found"
    )


def _choose(
    path: Path,
    sheet_name: str | None,
    sheets: Sequence[tuple[str, bool, bool]],
    inspect: Callable[[int], SheetFacts],
) -> tuple[int, SheetFacts]:
    """(index, facts) of the named sheet, or of the first visible worksheet with a value."""
    if sheet_name is not None:
        for index, (name, _visible, _worksheet) in enumerate(sheets):
            if name.strip() == sheet_name.strip():
                facts = inspect(index)
                if not facts.max_row:
                    raise _empty(path, name)
                return index, facts
        raise _sheet_not_found(path, sheet_name, (name for name, _v, _w in sheets))
    for index, (_name, visible, worksheet) in enumerate(sheets):
        if worksheet and visible and (facts := inspect(index)).max_row:
            return index, facts
    # Nothing visible: say so, naming the hidden sheets that do hold data.
    hidden_with_data = [
        name
        for index, (name, visible, worksheet) in enumerate(sheets)
        if worksheet and not visible and inspect(index).max_row
    ]
    raise _empty(path, None, hidden_with_data)


def _grid_rows(grid: Iterable[list], path: Path, max_rows: int) -> tuple[SheetRow, ...]:
    """calamine's dense grid (row 1 first, "" for empty) as the rows that hold a value."""
    rows = []
    for number, raw in enumerate(grid, start=1):
        values = [None if value == "" else value for value in raw]
        while values and values[-1] is None:
            values.pop()
        if values:
            rows.append(SheetRow(number, tuple(values)))
    if len(rows) > max_rows:
        raise too_many_rows(path, max_rows)
    return tuple(rows)


def _load_values(path: Path, name: str, index: int) -> tuple[str, list[list], list[CellRange]]:
    """(sheet name, grid from A1, merged ranges) from calamine, imported here: only imports need it."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    try:
        with CalamineWorkbook.from_path(str(path)) as workbook:
            names = workbook.sheet_names
            sheet = workbook.get_sheet_by_name(name) if name in names else workbook.get_sheet_by_index(index)
            merged = [
                CellRange(first[0] + 1, first[1], last[0] + 1, last[1])
                for first, last in sheet.merged_cell_ranges or ()
            ]
            return sheet.name, sheet.to_python(skip_empty_area=False), merged
    except PasswordError as error:
        raise encrypted(path) from error
    except CalamineError as error:
        raise not_workbook(path, f"已损坏，无法读取（{error}）", code="excel.damaged") from error
    except BaseException as error:
        # A damaged file can make the Rust reader panic; pyo3 raises that as PanicException,
        # which derives from BaseException so that ordinary handlers do not swallow it.
        if type(error).__name__ != "PanicException":
            raise
        raise not_workbook(path, "已损坏，无法读取", code="excel.damaged") from error


def _read_xlsx(path: Path, sheet_name: str | None, *, max_bytes: int, max_rows: int, max_cells: int) -> SheetData:
    try:
        with zipfile.ZipFile(path) as archive:
            check_zip(archive, max_bytes=max_bytes)
            infos = list_xlsx_sheets(archive)
            sheets = [(info.name, info.visible, info.is_worksheet and info.part is not None) for info in infos]

            def inspect(index: int) -> SheetFacts:
                part = infos[index].part
                return inspect_xlsx_sheet(archive, part, max_cells=max_cells) if part else SheetFacts()

            index, facts = _choose(path, sheet_name, sheets, inspect)
    except XlsxFormatError as error:
        raise _xlsx_refused(path, error, max_bytes) from error
    except ZIP_ERRORS as error:
        raise not_workbook(path, "已损坏（压缩结构不完整）", code="excel.damaged") from error
    name = infos[index].name
    _check_grid(path, name, facts, max_cells)
    name, grid, _merged = _load_values(path, name, index)
    rows = _grid_rows(grid, path, max_rows)
    if not rows:  # cells written as <c r="A1"></c>: present in the XML, empty to the reader
        raise _empty(path, name)
    return SheetData(
        path=path,
        format=FileFormat.XLSX,
        sheet_name=name,
        rows=rows,
        facts=facts,
        inspected=_ALL_FACTS,
        other_sheets=tuple(info.name for i, info in enumerate(infos) if i != index),
    )


def _xlsx_refused(path: Path, error: XlsxFormatError, max_bytes: int) -> ExcelFileError:
    if error.reason == "bomb":
        return ExcelFileError(
            f"文件“{path.name}”解压后的大小为 {_megabytes(int(error.detail))}，远超导入上限"
            f"（{_megabytes(max_bytes * 20)}），可能是损坏或恶意构造的文件，已拒绝打开。"
            "如果这是正常的表格，请删除多余的内容或拆分成几个文件后再导入。",
            code="excel.zip_bomb",
        )
    if error.reason == "macro":
        return ExcelFileError(
            f"文件“{path.name}”含有宏（VBA 代码），为安全起见不予导入。"
            "请在 Excel 或 WPS 中另存为“Excel 工作簿（*.xlsx）”（不含宏）后再导入。",
            code="excel.macro",
        )
    if error.reason in ("dtd", "too_many_entries"):
        return ExcelFileError(
            f"文件“{path.name}”的内部结构异常（{error.reason}），可能是恶意构造的文件，已拒绝打开。"
            "请用 Excel 或 WPS 打开后另存为新的 .xlsx 文件再导入。",
            code="excel.suspicious",
        )
    if error.reason == "not_spreadsheet":
        return not_workbook(path, "不是 Excel 工作簿")
    return not_workbook(path, "已损坏，无法读取", code="excel.damaged")


def _read_xls(path: Path, sheet_name: str | None, *, max_rows: int, max_cells: int) -> SheetData:
    try:
        compound = CompoundFile(path.read_bytes())
        names = {name.casefold() for name in compound.stream_names()}
        stream = compound.read_stream("Workbook" if "workbook" in names else "Book")
        infos = list_xls_sheets(stream)
        # calamine parses every sheet of an .xls when it opens it, so every sheet is checked.
        all_facts = [inspect_xls_sheet(stream, info.offset) if info.is_worksheet else SheetFacts() for info in infos]
        sheets = [(info.name, info.visible, info.is_worksheet) for info in infos]
        index, facts = _choose(path, sheet_name, sheets, all_facts.__getitem__)
    except XlsFormatError as error:
        if error.reason == "encrypted":
            raise encrypted(path) from error
        if error.reason == "old":
            raise ExcelFileError(
                f"文件“{path.name}”是 Excel 4.0 或更早版本的格式，无法读取。"
                "请用 Excel 或 WPS 打开后另存为“Excel 工作簿（*.xlsx）”再导入。",
                code="excel.old_format",
            ) from error
        raise not_workbook(path, "已损坏，无法读取", code="excel.damaged") from error
    except (ValueError, KeyError) as error:
        raise not_workbook(path, "已损坏，无法读取", code="excel.damaged") from error
    except OSError as error:
        raise _read_failed(path, error) from error
    _check_grid(path, infos[index].name, facts, max_cells)
    for info, other in zip(infos, all_facts, strict=True):
        _check_grid(path, info.name, other, max_cells)
    if sum(rows * columns for rows, columns in (other.grid for other in all_facts)) > max_cells:
        raise _too_many_cells_in_workbook(path, max_cells)
    name, grid, merged = _load_values(path, infos[index].name, index)
    rows = _grid_rows(grid, path, max_rows)
    if not rows:
        raise _empty(path, name)
    return SheetData(
        path=path,
        format=FileFormat.XLS,
        sheet_name=name,
        rows=rows,
        facts=replace(facts, merged_ranges=tuple(merged)),
        inspected=_ALL_FACTS,
        other_sheets=tuple(info.name for i, info in enumerate(infos) if i != index),
    )
