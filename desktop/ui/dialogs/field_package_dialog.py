"""导出检查任务包: choose the inspector, which institutions go, and how many notice numbers to reserve."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.services.field_packages import DEFAULT_RESERVED_NUMBERS, Scope
from desktop.services.inspectors import InspectorEntry


class FieldPackageDialog(QDialog):
    def __init__(self, inspectors: list[InspectorEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("导出检查任务包")
        self._inspectors = inspectors
        self.inspector_combo = QComboBox()
        for person in inspectors:
            self.inspector_combo.addItem(f"{person.county_name}　{person.name}（{person.username}）")
        self.assigned_radio = QRadioButton("本季度双随机抽中、分配给该检查员的机构(&A)")
        self.county_radio = QRadioButton("该检查员所在县区的全部运营机构(&C)")
        self.assigned_radio.setChecked(True)
        self.reserve_spin = QSpinBox()
        self.reserve_spin.setRange(1, 500)
        self.reserve_spin.setValue(DEFAULT_RESERVED_NUMBERS)
        self.reserve_spin.setSuffix(" 个")
        note = QLabel(
            "整改中的机构总会放入任务包，以便现场回头看。任务包不含儿童信息，从业人员身份证号只含前 6 位和后 4 位。\n"
            "预留的整改通知书编号供笔记本现场出具通知书，未用完的编号作废，不再使用。"
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("检查员(&I)：", self.inspector_combo)
        form.addRow("机构范围：", self.assigned_radio)
        form.addRow("", self.county_radio)
        form.addRow("预留通知书编号(&R)：", self.reserve_spin)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("选择保存位置并导出…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    @property
    def inspector(self) -> InspectorEntry:
        return self._inspectors[self.inspector_combo.currentIndex()]

    @property
    def scope(self) -> str:
        return Scope.COUNTY if self.county_radio.isChecked() else Scope.ASSIGNED

    @property
    def reserve(self) -> int:
        return self.reserve_spin.value()
