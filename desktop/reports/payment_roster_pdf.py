"""补贴发放花名册: a month's payment roster of one subsidy scheme as landscape A4 pages, for finance and the file.

The first page has the title (张掖市甘州区2026年11月入托补贴发放花名册) and a header line (填报单位, month,
scheme, unit). Every page has a ruled table with its header row, the roster's lines (for 入托补贴 each child
under its institution, ID numbers masked), a 本页小计 row at its foot and "第 N 页 共 M 页" below; pages after
the first carry the title at their head. The last page adds the 合计 in figures and in capitals (大写), the
payer shares, the signature lines (制表人, 审核人, 单位负责人) and the issuing body and date under a seal area.

A subtotal is each column's sum over the rows of its page, so a clerk can check it with a calculator: the
children's amounts in 每人补助, the institutions' figures in the others (an institution counts on the page of its
own row; a page of its children alone adds their 每人补助 only). The 合计 is the same sum over every row.

Why the pages are laid out before drawing (desktop.reports.payment_roster_layout) instead of letting platypus split
one long table: a page's subtotal must add exactly what is on that page, and one Table of thousands of rows splits
in roughly quadratic time. Each page is a small Table with fixed row heights that platypus draws as it is.
The build checks that it made exactly the planned pages, so a subtotal can never describe rows that went elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.tables import CellStyle

from desktop.domain.amount_words import format_yuan
from desktop.domain.enums import SubsidyScheme
from desktop.domain.payment_roster import PaymentRoster
from desktop.errors import TuoyuError
from desktop.reports.fonts import SANS_FONT, TITLE_FONT
from desktop.reports.form_page import (
    FORM_MARGIN,
    GRID,
    HEADER_SIZE,
    SHADE,
    PrintedDocument,
    chinese_date,
    form_styles,
    para,
    render_form,
)
from desktop.reports.payment_roster_layout import (
    HEIGHT,
    LEADING,
    LINE_ROW,
    PADDING,
    SIZE,
    WIDTH,
    Column,
    Row,
    RowMaker,
    plan_pages,
    roster_columns,
    roster_rows,
    wrapped_lines,
)

__all__ = ["PaymentRosterDocument", "render_payment_roster"]

SIGN_SIZE = HEADER_SIZE
SIGN_LEADING = HEADER_SIZE * 1.45
TOTAL_SHADE = colors.Color(0.95, 0.95, 0.95)
SIGNATURE_ROW = 12 * mm
SEAL_ROW = 38 * mm  # room for a round seal of 40 mm over the issuing body and the date
GAP_AFTER_HEADER = 3 * mm
GAP_BEFORE_SIGNATURES = 5 * mm


@dataclass(frozen=True)
class PaymentRosterDocument:
    """Everything the printed 发放花名册 shows, gathered by desktop.services.roster_printing.

    An empty roster cannot be made into a document: there is nothing to pay, so nothing to print.
    """

    roster: PaymentRoster
    region_name: str  # 张掖市甘州区 (the city alone for a roster of every county)
    issuing_body: str  # 填报单位: 甘州区卫生健康局
    prepared_on: date  # printed under the seal area

    def __post_init__(self) -> None:
        if not self.roster.lines:
            raise TuoyuError(
                f"{self.region_name}{self.month_text}没有待发放或已发放的{self.roster.scheme.label}申请，"
                "无需打印花名册。请先在“补贴”中审核通过申请，或换一个月份、县区或补贴种类。"
            )

    @property
    def month_text(self) -> str:
        year, month = self.roster.month.split("-")
        return f"{int(year)}年{int(month)}月"

    @property
    def title(self) -> str:
        return f"{self.region_name}{self.month_text}{self.roster.scheme.label}发放花名册"

    def texts(self) -> list[str]:
        """Every piece of data text the roster prints, for the font check."""
        texts = [self.region_name, self.issuing_body]
        for line in self.roster.lines:
            texts += [line.institution, line.county_name]
            texts += [child.name for child in line.children]
        return texts


def _cell_style(font: str, align: str) -> CellStyle:
    style = CellStyle(f"{font} {align}")
    style.fontname, style.fontsize, style.leading = font, SIZE, LEADING
    style.leftPadding = style.rightPadding = style.topPadding = style.bottomPadding = PADDING
    style.alignment, style.valign = align, "MIDDLE"
    return style


class _Tables:
    """Each page's table: the header row, the page's rows, its subtotal, and on the last page the totals.

    The cells' styles are made once and shared by every row of a kind (Table's ``cellStyles``): styling each cell of
    each page through TableStyle commands would create and set hundreds of thousands of CellStyle objects for a
    long roster. Only the grid, the shading and the spans are table commands, and none of them touches a cell style.
    """

    def __init__(self, document: PaymentRosterDocument, columns: list[Column], maker: RowMaker) -> None:
        self.maker = maker
        self.widths = [column.width for column in columns]
        self.head = [column.head for column in columns]
        self.head_height = max(column.head.count("\n") + 1 for column in columns) * LEADING + 2 * PADDING
        self.label_span = maker.index["name"]  # the label of a figures row covers 序号 (县区) and the name
        self.head_styles = [_cell_style(TITLE_FONT, "CENTER")] * len(columns)
        self.body_styles = [_cell_style(SANS_FONT, column.align) for column in columns]
        self.figure_styles = [_cell_style(TITLE_FONT, "CENTER")] + [
            _cell_style(TITLE_FONT, column.align) for column in columns[1:]
        ]
        self.note_styles = [_cell_style(TITLE_FONT, "LEFT")] * len(columns)
        self.commands = [("GRID", (0, 0), (-1, -1), 0.5, GRID), ("BACKGROUND", (0, 0), (-1, 0), SHADE)]
        roster = document.roster
        children_fen = sum(child.amount_fen for line in roster.lines for child in line.children)
        self.total = maker.figures(f"合计（{len(roster.lines)} 家）", roster.lines, children_fen)
        words = f"合计金额（大写）：{roster.total_words}　　（小写）：¥{format_yuan(roster.total_fen)}"
        shares = [f"{payer}承担 {format_yuan(fen)} 元" for payer, fen in roster.payer_totals() if fen]
        self.notes = [wrapped_lines(words, WIDTH - 2 * PADDING)]
        if shares:
            self.notes.append(wrapped_lines("其中：" + "；".join(shares) + "。", WIDTH - 2 * PADDING))

    @property
    def closing_height(self) -> float:
        """What the last page needs below its subtotal: the total, the capitals and shares, the signatures."""
        notes = sum(len(lines) * LEADING + 2 * PADDING for lines in self.notes)
        return LINE_ROW + notes + GAP_BEFORE_SIGNATURES + SIGNATURE_ROW + SEAL_ROW

    def page(self, rows: list[Row], *, last: bool) -> Table:
        data = [self.head, *(row.cells for row in rows)]
        heights = [self.head_height, *(row.height for row in rows)]
        styles = [list(self.head_styles), *(list(self.body_styles) for _ in rows)]
        lines = [row.line for row in rows if row.line is not None]
        figures = [self.maker.figures("本页小计", lines, sum(row.fen for row in rows))]
        notes: list[list[str]] = []
        if last:
            figures.append(self.total)
            notes = self.notes
        commands = list(self.commands)
        for cells in figures:
            row = len(data)
            data.append(cells)
            heights.append(LINE_ROW)
            styles.append(list(self.figure_styles))
            commands += [("SPAN", (0, row), (self.label_span, row)), ("BACKGROUND", (0, row), (-1, row), TOTAL_SHADE)]
        for note in notes:
            commands.append(("SPAN", (0, len(data)), (-1, len(data))))
            data.append(["\n".join(note)] + [""] * (len(self.widths) - 1))
            heights.append(len(note) * LEADING + 2 * PADDING)
            styles.append(list(self.note_styles))
        return Table(data, colWidths=self.widths, rowHeights=heights, style=commands, cellStyles=styles)


def _header_line(document: PaymentRosterDocument) -> Table:
    roster = document.roster
    cells = [
        f"填报单位：{document.issuing_body}",
        f"补贴月份：{document.month_text}",
        f"补贴种类：{roster.scheme.label}",
        "金额单位：元",
    ]
    widths = [WIDTH * 0.4, WIDTH * 0.22, WIDTH * 0.22, WIDTH * 0.16]
    wrapped = [wrapped_lines(text, width, size=HEADER_SIZE) for text, width in zip(cells, widths, strict=True)]
    lines = max(len(lines) for lines in wrapped)
    table = Table(
        [["\n".join(lines) for lines in wrapped]],
        colWidths=widths,
        rowHeights=[lines * SIGN_LEADING + 4],
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), SANS_FONT),
                ("FONTSIZE", (0, 0), (-1, -1), HEADER_SIZE),
                ("LEADING", (0, 0), (-1, -1), SIGN_LEADING),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 0), (2, 0), "CENTER"),
                ("ALIGN", (3, 0), (3, 0), "RIGHT"),
            ]
        ),
    )
    return table


def _signatures(document: PaymentRosterDocument) -> Table:
    blank = "＿" * 9
    notes = "说明：金额为审核时确定的金额，市级承担部分舍去不足 1 分的部分，余额由县区承担。"
    if document.roster.scheme is SubsidyScheme.ENROLLMENT:
        notes += "幼儿身份证号只显示前 6 位和后 4 位。"
    left = WIDTH * 2 / 3
    seal = [
        "填报单位（盖章）",
        "",
        "",
        *wrapped_lines(document.issuing_body, WIDTH / 3, size=SIGN_SIZE),
        chinese_date(document.prepared_on),
    ]
    rows = [
        [f"制表人：{blank}", f"审核人：{blank}", f"单位负责人：{blank}"],
        ["\n".join(wrapped_lines(notes, left - 4 * mm, size=SIGN_SIZE)), "", "\n".join(seal)],
    ]
    return Table(
        rows,
        colWidths=[WIDTH / 3] * 3,
        rowHeights=[SIGNATURE_ROW, SEAL_ROW],
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), SANS_FONT),
                ("FONTSIZE", (0, 0), (-1, -1), SIGN_SIZE),
                ("LEADING", (0, 0), (-1, -1), SIGN_LEADING),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm),
                ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
                ("SPAN", (0, 1), (1, 1)),
                ("VALIGN", (0, 1), (0, 1), "TOP"),
                ("TOPPADDING", (0, 1), (0, 1), 4 * mm),
                ("VALIGN", (2, 1), (2, 1), "MIDDLE"),
                ("ALIGN", (2, 1), (2, 1), "CENTER"),
            ]
        ),
    )


def _running_head(title: str):
    def draw(canvas: Canvas, document: SimpleDocTemplate) -> None:
        if document.page > 1:  # the first page has the title itself
            width, height = document.pagesize
            canvas.setFont(SANS_FONT, SIZE)
            canvas.drawCentredString(width / 2, height - FORM_MARGIN + 3 * mm, f"{title}（续）")

    return draw


def _story(document: PaymentRosterDocument) -> tuple[list[Flowable], int]:
    """The flowables and the number of pages they were planned to fill."""
    styles = form_styles()
    columns = roster_columns(document.roster)
    maker = RowMaker(columns)
    tables = _Tables(document, columns, maker)
    top: list[Flowable] = [para(document.title, styles["title"]), Spacer(0, 2 * mm), _header_line(document)]
    top.append(Spacer(0, GAP_AFTER_HEADER))
    top_height = sum(flowable.wrap(WIDTH, HEIGHT)[1] for flowable in top)
    room = HEIGHT - tables.head_height - LINE_ROW  # every page has its header row and subtotal
    pages = plan_pages(roster_rows(document.roster, maker), maker, room - top_height, room, tables.closing_height)
    story = top
    for number, rows in enumerate(pages, start=1):
        if number > 1:
            story.append(PageBreak())
        story.append(tables.page(rows, last=number == len(pages)))
    story += [Spacer(0, GAP_BEFORE_SIGNATURES), _signatures(document)]
    return story, len(pages)


def render_payment_roster(document: PaymentRosterDocument) -> PrintedDocument:
    """The roster as PDF bytes, with the characters the bundled fonts cannot draw."""
    story, planned = _story(document)
    printed = render_form(
        story,
        title=document.title,
        subject=f"{document.issuing_body} {document.month_text} {document.roster.scheme.label}",
        author=document.issuing_body,
        # Each distinct character once: the font check of 10,000 names is then a few hundred lookups.
        texts=["".join(dict.fromkeys("".join(document.texts())))],
        wide=True,
        on_page=_running_head(document.title),
    )
    if printed.pages != planned:  # a table split by platypus: its subtotal would not match its page
        raise RuntimeError(f"花名册排版失败：计划 {planned} 页，实际 {printed.pages} 页。")
    return printed
