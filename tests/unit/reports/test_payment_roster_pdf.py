"""The 补贴发放花名册 drawn from a plain data object: lines, masked IDs, page subtotals that add up to the total in
figures and capitals, the header row and page numbers on every page, signatures on the last, wrapping, refusal."""

from __future__ import annotations

import re
from datetime import date

import pytest

from desktop.domain.amount_words import amount_words, format_yuan
from desktop.domain.enums import ApplicationStatus, SubsidyScheme
from desktop.domain.identifiers import make_id_number, mask_id_number
from desktop.domain.payment_roster import ChildLine, PaymentRoster, RosterLine
from desktop.errors import TuoyuError
from desktop.reports.form_page import write_pdf
from desktop.reports.payment_roster_pdf import PaymentRosterDocument, render_payment_roster
from tests.pdf_reading import all_fonts_embedded_subsets, page_count, page_texts, pdf_text, squeezed

LONG_NAME = "张掖市甘州区" + "阳光宝贝普惠性托育服务中心附属婴幼儿照护" * 2 + "示范点第一分部（家庭托育点）"
MONEY = re.compile(r"^-?[\d,]+\.\d\d$")
COUNT = re.compile(r"^\d+$")
MASKED_ID = re.compile(r"\d{6}\*{8}[\dX]{4}")


def line(
    number: int,
    *,
    name: str | None = None,
    children: tuple[ChildLine, ...] = (),
    county: str = "甘州区",
    amount: int | None = None,
    paid: bool = False,
) -> RosterLine:
    amount = amount if amount is not None else 20_000 * len(children) or 1_000_000 + 137 * number
    city = amount * 2 // 10 if county == "甘州区" else 0
    return RosterLine(
        application_id=f"app-{number}",
        institution=name or f"甘州区第{number}托育中心",
        county_code="620702" if county == "甘州区" else "620725",
        county_name=county,
        period="2026-11" if children else "2026",
        status=ApplicationStatus.PAID if paid else ApplicationStatus.APPROVED,
        paid_on=date(2026, 11, 30) if paid else None,
        amount_fen=amount,
        city_share_fen=city,
        county_share_fen=amount - city,
        children=children,
    )


def kids(count: int, *, start: int = 0) -> tuple[ChildLine, ...]:
    return tuple(
        ChildLine(f"王小{n}", mask_id_number(make_id_number("620702", date(2024, 6, 15), n)), 20_000)
        for n in range(start, start + count)
    )


def document(lines: list[RosterLine], scheme: SubsidyScheme = SubsidyScheme.OPERATING, county: str = "甘州区"):
    roster = PaymentRoster(scheme, "2026-11", county, tuple(lines))
    region = "张掖市甘州区" if county else "张掖市"
    body = "甘州区卫生健康局" if county else "张掖市卫生健康委员会"
    return PaymentRosterDocument(roster, region, body, date(2026, 11, 23))


def subtotal_figures(page: str) -> list[str]:
    """The figures on a page's 本页小计 row, as printed."""
    lines = [text.strip() for text in page.splitlines()]
    start = lines.index("本页小计") + 1
    figures = []
    for text in lines[start:]:
        if not (MONEY.match(text) or COUNT.match(text)):
            break
        figures.append(text)
    return figures


def fen(text: str) -> int:
    return int(text.replace(",", "").replace(".", ""))


def test_an_operating_roster_reads_back_with_title_header_lines_and_totals() -> None:
    lines = [line(1, paid=True), line(2), line(3, amount=3_025_000)]
    printed = render_payment_roster(document(lines))
    text = squeezed(pdf_text(printed.pdf))
    assert "张掖市甘州区2026年11月运营补贴发放花名册" in text
    assert "填报单位：甘州区卫生健康局" in text and "补贴月份：2026年11月" in text and "补贴种类：运营补贴" in text
    for expected in ("甘州区第1托育中心", "甘州区第2托育中心", "已发放2026年11月30日", "待发放", "2026年度"):
        assert expected in text
    total = sum(item.amount_fen for item in lines)
    assert f"合计（3家）{format_yuan(total)}" in text
    assert f"合计金额（大写）：{amount_words(total)}（小写）：¥{format_yuan(total)}" in text
    city = sum(item.city_share_fen for item in lines)
    assert f"其中：市级承担{format_yuan(city)}元；甘州区承担{format_yuan(total - city)}元。" in text
    assert "制表人" in text and "审核人" in text and "单位负责人" in text and "填报单位（盖章）" in text
    assert "2026年11月23日" in text and "第1页共1页" in text
    assert printed.pages == page_count(printed.pdf) == 1 and printed.undrawable == ()


