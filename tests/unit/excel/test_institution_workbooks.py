"""Template, exports and error copies: what Tuoyu writes imports again, and is safe to open (anchor B13)."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from excel_builders import COUNTIES, GANZHOU, HEADER, LINZE, TOWNSHIPS, credit_code, institution_row, xlsx

from desktop.domain.enums import (
    DemonstrationLevel,
    FilingStatus,
    OperatingStatus,
    Ownership,
    RegistrationType,
    ServiceMode,
    SponsorType,
)
from desktop.excel.errors import ExcelFileError
from desktop.excel.institution_columns import INSTITUTION_COLUMNS
from desktop.excel.institution_sheet import CellError, parse_institution_sheet
from desktop.excel.institution_sheet_row import InstitutionSheetRow
from desktop.excel.institution_workbooks import (
    EXPORT_SHEET,
    GUIDE_SHEET,
    error_copy_path,
    template_header,
    write_error_copy,
    write_institutions_csv,
    write_institutions_xlsx,
    write_template,
)
from desktop.excel.workbook_reader import read_sheet

FIXTURES = Path(__file__).parent / "fixtures"


def full_record(row: int) -> InstitutionSheetRow:
    """Every field filled, with values that exercise each kind of column."""
    return InstitutionSheetRow(
        row=row,
        name=f"张掖市甘州区“阳光”托育中心{row}",
        sponsor_type=SponsorType.COMMUNITY_EMBEDDED,
        county_code=GANZHOU,
        slots=60 + row,
        credit_code=credit_code(row),
        ownership=Ownership.PUBLIC_BUILT_PRIVATE_RUN,
        registration_type=RegistrationType.SOCIAL_SERVICE,
        service_modes=frozenset({ServiceMode.FULL_DAY, ServiceMode.HOURLY}),
        chain_brand="阳光",
        township_code="620702001",
        address="东街街道南关 1 号",
        legal_representative="张三",
        principal_name="李·四",
        contact_person="王五",
        contact_phone="0936-8212345",
        building_area_m2=Decimal("480.55"),
        outdoor_area_m2=Decimal("120.00"),
        premises_leased=True,
        lease_expires_on=date(2028, 12, 31),
        fee_full_day_monthly_fen=123456,
        fee_half_day_monthly_fen=80000,
        fee_hourly_fen=2550,
        meal_fee_daily_fen=1501,
        serves_meals=False,
        food_licence_number="JY16207020012345",
        filing_status=FilingStatus.FILED,
        filing_number="甘张甘卫托备〔2024〕1号",
        filed_on=date(2024, 6, 17),
        puhui=True,
        puhui_recognized_on=date(2024, 7, 1),
        operating_status=OperatingStatus.OPERATING,
        opened_on=date(2023, 9, 1),
        status_changed_on=date(2024, 1, 2),
        status_reason='=HYPERLINK("http://x")',
        demonstration=True,
        demonstration_level=DemonstrationLevel.CITY,
        demonstration_recognized_on=date(2025, 1, 1),
        medical_partnership=True,
        medical_partner_name="+甘州区人民医院",
        notes="第一行\n第二行",
    )


def sparse_record(row: int) -> InstitutionSheetRow:
    return InstitutionSheetRow(row=row, name="@临泽县小太阳", sponsor_type=SponsorType.HOME_BASED, county_code=LINZE,
                             slots=5)  # fmt: skip


def reimport(path: Path):
    return parse_institution_sheet(read_sheet(path), counties=COUNTIES, townships=TOWNSHIPS)


@pytest.mark.parametrize("writer", [write_institutions_xlsx, write_institutions_csv])
def test_an_export_imports_again_to_the_same_records(tmp_path, writer):
    records = [full_record(2), sparse_record(3), full_record(4)]
    path = tmp_path / ("导出.xlsx" if writer is write_institutions_xlsx else "导出.csv")
    assert writer(path, records, counties=COUNTIES, townships=TOWNSHIPS) == 3
    parsed = reimport(path)
    assert parsed.errors == () and parsed.warnings == ()
    assert parsed.records == tuple(records)
    assert parsed.present_fields == {spec.field for spec in INSTITUTION_COLUMNS}


def test_export_without_region_names_writes_codes_that_import_again(tmp_path):
    write_institutions_xlsx(tmp_path / "a.xlsx", [full_record(2)])
    assert reimport(tmp_path / "a.xlsx").records == (full_record(2),)


def test_xlsx_export_keeps_formula_like_text_as_text(tmp_path):
    path = tmp_path / "a.xlsx"
    write_institutions_xlsx(path, [full_record(2)], counties=COUNTIES, townships=TOWNSHIPS)
    sheet = openpyxl.load_workbook(path)[EXPORT_SHEET]
    headers = [cell.value for cell in sheet[1]]
    reason = sheet.cell(2, headers.index("状态变更原因") + 1)
    assert reason.data_type == "s" and reason.quotePrefix and reason.value.startswith("=HYPERLINK")
    code = sheet.cell(2, headers.index("统一社会信用代码") + 1)
    assert code.number_format == "@" and code.data_type == "s"
    assert sheet.cell(2, headers.index("备案日期") + 1).number_format == "yyyy-mm-dd"


def test_csv_export_has_a_bom_and_escapes_formula_like_text(tmp_path):
    path = tmp_path / "a.csv"
    write_institutions_csv(path, [full_record(2), sparse_record(3)], counties=COUNTIES, townships=TOWNSHIPS)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == [template_header(spec) for spec in INSTITUTION_COLUMNS]
    assert rows[0][0] == "机构名称*"
    flat = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("http://x")' in flat and "'+甘州区人民医院" in flat and "'@临泽县小太阳" in flat
    assert not any(cell.startswith(("=", "+", "@")) for cell in flat)
    assert "1234.56" in flat and "甘州区" in flat and "东街街道" in flat and "全日托、计时托" in flat


def test_template_has_styled_headers_text_columns_drop_downs_and_a_guide(tmp_path):
    path = tmp_path / "模板.xlsx"
    write_template(path, county_names=list(COUNTIES.values()))
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == [EXPORT_SHEET, GUIDE_SHEET]
    sheet = workbook[EXPORT_SHEET]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [template_header(spec) for spec in INSTITUTION_COLUMNS]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    letter = {spec.field: openpyxl.utils.get_column_letter(i) for i, spec in enumerate(INSTITUTION_COLUMNS, 1)}
    assert sheet.column_dimensions[letter["credit_code"]].number_format == "@"
    assert sheet.column_dimensions[letter["contact_phone"]].number_format == "@"
    assert sheet[f"{letter['credit_code']}2"].number_format == "@"
    lists = {str(v.sqref).split(":")[0][:-1]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert "社会力量举办" in lists[letter["sponsor_type"]]
    assert lists[letter["puhui"]] == '"是,否"'
    assert "甘州区" in lists[letter["county_code"]]
    assert sheet.column_dimensions[letter["name"]].width >= 30
    guide = [row for row in workbook[GUIDE_SHEET].iter_rows(values_only=True)]
    assert any(row[0] == "托位数*" and row[1] == "必填" for row in guide)
    assert any("文本格式" in (row[0] or "") for row in guide)


def test_template_sample_row_must_be_deleted_and_then_the_template_imports(tmp_path):
    path = tmp_path / "模板.xlsx"
    write_template(path)
    parsed = reimport(path)
    assert [(e.row, e.column) for e in parsed.errors] == [(2, "机构名称*")]
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[EXPORT_SHEET]
    sheet["A2"] = "张掖市甘州区阳光托育中心"
    workbook.save(path)
    parsed = reimport(path)
    assert parsed.ok, parsed.errors
    assert parsed.records[0].fee_full_day_monthly_fen == 120000


def test_error_copy_of_an_xlsx_marks_rows_and_cells(tmp_path):
    def hide(workbook, sheet):
        sheet.row_dimensions[3].hidden = True

    rows = [["2024年名单"], HEADER, institution_row(1), institution_row(2, 托位数="六十"), institution_row(3)]
    source = xlsx(tmp_path / "名单.xlsx", rows, setup=hide)
    before = source.read_bytes()
    parsed = reimport(source)
    assert {e.row for e in parsed.errors} == {3, 4}
    out = error_copy_path(source)
    assert out.name == "名单_错误标注.xlsx"
    assert write_error_copy(source, out, parsed.errors) == 2
    assert source.read_bytes() == before  # the clerk's own file is untouched
    sheet = openpyxl.load_workbook(out)["名单"]
    assert sheet.cell(2, 9).value == "错误原因"
    assert "隐藏" in sheet.cell(3, 9).value and not sheet.row_dimensions[3].hidden
    assert sheet.cell(4, 9).value.startswith("【托位数】") and "六十" in sheet.cell(4, 9).value
    assert sheet.cell(4, 6).fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet.cell(5, 9).value is None
    assert not list(tmp_path.glob("*.tmp"))


def test_a_fixed_error_copy_imports_and_a_copy_of_a_copy_replaces_the_reasons(tmp_path):
    source = xlsx(tmp_path / "名单.xlsx", [HEADER, institution_row(1, 托位数="六十")])
    write_error_copy(source, tmp_path / "一.xlsx", reimport(source).errors)
    workbook = openpyxl.load_workbook(tmp_path / "一.xlsx")
    workbook.active["F2"] = 60
    workbook.save(tmp_path / "一.xlsx")
    parsed = reimport(tmp_path / "一.xlsx")
    assert parsed.ok and parsed.notes == ()  # the 错误原因 column is ignored silently
    errors = [CellError(2, "备案日期", "新的问题")]
    write_error_copy(tmp_path / "一.xlsx", tmp_path / "二.xlsx", errors)
    sheet = openpyxl.load_workbook(tmp_path / "二.xlsx").active
    assert [sheet.cell(1, 9).value, sheet.cell(2, 9).value, sheet.cell(1, 10).value] == [
        "错误原因",
        "【备案日期】新的问题",
        None,
    ]


def test_error_copy_of_a_csv_is_an_xlsx_with_the_same_row_numbers(tmp_path):
    source = tmp_path / "名单.csv"
    rows = [HEADER, institution_row(1), institution_row(2, 所属县区="东城区"), ["=cmd|' /C calc'!A0"]]
    with source.open("w", encoding="gbk", newline="") as handle:
        csv.writer(handle).writerows([[("" if v is None else v) for v in row] for row in rows[:2]] + [[], *rows[2:]])
    parsed = reimport(source)
    assert {e.row for e in parsed.errors} == {4, 5}
    out = tmp_path / "标注.xlsx"
    write_error_copy(source, out, parsed.errors)
    sheet = openpyxl.load_workbook(out).active
    assert sheet.cell(1, 1).value == "机构名称" and sheet.cell(1, 9).value == "错误原因"
    assert sheet.cell(3, 1).value is None  # the blank CSV line keeps its place
    assert "东城区" in sheet.cell(4, 9).value and sheet.cell(4, 4).fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet.cell(5, 1).data_type == "s" and sheet.cell(5, 1).quotePrefix  # not a formula in the copy


def test_error_copy_of_an_xls(tmp_path):
    source = tmp_path / "名单.xls"
    shutil.copyfile(FIXTURES / "institutions.xls", source)
    parsed = reimport(source)
    write_error_copy(source, tmp_path / "标注.xlsx", parsed.errors)
    sheet = openpyxl.load_workbook(tmp_path / "标注.xlsx").active
    assert sheet.cell(2, 8).value == "错误原因"
    assert "隐藏" in sheet.cell(4, 8).value and "公式" in sheet.cell(5, 8).value
    assert sheet.cell(3, 8).value is None


def test_failed_export_leaves_the_previous_file_whole(tmp_path):
    path = tmp_path / "导出.xlsx"
    write_institutions_xlsx(path, [full_record(2)])
    before = path.read_bytes()

    def records():
        yield full_record(2)
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        write_institutions_xlsx(path, records())
    with pytest.raises(RuntimeError):
        write_institutions_csv(tmp_path / "导出.csv", records())
    assert path.read_bytes() == before
    assert not (tmp_path / "导出.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["导出.xlsx"]


def test_writing_into_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ExcelFileError) as caught:
        write_template(tmp_path / "没有这个文件夹" / "模板.xlsx")
    assert caught.value.code == "excel.write_failed" and "无法写入" in caught.value.message
