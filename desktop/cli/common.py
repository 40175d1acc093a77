"""What every ``tuoyu`` command handler shares: exit statuses, the two errors ``main`` turns into them, JSON output,
and opening the database (upgraded, or as it is).

Services are imported inside the helpers so that importing the CLI stays cheap.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

from desktop.errors import TuoyuError

EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE = 0, 1, 2


class ImportRefused(TuoyuError):
    """An import found errors and wrote nothing: exit 1, with the full report as the JSON output."""

    def __init__(self, payload: dict[str, Any], message: str) -> None:
        super().__init__(message)
        self.payload = payload


class UsageError(Exception):
    """A command line that cannot be carried out as written (exit status 2)."""


def print_json(payload: dict[str, Any]) -> None:
    print(json.dumps(payload, ensure_ascii=False, default=_json_default, sort_keys=True))


def _json_default(value: Any) -> Any:
    if is_dataclass(value):
        return asdict(value)  # type: ignore[arg-type]
    return str(value)


def data_dir_of(args: argparse.Namespace) -> Path | None:
    """The data folder asked for; with --db a server needs none, so no default is made up."""
    if args.db or args.data_dir:
        return args.data_dir
    from desktop.paths import default_data_dir

    return default_data_dir()


def with_app(args: argparse.Namespace, work: Callable[[Any], tuple[dict, str]]) -> tuple[dict, str]:
    """Run ``work`` on the opened database (created or upgraded as needed)."""
    from desktop.services.startup import open_app

    ctx = open_app(data_dir=data_dir_of(args), url=args.db)
    try:
        return work(ctx)
    finally:
        ctx.close()


def with_database(args: argparse.Namespace, work: Callable[[Any], Any]) -> Any:
    """Run ``work`` on the existing database as it is: no creation, no migration."""
    from desktop.db.database import open_database

    db = open_database(data_dir=data_dir_of(args), url=args.db, create=False)
    try:
        return work(db)
    finally:
        db.dispose()


def backup_path(ctx: Any) -> str | None:
    """The backup made before an automatic upgrade, if there was one."""
    return str(ctx.upgrade.backup.path) if ctx.upgrade and ctx.upgrade.backup else None


def written_form(printed: Any, out: Path, facts: dict[str, Any], said: str) -> tuple[dict, str]:
    """Write a printed form (a desktop.reports PrintedDocument) to ``out`` whole, and report it: the form's own facts
    and sentence, plus its pages, the file and — named in a warning line — the characters the bundled fonts lack
    (they print as empty boxes)."""
    from desktop.reports.form_page import write_pdf  # ReportLab only for the commands that print

    write_pdf(printed, out)
    payload = {**facts, "pages": printed.pages, "out": str(out), "undrawable": list(printed.undrawable)}
    missing = printed.undrawable
    warning = (
        f"\n注意：内置字体缺少以下字符，PDF 中显示为方框，请打印后手工补写：{'、'.join(missing)}" if missing else ""
    )
    return payload, said + warning
