"""SQLite connection settings (DESIGN.md §3; shared/research/reliability-anchors.md §2.1).

WAL is used only with an SQLite that has the WAL-reset fix (3.51.3+, or 3.50.7+ / 3.44.6+ on those
branches); older libraries run in rollback-journal mode with synchronous=EXTRA, which is ACID there.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Engine, event

BUSY_TIMEOUT_MS = 5000
CACHE_SIZE_KIB = 65536  # 64 MiB page cache; the default 2 MiB makes index maintenance crawl.


def wal_is_safe(version: tuple[int, int, int]) -> bool:
    """True when this SQLite version has the fix for the WAL-reset corruption bug."""
    major, minor, patch = version
    if (major, minor) == (3, 50):
        return patch >= 7
    if (major, minor) == (3, 44):
        return patch >= 6
    return (major, minor, patch) >= (3, 51, 3)


def journal_settings(version: tuple[int, int, int]) -> tuple[str, str]:
    """(journal_mode, synchronous) to use with this SQLite version."""
    return ("WAL", "FULL") if wal_is_safe(version) else ("DELETE", "EXTRA")


def install(engine: Engine) -> None:
    """Set the PRAGMAs on every new connection and take over transaction control from pysqlite.

    pysqlite's own implicit BEGIN breaks SAVEPOINT and transactional DDL; SQLAlchemy documents the
    fix used here (driver autocommit, BEGIN emitted from the "begin" event). Writers ask for
    ``BEGIN IMMEDIATE`` through the ``sqlite_begin`` execution option so they fail fast instead of
    deadlocking on a lock upgrade.
    """
    journal_mode, synchronous = journal_settings(sqlite3.sqlite_version_info)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.execute(f"PRAGMA journal_mode={journal_mode}")
            cursor.execute(f"PRAGMA synchronous={synchronous}")
            cursor.execute(f"PRAGMA cache_size=-{CACHE_SIZE_KIB}")
            # Deleted personal data is overwritten, not left on free pages.
            cursor.execute("PRAGMA secure_delete=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")
