"""``tuoyu db``: upgrade, check, back up and restore the database.

These open the database as it is (no automatic migration), except restore, which upgrades what it restored.
Handlers import their services inside the function so that ``tuoyu --help`` and the GUI start without loading them.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.common import UsageError, backup_path, data_dir_of, with_app, with_database
from desktop.errors import TuoyuError


def add_commands(commands: argparse._SubParsersAction, json_option: argparse.ArgumentParser) -> None:
    """Add ``db`` to the ``tuoyu`` parser."""
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


def cmd_db_upgrade(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.db.migrate import upgrade_to_head

    result = with_database(args, upgrade_to_head)
    backup = str(result.backup.path) if result.backup else None
    payload = {"from_revision": result.from_revision, "to_revision": result.to_revision, "backup": backup}
    if result.from_revision == result.to_revision:
        return payload, f"数据库结构已是最新版本（{result.to_revision}），无需升级。"
    note = f"，升级前备份：{backup}" if backup else ""
    return payload, f"数据库结构已从 {result.from_revision or '空'} 升级到 {result.to_revision}{note}"


def cmd_db_check(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.maintenance import check_database

    report = with_database(args, check_database)
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

    result = with_database(args, lambda db: backup_database(db, args.out))
    payload = {"backup": str(result.path), "size_bytes": result.size_bytes, "row_counts": result.row_counts}
    return payload, f"已备份到 {result.path}（{result.size_bytes / 1_048_576:.1f} MB，已校验）"


def cmd_db_restore(args: argparse.Namespace) -> tuple[dict, str]:
    from desktop.services.maintenance import restore_database

    if args.db:
        raise UsageError("db restore 只适用于数据目录中的内置数据库，不能与 --db 同用")
    data_dir = data_dir_of(args)
    result = restore_database(args.file, data_dir=data_dir)
    upgraded = with_app(args, lambda ctx: ({"revision": ctx.revision, "backup": backup_path(ctx)}, ""))[0]
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
