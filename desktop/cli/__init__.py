"""The ``tuoyu`` command: the GUI with no subcommand, and batch commands over the same services.

Exit status: 0 success; 1 a problem with the user's data or environment (Chinese message on stderr);
2 a usage error. With ``--json`` a command prints exactly one JSON object on stdout, errors included.

Each command group lives in its own module with its subparsers and handlers; what they share is in ``common``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from desktop import APP_TITLE, __version__
from desktop.cli import (
    checklists,
    children,
    db,
    field,
    inspections,
    institutions,
    node,
    printing,
    setup,
    subsidy,
    sync,
)
from desktop.cli.common import EXIT_OK, EXIT_USAGE, EXIT_USER_ERROR, ImportRefused, UsageError, print_json
from desktop.errors import TuoyuError

__all__ = ["EXIT_OK", "EXIT_USAGE", "EXIT_USER_ERROR", "ImportRefused", "UsageError", "build_parser", "main"]

# The order ``tuoyu --help`` lists the commands in.
COMMAND_GROUPS = (setup, institutions, children, checklists, inspections, field, node, sync, subsidy, printing, db)


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

    for group in COMMAND_GROUPS:
        group.add_commands(commands, json_option)
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
            print_json({"ok": False, **refused.payload})
        return EXIT_USER_ERROR
    except TuoyuError as error:
        print(error.message, file=sys.stderr)
        if as_json:
            print_json({"ok": False, "error": error.message})
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return EXIT_USER_ERROR
    payload, text = result
    if as_json:
        print_json({"ok": True, **payload})
    else:
        print(text)
    return EXIT_OK
