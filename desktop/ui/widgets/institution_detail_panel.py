"""The selected institution's record, read-only: basic facts, classes and staff (ID numbers masked)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.services.institution_queries import InstitutionDetail
from desktop.ui.tablemodels.rows_table_model import RowsTableModel


def _yuan(fen: int | None) -> str:
    return "—" if fen is None else f"¥{fen / 100:,.2f}"


def _day(value: date | None) -> str:
    return "—" if value is None else f"{value.year}年{value.month}月{value.day}日"


class InstitutionDetailPanel(QWidget):
    FIELDS = (
        ("name", "机构名称"),
        ("credit_code", "统一社会信用代码"),
        ("sponsor", "举办主体"),
        ("ownership", "办托体制"),
        ("registration", "登记类型"),
        ("modes", "服务形式"),
        ("region", "所在地区"),
        ("address", "地址"),
        ("legal", "法定代表人"),
        ("principal", "负责人"),
        ("contact", "联系人 / 电话"),
        ("slots", "托位数"),
        ("area", "建筑面积 / 户外面积"),
        ("fee", "全日托月收费"),
        ("filing", "备案"),
        ("puhui", "普惠"),
        ("status", "运营状态"),
        ("demonstration", "示范性机构"),
        ("medical", "医育结合"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tabs = QTabWidget(self)
        basics = QWidget()
        form = QFormLayout(basics)
        self.values: dict[str, QLabel] = {}
        for key, label in self.FIELDS:
            value = QLabel("—")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label + "：", value)
            self.values[key] = value
        self.tabs.addTab(basics, "基本信息")
        self.classes_model = RowsTableModel(["班级", "班型", "核定人数", "在托人数"], self)
        self.tabs.addTab(self._table(self.classes_model), "班级")
        self.staff_model = RowsTableModel(
            ["姓名", "岗位", "性别", "身份证号", "电话", "健康证有效期至", "培训学时"], self
        )
        self.tabs.addTab(self._table(self.staff_model), "从业人员")
        self.placeholder = QLabel("在左侧列表中选择一家机构查看详情。")
        self.placeholder.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.tabs)
        self.tabs.hide()

    def _table(self, model: RowsTableModel) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.verticalHeader().hide()
        return view

    def show_detail(self, detail: InstitutionDetail | None) -> None:
        if detail is None:
            self.tabs.hide()
            self.placeholder.show()
            return
        d = detail
        texts = {
            "name": d.name,
            "credit_code": d.credit_code or "—",
            "sponsor": d.sponsor_type.label,
            "ownership": d.ownership.label if d.ownership else "—",
            "registration": d.registration_type.label if d.registration_type else "—",
            "modes": "、".join(m.label for m in sorted(d.service_modes)) or "—",
            "region": f"{d.county_name} {d.township_name}".strip(),
            "address": d.address or "—",
            "legal": d.legal_representative or "—",
            "principal": d.principal_name or "—",
            "contact": f"{d.contact_person or '—'} / {d.contact_phone or '—'}",
            "slots": f"{d.slots} 个",
            "area": f"{d.building_area_m2 or '—'} ㎡ / {d.outdoor_area_m2 or '—'} ㎡",
            "fee": _yuan(d.fee_full_day_monthly_fen),
            "filing": d.filing_status.label + (f"（{d.filing_number}，{_day(d.filed_on)}）" if d.filing_number else ""),
            "puhui": f"是（{_day(d.puhui_recognized_on)}认定）" if d.puhui else "否",
            "status": d.operating_status.label + (f"（{d.status_reason}）" if d.status_reason else ""),
            "demonstration": "是" if d.demonstration else "否",
            "medical": f"是（{d.medical_partner_name}）" if d.medical_partnership else "否",
        }
        for key, text in texts.items():
            self.values[key].setText(text)
        self.classes_model.set_rows([(c.name, c.class_type.label, c.capacity, c.enrolled_count) for c in d.classes])
        self.staff_model.set_rows(
            [
                (
                    s.name,
                    s.role.label,
                    s.sex.label if s.sex else "",
                    s.id_number_masked,
                    s.phone,
                    _day(s.health_certificate_expires_on),
                    s.training_hours,
                )
                for s in d.staff
            ]
        )
        self.tabs.setTabText(1, f"班级（{len(d.classes)}）")
        self.tabs.setTabText(2, f"从业人员（{len(d.staff)}）")
        self.placeholder.hide()
        self.tabs.show()
