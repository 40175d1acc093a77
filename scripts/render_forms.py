"""Render the printable forms on the county demo: sample PDFs and their pages as PNG, to look at before release.

    .venv/bin/python scripts/render_forms.py [--out docs/samples] [--dpi 60]

Loads the county demo (seed 7, on the demo's day) into a temporary database, writes one PDF per form into --out
and renders every page with poppler's ``pdftoppm`` (apt-get install poppler-utils) into --out/png/. Forms so far:
the 整改通知书 and the 检查记录表 of the inspection that issued it (issue 6 adds the others here as they are built).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import select

from desktop.demo.zhangye import Scale
from desktop.models import RectificationNotice
from desktop.reports.inspection_record import write_inspection_record
from desktop.reports.rectification_notice import write_rectification_notice
from desktop.services.demo_service import load_demo
from desktop.services.printing import inspection_record_document, rectification_notice_document
from desktop.services.startup import open_app

DEMO_DAY = date(2026, 11, 23)
NOTICE = "甘州卫监改〔2026〕12号"


def render_pages(pdf: Path, png_dir: Path, dpi: int) -> list[Path]:
    png_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(png_dir / pdf.stem)], check=True)
    return sorted(png_dir.glob(f"{pdf.stem}-*.png"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/samples"))
    parser.add_argument("--dpi", type=int, default=60)
    args = parser.parse_args()
    if shutil.which("pdftoppm") is None:
        print("需要 pdftoppm（apt-get install poppler-utils）才能把 PDF 渲染成图片。", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    # Times print in the PC's local time, as in the app: render the samples as a bureau's PC in China shows them.
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    with tempfile.TemporaryDirectory(prefix="tuoyu-forms-") as tmp:
        ctx = open_app(data_dir=Path(tmp), url=None)
        try:
            load_demo(ctx, scale=Scale.COUNTY, seed=7, today=DEMO_DAY)
            written = []
            pdf = args.out / "整改通知书.pdf"
            written.append((pdf, write_rectification_notice(rectification_notice_document(ctx, NOTICE), pdf)))
            with ctx.db.session_factory() as session:
                inspection_id = session.scalar(
                    select(RectificationNotice.inspection_id).where(RectificationNotice.document_number == NOTICE)
                )
            pdf = args.out / "检查记录表.pdf"
            written.append((pdf, write_inspection_record(inspection_record_document(ctx, str(inspection_id)), pdf)))
        finally:
            ctx.close()
    for pdf, printed in written:
        pages = render_pages(pdf, args.out / "png", args.dpi)
        missing = f"，缺字：{'、'.join(printed.undrawable)}" if printed.undrawable else ""
        print(f"{pdf}：{printed.pages} 页{missing}；{len(pages)} 张图片在 {args.out / 'png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
