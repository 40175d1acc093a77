"""The checks after the signature: addressee, sequence, expiry, members, limits, schema revision."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from desktop.domain.sync_bundle import (
    BundleHeader,
    BundleLimits,
    BundleManifest,
    ManifestMember,
    RefusalReason,
    SyncBundleRefused,
)
from desktop.domain.sync_bundle_checks import (
    SchemaRelation,
    check_addressed,
    check_limits,
    check_member_entries,
    check_member_hash,
    check_member_size,
    check_not_expired,
    check_schema,
    check_sequence,
)

CREATED = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)
TARGET = uuid.uuid4()
HEADER = BundleHeader(
    uuid.uuid4(), uuid.uuid4(), TARGET, 5, "0008_children_subsidies", CREATED, CREATED + timedelta(days=1)
)
MEMBERS = (
    ManifestMember("a.json", 100, "a" * 64, False, "application/json"),
    ManifestMember("b.json", 300, "b" * 64, False, "application/json"),
)
MANIFEST = BundleManifest(HEADER, MEMBERS, None)


def reason_of(call, *args) -> RefusalReason:
    with pytest.raises(SyncBundleRefused) as caught:
        call(*args)
    assert caught.value.manifest is MANIFEST  # the importer can say which bundle it was
    assert "没有导入任何内容" in caught.value.message
    return caught.value.reason


def test_a_bundle_for_another_node_is_refused():
    check_addressed(MANIFEST, TARGET, "b")
    assert reason_of(check_addressed, MANIFEST, uuid.uuid4(), "b") is RefusalReason.WRONG_TARGET


@pytest.mark.parametrize(("last", "reason"), [(None, None), (4, None), (1, None), (5, "replayed"), (6, "rolled_back")])
def test_sequence_numbers_only_move_forward(last, reason):
    if reason is None:
        check_sequence(MANIFEST, last, "b")
    else:
        assert reason_of(check_sequence, MANIFEST, last, "b") == reason


def test_a_bundle_expires_at_its_expiry_time_shown_in_beijing_time():
    check_not_expired(MANIFEST, HEADER.expires_at - timedelta(seconds=1), "b")
    with pytest.raises(SyncBundleRefused) as caught:
        check_not_expired(MANIFEST, HEADER.expires_at, "b")
    assert caught.value.reason is RefusalReason.EXPIRED
    assert "北京时间 2026年11月24日 09:30" in caught.value.message
    with pytest.raises(ValueError):
        check_not_expired(MANIFEST, datetime(2026, 11, 23), "b")


@pytest.mark.parametrize(
    ("entries", "reason"),
    [
        (["members/a.json", "members/b.json", "manifest.json", "manifest.sig"], None),
        (["members/a.json", "manifest.json", "manifest.sig"], RefusalReason.MEMBER_MISSING),
        (["members/a.json", "members/b.json", "members/c.json", "manifest.json", "manifest.sig"], "member_extra"),
        (["../evil", "members/a.json", "members/b.json", "manifest.json", "manifest.sig"], "member_extra"),
        (["members/a.json", "members/a.json", "members/b.json", "manifest.json", "manifest.sig"], "member_duplicated"),
    ],
)
def test_the_archive_holds_exactly_the_listed_members(entries, reason):
    if reason is None:
        check_member_entries(MANIFEST, entries, "b")
    else:
        assert reason_of(check_member_entries, MANIFEST, entries, "b") == reason


def test_member_sizes_and_hashes_must_match_the_manifest():
    check_member_size(MANIFEST, MEMBERS[0], 100, "b")
    assert reason_of(check_member_size, MANIFEST, MEMBERS[0], 101, "b") is RefusalReason.MEMBER_WRONG_SIZE
    check_member_hash(MANIFEST, MEMBERS[0], "a" * 64, "b")
    assert reason_of(check_member_hash, MANIFEST, MEMBERS[0], "c" * 64, "b") is RefusalReason.MEMBER_WRONG_HASH


@pytest.mark.parametrize(
    ("limits", "refused"),
    [
        (BundleLimits(members=2, member_bytes=300, total_bytes=400), False),
        (BundleLimits(members=1), True),
        (BundleLimits(member_bytes=299), True),
        (BundleLimits(total_bytes=399), True),
    ],
)
def test_limits(limits, refused):
    if refused:
        assert reason_of(check_limits, MANIFEST, limits, "b") is RefusalReason.TOO_LARGE
    else:
        check_limits(MANIFEST, limits, "b")


def test_limits_must_fit_a_zip_without_zip64():
    with pytest.raises(ValueError):
        BundleLimits(total_bytes=4 * 1024**3)


@pytest.mark.parametrize(
    ("ours", "relation"),
    [
        ("0008_children_subsidies", SchemaRelation.SAME),
        ("0009_nodes", SchemaRelation.OLDER),
        ("0012_later", SchemaRelation.OLDER),
        ("0007_evidence_field_packages", None),
        ("0008_something_else", None),
    ],
)
def test_an_older_schema_is_reported_and_a_newer_or_unknown_one_refused(ours, relation):
    if relation is None:
        assert reason_of(check_schema, MANIFEST, ours, "b") is RefusalReason.NEWER_SCHEMA
    else:
        assert check_schema(MANIFEST, ours, "b") is relation
