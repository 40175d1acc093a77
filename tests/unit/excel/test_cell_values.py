"""Cell parsers: what clerks type is read or refused with a reason, never guessed (anchors B6–B8, B16)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.enums import DemonstrationLevel, Ownership, ServiceMode, SponsorType
from desktop.excel.cell_values import (
    NUMBER_STORED_ID,
    clean_text,
    parse_area,
    parse_code_text,
    parse_date,
    parse_enum,
    parse_enum_set,
    parse_identifier_text,
    parse_money_fen,
    parse_phone,
    parse_text,
    parse_whole_number,
    parse_yes_no,
)

JUNE_17 = date(2024, 6, 17)


@pytest.mark.parametrize(
    "value",
    [JUNE_17, datetime(2024, 6, 17, 8, 30), 45460, 45460.75, 20240617, "2024年6月17日", "2024年06月17日",
     "2024年6月17号", "2024-06-17", "2024-6-17", "2024/6/17", "2024.6.17", "20240617", " 2024-06-17 ",
     "２０２４年６月１７日", "2024-06-17 00:00:00", "2024/6/17 8:30"],
)  # fmt: skip
def test_dates_in_every_accepted_form(value):
    assert parse_date(value) == (JUNE_17, None)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("2024-02-30", "“2024-02-30”不存在"),
        ("2023年2月29日", "2023年没有2月29日"),
        ("20241301", "不存在"),
        ("6/17/2024", "无法识别"),
        ("17/6/2024", "无法识别"),
        ("24-6-17", "无法识别"),
        ("2024年6月", "无法识别"),
        ("二〇二四年六月十七日", "无法识别"),
        ("2024-6/17", "无法识别"),
        ("1900-01-01", "年份 1900 不合理"),
        (12, "不是日期"),
        (99999999, "年份 9999 不合理"),
        (True, "不是日期"),
        (timedelta(days=1), "不是日期"),
    ],
)
def test_impossible_or_ambiguous_dates_are_refused_naming_the_text(value, fragment):
    parsed, problem = parse_date(value)
    assert parsed is None
    assert fragment in problem


def test_leap_day_and_blank_dates():
    assert parse_date("2024-02-29") == (date(2024, 2, 29), None)
    assert parse_date(None) == (None, None)
    assert parse_date("  ") == (None, None)
    assert parse_date("-") == (None, None)


@pytest.mark.parametrize("value", ["60", 60, 60.0, "60个", "60 个", "６０", "60.0", " 60 ", "60位"])
def test_whole_numbers(value):
    assert parse_whole_number(value, what="托位数") == (60, None)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [("六十", "不是数字"), ("60.5", "不是整数"), (60.5, "不是整数"), ("-5", "负数"), (-5, "负数"),
     ("约60", "不是数字"), (True, "不能是"), ("60人左右", "不是数字"), (date(2024, 1, 1), "不能是")],
)  # fmt: skip
def test_non_whole_numbers_are_refused(value, fragment):
    parsed, problem = parse_whole_number(value, what="托位数")
    assert parsed is None
    assert "托位数" in problem and fragment in problem


def test_whole_number_maximum():
    assert "过大" in parse_whole_number(999999, what="托位数", maximum=5000)[1]
    assert parse_whole_number("1,200") == (1200, None)


@pytest.mark.parametrize(
    ("value", "yes"),
    [("是", True), ("否", False), ("√", True), ("×", False), ("Y", True), ("n", False), ("有", True), ("无", False),
     (True, True), (False, False), (1, True), (0.0, False), ("TRUE", True), ("false", False), (" 是 ", True)],
)  # fmt: skip
def test_yes_no(value, yes):
    assert parse_yes_no(value) == (yes, None)


def test_yes_no_refuses_anything_else():
    assert "“是”或“否”" in parse_yes_no("可能")[1]
    assert parse_yes_no(2)[0] is None and parse_yes_no(2)[1]
    assert parse_yes_no("") == (None, None)


@pytest.mark.parametrize(
    ("value", "fen"),
    [("1,200.00", 120000), ("¥1200", 120000), ("￥1,200.5", 120050), ("1200元", 120000), ("1200元/月", 120000),
     (1200, 120000), (1200.5, 120050), (1234.5599999999999, 123456), ("0.01", 1), ("１２００", 120000),
     ("RMB 800", 80000), (Decimal("12.30"), 1230)],
)  # fmt: skip
def test_money_in_yuan_becomes_integer_fen(value, fen):
    assert parse_money_fen(value) == (fen, None)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [("1.234", "两位小数"), ("-5", "负数"), (-5, "负数"), ("一千二", "不是数字"), ("1,20,0", "不是数字"),
     (float("nan"), "格式不正确"), (True, "不能是"), ("1e9", "不是数字"), (1e12, "过大")],
)  # fmt: skip
def test_bad_money_is_refused(value, fragment):
    parsed, problem = parse_money_fen(value, what="全日托收费")
    assert parsed is None and fragment in problem


def test_area_in_square_metres():
    assert parse_area("480.5㎡") == (Decimal("480.50"), None)
    assert parse_area("120平方米") == (Decimal("120.00"), None)
    assert parse_area(99.99) == (Decimal("99.99"), None)
    assert "两位小数" in parse_area("1.005")[1]


def test_enums_by_label_code_or_unambiguous_synonym():
    assert parse_enum("社会力量举办", SponsorType, what="举办主体") == (SponsorType.SOCIAL, None)
    assert parse_enum(" social ", SponsorType, what="举办主体") == (SponsorType.SOCIAL, None)
    assert parse_enum("家庭托育", SponsorType, what="举办主体") == (SponsorType.HOME_BASED, None)
    assert parse_enum("公建民营", Ownership, what="办托体制") == (Ownership.PUBLIC_BUILT_PRIVATE_RUN, None)
    assert parse_enum("市级", DemonstrationLevel, what="示范级别") == (DemonstrationLevel.CITY, None)


def test_ambiguous_enum_words_are_refused_with_the_choices():
    parsed, problem = parse_enum("民办", SponsorType, what="举办主体")
    assert parsed is None
    assert "“民办”不是有效的举办主体" in problem and "社会力量举办" in problem and "家庭托育点" in problem


def test_enum_sets():
    assert parse_enum_set("全日托、计时托", ServiceMode, what="服务形式") == (
        frozenset({ServiceMode.FULL_DAY, ServiceMode.HOURLY}),
        None,
    )
    assert parse_enum_set("半日托,临时托；全日托", ServiceMode, what="服务形式")[0] == frozenset(
        {ServiceMode.HALF_DAY, ServiceMode.TEMPORARY, ServiceMode.FULL_DAY}
    )
    assert "全托" in parse_enum_set("全托", ServiceMode, what="服务形式")[1]


@pytest.mark.parametrize("value", [6.20702199001011e17, 620702199001011000, 916207021234567000, 1.5e15])
def test_identifiers_that_arrive_as_numbers_are_refused_never_guessed(value):
    assert parse_identifier_text(value, what="统一社会信用代码") == (None, NUMBER_STORED_ID)


def test_short_numbers_in_identifier_columns_are_refused_too():
    parsed, problem = parse_identifier_text(12345, what="统一社会信用代码")
    assert parsed is None and "数字格式（12345）" in problem and "文本格式" in problem


def test_identifiers_typed_as_text_are_normalised():
    assert parse_identifier_text(" 52620702ma000001xx ", what="代码") == ("52620702MA000001XX", None)
    assert parse_identifier_text("５２６２０７０２ＭＡ", what="代码") == ("52620702MA", None)
    assert parse_code_text(2024001) == ("2024001", None)
    assert parse_code_text(6.20702199001011e17) == (None, NUMBER_STORED_ID)


def test_text_is_trimmed_and_checked():
    assert parse_text("  阳光\u200b托育\u3000") == ("阳光托育", None)
    assert parse_text("第一行\n第二行") == ("第一行第二行", None)
    assert parse_text("第一行\r\n第二行", multiline=True) == ("第一行\n第二行", None)
    assert parse_text("'=HYPERLINK()") == ("=HYPERLINK()", None)  # the export's escape is undone
    assert "控制字符" in parse_text("阳光\x07托育")[1]
    assert "最多 5 个字" in parse_text("一二三四五六", max_length=5)[1]
    assert parse_text("无") == (None, None)
    assert clean_text("'+86") == "+86"


def test_phone_numbers():
    assert parse_phone(13912345678.0) == ("13912345678", None)
    assert parse_phone("0936-8212345") == ("0936-8212345", None)
    assert "区号" in parse_phone(9368212345)[1]  # a landline typed as a number lost its 0


CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.text(alphabet="0123456789年月日号-/. :T个,¥元", max_size=20),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
    st.decimals(allow_nan=False, allow_infinity=False),
)


@given(CELLS)
def test_date_and_number_parsers_never_raise(value):
    for parse in (parse_date, parse_whole_number, parse_money_fen, parse_area, parse_yes_no, parse_text):
        parsed, problem = parse(value)
        assert parsed is None or problem is None
        assert problem is None or (isinstance(problem, str) and problem)


@given(CELLS)
def test_identifier_and_enum_parsers_never_raise(value):
    for parse in (
        lambda v: parse_identifier_text(v, what="代码"),
        lambda v: parse_enum(v, SponsorType, what="举办主体"),
        lambda v: parse_enum_set(v, ServiceMode, what="服务形式"),
        parse_phone,
        parse_code_text,
    ):
        parsed, problem = parse(value)
        assert parsed is None or problem is None


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31)))
def test_every_date_survives_each_written_form(day):
    for text in (day.isoformat(), f"{day.year}年{day.month}月{day.day}日", day.strftime("%Y%m%d"),
                 f"{day.year}/{day.month}/{day.day}"):  # fmt: skip
        assert parse_date(text) == (day, None)
    serial = (day - date(1899, 12, 30)).days
    assert parse_date(serial) == (day, None)


@given(st.integers(min_value=0, max_value=10**9))
def test_fen_round_trip_through_yuan_text(fen):
    assert parse_money_fen(f"{Decimal(fen) / 100:.2f}") == (fen, None)
    assert parse_money_fen(float(Decimal(fen) / 100)) == (fen, None)  # as an xlsx export stores it
