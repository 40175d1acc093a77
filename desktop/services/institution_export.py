"""Exporting the institution register: the filtered, sorted list as .xlsx or as .csv with a BOM, in
the template's columns, so an export imports back unchanged; and the import template itself."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import select

from desktop.errors import TuoyuError
from desktop.excel.institution_sheet_row import RECORD_FIELDS, InstitutionSheetRow
from desktop.excel.institution_workbooks import write_institutions_csv, write_institutions_xlsx, write_template
from desktop.models import Institution
from desktop.services.batching import chunks
from desktop.services.institution_queries import InstitutionFilter, key_to_id, search_institution_ids
from desktop.services.regions import region_name_maps
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session

PAGE = 500  # ids per query, well under SQLite's bound-parameter limit


def export_institutions(
    ctx: AppContext,
    path: Path,
    criteria: InstitutionFilter | None = None,
    *,
    sort_key: str = "name",
    descending: bool = False,
) -> int:
    """Write the (filtered) register to .xlsx, or .csv with a BOM; it imports back unchanged."""
    keys = search_institution_ids(ctx, criteria or InstitutionFilter(), sort_key=sort_key, descending=descending)
    ids = [key_to_id(k) for k in keys]
    counties, townships = region_name_maps(ctx)
    records = _records(ctx, ids)
    if path.suffix.lower() == ".csv":
        return write_institutions_csv(path, records, counties=counties, townships=townships)
    if path.suffix.lower() != ".xlsx":
        raise TuoyuError(f"无法导出为“{path.suffix or '无扩展名'}”格式，请使用 .xlsx 或 .csv 文件名。")
    return write_institutions_xlsx(path, records, counties=counties, townships=townships)


def _records(ctx: AppContext, ids: list[uuid.UUID]) -> list[InstitutionSheetRow]:
    columns = [Institution.id, *(getattr(Institution, f) for f in RECORD_FIELDS)]
    by_id: dict[uuid.UUID, InstitutionSheetRow] = {}
    with read_session(ctx.db) as session:
        for chunk in chunks(ids, PAGE):
            for row in session.execute(select(*columns).where(Institution.id.in_(chunk))):
                values = row._asdict()
                institution_id = values.pop("id")
                by_id[institution_id] = InstitutionSheetRow(row=0, **values)
    return [by_id[i] for i in ids if i in by_id]


def write_import_template(path: Path) -> None:
    """The empty workbook clerks fill in: headers, a sample row, drop-down lists and instructions."""
    write_template(path)
