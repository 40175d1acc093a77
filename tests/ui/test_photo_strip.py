"""Photo thumbnails: upright as the phone was held, and a damaged file shown as such rather than crashing."""

from __future__ import annotations

import struct
import uuid

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QColor, QImage

from desktop.services.inspection_photos import PhotoRecord
from desktop.ui.widgets.photo_strip import PhotoStrip, decode_image


def _jpeg(width: int, height: int) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#2e7d32"))
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "JPEG")
    return bytes(array)


def _held_upright(jpeg: bytes) -> bytes:
    """The JPEG with an EXIF block saying "rotate 90° to view", as a phone held upright writes it."""
    entry = struct.pack(">HHIHH", 0x0112, 3, 1, 6, 0)  # Orientation = 6
    payload = b"Exif\x00\x00" + b"MM\x00*" + struct.pack(">IH", 8, 1) + entry + struct.pack(">I", 0)
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def _record(sha256: str) -> PhotoRecord:
    return PhotoRecord(uuid.uuid4(), None, "IMG_0001.jpg", None, sha256, 1000, "image/jpeg")


def test_a_photo_taken_upright_is_shown_upright():
    stored = _held_upright(_jpeg(400, 300))  # stored landscape, meant portrait
    assert decode_image(stored).size() == QSize(300, 400)
    assert decode_image(stored, QSize(96, 96)).size() == QSize(72, 96)


def test_a_damaged_photo_gets_a_placeholder_and_each_image_is_decoded_once(qtbot):
    contents = {"good": _jpeg(640, 480), "bad": b"\xff\xd8\xff\xe0" + bytes(200)}
    loads = []
    strip = PhotoStrip(lambda sha256: loads.append(sha256) or contents[sha256])
    qtbot.addWidget(strip)
    photos = [_record("good"), _record("bad"), _record("good")]
    strip.set_photos(photos, lambda photo: ("整体", "整体照片"))
    strip.set_photos(photos, lambda photo: ("整体", "整体照片"))
    assert strip.count() == 3 and sorted(loads) == ["bad", "good"]
    assert strip.item(0).icon().availableSizes()[0] == QSize(96, 72)
    assert strip.item(1).icon().availableSizes()[0] == QSize(96, 96)  # the "无法显示" placeholder
