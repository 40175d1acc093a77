"""Reading and writing the zip files of desktop.domain.field_bundles: all of a file or none of it.

Writing goes through a temporary file that replaces the target only when complete. Reading checks
the manifest first, then each file against its SHA-256 (and, for a signed file, the signature)
before anything is handed on, so a damaged or edited file is refused before the database is touched.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.domain.field_bundles import (
    FORMAT_VERSION,
    MANIFEST,
    SIGNATURE,
    BundleRefused,
    check_file,
    check_manifest,
    sha256_hex,
    sign,
    signature_matches,
)
from desktop.files import atomic_target, check_target

# Far above any real package (photos are limited to 20 MB each), far below what would exhaust a laptop.
MAX_UNPACKED_BYTES = 4 * 1024**3
_ALREADY_COMPRESSED = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".bin")


def write_bundle(
    path: Path,
    bundle_format: str,
    header: Mapping[str, Any],
    files: Mapping[str, bytes],
    *,
    secret_hex: str | None = None,
) -> str:
    """Write the zip; return the SHA-256 of the whole file."""
    path = Path(path)
    check_target(path)
    manifest = {
        "format": bundle_format,
        "format_version": FORMAT_VERSION,
        **header,
        "files": {name: sha256_hex(data) for name, data in files.items()},
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    with atomic_target(path) as temporary:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MANIFEST, manifest_bytes)
            if secret_hex is not None:
                archive.writestr(SIGNATURE, sign(secret_hex, manifest_bytes))
            for name, data in files.items():
                stored = name.lower().endswith(_ALREADY_COMPRESSED)
                archive.writestr(name, data, compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
        whole = temporary.read_bytes()
    return sha256_hex(whole)


@dataclass(frozen=True)
class OpenedBundle:
    label: str
    manifest: Mapping[str, Any]
    manifest_bytes: bytes
    signature: str | None
    whole_sha256: str
    _contents: Mapping[str, bytes]

    def file(self, name: str) -> bytes:
        """A file the manifest lists, checked against its SHA-256."""
        expected = self.manifest["files"].get(name)
        if expected is None:
            raise BundleRefused(f"“{self.label}”的清单中没有“{name}”，文件可能已损坏。请重新导出。")
        return check_file(self.label, name, self._contents.get(name), expected)

    def json(self, name: str) -> Any:
        try:
            return json.loads(self.file(name).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise BundleRefused(f"“{self.label}”中的“{name}”无法读取，文件可能已损坏。请重新导出。") from error

    def verify_signature(self, secret_hex: str) -> None:
        if self.signature is None or not signature_matches(secret_hex, self.manifest_bytes, self.signature):
            raise BundleRefused(
                f"“{self.label}”的签名不符：文件在导出后被修改过，或不是为本县区导出的任务包生成的。"
                "没有导入任何内容。请让检查员在笔记本上重新导出检查结果。"
            )


def read_bundle(path: Path, bundle_format: str) -> OpenedBundle:
    path = Path(path)
    label = path.name
    try:
        whole = path.read_bytes()
    except FileNotFoundError as error:
        raise BundleRefused(f"找不到文件“{path}”。请确认文件位置。") from error
    except OSError as error:
        raise BundleRefused(f"无法读取文件“{path}”（{error.strerror or error}）。") from error
    try:
        with zipfile.ZipFile(io.BytesIO(whole)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise BundleRefused(f"“{label}”解压后过大，不是正常的任务包或结果文件。")
            contents = {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as error:
        raise BundleRefused(
            f"“{label}”已损坏或不是托育监管导出的文件（无法解压）。请重新复制或重新导出后再试。"
        ) from error
    manifest_bytes = contents.get(MANIFEST)
    if manifest_bytes is None:
        raise BundleRefused(f"“{label}”不是托育监管导出的文件（缺少清单）。请确认选择的文件。")
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BundleRefused(f"“{label}”的清单无法读取，文件可能已损坏。请重新导出。") from error
    check_manifest(manifest, bundle_format, label)
    signature = contents.get(SIGNATURE)
    return OpenedBundle(
        label,
        manifest,
        manifest_bytes,
        signature.decode("ascii", "replace") if signature is not None else None,
        sha256_hex(whole),
        contents,
    )
