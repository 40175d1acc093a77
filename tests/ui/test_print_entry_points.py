"""Where a clerk prints each document, on the county demo: the register form from an institution's record, the
复查意见书 from a 回头看 in its 检查记录 tab, the quarter's draw list and the county summary from 检查 → 打印."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from desktop.models import Institution, RectificationClosure, RectificationNotice
from desktop.services.inspection_history import load_inspection_history
from desktop.services.random_draws import draw_counties
from desktop.ui.views.inspection_overview_view import InspectionOverviewView
from desktop.ui.widgets.institution_detail_panel import InstitutionDetailPanel
from tests.conftest import TODAY
from tests.pdf_reading import pdf_text, squeezed

GANZHOU = "620702"


@pytest.fixture
def told(monkeypatch) -> list[tuple[str, str]]:
    said: list[tuple[str, str]] = []
    for kind in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, kind, lambda _parent, title, text, *a, **k: said.append((title, text)))
    return said


def previewed_text(qtbot, jobs) -> str:
    qtbot.waitUntil(lambda: jobs.last_preview is not None, timeout=20_000)
    preview, jobs.last_preview = jobs.last_preview, None
    text = squeezed(pdf_text(preview.printed.pdf))
    preview.close()
    return text


def test_an_institutions_record_prints_its_register_form(qtbot, demo_ctx, told) -> None:
    with demo_ctx.db.session_factory() as session:
        institution = session.scalars(select(Institution).order_by(Institution.name)).first()
        institution_id, name = institution.id, institution.name
    panel = InstitutionDetailPanel(demo_ctx)
    qtbot.addWidget(panel)
    panel.show_institution(institution_id)
    panel.print_button.click()
    text = previewed_text(qtbot, panel.print_jobs)
    assert "托育机构基本情况登记表" in text and squeezed(name) in text and told == []


def test_a_follow_up_prints_its_opinion_from_the_inspection_tab(qtbot, demo_ctx, told) -> None:
    with demo_ctx.db.session_factory() as session:
        closed = session.execute(
            select(
                RectificationNotice.institution_id, RectificationNotice.document_number, RectificationNotice.items_json
            )
            .join(RectificationClosure, RectificationClosure.notice_id == RectificationNotice.id)
            .order_by(RectificationNotice.document_number)
        ).first()
    panel = InstitutionDetailPanel(demo_ctx)
    qtbot.addWidget(panel)
    tab = panel.inspections_tab
    tab.today = lambda: TODAY
    panel.show_institution(closed.institution_id)
    history = load_inspection_history(demo_ctx, closed.institution_id, today=TODAY)
    row = next(
        n for n, line in enumerate(history.inspections) if line.follow_up_notice_number == closed.document_number
    )
    tab.view.selectRow(row)
    tab._enable_print_actions()
    assert tab.print_opinion_action.isEnabled() and tab.print_record_action.isEnabled()
    tab.print_opinion_action.trigger()
    text = previewed_text(qtbot, tab.print_jobs)
    assert "复查意见书" in text and closed.document_number in text
    assert told == []


def test_the_overview_prints_the_draw_list_and_the_summary_of_the_chosen_county(qtbot, demo_ctx, told) -> None:
    view = InspectionOverviewView(demo_ctx, today=TODAY)
    qtbot.addWidget(view)
    view.print_draw_action.trigger()
    assert told == [("打印双随机抽查名单", "双随机抽查名单按县区打印：请先在上方选择一个县区。")]
    view.county_combo.setCurrentIndex(view.county_combo.findData(GANZHOU))

    view.print_summary_action.trigger()
    text = previewed_text(qtbot, view.print_jobs)
    assert "甘州区" in text and "2026" in text and "托位" in text

    view.print_draw_action.trigger()  # nothing drawn for 2026Q4 yet: said, nothing printed
    qtbot.waitUntil(lambda: len(told) == 2, timeout=20_000)
    assert told[-1][0] == "未能打印" and view.print_jobs.last_preview is None
    draw_counties(demo_ctx, period="2026Q4", seed=20261001, rate=0.2, county_code=GANZHOU)
    view.print_draw_action.trigger()
    text = previewed_text(qtbot, view.print_jobs)
    assert "双随机" in text and "甘州区" in text and "20261001" in text
