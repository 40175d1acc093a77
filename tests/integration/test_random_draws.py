"""Draws are recorded once per period and county; the same seed returns the record, another is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from desktop.errors import TuoyuError
from desktop.models import InspectorConflict, RandomDraw
from desktop.services.random_draws import draw_counties


def test_every_county_is_drawn_separately_and_recorded(demo_ctx):
    results = draw_counties(demo_ctx, period="2026Q4", seed=11, rate=0.2)
    assert [r.county_code for r in results] == ["620702", "620721", "620722", "620723", "620724", "620725"]
    assert all(r.newly_recorded and len(r.lines) >= 1 for r in results)
    with demo_ctx.db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(RandomDraw).where(RandomDraw.period == "2026Q4")) == 6
        conflicts = set(session.execute(select(InspectorConflict.user_id, InspectorConflict.institution_id)).all())
    for result in results:
        for line in result.lines:
            assert len(line.inspector_ids) == 2
            for inspector in line.inspector_ids:
                assert (inspector, line.institution_id) not in {(str(u), str(i)) for u, i in conflicts}


def test_asking_again_with_the_same_seed_returns_the_recorded_draw(demo_ctx):
    first = draw_counties(demo_ctx, period="2027Q1", seed=5, rate=0.3, county_code="620702")[0]
    again = draw_counties(demo_ctx, period="2027Q1", seed=5, rate=0.3, county_code="620702")[0]
    assert not again.newly_recorded and again.lines == first.lines
    with demo_ctx.db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(RandomDraw).where(RandomDraw.period == "2027Q1")) == 1


def test_a_redraw_with_another_seed_is_refused_with_the_recorded_details(demo_ctx):
    draw_counties(demo_ctx, period="2027Q2", seed=5, rate=0.3, county_code="620702")
    with pytest.raises(TuoyuError, match="种子 5"):
        draw_counties(demo_ctx, period="2027Q2", seed=6, rate=0.3, county_code="620702")


def test_an_unknown_county_or_period_is_explained(demo_ctx):
    with pytest.raises(TuoyuError, match="620799"):
        draw_counties(demo_ctx, period="2026Q1", seed=1, rate=0.2, county_code="620799")
    with pytest.raises(TuoyuError, match="2026Q1"):
        draw_counties(demo_ctx, period="2026-1", seed=1, rate=0.2)


def test_the_ledger_counts_coverage_and_overdue_rectifications(demo_ctx):
    from datetime import date

    from desktop.services.inspection_ledger import county_ledgers, due_this_week

    today = date(2026, 11, 23)
    ledgers = {ledger.county_code: ledger for ledger in county_ledgers(demo_ctx, today=today)}
    ganzhou = ledgers["620702"]
    assert 0 < ganzhou.semiannual_done <= ganzhou.operating
    assert ganzhou.open_notices >= ganzhou.overdue_notices
    due = due_this_week(demo_ctx, today=today)
    overdue = [item for item in due if item.kind == "overdue_notice"]
    assert len(overdue) == sum(ledger.overdue_notices for ledger in ledgers.values())
    assert all(item.due < today for item in overdue)
