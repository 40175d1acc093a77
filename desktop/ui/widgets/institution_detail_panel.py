"""The selected institution's record: its fields, classes, staff and enrolled children (ID numbers masked),
lifecycle events, inspections and violations, the register's findings and the change history — with the actions a clerk
takes on it. An overdue rectification is shown under the name, where it cannot be missed."""

from __future__ import annotations

import uuid
from datetime import date
from typing import ClassVar

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.enums import InstitutionEventKind
from desktop.domain.field_labels import INSTITUTION_FIELDS as LABELS
from desktop.domain.lifecycle_rules import LifecycleEvent, check_event
from desktop.domain.problems import Severity
from desktop.domain.registry_rules import format_date_cn
from desktop.errors import TuoyuError
from desktop.services.institution_history import load_history
from desktop.services.institution_record import InstitutionRecord, load_institution_record, load_staff_draft
from desktop.services.roster_commands import delete_class_group, delete_staff_member
from desktop.services.startup import AppContext
from desktop.ui.dialogs.institution_dialog import InstitutionDialog
from desktop.ui.dialogs.roster_dialogs import class_group_dialog, lifecycle_dialog, staff_dialog
from desktop.ui.dialogs.start_inspection import run_new_inspection
from desktop.ui.document_jobs import institution_registration_job
from desktop.ui.print_jobs import PrintJobs
from desktop.ui.tablemodels.rows_table_model import RowsTableModel
from desktop.ui.tasks import TaskRunner
from desktop.ui.widgets.button_row import button_row
from desktop.ui.widgets.children_tab import ChildrenTab
from desktop.ui.widgets.inspection_history_tab import InspectionHistoryTab
from desktop.ui.widgets.read_only_table import read_only_table

ALERT_STYLE = "color: #b3261e; font-weight: bold;"
OPEN_NOTICE_STYLE = "color: #8a5a00;"


def _yuan(fen: int | None) -> str:
    return "—" if fen is None else f"¥{fen / 100:,.2f}"


def _day(value: date | None) -> str:
    return "—" if value is None else format_date_cn(value)


