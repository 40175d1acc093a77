"""A record's history tab: who changed which field, when, old value → new value, from the audit log.

Covers the institution itself and its classes, staff, children and lifecycle events (audit ``subject_id``).
Values are shown as a clerk reads them: Chinese labels for codes, yuan for fen, 是/否 for flags;
ID numbers were masked when the audit entry was written and stay masked.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import Boolean, or_, select
from sqlalchemy import Enum as SAEnum

from desktop.domain.field_labels import TABLE_NAMES, field_label
from desktop.models import AuditEntry, Base, ClassGroup
from desktop.models.base import CodeSet
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session

# A clerk looking at a child's full ID number is audited too (desktop.services.children.reveal_id_number).
ACTIONS = {"insert": "新增", "update": "修改", "delete": "删除", "id_number_viewed": "查看完整身份证号"}
# Links to other rows are not something a clerk reads as a value.
HIDDEN_ATTRIBUTES = frozenset({"institution_id"})


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    actor: str
    action: str
    # What was changed: "机构", "班级 托小1班", "人员 王芳", "备案/普惠/运营"
    subject: str
    field: str
    old: str
    new: str


def load_history(ctx: AppContext, institution_id: uuid.UUID) -> list[HistoryLine]:
    """Newest first."""
    with read_session(ctx.db) as session:
        entries = list(
            session.scalars(
                select(AuditEntry)
                .where(or_(AuditEntry.subject_id == institution_id, AuditEntry.entity_id == institution_id))
                .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            )
        )
        class_names = _class_names(session, institution_id)
    lines = []
    for entry in entries:
        changes: dict[str, list[Any]] = json.loads(entry.changes or "{}")
        subject = _subject(entry, changes)
        shown = [(k, v) for k, v in changes.items() if k not in HIDDEN_ATTRIBUTES]
        if not shown:
            lines.append(
                HistoryLine(entry.at, entry.actor, ACTIONS.get(entry.action, entry.action), subject, "", "", "")
            )
        for attribute, (old, new) in shown:
            lines.append(
                HistoryLine(
                    entry.at,
                    entry.actor,
                    ACTIONS.get(entry.action, entry.action),
                    subject,
                    field_label(entry.entity_type, attribute),
                    _shown(entry.entity_type, attribute, old, class_names),
                    _shown(entry.entity_type, attribute, new, class_names),
                )
            )
    return lines


def _class_names(session: Any, institution_id: uuid.UUID) -> dict[str, str]:
    rows = session.execute(select(ClassGroup.id, ClassGroup.name).where(ClassGroup.institution_id == institution_id))
    return {str(class_id): name for class_id, name in rows}


def _subject(entry: AuditEntry, changes: dict[str, list[Any]]) -> str:
    table = TABLE_NAMES.get(entry.entity_type, entry.entity_type)
    name = changes.get("name", [None, None])
    label = name[1] or name[0]
    if not label and entry.entity_type == "children" and entry.summary.startswith("查看幼儿 "):
        label = entry.summary.split(" ")[1]  # a viewed ID number: the child's name is in the summary
    return f"{table} {label}" if label and entry.entity_type in ("class_groups", "staff", "children") else table


def _column_type(table: str, attribute: str) -> Any:
    model_table = Base.metadata.tables.get(table)
    if model_table is None or attribute not in model_table.c:
        return None
    return model_table.c[attribute].type


def _shown(table: str, attribute: str, value: Any, class_names: dict[str, str]) -> str:
    """A stored value as a clerk reads it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, list):  # e.g. the events an imported record started with
        return "；".join(str(item) for item in value) or "—"
    if attribute == "class_group_id":  # the audit log stores ids as text
        return class_names.get(str(value), "（已删除的班级）")
    if attribute.endswith("_fen"):
        return f"¥{int(value) / 100:,.2f}"
    column_type = _column_type(table, attribute)
    if isinstance(column_type, SAEnum) and column_type.enum_class is not None:
        return _label(column_type.enum_class, value)
    if isinstance(column_type, CodeSet):
        return "、".join(_label(column_type.enum_class, v) for v in value) if value else "—"
    if isinstance(column_type, Boolean) or isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _label(enum_class: type[Enum], value: Any) -> str:
    try:
        member = enum_class(value)
    except ValueError:
        return str(value)
    return getattr(member, "label", str(value))
