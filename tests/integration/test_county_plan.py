"""The county's half-year plan agrees with the ledger, institution by institution."""

from __future__ import annotations

from desktop.domain.inspection_plan import PlanState
from desktop.services.inspection_ledger import county_ledgers
from desktop.services.inspection_plan import DrawState, county_plan
from tests.conftest import TODAY


def test_the_plan_adds_up_to_the_county_ledger(demo_ctx):
    for ledger in county_ledgers(demo_ctx, today=TODAY):
        rows = county_plan(demo_ctx, ledger.county_code, today=TODAY)
        assert len(rows) == ledger.operating
        done = [r for r in rows if r.plan.state is PlanState.DONE]
        assert len(done) == ledger.semiannual_done
        assert all(r.inspected_on is not None for r in done)
        assert sum(r.overdue_notices for r in rows) <= ledger.overdue_notices  # closed institutions drop out
        assert sum(1 for r in rows if r.draw_state == DrawState.DONE) <= ledger.drawn_done
        # Nothing is overdue in a month that has not ended yet.
        assert not any(r.plan.state is PlanState.OVERDUE and r.plan.planned >= (2026, 11) for r in rows)


def test_an_institution_planned_for_a_past_month_without_inspection_is_overdue(demo_ctx):
    rows = [r for c in county_ledgers(demo_ctx, today=TODAY) for r in county_plan(demo_ctx, c.county_code, today=TODAY)]
    overdue = [r for r in rows if r.plan.state is PlanState.OVERDUE]
    assert overdue, "the demo leaves some institutions without their half-year inspection"
    assert all(r.inspected_on is None and r.plan.planned < (2026, 11) for r in overdue)
