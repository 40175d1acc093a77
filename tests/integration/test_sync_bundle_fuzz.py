"""Fuzzed mutations of a valid sync bundle: none is accepted unless byte-identical, none raises anything else.

Random byte flips, truncations, insertions and deletions, one to four at a time, half of them aimed
at the last few hundred bytes where the headers and directory are. Every byte of a bundle is either
under the signature (manifest, and through it each member's SHA-256) or fixed by the layout, so
any change must be refused — and with SyncBundleRefused, never another exception.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain.sync_bundle import SyncBundleRefused
from tests.integration.sync_bundles import PERSONAL_ROWS, Parties, open_as, write_valid

PARTIES = Parties()
with tempfile.TemporaryDirectory() as _folder:
    _path = Path(_folder) / "valid.tuoyu-sync"
    write_valid(_path, PARTIES)
    ORIGINAL = _path.read_bytes()
SIZE = len(ORIGINAL)

position = st.one_of(st.integers(0, SIZE - 1), st.integers(max(SIZE - 600, 0), SIZE - 1))
mutation = st.one_of(
    st.tuples(st.just("flip"), position, st.integers(1, 255)),
    st.tuples(st.just("truncate"), position, st.just(0)),
    st.tuples(st.just("insert"), position, st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("delete"), position, st.integers(1, 8)),
    st.tuples(st.just("overwrite"), position, st.binary(min_size=1, max_size=8)),
)


def mutate(data: bytes, mutations) -> bytes:
    result = bytearray(data)
    for kind, at, argument in mutations:
        at = min(at, max(len(result) - 1, 0))
        if kind == "flip" and result:
            result[at] ^= argument
        elif kind == "truncate":
            del result[at:]
        elif kind == "insert":
            result[at:at] = argument
        elif kind == "delete":
            del result[at : at + argument]
        elif kind == "overwrite":
            result[at : at + len(argument)] = argument
    return bytes(result)


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def test_the_original_is_accepted(folder):
    path = folder / "original.tuoyu-sync"
    path.write_bytes(ORIGINAL)
    assert open_as(path, PARTIES).members["rows/children.json"] == PERSONAL_ROWS


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations=st.lists(mutation, min_size=1, max_size=4))
def test_no_mutation_is_accepted_unless_it_changed_nothing(folder, mutations):
    data = mutate(ORIGINAL, mutations)
    path = folder / "mutated.tuoyu-sync"
    path.write_bytes(data)
    if data == ORIGINAL:
        assert open_as(path, PARTIES).members["rows/children.json"] == PERSONAL_ROWS
        return
    with pytest.raises(SyncBundleRefused):
        open_as(path, PARTIES)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2048))
def test_arbitrary_bytes_are_refused(folder, data):
    path = folder / "random.tuoyu-sync"
    path.write_bytes(data)
    with pytest.raises(SyncBundleRefused):
        open_as(path, PARTIES)
