"""The 托育机构基本情况登记表 drawn from a plain data object: the register's fields, classes with a total row, staff
with masked ID numbers (never the full number), signature lines; a long name wraps; a hundred staff flow over pages
with the table header on each."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from desktop.domain.identifiers import make_id_number, mask_id_number
from desktop.reports.institution_registration_form import (
    ClassRow,
    InstitutionRegistrationDocument,
    StaffRow,
    render_institution_registration,
)
from tests.pdf_reading import all_fonts_embedded_subsets, page_texts, pdf_text, squeezed

LONG_NAME = "张掖市甘州区" + "阳光宝贝普惠性托育服务中心附属婴幼儿照护" * 2 + "示范点第一分部（家庭托育点）"
STAFF_HEADER = "序号姓名岗位性别身份证号所在班级资格证书健康证有效期联系电话"
PRINTED_ON = date(2026, 11, 23)


def staff(count: int) -> tuple[tuple[StaffRow, ...], list[str]]:
    """``count`` carers with valid ID numbers (returned too, to check they never print); the 3rd has an expired
    health certificate and the 4th none."""
    numbers = [make_id_number("620702", date(1990, 1, 1), n) for n in range(1, count + 1)]
    rows = tuple(
        StaffRow(
            name=f"员工{n:03d}",
            role="保育人员",
            sex="女",
            id_number_masked=mask_id_number(number),
            class_name="托小1班",
            qualification="保育师（中级）",
            health_certificate_expires_on=(date(2026, 10, 7) if n == 3 else None if n == 4 else date(2027, 5, 17)),
            phone="13912345678",
        )
        for n, number in enumerate(numbers, start=1)
    )
    return rows, numbers


def registration(
    name: str = "甘州区阳光托育中心", staff_count: int = 5
) -> tuple[InstitutionRegistrationDocument, list]:
    members, numbers = staff(staff_count)
    document = InstitutionRegistrationDocument(
        registering_body="甘州区卫生健康局",
        name=name,
        credit_code="91620702MA71234567",
        sponsor_type="社会力量举办",
        ownership="民办",
        registration_type="营利性机构",
        service_modes=("全日托", "半日托"),
        chain_brand="",
        county_name="甘州区",
        township_name="梁家墩镇",
        address="甘肃省张掖市甘州区梁家墩镇建设路19号",
        legal_representative="叶海燕",
        principal_name="孙晓红",
        contact_person="鲁斌",
        contact_phone="0936-8212345",
        slots=60,
        building_area_m2=Decimal("1029.73"),
        outdoor_area_m2=Decimal("294"),
        premises_leased=True,
        lease_expires_on=date(2027, 5, 19),
        fee_full_day_monthly_fen=200_000,
        fee_half_day_monthly_fen=None,
        fee_hourly_fen=2_500,
        serves_meals=True,
        meal_fee_daily_fen=1_300,
        food_licence_number="JY36207020949290",
        filing_status="已备案",
        filing_number="甘州区卫托备〔2021〕10号",
        filed_on=date(2021, 7, 28),
        puhui=True,
        puhui_recognized_on=date(2024, 2, 1),
        operating_status="正常运营",
        opened_on=date(2021, 5, 28),
        status_changed_on=None,
        status_reason="",
        demonstration=True,
        demonstration_level="市级示范",
        medical_partnership=False,
        medical_partner_name="",
        notes="",
        classes=(
            ClassRow("乳儿1班", "乳儿班（6–12个月）", 10, 8, 3),
            ClassRow("托小1班", "托小班（12–24个月）", 15, 12, 3),
        ),
        staff=members,
        former_staff=2,
        printed_on=PRINTED_ON,
    )
    return document, numbers


def test_the_form_reads_back_with_the_register_fields_classes_staff_and_signatures() -> None:
    document, numbers = registration()
    printed = render_institution_registration(document)
    text = squeezed(pdf_text(printed.pdf))
    assert (
        "托育机构基本情况登记表" in text and "登记机关：甘州区卫生健康局" in text and "打印日期：2026年11月23日" in text
    )
    assert "机构名称甘州区阳光托育中心" in text and "统一社会信用代码91620702MA71234567" in text
    assert "举办主体社会力量举办" in text and "服务类型全日托、半日托" in text and "乡镇（街道）梁家墩镇" in text
    assert "联系电话0936-8212345" in text and "甘肃省张掖市甘州区梁家墩镇建设路19号" in text
    assert "托位数60个" in text and "建筑面积1,029.73㎡" in text and "户外活动面积294.00㎡" in text
    assert "租赁（租期至2027年5月19日）" in text and "全日托2,000.00元/月；半日托—；计时托25.00元/小时" in text
    assert "伙食费13.00元/天" in text and "JY36207020949290" in text
    assert "备案编号甘州区卫托备〔2021〕10号" in text and "备案日期2021年7月28日" in text
    assert "普惠性托育机构是（2024年2月1日认定）" in text and "开办日期2021年5月28日" in text
    assert "示范性托育机构是（市级示范）" in text and "医育结合否" in text
    assert "四、班级设置（共2个班）" in text and "乳儿1班乳儿班（6–12个月）1083" in text
    assert "合计2个班25206" in text  # capacities, children and carers added up
    assert "五、从业人员（在职5人；另有2人已离职，未列入）" in text and STAFF_HEADER in text
    assert "员工001保育人员女" + mask_id_number(numbers[0]) + "托小1班保育师（中级）2027年5月17日13912345678" in text
    assert "2026年10月7日（已过期）" in text and "未登记" in text
    assert not any(number in text for number in numbers)  # never a full ID number
    assert "机构负责人孙晓红签名：" in text and "填表人签名：" in text and "（机构盖章）" in text
    assert text.count("日期：＿＿＿＿年＿＿月＿＿日") == 2
    assert "第1页共" in text and printed.undrawable == ()


def test_the_fonts_are_embedded_as_truetype_subsets() -> None:
    assert all_fonts_embedded_subsets(render_institution_registration(registration()[0]).pdf)


def test_a_sixty_character_name_wraps_inside_its_cell() -> None:
    assert len(LONG_NAME) == 60
    text = pdf_text(render_institution_registration(registration(name=LONG_NAME)[0]).pdf)
    assert LONG_NAME in squeezed(text) and LONG_NAME not in text  # broken across lines, not run off the page


def test_a_hundred_staff_flow_over_pages_with_the_header_row_on_each() -> None:
    document, numbers = registration(staff_count=100)
    printed = render_institution_registration(document)
    pages = [squeezed(page) for page in page_texts(printed.pdf)]
    assert printed.pages == len(pages) >= 3
    staff_pages = [page for page in pages if "员工" in page]
    assert len(staff_pages) >= 2
    for page in staff_pages:
        assert STAFF_HEADER in page
    for number, page in enumerate(pages, start=1):
        assert f"第{number}页共{len(pages)}页" in page
    text = "".join(pages)
    assert "员工100" in text and text.rfind("填表人签名") > text.rfind("员工100")
    assert mask_id_number(numbers[-1]) in text and not any(number in text for number in numbers)


def test_an_institution_with_no_classes_or_staff_says_so_and_its_notes_print() -> None:
    document = replace(registration()[0], classes=(), staff=(), former_staff=0, notes="2027年起增设计时托。")
    text = squeezed(pdf_text(render_institution_registration(document).pdf))
    assert "未登记班级" in text and "未登记在职从业人员" in text and "五、从业人员（在职0人）" in text
    assert "备注2027年起增设计时托。" in text


def test_notes_longer_than_a_page_continue_on_further_rows() -> None:
    clauses = [f"第{n}条：机构于2025年扩建，增加托位。" for n in range(1, 301)]
    printed = render_institution_registration(replace(registration()[0], notes="".join(clauses)))
    text = squeezed(pdf_text(printed.pdf))
    assert printed.pages > 2 and "备注（续）" in text and all(clause in text for clause in clauses)
    assert text.rfind("填表人签名") > text.rfind("第300条")