def test_the_fonts_are_embedded_as_truetype_subsets() -> None:
    assert all_fonts_embedded_subsets(render_payment_roster(document([line(1), line(2)])).pdf)


def test_children_are_listed_under_their_institution_and_no_full_id_number_is_printed() -> None:
    full = [make_id_number("620702", date(2024, 6, 15), n) for n in range(3)]
    children = (
        ChildLine("李想", mask_id_number(full[0]), 20_000),
        ChildLine("赵一诺", mask_id_number(full[1]), 20_000),
        ChildLine("钱多多", full[2], 20_000),  # a caller that forgot to mask: the roster masks anyway
    )
    printed = render_payment_roster(document([line(1, children=children, paid=True)], SubsidyScheme.ENROLLMENT))
    text = squeezed(pdf_text(printed.pdf))
    assert "张掖市甘州区2026年11月入托补贴发放花名册" in text and "机构名称／幼儿姓名" in text
    assert text.index("甘州区第1托育中心") < text.index("1.李想") < text.index("2.赵一诺") < text.index("3.钱多多")
    for number in full:
        assert mask_id_number(number) in text
        assert number not in text and number[6:14] not in text  # neither the number nor the birth date
    # The children's ¥600.00, 3 children, the application's ¥600.00, the city's 20 % and the county's rest.
    assert "合计（1家）600.003600.00120.00480.00" in text
    assert "幼儿身份证号只显示前6位和后4位" in text


def test_page_subtotals_add_up_to_the_grand_total_and_each_counts_its_own_page() -> None:
    lines = [line(n, name=LONG_NAME if n % 9 == 0 else None, paid=n % 2 == 0) for n in range(1, 121)]
    printed = render_payment_roster(document(lines))
    pages = page_texts(printed.pdf)
    assert printed.pages == len(pages) >= 5
    totals = [0, 0, 0]
    for page in pages:
        body = [text.strip() for text in page.splitlines()]
        money = [text for text in body[: body.index("本页小计")] if MONEY.match(text)]
        assert len(money) % 3 == 0  # every institution row has its amount and the two shares
        subtotal = [fen(text) for text in subtotal_figures(page)]
        assert subtotal == [sum(fen(text) for text in money[i::3]) for i in range(3)]
        totals = [a + b for a, b in zip(totals, subtotal, strict=True)]
    roster_total = sum(item.amount_fen for item in lines)
    city = sum(item.city_share_fen for item in lines)
    assert totals == [roster_total, city, roster_total - city]
    assert f"合计（120家）{format_yuan(roster_total)}" in squeezed(pages[-1])


def test_every_page_has_the_header_row_and_its_number_and_only_the_last_the_totals_and_signatures() -> None:
    lines = [line(n, children=kids(7 + n % 5, start=n * 20), paid=n % 3 == 0) for n in range(1, 41)]
    printed = render_payment_roster(document(lines, SubsidyScheme.ENROLLMENT))
    raw = page_texts(printed.pdf)
    pages = [squeezed(page) for page in raw]
    assert len(pages) >= 10
    subtotals = [0, 0, 0, 0, 0]  # 每人补助, 幼儿人数, 补助金额, 市级承担, 县区承担
    for number, page in enumerate(pages, start=1):
        assert "序号机构名称／幼儿姓名身份证号每人补助（元）状态发放日期幼儿人数补助金额（元）" in page
        assert f"第{number}页共{len(pages)}页" in page and "本页小计" in page
        last = number == len(pages)
        for closing in ("合计（40家）", "合计金额（大写）", "制表人", "审核人", "单位负责人", "填报单位（盖章）"):
            assert (closing in page) is last
        assert ("张掖市甘州区2026年11月入托补贴发放花名册（续）" in page) is (number > 1)
        figures = [fen(text) if "." in text else int(text) for text in subtotal_figures(raw[number - 1])]
        assert figures[0] == 20_000 * len(MASKED_ID.findall(raw[number - 1]))  # the children on this page
        subtotals = [a + b for a, b in zip(subtotals, figures, strict=True)]
    total = sum(item.amount_fen for item in lines)
    city = sum(item.city_share_fen for item in lines)
    children = sum(len(item.children) for item in lines)
    assert subtotals == [total, children, total, city, total - city]
    assert amount_words(total) in pages[-1]


