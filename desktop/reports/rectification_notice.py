"""整改通知书: one rectification notice in the layout of an official document (GB/T 9704-2012, see official_page).

From the top: the issuing body in red, the document number centred below it (甘州卫监改〔2026〕12号), a red rule the
width of the text area, the title, the addressee flush left with a full-width colon, the body with each failed item,
what was seen, the legal basis and its deadline, then the issuing body centred over the date (written with four
characters of space on the right) and an empty seal area over both, where the bureau stamps the paper. The signature
block is kept together, so it never strands the date on a page of its own. Names of any length wrap inside the text
area and any number of items flow onto further pages, each numbered "— N —".
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer

from desktop.reports.fonts import BODY_FONT, TITLE_FONT, register_fonts, undrawable_in
from desktop.reports.form_page import PrintedDocument, chinese_date, write_pdf
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


@dataclass(frozen=True)
class NoticeItem:
    """One failed checklist item as the notice prints it."""

    code: str
    area_title: str  # "" when the template does not name the area
    text: str  # the requirement
    note: str  # what the inspector saw; "" when nothing was written
    rule: str  # the legal basis quoted
    deadline: date | None


@dataclass(frozen=True)
class RectificationNoticeDocument:
    """Everything the 整改通知书 prints, gathered by desktop.services.printing."""

    issuing_body: str  # 甘州区卫生健康局
    document_number: str  # 甘州卫监改〔2026〕12号
    institution_name: str
    institution_address: str
    inspected_on: date
    inspectors: str
    issued_on: date
    deadline: date
    deadline_estimated: bool
    items: tuple[NoticeItem, ...]

    def texts(self) -> list[str]:
        """Every piece of data text the notice prints, for the font check."""
        texts = [self.issuing_body, self.document_number, self.institution_name, self.institution_address]
        texts.append(self.inspectors)
        for item in self.items:
            texts += [item.area_title, item.text, item.note, item.rule]
        return texts


def _styles() -> dict[str, ParagraphStyle]:
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


def _paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _story(notice: RectificationNoticeDocument) -> list[Flowable]:
    styles = _styles()
    item_deadlines = {item.deadline for item in notice.items if item.deadline is not None}
    story: list[Flowable] = [
        _paragraph(notice.issuing_body, styles["authority"]),
        Spacer(0, LINE_PITCH),
        _paragraph(notice.document_number, styles["number"]),
        Spacer(0, 4 * mm),
        HRFlowable(width="100%", thickness=1.2, color=RED, spaceBefore=0, spaceAfter=LINE_PITCH),
        _paragraph("整改通知书", styles["title"]),
        Spacer(0, LINE_PITCH / 2),
        _paragraph(f"{notice.institution_name}：", styles["addressee"]),
        _paragraph(
            f"{chinese_date(notice.inspected_on)}，我局监督人员（{notice.inspectors}）对你单位"
            + (f"（地址：{notice.institution_address}）" if notice.institution_address else "")
            + f"进行了监督检查，发现下列{len(notice.items)}项不符合有关规定：",
            styles["body"],
        ),
    ]
    for number, item in enumerate(notice.items, start=1):
        heading = f"{number}. " + (f"【{item.area_title}】" if item.area_title else "") + item.text
        story.append(_paragraph(heading, styles["item"]))
        if item.note:
            story.append(_paragraph(f"检查情况：{item.note}", styles["body"]))
        if item.rule:
            story.append(_paragraph(f"依据：{item.rule}", styles["body"]))
        if item.deadline is not None and len(item_deadlines) > 1:
            story.append(_paragraph(f"整改期限：{chinese_date(item.deadline)}前", styles["body"]))
    estimated = "（期限按工作日推算，未含当年法定节假日安排）" if notice.deadline_estimated else ""
    # The order to correct travels with the signature block: GB/T 9704 never lets the issuer, date and seal stand on
    # a page without body text.
    story.append(
        KeepTogether(
            [
                _paragraph(
                    f"现责令你单位于{chinese_date(notice.deadline)}前整改完毕{estimated}，并将整改情况书面报告我局。"
                    "逾期未整改或整改不到位的，我局将依法处理。",
                    styles["body"],
                ),
                Spacer(0, LINE_PITCH),
                SealArea(notice.issuing_body, chinese_date(notice.issued_on)),
                Spacer(0, LINE_PITCH),
                _paragraph("被检查单位签收人：＿＿＿＿＿＿＿＿", styles["receipt"]),
                _paragraph("签收日期：＿＿＿＿年＿＿月＿＿日", styles["receipt"]),
            ]
        )
    )
    return story


def _number_page(canvas, document) -> None:
    draw_page_number(canvas, document.page)


def render_rectification_notice(notice: RectificationNoticeDocument) -> PrintedDocument:
    """The notice as PDF bytes, with the characters the bundled font cannot draw."""
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=LEFT_MARGIN,
        rightMargin=RIGHT_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=f"整改通知书 {notice.document_number}",
        author=notice.issuing_body,
        subject=notice.institution_name,
        creator="Tuoyu",
        initialFontName=BODY_FONT,  # else every page names an unembedded Helvetica
    )
    document.build(_story(notice), onFirstPage=_number_page, onLaterPages=_number_page)
    return PrintedDocument(buffer.getvalue(), document.page, tuple(undrawable_in(notice.texts())))


def write_rectification_notice(notice: RectificationNoticeDocument, path: Path) -> PrintedDocument:
    """Write the notice to ``path``."""
    return write_pdf(render_rectification_notice(notice), path)
