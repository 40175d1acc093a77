"""The register's forms, driven like a clerk: problems appear under their fields, saves land."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from desktop.domain.enums import InstitutionEventKind, OperatingStatus, StaffRole
from desktop.domain.lifecycle_rules import LifecycleState
from desktop.services.institution_commands import load_institution_form
from desktop.services.institution_history import load_history
from desktop.services.institution_record import load_institution_record
from desktop.services.regions import ensure_regions
from desktop.ui.dialogs.institution_dialog import InstitutionDialog
from desktop.ui.dialogs.roster_dialogs import lifecycle_dialog, staff_dialog
from tests.conftest import TODAY
from tests.ui.conftest import type_text

SAVE = QDialogButtonBox.StandardButton.Save


@pytest.fixture
def registry(sqlite_ctx):
    ensure_regions(sqlite_ctx)
    return sqlite_ctx


def _problem_text(dialog, key: str) -> str:
    for panel in dialog.panels.values():
        if key in panel.problem_labels:
            label = panel.problem_labels[key]
            return label.text() if not label.isHidden() else ""
    raise KeyError(key)


def _new_institution(qtbot, registry) -> InstitutionDialog:
    dialog = InstitutionDialog(registry, today=TODAY)
    qtbot.addWidget(dialog)
    name = dialog.panels["基本信息"].fields["name"]
    type_text(name.focus_widget(), "甘州区彩虹树托育中心")
    dialog.panels["地址与联系人"].fields["county_code"].set_value("620702")
    dialog.panels["场地与收费"].fields["slots"].set_value(45)
    return dialog


def test_a_new_institution_is_saved_from_the_form(qtbot, registry):
    dialog = _new_institution(qtbot, registry)
    assert dialog.buttons.button(SAVE).isEnabled()
    dialog.buttons.button(SAVE).click()
    assert dialog.saved_id is not None
    form = load_institution_form(registry, dialog.saved_id)
    assert form.draft.name == "甘州区彩虹树托育中心" and form.draft.slots == 45


def test_a_missing_name_shows_an_error_under_the_name_and_blocks_saving(qtbot, registry):
    dialog = InstitutionDialog(registry, today=TODAY)
    qtbot.addWidget(dialog)
    assert "机构名称" in _problem_text(dialog, "name")
    assert not dialog.buttons.button(SAVE).isEnabled()


def test_a_wrong_credit_code_check_character_is_shown_as_a_warning_but_can_be_saved(qtbot, registry):
    dialog = _new_institution(qtbot, registry)
    type_text(dialog.panels["基本信息"].fields["credit_code"].focus_widget(), "91350100M000100Y44")
    assert "校验" in _problem_text(dialog, "credit_code")
    assert dialog.buttons.button(SAVE).isEnabled()


def test_an_amount_that_is_not_a_number_is_explained(qtbot, registry):
    dialog = _new_institution(qtbot, registry)
    type_text(dialog.panels["场地与收费"].fields["fee_full_day_monthly_fen"].focus_widget(), "一千二")
    assert "不是数字" in _problem_text(dialog, "fee_full_day_monthly_fen")
    assert not dialog.buttons.button(SAVE).isEnabled()


def test_editing_records_the_change_in_history(qtbot, registry):
    created = _new_institution(qtbot, registry)
    created.buttons.button(SAVE).click()
    form = load_institution_form(registry, created.saved_id)
    dialog = InstitutionDialog(registry, form=form, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.panels["场地与收费"].fields["slots"].set_value(60)
    dialog.buttons.button(SAVE).click()
    lines = load_history(registry, created.saved_id)
    assert any(line.field == "托位数" and (line.old, line.new) == ("45", "60") for line in lines)


def test_closing_without_a_reason_is_refused_in_the_form(qtbot, registry):
    created = _new_institution(qtbot, registry)
    created.buttons.button(SAVE).click()
    form = load_institution_form(registry, created.saved_id)
    dialog = lifecycle_dialog(
        registry, created.saved_id, InstitutionEventKind.CLOSED, state=form.lifecycle, version=form.version, today=TODAY
    )
    qtbot.addWidget(dialog)
    assert "原因" in dialog.panel.problem_labels["reason"].text()
    assert not dialog.buttons.button(SAVE).isEnabled()
    type_text(dialog.panel.fields["reason"].focus_widget(), "租赁到期未续租")
    dialog.buttons.button(SAVE).click()
    assert load_institution_form(registry, created.saved_id).lifecycle.operating_status is OperatingStatus.CLOSED


def test_a_wrong_id_number_is_shown_under_the_id_field(qtbot, registry):
    created = _new_institution(qtbot, registry)
    created.buttons.button(SAVE).click()
    dialog = staff_dialog(registry, created.saved_id, today=TODAY, classes=[])
    qtbot.addWidget(dialog)
    type_text(dialog.panel.fields["name"].focus_widget(), "王芳")
    type_text(dialog.panel.fields["id_number"].focus_widget(), "620702199005061243")
    assert "校验" in dialog.panel.problem_labels["id_number"].text()
    assert not dialog.buttons.button(SAVE).isEnabled()
    dialog.panel.fields["id_number"].set_value("620702199005061249")
    dialog.panel.fields["role"].set_value(StaffRole.PRINCIPAL)
    assert dialog.buttons.button(SAVE).isEnabled()
    dialog.buttons.button(SAVE).click()
    record = load_institution_record(registry, created.saved_id, today=TODAY)
    assert [s.name for s in record.staff] == ["王芳"]
    assert record.staff[0].id_number_masked == "620702********1249"


def test_lifecycle_menu_offers_only_what_the_state_allows(qtbot, registry, monkeypatch):
    from desktop.ui.widgets.institution_detail_panel import InstitutionDetailPanel

    created = _new_institution(qtbot, registry)
    created.buttons.button(SAVE).click()
    panel = InstitutionDetailPanel(registry)
    qtbot.addWidget(panel)
    monkeypatch.setattr(
        "desktop.ui.widgets.institution_detail_panel.date",
        type("FixedDate", (date,), {"today": staticmethod(lambda: TODAY)}),
    )
    panel.show_institution(created.saved_id)
    state: LifecycleState = panel.record.form.lifecycle
    assert state.operating_status is OperatingStatus.OPERATING
    assert panel.lifecycle_actions[InstitutionEventKind.SUSPENDED].isEnabled()
    assert not panel.lifecycle_actions[InstitutionEventKind.RESUMED].isEnabled()
    assert panel.history_model.rowCount() > 0
