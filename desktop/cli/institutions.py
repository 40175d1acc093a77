"""``tuoyu institutions``: the institution register to and from Excel, and the import template.

Handlers import their services inside the function so that ``tuoyu --help`` and the GUI start without loading them.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from desktop.cli.common import ImportRefused, with_app


def add_commands(commands: argparse._SubParsersAction, json_option: argparse.ArgumentParser) -> None:
    """Add ``institutions`` to the ``tuoyu`` parser."""
    institutions = commands.add_parser("institutions", help="机构档案：从 Excel 导入、导出、下载导入模板")
    institution_commands = institutions.add_subparsers(dest="institutions_command", metavar="ACTION", required=True)
    importing = institution_commands.add_parser(
        "import", parents=[json_option], help="从 .xlsx/.xls/.csv 导入机构（按统一社会信用代码匹配，全部成功才写入）"
    )
    importing.add_argument("file", type=Path, help="Excel 或 CSV 文件")
    importing.add_argument("--dry-run", action="store_true", help="只检查并报告将新增、更新、不变的数量，不写入")
    importing.add_argument(
        "--errors-to",
        type=Path,
        metavar="FILE",
        help="有错误时，把错误原因写回工作簿副本（默认在原文件旁生成“…-错误标注.xlsx”）",
    )
    importing.add_argument("--today", type=date.fromisoformat, help=argparse.SUPPRESS)
    importing.set_defaults(handler=cmd_institutions_import)
    exporting = institution_commands.add_parser(
        "export", parents=[json_option], help="导出机构名单为 .xlsx 或 .csv（UTF-8 带 BOM）"
    )
    exporting.add_argument("file", type=Path, help="目标文件，扩展名 .xlsx 或 .csv")
    exporting.add_argument("--county", help="只导出该县区（6 位区划代码）")
    exporting.add_argument("--search", default="", help="与列表搜索框相同的关键字")
    exporting.set_defaults(handler=cmd_institutions_export)
    template = institution_commands.add_parser("template", parents=[json_option], help="生成导入模板 .xlsx")
    template.add_argument("file", type=Path, help="模板文件路径（.xlsx）")
    template.set_defaults(handler=cmd_institutions_template)


def cmd_institutions_import(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.institution_import import import_institutions

    def work(ctx: Any) -> tuple[dict, str]:
        report = import_institutions(
            ctx,
            args.file,
            today=args.today or date.today(),
            dry_run=args.dry_run,
            write_errors_to=args.errors_to,
        )
        lines = [f"文件：{args.file}（工作表“{report.sheet_name}”）"]
        lines += [f"第 {e.row} 行「{e.column}」：{e.message}" for e in report.errors]
        lines += [f"提示 第 {w.row} 行「{w.column}」：{w.message}" for w in report.warnings[:50]]
        if len(report.warnings) > 50:
            lines.append(f"……另有 {len(report.warnings) - 50} 条提示")
        counts = f"新增 {report.created} 家，更新 {report.updated} 家，无变化 {report.unchanged} 家"
        if report.errors:
            copy = f"错误原因已写入 {report.error_copy}。" if report.error_copy else ""
            raise ImportRefused(
                report.as_json(),
                "\n".join([*lines, f"发现 {len(report.errors)} 处错误，未导入任何数据。{copy}改正后请重新导入。"]),
            )
        lines.append(("检查通过（试运行，未写入）：" if report.dry_run else "导入完成：") + counts)
        return report.as_json(), "\n".join(lines)

    return with_app(args, work)


def cmd_institutions_export(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.institution_export import export_institutions
    from desktop.services.institution_queries import InstitutionFilter

    def work(ctx: Any) -> tuple[dict, str]:
        count = export_institutions(ctx, args.file, InstitutionFilter(text=args.search, county_code=args.county))
        return {"file": str(args.file), "rows": count}, f"已导出 {count} 家机构到 {args.file}"

    return with_app(args, work)


def cmd_institutions_template(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.institution_export import write_import_template

    write_import_template(args.file)
    return {"file": str(args.file)}, f"导入模板已保存到 {args.file}"
