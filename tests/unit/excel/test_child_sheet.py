"""parse_child_sheet: headers found by their alternatives, every problem by row and column in Chinese, no full ID."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from excel_builders import xlsx
from openpyxl import load_workbook

from desktop.domain.enums import Sex
from desktop.domain.identifiers import make_id_number, mask_id_number
from desktop.excel.cell_values import NUMBER_STORED_ID
from desktop.excel.child_columns import CHILD_COLUMNS, CHILD_INDEX
from desktop.excel.child_sheet import ChildSheetRow, ParsedChildSheet, parse_child_sheet
from desktop.excel.child_workbooks import CHILD_SHEET, write_child_template
from desktop.excel.error_copy import write_error_copy
from desktop.excel.errors import ExcelFileError
from desktop.excel.institution_sheet import ROW_LEVEL
from desktop.excel.sheet_data import CellRange, FileFormat, SheetData, SheetFacts, SheetRow
from desktop.excel.workbook_reader import read_sheet

TODAY = date(2026, 11, 23)
HEADER = ["序号", "姓名", "身份证号", "性别", "监护人", "监护人电话", "入托日期", "离托日期"]
GIRL = make_id_number("620702", date(2025, 3, 14), 124)
BOY = make_id_number("620702", date(2024, 7, 1), 13)


def row(n: int, **cells: object) -> list[object]:
    values = {
        "序号": n,
        "姓名": "王小雨",
        "身份证号": GIRL,
        "性别": "女",
        "监护人": "王芳",
        "监护人电话": "13912345678",
        "入托日期": "2026-03-01",
        "离托日期": None,
    } | cells
    return [values[h] for h in HEADER]


def sheet_of(rows: list[list[object]], *, facts: SheetFacts = SheetFacts()) -> SheetData:  # noqa: B008
    return SheetData(
        path=Path("幼儿名单.xlsx"),
        format=FileFormat.XLSX,
        sheet_name="名单",
        rows=tuple(SheetRow(i + 1, tuple(r)) for i, r in enumerate(rows) if any(v is not None for v in r)),
        facts=facts,
    )


def parse(rows: list[list[object]], **options) -> ParsedChildSheet:
    return parse_child_sheet(sheet_of(rows, **options), today=TODAY)


def test_good_rows_become_children():
    parsed = parse([HEADER, row(1), row(2, 姓名="李乐", 身份证号=BOY, 性别=None, 入托日期=date(2025, 9, 1),
                                        离托日期="2026年6月30日", 监护人电话="0936 8212345")])  # fmt: skip
    assert parsed.errors == () and parsed.warnings == ()
    assert parsed.records == (
        ChildSheetRow(2, "王小雨", GIRL, date(2026, 3, 1), "王芳", "13912345678", Sex.FEMALE),
        ChildSheetRow(3, "李乐", BOY, date(2025, 9, 1), "王芳", "0936-8212345", None, date(2026, 6, 30)),
    )


def test_headers_are_found_by_their_alternatives_under_a_title():
    header = ["2026年11月在托幼儿花名册", None, None, None, None]
    names = ["幼儿姓名", "公民身份号码", "家长姓名", "家长电话", "入园时间（年月日）"]
    parsed = parse([header, names, ["王小雨", GIRL, "王芳", "13912345678", "2026.3.1"]])
    assert parsed.header_row == 2 and parsed.errors == ()
    assert parsed.records[0].enrolled_on == date(2026, 3, 1)
    assert CHILD_INDEX.spec_for_header("＊身份证号码(必填)").field == "id_number"


@pytest.mark.parametrize(
    ("cells", "column", "words"),
    [
        ({"身份证号": GIRL[:17] + ("1" if GIRL[17] != "1" else "2")}, "身份证号", "校验位"),
        ({"身份证号": 620702202503141246}, "身份证号", "数字格式"),
        ({"身份证号": "620702250314124"}, "身份证号", "18 位"),
        ({"身份证号": make_id_number("620702", date(2026, 12, 1), 124)}, "身份证号", "出生日期不能晚于今天"),
        ({"身份证号": None}, "身份证号", "身份证号码未填写"),
        ({"姓名": None}, "姓名", "幼儿姓名未填写"),
        ({"入托日期": "2026-13-01"}, "入托日期", "不存在"),
        ({"入托日期": "三月一日"}, "入托日期", "无法识别"),
        ({"入托日期": "2027-01-01"}, "入托日期", "晚于今天"),
        ({"入托日期": "2025-03-13"}, "入托日期", "早于出生日期"),
        ({"离托日期": "2026-02-01"}, "离托日期", "早于入托日期"),
        ({"监护人电话": "1391234567"}, "监护人电话", "11 位"),
        ({"监护人": "—"}, "监护人", "监护人未填写"),
        ({"性别": "未知"}, "性别", "不是有效的性别"),
    ],
)
def test_each_problem_is_reported_at_its_row_and_column(cells, column, words):
    parsed = parse([HEADER, row(1), row(2, **cells)])
    assert [r.row for r in parsed.records] == [2]
    (error,) = [e for e in parsed.errors if e.row == 3]
    assert error.column == column and words in error.message, error


def test_a_number_cell_id_is_refused_as_lost_digits():
    parsed = parse([HEADER, row(1, 身份证号=6.20702202503141e17)])
    assert parsed.errors[0].message == NUMBER_STORED_ID


def test_a_sex_that_disagrees_with_the_id_is_a_warning_and_the_row_is_kept():
    parsed = parse([HEADER, row(1, 性别="男")])
    assert [(w.row, w.column) for w in parsed.warnings] == [(2, "性别")]
    assert len(parsed.records) == 1


def test_the_same_child_twice_in_a_file_is_an_error_on_both_rows_with_the_id_masked():
    parsed = parse([HEADER, row(1), row(2, 姓名="王小语")])
    assert [(e.row, e.column) for e in parsed.errors] == [(2, "身份证号"), (3, "身份证号")]
    assert mask_id_number(GIRL) in parsed.errors[0].message and GIRL not in parsed.errors[0].message
    assert parsed.records == ()


def test_sample_hidden_merged_and_formula_rows_are_named():
    facts = SheetFacts(
        hidden_rows=frozenset({4}),
        merged_ranges=(CellRange(5, 4, 6, 4),),
        formula_cells=((6, 6),),
        formula_count=1,
    )
    parsed = parse(
        [
            HEADER,
            row(1, 姓名="【示例】王小雨（导入前请删除本行）"),
            row(2, 姓名="合计"),
            row(3, 身份证号=BOY, 姓名="李乐"),
            row(4, 身份证号=make_id_number("620702", date(2024, 1, 5), 24)),
            row(5, 身份证号=make_id_number("620702", date(2024, 1, 6), 24), 监护人=None),
        ],
        facts=facts,
    )
    messages = {(e.row, e.column): e.message for e in parsed.errors}
    assert "示例行" in messages[(2, "姓名")] and "合计" in messages[(3, "姓名")]
    assert "隐藏" in messages[(4, ROW_LEVEL)]
    assert "合并单元格 E5:E6" in messages[(5, "监护人")] and "合并单元格" in messages[(6, "监护人")]
    assert "公式" in messages[(6, "入托日期")]
    assert parsed.records == ()


@pytest.mark.parametrize(
    ("rows", "code"),
    [
        ([["机构名称", "托位数"], ["甲", 1]], "excel.no_header"),
        ([["姓名", "身份证号", "监护人电话"], ["王小雨", GIRL, "13912345678"]], "excel.bad_header"),
        ([["姓名", "身份证号", "身份证号码", "监护人", "监护人电话", "入托日期"]], "excel.bad_header"),
        ([HEADER], "excel.no_data"),
    ],
    ids=["no-header", "missing-required", "repeated", "only-header"],
)
def test_structural_problems_refuse_the_file(rows, code):
    with pytest.raises(ExcelFileError) as refused:
        parse(rows)
    assert refused.value.code == code


def test_no_message_carries_a_full_id_number():
    legacy = 620702250314124  # a 15-digit number typed into a number cell is quoted by the cell parser
    sheet = [
        HEADER,
        row(1, 监护人电话=GIRL),
        row(2, 姓名=BOY, 身份证号=BOY),
        row(3, 身份证号=BOY, 姓名="李乐"),
        row(4, 身份证号=legacy),
        row(5, 身份证号=make_id_number("620702", date(2024, 1, 2), 4), 监护人电话="0" + BOY),
    ]
    parsed = parse(sheet)
    assert {e.row for e in parsed.errors} == {2, 3, 4, 5, 6}
    for problem in (*parsed.errors, *parsed.warnings):
        for secret in (GIRL, BOY, str(legacy)):
            assert secret not in problem.message


def test_the_template_reads_back_and_its_sample_row_is_refused(tmp_path):
    path = tmp_path / "模板.xlsx"
    write_child_template(path)
    workbook = load_workbook(path)
    assert workbook.sheetnames == [CHILD_SHEET, "填写说明"]
    header = [cell.value for cell in workbook[CHILD_SHEET][1]]
    assert header == ["姓名*", "身份证号*", "性别", "监护人*", "监护人电话*", "入托日期*", "离托日期"]
    assert [spec.header for spec in CHILD_COLUMNS] == [h.rstrip("*") for h in header]
    assert workbook[CHILD_SHEET]["B2"].number_format == "@"
    parsed = parse_child_sheet(read_sheet(path), today=TODAY)
    assert [(e.row, e.message) for e in parsed.errors] == [(2, "这是导入模板中的示例行，请删除这一行后再导入。")]


def test_the_error_copy_puts_each_reason_beside_its_row(tmp_path):
    source = xlsx(tmp_path / "名单.xlsx", [["2026年在托幼儿名单"], HEADER, row(1), row(2, 入托日期="2027-01-01")])
    parsed = parse_child_sheet(read_sheet(source), today=TODAY)
    out = tmp_path / "名单_错误标注.xlsx"
    assert write_error_copy(source, out, parsed.errors, find_header=CHILD_INDEX.find_header_row) == 1
    sheet = load_workbook(out).active
    assert sheet.cell(2, 9).value == "错误原因"
    assert "【入托日期】" in sheet.cell(4, 9).value and sheet.cell(3, 9).value is None
