"""The columns of a roster of enrolled children (在托幼儿名单), in one place: template, import and error copy.

Headers are matched by text with the alternatives institutions' own lists use ("幼儿姓名",
"公民身份号码", "家长电话"…), after the same normalisation as the register's columns. The birth date
and sex come from the ID number; a 性别 column is read only to be checked against it.
"""

from __future__ import annotations

from desktop.domain.enums import Sex
from desktop.excel.column_index import ColumnIndex
from desktop.excel.institution_columns import ColumnSpec, Kind

CHILD_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(
        "name",
        "姓名",
        Kind.TEXT,
        required=True,
        aliases=("幼儿姓名", "儿童姓名", "婴幼儿姓名", "孩子姓名", "宝宝姓名", "学生姓名", "幼儿"),
        max_length=60,
        width=12,
        note="与户口簿上的姓名一致。",
    ),
    ColumnSpec(
        "id_number",
        "身份证号",
        Kind.IDENTIFIER,
        required=True,
        aliases=(
            "身份证号码",
            "公民身份号码",
            "身份证",
            "幼儿身份证号",
            "幼儿身份证号码",
            "儿童身份证号",
            "儿童身份证号码",
            "婴幼儿身份证号码",
            "证件号码",
            "身份证件号码",
        ),
        max_length=18,
        width=22,
        note="18 位公民身份号码，见户口簿。本列须为文本格式，不能是数字格式（数字格式会丢失末尾几位）。"
        "出生日期和性别按身份证号码确定；导入时按身份证号码匹配本机构名单中已有的幼儿。",
    ),
    ColumnSpec(
        "sex", "性别", Kind.ENUM, aliases=("幼儿性别",), enum=Sex, width=8, note="可不填；填写的须与身份证号码一致。"
    ),
    ColumnSpec(
        "guardian_name",
        "监护人",
        Kind.TEXT,
        required=True,
        aliases=("监护人姓名", "家长", "家长姓名", "父母姓名", "监护人（家长）", "家长（监护人）"),
        max_length=60,
        width=12,
    ),
    ColumnSpec(
        "guardian_phone",
        "监护人电话",
        Kind.PHONE,
        required=True,
        aliases=(
            "监护人联系电话",
            "监护人手机",
            "监护人手机号",
            "家长电话",
            "家长联系电话",
            "家长手机",
            "家长手机号",
            "联系电话",
            "联系方式",
            "手机号码",
            "电话",
        ),
        max_length=30,
        width=16,
        note="11 位手机号，或带区号的固定电话，如 0936-8212345。",
    ),
    ColumnSpec(
        "enrolled_on",
        "入托日期",
        Kind.DATE,
        required=True,
        aliases=("入托时间", "入园日期", "入园时间", "入托日", "入学日期", "入托年月日"),
        width=12,
        note="幼儿开始入托的日期，不能晚于今天。",
    ),
    ColumnSpec(
        "left_on",
        "离托日期",
        Kind.DATE,
        aliases=("离托时间", "离园日期", "离园时间", "退托日期", "退托时间", "离托日"),
        width=12,
        note="幼儿最后在托的一天；仍在托的不填。",
    ),
)

CHILD_INDEX = ColumnIndex(CHILD_COLUMNS)
COLUMNS_BY_FIELD = CHILD_INDEX.by_field
