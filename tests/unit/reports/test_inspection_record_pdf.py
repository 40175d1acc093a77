"""The 检查记录表 drawn from a plain data object: header, every item with its result, findings, many pages, wrapping."""

from __future__ import annotations

from datetime import datetime

from desktop.reports.inspection_record import InspectionRecordDocument, RecordItem, render_inspection_record
from tests.pdf_reading import all_fonts_embedded_subsets, page_count, page_texts, pdf_text, squeezed

LONG_NAME = "张掖市甘州区" + "阳光宝贝普惠性托育服务中心附属婴幼儿照护" * 2 + "示范点第一分部（家庭托育点）"
RESULTS = ("符合", "不符合", "不适用", "未答")


def record(name: str = "甘州区乐育托育中心", items: int = 4) -> InspectionRecordDocument:
    return InspectionRecordDocument(
        institution_name=name,
        institution_address="甘州区上秦镇南环路228号",
        kind="季度抽查",
        period="2026Q2",
        inspected_at=datetime(2026, 5, 6, 9, 30),
        template_title="张掖市托育机构安全检查表",
        template_version="2026.1",
        inspectors=("高雅琴", "韩静"),
        representative="李红",
        finished=True,
        conclusion="需整改",
        score=86,
        veto_failed=(),
        notice_number="甘州卫监改〔2026〕12号",
        items=tuple(
            RecordItem(
                number=n,
                area_title="卫生保健",
                text=f"第{n}项：活动室、寝室、卫生间、餐饮具和玩具等按规定清洁消毒，有记录，记录保存不少于两年。",
                severity="严重" if n == 3 else "一般",
                veto=n == 3,
                result=RESULTS[(n - 1) % 4],
                note=f"现场查看第{n}项" if n % 2 == 0 else "",
            )
            for n in range(1, items + 1)
        ),
    )


def test_the_record_reads_back_with_header_items_results_and_findings() -> None:
    printed = render_inspection_record(record())
    text = squeezed(pdf_text(printed.pdf))
    assert "托育机构安全检查记录表" in text and "甘州区乐育托育中心" in text
    assert "张掖市托育机构安全检查表（版本2026.1）" in text and "2026年5月6日09:30" in text
    for n in range(1, 5):
        assert f"第{n}项：活动室" in text
    for result in RESULTS:
        assert result in text
    assert "甘州卫监改〔2026〕12号" in text and "需整改" in text and "86" in text
    assert "检查人员高雅琴" in text and "检查人员韩静" in text and "机构负责人李红" in text
    assert "严重否决项" in text and "第1页共1页" in text
    assert printed.undrawable == ()


def test_the_fonts_are_embedded_as_truetype_subsets() -> None:
    assert all_fonts_embedded_subsets(render_inspection_record(record()).pdf)


def test_a_hundred_and_fifty_items_flow_over_pages_with_the_header_row_on_each() -> None:
    printed = render_inspection_record(record(items=150))
    pages = page_texts(printed.pdf)
    assert printed.pages == page_count(printed.pdf) == len(pages) > 3
    for number, page in enumerate(pages, start=1):
        page = squeezed(page)
        assert f"第{number}页共{len(pages)}页" in page
        if number < len(pages) or "第150项" in page:
            assert "序号检查区域检查内容程度结果备注" in page
    text = squeezed("".join(pages))
    assert "第150项" in text and text.rfind("机构负责人") > text.rfind("第150项")


def test_a_sixty_character_name_wraps_inside_its_cell() -> None:
    assert len(LONG_NAME) == 60
    text = pdf_text(render_inspection_record(record(name=LONG_NAME)).pdf)
    assert LONG_NAME in squeezed(text)
    assert LONG_NAME not in text  # broken across lines, not run off the page


def test_a_missing_representative_or_inspector_leaves_a_line_to_sign_by_hand() -> None:
    from dataclasses import replace

    printed = render_inspection_record(replace(record(), representative="", inspectors=()))
    text = squeezed(pdf_text(printed.pdf))
    assert text.count("签名：＿＿＿＿＿＿＿＿＿＿") == 2  # one blank inspector line, one for the institution
    assert "检查人员签名" in text and "机构负责人签名" in text and "李红" not in text
