"""read_sheet: what a clerk's file yields, and a clear refusal of each kind of bad file (anchors B1–B5, B9–B14)."""

from __future__ import annotations

import contextlib
import re
import struct
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from excel_builders import biff_workbook, compound_file, xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.styles import Font

from desktop.excel.errors import ExcelFileError
from desktop.excel.ole2 import CompoundFile
from desktop.excel.sheet_data import CellRange, FileFormat, Inspection, column_index, column_letter
from desktop.excel.workbook_reader import read_sheet

FIXTURES = Path(__file__).parent / "fixtures"


def refused(path: Path, code: str, *fragments: str, **options) -> ExcelFileError:
    with pytest.raises(ExcelFileError) as caught:
        read_sheet(path, **options)
    assert caught.value.code == code, caught.value.message
    for fragment in fragments:
        assert fragment in caught.value.message
    return caught.value


# ------------------------------------------------------------------------------ what is read


def test_rows_keep_spreadsheet_numbers_and_raw_values(tmp_path):
    path = xlsx(
        tmp_path / "a.xlsx",
        [["2024年甘州区托育机构名单"], [], ["机构名称", "托位数", "备案日期", "普惠", "时间"],
         ["阳光托育", 60, date(2024, 6, 17), True, datetime(2024, 6, 17, 8, 30)]],
    )  # fmt: skip
    sheet = read_sheet(path)
    assert sheet.format is FileFormat.XLSX
    assert sheet.sheet_name == "名单"
    assert [row.number for row in sheet.rows] == [1, 3, 4]  # the blank row 2 is left out
    assert sheet.rows[2].values == ("阳光托育", 60, date(2024, 6, 17), True, datetime(2024, 6, 17, 8, 30))
    assert sheet.rows[0].values == ("2024年甘州区托育机构名单",)  # trailing empty cells trimmed
    assert sheet.inspected == frozenset(Inspection)


def test_data_that_starts_below_and_right_of_a1_keeps_its_coordinates(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [], setup=lambda wb, ws: ws.cell(row=5, column=3, value="机构名称"))
    sheet = read_sheet(path)
    assert sheet.rows[0].number == 5
    assert sheet.rows[0].values == (None, None, "机构名称")


def test_first_visible_non_empty_sheet_is_read_and_the_others_named(tmp_path):
    def setup(workbook, sheet):
        hidden = workbook.create_sheet("隐藏", 0)
        hidden.sheet_state = "hidden"
        hidden.append(["不应读取"])
        workbook.create_sheet("空表", 1)

    sheet = read_sheet(xlsx(tmp_path / "a.xlsx", [["机构名称"]], title="数据", setup=setup))
    assert sheet.sheet_name == "数据"
    assert set(sheet.other_sheets) == {"隐藏", "空表"}


def test_a_named_sheet_is_read_even_if_it_is_not_first(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [["一"]], setup=lambda wb, ws: wb.create_sheet("第二").append(["二"]))
    assert read_sheet(path, sheet_name="第二").rows[0].values == ("二",)
    refused(path, "excel.sheet_not_found", "没有名为“第三”的工作表", "“名单”、“第二”", sheet_name="第三")


def test_hidden_rows_and_columns_formulas_and_merged_cells_are_reported(tmp_path):
    def setup(workbook, sheet):
        sheet.merge_cells("A1:C1")
        sheet.row_dimensions[4].hidden = True
        sheet.column_dimensions["B"].hidden = True
        sheet["C3"] = "=A3*2"

    path = xlsx(tmp_path / "a.xlsx", [["标题"], ["机构名称", "托位数", "合计"], [1, 2], [3, 4]], setup=setup)
    facts = read_sheet(path).facts
    assert facts.hidden_rows == {4}
    assert facts.hidden_columns == {1}
    assert facts.formula_cells == ((3, 2),)
    assert facts.formula_count == 1
    assert facts.merged_ranges == (CellRange(1, 0, 1, 2),)
    assert str(facts.merged_ranges[0]) == "A1:C1"


def test_cells_without_positions_are_read(tmp_path):
    # The r="A1" attribute of a cell is optional; some generators leave it out.
    path = xlsx(tmp_path / "a.xlsx", [["机构名称", "托位数"], ["阳光托育", 60]])
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    part = "xl/worksheets/sheet1.xml"
    parts[part] = re.sub(rb'<c r="[A-Z]+[0-9]+"', b"<c", parts[part])
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert [row.values for row in read_sheet(path).rows] == [("机构名称", "托位数"), ("阳光托育", 60)]


