"""Render the printable forms on the county demo: sample PDFs and their pages as PNG, to look at before release.

    .venv/bin/python scripts/render_forms.py [--out docs/samples] [--dpi 60]

Loads the county demo (seed 7, on the demo's day) into a temporary database, writes one PDF per form into --out
and renders every page with poppler's ``pdftoppm`` (apt-get install poppler-utils) into --out/png/. Forms so far:
the 整改通知书 and the 检查记录表 of the inspection that issued it (issue 6 adds the others here as they are built).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from desktop.demo.zhangye import Scale
from desktop.domain.enums import FilingStatus, OperatingStatus, SubsidyScheme
from desktop.models import Institution, RectificationClosure, RectificationNotice, StaffMember, SubsidyApplication
from desktop.reports.county_summary import render_county_summary
from desktop.reports.follow_up_opinion import render_follow_up_opinion
from desktop.reports.form_page import write_pdf
from desktop.reports.inspection_record import render_inspection_record
from desktop.reports.institution_registration_form import render_institution_registration
from desktop.reports.payment_roster_pdf import render_payment_roster
from desktop.reports.random_draw_list import render_random_draw_list
from desktop.reports.rectification_notice import render_rectification_notice
from desktop.reports.subsidy_application_form import render_subsidy_application
from desktop.services.county_summary import county_summary_document
from desktop.services.demo_service import load_demo
from desktop.services.enrollment_month import prepare_enrollment_month
from desktop.services.follow_up_opinion import follow_up_opinion_document
from desktop.services.institution_registration_document import institution_registration_document
from desktop.services.printing import inspection_record_document, rectification_notice_document
from desktop.services.random_draw_list import random_draw_list_document
from desktop.services.roster_printing import payment_roster_document
from desktop.services.startup import open_app
from desktop.services.subsidy_application_document import subsidy_application_document
from desktop.services.subsidy_applications import approve, create_construction_application, first_review, pay, submit
from desktop.services.unit_of_work import Actor

DEMO_DAY = date(2026, 11, 23)
NOTICE = "甘州卫监改〔2026〕12号"
COUNTY = "620702"


def render_pages(pdf: Path, png_dir: Path, dpi: int) -> list[Path]:
    png_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(png_dir / pdf.stem)], check=True)
    return sorted(png_dir.glob(f"{pdf.stem}-*.png"))


def supervision_forms(ctx, out: Path) -> list:
    """The 复查意见书 of the county's closed notice with the most items, the 2026Q2 双随机抽查名单 and the county's
    主要指标汇总表, all of 甘州区."""
    with ctx.db.session_factory() as session:
        closed = session.execute(
            select(RectificationNotice.document_number, RectificationNotice.items_json)
            .join(RectificationClosure, RectificationClosure.notice_id == RectificationNotice.id)
            .where(RectificationNotice.county_code == COUNTY)
            .order_by(RectificationNotice.serial)
        ).all()
    followed_up = max(closed, key=lambda row: len(json.loads(row.items_json))).document_number
    written = []
    pdf = out / "复查意见书.pdf"
    written.append((pdf, write_pdf(render_follow_up_opinion(follow_up_opinion_document(ctx, followed_up)), pdf)))
    pdf = out / "双随机抽查名单.pdf"
    listing = random_draw_list_document(ctx, county_code=COUNTY, period="2026Q2", today=DEMO_DAY)
    written.append((pdf, write_pdf(render_random_draw_list(listing), pdf)))
    pdf = out / "托育服务主要指标汇总表.pdf"
    summary = county_summary_document(ctx, county_code=COUNTY, year=DEMO_DAY.year, today=DEMO_DAY)
    written.append((pdf, write_pdf(render_county_summary(summary), pdf)))
    return written


def subsidy_and_register_forms(ctx, out: Path) -> list:
    """The 补贴申请审核表 of a construction application made here (the demo makes none) for the first filed, operating
    甘州区 institution of 50–99 slots, submitted and first-reviewed by the county's clerk and so printed for approval;
    and the 托育机构基本情况登记表 of the 甘州区 institution with the most staff."""
    with ctx.db.session_factory() as session:
        applicant = session.scalar(
            select(Institution.id)
            .where(
                Institution.county_code == COUNTY,
                Institution.filing_status == FilingStatus.FILED,
                Institution.operating_status == OperatingStatus.OPERATING,
                Institution.slots.between(50, 99),
            )
            .order_by(Institution.name_initials, Institution.name)
        )
        staffed = session.scalar(
            select(Institution.id)
            .join(StaffMember, StaffMember.institution_id == Institution.id)
            .where(Institution.county_code == COUNTY)
            .group_by(Institution.id)
            .order_by(func.count().desc(), Institution.name)
        )
    clerk = dataclasses.replace(ctx, actor=Actor(f"clerk{COUNTY}"))
    application = create_construction_application(clerk, applicant, meets_standard=True, today=DEMO_DAY).application_id
    submit(clerk, application, today=DEMO_DAY)
    first_review(clerk, application, today=DEMO_DAY)
    written = []
    pdf = out / "补贴申请审核表.pdf"
    document = subsidy_application_document(ctx, str(application), today=DEMO_DAY)
    written.append((pdf, write_pdf(render_subsidy_application(document), pdf)))
    pdf = out / "托育机构基本情况登记表.pdf"
    registration = institution_registration_document(ctx, str(staffed), today=DEMO_DAY)
    written.append((pdf, write_pdf(render_institution_registration(registration), pdf)))
    return written


def payment_roster_form(ctx, out: Path) -> list:
    """The 入托补贴发放花名册 of 甘州区 for the demo's month (the demo makes no applications): the month prepared, every
    application with an amount submitted, reviewed and approved, every other one paid on the month's last day."""
    month = f"{DEMO_DAY:%Y-%m}"
    prepare_enrollment_month(ctx, COUNTY, month, today=DEMO_DAY)
    with ctx.db.session_factory() as session:
        applications = session.scalars(
            select(SubsidyApplication.id)
            .where(
                SubsidyApplication.county_code == COUNTY,
                SubsidyApplication.scheme == SubsidyScheme.ENROLLMENT,
                SubsidyApplication.period == month,
                SubsidyApplication.amount_fen > 0,
            )
            .order_by(SubsidyApplication.id)
        ).all()
    for number, application in enumerate(applications):
        for step in (submit, first_review, approve):
            step(ctx, application, today=DEMO_DAY)
        if number % 2:
            pay(ctx, application, today=date(2026, 11, 30))
    pdf = out / "补贴发放花名册.pdf"
    document = payment_roster_document(ctx, month, SubsidyScheme.ENROLLMENT, county_code=COUNTY, today=DEMO_DAY)
    return [(pdf, write_pdf(render_payment_roster(document), pdf))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/samples"))
    parser.add_argument("--dpi", type=int, default=60)
    args = parser.parse_args()
    if shutil.which("pdftoppm") is None:
        print("需要 pdftoppm（apt-get install poppler-utils）才能把 PDF 渲染成图片。", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    # Times print in the PC's local time, as in the app: render the samples as a bureau's PC in China shows them.
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    with tempfile.TemporaryDirectory(prefix="tuoyu-forms-") as tmp:
        ctx = open_app(data_dir=Path(tmp), url=None)
        try:
            load_demo(ctx, scale=Scale.COUNTY, seed=7, today=DEMO_DAY)
            written = []
            pdf = args.out / "整改通知书.pdf"
            written.append(
                (pdf, write_pdf(render_rectification_notice(rectification_notice_document(ctx, NOTICE)), pdf))
            )
            with ctx.db.session_factory() as session:
                inspection_id = session.scalar(
                    select(RectificationNotice.inspection_id).where(RectificationNotice.document_number == NOTICE)
                )
            pdf = args.out / "检查记录表.pdf"
            written.append(
                (pdf, write_pdf(render_inspection_record(inspection_record_document(ctx, str(inspection_id))), pdf))
            )
            written += supervision_forms(ctx, args.out)
            written += subsidy_and_register_forms(ctx, args.out)
            written += payment_roster_form(ctx, args.out)
        finally:
            ctx.close()
    for pdf, printed in written:
        pages = render_pages(pdf, args.out / "png", args.dpi)
        missing = f"，缺字：{'、'.join(printed.undrawable)}" if printed.undrawable else ""
        print(f"{pdf}：{printed.pages} 页{missing}；{len(pages)} 张图片在 {args.out / 'png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
