"""The print jobs of Tuoyu's documents: for each form, its title, the file name offered when saving, and how it is
made (a service gathers the data on the worker thread, a module of desktop.reports lays it out)."""

from __future__ import annotations

import uuid

from desktop.reports.inspection_record import render_inspection_record
from desktop.reports.rectification_notice import render_rectification_notice
from desktop.services.printing import inspection_record_document, rectification_notice_document
from desktop.services.startup import AppContext
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
