"""Key files and fingerprints: what two people compare must never drift, and a bad file is named for what is wrong."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from desktop.domain.enums import NodeKind
from desktop.domain.node_keys import (
    FORMAT_VERSION,
    MAX_KEY_FILE_BYTES,
    KeyFileInvalid,
    NodePrivateKeys,
    NodePublicKeys,
    clean_node_name,
    fingerprint_lines,
    grouped_fingerprint,
    normalized_fingerprint,
    parse_private_key_file,
    parse_public_key_file,
    private_key_file_bytes,
    public_key_file_bytes,
)
from desktop.errors import TuoyuError

NODE = uuid.UUID("01900000-0000-7000-8000-000000000001")
SIGNING_SEED = bytes(range(32))
ENCRYPTION_SECRET = bytes(range(32, 64))
SIGNING_PUBLIC = Ed25519PrivateKey.from_private_bytes(SIGNING_SEED).public_key().public_bytes_raw()
ENCRYPTION_PUBLIC = X25519PrivateKey.from_private_bytes(ENCRYPTION_SECRET).public_key().public_bytes_raw()
CREATED = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
KEYS = NodePublicKeys(NODE, NodeKind.COUNTY, "甘州区卫生健康局", "620702", SIGNING_PUBLIC, ENCRYPTION_PUBLIC, CREATED)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _public_document(**changes) -> bytes:
    document = json.loads(public_key_file_bytes(KEYS))
    document.update(changes)
    return json.dumps(document, ensure_ascii=False).encode()


def test_the_fingerprint_is_sha256_of_the_documented_lines_and_never_drifts():
    # docs/nodes-and-keys.md: these lines, in this order, each ending in a newline.
    lines = ["tuoyu-node-fingerprint/1", str(NODE), "county", "620702", _b64(SIGNING_PUBLIC), _b64(ENCRYPTION_PUBLIC)]
    expected = hashlib.sha256("".join(f"{line}\n" for line in lines).encode()).hexdigest().upper()
    assert KEYS.fingerprint == expected
    # Pinned: an installation's fingerprint must read the same after any upgrade.
    assert KEYS.fingerprint == "996A42562982548041ADF26E4DBB82ED9B39011EB3147BAD6F7722A1E2777596"


def test_the_fingerprint_covers_what_enrolment_rests_on_but_not_the_display_name():
    assert replace(KEYS, name="另一个名称").fingerprint == KEYS.fingerprint
    assert replace(KEYS, created_at=datetime(2030, 1, 1, tzinfo=UTC)).fingerprint == KEYS.fingerprint
    changed = [
        replace(KEYS, node_id=uuid.UUID(int=NODE.int + 1)),
        replace(KEYS, role=NodeKind.CITY),
        replace(KEYS, division_code="620723"),
        replace(KEYS, signing_key=ENCRYPTION_PUBLIC),
        replace(KEYS, encryption_key=SIGNING_PUBLIC),
    ]
    assert len({KEYS.fingerprint, *(keys.fingerprint for keys in changed)}) == 6


def test_the_fingerprint_is_shown_in_groups_of_four_upper_case_characters_four_groups_a_line():
    grouped = grouped_fingerprint(KEYS.fingerprint)
    assert grouped.startswith("996A 4256 2982 5480 ")
    assert len(grouped.split(" ")) == 16 and all(len(group) == 4 for group in grouped.split(" "))
    assert fingerprint_lines(KEYS.fingerprint) == [
        "996A 4256 2982 5480",
        "41AD F26E 4DBB 82ED",
        "9B39 011E B314 7BAD",
        "6F77 22A1 E277 7596",
    ]
    assert normalized_fingerprint(" 996a-4256 2982\n5480 ") == "996A425629825480"


def test_a_public_key_file_reads_back_as_written():
    data = public_key_file_bytes(KEYS)
    document = json.loads(data)
    assert document["format"] == "tuoyu-node-public-key" and document["format_version"] == FORMAT_VERSION
    assert document["created_at"] == "2026-11-23T06:00:00Z"
    assert "甘州区卫生健康局" in data.decode("utf-8")  # readable, not \u-escaped
    parsed = parse_public_key_file(data, "甘州区.tuoyu-pubkey")
    assert parsed == KEYS
    assert parsed.signing_public_key().public_bytes_raw() == SIGNING_PUBLIC
    assert parsed.encryption_public_key().public_bytes_raw() == ENCRYPTION_PUBLIC


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n", "不是节点公钥文件：内容不是 JSON 文本"),
        (b"{not json", "不是节点公钥文件：内容不是 JSON 文本"),
        (b"[1, 2]", "不是托育监管的节点公钥文件"),
        (json.dumps({"format": "tuoyu-field-package"}).encode(), "不是托育监管的节点公钥文件"),
        (_public_document(format="tuoyu-node-private-key"), "是私钥文件，不是节点公钥文件"),
        (_public_document(format_version="1"), "格式版本无效"),
        (_public_document(format_version=True), "格式版本无效"),
        (_public_document(format_version=FORMAT_VERSION + 1), "请先升级本机的托育监管"),
        (_public_document(node_id="甘州区"), "节点编号“甘州区”无效"),
        (_public_document(role="province"), "节点角色“province”无效"),
        (_public_document(name=""), "节点名称无效"),
        (_public_document(name="甲\n乙"), "节点名称无效"),
        (_public_document(division_code="62070"), "不是 6 位数字"),
        (_public_document(signing_public_key=None), "缺少“signing_public_key”"),
        (_public_document(signing_public_key="这不是Base64!"), "签名公钥不是有效的 Base64 文本"),
        (_public_document(signing_public_key=_b64(SIGNING_PUBLIC)[:-4]), "签名公钥应为 32 字节，实为 30 字节"),
        (_public_document(encryption_public_key=_b64(ENCRYPTION_PUBLIC + b"\0")), "加密公钥应为 32 字节，实为 33 字节"),
        # A point of small order would give every sender the same shared secret: no key at all.
        (_public_document(encryption_public_key=_b64(bytes(32))), "公钥不是有效的密钥"),
        (_public_document(created_at="昨天"), "生成时间“昨天”无效"),
        (_public_document(created_at="2026-11-23T06:00:00"), "生成时间缺少时区"),
        (b" " * (MAX_KEY_FILE_BYTES + 1), "不是节点公钥文件（节点公钥文件只有几百字节）"),
    ],
)
def test_a_public_key_file_that_cannot_be_used_is_refused_naming_the_file_and_the_problem(data, message):
    with pytest.raises(KeyFileInvalid, match=message) as refused:
        parse_public_key_file(data, "对方.tuoyu-pubkey")
    assert "“对方.tuoyu-pubkey”" in refused.value.message


def test_a_private_key_file_reads_back_and_its_keys_match_the_public_ones():
    private = NodePrivateKeys(NODE, SIGNING_SEED, ENCRYPTION_SECRET, CREATED)
    data = private_key_file_bytes(private)
    assert json.loads(data)["format"] == "tuoyu-node-private-key"
    parsed = parse_private_key_file(data, "node-private-key.json")
    assert parsed == private
    assert parsed.signing_public_bytes() == SIGNING_PUBLIC
    assert parsed.encryption_public_bytes() == ENCRYPTION_PUBLIC
    signature = parsed.signing_key().sign(b"manifest")
    KEYS.signing_public_key().verify(signature, b"manifest")  # raises if the pair does not match


def test_a_damaged_private_key_file_is_refused():
    written = private_key_file_bytes(NodePrivateKeys(NODE, SIGNING_SEED, ENCRYPTION_SECRET, CREATED))
    document = json.loads(written)
    document["signing_private_key"] = _b64(SIGNING_SEED[:16])
    with pytest.raises(KeyFileInvalid, match="签名私钥应为 32 字节，实为 16 字节"):
        parse_private_key_file(json.dumps(document).encode(), "node-private-key.json")
    with pytest.raises(KeyFileInvalid, match="是节点公钥文件，不是本机私钥文件"):
        parse_private_key_file(public_key_file_bytes(KEYS), "node-private-key.json")
    with pytest.raises(KeyFileInvalid, match="内容不是 JSON 文本"):
        parse_private_key_file(written[:40], "node-private-key.json")


@pytest.mark.parametrize(
    ("name", "message"),
    [("  ", "请填写节点名称"), ("名" * 61, "最多 60 个字"), ("甲\t乙", "不能含换行或控制字符")],
)
def test_a_node_name_must_be_something_a_person_can_read_on_one_line(name, message):
    with pytest.raises(TuoyuError, match=message):
        clean_node_name(name)
    assert clean_node_name("  甘州区卫生健康局 ") == "甘州区卫生健康局"
