"""The columns of the institution register, in one place: template, export, import and error copy all read this.

Each column names the ``Institution`` attribute it fills, the header the template writes, the
other headers clerks' own sheets use for it, and the kind of value it holds. Headers are matched
after ``normalize_header``, so "托 位 数", "托位数（个）", "＊托位数" and "托位数(必填)：" all find ``slots``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from desktop.domain.enums import (
    DemonstrationLevel,
    FilingStatus,
    LabelledEnum,
    OperatingStatus,
    Ownership,
    RegistrationType,
    ServiceMode,
    SponsorType,
)
from desktop.domain.identifiers import FULL_WIDTH_FOLD, without_spaces
from desktop.excel.sheet_data import CellValue, SheetRow


class Kind(StrEnum):
    TEXT = "text"  # one line
    LONG_TEXT = "long_text"  # may hold line breaks
    CREDIT_CODE = "credit_code"
    PHONE = "phone"
    IDENTIFIER = "identifier"  # a number-like code kept as typed (备案号, 许可证号)
    WHOLE_NUMBER = "whole_number"
    AREA = "area"  # square metres, 2 decimals
    MONEY = "money"  # yuan in the sheet, integer fen in the record
    DATE = "date"
    YES_NO = "yes_no"
    ENUM = "enum"
    ENUM_SET = "enum_set"
    COUNTY = "county"
    TOWNSHIP = "township"


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    field: str
    header: str
    kind: Kind
    required: bool = False
    aliases: tuple[str, ...] = ()
    enum: type[LabelledEnum] | None = None
    max_length: int | None = None
    width: int = 14
    note: str = ""


def _c(field: str, header: str, kind: Kind, *aliases: str, **options) -> ColumnSpec:
    return ColumnSpec(field, header, kind, aliases=aliases, **options)


K = Kind
# Order = the template's column order: identity, place, people, size, money, status.
INSTITUTION_COLUMNS: tuple[ColumnSpec, ...] = (
    _c(
        "name",
        "机构名称",
        K.TEXT,
        "托育机构名称",
        "单位名称",
        "机构全称",
        "托育机构",
        "名称",
        required=True,
        max_length=200,
        width=32,
        note="与营业执照或登记证书上的名称一致。",
    ),
    _c(
        "credit_code",
        "统一社会信用代码",
        K.CREDIT_CODE,
        "信用代码",
        "社会信用代码",
        "统一信用代码",
        "统一社会信用代码证号",
        "机构代码",
        max_length=18,
        width=22,
        note="18 位，按营业执照或登记证书填写。本列须为文本格式，不能是数字格式（数字格式会丢失末尾几位）。"
        "导入时按此代码匹配已有机构。",
    ),
    _c(
        "sponsor_type",
        "举办主体",
        K.ENUM,
        "举办类型",
        "机构类型",
        "举办主体类型",
        "举办性质",
        "托育机构类型",
        required=True,
        enum=SponsorType,
        width=18,
    ),
    _c("ownership", "办托体制", K.ENUM, "办园体制", "办学体制", "办托性质", enum=Ownership, width=12),
    _c(
        "registration_type",
        "登记类型",
        K.ENUM,
        "法人登记类型",
        "法人类型",
        "登记注册类型",
        enum=RegistrationType,
        width=14,
    ),
    _c(
        "service_modes",
        "服务形式",
        K.ENUM_SET,
        "托育服务形式",
        "服务类型",
        "托育形式",
        "服务方式",
        "托育类型",
        enum=ServiceMode,
        width=18,
        note="可填多个，用顿号分隔，例如：全日托、计时托。",
    ),
    _c("chain_brand", "连锁品牌", K.TEXT, "品牌", "所属品牌", "连锁品牌名称", max_length=100),
    _c(
        "county_code",
        "所属县区",
        K.COUNTY,
        "县区",
        "区县",
        "县（区）",
        "所属县（区）",
        "所在县区",
        "所属区县",
        "县（市、区）",
        "县市区",
        required=True,
        width=12,
        note="填写县区名称（如：甘州区）或 6 位区划代码。",
    ),
    _c(
        "township_code",
        "乡镇（街道）",
        K.TOWNSHIP,
        "乡镇",
        "街道",
        "所属乡镇",
        "所属乡镇（街道）",
        "乡镇街道",
        "所在乡镇（街道）",
        "乡镇/街道",
        "所在乡镇",
        width=14,
        note="须是所填县区下辖的乡镇或街道，也可填 9 位区划代码。",
    ),
    _c(
        "address",
        "详细地址",
        K.TEXT,
        "地址",
        "机构地址",
        "办公地址",
        "所在地址",
        "场所地址",
        "托育场所地址",
        max_length=300,
        width=36,
    ),
    _c("legal_representative", "法定代表人", K.TEXT, "法人", "法人代表", "法定代表人（负责人）", max_length=60),
    _c("principal_name", "机构负责人", K.TEXT, "负责人", "园长", "主要负责人", "负责人姓名", max_length=60),
    _c("contact_person", "联系人", K.TEXT, "联系人姓名", max_length=60),
    _c(
        "contact_phone",
        "联系电话",
        K.PHONE,
        "电话",
        "手机",
        "手机号",
        "手机号码",
        "联系方式",
        "联系人电话",
        "联系人手机",
        "负责人电话",
        max_length=30,
        width=16,
        note="11 位手机号，或带区号的固定电话，如 0936-8212345。",
    ),
    _c(
        "slots",
        "托位数",
        K.WHOLE_NUMBER,
        "托位",
        "核定托位数",
        "备案托位数",
        "总托位数",
        "托位总数",
        "提供托位数",
        required=True,
        width=10,
        note="整数，例如 60。",
    ),
    _c(
        "building_area_m2",
        "建筑面积（平方米）",
        K.AREA,
        "建筑面积",
        "建筑面积（㎡）",
        "建筑面积（m²）",
        "室内面积",
        width=12,
    ),
    _c(
        "outdoor_area_m2",
        "户外场地面积（平方米）",
        K.AREA,
        "户外场地面积",
        "户外面积",
        "户外活动场地面积",
        "室外活动场地面积",
        "室外面积",
        width=14,
    ),
    _c("premises_leased", "场地是否租赁", K.YES_NO, "是否租赁", "租赁场地", "场地租赁", width=10),
    _c(
        "lease_expires_on", "租赁到期日期", K.DATE, "租赁到期日", "租期截止日期", "租赁截止日期", "租赁期限至", width=12
    ),
    _c(
        "fee_full_day_monthly_fen",
        "全日托收费（元/月）",
        K.MONEY,
        "全日托收费",
        "全日托月收费",
        "全日托收费标准",
        width=12,
    ),
    _c(
        "fee_half_day_monthly_fen",
        "半日托收费（元/月）",
        K.MONEY,
        "半日托收费",
        "半日托月收费",
        "半日托收费标准",
        width=12,
    ),
    _c("fee_hourly_fen", "计时托收费（元/小时）", K.MONEY, "计时托收费", "计时托收费标准", width=12),
    _c("meal_fee_daily_fen", "伙食费（元/天）", K.MONEY, "伙食费", "餐费", "膳食费", width=10),
    _c("serves_meals", "是否提供膳食", K.YES_NO, "提供膳食", "是否供餐", "供餐", "是否提供餐食", width=10),
    _c(
        "food_licence_number",
        "食品经营许可证号",
        K.IDENTIFIER,
        "食品经营许可证",
        "食品许可证号",
        "食品经营许可证编号",
        max_length=40,
        width=20,
    ),
    _c("filing_status", "备案状态", K.ENUM, "备案情况", enum=FilingStatus, width=12),
    _c("filing_number", "备案号", K.IDENTIFIER, "备案编号", "备案回执号", "备案回执编号", max_length=60, width=18),
    _c("filed_on", "备案日期", K.DATE, "备案时间", "备案回执日期", width=12),
    _c("puhui", "是否普惠", K.YES_NO, "普惠", "普惠性", "是否普惠性", "普惠托育", "是否普惠性托育机构", width=10),
    _c("puhui_recognized_on", "普惠认定日期", K.DATE, "普惠认定时间", width=12),
    _c("operating_status", "运营状态", K.ENUM, "经营状态", "机构状态", "营业状态", enum=OperatingStatus, width=12),
    _c("opened_on", "开办日期", K.DATE, "开业日期", "开园日期", "开办时间", "开业时间", width=12),
    _c("status_changed_on", "状态变更日期", K.DATE, "状态变更时间", width=12),
    _c("status_reason", "状态变更原因", K.TEXT, "变更原因", "停业原因", max_length=300, width=20),
    _c("demonstration", "是否示范", K.YES_NO, "示范机构", "是否示范机构", "是否示范性托育机构", width=10),
    _c("demonstration_level", "示范级别", K.ENUM, "示范等级", enum=DemonstrationLevel, width=12),
    _c("demonstration_recognized_on", "示范认定日期", K.DATE, "示范认定时间", width=12),
    _c("medical_partnership", "是否医育结合", K.YES_NO, "医育结合", width=10),
    _c("medical_partner_name", "合作医疗机构", K.TEXT, "签约医疗机构", "医育结合合作机构", max_length=200, width=24),
    _c("notes", "备注", K.LONG_TEXT, "说明", max_length=2000, width=30),
)
COLUMNS_BY_FIELD = {spec.field: spec for spec in INSTITUTION_COLUMNS}
# Columns that carry nothing to import: row numbers, and the reasons column of an error copy
# (a clerk fixes the copy and imports it again).
IGNORED_HEADERS = frozenset({"序号", "编号", "no", "no.", "错误原因"})

_NOISE = re.compile(r"\*|\((?:必填|选填|必填项|可选)\)|:+$")
_TRAILING_UNIT = re.compile(r"\([^()]*\)$")


def normalize_header(text: CellValue) -> str:
    """Header text as compared: no whitespace (U+3000 too), full-width folded, no "*", "(必填)", ":"."""
    if text is None:
        return ""
    folded = without_spaces(str(text).translate(FULL_WIDTH_FOLD)).replace("【", "(").replace("】", ")")
    return _NOISE.sub("", _NOISE.sub("", folded)).casefold()


def _build_index() -> tuple[dict[str, ColumnSpec], dict[str, ColumnSpec]]:
    exact: dict[str, ColumnSpec] = {}
    loose: dict[str, ColumnSpec] = {}  # without a trailing "(unit)": "托位数(个)" -> "托位数"
    for spec in INSTITUTION_COLUMNS:
        for text in (spec.header, *spec.aliases):
            key = normalize_header(text)
            if exact.setdefault(key, spec) is not spec:
                raise ValueError(f"header {text!r} is claimed by two columns")
            stripped = _TRAILING_UNIT.sub("", key)
            if loose.setdefault(stripped, spec) is not spec:
                raise ValueError(f"header {text!r} without its unit is claimed by two columns")
    return exact, loose


_EXACT, _LOOSE = _build_index()


def spec_for_header(text: CellValue) -> ColumnSpec | None:
    """The column a header names, or None."""
    key = normalize_header(text)
    if not key:
        return None
    return _EXACT.get(key) or _LOOSE.get(_TRAILING_UNIT.sub("", key))


@dataclass(frozen=True, slots=True)
class HeaderMap:
    """Which column holds which field, as found in one header row."""

    columns: dict[str, int]  # field -> 0-based column (the first, if a header is repeated)
    headers: dict[str, str]  # field -> the header text as the clerk wrote it
    unknown: tuple[tuple[int, str], ...]  # columns whose header is not ours: ignored, reported
    ignored: tuple[tuple[int, str], ...]  # 序号, 错误原因: ignored silently
    missing_required: tuple[ColumnSpec, ...]
    duplicates: tuple[tuple[str, tuple[int, ...]], ...]  # field -> every column that names it

    @property
    def recognised(self) -> int:
        return len(self.columns)


def map_header(cells: Sequence[CellValue]) -> HeaderMap:
    """Map one header row's cells to fields."""
    found: dict[str, list[int]] = {}
    headers: dict[str, str] = {}
    unknown, ignored = [], []
    for index, cell in enumerate(cells):
        if cell is None or not str(cell).strip():
            continue
        text = str(cell).strip()
        spec = spec_for_header(cell)
        if spec is None:
            (ignored if normalize_header(cell) in IGNORED_HEADERS else unknown).append((index, text))
            continue
        found.setdefault(spec.field, []).append(index)
        headers.setdefault(spec.field, text)
    return HeaderMap(
        columns={field: indexes[0] for field, indexes in found.items()},
        headers=headers,
        unknown=tuple(unknown),
        ignored=tuple(ignored),
        missing_required=tuple(spec for spec in INSTITUTION_COLUMNS if spec.required and spec.field not in found),
        duplicates=tuple((field, tuple(indexes)) for field, indexes in found.items() if len(indexes) > 1),
    )


HEADER_SEARCH_ROWS = 10


def find_header_row(rows: Sequence[SheetRow], *, search: int = HEADER_SEARCH_ROWS) -> int | None:
    """Position in ``rows`` of the header: among the first rows, the one naming most fields (at least 2).

    Sheets often carry a title ("2024年甘州区托育机构名单") or a note above the header.
    """
    best, best_count = None, 1
    for position, row in enumerate(rows[:search]):
        count = len({spec.field for cell in row.values if (spec := spec_for_header(cell)) is not None})
        if count > best_count:
            best, best_count = position, count
    return best
