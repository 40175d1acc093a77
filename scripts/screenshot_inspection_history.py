"""Screenshots of an institution's 检查记录 tab (an overdue notice, a correction, violations) and of
the violation dialog.

    .venv/bin/python scripts/screenshot_inspection_history.py [--out out/screenshots]

Runs Qt offscreen on a temporary database with the county demo, on the demo's day.
"""

from __future__ import annotations

import sys
import uuid
from datetime import timedelta

from screenshot_kit import TODAY, shooting

from desktop.domain.checklists import Answer
from desktop.domain.enums import ViolationAction
from desktop.services.inspection_corrections import correct_inspection
from desktop.services.inspection_history import load_inspection_history
from desktop.services.inspection_ledger import due_this_week
from desktop.services.inspections import finish_inspection, load_inspection_form, save_answers
from desktop.services.violations import record_violation
from desktop.ui.dialogs.violation_dialog import violation_dialog
from desktop.ui.widgets.institution_detail_panel import InstitutionDetailPanel


def main() -> int:
    with shooting("tuoyu-history-") as camera:
        ctx = camera.open_demo()
        overdue = next(i for i in due_this_week(ctx, today=TODAY, county_code="620702") if i.kind == "overdue_notice")
        institution_id = uuid.UUID(overdue.institution_id)
        history = load_inspection_history(ctx, institution_id, today=TODAY)
        noticed = next(line for line in history.inspections if line.notice_number == overdue.document_number)
        decided = min(noticed.inspected_on + timedelta(days=7), TODAY)
        first = record_violation(
            ctx,
            noticed.id,
            "未按规定配备灭火器，现场灭火器已过期",
            ViolationAction.FINE,
            decided,
            legal_basis="《中华人民共和国消防法》第六十条",
            fine_fen=50_000,
            decision_number="甘州卫罚〔2026〕3号",
            today=TODAY,
        )
        record_violation(
            ctx,
            noticed.id,
            "未按规定配备灭火器，现场灭火器已过期",
            ViolationAction.FINE,
            decided,
            legal_basis="《中华人民共和国消防法》第六十条",
            fine_fen=500_000,
            decision_number="甘州卫罚〔2026〕3号",
            corrects_id=first.violation_id,
            today=TODAY,
        )
        record_violation(ctx, noticed.id, "未公示收费标准", ViolationAction.ORDER_CORRECTION, decided, today=TODAY)
        passed = next((line for line in history.inspections if line.finished and not line.notice_number), None)
        if passed is not None:
            draft_id = correct_inspection(ctx, passed.id)
            form = load_inspection_form(ctx, draft_id)
            notes = dict(form.notes)
            save_answers(ctx, draft_id, {**form.answers, form.item_codes[0]: Answer.COMPLIANT}, notes)
            finish_inspection(ctx, draft_id, expected_version=load_inspection_form(ctx, draft_id).version, today=TODAY)

        panel = InstitutionDetailPanel(ctx)
        panel.inspections_tab.today = lambda: TODAY
        panel.resize(1400, 820)
        panel.show_institution(institution_id)
        panel.tabs.setCurrentWidget(panel.inspections_tab)
        panel.show()
        tab = panel.inspections_tab
        tab.violations_view.selectRow(len(tab.violations_model.lines) - 1)
        camera.shoot(panel, "16-institution-inspection-history")

        line = tab.history.line(noticed.id)
        dialog = violation_dialog(ctx, line, institution_name=panel.record.form.draft.name, today=TODAY)
        dialog.show()
        camera.settle()
        fields = dialog.panel.fields
        fields["description"].set_value("未对保育人员进行岗前培训")
        fields["action"].set_value(ViolationAction.FINE)
        fields["fine_fen"].set_value(200_000)
        fields["decided_on"].set_value(line.inspected_on - timedelta(days=2))
        camera.shoot(dialog, "17-violation-dialog")
        dialog.close()
        panel.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
