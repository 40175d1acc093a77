"""The file name offered for a sync bundle: who sends it, to whom, its number — and nothing Windows refuses."""

from __future__ import annotations

import pytest

from desktop.services.sync_destinations import bundle_file_name


@pytest.mark.parametrize(
    ("source", "target", "sequence", "expected"),
    [
        ("甘州区卫生健康局", "张掖市卫生健康委员会", 3, "甘州区卫生健康局-至-张掖市卫生健康委员会-第3号.tuoyu-sync"),
        ("王芳的检查笔记本", "甘州区卫生健康局", 12, "王芳的检查笔记本-至-甘州区卫生健康局-第12号.tuoyu-sync"),
        ("县区/卫健:局?", "市 级 *节点*", 1, "县区_卫健_局_-至-市_级_节点_-第1号.tuoyu-sync"),
        ("  ", "<>", 2, "节点-至-_-第2号.tuoyu-sync"),
    ],
)
def test_the_offered_name_says_from_to_and_number_in_characters_every_file_system_takes(
    source, target, sequence, expected
):
    assert bundle_file_name(source, target, sequence) == expected
