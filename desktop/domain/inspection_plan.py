"""The half-year inspection plan (半年检查计划): every operating institution once in each half-year.

The plan spreads a county's institutions evenly over the half-year's six months, in the order given
(the register's pinyin order), so the work is even and every institution has a month by which it is
due. An institution's state in the plan is then plain: done (and when), still to do this month or
later, or overdue once its planned month has ended without an inspection.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

MONTHS_IN_HALF = 6


def half_year_months(half: str) -> list[tuple[int, int]]:
    """ "2026H2" → [(2026, 7), …, (2026, 12)]."""
    year, part = int(half[:4]), half[4:]
    if part not in ("H1", "H2"):
        raise ValueError(f"not a half-year: {half!r}")
    first = 1 if part == "H1" else 7
    return [(year, first + i) for i in range(MONTHS_IN_HALF)]


def planned_months(keys: Sequence[str], half: str) -> dict[str, tuple[int, int]]:
    """Each key's planned month: consecutive blocks of nearly equal size, earlier months first."""
    months = half_year_months(half)
    per_month, extra = divmod(len(keys), MONTHS_IN_HALF)
    plan: dict[str, tuple[int, int]] = {}
    position = 0
    for index, month in enumerate(months):
        size = per_month + (1 if index < extra else 0)
        for key in keys[position : position + size]:
            plan[key] = month
        position += size
    return plan


class PlanState(StrEnum):
    DONE = "done"
    DUE = "due"  # planned for this month
    PLANNED = "planned"  # a later month
    OVERDUE = "overdue"


PLAN_STATE_LABELS = {
    PlanState.DONE: "已检查",
    PlanState.DUE: "本月计划",
    PlanState.PLANNED: "待检查",
    PlanState.OVERDUE: "逾期未检查",
}


@dataclass(frozen=True)
class PlanEntry:
    planned: tuple[int, int]
    state: PlanState

    @property
    def planned_label(self) -> str:
        return f"{self.planned[0]}年{self.planned[1]}月"


def plan_state(planned: tuple[int, int], inspected_on: date | None, today: date) -> PlanState:
    if inspected_on is not None:
        return PlanState.DONE
    year, month = planned
    month_end = date(year, month, calendar.monthrange(year, month)[1])
    if today > month_end:
        return PlanState.OVERDUE
    if (today.year, today.month) == planned:
        return PlanState.DUE
    return PlanState.PLANNED
