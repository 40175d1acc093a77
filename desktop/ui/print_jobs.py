"""Printing from the app: a document is laid out in the background, shown in the preview, then printed in the
background; many documents (all notices of a day) are laid out and printed or saved one after another.

Every slow step shows a progress dialog with 取消: laying out reports each page (desktop.reports.form_page
``reporting_pages``), printing each page sent. A cancelled layout writes nothing; a cancelled print job is aborted.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QProgressDialog, QWidget

from desktop.errors import TuoyuError
from desktop.reports.form_page import PrintedDocument, reporting_pages, write_pdf
from desktop.ui.dialogs.print_preview import PrintPreviewDialog
from desktop.ui.pdf_printer import PrintingCancelled, print_pdf
from desktop.ui.printers import default_printer, last_pdf_folder, remember_pdf_folder
from desktop.ui.tasks import ProgressRelay, TaskRunner


@dataclass(frozen=True)
class PrintJob:
    """One document to print: what it is called, the file name offered when saving, and how to make it.

    ``render`` runs on a worker thread: it reads what it needs itself (a service opens its own session).
    """

    title: str  # 整改通知书 甘州卫监改〔2026〕12号
    file_name: str  # 整改通知书-甘州卫监改〔2026〕12号.pdf
    render: Callable[[], PrintedDocument]


class LayoutCancelled(TuoyuError):
    """The person cancelled while the document was being laid out; nothing was written."""


@dataclass(frozen=True)
class Destination:
    """Where many documents go: a printer, or PDF files in a folder."""

    printer: QPrinter | None = None
    folder: Path | None = None


@dataclass(frozen=True)
class BatchOutcome:
    done: int
    total: int
    undrawable: tuple[str, ...]


class PrintJobs(QObject):
    """Owned by a view; runs its print jobs on the view's TaskRunner."""

    def __init__(self, parent: QWidget, tasks: TaskRunner) -> None:
        super().__init__(parent)
        self._parent = parent
        self._tasks = tasks
        self._cancel = threading.Event()
        self._relay = ProgressRelay(self)
        self._relay.progressed.connect(self._on_progress)
        self.progress: QProgressDialog | None = None
        self._progress_text: Callable[[int, int], str] = lambda done, total: ""
        self.last_preview: PrintPreviewDialog | None = None  # the open preview (tests look at it)
        self.last_outcome: BatchOutcome | None = None

    # ------------------------------------------------------------------ one document: preview

    def preview(self, job: PrintJob) -> None:
        """Lay the document out in the background, then open the preview."""
        self._start_progress(f"正在生成{job.title}…", lambda done, _total: f"正在生成{job.title}…已排版 {done} 页")
        work = partial(self._render, job)
        self._tasks.run(work, partial(self._on_rendered, job), self._on_failed, writes=False)

    def _render(self, job: PrintJob) -> PrintedDocument:  # worker thread
        def on_page(page: int) -> None:
            if self._cancel.is_set():
                raise LayoutCancelled("已取消，未生成文书。")
            self._relay.report(page, 0)

        with reporting_pages(on_page):
            return job.render()

    def _on_rendered(self, job: PrintJob, printed: PrintedDocument) -> None:
        self._close_progress()
        preview = PrintPreviewDialog(printed, job.title, job.file_name, self, self._parent)
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_preview = preview
        preview.open()

    # ------------------------------------------------------------------ printing a PDF already made

    def print_pdf(self, pdf: bytes, printer: QPrinter, title: str, *, parent: QWidget | None = None) -> None:
        """Send ``pdf`` to ``printer`` in the background, page by page. ``parent``: the window asking (the
        preview), so that the progress dialog and its 取消 sit on top of it rather than behind it."""
        owner = parent or self._parent

        def text(done: int, total: int) -> str:
            return f"正在打印{title}…第 {done} 页 共 {total} 页"

        self._start_progress(f"正在打印{title}…", text, owner=owner)
        work = partial(print_pdf, pdf, printer, on_page=self._relay.report, cancelled=self._cancel.is_set)
        self._tasks.run(work, partial(self._on_printed, title, owner), self._on_failed, writes=False)

    def _on_printed(self, title: str, owner: QWidget, pages: int) -> None:
        self._close_progress()
        self.last_outcome = BatchOutcome(1, 1, ())
        QMessageBox.information(owner, "已送打印机", f"{title}已送打印机，共 {pages} 页。")

    # ------------------------------------------------------------------ many documents

    def print_many(self, jobs: list[PrintJob], what: str) -> None:
        """Ask where to (default printer, a chosen printer, or PDF files in a folder), then do all in the background."""
        if not jobs:
            QMessageBox.information(self._parent, "没有可打印的文书", f"没有需要打印的{what}。")
            return
        destination = self.choose_destination(len(jobs), what)
        if destination is not None:
            self.print_all(jobs, what, printer=destination.printer, folder=destination.folder)

    def choose_destination(self, count: int, what: str) -> Destination | None:
        box = QMessageBox(self._parent)
        box.setWindowTitle(f"打印{what}")
        box.setText(f"共 {count} 份{what}。打印到哪里？")
        to_default = box.addButton("默认打印机", QMessageBox.ButtonRole.AcceptRole)
        to_chosen = box.addButton("选择打印机…", QMessageBox.ButtonRole.AcceptRole)
        to_folder = box.addButton("保存为 PDF 到文件夹…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        if clicked is to_default:
            printer = default_printer()
            if printer is None:
                QMessageBox.information(self._parent, "没有打印机", "本机没有安装打印机。请改为保存为 PDF 到文件夹。")
                return None
            return Destination(printer=printer)
        if clicked is to_chosen:
            printer = default_printer() or QPrinter(QPrinter.PrinterMode.HighResolution)
            if QPrintDialog(printer, self._parent).exec() == QDialog.DialogCode.Accepted:
                return Destination(printer=printer)
        elif clicked is to_folder:
            folder = QFileDialog.getExistingDirectory(self._parent, f"把{what}保存到", str(last_pdf_folder()))
            if folder:
                remember_pdf_folder(Path(folder))
                return Destination(folder=Path(folder))
        return None

    def print_all(
        self, jobs: list[PrintJob], what: str, *, printer: QPrinter | None = None, folder: Path | None = None
    ) -> None:
        """Lay out each document and print it on ``printer`` or save it into ``folder``, one after another."""
        self._start_progress(f"正在处理{what}…", lambda done, total: f"正在处理{what}：第 {done + 1} 份 共 {total} 份")
        work = partial(self._do_all, jobs, printer, folder)
        done = partial(self._on_all_done, what, printer is not None, folder)
        self._tasks.run(work, done, self._on_failed, writes=False)

    def _do_all(self, jobs: list[PrintJob], printer: QPrinter | None, folder: Path | None) -> BatchOutcome:
        undrawable: dict[str, None] = {}
        for number, job in enumerate(jobs):
            self._relay.report(number, len(jobs))
            if self._cancel.is_set():
                raise LayoutCancelled(f"已取消：已完成 {number} 份，共 {len(jobs)} 份。")
            printed = job.render()
            undrawable.update(dict.fromkeys(printed.undrawable))
            if printer is not None:
                print_pdf(printed.pdf, printer, cancelled=self._cancel.is_set)
            else:
                write_pdf(printed, folder / job.file_name)
        self._relay.report(len(jobs), len(jobs))
        return BatchOutcome(len(jobs), len(jobs), tuple(undrawable))

    def _on_all_done(self, what: str, printed: bool, folder: Path | None, outcome: BatchOutcome) -> None:
        self._close_progress()
        self.last_outcome = outcome
        where = "已送打印机" if printed else f"已保存到 {folder}"
        missing = f"\n注意：内置字体缺少“{'、'.join(outcome.undrawable)}”，打印件上为空白方框，请手工补写。"
        QMessageBox.information(
            self._parent, "完成", f"{outcome.done} 份{what}{where}。" + (missing if outcome.undrawable else "")
        )

    # ------------------------------------------------------------------ progress and errors

    def _start_progress(self, label: str, text: Callable[[int, int], str], *, owner: QWidget | None = None) -> None:
        self._cancel.clear()
        self._progress_text = text
        progress = QProgressDialog(label, "取消", 0, 0, owner or self._parent)
        progress.setWindowTitle("打印")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setMinimumDuration(400)  # a one-page form is done before the dialog would flash up
        progress.canceled.connect(self._on_cancel)
        self.progress = progress

    @Slot()
    def _on_cancel(self) -> None:
        self._cancel.set()
        if self.progress is not None:
            self.progress.setLabelText("正在取消…")

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        progress = self.progress  # setValue lets queued results in, which may close the dialog meanwhile
        if progress is None or self._cancel.is_set():
            return
        progress.setLabelText(self._progress_text(done, total))
        progress.setMaximum(total)  # 0: pages laid out so far, total unknown yet
        if total:
            progress.setValue(min(done, total))

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _on_failed(self, error: BaseException) -> None:
        self._close_progress()
        if isinstance(error, LayoutCancelled | PrintingCancelled):
            self.last_outcome = None
            QMessageBox.information(self._parent, "已取消", error.message)
        elif isinstance(error, TuoyuError):
            QMessageBox.warning(self._parent, "未能打印", error.message)
        else:
            raise error
