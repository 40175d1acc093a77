"""What the 补贴 screen reads: filtered lists, and an application with its policy, parameters, facts,
steps and — once frozen — the facts that changed since, never a recomputed amount."""

from __future__ import annotations

from datetime import date

from desktop.domain.application_workflow import Action
from desktop.domain.enums import ApplicationStatus, SubsidyScheme
from desktop.models import Institution
from desktop.services.enrollment_month import prepare_enrollment_month
from desktop.services.subsidy_applications import (
    approve,
    create_construction_application,
    create_operating_application,
    first_review,
    submit,
)
from desktop.services.subsidy_policies import load_policies
from desktop.services.subsidy_queries import ApplicationFilter, application_detail, list_applications
from desktop.services.unit_of_work import write_session
from tests.integration.subsidizing import GANZHOU, SHANDAN, TODAY, as_user, child, institution

ZHANGYE = load_policies()[0]


def test_lists_filter_by_county_scheme_period_and_status(ctx):
    sunshine = institution(ctx, "甘州区阳光托育中心")
    shandan = institution(ctx, "山丹县小太阳托育园", county=SHANDAN)
    create_construction_application(ctx, sunshine, meets_standard=True, today=TODAY)
    create_operating_application(ctx, shandan, 2026, today=TODAY)
    child(ctx, sunshine)
    prepare_enrollment_month(ctx, GANZHOU, "2026-11", today=TODAY)
    every = list_applications(ctx, ApplicationFilter())
    assert len(every) == 3
    assert [r.scheme for r in list_applications(ctx, ApplicationFilter(county_code=GANZHOU))] == [
        SubsidyScheme.CONSTRUCTION,
        SubsidyScheme.ENROLLMENT,
    ]
    assert len(list_applications(ctx, ApplicationFilter(period="2026"))) == 2  # the year and its months
    assert len(list_applications(ctx, ApplicationFilter(period="2026-11"))) == 1
    assert list_applications(ctx, ApplicationFilter(status=ApplicationStatus.SUBMITTED)) == []
    (row,) = list_applications(ctx, ApplicationFilter(scheme=SubsidyScheme.OPERATING))
    assert (row.institution, row.county_name, row.amount_fen) == ("山丹县小太阳托育园", "山丹县", 6_000_000)


def test_the_detail_names_the_policy_its_parameters_the_facts_and_the_steps(ctx):
    created = create_construction_application(as_user(ctx, "clerk"), institution(ctx), meets_standard=True, today=TODAY)
    submit(as_user(ctx, "clerk"), created.application_id, today=TODAY)
    detail = application_detail(ctx, created.application_id, today=TODAY)
    assert (detail.amount_fen, detail.city_share_fen, detail.county_share_fen) == (3_000_000, 600_000, 2_400_000)
    assert detail.amount_words == "人民币叁万元整"
    assert detail.policy_text == f"zhangye-2026 第1版（SHA-256 {ZHANGYE.sha256[:12]}）"
    assert ("托位数口径", "按备案托位数") in detail.parameters
    assert ("备案托位数", "60 个") in detail.facts
    assert detail.reasons[0] == "托位 60 个，适用 50–99 档，补助 30,000.00 元。"
    assert [(step, who) for step, who, _ in detail.steps] == [("建立", ""), ("提交", "clerk")]
    assert detail.actions == (Action.FIRST_REVIEW, Action.REJECT) and not detail.frozen


def test_a_frozen_amount_shows_what_changed_since_instead_of_recomputing(ctx):
    institution_id = institution(ctx, slots=60)
    created = create_construction_application(ctx, institution_id, meets_standard=True, today=TODAY)
    for step in (submit, first_review, approve):
        step(ctx, created.application_id, today=TODAY)
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        session.get(Institution, institution_id).slots = 120
    detail = application_detail(ctx, created.application_id, today=date(2026, 12, 1))
    assert detail.frozen and detail.amount_fen == 3_000_000
    assert detail.changed_since_approval[0] == "备案托位数：审核时为“60 个”，现在为“120 个”。"
    assert "不会重新计算" in detail.changed_since_approval[-1]


def test_an_enrollment_detail_lists_its_children_masked(ctx):
    sunshine = institution(ctx)
    number = child(ctx, sunshine, name="王小明")
    child(ctx, sunshine, name="满三岁", born=date(2023, 10, 15))
    prepare_enrollment_month(ctx, GANZHOU, "2026-11", today=TODAY)
    (row,) = list_applications(ctx, ApplicationFilter(scheme=SubsidyScheme.ENROLLMENT))
    detail = application_detail(ctx, row.id, today=TODAY)
    assert [(c.name, c.eligible, c.amount_fen) for c in detail.claims] == [
        ("王小明", True, 20_000),
        ("满三岁", False, 0),
    ]
    assert detail.claims[0].id_number_masked == number[:6] + "********" + number[-4:]
    assert any("不在补贴年龄内" in reason for reason in detail.claims[1].reasons)
    assert detail.period_text == "2026年11月" and ("申报幼儿人数", "2 人") in detail.facts
