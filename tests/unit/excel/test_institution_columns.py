"""The institution column specification: headers found however clerks write them (anchor B11)."""

from __future__ import annotations

import pytest

from desktop.excel.institution_columns import (
    COLUMNS_BY_FIELD,
    INSTITUTION_COLUMNS,
    find_header_row,
    map_header,
    normalize_header,
    spec_for_header,
)
from desktop.excel.institution_sheet_row import RECORD_FIELDS
from desktop.excel.sheet_data import SheetRow


@pytest.mark.parametrize(
    ("written", "field"),
    [
        ("机构名称", "name"),
        ("托育机构名称", "name"),
        ("单位名称", "name"),
        (" 机 构\u3000名 称 ", "name"),
        ("机构名称（必填）", "name"),
        ("*机构名称:", "name"),
        ("＊机构名称：", "name"),
        ("统一社会信用代码", "credit_code"),
        ("信用代码", "credit_code"),
        ("社会信用代码*", "credit_code"),
        ("托位数", "slots"),
        ("托位", "slots"),
        ("核定托位数", "slots"),
        ("托位数（个）", "slots"),
        ("托位数(个)", "slots"),
        ("所属县区", "county_code"),
        ("县区", "county_code"),
        ("区县", "county_code"),
        ("县（区）", "county_code"),
        ("乡镇（街道）", "township_code"),
        ("乡镇(街道)", "township_code"),
        ("乡镇", "township_code"),
        ("街道", "township_code"),
        ("举办主体", "sponsor_type"),
        ("举办类型", "sponsor_type"),
        ("机构类型", "sponsor_type"),
        ("是否普惠", "puhui"),
        ("普惠", "puhui"),
        ("备案状态", "filing_status"),
        ("备案号", "filing_number"),
        ("备案编号", "filing_number"),
        ("备案日期", "filed_on"),
        ("联系电话", "contact_phone"),
        ("电话", "contact_phone"),
        ("手机", "contact_phone"),
        ("建筑面积（㎡）", "building_area_m2"),
        ("建筑面积(平方米)", "building_area_m2"),
        ("全日托收费（元/月）", "fee_full_day_monthly_fen"),
        ("全日托收费", "fee_full_day_monthly_fen"),
        ("统一社会\n信用代码", "credit_code"),
    ],
)
def test_headers_are_matched_after_normalising(written, field):
    spec = spec_for_header(written)
    assert spec is not None and spec.field == field


@pytest.mark.parametrize("written", ["负责人身份证号", "序号", "错误原因", "", None, "   "])
def test_other_headers_are_not_fields(written):
    assert spec_for_header(written) is None


def test_normalisation_folds_width_and_drops_marks():
    assert normalize_header("  ＡＢＣ（必填）：") == "abc"
    assert normalize_header("托位数(选填)") == "托位数"
    assert normalize_header("【备注】") == "(备注)"


def test_every_clerk_kept_field_of_the_model_has_exactly_one_column():
    from desktop.models.institution import Institution

    model_fields = set(Institution.__table__.columns.keys())
    fields = [spec.field for spec in INSTITUTION_COLUMNS]
    assert len(fields) == len(set(fields))
    assert set(fields) <= model_fields
    internal = {"id", "created_at", "updated_at", "origin", "version", "name_initials"}
    assert model_fields - set(fields) - internal == set()
    assert set(RECORD_FIELDS) == set(fields)


def test_required_columns_are_the_ones_a_record_cannot_do_without():
    assert {spec.field for spec in INSTITUTION_COLUMNS if spec.required} == {
        "name",
        "sponsor_type",
        "county_code",
        "slots",
    }
    assert all(spec.enum is not None for spec in INSTITUTION_COLUMNS if spec.kind in ("enum", "enum_set"))


def test_map_header_reports_unknown_ignored_missing_and_repeated_columns():
    header = map_header(["序号", "机构名称", "托位", "负责人身份证号", None, "托位数（个）", "错误原因", "县区"])
    assert header.columns == {"name": 1, "slots": 2, "county_code": 7}
    assert header.headers["slots"] == "托位"
    assert header.unknown == ((3, "负责人身份证号"),)
    assert header.ignored == ((0, "序号"), (6, "错误原因"))
    assert [spec.field for spec in header.missing_required] == ["sponsor_type"]
    assert header.duplicates == (("slots", (2, 5)),)


def test_header_is_found_below_a_title_and_a_note():
    rows = [
        SheetRow(1, ("2024年甘州区托育机构名单",)),
        SheetRow(2, ("填报单位：甘州区卫生健康局", None, "填报日期：2024年6月17日")),
        SheetRow(4, ("序号", "机构名称", "统一社会信用代码", "托位数")),
        SheetRow(5, (1, "阳光托育", "52620702MA000001XX", 60)),
    ]
    assert find_header_row(rows) == 2


def test_no_header_when_nothing_names_two_fields():
    rows = [SheetRow(1, ("名称",)), SheetRow(2, ("阳光托育",))]
    assert find_header_row(rows) is None
    assert find_header_row([SheetRow(n, ("x", "y")) for n in range(1, 30)]) is None


def test_header_beyond_the_first_ten_rows_is_not_searched():
    rows = [SheetRow(n, (f"说明{n}",)) for n in range(1, 11)] + [SheetRow(11, ("机构名称", "托位数"))]
    assert find_header_row(rows) is None
    assert COLUMNS_BY_FIELD["slots"].header == "托位数"
