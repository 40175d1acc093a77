"""The sync bundle manifest: one canonical form written, only well-formed manifests of our format read."""

from __future__ import annotations

import copy
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.sync_bundle import (
    FORMAT_VERSION,
    BundleHeader,
    BundleManifest,
    Encryption,
    ManifestMember,
    RefusalReason,
    SyncBundleRefused,
    revision_number,
    valid_member_name,
)
from desktop.domain.sync_bundle_manifest import canonical_json, manifest_bytes, manifest_document, parse_manifest

CREATED = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)
SOURCE = uuid.UUID("0190f0a0-0000-7000-8000-000000000001")
TARGET = uuid.UUID("0190f0a0-0000-7000-8000-000000000002")
HEADER = BundleHeader(
    bundle_id=uuid.UUID("0190f0a0-0000-7000-8000-0000000000aa"),
    source_node=SOURCE,
    target_node=TARGET,
    sequence=3,
    schema_revision="0008_children_subsidies",
    created_at=CREATED,
    expires_at=CREATED + timedelta(days=90),
)
MEMBERS = (
    ManifestMember("photos/a.jpg", 10, "a" * 64, False, "image/jpeg"),
    ManifestMember("rows/children.json", 40, "b" * 64, True, "application/json"),
)
ENCRYPTION = Encryption(bytes(range(32)), bytes(range(32, 64)))
MANIFEST = BundleManifest(HEADER, MEMBERS, ENCRYPTION)


def good_document() -> dict:
    return json.loads(manifest_bytes(MANIFEST))


def refusal(document: object) -> SyncBundleRefused:
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    with pytest.raises(SyncBundleRefused) as caught:
        parse_manifest(data, "b.tuoyu-sync")
    return caught.value


def test_a_manifest_reads_back_as_written():
    assert parse_manifest(manifest_bytes(MANIFEST), "b") == MANIFEST


def test_the_written_form_is_canonical_sorted_indented_json_with_utc_seconds():
    data = manifest_bytes(MANIFEST)
    assert data == canonical_json(json.loads(data))
    assert data.endswith(b"}\n")
    document = json.loads(data)
    assert list(document) == sorted(document)
    assert document["created_at"] == "2026-11-23T01:30:00Z"
    assert document["format"] == "tuoyu-sync-bundle"
    assert document["format_version"] == FORMAT_VERSION


def test_times_are_written_in_utc_whatever_zone_they_come_in():
    beijing = CREATED.astimezone(UTC).replace(tzinfo=None)
    header = BundleHeader(**{**HEADER.__dict__, "created_at": CREATED.astimezone(tz=None)})
    document = manifest_document(BundleManifest(header, (), None))
    assert document["created_at"] == f"{beijing:%Y-%m-%dT%H:%M:%S}Z"


def mutated(change) -> dict:
    document = copy.deepcopy(good_document())
    change(document)
    return document


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"", "不是有效的 JSON"),
        (b"\xff\xfe", "不是有效的 JSON"),
        (b"[" * 100_000, "不是有效的 JSON"),
        (b'{"sequence": 1' + b"0" * 5000 + b"}", "不是有效的 JSON"),
        ([], "没有同步包清单"),
        ({"format": "tuoyu-field-results", "format_version": 1}, "没有同步包清单"),
        (mutated(lambda d: d.update(format_version="1")), "格式版本无效"),
        (mutated(lambda d: d.update(format_version=True)), "格式版本无效"),
        (mutated(lambda d: d.update(format_version=0)), "格式版本无效"),
        (mutated(lambda d: d.pop("target_node")), "缺少字段 target_node"),
        (mutated(lambda d: d.update(note="x")), "未知字段 note"),
        (mutated(lambda d: d.update(source_node="not-a-uuid")), "source_node 不是有效的编号"),
        (mutated(lambda d: d.update(source_node=str(SOURCE).upper())), "source_node 不是有效的编号"),
        (mutated(lambda d: d.update(bundle_id=SOURCE.hex)), "bundle_id 不是有效的编号"),
        (mutated(lambda d: d.update(target_node=str(SOURCE))), "来源节点与目标节点相同"),
        (mutated(lambda d: d.update(sequence=0)), "序号"),
        (mutated(lambda d: d.update(sequence=1.0)), "序号"),
        (mutated(lambda d: d.update(sequence=True)), "序号"),
        (mutated(lambda d: d.update(sequence=2**53)), "序号"),
        (mutated(lambda d: d.update(schema_revision="head")), "数据库结构版本"),
        (mutated(lambda d: d.update(created_at="2026-11-23 01:30:00")), "created_at"),
        (mutated(lambda d: d.update(created_at="2026-11-23T01:30:00+08:00")), "created_at"),
        (mutated(lambda d: d.update(expires_at="2026-02-30T00:00:00Z")), "expires_at"),
        (mutated(lambda d: d.update(expires_at=d["created_at"])), "有效期"),
        (mutated(lambda d: d.update(members={})), "不是列表"),
        (mutated(lambda d: d["members"].reverse()), "未按名称排序或有重复"),
        (mutated(lambda d: d["members"].append(dict(d["members"][-1]))), "未按名称排序或有重复"),
        (mutated(lambda d: d["members"][0].pop("sha256")), "缺少字段 sha256"),
        (mutated(lambda d: d["members"][0].update(size=-1)), "大小无效"),
        (mutated(lambda d: d["members"][0].update(size="10")), "大小无效"),
        (mutated(lambda d: d["members"][0].update(sha256="A" * 64)), "SHA-256 无效"),
        (mutated(lambda d: d["members"][0].update(encrypted=1)), "加密标记无效"),
        (mutated(lambda d: d["members"][0].update(content_type="image/jpeg; q=1")), "内容类型无效"),
        (mutated(lambda d: d["members"][1].update(size=27)), "短于密文的最小长度"),
        (mutated(lambda d: d["members"][1].update(encrypted=False)), "加密信息与成员的加密标记不一致"),
        (mutated(lambda d: d.update(encryption=None)), "加密信息与成员的加密标记不一致"),
        (mutated(lambda d: d["encryption"].update(scheme="aes-128-cbc")), "不认识的加密方式"),
        (mutated(lambda d: d["encryption"].update(recipient_public_key="00" * 32)), "recipient_public_key 无效"),
        (mutated(lambda d: d["encryption"].update(recipient_public_key="A" * 42 + "B=")), "recipient_public_key 无效"),
        (b'{"format": "tuoyu-sync-bundle", "format": "tuoyu-sync-bundle"}', "“format”出现了两次"),
        (b'{"format": "tuoyu-sync-bundle", "format_version": NaN}', "非数字"),
    ],
)
def test_manifests_that_are_not_ours_are_refused_saying_why(document, message):
    refused = refusal(document)
    assert refused.reason is RefusalReason.NOT_A_BUNDLE
    assert message in refused.message
    assert "没有导入任何内容" in refused.message


