from __future__ import annotations

from desktop.models.uuid7 import uuid7, uuid7_from


def test_ids_are_version_7_rfc_variant_and_ordered_by_time():
    first = uuid7_from(1_700_000_000_000, (1 << 74) - 1)
    second = uuid7_from(1_700_000_000_001, 0)
    assert first.version == second.version == 7
    assert first.variant == "specified in RFC 4122"
    assert first < second


def test_fresh_ids_are_unique():
    assert len({uuid7() for _ in range(10_000)}) == 10_000
