"""A finding as a notice stores it (plain JSON values) and back: the notice keeps the items exactly as
they were found, independent of later template versions."""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.domain.enums import ItemSeverity
from desktop.domain.inspection_outcome import Finding
from desktop.domain.working_days import Deadline


def finding_to_json(finding: Finding) -> dict[str, Any]:
    deadline = finding.deadline
    return {
        "item_code": finding.item_code,
        "area": finding.area,
        "area_title": finding.area_title,
        "severity": finding.severity.value,
        "text": finding.text,
        "rule": finding.rule,
        "veto": finding.veto,
        "note": finding.note,
        "deadline": None
        if deadline is None
        else {"due": deadline.due.isoformat(), "working_days": deadline.working_days, "estimated": deadline.estimated},
    }


def finding_from_json(values: dict[str, Any]) -> Finding:
    deadline = values["deadline"]
    return Finding(
        item_code=values["item_code"],
        area=values["area"],
        area_title=values["area_title"],
        severity=ItemSeverity(values["severity"]),
        text=values["text"],
        rule=values["rule"],
        veto=values["veto"],
        note=values["note"],
        deadline=None
        if deadline is None
        else Deadline(date.fromisoformat(deadline["due"]), deadline["working_days"], deadline["estimated"]),
    )
