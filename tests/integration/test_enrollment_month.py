"""准备本月入托补贴 on SQLite and PostgreSQL: one application per institution-month from the roster,
a child claimed once per month in the county (conflicts listed, never claimed twice), idempotent,
cancellable with nothing written, and rejection freeing the month."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from desktop.domain.enums import ApplicationStatus, SubsidyScheme
from desktop.domain.identifiers import mask_id_number
from desktop.errors import TuoyuError
from desktop.models import AuditEntry, EnrollmentClaim, SubsidyApplication
from desktop.services.enrollment_month import PreparationCancelled, prepare_enrollment_month
from desktop.services.subsidy_applications import approve, first_review, reject, submit
from tests.integration.subsidizing import GANZHOU, SHANDAN, TODAY, application, child, filed, institution, live_claims

MONTH = "2026-11"


def applications(ctx) -> dict:
    """institution id -> (status, amount, city, county) of the live enrollment applications."""
    with ctx.db.session_factory() as session:
        return {
            row.institution_id: (row.status, row.amount_fen, row.city_share_fen, row.county_share_fen)
            for row in session.execute(
                select(SubsidyApplication).where(
                    SubsidyApplication.scheme == SubsidyScheme.ENROLLMENT,
                    SubsidyApplication.status != ApplicationStatus.REJECTED,
                )
            ).scalars()
        }


def application_of(ctx, institution_id):
    with ctx.db.session_factory() as session:
        return session.scalar(
            select(SubsidyApplication.id).where(
                SubsidyApplication.institution_id == institution_id,
                SubsidyApplication.scheme == SubsidyScheme.ENROLLMENT,
                SubsidyApplication.status != ApplicationStatus.REJECTED,
            )
        )


def test_one_application_per_institution_from_the_children_in_care_that_month(ctx):
    sunshine = institution(ctx, "甘州区阳光托育中心")
    star = institution(ctx, "甘州区小星星托育园", lifecycle=filed(puhui=False))
    child(ctx, sunshine, name="一")
    child(ctx, sunshine, name="二", enrolled_on=date(2026, 11, 20))  # came late in the month: a whole month
    child(ctx, sunshine, name="三", left_on=date(2026, 11, 3))  # left early in the month: a whole month
    child(ctx, sunshine, name="不算", left_on=date(2026, 10, 31))  # left before the month
    child(ctx, sunshine, name="也不算", enrolled_on=date(2026, 12, 1))  # starts next month
    child(ctx, sunshine, name="满三岁", born=date(2023, 10, 15))  # 3 on 2026-10-15: too old in November
    child(ctx, star, name="五")
    prepared = prepare_enrollment_month(ctx, GANZHOU, MONTH, today=TODAY)
    assert (prepared.applications_created, prepared.claims_added, prepared.eligible_claims_added) == (2, 5, 4)
    assert prepared.amount_added_fen == 4 * 20_000 and prepared.issues == ()
    # 甘州区 splits 2:8 on each application's total; 普惠 is not required by the Zhangye policy.
    assert applications(ctx) == {
        sunshine: (ApplicationStatus.DRAFT, 60_000, 12_000, 48_000),
        star: (ApplicationStatus.DRAFT, 20_000, 4_000, 16_000),
    }
    row = application(ctx, application_of(ctx, sunshine))
    facts, reasons = json.loads(row.facts_json), json.loads(row.reasons_json)["reasons"]
    assert facts == {
        "kind": "enrollment",
        "county_code": GANZHOU,
        "month": MONTH,
        "institution_filed": True,
        "institution_puhui": True,
        "overdue_major_rectification": False,
        "children": 4,
        "eligible_children": 3,
    }
    assert reasons[0] == "2026年11月在托幼儿 4 人，其中符合条件 3 人，补助合计 600.00 元。"
    assert "按申请合计金额分担" in reasons[-1]
    with ctx.db.session_factory() as session:
        audit = session.execute(
            select(AuditEntry.summary, AuditEntry.changes).where(AuditEntry.entity_type == "subsidy_applications")
        ).all()
    assert len(audit) == 2 and audit[0].summary == "准备 2026-11 入托补贴"
    assert {json.loads(changes)["enrollment_claims"][1] for _, changes in audit} == {4, 1}


def test_a_child_on_two_rosters_is_listed_and_claimed_by_neither(ctx):
    sunshine = institution(ctx, "甘州区阳光托育中心")
    star = institution(ctx, "甘州区小星星托育园")
    twin = child(ctx, sunshine, name="王小明")
    child(ctx, star, name="王小明", id_number=twin)
    child(ctx, star, name="李四")
    prepared = prepare_enrollment_month(ctx, GANZHOU, MONTH, today=TODAY)
    (conflict,) = prepared.conflicts
    assert conflict.id_number_masked == mask_id_number(twin) and twin not in conflict.message
    assert set(conflict.institutions) == {"甘州区阳光托育中心", "甘州区小星星托育园"}
    assert "均未申领" in conflict.message
    assert [number for number, _, _ in live_claims(ctx)] != [] and twin not in [n for n, _, _ in live_claims(ctx)]
    assert prepared.applications_created == 1  # only 小星星 has a child left to claim


def test_a_child_already_claimed_elsewhere_this_month_is_a_conflict_not_a_second_claim(ctx):
    sunshine = institution(ctx, "甘州区阳光托育中心")
    twin = child(ctx, sunshine, name="王小明")
    prepare_enrollment_month(ctx, GANZHOU, MONTH, today=TODAY)
    star = institution(ctx, "甘州区小星星托育园")
    child(ctx, star, name="王小明", id_number=twin)
    child(ctx, star, name="李四")
    prepared = prepare_enrollment_month(ctx, GANZHOU, MONTH, today=TODAY)
    (conflict,) = prepared.conflicts
    assert "本月已由“甘州区阳光托育中心”申领" in conflict.message
    assert conflict.institutions == ("甘州区阳光托育中心", "甘州区小星星托育园")
    assert [n for n, _, _ in live_claims(ctx)].count(twin) == 1
    assert prepared.already_claimed == 1 and prepared.claims_added == 1


def test_the_unique_index_refuses_a_second_live_claim_whatever_the_code_does(ctx):
    sunshine = institution(ctx)
    twin = child(ctx, sunshine)
    prepare_enrollment_month(ctx, GANZHOU, MONTH, today=TODAY)
    with ctx.db.session_factory() as session:
        first = session.execute(select(EnrollmentClaim)).scalar_one()
        row = {c.key: getattr(first, c.key) for c in EnrollmentClaim.__table__.c if c.key != "id"}
    with pytest.raises(IntegrityError), ctx.db.engine.begin() as connection:
        connection.execute(insert(EnrollmentClaim.__table__), [row])
    assert [n for n, _, _ in live_claims(ctx)] == [twin]


def test_a_child_who_moved_during_the_month_is_claimed_once_by_the_new_institution(ctx):
    sunshine = institution(ctx, "甘州区阳光托育中心")
    star = institution(ctx, "甘州区小星星托育园")
    moved = child(ctx, sunshine, name="王小明", left_on=date(2026, 11, 10))
    child(ctx, star, name="王小明", id_number=moved, enrolled_on=date(2026, 11, 16))
    prepared = prepare_enrollment_month(ctx, GANZHOU, MONTH, today=TODAY)
    (transfer,) = prepared.issues
    assert transfer.kind == "transfer" and "由“甘州区阳光托育中心”转入“甘州区小星星托育园”" in transfer.message
    assert live_claims(ctx) == [(moved, application_of(ctx, star), 20_000)]


def test_running_the_month_again_adds_only_what_is_missing(ctx):
    sunshine = institution(ctx, "甘州区阳光托育中心")
    star = institution(ctx, "甘州区小星星托育园")
    child(ctx, sunshine)
    child(ctx, star)
    prepare_enrollment_month(ctx, GANZHOU, MONTH, today=TODAY)
    again = prepare_enrollment_month(ctx, GANZHOU, MONTH, today=TODAY)
    assert (again.applications_created, again.claims_added, again.already_claimed) == (0, 0, 2)
    # A child registered since: added to the draft, whose amount follows.
    child(ctx, sunshine, name="新来的")
    added = prepare_enrollment_month(ctx, GANZHOU, MONTH, today=TODAY)
    assert (added.applications_created, added.applications_extended, added.claims_added) == (0, 1, 1)
    assert applications(ctx)[sunshine][1] == 40_000
    # Once submitted, an application is not changed by a new run: the newcomer is listed instead.
    submit(ctx, application_of(ctx, star), today=TODAY)
    child(ctx, star, name="更晚来的")
    late = prepare_enrollment_month(ctx, GANZHOU, MONTH, today=TODAY)
    (issue,) = late.issues
    assert issue.kind == "not_added" and "已提交" in issue.message and late.claims_added == 0
    assert applications(ctx)[star][1] == 20_000


def test_rejecting_an_enrollment_application_frees_its_children_for_the_month(ctx):
    sunshine = institution(ctx, "甘州区阳光托育中心")
    number = child(ctx, sunshine)
    prepare_enrollment_month(ctx, GANZHOU, MONTH, today=TODAY)
    first = application_of(ctx, sunshine)
    submit(ctx, first, today=TODAY)
    reject(ctx, first, "花名册与实际在托不符", today=TODAY)
    assert live_claims(ctx) == []
    prepared = prepare_enrollment_month(ctx, GANZHOU, MONTH, today=TODAY)
    assert (prepared.applications_created, prepared.claims_added) == (1, 1)
    assert application_of(ctx, sunshine) != first
    assert [n for n, _, _ in live_claims(ctx)] == [number]


def test_the_steps_recompute_the_children_until_approval(ctx):
    sunshine = institution(ctx)
    child(ctx, sunshine)
    child(ctx, sunshine, name="二")
    prepare_enrollment_month(ctx, GANZHOU, MONTH, today=TODAY)
    application_id = application_of(ctx, sunshine)
    with ctx.db.engine.begin() as connection:  # the roster is corrected: one child had left in October
        from desktop.models import Child

        table = Child.__table__
        connection.execute(table.update().where(table.c.name == "二").values(left_on=date(2026, 10, 31)))
    assert submit(ctx, application_id, today=TODAY).amount_fen == 20_000
    assert sorted(amount for _, _, amount in live_claims(ctx)) == [0, 20_000]
    first_review(ctx, application_id, today=TODAY)
    approve(ctx, application_id, today=TODAY)
    assert application(ctx, application_id).amount_fen == 20_000


def test_cancelling_writes_nothing(ctx):
    sunshine = institution(ctx)
    for n in range(3):
        child(ctx, sunshine, name=f"孩子{n}")
    calls = []
    with pytest.raises(PreparationCancelled, match="没有写入任何数据"):
        prepare_enrollment_month(
            ctx, GANZHOU, MONTH, today=TODAY, progress=lambda d, t: calls.append((d, t)), cancelled=lambda: True
        )
    with ctx.db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(SubsidyApplication)) == 0
        assert session.scalar(select(func.count()).select_from(EnrollmentClaim)) == 0
    prepared = prepare_enrollment_month(ctx, GANZHOU, MONTH, today=TODAY, progress=lambda d, t: calls.append((d, t)))
    assert prepared.claims_added == 3 and calls[-1] == (6, 6)


def test_every_county_at_once_and_a_bad_month(ctx):
    child(ctx, institution(ctx, "甘州区阳光托育中心"))
    child(ctx, institution(ctx, "山丹县小太阳托育园", county=SHANDAN), county=SHANDAN)
    prepared = prepare_enrollment_month(ctx, None, MONTH, today=TODAY)
    assert prepared.counties == (GANZHOU, SHANDAN) and prepared.applications_created == 2
    shares = sorted(v[2:] for v in applications(ctx).values())
    assert shares == [(0, 20_000), (4_000, 16_000)]  # 山丹县 pays all of its own
    with pytest.raises(TuoyuError, match="格式不对"):
        prepare_enrollment_month(ctx, GANZHOU, "2026-13", today=TODAY)
    with pytest.raises(TuoyuError, match="没有在 2025-11-01 生效"):
        prepare_enrollment_month(ctx, GANZHOU, "2025-11", today=TODAY)
