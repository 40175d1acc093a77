"""Safety checks and facts of an .xlsx file, found by scanning its zip before the value reader opens it.

calamine reads values quickly but says nothing about formulas (a formula without a cached value
simply reads as empty), hidden rows, or how large a grid it is about to allocate (a 5 KB file with
cells at A1 and BXX20000 makes it allocate 40 million cells, 1.2 GB). So, before calamine:

- the zip's central directory is checked: entry count and declared uncompressed size (a zip bomb
  is refused before anything is inflated);
- every XML part is streamed once through ``zipfile``, which stops at the declared size and
  checks the CRC, so a lying header cannot inflate more than declared; a DTD (billion laughs,
  XXE) anywhere is refused, OOXML never needs one;
- the shared-strings count is checked against the part's size (calamine reserves memory for it);
- the sheet XML is scanned with byte-level regular expressions (no XML parser) for ``<f>``,
  ``hidden="1"`` rows and columns, ``<mergeCell ref=…>`` and the bounding box of the cells.
  About 150 ms for a 14 MB sheet of 10,000 × 20 cells (calamine itself: 170 ms).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree import ElementTree

from desktop.excel.sheet_data import CellRange, SheetFacts, column_index

MAX_ZIP_ENTRIES = 10_000
# Spreadsheet XML compresses well: 14 MB of sheet XML made a 0.9 MB file here (16×). Twenty
# times the size cap leaves room for that and still refuses a bomb (thousands to one) at once.
UNCOMPRESSED_FACTOR = 20
_CHUNK = 4 * 1024 * 1024
# What zipfile raises on damaged archives besides BadZipFile: inflate errors, undecodable names,
# entries flagged as encrypted (RuntimeError), unsupported compression (NotImplementedError).
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError, UnicodeDecodeError)
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")

_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
# Only cells carry r="<letters><digits>" (rows carry digits only; sqref=, ref= do not match \s).
# Rows are not trusted to come in order: calamine sizes its grid from the largest row and column
# of any cell, so a single <c r="A4000000000"> made it abort asking for 372 GB.
_ANY_CELL_COL = re.compile(rb'\sr="([A-Z]{1,3})[0-9]')
_ANY_CELL_ROW = re.compile(rb'\sr="[A-Z]{1,3}([0-9]+)"')
# A cell that holds something: a <v>, <is> or <f> follows its tag. openpyxl writes formatted
# empty cells as <c r="KN60000" s="1" t="n"></c>, Excel as <c r="B2" s="1"/>; calamine skips
# both. Attributes of <c> (r, s, t, cm, vm, ph) never contain "/". Three times slower than the
# patterns above, so used only when those say the grid may be too large.
_VALUE_TAG = rb"\s*<" + _PREFIX + rb"(?:v|is|f)[\s>/]"
_VALUED_CELL_COL = re.compile(rb'\sr="([A-Z]{1,3})[0-9]+"[^>/]*>' + _VALUE_TAG)
_VALUED_CELL_ROW = re.compile(rb'\sr="[A-Z]{1,3}([0-9]+)"[^>/]*>' + _VALUE_TAG)
_VALUE_MARKERS = (b"</v>", b"</is>", b"</f>", b":v>", b":is>", b":f>")
_EXCEL_MAX_ROWS, _EXCEL_MAX_COLS = 1_048_576, 16_384
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
_FORMULA_TAG = re.compile(rb"<" + _PREFIX + rb"f[\s>/]")
_FORMULA_CELL = re.compile(rb"<" + _PREFIX + rb"c\s([^>]*)>\s*<" + _PREFIX + rb"f[\s>/]")
_ROW_TAG = re.compile(rb"<" + _PREFIX + rb"row\s([^>]*)>")
_COL_TAG = re.compile(rb"<" + _PREFIX + rb"col\s([^>]*)>")
_MERGE = re.compile(rb"<" + _PREFIX + rb'mergeCell\s[^>]*?ref="([A-Z]{1,3})([0-9]+)(?::([A-Z]{1,3})([0-9]+))?"')
_HIDDEN_ATTR = re.compile(rb'\bhidden="(?:1|true)"')
_R_ATTR = re.compile(rb'\br="([0-9]+)"')
_MIN_MAX_ATTRS = (re.compile(rb'\bmin="([0-9]+)"'), re.compile(rb'\bmax="([0-9]+)"'))


class XlsxFormatError(ValueError):
    """``reason``: 'bomb', 'dtd', 'too_many_entries', 'macro', 'not_spreadsheet' or 'damaged'."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class XlsxSheetInfo:
    name: str
    visible: bool
    is_worksheet: bool
    part: str | None