@pytest.mark.parametrize(
    "name", ["../evil", "/etc/passwd", "a/../../b", "a\\b", "C:/x", "C:\\x", "a//b", ".hidden", ""]
)
def test_member_names_that_could_mean_a_path_elsewhere_are_refused(name):
    document = mutated(lambda d: d["members"][0].update(name=name))
    assert "成员名" in refusal(document).message


def test_a_newer_format_asks_for_an_upgrade():
    refused = refusal(mutated(lambda d: d.update(format_version=FORMAT_VERSION + 1, anything="new")))
    assert refused.reason is RefusalReason.NEWER_FORMAT
    assert "请先升级本机的托育监管" in refused.message


def test_text_from_the_file_is_made_printable_in_messages():
    document = mutated(lambda d: d.update({"\x1b[31mred" + "x" * 200: 1}))
    message = refusal(document).message
    assert "\x1b" not in message and "…" in message


def test_the_writer_refuses_to_write_what_its_reader_would_refuse():
    with pytest.raises(ValueError, match="would be refused"):
        manifest_bytes(BundleManifest(BundleHeader(**{**HEADER.__dict__, "sequence": 0}), (), None))
    with pytest.raises(ValueError, match="timezone-aware"):
        manifest_bytes(
            BundleManifest(BundleHeader(**{**HEADER.__dict__, "created_at": datetime(2026, 1, 1)}), (), None)
        )


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("rows/children.json", True),
        ("photos/" + "a" * 64 + ".jpg", True),
        ("a", True),
        ("x" * 160, True),
        ("x" * 161, False),
        ("rows/", False),
        ("rows/儿童.json", False),
        ("rows/a b.json", False),
        ("rows/..", False),
    ],
)
def test_member_names(name, valid):
    assert valid_member_name(name) is valid


@pytest.mark.parametrize(
    ("revision", "number"),
    [("0008_children_subsidies", 8), ("0123_x", 123), ("8_children", None), ("0008-children", None), (None, None)],
)
def test_schema_revisions_are_ordered_by_their_number(revision, number):
    assert revision_number(revision) == number


names = st.lists(
    st.from_regex(r"[a-z0-9]{1,8}(/[a-z0-9][a-z0-9._-]{0,11}){0,2}", fullmatch=True), unique=True, max_size=6
)


@given(
    names=names,
    sequence=st.integers(1, 2**53 - 1),
    encrypted=st.lists(st.booleans(), min_size=6, max_size=6),
    sizes=st.lists(st.integers(28, 2**40), min_size=6, max_size=6),
    lifetime=st.integers(1, 10**8),
)
def test_every_manifest_the_writer_can_make_reads_back_unchanged(names, sequence, encrypted, sizes, lifetime):
    members = tuple(
        ManifestMember(name, size, f"{index:064x}", secret, "application/json")
        for index, (name, secret, size) in enumerate(zip(sorted(names), encrypted, sizes, strict=False))
    )
    header = BundleHeader(**{**HEADER.__dict__, "sequence": sequence})
    header = BundleHeader(**{**header.__dict__, "expires_at": CREATED + timedelta(seconds=lifetime)})
    manifest = BundleManifest(header, members, ENCRYPTION if any(m.encrypted for m in members) else None)
    assert parse_manifest(manifest_bytes(manifest), "b") == manifest
