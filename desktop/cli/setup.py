"""``tuoyu init`` and ``tuoyu demo``: make the database ready, and fill an empty one with the Zhangye demo data.

Handlers import their services inside the function so that ``tuoyu --help`` and the GUI start without loading them.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from desktop.cli.common import backup_path, with_app


def add_commands(commands: argparse._SubParsersAction, json_option: argparse.ArgumentParser) -> None:
    """Add ``init`` and ``demo`` to the ``tuoyu`` parser."""
    init = commands.add_parser("init", parents=[json_option], help="创建或升级数据库，载入行政区划")
    init.set_defaults(handler=cmd_init)

    demo = commands.add_parser("demo", parents=[json_option], help="向空数据库载入张掖市演示数据")
    demo.add_argument(
        "--scale",
        choices=["county", "city", "province"],
        default="county",
        help="规模：county≈160 家机构（默认），city≈3000，province≈10000",
    )
    demo.add_argument("--seed", type=int, default=2026, help="随机种子；同一种子生成相同数据")
    demo.add_argument("--today", type=date.fromisoformat, help="演示数据的“今天”（YYYY-MM-DD，默认今天）")
    demo.set_defaults(handler=cmd_demo)


def cmd_init(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.regions import ensure_regions

    def work(ctx: Any) -> tuple[dict, str]:
        added = ensure_regions(ctx)
        payload = {
            "database": ctx.db.describe(),
            "revision": ctx.revision,
            "node_id": str(ctx.node_id),
            "regions_added": added,
            "backup": backup_path(ctx),
        }
        return payload, f"数据库已就绪：{ctx.db.describe()}（结构版本 {ctx.revision}，新增行政区划 {added} 条）"

    return with_app(args, work)


def cmd_demo(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.demo.zhangye import Scale
    from desktop.services.demo_service import load_demo

    def work(ctx: Any) -> tuple[dict, str]:
        summary, _ = load_demo(ctx, scale=Scale(args.scale), seed=args.seed, today=args.today or date.today())
        text = (
            f"已载入演示数据：{summary.institutions} 家机构，{summary.class_groups} 个班级，"
            f"{summary.staff} 名从业人员，{summary.children} 名在托幼儿（规模 {summary.scale}，种子 {summary.seed}）。"
        )
        return {"database": ctx.db.describe(), **summary.as_dict()}, text

    return with_app(args, work)
