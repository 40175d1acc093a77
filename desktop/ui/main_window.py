"""The main window: area navigation on the left, the current area's view, and a status bar."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QStackedWidget,
    QWidget,
)

from desktop import APP_TITLE, __version__
from desktop.db.backup import BackupResult
from desktop.errors import TuoyuError
from desktop.services import maintenance
from desktop.services.field_packages import current_package
from desktop.services.startup import AppContext
from desktop.ui.dialogs.nodes_dialog import NodesDialog
from desktop.ui.field_work_menu import FieldWorkMenu
from desktop.ui.sync_menu import SyncMenu
from desktop.ui.tasks import TaskRunner
from desktop.ui.views import AREAS


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._tasks = TaskRunner(self)
        self.setWindowTitle(APP_TITLE)
        self.resize(1400, 860)

        self.navigation = QListWidget()
        self.navigation.setFixedWidth(140)
        self.stack = QStackedWidget()
        self.views: dict[str, QWidget] = {}
        for area in AREAS:
            item = QListWidgetItem(area.title)
            item.setData(Qt.ItemDataRole.UserRole, area.key)
            self.navigation.addItem(item)
        self.navigation.currentRowChanged.connect(self._on_area_chosen)
        self.navigation.setCurrentRow(0)

        self.navigation.setStyleSheet("QListWidget { font-size: 11pt; } QListWidget::item { padding: 8px 12px; }")
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self._build_status_bar()

    @Slot(int)
    def _on_area_chosen(self, row: int) -> None:
        """Build an area's view the first time it is opened: the start-up pays only for the first."""
        area = AREAS[row]
        if area.key not in self.views:
            self.views[area.key] = area.create(self._ctx)
            self.stack.addWidget(self.views[area.key])
            changed = getattr(self.views[area.key], "records_changed", None)
            if changed is not None:  # records arrived or changed there (a sync import): the other areas show them
                changed.connect(self._refresh_views)
        self.stack.setCurrentWidget(self.views[area.key])

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        backup = QAction("备份数据库(&B)…", self)
        backup.setEnabled(self._ctx.db.is_sqlite)
        backup.triggered.connect(self._on_backup_triggered)
        file_menu.addAction(backup)
        self.field_work = FieldWorkMenu(self._ctx, self, self._tasks, on_changed=self._refresh_views)
        file_menu.addMenu(self.field_work.menu)
        self.sync_menu = SyncMenu(
            self._ctx, self, self._tasks, on_changed=self._refresh_views, show_area=partial(self.show_area, "sync")
        )
        file_menu.addMenu(self.sync_menu.menu)
        self.nodes_action = QAction("本机与已登记节点(&N)…", self)
        self.nodes_action.triggered.connect(self._on_nodes_triggered)
        file_menu.addAction(self.nodes_action)
        file_menu.addSeparator()
        quit_action = QAction("退出(&X)", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        about = QAction("关于托育监管(&A)", self)
        about.triggered.connect(self._on_about_triggered)
        help_menu.addAction(about)

    def show_area(self, key: str) -> None:
        self.navigation.setCurrentRow(next(n for n, area in enumerate(AREAS) if area.key == key))

    def _refresh_views(self) -> None:
        """After records arrived from elsewhere (a package, a laptop's results), show them."""
        self._show_field_package()
        for view in self.views.values():
            refresh = getattr(view, "refresh", None)
            if callable(refresh):
                refresh()

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.database_label = QLabel(f"数据库：{self._ctx.db.describe()}")
        self.revision_label = QLabel(f"结构版本：{self._ctx.revision}")
        self.user_label = QLabel(f"当前用户：{self._ctx.actor.username}")
        self.field_label = QLabel()
        for label in (self.field_label, self.database_label, self.revision_label, self.user_label):
            bar.addPermanentWidget(label)
        self._show_field_package()

    def _show_field_package(self) -> None:
        """On a field laptop, which package it works on and the notice numbers it may use."""
        package = current_package(self._ctx)
        self.field_label.setVisible(package is not None)
        if package is not None:
            self.field_label.setText(
                f"检查笔记本：{package['inspector_name']}的任务包（通知书编号 {package['year']} 年第 "
                f"{package['serial_from']}–{package['serial_to']} 号）"
            )

    @Slot()
    def _on_backup_triggered(self) -> None:
        suggested = str(Path.home() / "托育监管备份.db")
        target, _ = QFileDialog.getSaveFileName(self, "备份数据库", suggested, "数据库备份 (*.db)")
        if not target:
            return
        progress = QProgressDialog("正在备份并校验数据库…", None, 0, 0, self)
        progress.setWindowTitle("备份数据库")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.show()
        self._tasks.run(
            partial(maintenance.backup_database, self._ctx.db, Path(target)),
            partial(self._on_backup_done, progress),
            partial(self._on_backup_failed, progress),
            writes=False,
        )

    def _on_backup_done(self, progress: QProgressDialog, result: BackupResult) -> None:
        progress.close()
        QMessageBox.information(
            self, "备份完成", f"数据库已备份到\n{result.path}\n（{result.size_bytes / 1_048_576:.1f} MB，已校验）"
        )

    def _on_backup_failed(self, progress: QProgressDialog, error: BaseException) -> None:
        progress.close()
        message = error.message if isinstance(error, TuoyuError) else f"备份失败：{error}"
        QMessageBox.critical(self, "备份失败", message)

    @Slot()
    def _on_nodes_triggered(self) -> None:
        NodesDialog(self._ctx, self).exec()
        self._refresh_views()  # the 同步 area lists the enrolled nodes

    @Slot()
    def _on_about_triggered(self) -> None:
        QMessageBox.about(
            self, "关于托育监管", f"{APP_TITLE} {__version__}\n\n托育机构备案、检查、整改、补贴的离线管理工具。"
        )

    def closeEvent(self, event) -> None:
        self._tasks.shutdown()
        super().closeEvent(event)
