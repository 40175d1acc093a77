from __future__ import annotations

import pytest

from desktop.domain.pinyin_search import is_initials_query, name_initials


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("张掖市阳光托育中心", "zysygtyzx"),
        ("ABC托育（甘州）", "abctygz"),
        ("临泽县第2幼儿园托班", "lzxd2yeytb"),
        ("", ""),
    ],
)
def test_initials_keep_letters_and_digits_and_drop_punctuation(name, initials):
    assert name_initials(name) == initials


@pytest.mark.parametrize(
    ("text", "expected"), [("zyty", True), ("ZYTY", True), ("阳光", False), ("zy1", False), ("", False)]
)
def test_only_latin_letters_are_taken_as_initials(text, expected):
    assert is_initials_query(text) is expected


@pytest.mark.parametrize(
    ("name", "initials"), [("长安镇", "caz"), ("银行职工托育室", "yhzgtys"), ("重庆路托育园", "cqltyy")]
)
def test_phrases_give_the_right_reading_of_characters_with_several(name, initials):
    assert name_initials(name) == initials


def test_initials_agree_with_pypinyin_on_the_demo_names():
    from datetime import date

    from pypinyin import Style, lazy_pinyin

    from desktop.demo.zhangye import Scale, generate
    from desktop.paths import resources_dir
    from desktop.services.regions import read_region_file

    regions = read_region_file(resources_dir() / "regions" / "620700.toml")
    names = [i["name"] for i in generate(regions, scale=Scale.COUNTY, seed=3, today=date(2026, 11, 23)).institutions]
    for name in names:
        letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
        expected = "".join(ch for part in letters for ch in part.lower() if ch.isascii() and ch.isalnum())
        assert name_initials(name) == expected, name
