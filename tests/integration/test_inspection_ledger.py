"""In the half-year's last month the ledger lists every operating institution still without its half-year
inspection, and this quarter's drawn institutions not yet checked."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from desktop.domain.enums import InspectionKind, OperatingStatus
from desktop.models import Inspection, Institution
from desktop.services.inspection_ledger import county_ledgers, due_this_week
from desktop.services.random_draws import draw_counties

LAST_MONTH = date(2026, 12, 7)


def _not_inspected(ctx, county_code: str | None = None) -> set[str]:
    with ctx.db.session_factory() as session:
        operating = session.execute(
            select(Institution.id, Institution.county_code).where(
                Institution.operating_status == OperatingStatus.OPERATING
            )
        ).all()
        inspected = set(
            session.scalars(
                select(Inspection.institution_id).where(
                    Inspection.period == "2026H2",
                    Inspection.kind == InspectionKind.SEMIANNUAL_INSPECTION,
                    Inspection.finished.is_(True),
                )
            )
        )
    return {str(i) for i, county in operating if i not in inspected and county_code in (None, county)}


def test_the_last_month_lists_the_institutions_without_their_half_year_inspection(demo_ctx):
    pending = [item for item in due_this_week(demo_ctx, today=LAST_MONTH) if item.kind == "semiannual_pending"]
    expected = _not_inspected(demo_ctx)
    assert expected, "the demo leaves some institutions uninspected this half-year"
    assert {item.institution_id for item in pending} == expected and len(pending) == len(expected)
    assert all(item.due == date(2026, 12, 31) and "2026H2" in item.what for item in pending)
    ganzhou = due_this_week(demo_ctx, today=LAST_MONTH, county_code="620702")
    assert {i.institution_id for i in ganzhou if i.kind == "semiannual_pending"} == _not_inspected(demo_ctx, "620702")
    ledgers = county_ledgers(demo_ctx, today=LAST_MONTH)
    assert len(expected) == sum(c.operating - c.semiannual_done for c in ledgers)


def test_drawn_institutions_not_yet_checked_are_due_by_the_quarter_end(demo_ctx):
    draws = draw_counties(demo_ctx, period="2026Q4", seed=3, rate=0.2)
    drawn = {line.institution_id for draw in draws for line in draw.lines}
    due = [item for item in due_this_week(demo_ctx, today=LAST_MONTH) if item.kind == "drawn_pending"]
    assert {item.institution_id for item in due} == drawn  # none of them inspected yet
    assert all(item.due == date(2026, 12, 31) for item in due)
    ledgers = county_ledgers(demo_ctx, today=LAST_MONTH)
    assert sum(c.drawn for c in ledgers) == len(drawn) and sum(c.drawn_done for c in ledgers) == 0
