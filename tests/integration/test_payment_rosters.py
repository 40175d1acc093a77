"""发放花名册 and the annual summary on SQLite and PostgreSQL: what is listed, totals that add up to the
fen per payer, and Excel files that read back with the same figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from desktop.domain.amount_words import amount_words
from desktop.domain.enums import ApplicationStatus, SubsidyScheme
from desktop.excel.payment_roster_workbooks import (
    CHILDREN_SHEET,
    ROSTER_SHEET,
    SUMMARY_SHEET,
    write_annual_summary_xlsx,
    write_payment_roster_xlsx,
)
from desktop.models import Institution, SubsidyApplication
from desktop.services.enrollment_month import prepare_enrollment_month
from desktop.services.payment_rosters import annual_summary, payment_roster
from desktop.services.subsidy_applications import (
    approve,
    create_construction_application,
    create_operating_application,
    first_review,
    pay,
    submit,
)
from tests.integration.subsidizing import GANZHOU, SHANDAN, TODAY, child, filed, institution

MONTH = "2026-11"


def through(ctx, application_id, *, paid_on: date | None = None) -> None:
    for step in (submit, first_review, approve):
        step(ctx, application_id, today=TODAY)
    if paid_on:
        pay(ctx, application_id, today=paid_on)


def enrollment_ids(ctx):
    with ctx.db.session_factory() as session:
        return dict(
            session.execute(
                select(Institution.name, SubsidyApplication.id)
                .join(Institution, Institution.id == SubsidyApplication.institution_id)
                .where(SubsidyApplication.scheme == SubsidyScheme.ENROLLMENT)
            ).all()
        )


def build(ctx) -> None:
    """Three institutions in 甘州区 (2:8) and one in 山丹县 (county pays all)."""
    sunshine = institution(ctx, "甘州区阳光托育中心", slots=60)
    star = institution(ctx, "甘州区小星星托育园", slots=33, lifecycle=filed(opened_on=date(2026, 2, 9)))
    moon = institution(ctx, "甘州区月亮湾托育园", slots=120)
    shandan = institution(ctx, "山丹县小太阳托育园", county=SHANDAN, slots=25)
    for n in range(3):
        child(ctx, sunshine, name=f"阳光{n}")
    child(ctx, star, name="星星")
    child(ctx, shandan, name="太阳", county=SHANDAN)
    prepare_enrollment_month(ctx, None, MONTH, today=TODAY)
    ids = enrollment_ids(ctx)
    through(ctx, ids["甘州区阳光托育中心"], paid_on=date(2026, 11, 30))
    through(ctx, ids["山丹县小太阳托育园"])  # approved, ready to pay
    # 小星星's application stays a draft: not on the roster.
    construction = create_construction_application(ctx, moon, meets_standard=True, today=TODAY)
    through(ctx, construction.application_id, paid_on=date(2026, 11, 25))
    # 33 slots × ¥1,000 × 11/12 months = ¥30,250.00; 20% of it is ¥6,050.00
    operating = create_operating_application(ctx, star, 2026, today=TODAY)
    through(ctx, operating.application_id)
    construction = create_construction_application(ctx, shandan, meets_standard=True, today=TODAY)
    through(ctx, construction.application_id, paid_on=date(2026, 12, 2))  # paid next month


def test_the_enrollment_roster_lists_approved_and_paid_applications_with_their_children(ctx):
    build(ctx)
    roster = payment_roster(ctx, MONTH, SubsidyScheme.ENROLLMENT)
    assert [(line.institution, line.status_text, line.amount_fen) for line in roster.lines] == [
        ("甘州区阳光托育中心", "已发放", 60_000),
        ("山丹县小太阳托育园", "待发放", 20_000),
    ]
    sunshine = roster.lines[0]
    assert [c.name for c in sunshine.children] == ["阳光0", "阳光1", "阳光2"]
    assert all("********" in c.id_number_masked for c in sunshine.children)
    assert (roster.total_fen, roster.city_fen, roster.county_fen) == (80_000, 12_000, 68_000)
    assert roster.payer_totals() == [("市级", 12_000), ("甘州区", 48_000), ("山丹县", 20_000)]
    assert roster.total_words == "人民币捌佰元整"
    only = payment_roster(ctx, MONTH, SubsidyScheme.ENROLLMENT, county_code=SHANDAN)
    assert [line.institution for line in only.lines] == ["山丹县小太阳托育园"] and only.county_name == "山丹县"


def test_one_off_rosters_list_what_was_paid_in_the_month_and_what_waits(ctx):
    build(ctx)
    construction = payment_roster(ctx, MONTH, SubsidyScheme.CONSTRUCTION)
    assert [(line.institution, line.status_text) for line in construction.lines] == [("甘州区月亮湾托育园", "已发放")]
    december = payment_roster(ctx, "2026-12", SubsidyScheme.CONSTRUCTION)
    assert [line.institution for line in december.lines] == ["山丹县小太阳托育园"]
    operating = payment_roster(ctx, MONTH, SubsidyScheme.OPERATING)
    (line,) = operating.lines
    assert (line.status, line.amount_fen, line.city_share_fen, line.county_share_fen) == (
        ApplicationStatus.APPROVED,
        3_025_000,
        605_000,
        2_420_000,
    )


def test_every_total_adds_up_to_the_fen(ctx):
    build(ctx)
    for scheme in SubsidyScheme:
        for month in (MONTH, "2026-12"):
            roster = payment_roster(ctx, month, scheme)
            assert all(line.city_share_fen + line.county_share_fen == line.amount_fen for line in roster.lines)
            assert roster.city_fen + roster.county_fen == roster.total_fen
            assert sum(fen for _, fen in roster.payer_totals()) == roster.total_fen
            for line in roster.lines:
                if scheme is SubsidyScheme.ENROLLMENT:
                    assert sum(c.amount_fen for c in line.children) == line.amount_fen


def test_the_annual_summary_counts_payments_by_payment_date(ctx):
    build(ctx)
    summary = annual_summary(ctx, 2026)
    rows = [
        (r.county_name, r.scheme, r.count, r.amount_fen, r.city_share_fen, r.county_share_fen) for r in summary.rows
    ]
    assert rows == [
        ("甘州区", SubsidyScheme.CONSTRUCTION, 1, 5_000_000, 1_000_000, 4_000_000),
        ("甘州区", SubsidyScheme.ENROLLMENT, 1, 60_000, 12_000, 48_000),
        ("山丹县", SubsidyScheme.CONSTRUCTION, 1, 2_000_000, 0, 2_000_000),
    ]
    assert (summary.count, summary.total_fen) == (3, 7_060_000)
    assert summary.city_fen + summary.county_fen == summary.total_fen
    assert [(r.scheme, r.amount_fen) for r in summary.by_scheme()] == [
        (SubsidyScheme.CONSTRUCTION, 7_000_000),
        (SubsidyScheme.ENROLLMENT, 60_000),
    ]
    assert annual_summary(ctx, 2026, county_code=GANZHOU).total_fen == 5_060_000
    assert annual_summary(ctx, 2025).rows == ()


def test_the_excel_roster_reads_back_with_the_same_figures(ctx, tmp_path):
    build(ctx)
    roster = payment_roster(ctx, MONTH, SubsidyScheme.ENROLLMENT)
    path = tmp_path / "入托补贴发放花名册.xlsx"
    assert write_payment_roster_xlsx(path, roster) == 2
    workbook = load_workbook(path)
    sheet = list(workbook[ROSTER_SHEET].iter_rows(values_only=True))
    assert sheet[0][0] == "入托补贴发放花名册　2026年11月"
    assert sheet[2][:3] == ("序号", "县区", "机构名称")
    assert sheet[3][:3] == (1, "甘州区", "甘州区阳光托育中心")
    assert [Decimal(str(v)) for v in sheet[3][6:9]] == [Decimal("600"), Decimal("120"), Decimal("480")]
    total = next(row for row in sheet if row[0] == "合计")
    assert [round(v * 100) for v in total[6:9]] == [80_000, 12_000, 68_000] and total[9] == 4
    payers = {row[1]: round(row[6] * 100) for row in sheet if row[0] is None and row[1] and row[6] is not None}
    assert payers == {"市级": 12_000, "甘州区": 48_000, "山丹县": 20_000}
    assert sheet[-1][0] == f"合计金额（大写）：{amount_words(80_000)}"
    children = list(workbook[CHILDREN_SHEET].iter_rows(values_only=True))
    assert children[3][3] == "阳光0" and "********" in children[3][4]
    assert children[-1][0] == "合计" and round(children[-1][5] * 100) == 80_000
    money = workbook[ROSTER_SHEET]["G4"]
    assert money.number_format == "#,##0.00"


def test_the_excel_summary_reads_back(ctx, tmp_path):
    build(ctx)
    path = tmp_path / "2026年补贴汇总.xlsx"
    write_annual_summary_xlsx(path, annual_summary(ctx, 2026))
    rows = list(load_workbook(path)[SUMMARY_SHEET].iter_rows(values_only=True))
    total = next(row for row in rows if row[0] == "合计")
    assert total[2] == 3 and [round(v * 100) for v in total[3:6]] == [7_060_000, 1_012_000, 6_048_000]
    assert rows[-1][0] == "合计金额（大写）：人民币柒万零陆佰元整"
