"""The three-way rule of an import, the winner of a conflict, and the content hash (desktop/domain/sync_merge.py,
sync_records.py): table-driven cases, and properties — any order of concurrent versions gives the same record
and the same set of kept versions."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.sync_merge import Candidate, Outcome, deletion, merged, plan_record, winner
from desktop.domain.sync_records import DELETED, content_hash


def version(text: str, at: str = "2026-11-23T01:00:00+00:00", node: str = "n") -> Candidate:
    row = {"id": "r", "name": text, "updated_at": at, "version": 3}
    return Candidate(content_hash(row), row, (node,))


V0, MINE, THEIRS = version("v0"), version("mine", "2026-11-23T02:00:00+00:00"), version("theirs")


def test_the_hash_ignores_bookkeeping_and_empty_values():
    row = {"id": "a", "name": "阳光", "slots": 40, "note": None, "version": 1, "updated_at": "x", "origin": "o"}
    same = {"id": "b", "name": "阳光", "slots": 40, "version": 9, "created_at": "y"}
    assert content_hash(row) == content_hash(same)
    assert content_hash(row) != content_hash({**row, "slots": 41})


@pytest.mark.parametrize(
    ("incoming", "bases", "local", "outcome", "written"),
    [
        (THEIRS, (None,), None, Outcome.CREATED, THEIRS),  # never shared, not here: created
        (deletion(), (V0.key,), None, Outcome.UNCHANGED, None),  # deleting what is not here
        (THEIRS, (V0.key,), None, Outcome.CONFLICT, THEIRS),  # deleted here, changed there: the edit wins
        (V0, (V0.key,), None, Outcome.UNCHANGED, None),  # deleted here, unchanged there: stays deleted
        (THEIRS, (None,), THEIRS, Outcome.UNCHANGED, None),  # the same content
        (V0, (V0.key,), MINE, Outcome.UNCHANGED, None),  # sender unchanged: ours is newer
        (THEIRS, (V0.key,), V0, Outcome.UPDATED, THEIRS),  # we unchanged: theirs applies
        (THEIRS, (None, V0.key), V0, Outcome.UPDATED, THEIRS),  # what we last heard from them counts as a base
        (deletion(), (V0.key,), V0, Outcome.DELETED, deletion()),
        (THEIRS, (V0.key,), MINE, Outcome.CONFLICT, None),  # both changed: mine is later, so it stays
        (MINE, (V0.key,), THEIRS, Outcome.CONFLICT, MINE),  # both changed: the later one becomes the record
        (THEIRS, (None,), MINE, Outcome.CONFLICT, None),  # never shared and different
    ],
)
def test_the_three_way_rule(incoming, bases, local, outcome, written):
    plan = plan_record(incoming, bases, local)
    assert plan.outcome is outcome
    assert (plan.write.key if plan.write else None) == (written.key if written else None)
    if outcome is Outcome.CONFLICT:
        assert {c.key for c in plan.conflict} == {incoming.key, local.key if local else DELETED}


def test_a_frozen_record_keeps_its_version_and_the_conflict_is_kept():
    plan = plan_record(THEIRS, (V0.key,), V0, frozen=True)
    assert plan.outcome is Outcome.CONFLICT and plan.write is None and plan.frozen
    assert {c.key for c in plan.conflict} == {V0.key, THEIRS.key}


def test_a_version_beats_a_deletion_then_the_later_edit_then_the_greater_hash():
    early, late = version("a", "2026-01-01T00:00:00+00:00"), version("b", "2026-02-01T00:00:00+00:00")
    assert winner([deletion(), early, late]) == late
    tied = [version("c", "2026-03-01T00:00:00+00:00"), version("d", "2026-03-01T00:00:00+00:00")]
    assert winner(tied).hash == max(c.hash for c in tied)


def test_merging_keeps_one_candidate_per_content_with_every_node_that_had_it():
    a1 = version("same", "2026-01-01T00:00:00+00:00", "laptop-a")
    a2 = version("same", "2026-01-02T00:00:00+00:00", "laptop-b")
    [only] = merged([a1], [a2])
    assert only.nodes == ("laptop-a", "laptop-b") and only.updated_at == "2026-01-02T00:00:00+00:00"


def _apply_in_order(start: Candidate, incoming: list[Candidate]) -> tuple[str | None, tuple[str, ...]]:
    """Import each of ``incoming`` (all edited from ``start``) in turn; the record and the conflict's versions."""
    local: Candidate | None = start
    conflict: tuple[Candidate, ...] | None = None
    for candidate in incoming:
        plan = plan_record(candidate, (start.key,), local, conflict)
        if plan.write is not None:
            local = None if plan.write.deleted else plan.write
        if plan.conflict is not None:
            conflict = plan.conflict
    return (local.key if local else None), tuple(c.key for c in conflict or ())


edits = st.lists(
    st.tuples(st.sampled_from(["a", "b", "c", "d", "v0"]), st.integers(min_value=0, max_value=5), st.booleans()),
    min_size=1,
    max_size=5,
)


@settings(max_examples=200, deadline=None)
@given(edits)
def test_concurrent_versions_in_any_order_give_the_same_record_and_the_same_conflict(raw):
    incoming = [
        deletion((f"n{i}",))
        if gone
        else V0
        if text == "v0"  # a node that has not changed the record sends it as it was shared
        else version(text, f"2026-11-2{day}T00:00:00+00:00", f"n{i}")
        for i, (text, day, gone) in enumerate(raw)
    ]
    results = {_apply_in_order(V0, list(order)) for order in itertools.permutations(incoming)}
    assert len(results) == 1
    _, kept = results.pop()
    distinct = {c.key for c in incoming} - {V0.key}
    if len(distinct) > 1:
        assert distinct <= set(kept)  # every divergent version is in the conflict, none lost
