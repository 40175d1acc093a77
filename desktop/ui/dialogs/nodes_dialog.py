"""本机与已登记节点 (文件 menu): this installation as a sync node — its role, name and fingerprint, large, with its
public-key file to export and a sheet to print — and the nodes it has enrolled, to enrol and remove.

Enrolling shows the file's node and fingerprint and asks the person to confirm it matches the other screen before
anything is written. Every refusal is the service's Chinese message. File dialogs and printing are module functions
so tests can stand in for them; the work itself takes milliseconds, so it runs on the UI thread.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtGui import QFont, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.enums import NodeKind
from desktop.errors import TuoyuError
from desktop.services.enrolled_nodes import NodeEntry, enrol_node, list_nodes, preview_enrolment, remove_node
from desktop.services.nodes import (
    CHINA_TIME,
    NodeNotInitialised,
    ThisNode,
    division_options,
    export_public_key,
    fingerprint_sheet,
    init_node,
    suggested_key_file_name,
    this_node,
)
from desktop.services.startup import AppContext
from desktop.ui.dialogs.enrol_confirm_dialog import EnrolConfirmDialog
from desktop.ui.dialogs.node_init_dialog import NodeInitDialog
from desktop.ui.field_work_menu import ask_open_path, ask_save_path
from desktop.ui.tablemodels.rows_table_model import RowsTableModel
from desktop.ui.widgets.button_row import button_row, hint_label
from desktop.ui.widgets.fingerprint_label import FingerprintLabel
from desktop.ui.widgets.form_fields import ERROR_STYLE
from desktop.ui.widgets.read_only_table import read_only_table

TITLE = "本机与已登记节点"
KEY_FILTER = "节点公钥文件 (*.tuoyu-pubkey);;所有文件 (*)"
HEADERS = ("角色", "名称", "行政区划", "登记时间", "登记人", "公钥指纹")


def print_text(parent: QWidget, title: str, text: str) -> bool:
    """Print plain text on the printer the person chooses; False when they cancel."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    chooser = QPrintDialog(printer, parent)
    chooser.setWindowTitle(f"打印{title}")
    if chooser.exec() != QDialog.DialogCode.Accepted:
        return False
    document = QTextDocument()
    document.setDefaultFont(QFont(parent.font().family(), 12))
    document.setPlainText(text)
    document.print_(printer)
    return True


class NodesDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._node: ThisNode | None = None
        self._entries: list[NodeEntry] = []
        self.setWindowTitle(TITLE)
        self.resize(1040, 660)

        self.role_label, self.name_label, self.division_label, self.node_id_label = (QLabel() for _ in range(4))
        self.fingerprint_label = FingerprintLabel()
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.export_button = QPushButton("导出公钥文件(&E)…")
        self.print_button = QPushButton("打印指纹(&P)…")
        self.init_button = QPushButton("初始化本机(&I)…")
        self.replace_button = QPushButton("重新初始化（更换密钥）…")
        self.export_button.clicked.connect(self._export)
        self.print_button.clicked.connect(self._print)
        self.init_button.clicked.connect(lambda: self._initialise(replacing=False))
        self.replace_button.clicked.connect(lambda: self._initialise(replacing=True))
        self._identity = identity = QFormLayout()
        identity.addRow("角色：", self.role_label)
        identity.addRow("名称：", self.name_label)
        identity.addRow("行政区划：", self.division_label)
        identity.addRow("节点编号：", self.node_id_label)
        identity.addRow("公钥指纹：", self.fingerprint_label)
        own_box = QGroupBox("本机")
        own_layout = QVBoxLayout(own_box)
        own_layout.addLayout(identity)
        own_layout.addWidget(self.problem_label)
        own_layout.addWidget(hint_label("对方登记本机时，其屏幕上显示的指纹必须与这里逐组一致。", wrap=True))
        own_layout.addLayout(
            button_row([self.export_button, self.print_button, self.init_button], [self.replace_button])
        )

        self.model = RowsTableModel(HEADERS, self)
        self.table = read_only_table(self.model)
        self.enrol_button = QPushButton("登记节点(&A)…")
        self.remove_button = QPushButton("移除登记(&R)")
        self.enrol_button.clicked.connect(self._enrol)
        self.remove_button.clicked.connect(self._remove)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        enrolled_box = QGroupBox("已登记节点")
        enrolled_layout = QVBoxLayout(enrolled_box)
        enrolled_layout.addWidget(self.table)
        enrolled_layout.addLayout(
            button_row(
                [self.enrol_button, self.remove_button],
                [hint_label("县区登记本县区的检查笔记本和本市；市级登记所辖县区；检查笔记本登记所属县区。")],
            )
        )

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(own_box)
        layout.addWidget(enrolled_box, 1)
        layout.addWidget(close)
        self.refresh()

    # ------------------------------------------------------------------ showing

    def refresh(self) -> None:
        self._node, problem, initialised = None, "", True
        try:
            self._node = this_node(self._ctx)
        except NodeNotInitialised:
            initialised = False
            problem = "本机尚未初始化为同步节点：请先“初始化本机”，生成本机的密钥。"
        except TuoyuError as error:  # keys lost or damaged, or not this database's
            problem = error.message
        node = self._node
        self.role_label.setText(node.role_noun if node else "—")
        self.name_label.setText(node.name if node else "—")
        self.division_label.setText(f"{node.division_name}（{node.division_code}）" if node else "—")
        self.node_id_label.setText(str(node.node_id) if node else str(self._ctx.node_id))
        self.fingerprint_label.set_fingerprint(node.fingerprint if node else "")
        self._identity.setRowVisible(self.fingerprint_label, node is not None)
        self.problem_label.setText(problem)
        self.problem_label.setStyleSheet("" if not initialised else ERROR_STYLE)
        self.problem_label.setVisible(bool(problem))
        self.init_button.setVisible(not initialised)
        self.replace_button.setVisible(initialised)

        self._entries = list_nodes(self._ctx)
        self.model.set_rows(
            [
                (
                    e.role_name,
                    e.name,
                    f"{e.division_name}（{e.division_code}）",
                    f"{e.enrolled_at.astimezone(CHINA_TIME):%Y-%m-%d %H:%M}",
                    e.enrolled_by,
                    e.grouped_fingerprint,
                )
                for e in self._entries
            ]
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = self._node is not None
        self.export_button.setEnabled(ready)
        self.print_button.setEnabled(ready)
        self.enrol_button.setEnabled(ready)
        self.remove_button.setEnabled(self._selected() is not None)

    def _selected(self) -> NodeEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self._entries[rows[0].row()] if rows and rows[0].row() < len(self._entries) else None

    # ------------------------------------------------------------------ this node

    def _initialise(self, *, replacing: bool) -> None:
        node = self._node
        dialog = NodeInitDialog(
            lambda role: division_options(self._ctx, role),
            replacing=replacing,
            role=node.role if node else NodeKind.COUNTY,
            name=node.name if node else "",
            division_code=node.division_code if node else None,
            parent=self,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            made = init_node(
                self._ctx,
                role=dialog.role,
                name=dialog.node_name,
                division_code=dialog.division_code,
                replace_keys=replacing,
            )
        except TuoyuError as error:
            QMessageBox.warning(self, "初始化本机节点", error.message)
            return
        self.refresh()
        QMessageBox.information(
            self,
            "初始化本机节点",
            f"本机已初始化为{made.division_name}的{made.role_noun}“{made.name}”，已生成新密钥。\n"
            "下一步：导出公钥文件，交给要登记本机的节点，并请对方核对指纹。",
        )

    def _export(self) -> None:
        if self._node is None:
            return
        target = ask_save_path(self, "导出公钥文件", suggested_key_file_name(self._node), KEY_FILTER)
        if target is None:
            return
        try:
            node = export_public_key(self._ctx, target)
        except TuoyuError as error:
            QMessageBox.warning(self, "导出公钥文件", error.message)
            return
        QMessageBox.information(
            self,
            "导出公钥文件",
            f"已导出公钥文件：\n{target}\n\n公钥指纹：{node.grouped_fingerprint}\n"
            "请用 U 盘交给对方登记。对方登记时，其屏幕上显示的指纹必须与本机显示的完全一致。",
        )

    def _print(self) -> None:
        if self._node is None:
            return
        print_text(self, "节点公钥指纹", fingerprint_sheet(self._node, printed_on=datetime.now(UTC)))

    # ------------------------------------------------------------------ enrolled nodes

    def _enrol(self) -> None:
        source = ask_open_path(self, "选择对方的公钥文件", KEY_FILTER)
        if source is None:
            return
        try:
            preview = preview_enrolment(self._ctx, source)
        except TuoyuError as error:
            QMessageBox.warning(self, "登记节点", error.message)
            return
        if preview.already_enrolled:
            already = f"“{preview.name}”此前已用同一公钥登记（指纹 {preview.grouped_fingerprint}），无需再登记。"
            QMessageBox.information(self, "登记节点", already)
            return
        confirm = EnrolConfirmDialog(preview, source.name, self)
        if confirm.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            # The fingerprint the person compared: a file changed since it was shown is refused.
            result = enrol_node(self._ctx, source, expected_fingerprint=preview.fingerprint)
        except TuoyuError as error:
            QMessageBox.warning(self, "登记节点", error.message)
            return
        self.refresh()
        node = result.node
        QMessageBox.information(self, "登记节点", f"已登记{node.division_name}的{node.role_name}“{node.name}”。")

    def _remove(self) -> None:
        entry = self._selected()
        if entry is None:
            return
        answer = QMessageBox.question(
            self,
            "移除登记",
            f"移除{entry.division_name}的{entry.role_name}“{entry.name}”的登记？\n\n"
            "移除后不再接受该节点的同步包；要恢复，须由对方导出公钥文件、核对指纹后重新登记。",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            remove_node(self._ctx, entry.node_id)
        except TuoyuError as error:
            QMessageBox.warning(self, "移除登记", error.message)
        self.refresh()
