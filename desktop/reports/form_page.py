"""What every printed form shares: the result of printing, the Chinese date, writing the file whole, and the plain A4
form (not the official-document layout of official_page) with its styles, grid tables and "第 N 页 共 M 页".

A module of desktop.reports takes a plain data object and returns a ``PrintedDocument``; ``write_pdf`` puts it on disk
all at once, so a full disk or a pulled USB stick never leaves half a PDF behind.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, TableStyle

from desktop.files import atomic_target
from desktop.reports.fonts import SANS_FONT, TITLE_FONT, register_fonts, undrawable_in

FORM_MARGIN = 18 * mm
CELL_SIZE = 9.0
HEADER_SIZE = 10.5
GRID = colors.Color(0.35, 0.35, 0.35)
SHADE = colors.Color(0.9, 0.9, 0.9)
FORM_FONTS = (SANS_FONT, TITLE_FONT)


@dataclass(frozen=True)
class PrintedDocument:
    """A written PDF and what the reader should be told about it."""

    pdf: bytes
    pages: int
    undrawable: tuple[str, ...]  # characters the font lacks, printed as empty boxes: tell the user


def chinese_date(day: date) -> str:
    """A date as GB/T 9704 writes it: year in full, no leading zeros (2026年6月17日)."""
    return f"{day.year}年{day.month}月{day.day}日"


def write_pdf(printed: PrintedDocument, path: Path) -> PrintedDocument:
    """Write the PDF to ``path`` whole or not at all (a Chinese TuoyuError says why not)."""
    with atomic_target(Path(path)) as temporary:
        temporary.write_bytes(printed.pdf)
    return printed


def form_styles() -> dict[str, ParagraphStyle]:
    """The styles of an A4 form: a centred title, header labels and values, table cells."""
    register_fonts()  # paragraphs look their fonts up as they are made
    cell = ParagraphStyle("cell", fontName=SANS_FONT, fontSize=CELL_SIZE, leading=CELL_SIZE * 1.35, wordWrap="CJK")
    header = ParagraphStyle("header", parent=cell, fontSize=HEADER_SIZE, leading=HEADER_SIZE * 1.45)
    return {
        "title": ParagraphStyle(
            "title", fontName=TITLE_FONT, fontSize=18, leading=26, alignment=TA_CENTER, wordWrap="CJK"
        ),
        "subtitle": ParagraphStyle("subtitle", parent=header, alignment=TA_CENTER),
        "header": header,
        "label": ParagraphStyle("label", parent=header, fontName=TITLE_FONT),
        "cell": cell,
        "head": ParagraphStyle("head", parent=cell, fontName=TITLE_FONT, alignment=TA_CENTER),
        "centre": ParagraphStyle("centre", parent=cell, alignment=TA_CENTER),
        "number": ParagraphStyle("number", parent=cell, alignment=TA_RIGHT),
        "strong": ParagraphStyle("strong", parent=cell, fontName=TITLE_FONT),
        "failed": ParagraphStyle("failed", parent=cell, fontName=TITLE_FONT, alignment=TA_CENTER),
        "section": ParagraphStyle("section", parent=header, fontName=TITLE_FONT, spaceBefore=8, spaceAfter=4),
    }


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain data text (escaped: a name with "<" or "&" prints as written)."""
    return Paragraph(escape(text), style)


def grid_style(*extra: tuple) -> TableStyle:
    """A ruled table; every cell names the bundled font (spanned-over empty cells would otherwise name Helvetica)."""
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), SANS_FONT),
            ("GRID", (0, 0), (-1, -1), 0.5, GRID),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            *extra,
        ]
    )


# Who is told of each page a form lays out, in this thread: set by ``reporting_pages`` around a render call.
_page_listener: ContextVar[Callable[[int], None] | None] = ContextVar("page_listener", default=None)


@contextmanager
def reporting_pages(on_page: Callable[[int], None]) -> Iterator[None]:
    """While inside, each page any form lays out calls ``on_page(page_number)``.

    The background printing of a 300-page roster shows its progress this way, and cancels it: ``on_page`` may raise,
    which abandons the render before anything is written. Forms need no progress parameters of their own.
    """
    token = _page_listener.set(on_page)
    try:
        yield
    finally:
        _page_listener.reset(token)


def page_laid_out(page_number: int) -> None:
    """Called by a form's canvas or page hook as each page is done."""
    listener = _page_listener.get()
    if listener is not None:
        listener(page_number)


class NumberedCanvas(Canvas):
    """Holds every page until the document is done, then writes "第 N 页 共 M 页" under each.

    The page total is known only after the whole story has flowed, so the pages wait in memory.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict] = []

    def showPage(self) -> None:
        page_laid_out(self._pageNumber)
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        width = self._pagesize[0]
        for state in self._held:
            self.__dict__.update(state)
            self.setFont(SANS_FONT, CELL_SIZE)
            self.drawCentredString(width / 2, FORM_MARGIN / 2, f"第 {self._pageNumber} 页 共 {total} 页")
            super().showPage()
        super().save()


PageHook = Callable[[Canvas, SimpleDocTemplate], None]


def render_form(
    story: list[Flowable],
    *,
    title: str,
    texts: Sequence[str],
    subject: str = "",
    author: str = "",
    wide: bool = False,
    on_page: PageHook | None = None,
) -> PrintedDocument:
    """Flow ``story`` onto A4 pages (landscape when ``wide``) numbered "第 N 页 共 M 页".

    ``texts`` are the data texts the form prints, checked against the bundled fonts.
    """
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4) if wide else A4,
        leftMargin=FORM_MARGIN,
        rightMargin=FORM_MARGIN,
        topMargin=FORM_MARGIN,
        bottomMargin=FORM_MARGIN,
        title=title,
        subject=subject,
        author=author,
        creator="Tuoyu",
        initialFontName=SANS_FONT,  # else every page names an unembedded Helvetica
    )
    hooks = {"onFirstPage": on_page, "onLaterPages": on_page} if on_page else {}
    document.build(story, canvasmaker=NumberedCanvas, **hooks)
    return PrintedDocument(buffer.getvalue(), document.page, tuple(undrawable_in(list(texts), FORM_FONTS)))


def text_width(wide: bool = False) -> float:
    """The width of the text area of a form page."""
    return (landscape(A4) if wide else A4)[0] - 2 * FORM_MARGIN
