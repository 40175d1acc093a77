"""Form fields that hold typed values, and a form panel that shows each problem under its field.

Every field has ``value()``, ``set_value()`` and a ``changed`` signal, so a dialog is a list of
fields plus the draft it builds. Empty inputs are ``None``; text that cannot be read (an amount
like "12元5") is reported by ``parse_problem()`` next to the field, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.problems import Problem, Severity

ERROR_STYLE = "color: #b3261e;"
WARNING_STYLE = "color: #8a5a00;"


class Field(QWidget):
    """Base of all fields: a widget with a typed value.

    Each field defines ``value()``, ``set_value(value)`` and ``focus_widget()``, and emits ``changed``;
    one that can hold unreadable text also defines ``parse_problem()``.
    """

    changed = Signal()

    def parse_problem(self) -> str | None:
        """A message when the typed text cannot be read as a value (most fields cannot hold such text)."""
        return None


class TextField(Field):
    def __init__(self, *, placeholder: str = "", multiline: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor: QLineEdit | QPlainTextEdit = QPlainTextEdit() if multiline else QLineEdit()
        if multiline:
            self.editor.setTabChangesFocus(True)  # keyboard first: Tab leaves the box
            self.editor.setFixedHeight(64)
            self.editor.textChanged.connect(self.changed)
        else:
            self.editor.setPlaceholderText(placeholder)
            self.editor.textChanged.connect(self.changed)
        _single(self, self.editor)

    def value(self) -> str | None:
        text = self.editor.toPlainText() if isinstance(self.editor, QPlainTextEdit) else self.editor.text()
        return text.strip() or None

    def set_value(self, value: str | None) -> None:
        if isinstance(self.editor, QPlainTextEdit):
            self.editor.setPlainText(value or "")
        else:
            self.editor.setText(value or "")

    def focus_widget(self) -> QWidget:
        return self.editor


class IntField(Field):
    def __init__(self, *, maximum: int = 100_000, suffix: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = QSpinBox()
        self.editor.setRange(-1, maximum)  # -1 lets a negative entry be shown and refused
        self.editor.setSuffix(suffix)
        self.editor.valueChanged.connect(self.changed)
        _single(self, self.editor)

    def value(self) -> int:
        return self.editor.value()

    def set_value(self, value: int | None) -> None:
        self.editor.setValue(value or 0)

    def focus_widget(self) -> QWidget:
        return self.editor


class DecimalField(Field):
    """A decimal number typed as text ("576.57"); money fields give fen via ``scale=100``."""

    def __init__(self, *, scale: int = 1, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scale = scale
        self.editor = QLineEdit()
        self.editor.setPlaceholderText(placeholder)
        self.editor.textChanged.connect(self.changed)
        _single(self, self.editor)

    def _parsed(self) -> Decimal | None:
        text = self.editor.text().strip().replace(",", "").replace("，", "").lstrip("¥￥").removesuffix("元")
        if not text:
            return None
        return Decimal(text)

    def value(self) -> Any:
        try:
            number = self._parsed()
        except InvalidOperation:
            return None
        if number is None:
            return None
        return int((number * self.scale).to_integral_value()) if self.scale != 1 else number

    def set_value(self, value: Any) -> None:
        if value is None:
            self.editor.setText("")
        elif self.scale != 1:
            self.editor.setText(f"{Decimal(value) / self.scale:.2f}")
        else:
            self.editor.setText(str(value))

    def parse_problem(self) -> str | None:
        try:
            self._parsed()
        except InvalidOperation:
            return f"“{self.editor.text().strip()}”不是数字，请只填写数字，例如 1200 或 576.5。"
        return None

    def focus_widget(self) -> QWidget:
        return self.editor


class DateField(Field):
    """An optional date: a check box says whether there is one (QDateEdit cannot be empty)."""

    def __init__(self, *, optional: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.present = QCheckBox("有")
        self.editor = QDateEdit()
        self.editor.setCalendarPopup(True)
        self.editor.setDisplayFormat("yyyy年M月d日")
        self.editor.setDate(QDate.currentDate())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if optional:
            layout.addWidget(self.present)
            self.present.toggled.connect(self.editor.setEnabled)
            self.present.toggled.connect(self.changed)
            self.editor.setEnabled(False)
        else:
            self.present.setChecked(True)
        layout.addWidget(self.editor, 1)
        self.editor.dateChanged.connect(self.changed)

    def value(self) -> date | None:
        if not self.present.isChecked():
            return None
        return self.editor.date().toPython()

    def set_value(self, value: date | None) -> None:
        self.present.setChecked(value is not None)
        self.editor.setDate(QDate(value) if value else QDate.currentDate())

    def focus_widget(self) -> QWidget:
        return self.editor if self.present.isChecked() else self.present


class ChoiceField(Field):
    """One of a list of (label, value) options; optional ones start with "（未填）".

    The values are kept here, not in the combo box: Qt would hand a StrEnum back as a plain str.
    """

    def __init__(
        self, options: Iterable[tuple[str, Any]], *, optional: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.editor = QComboBox()
        self._values: list[Any] = []
        self._fill(options, optional=optional)
        self.editor.currentIndexChanged.connect(self.changed)
        _single(self, self.editor)

    @classmethod
    def of_enum(cls, enum_class: type[Enum], *, optional: bool = False) -> ChoiceField:
        return cls(((member.label, member) for member in enum_class), optional=optional)  # type: ignore[attr-defined]

    def _fill(self, options: Iterable[tuple[str, Any]], *, optional: bool) -> None:
        self.editor.clear()
        self._values = []
        if optional:
            self.editor.addItem("（未填）")
            self._values.append(None)
        for text, value in options:
            self.editor.addItem(text)
            self._values.append(value)

    def set_options(self, options: Iterable[tuple[str, Any]], *, optional: bool) -> None:
        current = self.value()
        self.editor.blockSignals(True)
        self._fill(options, optional=optional)
        self.editor.blockSignals(False)
        self.set_value(current)

    def value(self) -> Any:
        index = self.editor.currentIndex()
        return self._values[index] if 0 <= index < len(self._values) else None

    def set_value(self, value: Any) -> None:
        index = self._values.index(value) if value in self._values else 0
        self.editor.setCurrentIndex(index)

    def focus_widget(self) -> QWidget:
        return self.editor


class BoolField(Field):
    def __init__(self, text: str = "是", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = QCheckBox(text)
        self.editor.toggled.connect(self.changed)
        _single(self, self.editor)

    def value(self) -> bool:
        return self.editor.isChecked()

    def set_value(self, value: bool | None) -> None:
        self.editor.setChecked(bool(value))

    def focus_widget(self) -> QWidget:
        return self.editor


class EnumSetField(Field):
    """A set of enum members, one check box each (e.g. 全日托 / 半日托 / 计时托 / 临时托)."""

    def __init__(self, enum_class: type[Enum], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.boxes = {member: QCheckBox(member.label) for member in enum_class}  # type: ignore[attr-defined]
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for box in self.boxes.values():
            box.toggled.connect(self.changed)
            layout.addWidget(box)
        layout.addStretch(1)

    def value(self) -> frozenset:
        return frozenset(member for member, box in self.boxes.items() if box.isChecked())

    def set_value(self, value: Iterable[Enum] | None) -> None:
        chosen = set(value or ())
        for member, box in self.boxes.items():
            box.setChecked(member in chosen)

    def focus_widget(self) -> QWidget:
        return next(iter(self.boxes.values()))


def _single(owner: QWidget, editor: QWidget) -> None:
    layout = QHBoxLayout(owner)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(editor)
    owner.setFocusProxy(editor)


class FormPanel(QWidget):
    """Fields in a QFormLayout, each with a line under it for its problems (red errors, amber warnings)."""

    def __init__(self, fields: Sequence[tuple[str, str, Field]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[str, Field] = {}
        self.problem_labels: dict[str, QLabel] = {}
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, label, field in fields:
            cell = QWidget()
            # Rows keep their natural height: extra space goes below the form, not into gaps.
            cell.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
            box = QVBoxLayout(cell)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(1)
            box.addWidget(field)
            problem = QLabel()
            problem.setWordWrap(True)
            problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            problem.hide()
            box.addWidget(problem)
            caption = QLabel(label + "：")
            caption.setBuddy(field.focus_widget())
            form.addRow(caption, cell)
            self.fields[key] = field
            self.problem_labels[key] = problem

    def values(self) -> dict[str, Any]:
        return {key: field.value() for key, field in self.fields.items()}

    def set_values(self, values: dict[str, Any]) -> None:
        for key, value in values.items():
            if key in self.fields:
                self.fields[key].set_value(value)

    def parse_problems(self) -> list[Problem]:
        return [
            Problem("form.unreadable", message, Severity.ERROR, key)
            for key, field in self.fields.items()
            if (message := field.parse_problem())
        ]

    def show_problems(self, problems: Iterable[Problem]) -> list[Problem]:
        """Show each problem under its field; return those that belong to no field of this panel."""
        by_field: dict[str, list[Problem]] = {}
        elsewhere = []
        for problem in problems:
            if problem.field in self.fields:
                by_field.setdefault(problem.field, []).append(problem)
            else:
                elsewhere.append(problem)
        for key, label in self.problem_labels.items():
            found = by_field.get(key, [])
            if not found:
                label.hide()
                continue
            worst_is_error = any(p.severity is Severity.ERROR for p in found)
            label.setStyleSheet(ERROR_STYLE if worst_is_error else WARNING_STYLE)
            label.setText("\n".join(("✖ " if p.severity is Severity.ERROR else "⚠ ") + p.message for p in found))
            label.show()
        return elsewhere
