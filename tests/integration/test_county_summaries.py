"""A county's main indicators counted from the register: the same figures as the inspection ledger and the register
today, a past year counted on its 31 December from the dated events, subsidies paid in the year, and refusals."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import func, or_, select

from desktop.domain.enums import InstitutionEventKind, OperatingStatus, RegionLevel, SponsorType
from desktop.domain.lifecycle_rules import LifecycleEvent
from desktop.errors import NotFoundError, TuoyuError
from desktop.models import Child, Institution, Region
from desktop.reports.county_summary import render_county_summary
from desktop.services.county_summary import county_summary_document
from desktop.services.inspection_ledger import county_ledgers
from desktop.services.institution_commands import InstitutionDraft, create_institution, record_lifecycle_event
from desktop.services.subsidy_applications import approve, create_construction_application, first_review, pay, submit
from tests.integration.subsidizing import child, filed
from tests.pdf_reading import all_fonts_embedded_subsets, pdf_text, squeezed

TODAY = date(2026, 11, 23)
GANZHOU = "620702"


def test_today_the_sheet_agrees_with_the_ledger_and_the_register(demo_ctx):
    summary = county_summary_document(demo_ctx, county_code=GANZHOU, today=TODAY)
    (ledger,) = [ledger for ledger in county_ledgers(demo_ctx, today=TODAY) if ledger.county_code == GANZHOU]
    assert (summary.counted_on, summary.half_year_label, summary.quarter_label) == (
        TODAY,
        "2026年下半年",
        "2026年第4季度",
    )
    assert summary.semiannual_due == ledger.operating and summary.semiannual_done == ledger.semiannual_done
    assert (summary.notices_open, summary.notices_overdue) == (ledger.open_notices, ledger.overdue_notices)
    assert summary.drawn is None  # the demo draws Q1 to Q3 only

    with demo_ctx.db.session_factory() as session:
        rows = session.execute(
            select(Institution.operating_status, Institution.filing_status, Institution.puhui, Institution.slots).where(
                Institution.county_code == GANZHOU
            )
        ).all()
        operating_ids = select(Institution.id).where(
            Institution.county_code == GANZHOU, Institution.operating_status == OperatingStatus.OPERATING
        )
        in_care = session.scalar(
            select(func.count()).where(
                Child.institution_id.in_(operating_ids),
                Child.enrolled_on <= TODAY,
                or_(Child.left_on.is_(None), Child.left_on >= TODAY),
            )
        )
        townships = session.scalar(
            select(func.count()).where(Region.parent_code == GANZHOU, Region.level == RegionLevel.TOWNSHIP)
        )
    operating = [row for row in rows if row.operating_status is OperatingStatus.OPERATING]
    # The states folded from the dated events are the register's own.
    assert summary.institutions == len(rows)
    assert {c.label: c.count for c in summary.by_operating if c.count} == {
        s.label: n for s, n in Counter(row.operating_status for row in rows).items()
    }
    assert {c.label: c.count for c in summary.by_filing if c.count} == {
        s.label: n for s, n in Counter(row.filing_status for row in rows).items()
    }
    assert summary.puhui_operating == sum(1 for row in operating if row.puhui)
    assert summary.slots_operating == sum(row.slots for row in operating)
    assert summary.children_in_care == in_care > 0 and summary.townships == townships
    assert summary.population_year == 2020 and summary.population == 519_096
    expected = (Decimal(summary.slots_operating) * 1000 / 519_096).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert summary.slots_per_1000 == expected
    assert 0 < summary.townships_with_puhui <= summary.townships

    printed = render_county_summary(summary)
    text = squeezed(pdf_text(printed.pdf))
    assert printed.pages == 1 and f"每千人口托位数{expected}" in text
    assert f"{summary.semiannual_done}/{summary.semiannual_due}家" in text
    assert all_fonts_embedded_subsets(printed.pdf) and printed.undrawable == ()


def _township(ctx) -> str:
    with ctx.db.session_factory() as session:
        return session.scalar(select(Region.code).where(Region.parent_code == GANZHOU).order_by(Region.code).limit(1))


def _institution(ctx, name: str, opened_on: date, township: str, *, slots: int = 60, puhui: bool = True) -> uuid.UUID:
    draft = InstitutionDraft(
        name=name, sponsor_type=SponsorType.SOCIAL, county_code=GANZHOU, township_code=township, slots=slots
    )
    return create_institution(ctx, draft, filed(opened_on, puhui=puhui), today=date(2024, 3, 1)).institution_id


def test_a_past_year_is_counted_on_its_last_day_from_the_dated_events(ctx):
    township = _township(ctx)
    old = _institution(ctx, "甘州区老园托育中心", date(2024, 3, 1), township, slots=60)
    new = _institution(ctx, "甘州区新园托育中心", date(2026, 3, 1), township, slots=40, puhui=False)
    with ctx.db.session_factory() as session:
        version = session.get(Institution, old).version
    record_lifecycle_event(
        ctx,
        old,
        LifecycleEvent(InstitutionEventKind.CLOSED, date(2026, 6, 30), reason="举办者停办"),
        expected_version=version,
        today=TODAY,
    )
    child(ctx, old, enrolled_on=date(2025, 9, 1), left_on=date(2026, 6, 29))
    child(ctx, new, enrolled_on=date(2026, 3, 1))

    last_year = county_summary_document(ctx, county_code=GANZHOU, year=2025, today=TODAY)
    assert last_year.counted_on == date(2025, 12, 31)
    operating = {c.label: c.count for c in last_year.by_operating}
    assert operating == {"正常运营": 1, "筹建中": 1, "暂停运营": 0, "已关闭": 0}
    assert (last_year.slots_operating, last_year.puhui_operating, last_year.children_in_care) == (60, 1, 1)
    assert (last_year.townships_with_puhui, last_year.half_year_label) == (1, "2025年下半年")

    this_year = county_summary_document(ctx, county_code=GANZHOU, today=TODAY)
    operating = {c.label: c.count for c in this_year.by_operating}
    assert operating == {"正常运营": 1, "筹建中": 0, "暂停运营": 0, "已关闭": 1}
    assert (this_year.slots_operating, this_year.puhui_operating, this_year.children_in_care) == (40, 0, 1)
    assert this_year.townships_with_puhui == 0 and this_year.township_coverage == Decimal("0.0")


def test_subsidies_paid_in_the_year_are_summed_by_scheme(ctx):
    institution_id = _institution(ctx, "甘州区阳光托育中心", date(2024, 3, 1), _township(ctx), slots=60)
    created = create_construction_application(ctx, institution_id, meets_standard=True, today=TODAY)
    for step in (submit, first_review, approve):
        step(ctx, created.application_id, today=TODAY)
    pay(ctx, created.application_id, today=date(2026, 11, 20))

    summary = county_summary_document(ctx, county_code=GANZHOU, year=2026, today=TODAY)
    paid = {line.scheme: (line.payments, line.amount_fen) for line in summary.subsidies}
    assert paid == {"建设补贴": (1, 3_000_000), "运营补贴": (0, 0), "入托补贴": (0, 0)}
    assert summary.subsidy_total_fen == 3_000_000
    assert "合计¥30,000.00人民币叁万元整" in squeezed(pdf_text(render_county_summary(summary).pdf))
    earlier = county_summary_document(ctx, county_code=GANZHOU, year=2025, today=TODAY)
    assert earlier.subsidy_total_fen == 0


def test_an_unknown_county_or_a_year_to_come_is_refused(ctx):
    with pytest.raises(NotFoundError, match="没有区划代码为 620799 的县区"):
        county_summary_document(ctx, county_code="620799", today=TODAY)
    with pytest.raises(TuoyuError, match="2027 年还没有开始"):
        county_summary_document(ctx, county_code=GANZHOU, year=2027, today=TODAY)
