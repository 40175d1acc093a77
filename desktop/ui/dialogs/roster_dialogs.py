"""Dialogs for an institution's roster and lifecycle: a class, a staff member, a dated event."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date
from typing import Any

from PySide6.QtWidgets import QWidget

from desktop.domain.class_rules import check_class
from desktop.domain.enums import ClassType, InstitutionEventKind, StaffRole
from desktop.domain.field_labels import CLASS_GROUP_FIELDS, EVENT_FIELDS, STAFF_FIELDS
from desktop.domain.lifecycle_rules import LifecycleEvent, LifecycleState, check_event
from desktop.domain.registry_rules import ClassFacts, StaffFacts
from desktop.domain.staff_rules import check_staff
from desktop.services.institution_commands import record_lifecycle_event
from desktop.services.institution_record import ClassLine
from desktop.services.roster_commands import ClassGroupDraft, StaffDraft, save_class_group, save_staff_member
from desktop.services.startup import AppContext
from desktop.ui.dialogs.record_dialog import RecordDialog
from desktop.ui.widgets.form_fields import ChoiceField, DateField, IntField, TextField

# Which events need a document number and which a reason (the others leave the field unused).
NUMBERED_EVENTS = {InstitutionEventKind.FILED, InstitutionEventKind.PUHUI_RECOGNIZED}
EVENT_HINTS = {
    InstitutionEventKind.FILED: "备案编号，如：甘州卫托备〔2026〕12号",
    InstitutionEventKind.PUHUI_RECOGNIZED: "认定文件文号（可不填）",
}


def class_group_dialog(
    ctx: AppContext, institution_id: uuid.UUID, *, line: ClassLine | None = None, parent: QWidget | None = None
) -> RecordDialog:
    labels = CLASS_GROUP_FIELDS
    carers = line.carers if line else 0

    def draft(values: dict[str, Any]) -> ClassGroupDraft:
        return ClassGroupDraft(
            (values["name"] or ""), values["class_type"], values["capacity"], values["enrolled_count"]
        )

    def save(values: dict[str, Any]) -> Any:
        return save_class_group(
            ctx,
            institution_id,
            draft(values),
            class_id=line.id if line else None,
            expected_version=line.version if line else None,
        )

    dialog = RecordDialog(
        "新增班级" if line is None else f"编辑班级：{line.name}",
        [
            ("name", labels["name"], TextField(placeholder="如：托小1班")),
            ("class_type", labels["class_type"], ChoiceField.of_enum(ClassType)),
            ("capacity", labels["capacity"], IntField(maximum=200, suffix=" 人")),
            ("enrolled_count", labels["enrolled_count"], IntField(maximum=200, suffix=" 人")),
        ],
        check=lambda values: check_class(ClassFacts.from_attributes(draft(values), carers=carers)),
        save=save,
        parent=parent,
    )
    start = (
        {
            "name": line.name,
            "class_type": line.class_type,
            "capacity": line.capacity,
            "enrolled_count": line.enrolled_count,
        }
        if line
        else {"class_type": ClassType.TODDLER, "capacity": 15}
    )
    return dialog.start(start)


def staff_dialog(
    ctx: AppContext,
    institution_id: uuid.UUID,
    *,
    today: date,
    classes: list[ClassLine],
    staff_id: uuid.UUID | None = None,
    current: StaffDraft | None = None,
    version: int | None = None,
    parent: QWidget | None = None,
) -> RecordDialog:
    labels = STAFF_FIELDS
    class_field = ChoiceField(((c.name, c.id) for c in classes), optional=True)
    fields = [
        ("name", labels["name"], TextField()),
        ("role", labels["role"], ChoiceField.of_enum(StaffRole)),
        ("id_number", labels["id_number"], TextField(placeholder="18 位公民身份号码")),
        ("phone", labels["phone"], TextField()),
        ("class_group_id", labels["class_group_id"], class_field),
        ("education", labels["education"], TextField()),
        ("qualification", labels["qualification"], TextField()),
        ("employed_from", labels["employed_from"], DateField()),
        ("employed_until", labels["employed_until"], DateField()),
        ("health_certificate_number", labels["health_certificate_number"], TextField()),
        ("health_certificate_expires_on", labels["health_certificate_expires_on"], DateField()),
        ("training_hours", labels["training_hours"], IntField(maximum=5000, suffix=" 学时")),
        ("criminal_record_checked_on", labels["criminal_record_checked_on"], DateField()),
    ]

    def draft(values: dict[str, Any]) -> StaffDraft:
        return StaffDraft(**{key: values[key] for key, _, _ in fields} | {"name": values["name"] or ""})

    def save(values: dict[str, Any]) -> Any:
        return save_staff_member(
            ctx, institution_id, draft(values), today=today, staff_id=staff_id, expected_version=version
        )

    dialog = RecordDialog(
        "新增从业人员" if staff_id is None else f"编辑从业人员：{current.name if current else ''}",
        fields,
        check=lambda values: check_staff(StaffFacts.from_attributes(draft(values)), today=today),
        save=save,
        parent=parent,
    )
    return dialog.start(asdict(current) if current else {"role": StaffRole.CARER})


def lifecycle_dialog(
    ctx: AppContext,
    institution_id: uuid.UUID,
    kind: InstitutionEventKind,
    *,
    state: LifecycleState,
    version: int,
    today: date,
    parent: QWidget | None = None,
) -> RecordDialog:
    labels = EVENT_FIELDS
    fields = [("occurred_on", labels["occurred_on"], DateField(optional=False))]
    if kind in NUMBERED_EVENTS:
        fields.append(("document_number", labels["document_number"], TextField(placeholder=EVENT_HINTS[kind])))
    fields.append(("reason", labels["reason"], TextField(multiline=True)))

    def event(values: dict[str, Any]) -> LifecycleEvent:
        return LifecycleEvent(kind, values["occurred_on"], values.get("document_number"), values.get("reason"))

    def save(values: dict[str, Any]) -> Any:
        return record_lifecycle_event(ctx, institution_id, event(values), expected_version=version, today=today)

    dialog = RecordDialog(
        kind.label,
        fields,
        check=lambda values: check_event(state, event(values), today=today),
        save=save,
        parent=parent,
    )
    return dialog.start({"occurred_on": today})
