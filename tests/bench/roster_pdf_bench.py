"""The printed 补贴发放花名册 of 10,000 rows beside a bare ReportLab document of the same rows, in the same run.

    .venv/bin/python -m tests.bench.roster_pdf_bench [--rows 10000] [--repeat 3] [--json FILE]

Two rosters of about ``--rows`` table rows each, made up in memory (no database; ~1 % of the names are 60
characters long and wrap):

- 运营补贴: one row per institution (``--rows`` institutions);
- 入托补贴: institutions of 19 children each, every child a row under its institution (``--rows`` rows in all).

Tuoyu: ``render_payment_roster`` from the document object to the PDF bytes, everything included: formatting the
figures, wrapping names, laying out the pages, the page subtotals, totals and capitals, the signature block, the
running head, "第 N 页 共 M 页" and the font check.

Baseline: a bare ReportLab document of the same rows: the same cell texts (formatted and wrapped beforehand, not
timed), the same columns, font, size and row heights, one platypus Table per page with the header row, PageBreaks
between, SimpleDocTemplate and the plain canvas. Only the build is timed.

Rounds alternate between the two so that the machine's noise hits both alike; medians are reported. Target
(issue 6): Tuoyu within 1.3x of the bare document.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.textsplit import wordSplit
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import PageBreak, SimpleDocTemplate, Table, TableStyle

from desktop.domain.amount_words import format_yuan
from desktop.domain.enums import ApplicationStatus, SubsidyScheme
from desktop.domain.identifiers import make_id_number, mask_id_number
from desktop.domain.payment_roster import ChildLine, PaymentRoster, RosterLine
from desktop.reports.fonts import SANS_FONT, TITLE_FONT, register_fonts
from desktop.reports.form_page import FORM_MARGIN, GRID, SHADE
from desktop.reports.payment_roster_pdf import PaymentRosterDocument, render_payment_roster

TARGET_RATIO = 1.3
CHILDREN_EACH = 19
SIZE, LEADING, PADDING = 9.0, 11.5, 3.0
PAGE = landscape(A4)
WIDTH = PAGE[0] - 2 * FORM_MARGIN - 12  # the frame's padding, as platypus gives it to flowables
HEIGHT = PAGE[1] - 2 * FORM_MARGIN - 12 - 1
WORDS = ("阳光", "小星星", "彩虹", "童心", "爱心", "快乐", "蓝天", "启航", "新苗", "春芽", "晨曦", "乐育")
KINDS = ("托育中心", "托育园", "早教托育中心", "婴幼儿照护服务中心", "幼儿园托班")
LONG_NAME = "张掖市甘州区" + "阳光宝贝普惠性托育服务中心附属婴幼儿照护" * 2 + "示范点第一分部（家庭托育点）"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("子轩", "欣怡", "浩然", "雨桐", "宇航", "梓涵", "一诺", "思远", "佳琪", "明", "丽", "强", "静", "伟", "芳")


def _roster(scheme: SubsidyScheme, rows: int, rng: random.Random) -> PaymentRoster:
    enrollment = scheme is SubsidyScheme.ENROLLMENT
    institutions = rows // (CHILDREN_EACH + 1) if enrollment else rows
    lines = []
    for number in range(institutions):
        short = f"甘州区{rng.choice(WORDS)}{rng.choice(WORDS)}{rng.choice(KINDS)}"
        name = LONG_NAME if rng.random() < 0.01 else short
        children: tuple[ChildLine, ...] = ()
        if enrollment:
            children = tuple(
                ChildLine(
                    rng.choice(SURNAMES) + rng.choice(GIVEN),
                    mask_id_number(make_id_number("620702", date(2024, 1 + n % 12, 1 + n), rng.randint(0, 999))),
                    20_000,
                )
                for n in range(CHILDREN_EACH)
            )
            amount = 20_000 * CHILDREN_EACH
        else:
            amount = 1_000 * 100 * rng.randint(10, 150)
        city = amount * 2 // 10
        paid = rng.random() < 0.5
        lines.append(
            RosterLine(
                application_id=str(number),
                institution=name,
                county_code="620702",
                county_name="甘州区",
                period="2026-11" if enrollment else "2026",
                status=ApplicationStatus.PAID if paid else ApplicationStatus.APPROVED,
                paid_on=date(2026, 11, 30) if paid else None,
                amount_fen=amount,
                city_share_fen=city,
                county_share_fen=amount - city,
                children=children,
            )
        )
    return PaymentRoster(scheme, "2026-11", "甘州区", tuple(lines))


# --------------------------------------------------------------------------- the bare document


@dataclass(frozen=True)
class BarePages:
    head: list[str]
    widths: list[float]
    pages: list[tuple[list[list[str]], list[float]]]  # each page's rows and their heights


def _columns(enrollment: bool) -> tuple[list[str], list[float]]:
    if enrollment:
        heads = ["序号", "机构名称／幼儿姓名", "身份证号", "每人补助\n（元）", "状态", "发放日期", "幼儿\n人数"]
        widths = [10, 0, 34, 24, 14, 27, 13]
    else:
        heads = ["序号", "机构名称", "补贴期间", "状态", "发放日期"]
        widths = [10, 0, 20, 14, 27]
    heads += ["补助金额\n（元）", "市级承担\n（元）", "县区承担\n（元）"]
    widths = [width * mm for width in [*widths, 27, 27, 27]]
    widths[1] = WIDTH - sum(widths)
    return heads, widths


def _lines(text: str, width: float) -> list[str]:
    if stringWidth(text, SANS_FONT, SIZE) <= width:
        return [text]
    return [line for _, line in wordSplit(text, [width], SANS_FONT, SIZE)]


def bare_pages(roster: PaymentRoster) -> BarePages:
    """The same rows as plain cell texts with their heights, cut into pages that fill the frame (not timed)."""
    enrollment = roster.scheme is SubsidyScheme.ENROLLMENT
    head, widths = _columns(enrollment)
    name_width = widths[1] - 2 * PADDING
    rows: list[tuple[list[str], float]] = []
    for number, line in enumerate(roster.lines, start=1):
        name = _lines(line.institution, name_width)
        paid = f"{line.paid_on.year}年{line.paid_on.month}月{line.paid_on.day}日" if line.paid_on else ""
        money = [format_yuan(line.amount_fen), format_yuan(line.city_share_fen), format_yuan(line.county_share_fen)]
        if enrollment:
            cells = [str(number), "\n".join(name), "", "", line.status_text, paid, str(len(line.children)), *money]
        else:
            cells = [str(number), "\n".join(name), f"{line.period}年度", line.status_text, paid, *money]
        rows.append((cells, len(name) * LEADING + 2 * PADDING))
        for count, child in enumerate(line.children, start=1):
            cells = ["", f"　{count}. {child.name}", child.id_number_masked, format_yuan(child.amount_fen)]
            rows.append((cells + [""] * 6, LEADING + 2 * PADDING))
    head_height = 2 * LEADING + 2 * PADDING
    pages: list[tuple[list[list[str]], list[float]]] = []
    page: list[list[str]] = []
    heights: list[float] = []
    for cells, height in rows:
        if heights and head_height + sum(heights) + height > HEIGHT:
            pages.append((page, heights))
            page, heights = [], []
        page.append(cells)
        heights.append(height)
    pages.append((page, heights))
    return BarePages(head, widths, pages)


def render_bare(bare: BarePages) -> tuple[bytes, int]:
    """One Table per page with its header row, the same font and row heights, plain canvas: ReportLab alone."""
    style = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), SANS_FONT),
            ("FONTSIZE", (0, 0), (-1, -1), SIZE),
            ("LEADING", (0, 0), (-1, -1), LEADING),
            ("GRID", (0, 0), (-1, -1), 0.5, GRID),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (-3, 1), (-1, -1), "RIGHT"),
            ("FONTNAME", (0, 0), (-1, 0), TITLE_FONT),
            ("ALIGN", (0, 0), (-1, 0), "CENTER"),
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ]
    )
    head_height = 2 * LEADING + 2 * PADDING
    story = []
    for number, (rows, heights) in enumerate(bare.pages):
        if number:
            story.append(PageBreak())
        story.append(Table([bare.head, *rows], colWidths=bare.widths, rowHeights=[head_height, *heights], style=style))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=FORM_MARGIN,
        rightMargin=FORM_MARGIN,
        topMargin=FORM_MARGIN,
        bottomMargin=FORM_MARGIN,
        initialFontName=SANS_FONT,
    )
    document.build(story)
    return buffer.getvalue(), document.page


# --------------------------------------------------------------------------- the run


def bench(scheme: SubsidyScheme, rows: int, repeat: int, seed: int) -> dict:
    roster = _roster(scheme, rows, random.Random(seed))
    document = PaymentRosterDocument(roster, "张掖市甘州区", "甘州区卫生健康局", date(2026, 11, 23))
    bare = bare_pages(roster)
    table_rows = len(roster.lines) + roster.children
    tuoyu_s, bare_s = [], []
    render_payment_roster(document)  # warm both once: the fonts' first subsetting, imports
    render_bare(bare)
    for _ in range(repeat):
        started = time.perf_counter()
        printed = render_payment_roster(document)
        tuoyu_s.append(time.perf_counter() - started)
        started = time.perf_counter()
        bare_pdf, bare_pages_count = render_bare(bare)
        bare_s.append(time.perf_counter() - started)
    tuoyu, baseline = statistics.median(tuoyu_s), statistics.median(bare_s)
    return {
        "scheme": scheme.value,
        "table_rows": table_rows,
        "tuoyu": {"median_s": tuoyu, "runs_s": tuoyu_s, "pages": printed.pages, "bytes": len(printed.pdf)},
        "bare": {"median_s": baseline, "runs_s": bare_s, "pages": bare_pages_count, "bytes": len(bare_pdf)},
        "tuoyu_pages_per_s": printed.pages / tuoyu,
        "bare_pages_per_s": bare_pages_count / baseline,
        "ratio": tuoyu / baseline,
        "ratio_per_page": (tuoyu / printed.pages) / (baseline / bare_pages_count),
    }


def report(figures: dict) -> None:
    verdict = "ok" if figures["ratio"] <= TARGET_RATIO else f"over the {TARGET_RATIO}x target"
    tuoyu, bare = figures["tuoyu"], figures["bare"]
    print(f"补贴发放花名册, {figures['scheme']}, {figures['table_rows']:,} table rows")
    print(f"  Tuoyu render_payment_roster  {tuoyu['median_s']:6.2f} s  {tuoyu['pages']:4d} pages  "
          f"{figures['tuoyu_pages_per_s']:6.1f} pages/s  {tuoyu['bytes'] / 1e6:5.2f} MB")  # fmt: skip
    print(f"  bare ReportLab, same rows    {bare['median_s']:6.2f} s  {bare['pages']:4d} pages  "
          f"{figures['bare_pages_per_s']:6.1f} pages/s  {bare['bytes'] / 1e6:5.2f} MB")  # fmt: skip
    per_page = figures["ratio_per_page"]
    print(f"  ratio Tuoyu / bare           {figures['ratio']:6.2f} x  ({verdict}); per page {per_page:.2f} x")


def run(rows: int, repeat: int, seed: int) -> dict:
    register_fonts()
    figures = {}
    for scheme in (SubsidyScheme.OPERATING, SubsidyScheme.ENROLLMENT):
        figures[scheme.value] = bench(scheme, rows, repeat, seed)
        report(figures[scheme.value])
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.roster_pdf_bench")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    figures = run(args.rows, args.repeat, args.seed)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
