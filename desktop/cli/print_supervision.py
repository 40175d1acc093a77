"""``tuoyu print follow-up``, ``tuoyu print draw`` and ``tuoyu print summary``: the 复查意见书, the 双随机抽查名单 and a
county's 主要指标汇总表 as PDF files. Registered under ``tuoyu print`` by desktop.cli.printing.

Handlers import their services inside the function so that ``tuoyu --help`` and the GUI start without loading them.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from desktop.cli.common import with_app, written_form


def add_commands(forms: argparse._SubParsersAction, json_option: argparse.ArgumentParser) -> None:
    """Add the three documents to the ``tuoyu print`` subcommands."""
    follow_up = forms.add_parser("follow-up", parents=[json_option], help="复查意见书（整改回头看后，公文格式，A4）")
    follow_up.add_argument(
        "--id", required=True, help="整改通知书编号（如 甘州卫监改〔2026〕12号）或其 ID，或回头看检查记录的 ID"
    )
    follow_up.add_argument("--out", type=Path, required=True, help="写出的 PDF 文件")
    follow_up.set_defaults(handler=cmd_print_follow_up)
    draw = forms.add_parser("draw", parents=[json_option], help="双随机抽查名单（公示用，含随机种子和抽取规则）")
    draw.add_argument("--county", required=True, help="县区的 6 位区划代码，如 620702")
    draw.add_argument("--period", required=True, help="季度，如 2026Q2")
    draw.add_argument("--out", type=Path, required=True, help="写出的 PDF 文件")
    draw.add_argument("--today", type=date.fromisoformat, help="名单落款日期（YYYY-MM-DD，默认今天）")
    draw.set_defaults(handler=cmd_print_draw)
    summary = forms.add_parser("summary", parents=[json_option], help="县区托育服务主要指标汇总表（A4 一页）")
    summary.add_argument("--county", required=True, help="县区的 6 位区划代码，如 620702")
    summary.add_argument("--year", type=int, help="统计年度（默认今年；往年按 12 月 31 日统计）")
    summary.add_argument("--out", type=Path, required=True, help="写出的 PDF 文件")
    summary.add_argument("--today", type=date.fromisoformat, help=argparse.SUPPRESS)
    summary.set_defaults(handler=cmd_print_summary)


def cmd_print_follow_up(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.reports.follow_up_opinion import render_follow_up_opinion
    from desktop.services.follow_up_opinion import follow_up_opinion_document

    def work(ctx: Any) -> tuple[dict, str]:
        document = follow_up_opinion_document(ctx, args.id)
        printed = render_follow_up_opinion(document)
        payload = {
            "notice_number": document.notice_number,
            "institution_name": document.institution_name,
            "rechecked_on": document.rechecked_on.isoformat(),
            "items": len(document.items),
            "rectified": document.rectified,
        }
        conclusion = "整改到位" if document.rectified else "未整改到位"
        text = (
            f"已写出复查意见书（{document.notice_number}，{document.institution_name}，{conclusion}，"
            f"{printed.pages} 页）：{args.out}"
        )
        return written_form(printed, args.out, payload, text)

    return with_app(args, work)


def cmd_print_draw(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.reports.random_draw_list import render_random_draw_list
    from desktop.services.random_draw_list import random_draw_list_document

    def work(ctx: Any) -> tuple[dict, str]:
        document = random_draw_list_document(
            ctx, county_code=args.county, period=args.period, today=args.today or date.today()
        )
        printed = render_random_draw_list(document)
        payload = {
            "county_name": document.county_name,
            "period": f"{document.year}Q{document.quarter}",
            "seed": document.seed,
            "institutions": len(document.institutions),
            "candidates": document.candidates,
        }
        text = (
            f"已写出双随机抽查名单（{document.county_name}{document.period_text}，种子 {document.seed}，"
            f"抽中 {len(document.institutions)} 家，{printed.pages} 页）：{args.out}"
        )
        return written_form(printed, args.out, payload, text)

    return with_app(args, work)


def cmd_print_summary(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.reports.county_summary import render_county_summary
    from desktop.services.county_summary import county_summary_document

    def work(ctx: Any) -> tuple[dict, str]:
        document = county_summary_document(
            ctx, county_code=args.county, year=args.year, today=args.today or date.today()
        )
        printed = render_county_summary(document)
        payload = {
            "county_name": document.county_name,
            "year": document.year,
            "counted_on": document.counted_on.isoformat(),
            "institutions": document.institutions,
            "slots_operating": document.slots_operating,
            "slots_per_1000": None if document.slots_per_1000 is None else str(document.slots_per_1000),
            "township_coverage": None if document.township_coverage is None else str(document.township_coverage),
            "children_in_care": document.children_in_care,
            "notices_open": document.notices_open,
            "notices_overdue": document.notices_overdue,
            "subsidy_total_fen": document.subsidy_total_fen,
        }
        text = (
            f"已写出{document.county_name}托育服务主要指标汇总表（{document.year}年，统计截至 "
            f"{document.counted_on.isoformat()}）：{args.out}"
        )
        return written_form(printed, args.out, payload, text)

    return with_app(args, work)
