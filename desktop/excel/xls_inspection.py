"""What an Excel 97–2003 (.xls, BIFF8) file says about a sheet that the value reader does not tell.

calamine reads the values but not hidden rows, formulas or a password, so this walks the BIFF
records of the ``Workbook`` stream once ([MS-XLS] 2.4): FILEPASS (encrypted), BOUNDSHEET (sheets and
where they start), ROW (hidden rows), COLINFO (hidden columns), FORMULA, DIMENSIONS (the grid
calamine will allocate, as declared) and the cell records for the bounding box of the values; both
sizes are checked before calamine allocates its dense grid.
About 70 ms for 10,000 × 20 cells.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from desktop.excel.sheet_data import SheetFacts

_BOF, _EOF, _FILEPASS, _BOUNDSHEET, _CODEPAGE = 0x0809, 0x000A, 0x002F, 0x0085, 0x0042
_ROW, _COLINFO, _FORMULA, _MULRK, _DIMENSIONS = 0x0208, 0x007D, 0x0006, 0x00BD, 0x0200
# LABELSST, NUMBER, RK, BOOLERR, LABEL, RSTRING, FORMULA: row and column are the first two words.
_CELL_RECORDS = frozenset({0x00FD, 0x0203, 0x027E, 0x0205, 0x0204, 0x00D6, _FORMULA})
_OLD_BOFS = frozenset({0x0009, 0x0209, 0x0409})  # BIFF2–4: Excel 2.x–4.0
_ROW_HIDDEN = 0x0020  # fDyZero
_BIFF8 = 0x0600
_MAX_ROWS, _MAX_COLS = 65536, 256  # the limits of the format


class XlsFormatError(ValueError):
    """The stream is not BIFF5/BIFF8, or is damaged; ``reason`` is 'old', 'encrypted' or 'damaged'."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class XlsSheetInfo:
    name: str
    visible: bool
    is_worksheet: bool
    offset: int


def list_xls_sheets(stream: bytes) -> list[XlsSheetInfo]:
    """The sheets of a workbook stream, in order. Raises ``XlsFormatError``."""
    if len(stream) < 8:
        raise XlsFormatError("damaged")
    rtype, _length = struct.unpack_from("<HH", stream, 0)
    if rtype in _OLD_BOFS:
        raise XlsFormatError("old")
    if rtype != _BOF:
        raise XlsFormatError("damaged")
    (version,) = struct.unpack_from("<H", stream, 4)
    codec = "utf-16-le"
    sheets: list[XlsSheetInfo] = []
    pos, end = 0, len(stream)
    while pos + 4 <= end:
        rtype, length = struct.unpack_from("<HH", stream, pos)
        body = pos + 4
        if body + length > end:
            raise XlsFormatError("damaged")
        if rtype == _FILEPASS:
            raise XlsFormatError("encrypted")
        if rtype == _CODEPAGE and length >= 2:
            (codepage,) = struct.unpack_from("<H", stream, body)
            codec = f"cp{codepage}" if codepage not in (1200, 0x8000, 0x8001) else "cp1252"
        elif rtype == _BOUNDSHEET and length >= 8:
            sheets.append(_boundsheet(stream, body, length, version, codec))
        elif rtype == _EOF:
            return sheets
        pos = body + length
    raise XlsFormatError("damaged")


def _boundsheet(stream: bytes, body: int, length: int, version: int, codec: str) -> XlsSheetInfo:
    offset, state, kind, count = struct.unpack_from("<IBBB", stream, body)
    if version >= _BIFF8:
        high_byte = stream[body + 7] & 1
        raw = stream[body + 8 : body + 8 + count * (2 if high_byte else 1)]
        name = raw.decode("utf-16-le" if high_byte else "latin-1", errors="replace")
    else:  # BIFF5 names are in the workbook's code page (cp936 for Chinese Excel 95 and old WPS)
        raw = stream[body + 7 : body + 7 + count]
        try:
            name = raw.decode(codec, errors="replace")
        except LookupError:
            name = raw.decode("latin-1")
    return XlsSheetInfo(name=name, visible=(state & 3) == 0, is_worksheet=kind == 0, offset=offset)


def _dimensions(stream: bytes, body: int, length: int) -> tuple[int, int]:
    """(rows, columns) a DIMENSIONS record declares; "damaged" when it is impossible for the format."""
    if length >= 14:  # BIFF8: rwMic, rwMac (u32), colMic, colMac (u16); "Mac" is the last + 1
        first_row, end_row, first_col, end_col = struct.unpack_from("<IIHH", stream, body)
    elif length >= 8:  # BIFF5: all u16
        first_row, end_row, first_col, end_col = struct.unpack_from("<HHHH", stream, body)
    else:
        return 0, 0
    if not (first_row <= end_row <= _MAX_ROWS and first_col <= end_col <= _MAX_COLS):
        raise XlsFormatError("damaged")
    return end_row, end_col


def inspect_xls_sheet(stream: bytes, offset: int) -> SheetFacts:
    """Hidden rows and columns, formula cells and the value bounding box of the sheet at ``offset``."""
    unpack = struct.unpack_from
    end = len(stream)
    if offset + 4 > end or unpack("<H", stream, offset)[0] != _BOF:
        raise XlsFormatError("damaged")
    hidden_rows: list[int] = []
    hidden_column_spans: list[tuple[int, int]] = []
    formulas: list[tuple[int, int]] = []
    max_row = max_col = -1
    declared_rows = declared_cols = 0
    depth = 0
    pos = offset
    while pos + 4 <= end:
        rtype, length = unpack("<HH", stream, pos)
        body = pos + 4
        pos = body + length
        if rtype == _BOF:
            depth += 1  # an embedded chart opens a nested substream
            continue
        if rtype == _EOF:
            depth -= 1
            if depth == 0:
                break
            continue
        if depth != 1 or pos > end:
            continue
        if rtype in _CELL_RECORDS:
            row, col = unpack("<HH", stream, body)
            if row > max_row:
                max_row = row
            if col > max_col:
                max_col = col
            if rtype == _FORMULA:
                formulas.append((row + 1, col))
        elif rtype == _MULRK and length >= 6:
            row, last_col = unpack("<H", stream, body)[0], unpack("<H", stream, pos - 2)[0]
            max_row, max_col = max(max_row, row), max(max_col, last_col)
        elif rtype == _ROW and length >= 14:
            row, flags = unpack("<H", stream, body)[0], unpack("<H", stream, body + 12)[0]
            if flags & _ROW_HIDDEN:
                hidden_rows.append(row + 1)
        elif rtype == _DIMENSIONS:
            declared_rows, declared_cols = _dimensions(stream, body, length)
        elif rtype == _COLINFO and length >= 10:
            first, last, _width, _xf, flags = unpack("<HHHHH", stream, body)
            if flags & 1:
                hidden_column_spans.append((first, last))
    else:
        raise XlsFormatError("damaged")
    columns = max_col + 1
    hidden_columns = frozenset(
        col for first, last in hidden_column_spans for col in range(first, min(last, columns - 1) + 1)
    )
    return SheetFacts(
        hidden_rows=frozenset(hidden_rows),
        hidden_columns=hidden_columns,
        formula_cells=tuple(formulas),
        formula_count=len(formulas),
        max_row=max_row + 1,
        max_col=columns,
        declared_rows=declared_rows,
        declared_cols=declared_cols,
    )
