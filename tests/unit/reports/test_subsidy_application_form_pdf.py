"""The 补贴申请审核表 drawn from a plain data object: amounts in figures and capitals, shares, policy, history, the
review blocks on one page; a long name wraps; many facts and an enrollment application's children flow over pages."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from desktop.domain.identifiers import make_id_number, mask_id_number
from desktop.reports.subsidy_application_form import (
    ClaimLine,
    PayerShare,
    SubsidyApplicationDocument,
    WorkflowStep,
    render_subsidy_application,
)
from tests.pdf_reading import all_fonts_embedded_subsets, page_texts, pdf_text, squeezed

LONG_NAME = "张掖市甘州区" + "阳光宝贝普惠性托育服务中心附属婴幼儿照护" * 2 + "示范点第一分部（家庭托育点）"
CLAIM_HEADER = "序号幼儿姓名身份证号符合条件金额（元）说明"


def construction(name: str = "甘州区阳光托育中心", facts: int = 0) -> SubsidyApplicationDocument:
    """A 60-slot construction application in 甘州区: ¥30,000, of which the city pays 20% and the district 80%."""
    extra = tuple((f"补充事实第{n}项（经办人核实）", f"核实结果{n}") for n in range(1, facts + 1))
    return SubsidyApplicationDocument(
        application_id="01a2070b-b67d-7514-a071-4d07c0d31044",
        reviewing_body="甘州区卫生健康局",
        institution_name=name,
        credit_code="91620702MA71234567",
        county_name="甘州区",
        sponsor_type="社会力量举办",
        filing_number="甘张甘卫托备〔2024〕1号",
        scheme="建设补贴",
        period="一次性",
        status="已审核",
        eligible=True,
        amount_fen=3_000_000,
        shares=(PayerShare("市级", 600_000), PayerShare("甘州区", 2_400_000)),
        facts=(
            ("备案托位数", "60 个"),
            ("已登记备案", "是"),
            ("达到国家和省级规范建设要求（经办人确认）", "是"),
            ("计算日期", "2026年11月23日"),
            *extra,
        ),
        policy_title="张掖市托育服务补贴（送审稿）",
        policy_identity="zhangye-2026 第1版，SHA-256 c4221b74885a",
        parameters=(
            (
                "建设补贴档次",
                "100 个及以上 50,000.00 元；50–99 30,000.00 元；20–49 20,000.00 元；19 个及以下 10,000.00 元",
            ),
            ("托位数口径", "按备案托位数"),
            ("市级承担比例", "20%"),
            ("县区承担比例", "80%"),
        ),
        reasons=("托位 60 个，适用 50–99 档，补助 30,000.00 元。", "已登记备案。"),
        notes=(),
        steps=(
            WorkflowStep("建立", "", "2026年11月2日 09:10"),
            WorkflowStep("提交", "李经办", "2026年11月2日 09:15"),
            WorkflowStep("初审通过", "王初审", "2026年11月10日 15:00"),
            WorkflowStep("审核通过", "赵局长", "2026年11月20日 10:30"),
        ),
        rejection_reason="",
        claims=(),
        printed_on=date(2026, 11, 23),
    )


def enrollment(children: int) -> tuple[SubsidyApplicationDocument, list[str]]:
    """An enrollment application for 2026年11月 with ``children`` children; returns it and their full ID numbers."""
    numbers = [make_id_number("620702", date(2024, 6, 15), n) for n in range(1, children + 1)]
    claims = tuple(
        ClaimLine(f"幼儿{n:03d}", mask_id_number(number), n % 10 != 0, 0 if n % 10 == 0 else 20_000,
                  "所在托育机构未备案。" if n % 10 == 0 else "2026年11月在托，每生每月补助 200.00 元。")
        for n, number in enumerate(numbers, start=1)
    )  # fmt: skip
    eligible = sum(1 for claim in claims if claim.eligible)
    document = replace(
        construction(),
        scheme="入托补贴",
        period="2026年11月",
        amount_fen=eligible * 20_000,
        shares=(PayerShare("市级", eligible * 4_000), PayerShare("甘州区", eligible * 16_000)),
        claims=claims,
    )
    return document, numbers


def test_the_form_reads_back_with_amounts_in_figures_and_capitals_policy_history_and_review_blocks() -> None:
    printed = render_subsidy_application(construction())
    text = squeezed(pdf_text(printed.pdf))
    assert "托育服务补贴申请审核表" in text and "甘州区阳光托育中心" in text and "91620702MA71234567" in text
    assert "建设补贴（一次性）" in text and "已审核（符合条件）" in text and "甘张甘卫托备〔2024〕1号" in text
    assert "¥30,000.00" in text and "人民币叁万元整" in text
    assert "市级承担¥6,000.00大写人民币陆仟元整" in text
    assert "甘州区承担¥24,000.00大写人民币贰万肆仟元整" in text
    assert "张掖市托育服务补贴（送审稿）（zhangye-2026第1版，SHA-256c4221b74885a）" in text
    assert "建设补贴档次" in text and "托位数口径按备案托位数" in text and "市级承担比例20%" in text
    assert "备案托位数60个" in text and "达到国家和省级规范建设要求（经办人确认）是" in text
    assert "1.托位60个，适用50–99档" in text
    for who, when in (
        ("李经办", "2026年11月2日09:15"),
        ("王初审", "2026年11月10日15:00"),
        ("赵局长", "2026年11月20日10:30"),
    ):
        assert who in text and when in text
    assert "初审意见" in text and "经办人（签字）：" in text and "审核意见" in text and "审批人（签字）：" in text
    assert text.count("日期：＿＿＿＿年＿＿月＿＿日") == 2 and "甘州区卫生健康局（盖章）" in text
    assert "打印日期：2026年11月23日" in text
    assert printed.pages == 1 and "第1页共1页" in text and printed.undrawable == ()


def test_the_fonts_are_embedded_as_truetype_subsets() -> None:
    assert all_fonts_embedded_subsets(render_subsidy_application(construction()).pdf)


def test_a_sixty_character_name_wraps_inside_its_cell_and_the_form_stays_on_one_page() -> None:
    assert len(LONG_NAME) == 60
    printed = render_subsidy_application(construction(name=LONG_NAME))
    text = pdf_text(printed.pdf)
    assert LONG_NAME in squeezed(text) and LONG_NAME not in text  # broken across lines, not run off the page
    assert printed.pages == 1


def test_many_facts_flow_over_pages_and_the_review_blocks_stay_together_at_the_end() -> None:
    printed = render_subsidy_application(construction(facts=80))
    pages = [squeezed(page) for page in page_texts(printed.pdf)]
    assert printed.pages == len(pages) > 1
    assert "补充事实第80项" in "".join(pages)
    last = pages[-1]
    assert "初审意见" in last and "经办人（签字）" in last and "审批人（签字）" in last and "（盖章）" in last
    for number, page in enumerate(pages, start=1):
        assert f"第{number}页共{len(pages)}页" in page


def test_reasons_and_notes_longer_than_a_page_flow_on() -> None:
    notes = tuple(f"第{n}条：备案托位数审核时为“60 个”，现在为“80 个”。" for n in range(1, 121))
    printed = render_subsidy_application(replace(construction(), notes=notes))
    text = squeezed(pdf_text(printed.pdf))
    assert printed.pages > 2 and "提示：第1条" in text and "提示：第120条" in text
    assert text.rfind("审批人（签字）") > text.rfind("第120条")


def test_a_rejected_application_prints_why() -> None:
    rejected = replace(construction(), status="已退回", rejection_reason="托位数与备案不符，请核实后重新申请。")
    text = squeezed(pdf_text(render_subsidy_application(rejected).pdf))
    assert "退回原因：托位数与备案不符，请核实后重新申请。" in text and "已退回" in text


def test_an_enrollment_application_lists_its_children_masked_with_the_header_on_every_page() -> None:
    document, numbers = enrollment(children=150)
    printed = render_subsidy_application(document)
    pages = [squeezed(page) for page in page_texts(printed.pdf)]
    assert len(pages) > 3 and "初审意见" in pages[0]  # the form itself is page 1, the children follow
    for page in pages[1:]:
        assert CLAIM_HEADER in page
    text = "".join(pages)
    assert "附：申报幼儿名单（2026年11月，共150人，符合条件135人，合计¥27,000.00）" in text
    assert "人民币贰万柒仟元整" in text and "幼儿150" in text
    assert mask_id_number(numbers[0]) in text and mask_id_number(numbers[-1]) in text
    assert not any(number in text for number in numbers)  # never a full ID number
