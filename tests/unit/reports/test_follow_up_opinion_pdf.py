"""The 复查意见书 drawn from a plain data object: official layout, each item's result, the conclusion and what
happens next, the notice it follows up, wrapping, many pages and fonts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from desktop.reports.follow_up_opinion import (
    FollowUpOpinionDocument,
    RecheckedItem,
    RecheckResult,
    render_follow_up_opinion,
)
from tests.pdf_reading import all_fonts_embedded_subsets, page_count, pdf_text, squeezed

LONG_NAME = "张掖市甘州区" + "阳光宝贝普惠性托育服务中心附属婴幼儿照护" * 2 + "示范点第一分部（家庭托育点）"
NOTICE = "甘州卫监改〔2026〕12号"


def item(number: int, result: RecheckResult = RecheckResult.RECTIFIED, *, overdue: bool = False, note: str = ""):
    return RecheckedItem(
        number=number,
        area_title="消防安全",
        text=f"第{number}项：灭火器配置齐全并在有效期内，疏散通道畅通。",
        result=result,
        overdue=overdue,
        note=note,
    )


def opinion(name: str = "甘州区乐育托育中心", items: tuple[RecheckedItem, ...] | None = None, **changes):
    document = FollowUpOpinionDocument(
        issuing_body="甘州区卫生健康局",
        notice_number=NOTICE,
        notice_issued_on=date(2026, 5, 6),
        deadline=date(2026, 5, 19),
        institution_name=name,
        institution_address="甘州区上秦镇南环路228号",
        rechecked_on=date(2026, 5, 21),
        inspectors="高雅琴、韩静",
        items=items if items is not None else (item(1, note="已更换灭火器 4 具"), item(2)),
        actions=(),
        issued_on=date(2026, 5, 21),
    )
    return replace(document, **changes)


def test_a_rectified_notice_reads_back_with_its_number_dates_and_the_closure() -> None:
    printed = render_follow_up_opinion(opinion())
    text = squeezed(pdf_text(printed.pdf))
    assert "甘州区卫生健康局" in text and "复查意见书" in text
    assert f"（{NOTICE}整改通知书复查）" in text
    assert "甘州区乐育托育中心：" in text
    assert "2026年5月21日，我局监督人员（高雅琴、韩静）" in text
    assert f"2026年5月6日下发的{NOTICE}整改通知书（整改期限至2026年5月19日）" in text
    assert "复查结果：已整改。复查情况：已更换灭火器4具" in text
    assert "复查结论：整改到位" in text and "予以销号" in text
    assert "未整改" not in text
    assert text.rfind("2026年5月21日") > text.rfind("复查结论")  # the date under the conclusion
    assert "—1—" in text and printed.undrawable == ()


def test_the_opinion_has_no_number_of_its_own() -> None:
    text = squeezed(pdf_text(render_follow_up_opinion(opinion()).pdf))
    assert "卫监复" not in text
    assert text.count(NOTICE) == 3  # under the title, in the body, in the conclusion: always the notice's number


def test_an_item_still_failing_within_the_deadline_keeps_the_notice_open_until_the_deadline() -> None:
    items = (item(1), item(2, RecheckResult.NOT_RECTIFIED, note="疏散通道仍堆放杂物"))
    printed = render_follow_up_opinion(opinion(items=items, rechecked_on=date(2026, 5, 15)))
    text = squeezed(pdf_text(printed.pdf))
    assert "复查结果：未整改。复查情况：疏散通道仍堆放杂物" in text
    assert "复查结论：未整改到位。第2项未整改。整改通知书继续有效" in text
    assert "请你单位于2026年5月19日前整改完毕" in text and "我局将再次复查" in text
    assert "已超过整改期限" not in text and "予以销号" not in text


def test_an_item_still_failing_after_its_deadline_is_overdue_and_will_be_dealt_with() -> None:
    items = (item(1, RecheckResult.NOT_RECTIFIED, overdue=True), item(2), item(3, RecheckResult.NOT_RECHECKED))
    text = squeezed(pdf_text(render_follow_up_opinion(opinion(items=items)).pdf))
    assert "复查结果：未整改（已超过整改期限）" in text
    assert "复查结果：本次未复查，下次复查时核查" in text
    assert "复查结论：未整改到位。第1项逾期未整改；第3项本次未复查。" in text
    assert "对逾期未整改的问题，我局将依法处理" in text


def test_of_several_failing_items_those_past_their_deadline_are_named() -> None:
    items = (item(1, RecheckResult.NOT_RECTIFIED, overdue=True), item(2, RecheckResult.NOT_RECTIFIED))
    text = squeezed(pdf_text(render_follow_up_opinion(opinion(items=items)).pdf))
    assert "第1项、第2项未整改，其中第1项已超过整改期限。" in text


def test_an_item_left_unchecked_keeps_the_notice_open() -> None:
    items = (item(1), item(2, RecheckResult.NOT_RECHECKED))
    document = opinion(items=items)
    assert not document.rectified
    text = squeezed(pdf_text(render_follow_up_opinion(document).pdf))
    assert "复查结论：未整改到位。第2项本次未复查" in text and "予以销号" not in text


def test_actions_decided_at_the_re_inspection_are_printed() -> None:
    action = "疏散通道堆放杂物逾期未改，罚款人民币5,000.00元（甘州卫罚〔2026〕3号）"
    items = (item(1, RecheckResult.NOT_RECTIFIED, overdue=True),)
    text = squeezed(pdf_text(render_follow_up_opinion(opinion(items=items, actions=(action,))).pdf))
    assert squeezed(f"处理情况：{action}") in text


def test_a_sixty_character_name_wraps_and_reads_back_whole() -> None:
    assert len(LONG_NAME) == 60
    text = pdf_text(render_follow_up_opinion(opinion(name=LONG_NAME)).pdf)
    assert LONG_NAME + "：" in squeezed(text)
    assert LONG_NAME not in text  # broken across lines, not run off the page


def test_a_hundred_and_fifty_items_flow_onto_numbered_pages_with_the_seal_after_the_last() -> None:
    items = tuple(
        item(n, RecheckResult.NOT_RECTIFIED if n % 7 == 0 else RecheckResult.RECTIFIED) for n in range(1, 151)
    )
    printed = render_follow_up_opinion(opinion(items=items))
    text = squeezed(pdf_text(printed.pdf))
    assert printed.pages == page_count(printed.pdf) > 10
    assert "第150项" in text and f"—{printed.pages}—" in text
    assert text.rfind("签收日期") > text.rfind("第150项") > text.find("第1项")
    assert "第7项、第14项" in text  # the failing items named in the conclusion


def test_the_fonts_are_embedded_as_truetype_subsets() -> None:
    assert all_fonts_embedded_subsets(render_follow_up_opinion(opinion()).pdf)


def test_a_character_the_fonts_lack_is_reported() -> None:
    printed = render_follow_up_opinion(opinion(name="甘州区\U0002a6a5托育中心"))
    assert printed.undrawable == ("\U0002a6a5",)
