"""A roster from Excel: dry run, all or nothing, idempotent by ID number, warnings across the county, audited masked."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import text

from desktop.domain.enums import OperatingStatus, SponsorType
from desktop.domain.identifiers import make_id_number, mask_id_number
from desktop.domain.lifecycle_rules import LifecycleState
from desktop.errors import NotFoundError, TuoyuError
from desktop.services.children import ChildDraft, list_children, load_child, mark_child_left, save_child
from desktop.services.children_import import find_institution, import_children
from desktop.services.institution_commands import InstitutionDraft, create_institution
from desktop.services.regions import ensure_regions
from tests.conftest import TODAY

HEADER = ["序号", "幼儿姓名", "身份证号码", "性别", "家长姓名", "家长电话", "入托日期", "离托日期"]
IDS = [make_id_number("620702", date(2024, 5, 1 + n), 100 + 2 * n) for n in range(3)]
CODE = "91350100M000100Y43"


def _row(n: int, **changes: object) -> list[object]:
    values = dict(zip(HEADER, [n + 1, f"幼儿{n + 1}", IDS[n], "女", "王芳", "13912345678", "2026-03-01", None],
                      strict=True))  # fmt: skip
    return list((values | changes).values())


def _sheet(tmp_path, rows, name="幼儿名单.xlsx"):
    workbook = Workbook()
    workbook.active.append(HEADER)
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def _institution(ctx, name, *, county="620702", code=None):
    draft = InstitutionDraft(name=name, sponsor_type=SponsorType.SOCIAL, county_code=county, slots=40, credit_code=code)
    lifecycle = LifecycleState(operating_status=OperatingStatus.OPERATING, opened_on=date(2024, 3, 1))
    return create_institution(ctx, draft, lifecycle, today=TODAY).institution_id


@pytest.fixture
def roster(ctx):
    ensure_regions(ctx)
    return ctx, _institution(ctx, "甘州区阳光托育中心", code=CODE)


def _fingerprint(ctx) -> str:
    digest = hashlib.sha256()
    with ctx.db.engine.connect() as connection:
        for table in ("children", "audit_log"):
            for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY id")):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def test_a_dry_run_reports_and_writes_nothing(roster, tmp_path):
    ctx, institution_id = roster
    before = _fingerprint(ctx)
    report = import_children(ctx, _sheet(tmp_path, [_row(0), _row(1)]), institution_id=institution_id, today=TODAY,
                             dry_run=True)  # fmt: skip
    assert (report.created, report.updated, report.unchanged, report.committed) == (2, 0, 0, False)
    assert _fingerprint(ctx) == before


def test_one_bad_row_stops_everything_and_the_copy_carries_the_reasons(roster, tmp_path):
    ctx, institution_id = roster
    before = _fingerprint(ctx)
    source = _sheet(tmp_path, [_row(0), _row(1, 身份证号码=IDS[1][:17] + "0"), _row(2, 入托日期="2027-01-05")])
    copy = tmp_path / "幼儿名单_错误标注.xlsx"
    report = import_children(ctx, source, institution_id=institution_id, today=TODAY, write_errors_to=copy)
    assert not report.committed and report.created == 1
    assert [(e.row, e.column) for e in report.errors] == [(3, "身份证号码"), (4, "入托日期")]
    assert _fingerprint(ctx) == before
    sheet = load_workbook(copy).active
    assert sheet.cell(1, 9).value == "错误原因" and "校验位" in sheet.cell(3, 9).value


def test_importing_the_same_file_again_changes_nothing(roster, tmp_path):
    ctx, institution_id = roster
    source = _sheet(tmp_path, [_row(0), _row(1), _row(2)])
    first = import_children(ctx, source, institution_id=institution_id, today=TODAY)
    assert (first.created, first.committed, first.changes.institutions) == (3, True, {institution_id})
    lines = list_children(ctx, institution_id, today=TODAY)
    assert sorted(line.id_number_masked for line in lines) == sorted(mask_id_number(i) for i in IDS)
    assert {line.birth_date for line in lines} == {date(2024, 5, 1), date(2024, 5, 2), date(2024, 5, 3)}
    after_first = _fingerprint(ctx)
    again = import_children(ctx, source, institution_id=institution_id, today=TODAY)
    assert (again.created, again.updated, again.unchanged, again.committed) == (0, 0, 3, True)
    assert _fingerprint(ctx) == after_first


def test_a_changed_row_updates_the_child_and_a_blank_cell_wipes_nothing(roster, tmp_path):
    ctx, institution_id = roster
    import_children(ctx, _sheet(tmp_path, [_row(0), _row(1)]), institution_id=institution_id, today=TODAY)
    (first, *_) = [line for line in list_children(ctx, institution_id, today=TODAY) if line.name == "幼儿1"]
    mark_child_left(ctx, first.id, date(2026, 10, 31), expected_version=first.version, today=TODAY)
    report = import_children(ctx, _sheet(tmp_path, [_row(0), _row(1, 家长姓名="李强")], "第二版.xlsx"),
                             institution_id=institution_id, today=TODAY)  # fmt: skip
    assert (report.updated, report.unchanged) == (1, 1)
    assert load_child(ctx, first.id).draft.left_on == date(2026, 10, 31)  # the blank 离托日期 kept it
    assert {line.guardian_name for line in list_children(ctx, institution_id, today=TODAY)} == {"王芳", "李强"}


def test_a_child_who_came_back_after_leaving_is_a_new_stay(roster, tmp_path):
    ctx, institution_id = roster
    import_children(ctx, _sheet(tmp_path, [_row(0)]), institution_id=institution_id, today=TODAY)
    (line,) = list_children(ctx, institution_id, today=TODAY)
    mark_child_left(ctx, line.id, date(2026, 4, 30), expected_version=line.version, today=TODAY)
    report = import_children(ctx, _sheet(tmp_path, [_row(0, 入托日期="2026-05-01")], "晚.xlsx"),
                             institution_id=institution_id, today=TODAY)  # fmt: skip
    # A stay that starts after the stored one ended is a new stay (a child who came back), not an edit.
    assert (report.created, report.updated, report.committed) == (1, 0, True)


def test_a_child_in_care_at_another_institution_of_the_county_is_a_warning_on_its_row(roster, tmp_path):
    ctx, institution_id = roster
    other = _institution(ctx, "甘州区彩虹树托育园")
    save_child(ctx, other, ChildDraft("幼儿2", IDS[1], date(2026, 1, 1), None, "王芳", "13912345678"), today=TODAY)
    report = import_children(ctx, _sheet(tmp_path, [_row(0), _row(1)]), institution_id=institution_id, today=TODAY)
    assert report.committed and report.created == 2
    ((row, column, message),) = [(w.row, w.column, w.message) for w in report.warnings]
    assert (row, column) == (3, "身份证号码") and "甘州区彩虹树托育园" in message
    assert IDS[1] not in message and mask_id_number(IDS[1]) in message


def test_imported_children_are_audited_masked(roster, tmp_path):
    ctx, institution_id = roster
    import_children(ctx, _sheet(tmp_path, [_row(0), _row(1)]), institution_id=institution_id, today=TODAY)
    import_children(ctx, _sheet(tmp_path, [_row(0, 家长电话="0936-8212345")], "改.xlsx"), institution_id=institution_id,
                    today=TODAY)  # fmt: skip
    with ctx.db.engine.connect() as connection:
        entries = connection.execute(
            text("SELECT action, changes, summary FROM audit_log WHERE entity_type = 'children' ORDER BY at")
        ).all()
    assert [e.action for e in entries] == ["insert", "insert", "update"]
    logged = " ".join(f"{e.changes} {e.summary}" for e in entries)
    assert "从 幼儿名单.xlsx 导入" in logged and mask_id_number(IDS[0]) in logged
    for secret in (*IDS, "13912345678", "8212345"):
        assert secret not in logged


def test_the_institution_is_found_by_credit_code_or_exact_name(roster):
    ctx, institution_id = roster
    assert find_institution(ctx, CODE.lower()) == (institution_id, "甘州区阳光托育中心")
    assert find_institution(ctx, " 甘州区阳光托育中心 ") == (institution_id, "甘州区阳光托育中心")
    with pytest.raises(NotFoundError, match="找不到"):
        find_institution(ctx, "阳光托育")
    _institution(ctx, "临泽县阳光托育中心", county="620723")
    _institution(ctx, "临泽县阳光托育中心", county="620723")
    with pytest.raises(TuoyuError, match="2 家机构"):
        find_institution(ctx, "临泽县阳光托育中心")