def check_zip(archive: zipfile.ZipFile, *, max_bytes: int) -> None:
    """Refuse bombs, DTDs, macros and damaged entries. Raises ``XlsxFormatError``."""
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise XlsxFormatError("too_many_entries", str(len(entries)))
    declared = sum(entry.file_size for entry in entries)
    if declared > max_bytes * UNCOMPRESSED_FACTOR:
        raise XlsxFormatError("bomb", str(declared))
    names = {entry.filename for entry in entries}
    if not any(name.endswith("workbook.xml") for name in names) or "[Content_Types].xml" not in names:
        raise XlsxFormatError("not_spreadsheet")
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise XlsxFormatError("macro")
    for entry in entries:
        if entry.filename.endswith((".xml", ".rels")) and "/worksheets/" not in entry.filename:
            _scan_for_dtd(archive, entry)  # worksheets are checked while they are scanned
        if entry.filename.lower().endswith("sharedstrings.xml"):
            _check_string_count(archive, entry)


_UNIQUE_COUNT = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?sst\b[^>]*?\buniqueCount="([0-9]+)"')


def _check_string_count(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    """calamine reserves memory for the declared number of shared strings before reading them:
    uniqueCount="4000000000" made it abort asking for 96 GB. Each <si/> takes at least 5 bytes."""
    try:
        with archive.open(entry) as stream:
            head = stream.read(4096)
    except ZIP_ERRORS as error:
        raise XlsxFormatError("damaged", f"{entry.filename}: {error}") from error
    if (match := _UNIQUE_COUNT.search(head)) and int(match[1]) > entry.file_size // 5 + 1:
        raise XlsxFormatError("damaged", f"{entry.filename}: uniqueCount {match[1]}")


def _scan_for_dtd(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    tail = b""
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(_CHUNK):
                window = tail + chunk
                if any(marker in window for marker in _DTD_MARKERS):
                    raise XlsxFormatError("dtd", entry.filename)
                tail = chunk[-16:]
    except ZIP_ERRORS as error:
        raise XlsxFormatError("damaged", f"{entry.filename}: {error}") from error


def _read_small_xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    try:
        raw = archive.read(name)
    except KeyError:
        return None
    except ZIP_ERRORS as error:
        raise XlsxFormatError("damaged", name) from error
    try:
        return ElementTree.fromstring(raw)
    except ElementTree.ParseError as error:
        raise XlsxFormatError("damaged", name) from error


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _relationships(archive: zipfile.ZipFile, rels_path: str, base: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, part path) of one .rels file; targets resolved against ``base``."""
    root = _read_small_xml(archive, rels_path)
    found: dict[str, tuple[str, str]] = {}
    if root is None:
        return found
    for element in root.iter():
        if _local(element.tag) == "Relationship" and element.get("TargetMode") != "External":
            target = element.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            found[element.get("Id", "")] = (element.get("Type", ""), path)
    return found


def list_xlsx_sheets(archive: zipfile.ZipFile) -> list[XlsxSheetInfo]:
    """The workbook's sheets in order, with visibility and the part that holds each."""
    workbook_part = "xl/workbook.xml"
    for kind, path in _relationships(archive, "_rels/.rels", "").values():
        if kind.endswith("/officeDocument"):
            workbook_part = path
    root = _read_small_xml(archive, workbook_part)
    if root is None:
        raise XlsxFormatError("not_spreadsheet")
    folder = posixpath.dirname(workbook_part)
    rels_path = posixpath.join(folder, "_rels", posixpath.basename(workbook_part) + ".rels")
    relationships = _relationships(archive, rels_path, folder)
    sheets = []
    for element in root.iter():
        if _local(element.tag) != "sheet":
            continue
        rel_id = next((value for key, value in element.attrib.items() if _local(key) == "id"), "")
        kind, part = relationships.get(rel_id, ("", None))
        sheets.append(
            XlsxSheetInfo(
                name=element.get("name", ""),
                visible=element.get("state", "visible") == "visible",
                is_worksheet=kind.endswith("/worksheet"),
                part=part if part in archive.NameToInfo else None,
            )
        )
    return sheets


class _SheetScan:
    """Accumulates facts over the pieces of one sheet's XML."""

    def __init__(self, *, precise: bool) -> None:
        self._patterns = (_VALUED_CELL_COL, _VALUED_CELL_ROW) if precise else (_ANY_CELL_COL, _ANY_CELL_ROW)
        self._first = True
        self.hidden_rows: set[int] = set()
        self.hidden_col_spans: list[tuple[int, int]] = []
        self.merged: list[CellRange] = []
        self.formula_cells: list[tuple[int, int]] = []
        self.formula_count = 0
        self.columns: set[bytes] = set()
        self.rows: set[bytes] = set()
        self.has_values = False

    def feed(self, piece: bytes) -> None:
        # A DTD can only stand in the prolog, which the first piece (up to the first row) holds.
        if self._first and any(marker in piece for marker in _DTD_MARKERS):
            raise XlsxFormatError("dtd", "worksheet")
        self._first = False
        if not self.has_values:
            # Cells may also lack r= (it is optional): those are positional, so their grid is no
            # larger than the XML itself, and only "not empty" needs knowing.
            self.has_values = any(marker in piece for marker in _VALUE_MARKERS)
        column_pattern, row_pattern = self._patterns
        self.columns.update(column_pattern.findall(piece))
        self.rows.update(row_pattern.findall(piece))
        if b"hidden=" in piece:
            self._hidden(piece)
        if (b"<f" in piece or b":f" in piece) and _FORMULA_TAG.search(piece):
            self._formulas(piece)
        if b"mergeCell" in piece:
            for first_col, first_row, last_col, last_row in _MERGE.findall(piece):
                self.merged.append(
                    CellRange(
                        int(first_row),
                        column_index(first_col.decode()),
                        int(last_row or first_row),
                        column_index((last_col or first_col).decode()),
                    )
                )

    def _hidden(self, piece: bytes) -> None:
        for attrs in _ROW_TAG.findall(piece):
            if _HIDDEN_ATTR.search(attrs) and (number := _R_ATTR.search(attrs)):
                self.hidden_rows.add(int(number[1]))
        for attrs in _COL_TAG.findall(piece):
            if _HIDDEN_ATTR.search(attrs):
                low, high = (pattern.search(attrs) for pattern in _MIN_MAX_ATTRS)
                if low and high:
                    self.hidden_col_spans.append((int(low[1]) - 1, int(high[1]) - 1))

    def _formulas(self, piece: bytes) -> None:
        self.formula_count += len(_FORMULA_TAG.findall(piece))
        for attrs in _FORMULA_CELL.findall(piece):
            if ref := _CELL_REF.search(attrs):
                self.formula_cells.append((int(ref[2]), column_index(ref[1].decode())))

    def facts(self) -> SheetFacts:
        if self.has_values:
            max_col = max((column_index(letters.decode()) + 1 for letters in self.columns), default=1)
            max_row = max((int(row) for row in self.rows), default=1)
        else:
            max_col = max_row = 0
        if max_row > _EXCEL_MAX_ROWS or max_col > _EXCEL_MAX_COLS:
            raise XlsxFormatError("damaged", f"cell beyond the sheet: row {max_row}, column {max_col}")
        hidden_columns = frozenset(
            col for low, high in self.hidden_col_spans for col in range(low, min(high, max_col - 1) + 1)
        )
        return SheetFacts(
            hidden_rows=frozenset(self.hidden_rows),
            hidden_columns=hidden_columns,
            merged_ranges=tuple(self.merged),
            formula_cells=tuple(self.formula_cells),
            formula_count=self.formula_count,
            max_row=max_row,
            max_col=max_col,
        )


def inspect_xlsx_sheet(archive: zipfile.ZipFile, part: str, *, max_cells: int) -> SheetFacts:
    """Facts of one worksheet part. Raises ``XlsxFormatError``.

    The first pass bounds the grid by every cell, formatted-only ones included; only when that
    bound exceeds ``max_cells`` does a slower second pass count just the cells with a value, so
    a sheet formatted down to row 100,000 is not refused for its formatting.
    """
    facts = _scan_sheet(archive, part, precise=False)
    if facts.max_row * facts.max_col > max_cells:
        facts = _scan_sheet(archive, part, precise=True)
    return facts


def _scan_sheet(archive: zipfile.ZipFile, part: str, *, precise: bool) -> SheetFacts:
    """Scan the part in pieces that each end after a complete row."""
    scan = _SheetScan(precise=precise)
    pending = b""
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                pending += chunk
                cut = pending.rfind(b"row>")
                if cut < 0:
                    continue  # no complete row yet: keep reading (bounded by the declared size)
                scan.feed(pending[: cut + 4])
                pending = pending[cut + 4 :]
        scan.feed(pending)
    except ZIP_ERRORS as error:
        raise XlsxFormatError("damaged", f"{part}: {error}") from error
    return scan.facts()
