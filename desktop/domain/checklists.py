"""Inspection checklists: a versioned template of areas and items, and the answers an inspector gives.

Pure data. A template version never changes once issued: an inspection keeps the exact version it
used, and a new version is a new template (code + version).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from desktop.domain.enums import InspectionKind, ItemSeverity


class Answer(StrEnum):
    COMPLIANT = "compliant"
    NON_COMPLIANT = "non_compliant"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class ChecklistArea:
    code: str  # "fire"
    title: str  # "消防安全"


@dataclass(frozen=True)
class ChecklistItem:
    code: str  # stable within a template family, e.g. "fire.extinguishers"
    area: str  # ChecklistArea.code
    text: str  # what the inspector checks, in Chinese
    rule: str  # the rule it cites, e.g. "《托育机构消防安全指南（试行）》"
    severity: ItemSeverity
    veto: bool = False  # 一票否决: failing it fails the whole inspection
    mandatory: bool = True  # must be answered before the inspection can be finished
    points: int | None = None  # weight in the score, where the template scores


@dataclass(frozen=True)
class ChecklistTemplate:
    code: str  # "zhangye-safety"
    version: str  # "2026.1"
    title: str
    kinds: tuple[InspectionKind, ...]
    effective_from: date
    areas: tuple[ChecklistArea, ...]
    items: tuple[ChecklistItem, ...]
    # Working days an institution has to rectify a failed item, by severity.
    rectification_working_days: dict[ItemSeverity, int] = field(default_factory=dict)
    source: str = ""  # where the items come from, for the record

    def item(self, code: str) -> ChecklistItem:
        for candidate in self.items:
            if candidate.code == code:
                return candidate
        raise KeyError(code)
