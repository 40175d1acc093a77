"""``tuoyu print``: printable forms written as PDF files (issue 6). One subcommand per form.

Handlers import their services inside the function so that ``tuoyu --help`` and the GUI start without loading them.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli.common import with_app, written_form
from desktop.cli.print_forms import add_commands as add_form_commands
from desktop.cli.print_roster import add_command as add_roster_command
from desktop.cli.print_supervision import add_commands as add_supervision_commands


def add_commands(commands: argparse._SubParsersAction, json_option: argparse.ArgumentParser) -> None:
    """Add ``print`` to the ``tuoyu`` parser."""
    printing = commands.add_parser("print", help="打印：把文书写成 PDF 文件")
    forms = printing.add_subparsers(dest="print_command", metavar="FORM", required=True)
    notice = forms.add_parser("notice", parents=[json_option], help="整改通知书（公文格式，A4）")
    notice.add_argument("--id", required=True, help="通知书编号（如 甘州卫监改〔2026〕12号）或其 ID")
    notice.add_argument("--out", type=Path, required=True, help="写出的 PDF 文件")
    notice.set_defaults(handler=cmd_print_notice)
    inspection = forms.add_parser("inspection", parents=[json_option], help="检查记录表（A4，逐项列出检查结果）")
    inspection.add_argument("--id", required=True, help="检查记录的 ID")
    inspection.add_argument("--out", type=Path, required=True, help="写出的 PDF 文件")
    inspection.set_defaults(handler=cmd_print_inspection)
    add_form_commands(forms, json_option)
    add_roster_command(forms, json_option)
    add_supervision_commands(forms, json_option)


def cmd_print_notice(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.reports.rectification_notice import render_rectification_notice
    from desktop.services.printing import rectification_notice_document

    def work(ctx: Any) -> tuple[dict, str]:
        document = rectification_notice_document(ctx, args.id)
        printed = render_rectification_notice(document)
        payload = {
            "document_number": document.document_number,
            "institution_name": document.institution_name,
            "items": len(document.items),
        }
        text = (
            f"已写出整改通知书 {document.document_number}（{document.institution_name}，{len(document.items)} 项，"
            f"{printed.pages} 页）：{args.out}"
        )
        return written_form(printed, args.out, payload, text)

    return with_app(args, work)


def cmd_print_inspection(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.reports.inspection_record import render_inspection_record
    from desktop.services.printing import inspection_record_document

    def work(ctx: Any) -> tuple[dict, str]:
        document = inspection_record_document(ctx, args.id)
        printed = render_inspection_record(document)
        payload = {
            "institution_name": document.institution_name,
            "template_version": document.template_version,
            "items": len(document.items),
            "notice_number": document.notice_number,
        }
        text = (
            f"已写出检查记录表（{document.institution_name}，{len(document.items)} 项，{printed.pages} 页）：{args.out}"
        )
        return written_form(printed, args.out, payload, text)

    return with_app(args, work)
