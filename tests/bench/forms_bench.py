"""Single printed forms in a running process, each beside a bare ReportLab document of the same rows.

    .venv/bin/python -m tests.bench.forms_bench [--repeat 15] [--json FILE]

1. The 检查记录表 of a 49-item inspection (the bundled checklist's size) and of a 150-item one, through
   desktop.reports.inspection_record, beside a bare SimpleDocTemplate holding one Table of the same rows as
   Paragraph cells in the same font, header row repeated: what any ReportLab form of these rows costs.
2. The same 49-item record gathered from the county demo's database first (services.printing), as the app does.
3. The 整改通知书 of the demo (official-document layout), beside a bare document of the same paragraphs.

Fonts are registered and the first document drawn once before timing (the subset machinery reads the font files
on first use, about 0.4 s, once per process). Target: a single form under 0.1 s. The machines are noisy: read the
ratios, not the absolute figures.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
from sqlalchemy import select

from desktop.demo.zhangye import Scale
from desktop.models import RectificationNotice
from desktop.reports.fonts import BODY_FONT, SANS_FONT, register_fonts
from desktop.reports.inspection_record import InspectionRecordDocument, RecordItem, render_inspection_record
from desktop.reports.rectification_notice import render_rectification_notice
from desktop.services.demo_service import load_demo
from desktop.services.printing import inspection_record_document, rectification_notice_document
from desktop.services.startup import open_app

NOTICE = "甘州卫监改〔2026〕12号"


def record(items: int) -> InspectionRecordDocument:
    return InspectionRecordDocument(
        institution_name="甘州区上秦镇乐育早教托育中心",
        institution_address="甘肃省张掖市甘州区上秦镇南环路228号",
        kind="季度抽查",
        period="2026Q2",
        inspected_at=datetime(2026, 5, 6, 10, 0),
        template_title="张掖市托育机构安全检查表",
        template_version="2026.1",
        inspectors=("高雅琴", "韩静"),
        representative="李红",
        finished=True,
        conclusion="需整改",
        score=86,
        veto_failed=(),
        notice_number=NOTICE,
        items=tuple(
            RecordItem(
                number=n,
                area_title="卫生保健",
                text=f"第{n}项：活动室、寝室、卫生间、餐饮具和玩具等按规定清洁消毒，有记录，记录保存不少于两年。",
                severity="一般",
                veto=False,
                result="不符合" if n % 7 == 0 else "符合",
                note="现场查看消毒记录缺两周" if n % 7 == 0 else "",
            )
            for n in range(1, items + 1)
        ),
    )


def bare_table(document: InspectionRecordDocument) -> bytes:
    """The same rows in one ReportLab table, nothing else: the floor for a form of these rows."""
    cell = ParagraphStyle("cell", fontName=SANS_FONT, fontSize=9, leading=12, wordWrap="CJK")
    rows = [[Paragraph(text, cell) for text in ("序号", "检查区域", "检查内容", "程度", "结果", "备注")]]
    for item in document.items:
        rows.append([Paragraph(escape(str(v)), cell) for v in (item.number, item.area_title, item.text,
                     item.severity, item.result, item.note)])  # fmt: skip
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(buffer, pagesize=A4, initialFontName=SANS_FONT)
    table = Table(rows, colWidths=(28, 62, None, 37, 43, 119), repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "grey"), ("FONTNAME", (0, 0), (-1, -1), SANS_FONT)]))
    pdf.build([table])
    return buffer.getvalue()


def bare_paragraphs(texts: list[str]) -> bytes:
    body = ParagraphStyle("body", fontName=BODY_FONT, fontSize=16, leading=28.9, wordWrap="CJK")
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, initialFontName=BODY_FONT).build(
        [Paragraph(escape(text), body) for text in texts]
    )
    return buffer.getvalue()


def timed(work: Callable[[], object], repeat: int) -> float:
    """Median seconds of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    register_fonts()
    start = time.perf_counter()
    render_inspection_record(record(1))
    first_use = time.perf_counter() - start
    results: dict[str, dict[str, float]] = {"first_use_s": {"seconds": first_use}}
    for items in (49, 150):
        document = record(items)
        ours = timed(lambda d=document: render_inspection_record(d), args.repeat)
        bare = timed(lambda d=document: bare_table(d), args.repeat)
        results[f"inspection_record_{items}"] = {"ours_s": ours, "bare_s": bare, "ratio": ours / bare}

    with tempfile.TemporaryDirectory(prefix="tuoyu-forms-bench-") as tmp:
        ctx = open_app(data_dir=Path(tmp), url=None)
        try:
            load_demo(ctx, scale=Scale.COUNTY, seed=7, today=date(2026, 11, 23))
            with ctx.db.session_factory() as session:
                inspection_id = str(
                    session.scalar(
                        select(RectificationNotice.inspection_id).where(RectificationNotice.document_number == NOTICE)
                    )
                )
            gathered = inspection_record_document(ctx, inspection_id)
            with_reading = timed(lambda: render_inspection_record(inspection_record_document(ctx, inspection_id)),
                                 args.repeat)  # fmt: skip
            bare = timed(lambda: bare_table(gathered), args.repeat)
            results["inspection_record_from_database"] = {
                "items": len(gathered.items), "ours_s": with_reading, "bare_s": bare, "ratio": with_reading / bare,
            }  # fmt: skip
            notice = rectification_notice_document(ctx, NOTICE)
            texts = [notice.issuing_body, notice.document_number, "整改通知书", notice.institution_name]
            texts += [text for item in notice.items for text in (item.text, item.note, item.rule) if text]
            ours = timed(lambda: render_rectification_notice(rectification_notice_document(ctx, NOTICE)), args.repeat)
            bare = timed(lambda: bare_paragraphs(texts), args.repeat)
            results["rectification_notice_from_database"] = {"ours_s": ours, "bare_s": bare, "ratio": ours / bare}
        finally:
            ctx.close()

    for name, figures in results.items():
        shown = "  ".join(f"{key} {value:.4f}" if isinstance(value, float) else f"{key} {value}"
                          for key, value in figures.items())  # fmt: skip
        print(f"{name:36} {shown}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
