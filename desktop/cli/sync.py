"""``tuoyu sync``: bundles to and from enrolled nodes (export, import — receipts too), reconciliation, conflicts.

``tuoyu sync import FILE --json`` prints ``{"created": n, "updated": n, "unchanged": n, "conflicts": n,
"refused": false, "reason": null, …}`` and exits 1 with the refusal's code in ``reason`` (Chinese message on
stderr) when the bundle is refused. Handlers import their services inside the function so that ``tuoyu --help``
and the GUI start without loading them.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

from desktop.cli.common import ImportRefused, UsageError, with_app
from desktop.cli.node import text_table


def add_commands(commands: argparse._SubParsersAction, json_option: argparse.ArgumentParser) -> None:
    """Add ``sync`` to the ``tuoyu`` parser."""
    sync = commands.add_parser("sync", help="同步：向已登记的节点导出同步包，导入同步包和回执，对账，处理冲突")
    actions = sync.add_subparsers(dest="sync_command", metavar="ACTION", required=True)

    export = actions.add_parser("export", parents=[json_option], help="导出同步包给一个已登记的节点")
    export.add_argument("--to", required=True, metavar="NODE", help="对方的节点编号或名称（见 tuoyu node list）")
    export.add_argument("--out", type=Path, required=True, help="同步包文件，如 甘州区-20261123.tuoyu-sync")
    export.add_argument("--full", action="store_true", help="导出范围内的全部记录（默认只导出对方确认之后的改动）")
    export.set_defaults(handler=cmd_sync_export)

    importing = actions.add_parser("import", parents=[json_option], help="导入同步包或回执（先做全部检查）")
    importing.add_argument("file", type=Path, help="同步包或回执文件")
    importing.add_argument("--dry-run", action="store_true", help="只列出将新增、更新、未变和冲突的记录，不写入")
    importing.add_argument("--receipt-out", type=Path, help="回执文件写到哪里（默认：同步包旁边，文件名加“.回执”）")
    importing.set_defaults(handler=cmd_sync_import)

    status = actions.add_parser("status", parents=[json_option], help="对账：每个节点已发送、已确认、未确认的同步包")
    status.set_defaults(handler=cmd_sync_status)

    conflicts = actions.add_parser("conflicts", parents=[json_option], help="列出待处理的同步冲突（逐字段对比）")
    conflicts.add_argument("--all", action="store_true", help="也列出已处理的冲突")
    conflicts.set_defaults(handler=cmd_sync_conflicts)

    resolve = actions.add_parser("resolve", parents=[json_option], help="处理一个同步冲突")
    resolve.add_argument("conflict_id", metavar="ID", help="冲突编号（见 tuoyu sync conflicts）")
    resolve.add_argument(
        "--keep", choices=("mine", "theirs"), required=True, help="mine 保留本机版本；theirs 保留对方版本"
    )
    resolve.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="NAME=mine|theirs",
        help="逐字段选择：该字段取本机（mine）或对方（theirs）的值；可重复",
    )
    resolve.set_defaults(handler=cmd_sync_resolve)


def cmd_sync_export(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.sync.export import export_bundle

    def work(ctx: Any) -> tuple[dict, str]:
        target = _node_id(ctx, args.to)
        summary = export_bundle(ctx, to=target, out=args.out, full=args.full)
        what = "全部记录" if summary.full else "上次确认之后的改动"
        text = (
            f"已导出同步包 {args.out}（给“{summary.target_name}”，第 {summary.sequence} 号，{what}）："
            f"{summary.record_count} 条记录（其中删除 {summary.deletions} 条），照片 {summary.photos} 张，"
            f"审计记录 {summary.audit_entries} 条；对方已有、未重复导出 {summary.skipped} 条。\n"
            "请把文件交给对方导入，并把对方生成的回执带回本机导入（tuoyu sync import 回执文件）。"
        )
        payload = asdict(summary) | {"record_count": summary.record_count, "policies": list(summary.policies)}
        return payload, text

    return with_app(args, work)


def cmd_sync_import(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.sync.importing import import_bundle

    def work(ctx: Any) -> tuple[dict, str]:
        outcome = import_bundle(ctx, args.file, dry_run=args.dry_run, receipt_path=args.receipt_out)
        payload = outcome.as_json()
        if outcome.refused:
            raise ImportRefused(payload, outcome.message)
        text = outcome.message
        if outcome.tables:
            from desktop.sync.labels import label_of

            rows = [
                (
                    label_of(table),
                    *(str(counts[key]) for key in ("created", "updated", "deleted", "unchanged", "conflicts")),
                )
                for table, counts in outcome.tables.items()
            ]
            text += "\n" + text_table(("记录", "新增", "更新", "删除", "未变", "冲突"), rows)
        if outcome.receipt_file:
            text += f"\n回执已写入 {outcome.receipt_file}，请交回给“{outcome.source_name}”导入。"
        if outcome.receipt_error:
            print(outcome.receipt_error, file=sys.stderr)
        return payload, text

    return with_app(args, work)


def cmd_sync_status(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.nodes import CHINA_TIME
    from desktop.sync.reconciliation import sync_status

    def when(moment: Any) -> str:
        return "—" if moment is None else f"{moment.astimezone(CHINA_TIME):%Y-%m-%d %H:%M}"

    def work(ctx: Any) -> tuple[dict, str]:
        status = sync_status(ctx)
        if not status.peers:
            return asdict(status), "本机还没有登记任何节点，没有可对账的同步包。"
        rows = [
            (
                p.role_name,
                p.name,
                str(p.sent),
                str(p.acknowledged),
                "、".join(f"第{b.sequence}号" for b in p.outstanding) or "无",
                when(p.last_sent_at),
                str(p.changed_since_acknowledged) + ("（从未确认，下次全量）" if p.never_acknowledged else ""),
                str(p.received),
            )
            for p in status.peers
        ]
        table = text_table(("角色", "名称", "已发送", "已确认", "未确认", "最近发送", "待发改动", "已接收"), rows)
        text = f"{table}\n待处理的同步冲突：{status.open_conflicts} 个。"
        return asdict(status), text

    return with_app(args, work)


def cmd_sync_conflicts(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.sync.conflicts import list_conflicts

    def work(ctx: Any) -> tuple[dict, str]:
        conflicts = list_conflicts(ctx, include_resolved=args.all)
        if not conflicts:
            return {"conflicts": []}, "没有待处理的同步冲突。"
        blocks = []
        for conflict in conflicts:
            heads = []
            for v in conflict.versions:
                side = "本机" if v.mine else "对方" if v.theirs else "其他"
                heads.append(f"{side}{'·当前' if v.current else ''}（{'、'.join(v.nodes) or '—'}）")
            rows = [(d.label, *d.values) for d in conflict.differences]
            frozen = "（已定稿，只能保留本机版本）" if conflict.frozen else ""
            blocks.append(
                f"冲突 {conflict.id}：{conflict.table_label}“{conflict.record_label}”{frozen}"
                f"{'' if conflict.status == 'open' else '（已处理）'}\n"
                + text_table(("字段", *heads), rows or [("（内容相同，仅删除与否不同）", *[""] * len(heads))])
            )
        text = "\n\n".join(blocks) + (
            f"\n\n共 {len(conflicts)} 个。"
            "处理：tuoyu sync resolve 冲突编号 --keep mine|theirs [--field 字段=mine|theirs]"
        )
        return {"conflicts": [asdict(c) for c in conflicts]}, text

    return with_app(args, work)


def cmd_sync_resolve(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.sync.conflicts import resolve_conflict

    try:
        conflict_id = uuid.UUID(args.conflict_id)
    except ValueError:
        raise UsageError(f"“{args.conflict_id}”不是冲突编号；冲突编号见 tuoyu sync conflicts") from None
    fields = {}
    for item in args.field:
        name, _, side = item.partition("=")
        if not name or side not in ("mine", "theirs"):
            raise UsageError(f"--field 应写成 字段名=mine 或 字段名=theirs，而不是“{item}”")
        fields[name] = side

    def work(ctx: Any) -> tuple[dict, str]:
        result = resolve_conflict(ctx, conflict_id, keep=args.keep, fields=fields)
        kept = {"mine": "本机版本", "theirs": "对方版本", "fields": "逐字段选择的结果"}[result.choice]
        text = f"已处理冲突 {conflict_id}：保留{kept}。该记录的修改和处理结果会随下次同步发给其他节点。"
        return asdict(result), text

    return with_app(args, work)


def _node_id(ctx: Any, wanted: str) -> uuid.UUID:
    """An enrolled node by id or by exact name."""
    from desktop.services.enrolled_nodes import list_nodes

    try:
        return uuid.UUID(wanted)
    except ValueError:
        pass
    matches = [node for node in list_nodes(ctx) if node.name == wanted]
    if len(matches) == 1:
        return matches[0].node_id
    if not matches:
        raise UsageError(f"没有名为“{wanted}”的已登记节点；请用 tuoyu node list 查看节点编号或名称")
    raise UsageError(f"有 {len(matches)} 个节点名为“{wanted}”，请改用节点编号（tuoyu node list）")
