"""A list's filter choice (县区, 补贴, 状态 …) whose first item, 全部, means "do not filter on this"."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

ALL = "全部"


def filter_combo(options: list[tuple[str, object]]) -> QComboBox:
    """全部 (data None) first, then each (text, value); `currentData()` is the value to filter on."""
    combo = QComboBox()
    combo.addItem(ALL, None)
    for text, value in options:
        combo.addItem(text, value)
    return combo
