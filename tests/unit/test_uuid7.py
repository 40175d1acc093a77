from __future__ import annotations

import uuid

from desktop.models.uuid7 import uuid7, uuid7_from, uuid7_hex_batch


def test_ids_are_version_7_rfc_variant_and_ordered_by_time():
    first = uuid7_from(1_700_000_000_000, (1 << 74) - 1)
    second = uuid7_from(1_700_000_000_001, 0)
    assert first.version == second.version == 7
    assert first.variant == "specified in RFC 4122"
    assert first < second


def test_fresh_ids_are_unique():
    assert len({uuid7() for _ in range(10_000)}) == 10_000


def test_the_hex_batch_is_version_7_in_sqlites_text_form_and_unique():
    ids = uuid7_hex_batch(10_000)
    assert len(set(ids)) == 10_000
    parsed = [uuid.UUID(value) for value in ids[:100]]
    assert all(len(value) == 32 and u.hex == value for value, u in zip(ids, parsed, strict=False))
    assert {u.version for u in parsed} == {7} and {u.variant for u in parsed} == {uuid.RFC_4122}
