"""Moving the register in and out of Excel: dry run, all or nothing, idempotent, round trip."""

from __future__ import annotations

import hashlib
import json

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select, text

from desktop.domain.enums import FilingStatus, InstitutionEventKind
from desktop.errors import TuoyuError
from desktop.models import AuditEntry, Institution, InstitutionEvent
from desktop.services.institution_export import export_institutions, write_import_template
from desktop.services.institution_import import import_institutions
from desktop.services.institution_queries import InstitutionFilter
from desktop.services.regions import ensure_regions
from tests.conftest import TODAY

HEADER = [
    "机构名称",
    "统一社会信用代码",
    "举办主体",
    "所属县区",
    "乡镇（街道）",
    "托位数",
    "备案状态",
    "备案编号",
    "备案日期",
]


def _fingerprint(ctx) -> str:
    """Every row of the tables an import may touch, hashed: equal means nothing changed."""
    digest = hashlib.sha256()
    with ctx.db.engine.connect() as connection:
        for table in ("institutions", "institution_events", "audit_log"):
            for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY id")):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def _sheet(tmp_path, rows, name="机构.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


GOOD = [
    "甘州区阳光宝贝托育中心",
    "91350100M000100Y43",
    "社会力量举办",
    "甘州区",
    "东街街道",
    60,
    "已备案",
    "甘州卫托备〔2024〕3号",
    "2024年6月17日",
]
OTHER = ["临泽县童之梦托育园", None, "幼儿园托班", "临泽县", "沙河镇", "四十", "未备案", None, None]


def test_a_dry_run_reports_and_changes_nothing(ctx, tmp_path):
    ensure_regions(ctx)
    before = _fingerprint(ctx)
    report = import_institutions(ctx, _sheet(tmp_path, [GOOD]), today=TODAY, dry_run=True)
    assert (report.created, report.updated, report.unchanged, report.committed) == (1, 0, 0, False)
    assert _fingerprint(ctx) == before


def test_one_bad_row_stops_the_whole_import_and_is_reported_by_row_and_column(ctx, tmp_path):
    ensure_regions(ctx)
    before = _fingerprint(ctx)
    report = import_institutions(ctx, _sheet(tmp_path, [GOOD, OTHER]), today=TODAY)
    assert not report.committed
    assert [(e.row, e.column) for e in report.errors] == [(3, "托位数")]
    assert "四十" in report.errors[0].message
    assert _fingerprint(ctx) == before


def test_an_import_creates_records_with_their_history_and_a_second_run_changes_nothing(ctx, tmp_path):
    ensure_regions(ctx)
    path = _sheet(tmp_path, [GOOD])
    first = import_institutions(ctx, path, today=TODAY)
    assert (first.created, first.committed) == (1, True)
    with ctx.db.session_factory() as session:
        institution = session.scalar(select(Institution))
        kinds = set(session.scalars(select(InstitutionEvent.kind)))
        audited = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.entity_id == institution.id)
        )
    assert institution.filing_status is FilingStatus.FILED and institution.name_initials
    assert InstitutionEventKind.FILED in kinds
    assert audited == 1
    before = _fingerprint(ctx)
    again = import_institutions(ctx, path, today=TODAY)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert _fingerprint(ctx) == before


def test_a_changed_cell_updates_only_that_field_and_is_audited(ctx, tmp_path):
    ensure_regions(ctx)
    import_institutions(ctx, _sheet(tmp_path, [GOOD]), today=TODAY)
    changed = list(GOOD)
    changed[5] = 80
    report = import_institutions(ctx, _sheet(tmp_path, [changed], "改.xlsx"), today=TODAY)
    assert (report.created, report.updated) == (0, 1)
    with ctx.db.session_factory() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "update")).one()
    assert json.loads(entry.changes) == {"slots": [60, 80]}


def test_errors_can_be_written_back_beside_their_rows(ctx, tmp_path):
    ensure_regions(ctx)
    copy = tmp_path / "错误标注.xlsx"
    report = import_institutions(ctx, _sheet(tmp_path, [GOOD, OTHER]), today=TODAY, write_errors_to=copy)
    assert report.error_copy == copy
    sheet = load_workbook(copy).active
    header = [cell.value for cell in sheet[1]]
    reasons = [row[header.index("错误原因")].value for row in sheet.iter_rows(min_row=2)]
    assert reasons[0] in (None, "") and "四十" in reasons[1]


def test_an_export_imports_back_unchanged(demo_ctx, tmp_path):
    for name in ("名单.xlsx", "名单.csv"):
        path = tmp_path / name
        assert export_institutions(demo_ctx, path, InstitutionFilter()) == 160
        report = import_institutions(demo_ctx, path, today=TODAY, dry_run=True)
        assert report.errors == ()
        assert (report.created, report.updated, report.unchanged) == (0, 0, 160), name


def test_a_filtered_export_holds_only_the_filtered_rows(demo_ctx, tmp_path):
    path = tmp_path / "甘州区.xlsx"
    count = export_institutions(demo_ctx, path, InstitutionFilter(county_code="620702"))
    rows = list(load_workbook(path).active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == count and 0 < count < 160


def test_a_file_that_is_not_a_workbook_is_refused_in_chinese(ctx, tmp_path):
    fake = tmp_path / "名单.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(TuoyuError, match="Excel|工作簿|表格"):
        import_institutions(ctx, fake, today=TODAY)


def test_the_untouched_template_is_refused_because_of_its_sample_row(ctx, tmp_path):
    ensure_regions(ctx)
    template = tmp_path / "模板.xlsx"
    write_import_template(template)
    report = import_institutions(ctx, template, today=TODAY, dry_run=True)
    assert [e.row for e in report.errors] == [2]
    assert "示例行" in report.errors[0].message


def test_a_filing_date_without_a_status_column_means_filed(ctx, tmp_path):
    workbook = Workbook()
    workbook.active.append(["机构名称", "举办主体", "所属县区", "托位数", "备案编号", "备案日期"])
    workbook.active.append(["甘州区阳光托育中心", "社会力量举办", "甘州区", 60, "甘州卫托备〔2024〕3号", "2024-06-17"])
    path = tmp_path / "名单.xlsx"
    workbook.save(path)
    report = import_institutions(ctx, path, today=TODAY)
    assert report.committed and report.errors == ()
    with ctx.db.session_factory() as session:
        assert session.scalar(select(Institution.filing_status)) is FilingStatus.FILED
