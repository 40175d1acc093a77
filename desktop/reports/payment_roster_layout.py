"""The 补贴发放花名册's table laid out before drawing: its columns, its rows as wrapped text with known heights, and
which rows go on which page (desktop.reports.payment_roster_pdf draws them).

Every cell is plain text whose lines are wrapped here, so each row's height is known before drawing and the rows of
each page can be chosen in one linear pass; a page's subtotal then adds exactly the rows on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.textsplit import wordSplit
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from desktop.domain.amount_words import format_yuan
from desktop.domain.enums import SubsidyScheme
from desktop.domain.identifiers import mask_id_number
from desktop.domain.payment_roster import PaymentRoster, RosterLine
from desktop.domain.registry_rules import format_date_cn
from desktop.reports.fonts import SANS_FONT
from desktop.reports.form_page import FORM_MARGIN, text_width

# ReportLab's Frame keeps 6 pt of padding on each side inside the margins; flowables get what is left.
FRAME_PADDING = 6.0
WIDTH = text_width(wide=True) - 2 * FRAME_PADDING
# A hair under the frame's height, so that rounding never pushes a planned page's table onto the next page.
HEIGHT = landscape(A4)[1] - 2 * FORM_MARGIN - 2 * FRAME_PADDING - 1.0

SIZE = 9.0  # table text
LEADING = 11.5
PADDING = 3.0  # above and below the text of a cell; left and right too
LINE_ROW = LEADING + 2 * PADDING

# --------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    key: str
    head: str  # "\n" where the header breaks
    width: float  # 0: takes what the others leave
    align: str = "CENTER"


def roster_columns(roster: PaymentRoster) -> list[Column]:
    enrollment = roster.scheme is SubsidyScheme.ENROLLMENT
    columns = [Column("number", "序号", 10 * mm)]
    if not roster.county_name:  # a roster of every county says whose each line is
        columns.append(Column("county", "县区", 20 * mm))
    if enrollment:
        columns += [
            Column("name", "机构名称／幼儿姓名", 0, "LEFT"),
            Column("id_number", "身份证号", 34 * mm),
            Column("child_amount", "每人补助\n（元）", 24 * mm, "RIGHT"),
        ]
    else:
        columns += [Column("name", "机构名称", 0, "LEFT"), Column("period", "补贴期间", 20 * mm)]
    columns += [Column("status", "状态", 14 * mm), Column("paid_on", "发放日期", 27 * mm)]
    if enrollment:
        columns.append(Column("children", "幼儿\n人数", 13 * mm))
    columns += [
        Column("amount", "补助金额\n（元）", 27 * mm, "RIGHT"),
        Column("city", "市级承担\n（元）", 27 * mm, "RIGHT"),
        Column("county_share", "县区承担\n（元）", 27 * mm, "RIGHT"),
    ]
    rest = WIDTH - sum(column.width for column in columns)
    return [column if column.width else Column(column.key, column.head, rest, column.align) for column in columns]


def period_text(period: str) -> str:
    if not period:
        return "一次性"
    if len(period) == 4:
        return f"{period}年度"
    year, _, month = period.partition("-")
    return f"{year}年{int(month)}月" if month else period


# Chinese typesetting never ends a line with an opening mark (标点避尾); ReportLab's CJK wrapping only knows the
# marks that may not start one, and would leave "托育部（" above "续）".
NEVER_END_A_LINE = "（《〈“‘〔【［(["


def wrapped_lines(text: str, width: float, font: str = SANS_FONT, size: float = SIZE) -> list[str]:
    """``text`` broken into lines that fit ``width``: no line starts with a closing mark or ends with an opening one."""
    if not text or stringWidth(text, font, size) <= width:
        return [text]
    lines = [line for _, line in wordSplit(text, [width], font, size)]
    for index, line in enumerate(lines[:-1]):
        if len(line) > 1 and line[-1] in NEVER_END_A_LINE:
            rest = line[-1] + "".join(lines[index + 1 :])
            return [*lines[:index], line[:-1], *wrapped_lines(rest, width, font, size)]
    return lines


# --------------------------------------------------------------------------- rows


class Row:
    """One row of the table: its cells as text (wrapped), its height, and the money it carries."""

    __slots__ = ("cells", "fen", "height", "line", "owner")

    def __init__(
        self, cells: list[str], lines: int, line: RosterLine | None = None, owner: Row | None = None, fen: int = 0
    ):
        self.cells = cells
        self.height = lines * LEADING + 2 * PADDING
        self.line = line  # an institution's row: its figures count in the page's subtotal
        self.owner = owner  # a child's row (or a continuation): the institution it belongs to
        self.fen = fen  # a child's row: its amount counts in the 每人补助 column's subtotal


class RowMaker:
    """Turns roster lines into rows for a given set of columns."""

    def __init__(self, columns: list[Column]) -> None:
        self.keys = [column.key for column in columns]
        self.index = {key: i for i, key in enumerate(self.keys)}
        self.widths = {column.key: column.width - 2 * PADDING for column in columns}

    def make(self, values: dict[str, str], *, wrap: Sequence[str] = ("name", "county")) -> tuple[list[str], int]:
        lines = 1
        for key in wrap:
            text = values.get(key)
            if text and key in self.widths:
                broken = wrapped_lines(text, self.widths[key])
                if len(broken) > 1:
                    values[key] = "\n".join(broken)
                    lines = max(lines, len(broken))
        return [values.get(key, "") for key in self.keys], lines

    def institution(self, number: int, line: RosterLine) -> Row:
        values = {
            "number": str(number),
            "county": line.county_name,
            "name": line.institution,
            "period": period_text(line.period),
            "status": line.status_text,
            "paid_on": format_date_cn(line.paid_on) if line.paid_on else "",
            "children": str(len(line.children)),
            "amount": format_yuan(line.amount_fen),
            "city": format_yuan(line.city_share_fen),
            "county_share": format_yuan(line.county_share_fen),
        }
        cells, lines = self.make(values)
        return Row(cells, lines, line=line)

    def child(self, number: int, name: str, id_number: str, fen: int, owner: Row) -> Row:
        # Masked again here: whatever a caller passes, a full ID number never reaches the paper.
        values = {"name": f"　{number}. {name}", "id_number": mask_id_number(id_number)}
        values["child_amount"] = format_yuan(fen)
        cells, lines = self.make(values)
        return Row(cells, lines, owner=owner, fen=fen)

    def continued(self, owner: Row) -> Row:
        """The first row of a page that starts inside an institution's children."""
        line = owner.line
        values = {"number": owner.cells[self.index["number"]], "name": f"{line.institution}（续）"}
        if "county" in self.index:
            values["county"] = line.county_name
        cells, lines = self.make(values)
        return Row(cells, lines, owner=owner)

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


