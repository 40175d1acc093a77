"""``tuoyu print application`` and ``tuoyu print institution``: the 补贴申请审核表 and the 托育机构基本情况登记表 as PDF
files. Registered under ``tuoyu print`` by desktop.cli.printing.

Handlers import their services inside the function so that ``tuoyu --help`` and the GUI start without loading them.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from desktop.cli.common import with_app, written_form


def add_commands(forms: argparse._SubParsersAction, json_option: argparse.ArgumentParser) -> None:
    """Add the two forms to the ``tuoyu print`` subcommands."""
    application = forms.add_parser(
        "application", parents=[json_option], help="补贴申请审核表（A4，含金额大写、分担和审核签字栏）"
    )
    application.add_argument("--id", required=True, help="补贴申请的 ID")
    application.add_argument("--out", type=Path, required=True, help="写出的 PDF 文件")
    application.add_argument("--today", type=date.fromisoformat, help=argparse.SUPPRESS)
    application.set_defaults(handler=cmd_print_application)
    institution = forms.add_parser(
        "institution", parents=[json_option], help="托育机构基本情况登记表（A4，含班级和从业人员，身份证号脱敏）"
    )
    institution.add_argument("--id", required=True, help="机构的 ID 或 18 位统一社会信用代码")
    institution.add_argument("--out", type=Path, required=True, help="写出的 PDF 文件")
    institution.add_argument("--today", type=date.fromisoformat, help=argparse.SUPPRESS)
    institution.set_defaults(handler=cmd_print_institution)


def cmd_print_application(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.domain.amount_words import amount_words, format_yuan
    from desktop.reports.subsidy_application_form import render_subsidy_application
    from desktop.services.subsidy_application_document import subsidy_application_document

    def work(ctx: Any) -> tuple[dict, str]:
        document = subsidy_application_document(ctx, args.id, today=args.today or date.today())
        printed = render_subsidy_application(document)
        payload = {
            "application_id": document.application_id,
            "institution_name": document.institution_name,
            "scheme": document.scheme,
            "period": document.period,
            "status": document.status,
            "amount_fen": document.amount_fen,
            "amount_words": amount_words(document.amount_fen),
            "children": len(document.claims),
        }
        text = (
            f"已写出补贴申请审核表（{document.institution_name}，{document.scheme} {document.period}，"
            f"¥{format_yuan(document.amount_fen)}，{printed.pages} 页）：{args.out}"
        )
        return written_form(printed, args.out, payload, text)

    return with_app(args, work)


def cmd_print_institution(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.reports.institution_registration_form import render_institution_registration
    from desktop.services.institution_registration_document import institution_registration_document

    def work(ctx: Any) -> tuple[dict, str]:
        document = institution_registration_document(ctx, args.id, today=args.today or date.today())
        printed = render_institution_registration(document)
        payload = {
            "institution_name": document.name,
            "credit_code": document.credit_code,
            "classes": len(document.classes),
            "staff": len(document.staff),
        }
        text = (
            f"已写出托育机构基本情况登记表（{document.name}，{len(document.classes)} 个班，"
            f"在职 {len(document.staff)} 人，{printed.pages} 页）：{args.out}"
        )
        return written_form(printed, args.out, payload, text)

    return with_app(args, work)