def test_a_page_that_starts_among_an_institutions_children_names_the_institution_again() -> None:
    lines = [line(1, children=kids(60)), line(2, children=kids(3))]
    printed = render_payment_roster(document(lines, SubsidyScheme.ENROLLMENT))
    pages = [squeezed(page) for page in page_texts(printed.pdf)]
    assert len(pages) >= 3
    assert "甘州区第1托育中心（续）" in pages[1] and "甘州区第1托育中心（续）" not in pages[0]


def test_a_sixty_character_name_wraps_inside_its_cell() -> None:
    assert len(LONG_NAME) == 60
    for scheme, children in ((SubsidyScheme.OPERATING, ()), (SubsidyScheme.ENROLLMENT, kids(2))):
        printed = render_payment_roster(document([line(1, name=LONG_NAME, children=children), line(2)], scheme))
        page = page_texts(printed.pdf)[0]
        assert LONG_NAME in squeezed(page)
        assert LONG_NAME not in page.replace(" ", "")  # broken over several lines of the cell, not one long line


def test_a_roster_of_every_county_has_the_county_column_and_each_payer() -> None:
    lines = [line(1), line(2, county="山丹县")]
    printed = render_payment_roster(document(lines, county=""))
    text = squeezed(pdf_text(printed.pdf))
    assert "张掖市2026年11月运营补贴发放花名册" in text and "填报单位：张掖市卫生健康委员会" in text
    assert "序号县区机构名称" in text and "山丹县甘州区第2托育中心" in text
    city = lines[0].city_share_fen
    shares = f"其中：市级承担{format_yuan(city)}元；甘州区承担{format_yuan(lines[0].county_share_fen)}元；"
    assert shares + f"山丹县承担{format_yuan(lines[1].county_share_fen)}元。" in text


def test_an_empty_roster_is_refused_before_anything_is_drawn() -> None:
    with pytest.raises(TuoyuError, match="张掖市甘州区2026年11月没有待发放或已发放的建设补贴申请，无需打印花名册"):
        document([], SubsidyScheme.CONSTRUCTION)


def test_characters_the_fonts_cannot_draw_are_reported() -> None:
    printed = render_payment_roster(document([line(1, name="甘州区\U0002a6a5宝托育园")]))
    assert printed.undrawable == ("\U0002a6a5",)


def test_the_roster_is_written_whole_to_a_file(tmp_path) -> None:
    path = tmp_path / "花名册.pdf"
    printed = write_pdf(render_payment_roster(document([line(1)])), path)
    assert path.read_bytes() == printed.pdf and path.read_bytes().startswith(b"%PDF")


def test_a_wrapped_name_never_ends_a_line_with_an_opening_bracket_or_starts_one_with_a_closing_one() -> None:
    names = [f"甘州区{'阳光宝贝' * 10}"[:length] + "（家庭托育点）" for length in range(24, 48)]
    printed = render_payment_roster(document([line(n, name=name) for n, name in enumerate(names, start=1)]))
    cells = [text.strip() for text in pdf_text(printed.pdf).splitlines()]
    assert sum(1 for name in names if name not in cells) > len(names) / 2  # most of them wrapped
    assert not [text for text in cells if text.endswith("（") or text.startswith(("）", "，"))]
    for name in names:
        assert name in squeezed(pdf_text(printed.pdf))
