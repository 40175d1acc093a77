"""新建检查: the kinds that have a checklist, the drawn pair for a spot check, the representative."""

from __future__ import annotations

import json
import uuid
from datetime import date

from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from desktop.demo.zhangye import Scale
from desktop.domain.enums import InspectionKind
from desktop.models import Inspection, RandomDraw
from desktop.services.demo_service import load_demo
from desktop.ui.dialogs.start_inspection import StartInspectionDialog
from tests.ui.conftest import type_text

TODAY = date(2026, 9, 10)  # in 2026Q3, whose draw the demo has made


def _drawn(ctx):
    with ctx.db.session_factory() as session:
        draw = session.scalars(select(RandomDraw).where(RandomDraw.period == "2026Q3")).first()
    return draw.id, uuid.UUID(json.loads(draw.result_json)[0]["institution_id"])


def test_a_drawn_spot_check_starts_with_its_pair_and_records_the_draw(qtbot, sqlite_ctx, monkeypatch):
    load_demo(sqlite_ctx, scale=Scale.COUNTY, seed=7, today=date(2026, 11, 23))
    draw_id, institution_id = _drawn(sqlite_ctx)
    dialog = StartInspectionDialog(sqlite_ctx, institution_id, today=TODAY)
    qtbot.addWidget(dialog)
    labels = [c.label for c in dialog.choices]
    assert not any("专项检查" in label for label in labels)  # no checklist covers it: not offered
    dialog.kind_combo.setCurrentIndex(
        next(i for i, c in enumerate(dialog.choices) if c.kind.name == "QUARTERLY_SPOT_CHECK")
    )
    assert dialog.draw_id == draw_id and len(dialog.inspectors_edit.text().split("、")) == 2
    assert "双随机" in dialog.draw_label.text()

    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    dialog.inspectors_edit.setText("王芳")
    dialog._on_accept()
    assert warnings and "两名以上" in warnings[0] and dialog.inspection_id is None

    dialog.inspectors_edit.setText("王芳，李强")
    dialog.representative_edit.setFocus()
    type_text(dialog.representative_edit, "张园长")
    dialog._on_accept()
    with sqlite_ctx.db.session_factory() as session:
        inspection = session.get(Inspection, dialog.inspection_id)
    assert (inspection.kind, inspection.period, inspection.draw_id) == (
        InspectionKind.QUARTERLY_SPOT_CHECK,
        "2026Q3",
        draw_id,
    )
    assert inspection.inspectors == "王芳、李强" and inspection.representative == "张园长"


def test_a_half_year_inspection_names_nobody_in_advance(qtbot, sqlite_ctx):
    load_demo(sqlite_ctx, scale=Scale.COUNTY, seed=7, today=date(2026, 11, 23))
    _, institution_id = _drawn(sqlite_ctx)
    dialog = StartInspectionDialog(sqlite_ctx, institution_id, today=TODAY)
    qtbot.addWidget(dialog)
    assert dialog.choice.kind is InspectionKind.SEMIANNUAL_INSPECTION and dialog.choice.period == "2026H2"
    assert dialog.draw_id is None and dialog.inspectors_edit.text() == ""
