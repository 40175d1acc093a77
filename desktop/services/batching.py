"""Splitting long lists for SQL: ``IN (…)`` lists and bulk inserts stay well under driver limits."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

T = TypeVar("T")


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


IN_LIST_SIZE = 500


def existing_ids(session: Session, table: Table | Any, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Which of ``ids`` the table already holds, asked in bounded ``IN`` lists."""
    found: set[uuid.UUID] = set()
    for chunk in chunks(list(ids), IN_LIST_SIZE):
        found.update(session.scalars(select(table.c.id).where(table.c.id.in_(chunk))))
    return found
