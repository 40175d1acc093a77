"""A node's keys as files: the public-key file installations exchange, the private-key file each keeps, and the
fingerprint two people compare by reading it aloud.

Every installation (laptop, county, city) signs with an Ed25519 key and receives encrypted data with an X25519 key.
The **public-key file** carries the node's id, role, name and division code with both public keys; the
**fingerprint** is the SHA-256 of the canonical bytes of what the enrolment decision rests on (node id, role,
division code and both keys — the display name is left out, it is only a label), so a file swapped or edited on the
way shows a different fingerprint from the one on its owner's screen. The **private-key file** never leaves the
data folder. Both files are small UTF-8 JSON documents with a format name and version (docs/nodes-and-keys.md);
bump ``FORMAT_VERSION`` when one changes and keep reading the old one.

Pure: bytes in, bytes and values out. Generating keys (randomness) and files on disk are the services' part.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from desktop.domain.enums import NodeKind
from desktop.errors import TuoyuError

PUBLIC_KEY_FORMAT = "tuoyu-node-public-key"
PRIVATE_KEY_FORMAT = "tuoyu-node-private-key"
FORMAT_VERSION = 1
# A key file is a few hundred bytes; anything much larger is not one, and is not read whole into memory.
MAX_KEY_FILE_BYTES = 64 * 1024
KEY_BYTES = 32
NAME_MAX_LENGTH = 60
FINGERPRINT_GROUP = 4
FINGERPRINT_GROUPS_PER_LINE = 4
# Prefix of the fingerprinted bytes: a fingerprint of this scheme can never equal one of another scheme.
_FINGERPRINT_SCHEME = "tuoyu-node-fingerprint/1"
_DIVISION_CODE = re.compile(r"[0-9]{6}")
# Any fixed scalar: a Diffie-Hellman exchange with it fails exactly when the peer's point has a small order.
_PROBE_SCALAR = bytes([0x4B] * KEY_BYTES)


class KeyFileInvalid(TuoyuError):
    """A key file that cannot be used: not one of ours, a newer version, or damaged."""


@dataclass(frozen=True)
class NodePublicKeys:
    """What a public-key file says: who the node is and its two public keys (raw 32-byte forms)."""

    node_id: uuid.UUID
    role: NodeKind
    name: str
    division_code: str
    signing_key: bytes
    encryption_key: bytes
    created_at: datetime

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.node_id, self.role, self.division_code, self.signing_key, self.encryption_key)

    def signing_public_key(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(self.signing_key)

    def encryption_public_key(self) -> X25519PublicKey:
        return X25519PublicKey.from_public_bytes(self.encryption_key)


@dataclass(frozen=True)
class NodePrivateKeys:
    """What the private-key file holds: the node it belongs to and the two private keys (raw 32-byte forms)."""

    node_id: uuid.UUID
    signing_seed: bytes
    encryption_secret: bytes
    created_at: datetime

    def signing_key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.signing_seed)

    def encryption_key(self) -> X25519PrivateKey:
        return X25519PrivateKey.from_private_bytes(self.encryption_secret)

    def signing_public_bytes(self) -> bytes:
        return self.signing_key().public_key().public_bytes_raw()

    def encryption_public_bytes(self) -> bytes:
        return self.encryption_key().public_key().public_bytes_raw()


# --------------------------------------------------------------------------- fingerprints


def fingerprint_of(
    node_id: uuid.UUID, role: NodeKind, division_code: str, signing_key: bytes, encryption_key: bytes
) -> str:
    """64 upper-case hex characters: SHA-256 over one line per field, in a fixed order (docs/nodes-and-keys.md)."""
    canonical = "\n".join(
        [
            _FINGERPRINT_SCHEME,
            str(node_id),
            NodeKind(role).value,
            division_code,
            _b64(signing_key),
            _b64(encryption_key),
            "",
        ]
    )
    return hashlib.sha256(canonical.encode("ascii")).hexdigest().upper()


def grouped_fingerprint(fingerprint: str) -> str:
    """“3F2A 91C0 …”: groups of four a person can read aloud and compare."""
    return " ".join(_groups(fingerprint))


def fingerprint_lines(fingerprint: str) -> list[str]:
    """The grouped fingerprint as four lines of four groups, as the screens and the printed sheet show it."""
    groups = _groups(fingerprint)
    step = FINGERPRINT_GROUPS_PER_LINE
    return [" ".join(groups[i : i + step]) for i in range(0, len(groups), step)]


def normalized_fingerprint(text: str) -> str:
    """A fingerprint as typed or pasted (spaces, dashes, lower case) in its stored form."""
    return re.sub(r"[\s\-:]", "", text).upper()


def _groups(fingerprint: str) -> list[str]:
    return [fingerprint[i : i + FINGERPRINT_GROUP] for i in range(0, len(fingerprint), FINGERPRINT_GROUP)]


# --------------------------------------------------------------------------- identity checks


def is_division_code(code: str) -> bool:
    return bool(_DIVISION_CODE.fullmatch(code))


def clean_node_name(name: str) -> str:
    """The name as stored: trimmed; refused when empty, too long, or holding line breaks or control characters."""
    cleaned = name.strip()
    if not cleaned:
        raise TuoyuError("请填写节点名称，如“甘州区卫生健康局”或“张三的检查笔记本”。")
    if len(cleaned) > NAME_MAX_LENGTH:
        raise TuoyuError(f"节点名称最多 {NAME_MAX_LENGTH} 个字（现为 {len(cleaned)} 个），请缩短。")
    if any(ord(character) < 32 or ord(character) == 127 for character in cleaned):
        raise TuoyuError("节点名称不能含换行或控制字符，请重新填写。")
    return cleaned


# --------------------------------------------------------------------------- public-key file


def public_key_file_bytes(keys: NodePublicKeys) -> bytes:
    document = {
        "format": PUBLIC_KEY_FORMAT,
        "format_version": FORMAT_VERSION,
        "node_id": str(keys.node_id),
        "role": keys.role.value,
        "name": keys.name,
        "division_code": keys.division_code,
        "signing_public_key": _b64(keys.signing_key),
        "encryption_public_key": _b64(keys.encryption_key),
        "created_at": _timestamp(keys.created_at),
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def parse_public_key_file(data: bytes, label: str) -> NodePublicKeys:
    """The public keys in a file's bytes; KeyFileInvalid with a Chinese message naming ``label`` otherwise."""
    what = "节点公钥文件"
    document = _document(data, label, what, PUBLIC_KEY_FORMAT)
    fields = _Fields(document, label, what)
    node_id = fields.node_id()
    role_text = fields.text("role")
    try:
        role = NodeKind(role_text)
    except ValueError:
        raise fields.damaged(f"节点角色“{role_text}”无效") from None
    try:
        name = clean_node_name(fields.text("name"))
    except TuoyuError as error:
        raise fields.damaged(f"节点名称无效（{error.message}）") from None
    division_code = fields.text("division_code")
    if not is_division_code(division_code):
        raise fields.damaged(f"行政区划代码“{division_code}”不是 6 位数字")
    signing_key = fields.key("signing_public_key", "签名公钥")
    encryption_key = fields.key("encryption_public_key", "加密公钥")
    try:
        Ed25519PublicKey.from_public_bytes(signing_key)
        X25519PrivateKey.from_private_bytes(_PROBE_SCALAR).exchange(X25519PublicKey.from_public_bytes(encryption_key))
    except ValueError:
        raise fields.damaged("公钥不是有效的密钥") from None
    return NodePublicKeys(node_id, role, name, division_code, signing_key, encryption_key, fields.timestamp())


