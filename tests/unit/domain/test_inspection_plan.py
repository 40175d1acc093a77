"""The half-year plan: every institution once, spread evenly, and its state on a given day."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.inspection_plan import PlanState, half_year_months, plan_state, planned_months


def test_the_months_of_each_half_year():
    assert half_year_months("2026H1") == [(2026, m) for m in range(1, 7)]
    assert half_year_months("2026H2") == [(2026, m) for m in range(7, 13)]
    with pytest.raises(ValueError):
        half_year_months("2026Q1")


def test_thirteen_institutions_spread_three_then_two_a_month():
    keys = [f"k{i:02d}" for i in range(13)]
    plan = planned_months(keys, "2026H2")
    per_month = [sum(1 for month in plan.values() if month == (2026, m)) for m in range(7, 13)]
    assert per_month == [3, 2, 2, 2, 2, 2]
    assert plan["k00"] == (2026, 7) and plan["k12"] == (2026, 12)


@given(st.lists(st.text(min_size=1, max_size=4), unique=True, max_size=200))
def test_every_institution_is_planned_once_and_months_differ_by_at_most_one(keys):
    plan = planned_months(keys, "2026H1")
    assert set(plan) == set(keys)
    counts = [sum(1 for month in plan.values() if month == (2026, m)) for m in range(1, 7)]
    assert max(counts) - min(counts) <= 1


@pytest.mark.parametrize(
    ("planned", "inspected_on", "today", "state"),
    [
        ((2026, 9), date(2026, 11, 2), date(2026, 11, 23), PlanState.DONE),  # late, but done
        ((2026, 9), None, date(2026, 9, 30), PlanState.DUE),  # the month's last day is still in time
        ((2026, 9), None, date(2026, 10, 1), PlanState.OVERDUE),
        ((2026, 12), None, date(2026, 11, 23), PlanState.PLANNED),
        ((2026, 11), None, date(2026, 11, 23), PlanState.DUE),
    ],
)
def test_the_state_of_a_planned_institution(planned, inspected_on, today, state):
    assert plan_state(planned, inspected_on, today) is state
