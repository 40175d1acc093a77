"""Finding a sheet's header by its text, for any set of columns: which cell names which field.

The institution register has its own index in ``institution_columns``; other imports (a roster of
children) describe their columns with the same ``ColumnSpec`` and match them here, with the same
normalisation (``normalize_header``), the same trailing-unit leniency and the same ``HeaderMap``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from desktop.excel.institution_columns import (
    HEADER_SEARCH_ROWS,
    IGNORED_HEADERS,
    ColumnSpec,
    HeaderMap,
    normalize_header,
)
from desktop.excel.sheet_data import CellValue, SheetRow

_TRAILING_UNIT = re.compile(r"\([^()]*\)$")  # as institution_columns: a header's "(unit)" may be left off


class ColumnIndex:
    """The headers (and their aliases) of one sheet layout, matched after ``normalize_header``."""

    def __init__(self, columns: Sequence[ColumnSpec], *, ignored: frozenset[str] = IGNORED_HEADERS) -> None:
        self.columns = tuple(columns)
        self.by_field = {spec.field: spec for spec in self.columns}
        self.ignored = ignored
        self._exact: dict[str, ColumnSpec] = {}
        self._loose: dict[str, ColumnSpec] = {}  # without a trailing "(unit)": "入托日期(年月日)" -> "入托日期"
        for spec in self.columns:
            for text in (spec.header, *spec.aliases):
                key = normalize_header(text)
                if self._exact.setdefault(key, spec) is not spec:
                    raise ValueError(f"header {text!r} is claimed by two columns")
                if self._loose.setdefault(_TRAILING_UNIT.sub("", key), spec) is not spec:
                    raise ValueError(f"header {text!r} without its unit is claimed by two columns")

    def spec_for_header(self, text: CellValue) -> ColumnSpec | None:
        """The column a header names, or None."""
        key = normalize_header(text)
        if not key:
            return None
        return self._exact.get(key) or self._loose.get(_TRAILING_UNIT.sub("", key))

    def map_header(self, cells: Sequence[CellValue]) -> HeaderMap:
        """Map one header row's cells to fields."""
        found: dict[str, list[int]] = {}
        headers: dict[str, str] = {}
        unknown, ignored = [], []
        for index, cell in enumerate(cells):
            if cell is None or not str(cell).strip():
                continue
            spec = self.spec_for_header(cell)
            if spec is None:
                (ignored if normalize_header(cell) in self.ignored else unknown).append((index, str(cell).strip()))
                continue
            found.setdefault(spec.field, []).append(index)
            headers.setdefault(spec.field, str(cell).strip())
        return HeaderMap(
            columns={field: indexes[0] for field, indexes in found.items()},
            headers=headers,
            unknown=tuple(unknown),
            ignored=tuple(ignored),
            missing_required=tuple(spec for spec in self.columns if spec.required and spec.field not in found),
            duplicates=tuple((field, tuple(indexes)) for field, indexes in found.items() if len(indexes) > 1),
        )

    def find_header_row(self, rows: Sequence[SheetRow], *, search: int = HEADER_SEARCH_ROWS) -> int | None:
        """Position in ``rows`` of the header: among the first rows, the one naming most fields (at least 2)."""
        best, best_count = None, 1
        for position, row in enumerate(rows[:search]):
            count = len({spec.field for cell in row.values if (spec := self.spec_for_header(cell)) is not None})
            if count > best_count:
                best, best_count = position, count
        return best
