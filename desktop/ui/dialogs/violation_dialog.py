"""Recording a violation found at an inspection and the action taken, or correcting one.

The amount is asked for only when the action is 罚款 (typed in yuan, stored in fen). Problems show
under their fields as the clerk types (``desktop.domain.violation_rules``); the service checks again
on save. A violation is never edited: correcting one saves a new record naming it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from desktop.domain.enums import ViolationAction
from desktop.domain.registry_rules import format_date_cn
from desktop.domain.violation_rules import VIOLATION_FIELDS, ViolationFacts, check_violation
from desktop.services.inspection_history import InspectionLine
from desktop.services.startup import AppContext
from desktop.services.violations import ViolationLine, record_violation
from desktop.ui.dialogs.record_dialog import RecordDialog
from desktop.ui.widgets.form_fields import ChoiceField, DateField, DecimalField, TextField


def violation_dialog(
    ctx: AppContext,
    inspection: InspectionLine,
    *,
    institution_name: str,
    today: date,
    correcting: ViolationLine | None = None,
    parent: QWidget | None = None,
) -> RecordDialog:
    """A form for a new violation of ``inspection``, or for the correction of ``correcting``."""
    labels = VIOLATION_FIELDS
    action = ChoiceField.of_enum(ViolationAction)
    fine = DecimalField(scale=100, placeholder="单位：元，如 5000")
    fields = [
        ("description", labels["description"], TextField(multiline=True)),
        (
            "legal_basis",
            labels["legal_basis"],
            TextField(placeholder="法规名称和条款，如：《托育机构管理规范（试行）》第三十条"),
        ),
        ("action", labels["action"], action),
        ("fine_fen", labels["fine_fen"], fine),
        ("decision_number", labels["decision_number"], TextField(placeholder="如：甘州卫罚〔2026〕3号")),
        ("decided_on", labels["decided_on"], DateField(optional=False)),
    ]
    inspected_on = inspection.inspected_on

    def facts(values: dict[str, Any]) -> ViolationFacts:
        return ViolationFacts(
            values["description"],
            values["action"],
            values["decided_on"],
            values["legal_basis"],
            values["fine_fen"],
            values["decision_number"],
        )

    def save(values: dict[str, Any]) -> Any:
        return record_violation(
            ctx,
            inspection.id,
            values["description"],
            values["action"],
            values["decided_on"],
            legal_basis=values["legal_basis"],
            fine_fen=values["fine_fen"],
            decision_number=values["decision_number"],
            corrects_id=correcting.id if correcting else None,
            today=today,
        )

    dialog = RecordDialog(
        "更正违法行为" if correcting else "登记违法行为",
        fields,
        check=lambda values: check_violation(facts(values), inspected_on=inspected_on, today=today),
        save=save,
        parent=parent,
    )
    about = QLabel(
        f"<b>{institution_name}</b>　{inspection.kind.label} {format_date_cn(inspected_on)}　"
        f"检查人员：{inspection.inspectors}"
        + (
            "<br>更正不改动原记录：将新建一条记录并注明更正自原记录，原记录标为“已更正”，仍可查看。"
            if correcting
            else ""
        )
    )
    about.setWordWrap(True)
    dialog.setMinimumWidth(760)
    dialog.layout().insertWidget(0, about)
    dialog.about = about

    form = dialog.panel.layout()
    assert isinstance(form, QFormLayout)
    fine_row = fine.parentWidget()

    def show_fine() -> None:
        is_fine = action.value() is ViolationAction.FINE
        if not is_fine:
            fine.set_value(None)  # only a fine has an amount; a hidden one (even unreadable) would block the save
        form.setRowVisible(fine_row, is_fine)

    action.changed.connect(show_fine)
    if correcting:
        start = {
            "description": correcting.description,
            "legal_basis": correcting.legal_basis,
            "action": correcting.action,
            "fine_fen": correcting.fine_fen,
            "decision_number": correcting.decision_number,
            "decided_on": correcting.decided_on,
        }
    else:
        start = {"action": ViolationAction.ORDER_CORRECTION, "decided_on": today}
    dialog.start(start)
    show_fine()
    dialog.panel.fields["description"].focus_widget().setFocus()
    return dialog
