"""文件 → 同步: 导出同步包, 导入同步包或回执, and the way to the 同步 area (对账 and 同步冲突).

Beside 外业检查 and 本机与已登记节点 under 文件, where the app already keeps what goes onto and comes off a USB
stick; the 同步 area offers the same two buttons for a clerk who is already looking at the reconciliation.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from desktop.services.startup import AppContext
from desktop.ui.sync_exchange import SyncExchange
from desktop.ui.tasks import TaskRunner


class SyncMenu(QObject):
    def __init__(
        self,
        ctx: AppContext,
        window: QWidget,
        tasks: TaskRunner,
        *,
        on_changed: Callable[[], None],
        show_area: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self.exchange = SyncExchange(ctx, window, tasks, on_changed=on_changed)
        self.menu = QMenu("同步(&Y)", window)
        self.export_action = self._action("导出同步包(&E)…", self.exchange.export)
        self.import_action = self._action("导入同步包或回执(&I)…", lambda: self.exchange.import_file())
        self.menu.addSeparator()
        self.area_action = self._action("对账与同步冲突(&C)", show_area)

    def _action(self, text: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self.menu)
        action.triggered.connect(slot)
        self.menu.addAction(action)
        return action
