"""Printing in the app, with real widgets and real PDFs: a form is laid out in the background, shown in the preview,
saved whole, and printed page by page through Qt's printing (here to Qt's PDF printer, whose output is read back);
laying out and printing can be cancelled; many documents are done one after another."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtGui import QPageLayout
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMessageBox

from desktop.reports.form_page import PrintedDocument, render_form
from desktop.reports.inspection_record import render_inspection_record
from desktop.ui.dialogs.print_preview import PrintPreviewDialog
from desktop.ui.document_jobs import safe_file_name
from desktop.ui.pdf_printer import PrintingCancelled, print_pdf
from desktop.ui.print_jobs import PrintJob, PrintJobs
from desktop.ui.tasks import TaskRunner
from desktop.ui.widgets.institution_detail_panel import InstitutionDetailPanel
from tests.pdf_reading import page_count, pdf_text, squeezed
from tests.ui.test_inspection_history_tab import LATE, _inspected
from tests.unit.reports.test_inspection_record_pdf import record


@pytest.fixture
def messages(monkeypatch) -> list[tuple[str, str]]:
    """What the app told the person, instead of modal message boxes."""
    said: list[tuple[str, str]] = []
    for kind in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, kind, lambda _parent, title, text, *a, **k: said.append((title, text)))
    return said


def pdf_printer(path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(150)  # the page images need not be large to count pages
    return printer


def test_a_pdf_is_printed_page_by_page_through_qt(tmp_path, qapp) -> None:
    printed = render_inspection_record(record(items=150))
    seen: list[tuple[int, int]] = []
    sent = print_pdf(printed.pdf, pdf_printer(tmp_path / "out.pdf"), on_page=lambda d, t: seen.append((d, t)))
    assert sent == printed.pages == page_count((tmp_path / "out.pdf").read_bytes()) > 3
    assert seen[-1] == (printed.pages, printed.pages)


def test_a_landscape_form_prints_landscape(tmp_path, qapp) -> None:
    from reportlab.platypus import Paragraph

    from desktop.reports.form_page import form_styles

    printed = render_form([Paragraph("横向", form_styles()["cell"])], title="横向", texts=[], wide=True)
    printer = pdf_printer(tmp_path / "wide.pdf")
    print_pdf(printed.pdf, printer)
    assert printer.pageLayout().orientation() == QPageLayout.Orientation.Landscape


def test_cancelling_stops_printing_before_the_next_page(tmp_path, qapp) -> None:
    printed = render_inspection_record(record(items=150))
    sent: list[int] = []
    with pytest.raises(PrintingCancelled, match="已取消打印"):
        print_pdf(
            printed.pdf,
            pdf_printer(tmp_path / "out.pdf"),
            on_page=lambda done, _total: sent.append(done),
            cancelled=lambda: len(sent) >= 2,
        )
    assert sent == [1, 2]


def test_the_preview_shows_every_page_and_warns_of_characters_the_font_lacks(qtbot, tmp_path, messages) -> None:
    printed = render_inspection_record(record(items=150))
    odd = PrintedDocument(printed.pdf, printed.pages, ("𪚥",))
    preview = PrintPreviewDialog(odd, "检查记录表", "检查记录表.pdf", jobs=None, parent=None)
    qtbot.addWidget(preview)
    assert preview.page_count == printed.pages
    assert preview.page_label.text() == f"第 1 页 共 {printed.pages} 页"
    assert not preview.warning.isHidden() and "𪚥" in preview.warning.text()
    assert preview.save_to(tmp_path / "saved.pdf")
    assert (tmp_path / "saved.pdf").read_bytes() == printed.pdf
    assert not preview.save_to(tmp_path / "no such folder" / "saved.pdf")
    assert messages[-1][0] == "未能保存" and "请检查文件夹是否存在" in messages[-1][1]
    assert not (tmp_path / "no such folder").exists()


def test_the_preview_of_a_clean_form_has_no_warning(qtbot) -> None:
    preview = PrintPreviewDialog(render_inspection_record(record()), "检查记录表", "x.pdf", jobs=None, parent=None)
    qtbot.addWidget(preview)
    assert preview.warning.isHidden()


@pytest.fixture
def jobs(qtbot, messages):
    from PySide6.QtWidgets import QWidget

    owner = QWidget()
    qtbot.addWidget(owner)
    tasks = TaskRunner(owner)
    yield PrintJobs(owner, tasks)
    tasks.shutdown()


def test_a_job_is_laid_out_in_the_background_then_previewed_and_printed(qtbot, jobs, messages, tmp_path) -> None:
    job = PrintJob("检查记录表", "检查记录表.pdf", lambda: render_inspection_record(record(items=60)))
    jobs.preview(job)
    qtbot.waitUntil(lambda: jobs.last_preview is not None, timeout=10_000)
    preview = jobs.last_preview
    pages = preview.printed.pages
    assert preview.page_count == pages > 1 and jobs.progress is None
    preview.print_on(pdf_printer(tmp_path / "printed.pdf"))
    assert jobs.progress.parent() is preview  # its 取消 sits on the window that asked, not behind it
    qtbot.waitUntil(lambda: bool(messages) and messages[-1][0] == "已送打印机", timeout=10_000)
    assert f"共 {pages} 页" in messages[-1][1] and page_count((tmp_path / "printed.pdf").read_bytes()) == pages
    preview.close()


def test_cancelling_the_layout_writes_nothing_and_opens_no_preview(qtbot, jobs, messages) -> None:
    started, proceed = threading.Event(), threading.Event()

    def slow_render() -> PrintedDocument:
        started.set()
        proceed.wait(10)
        return render_inspection_record(record(items=150))

    jobs.preview(PrintJob("检查记录表", "x.pdf", slow_render))
    assert started.wait(10)
    jobs.progress.canceled.emit()  # the person presses 取消 while the worker is busy
    proceed.set()
    qtbot.waitUntil(lambda: bool(messages), timeout=10_000)
    assert messages == [("已取消", "已取消，未生成文书。")]
    assert jobs.last_preview is None and jobs.progress is None


def test_a_refused_document_says_why(qtbot, jobs, messages) -> None:
    from desktop.errors import NotFoundError

    def refused() -> PrintedDocument:
        raise NotFoundError("找不到整改通知书“X”。")

    jobs.preview(PrintJob("整改通知书", "x.pdf", refused))
    qtbot.waitUntil(lambda: bool(messages), timeout=10_000)
    assert messages == [("未能打印", "找不到整改通知书“X”。")] and jobs.last_preview is None


def test_many_documents_are_saved_into_a_folder_one_after_another(qtbot, jobs, messages, tmp_path) -> None:
    names = ["甘州区乐育托育中心", "临泽县小太阳托育园", "山丹县/童心托育"]
    batch = [
        PrintJob(name, safe_file_name(f"检查记录表-{name}.pdf"), lambda n=name: render_inspection_record(record(n)))
        for name in names
    ]
    jobs.print_all(batch, "检查记录表", folder=tmp_path)
    qtbot.waitUntil(lambda: jobs.last_outcome is not None, timeout=20_000)
    assert jobs.last_outcome.done == 3 and messages[-1][0] == "完成"
    written = {path.name for path in tmp_path.glob("*.pdf")}
    assert written == {
        f"检查记录表-{name}.pdf" for name in ("甘州区乐育托育中心", "临泽县小太阳托育园", "山丹县-童心托育")
    }
    assert "临泽县小太阳托育园" in squeezed(pdf_text((tmp_path / "检查记录表-临泽县小太阳托育园.pdf").read_bytes()))


def test_many_documents_go_to_the_printer_as_separate_jobs(qtbot, jobs, messages, tmp_path) -> None:
    batch = [PrintJob("检查记录表", "x.pdf", lambda: render_inspection_record(record(items=60)))] * 2
    jobs.print_all(batch, "检查记录表", printer=pdf_printer(tmp_path / "printed.pdf"))
    qtbot.waitUntil(lambda: jobs.last_outcome is not None, timeout=20_000)
    assert messages[-1] == ("完成", "2 份检查记录表已送打印机。")
    last_job = render_inspection_record(record(items=60)).pages
    assert page_count((tmp_path / "printed.pdf").read_bytes()) == last_job  # the PDF printer keeps the last job


def test_nothing_to_print_is_said_rather_than_an_empty_batch(qtbot, jobs, messages) -> None:
    jobs.print_many([], "整改通知书")
    assert messages == [("没有可打印的文书", "没有需要打印的整改通知书。")]


def test_the_inspection_tab_prints_the_record_and_the_notice(qtbot, sqlite_ctx, messages, monkeypatch) -> None:
    institution_id, _inspection_id = _inspected(sqlite_ctx)
    panel = InstitutionDetailPanel(sqlite_ctx)
    qtbot.addWidget(panel)
    tab = panel.inspections_tab
    tab.today = lambda: LATE
    panel.show_institution(institution_id)
    tab._enable_print_actions()
    assert tab.print_record_action.isEnabled() and tab.print_notice_action.isEnabled()

    tab.print_notice_action.trigger()
    qtbot.waitUntil(lambda: tab.print_jobs.last_preview is not None, timeout=10_000)
    notice = squeezed(pdf_text(tab.print_jobs.last_preview.printed.pdf))
    assert "整改通知书" in notice and "甘州区阳光托育中心" in notice
    tab.print_jobs.last_preview.close()

    tab.print_jobs.last_preview = None
    tab.print_record_action.trigger()
    qtbot.waitUntil(lambda: tab.print_jobs.last_preview is not None, timeout=10_000)
    record_text = squeezed(pdf_text(tab.print_jobs.last_preview.printed.pdf))
    assert "托育机构安全检查记录表" in record_text and "王芳" in record_text
    assert tab.print_jobs.last_preview.windowTitle().startswith("打印预览 — 检查记录表（甘州区阳光托育中心")
    tab.print_jobs.last_preview.close()


def test_file_names_lose_only_what_windows_forbids() -> None:
    assert safe_file_name("整改通知书-甘州卫监改〔2026〕12号.pdf") == "整改通知书-甘州卫监改〔2026〕12号.pdf"
    assert safe_file_name('a/b\\c:d*e?"f<g>h|') == "a-b-c-d-e--f-g-h-"
    assert safe_file_name(" . ") == "文书"


def test_the_overview_prints_a_days_notices_into_a_folder(qtbot, demo_ctx, messages, monkeypatch, tmp_path) -> None:
    from sqlalchemy import func, select

    from desktop.models import RectificationNotice
    from desktop.ui.print_jobs import Destination
    from desktop.ui.views.inspection_overview_view import InspectionOverviewView

    with demo_ctx.db.session_factory() as session:
        day, count = session.execute(
            select(RectificationNotice.issued_on, func.count())
            .group_by(RectificationNotice.issued_on)
            .order_by(func.count().desc(), RectificationNotice.issued_on)
        ).first()
    asked: list[tuple[int, str]] = []

    def to_folder(_jobs, count: int, what: str) -> Destination:
        asked.append((count, what))
        return Destination(folder=tmp_path)

    monkeypatch.setattr(PrintJobs, "choose_destination", to_folder)
    view = InspectionOverviewView(demo_ctx, today=day)
    qtbot.addWidget(view)
    view.print_notices_of(day)
    qtbot.waitUntil(lambda: view.print_jobs.last_outcome is not None, timeout=30_000)
    assert asked == [(count, f"{day.year}年{day.month}月{day.day}日签发的整改通知书")]
    saved = sorted(tmp_path.glob("整改通知书-*.pdf"))
    assert len(saved) == count and all("整改通知书" in squeezed(pdf_text(path.read_bytes())) for path in saved)

    view.print_notices_of(day.replace(year=2001))
    assert messages[-1][0] == "没有可打印的文书"
