"""A small dialog over one FormPanel: live checks while typing, the service's verdict on save.

The class, staff and lifecycle dialogs are this with their own fields, check and save functions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from desktop.domain.problems import Problem, has_errors
from desktop.errors import TuoyuError
from desktop.services.institution_commands import ValidationFailed
from desktop.ui.widgets.form_fields import ERROR_STYLE, WARNING_STYLE, Field, FormPanel


class RecordDialog(QDialog):
    """``check(values)`` returns problems as the clerk types; ``save(values)`` raises ValidationFailed
    or another TuoyuError to refuse, and returns whatever the caller wants back (``result``)."""

    def __init__(
        self,
        title: str,
        fields: Sequence[tuple[str, str, Field]],
        *,
        check: Callable[[dict[str, Any]], Sequence[Problem]],
        save: Callable[[dict[str, Any]], Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(680)
        self._check, self._save = check, save
        self.result_value: Any = None
        self.panel = FormPanel(fields)
        self.general = QLabel()
        self.general.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        layout.addWidget(self.general)
        layout.addWidget(self.buttons)
        for field in self.panel.fields.values():
            field.changed.connect(self._on_changed)
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)

    def start(self, values: dict[str, Any]) -> RecordDialog:
        self.panel.set_values(values)
        self._on_changed()
        return self

    def show_problems(self, problems: Sequence[Problem]) -> None:
        unplaced = self.panel.show_problems(problems)
        self.general.setText("\n".join(p.message for p in unplaced))
        self.general.setStyleSheet(ERROR_STYLE if has_errors(unplaced) else WARNING_STYLE)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not has_errors(problems))
        # Grow when messages appear, so no message is cut off at the bottom of its line.
        self.layout().activate()
        if self.sizeHint().height() > self.height():
            self.resize(self.width(), self.sizeHint().height())

    @Slot()
    def _on_changed(self) -> None:
        parse = self.panel.parse_problems()
        self.show_problems(parse or list(self._check(self.panel.values())))

    @Slot()
    def _on_save(self) -> None:
        try:
            self.result_value = self._save(self.panel.values())
        except ValidationFailed as failure:
            self.show_problems(failure.problems)
            return
        except TuoyuError as error:
            self.general.setStyleSheet(ERROR_STYLE)
            self.general.setText(error.message)
            return
        self.accept()
