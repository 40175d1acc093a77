"""导出同步包 and 导入同步包或回执 as a clerk does them, from the 文件 → 同步 menu or the 同步 area.

Export: choose an enrolled node this node sends to, then where to save (a name like
甘州区卫生健康局-至-张掖市卫生健康委员会-第3号.tuoyu-sync is offered), the export in the background, then what the
bundle holds. Import: choose a file, a dry run in the background (取消 discards it: a dry run writes nothing), what
would be created, updated, deleted, unchanged and in conflict, then 导入 applies it in the background; the receipt's
place is said afterwards. A receipt is imported the same way. Refusals are the service's Chinese message in full.

The real export and import have no 取消: each is one transaction that either happens whole or not at all, and the
services offer no point to stop at, so a button that only hid the dialog would mislead. The file dialogs are module
functions (from field_work_menu) so tests can stand in for them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QProgressDialog, QWidget

from desktop.errors import TuoyuError
from desktop.services.startup import AppContext
from desktop.services.sync_destinations import sync_destinations
from desktop.sync.export import ExportSummary, export_bundle
from desktop.sync.importing import ImportOutcome, import_bundle
from desktop.sync.payload import RECEIPT
from desktop.ui.dialogs.sync_export_dialog import SyncExportDialog, SyncExportSummaryDialog
from desktop.ui.dialogs.sync_import_dialog import SyncImportPreviewDialog, refusal_text
from desktop.ui.field_work_menu import ask_open_path, ask_save_path
from desktop.ui.sync_texts import BUNDLE_FILTER
from desktop.ui.tasks import TaskRunner

EXPORT_TITLE = "导出同步包"
IMPORT_TITLE = "导入同步包"


class SyncExchange(QObject):
    """The two workflows; ``on_changed`` is called after an import changed this database."""

    def __init__(
        self, ctx: AppContext, window: QWidget, tasks: TaskRunner, *, on_changed: Callable[[], None] = lambda: None
    ) -> None:
        super().__init__(window)
        self._ctx, self._window, self._tasks, self._on_changed = ctx, window, tasks, on_changed
        self.progress: QProgressDialog | None = None
        self.last_summary: SyncExportSummaryDialog | None = None  # tests and screenshots look at these
        self.last_preview: SyncImportPreviewDialog | None = None
        self.last_outcome: ImportOutcome | None = None

    # ------------------------------------------------------------------ export

    def export(self) -> None:
        try:
            destinations = sync_destinations(self._ctx)
        except TuoyuError as error:  # not initialised as a node, keys missing
            QMessageBox.warning(self._window, f"{EXPORT_TITLE}失败", error.message)
            return
        if not destinations:
            QMessageBox.information(
                self._window,
                EXPORT_TITLE,
                "本机还没有登记可以发送同步包的节点。\n请先在“文件 → 本机与已登记节点”中登记对方的公钥文件。",
            )
            return
        dialog = SyncExportDialog(destinations, self._window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        destination, full = dialog.destination, dialog.full
        target = ask_save_path(self._window, "保存同步包", destination.file_name, BUNDLE_FILTER)
        if target is None:
            return
        work = partial(export_bundle, self._ctx, to=destination.node_id, out=target, full=full)
        label = f"正在导出给“{destination.node.name}”的同步包…"
        self._run(EXPORT_TITLE, label, work, self._exported)

    def _exported(self, summary: ExportSummary) -> None:
        self.last_summary = SyncExportSummaryDialog(summary, self._window)
        self.last_summary.exec()
        self._on_changed()  # the 对账 lists one more bundle sent

    # ------------------------------------------------------------------ import

    def import_file(self, source: Path | None = None) -> None:
        """Choose a bundle or receipt (unless given), check it with a dry run, show what it would do."""
        source = source or ask_open_path(self._window, "选择同步包或回执", BUNDLE_FILTER)
        if source is None:
            return
        work = partial(import_bundle, self._ctx, source, dry_run=True)
        label = f"正在检查“{source.name}”（试导入，不写入任何内容）…"
        self._run(IMPORT_TITLE, label, work, partial(self._checked, source), cancellable=True)

    def _checked(self, source: Path, outcome: ImportOutcome) -> None:
        self.last_outcome = outcome
        if outcome.refused:
            QMessageBox.warning(self._window, "同步包被拒绝", refusal_text(source, outcome))
            return
        if outcome.already_imported:
            self._already_imported(source, outcome)
            return
        self.last_preview = SyncImportPreviewDialog(source, outcome, self._window)
        if self.last_preview.exec() != QDialog.DialogCode.Accepted:
            return
        what = "回执" if outcome.kind == RECEIPT else "同步包"
        work = partial(import_bundle, self._ctx, source)
        self._run(f"导入{what}", f"正在导入“{source.name}”…", work, partial(self._imported, source))

    def _already_imported(self, source: Path, outcome: ImportOutcome) -> None:
        """Nothing to import; a data bundle's receipt may be wanted again (the first one lost on the way)."""
        if outcome.kind == RECEIPT:
            QMessageBox.information(self._window, "导入回执", outcome.message)
            return
        answer = QMessageBox.question(
            self._window,
            IMPORT_TITLE,
            f"{outcome.message}\n\n如果对方没有收到上次的回执，可以重新生成同一份回执交给对方。要重新生成回执吗？",
        )
        if answer == QMessageBox.StandardButton.Yes:
            work = partial(import_bundle, self._ctx, source)
            self._run(IMPORT_TITLE, "正在重新生成回执…", work, partial(self._imported, source))

    def _imported(self, source: Path, outcome: ImportOutcome) -> None:
        self.last_outcome = outcome
        if outcome.refused:  # something changed between the dry run and now (another clerk imported)
            QMessageBox.warning(self._window, "同步包被拒绝", refusal_text(source, outcome))
            return
        title = "导入回执" if outcome.kind == RECEIPT else IMPORT_TITLE
        QMessageBox.information(self._window, title, imported_text(outcome))
        self._on_changed()

    # ------------------------------------------------------------------ background work

    def _run(
        self,
        title: str,
        label: str,
        work: Callable[[], Any],
        on_success: Callable[[Any], None],
        *,
        cancellable: bool = False,
    ) -> None:
        progress = QProgressDialog(label, "取消" if cancellable else None, 0, 0, self._window)
        progress.setWindowTitle(title)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        self.progress = progress
        state = {"discarded": False, "closed": False}

        def close() -> None:
            if state["closed"]:
                return
            state["closed"] = True
            progress.blockSignals(True)  # closing a progress dialog emits canceled
            progress.close()
            progress.deleteLater()
            if self.progress is progress:
                self.progress = None

        def cancel() -> None:
            # The dry run finishes in the background and writes nothing; its answer is dropped.
            state["discarded"] = True
            close()

        if cancellable:  # a real export or import is never dropped: its dialog has no 取消
            progress.canceled.connect(cancel)
        progress.show()

        def succeeded(result: Any) -> None:
            close()
            if not state["discarded"]:
                on_success(result)

        def failed(error: BaseException) -> None:
            close()
            if state["discarded"]:
                return
            if not isinstance(error, TuoyuError):
                raise error  # a bug: the application's error hook says so in Chinese
            QMessageBox.warning(self._window, f"{title}失败", error.message)

        self._tasks.run(work, succeeded, failed, writes=True)


def imported_text(outcome: ImportOutcome) -> str:
    """What an import did, where its receipt is and that it must go back to the sender."""
    parts = [outcome.message]
    if outcome.policies:
        parts.append(f"已收到政策文件：{'、'.join(outcome.policies)}。")
    if outcome.receipt_file:
        parts.append(
            f"回执已写入：\n{outcome.receipt_file}\n\n请把这个回执文件用 U 盘交回给“{outcome.source_name}”，"
            "由对方在“导入同步包或回执”中导入，对方才知道同步包已送达。"
        )
    if outcome.receipt_error:
        parts.append(outcome.receipt_error)
    return "\n\n".join(parts)
