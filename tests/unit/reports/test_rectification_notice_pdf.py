"""The 整改通知书 drawn from a plain data object: official layout, wrapping, many pages, fonts and rare characters."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.reports.fonts import undrawable
from desktop.reports.official_page import BOTTOM_MARGIN, LEFT_MARGIN, PAGE_HEIGHT, PAGE_WIDTH, RIGHT_MARGIN, TOP_MARGIN
from desktop.reports.rectification_notice import (
    NoticeItem,
    RectificationNoticeDocument,
    chinese_date,
    render_rectification_notice,
)
from tests.pdf_reading import all_fonts_embedded_subsets, page_count, page_texts, pdf_text, squeezed

LONG_NAME = "张掖市甘州区" + "阳光宝贝普惠性托育服务中心附属婴幼儿照护" * 2 + "示范点第一分部（家庭托育点）"


def notice(name: str = "甘州区乐育托育中心", items: int = 3) -> RectificationNoticeDocument:
    return RectificationNoticeDocument(
        issuing_body="甘州区卫生健康局",
        document_number="甘州卫监改〔2026〕12号",
        institution_name=name,
        institution_address="甘州区上秦镇南环路228号",
        inspected_on=date(2026, 5, 6),
        inspectors="高雅琴、韩静",
        issued_on=date(2026, 5, 6),
        deadline=date(2026, 5, 19),
        deadline_estimated=False,
        items=tuple(
            NoticeItem(
                code=f"A{n}",
                area_title="卫生保健",
                text=f"第{n}项：活动室、寝室、卫生间、餐饮具和玩具等按规定清洁消毒，有记录。",
                note=f"现场检查发现第{n}项未达到要求",
                rule="《托育机构管理规范（试行）》第27条",
                deadline=date(2026, 5, 19),
            )
            for n in range(1, items + 1)
        ),
    )


def test_the_page_is_a4_with_the_gbt_9704_text_area() -> None:
    assert round(PAGE_WIDTH / 72 * 25.4) == 210 and round(PAGE_HEIGHT / 72 * 25.4) == 297
    mm = 72 / 25.4
    assert (round(TOP_MARGIN / mm), round(LEFT_MARGIN / mm)) == (37, 28)
    assert (round(RIGHT_MARGIN / mm), round(BOTTOM_MARGIN / mm)) == (26, 35)


def test_the_notice_reads_back_with_number_addressee_items_and_dates_in_chinese() -> None:
    printed = render_rectification_notice(notice())
    text = squeezed(pdf_text(printed.pdf))
    assert "甘州区卫生健康局" in text and "整改通知书" in text
    assert "甘州卫监改〔2026〕12号" in text
    assert "甘州区乐育托育中心：" in text
    assert "2026年5月19日前整改完毕" in text and "2026年5月6日" in text
    assert "第3项：活动室" in text and "依据：《托育机构管理规范（试行）》第27条" in text
    assert "—1—" in text
    assert printed.undrawable == ()


def test_the_fonts_are_embedded_as_truetype_subsets() -> None:
    assert all_fonts_embedded_subsets(render_rectification_notice(notice()).pdf)


def test_a_sixty_character_name_wraps_and_reads_back_whole() -> None:
    assert len(LONG_NAME) == 60
    text = pdf_text(render_rectification_notice(notice(name=LONG_NAME)).pdf)
    assert LONG_NAME + "：" in squeezed(text)
    assert LONG_NAME not in text  # broken across lines, not run off the page


def test_a_hundred_and_fifty_items_flow_onto_numbered_pages() -> None:
    printed = render_rectification_notice(notice(items=150))
    text = squeezed(pdf_text(printed.pdf))
    assert printed.pages == page_count(printed.pdf) > 20
    assert "第150项" in text and f"—{printed.pages}—" in text
    assert text.rfind("签收日期") > text.rfind("第150项")  # the signature block comes after the last item
    last_page = squeezed(page_texts(printed.pdf)[-1])
    assert "现责令你单位于2026年5月19日前整改完毕" in last_page  # never a page with only the signature


def test_characters_the_font_cannot_draw_are_reported_not_dropped() -> None:
    assert undrawable("张𠮷 喆䶮") == ["𠮷"]  # Ext B is not in Noto Sans SC; spaces need no glyph
    printed = render_rectification_notice(notice(name="𠮷祥托育中心"))
    assert printed.undrawable == ("𠮷",)


def test_dates_are_written_without_leading_zeros() -> None:
    assert chinese_date(date(2026, 6, 7)) == "2026年6月7日"


def test_each_page_laid_out_is_reported_and_may_stop_the_render() -> None:
    from desktop.reports.form_page import reporting_pages

    seen: list[int] = []
    with reporting_pages(seen.append):
        printed = render_rectification_notice(notice(items=12))
    assert seen == list(range(1, printed.pages + 1)) and printed.pages > 1

    class Stop(Exception):
        pass

    def stop(_page: int) -> None:
        raise Stop

    with reporting_pages(stop), pytest.raises(Stop):
        render_rectification_notice(notice(items=12))
