"""整改通知书: one rectification notice in the layout of an official document (GB/T 9704-2012, see official_page;
the letterhead, styles, seal area and page template it shares with the 复查意见书 are in official_document).

From the top: the issuing body in red, the document number centred below it (甘州卫监改〔2026〕12号), a red rule the
width of the text area, the title, the addressee flush left with a full-width colon, the body with each failed item,
what was seen, the legal basis and its deadline, then the issuing body centred over the date (written with four
characters of space on the right) and an empty seal area over both, where the bureau stamps the paper. The signature
block is kept together, so it never strands the date on a page of its own. Names of any length wrap inside the text
area and any number of items flow onto further pages, each numbered "— N —".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.platypus import Flowable, KeepTogether, Spacer

from desktop.reports.form_page import PrintedDocument, chinese_date, para
from desktop.reports.official_document import SealArea, letterhead, official_styles, render_official
from desktop.reports.official_page import LINE_PITCH

__all__ = [
    "NoticeItem",
    "RectificationNoticeDocument",
    "chinese_date",
    "render_rectification_notice",
]


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


def _story(notice: RectificationNoticeDocument) -> list[Flowable]:
    styles = official_styles()
    item_deadlines = {item.deadline for item in notice.items if item.deadline is not None}
    story: list[Flowable] = [
        *letterhead(notice.issuing_body, notice.document_number, styles),
        para("整改通知书", styles["title"]),
        Spacer(0, LINE_PITCH / 2),
        para(f"{notice.institution_name}：", styles["addressee"]),
        para(
            f"{chinese_date(notice.inspected_on)}，我局监督人员（{notice.inspectors}）对你单位"
            + (f"（地址：{notice.institution_address}）" if notice.institution_address else "")
            + f"进行了监督检查，发现下列{len(notice.items)}项不符合有关规定：",
            styles["body"],
        ),
    ]
    for number, item in enumerate(notice.items, start=1):
        heading = f"{number}. " + (f"【{item.area_title}】" if item.area_title else "") + item.text
        story.append(para(heading, styles["item"]))
        if item.note:
            story.append(para(f"检查情况：{item.note}", styles["body"]))
        if item.rule:
            story.append(para(f"依据：{item.rule}", styles["body"]))
        if item.deadline is not None and len(item_deadlines) > 1:
            story.append(para(f"整改期限：{chinese_date(item.deadline)}前", styles["body"]))
    estimated = "（期限按工作日推算，未含当年法定节假日安排）" if notice.deadline_estimated else ""
    # The order to correct travels with the signature block: GB/T 9704 never lets the issuer, date and seal stand on
    # a page without body text.
    story.append(
        KeepTogether(
            [
                para(
                    f"现责令你单位于{chinese_date(notice.deadline)}前整改完毕{estimated}，并将整改情况书面报告我局。"
                    "逾期未整改或整改不到位的，我局将依法处理。",
                    styles["body"],
                ),
                Spacer(0, LINE_PITCH),
                SealArea(notice.issuing_body, chinese_date(notice.issued_on)),
                Spacer(0, LINE_PITCH),
                para("被检查单位签收人：＿＿＿＿＿＿＿＿", styles["receipt"]),
                para("签收日期：＿＿＿＿年＿＿月＿＿日", styles["receipt"]),
            ]
        )
    )
    return story


def render_rectification_notice(notice: RectificationNoticeDocument) -> PrintedDocument:
    """The notice as PDF bytes, with the characters the bundled font cannot draw."""
    return render_official(
        _story(notice),
        title=f"整改通知书 {notice.document_number}",
        author=notice.issuing_body,
        subject=notice.institution_name,
        texts=notice.texts(),
    )
