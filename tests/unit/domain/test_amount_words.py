"""Amounts in Chinese capitals (REFERENCE.md §4.2): the worked examples, the tricky zeros, and a
property test that an independent reader gets every amount back from its capitals."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.amount_words import MAX_FEN, amount_words, format_yuan


def fen(figures: str) -> int:
    yuan, _, cents = figures.replace(",", "").partition(".")
    return int(yuan) * 100 + int((cents + "00")[:2])


@pytest.mark.parametrize(
    ("figures", "words"),
    [
        # REFERENCE §4.2 worked examples.
        ("10,005.50", "人民币壹万零伍元伍角"),
        ("30,000.00", "人民币叁万元整"),
        ("1,000,200.07", "人民币壹佰万零贰佰元零柒分"),
        ("10,010.00", "人民币壹万零壹拾元整"),
        ("15.00", "人民币壹拾伍元整"),
        ("100,010,000.00", "人民币壹亿零壹万元整"),
        ("24,000.00", "人民币贰万肆仟元整"),
        ("80,000.00", "人民币捌万元整"),
        ("0.50", "人民币伍角"),
        # The rules' own examples (rules 3–6), in the canonical spelling where rule 5 allows two.
        ("1,409.50", "人民币壹仟肆佰零玖元伍角"),
        ("6,007.14", "人民币陆仟零柒元壹角肆分"),
        ("1,680.32", "人民币壹仟陆佰捌拾元零叁角贰分"),
        ("107,000.53", "人民币壹拾万柒仟元零伍角叁分"),
        ("16,409.02", "人民币壹万陆仟肆佰零玖元零贰分"),
        ("325.04", "人民币叁佰贰拾伍元零肆分"),
        # Tricky zeros.
        ("100,005.00", "人民币壹拾万零伍元整"),
        ("1,000,000.50", "人民币壹佰万元零伍角"),
        ("0.05", "人民币伍分"),
        ("0.55", "人民币伍角伍分"),
        ("0.00", "人民币零元整"),
        ("0.01", "人民币壹分"),
        ("1.00", "人民币壹元整"),
        ("1.05", "人民币壹元零伍分"),
        ("10.00", "人民币壹拾元整"),
        ("10.50", "人民币壹拾元零伍角"),
        ("10.05", "人民币壹拾元零伍分"),
        ("110.00", "人民币壹佰壹拾元整"),
        ("1,001.00", "人民币壹仟零壹元整"),
        ("1,010.10", "人民币壹仟零壹拾元零壹角"),
        ("10,000.00", "人民币壹万元整"),
        ("100,000,000.00", "人民币壹亿元整"),
        ("100,005,000.00", "人民币壹亿零伍仟元整"),
        ("100,000,005.00", "人民币壹亿零伍元整"),
        ("105,000,000.00", "人民币壹亿零伍佰万元整"),
        ("110,000,000.00", "人民币壹亿壹仟万元整"),
        ("46,666.66", "人民币肆万陆仟陆佰陆拾陆元陆角陆分"),
        ("999,999,999,999.99", "人民币玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_amounts_in_capitals(figures: str, words: str) -> None:
    assert amount_words(fen(figures)) == words


@pytest.mark.parametrize(("value", "error"), [(-1, ValueError), (MAX_FEN + 1, ValueError), (True, TypeError)])
def test_amounts_that_cannot_be_written_are_refused(value: int, error: type[Exception]) -> None:
    with pytest.raises(error):
        amount_words(value)


@pytest.mark.parametrize(
    ("value", "figures"),
    [(0, "0.00"), (5, "0.05"), (100, "1.00"), (3_000_000, "30,000.00"), (466_666, "4,666.66"), (-250, "-2.50")],
)
def test_figures_have_separators_and_two_decimals(value: int, figures: str) -> None:
    assert format_yuan(value) == figures


# --------------------------------------------------------------------------- property tests

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = {"拾": 10, "佰": 100, "仟": 1000}


def _small(text: str) -> int:
    """A number below 10,000 written with 拾佰仟 and 零, read independently of the writer."""
    total, digit = 0, 0
    for char in text:
        if char in _UNITS:
            total += digit * _UNITS[char]
            digit = 0
        elif char != "零":
            digit = _DIGITS.index(char)
    return total + digit


def read_capitals(words: str) -> int:
    """Fen back from capitals: an independent reader for the round trip."""
    assert words.startswith("人民币")
    body = words.removeprefix("人民币").removesuffix("整")
    yuan_text, _, small_change = body.rpartition("元") if "元" in body else ("", "", body)
    yi, _, rest = yuan_text.rpartition("亿")
    wan, _, units = rest.rpartition("万")
    yuan = _small(yi) * 10**8 + _small(wan) * 10**4 + _small(units)
    jiao = re.search(r"(.)角", small_change)
    fen_ = re.search(r"(.)分", small_change)
    return yuan * 100 + (_DIGITS.index(jiao[1]) * 10 if jiao else 0) + (_DIGITS.index(fen_[1]) if fen_ else 0)


amounts = st.one_of(
    st.integers(min_value=0, max_value=MAX_FEN),
    st.integers(min_value=0, max_value=10_000_000),  # the amounts subsidies actually reach
    # Sparse digits: many zeros, where the 零 rules bite.
    st.lists(st.sampled_from([0, 0, 0, 1, 5, 9]), min_size=1, max_size=14).map(
        lambda ds: int("".join(map(str, ds))) % (MAX_FEN + 1)
    ),
)


@given(amounts)
def test_capitals_read_back_to_the_same_amount(value: int) -> None:
    assert read_capitals(amount_words(value)) == value


@given(amounts)
def test_capitals_follow_the_writing_rules(value: int) -> None:
    words = amount_words(value)
    body = words.removeprefix("人民币")
    assert set(body) <= set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")
    assert "零零" not in words  # a run of zeros is one 零
    assert words.endswith("整") == (value % 100 == 0)  # 整 only after 元, never after 角 or 分
    assert not re.search(r"零[万亿元角分整]", words) or words == "人民币零元整"
    assert not re.search(r"(^|[^壹贰叁肆伍陆柒捌玖])拾", body)  # 拾 always has its digit: 壹拾
    if value % 100 and value >= 100:
        # 零 after 元 exactly when the 元 digit or the 角 is zero (rules 5 and 6, written).
        assert ("元零" in words) == (value // 100 % 10 == 0 or value // 10 % 10 == 0)
