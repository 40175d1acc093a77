"""The row of buttons above a record's table, and the grey hint beside or below it: the tabs of an
institution's record (在托儿童, 检查记录) are laid out alike so a clerk finds the actions in one place."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

HINT_STYLE = "color: #5f6368;"


def button_row(left: Iterable[QWidget], right: Iterable[QWidget] = ()) -> QHBoxLayout:
    """`left` packed at the start, `right` (more buttons, a hint) pushed to the end."""
    row = QHBoxLayout()
    for widget in left:
        row.addWidget(widget)
    row.addStretch(1)
    for widget in right:
        row.addWidget(widget)
    return row


def hint_label(text: str = "", *, wrap: bool = False) -> QLabel:
    """Grey text that explains rather than tells (what a colour means, how to see a masked number)."""
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setStyleSheet(HINT_STYLE)
    return label