def roster_rows(roster: PaymentRoster, maker: RowMaker) -> list[Row]:
    rows: list[Row] = []
    for number, line in enumerate(roster.lines, start=1):
        row = maker.institution(number, line)
        rows.append(row)
        for count, child in enumerate(line.children, start=1):
            rows.append(maker.child(count, child.name, child.id_number_masked, child.amount_fen, row))
    return rows


# --------------------------------------------------------------------------- pages


def plan_pages(rows: list[Row], maker: RowMaker, first: float, later: float, closing: float) -> list[list[Row]]:
    """The rows of each page: as many as fit, an institution never alone at the foot of a page without its first
    child, a continuation row on top of a page that starts among an institution's children, and the last page
    leaving room for the totals and signatures."""
    pages: list[list[Row]] = []
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


def _opening(row: Row, maker: RowMaker) -> list[Row]:
    """A page that starts among an institution's children opens with the institution's name (续)."""
    return [maker.continued(row.owner)] if row.owner else []


def _parts_first_child(rows: list[Row], start: int, end: int) -> bool:
    """Whether ending a page before ``end`` leaves an institution at its foot without its first child."""
    return end - 1 > start and rows[end - 1].line is not None and rows[end].owner is rows[end - 1]


def _last_split(rows: list[Row], maker: RowMaker, start: int, room: float, closing: float) -> int:
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
