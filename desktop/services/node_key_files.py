"""The key files on disk: this installation's private keys in its data folder, and public-key files people carry.

The private-key file lives in ``<data folder>/keys/`` — beside the database, never inside it, so that database
backups and bundles cannot carry it. It is written whole or not at all (``atomic_target``) and readable by its
owner only: on POSIX the folder is 0700 and the file 0600 (a looser file found on reading is tightened). On Windows
``chmod`` cannot express that; the file relies on the per-user data folder (%LOCALAPPDATA%), whose inherited
permissions admit only the user, SYSTEM and Administrators — a --data-dir elsewhere must be protected likewise
(docs/nodes-and-keys.md).
"""

from __future__ import annotations

import os
import stat
import uuid
from pathlib import Path

from desktop.db.database import Database
from desktop.domain.node_keys import (
    MAX_KEY_FILE_BYTES,
    KeyFileInvalid,
    NodePrivateKeys,
    NodePublicKeys,
    parse_private_key_file,
    parse_public_key_file,
    private_key_file_bytes,
    public_key_file_bytes,
)
from desktop.errors import TuoyuError
from desktop.files import atomic_target, check_target
from desktop.paths import keys_dir

PRIVATE_KEY_FILE_NAME = "node-private-key.json"
PUBLIC_KEY_SUFFIX = ".tuoyu-pubkey"
OWNER_ONLY_FILE = 0o600
OWNER_ONLY_FOLDER = 0o700
POSIX = os.name == "posix"

INIT_HINT = (
    "tuoyu node init --role laptop|county|city --name 名称 [--county-code 县区代码]，"
    "或在“文件 → 本机与已登记节点”中初始化"
)
RE_ENROL_HINT = "再把新的公钥文件交给已登记本机的县区或市级，请对方核对指纹、移除旧登记后重新登记"


class PrivateKeysMissing(TuoyuError):
    """This installation has no private-key file (never initialised, or the file was lost)."""


def private_key_path(db: Database) -> Path:
    """Where this installation's private keys are kept; refused for a server database without a data folder."""
    if db.data_dir is None:
        raise TuoyuError(
            "使用服务器数据库（--db）时，本机的节点密钥保存在本机的数据目录中，不放进数据库。"
            "请用 --data-dir 指定本机的数据目录（负责同步的那台电脑上的同一个目录）。"
        )
    return keys_dir(db.data_dir) / PRIVATE_KEY_FILE_NAME


def write_private_keys(path: Path, keys: NodePrivateKeys) -> None:
    """Write the private-key file atomically, readable by its owner only."""
    folder = path.parent
    try:
        folder.mkdir(mode=OWNER_ONLY_FOLDER, parents=True, exist_ok=True)
        if POSIX:
            folder.chmod(OWNER_ONLY_FOLDER)
    except OSError as error:
        raise TuoyuError(
            f"无法创建密钥文件夹 {folder}（{error.strerror or error}）。请检查数据目录的写入权限后重试。"
        ) from error
    with atomic_target(path) as temporary:
        if POSIX:
            temporary.chmod(OWNER_ONLY_FILE)  # before the secret is in it
        temporary.write_bytes(private_key_file_bytes(keys))


def read_private_keys(path: Path, node_id: uuid.UUID) -> NodePrivateKeys:
    """This installation's private keys; a Chinese message saying what to do when they are missing or unusable."""
    try:
        data = _read_small(path)
    except FileNotFoundError:
        raise PrivateKeysMissing(
            f"本机还没有节点密钥（找不到 {path}）。请先初始化本机节点：{INIT_HINT}。"
            f"如果本机原来有密钥而文件丢失了：初始化会生成新密钥，{RE_ENROL_HINT}。"
        ) from None
    except OSError as error:
        raise TuoyuError(
            f"无法读取本机私钥文件 {path}（{error.strerror or error}）。请检查该文件的权限是否属于当前用户。"
        ) from error
    try:
        keys = parse_private_key_file(data, str(path))
    except KeyFileInvalid as error:
        raise TuoyuError(
            f"本机私钥文件已损坏，无法使用：{error.message}如果另行保存过数据目录中 keys 文件夹的副本，把其中的 "
            f"{PRIVATE_KEY_FILE_NAME} 放回 {path.parent} 即可。否则私钥无法恢复：请加 --replace-keys 重新初始化本机节点"
            f"（或在“文件 → 本机与已登记节点”中重新初始化）生成新密钥，{RE_ENROL_HINT}。"
        ) from error
    if keys.node_id != node_id:
        raise TuoyuError(
            f"数据目录中的私钥属于节点 {keys.node_id}，而当前数据库是节点 {node_id}，两者不配套。"
            "可能换用了另一个数据库（--db），或恢复了另一台电脑的数据库。请使用与这份私钥配套的数据库；"
            f"确需让当前数据库使用新密钥时，请加 --replace-keys 重新初始化本机节点，{RE_ENROL_HINT}。"
        )
    _tighten(path)
    return keys


def read_public_key_file(path: Path) -> NodePublicKeys:
    """The public keys in a file a person chose; KeyFileInvalid or TuoyuError with a Chinese message otherwise."""
    try:
        data = _read_small(path)
    except FileNotFoundError:
        raise TuoyuError(f"找不到公钥文件“{path}”。请确认文件位置后重试。") from None
    except IsADirectoryError:
        raise TuoyuError(f"“{path}”是一个文件夹，不是公钥文件。请选择对方导出的 {PUBLIC_KEY_SUFFIX} 文件。") from None
    except OSError as error:
        raise TuoyuError(f"无法读取公钥文件“{path}”（{error.strerror or error}）。") from error
    return parse_public_key_file(data, path.name)


def write_public_key_file(path: Path, keys: NodePublicKeys) -> None:
    check_target(path)
    with atomic_target(path) as temporary:
        temporary.write_bytes(public_key_file_bytes(keys))


def _read_small(path: Path) -> bytes:
    """At most one byte more than a key file may hold: a huge file chosen by mistake is not read whole."""
    with Path(path).open("rb") as handle:
        return handle.read(MAX_KEY_FILE_BYTES + 1)


def _tighten(path: Path) -> None:
    """A private-key file others may read (copied in by hand, say) is made owner-only again."""
    if not POSIX:
        return
    try:
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            path.chmod(OWNER_ONLY_FILE)
    except OSError:
        pass  # not ours to change (another owner): reading still works, and init rewrote it 0600 anyway