class InstitutionDetailPanel(QWidget):
    SHOWN = (
        "name",
        "credit_code",
        "sponsor_type",
        "ownership",
        "registration_type",
        "service_modes",
        "region",
        "address",
        "legal_representative",
        "principal_name",
        "contact",
        "slots",
        "area",
        "fees",
        "meals",
        "filing",
        "puhui",
        "operating",
        "demonstration",
        "medical",
    )
    CAPTIONS: ClassVar[dict[str, str]] = {
        "region": "所在地区",
        "contact": "联系人 / 电话",
        "area": "建筑 / 户外面积",
        "fees": "收费",
        "meals": "膳食",
        "filing": "备案",
        "puhui": "普惠",
        "operating": "运营状态",
        "demonstration": "示范性机构",
        "medical": "医育结合",
    }

    # The record changed (saved here): the list refreshes that row, or searches again.
    record_changed = Signal(uuid.UUID)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.record: InstitutionRecord | None = None

        self.title = QLabel()
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.title.setWordWrap(True)
        self.alert = QLabel()
        self.alert.setWordWrap(True)
        self.alert.hide()
        self.edit_button = QPushButton("编辑(&E)…")
        self.lifecycle_button = QToolButton()
        self.lifecycle_button.setText("办理 ▾")
        self.lifecycle_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.lifecycle_menu = QMenu(self)
        self.lifecycle_actions: dict[InstitutionEventKind, QAction] = {}
        for kind in InstitutionEventKind:
            action = self.lifecycle_menu.addAction(kind.label + "…")
            action.triggered.connect(lambda _checked=False, k=kind: self._on_lifecycle(k))
            self.lifecycle_actions[kind] = action
        self.lifecycle_button.setMenu(self.lifecycle_menu)
        header = QHBoxLayout()
        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.alert)
        header.addLayout(heading, 1)
        self.inspect_button = QPushButton("检查(&I)…")
        self.print_jobs = PrintJobs(self, TaskRunner(self))
        self.print_button = QPushButton("打印登记表(&P)…")
        self.print_button.setToolTip("托育机构基本情况登记表：档案、班级和从业人员（身份证号已遮挡）")
        self.print_button.clicked.connect(self._on_print)
        header.addWidget(self.edit_button)
        header.addWidget(self.lifecycle_button)
        header.addWidget(self.inspect_button)
        header.addWidget(self.print_button)

        self.tabs = QTabWidget()
        basics = QWidget()
        form = QFormLayout(basics)
        self.values: dict[str, QLabel] = {}
        for key in self.SHOWN:
            value = QLabel("—")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow((self.CAPTIONS.get(key) or LABELS[key]) + "：", value)
            self.values[key] = value
        self.tabs.addTab(basics, "基本信息")
        self.classes_model = RowsTableModel(["班级", "班型", "核定人数", "在托人数", "保育人员"], self)
        self.classes_view = read_only_table(self.classes_model)
        self.tabs.addTab(
            self._with_buttons(self.classes_view, self._on_add_class, self._on_edit_class, self._on_delete_class),
            "班级",
        )
        self.staff_model = RowsTableModel(
            ["姓名", "岗位", "性别", "身份证号", "电话", "班级", "健康证有效期至", "培训学时", "离职日期"], self
        )
        self.staff_view = read_only_table(self.staff_model)
        self.tabs.addTab(
            self._with_buttons(self.staff_view, self._on_add_staff, self._on_edit_staff, self._on_delete_staff),
            "从业人员",
        )
        self.children_tab = ChildrenTab(ctx)
        self.children_tab.changed.connect(self._after_save)
        self.tabs.addTab(self.children_tab, "在托儿童")
        self.events_model = RowsTableModel(["日期", "事项", "文书编号", "原因"], self)
        self.tabs.addTab(read_only_table(self.events_model), "备案与运营")
        self.inspections_tab = InspectionHistoryTab(ctx)
        self.inspections_tab.changed.connect(self._after_save)
        self.tabs.addTab(self.inspections_tab, "检查记录")
        self.problems_model = RowsTableModel(["位置", "级别", "说明"], self)
        self.problems_view = read_only_table(self.problems_model)
        self.tabs.addTab(self.problems_view, "检查提示")
        self.history_model = RowsTableModel(["时间", "操作人", "对象", "操作", "字段", "原值", "新值"], self)
        self.tabs.addTab(read_only_table(self.history_model), "修改历史")

        self.placeholder = QLabel("在左侧列表中选择一家机构查看详情；点“新增机构”登记新机构。")
        self.placeholder.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.placeholder)
        self.header = QWidget()
        self.header.setLayout(header)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        self.header.hide()
        self.tabs.hide()
        self.edit_button.clicked.connect(self._on_edit)
        self.inspect_button.clicked.connect(self._on_inspect)

    def _with_buttons(self, table: QTableView, add, edit, delete) -> QWidget:
        holder = QWidget()
        buttons = [
            QPushButton(text, clicked=slot) for text, slot in (("新增…", add), ("编辑…", edit), ("删除", delete))
        ]
        table.doubleClicked.connect(edit)
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(button_row(buttons))
        box.addWidget(table)
        return holder

    # --- showing --------------------------------------------------------------------------------

    def show_institution(self, institution_id: uuid.UUID | None) -> None:
        if institution_id is None:
            self.record = None
            self.header.hide()
            self.tabs.hide()
            self.placeholder.show()
            return
        try:
            self.record = load_institution_record(self._ctx, institution_id, today=date.today())
        except TuoyuError as error:
            QMessageBox.warning(self, "无法打开记录", error.message)
            self.show_institution(None)
            return
        self._fill(self.record)
        self.placeholder.hide()
        self.header.show()
        self.tabs.show()

    @Slot()
    def _on_print(self) -> None:
        if self.record is not None:
            name = self.record.form.draft.name
            job = institution_registration_job(self._ctx, self.record.form.institution_id, name, date.today())
            self.print_jobs.preview(job)

    def _fill(self, record: InstitutionRecord) -> None:
        d, s = record.form.draft, record.form.lifecycle
        self.title.setText(d.name)
        texts = {
            "name": d.name,
            "credit_code": d.credit_code or "—",
            "sponsor_type": d.sponsor_type.label,
            "ownership": d.ownership.label if d.ownership else "—",
            "registration_type": d.registration_type.label if d.registration_type else "—",
            "service_modes": "、".join(m.label for m in sorted(d.service_modes)) or "—",
            "region": f"{record.county_name} {record.township_name}".strip(),
            "address": d.address or "—",
            "legal_representative": d.legal_representative or "—",
            "principal_name": d.principal_name or "—",
            "contact": f"{d.contact_person or '—'} / {d.contact_phone or '—'}",
            "slots": f"{d.slots} 个",
            "area": f"{d.building_area_m2 or '—'} ㎡ / {d.outdoor_area_m2 or '—'} ㎡",
            "fees": f"全日托 {_yuan(d.fee_full_day_monthly_fen)}/月，半日托 {_yuan(d.fee_half_day_monthly_fen)}/月，"
            f"计时 {_yuan(d.fee_hourly_fen)}/小时",
            "meals": (
                f"提供，伙食费 {_yuan(d.meal_fee_daily_fen)}/天，许可证 {d.food_licence_number or '—'}"
                if d.serves_meals
                else "不提供"
            ),
            "filing": s.filing_status.label + (f"（{s.filing_number}，{_day(s.filed_on)}）" if s.filing_number else ""),
            "puhui": f"是（{_day(s.puhui_recognized_on)}认定）" if s.puhui else "否",
            "operating": s.operating_status.label
            + (f"（{_day(s.status_changed_on)}，{s.status_reason}）" if s.status_reason else ""),
            "demonstration": f"是（{d.demonstration_level.label if d.demonstration_level else '级别未填'}）"
            if d.demonstration
            else "否",
            "medical": f"是（{d.medical_partner_name}）" if d.medical_partnership else "否",
        }
        for key, text in texts.items():
            self.values[key].setText(text)
        self.classes_model.set_rows(
            [(c.name, c.class_type.label, c.capacity, c.enrolled_count, c.carers) for c in record.classes]
        )
        self.staff_model.set_rows(
            [
                (
                    m.name,
                    m.role.label,
                    m.sex.label if m.sex else "",
                    m.id_number_masked,
                    m.phone,
                    m.class_name,
                    _day(m.health_certificate_expires_on),
                    m.training_hours,
                    _day(m.employed_until) if m.employed_until else "",
                )
                for m in record.staff
            ]
        )
        self.events_model.set_rows(
            [(_day(e.occurred_on), e.kind.label, e.document_number or "", e.reason or "") for e in record.events]
        )
        self.problems_model.set_rows(
            [
                (p.where, "错误" if p.problem.severity is Severity.ERROR else "提示", p.problem.message)
                for p in record.problems
            ]
        )
        self.history_model.set_rows(
            [
                (f"{h.at.astimezone():%Y-%m-%d %H:%M}", h.actor, h.subject, h.action, h.field, h.old, h.new)
                for h in load_history(self._ctx, record.form.institution_id)
            ]
        )
        self.tabs.setTabText(1, f"班级（{len(record.classes)}）")
        self.tabs.setTabText(2, f"从业人员（{len(record.staff)}）")
        self.tabs.setTabText(self.tabs.indexOf(self.problems_view), f"检查提示（{len(record.problems)}）")
        self.children_tab.show_children(record.form.institution_id, d.name)
        self.tabs.setTabText(self.tabs.indexOf(self.children_tab), f"在托儿童（{self.children_tab.in_care()}）")
        history = self.inspections_tab.show_history(record.form.institution_id, d.name)
        self.tabs.setTabText(self.tabs.indexOf(self.inspections_tab), f"检查记录（{len(history.inspections)}）")
        alert = self.inspections_tab.alert()
        self.alert.setText(alert)
        self.alert.setStyleSheet(ALERT_STYLE if history.overdue else OPEN_NOTICE_STYLE)
        self.alert.setVisible(bool(alert))
        for kind, action in self.lifecycle_actions.items():
            # Offer only what the record's current state allows (the dialog would refuse the rest).
            probe = LifecycleEvent(kind, date.today(), document_number="-", reason="-")
            action.setEnabled(not check_event(s, probe, today=date.today()))

    # --- actions --------------------------------------------------------------------------------

    def _after_save(self) -> None:
        if self.record is not None:
            institution_id = self.record.form.institution_id
            self.show_institution(institution_id)
            self.record_changed.emit(institution_id)

    @Slot()
    def _on_edit(self) -> None:
        if self.record is None:
            return
        form = self.record.form
        try:
            form = load_institution_record(self._ctx, form.institution_id, today=date.today()).form
        except TuoyuError as error:
            QMessageBox.warning(self, "无法编辑", error.message)
            return
        if InstitutionDialog(self._ctx, form=form, today=date.today(), parent=self).exec():
            self._after_save()

    @Slot()
    def _on_inspect(self) -> None:
        if self.record is not None and run_new_inspection(self._ctx, self.record.form.institution_id, parent=self):
            self._after_save()

    def _on_lifecycle(self, kind: InstitutionEventKind) -> None:
        if self.record is None:
            return
        form = self.record.form
        dialog = lifecycle_dialog(
            self._ctx,
            form.institution_id,
            kind,
            state=form.lifecycle,
            version=form.version,
            today=date.today(),
            parent=self,
        )
        if dialog.exec():
            self._after_save()

    def _selected(self, view: QTableView, lines: tuple) -> object | None:
        rows = view.selectionModel().selectedRows()
        return lines[rows[0].row()] if rows else None

    @Slot()
    def _on_add_class(self) -> None:
        if self.record and class_group_dialog(self._ctx, self.record.form.institution_id, parent=self).exec():
            self._after_save()

    @Slot()
    def _on_edit_class(self) -> None:
        line = self._selected(self.classes_view, self.record.classes) if self.record else None
        if line and class_group_dialog(self._ctx, self.record.form.institution_id, line=line, parent=self).exec():
            self._after_save()

    @Slot()
    def _on_delete_class(self) -> None:
        line = self._selected(self.classes_view, self.record.classes) if self.record else None
        if line is None or not self._confirm(f"删除班级“{line.name}”？该班的保育人员将保留在人员名单中。"):
            return
        self._run(lambda: delete_class_group(self._ctx, line.id, expected_version=line.version))

    @Slot()
    def _on_add_staff(self) -> None:
        if (
            self.record
            and staff_dialog(
                self._ctx,
                self.record.form.institution_id,
                today=date.today(),
                classes=list(self.record.classes),
                parent=self,
            ).exec()
        ):
            self._after_save()

    @Slot()
    def _on_edit_staff(self) -> None:
        line = self._selected(self.staff_view, self.record.staff) if self.record else None
        if line is None:
            return
        try:
            current, version = load_staff_draft(self._ctx, line.id)
        except TuoyuError as error:
            QMessageBox.warning(self, "无法编辑", error.message)
            return
        if staff_dialog(
            self._ctx,
            self.record.form.institution_id,
            today=date.today(),
            classes=list(self.record.classes),
            staff_id=line.id,
            current=current,
            version=version,
            parent=self,
        ).exec():
            self._after_save()

    @Slot()
    def _on_delete_staff(self) -> None:
        line = self._selected(self.staff_view, self.record.staff) if self.record else None
        if line is None or not self._confirm(
            f"删除“{line.name}”的人员记录？已离职的人员请改为填写离职日期，而不是删除。"
        ):
            return
        self._run(lambda: delete_staff_member(self._ctx, line.id, expected_version=line.version))

    def _confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self, "请确认", question)
        return answer == QMessageBox.StandardButton.Yes

    def _run(self, command) -> None:
        try:
            command()
        except TuoyuError as error:
            QMessageBox.warning(self, "未完成", error.message)
            return
        self._after_save()
