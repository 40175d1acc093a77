"""The print jobs of Tuoyu's documents: for each form, its title, the file name offered when saving, and how it is
made (a service gathers the data on the worker thread, a module of desktop.reports lays it out)."""

from __future__ import annotations

import uuid
from datetime import date

from desktop.domain.enums import SubsidyScheme
from desktop.reports.county_summary import render_county_summary
from desktop.reports.follow_up_opinion import render_follow_up_opinion
from desktop.reports.inspection_record import render_inspection_record
from desktop.reports.institution_registration_form import render_institution_registration
from desktop.reports.payment_roster_pdf import render_payment_roster
from desktop.reports.random_draw_list import render_random_draw_list
from desktop.reports.rectification_notice import render_rectification_notice
from desktop.reports.subsidy_application_form import render_subsidy_application
from desktop.services.county_summary import county_summary_document
from desktop.services.follow_up_opinion import follow_up_opinion_document
from desktop.services.institution_registration_document import institution_registration_document
from desktop.services.printing import inspection_record_document, rectification_notice_document
from desktop.services.random_draw_list import random_draw_list_document
from desktop.services.roster_printing import payment_roster_document
from desktop.services.startup import AppContext
from desktop.services.subsidy_application_document import subsidy_application_document
from desktop.ui.print_jobs import PrintJob


def safe_file_name(text: str) -> str:
    """A file name from a title: characters Windows forbids become "-" (〔〕 and Chinese are kept)."""
    return "".join("-" if char in '<>:"/\\|?*' or ord(char) < 32 else char for char in text).strip(" .") or "文书"


def inspection_record_job(ctx: AppContext, inspection_id: uuid.UUID, institution_name: str, day: str) -> PrintJob:
    title = f"检查记录表（{institution_name} {day}）"
    return PrintJob(
        title,
        safe_file_name(f"检查记录表-{institution_name}-{day}.pdf"),
        lambda: render_inspection_record(inspection_record_document(ctx, str(inspection_id))),
    )


def rectification_notice_job(ctx: AppContext, notice_number: str) -> PrintJob:
    return PrintJob(
        f"整改通知书 {notice_number}",
        safe_file_name(f"整改通知书-{notice_number}.pdf"),
        lambda: render_rectification_notice(rectification_notice_document(ctx, notice_number)),
    )


def follow_up_opinion_job(ctx: AppContext, follow_up_id: uuid.UUID, notice_number: str) -> PrintJob:
    """The 复查意见书 of a 回头看 (named by the follow-up inspection: a notice may be re-checked more than once)."""
    return PrintJob(
        f"复查意见书（{notice_number}）",
        safe_file_name(f"复查意见书-{notice_number}.pdf"),
        lambda: render_follow_up_opinion(follow_up_opinion_document(ctx, str(follow_up_id))),
    )


def institution_registration_job(ctx: AppContext, institution_id: uuid.UUID, name: str, today: date) -> PrintJob:
    return PrintJob(
        f"托育机构基本情况登记表（{name}）",
        safe_file_name(f"登记表-{name}.pdf"),
        lambda: render_institution_registration(
            institution_registration_document(ctx, str(institution_id), today=today)
        ),
    )


def subsidy_application_job(ctx: AppContext, application_id: uuid.UUID, title: str, today: date) -> PrintJob:
    return PrintJob(
        f"补贴申请审核表（{title}）",
        safe_file_name(f"补贴申请审核表-{title}.pdf"),
        lambda: render_subsidy_application(subsidy_application_document(ctx, str(application_id), today=today)),
    )


def payment_roster_job(
    ctx: AppContext, month: str, scheme: SubsidyScheme, county_code: str | None, today: date
) -> PrintJob:
    return PrintJob(
        f"{scheme.label}发放花名册（{month}）",
        safe_file_name(f"{scheme.label}发放花名册-{month}{'-' + county_code if county_code else ''}.pdf"),
        lambda: render_payment_roster(
            payment_roster_document(ctx, month, scheme, county_code=county_code, today=today)
        ),
    )


def random_draw_list_job(ctx: AppContext, county_code: str, county_name: str, period: str, today: date) -> PrintJob:
    return PrintJob(
        f"双随机抽查名单（{county_name} {period}）",
        safe_file_name(f"双随机抽查名单-{county_name}-{period}.pdf"),
        lambda: render_random_draw_list(
            random_draw_list_document(ctx, county_code=county_code, period=period, today=today)
        ),
    )


def county_summary_job(ctx: AppContext, county_code: str, county_name: str, year: int, today: date) -> PrintJob:
    return PrintJob(
        f"主要指标汇总表（{county_name} {year}年）",
        safe_file_name(f"主要指标汇总表-{county_name}-{year}.pdf"),
        lambda: render_county_summary(county_summary_document(ctx, county_code=county_code, year=year, today=today)),
    )
