"""``tuoyu node``: this installation as a sync node (init, show, export-key) and the nodes it enrols (enrol, list,
remove).

Handlers import their services inside the function so that ``tuoyu --help`` and the GUI start without loading them.
"""

from __future__ import annotations

import argparse
import unicodedata
import uuid
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from desktop.cli.common import UsageError, with_app

ROLES = ("laptop", "county", "city")


def add_commands(commands: argparse._SubParsersAction, json_option: argparse.ArgumentParser) -> None:
    """Add ``node`` to the ``tuoyu`` parser."""
    node = commands.add_parser("node", help="同步节点：本机的角色与密钥，登记交换同步包的县区、市级和检查笔记本")
    actions = node.add_subparsers(dest="node_command", metavar="ACTION", required=True)

    init = actions.add_parser("init", parents=[json_option], help="初始化本机节点：角色、名称、所属行政区划，生成密钥")
    init.add_argument("--role", choices=ROLES, required=True, help="laptop 检查笔记本；county 县区；city 市级")
    init.add_argument("--name", required=True, help="节点名称，如“甘州区卫生健康局”“张三的检查笔记本”")
    init.add_argument("--county-code", help="所属县区的行政区划代码（laptop、county 必填），如 620702")
    init.add_argument("--city-code", help="本市的行政区划代码（city；数据库中只有一个市时可省略），如 620700")
    init.add_argument(
        "--replace-keys",
        action="store_true",
        help="本机已有密钥时生成新密钥替换（已登记本机的节点须移除旧登记后重新登记）",
    )
    init.set_defaults(handler=cmd_node_init)

    show = actions.add_parser("show", parents=[json_option], help="显示本机节点的编号、角色、名称和公钥指纹（可打印）")
    show.set_defaults(handler=cmd_node_show)

    export = actions.add_parser("export-key", parents=[json_option], help="导出本机的公钥文件，交给要登记本机的节点")
    export.add_argument("--out", type=Path, required=True, help="公钥文件，如 甘州区-公钥.tuoyu-pubkey")
    export.set_defaults(handler=cmd_node_export_key)

    enrol = actions.add_parser("enrol", parents=[json_option], help="登记对方的公钥文件（先与对方屏幕核对指纹）")
    enrol.add_argument("file", type=Path, help="对方导出的公钥文件")
    enrol.add_argument("--fingerprint", help="对方屏幕上显示的指纹（可带空格）；给出时与文件不符即拒绝登记")
    enrol.set_defaults(handler=cmd_node_enrol)

    listing = actions.add_parser("list", parents=[json_option], help="列出本机已登记的节点")
    listing.set_defaults(handler=cmd_node_list)

    remove = actions.add_parser("remove", parents=[json_option], help="移除一个节点的登记（对方更换密钥后须先移除）")
    remove.add_argument("node_id", help="节点编号（tuoyu node list 中的“节点编号”）")
    remove.set_defaults(handler=cmd_node_remove)


