"""The 双随机抽查名单 drawn from a plain data object: the seed and the rule, the drawn institutions with their
inspectors, no personal data, wrapping, many rows over pages with the header repeated, and fonts."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime

from desktop.reports.random_draw_list import (
    DrawnInstitution,
    RandomDrawListDocument,
    percent_text,
    render_random_draw_list,
)
from tests.pdf_reading import all_fonts_embedded_subsets, page_count, page_texts, pdf_text, squeezed

LONG_NAME = "张掖市甘州区" + "阳光宝贝普惠性托育服务中心附属婴幼儿照护" * 2 + "示范点第一分部（家庭托育点）"
SHA = "9c38170222013a1547f00304d8277edf41b774a4691049bed71d69b33fa8349a"


def line(number: int, name: str | None = None, *, withheld: bool = False) -> DrawnInstitution:
    return DrawnInstitution(
        number=number,
        name=name or f"甘州区第{number}托育中心",
        address=f"甘肃省张掖市甘州区南环路{number}号",
        address_withheld=withheld,
        township="梁家墩镇",
        inspectors=("王桂芳", "高梦瑶"),
    )


def listing(lines: tuple[DrawnInstitution, ...] | None = None, **changes) -> RandomDrawListDocument:
    document = RandomDrawListDocument(
        issuing_body="甘州区卫生健康局",
        county_name="甘州区",
        year=2026,
        quarter=2,
        first_day=date(2026, 4, 1),
        last_day=date(2026, 6, 30),
        drawn_at=datetime(2026, 4, 1, 17, 0),
        seed=20260401,
        rate=0.2,
        minimum=1,
        candidates=66,
        inputs_sha256=SHA,
        institutions=lines if lines is not None else (line(1), line(2), line(3)),
        printed_on=date(2026, 4, 2),
    )
    return replace(document, **changes)


def test_the_list_reads_back_with_period_seed_rule_checksum_and_the_drawn_institutions() -> None:
    printed = render_random_draw_list(listing())
    text = squeezed(pdf_text(printed.pdf))
    assert "甘州区托育机构“双随机”抽查名单" in text
    assert "2026年第2季度（4月1日至6月30日）" in text
    assert "2026年4月1日17:00" in text
    assert "随机种子20260401" in text
    assert "在营托育机构66家中按20%的比例抽取（不少于1家），共抽取3家" in text
    assert SHA in text
    for n in (1, 2, 3):
        assert f"甘州区第{n}托育中心" in text and f"甘肃省张掖市甘州区南环路{n}号" in text
    assert text.count("王桂芳、高梦瑶") == 3 and "梁家墩镇" in text
    assert text.endswith("2026年4月2日第1页共1页")  # the bureau dates the notice; the page number under it
    assert printed.pages == 1 and printed.undrawable == ()


def test_a_home_based_points_address_is_withheld_and_no_id_or_phone_numbers_appear() -> None:
    printed = render_random_draw_list(listing((line(1, "甘州区大满镇沈雅琴家庭托育点", withheld=True), line(2))))
    text = squeezed(pdf_text(printed.pdf))
    assert "甘州区大满镇沈雅琴家庭托育点家庭托育点，详细地址不公示梁家墩镇" in text
    assert "南环路1号" not in text and "南环路2号" in text
    assert not re.search(r"\d{17}[\dX]", text)  # no resident ID number
    assert not re.search(r"1[3-9]\d{9}", text)  # no mobile number


def test_an_institution_without_inspectors_is_marked_for_the_bureau_to_assign() -> None:
    text = squeezed(pdf_text(render_random_draw_list(listing((replace(line(1), inspectors=()),))).pdf))
    assert "由县局指派" in text


def test_a_draw_of_nothing_says_so() -> None:
    text = squeezed(pdf_text(render_random_draw_list(listing((), candidates=0)).pdf))
    assert "共抽取0家" in text and "本期没有抽中机构" in text


def test_rates_print_as_announced() -> None:
    assert [percent_text(rate) for rate in (0.2, 0.125, 1.0, 0.05)] == ["20%", "12.5%", "100%", "5%"]


def test_a_sixty_character_name_wraps_inside_its_cell() -> None:
    assert len(LONG_NAME) == 60
    text = pdf_text(render_random_draw_list(listing((line(1, LONG_NAME),))).pdf)
    assert LONG_NAME in squeezed(text)
    assert LONG_NAME not in text  # broken across lines, not run out of the cell


def test_many_rows_flow_onto_further_pages_with_the_header_repeated() -> None:
    printed = render_random_draw_list(listing(tuple(line(n) for n in range(1, 301))))
    pages = [squeezed(text) for text in page_texts(printed.pdf)]
    assert printed.pages == page_count(printed.pdf) == len(pages) > 5
    assert all("机构名称" in page and "检查人员" in page for page in pages)
    assert all(f"第{n}页共{len(pages)}页" in page for n, page in enumerate(pages, start=1))
    assert "甘州区第300托育中心" in pages[-1] and pages[-1].rfind("甘州区卫生健康局") > pages[-1].rfind("第300")


def test_the_fonts_are_embedded_as_truetype_subsets() -> None:
    assert all_fonts_embedded_subsets(render_random_draw_list(listing()).pdf)
