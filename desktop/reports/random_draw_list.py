"""双随机抽查名单: the public list (公示) of one county's quarterly draw, with what anyone needs to redo it.

A plain A4 form (form_page): the title and the bureau with the quarter, a block with the draw's facts — when it was
drawn, the seed, the rule (rate, minimum, how many operating institutions were in the pool, how many were drawn) and
the SHA-256 of the recorded inputs — then the drawn institutions in the order of the draw (name, address, township,
the two inspectors drawn for each) in a table whose header repeats on every page, and the bureau and date at the end.

It is published, so it carries no personal data: no ID or phone numbers, no legal representatives, not who pressed the
button. Inspectors are named as officials acting in office. A 家庭托育点 is someone's home, so its street address is
withheld (``address_withheld``) and only its township is printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

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
# Columns: 序号, 机构名称, 地址, 所在乡镇（街道）, 检查人员 (the name and the address share what is left).
FIXED_WIDTHS = {"number": 9 * mm, "township": 22 * mm, "inspectors": 27 * mm}
WITHHELD_ADDRESS = "家庭托育点，详细地址不公示"


@dataclass(frozen=True)
class DrawnInstitution:
    """One drawn institution as the list prints it."""

    number: int  # its place in the draw
    name: str
    address: str
    address_withheld: bool  # a 家庭托育点: the address is a home and is not published
    township: str  # "" when the record names none
    inspectors: tuple[str, ...]  # the inspectors drawn for it; () when none could be drawn


@dataclass(frozen=True)
class RandomDrawListDocument:
    """Everything the 双随机抽查名单 prints, gathered by desktop.services.random_draw_list."""

    issuing_body: str  # 甘州区卫生健康局
    county_name: str
    year: int
    quarter: int
    first_day: date
    last_day: date
    drawn_at: datetime  # local time
    seed: int
    rate: float  # 0.2 for 20%
    minimum: int
    candidates: int  # operating institutions of the county when it was drawn: the pool
    inputs_sha256: str
    institutions: tuple[DrawnInstitution, ...]
    printed_on: date

    @property
    def period_text(self) -> str:
        return f"{self.year}年第{self.quarter}季度"

    def texts(self) -> list[str]:
        """Every piece of data text the list prints, for the font check."""
        texts = [self.issuing_body, self.county_name]
        for line in self.institutions:
            texts += [line.name, line.address, line.township, *line.inspectors]
        return texts


def percent_text(rate: float) -> str:
    """0.2 → "20%", 0.125 → "12.5%": the rate as the bureau announced it."""
    return f"{round(rate * 100, 4):g}%"


def _facts(listing: RandomDrawListDocument, styles: dict[str, ParagraphStyle]) -> Table:
    label, value = styles["label"], styles["header"]
    at = listing.drawn_at
    rule = (
        f"从{listing.county_name}在营托育机构 {listing.candidates} 家中按 {percent_text(listing.rate)} 的比例抽取"
        f"（不少于 {listing.minimum} 家），共抽取 {len(listing.institutions)} 家；每家机构随机抽取 2 名检查人员，"
        "与机构有利害关系的检查人员回避。"
    )
    method = (
        "每家机构按“种子|期间|县区代码|机构编号”计算 SHA-256，取值最小的若干家，按取值由小到大排列；"
        "检查人员按“种子|期间|机构编号|人员编号”同样抽取。同一种子、同一输入数据，结果完全相同。"
    )
    span = f"{listing.first_day.month}月{listing.first_day.day}日至{listing.last_day.month}月{listing.last_day.day}日"
    rows = [
        [
            para("抽查期间", label),
            para(f"{listing.period_text}（{span}）", value),
            para("抽取时间", label),
            para(f"{at.year}年{at.month}月{at.day}日 {at:%H:%M}", value),
        ],
        [
            para("随机种子", label),
            para(str(listing.seed), value),
            para("抽查比例", label),
            para(percent_text(listing.rate), value),
        ],
        [para("抽取规则", label), para(rule, value), "", ""],
        [para("抽取方法", label), para(method, value), "", ""],
        [para("校验码", label), para(f"SHA-256：{listing.inputs_sha256}", styles["cell"]), "", ""],
    ]
    rest = TEXT_WIDTH - 2 * 26 * mm
    table = Table(rows, colWidths=(26 * mm, rest / 2, 26 * mm, rest / 2))
    spans = [("SPAN", (1, row), (3, row)) for row in (2, 3, 4)]
    table.setStyle(grid_style(("BACKGROUND", (0, 0), (0, -1), SHADE), ("BACKGROUND", (2, 0), (2, 1), SHADE), *spans))
    return table


def _institutions_table(listing: RandomDrawListDocument, styles: dict[str, ParagraphStyle]) -> Table:
    head, cell = styles["head"], styles["cell"]
    rows: list[list] = [[para(text, head) for text in ("序号", "机构名称", "地址", "乡镇（街道）", "检查人员")]]
    for line in listing.institutions:
        rows.append(
            [
                para(str(line.number), styles["centre"]),
                para(line.name, cell),
                para(WITHHELD_ADDRESS if line.address_withheld else line.address or "—", cell),
                para(line.township or "—", cell),
                para("、".join(line.inspectors) if line.inspectors else "由县局指派", cell),
            ]
        )
    rest = TEXT_WIDTH - sum(FIXED_WIDTHS.values())
    widths = (FIXED_WIDTHS["number"], rest * 0.42, rest * 0.58, FIXED_WIDTHS["township"], FIXED_WIDTHS["inspectors"])
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(grid_style(("BACKGROUND", (0, 0), (-1, 0), SHADE)))
    return table


def _story(listing: RandomDrawListDocument) -> list[Flowable]:
    styles = form_styles()
    signed = ParagraphStyle("signed", parent=styles["header"], alignment=TA_RIGHT)
    drawn = (
        [_institutions_table(listing, styles)]
        if listing.institutions
        else [para("本期没有抽中机构（抽取时全区没有在营托育机构）。", styles["header"])]
    )
    return [
        para(f"{listing.county_name}托育机构“双随机”抽查名单", styles["title"]),
        para(f"{listing.issuing_body}　{listing.period_text}　公示", styles["subtitle"]),
        Spacer(0, 3 * mm),
        para(
            f"根据“双随机、一公开”要求，现将{listing.county_name}{listing.period_text}托育机构抽查名单公示如下。"
            f"对抽取过程或名单有异议的，请在公示期内向{listing.issuing_body}反映。",
            styles["header"],
        ),
        Spacer(0, 3 * mm),
        _facts(listing, styles),
        para(f"抽中机构（{len(listing.institutions)} 家，按抽取顺序排列）", styles["section"]),
        *drawn,
        Spacer(0, 4 * mm),
        KeepTogether([para(listing.issuing_body, signed), para(chinese_date(listing.printed_on), signed)]),
    ]


def render_random_draw_list(listing: RandomDrawListDocument) -> PrintedDocument:
    """The list as PDF bytes, with the characters the bundled fonts cannot draw."""
    return render_form(
        _story(listing),
        title=f"{listing.county_name}{listing.period_text}双随机抽查名单",
        subject="双随机抽查名单",
        author=listing.issuing_body,
        texts=listing.texts(),
    )
