"""``tuoyu checklists``: list, export and import versions of the inspection checklists the city issues.

Handlers import their services inside the function so that ``tuoyu --help`` and the GUI start without loading them.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli.common import with_app


def add_commands(commands: argparse._SubParsersAction, json_option: argparse.ArgumentParser) -> None:
    """Add ``checklists`` to the ``tuoyu`` parser."""
    checklists = commands.add_parser("checklists", help="检查表模板：查看、导出、导入新版本")
    checklist_commands = checklists.add_subparsers(dest="checklists_command", metavar="ACTION", required=True)
    listing = checklist_commands.add_parser("list", parents=[json_option], help="列出已有的检查表及版本")
    listing.set_defaults(handler=cmd_checklists_list)
    exporting_template = checklist_commands.add_parser("export", parents=[json_option], help="导出某一版本的检查表")
    exporting_template.add_argument("code", help="检查表编号，如 zhangye-safety")
    exporting_template.add_argument("version", help="版本，如 2026.1")
    exporting_template.add_argument("file", type=Path, help="目标 .toml 文件")
    exporting_template.set_defaults(handler=cmd_checklists_export)
    importing_template = checklist_commands.add_parser(
        "import", parents=[json_option], help="导入市级下发的检查表新版本（已发布的版本不能修改）"
    )
    importing_template.add_argument("file", type=Path, help=".toml 检查表文件")
    importing_template.set_defaults(handler=cmd_checklists_import)


def cmd_checklists_list(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.checklist_templates import list_templates

    def work(ctx: Any) -> tuple[dict, str]:
        templates = list_templates(ctx)
        payload = {
            "templates": [
                {
                    "id": str(t.id),
                    "code": t.code,
                    "version": t.version,
                    "title": t.title,
                    "effective_from": t.effective_from.isoformat(),
                    "items": t.items,
                    "sha256": t.sha256,
                    "source": t.source,
                }
                for t in templates
            ]
        }
        lines = [
            f"{t.code} {t.version}  {t.title}（{t.items} 项，{t.effective_from} 起，{t.source}）" for t in templates
        ]
        return payload, "\n".join(lines) or "还没有检查表。"

    return with_app(args, work)


def cmd_checklists_export(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.checklist_templates import export_template

    def work(ctx: Any) -> tuple[dict, str]:
        export_template(ctx, args.code, args.version, args.file)
        return {"file": str(args.file)}, f"已导出到 {args.file}"

    return with_app(args, work)


def cmd_checklists_import(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.checklist_templates import import_template

    def work(ctx: Any) -> tuple[dict, str]:
        summary, new = import_template(ctx, args.file)
        state = "已导入" if new else "该版本已存在且内容一致，未作改动"
        payload = {"code": summary.code, "version": summary.version, "items": summary.items, "new": new}
        return payload, f"{state}：{summary.title} {summary.version}（{summary.items} 项）"

    return with_app(args, work)
