"""Which files become inspection photos: recognised by their first bytes, refused in Chinese when not."""

from __future__ import annotations

import pytest

from desktop.domain.photos import MAX_PHOTO_BYTES, check_photo, check_photo_size, media_type_of, megabytes

MB = 1024 * 1024
BMP_HEAD = b"BM" + bytes(12) + (40).to_bytes(4, "little") + bytes(14)


@pytest.mark.parametrize(
    ("head", "media_type"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
        (b"\xff\xd8\xff\xe1\x2a\x4cExif\x00\x00", "image/jpeg"),  # straight from a phone, with EXIF
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        (b"RIFF\x24\x10\x00\x00WEBPVP8 ", "image/webp"),
        (b"GIF89a\x10\x00\x10\x00", "image/gif"),
        (b"GIF87a\x10\x00\x10\x00", "image/gif"),
        (BMP_HEAD, "image/bmp"),
        (b"BM" + bytes(30), None),  # "BM" alone (any text starting so) is not a bitmap
        (b"RIFF\x24\x10\x00\x00WAVEfmt ", None),  # a sound recording in the same container as WebP
        (b"%PDF-1.7\n", None),
        (b"PK\x03\x04", None),
        (b"", None),
        (b"\xff\xd8", None),  # too short to tell
    ],
)
def test_the_type_comes_from_the_first_bytes(head, media_type):
    assert media_type_of(head) == media_type


@pytest.mark.parametrize(
    ("name", "head", "code", "words"),
    [
        ("整改单.pdf", b"%PDF-1.7\n%\xe2\xe3", "photo.not_an_image", ["文件“整改单.pdf”不是图片", "JPEG、PNG"]),
        ("名单.xlsx", b"PK\x03\x04\x14\x00", "photo.not_an_image", ["不是图片"]),
        ("IMG_0001.HEIC", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "photo.heic", ["HEIC", "导出为 JPEG"]),
        ("IMG_0002.jpg", b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00", "photo.heic", ["IMG_0002.jpg", "导出为 JPEG"]),
        ("a.avif", b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00", "photo.heic", ["AVIF", "导出为 JPEG"]),
        ("VID_001.mp4", b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", "photo.video", ["是视频", "截图"]),
        ("IMG_1.MOV", b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00", "photo.video", ["是视频"]),
        ("DSC_1.NEF", b"MM\x00*\x00\x00\x00\x08", "photo.tiff", ["RAW", "导出为 JPEG"]),
        ("scan.tif", b"II*\x00\x08\x00\x00\x00", "photo.tiff", ["TIFF"]),
    ],
)
def test_files_that_are_not_photos_the_screen_can_show_are_refused_with_what_to_do(name, head, code, words):
    check = check_photo(name, 1000, head)
    assert not check.ok and check.media_type is None
    assert check.problem.code == code and check.problem.is_error
    for word in words:
        assert word in check.problem.message


@pytest.mark.parametrize(
    ("size", "code", "message"),
    [
        (0, "photo.empty", "文件“x.jpg”是空的（0 字节），不能作为照片添加。请重新选择照片。"),
        (1, None, None),
        (MAX_PHOTO_BYTES, None, None),
        (
            MAX_PHOTO_BYTES + 1,
            "photo.too_large",
            "照片“x.jpg”有 20.0 MB，超过每张 20 MB 的上限，不能添加。请用手机或电脑压缩（或缩小尺寸）后再添加。",
        ),
        (
            200 * MB,
            "photo.too_large",
            "照片“x.jpg”有 200 MB，超过每张 20 MB 的上限，不能添加。请用手机或电脑压缩（或缩小尺寸）后再添加。",
        ),
    ],
)
def test_the_size_is_judged_before_anything_is_read(size, code, message):
    problem = check_photo_size("x.jpg", size)
    assert (problem.code if problem else None) == code
    assert (problem.message if problem else None) == message


def test_the_limit_is_a_parameter_and_size_is_checked_before_the_type():
    assert check_photo_size("x.jpg", 6 * MB, limit=5 * MB).code == "photo.too_large"
    assert check_photo("x.pdf", 200 * MB, b"%PDF").problem.code == "photo.too_large"  # the size is all it knows
    assert check_photo("x.jpg", 3 * MB, b"\xff\xd8\xff\xe0").media_type == "image/jpeg"


@pytest.mark.parametrize(
    ("size", "text"),
    [(200 * MB, "200 MB"), (20 * MB, "20 MB"), (int(2.5 * MB), "2.5 MB"), (int(20.5 * MB), "20.5 MB"), (MB, "1 MB")],
)
def test_sizes_read_as_a_clerk_reads_them(size, text):
    assert megabytes(size) == text
