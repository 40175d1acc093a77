"""A strip of photo thumbnails, and the larger view a double-click opens.

Thumbnails are decoded from the stored bytes once per image (keyed by its SHA-256) and kept while
the strip lives. ``QImageReader`` decodes at the thumbnail's size, which for JPEG costs a fraction
of a full decode, and applies the EXIF orientation, so a phone held upright shows upright.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QImageReader, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import QDialog, QLabel, QListView, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop.domain.photos import megabytes
from desktop.services.inspection_photos import PhotoRecord

THUMBNAIL = 96
RECORD_ROLE = Qt.ItemDataRole.UserRole
BELONGS_TO_ROLE = Qt.ItemDataRole.UserRole + 1


def decode_image(data: bytes, fit: QSize | None = None) -> QImage:
    """The image in ``data``, upright, scaled to fit ``fit`` while decoding; a null image if undecodable."""
    array = QByteArray(data)
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    size = reader.size()  # as stored: a portrait phone photo may be stored sideways, hence a square box
    if fit is not None and size.isValid() and (size.width() > fit.width() or size.height() > fit.height()):
        box = max(fit.width(), fit.height())
        reader.setScaledSize(size.scaled(box, box, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    buffer.close()
    return image if image.isNull() or fit is None else fitted(image, fit)


def fitted(image: QImage, fit: QSize) -> QImage:
    """The image shrunk to fit ``fit`` (never enlarged)."""
    if image.width() <= fit.width() and image.height() <= fit.height():
        return image
    return image.scaled(fit, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


def _placeholder(text: str) -> QPixmap:
    pixmap = QPixmap(THUMBNAIL, THUMBNAIL)
    pixmap.fill(QColor("#e8eaed"))
    painter = QPainter(pixmap)
    painter.setPen(QColor("#5f6368"))
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return pixmap


class PhotoStrip(QListWidget):
    """Thumbnails in a row. Delete asks to remove the current photo (``remove_requested``) unless read-only;
    Enter or a double-click opens it larger."""

    remove_requested = Signal(object)  # PhotoRecord

    def __init__(self, load_bytes: Callable[[str], bytes], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._load_bytes = load_bytes
        self._thumbnails: dict[str, QIcon] = {}
        self.read_only = False
        self.viewer: PhotoViewer | None = None
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.setGridSize(QSize(THUMBNAIL + 32, THUMBNAIL + 28))
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setFixedHeight(THUMBNAIL + 28 + self.horizontalScrollBar().sizeHint().height() + 8)
        self.setHorizontalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        self.itemActivated.connect(self.show_large)

    def set_photos(self, photos: list[PhotoRecord], label_for: Callable[[PhotoRecord], tuple[str, str]]) -> None:
        """Show ``photos``; ``label_for`` gives each its short label and the tooltip line naming its item."""
        self.clear()
        for photo in photos:
            label, belongs_to = label_for(photo)
            item = QListWidgetItem(self.thumbnail(photo), label)
            item.setData(RECORD_ROLE, photo)
            item.setData(BELONGS_TO_ROLE, belongs_to)
            tip = [belongs_to, f"文件：{photo.file_name}（{megabytes(photo.byte_size)}）"]
            if photo.caption:
                tip.append(f"说明：{photo.caption}")
            tip.append("双击或回车查看大图" + ("" if self.read_only else "，Delete 删除"))
            item.setToolTip("\n".join(tip))
            self.addItem(item)

    def thumbnail(self, photo: PhotoRecord) -> QIcon:
        icon = self._thumbnails.get(photo.sha256)
        if icon is None:
            image = decode_image(self._load_bytes(photo.sha256), QSize(THUMBNAIL, THUMBNAIL))
            icon = QIcon(_placeholder("无法显示") if image.isNull() else QPixmap.fromImage(image))
            self._thumbnails[photo.sha256] = icon
        return icon

    def current_photo(self) -> PhotoRecord | None:
        item = self.currentItem()
        return item.data(RECORD_ROLE) if item is not None else None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not self.read_only:
            if (photo := self.current_photo()) is not None:
                self.remove_requested.emit(photo)
            return
        super().keyPressEvent(event)

    def show_large(self, item: QListWidgetItem) -> None:
        photo = item.data(RECORD_ROLE)
        image = decode_image(self._load_bytes(photo.sha256))
        self.viewer = PhotoViewer(image, photo, item.data(BELONGS_TO_ROLE), self)
        self.viewer.open()


class PhotoViewer(QDialog):
    """One photo, as large as fits the screen; Esc closes it."""

    def __init__(self, image: QImage, photo: PhotoRecord, belongs_to: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"照片：{photo.file_name}")
        screen = self.screen().availableGeometry().size() * 0.85
        fit = QSize(max(400, screen.width()), max(300, screen.height() - 60))
        self.picture = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        if image.isNull():
            self.picture.setText("这张照片无法显示（文件可能已损坏）。")
        else:
            self.picture.setPixmap(QPixmap.fromImage(fitted(image, fit)))
        details = QLabel("　".join(filter(None, (belongs_to, photo.file_name, photo.caption))))
        details.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.picture, 1)
        layout.addWidget(details)
