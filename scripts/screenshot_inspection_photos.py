"""Screenshots of the inspection screen with photos attached, and of a photo opened larger.

    .venv/bin/python scripts/screenshot_inspection_photos.py [--out out/screenshots]

Runs Qt offscreen on a fresh temporary database. The photos are drawn here (a landscape one for an
item, a portrait one for the visit) and attached through the same path the file dialog feeds.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QLinearGradient, QPainter
from PySide6.QtTest import QTest
from screenshot_kit import TODAY, shooting

from desktop.domain.enums import InspectionKind, SponsorType
from desktop.domain.lifecycle_rules import LifecycleState
from desktop.services.inspections import start_inspection
from desktop.services.institution_commands import InstitutionDraft, create_institution
from desktop.ui.dialogs.inspection_dialog import InspectionDialog


def drawn_photo(path: Path, size: tuple[int, int], top: str, bottom: str, words: str) -> str:
    image = QImage(*size, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    gradient = QLinearGradient(0, 0, 0, size[1])
    gradient.setColorAt(0, QColor(top))
    gradient.setColorAt(1, QColor(bottom))
    painter.fillRect(image.rect(), gradient)
    painter.setPen(QColor("white"))
    font = QFont()
    font.setPixelSize(size[1] // 8)
    painter.setFont(font)
    painter.drawText(QRect(0, 0, *size), Qt.AlignmentFlag.AlignCenter, words)
    painter.end()
    image.save(str(path), "JPEG", 85)
    return str(path)


def main() -> int:
    with shooting("tuoyu-photos-") as camera:
        folder = camera.scratch
        ctx = camera.open_empty()
        draft = InstitutionDraft(
            name="甘州区阳光托育中心", sponsor_type=SponsorType.SOCIAL, county_code="620702", slots=40
        )
        institution_id = create_institution(ctx, draft, LifecycleState(), today=TODAY).institution_id
        inspection_id = start_inspection(
            ctx,
            institution_id,
            kind=InspectionKind.SEMIANNUAL_INSPECTION,
            period="2026H2",
            inspected_at=datetime(2026, 11, 23, 2, tzinfo=UTC),
            inspectors="王芳、李强",
        )
        screen = InspectionDialog(ctx, inspection_id, today=TODAY)
        screen.show()
        for key in (Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_1):
            QTest.keyClick(screen.table, key)
        item_photo = drawn_photo(
            folder / "IMG_20261123_101502.jpg", (4000, 3000), "#b71c1c", "#4e342e", "灭火器压力不足"
        )
        visit_photo = drawn_photo(folder / "IMG_20261123_100812.jpg", (3000, 4000), "#1565c0", "#263238", "机构大门")
        screen.choose_photo_files = lambda: [item_photo]
        QTest.keyClick(screen.table, Qt.Key.Key_P)
        screen.choose_photo_files = lambda: [visit_photo]
        QTest.keyClick(screen.table, Qt.Key.Key_P, Qt.KeyboardModifier.ShiftModifier)
        screen.photo_strip.setCurrentRow(0)
        camera.shoot(screen, "14-inspection-photos")
        screen.photo_strip.show_large(screen.photo_strip.item(0))
        camera.shoot(screen.photo_strip.viewer, "15-inspection-photo-large")
        screen.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
