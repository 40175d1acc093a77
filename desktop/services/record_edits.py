"""Small steps every edit of an institution's records takes: find the institution, change only what differs,
hand back the warnings.

The roster commands (classes, staff), the children's roster and its import share them, so a record
deleted meanwhile is refused with the same words wherever it was being edited.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from desktop.domain.problems import Problem, Severity
from desktop.errors import NotFoundError
from desktop.models import Institution

__all__ = ["assign_changes", "institution_of", "warnings_only"]


def institution_of(session: Session, institution_id: uuid.UUID) -> Institution:
    """The institution, or a clear refusal when another user deleted it meanwhile."""
    institution = session.get(Institution, institution_id)
    if institution is None:
        raise NotFoundError("该机构已不存在，可能已被其他用户删除。请刷新列表。")
    return institution


def assign_changes(record: object, values: dict[str, Any]) -> None:
    """Set only the attributes whose value differs from the stored one."""
    for key, value in values.items():
        if getattr(record, key) != value:
            setattr(record, key, value)


def warnings_only(problems: tuple[Problem, ...]) -> tuple[Problem, ...]:
    return tuple(p for p in problems if p.severity is Severity.WARNING)
