"""文件 → 外业检查: the county's and the laptop's side of field packages, each a menu action.

The county exports a package for an inspector and imports the results that come back; the laptop
loads a package and exports its results. The work runs in the background; every refusal arrives as
the service's Chinese message. The file dialogs are module functions so tests can stand in for them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QMessageBox, QProgressDialog, QWidget

from desktop.errors import TuoyuError
from desktop.services.field_packages import current_package, export_field_package, load_field_package
from desktop.services.field_results import describe_import, export_field_results, import_field_results
from desktop.services.inspectors import active_inspectors
from desktop.services.startup import AppContext
from desktop.ui.dialogs.field_package_dialog import FieldPackageDialog
from desktop.ui.tasks import TaskRunner

PACKAGE_FILTER = "检查任务包 (*.tuoyu-field)"
RESULTS_FILTER = "检查结果 (*.tuoyu-results)"


def ask_save_path(parent: QWidget, title: str, suggested: str, file_filter: str) -> Path | None:
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / suggested), file_filter)
    return Path(chosen) if chosen else None


def ask_open_path(parent: QWidget, title: str, file_filter: str) -> Path | None:
    chosen, _ = QFileDialog.getOpenFileName(parent, title, str(Path.home()), file_filter)
    return Path(chosen) if chosen else None


class FieldWorkMenu(QObject):
    def __init__(
        self,
        ctx: AppContext,
        window: QWidget,
        tasks: TaskRunner,
        *,
        today: Callable[[], date] = date.today,
        on_changed: Callable[[], None] = lambda: None,
    ) -> None:
        super().__init__(window)
        self._ctx, self._window, self._tasks, self._today, self._on_changed = ctx, window, tasks, today, on_changed
        self.menu = QMenu("外业检查(&W)", window)
        self.export_package_action = self._action("导出检查任务包(&E)…", self._export_package)
        self.import_results_action = self._action("导入检查结果(&I)…", self._import_results)
        self.menu.addSeparator()
        self.load_package_action = self._action("（检查笔记本）载入检查任务包(&L)…", self._load_package)
        self.export_results_action = self._action("（检查笔记本）导出检查结果(&R)…", self._export_results)
        self.update_actions()

    def update_actions(self) -> None:
        """A field laptop neither issues packages nor receives results: those are the county's."""
        on_laptop = current_package(self._ctx) is not None
        self.export_package_action.setEnabled(not on_laptop)
        self.import_results_action.setEnabled(not on_laptop)

    def _action(self, text: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self.menu)
        action.triggered.connect(slot)
        self.menu.addAction(action)
        return action

    def _export_package(self) -> None:
        inspectors = active_inspectors(self._ctx)
        if not inspectors:
            QMessageBox.information(self._window, "导出检查任务包", "检查员名录是空的，请先登记检查员。")
            return
        dialog = FieldPackageDialog(inspectors, self._window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        inspector, scope, reserve = dialog.inspector, dialog.scope, dialog.reserve
        today = self._today()
        target = ask_save_path(
            self._window, "保存检查任务包", f"{inspector.name}-{today:%Y%m%d}.tuoyu-field", PACKAGE_FILTER
        )
        if target is None:
            return
        work = partial(
            export_field_package,
            self._ctx,
            target,
            inspector_id=inspector.id,
            today=today,
            scope=scope,
            reserve=reserve,
        )
        self._run("导出检查任务包", "正在导出任务包…", work, lambda s: self._exported_package(target, s))

    def _exported_package(self, target: Path, summary: Any) -> None:
        QMessageBox.information(
            self._window,
            "导出检查任务包",
            f"已为{summary.county_name}检查员{summary.inspector_name}导出任务包：\n{target}\n\n"
            f"机构 {summary.institutions} 家，整改中的通知书 {summary.open_notices} 份；"
            f"预留 {summary.year} 年整改通知书编号第 {summary.serial_from}–{summary.serial_to} 号。\n"
            "请用 U 盘拷到检查笔记本，在“外业检查 → 载入检查任务包”中打开。",
        )

    def _import_results(self) -> None:
        source = ask_open_path(self._window, "选择检查结果文件", RESULTS_FILTER)
        if source is None:
            return
        self._run(
            "导入检查结果",
            "正在核对并导入检查结果…",
            partial(import_field_results, self._ctx, source),
            lambda result: self._done("导入检查结果", describe_import(result)),
        )

    def _load_package(self) -> None:
        source = ask_open_path(self._window, "选择检查任务包", PACKAGE_FILTER)
        if source is None:
            return

        def loaded(summary: Any) -> None:
            self._done(
                "载入检查任务包",
                f"已载入{summary.county_name}{summary.inspector_name}的任务包：机构 {summary.institutions} 家，"
                f"整改中的通知书 {summary.open_notices} 份，本机可用通知书编号第 "
                f"{summary.serial_from}–{summary.serial_to} 号。",
            )

        self._run("载入检查任务包", "正在载入任务包…", partial(load_field_package, self._ctx, source), loaded)

    def _export_results(self) -> None:
        package = current_package(self._ctx)
        if package is None:
            QMessageBox.information(self._window, "导出检查结果", "这台电脑没有载入检查任务包，没有可交回的检查结果。")
            return
        target = ask_save_path(
            self._window,
            "保存检查结果",
            f"{package['inspector_name']}-结果-{self._today():%Y%m%d}.tuoyu-results",
            RESULTS_FILTER,
        )
        if target is None:
            return

        def exported(result: Any) -> None:
            drafts = (
                f"\n另有 {result.drafts_left} 份未完成的检查留在本机，完成后请再次导出。" if result.drafts_left else ""
            )
            QMessageBox.information(
                self._window,
                "导出检查结果",
                f"已导出检查结果：\n{target}\n\n检查 {result.inspections} 次，整改通知书 {result.notices} 份，"
                f"照片 {result.photos} 张。请交回县区导入。{drafts}",
            )

        self._run("导出检查结果", "正在导出检查结果…", partial(export_field_results, self._ctx, target), exported)

    def _run(self, title: str, label: str, work: Callable[[], Any], on_success: Callable[[Any], None]) -> None:
        progress = QProgressDialog(label, None, 0, 0, self._window)
        progress.setWindowTitle(title)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.show()

        def succeeded(result: Any) -> None:
            progress.close()
            on_success(result)

        def failed(error: BaseException) -> None:
            progress.close()
            message = error.message if isinstance(error, TuoyuError) else f"{title}失败：{error}"
            QMessageBox.warning(self._window, title, message)

        self._tasks.run(work, succeeded, failed, writes=True)

    def _done(self, title: str, message: str) -> None:
        QMessageBox.information(self._window, title, message)
        self.update_actions()
        self._on_changed()