def test_xls_from_excel_97_is_read_with_the_same_facts():
    sheet = read_sheet(FIXTURES / "institutions.xls")
    assert sheet.format is FileFormat.XLS
    assert sheet.sheet_name == "名单"
    assert sheet.other_sheets == ("隐藏表",)
    assert sheet.rows[1].values[:3] == ("序号", "机构名称", "统一社会信用代码")
    assert sheet.facts.hidden_rows == {4}
    assert sheet.facts.formula_cells == ((5, 5),)
    assert sheet.facts.merged_ranges == (CellRange(1, 0, 1, 6),)
    assert isinstance(sheet.rows[5].values[2], float)  # the credit code typed as a number


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom"),
    [("utf-8", ",", True), ("utf-8", ",", False), ("gbk", ",", False), ("gb18030", "\t", False),
     ("utf-8", ";", False)],
)  # fmt: skip
def test_csv_in_utf8_or_gbk_with_any_common_delimiter(tmp_path, encoding, delimiter, bom):
    text = delimiter.join(["机构名称", "托位数", "备注"]) + "\r\n"
    text += delimiter.join(["张掖市“阳光”托育", "60", '"含,逗号;分号"']) + "\r\n\r\n"
    text += delimiter.join(["𠀀字托育", "", ""]) + "\r\n" if encoding == "gb18030" else ""
    path = tmp_path / "a.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    sheet = read_sheet(path)
    assert sheet.format is FileFormat.CSV
    assert sheet.delimiter == delimiter
    assert sheet.rows[0].values == ("机构名称", "托位数", "备注")
    assert sheet.rows[1].values == ("张掖市“阳光”托育", "60", "含,逗号;分号")
    if encoding == "gb18030":  # a CJK Extension B character exists only in GB18030, not GBK
        assert sheet.rows[2].values == ("𠀀字托育",)
        assert sheet.rows[2].number == 4


