"""Section headings, label–value grids and signature lines of the A4 register and review forms (登记表, 审核表).

A form's header blocks are ruled grids of four columns, label | value | label | value, with the labels shaded. A field
whose value does not fit a half-width cell on one line (an institution's name, an address, a policy's tiers) takes a
whole row, so that it wraps inside its cell across the page instead of squeezing into half of it; short fields go two
to a row, in the order given.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Table

from desktop.reports.form_page import SHADE, form_styles, grid_style, para

Field = tuple[str, str]  # (label, value)

LABEL_WIDTH = 30 * mm  # holds 统一社会信用代码 on one line in the bold face at table size
CELL_PADDING = 3  # points left and right, as grid_style sets them
SIGNATURE_LINE = "＿＿＿＿＿＿＿＿＿＿"
DATE_LINE = "＿＿＿＿年＿＿月＿＿日"
SIGNED_AND_DATED = f"签名：{SIGNATURE_LINE}　　日期：{DATE_LINE}"
# A section heading needs this much room below it for a few lines of its table, or it moves to the next page.
SECTION_ROOM = 25 * mm
# A whole-row value longer than this is cut into rows of at most this many characters, at a sentence's end where there
# is one: a table row cannot break across pages, and a register's notes may run longer than a page.
ROW_CHARACTERS = 600
# Rows of a form's grids: the leading of CJK text already leaves room above and below the glyphs.
COMPACT = (("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2))


def compact_styles() -> dict[str, ParagraphStyle]:
    """The form styles with section headings closer to their tables, so that a form of six sections fits its page."""
    styles = form_styles()
    styles["section"] = ParagraphStyle("compact_section", parent=styles["section"], spaceBefore=3, spaceAfter=2)
    return styles


def _fits(text: str, style: ParagraphStyle, width: float) -> bool:
    return stringWidth(text, style.fontName, style.fontSize) <= width - 2 * CELL_PADDING


def value_pieces(text: str, limit: int = ROW_CHARACTERS) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, each ending at 。 or ； or a line break when one is near."""
    pieces = []
    while len(text) > limit:
        cut = max(text.rfind(mark, 0, limit) for mark in "。；\n") + 1
        if cut < limit // 2:  # no sentence ends in the second half: cut at the limit
            cut = limit
        pieces.append(text[:cut])
        text = text[cut:]
    return [*pieces, text]


def field_rows(
    fields: Sequence[Field], value_style: ParagraphStyle, half_width: float, *, whole: Sequence[str] = ()
) -> list[list[Field]]:
    """The fields two to a row, in order; a field named in ``whole`` or too long for a half-width value cell of
    ``half_width`` takes a row alone (a short field left waiting before it then stays alone too, to keep the order);
    a value too long for one row continues on rows labelled "（续）"."""
    rows: list[list[Field]] = []
    pending: list[Field] = []
    for field in fields:
        label, value = field
        if label in whole or not _fits(value, value_style, half_width):
            if pending:
                rows.append(pending)
                pending = []
            pieces = value_pieces(value)
            rows.append([(label, pieces[0])])
            rows += [[(f"{label}（续）", piece)] for piece in pieces[1:]]
            continue
        pending.append(field)
        if len(pending) == 2:
            rows.append(pending)
            pending = []
    if pending:
        rows.append(pending)
    return rows


def field_grid(
    fields: Sequence[Field],
    styles: dict[str, ParagraphStyle],
    width: float,
    *,
    whole: Sequence[str] = (),
    label_width: float = LABEL_WIDTH,
    value_style: str = "header",
) -> Table:
    """A ruled grid of the fields, one or two to a row (see ``field_rows``); it may split between rows.

    Labels are in the bold face at table size: a form holds many of them, and 10.5 pt labels would push its review
    blocks off the page. An empty value prints as "—", so a blank is never mistaken for a field left to fill in.
    """
    label, value = styles["strong"], styles[value_style]
    value_width = (width - 2 * label_width) / 2
    cells: list[list] = []
    extra: list[tuple] = []
    for number, row in enumerate(field_rows(fields, value, value_width, whole=whole)):
        if len(row) == 1:
            ((name, text),) = row
            cells.append([para(name, label), para(text or "—", value), "", ""])
            extra.append(("SPAN", (1, number), (3, number)))
        else:
            (left, left_text), (right, right_text) = row
            cells.append([para(left, label), para(left_text or "—", value), para(right, label)])
            cells[-1].append(para(right_text or "—", value))
            extra.append(("BACKGROUND", (2, number), (2, number), SHADE))
    table = Table(cells, colWidths=(label_width, value_width, label_width, value_width))
    table.setStyle(grid_style(("BACKGROUND", (0, 0), (0, -1), SHADE), *COMPACT, *extra))
    return table


def signature_text(role: str) -> str:
    """'经办人（签字）：＿＿＿  日期：＿＿＿＿年＿＿月＿＿日', to be signed by hand."""
    return f"{role}（签字）：{SIGNATURE_LINE}　　日期：{DATE_LINE}"


def section(text: str, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """A heading that never ends a page: with too little room left for its table, it starts the next page."""
    return [CondPageBreak(SECTION_ROOM), para(text, styles["section"])]
