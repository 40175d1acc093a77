"""``tuoyu children``: one institution's roster of children from Excel, and its import template.

An import writes nothing unless every row is right; the refusal carries the whole report.
Handlers import their services inside the function so that ``tuoyu --help`` and the GUI start without loading them.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from desktop.cli.common import ImportRefused, with_app


def add_commands(commands: argparse._SubParsersAction, json_option: argparse.ArgumentParser) -> None:
    """Add ``children`` to the ``tuoyu`` parser."""
    children = commands.add_parser("children", help="在托幼儿名单：从 Excel 导入一家机构的名单、下载导入模板")
    children_commands = children.add_subparsers(dest="children_command", metavar="ACTION", required=True)
    importing_children = children_commands.add_parser(
        "import",
        parents=[json_option],
        help="把一家机构的在托幼儿名单从 .xlsx/.xls/.csv 导入（按身份证号匹配，全部成功才写入）",
    )
    importing_children.add_argument("file", type=Path, help="Excel 或 CSV 文件")
    importing_children.add_argument(
        "--institution", required=True, metavar="NAME_OR_CREDIT_CODE", help="机构全称或统一社会信用代码"
    )
    importing_children.add_argument("--dry-run", action="store_true", help="只检查并报告新增、更新、不变的人数，不写入")
    importing_children.add_argument(
        "--errors-to", type=Path, metavar="FILE", help="有错误时，把错误原因写回该工作簿副本（.xlsx）"
    )
    importing_children.add_argument("--today", type=date.fromisoformat, help=argparse.SUPPRESS)
    importing_children.set_defaults(handler=cmd_children_import)
    child_template = children_commands.add_parser("template", parents=[json_option], help="生成幼儿名单导入模板 .xlsx")
    child_template.add_argument("file", type=Path, help="模板文件路径（.xlsx）")
    child_template.set_defaults(handler=cmd_children_template)


def cmd_children_import(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.children_import import find_institution, import_children

    def work(ctx: Any) -> tuple[dict, str]:
        institution_id, name = find_institution(ctx, args.institution)
        report = import_children(
            ctx,
            args.file,
            institution_id=institution_id,
            today=args.today or date.today(),
            dry_run=args.dry_run,
            write_errors_to=args.errors_to,
        )
        payload = {"institution": name, "institution_id": str(institution_id), **report.as_json()}
        lines = [f"机构：{name}", f"文件：{args.file}（工作表“{report.sheet_name}”）"]
        lines += report.notes
        lines += [f"第 {e.row} 行「{e.column}」：{e.message}" for e in report.errors]
        lines += [f"提示 第 {w.row} 行「{w.column}」：{w.message}" for w in report.warnings[:50]]
        if len(report.warnings) > 50:
            lines.append(f"……另有 {len(report.warnings) - 50} 条提示")
        counts = f"新增 {report.created} 名，更新 {report.updated} 名，无变化 {report.unchanged} 名"
        if report.errors:
            copy = f"错误原因已写入 {report.error_copy}。" if report.error_copy else ""
            raise ImportRefused(
                payload,
                "\n".join([*lines, f"发现 {len(report.errors)} 处错误，未导入任何数据。{copy}改正后请重新导入。"]),
            )
        lines.append(("检查通过（试运行，未写入）：" if report.dry_run else "导入完成：") + counts)
        return payload, "\n".join(lines)

    return with_app(args, work)


def cmd_children_template(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.children_import import write_roster_template

    write_roster_template(args.file)
    return {"file": str(args.file)}, f"在托幼儿名单导入模板已保存到 {args.file}"
