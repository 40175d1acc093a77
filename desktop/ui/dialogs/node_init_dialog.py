"""初始化本机节点: the role, name and division of this installation; new keys are made when it is accepted.

Opened again on an initialised node it replaces the keys, and says first what that costs: the nodes that enrolled
this one must remove the old enrolment and enrol the new public-key file.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.enums import NodeKind
from desktop.domain.node_enrolment import role_noun
from desktop.domain.node_keys import NAME_MAX_LENGTH
from desktop.services.regions import RegionOption
from desktop.ui.widgets.form_fields import WARNING_STYLE

ROLE_HINTS = {
    NodeKind.COUNTY: "县区卫生健康部门的电脑：登记本县区的检查笔记本和本市的市级节点。",
    NodeKind.LAPTOP: "检查员外出使用的笔记本：登记所属县区的县区节点。",
    NodeKind.CITY: "市级卫生健康部门的电脑：登记本市所辖的各县区节点。",
}


class NodeInitDialog(QDialog):
    def __init__(
        self,
        divisions_for: Callable[[NodeKind], list[RegionOption]],
        *,
        replacing: bool,
        role: NodeKind = NodeKind.COUNTY,
        name: str = "",
        division_code: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._divisions_for = divisions_for
        self._divisions: list[RegionOption] = []
        self.setWindowTitle("重新初始化本机节点（更换密钥）" if replacing else "初始化本机节点")
        self.role_combo = QComboBox()
        for kind in (NodeKind.COUNTY, NodeKind.LAPTOP, NodeKind.CITY):
            self.role_combo.addItem(role_noun(kind), kind)
        self.name_edit = QLineEdit(name)
        self.name_edit.setMaxLength(NAME_MAX_LENGTH)
        self.name_edit.setPlaceholderText("如：甘州区卫生健康局、张三的检查笔记本")
        self.division_combo = QComboBox()
        self.role_hint = QLabel()
        self.role_hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow("角色(&R)：", self.role_combo)
        form.addRow("", self.role_hint)
        form.addRow("名称(&N)：", self.name_edit)
        form.addRow("所属行政区划(&D)：", self.division_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if replacing:
            warning = QLabel(
                "将生成新的密钥，旧密钥作废：已登记本机的县区或市级将不再接受本机的同步包，"
                "需要在对方电脑上移除旧登记，再登记新的公钥文件并核对新指纹。发往旧密钥、尚未导入的同步包将无法读取。"
            )
            warning.setWordWrap(True)
            warning.setStyleSheet(WARNING_STYLE)
            layout.addWidget(warning)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("更换密钥" if replacing else "生成密钥并初始化")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.role_combo.currentIndexChanged.connect(self._role_changed)
        self.name_edit.textChanged.connect(self._update_ok)
        self.role_combo.setCurrentIndex(self.role_combo.findData(role))
        self._role_changed()
        if division_code is not None:
            self.division_combo.setCurrentIndex(max(0, self.division_combo.findData(division_code)))
        self.resize(520, self.sizeHint().height())

    @property
    def role(self) -> NodeKind:
        return self.role_combo.currentData()

    @property
    def node_name(self) -> str:
        return self.name_edit.text().strip()

    @property
    def division_code(self) -> str | None:
        return self.division_combo.currentData()

    def _role_changed(self) -> None:
        self.role_hint.setText(ROLE_HINTS[self.role])
        self._divisions = self._divisions_for(self.role)
        self.division_combo.clear()
        for option in self._divisions:
            self.division_combo.addItem(f"{option.name}（{option.code}）", option.code)
        self._update_ok()

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.node_name) and self.division_combo.count() > 0)
