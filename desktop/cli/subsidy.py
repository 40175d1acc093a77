"""``tuoyu subsidy``: quotes from a policy file (no database), a month's enrollment subsidies, payment rosters.

Handlers import their services inside the function so that ``tuoyu --help`` and the GUI start without loading them.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from desktop.cli.common import with_app
from desktop.errors import TuoyuError


def add_commands(commands: argparse._SubParsersAction, json_option: argparse.ArgumentParser) -> None:
    """Add ``subsidy`` to the ``tuoyu`` parser."""
    subsidy = commands.add_parser("subsidy", help="补贴：按政策文件试算（不使用数据库）、准备入托补贴、导出发放花名册")
    subsidy_commands = subsidy.add_subparsers(dest="subsidy_command", metavar="ACTION", required=True)
    quoting = subsidy_commands.add_parser(
        "quote", parents=[json_option], help="按 JSON 文件中的事实试算建设、运营、入托补贴，供核对金额"
    )
    quoting.add_argument("file", type=Path, help='案件文件（JSON：{"cases": [...]}），- 表示标准输入')
    quoting.add_argument(
        "--policy",
        metavar="NAME",
        help="政策编号（如 zhangye-2026）或 .toml 政策文件路径；默认按各案日期选用生效的政策",
    )
    quoting.add_argument("--today", type=date.fromisoformat, help=argparse.SUPPRESS)
    quoting.set_defaults(handler=cmd_subsidy_quote)
    preparing = subsidy_commands.add_parser(
        "prepare", parents=[json_option], help="按在托幼儿花名册准备某月入托补贴申请（每家机构一份，已有的不重复）"
    )
    preparing.add_argument("--month", required=True, help="补贴月份，如 2026-11")
    preparing.add_argument("--county", help="只准备该县区（6 位区划代码）；不指定时准备全部县区")
    preparing.add_argument("--today", type=date.fromisoformat, help="按该日期判断整改是否逾期（默认今天）")
    preparing.set_defaults(handler=cmd_subsidy_prepare)
    rostering = subsidy_commands.add_parser(
        "roster", parents=[json_option], help="导出某月某项补贴的发放花名册（.xlsx），含按承担方的合计"
    )
    rostering.add_argument("--month", required=True, help="月份，如 2026-11")
    rostering.add_argument(
        "--scheme", choices=["construction", "operating", "enrollment"], required=True, help="补贴种类"
    )
    rostering.add_argument("--county", help="只导出该县区（6 位区划代码）")
    rostering.add_argument("--out", type=Path, required=True, help="花名册文件，如 入托补贴-2026-11.xlsx")
    rostering.set_defaults(handler=cmd_subsidy_roster)
    doubled = subsidy_commands.add_parser(
        "double-claims",
        parents=[json_option],
        help="跨县区重复申领：同一幼儿同一月份在两个及以上县区的入托补贴均已审核或发放（市级汇总各县区数据后使用）",
    )
    doubled.add_argument("--month", help="只查该月份，如 2026-11；不指定时查全部月份")
    doubled.set_defaults(handler=cmd_subsidy_double_claims)


def cmd_subsidy_quote(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.domain.subsidy_quote import describe, quote_cases, read_cases
    from desktop.services.subsidy_policies import choose_policy, load_policies

    cases = read_cases(_read_json_file(args.file))
    chosen = choose_policy(args.policy) if args.policy else None
    policies = () if chosen else load_policies()
    results = quote_cases(cases, policies, today=args.today or date.today(), chosen=chosen)
    text = "\n".join(describe(n, result) for n, result in enumerate(results, 1))
    return {"results": results}, text or "文件中没有案件。"


def cmd_subsidy_prepare(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.domain.amount_words import format_yuan
    from desktop.services.enrollment_month import prepare_enrollment_month

    def work(ctx: Any) -> tuple[dict, str]:
        prepared = prepare_enrollment_month(ctx, args.county, args.month, today=args.today or date.today())
        lines = [
            f"{prepared.month} 入托补贴：新建申请 {prepared.applications_created} 份，补充草稿 "
            f"{prepared.applications_extended} 份，新增幼儿 {prepared.claims_added} 人（符合条件 "
            f"{prepared.eligible_claims_added} 人，{format_yuan(prepared.amount_added_fen)} 元），"
            f"已申领过的 {prepared.already_claimed} 人未重复申领。",
            *(f"{issue.message}" for issue in prepared.issues),
            *prepared.skipped,
        ]
        if prepared.conflicts:
            lines.append(f"重复申领 {len(prepared.conflicts)} 人，均未申领：请核实花名册后重新运行本命令。")
        return prepared.as_json(), "\n".join(lines)

    return with_app(args, work)


def cmd_subsidy_roster(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.domain.amount_words import format_yuan
    from desktop.domain.enums import SubsidyScheme
    from desktop.services.payment_rosters import export_payment_roster

    def work(ctx: Any) -> tuple[dict, str]:
        roster = export_payment_roster(ctx, args.out, args.month, SubsidyScheme(args.scheme), county_code=args.county)
        payers = {payer: fen for payer, fen in roster.payer_totals()}
        payload = {
            "file": str(args.out),
            "title": roster.title,
            "applications": len(roster.lines),
            "children": roster.children,
            "total_fen": roster.total_fen,
            "city_share_fen": roster.city_fen,
            "county_share_fen": roster.county_fen,
            "payers_fen": payers,
            "total_words": roster.total_words,
        }
        shares = "；".join(f"{payer} {format_yuan(fen)} 元" for payer, fen in payers.items())
        text = (
            f"{roster.title}：{len(roster.lines)} 家，合计 {format_yuan(roster.total_fen)} 元（{roster.total_words}）；"
            f"{shares}。已导出到 {args.out}"
        )
        return payload, text

    return with_app(args, work)


def cmd_subsidy_double_claims(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.domain.amount_words import format_yuan
    from desktop.services.cross_county_claims import cross_county_claims

    def work(ctx: Any) -> tuple[dict, str]:
        cases = cross_county_claims(ctx, month=args.month)
        payload = {
            "cases": [
                {
                    "month": case.month,
                    "id_number": case.id_number_masked,
                    "paid_twice": case.paid_twice,
                    "claims": [
                        {
                            "county_code": c.county_code,
                            "county": c.county_name,
                            "institution": c.institution,
                            "child": c.child_name,
                            "status": c.status.value,
                            "paid_on": c.paid_on,
                            "amount_fen": c.amount_fen,
                        }
                        for c in case.claims
                    ],
                }
                for case in cases
            ]
        }
        if not cases:
            return payload, "没有发现跨县区重复申领的入托补贴。"
        lines = [f"发现 {len(cases)} 名幼儿在同一月份被两个及以上县区申领入托补贴（身份证号已遮挡）："]
        for case in cases:
            places = "；".join(
                f"{c.county_name} {c.institution}（{c.child_name}，{c.status.label}，{format_yuan(c.amount_fen)} 元）"
                for c in case.claims
            )
            lines.append(
                f"{case.month} {case.id_number_masked}：{places}" + ("　【已重复发放】" if case.paid_twice else "")
            )
        return payload, "\n".join(lines)

    return with_app(args, work)


def _read_json_file(path: Path) -> Any:
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise TuoyuError(f"找不到文件 {path}。请检查文件名和路径。") from None
    except UnicodeDecodeError:
        raise TuoyuError(f"文件 {path} 不是 UTF-8 编码的文本，请用 UTF-8 保存后再试。") from None
    except OSError as error:
        raise TuoyuError(f"无法读取文件 {path}：{error.strerror or error}。") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise TuoyuError(f"文件 {path} 不是有效的 JSON：第{error.lineno}行第{error.colno}列，{error.msg}。") from None
