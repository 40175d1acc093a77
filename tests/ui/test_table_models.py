"""Table models honour Qt's contract and load rows a page at a time."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt

from desktop.domain.enums import FilingStatus, OperatingStatus, SponsorType
from desktop.services.institution_queries import InstitutionRow
from desktop.ui.tablemodels.institution_table_model import PAGE_SIZE, InstitutionTableModel
from desktop.ui.tablemodels.rows_table_model import RowsTableModel


class FakeRows:
    def __init__(self):
        self.calls: list[list[uuid.UUID]] = []

    def load(self, ids):
        self.calls.append(list(ids))
        return {
            i: InstitutionRow(
                i,
                f"机构{n}",
                "甘州区",
                "东街街道",
                SponsorType.SOCIAL,
                n,
                n % 2 == 0,
                FilingStatus.FILED,
                OperatingStatus.OPERATING,
                "91620702MA00000000",
                "0936-1234567",
            )
            for n, i in enumerate(ids)
        }


def test_institution_model_honours_the_qt_contract(qtmodeltester):
    model = InstitutionTableModel(FakeRows().load)
    model.set_keys([uuid.uuid4() for _ in range(3)])
    qtmodeltester.check(model)


def test_rows_load_one_page_at_a_time():
    fake = FakeRows()
    model = InstitutionTableModel(fake.load)
    ids = [uuid.uuid4() for _ in range(1000)]
    model.set_keys(ids)
    assert fake.calls == []  # nothing is loaded until something is painted
    model.data(model.index(0, 0))
    model.data(model.index(PAGE_SIZE - 1, 0))
    assert fake.calls == [ids[:PAGE_SIZE]]
    model.data(model.index(PAGE_SIZE + 5, 0))
    assert fake.calls[1] == ids[PAGE_SIZE : 2 * PAGE_SIZE]


def test_cells_show_chinese_labels_and_the_id_role_gives_the_id():
    fake = FakeRows()
    model = InstitutionTableModel(fake.load)
    ids = [uuid.uuid4()]
    model.set_keys([i.hex for i in ids])  # SQLite hands keys back as hex text
    assert model.data(model.index(0, 3)) == "社会力量举办"
    assert model.data(model.index(0, 6)) == "已备案"
    assert model.data(model.index(0, 0), InstitutionTableModel.IdRole) == str(ids[0])
    assert model.headerData(0, Qt.Orientation.Horizontal) == "机构名称"


def test_clicking_a_header_asks_for_an_sql_sort(qtbot):
    model = InstitutionTableModel(FakeRows().load)
    with qtbot.waitSignal(model.sort_requested) as blocker:
        model.sort(4, Qt.SortOrder.DescendingOrder)
    assert blocker.args == ["slots", True]


def test_rows_model_honours_the_qt_contract(qtmodeltester):
    model = RowsTableModel(["姓名", "岗位"])
    model.set_rows([("王芳", "保育人员"), ("李娜", None)])
    qtmodeltester.check(model)
    assert model.data(model.index(1, 1)) == ""


def test_numbers_and_money_columns_are_right_aligned(qtbot):
    from PySide6.QtCore import Qt

    from desktop.ui.tablemodels.rows_table_model import RIGHT_ALIGNED, RowsTableModel

    model = RowsTableModel(["机构", "金额（元）", "人数"])
    model.set_rows([("甘州区阳光托育中心", "14,600.00", 73)])
    alignment = [model.data(model.index(0, c), Qt.ItemDataRole.TextAlignmentRole) for c in range(3)]
    assert alignment == [None, RIGHT_ALIGNED, RIGHT_ALIGNED]