# --------------------------------------------------------------------------- private-key file


def private_key_file_bytes(keys: NodePrivateKeys) -> bytes:
    document = {
        "format": PRIVATE_KEY_FORMAT,
        "format_version": FORMAT_VERSION,
        "warning": "本机私钥：不要复制、发送或打印此文件。交换请用“导出公钥文件”。",
        "node_id": str(keys.node_id),
        "signing_private_key": _b64(keys.signing_seed),
        "encryption_private_key": _b64(keys.encryption_secret),
        "created_at": _timestamp(keys.created_at),
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def parse_private_key_file(data: bytes, label: str) -> NodePrivateKeys:
    """The private keys in a file's bytes; KeyFileInvalid (what is wrong, not what to do) otherwise."""
    what = "本机私钥文件"
    document = _document(data, label, what, PRIVATE_KEY_FORMAT)
    fields = _Fields(document, label, what)
    node_id = fields.node_id()
    signing_seed = fields.key("signing_private_key", "签名私钥")
    encryption_secret = fields.key("encryption_private_key", "加密私钥")
    return NodePrivateKeys(node_id, signing_seed, encryption_secret, fields.timestamp())


# --------------------------------------------------------------------------- reading helpers


def _document(data: bytes, label: str, what: str, expected_format: str) -> dict[str, Any]:
    if len(data) > MAX_KEY_FILE_BYTES:
        raise KeyFileInvalid(f"“{label}”有 {len(data)} 字节，不是{what}（{what}只有几百字节）。请确认选择的文件。")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise KeyFileInvalid(f"“{label}”不是{what}：内容不是 JSON 文本，文件已损坏或不是这种文件。") from None
    if not isinstance(document, dict) or document.get("format") not in (PUBLIC_KEY_FORMAT, PRIVATE_KEY_FORMAT):
        raise KeyFileInvalid(f"“{label}”不是托育监管的{what}。请确认选择的文件。")
    if document["format"] != expected_format:
        other = "节点公钥文件" if document["format"] == PUBLIC_KEY_FORMAT else "私钥文件"
        raise KeyFileInvalid(f"“{label}”是{other}，不是{what}。请选择{what}。")
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise KeyFileInvalid(f"“{label}”的格式版本无效，{what}可能已损坏。")
    if version > FORMAT_VERSION:
        raise KeyFileInvalid(
            f"“{label}”由更新版本的托育监管生成（格式版本 {version}），本机只能读取到版本 {FORMAT_VERSION}。"
            "请先升级本机的托育监管。"
        )
    return document


class _Fields:
    """Typed reads of a key file's fields, each failure a KeyFileInvalid naming the file and the field."""

    def __init__(self, document: dict[str, Any], label: str, what: str) -> None:
        self._document, self._label, self._what = document, label, what

    def damaged(self, problem: str) -> KeyFileInvalid:
        return KeyFileInvalid(f"“{self._label}”不是有效的{self._what}：{problem}。文件可能已损坏或被改动。")

    def text(self, key: str) -> str:
        value = self._document.get(key)
        if not isinstance(value, str):
            raise self.damaged(f"缺少“{key}”")
        return value

    def node_id(self) -> uuid.UUID:
        text = self.text("node_id")
        try:
            return uuid.UUID(text)
        except ValueError:
            raise self.damaged(f"节点编号“{text[:40]}”无效") from None

    def key(self, key: str, label: str) -> bytes:
        text = self.text(key)
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise self.damaged(f"{label}不是有效的 Base64 文本") from None
        if len(raw) != KEY_BYTES:
            raise self.damaged(f"{label}应为 {KEY_BYTES} 字节，实为 {len(raw)} 字节")
        return raw

    def timestamp(self) -> datetime:
        text = self.text("created_at")
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise self.damaged(f"生成时间“{text[:40]}”无效") from None
        if value.tzinfo is None:
            raise self.damaged("生成时间缺少时区")
        return value.astimezone(UTC)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _timestamp(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime: key files carry UTC timestamps")
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
