"""A small dialog asking for one day (a day's notices to print): a calendar pop-up, today by default."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget


class ChooseDayDialog(QDialog):
    def __init__(self, title: str, label: str, day: date, hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.editor = QDateEdit(QDate(day.year, day.month, day.day), self)
        self.editor.setCalendarPopup(True)
        self.editor.setDisplayFormat("yyyy年M月d日")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow(label, self.editor)
        if hint:
            layout.addRow(QLabel(hint, self))
        layout.addRow(buttons)

    @property
    def day(self) -> date:
        return self.editor.date().toPython()
