"""Files of the institution register for clerks: the import template, exports (.xlsx, .csv), and error copies.

All use the headers of ``institution_columns``, so an export imports again unchanged. openpyxl is
imported inside the functions: it costs ~0.3 s and only these actions need it.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from desktop.domain.enums import LabelledEnum
from desktop.domain.identifiers import make_credit_code
from desktop.excel.error_copy import error_copy_path, write_error_copy
from desktop.excel.institution_columns import INSTITUTION_COLUMNS, ColumnSpec, Kind
from desktop.excel.institution_sheet_row import InstitutionSheetRow
from desktop.excel.xlsx_writing import HEADER_FILL_COLOR, atomic_target, check_target, escape_for_csv, text_cell

__all__ = [
    "EXPORT_SHEET",
    "GUIDE_SHEET",
    "error_copy_path",
    "template_header",
    "write_error_copy",
    "write_institutions_csv",
    "write_institutions_xlsx",
    "write_template",
]

EXPORT_SHEET = "托育机构名单"
GUIDE_SHEET = "填写说明"
TEMPLATE_ROWS = 5000  # rows that get the drop-down lists
_TEXT_KINDS = frozenset({Kind.CREDIT_CODE, Kind.PHONE, Kind.IDENTIFIER})
_DATE_FORMAT = "yyyy-mm-dd"
_NUMBER_FORMATS = {Kind.MONEY: "0.00", Kind.AREA: "0.00", Kind.DATE: _DATE_FORMAT}


def template_header(spec: ColumnSpec) -> str:
    """The header as written in the template and exports; "*" marks a required column."""
    return spec.header + ("*" if spec.required else "")


def _cell_value(spec: ColumnSpec, value: object, regions: tuple[Mapping, Mapping], *, for_csv: bool) -> object:
    """A record value as a clerk reads it in a cell (labels, 是/否, yuan, names of regions)."""
    if value is None:
        return None
    kind = spec.kind
    if isinstance(value, LabelledEnum):
        return value.label
    if kind is Kind.ENUM_SET:
        return "、".join(member.label for member in spec.enum if member in value)
    if kind is Kind.YES_NO:
        return "是" if value else "否"
    if kind is Kind.MONEY:
        yuan = Decimal(value) / 100
        return f"{yuan:.2f}" if for_csv else float(yuan)
    if kind is Kind.AREA:
        return f"{value:.2f}" if for_csv else float(value)
    if isinstance(value, date):
        return value.isoformat() if for_csv else value
    return str(value)


def _row_values(record: InstitutionSheetRow, regions: tuple[Mapping, Mapping], *, for_csv: bool) -> list[object]:
    counties, townships = regions
    row = []
    for spec in INSTITUTION_COLUMNS:
        value = getattr(record, spec.field)
        if spec.kind is Kind.COUNTY:
            value = counties.get(value, value)
        elif spec.kind is Kind.TOWNSHIP and value is not None:
            value = townships.get(record.county_code, {}).get(value, value)
        cell = _cell_value(spec, value, regions, for_csv=for_csv)
        row.append(None if cell == "" else cell)  # an empty set or "" address is a blank cell
    return row


def _header_cells(sheet) -> list:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    fill = PatternFill("solid", fgColor=HEADER_FILL_COLOR)
    cells = []
    for spec in INSTITUTION_COLUMNS:
        cell = WriteOnlyCell(sheet, template_header(spec))
        cell.font = Font(bold=True, color="C00000" if spec.required else "000000")
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cells.append(cell)
    return cells


def write_institutions_xlsx(
    path: Path,
    records: Iterable[InstitutionSheetRow],
    *,
    counties: Mapping[str, str] | None = None,
    townships: Mapping[str, Mapping[str, str]] | None = None,
) -> int:
    """Export records (county and township names from the mappings, else codes). Returns rows written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    check_target(path)
    regions = (counties or {}, townships or {})
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(EXPORT_SHEET)
    for index, spec in enumerate(INSTITUTION_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = spec.width
    sheet.freeze_panes = "A2"
    sheet.append(_header_cells(sheet))
    formats = [("@" if spec.kind in _TEXT_KINDS else _NUMBER_FORMATS.get(spec.kind)) for spec in INSTITUTION_COLUMNS]
    count = 0
    try:
        for record in records:
            row = []
            for value, number_format in zip(_row_values(record, regions, for_csv=False), formats, strict=True):
                if isinstance(value, str):
                    cell = text_cell(sheet, value)
                elif number_format is not None and value is not None:
                    cell = WriteOnlyCell(sheet, value)
                else:
                    row.append(value)
                    continue
                if number_format is not None:
                    cell.number_format = number_format
                row.append(cell)
            sheet.append(row)
            count += 1
    except BaseException:
        with contextlib.suppress(Exception):
            sheet.close()  # finish openpyxl's streaming generators now, not noisily at garbage collection
        raise
    with atomic_target(path) as temporary:
        workbook.save(temporary)
    return count


def write_institutions_csv(
    path: Path,
    records: Iterable[InstitutionSheetRow],
    *,
    counties: Mapping[str, str] | None = None,
    townships: Mapping[str, Mapping[str, str]] | None = None,
) -> int:
    """Export as CSV in UTF-8 with a BOM (without it Excel and WPS show GBK mojibake). Returns rows."""
    regions = (counties or {}, townships or {})
    count = 0
    with atomic_target(path) as temporary, temporary.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow([template_header(spec) for spec in INSTITUTION_COLUMNS])
        for record in records:
            values = _row_values(record, regions, for_csv=True)
            writer.writerow(["" if v is None else escape_for_csv(str(v)) for v in values])
            count += 1
    return count


# ---------------------------------------------------------------------------------- template

_SAMPLE = {
    "name": "【示例】张掖市甘州区阳光托育中心（导入前请删除本行）",
    "credit_code": make_credit_code("5", "2", "620702", "MA71XY12"),
    "sponsor_type": "社会力量举办",
    "ownership": "民办",
    "registration_type": "社会服务机构",
    "service_modes": "全日托、计时托",
    "county_code": "甘州区",
    "township_code": "梁家墩镇",
    "address": "甘州区梁家墩镇某某路 1 号",
    "legal_representative": "张三",
    "principal_name": "李四",
    "contact_person": "王五",
    "contact_phone": "0936-8212345",
    "slots": 60,
    "building_area_m2": 480.5,
    "premises_leased": "是",
    "lease_expires_on": date(2028, 12, 31),
    "fee_full_day_monthly_fen": 1200,
    "serves_meals": "是",
    "filing_status": "已备案",
    "filing_number": "甘张甘卫托备〔2024〕1号",
    "filed_on": date(2024, 6, 17),
    "puhui": "是",
    "operating_status": "正常运营",
    "demonstration": "否",
    "medical_partnership": "否",
}


def _guide_text(spec: ColumnSpec) -> str:
    kind = spec.kind
    text = {
        Kind.DATE: "日期，例如 2024-06-17 或 2024年6月17日。",
        Kind.YES_NO: "填写“是”或“否”（可从下拉列表选择）。",
        Kind.MONEY: "金额（元），最多两位小数，例如 1200 或 1200.50。",
        Kind.AREA: "面积（平方米），最多两位小数。",
        Kind.WHOLE_NUMBER: "整数。",
        Kind.ENUM: "从下拉列表中选择。",
    }.get(kind, "")
    return text + spec.note


def write_template(path: Path, *, county_names: Sequence[str] = ()) -> None:
    """The import template: styled header, one sample row, text-formatted code columns, drop-downs, a guide."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    check_target(path)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(EXPORT_SHEET)
    validations = []
    for index, spec in enumerate(INSTITUTION_COLUMNS, start=1):
        letter = get_column_letter(index)
        dimension = sheet.column_dimensions[letter]
        dimension.width = spec.width
        if spec.kind in _TEXT_KINDS:
            dimension.number_format = "@"  # so a typed code stays text and keeps every digit
        elif spec.kind in _NUMBER_FORMATS:
            dimension.number_format = _NUMBER_FORMATS[spec.kind]
        options = None
        if spec.kind is Kind.ENUM:
            options = [member.label for member in spec.enum]
        elif spec.kind is Kind.YES_NO:
            options = ["是", "否"]
        elif spec.kind is Kind.COUNTY and county_names:
            options = list(county_names)
        if options:
            validation = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True)
            validation.error = "请从下拉列表中选择：" + "、".join(options)
            validation.errorTitle = spec.header
            validation.showErrorMessage = True
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            validations.append(validation)
    for validation in validations:
        sheet.data_validations.append(validation)
    sheet.freeze_panes = "A2"
    sheet.append(_header_cells(sheet))
    sample = []
    for spec in INSTITUTION_COLUMNS:
        value = _SAMPLE.get(spec.field)
        if spec.kind is Kind.COUNTY and county_names:
            value = county_names[0]
        if isinstance(value, str):
            cell = text_cell(sheet, value)
            if spec.kind in _TEXT_KINDS:
                cell.number_format = "@"
            value = cell
        sample.append(value)
    sheet.append(sample)

    guide = workbook.create_sheet(GUIDE_SHEET)
    for letter, width in zip("ABCD", (24, 10, 70, 40), strict=True):
        guide.column_dimensions[letter].width = width
    guide.append(["填写说明"])
    for line in (
        "1. 第一行是表头，请不要修改、删除或合并表头；列的顺序可以调整，不需要的选填列可以删除。",
        "2. 每个机构占一行；带 * 的列必须填写。第 2 行是示例，导入前请删除。",
        "3. 统一社会信用代码、电话、备案号等列已设为文本格式；请勿改成数字格式，否则长号码末尾几位会丢失。",
        "4. 不要使用公式、合并单元格或隐藏行；导入时会逐行检查，并指出有问题的行和列。",
        "5. 按统一社会信用代码匹配已有机构：代码相同的更新，代码不同的新增。",
    ):
        guide.append([line])
    guide.append([])
    bold = Font(bold=True)
    heading = []
    for text in ("列名", "是否必填", "填写要求", "可填写的值"):
        cell = text_cell(guide, text)
        cell.font = bold
        heading.append(cell)
    guide.append(heading)
    for spec in INSTITUTION_COLUMNS:
        allowed = "、".join(member.label for member in spec.enum) if spec.enum else ""
        row = [template_header(spec), "必填" if spec.required else "选填", _guide_text(spec), allowed]
        cells = [text_cell(guide, value) for value in row]
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        guide.append(cells)
    with atomic_target(path) as temporary:
        workbook.save(temporary)
