"""Sessions for services: who is acting, on which installation, in one transaction.

Reads use ``read_session``; writes use ``write_session``, which commits on success and rolls back on
any error, and on SQLite takes the write lock up front (BEGIN IMMEDIATE) so two writers queue
instead of deadlocking. The audit log is written by ``desktop.db.session_events`` in the same
transaction as the change.
"""

from __future__ import annotations

import getpass
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from desktop.db.database import Database


@dataclass(frozen=True)
class Actor:
    """The person a service acts for. Until login arrives, the operating-system account."""

    username: str

    @classmethod
    def from_os(cls) -> Actor:
        try:
            return cls(getpass.getuser())
        except (KeyError, OSError):  # no passwd entry (containers) or no USERNAME
            return cls("unknown")


@contextmanager
def read_session(db: Database) -> Iterator[Session]:
    with db.session_factory() as session:
        yield session


@contextmanager
def read_connection(db: Database) -> Iterator[Connection]:
    """A Core connection for list queries: no ORM identity map, no objects, just rows."""
    with db.engine.connect() as connection:
        yield connection


@contextmanager
def write_session(db: Database, actor: Actor, node_id: uuid.UUID) -> Iterator[Session]:
    with db.session_factory() as session:
        session.info["actor"] = actor.username
        session.info["node_id"] = node_id
        if db.is_sqlite:
            # Procuring the connection begins the transaction, with the write lock taken at once.
            session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
