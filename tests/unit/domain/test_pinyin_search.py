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
