"""What an import does with one incoming record: the three-way rule, conflicts, and the winner (docs/sync.md).

Each incoming record comes with its content hash H and its bases B — the versions the sender and this node are
known to have shared: the sender's shadow of this node (sent in the bundle) and this node's shadow of the sender
(what the sender last sent or acknowledged; it makes a second bundle sent before the first one's receipt came back
an update, not a conflict). Beside it stands this node's version L, and any open conflict on the record. In order:

1. no local record: a deletion of it changes nothing; a record never shared is created; one the sender has not
   changed since they shared it stays deleted; otherwise it was deleted here and changed there — a conflict
   between the deletion and the edit;
2. H is a base: the sender has not changed it since they last shared, so this node's version is the newer one
   (or the same): unchanged;
3. an open conflict: a version it already holds changes nothing; a new one joins its candidates;
4. H equals L: unchanged (the copy of the later save is kept, so that equal edits saved at different times
   leave the same record whatever the order);
5. L is a base: this node has not changed it since, so the sender's version is applied (updated, or deleted);
6. otherwise both changed it: a conflict between L and H.

A conflict keeps every competing version (deduplicated by hash). The record's content becomes the candidate that
wins by a rule every installation applies alike — a version that exists beats a deletion, then the later
``updated_at``, then the greater hash — so the final database does not depend on the order bundles arrive in
(CouchDB's rule), while a person still sees the conflict and decides. A record that may not change here (a
finished inspection, an append-only record: ``frozen``) keeps its local version; the conflict is kept all the same.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, NamedTuple

from desktop.domain.sync_records import DELETED


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"


class Candidate(NamedTuple):
    """One version of a record: its content (None when deleted), hash, and where it was seen.

    A named tuple rather than a dataclass: an import makes one or two per record, hundreds of thousands."""

    hash: str | None
    row: Mapping[str, Any] | None
    # Nodes this version came from (this node's own id for the version it had), for a person to read.
    nodes: tuple[str, ...] = ()
    # True for the version this node had when the conflict was found ("mine").
    local: bool = False

    @property
    def deleted(self) -> bool:
        return self.hash is None

    @property
    def key(self) -> str:
        return self.hash if self.hash is not None else DELETED

    @property
    def updated_at(self) -> str | None:
        return None if self.row is None else self.row.get("updated_at")

    @property
    def version(self) -> int | None:
        return None if self.row is None else self.row.get("version")

    def as_json(self) -> dict[str, Any]:
        return {
            "hash": self.hash,
            "row": None if self.row is None else dict(self.row),
            "nodes": list(self.nodes),
            "local": self.local,
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Candidate:
        return cls(value["hash"], value["row"], tuple(value.get("nodes", ())), bool(value.get("local", False)))


def deletion(nodes: Iterable[str] = (), *, local: bool = False) -> Candidate:
    return Candidate(None, None, tuple(nodes), local)


def winner_order(candidate: Candidate) -> tuple[bool, datetime, str]:
    """The sort key of the winner rule: existing over deleted, then later ``updated_at``, then greater hash."""
    stamp = _moment(candidate.updated_at)
    return (not candidate.deleted, stamp, candidate.hash or "")


def winner(candidates: Iterable[Candidate]) -> Candidate:
    return max(candidates, key=winner_order)


def merged(*groups: Iterable[Candidate]) -> tuple[Candidate, ...]:
    """The union of candidate sets, one per content hash, sorted by hash (deletion first).

    Two copies of the same content keep the row of the later save (then the greater JSON), and the union of
    the nodes that had it, so merging is commutative and associative: any order gives the same set.
    """
    by_key: dict[str, Candidate] = {}
    for group in groups:
        for candidate in group:
            known = by_key.get(candidate.key)
            if known is None:
                by_key[candidate.key] = candidate
                continue
            row = max((known.row, candidate.row), key=_row_order)
            nodes = tuple(sorted(set(known.nodes) | set(candidate.nodes)))
            by_key[candidate.key] = Candidate(known.hash, row, nodes, known.local or candidate.local)
    return tuple(by_key[key] for key in sorted(by_key, key=lambda k: (k != DELETED, k)))


class RecordPlan(NamedTuple):
    """What to do with one record. ``write`` is the version the record becomes (None: leave it as it is)."""

    outcome: Outcome
    write: Candidate | None = None
    # The conflict's candidates after this record, when it is (or stays) in conflict.
    conflict: tuple[Candidate, ...] | None = None
    frozen: bool = False


def plan_record(
    incoming: Candidate,
    bases: Iterable[str | None],
    local: Candidate | None,
    open_conflict: tuple[Candidate, ...] | None = None,
    *,
    frozen: bool = False,
) -> RecordPlan:
    """The rule of this module's docstring, for one record. ``local`` None: this node has no such record."""
    shared = {base for base in bases if base is not None}
    if local is None:
        if incoming.deleted:
            return RecordPlan(Outcome.UNCHANGED)
        if not shared - {DELETED}:
            return RecordPlan(Outcome.CREATED, write=incoming)
        if incoming.key in shared:
            return RecordPlan(Outcome.UNCHANGED)
        return _conflict(merged(open_conflict or (), [deletion(local=True)], [incoming]), None, frozen=False)
    if incoming.key in shared:
        return RecordPlan(Outcome.UNCHANGED)
    if open_conflict:
        candidates = merged(open_conflict, [local], [incoming])
        if _contents(candidates) == _contents(open_conflict):
            return RecordPlan(Outcome.UNCHANGED)
        return _conflict(candidates, local, frozen=frozen)
    if incoming.key == local.key:
        # The same content saved at another time: the record keeps the copy of the later save, whichever arrives
        # first, so that the database does not depend on the order either.
        newer = not frozen and _row_order(incoming.row) > _row_order(local.row)
        return RecordPlan(Outcome.UNCHANGED, write=incoming if newer else None)
    if local.key in shared and not frozen:
        return RecordPlan(Outcome.DELETED if incoming.deleted else Outcome.UPDATED, write=incoming)
    return _conflict(merged([local._replace(local=True)], [incoming]), local, frozen=frozen)


def _contents(candidates: Iterable[Candidate]) -> set[tuple[str, str]]:
    return {(c.key, json.dumps(c.row, sort_keys=True, ensure_ascii=False, default=str)) for c in candidates}


def _conflict(candidates: tuple[Candidate, ...], local: Candidate | None, *, frozen: bool) -> RecordPlan:
    if frozen:
        return RecordPlan(Outcome.CONFLICT, write=None, conflict=candidates, frozen=True)
    best = winner(candidates)
    unchanged = local is not None and best.key == local.key
    return RecordPlan(Outcome.CONFLICT, write=None if unchanged else best, conflict=candidates)


def _moment(text: str | None) -> datetime:
    if not text:
        return datetime.min.replace(tzinfo=UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _row_order(row: Mapping[str, Any] | None) -> tuple[datetime, str]:
    if row is None:
        return (datetime.min.replace(tzinfo=UTC), "")
    return (_moment(row.get("updated_at")), json.dumps(row, sort_keys=True, ensure_ascii=False, default=str))
