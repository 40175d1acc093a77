"""Page geometry and type sizes of an official document (公文), GB/T 9704-2012 党政机关公文格式.

Source: the standard's clauses 5.2.1 and 7, as summarised in shared/domain/REFERENCE.md §4.1: A4 paper, top margin
(天头) 37 mm, binding-side margin (订口) 28 mm, text area (版心) 156 × 225 mm; so the bottom margin is 35 mm and the
right one 26 mm. Body in 3号 (16 pt) 仿宋, title in 2号 (22 pt) 小标宋, 22 lines of 28 characters; page numbers
"— 1 —" in 4号 (14 pt) 7 mm below the text area, odd pages one character from the right, even pages one from the left.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from desktop.reports.fonts import BODY_FONT

PAGE_WIDTH, PAGE_HEIGHT = A4  # 210 × 297 mm
TOP_MARGIN = 37 * mm
LEFT_MARGIN = 28 * mm
TEXT_WIDTH = 156 * mm
TEXT_HEIGHT = 225 * mm
RIGHT_MARGIN = PAGE_WIDTH - LEFT_MARGIN - TEXT_WIDTH  # 26 mm
BOTTOM_MARGIN = PAGE_HEIGHT - TOP_MARGIN - TEXT_HEIGHT  # 35 mm

SIZE_2 = 22.0  # 2号: title
SIZE_3 = 16.0  # 3号: body
SIZE_4 = 14.0  # 4号: page numbers, record block
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
# 22 lines fill the 225 mm text area: one line is a character plus 7/8 of one.
LINE_PITCH = TEXT_HEIGHT / LINES_PER_PAGE  # ≈ 28.9 pt, the 28.95 pt of common practice
PAGE_NUMBER_DROP = 7 * mm


def draw_page_number(canvas: Canvas, page: int) -> None:
    """ "— N —" 7 mm below the text area: odd pages one character in from the right, even from the left."""
    text = f"— {page} —"
    baseline = BOTTOM_MARGIN - PAGE_NUMBER_DROP - SIZE_4
    canvas.saveState()
    canvas.setFont(BODY_FONT, SIZE_4)
    if page % 2:
        canvas.drawRightString(PAGE_WIDTH - RIGHT_MARGIN - SIZE_4, baseline, text)
    else:
        canvas.drawString(LEFT_MARGIN + SIZE_4, baseline, text)
    canvas.restoreState()
