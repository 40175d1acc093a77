"""发放花名册 and the annual summary as Excel workbooks, for finance and for the file.

Money is written as numbers in yuan with two decimals (a Decimal, so every fen is exact), each
table ends with its totals row, the per-payer totals follow (市级 and each county), and the last
line gives the total in Chinese capitals (大写). ID numbers are the masked ones the roster carries.
Texts are written as text, never as formulas. openpyxl is imported inside the functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from desktop.domain.enums import SubsidyScheme
from desktop.domain.payment_roster import AnnualSummary, PaymentRoster
from desktop.domain.registry_rules import format_date_cn
from desktop.excel.xlsx_writing import HEADER_FILL_COLOR, atomic_target, check_target, text_cell

__all__ = ["CHILDREN_SHEET", "ROSTER_SHEET", "SUMMARY_SHEET", "write_annual_summary_xlsx", "write_payment_roster_xlsx"]

ROSTER_SHEET = "发放花名册"
CHILDREN_SHEET = "幼儿明细"
SUMMARY_SHEET = "年度汇总"
MONEY_FORMAT = "#,##0.00"


def yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def write_payment_roster_xlsx(path: Path, roster: PaymentRoster) -> int:
    """The roster (and for enrollment its children on a second sheet). Returns the lines written."""
    from openpyxl import Workbook

    check_target(path)
    workbook = Workbook(write_only=True)
    sheet = _Sheet(workbook.create_sheet(ROSTER_SHEET))
    enrollment = roster.scheme is SubsidyScheme.ENROLLMENT
    headers = [
        "序号",
        "县区",
        "机构名称",
        "补贴期间",
        "状态",
        "发放日期",
        "补助金额（元）",
        "市级承担（元）",
        "县区承担（元）",
    ]
    widths = [6, 12, 36, 10, 8, 16, 16, 16, 16]
    if enrollment:
        headers.append("幼儿人数")
        widths.append(10)
    sheet.start(
        roster.title,
        "金额单位：元。金额为审核时确定的金额，市级承担部分舍去不足 1 分的部分，余额由县区承担。",
        headers,
        widths,
    )
    for number, line in enumerate(roster.lines, 1):
        row = [number, line.county_name, line.institution, line.period or "一次性", line.status_text,
               format_date_cn(line.paid_on) if line.paid_on else "",
               yuan(line.amount_fen), yuan(line.city_share_fen), yuan(line.county_share_fen)]  # fmt: skip
        if enrollment:
            row.append(len(line.children))
        sheet.row(row)
    total = ["合计", "", f"{len(roster.lines)} 家", "", "", "", yuan(roster.total_fen), yuan(roster.city_fen),
             yuan(roster.county_fen)]  # fmt: skip
    if enrollment:
        total.append(roster.children)
    sheet.row(total, bold=True)
    sheet.row([])
    sheet.row(["按承担方合计"], bold=True)
    for payer, fen in roster.payer_totals():
        sheet.row(["", payer, "", "", "", "", yuan(fen)])
    sheet.row([])
    sheet.row([f"合计金额（大写）：{roster.total_words}"], bold=True)
    if enrollment:
        children = _Sheet(workbook.create_sheet(CHILDREN_SHEET))
        children.start(
            f"{roster.title}　幼儿明细",
            "身份证号只显示前 6 位和后 4 位。",
            ["序号", "县区", "机构名称", "幼儿姓名", "身份证号", "补助金额（元）"],
            [6, 12, 36, 12, 22, 16],
        )
        number = 0
        for line in roster.lines:
            for child in line.children:
                number += 1
                children.row([number, line.county_name, line.institution, child.name, child.id_number_masked,
                              yuan(child.amount_fen)])  # fmt: skip
        total_children = sum(child.amount_fen for line in roster.lines for child in line.children)
        children.row(["合计", "", "", f"{number} 人", "", yuan(total_children)], bold=True)
    with atomic_target(path) as temporary:
        workbook.save(temporary)
    return len(roster.lines)


def write_annual_summary_xlsx(path: Path, summary: AnnualSummary) -> int:
    """The year's payments per county and scheme, subtotals per scheme, the total and its 大写."""
    from openpyxl import Workbook

    check_target(path)
    workbook = Workbook(write_only=True)
    sheet = _Sheet(workbook.create_sheet(SUMMARY_SHEET))
    sheet.start(
        summary.title,
        "按发放日期统计已发放的补贴；金额单位：元。",
        ["县区", "补贴种类", "笔数", "发放金额（元）", "市级承担（元）", "县区承担（元）"],
        [14, 12, 8, 18, 18, 18],
    )
    for row in summary.rows:
        sheet.row([row.county_name, row.scheme.label, row.count, yuan(row.amount_fen), yuan(row.city_share_fen),
                   yuan(row.county_share_fen)])  # fmt: skip
    for row in summary.by_scheme():
        sheet.row(["全部县区", row.scheme.label, row.count, yuan(row.amount_fen), yuan(row.city_share_fen),
                   yuan(row.county_share_fen)], bold=True)  # fmt: skip
    sheet.row(["合计", "", summary.count, yuan(summary.total_fen), yuan(summary.city_fen), yuan(summary.county_fen)],
              bold=True)  # fmt: skip
    sheet.row([])
    sheet.row([f"合计金额（大写）：{summary.total_words}"], bold=True)
    with atomic_target(path) as temporary:
        workbook.save(temporary)
    return len(summary.rows)


class _Sheet:
    """A write-only sheet: a title, a note, a styled header, then rows with money formatted."""

    def __init__(self, sheet) -> None:
        self.sheet = sheet

    def start(self, title: str, note: str, headers: Sequence[str], widths: Sequence[int]) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter

        for index, width in enumerate(widths, 1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        heading = WriteOnlyCell(self.sheet, title)
        heading.font = Font(bold=True, size=14)
        self.sheet.append([heading])
        self.sheet.append([text_cell(self.sheet, note)])
        fill = PatternFill("solid", fgColor=HEADER_FILL_COLOR)
        cells = []
        for header in headers:
            cell = WriteOnlyCell(self.sheet, header)
            cell.font = Font(bold=True)
            cell.fill = fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cells.append(cell)
        self.sheet.append(cells)

    def row(self, values: Sequence[object], *, bold: bool = False) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        cells = []
        for value in values:
            cell = text_cell(self.sheet, value) if isinstance(value, str) else WriteOnlyCell(self.sheet, value)
            if isinstance(value, Decimal):
                cell.number_format = MONEY_FORMAT
            if bold:
                cell.font = Font(bold=True)
            cells.append(cell)
        self.sheet.append(cells)