def test_csv_bytes_in_no_known_encoding_are_refused_not_replaced(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("机构名称,托位数\r\n".encode() + b"\xff\xfe\xfd\x80\x80,1\r\n")
    refused(path, "excel.csv_encoding", "UTF-8", "GBK")


def test_column_letters_round_trip():
    for index in (0, 25, 26, 701, 702, 16383):
        assert column_index(column_letter(index)) == index
    assert column_letter(27) == "AB"


# ------------------------------------------------------------------------------ bad files


def test_missing_file_and_folder(tmp_path):
    refused(tmp_path / "没有.xlsx", "excel.not_found", "找不到文件")
    refused(tmp_path, "excel.not_found", "文件夹")


def test_zero_byte_file(tmp_path):
    (tmp_path / "a.xlsx").write_bytes(b"")
    refused(tmp_path / "a.xlsx", "excel.empty", "0 字节")


@pytest.mark.parametrize(
    ("name", "content", "code", "fragment"),
    [
        ("random.xlsx", bytes(range(256)) * 8, "excel.damaged", "改了扩展名"),
        ("report.pdf", b"%PDF-1.7\n...", "excel.not_workbook", "PDF"),
        ("setup.xlsx", b"MZ\x90\x00" + b"\0" * 100, "excel.not_workbook", "可执行程序"),
        ("export.xls", "<html><body><table><tr><td>机构</td></tr></table>".encode(), "excel.html", "网页"),
        ("notes.md", "# 说明".encode(), "excel.not_workbook", "不受支持"),
        ("broken.xlsx", b"PK\x03\x04" + b"\0" * 100, "excel.damaged", "已损坏"),
    ],
)
def test_files_that_are_not_workbooks_name_the_supported_formats(tmp_path, name, content, code, fragment):
    path = tmp_path / name
    path.write_bytes(content)
    error = refused(path, code, fragment)
    assert ".xlsx" in error.message


def test_word_document_renamed_to_xlsx(tmp_path):
    path = tmp_path / "名单.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    refused(path, "excel.not_workbook", "Word 文档")


def test_password_protected_xlsx_is_refused_with_what_to_do(tmp_path):
    # Excel saves a workbook with an open password as an OLE2 file holding "EncryptedPackage".
    path = tmp_path / "加密.xlsx"
    path.write_bytes(compound_file({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x99" * 600}))
    refused(path, "excel.encrypted", "密码", "清除密码")


def test_password_protected_xls_is_refused(tmp_path):
    path = tmp_path / "加密.xls"
    path.write_bytes(compound_file({"Workbook": biff_workbook(encrypted=True)}))
    refused(path, "excel.encrypted", "密码")


def test_file_over_the_size_cap_says_size_and_cap_and_suggests_splitting(tmp_path):
    path = xlsx(tmp_path / "大.xlsx", [[f"机构{i}" * 20] for i in range(2000)])
    error = refused(path, "excel.too_large", "MB", "上限 0.0 MB", "拆分", "CSV", max_bytes=10_000)
    assert f"{path.stat().st_size / 1024 / 1024:.1f} MB" in error.message


def test_zip_bomb_is_refused_before_anything_is_inflated(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))
    assert path.stat().st_size < 100_000
    refused(path, "excel.zip_bomb", "解压后", "拒绝", max_bytes=1024 * 1024)


def test_entity_declarations_are_refused(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [["机构名称"]])
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/sharedStrings.xml"] = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><sst/>'
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    refused(path, "excel.suspicious", "恶意")


def test_workbook_with_macros_is_refused(tmp_path):
    path = xlsx(tmp_path / "a.xlsm", [["机构名称"]])
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\0" * 10)
    refused(path, "excel.macro", "宏", ".xlsx")


def test_empty_workbook_and_empty_named_sheet(tmp_path):
    refused(xlsx(tmp_path / "a.xlsx", []), "excel.empty", "没有任何数据")
    path = xlsx(tmp_path / "b.xlsx", [["x"]], setup=lambda wb, ws: wb.create_sheet("空"))
    refused(path, "excel.empty", "“空”是空的", sheet_name="空")


def test_formatting_alone_does_not_make_a_sheet_non_empty(tmp_path):
    def setup(workbook, sheet):
        sheet["D40"].font = Font(bold=True)

    refused(xlsx(tmp_path / "a.xlsx", [], setup=setup), "excel.empty")


def test_data_only_on_a_hidden_sheet_says_to_unhide_it(tmp_path):
    def setup(workbook, sheet):
        sheet.sheet_state = "hidden"
        workbook.create_sheet("可见")

    refused(xlsx(tmp_path / "a.xlsx", [["机构名称"]], title="藏起来", setup=setup), "excel.empty", "“藏起来”被隐藏")


def test_a_far_away_cell_is_refused_before_a_huge_grid_is_allocated(tmp_path):
    # calamine would allocate 40 million cells (1.2 GB) for these two values.
    path = xlsx(tmp_path / "a.xlsx", [["机构名称"]], setup=lambda wb, ws: ws.cell(row=20000, column=2000, value="x"))
    refused(path, "excel.too_many_cells", "20,000 行 × 2,000 列")


def test_cells_formatted_far_away_do_not_count_towards_the_grid(tmp_path):
    def setup(workbook, sheet):
        sheet.cell(row=60000, column=300).font = Font(bold=True)

    assert read_sheet(xlsx(tmp_path / "a.xlsx", [["机构名称"]], setup=setup)).rows[0].values == ("机构名称",)


def test_too_many_rows(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [[i] for i in range(30)])
    refused(path, "excel.too_many_rows", "超过 20 行", max_rows=20)
    csv_path = tmp_path / "a.csv"
    csv_path.write_text("\n".join(str(i) for i in range(30)), encoding="utf-8")
    refused(csv_path, "excel.too_many_rows", max_rows=20)


MAGICS = st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf", b"<html>"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(magic=MAGICS, body=st.binary(max_size=3000), suffix=st.sampled_from([".xlsx", ".xls", ".csv"]))
def test_any_bytes_give_a_sheet_or_a_chinese_refusal_never_a_crash(tmp_path, magic, body, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(magic + body)
    try:
        read_sheet(path)
    except ExcelFileError as error:
        assert error.code.startswith("excel.") and error.message


@settings(max_examples=100, deadline=None)
@given(st.binary(min_size=1, max_size=4000), st.integers(min_value=0, max_value=600))
def test_damaged_compound_files_are_refused_cleanly(noise, where):
    data = bytearray(compound_file({"Workbook": biff_workbook() + noise}))
    data[512 + where : 512 + where + len(noise[:64])] = noise[:64]  # scribble over FAT/directory
    with contextlib.suppress(ValueError, KeyError):
        CompoundFile(bytes(data)).read_stream("Workbook")


# Files that once made calamine abort the whole process (it allocated what the file declared).
# Each is read in a child process, so that a regression fails this test instead of killing the run.
def read_in_child(path: Path) -> str:
    code = (
        "import sys\nfrom pathlib import Path\nfrom desktop.excel.workbook_reader import read_sheet\n"
        "from desktop.excel.errors import ExcelFileError\n"
        "try:\n    read_sheet(Path(sys.argv[1]))\n    print('read')\n"
        "except ExcelFileError as error:\n    print(error.code)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def rewrite_part(path: Path, part: str, change) -> None:
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts[part] = change(parts[part])
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_a_cell_row_beyond_the_sheet_out_of_order_is_refused_in_time(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [["机构名称"], ["阳光"], ["彩虹"]])
    rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b'r="A2"', b'r="A4000000000"'))
    assert read_in_child(path) == "excel.damaged"


def test_an_impossible_shared_string_count_is_refused_in_time(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [["机构名称"]])
    sst = b'<?xml version="1.0"?><sst xmlns="x" count="1" uniqueCount="4000000000"><si><t>a</t></si></sst>'
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/sharedStrings.xml", sst)
    assert read_in_child(path) == "excel.damaged"


def test_an_impossible_xls_dimensions_record_on_any_sheet_is_refused_in_time(tmp_path):
    data = bytearray((FIXTURES / "institutions.xls").read_bytes())
    stream = CompoundFile(bytes(data)).read_stream("Workbook")
    # DIMENSIONS of the second (hidden) sheet: calamine parses every sheet of an .xls on opening.
    position = stream.rfind(b"\x00\x02\x0e\x00")
    offset = data.find(stream[position : position + 40])
    struct.pack_into("<I", data, offset + 4, 0x88000000)  # first row far beyond the last
    path = tmp_path / "a.xls"
    path.write_bytes(bytes(data))
    assert read_in_child(path) == "excel.damaged"
