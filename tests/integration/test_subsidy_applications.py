"""Construction and operating applications through the workflow, on SQLite and PostgreSQL: who did
each step and when, amounts recomputed until approval and frozen after it, construction once ever,
closed institutions refused, the facts read from the register."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from desktop.domain.enums import ApplicationStatus, InstitutionEventKind, ItemSeverity, SponsorType
from desktop.domain.lifecycle_rules import LifecycleEvent
from desktop.errors import TuoyuError
from desktop.models import AuditEntry, Institution
from desktop.services.institution_commands import ConcurrentEditError, record_lifecycle_event
from desktop.services.subsidy_applications import (
    approve,
    create_construction_application,
    create_operating_application,
    first_review,
    pay,
    reject,
    submit,
)
from desktop.services.subsidy_facts import PolicyBook
from desktop.services.subsidy_policies import load_policies
from desktop.services.unit_of_work import write_session
from tests.integration.subsidizing import SHANDAN, TODAY, application, as_user, filed, institution, overdue_notice

ZHANGYE = load_policies()[0]


def raised_tiers(amount_fen: int) -> PolicyBook:
    """A corrected policy file: version 2 with the 50–99 tier paying ``amount_fen``."""
    scheme = ZHANGYE.construction
    tiers = tuple(replace(t, amount_fen=amount_fen) if t.min_slots == 50 else t for t in scheme.tiers)
    policy = replace(ZHANGYE, version=2, sha256="f" * 64, construction=replace(scheme, tiers=tiers))
    return PolicyBook([policy])


def version(ctx, application_id) -> int:
    return application(ctx, application_id).version


def test_each_step_records_who_and_when_on_the_row_and_in_the_audit_log(ctx):
    institution_id = institution(ctx, slots=60)
    created = create_construction_application(as_user(ctx, "clerk"), institution_id, meets_standard=True, today=TODAY)
    assert (created.status, created.eligible, created.amount_fen) == (ApplicationStatus.DRAFT, True, 3_000_000)
    submit(as_user(ctx, "clerk"), created.application_id, today=TODAY)
    first_review(as_user(ctx, "reviewer"), created.application_id, today=TODAY)
    approve(as_user(ctx, "director"), created.application_id, today=TODAY)
    paid = pay(as_user(ctx, "cashier"), created.application_id, today=date(2026, 11, 30))
    assert paid.status is ApplicationStatus.PAID
    row = application(ctx, created.application_id)
    assert (row.submitted_by, row.first_reviewed_by, row.approved_by, row.paid_by) == (
        "clerk",
        "reviewer",
        "director",
        "cashier",
    )
    assert row.submitted_at <= row.first_reviewed_at <= row.approved_at
    assert row.paid_on == date(2026, 11, 30)
    assert (row.amount_fen, row.city_share_fen, row.county_share_fen) == (3_000_000, 600_000, 2_400_000)
    assert (row.policy_name, row.policy_version, row.policy_sha256) == ("zhangye-2026", "1", ZHANGYE.sha256)
    with ctx.db.session_factory() as session:
        audit = session.execute(
            select(AuditEntry.actor, AuditEntry.action, AuditEntry.changes)
            .where(AuditEntry.entity_id == created.application_id)
            .order_by(AuditEntry.at, AuditEntry.id)
        ).all()
    statuses = [json.loads(changes).get("status") for _, _, changes in audit]
    assert [(actor, action) for actor, action, _ in audit] == [
        ("clerk", "insert"),
        ("clerk", "update"),
        ("reviewer", "update"),
        ("director", "update"),
        ("cashier", "update"),
    ]
    assert statuses[1:] == [
        ["draft", "submitted"],
        ["submitted", "first_reviewed"],
        ["first_reviewed", "approved"],
        ["approved", "paid"],
    ]


def test_a_newer_policy_applies_until_approval_and_never_after(ctx):
    institution_id = institution(ctx, slots=60)
    created = create_construction_application(ctx, institution_id, meets_standard=True, today=TODAY)
    newer = raised_tiers(3_500_000)
    assert submit(ctx, created.application_id, today=TODAY, book=newer).amount_fen == 3_500_000
    first_review(ctx, created.application_id, today=TODAY, book=newer)
    approve(ctx, created.application_id, today=TODAY, book=newer)
    row = application(ctx, created.application_id)
    assert (row.amount_fen, row.policy_version, row.policy_sha256) == (3_500_000, "2", "f" * 64)
    # A still newer file does not touch the approved amount: paying does not recompute.
    pay(ctx, created.application_id, today=TODAY)
    assert application(ctx, created.application_id).amount_fen == 3_500_000


def test_the_register_is_read_again_at_each_step_before_approval(ctx):
    institution_id = institution(ctx, slots=60)
    created = create_construction_application(ctx, institution_id, meets_standard=True, today=TODAY)
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        session.get(Institution, institution_id).slots = 120
    assert submit(ctx, created.application_id, today=TODAY).amount_fen == 5_000_000
    facts = json.loads(application(ctx, created.application_id).facts_json)
    assert facts["slots"] == 120 and facts["meets_standard"] is True and facts["kind"] == "construction"


def test_construction_is_granted_once_ever(ctx):
    institution_id = institution(ctx)
    first = create_construction_application(ctx, institution_id, meets_standard=True, today=TODAY)
    for step in (submit, first_review, approve, pay):
        step(ctx, first.application_id, today=TODAY)
    with pytest.raises(TuoyuError, match="每家机构只能申请、领取一次"):
        create_construction_application(ctx, institution_id, meets_standard=True, today=TODAY)
    with pytest.raises(TuoyuError, match="补贴已发放"):
        reject(ctx, first.application_id, "重复申请", today=TODAY)


def test_a_rejected_construction_application_frees_the_institution_to_apply_again(ctx):
    institution_id = institution(ctx)
    first = create_construction_application(ctx, institution_id, meets_standard=False, today=TODAY)
    assert not first.eligible
    submit(ctx, first.application_id, today=TODAY)
    rejected = reject(as_user(ctx, "reviewer"), first.application_id, "  未达到建设标准  ", today=TODAY)
    row = application(ctx, first.application_id)
    assert (rejected.status, row.rejected_by, row.rejection_reason) == (
        ApplicationStatus.REJECTED,
        "reviewer",
        "未达到建设标准",
    )
    again = create_construction_application(ctx, institution_id, meets_standard=True, today=TODAY)
    assert again.eligible and again.amount_fen == 3_000_000


def test_an_approved_application_can_be_stopped_before_payment_and_keeps_its_amount(ctx):
    institution_id = institution(ctx)
    created = create_construction_application(ctx, institution_id, meets_standard=True, today=TODAY)
    for step in (submit, first_review, approve):
        step(ctx, created.application_id, today=TODAY)
    reject(ctx, created.application_id, "审核后发现机构已停止运营", today=TODAY)
    row = application(ctx, created.application_id)
    assert (row.status, row.amount_fen, row.approved_by) == (ApplicationStatus.REJECTED, 3_000_000, ctx.actor.username)


def test_an_ineligible_application_cannot_be_approved(ctx):
    institution_id = institution(ctx)
    created = create_construction_application(ctx, institution_id, meets_standard=False, today=TODAY)
    submit(ctx, created.application_id, today=TODAY)
    first_review(ctx, created.application_id, today=TODAY)
    with pytest.raises(TuoyuError, match="不符合补贴条件（金额为 0），不能审核通过"):
        approve(ctx, created.application_id, today=TODAY)
    assert application(ctx, created.application_id).status is ApplicationStatus.FIRST_REVIEWED


def test_steps_out_of_order_and_stale_screens_are_refused(ctx):
    created = create_construction_application(ctx, institution(ctx), meets_standard=True, today=TODAY)
    with pytest.raises(TuoyuError, match="审核只能在初审通过之后进行"):
        approve(ctx, created.application_id, today=TODAY)
    stale = version(ctx, created.application_id)
    submit(ctx, created.application_id, today=TODAY)
    with pytest.raises(ConcurrentEditError, match="刚刚被其他人办理过"):
        reject(ctx, created.application_id, "原因", today=TODAY, expected_version=stale)


def test_a_closed_institution_is_refused_with_a_clear_message(ctx):
    institution_id = institution(ctx, "山丹县小太阳托育园", county=SHANDAN)
    draft = create_construction_application(ctx, institution_id, meets_standard=True, today=TODAY)
    with ctx.db.session_factory() as session:
        expected = session.get(Institution, institution_id).version
    record_lifecycle_event(
        ctx,
        institution_id,
        LifecycleEvent(InstitutionEventKind.CLOSED, date(2026, 10, 31), reason="举办者停办"),
        expected_version=expected,
        today=TODAY,
    )
    with pytest.raises(TuoyuError, match="“山丹县小太阳托育园”已于2026年10月31日关闭，不能申请建设补贴"):
        create_construction_application(ctx, institution_id, meets_standard=True, today=TODAY)
    with pytest.raises(TuoyuError, match="关闭，不能办理“提交”"):
        submit(ctx, draft.application_id, today=TODAY)
    # Closed during 2026: that year's months of operation are still subsidised; 2027's are not.
    operating = create_operating_application(ctx, institution_id, 2026, today=TODAY)
    assert operating.amount_fen == 60 * 100_000 * 10 // 12
    with pytest.raises(TuoyuError, match="关闭，不能申请 2027 年度运营补贴"):
        create_operating_application(ctx, institution_id, 2027, today=date(2027, 3, 1))


def test_operating_months_come_from_the_institutions_events(ctx):
    institution_id = institution(ctx, slots=80, lifecycle=filed(opened_on=date(2026, 3, 1)))
    created = create_operating_application(ctx, institution_id, 2026, today=TODAY)
    facts = json.loads(application(ctx, created.application_id).facts_json)
    assert (facts["months_operating"], facts["year"], facts["sponsor_type"]) == (10, 2026, "social")
    assert created.amount_fen == 80 * 100_000 * 10 // 12
    with pytest.raises(TuoyuError, match="同一期间只能有一份申请"):
        create_operating_application(ctx, institution_id, 2026, today=TODAY)
    with pytest.raises(TuoyuError, match="2025 年没有运营记录"):
        create_operating_application(ctx, institution_id, 2025, today=TODAY)
    with pytest.raises(TuoyuError, match="2027 年度尚未开始"):
        create_operating_application(ctx, institution_id, 2027, today=TODAY)


def test_a_public_institution_gets_no_operating_subsidy_under_the_zhangye_policy(ctx):
    institution_id = institution(ctx, "甘州区公办托育中心", sponsor=SponsorType.PUBLIC)
    created = create_operating_application(ctx, institution_id, 2026, today=TODAY)
    reasons = json.loads(application(ctx, created.application_id).reasons_json)["reasons"]
    assert not created.eligible and created.amount_fen == 0
    assert any("公办托育机构，不在本政策运营补贴范围内" in reason for reason in reasons)


@pytest.mark.parametrize(("severity", "flagged"), [(ItemSeverity.MAJOR, True), (ItemSeverity.MINOR, False)])
def test_an_overdue_major_rectification_is_a_fact_and_a_warning(ctx, severity, flagged):
    institution_id = institution(ctx)
    overdue_notice(ctx, institution_id, severity)
    created = create_construction_application(ctx, institution_id, meets_standard=True, today=TODAY)
    facts = json.loads(application(ctx, created.application_id).facts_json)
    assert facts["overdue_major_rectification"] is flagged
    assert created.amount_fen == 3_000_000  # the Zhangye policy only warns
    assert bool(created.warnings) is flagged


def test_a_policy_the_city_sent_counts_over_the_bundled_one(ctx):
    """Policy files received by sync (the data folder's policies/) are used: a higher version of zhangye-2026 that
    raises the 50–99 slot tier from 30,000 to 36,000 yuan prices the next construction application."""
    from desktop.paths import resources_dir
    from desktop.services.subsidy_policies import received_policy_folder

    bundled = (resources_dir() / "policies" / "zhangye-2026.toml").read_text(encoding="utf-8")
    assert "version = 1\n" in bundled and "amount_yuan = 30_000\n" in bundled
    sent = bundled.replace("version = 1\n", "version = 2\n", 1).replace(
        "amount_yuan = 30_000\n", "amount_yuan = 36_000\n", 1
    )
    folder = received_policy_folder(ctx.db.data_dir)
    folder.mkdir(parents=True)
    (folder / "zhangye-2026.toml").write_text(sent, encoding="utf-8")

    created = create_construction_application(ctx, institution(ctx, slots=60), meets_standard=True, today=TODAY)
    stored = application(ctx, created.application_id)
    assert stored.amount_fen == 3_600_000 and stored.policy_version == "2"
