"""The parts every official document (公文) of the bureau shares, in the layout of GB/T 9704-2012 (see official_page).

The letterhead (the issuing body in red, the document number centred below it, a red rule the width of the text
area), the styles of title, addressee and body, the signature block with its seal area, and the page template that
numbers each page "— N —". The 整改通知书 and the 复查意见书 are built from these, so they look like papers of one
bureau.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, SimpleDocTemplate, Spacer

from desktop.reports.fonts import BODY_FONT, TITLE_FONT, register_fonts, undrawable_in
from desktop.reports.form_page import PrintedDocument, page_laid_out, para
from desktop.reports.official_page import (
    BOTTOM_MARGIN,
    LEFT_MARGIN,
    LINE_PITCH,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RIGHT_MARGIN,
    SIZE_2,
    SIZE_3,
    TOP_MARGIN,
    draw_page_number,
)

RED = colors.Color(0.85, 0.0, 0.0)
AUTHORITY_SIZE = 30.0  # the red issuing-authority mark: larger than the title, as printed letterheads are
SEAL_DIAMETER = 42 * mm  # a county bureau's round seal


def official_styles() -> dict[str, ParagraphStyle]:
    """Body in 3号 with a two-character indent, title in 2号, addressee and receipt lines flush left."""
    register_fonts()  # paragraphs look their fonts up as they are made
    body = ParagraphStyle(
        "body",
        fontName=BODY_FONT,
        fontSize=SIZE_3,
        leading=LINE_PITCH,
        firstLineIndent=2 * SIZE_3,
        alignment=TA_JUSTIFY,
        wordWrap="CJK",
    )
    return {
        "authority": ParagraphStyle(
            "authority",
            parent=body,
            fontName=TITLE_FONT,
            fontSize=AUTHORITY_SIZE,
            leading=AUTHORITY_SIZE * 1.3,
            firstLineIndent=0,
            alignment=TA_CENTER,
            textColor=RED,
        ),
        "number": ParagraphStyle("number", parent=body, firstLineIndent=0, alignment=TA_CENTER),
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName=TITLE_FONT,
            fontSize=SIZE_2,
            leading=SIZE_2 * 1.5,
            firstLineIndent=0,
            alignment=TA_CENTER,
        ),
        "addressee": ParagraphStyle("addressee", parent=body, firstLineIndent=0, alignment=TA_LEFT),
        "body": body,
        "item": ParagraphStyle("item", parent=body, fontName=TITLE_FONT),
        "receipt": ParagraphStyle("receipt", parent=body, firstLineIndent=0, alignment=TA_LEFT),
    }


def letterhead(issuing_body: str, document_number: str, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The issuing body in red, two lines below it the document number (none when ``document_number`` is ""),
    and the red rule 4 mm under the number."""
    head: list[Flowable] = [para(issuing_body, styles["authority"]), Spacer(0, LINE_PITCH)]
    if document_number:
        head.append(para(document_number, styles["number"]))
    head += [
        Spacer(0, 4 * mm),
        HRFlowable(width="100%", thickness=1.2, color=RED, spaceBefore=0, spaceAfter=LINE_PITCH),
    ]
    return head


class SealArea(Flowable):
    """The issuer centred over the date, the date with 4 characters of space on its right, and a dashed circle
    where the seal goes, upright and centred over both (GB/T 9704 7.3.5)."""

    def __init__(self, signer: str, dated: str) -> None:
        super().__init__()
        self.signer = signer
        self.dated = dated

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = SEAL_DIAMETER
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        date_width = canvas.stringWidth(self.dated, BODY_FONT, SIZE_3)
        date_right = self.width - 4 * SIZE_3
        centre_x = date_right - date_width / 2
        date_baseline = SIZE_3 * 0.3
        canvas.setFont(BODY_FONT, SIZE_3)
        canvas.drawRightString(date_right, date_baseline, self.dated)
        canvas.drawCentredString(centre_x, date_baseline + LINE_PITCH, self.signer)
        # The name and date sit in the lower middle of the seal.
        seal_centre_y = date_baseline + LINE_PITCH * 0.9
        canvas.saveState()
        grey = colors.Color(0.6, 0.6, 0.6)
        canvas.setStrokeColor(grey)
        canvas.setDash(3, 3)
        canvas.circle(centre_x, seal_centre_y, SEAL_DIAMETER / 2)
        canvas.setFillColor(grey)
        canvas.setFont(BODY_FONT, 9)
        canvas.drawCentredString(centre_x, seal_centre_y + SEAL_DIAMETER / 4, "（盖章）")
        canvas.restoreState()


def _number_page(canvas, document) -> None:
    draw_page_number(canvas, document.page)
    page_laid_out(document.page)  # progress and cancel of the app's background printing


def render_official(
    story: list[Flowable], *, title: str, author: str, subject: str, texts: Sequence[str]
) -> PrintedDocument:
    """Flow ``story`` onto GB/T 9704 pages numbered "— N —"; ``texts`` are the data texts checked against the fonts."""
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=LEFT_MARGIN,
        rightMargin=RIGHT_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=title,
        author=author,
        subject=subject,
        creator="Tuoyu",
        initialFontName=BODY_FONT,  # else every page names an unembedded Helvetica
    )
    document.build(story, onFirstPage=_number_page, onLaterPages=_number_page)
    return PrintedDocument(buffer.getvalue(), document.page, tuple(undrawable_in(list(texts))))
