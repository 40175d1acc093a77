"""Dialogs for a child on an institution's roster: add or edit (with the full ID number shown only on
request, and audited), and record leaving (离托).

The ID number arrives masked. Left as it is, it stays the stored number; "显示完整号码" asks the service
for the full number (the audit log records who looked) and puts it in the field, where it can be
corrected. The birth date and sex are read from the number as it is typed.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from desktop.domain.child_rules import ChildFacts, age_in_months, birth_date_of, check_child
from desktop.domain.enums import Sex
from desktop.domain.field_labels import CHILD_FIELDS
from desktop.domain.identifiers import validate_id_number
from desktop.domain.problems import Problem
from desktop.domain.registry_rules import format_date_cn
from desktop.errors import TuoyuError
from desktop.services.children import ChildDraft, ChildForm, ChildLine, mark_child_left, reveal_id_number, save_child
from desktop.services.startup import AppContext
from desktop.ui.dialogs.record_dialog import RecordDialog
from desktop.ui.widgets.form_fields import DateField, TextField

HINT_STYLE = "color: #5f6368;"


class ChildDialog(RecordDialog):
    """Add a child (``form`` None) or edit one; ``result_value`` is the service's ``ChildOutcome``."""

    def __init__(
        self,
        ctx: AppContext,
        institution_id: uuid.UUID,
        *,
        today: date,
        form: ChildForm | None = None,
        parent: QWidget | None = None,
    ) -> None:
        labels = CHILD_FIELDS
        fields = [
            ("name", labels["name"], TextField(placeholder="与户口簿一致")),
            ("id_number", labels["id_number"], TextField(placeholder="18 位公民身份号码（见户口簿）")),
            ("guardian_name", labels["guardian_name"], TextField(placeholder="父母或其他监护人")),
            ("guardian_phone", labels["guardian_phone"], TextField(placeholder="11 位手机号，或 0936-8212345")),
            ("enrolled_on", labels["enrolled_on"], DateField(optional=False)),
            ("left_on", labels["left_on"] + "（最后在托的一天）", DateField()),
        ]
        super().__init__(
            "登记在托幼儿" if form is None else f"编辑在托幼儿：{form.draft.name}",
            fields,
            check=self._problems,
            save=lambda values: save_child(
                ctx,
                institution_id,
                self._draft(values),
                today=today,
                child_id=form.child_id if form else None,
                expected_version=form.version if form else None,
            ),
            parent=parent,
        )
        self._ctx, self._today, self.form = ctx, today, form
        self.identity = QLabel()
        self.identity.setStyleSheet(HINT_STYLE)
        self.identity.setWordWrap(True)
        self.reveal_button = QPushButton("显示完整号码(&R)")
        self.reveal_button.setToolTip("查看完整身份证号码；查看记录会写入操作日志。")
        self.reveal_button.clicked.connect(self._on_reveal)
        self.reveal_button.setVisible(form is not None)
        row = QHBoxLayout()
        row.addWidget(self.identity, 1)
        row.addWidget(self.reveal_button)
        self.layout().insertLayout(1, row)
        self.panel.fields["id_number"].changed.connect(self._show_identity)
        start = asdict(form.draft) if form else {"enrolled_on": today}
        self.start(start)
        self._show_identity()

    def _draft(self, values: dict[str, Any]) -> ChildDraft:
        return ChildDraft(**values | {"name": values["name"] or ""})

    def _stored_number_kept(self, id_number: str | None) -> bool:
        return self.form is not None and id_number == self.form.draft.id_number

    def _problems(self, values: dict[str, Any]) -> list[Problem]:
        kept = self._stored_number_kept(values["id_number"])
        birth = self.form.birth_date if kept and self.form else None
        return list(check_child(ChildFacts.from_attributes(self._draft(values), birth_date=birth), today=self._today))

    @Slot()
    def _show_identity(self) -> None:
        id_number = self.panel.fields["id_number"].value()
        if self._stored_number_kept(id_number) and self.form is not None:
            birth, sex = self.form.birth_date, self.form.sex
        else:
            check = validate_id_number(id_number or "", today=self._today)
            birth = birth_date_of(check.normalized) if check.ok else None
            sex = Sex(check.sex) if check.ok and check.sex else None
        if birth is None:
            self.identity.setText("出生日期和性别按身份证号码自动确定。")
            return
        self.identity.setText(
            f"出生日期 {format_date_cn(birth)}，{sex.label if sex else ''}，"
            f"今天 {age_in_months(birth, self._today)} 个月（按身份证号码）"
        )

    @Slot()
    def _on_reveal(self) -> None:
        if self.form is None:
            return
        try:
            full = reveal_id_number(self._ctx, self.form.child_id)
        except TuoyuError as error:
            QMessageBox.warning(self, "无法显示", error.message)
            return
        self.panel.fields["id_number"].set_value(full)
        self.reveal_button.setEnabled(False)
        self.reveal_button.setText("已显示（已记入操作日志）")


def leave_dialog(ctx: AppContext, line: ChildLine, *, today: date, parent: QWidget | None = None) -> RecordDialog:
    """Record the last day in care; ``result_value`` is the service's ``ChildOutcome``."""

    def problems(values: dict[str, Any]) -> list[Problem]:
        facts = ChildFacts(
            name=line.name,
            id_number=line.id_number_masked,
            birth_date=line.birth_date,
            enrolled_on=line.enrolled_on,
            left_on=values["left_on"],
        )
        return [p for p in check_child(facts, today=today) if p.field == "left_on"]

    dialog = RecordDialog(
        f"离托：{line.name}",
        [("left_on", "离托日期（最后在托的一天）", DateField(optional=False))],
        check=problems,
        save=lambda values: mark_child_left(
            ctx, line.id, values["left_on"], expected_version=line.version, today=today
        ),
        parent=parent,
    )
    return dialog.start({"left_on": line.left_on or today})
