"""检查记录表: one inspection as an ordinary A4 form, to be signed on site and filed.

Not the official-document layout of the notice (official_page): a plain form with a centred title, a header block
(institution, address, kind and period, date and time, template title and version), then a table of every item whose
header row repeats on each page and whose long texts wrap inside their cells, the findings, signature lines for the
inspectors and the institution's representative, and "第 N 页 共 M 页" under each page. The page total is known only
after the whole table has flowed, so pages are numbered by a canvas that holds them until the end (NumberedCanvas).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from desktop.reports.fonts import SANS_FONT, TITLE_FONT, register_fonts, undrawable_in
from desktop.reports.rectification_notice import PrintedDocument

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
CELL_SIZE = 9.0
HEADER_SIZE = 10.5
GRID = colors.Color(0.35, 0.35, 0.35)
SHADE = colors.Color(0.9, 0.9, 0.9)
# Columns: 序号, 检查区域, 检查内容, 程度, 结果, 备注 (the item text and the note take what is left).
COLUMN_WIDTHS = (10 * mm, 22 * mm, None, 13 * mm, 15 * mm, 42 * mm)


@dataclass(frozen=True)
class RecordItem:
    """One checklist item as the record prints it."""

    number: int
    area_title: str
    text: str
    severity: str  # 一般 / 较重 / 严重
    veto: bool  # 一票否决: printed as 否决项 under the severity
    result: str  # 符合 / 不符合 / 不适用 / 未答
    note: str


@dataclass(frozen=True)
class InspectionRecordDocument:
    """Everything the 检查记录表 prints, gathered by desktop.services.printing."""

    institution_name: str
    institution_address: str
    kind: str  # 季度抽查 …
    period: str  # 2026Q1
    inspected_at: datetime  # local time
    template_title: str
    template_version: str
    inspectors: tuple[str, ...]
    representative: str  # "" when none was recorded: the line is left blank to sign
    finished: bool
    conclusion: str
    score: int | None
    veto_failed: tuple[str, ...]  # the failed 一票否决 items' texts
    notice_number: str  # "" when no notice was issued
    items: tuple[RecordItem, ...]

    def texts(self) -> list[str]:
        """Every piece of data text the record prints, for the font check."""
        texts = [self.institution_name, self.institution_address, self.kind, self.period, self.template_title]
        texts += [self.template_version, self.representative, self.conclusion, self.notice_number, *self.inspectors]
        texts += self.veto_failed
        for item in self.items:
            texts += [item.area_title, item.text, item.severity, item.result, item.note]
        return texts


def _styles() -> dict[str, ParagraphStyle]:
    cell = ParagraphStyle("cell", fontName=SANS_FONT, fontSize=CELL_SIZE, leading=CELL_SIZE * 1.35, wordWrap="CJK")
    header = ParagraphStyle("header", parent=cell, fontSize=HEADER_SIZE, leading=HEADER_SIZE * 1.45)
    return {
        "title": ParagraphStyle(
            "title", fontName=TITLE_FONT, fontSize=18, leading=26, alignment=TA_CENTER, wordWrap="CJK"
        ),
        "header": header,
        "label": ParagraphStyle("label", parent=header, fontName=TITLE_FONT),
        "cell": cell,
        "head": ParagraphStyle("head", parent=cell, fontName=TITLE_FONT, alignment=TA_CENTER),
        "centre": ParagraphStyle("centre", parent=cell, alignment=TA_CENTER),
        "failed": ParagraphStyle("failed", parent=cell, fontName=TITLE_FONT, alignment=TA_CENTER),
        "section": ParagraphStyle("section", parent=header, fontName=TITLE_FONT, spaceBefore=8, spaceAfter=4),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _grid_style(*extra: tuple) -> TableStyle:
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), SANS_FONT),  # spanned-over empty cells would name Helvetica
            ("GRID", (0, 0), (-1, -1), 0.5, GRID),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            *extra,
        ]
    )


def _header_block(record: InspectionRecordDocument, styles: dict[str, ParagraphStyle]) -> Table:
    label, value = styles["label"], styles["header"]
    at = record.inspected_at
    rows = [
        [_p("被检查机构", label), _p(record.institution_name, value), "", ""],
        [_p("机构地址", label), _p(record.institution_address or "—", value), "", ""],
        [_p("检查类型", label), _p(record.kind, value), _p("检查期次", label), _p(record.period, value)],
        [
            _p("检查时间", label),
            _p(f"{at.year}年{at.month}月{at.day}日 {at:%H:%M}", value),
            _p("记录状态", label),
            _p("已完成" if record.finished else "未完成（草稿）", value),
        ],
        [_p("检查表", label), _p(f"{record.template_title}（版本 {record.template_version}）", value), "", ""],
    ]
    width = TEXT_WIDTH - 2 * 24 * mm
    table = Table(rows, colWidths=(24 * mm, width * 0.55, 24 * mm, width * 0.45))
    spans = [("SPAN", (1, row), (3, row)) for row in (0, 1, 4)]
    table.setStyle(_grid_style(("BACKGROUND", (0, 0), (0, -1), SHADE), ("BACKGROUND", (2, 2), (2, 3), SHADE), *spans))
    return table


def _items_table(record: InspectionRecordDocument, styles: dict[str, ParagraphStyle]) -> Table:
    head = styles["head"]
    rows: list[list] = [[_p(text, head) for text in ("序号", "检查区域", "检查内容", "程度", "结果", "备注")]]
    for item in record.items:
        rows.append(
            [
                _p(str(item.number), styles["centre"]),
                _p(item.area_title, styles["cell"]),
                _p(item.text, styles["cell"]),
                Paragraph(escape(item.severity) + ("<br/>否决项" if item.veto else ""), styles["centre"]),
                _p(item.result, styles["failed"] if item.result == "不符合" else styles["centre"]),
                _p(item.note, styles["cell"]),
            ]
        )
    fixed = sum(width for width in COLUMN_WIDTHS if width is not None)
    widths = [TEXT_WIDTH - fixed if width is None else width for width in COLUMN_WIDTHS]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(_grid_style(("BACKGROUND", (0, 0), (-1, 0), SHADE)))
    return table


def _findings(record: InspectionRecordDocument, styles: dict[str, ParagraphStyle]) -> Table:
    label, value = styles["label"], styles["header"]
    failed = sum(1 for item in record.items if item.result == "不符合")
    unanswered = sum(1 for item in record.items if item.result == "未答")
    counts = f"共 {len(record.items)} 项，不符合 {failed} 项" + (f"，未答 {unanswered} 项" if unanswered else "")
    rows = [
        [_p("检查结论", label), _p(f"{record.conclusion}（{counts}）", value)],
        [_p("得分", label), _p("—" if record.score is None else str(record.score), value)],
        [_p("一票否决项", label), _p("；".join(record.veto_failed) if record.veto_failed else "无", value)],
        [_p("整改通知书", label), _p(record.notice_number or "未下发", value)],
    ]
    table = Table(rows, colWidths=(24 * mm, TEXT_WIDTH - 24 * mm))
    table.setStyle(_grid_style(("BACKGROUND", (0, 0), (0, -1), SHADE)))
    return table


def _signatures(record: InspectionRecordDocument, styles: dict[str, ParagraphStyle]) -> Table:
    label, value = styles["label"], styles["header"]
    line = "签名：＿＿＿＿＿＿＿＿＿＿  日期：＿＿＿＿年＿＿月＿＿日"
    rows = [[_p(f"检查人员 {name}", label), _p(line, value)] for name in record.inspectors or ("",)]
    representative = f"机构负责人 {record.representative}" if record.representative else "机构负责人"
    rows.append([_p(representative, label), _p(line, value)])
    table = Table(rows, colWidths=(48 * mm, TEXT_WIDTH - 48 * mm), rowHeights=[12 * mm] * len(rows))
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SANS_FONT), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    return table


def _story(record: InspectionRecordDocument) -> list[Flowable]:
    styles = _styles()
    return [
        _p("托育机构安全检查记录表", styles["title"]),
        Spacer(0, 5 * mm),
        _header_block(record, styles),
        _p("检查项目", styles["section"]),
        _items_table(record, styles),
        KeepTogether(
            [
                _p("检查结果", styles["section"]),
                _findings(record, styles),
                _p("签字确认", styles["section"]),
                _signatures(record, styles),
            ]
        ),
    ]


class NumberedCanvas(Canvas):
    """Holds every page until the document is done, then writes "第 N 页 共 M 页" under each."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict] = []

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            self.setFont(SANS_FONT, CELL_SIZE)
            self.drawCentredString(PAGE_WIDTH / 2, MARGIN / 2, f"第 {self._pageNumber} 页 共 {total} 页")
            super().showPage()
        super().save()


def render_inspection_record(record: InspectionRecordDocument) -> PrintedDocument:
    """The record as PDF bytes, with the characters the bundled fonts cannot draw."""
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"托育机构安全检查记录表 {record.institution_name}",
        subject=record.template_title,
        creator="Tuoyu",
        initialFontName=SANS_FONT,
    )
    document.build(_story(record), canvasmaker=NumberedCanvas)
    fonts = (SANS_FONT, TITLE_FONT)
    return PrintedDocument(buffer.getvalue(), document.page, tuple(undrawable_in(record.texts(), fonts)))


def write_inspection_record(record: InspectionRecordDocument, path: Path) -> PrintedDocument:
    """Write the record to ``path``."""
    printed = render_inspection_record(record)
    path.write_bytes(printed.pdf)
    return printed
