"""``tuoyu inspections``: the quarterly double-random draw of institutions and inspectors.

Handlers import their services inside the function so that ``tuoyu --help`` and the GUI start without loading them.
"""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.common import with_app


def add_commands(commands: argparse._SubParsersAction, json_option: argparse.ArgumentParser) -> None:
    """Add ``inspections`` to the ``tuoyu`` parser."""
    inspections = commands.add_parser("inspections", help="检查：季度抽查的双随机抽取")
    inspection_commands = inspections.add_subparsers(dest="inspections_command", metavar="ACTION", required=True)
    drawing = inspection_commands.add_parser(
        "draw", parents=[json_option], help="双随机抽取：随机抽取机构，并为每家随机抽取两名检查人员（回避冲突）"
    )
    drawing.add_argument("--period", required=True, help="季度，如 2026Q1")
    drawing.add_argument("--rate", type=float, required=True, help="抽查比例，0 到 1 之间，如 0.2")
    drawing.add_argument("--seed", type=int, required=True, help="公开的随机种子；同一种子、同一数据得到同一结果")
    drawing.add_argument("--minimum", type=int, default=1, help="每个县区至少抽取的机构数（默认 1）")
    drawing.add_argument("--county", help="只抽取该县区（6 位区划代码）；不指定时各县区分别抽取")
    drawing.set_defaults(handler=cmd_inspections_draw)


def cmd_inspections_draw(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.random_draws import draw_counties

    def work(ctx: Any) -> tuple[dict, str]:
        results = draw_counties(
            ctx, period=args.period, seed=args.seed, rate=args.rate, minimum=args.minimum, county_code=args.county
        )
        draws = [
            {
                "institution_id": line.institution_id,
                "inspectors": list(line.inspector_ids),
                "county_code": result.county_code,
                "institution_name": line.institution_name,
                "inspector_names": list(line.inspector_names),
            }
            for result in results
            for line in result.lines
        ]
        payload = {
            "period": results[0].period,
            "seed": args.seed,
            "draws": draws,
            "counties": [
                {
                    "county_code": r.county_code,
                    "candidates": r.candidates,
                    "drawn": len(r.lines),
                    "inputs_sha256": r.inputs_sha256,
                    "newly_recorded": r.newly_recorded,
                }
                for r in results
            ],
        }
        lines = []
        for result in results:
            state = "新抽取并已记录" if result.newly_recorded else "已有记录，结果与原抽取一致"
            lines.append(
                f"{result.county_name} {result.period}：从 {result.candidates} 家机构中抽取 {len(result.lines)} 家"
                f"（种子 {result.seed}，输入指纹 {result.inputs_sha256[:12]}…，{state}）"
            )
            lines += [f"  {line.institution_name}：{'、'.join(line.inspector_names)}" for line in result.lines]
            lines += [f"  提示：{p.message}" for p in result.problems]
        return payload, "\n".join(lines)

    return with_app(args, work)
