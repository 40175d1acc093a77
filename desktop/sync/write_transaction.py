"""An import's one write transaction: BEGIN IMMEDIATE on SQLite, SERIALIZABLE on PostgreSQL — where the whole
import runs again from the start, a bounded number of times, when the server reports a serialization failure or a
deadlock (SQLSTATE 40001, 40P01; reliability-anchors E3). Any other refusal by the database undoes everything and
becomes the import's ``database_refused``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Connection, exc

from desktop.errors import TuoyuError
from desktop.services.startup import AppContext
from desktop.sync.refusals import NOTHING_CHANGED, ContentRefusal, SyncContentRefused

SERIALIZATION_FAILURES = ("40001", "40P01")
MAX_ATTEMPTS = 5

T = TypeVar("T")


def in_write_transaction(ctx: AppContext, work: Callable[[Connection], T], *, rollback: bool = False) -> T:
    """Run ``work`` in one write transaction; on PostgreSQL again from the start after a serialization failure."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            with ctx.db.engine.connect() as connection:
                if ctx.db.is_sqlite:
                    connection = connection.execution_options(sqlite_begin="IMMEDIATE")
                else:
                    connection = connection.execution_options(isolation_level="SERIALIZABLE")
                transaction = connection.begin()
                try:
                    result = work(connection)
                    if rollback:
                        transaction.rollback()
                    else:
                        transaction.commit()
                    return result
                except BaseException:
                    transaction.rollback()
                    raise
        except exc.DBAPIError as error:
            if getattr(error.orig, "sqlstate", None) in SERIALIZATION_FAILURES and attempt < MAX_ATTEMPTS:
                continue
            if isinstance(error, exc.OperationalError) and "locked" in str(error.orig):
                raise TuoyuError("数据库正被另一项操作占用，本次导入没有写入任何内容。请稍后再试。") from error
            raise SyncContentRefused(
                ContentRefusal.DATABASE_REFUSED,
                f"数据库拒绝了同步包中的修改（{_first_line(error.orig)}）。{NOTHING_CHANGED}"
                "请把这个同步包和本提示交给技术支持。",
            ) from error
    raise AssertionError("unreachable")


def _first_line(error: BaseException | None) -> str:
    text = str(error or "").strip()
    return text.splitlines()[0][:200] if text else type(error).__name__
