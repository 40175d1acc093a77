"""``tuoyu field``: task packages out to an inspector's laptop and inspection results back to the county.

Handlers import their services inside the function so that ``tuoyu --help`` and the GUI start without loading them.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from desktop.cli.common import with_app


def add_commands(commands: argparse._SubParsersAction, json_option: argparse.ArgumentParser) -> None:
    """Add ``field`` to the ``tuoyu`` parser."""
    field = commands.add_parser("field", help="外业检查：县区导出任务包，检查笔记本载入并交回检查结果")
    field_commands = field.add_subparsers(dest="field_command", metavar="ACTION", required=True)
    packing = field_commands.add_parser("export", parents=[json_option], help="（县区）为一名检查员导出检查任务包")
    packing.add_argument("--inspector", required=True, help="检查员的用户名")
    packing.add_argument(
        "--scope",
        choices=["assigned", "county"],
        default="assigned",
        help="assigned：本季度抽中分给该检查员的机构（默认）；county：本县区全部运营机构。整改中的机构总会放入",
    )
    packing.add_argument("--reserve", type=int, default=20, help="为笔记本预留的整改通知书编号个数（默认 20）")
    packing.add_argument("--today", type=date.fromisoformat, help="按该日期确定本季度和年度（默认今天）")
    packing.add_argument("--out", type=Path, required=True, help="任务包文件，如 张三-2026Q4.tuoyu-field")
    packing.set_defaults(handler=cmd_field_export)
    loading = field_commands.add_parser("load", parents=[json_option], help="（笔记本）载入检查任务包")
    loading.add_argument("file", type=Path, help="任务包文件")
    loading.set_defaults(handler=cmd_field_load)
    returning = field_commands.add_parser("results", parents=[json_option], help="（笔记本）导出已完成的检查结果")
    returning.add_argument("--out", type=Path, required=True, help="结果文件，如 张三-结果.tuoyu-results")
    returning.set_defaults(handler=cmd_field_results)
    receiving = field_commands.add_parser("import", parents=[json_option], help="（县区）导入检查员交回的检查结果")
    receiving.add_argument("file", type=Path, help="结果文件")
    receiving.set_defaults(handler=cmd_field_import)


def cmd_field_export(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.field_packages import export_field_package
    from desktop.services.inspectors import inspector_by_username

    def work(ctx: Any) -> tuple[dict, str]:
        inspector = inspector_by_username(ctx, args.inspector)
        summary = export_field_package(
            ctx,
            args.out,
            inspector_id=inspector,
            today=args.today or date.today(),
            scope=args.scope,
            reserve=args.reserve,
        )
        text = (
            f"已为{summary.county_name}检查员{summary.inspector_name}导出任务包 {args.out}："
            f"{summary.institutions} 家机构，"
            f"整改中的通知书 {summary.open_notices} 份，预留 {summary.year} 年通知书编号第 {summary.serial_from}–"
            f"{summary.serial_to} 号。"
        )
        return {"file": str(args.out), **asdict(summary)}, text

    return with_app(args, work)


def cmd_field_load(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.field_packages import load_field_package

    def work(ctx: Any) -> tuple[dict, str]:
        summary = load_field_package(ctx, args.file)
        text = (
            f"已载入{summary.county_name}{summary.inspector_name}的任务包：{summary.institutions} 家机构，"
            f"整改中的通知书 {summary.open_notices} 份，可用通知书编号第 {summary.serial_from}–{summary.serial_to} 号。"
        )
        return asdict(summary), text

    return with_app(args, work)


def cmd_field_results(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.field_results import export_field_results

    def work(ctx: Any) -> tuple[dict, str]:
        result = export_field_results(ctx, args.out)
        drafts = f"另有 {result.drafts_left} 份未完成的检查留在本机。" if result.drafts_left else ""
        text = (
            f"已导出检查结果 {args.out}：检查 {result.inspections} 次，整改通知书 {result.notices} 份，"
            f"照片 {result.photos} 张。{drafts}"
        )
        return {"file": str(args.out), **asdict(result)}, text

    return with_app(args, work)


def cmd_field_import(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.field_results import describe_import, import_field_results

    def work(ctx: Any) -> tuple[dict, str]:
        result = import_field_results(ctx, args.file)
        return asdict(result), describe_import(result)

    return with_app(args, work)
