"""``tuoyu print roster``: a month's 补贴发放花名册 as a PDF (landscape A4, page subtotals, totals in capitals).

The services and the report are imported inside the handler so that ``tuoyu --help`` stays cheap.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli.common import with_app, written_form

SCHEMES = ("enrollment", "operating", "construction")


def add_command(forms: argparse._SubParsersAction, json_option: argparse.ArgumentParser) -> None:
    """Add ``roster`` to ``tuoyu print``."""
    roster = forms.add_parser(
        "roster", parents=[json_option], help="补贴发放花名册（A4 横向，每页小计，合计金额含大写）"
    )
    roster.add_argument("--month", required=True, help="月份，如 2026-01")
    roster.add_argument("--county", help="县区代码（6 位，如 620702）；不指定时打印全部县区")
    roster.add_argument(
        "--scheme", choices=SCHEMES, default="enrollment", help="补贴种类：入托、运营或建设补贴（默认 enrollment）"
    )
    roster.add_argument("--out", type=Path, required=True, help="写出的 PDF 文件")
    roster.set_defaults(handler=cmd_print_roster)


def cmd_print_roster(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.domain.amount_words import format_yuan
    from desktop.domain.enums import SubsidyScheme
    from desktop.reports.payment_roster_pdf import render_payment_roster
    from desktop.services.roster_printing import payment_roster_document

    def work(ctx: Any) -> tuple[dict, str]:
        document = payment_roster_document(ctx, args.month, SubsidyScheme(args.scheme), county_code=args.county)
        printed = render_payment_roster(document)
        roster = document.roster
        payload = {
            "title": document.title,
            "issuing_body": document.issuing_body,
            "month": roster.month,
            "scheme": roster.scheme.value,
            "applications": len(roster.lines),
            "children": roster.children,
            "total_fen": roster.total_fen,
            "total_words": roster.total_words,
            "payers_fen": dict(roster.payer_totals()),
        }
        text = (
            f"已写出{document.title}（{len(roster.lines)} 家，合计 {format_yuan(roster.total_fen)} 元，"
            f"{printed.pages} 页）：{args.out}"
        )
        return written_form(printed, args.out, payload, text)

    return with_app(args, work)