def cmd_node_init(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.domain.enums import NodeKind
    from desktop.services.nodes import init_node

    role = NodeKind(args.role)
    if role is NodeKind.CITY:
        if args.county_code:
            raise UsageError("市级节点不属于某个县区：请用 --city-code 指定本市代码，不要用 --county-code")
        division_code = args.city_code
    else:
        if args.city_code:
            raise UsageError(f"--city-code 只用于市级节点；{role.label}节点请用 --county-code")
        if not args.county_code:
            raise UsageError(f"--role {role.value} 需要 --county-code（所属县区的行政区划代码，如 620702）")
        division_code = args.county_code

    def work(ctx: Any) -> tuple[dict, str]:
        node = init_node(ctx, role=role, name=args.name, division_code=division_code, replace_keys=args.replace_keys)
        text = (
            f"本机已初始化为{node.division_name}的{node.role_noun}“{node.name}”，已生成新密钥。\n"
            f"公钥指纹：{node.grouped_fingerprint}\n"
            "下一步：tuoyu node export-key --out 文件，把公钥文件交给要登记本机的节点，并请对方核对上面的指纹。"
        )
        return _this_node_json(node), text

    return with_app(args, work)


def cmd_node_show(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.nodes import fingerprint_sheet, this_node

    def work(ctx: Any) -> tuple[dict, str]:
        node = this_node(ctx)
        return _this_node_json(node), fingerprint_sheet(node, printed_on=datetime.now(UTC)).rstrip("\n")

    return with_app(args, work)


def cmd_node_export_key(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.nodes import export_public_key

    def work(ctx: Any) -> tuple[dict, str]:
        node = export_public_key(ctx, args.out)
        text = (
            f"已导出公钥文件 {args.out}（{node.name}，{node.role_noun}）。\n"
            f"公钥指纹：{node.grouped_fingerprint}\n"
            "对方登记时，其屏幕上显示的指纹必须与此完全一致。"
        )
        return {"file": str(args.out), **_this_node_json(node)}, text

    return with_app(args, work)


def cmd_node_enrol(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.enrolled_nodes import enrol_node

    def work(ctx: Any) -> tuple[dict, str]:
        result = enrol_node(ctx, args.file, expected_fingerprint=args.fingerprint)
        node = result.node
        what = f"{node.division_name}的{node.role_name}“{node.name}”"
        if result.created:
            text = f"已登记{what}。\n公钥指纹：{node.grouped_fingerprint}"
            if args.fingerprint is None:
                text += "\n请与对方屏幕上的指纹逐组核对；如不一致，请立即用 tuoyu node remove 移除此登记。"
        else:
            text = f"{what}此前已用同一公钥登记，未作改动。\n公钥指纹：{node.grouped_fingerprint}"
        return {"created": result.created, "fingerprint": node.fingerprint, "node": _entry_json(node)}, text

    return with_app(args, work)


def cmd_node_list(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.enrolled_nodes import list_nodes
    from desktop.services.nodes import CHINA_TIME

    def work(ctx: Any) -> tuple[dict, str]:
        nodes = list_nodes(ctx)
        if not nodes:
            return {"nodes": []}, "本机还没有登记任何节点。用 tuoyu node enrol 文件 登记对方的公钥文件。"
        rows = [
            (
                n.role_name,
                n.name,
                f"{n.division_name}（{n.division_code}）",
                str(n.node_id),
                f"{n.enrolled_at.astimezone(CHINA_TIME):%Y-%m-%d %H:%M}",
                n.grouped_fingerprint,
            )
            for n in nodes
        ]
        table = text_table(("角色", "名称", "行政区划", "节点编号", "登记时间", "公钥指纹"), rows)
        return {"nodes": [_entry_json(n) for n in nodes]}, f"{table}\n共 {len(nodes)} 个节点。"

    return with_app(args, work)


def cmd_node_remove(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.enrolled_nodes import remove_node

    try:
        node_id = uuid.UUID(args.node_id)
    except ValueError:
        raise UsageError(f"“{args.node_id}”不是节点编号；节点编号见 tuoyu node list") from None

    def work(ctx: Any) -> tuple[dict, str]:
        node = remove_node(ctx, node_id)
        text = (
            f"已移除{node.division_name}的{node.role_name}“{node.name}”的登记。"
            "此后不再接受该节点的同步包，直到重新登记。"
        )
        return {"removed": _entry_json(node)}, text

    return with_app(args, work)


# --------------------------------------------------------------------------- output


def _this_node_json(node: Any) -> dict[str, Any]:
    payload = asdict(node)
    payload["role_name"] = node.role_noun
    payload["fingerprint_grouped"] = node.grouped_fingerprint
    return payload


def _entry_json(node: Any) -> dict[str, Any]:
    return {**asdict(node), "fingerprint_grouped": node.grouped_fingerprint}


def text_table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """Columns padded by display width: a Chinese character takes two columns of a terminal."""
    widths = [max(_width(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    lines = []
    for row in [headers, *rows]:
        cells = [str(cell) + " " * (width - _width(str(cell))) for cell, width in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
