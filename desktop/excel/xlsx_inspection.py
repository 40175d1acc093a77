"""Safety checks and facts of an .xlsx file, found by scanning its zip before the value reader opens it.

calamine reads values quickly but says nothing about formulas (a formula without a cached value
simply reads as empty), hidden rows, or how large a grid it is about to allocate (a 5 KB file with
cells at A1 and BXX20000 makes it allocate 40 million cells, 1.2 GB). So, before calamine:

- the zip's central directory is checked: entry count and declared uncompressed size (a zip bomb
  is refused before anything is inflated);
- every XML part is streamed once through ``zipfile``, which stops at the declared size and
  checks the CRC, so a lying header cannot inflate more than declared; a DTD (billion laughs,
  XXE) anywhere is refused, OOXML never needs one;
- the sheet XML is scanned with byte-level regular expressions (no XML parser) for ``<f>``,
  ``hidden="1"`` rows and columns, ``<mergeCell ref=…>`` and the bounding box of cells that hold
  a value. About 60–90 ms for a 14 MB sheet of 10,000 × 20 cells.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from desktop.excel.sheet_data import CellRange, SheetFacts, column_index

MAX_ZIP_ENTRIES = 10_000
# Spreadsheet XML compresses well: 14 MB of sheet XML made a 0.9 MB file here (16×). Twenty
# times the size cap leaves room for that and still refuses a bomb (thousands to one) at once.
UNCOMPRESSED_FACTOR = 20
_CHUNK = 4 * 1024 * 1024
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")

_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
# Only cells carry r="<letters><digits>" (rows carry digits only; sqref=, ref= do not match \s).
_ANY_CELL_COL = re.compile(rb'\sr="([A-Z]{1,3})[0-9]')
# A cell that holds something: a <v>, <is> or <f> follows its tag. openpyxl writes formatted
# empty cells as <c r="KN60000" s="1" t="n"></c>, Excel as <c r="B2" s="1"/>; calamine skips
# both. Attributes of <c> (r, s, t, cm, vm, ph) never contain "/". Three times slower than the
# pattern above, so used only when that one says the grid may be too large.
_VALUE_TAG = rb"\s*<" + _PREFIX + rb"(?:v|is|f)[\s>/]"
_VALUED_CELL_COL = re.compile(rb'\sr="([A-Z]{1,3})[0-9]+"[^>/]*>' + _VALUE_TAG)
_VALUED_CELL_ROW = re.compile(rb'\sr="[A-Z]{1,3}([0-9]+)"[^>/]*>' + _VALUE_TAG)
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


def _scan_for_dtd(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    tail = b""
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(_CHUNK):
                window = tail + chunk
                if any(marker in window for marker in _DTD_MARKERS):
                    raise XlsxFormatError("dtd", entry.filename)
                tail = chunk[-16:]
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
        raise XlsxFormatError("damaged", f"{entry.filename}: {error}") from error


def _read_small_xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    try:
        raw = archive.read(name)
    except KeyError:
        return None
    except (zipfile.BadZipFile, OSError, EOFError) as error:
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
        self._cell_columns = _VALUED_CELL_COL if precise else _ANY_CELL_COL
        self._first = True
        self.hidden_rows: set[int] = set()
        self.hidden_col_spans: list[tuple[int, int]] = []
        self.merged: list[CellRange] = []
        self.formula_cells: list[tuple[int, int]] = []
        self.formula_count = 0
        self.columns: set[bytes] = set()
        self.max_row = 0

    def feed(self, piece: bytes) -> None:
        # A DTD can only stand in the prolog, which the first piece (up to the first row) holds.
        if self._first and any(marker in piece for marker in _DTD_MARKERS):
            raise XlsxFormatError("dtd", "worksheet")
        self._first = False
        columns = self._cell_columns.findall(piece)
        if columns:
            last_row = _last_valued_row(piece)
            if last_row:
                self.columns.update(columns)
                self.max_row = max(self.max_row, last_row)
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
        max_col = max((column_index(letters.decode()) + 1 for letters in self.columns), default=0)
        hidden_columns = frozenset(
            col for low, high in self.hidden_col_spans for col in range(low, min(high, max_col - 1) + 1)
        )
        return SheetFacts(
            hidden_rows=frozenset(self.hidden_rows),
            hidden_columns=hidden_columns,
            merged_ranges=tuple(self.merged),
            formula_cells=tuple(self.formula_cells),
            formula_count=self.formula_count,
            max_row=self.max_row,
            max_col=max_col,
        )


def _last_valued_row(piece: bytes) -> int:
    """Row of the last cell with a value in ``piece`` (rows come in order in the sheet XML)."""
    end = max(piece.rfind(marker) for marker in (b"</v>", b"</is>", b"</f>", b":v>", b":is>", b":f>"))
    if end < 0:
        return 0  # formatting only
    start = max(piece.rfind(b"<c ", 0, end), piece.rfind(b":c ", 0, end))
    if start >= 0 and (ref := _CELL_REF.search(piece, start, end)):
        return int(ref[2])
    # Unusual markup (cells without r=, text holding ":c "): look at every valued cell instead.
    return max((int(row) for row in _VALUED_CELL_ROW.findall(piece)), default=0)


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
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
        raise XlsxFormatError("damaged", f"{part}: {error}") from error
    return scan.facts()
