"""登记节点: what a public-key file would enrol, with its fingerprint large, and the person's word that it matches
the fingerprint on the other node's screen (or its printed sheet). Nothing is enrolled before that box is ticked."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.services.enrolled_nodes import EnrolmentPreview
from desktop.ui.widgets.fingerprint_label import FingerprintLabel


class EnrolConfirmDialog(QDialog):
    def __init__(self, preview: EnrolmentPreview, file_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("登记节点 — 核对指纹")
        form = QFormLayout()
        form.addRow("公钥文件：", QLabel(file_name))
        form.addRow("节点名称：", QLabel(preview.name))
        form.addRow("角色：", QLabel(preview.role_name))
        form.addRow("行政区划：", QLabel(f"{preview.division_name}（{preview.division_code}）"))
        form.addRow("节点编号：", QLabel(str(preview.node_id)))
        self.fingerprint_label = FingerprintLabel(preview.fingerprint)
        instruction = QLabel(
            "请对方在其电脑上打开“文件 → 本机与已登记节点”（或拿出打印的指纹单），逐组读出指纹，与下面核对。"
            "只要有一个字符不同，就不要登记：文件可能被调换或改动。"
        )
        instruction.setWordWrap(True)
        self.matches_check = QCheckBox("我已逐组核对，对方显示的指纹与上面完全一致(&M)")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.enrol_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.enrol_button.setText("登记")
        self.enrol_button.setEnabled(False)
        self.matches_check.toggled.connect(self.enrol_button.setEnabled)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(instruction)
        layout.addWidget(self.fingerprint_label)
        layout.addWidget(self.matches_check)
        layout.addWidget(buttons)
