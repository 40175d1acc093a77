"""补贴发放花名册: a month's payment roster of one subsidy scheme as landscape A4 pages, for finance and the file.

The first page has the title (张掖市甘州区2026年11月入托补贴发放花名册) and a header line (填报单位, month,
scheme, unit). Every page has a ruled table with its header row, the roster's lines (for 入托补贴 each child
under its institution, ID numbers masked), a 本页小计 row at its foot and "第 N 页 共 M 页" below; pages after
the first carry the title at their head. The last page adds the 合计 in figures and in capitals (大写), the
payer shares, the signature lines (制表人, 审核人, 单位负责人) and the issuing body and date under a seal area.

A subtotal is each column's sum over the rows of its page, so a clerk can check it with a calculator: the
children's amounts in 每人补助, the institutions' figures in the others (an institution counts on the page of its
own row; a page of its children alone adds their 每人补助 only). The 合计 is the same sum over every row.

Why this module lays out the pages itself instead of letting platypus split one long table: a page's subtotal must
add exactly what is on that page, and one Table of thousands of rows splits in roughly quadratic time. Every cell is
plain text whose lines are wrapped here, so each row's height is known before drawing and the rows of each page can
be chosen in one linear pass; each page is then a small Table with fixed row heights that platypus draws as it is.
The build checks that it made exactly the planned pages, so a subtotal can never describe rows that went elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.textsplit import wordSplit
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.tables import CellStyle

from desktop.domain.amount_words import format_yuan
from desktop.domain.enums import SubsidyScheme
from desktop.domain.identifiers import mask_id_number
from desktop.domain.payment_roster import PaymentRoster, RosterLine
from desktop.domain.registry_rules import format_date_cn
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
    text_width,
    write_pdf,
)

__all__ = ["PaymentRosterDocument", "render_payment_roster", "write_payment_roster"]

# ReportLab's Frame keeps 6 pt of padding on each side inside the margins; flowables get what is left.
FRAME_PADDING = 6.0
WIDTH = text_width(wide=True) - 2 * FRAME_PADDING
# A hair under the frame's height, so that rounding never pushes a planned page's table onto the next page.
HEIGHT = landscape(A4)[1] - 2 * FORM_MARGIN - 2 * FRAME_PADDING - 1.0

SIZE = 9.0  # table text
LEADING = 11.5
PADDING = 3.0  # above and below the text of a cell; left and right too
LINE_ROW = LEADING + 2 * PADDING
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


# --------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class _Column:
    key: str
    head: str  # "\n" where the header breaks
    width: float  # 0: takes what the others leave
    align: str = "CENTER"


def _columns(roster: PaymentRoster) -> list[_Column]:
    enrollment = roster.scheme is SubsidyScheme.ENROLLMENT
    columns = [_Column("number", "序号", 10 * mm)]
    if not roster.county_name:  # a roster of every county says whose each line is
        columns.append(_Column("county", "县区", 20 * mm))
    if enrollment:
        columns += [
            _Column("name", "机构名称／幼儿姓名", 0, "LEFT"),
            _Column("id_number", "身份证号", 34 * mm),
            _Column("child_amount", "每人补助\n（元）", 24 * mm, "RIGHT"),
        ]
    else:
        columns += [_Column("name", "机构名称", 0, "LEFT"), _Column("period", "补贴期间", 20 * mm)]
    columns += [_Column("status", "状态", 14 * mm), _Column("paid_on", "发放日期", 27 * mm)]
    if enrollment:
        columns.append(_Column("children", "幼儿\n人数", 13 * mm))
    columns += [
        _Column("amount", "补助金额\n（元）", 27 * mm, "RIGHT"),
        _Column("city", "市级承担\n（元）", 27 * mm, "RIGHT"),
        _Column("county_share", "县区承担\n（元）", 27 * mm, "RIGHT"),
    ]
    rest = WIDTH - sum(column.width for column in columns)
    return [column if column.width else _Column(column.key, column.head, rest, column.align) for column in columns]


def _period_text(period: str) -> str:
    if not period:
        return "一次性"
    if len(period) == 4:
        return f"{period}年度"
    year, _, month = period.partition("-")
    return f"{year}年{int(month)}月" if month else period


# Chinese typesetting never ends a line with an opening mark (标点避尾); ReportLab's CJK wrapping only knows the
# marks that may not start one, and would leave "托育部（" above "续）".
NEVER_END_A_LINE = "（《〈“‘〔【［(["


def _wrapped(text: str, width: float, font: str = SANS_FONT, size: float = SIZE) -> list[str]:
    """``text`` broken into lines that fit ``width``: no line starts with a closing mark or ends with an opening one."""
    if not text or stringWidth(text, font, size) <= width:
        return [text]
    lines = [line for _, line in wordSplit(text, [width], font, size)]
    for index, line in enumerate(lines[:-1]):
        if len(line) > 1 and line[-1] in NEVER_END_A_LINE:
            rest = line[-1] + "".join(lines[index + 1 :])
            return [*lines[:index], line[:-1], *_wrapped(rest, width, font, size)]
    return lines


# --------------------------------------------------------------------------- rows


class _Row:
    """One row of the table: its cells as text (wrapped), its height, and the money it carries."""

    __slots__ = ("cells", "fen", "height", "line", "owner")

    def __init__(
        self, cells: list[str], lines: int, line: RosterLine | None = None, owner: _Row | None = None, fen: int = 0
    ):
        self.cells = cells
        self.height = lines * LEADING + 2 * PADDING
        self.line = line  # an institution's row: its figures count in the page's subtotal
        self.owner = owner  # a child's row (or a continuation): the institution it belongs to
        self.fen = fen  # a child's row: its amount counts in the 每人补助 column's subtotal


class _Rows:
    """Turns roster lines into rows for a given set of columns."""

    def __init__(self, columns: list[_Column]) -> None:
        self.keys = [column.key for column in columns]
        self.index = {key: i for i, key in enumerate(self.keys)}
        self.widths = {column.key: column.width - 2 * PADDING for column in columns}

    def make(self, values: dict[str, str], *, wrap: Sequence[str] = ("name", "county")) -> tuple[list[str], int]:
        lines = 1
        for key in wrap:
            text = values.get(key)
            if text and key in self.widths:
                broken = _wrapped(text, self.widths[key])
                if len(broken) > 1:
                    values[key] = "\n".join(broken)
                    lines = max(lines, len(broken))
        return [values.get(key, "") for key in self.keys], lines

    def institution(self, number: int, line: RosterLine) -> _Row:
        values = {
            "number": str(number),
            "county": line.county_name,
            "name": line.institution,
            "period": _period_text(line.period),
            "status": line.status_text,
            "paid_on": format_date_cn(line.paid_on) if line.paid_on else "",
            "children": str(len(line.children)),
            "amount": format_yuan(line.amount_fen),
            "city": format_yuan(line.city_share_fen),
            "county_share": format_yuan(line.county_share_fen),
        }
        cells, lines = self.make(values)
        return _Row(cells, lines, line=line)

    def child(self, number: int, name: str, id_number: str, fen: int, owner: _Row) -> _Row:
        # Masked again here: whatever a caller passes, a full ID number never reaches the paper.
        values = {"name": f"　{number}. {name}", "id_number": mask_id_number(id_number)}
        values["child_amount"] = format_yuan(fen)
        cells, lines = self.make(values)
        return _Row(cells, lines, owner=owner, fen=fen)

    def continued(self, owner: _Row) -> _Row:
        """The first row of a page that starts inside an institution's children."""
        line = owner.line
        values = {"number": owner.cells[self.index["number"]], "name": f"{line.institution}（续）"}
        if "county" in self.index:
            values["county"] = line.county_name
        cells, lines = self.make(values)
        return _Row(cells, lines, owner=owner)

    def figures(self, label: str, lines: Sequence[RosterLine], children_fen: int) -> list[str]:
        """A subtotal or total row: the label over the columns up to the name, then each column's sum."""
        values = {
            "number": label,
            "child_amount": format_yuan(children_fen),
            "children": str(sum(len(line.children) for line in lines)),
            "amount": format_yuan(sum(line.amount_fen for line in lines)),
            "city": format_yuan(sum(line.city_share_fen for line in lines)),
            "county_share": format_yuan(sum(line.county_share_fen for line in lines)),
        }
        return [values.get(key, "") for key in self.keys]


