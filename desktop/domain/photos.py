"""Which files may become inspection photos: a real image the screen can show, of a sensible size.

Pure. The caller passes the file's name, its size (from ``stat``, before anything is read) and its
first bytes; the type is recognised from those bytes, never from the file name, because a renamed
PDF or an iPhone's ``.HEIC`` saved as ``.jpg`` must be caught before it becomes evidence nobody
can open.

Accepted are the formats phones, cameras and messaging apps in China produce and the bundled Qt
decodes: JPEG (almost every camera), PNG (screenshots), WebP (WeChat and browsers' "save image"),
BMP and GIF (old scanners, chat stickers). HEIC/HEIF (iPhone, and Huawei/Xiaomi "efficient"
mode) and AVIF are refused with a hint to export as JPEG: Qt cannot decode them without a
codec plugin that is not bundled. TIFF and camera RAW files are refused the same way.

The size limit is 20 MB per photo. A phone's full-resolution JPEG is 2–8 MB, a 50-megapixel
"high-resolution mode" shot 12–18 MB, so no photo straight from a phone or compact camera is
refused; a larger file is a video, a RAW file or a scan, and every stored photo travels in backups
and sync bundles, so it is better compressed before it is added.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.domain.problems import Problem, Severity

MAX_PHOTO_BYTES = 20 * 1024 * 1024
HEADER_BYTES = 32  # enough leading bytes for every signature below

ACCEPTED_LABELS = "JPEG、PNG（也支持 WebP、BMP、GIF）"
# File-dialog patterns, upper and lower case (the content decides, not the name). HEIC is listed so
# that an inspector who picks a whole folder from an iPhone is told how to export it, not left wondering.
FILE_PATTERNS = tuple(
    f"*.{ext}" for base in ("jpg", "jpeg", "png", "webp", "bmp", "gif", "heic", "heif") for ext in (base, base.upper())
)

_HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
_BMP_HEADER_SIZES = frozenset({12, 40, 52, 56, 64, 108, 124})  # BITMAPCOREHEADER … BITMAPV5HEADER


@dataclass(frozen=True, slots=True)
class PhotoCheck:
    """The verdict on a file: its media type when accepted, or the problem that refuses it."""

    media_type: str | None
    problem: Problem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def media_type_of(head: bytes) -> str | None:
    """The media type of an accepted image from its first bytes, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:2] == b"BM" and len(head) >= 18 and int.from_bytes(head[14:18], "little") in _BMP_HEADER_SIZES:
        return "image/bmp"
    return None


def megabytes(byte_size: int) -> str:
    """A size as a clerk reads it: "200 MB", "20 MB", "2.5 MB", "20.5 MB"."""
    value = byte_size / (1024 * 1024)
    return f"{value:.0f} MB" if value >= 100 or value == int(value) else f"{value:.1f} MB"


def check_photo_size(file_name: str, byte_size: int, *, limit: int = MAX_PHOTO_BYTES) -> Problem | None:
    """Refuse an empty or oversized file from its size alone, before anything is read."""
    if byte_size == 0:
        return _refusal("photo.empty", f"文件“{file_name}”是空的（0 字节），不能作为照片添加。请重新选择照片。")
    if byte_size > limit:
        return _refusal(
            "photo.too_large",
            f"照片“{file_name}”有 {megabytes(byte_size)}，超过每张 {megabytes(limit)} 的上限，不能添加。"
            "请用手机或电脑压缩（或缩小尺寸）后再添加。",
        )
    return None


def check_photo(file_name: str, byte_size: int, head: bytes, *, limit: int = MAX_PHOTO_BYTES) -> PhotoCheck:
    """Accept a file as a photo, or say in Chinese why not and what to do instead."""
    if (problem := check_photo_size(file_name, byte_size, limit=limit)) is not None:
        return PhotoCheck(None, problem)
    if (media_type := media_type_of(head)) is not None:
        return PhotoCheck(media_type, None)
    return PhotoCheck(None, _why_not(file_name, head))


def _why_not(file_name: str, head: bytes) -> Problem:
    brand = head[8:12] if head[4:8] == b"ftyp" else None
    if brand in _HEIF_BRANDS or brand in _AVIF_BRANDS:
        kind = "HEIC/HEIF" if brand in _HEIF_BRANDS else "AVIF"
        return _refusal(
            "photo.heic",
            f"照片“{file_name}”是 {kind} 格式（苹果、华为等手机的“高效”格式），本系统无法显示。"
            "请在手机或电脑上把它导出为 JPEG 后再添加（苹果手机可在“设置 → 相机 → 格式”中选择“兼容性最佳”）。",
        )
    if brand is not None:  # the same container holds MP4 and MOV videos
        return _refusal(
            "photo.video",
            f"文件“{file_name}”是视频，不是照片，不能添加。请从视频中截图，或选择 {ACCEPTED_LABELS} 格式的照片。",
        )
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return _refusal(
            "photo.tiff",
            f"照片“{file_name}”是 TIFF 或相机原始格式（RAW），本系统无法显示。请导出为 JPEG 后再添加。",
        )
    return _refusal(
        "photo.not_an_image",
        f"文件“{file_name}”不是图片，不能作为检查照片添加。请选择手机或相机拍摄的 {ACCEPTED_LABELS} 格式的照片。",
    )


def _refusal(code: str, message: str) -> Problem:
    return Problem(code, message, Severity.ERROR)
