"""The county's 主要指标汇总表 drawn from a plain data object: every figure and how it was counted, on one A4 page."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from desktop.reports.county_summary import CountOf, CountySummaryDocument, SubsidyPaid, render_county_summary
from tests.pdf_reading import all_fonts_embedded_subsets, pdf_text, squeezed


def summary(**changes) -> CountySummaryDocument:
    document = CountySummaryDocument(
        issuing_body="甘州区卫生健康局",
        county_name="甘州区",
        year=2026,
        counted_on=date(2026, 11, 23),
        printed_on=date(2026, 11, 24),
        institutions=81,
        by_operating=(CountOf("正常运营", 66), CountOf("筹建中", 5), CountOf("暂停运营", 5), CountOf("已关闭", 5)),
        by_filing=(CountOf("已备案", 67), CountOf("备案审核中", 5), CountOf("未备案", 8), CountOf("已注销备案", 1)),
        puhui_operating=34,
        slots_operating=4638,
        population=519_096,
        population_year=2020,
        slots_per_1000=Decimal("8.93"),
        slots_per_1000_target=Decimal("4.5"),
        townships=23,
        townships_with_puhui=17,
        township_coverage=Decimal("73.9"),
        children_in_care=3548,
        slot_use=Decimal("76.5"),
        half_year_label="2026年下半年",
        semiannual_due=66,
        semiannual_done=46,
        semiannual_rate=Decimal("69.7"),
        quarter_label="2026年第4季度",
        drawn=14,
        drawn_done=9,
        drawn_rate=Decimal("64.3"),
        notices_issued=49,
        notices_open=11,
        notices_overdue=9,
        follow_ups=38,
        subsidies=(
            SubsidyPaid("建设补贴", 2, 5_000_000),
            SubsidyPaid("运营补贴", 1, 8_000_000),
            SubsidyPaid("入托补贴", 30, 1_200_050),
        ),
    )
    return replace(document, **changes)


def test_every_indicator_reads_back_with_its_figure_on_one_page() -> None:
    printed = render_county_summary(summary())
    text = squeezed(pdf_text(printed.pdf))
    assert printed.pages == 1 and "第1页共1页" in text
    assert "甘州区托育服务主要指标汇总表" in text and "2026年度统计截至2026年11月23日" in text
    assert "托育机构81家正常运营66，筹建中5，暂停运营5，已关闭5" in text
    assert "已备案机构67家已备案67，备案审核中5，未备案8，已注销备案1" in text
    assert "普惠性托育机构（在营）34家" in text
    assert "托位数（在营机构）4,638个" in text
    assert "常住人口519,096人采用2020年常住人口" in text
    assert "每千人口托位数8.93托位数÷常住人口×1000；2025年目标4.5" in text
    assert "覆盖率73.9%有普惠机构在营的乡镇（街道）17个÷共23个" in text
    assert "在托幼儿（在营机构）3,548人托位使用率76.5%" in text
    assert "半年检查（2026年下半年）46/66家" in text and "完成率69.7%" in text
    assert "季度抽查（2026年第4季度）9/14家" in text and "完成率64.3%" in text
    assert "整改通知书（2026年下发）49份" in text
    assert "未销号整改通知书11份其中已超过整改期限9份" in text
    assert "整改回头看（2026年）38次" in text
    assert "建设补贴¥50,000.002笔" in text and "入托补贴¥12,000.5030笔" in text
    assert "合计¥142,000.50人民币壹拾肆万贰仟元零伍角" in text
    assert "制表单位：甘州区卫生健康局制表日期：2026年11月24日" in text
    assert printed.undrawable == ()


def test_missing_figures_print_as_a_dash_never_as_zero() -> None:
    document = summary(
        population=None,
        population_year=None,
        slots_per_1000=None,
        townships=0,
        townships_with_puhui=0,
        township_coverage=None,
        drawn=None,
        drawn_done=0,
        drawn_rate=None,
    )
    text = squeezed(pdf_text(render_county_summary(document).pdf))
    assert "常住人口—没有该年或之前年份的常住人口数" in text
    assert "每千人口托位数—" in text
    assert "覆盖率—" in text
    assert "季度抽查（2026年第4季度）—本季度尚未抽取" in text


def test_no_subsidies_paid_is_a_total_of_zero_in_capitals() -> None:
    document = summary(subsidies=tuple(SubsidyPaid(s, 0, 0) for s in ("建设补贴", "运营补贴", "入托补贴")))
    text = squeezed(pdf_text(render_county_summary(document).pdf))
    assert "合计¥0.00人民币零元整" in text


def test_the_fonts_are_embedded_as_truetype_subsets() -> None:
    assert all_fonts_embedded_subsets(render_county_summary(summary()).pdf)