def _rows(roster: PaymentRoster, maker: _Rows) -> list[_Row]:
    rows: list[_Row] = []
    for number, line in enumerate(roster.lines, start=1):
        row = maker.institution(number, line)
        rows.append(row)
        for count, child in enumerate(line.children, start=1):
            rows.append(maker.child(count, child.name, child.id_number_masked, child.amount_fen, row))
    return rows


# --------------------------------------------------------------------------- pages


def _plan(rows: list[_Row], maker: _Rows, first: float, later: float, closing: float) -> list[list[_Row]]:
    """The rows of each page: as many as fit, an institution never alone at the foot of a page without its first
    child, a continuation row on top of a page that starts among an institution's children, and the last page
    leaving room for the totals and signatures."""
    pages: list[list[_Row]] = []
    start, count = 0, len(rows)
    while start < count:
        room = first if not pages else later
        page = _opening(rows[start], maker)
        used = sum(row.height for row in page)
        end = start
        while end < count and used + rows[end].height <= room:
            used += rows[end].height
            end += 1
        if end == start:
            raise RuntimeError("花名册排版失败：有一行高过一整页。")
        if end < count and _parts_first_child(rows, start, end):
            end -= 1
        elif end == count and used + closing > room:
            end = _last_split(rows, maker, start, later, closing)
        pages.append(page + rows[start:end])
        start = end
    return pages


