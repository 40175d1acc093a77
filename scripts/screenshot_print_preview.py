"""Screenshots of the print preview: a 整改通知书 and a long 检查记录表 from the county demo, as the clerk sees them
before printing.

    .venv/bin/python scripts/screenshot_print_preview.py [--out out/screenshots]

Runs Qt offscreen on a temporary database with the county demo, on the demo's day.
"""

from __future__ import annotations

import sys
import time

from screenshot_kit import shooting
from sqlalchemy import select

from desktop.models import RectificationNotice
from desktop.reports.inspection_record import render_inspection_record
from desktop.reports.rectification_notice import render_rectification_notice
from desktop.services.printing import inspection_record_document, rectification_notice_document
from desktop.ui.dialogs.print_preview import PrintPreviewDialog

NOTICE = "甘州卫监改〔2026〕12号"


def let_pages_render(camera, seconds: float = 2.0) -> None:
    """QPdfView renders its pages on a worker thread; give it time before the shot."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        camera.settle()
        time.sleep(0.05)


def main() -> int:
    with shooting("tuoyu-print-") as camera:
        ctx = camera.open_demo()
        notice = render_rectification_notice(rectification_notice_document(ctx, NOTICE))
        preview = PrintPreviewDialog(notice, f"整改通知书 {NOTICE}", "整改通知书.pdf", jobs=None, parent=None)
        preview.resize(900, 1000)
        preview.show()
        let_pages_render(camera)
        camera.shoot(preview, "print_preview_notice")
        with ctx.db.session_factory() as session:
            inspection_id = session.scalar(
                select(RectificationNotice.inspection_id).where(RectificationNotice.document_number == NOTICE)
            )
        record = render_inspection_record(inspection_record_document(ctx, str(inspection_id)))
        preview = PrintPreviewDialog(record, "检查记录表", "检查记录表.pdf", jobs=None, parent=None)
        preview.resize(900, 1000)
        preview.zoom.setCurrentIndex(1)  # 整页
        preview.show()
        let_pages_render(camera)
        camera.shoot(preview, "print_preview_record")
    return 0


if __name__ == "__main__":
    sys.exit(main())
