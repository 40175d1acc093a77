"""The 托育机构基本情况登记表 printed from the register: found by id or credit code, classes with their age groups and
carers, the staff in post only, ID numbers masked; a hundred staff over several pages; unknown and shared codes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from desktop.domain.enums import ClassType, FilingStatus, OperatingStatus, SponsorType, StaffRole
from desktop.domain.identifiers import make_id_number, mask_id_number
from desktop.domain.lifecycle_rules import LifecycleState
from desktop.errors import NotFoundError, TuoyuError
from desktop.reports.institution_registration_form import render_institution_registration
from desktop.services.institution_commands import InstitutionDraft, create_institution
from desktop.services.institution_registration_document import institution_registration_document
from desktop.services.regions import ensure_regions
from desktop.services.roster_commands import ClassGroupDraft, StaffDraft, save_class_group, save_staff_member
from tests.conftest import TODAY
from tests.pdf_reading import all_fonts_embedded_subsets, page_texts, pdf_text, squeezed

CREDIT_CODE = "91350100M000100Y43"
STAFF_HEADER = "序号姓名岗位性别身份证号所在班级资格证书健康证有效期联系电话"
DRAFT = InstitutionDraft(
    name="甘州区阳光宝贝托育中心",
    sponsor_type=SponsorType.SOCIAL,
    county_code="620702",
    township_code="620702001",
    credit_code=CREDIT_CODE,
    contact_person="鲁斌",
    contact_phone="0936 8212345",
    principal_name="孙晓红",
    slots=60,
    address="县府街1号",
)
FILED = LifecycleState(
    filing_status=FilingStatus.FILED,
    filing_number="甘州卫托备〔2024〕3号",
    filed_on=date(2024, 6, 17),
    puhui=True,
    puhui_recognized_on=date(2024, 7, 1),
    operating_status=OperatingStatus.OPERATING,
    opened_on=date(2024, 3, 1),
)


@pytest.fixture
def registry(ctx):
    ensure_regions(ctx)
    return ctx


def carer(name: str, sequence: int, **fields) -> StaffDraft:
    return StaffDraft(
        name,
        StaffRole.CARER,
        id_number=make_id_number("620702", date(1990, 5, 6), sequence),
        phone="13912345678",
        qualification="保育师（中级）",
        training_hours=150,
        health_certificate_expires_on=date(2027, 5, 17),
        **fields,
    )


def test_the_form_is_found_by_id_or_credit_code_and_prints_classes_and_the_staff_in_post(registry) -> None:
    institution_id = create_institution(registry, DRAFT, FILED, today=TODAY).institution_id
    toddlers = save_class_group(registry, institution_id, ClassGroupDraft("托小1班", ClassType.TODDLER, 15, 12))
    save_class_group(registry, institution_id, ClassGroupDraft("乳儿1班", ClassType.INFANT, 10, 6))
    wang = carer("王芳", 124, class_group_id=toddlers.record_id)
    save_staff_member(registry, institution_id, wang, today=TODAY)
    gone = carer("李娜", 126, employed_until=TODAY - timedelta(days=30))
    save_staff_member(registry, institution_id, gone, today=TODAY)

    document = institution_registration_document(registry, CREDIT_CODE.lower(), today=TODAY)
    assert document == institution_registration_document(registry, str(institution_id), today=TODAY)
    assert (document.name, document.credit_code) == ("甘州区阳光宝贝托育中心", CREDIT_CODE)
    assert document.registering_body == "甘州区卫生健康局" and document.county_name == "甘州区"
    assert document.township_name and document.township_name != "620702001"
    assert document.contact_phone == "0936-8212345"  # as the register stores and shows it
    assert (document.filing_status, document.filing_number, document.filed_on) == (
        "已备案",
        "甘州卫托备〔2024〕3号",
        date(2024, 6, 17),
    )
    assert [(c.name, c.age_group, c.carers) for c in document.classes] == [
        ("乳儿1班", "乳儿班（6–12个月）", 0),  # youngest first
        ("托小1班", "托小班（12–24个月）", 1),
    ]
    assert [(m.name, m.class_name, m.qualification) for m in document.staff] == [("王芳", "托小1班", "保育师（中级）")]
    assert document.staff[0].id_number_masked == mask_id_number(wang.id_number)
    assert document.former_staff == 1

    printed = render_institution_registration(document)
    text = squeezed(pdf_text(printed.pdf))
    assert (
        "甘州区阳光宝贝托育中心" in text
        and "联系电话0936-8212345" in text
        and "普惠性托育机构是（2024年7月1日认定）" in text
    )
    assert mask_id_number(wang.id_number) in text and "王芳" in text and "李娜" not in text
    assert wang.id_number not in text and gone.id_number not in text  # never a full ID number
    assert "在职1人；另有1人已离职，未列入" in text and "机构负责人孙晓红签名：" in text
    assert all_fonts_embedded_subsets(printed.pdf) and printed.undrawable == ()


def test_a_hundred_staff_flow_onto_further_pages_with_the_header_row_on_each(registry) -> None:
    institution_id = create_institution(registry, DRAFT, FILED, today=TODAY).institution_id
    staff = [carer(f"员工{n:03d}", n) for n in range(1, 101)]
    for member in staff:
        save_staff_member(registry, institution_id, member, today=TODAY)

    document = institution_registration_document(registry, str(institution_id), today=TODAY)
    assert len(document.staff) == 100
    pages = [squeezed(page) for page in page_texts(render_institution_registration(document).pdf)]
    assert len(pages) >= 3
    for page in pages:
        if "员工" in page:
            assert STAFF_HEADER in page
    text = "".join(pages)
    assert all(member.name in text for member in staff) and text.rfind("填表人签名") > text.rfind("员工100")
    assert not any(member.id_number in text for member in staff)


def test_an_unknown_id_or_a_credit_code_shared_by_two_institutions_is_explained(registry) -> None:
    with pytest.raises(NotFoundError, match="找不到机构“91620702MA7XXXXXXX”"):
        institution_registration_document(registry, "91620702MA7XXXXXXX", today=TODAY)
    with pytest.raises(NotFoundError, match="找不到机构"):
        institution_registration_document(registry, "0190a0b0-0000-7000-8000-000000000000", today=TODAY)
    create_institution(registry, DRAFT, FILED, today=TODAY)
    create_institution(registry, replace(DRAFT, name="甘州区阳光宝贝幼儿园托班"), FILED, today=TODAY)
    with pytest.raises(TuoyuError, match="不止一家机构.*请改用机构的 ID"):
        institution_registration_document(registry, CREDIT_CODE, today=TODAY)