def _opening(row: _Row, maker: _Rows) -> list[_Row]:
    """A page that starts among an institution's children opens with the institution's name (续)."""
    return [maker.continued(row.owner)] if row.owner else []


def _parts_first_child(rows: list[_Row], start: int, end: int) -> bool:
    """Whether ending a page before ``end`` leaves an institution at its foot without its first child."""
    return end - 1 > start and rows[end - 1].line is not None and rows[end].owner is rows[end - 1]


def _last_split(rows: list[_Row], maker: _Rows, start: int, room: float, closing: float) -> int:
    """Where the remaining rows divide when they fit on this page but the totals and signatures do not: about half
    stay, the rest go with the totals onto a last page (never a page holding a single stray row when avoidable)."""
    count = len(rows)
    end = start + max(1, (count - start) // 2)
    while end < count and sum(row.height for row in _opening(rows[end], maker) + rows[end:]) + closing > room:
        end += 1
    if end + 1 < count and _parts_first_child(rows, start, end):
        end += 1  # the institution and its first child stay; the tail only gets shorter
    if end >= count:
        raise RuntimeError("花名册排版失败：最后一行与合计、签字栏放不进一页。")
    return end


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

    def __init__(self, document: PaymentRosterDocument, columns: list[_Column], maker: _Rows) -> None:
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
        self.notes = [_wrapped(words, WIDTH - 2 * PADDING)]
        if shares:
            self.notes.append(_wrapped("其中：" + "；".join(shares) + "。", WIDTH - 2 * PADDING))

    @property
    def closing_height(self) -> float:
        """What the last page needs below its subtotal: the total, the capitals and shares, the signatures."""
        notes = sum(len(lines) * LEADING + 2 * PADDING for lines in self.notes)
        return LINE_ROW + notes + GAP_BEFORE_SIGNATURES + SIGNATURE_ROW + SEAL_ROW

    def page(self, rows: list[_Row], *, last: bool) -> Table:
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
    wrapped = [_wrapped(text, width, size=HEADER_SIZE) for text, width in zip(cells, widths, strict=True)]
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
        *_wrapped(document.issuing_body, WIDTH / 3, size=SIGN_SIZE),
        chinese_date(document.prepared_on),
    ]
    rows = [
        [f"制表人：{blank}", f"审核人：{blank}", f"单位负责人：{blank}"],
        ["\n".join(_wrapped(notes, left - 4 * mm, size=SIGN_SIZE)), "", "\n".join(seal)],
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
    columns = _columns(document.roster)
    maker = _Rows(columns)
    tables = _Tables(document, columns, maker)
    top: list[Flowable] = [para(document.title, styles["title"]), Spacer(0, 2 * mm), _header_line(document)]
    top.append(Spacer(0, GAP_AFTER_HEADER))
    top_height = sum(flowable.wrap(WIDTH, HEIGHT)[1] for flowable in top)
    room = HEIGHT - tables.head_height - LINE_ROW  # every page has its header row and subtotal
    pages = _plan(_rows(document.roster, maker), maker, room - top_height, room, tables.closing_height)
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


def write_payment_roster(document: PaymentRosterDocument, path: Path) -> PrintedDocument:
    """Write the roster to ``path``."""
    return write_pdf(render_payment_roster(document), path)
