"""打印预览: a PDF Tuoyu made, shown page by page before it is printed or saved.

The pages are the PDF itself (QtPdf's view), so what the clerk sees is exactly what prints and what is saved. A warning
above the pages names any character the bundled fonts cannot draw (it prints as an empty box: write it by hand).
Printing runs in the background through PrintJobs; saving writes the file whole or not at all.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Slot
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import TuoyuError
from desktop.reports.form_page import PrintedDocument, write_pdf
from desktop.ui.printers import default_printer, last_pdf_folder, remember_pdf_folder

ZOOMS = (("适合宽度", QPdfView.ZoomMode.FitToWidth), ("整页", QPdfView.ZoomMode.FitInView), ("100%", None))


class PrintPreviewDialog(QDialog):
    def __init__(self, printed: PrintedDocument, title: str, file_name: str, jobs, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.printed = printed
        self._jobs = jobs  # PrintJobs: prints in the background
        self._title = title
        self._file_name = file_name
        self.setWindowTitle(f"打印预览 — {title}")
        self.resize(860, 960)

        self._buffer = QBuffer(self)  # must outlive the document that reads it
        self._buffer.setData(QByteArray(printed.pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)

        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #a15c00; padding: 4px;")
        if printed.undrawable:
            self.warning.setText(
                f"注意：内置字体缺少“{'、'.join(printed.undrawable)}”，这些字在打印件上是空白方框，请打印后手工补写。"
            )
        self.warning.setVisible(bool(printed.undrawable))

        self.page_label = QLabel(self)
        self.zoom = QComboBox(self)
        for label, _mode in ZOOMS:
            self.zoom.addItem(label)
        self.zoom.currentIndexChanged.connect(self._on_zoom)
        self.print_button = QPushButton("打印", self)
        self.print_button.setToolTip("在默认打印机上打印")
        self.print_button.setDefault(True)
        self.choose_button = QPushButton("选择打印机…", self)
        self.save_button = QPushButton("另存为 PDF…", self)
        close_button = QPushButton("关闭", self)
        self.print_button.clicked.connect(self._on_print_default)
        self.choose_button.clicked.connect(self._on_choose_printer)
        self.save_button.clicked.connect(self._on_save)
        close_button.clicked.connect(self.reject)

        bar = QHBoxLayout()
        bar.addWidget(self.page_label)
        bar.addStretch(1)
        bar.addWidget(QLabel("缩放", self))
        bar.addWidget(self.zoom)
        for button in (self.print_button, self.choose_button, self.save_button, close_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.warning)
        layout.addWidget(self.view, 1)
        layout.addLayout(bar)
        self.view.pageNavigator().currentPageChanged.connect(self._show_page)
        self._show_page(0)

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    @Slot(int)
    def _show_page(self, page: int) -> None:
        self.page_label.setText(f"第 {page + 1} 页 共 {self.page_count} 页")

    @Slot(int)
    def _on_zoom(self, index: int) -> None:
        mode = ZOOMS[index][1]
        if mode is None:
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(1.0)
        else:
            self.view.setZoomMode(mode)

    # ------------------------------------------------------------------ printing and saving

    @Slot()
    def _on_print_default(self) -> None:
        printer = default_printer()
        if printer is None:
            message = "本机没有安装打印机。请先在系统中添加打印机，或点“另存为 PDF…”保存后在其他电脑打印。"
            QMessageBox.information(self, "没有打印机", message)
            return
        self.print_on(printer)

    @Slot()
    def _on_choose_printer(self) -> None:
        printer = default_printer() or QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"打印 — {self._title}")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_on(printer)

    def print_on(self, printer: QPrinter) -> None:
        """Print in the background; the preview stays open (to print a second copy, or save)."""
        self._jobs.print_pdf(self.printed.pdf, printer, self._title, parent=self)

    @Slot()
    def _on_save(self) -> None:
        suggested = str(last_pdf_folder() / self._file_name)
        chosen, _filter = QFileDialog.getSaveFileName(self, "另存为 PDF", suggested, "PDF 文件 (*.pdf)")
        if chosen:
            self.save_to(Path(chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf"))

    def save_to(self, path: Path) -> bool:
        try:
            write_pdf(self.printed, path)
        except TuoyuError as error:
            QMessageBox.warning(self, "未能保存", error.message)
            return False
        remember_pdf_folder(path.parent)
        return True
