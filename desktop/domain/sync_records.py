"""A record's content as sync compares it: the hash that says "the same" on every installation.

A record travels as its row in the shared JSON form (desktop/services/record_codec.py). Its content hash is the
SHA-256 of the canonical JSON of that row without the bookkeeping columns and without empty values:

- ``id``, ``created_at`` and ``origin`` never change for a record, except that a record matched by its natural
  key (a region by code, a checklist template by code and version) has ids and creation times of each
  installation's own — so they are left out, and equal regions hash equal everywhere.
- ``updated_at`` and ``version`` change with every save: two clerks who make the same correction on two
  machines have made the same content, and must not be told they are in conflict. ``version`` is also each
  installation's own optimistic-locking counter (it counts the changes made *there*).
- Empty (null) values are left out, so a column added by a later release with no value does not change the
  hash of every record that existed before it.

Keys are sorted and the JSON is compact UTF-8, so the hash does not depend on the engine (SQLite or PostgreSQL),
the order of columns or the Python version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

BOOKKEEPING = frozenset({"id", "created_at", "updated_at", "origin", "version"})
# The base of a record the peer has deleted, in a bundle and in a conflict's candidates.
DELETED = "deleted"


def canonical_content(row: Mapping[str, Any], keys: Sequence[str] | None = None) -> bytes:
    """The canonical JSON of a row's content. ``keys``: the content columns of its table, sorted (``content_keys``),
    which spares sorting each row's keys — the bytes are the same."""
    if keys is None:
        keys = content_keys(row)
    content = {key: value for key in keys if (value := row.get(key)) is not None}
    return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def content_keys(columns: Iterable[str]) -> list[str]:
    return sorted(key for key in columns if key not in BOOKKEEPING)


def content_hash(row: Mapping[str, Any], keys: Sequence[str] | None = None) -> str:
    """SHA-256 (64 lower-case hex digits) of the record's content; equal content, equal hash."""
    return hashlib.sha256(canonical_content(row, keys)).hexdigest()


def is_content_hash(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)
