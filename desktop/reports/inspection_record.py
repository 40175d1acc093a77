"""检查记录表: one inspection as an ordinary A4 form, to be signed on site and filed.

Not the official-document layout of the notice (official_page): a plain form with a centred title, a header block
(institution, address, kind and period, date and time, template title and version), then a table of every item whose
header row repeats on each page and whose long texts wrap inside their cells, the findings, signature lines for the
inspectors and the institution's representative, and "第 N 页 共 M 页" under each page. The page total is known only
after the whole table has flowed, so pages are numbered by a canvas that holds them until the end (NumberedCanvas).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from desktop.reports.fonts import SANS_FONT
from desktop.reports.form_page import (
    SHADE,
    PrintedDocument,
    form_styles,
    grid_style,
    para,
    render_form,
    text_width,
)

TEXT_WIDTH = text_width()
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


def _header_block(record: InspectionRecordDocument, styles: dict[str, ParagraphStyle]) -> Table:
    label, value = styles["label"], styles["header"]
    at = record.inspected_at
    rows = [
        [para("被检查机构", label), para(record.institution_name, value), "", ""],
        [para("机构地址", label), para(record.institution_address or "—", value), "", ""],
        [para("检查类型", label), para(record.kind, value), para("检查期次", label), para(record.period, value)],
        [
            para("检查时间", label),
            para(f"{at.year}年{at.month}月{at.day}日 {at:%H:%M}", value),
            para("记录状态", label),
            para("已完成" if record.finished else "未完成（草稿）", value),
        ],
        [para("检查表", label), para(f"{record.template_title}（版本 {record.template_version}）", value), "", ""],
    ]
    width = TEXT_WIDTH - 2 * 24 * mm
    table = Table(rows, colWidths=(24 * mm, width * 0.55, 24 * mm, width * 0.45))
    spans = [("SPAN", (1, row), (3, row)) for row in (0, 1, 4)]
    table.setStyle(grid_style(("BACKGROUND", (0, 0), (0, -1), SHADE), ("BACKGROUND", (2, 2), (2, 3), SHADE), *spans))
    return table


def _items_table(record: InspectionRecordDocument, styles: dict[str, ParagraphStyle]) -> Table:
    head = styles["head"]
    rows: list[list] = [[para(text, head) for text in ("序号", "检查区域", "检查内容", "程度", "结果", "备注")]]
    for item in record.items:
        rows.append(
            [
                para(str(item.number), styles["centre"]),
                para(item.area_title, styles["cell"]),
                para(item.text, styles["cell"]),
                Paragraph(escape(item.severity) + ("<br/>否决项" if item.veto else ""), styles["centre"]),
                para(item.result, styles["failed"] if item.result == "不符合" else styles["centre"]),
                para(item.note, styles["cell"]),
            ]
        )
    fixed = sum(width for width in COLUMN_WIDTHS if width is not None)
    widths = [TEXT_WIDTH - fixed if width is None else width for width in COLUMN_WIDTHS]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(grid_style(("BACKGROUND", (0, 0), (-1, 0), SHADE)))
    return table


def _findings(record: InspectionRecordDocument, styles: dict[str, ParagraphStyle]) -> Table:
    label, value = styles["label"], styles["header"]
    failed = sum(1 for item in record.items if item.result == "不符合")
    unanswered = sum(1 for item in record.items if item.result == "未答")
    counts = f"共 {len(record.items)} 项，不符合 {failed} 项" + (f"，未答 {unanswered} 项" if unanswered else "")
    rows = [
        [para("检查结论", label), para(f"{record.conclusion}（{counts}）", value)],
        [para("得分", label), para("—" if record.score is None else str(record.score), value)],
        [para("一票否决项", label), para("；".join(record.veto_failed) if record.veto_failed else "无", value)],
        [para("整改通知书", label), para(record.notice_number or "未下发", value)],
    ]
    table = Table(rows, colWidths=(24 * mm, TEXT_WIDTH - 24 * mm))
    table.setStyle(grid_style(("BACKGROUND", (0, 0), (0, -1), SHADE)))
    return table


def _signatures(record: InspectionRecordDocument, styles: dict[str, ParagraphStyle]) -> Table:
    label, value = styles["label"], styles["header"]
    line = "签名：＿＿＿＿＿＿＿＿＿＿  日期：＿＿＿＿年＿＿月＿＿日"
    rows = [[para(f"检查人员 {name}", label), para(line, value)] for name in record.inspectors or ("",)]
    representative = f"机构负责人 {record.representative}" if record.representative else "机构负责人"
    rows.append([para(representative, label), para(line, value)])
    table = Table(rows, colWidths=(48 * mm, TEXT_WIDTH - 48 * mm), rowHeights=[12 * mm] * len(rows))
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SANS_FONT), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    return table


def _story(record: InspectionRecordDocument) -> list[Flowable]:
    styles = form_styles()
    return [
        para("托育机构安全检查记录表", styles["title"]),
        Spacer(0, 5 * mm),
        _header_block(record, styles),
        para("检查项目", styles["section"]),
        _items_table(record, styles),
        KeepTogether(
            [
                para("检查结果", styles["section"]),
                _findings(record, styles),
                para("签字确认", styles["section"]),
                _signatures(record, styles),
            ]
        ),
    ]


def render_inspection_record(record: InspectionRecordDocument) -> PrintedDocument:
    """The record as PDF bytes, with the characters the bundled fonts cannot draw."""
    return render_form(
        _story(record),
        title=f"托育机构安全检查记录表 {record.institution_name}",
        subject=record.template_title,
        texts=record.texts(),
    )
