"""托育服务主要指标汇总表: one county's main indicators on one A4 page, for the bureau's files and its reports upward.

A plain A4 form (form_page): the title, the county and the day counted, then three ruled tables — supply (institutions
by operating, filing and 普惠 state, slots, population, slots per 1,000 people, 普惠 township coverage, children in
care), supervision (the half-year inspections done of those due, the quarter's spot checks, notices issued, open and
overdue, 回头看 done) and subsidies paid this year by scheme — each row with its figure and how it was counted, then
the sources of the formulas and who made the table. The figures are computed by desktop.services.county_summary
with desktop.domain.county_indicators; this module only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from desktop.domain.amount_words import amount_words, format_yuan
from desktop.reports.form_page import (
    SHADE,
    PrintedDocument,
    chinese_date,
    form_styles,
    grid_style,
    para,
    render_form,
    text_width,
)

TEXT_WIDTH = text_width()
COLUMN_WIDTHS = (52 * mm, 40 * mm, TEXT_WIDTH - 92 * mm)  # 指标, 数值, 说明
NONE = "—"


@dataclass(frozen=True)
class CountOf:
    """A count under its Chinese label (在营 12)."""

    label: str
    count: int


@dataclass(frozen=True)
class SubsidyPaid:
    """The payments of one subsidy scheme in the year."""

    scheme: str  # 建设补贴 / 运营补贴 / 入托补贴
    payments: int
    amount_fen: int


@dataclass(frozen=True)
class CountySummaryDocument:
    """Everything the summary sheet prints, gathered by desktop.services.county_summary."""

    issuing_body: str
    county_name: str
    year: int
    counted_on: date  # today for this year, 31 December for a past one
    printed_on: date
    institutions: int  # every institution of the register that had begun (any state)
    by_operating: tuple[CountOf, ...]
    by_filing: tuple[CountOf, ...]
    puhui_operating: int
    slots_operating: int
    population: int | None
    population_year: int | None  # the latest figure of the year or before (censuses come once in ten years)
    slots_per_1000: Decimal | None
    slots_per_1000_target: Decimal
    townships: int
    townships_with_puhui: int
    township_coverage: Decimal | None  # per cent
    children_in_care: int
    slot_use: Decimal | None  # per cent of the operating slots
    half_year_label: str  # 2026年下半年
    semiannual_due: int
    semiannual_done: int
    semiannual_rate: Decimal | None
    quarter_label: str  # 2026年第4季度
    drawn: int | None  # None when the quarter has no draw
    drawn_done: int
    drawn_rate: Decimal | None
    notices_issued: int
    notices_open: int
    notices_overdue: int
    follow_ups: int
    subsidies: tuple[SubsidyPaid, ...]

    @property
    def filed(self) -> int:
        return next((count.count for count in self.by_filing if count.label == "已备案"), 0)

    @property
    def subsidy_total_fen(self) -> int:
        return sum(line.amount_fen for line in self.subsidies)

    def texts(self) -> list[str]:
        """Every piece of data text the sheet prints, for the font check."""
        return [self.issuing_body, self.county_name]


def _percent(value: Decimal | None) -> str:
    return NONE if value is None else f"{value}%"


def _counts(counts: tuple[CountOf, ...]) -> str:
    return "，".join(f"{count.label} {count.count}" for count in counts)


def _table(rows: list[tuple[str, str, str]], styles: dict[str, ParagraphStyle]) -> Table:
    head = [para(text, styles["head"]) for text in ("指标", "数值", "说明")]
    body = [
        [para(name, styles["strong"]), para(value, styles["number"]), para(note, styles["cell"])]
        for name, value, note in rows
    ]
    table = Table([head, *body], colWidths=COLUMN_WIDTHS, repeatRows=1)
    table.setStyle(grid_style(("BACKGROUND", (0, 0), (-1, 0), SHADE)))
    return table


def _supply(summary: CountySummaryDocument) -> list[tuple[str, str, str]]:
    if summary.population is None:
        population, population_note = NONE, "没有该年或之前年份的常住人口数，无法计算每千人口托位数"
    else:
        population = f"{summary.population:,} 人"
        population_note = f"采用{summary.population_year}年常住人口（该年或之前最近一年的数据）"
    per_1000 = NONE if summary.slots_per_1000 is None else str(summary.slots_per_1000)
    return [
        ("托育机构", f"{summary.institutions} 家", _counts(summary.by_operating)),
        ("已备案机构", f"{summary.filed} 家", _counts(summary.by_filing)),
        ("普惠性托育机构（在营）", f"{summary.puhui_operating} 家", "已认定普惠且在营的机构"),
        ("托位数（在营机构）", f"{summary.slots_operating:,} 个", "在营机构备案（设置）托位数之和"),
        ("常住人口", population, population_note),
        (
            "每千人口托位数",
            per_1000,
            f"托位数 ÷ 常住人口 × 1000；2025年目标 {summary.slots_per_1000_target}",
        ),
        (
            "普惠托育乡镇（街道）覆盖率",
            _percent(summary.township_coverage),
            f"有普惠机构在营的乡镇（街道）{summary.townships_with_puhui} 个 ÷ 共 {summary.townships} 个",
        ),
        ("在托幼儿（在营机构）", f"{summary.children_in_care:,} 人", f"托位使用率 {_percent(summary.slot_use)}"),
    ]


def _supervision(summary: CountySummaryDocument) -> list[tuple[str, str, str]]:
    if summary.drawn is None:
        spot_value, spot_note = NONE, "本季度尚未抽取"
    else:
        spot_value = f"{summary.drawn_done} / {summary.drawn} 家"
        spot_note = f"已检查 / 抽中，完成率 {_percent(summary.drawn_rate)}"
    return [
        (
            f"半年检查（{summary.half_year_label}）",
            f"{summary.semiannual_done} / {summary.semiannual_due} 家",
            f"已检查 / 应检查（在营机构），完成率 {_percent(summary.semiannual_rate)}",
        ),
        (f"季度抽查（{summary.quarter_label}）", spot_value, spot_note),
        (f"整改通知书（{summary.year}年下发）", f"{summary.notices_issued} 份", "按通知书编号年度统计"),
        (
            "未销号整改通知书",
            f"{summary.notices_open} 份",
            f"其中已超过整改期限 {summary.notices_overdue} 份",
        ),
        (f"整改回头看（{summary.year}年）", f"{summary.follow_ups} 次", "已完成的回头看（更正记录不重复计）"),
    ]


def _subsidies(summary: CountySummaryDocument) -> list[tuple[str, str, str]]:
    rows = [(line.scheme, f"¥{format_yuan(line.amount_fen)}", f"{line.payments} 笔") for line in summary.subsidies]
    total = summary.subsidy_total_fen
    rows.append(("合计", f"¥{format_yuan(total)}", amount_words(total)))
    return rows


def _story(summary: CountySummaryDocument) -> list[Flowable]:
    styles = form_styles()
    right = ParagraphStyle("right", parent=styles["header"], alignment=TA_RIGHT)
    small = ParagraphStyle("small", parent=styles["cell"], fontSize=8, leading=11)
    return [
        para(f"{summary.county_name}托育服务主要指标汇总表", styles["title"]),
        para(f"{summary.year}年度　统计截至{chinese_date(summary.counted_on)}", styles["subtitle"]),
        para("一、托育服务供给", styles["section"]),
        _table(_supply(summary), styles),
        para("二、监督检查", styles["section"]),
        _table(_supervision(summary), styles),
        para(f"三、补贴发放（{summary.year}年已发放）", styles["section"]),
        _table(_subsidies(summary), styles),
        Spacer(0, 3 * mm),
        para(
            "说明：机构的运营、备案和普惠状态按机构档案中截至统计日的变更记录计算；托位数按现有档案。"
            "每千人口托位数 = 在营机构托位数 ÷ 常住人口 × 1000，2025年目标值见"
            "《甘肃省开展全国婴幼儿照护服务示范城市创建活动实施方案》；普惠托育乡镇（街道）覆盖率 = "
            "有在营普惠机构的乡镇（街道）数 ÷ 乡镇（街道）总数。",
            small,
        ),
        Spacer(0, 6 * mm),
        para(f"制表单位：{summary.issuing_body}　　制表日期：{chinese_date(summary.printed_on)}", right),
    ]


def render_county_summary(summary: CountySummaryDocument) -> PrintedDocument:
    """The sheet as PDF bytes, with the characters the bundled fonts cannot draw."""
    return render_form(
        _story(summary),
        title=f"{summary.county_name}托育服务主要指标汇总表 {summary.year}",
        subject="托育服务主要指标",
        author=summary.issuing_body,
        texts=summary.texts(),
    )
