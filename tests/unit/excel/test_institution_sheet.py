"""parse_institution_sheet: every problem reported by row and column, in Chinese; a bad row yields no record."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from excel_builders import COUNTIES, GANZHOU, HEADER, LINZE, TOWNSHIPS, credit_code, institution_row, xlsx

from desktop.domain.enums import SponsorType
from desktop.excel.cell_values import NUMBER_STORED_ID
from desktop.excel.errors import ExcelFileError
from desktop.excel.institution_sheet import ROW_LEVEL, CellError, ParsedSheet, parse_institution_sheet
from desktop.excel.sheet_data import CellRange, FileFormat, SheetData, SheetFacts, SheetRow
from desktop.excel.workbook_reader import read_sheet

FIXTURES = Path(__file__).parent / "fixtures"


NO_FACTS = SheetFacts()


def sheet_of(rows: list[list[object]], *, facts: SheetFacts = NO_FACTS, start: int = 1) -> SheetData:
    return SheetData(
        path=Path("名单.xlsx"),
        format=FileFormat.XLSX,
        sheet_name="名单",
        rows=tuple(SheetRow(start + i, tuple(row)) for i, row in enumerate(rows) if any(v is not None for v in row)),
        facts=facts,
    )


def parse(rows: list[list[object]], **options) -> ParsedSheet:
    today = options.pop("today", None)
    return parse_institution_sheet(sheet_of(rows, **options), counties=COUNTIES, townships=TOWNSHIPS, today=today)


def errors_at(parsed: ParsedSheet, row: int) -> list[CellError]:
    return [e for e in parsed.errors if e.row == row]


def the_error(parsed: ParsedSheet, row: int, column: str) -> str:
    found = [e.message for e in parsed.errors if e.row == row and e.column == column]
    assert len(found) == 1, parsed.errors
    return found[0]


def test_good_rows_become_typed_records():
    parsed = parse([HEADER, institution_row(1), institution_row(2, 托位数="80个", 备案日期="2024年6月17日")])
    assert parsed.ok and parsed.errors == ()
    assert [r.row for r in parsed.records] == [2, 3]
    first = parsed.records[0]
    assert first.name == "甘州区第1托育中心"
    assert first.credit_code == credit_code(1)
    assert first.sponsor_type is SponsorType.SOCIAL
    assert first.county_code == GANZHOU
    assert first.township_code == "620702001"  # 东街街道
    assert first.slots == 60
    assert first.filed_on == date(2024, 6, 17)
    assert first.puhui is True
    assert first.address is None  # column absent: None, and not in present_fields
    assert parsed.records[1].slots == 80
    assert parsed.present_fields == {"name", "credit_code", "sponsor_type", "county_code", "township_code",
                                     "slots", "filed_on", "puhui"}  # fmt: skip
    assert parsed.data_rows == 2 and parsed.header_row == 1


def test_header_below_a_title_with_spaces_full_width_and_alternative_names():
    header = ["序号", " 托育机构名称 ", "信用代码*", "举办类型", "区县", "乡镇", "托位（个）"]
    row = [1, "阳光托育", credit_code(7), "家庭托育点", "临泽县", "沙河镇", "12"]
    parsed = parse([["2024年张掖市托育机构名单"], [], header, row])
    assert parsed.ok, parsed.errors
    assert parsed.header_row == 3
    record = parsed.records[0]
    assert (record.row, record.name, record.county_code, record.slots) == (4, "阳光托育", LINZE, 12)
    assert record.township_code is not None and record.township_code.startswith(LINZE)
    assert parsed.headers["name"] == "托育机构名称"


def test_credit_code_stored_as_a_number_is_rejected_and_explained():
    parsed = parse([HEADER, institution_row(1, 统一社会信用代码=6.20702199001011e17)])
    assert the_error(parsed, 2, "统一社会信用代码") == NUMBER_STORED_ID
    assert parsed.records == ()


def test_invalid_credit_code_is_an_error_and_a_wrong_check_character_a_warning():
    good = credit_code(1)
    wrong_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    parsed = parse(
        [HEADER, institution_row(1, 统一社会信用代码="12345"), institution_row(2, 统一社会信用代码=wrong_check)]
    )
    assert "18 位" in the_error(parsed, 2, "统一社会信用代码")
    assert [w.row for w in parsed.warnings] == [3] and "校验位" in parsed.warnings[0].message
    assert [r.row for r in parsed.records] == [3]


def test_duplicate_credit_codes_are_reported_on_every_row_involved():
    code = credit_code(5)
    parsed = parse([HEADER, institution_row(1, 统一社会信用代码=code), institution_row(2),
                    institution_row(3, 统一社会信用代码=code.lower())])  # fmt: skip
    for row in (2, 4):
        message = the_error(parsed, row, "统一社会信用代码")
        assert code in message and "第 2、4 行" in message and "2 次" in message
    assert [r.row for r in parsed.records] == [3]


def test_text_dates_are_read_and_impossible_dates_named():
    parsed = parse([HEADER, institution_row(1, 备案日期="2024年6月17日"), institution_row(2, 备案日期="2024-02-30")])
    assert parsed.records[0].filed_on == date(2024, 6, 17)
    assert "“2024-02-30”不存在" in the_error(parsed, 3, "备案日期")


def test_future_dates_when_today_is_given():
    parsed = parse([HEADER, institution_row(1, 备案日期="2030-01-01")], today=date(2026, 11, 23))
    assert "晚于今天" in the_error(parsed, 2, "备案日期")


def test_unknown_county_and_township_of_another_county():
    parsed = parse([HEADER, institution_row(1, 所属县区="东城区"), institution_row(2, **{"乡镇（街道）": "沙河镇"})])
    message = the_error(parsed, 2, "所属县区")
    assert "“东城区”不是已知的县区" in message and "甘州区" in message
    assert "属于临泽县" in the_error(parsed, 3, "乡镇（街道）")
    parsed = parse([HEADER, institution_row(1, **{"乡镇（街道）": "不存在镇"})])
    assert "不是甘州区下辖的乡镇（街道）" in the_error(parsed, 2, "乡镇（街道）")


@pytest.mark.parametrize("written", ["甘州区", "甘州", "张掖市甘州区", "620702", 620702, " 甘州区 "])
def test_county_by_name_short_form_or_code(written):
    parsed = parse([HEADER, institution_row(1, 所属县区=written)])
    assert parsed.ok, parsed.errors
    assert parsed.records[0].county_code == GANZHOU


def test_autonomous_county_by_its_short_name():
    parsed = parse([HEADER, institution_row(1, 所属县区="肃南县", **{"乡镇（街道）": None})])
    assert parsed.records[0].county_code == "620721"


def test_non_numeric_slots_and_missing_required_values():
    parsed = parse([HEADER, institution_row(1, 托位数="六十"), institution_row(2, 举办主体=None, 托位数=None)])
    assert "“六十”不是数字" in the_error(parsed, 2, "托位数")
    assert "必填" in the_error(parsed, 3, "举办主体")
    assert "必填" in the_error(parsed, 3, "托位数")
    assert parsed.records == ()


def test_hidden_rows_formulas_and_merged_data_cells_are_errors_on_their_rows():
    facts = SheetFacts(
        hidden_rows=frozenset({3}),
        formula_cells=((4, 5), (4, 9)),  # 托位数 is mapped; column J is not
        formula_count=2,
        merged_ranges=(CellRange(5, 3, 6, 3),),  # 所属县区 merged over rows 5–6
    )
    rows = [HEADER] + [institution_row(n) for n in range(1, 6)]
    rows[5][3] = None  # a merged cell reads as blank below its first row
    parsed = parse(rows, facts=facts)
    assert "隐藏" in the_error(parsed, 3, ROW_LEVEL)
    assert "公式" in the_error(parsed, 4, "托位数")
    for row in (5, 6):
        assert "合并单元格 D5:D6" in the_error(parsed, row, "所属县区")
    assert [r.row for r in parsed.records] == [2]


def test_merged_header_cells_refuse_the_sheet():
    with pytest.raises(ExcelFileError) as caught:
        parse([HEADER, institution_row(1)], facts=SheetFacts(merged_ranges=(CellRange(1, 0, 1, 1),)))
    assert caught.value.code == "excel.bad_header" and "合并单元格 A1:B1" in caught.value.message


def test_a_merged_title_above_the_header_is_fine():
    parsed = parse([["名单"], HEADER, institution_row(1)], facts=SheetFacts(merged_ranges=(CellRange(1, 0, 1, 7),)))
    assert parsed.ok


def test_sheet_without_a_recognisable_header():
    with pytest.raises(ExcelFileError) as caught:
        parse([["名称", "数量"], ["阳光", 1]])
    assert caught.value.code == "excel.no_header"
    assert "机构名称" in caught.value.message and "托位数" in caught.value.message


def test_sheet_with_only_a_header():
    with pytest.raises(ExcelFileError) as caught:
        parse([["2024年名单"], HEADER])
    assert caught.value.code == "excel.no_data" and "第 2 行" in caught.value.message


def test_missing_required_and_repeated_columns_refuse_the_sheet():
    with pytest.raises(ExcelFileError) as caught:
        parse([["机构名称", "托位数", "托位"], ["阳光", 1, 2]])
    message = caught.value.message
    assert "缺少必填列“举办主体”、“所属县区”" in message
    assert "“托位数”列重复出现（第 B、C 列）" in message


def test_blank_rows_and_rows_with_only_a_serial_number_are_skipped():
    parsed = parse([["序号", *HEADER], [1, *institution_row(1)], [None] * 9, [2], [3, *institution_row(3)]])
    assert parsed.ok and [r.row for r in parsed.records] == [2, 5] and parsed.data_rows == 2


def test_template_sample_row_and_totals_row_get_one_clear_message():
    sample = institution_row(1, 机构名称="【示例】张掖市甘州区阳光托育中心")
    total = [None] * len(HEADER)
    total[0], total[5] = "合计", 120
    parsed = parse([HEADER, sample, institution_row(2), total])
    assert errors_at(parsed, 2) == [CellError(2, "机构名称", "这是导入模板中的示例行，请删除这一行后再导入。")]
    assert len(errors_at(parsed, 4)) == 1 and "合计" in errors_at(parsed, 4)[0].message


def test_unknown_columns_and_other_sheets_are_noted():
    sheet = sheet_of([[*HEADER, "负责人身份证号"], institution_row(1)])
    sheet = SheetData(**{**{f: getattr(sheet, f) for f in sheet.__dataclass_fields__}, "other_sheets": ("Sheet2",)})
    parsed = parse_institution_sheet(sheet, counties=COUNTIES, townships=TOWNSHIPS)
    assert any("第 I 列“负责人身份证号”不是模板中的列" in note for note in parsed.notes)
    assert any("Sheet2" in note for note in parsed.notes)


def test_xls_fixture_reports_hidden_row_formula_number_code_and_impossible_date():
    sheet = read_sheet(FIXTURES / "institutions.xls")
    parsed = parse_institution_sheet(sheet, counties=COUNTIES, townships=TOWNSHIPS)
    assert [r.row for r in parsed.records] == [3]
    assert "隐藏" in the_error(parsed, 4, ROW_LEVEL)
    assert "公式" in the_error(parsed, 5, "托位数")
    assert the_error(parsed, 6, "统一社会信用代码") == NUMBER_STORED_ID
    assert "不存在" in the_error(parsed, 6, "备案日期")


def test_ten_thousand_rows_parse(tmp_path):
    rows = [HEADER] + [institution_row(n) for n in range(1, 10_001)]
    sheet = read_sheet(xlsx(tmp_path / "大.xlsx", rows))
    parsed = parse_institution_sheet(sheet, counties=COUNTIES, townships=TOWNSHIPS)
    assert len(parsed.records) == 10_000 and parsed.ok
