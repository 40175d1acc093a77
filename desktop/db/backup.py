"""Backups of the embedded database with SQLite's online backup API, verified before they count.

Never a file copy: copying a live database can capture half a transaction (sqlite.org/howtocorrupt
§1.2). A backup is written under a temporary name, checked (integrity_check and the row count of every
table equal to the source's, read in the same read transaction), fsynced and only then renamed into
place, so a backup file that exists is a good one.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop.errors import StorageError

BACKUP_PAGES_PER_STEP = 1024


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int
    row_counts: dict[str, int]


def table_row_counts(connection: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def timestamped_backup_path(backups_dir: Path, label: str, now: datetime) -> Path:
    return backups_dir / f"tuoyu-{now:%Y%m%d-%H%M%S}-{label}.db"


def backup_sqlite(source: Path, destination: Path) -> BackupResult:
    """Copy the live database at ``source`` to ``destination`` and verify the copy."""
    if destination.exists():
        raise StorageError(f"备份文件 {destination} 已存在，不会覆盖。请换一个文件名。")
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StorageError(f"无法创建备份目录 {destination.parent}：{error.strerror or error}。") from error
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, isolation_level=None)
        try:
            # One read transaction: the counts and the copy see the same database state.
            src.execute("BEGIN")
            expected = table_row_counts(src)
            _copy_and_verify(src, partial, expected, label=str(destination))
            src.execute("COMMIT")
        finally:
            src.close()
        _fsync(partial)
        os.replace(partial, destination)
        _fsync_dir(destination.parent)
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        if "full" in str(error):
            raise StorageError(
                f"磁盘空间不足，备份没有完成（{destination.parent}）。请清理磁盘后重试；原数据库未受影响。"
            ) from error
        raise StorageError(f"备份失败：{error}。原数据库未受影响。") from error
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise StorageError(f"备份文件无法写入 {destination}：{error.strerror or error}。原数据库未受影响。") from error
    except StorageError:
        partial.unlink(missing_ok=True)
        raise
    return BackupResult(destination, destination.stat().st_size, expected)


def verify_database_file(connection: sqlite3.Connection, expected: dict[str, int] | None, *, label: str) -> None:
    """Raise StorageError unless the database passes integrity_check (and has the expected rows)."""
    verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
    if verdict != "ok":
        raise StorageError(f"备份 {label} 完整性检查未通过：{verdict}。")
    if expected is not None:
        actual = table_row_counts(connection)
        if actual != expected:
            raise StorageError(f"备份 {label} 的记录数与原数据库不一致，备份作废。请重试。")


def restore_sqlite(backup: Path, live: Path) -> dict[str, int]:
    """Replace the contents of the live database with ``backup``, atomically.

    The backup API writes into the live file inside one write transaction, so a crash half-way
    leaves the old database in place. The caller takes a safety backup of ``live`` first.
    """
    try:
        src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            verify_database_file(src, None, label=str(backup))
            counts = table_row_counts(src)
            _copy_and_verify(src, live, counts, label=str(live))
        finally:
            src.close()
    except sqlite3.DatabaseError as error:
        raise StorageError(f"无法从 {backup} 恢复：{error}。当前数据库未改动。") from error
    return counts


def _copy_and_verify(source: sqlite3.Connection, destination: Path, expected: dict[str, int], *, label: str) -> None:
    """Copy with the backup API (one write transaction on the destination), then verify the copy."""
    target = sqlite3.connect(destination)
    try:
        source.backup(target, pages=BACKUP_PAGES_PER_STEP)
        verify_database_file(target, expected, label=label)
    finally:
        target.close()


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    if os.name == "nt":
        return  # Windows cannot open a directory for fsync; os.replace is durable there.
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
