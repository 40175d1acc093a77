"""复查意见书: what a 回头看 found of a rectification notice, as an official document of the bureau (GB/T 9704).

The same letterhead, styles, seal area and page numbers as the 整改通知书 (official_document). The opinion has no
document number of its own: Tuoyu numbers only the notices (document_counters, and the blocks of numbers a county
reserves for its field laptops), and a number printed on paper must be stored so that a reprint shows the same one.
So the line under the title names the notice it follows up, which is how the two papers are filed together.

From the top: the letterhead without a number, the title, the notice it follows up, the addressee, the day and
inspectors of the re-inspection, each item of the notice (numbered as in the notice) with 已整改 / 未整改 / 未复查 and
what was seen, then the conclusion (整改到位, the notice is closed; or 未整改到位 with what happens next), any action
the bureau decided at the re-inspection, and the issuer, date and seal area kept together with the conclusion.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from reportlab.platypus import Flowable, KeepTogether, Spacer

from desktop.reports.form_page import PrintedDocument, chinese_date, para
from desktop.reports.official_document import SealArea, letterhead, official_styles, render_official
from desktop.reports.official_page import LINE_PITCH


class RecheckResult(StrEnum):
    RECTIFIED = "已整改"
    NOT_RECTIFIED = "未整改"
    NOT_RECHECKED = "未复查"  # a 回头看 may re-check only the items already due; the rest wait for the next one


@dataclass(frozen=True)
class RecheckedItem:
    """One item of the notice as the re-inspection found it."""

    number: int  # as numbered in the notice
    area_title: str  # "" when the template does not name the area
    text: str  # the requirement
    result: RecheckResult
    overdue: bool  # still failing after its deadline (逾期未整改)
    note: str  # what the re-inspection saw; "" when nothing was written


@dataclass(frozen=True)
class FollowUpOpinionDocument:
    """Everything the 复查意见书 prints, gathered by desktop.services.follow_up_opinion."""

    issuing_body: str  # 甘州区卫生健康局
    notice_number: str  # the notice followed up: 甘州卫监改〔2026〕12号
    notice_issued_on: date
    deadline: date  # the notice's deadline
    institution_name: str
    institution_address: str
    rechecked_on: date
    inspectors: str
    items: tuple[RecheckedItem, ...]
    actions: tuple[str, ...]  # what the bureau decided at the re-inspection (警告、罚款…), as printed
    issued_on: date

    @property
    def rectified(self) -> bool:
        """整改到位: every item of the notice was re-checked and found rectified."""
        return all(item.result is RecheckResult.RECTIFIED for item in self.items)

    def texts(self) -> list[str]:
        """Every piece of data text the opinion prints, for the font check."""
        texts = [self.issuing_body, self.notice_number, self.institution_name, self.institution_address]
        texts += [self.inspectors, *self.actions]
        for item in self.items:
            texts += [item.area_title, item.text, item.note]
        return texts


def _numbers(items: list[RecheckedItem]) -> str:
    return "、".join(f"第{item.number}项" for item in items)


def _result_line(item: RecheckedItem) -> str:
    if item.result is RecheckResult.NOT_RECHECKED:
        return "复查结果：本次未复查，下次复查时核查。"
    result = "未整改（已超过整改期限）" if item.overdue else item.result.value
    # A note that only repeats the result ("已整改") is not printed twice.
    said = item.note and item.note.rstrip("。. ") != item.result.value
    return f"复查结果：{result}。" + (f"复查情况：{item.note}" if said else "")


def _conclusion(opinion: FollowUpOpinionDocument) -> list[str]:
    """The conclusion and what happens next, one paragraph each."""
    if opinion.rectified:
        return [
            f"复查结论：整改到位。{opinion.notice_number}整改通知书所列{len(opinion.items)}项问题均已整改，"
            "予以销号。请你单位巩固整改成果，落实安全管理主体责任。"
        ]
    failing = [item for item in opinion.items if item.result is RecheckResult.NOT_RECTIFIED]
    overdue = [item for item in failing if item.overdue]
    unchecked = [item for item in opinion.items if item.result is RecheckResult.NOT_RECHECKED]
    found = []
    if failing and overdue == failing:
        found.append(f"{_numbers(failing)}逾期未整改")
    elif failing:
        found.append(f"{_numbers(failing)}未整改" + (f"，其中{_numbers(overdue)}已超过整改期限" if overdue else ""))
    if unchecked:
        found.append(f"{_numbers(unchecked)}本次未复查")
    paragraphs = [f"复查结论：未整改到位。{'；'.join(found)}。整改通知书继续有效。"]
    if overdue:
        paragraphs.append(
            "对逾期未整改的问题，我局将依法处理。请你单位立即整改，整改完毕后书面报告我局，我局将再次复查。"
        )
    elif opinion.rechecked_on <= opinion.deadline:
        paragraphs.append(
            f"请你单位于{chinese_date(opinion.deadline)}前整改完毕并书面报告我局，我局将再次复查；"
            "逾期未整改的，依法处理。"
        )
    else:
        paragraphs.append("请你单位立即整改，整改完毕后书面报告我局，我局将再次复查。")
    return paragraphs


def _story(opinion: FollowUpOpinionDocument) -> list[Flowable]:
    styles = official_styles()
    story: list[Flowable] = [
        *letterhead(opinion.issuing_body, "", styles),
        para("复查意见书", styles["title"]),
        para(f"（{opinion.notice_number}整改通知书复查）", styles["number"]),
        Spacer(0, LINE_PITCH / 2),
        para(f"{opinion.institution_name}：", styles["addressee"]),
        para(
            f"{chinese_date(opinion.rechecked_on)}，我局监督人员（{opinion.inspectors}）对你单位"
            + (f"（地址：{opinion.institution_address}）" if opinion.institution_address else "")
            + f"落实我局{chinese_date(opinion.notice_issued_on)}下发的{opinion.notice_number}整改通知书"
            f"（整改期限至{chinese_date(opinion.deadline)}）的情况进行了复查，通知书所列{len(opinion.items)}项问题"
            "的复查情况如下：",
            styles["body"],
        ),
    ]
    for item in opinion.items:
        heading = f"{item.number}. " + (f"【{item.area_title}】" if item.area_title else "") + item.text
        story.append(para(heading, styles["item"]))
        story.append(para(_result_line(item), styles["body"]))
    closing = [para(text, styles["body"]) for text in _conclusion(opinion)]
    closing += [para(f"处理情况：{action}", styles["body"]) for action in opinion.actions]
    # The conclusion travels with the signature block: the issuer, date and seal never stand on a page alone.
    story.append(
        KeepTogether(
            [
                *closing,
                Spacer(0, LINE_PITCH),
                SealArea(opinion.issuing_body, chinese_date(opinion.issued_on)),
                Spacer(0, LINE_PITCH),
                para("被检查单位签收人：＿＿＿＿＿＿＿＿", styles["receipt"]),
                para("签收日期：＿＿＿＿年＿＿月＿＿日", styles["receipt"]),
            ]
        )
    )
    return story


def render_follow_up_opinion(opinion: FollowUpOpinionDocument) -> PrintedDocument:
    """The opinion as PDF bytes, with the characters the bundled fonts cannot draw."""
    return render_official(
        _story(opinion),
        title=f"复查意见书 {opinion.notice_number}",
        author=opinion.issuing_body,
        subject=opinion.institution_name,
        texts=opinion.texts(),
    )
