"""The printed 补贴发放花名册 from the county demo: a month of enrollment subsidies prepared and approved, printed for
甘州区 and for every county, with the figures of the roster service and no full ID number; refusals in Chinese."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from desktop.domain.amount_words import format_yuan
from desktop.domain.enums import SubsidyScheme
from desktop.errors import NotFoundError, TuoyuError
from desktop.models import EnrollmentClaim, SubsidyApplication
from desktop.reports.payment_roster_pdf import render_payment_roster
from desktop.services.enrollment_month import prepare_enrollment_month
from desktop.services.payment_rosters import payment_roster
from desktop.services.roster_printing import payment_roster_document
from desktop.services.startup import AppContext
from desktop.services.subsidy_applications import approve, first_review, pay, submit
from tests.integration.subsidizing import GANZHOU, TODAY
from tests.pdf_reading import page_texts, pdf_text, squeezed

MONTH = "2026-11"


def approve_enrollment_month(ctx: AppContext, county: str, *, limit: int) -> list[uuid.UUID]:
    """Prepare ``MONTH`` for the county and carry its first ``limit`` applications with an amount through review
    and approval; every other one is paid too. Returns their ids."""
    prepare_enrollment_month(ctx, county, MONTH, today=TODAY)
    with ctx.db.session_factory() as session:
        ids = session.scalars(
            select(SubsidyApplication.id)
            .where(SubsidyApplication.county_code == county, SubsidyApplication.amount_fen > 0)
            .order_by(SubsidyApplication.id)
            .limit(limit)
        ).all()
    for number, application_id in enumerate(ids):
        for step in (submit, first_review, approve):
            step(ctx, application_id, today=TODAY)
        if number % 2:
            pay(ctx, application_id, today=date(2026, 11, 30))
    return list(ids)


def test_a_countys_month_prints_with_the_rosters_figures_and_masked_ids(demo_ctx: AppContext) -> None:
    ids = approve_enrollment_month(demo_ctx, GANZHOU, limit=4)
    document = payment_roster_document(demo_ctx, MONTH, SubsidyScheme.ENROLLMENT, county_code=GANZHOU, today=TODAY)
    assert (document.region_name, document.issuing_body) == ("张掖市甘州区", "甘州区卫生健康局")
    roster = payment_roster(demo_ctx, MONTH, SubsidyScheme.ENROLLMENT, county_code=GANZHOU)
    assert document.roster == roster and len(roster.lines) == 4 and roster.children > 20

    printed = render_payment_roster(document)
    pages = page_texts(printed.pdf)
    text = squeezed("".join(pages))
    assert "张掖市甘州区2026年11月入托补贴发放花名册" in text and printed.pages == len(pages) > 1
    for roster_line in roster.lines:
        assert squeezed(roster_line.institution) in text
        for child in roster_line.children:
            assert child.id_number_masked in text
    children_fen = sum(child.amount_fen for roster_line in roster.lines for child in roster_line.children)
    assert children_fen == roster.total_fen  # an enrollment application is the sum of its children's months
    total = format_yuan(roster.total_fen)
    assert f"合计（4家）{total}{roster.children}{total}" in text
    assert roster.total_words in text and f"第{len(pages)}页共{len(pages)}页" in text
    with demo_ctx.db.session_factory() as session:
        full = session.scalars(select(EnrollmentClaim.id_number).where(EnrollmentClaim.application_id.in_(ids)))
        full_numbers = list(full)
    assert len(full_numbers) >= roster.children
    assert not any(number in text for number in full_numbers)
    assert printed.undrawable == ()


def test_a_roster_of_every_county_is_the_city_commissions(demo_ctx: AppContext) -> None:
    approve_enrollment_month(demo_ctx, GANZHOU, limit=2)
    document = payment_roster_document(demo_ctx, MONTH, SubsidyScheme.ENROLLMENT, today=TODAY)
    assert (document.region_name, document.issuing_body) == ("张掖市", "张掖市卫生健康委员会")
    text = squeezed(pdf_text(render_payment_roster(document).pdf))
    assert "张掖市2026年11月入托补贴发放花名册" in text and "序号县区机构名称" in text


def test_an_empty_month_an_unknown_county_and_a_bad_month_are_refused(demo_ctx: AppContext) -> None:
    with pytest.raises(TuoyuError, match="张掖市甘州区2026年1月没有待发放或已发放的运营补贴申请，无需打印花名册"):
        payment_roster_document(demo_ctx, "2026-01", SubsidyScheme.OPERATING, county_code=GANZHOU)
    with pytest.raises(NotFoundError, match="找不到县区代码 629999"):
        payment_roster_document(demo_ctx, MONTH, SubsidyScheme.ENROLLMENT, county_code="629999")
    with pytest.raises(TuoyuError, match="格式不对"):
        payment_roster_document(demo_ctx, "2026-13", SubsidyScheme.ENROLLMENT, county_code=GANZHOU)
