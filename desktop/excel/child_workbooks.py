"""The import template of a roster of enrolled children (在托幼儿名单), in the columns of ``child_columns``.

The ID number and phone columns are text-formatted so a typed 18-digit number keeps every digit;
the sample row's ID number is valid but made up, and marked for deletion. openpyxl is imported inside
the function: it costs ~0.3 s and only this action needs it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from desktop.domain.identifiers import make_id_number
from desktop.excel.child_columns import CHILD_COLUMNS
from desktop.excel.institution_columns import Kind
from desktop.excel.institution_workbooks import TEMPLATE_ROWS, template_header
from desktop.excel.xlsx_writing import HEADER_FILL_COLOR, atomic_target, check_target, text_cell

__all__ = ["CHILD_SHEET", "write_child_template"]

CHILD_SHEET = "在托幼儿名单"
GUIDE_SHEET = "填写说明"
_TEXT_KINDS = frozenset({Kind.IDENTIFIER, Kind.PHONE})
_DATE_FORMAT = "yyyy-mm-dd"

_SAMPLE: dict[str, object] = {
    "name": "【示例】王小雨（导入前请删除本行）",
    "id_number": make_id_number("620702", date(2025, 3, 14), 124),
    "sex": "女",
    "guardian_name": "王芳",
    "guardian_phone": "13912345678",
    "enrolled_on": date(2026, 3, 1),
}


def write_child_template(path: Path) -> None:
    """The empty roster clerks fill in: styled header, one sample row, text-formatted ID column, a guide."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    check_target(path)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(CHILD_SHEET)
    for index, spec in enumerate(CHILD_COLUMNS, start=1):
        letter = get_column_letter(index)
        dimension = sheet.column_dimensions[letter]
        dimension.width = spec.width
        if spec.kind in _TEXT_KINDS:
            dimension.number_format = "@"  # so a typed ID number stays text and keeps every digit
        elif spec.kind is Kind.DATE:
            dimension.number_format = _DATE_FORMAT
        if spec.kind is Kind.ENUM and spec.enum is not None:
            options = [member.label for member in spec.enum]
            validation = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True)
            validation.error = "请从下拉列表中选择：" + "、".join(options)
            validation.errorTitle = spec.header
            validation.showErrorMessage = True
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            sheet.data_validations.append(validation)
    sheet.freeze_panes = "A2"
    fill = PatternFill("solid", fgColor=HEADER_FILL_COLOR)
    header = []
    for spec in CHILD_COLUMNS:
        cell = WriteOnlyCell(sheet, template_header(spec))
        cell.font = Font(bold=True, color="C00000" if spec.required else "000000")
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(cell)
    sheet.append(header)
    sample = []
    for spec in CHILD_COLUMNS:
        value = _SAMPLE.get(spec.field)
        if isinstance(value, str):
            cell = text_cell(sheet, value)
            if spec.kind in _TEXT_KINDS:
                cell.number_format = "@"
            value = cell
        elif isinstance(value, date):
            cell = WriteOnlyCell(sheet, value)
            cell.number_format = _DATE_FORMAT
            value = cell
        sample.append(value)
    sheet.append(sample)

    guide = workbook.create_sheet(GUIDE_SHEET)
    for letter, width in zip("ABC", (16, 10, 80), strict=True):
        guide.column_dimensions[letter].width = width
    guide.append(["填写说明"])
    for line in (
        "1. 第一行是表头，请不要修改、删除或合并表头；列的顺序可以调整，不需要的选填列可以删除。",
        "2. 每名幼儿占一行；带 * 的列必须填写。第 2 行是示例，导入前请删除。",
        "3. 身份证号、电话两列已设为文本格式；请勿改成数字格式，否则 18 位号码末尾几位会丢失。",
        "4. 出生日期和性别按身份证号码确定，不必另填；同一幼儿只能占一行。",
        "5. 不要使用公式、合并单元格或隐藏行；导入时会逐行检查，并指出有问题的行和列，有错误时不导入任何数据。",
        "6. 按身份证号码匹配本机构名单中已有的幼儿：已有的更新，没有的新增；同一文件重复导入不会产生变化。",
    ):
        guide.append([line])
    guide.append([])
    bold = Font(bold=True)
    heading = []
    for text in ("列名", "是否必填", "填写要求"):
        cell = text_cell(guide, text)
        cell.font = bold
        heading.append(cell)
    guide.append(heading)
    for spec in CHILD_COLUMNS:
        allowed = ("可填写：" + "、".join(member.label for member in spec.enum) + "。") if spec.enum else ""
        hint = "日期，例如 2026-03-01 或 2026年3月1日。" if spec.kind is Kind.DATE else ""
        cells = [
            text_cell(guide, value)
            for value in (template_header(spec), "必填" if spec.required else "选填", hint + allowed + spec.note)
        ]
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        guide.append(cells)
    with atomic_target(path) as temporary:
        workbook.save(temporary)
