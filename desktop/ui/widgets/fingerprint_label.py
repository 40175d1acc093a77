"""A public-key fingerprint shown large, four groups of four characters a line, for a person to read aloud and
compare with the other screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel, QWidget

from desktop.domain.node_keys import fingerprint_lines

FINGERPRINT_POINT_SIZE = 16


class FingerprintLabel(QLabel):
    def __init__(self, fingerprint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Fixed-width digits: the groups stand in columns, so a person can follow them line by line.
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(FINGERPRINT_POINT_SIZE)
        font.setBold(True)
        self.setFont(font)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet("padding: 8px; background: #f6f8fa; border: 1px solid #d0d7de;")
        self.set_fingerprint(fingerprint)

    def set_fingerprint(self, fingerprint: str) -> None:
        self.setText("\n".join(fingerprint_lines(fingerprint)))
