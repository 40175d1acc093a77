"""跨县区重复申领: a child whose enrollment subsidy two counties approved or paid for the same month is found by the
city once both counties' data are in its database; drafts, rejected and ineligible claims are not counted."""

from __future__ import annotations

import pytest

from desktop.domain.enums import ApplicationStatus
from desktop.errors import TuoyuError
from desktop.services import subsidy_applications as workflow
from desktop.services.cross_county_claims import cross_county_claims
from desktop.services.enrollment_month import prepare_enrollment_month
from desktop.services.subsidy_queries import ApplicationFilter, list_applications
from tests.integration.subsidizing import GANZHOU, SHANDAN, TODAY, child, institution

MONTH = "2026-11"


def approved_month(ctx, county: str, *, pay: bool) -> None:
    prepare_enrollment_month(ctx, county, MONTH, today=TODAY)
    for row in list_applications(ctx, ApplicationFilter(county_code=county, period=MONTH)):
        for step in (workflow.submit, workflow.first_review, workflow.approve):
            step(ctx, row.id, today=TODAY)
        if pay:
            workflow.pay(ctx, row.id, today=TODAY)


def test_a_child_claimed_in_two_counties_in_one_month_is_reported(ctx) -> None:
    ganzhou = institution(ctx, "甘州区阳光托育中心", county=GANZHOU)
    shandan = institution(ctx, "山丹县小星星托育园", county=SHANDAN)
    twice = child(ctx, ganzhou, name="李小花")
    child(ctx, shandan, name="李小花", id_number=twice)
    child(ctx, ganzhou, name="王一")  # claimed once: not reported
    child(ctx, shandan, name="赵二")
    approved_month(ctx, GANZHOU, pay=True)
    assert cross_county_claims(ctx, month=MONTH) == []  # 山丹县 has not approved yet: nothing paid twice
    approved_month(ctx, SHANDAN, pay=False)

    (case,) = cross_county_claims(ctx, month=MONTH)
    assert case.month == MONTH and case.id_number_masked != twice and case.id_number_masked[-4:] == twice[-4:]
    assert [(c.county_name, c.institution, c.status) for c in case.claims] == [
        ("甘州区", "甘州区阳光托育中心", ApplicationStatus.PAID),
        ("山丹县", "山丹县小星星托育园", ApplicationStatus.APPROVED),
    ]
    assert not case.paid_twice and case.amount_fen == sum(c.amount_fen for c in case.claims) > 0
    assert cross_county_claims(ctx) == [case] and cross_county_claims(ctx, month="2026-10") == []
    assert twice not in repr(case)


def test_a_malformed_month_is_refused_in_chinese(ctx) -> None:
    with pytest.raises(TuoyuError):
        cross_county_claims(ctx, month="2026-13")
