"""The demo city and the reference regions load completely, once, and the same seed gives the same data."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from desktop.demo.zhangye import Scale
from desktop.domain.enums import RegionLevel
from desktop.errors import TuoyuError
from desktop.models import (
    AuditEntry,
    ClassGroup,
    Institution,
    InstitutionEvent,
    Region,
    RegionPopulation,
    StaffMember,
)
from desktop.services.demo_service import load_demo
from desktop.services.regions import counties, ensure_regions, has_regions, townships
from tests.conftest import TODAY

ZHANGYE_COUNTIES = {
    "620702": "甘州区",
    "620721": "肃南裕固族自治县",
    "620722": "民乐县",
    "620723": "临泽县",
    "620724": "高台县",
    "620725": "山丹县",
}


def test_regions_have_the_real_zhangye_codes_and_populations(ctx):
    ensure_regions(ctx)
    assert {c.code: c.name for c in counties(ctx)} == ZHANGYE_COUNTIES
    ganzhou = townships(ctx, "620702")
    assert len(ganzhou) >= 20 and all(t.code.startswith("620702") and len(t.code) == 9 for t in ganzhou)
    with ctx.db.session_factory() as session:
        resident = session.scalar(
            select(RegionPopulation.resident_population).where(
                RegionPopulation.region_code == "620700", RegionPopulation.year == 2020
            )
        )
        city = session.scalar(select(Region).where(Region.code == "620700"))
    assert resident == 1131016
    assert city.level is RegionLevel.CITY and city.parent_code == "620000"


def test_a_new_database_has_its_regions_and_loading_them_again_adds_nothing(ctx):
    assert has_regions(ctx)  # loaded when the database was first opened
    assert ensure_regions(ctx) == 0


def test_the_demo_fills_every_table_and_audits_the_load(demo_ctx):
    with demo_ctx.db.session_factory() as session:
        counts = {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (Institution, ClassGroup, StaffMember)
        }
        events = session.scalar(select(func.count()).select_from(InstitutionEvent))
        load_entries = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "demo_loaded")
        )
        per_county = dict(
            session.execute(select(Institution.county_code, func.count()).group_by(Institution.county_code)).all()
        )
    assert counts["institutions"] == 160
    assert counts["class_groups"] > 400 and counts["staff"] > 1000
    assert load_entries == 1
    assert events >= 150  # nearly every institution has opened, most have filed
    assert set(per_county) == set(ZHANGYE_COUNTIES)


def test_the_demo_refuses_a_database_that_already_has_institutions(demo_ctx):
    with pytest.raises(TuoyuError, match="已有机构数据"):
        load_demo(demo_ctx, scale=Scale.COUNTY, seed=8, today=TODAY)
    with demo_ctx.db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Institution)) == 160


def test_the_demo_answers_read_back_as_the_application_stores_them(demo_ctx):
    """The answers go straight to the driver for speed: they must be what the ORM would have written."""
    import uuid
    from datetime import UTC

    from desktop.domain.checklists import Answer
    from desktop.models import Inspection, InspectionAnswer, RectificationNotice

    with demo_ctx.db.session_factory() as session:
        inspections = session.scalar(select(func.count()).select_from(Inspection))
        answers = session.scalars(select(InspectionAnswer).order_by(InspectionAnswer.id)).all()
        notices = session.scalar(select(func.count()).select_from(RectificationNotice))
        stamp = session.scalar(select(Inspection.created_at).limit(1))
        failed = session.scalars(
            select(InspectionAnswer).where(InspectionAnswer.answer == Answer.NON_COMPLIANT).limit(1)
        ).one()
        assert failed.note and failed.note.startswith("现场检查发现")
        assert session.get(Inspection, failed.inspection_id).finished
    assert inspections > 300 and notices > 50
    assert len(answers) > 40 * inspections * 0.9
    assert {type(a.id) for a in answers} == {uuid.UUID} and {type(a.answer) for a in answers} == {Answer}
    assert {a.origin for a in answers} == {demo_ctx.node_id}
    assert {a.created_at for a in answers} == {stamp} and stamp.tzinfo is UTC
    assert {a.version for a in answers} == {1}
