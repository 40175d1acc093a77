"""Qt fixtures: offscreen platform, Chinese set up once, and helpers to type Chinese safely."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from desktop.ui.chinese import install_chinese


@pytest.fixture(scope="session", autouse=True)
def chinese_qt(qapp):
    """Translations, locale and bundled fonts, as the real start-up installs them."""
    return install_chinese(qapp)


def type_text(widget: QWidget, text: str) -> None:
    """Type any text, one key event per character: qtbot.keyClicks aborts the process on CJK."""
    for character in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, character, Qt.KeyboardModifier.NoModifier)
