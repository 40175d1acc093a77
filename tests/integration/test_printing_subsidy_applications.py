"""The 补贴申请审核表 printed from the database: an approved construction application with its users' names, the
policy's title, amounts and shares; an enrollment application with its children's ID numbers masked; unknown ids."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from desktop.domain.enums import ApplicationStatus, SponsorType, SubsidyScheme, UserRole
from desktop.domain.identifiers import mask_id_number
from desktop.errors import NotFoundError
from desktop.models import SubsidyApplication, User
from desktop.reports.subsidy_application_form import PayerShare, render_subsidy_application
from desktop.services.enrollment_month import prepare_enrollment_month
from desktop.services.institution_commands import InstitutionDraft, create_institution
from desktop.services.subsidy_application_document import subsidy_application_document
from desktop.services.subsidy_applications import approve, create_construction_application, first_review, submit
from desktop.services.unit_of_work import write_session
from tests.integration.subsidizing import GANZHOU, TODAY, as_user, child, filed, institution
from tests.pdf_reading import all_fonts_embedded_subsets, page_texts, pdf_text, squeezed

LONG_NAME = "张掖市甘州区" + "阳光宝贝普惠性托育服务中心附属婴幼儿照护" * 2 + "示范点第一分部（家庭托育点）"
CREDIT_CODE = "91350100M000100Y43"


def add_user(ctx, username: str, display_name: str) -> None:
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        session.add(User(username=username, display_name=display_name, role=UserRole.CLERK, county_code=GANZHOU))


def test_an_approved_construction_application_prints_amounts_shares_policy_and_who_did_each_step(ctx) -> None:
    draft = InstitutionDraft(
        name=LONG_NAME, sponsor_type=SponsorType.SOCIAL, county_code=GANZHOU, slots=60, credit_code=CREDIT_CODE
    )
    institution_id = create_institution(ctx, draft, filed(), today=date(2024, 3, 1)).institution_id
    add_user(ctx, "reviewer", "王初审")
    created = create_construction_application(as_user(ctx, "clerk"), institution_id, meets_standard=True, today=TODAY)
    submit(as_user(ctx, "clerk"), created.application_id, today=TODAY)
    first_review(as_user(ctx, "reviewer"), created.application_id, today=TODAY)
    approve(as_user(ctx, "director"), created.application_id, today=TODAY)

    document = subsidy_application_document(ctx, str(created.application_id), today=TODAY)
    assert (document.institution_name, document.credit_code) == (LONG_NAME, CREDIT_CODE)
    assert document.filing_number == "甘张甘卫托备〔2024〕1号" and document.reviewing_body == "甘州区卫生健康局"
    assert (document.scheme, document.period, document.status) == ("建设补贴", "一次性", "已审核")
    assert document.amount_fen == 3_000_000
    assert document.shares == (PayerShare("市级", 600_000), PayerShare("甘州区", 2_400_000))
    assert document.policy_title == "张掖市托育服务补贴（送审稿）"
    assert document.policy_identity.startswith("zhangye-2026 第1版，SHA-256 ")
    assert ("计算日期", "2026年11月23日") in document.facts and ("备案托位数", "60 个") in document.facts
    steps = {step.step: step.who for step in document.steps}
    assert steps == {"建立": "", "提交": "clerk", "初审通过": "王初审", "审核通过": "director"}
    assert document.printed_on == TODAY

    printed = render_subsidy_application(document)
    raw = pdf_text(printed.pdf)
    text = squeezed(raw)
    assert LONG_NAME in text and LONG_NAME not in raw  # the 60-character name wraps in its cell
    assert "¥30,000.00" in text and "人民币叁万元整" in text
    assert "人民币陆仟元整" in text and "人民币贰万肆仟元整" in text
    assert "王初审" in text and "审批人（签字）" in text and "甘州区卫生健康局（盖章）" in text
    assert printed.pages == 1 and all_fonts_embedded_subsets(printed.pdf) and printed.undrawable == ()


def test_an_enrollment_application_prints_its_children_with_id_numbers_masked(ctx) -> None:
    sunshine = institution(ctx, "甘州区阳光托育中心")
    numbers = [child(ctx, sunshine, name=name) for name in ("王小明", "李小红", "张小华")]
    numbers.append(child(ctx, sunshine, name="满三岁", born=date(2023, 10, 15)))  # too old in November
    prepare_enrollment_month(ctx, GANZHOU, "2026-11", today=TODAY)
    with ctx.db.session_factory() as session:
        application_id = session.scalar(
            select(SubsidyApplication.id).where(SubsidyApplication.scheme == SubsidyScheme.ENROLLMENT)
        )

    document = subsidy_application_document(ctx, str(application_id), today=TODAY)
    assert document.period == "2026年11月" and document.status == ApplicationStatus.DRAFT.label
    assert ("补贴月份", "2026年11月") in document.facts
    assert sorted(claim.id_number_masked for claim in document.claims) == sorted(map(mask_id_number, numbers))
    too_old = next(claim for claim in document.claims if claim.child_name == "满三岁")
    assert not too_old.eligible and "36 个月" in too_old.note
    assert document.amount_fen == 3 * 20_000

    pages = [squeezed(page) for page in page_texts(render_subsidy_application(document).pdf)]
    text = "".join(pages)
    assert "附：申报幼儿名单（2026年11月，共4人，符合条件3人，合计¥600.00）" in text
    assert "人民币陆佰元整" in text and all(mask_id_number(number) in text for number in numbers)
    assert not any(number in text for number in numbers)  # never a full ID number


def test_an_unknown_or_malformed_application_id_is_explained(ctx) -> None:
    with pytest.raises(NotFoundError, match="格式不对"):
        subsidy_application_document(ctx, "甘州区阳光托育中心", today=TODAY)
    with pytest.raises(NotFoundError, match="找不到补贴申请"):
        subsidy_application_document(ctx, "0190a0b0-0000-7000-8000-000000000000", today=TODAY)
