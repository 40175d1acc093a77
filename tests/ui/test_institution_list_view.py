"""The institution register screen, driven like a clerk would drive it."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint, Qt

from desktop.demo.zhangye import Scale
from desktop.domain.pinyin_search import name_initials
from desktop.services.demo_service import load_demo
from desktop.ui.views.institution_list_view import InstitutionListView
from tests.conftest import TODAY
from tests.ui.conftest import type_text


@pytest.fixture
def view(qtbot, sqlite_ctx):
    load_demo(sqlite_ctx, scale=Scale.COUNTY, seed=7, today=TODAY)
    widget = InstitutionListView(sqlite_ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    return widget


def _shown_names(view):
    model = view.model
    return [model.data(model.index(row, 0)) for row in range(model.rowCount())]


def test_the_whole_register_is_listed_with_a_count(view):
    assert view.model.rowCount() == 160
    assert view.count_label.text() == "共 160 家机构"


def test_typing_chinese_narrows_the_list_as_you_type(view):
    view.search_edit.setFocus()
    type_text(view.search_edit, "托")
    after_one = view.model.rowCount()
    type_text(view.search_edit, "班")
    names = _shown_names(view)
    assert 0 < len(names) < after_one <= 160
    assert all("托班" in name for name in names if name)  # names, or addresses, hold the fragment
    assert view.search_edit.text() == "托班"


def test_typing_pinyin_initials_finds_zhangye_childcare_centres(qtbot, view):
    qtbot.keyClicks(view.search_edit, "zyty")
    names = _shown_names(view)
    assert names and all(re.match("z.*y.*t.*y", name_initials(n)) or "zyty" in name_initials(n) for n in names)


def test_a_county_filter_and_clearing_it(view):
    index = view.county_combo.findText("民乐县")
    view.county_combo.setCurrentIndex(index)
    filtered = view.model.rowCount()
    assert 0 < filtered < 160
    assert {view.model.data(view.model.index(r, 1)) for r in range(filtered)} == {"民乐县"}
    view.clear_button.click()
    assert view.model.rowCount() == 160 and view.county_combo.currentIndex() == 0


def _slots(view):
    return [view.model.data(view.model.index(r, 4)) for r in range(view.model.rowCount())]


def test_clicking_the_slots_header_sorts_in_sql_and_again_reverses(qtbot, view):
    header = view.table.horizontalHeader()
    where = QPoint(header.sectionViewportPosition(4) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)
    first = _slots(view)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)
    second = _slots(view)
    assert {tuple(first), tuple(second)} == {tuple(sorted(first)), tuple(sorted(first, reverse=True))}
    assert first != second


def test_selecting_a_row_shows_the_record_with_masked_id_numbers(view):
    view.table.selectRow(0)
    assert view.detail.tabs.isVisible()
    assert view.detail.values["name"].text() == view.model.data(view.model.index(0, 0))
    staff = view.detail.staff_model
    assert staff.rowCount() > 0
    id_column = 3
    for row in range(staff.rowCount()):
        masked = staff.data(staff.index(row, id_column))
        assert re.fullmatch(r"\d{6}\*{8}[\dX]{4}", masked), masked


def test_the_selection_survives_a_new_search_that_still_contains_it(view):
    view.table.selectRow(3)
    chosen = view.detail.values["name"].text()
    type_text(view.search_edit, chosen[-2:])
    assert view.detail.values["name"].text() == chosen
