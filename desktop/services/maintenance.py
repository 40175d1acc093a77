"""Database care: check, back up, restore. Used by ``tuoyu db …`` and by the GUI's settings.

Every operation either completes or leaves the database as it was; a damaged database is moved aside,
never deleted.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from desktop.db.backup import BackupResult, backup_sqlite, restore_sqlite, timestamped_backup_path
from desktop.db.database import Database, open_database
from desktop.db.migrate import HEAD_REVISION, SchemaStatus, known_revisions, schema_state
from desktop.errors import NewerSchemaError, StorageError
from desktop.paths import backups_dir, database_path

SQLITE_SIDE_FILES = ("-journal", "-wal", "-shm")


@dataclass(frozen=True)
class CheckReport:
    database: str
    revision: str | None
    schema_status: str
    integrity: str
    foreign_key_problems: int
    row_counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and self.foreign_key_problems == 0 and self.schema_status == "current"


def check_database(db: Database) -> CheckReport:
    state = schema_state(db)
    with db.engine.connect() as connection:
        if db.is_sqlite:
            integrity = "; ".join(r[0] for r in connection.exec_driver_sql("PRAGMA integrity_check").fetchall())
            fk_problems = len(connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall())
        else:
            integrity, fk_problems = "ok", 0  # PostgreSQL enforces both itself
        counts = {}
        if state.status is not SchemaStatus.EMPTY:
            from desktop.models import Base  # the tables this release knows

            for table in sorted(Base.metadata.tables):
                counts[table] = connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
    return CheckReport(db.describe(), state.revision, state.status.value, integrity, fk_problems, counts)


def _require_sqlite_file(db: Database) -> Path:
    if not db.is_sqlite or db.path is None:
        raise StorageError(
            "备份与恢复只适用于内置的 SQLite 数据库。PostgreSQL 数据库请由管理员用 pg_dump / pg_restore 备份。"
        )
    return db.path


def backup_database(db: Database, out: Path | None = None, *, now: datetime | None = None) -> BackupResult:
    path = _require_sqlite_file(db)
    stamp = now or datetime.now(UTC).astimezone()
    target = out or timestamped_backup_path(backups_dir(db.data_dir or path.parent), "manual", stamp)
    return backup_sqlite(path, target)


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    revision: str | None
    safety_backup: Path | None
    # Where a damaged database was moved to (kept, never deleted).
    damaged_moved_to: Path | None
    row_counts: dict[str, int]


def restore_database(backup: Path, *, data_dir: Path, now: datetime | None = None) -> RestoreResult:
    """Replace the database in ``data_dir`` by ``backup``. The current database is kept as a backup.

    Works when the current database is damaged: it is then moved aside with its journal files.
    """
    stamp = now or datetime.now(UTC).astimezone()
    revision = _backup_revision(backup)
    live = database_path(data_dir)
    safety, damaged = None, None
    if live.exists():
        try:
            current = open_database(data_dir=data_dir, create=False)
        except StorageError:
            damaged = _move_aside(live, stamp)
        else:
            try:
                safety = backup_sqlite(
                    live, timestamped_backup_path(backups_dir(data_dir), "before-restore", stamp)
                ).path
            finally:
                current.dispose()
    else:
        data_dir.mkdir(parents=True, exist_ok=True)
    counts = restore_sqlite(backup, live)
    return RestoreResult(backup, revision, safety, damaged, counts)


def _backup_revision(backup: Path) -> str | None:
    """The schema revision of a backup file; refuse files that are not usable backups."""
    if not backup.is_file():
        raise StorageError(f"找不到备份文件 {backup}。请检查路径。")
    try:
        connection = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise StorageError(f"备份文件 {backup} 已损坏，不能用于恢复。请选择另一个备份。")
            has_version = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).fetchone()
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone() if has_version else None
            revision = row[0] if row else None
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise StorageError(f"{backup} 不是有效的托育监管备份文件（{error}）。当前数据库未改动。") from error
    if revision is None:
        raise StorageError(f"{backup} 不是托育监管的备份文件（没有结构版本信息）。当前数据库未改动。")
    if revision != HEAD_REVISION and revision not in known_revisions():
        raise NewerSchemaError(
            f"备份 {backup} 来自更新版本的托育监管（结构版本 {revision}），本程序无法使用。当前数据库未改动。"
        )
    return revision


def _move_aside(live: Path, stamp: datetime) -> Path:
    """Move a damaged database and its journal files to a dated name next to it."""
    target = live.with_name(f"{live.name}.damaged-{stamp:%Y%m%d-%H%M%S}")
    # The journal files travel with the database: a hot journal left behind would be replayed
    # into the restored file and corrupt it.
    for suffix in ("", *SQLITE_SIDE_FILES):
        source = live.with_name(live.name + suffix)
        if source.exists():
            os.replace(source, target.with_name(target.name + suffix))
    return target
