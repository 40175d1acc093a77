"""Create or edit an institution: every field of the register, each problem shown under its field.

A new record also takes its known filing, 普惠 and operating state (which become dated events);
an existing record's lifecycle changes through the lifecycle dialog, not here.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from desktop.domain.enums import (
    DemonstrationLevel,
    FilingStatus,
    OperatingStatus,
    Ownership,
    RegistrationType,
    ServiceMode,
    SponsorType,
)
from desktop.domain.field_labels import INSTITUTION_FIELDS as LABELS
from desktop.domain.lifecycle_rules import LifecycleState
from desktop.domain.problems import Problem, Severity, has_errors
from desktop.errors import TuoyuError
from desktop.services import regions
from desktop.services.institution_commands import (
    InstitutionDraft,
    InstitutionForm,
    ValidationFailed,
    create_institution,
    update_institution,
    validate_institution,
)
from desktop.services.startup import AppContext
from desktop.ui.widgets.form_fields import (
    ERROR_STYLE,
    WARNING_STYLE,
    BoolField,
    ChoiceField,
    DateField,
    DecimalField,
    EnumSetField,
    Field,
    FormPanel,
    IntField,
    TextField,
)


def _f(key: str, field: Field) -> tuple[str, str, Field]:
    return key, LABELS[key], field


class InstitutionDialog(QDialog):
    """``form`` None creates a new institution; otherwise edits it."""

    def __init__(
        self, ctx: AppContext, *, form: InstitutionForm | None = None, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx, self._form, self._today = ctx, form, today
        self.saved_id = None
        self.setWindowTitle("新增托育机构" if form is None else f"编辑：{form.draft.name}")
        self.resize(760, 720)

        self.county = ChoiceField((c.name, c.code) for c in regions.counties(ctx))
        self.township = ChoiceField((), optional=True)
        self.panels = {
            "基本信息": FormPanel(
                [
                    _f("name", TextField(placeholder="与登记证书一致，如：张掖市甘州区阳光托育中心")),
                    _f("credit_code", TextField(placeholder="18 位统一社会信用代码")),
                    _f("sponsor_type", ChoiceField.of_enum(SponsorType)),
                    _f("ownership", ChoiceField.of_enum(Ownership, optional=True)),
                    _f("registration_type", ChoiceField.of_enum(RegistrationType, optional=True)),
                    _f("service_modes", EnumSetField(ServiceMode)),
                    _f("chain_brand", TextField()),
                    _f("notes", TextField(multiline=True)),
                ]
            ),
            "地址与联系人": FormPanel(
                [
                    _f("county_code", self.county),
                    _f("township_code", self.township),
                    _f("address", TextField()),
                    _f("legal_representative", TextField()),
                    _f("principal_name", TextField()),
                    _f("contact_person", TextField()),
                    _f("contact_phone", TextField(placeholder="手机号或带区号的固定电话，如 0936-8212345")),
                ]
            ),
            "场地与收费": FormPanel(
                [
                    _f("slots", IntField(suffix=" 个")),
                    _f("building_area_m2", DecimalField(placeholder="平方米")),
                    _f("outdoor_area_m2", DecimalField(placeholder="平方米")),
                    _f("premises_leased", BoolField()),
                    _f("lease_expires_on", DateField()),
                    _f("fee_full_day_monthly_fen", DecimalField(scale=100, placeholder="元/月")),
                    _f("fee_half_day_monthly_fen", DecimalField(scale=100, placeholder="元/月")),
                    _f("fee_hourly_fen", DecimalField(scale=100, placeholder="元/小时")),
                    _f("meal_fee_daily_fen", DecimalField(scale=100, placeholder="元/天")),
                    _f("serves_meals", BoolField()),
                    _f("food_licence_number", TextField()),
                ]
            ),
            "示范与医育结合": FormPanel(
                [
                    _f("demonstration", BoolField()),
                    _f("demonstration_level", ChoiceField.of_enum(DemonstrationLevel, optional=True)),
                    _f("demonstration_recognized_on", DateField()),
                    _f("medical_partnership", BoolField()),
                    _f("medical_partner_name", TextField()),
                ]
            ),
        }
        if form is None:  # a new record states what is already true about it; later changes are events
            self.panels["备案与运营（建档时状态）"] = FormPanel(
                [
                    _f("filing_status", ChoiceField.of_enum(FilingStatus)),
                    _f("filing_number", TextField(placeholder="如：甘州卫托备〔2024〕15号")),
                    _f("filed_on", DateField()),
                    _f("puhui", BoolField()),
                    _f("puhui_recognized_on", DateField()),
                    _f("operating_status", ChoiceField.of_enum(OperatingStatus)),
                    _f("opened_on", DateField()),
                    _f("status_changed_on", DateField()),
                    _f("status_reason", TextField()),
                ]
            )

        self.tabs = QTabWidget()
        for title, panel in self.panels.items():
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(panel)
            self.tabs.addTab(scroll, title)
        self.general_problems = QLabel()
        self.general_problems.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.general_problems)
        layout.addWidget(self.buttons)

        self._load(form)
        self.county.changed.connect(self._on_county_changed)
        for panel in self.panels.values():
            for field in panel.fields.values():
                field.changed.connect(self._on_changed)
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        self._on_changed()

    # --- values ---------------------------------------------------------------------------------

    def _all_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for panel in self.panels.values():
            values |= panel.values()
        return values

    def draft(self) -> InstitutionDraft:
        values = self._all_values()
        return InstitutionDraft(**{f.name: values[f.name] for f in fields(InstitutionDraft)})

    def lifecycle(self) -> LifecycleState:
        if self._form is not None:
            return self._form.lifecycle
        values = self._all_values()
        return LifecycleState(**{f.name: values[f.name] for f in fields(LifecycleState)})

    def _load(self, form: InstitutionForm | None) -> None:
        values = (
            asdict(form.draft) | asdict(form.lifecycle)
            if form
            else {"operating_status": OperatingStatus.OPERATING, "service_modes": frozenset({ServiceMode.FULL_DAY})}
        )
        if "county_code" in values:
            self.county.set_value(values["county_code"])
        self._on_county_changed()
        for panel in self.panels.values():
            panel.set_values(values)

    # --- problems -------------------------------------------------------------------------------

    def problems(self) -> tuple[Problem, ...]:
        parse = [p for panel in self.panels.values() for p in panel.parse_problems()]
        if parse:
            return tuple(parse)
        return validate_institution(self.draft(), self.lifecycle(), today=self._today)

    def _show(self, problems: tuple[Problem, ...]) -> None:
        rest = list(problems)
        for index, panel in enumerate(self.panels.values()):
            mine = [p for p in rest if p.field in panel.fields]
            panel.show_problems(mine)
            errors = sum(1 for p in mine if p.severity is Severity.ERROR)
            title = list(self.panels)[index]
            self.tabs.setTabText(index, f"{title}（{errors} 处错误）" if errors else title)
        unplaced = [p for p in rest if not any(p.field in panel.fields for panel in self.panels.values())]
        self.general_problems.setText("\n".join(p.message for p in unplaced))
        self.general_problems.setStyleSheet(ERROR_STYLE if has_errors(unplaced) else WARNING_STYLE)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not has_errors(problems))

    # --- slots ----------------------------------------------------------------------------------

    @Slot()
    def _on_county_changed(self) -> None:
        county_code = self.county.value()
        options = ((t.name, t.code) for t in regions.townships(self._ctx, county_code)) if county_code else ()
        self.township.set_options(options, optional=True)

    @Slot()
    def _on_changed(self) -> None:
        self._show(self.problems())

    @Slot()
    def _on_save(self) -> None:
        try:
            if self._form is None:
                outcome = create_institution(self._ctx, self.draft(), self.lifecycle(), today=self._today)
            else:
                outcome = update_institution(
                    self._ctx,
                    self._form.institution_id,
                    self.draft(),
                    expected_version=self._form.version,
                    today=self._today,
                )
        except ValidationFailed as failure:
            self._show(failure.problems)
            return
        except TuoyuError as error:
            self.general_problems.setStyleSheet(ERROR_STYLE)
            self.general_problems.setText(error.message)
            return
        self.saved_id = outcome.institution_id
        self.accept()
