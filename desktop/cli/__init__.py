"""The ``tuoyu`` command: the GUI with no subcommand, and batch commands over the same services.

Exit status: 0 success; 1 a problem with the user's data or environment (Chinese message on stderr);
2 a usage error. With ``--json`` a command prints exactly one JSON object on stdout, errors included.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, is_dataclass
from datetime import date
from pathlib import Path
from typing import Any

from desktop import APP_TITLE, __version__
from desktop.errors import TuoyuError

EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE = 0, 1, 2


class ImportRefused(TuoyuError):
    """An import found errors and wrote nothing: exit 1, with the full report as the JSON output."""

    def __init__(self, payload: dict[str, Any], message: str) -> None:
        super().__init__(message)
        self.payload = payload


class UsageError(Exception):
    """A command line that cannot be carried out as written (exit status 2)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tuoyu", description=f"{APP_TITLE}：托育机构监管。不带子命令时打开图形界面。")
    parser.add_argument("--version", action="version", version=f"tuoyu {__version__}")
    parser.add_argument("--data-dir", type=Path, help="数据目录（默认：当前用户的应用数据目录）")
    parser.add_argument(
        "--db", metavar="URL", help="数据库地址（SQLAlchemy URL），如 postgresql+psycopg://user:pw@127.0.0.1/tuoyu"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    json_option = argparse.ArgumentParser(add_help=False)
    json_option.add_argument("--json", action="store_true", help="以一个 JSON 对象输出结果")

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

    db = commands.add_parser("db", help="数据库维护：upgrade、check、backup、restore")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = db_commands.add_parser("upgrade", parents=[json_option], help="升级数据库结构（先自动备份）")
    upgrade.set_defaults(handler=cmd_db_upgrade)
    check = db_commands.add_parser("check", parents=[json_option], help="检查数据库完整性与结构版本")
    check.set_defaults(handler=cmd_db_check)
    backup = db_commands.add_parser("backup", parents=[json_option], help="备份数据库（SQLite 在线备份并校验）")
    backup.add_argument("--out", type=Path, help="备份文件路径（默认：数据目录下 backups/）")
    backup.set_defaults(handler=cmd_db_backup)
    restore = db_commands.add_parser("restore", parents=[json_option], help="从备份文件恢复（当前数据库先另存）")
    restore.add_argument("file", type=Path, help="备份文件")
    restore.set_defaults(handler=cmd_db_restore)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from desktop.ui.app import run_gui  # Qt is loaded only for the GUI

        return run_gui(data_dir=args.data_dir, url=args.db)
    as_json = getattr(args, "json", False)
    try:
        result = args.handler(args)
    except UsageError as error:
        parser.error(str(error))  # exits with status 2
    except ImportRefused as refused:
        print(refused.message, file=sys.stderr)
        if as_json:
            _print_json({"ok": False, **refused.payload})
        return EXIT_USER_ERROR
    except TuoyuError as error:
        print(error.message, file=sys.stderr)
        if as_json:
            _print_json({"ok": False, "error": error.message})
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return EXIT_USER_ERROR
    payload, text = result
    if as_json:
        _print_json({"ok": True, **payload})
    else:
        print(text)
    return EXIT_OK


def _print_json(payload: dict[str, Any]) -> None:
    print(json.dumps(payload, ensure_ascii=False, default=_json_default, sort_keys=True))


def _json_default(value: Any) -> Any:
    if is_dataclass(value):
        return asdict(value)  # type: ignore[arg-type]
    return str(value)


def _data_dir(args: argparse.Namespace) -> Path | None:
    """The data folder asked for; with --db a server needs none, so no default is made up."""
    if args.db or args.data_dir:
        return args.data_dir
    from desktop.paths import default_data_dir

    return default_data_dir()


def _with_app(args: argparse.Namespace, work: Callable[[Any], tuple[dict, str]]) -> tuple[dict, str]:
    """Run ``work`` on the opened database (created or upgraded as needed)."""
    from desktop.services.startup import open_app

    ctx = open_app(data_dir=_data_dir(args), url=args.db)
    try:
        return work(ctx)
    finally:
        ctx.close()


def _with_database(args: argparse.Namespace, work: Callable[[Any], Any]) -> Any:
    """Run ``work`` on the existing database as it is: no creation, no migration."""
    from desktop.db.database import open_database

    db = open_database(data_dir=_data_dir(args), url=args.db, create=False)
    try:
        return work(db)
    finally:
        db.dispose()


def cmd_init(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.regions import ensure_regions

    def work(ctx: Any) -> tuple[dict, str]:
        added = ensure_regions(ctx)
        payload = {
            "database": ctx.db.describe(),
            "revision": ctx.revision,
            "node_id": str(ctx.node_id),
            "regions_added": added,
            "backup": _backup_path(ctx),
        }
        return payload, f"数据库已就绪：{ctx.db.describe()}（结构版本 {ctx.revision}，新增行政区划 {added} 条）"

    return _with_app(args, work)


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

    return _with_app(args, work)


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

    return _with_app(args, work)


def cmd_institutions_export(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.institution_export import export_institutions
    from desktop.services.institution_queries import InstitutionFilter

    def work(ctx: Any) -> tuple[dict, str]:
        count = export_institutions(ctx, args.file, InstitutionFilter(text=args.search, county_code=args.county))
        return {"file": str(args.file), "rows": count}, f"已导出 {count} 家机构到 {args.file}"

    return _with_app(args, work)


def cmd_institutions_template(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.institution_export import write_import_template

    write_import_template(args.file)
    return {"file": str(args.file)}, f"导入模板已保存到 {args.file}"


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

    return _with_app(args, work)


def cmd_children_template(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.children_import import write_roster_template

    write_roster_template(args.file)
    return {"file": str(args.file)}, f"在托幼儿名单导入模板已保存到 {args.file}"


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

    return _with_app(args, work)


def cmd_checklists_export(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.checklist_templates import export_template

    def work(ctx: Any) -> tuple[dict, str]:
        export_template(ctx, args.code, args.version, args.file)
        return {"file": str(args.file)}, f"已导出到 {args.file}"

    return _with_app(args, work)


def cmd_checklists_import(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.checklist_templates import import_template

    def work(ctx: Any) -> tuple[dict, str]:
        summary, new = import_template(ctx, args.file)
        state = "已导入" if new else "该版本已存在且内容一致，未作改动"
        payload = {"code": summary.code, "version": summary.version, "items": summary.items, "new": new}
        return payload, f"{state}：{summary.title} {summary.version}（{summary.items} 项）"

    return _with_app(args, work)


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

    return _with_app(args, work)


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

    return _with_app(args, work)


def cmd_field_load(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.field_packages import load_field_package

    def work(ctx: Any) -> tuple[dict, str]:
        summary = load_field_package(ctx, args.file)
        text = (
            f"已载入{summary.county_name}{summary.inspector_name}的任务包：{summary.institutions} 家机构，"
            f"整改中的通知书 {summary.open_notices} 份，可用通知书编号第 {summary.serial_from}–{summary.serial_to} 号。"
        )
        return asdict(summary), text

    return _with_app(args, work)


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

    return _with_app(args, work)


def cmd_field_import(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.field_results import describe_import, import_field_results

    def work(ctx: Any) -> tuple[dict, str]:
        result = import_field_results(ctx, args.file)
        return asdict(result), describe_import(result)

    return _with_app(args, work)


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

    return _with_app(args, work)


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

    return _with_app(args, work)


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


def cmd_db_upgrade(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.db.migrate import upgrade_to_head

    result = _with_database(args, upgrade_to_head)
    backup = str(result.backup.path) if result.backup else None
    payload = {"from_revision": result.from_revision, "to_revision": result.to_revision, "backup": backup}
    if result.from_revision == result.to_revision:
        return payload, f"数据库结构已是最新版本（{result.to_revision}），无需升级。"
    note = f"，升级前备份：{backup}" if backup else ""
    return payload, f"数据库结构已从 {result.from_revision or '空'} 升级到 {result.to_revision}{note}"


def cmd_db_check(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.maintenance import check_database

    report = _with_database(args, check_database)
    payload = {
        "database": report.database,
        "revision": report.revision,
        "schema_status": report.schema_status,
        "integrity": report.integrity,
        "foreign_key_problems": report.foreign_key_problems,
        "row_counts": report.row_counts,
        "healthy": report.ok,
    }
    lines = [
        f"数据库：{report.database}",
        f"结构版本：{report.revision or '无'}（{report.schema_status}）",
        f"完整性检查：{report.integrity}",
        f"外键问题：{report.foreign_key_problems} 处",
    ]
    lines += [f"  {table}: {count}" for table, count in report.row_counts.items()]
    if not report.ok:
        raise TuoyuError(
            "\n".join(
                [
                    *lines,
                    "数据库检查未通过。结构版本落后时请运行 tuoyu db upgrade；损坏时请用 tuoyu db restore 从备份恢复。",
                ]
            )
        )
    return payload, "\n".join([*lines, "检查通过。"])


def cmd_db_backup(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.maintenance import backup_database

    result = _with_database(args, lambda db: backup_database(db, args.out))
    payload = {"backup": str(result.path), "size_bytes": result.size_bytes, "row_counts": result.row_counts}
    return payload, f"已备份到 {result.path}（{result.size_bytes / 1_048_576:.1f} MB，已校验）"


def cmd_db_restore(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.maintenance import restore_database

    if args.db:
        raise UsageError("db restore 只适用于数据目录中的内置数据库，不能与 --db 同用")
    data_dir = _data_dir(args)
    result = restore_database(args.file, data_dir=data_dir)
    upgraded = _with_app(args, lambda ctx: ({"revision": ctx.revision, "backup": _backup_path(ctx)}, ""))[0]
    payload = {
        "restored_from": str(result.restored_from),
        "revision": upgraded["revision"],
        "safety_backup": str(result.safety_backup) if result.safety_backup else None,
        "damaged_moved_to": str(result.damaged_moved_to) if result.damaged_moved_to else None,
        "row_counts": result.row_counts,
    }
    lines = [f"已从 {result.restored_from} 恢复数据库。"]
    if result.safety_backup:
        lines.append(f"恢复前的数据库已另存为 {result.safety_backup}。")
    if result.damaged_moved_to:
        lines.append(f"原数据库已损坏，已移到 {result.damaged_moved_to}（未删除）。")
    return payload, "\n".join(lines)


def _backup_path(ctx: Any) -> str | None:
    return str(ctx.upgrade.backup.path) if ctx.upgrade and ctx.upgrade.backup else None


if __name__ == "__main__":
    sys.exit(main())
