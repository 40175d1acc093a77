"""The envelope of the files that travel between a county and an inspector's laptop.

A field package (county → laptop) and a results file (laptop → county) are zip files holding a
``manifest.json`` that names the format, its version and the SHA-256 of every other file in the zip.
A results file also holds ``signature.txt``: an HMAC-SHA256 of the manifest under the secret the
county put in the package it came from, so a results file edited by hand, cut short, or made for
another county's package is refused. The format is described in docs/field-packages.md; bump
``FORMAT_VERSION`` when it changes, and keep reading the older version.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from desktop.errors import TuoyuError

PACKAGE_FORMAT = "tuoyu-field-package"
RESULTS_FORMAT = "tuoyu-field-results"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "signature.txt"

_WHAT = {PACKAGE_FORMAT: "检查任务包", RESULTS_FORMAT: "检查结果文件"}


class BundleRefused(TuoyuError):
    """A package or results file that must not be loaded; nothing was changed."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sign(secret_hex: str, manifest_bytes: bytes) -> str:
    return hmac.new(bytes.fromhex(secret_hex), manifest_bytes, hashlib.sha256).hexdigest()


def signature_matches(secret_hex: str, manifest_bytes: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret_hex, manifest_bytes), signature.strip())


def check_manifest(manifest: Any, expected_format: str, file_label: str) -> Mapping[str, Any]:
    """The manifest if it is one of ours, of the expected kind and a version this release reads."""
    what = _WHAT[expected_format]
    if not isinstance(manifest, dict) or manifest.get("format") not in _WHAT:
        raise BundleRefused(f"“{file_label}”不是托育监管的{what}，无法载入。请确认选择的文件。")
    if manifest["format"] != expected_format:
        actual = _WHAT[manifest["format"]]
        raise BundleRefused(f"“{file_label}”是{actual}，不是{what}。请选择{what}。")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise BundleRefused(f"“{file_label}”的格式版本无效，文件可能已损坏。请重新导出。")
    if version > FORMAT_VERSION:
        raise BundleRefused(
            f"“{file_label}”由更新版本的托育监管生成（格式版本 {version}），本机只能读取到版本 {FORMAT_VERSION}。"
            "请先升级本机的托育监管。"
        )
    files = manifest.get("files")
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise BundleRefused(f"“{file_label}”缺少文件清单，可能已损坏。请重新导出。")
    return manifest


def check_file(file_label: str, name: str, data: bytes | None, expected_sha256: str) -> bytes:
    """The bytes of one file of the bundle, refused if missing or not what the manifest says."""
    if data is None:
        raise BundleRefused(f"“{file_label}”不完整：缺少其中的“{name}”。请重新导出后再试。")
    if sha256_hex(data) != expected_sha256:
        raise BundleRefused(f"“{file_label}”中的“{name}”与清单不符：文件已被修改或损坏。请重新导出后再试。")
    return data
