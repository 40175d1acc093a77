"""Sending a PDF Tuoyu made to a printer, page by page, off the UI thread.

Each page is rasterised by Qt's PDF engine (QtPdf, the same one the preview uses) at the printer's resolution, capped
at 300 dpi so that a 300-page roster does not hold gigabytes, and painted full-page: the forms carry their own
margins, so the printer's are not added. Qt allows painting on a QPrinter from a worker thread; the QPdfDocument used
here is made in that thread too. ``cancelled`` is asked before each page, and a cancelled job is aborted within a page
(the spooler drops it where it can; nothing more is sent).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from desktop.errors import TuoyuError

MAX_DPI = 300


class PrintingCancelled(TuoyuError):
    """The person cancelled; pages already sent to the printer stay sent."""


def _orientation(size: QSizeF) -> QPageLayout.Orientation:
    landscape = size.width() > size.height()
    return QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait


def _page_size(size: QSizeF) -> QPageSize:
    """The PDF page's paper (A4 for every form), upright; orientation is set separately."""
    upright = QSizeF(min(size.width(), size.height()), max(size.width(), size.height()))
    return QPageSize(upright, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)


def print_pdf(
    pdf: bytes,
    printer: QPrinter,
    *,
    on_page: Callable[[int, int], None] = lambda done, total: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> int:
    """Print every page of ``pdf`` on ``printer``; returns the number of pages sent.

    Raises PrintingCancelled when ``cancelled()`` turns true, TuoyuError when the PDF cannot be read or the printer
    cannot be opened.
    """
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)  # synchronous for an in-memory buffer
    total = document.pageCount()
    if document.status() != QPdfDocument.Status.Ready or total == 0:
        raise TuoyuError("要打印的 PDF 无法读取。请重新生成该文书后再打印。")
    first = document.pagePointSize(0)
    printer.setFullPage(True)
    printer.setPageSize(_page_size(first))
    printer.setPageOrientation(_orientation(first))
    painter = QPainter()
    if not painter.begin(printer):
        raise TuoyuError(
            f"无法打开打印机“{printer.printerName() or printer.outputFileName()}”。"
            "请检查打印机是否开机、联机并有纸，或改用“另存为 PDF”。"
        )
    dpi = min(printer.resolution(), MAX_DPI)
    try:
        for page in range(total):
            if cancelled():
                printer.abort()  # the spooler drops the job where it can; nothing more is sent
                raise PrintingCancelled(f"已取消打印（共 {total} 页，取消前已送出 {page} 页）。")
            size = document.pagePointSize(page)
            if page > 0:
                printer.setPageOrientation(_orientation(size))
                printer.newPage()
            image = document.render(page, QSize(round(size.width() * dpi / 72), round(size.height() * dpi / 72)))
            target = printer.pageLayout().fullRectPixels(printer.resolution())
            painter.drawImage(QRect(0, 0, target.width(), target.height()), image)
            on_page(page + 1, total)
    finally:
        painter.end()
    return total
