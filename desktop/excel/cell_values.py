"""Cell parsers: a raw cell value in, ``(value, None)`` or ``(None, message)`` out. They never raise.

A blank cell is ``(None, None)``; whether a blank is allowed is the caller's business. Messages are
one Chinese sentence naming what was found and what to write instead. Nothing is guessed: a value
that could mean two things is refused (B8), and a number that lost digits is never "repaired" (B6).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from desktop.domain.enums import LabelledEnum
from desktop.domain.identifiers import FULL_WIDTH_FOLD, normalize_identifier
from desktop.domain.phone_numbers import validate_phone
from desktop.excel.sheet_data import CellValue

Parsed = tuple[object, str | None]

NUMBER_STORED_ID = (
    "该单元格是数字格式，Excel 只保留 15 位有效数字，末尾几位已丢失，无法还原。"
    "请把该列设置为文本格式后重新输入完整号码。"
)
# Written by clerks for "nothing here". "无" means "no" in a yes/no column, so it is not blank there.
PLACEHOLDERS = frozenset({"-", "--", "—", "——", "/", "\\", "无", "暂无", "空"})
# Zero-width characters copied in from Word or web pages. The regular expressions below are
# searched first because str.translate on every cell costs more than the rest of the parse.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_FULL_WIDTH = re.compile("[\uff01-\uff5e]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FORMULA_LEAD = ("=", "+", "-", "@")
_CLEAN_IDENTIFIER = re.compile("[0-9A-Z]+")


def shown(value: CellValue) -> str:
    """A cell value as a message quotes it."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"  # as Excel shows it
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text if len(text) <= 40 else text[:40] + "…"


def clean_text(value: str) -> str:
    """Trim whitespace (U+3000 too), drop zero-width characters and the "'" an export put before "=+-@"."""
    text = (_INVISIBLE.sub("", value) if _INVISIBLE.search(value) else value).strip()
    if text.startswith("'") and text[1:2] in _FORMULA_LEAD:
        text = text[1:]
    return text


def _blank(text: str, *, placeholders: bool = True) -> bool:
    return not text or (placeholders and text in PLACEHOLDERS)


def parse_text(value: CellValue, *, max_length: int | None = None, multiline: bool = False) -> Parsed:
    """Free text. Line breaks are removed unless ``multiline`` (Chinese needs no space for them)."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return None, f"这里应填写文字，不能是“{shown(value)}”。"
    text = shown(value) if isinstance(value, float | int | date) else clean_text(str(value))
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    elif "\n" in text or "\r" in text:
        text = text.replace("\r", "").replace("\n", "")
    if _blank(text):
        return None, None
    if _CONTROL.search(text):
        return None, "内容中含有看不见的控制字符（可能是从其他系统复制时带入的），请删除后重新输入。"
    if max_length is not None and len(text) > max_length:
        return None, f"内容过长：{len(text)} 个字，最多 {max_length} 个字。"
    return text, None


def parse_identifier_text(value: CellValue, *, what: str) -> Parsed:
    """An identifier that must arrive as text: spaces removed, full-width folded, upper-cased.

    A number is refused: Excel keeps 15 significant digits, so an 18-character code typed into a
    number cell has already lost its last digits (6.20702199001011E+17) and cannot be recovered.
    """
    if value is None:
        return None, None
    if isinstance(value, bool):
        return None, f"{what}应为文字，不能是“{shown(value)}”。"
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return None, f"{what}格式不正确。"
        if abs(value) >= 1e15 or (isinstance(value, float) and not value.is_integer()):
            return None, NUMBER_STORED_ID
        return None, (
            f"该单元格是数字格式（{shown(value)}），{what}应按文本填写完整号码。请把该列设置为文本格式后重新输入。"
        )
    if isinstance(value, date):
        return None, f"{what}不能是日期（{shown(value)}），请把该列设置为文本格式后重新输入。"
    text = clean_text(str(value))
    if not _CLEAN_IDENTIFIER.fullmatch(text):  # the common case needs no normalising
        text = normalize_identifier(text)
    return (None, None) if _blank(text) else (text, None)


def parse_code_text(value: CellValue, *, max_length: int | None = None) -> Parsed:
    """A number-like code kept as typed (备案号, 许可证号): a whole number is fine below 15 digits."""
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1e15:
        return None, NUMBER_STORED_ID
    return parse_text(value, max_length=max_length)


def parse_phone(value: CellValue) -> Parsed:
    text, problem = parse_text(value, max_length=40)
    if problem or text is None:
        return text, problem
    check = validate_phone(str(text))
    if not check.ok:
        return None, check.problems[0].message
    return check.normalized, None


# ----------------------------------------------------------------------------------- numbers

_UNITS = ("个托位", "个", "位", "人", "名", "张")
_INTEGER = re.compile(r"[+-]?\d+(?:\.0*)?|[+-]?\d{1,3}(?:,\d{3})+")


def _folded(value: str) -> str:
    """Cleaned, full-width folded to ASCII, with no whitespace at all."""
    text = clean_text(value)
    if _FULL_WIDTH.search(text):
        text = text.translate(FULL_WIDTH_FOLD)
    return "".join(text.split()) if " " in text or "\u3000" in text or "\t" in text else text


def parse_whole_number(value: CellValue, *, what: str = "数量", maximum: int | None = None) -> Parsed:
    """A whole number from 60, 60.0, "60", "６０", "60个" or "1,200"; "六十" and "60.5" are refused."""
    if value is None:
        return None, None
    if isinstance(value, bool | date | timedelta):
        return None, f"{what}应为整数，不能是“{shown(value)}”。"
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None, f"{what}应为整数，“{shown(value)}”不是整数。"
        number = int(value)
    elif isinstance(value, int):
        number = value
    else:
        text = _folded(str(value))
        if _blank(text):
            return None, None
        for unit in _UNITS:
            if text.endswith(unit):
                text = text[: -len(unit)]
                break
        if not _INTEGER.fullmatch(text):
            hint = "不是整数" if re.fullmatch(r"[+-]?[\d,]*\.\d+", text) else "不是数字，请填写阿拉伯数字，例如 60"
            return None, f"{what}应为整数，“{shown(value)}”{hint}。"
        number = int(text.replace(",", "").split(".")[0])
    if number < 0:
        return None, f"{what}不能是负数（{number}）。"
    if maximum is not None and number > maximum:
        return None, f"{what} {number} 过大（最多 {maximum}），请核对。"
    return number, None


_MONEY_SUFFIX = re.compile(r"(?:元|块)?(?:/(?:月|天|日|小时|时|次|人))?$")
_DECIMAL = re.compile(r"\d+(?:\.\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\.\d+")
_AREA_SUFFIX = re.compile(r"(?:㎡|m²|m2|平方米|平米|平方)$", re.IGNORECASE)


def _decimal(value: CellValue, *, what: str, suffix: re.Pattern[str], prefixes: tuple[str, ...]) -> Parsed:
    """A non-negative Decimal with at most 2 decimal places, from a number or text."""
    if value is None:
        return None, None
    if isinstance(value, bool | date | timedelta):
        return None, f"{what}应为数字，不能是“{shown(value)}”。"
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return None, f"{what}格式不正确。"
        # 15 significant digits is what Excel shows and keeps; it also drops binary noise
        # such as 1234.5599999999999 that some writers store for 1234.56.
        amount = Decimal(f"{value:.15g}") if isinstance(value, float) else Decimal(value)
    else:
        text = _folded(str(value)).upper().replace("￥", "¥")
        if _blank(text):
            return None, None
        for prefix in prefixes:
            text = text.removeprefix(prefix)
        text = suffix.sub("", text)
        if text.startswith("-"):
            return None, f"{what}不能是负数（{shown(value)}）。"
        if not _DECIMAL.fullmatch(text):
            return None, f"{what}“{shown(value)}”不是数字，请填写阿拉伯数字，例如 1200 或 1200.50。"
        try:
            amount = Decimal(text.replace(",", ""))
        except InvalidOperation:
            return None, f"{what}“{shown(value)}”不是数字。"
    if amount < 0:
        return None, f"{what}不能是负数（{shown(value)}）。"
    if amount >= Decimal(100_000_000):  # checked first: quantize() fails beyond its precision
        return None, f"{what}“{shown(value)}”过大，请核对。"
    if amount != amount.quantize(Decimal("0.01")):
        return None, f"{what}最多保留两位小数，“{shown(value)}”的小数位数过多，请核对。"
    return amount.quantize(Decimal("0.01")), None


def parse_money_fen(value: CellValue, *, what: str = "金额") -> Parsed:
    """Yuan ("1,200.00", "¥1200", "1200元", 1200.5) -> integer fen, by Decimal arithmetic only."""
    amount, problem = _decimal(value, what=what, suffix=_MONEY_SUFFIX, prefixes=("¥", "RMB", "人民币"))
    return (None, problem) if amount is None else (int(amount * 100), None)


def parse_area(value: CellValue, *, what: str = "面积") -> Parsed:
    """Square metres ("120", "120.5㎡", "120平方米") -> Decimal with 2 places."""
    return _decimal(value, what=what, suffix=_AREA_SUFFIX, prefixes=())


# ------------------------------------------------------------------------------------- dates

DATE_HINT = "请按 2024-06-17 或 2024年6月17日 的格式填写"
# Excel serial numbers accepted as dates: 1950-01-01 .. 2099-12-31. Anything else is more likely
# a count or an amount typed into the wrong column than a date.
_SERIAL_MIN, _SERIAL_MAX = 18264, 73050
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, with Excel's phantom 1900-02-29 before 61
_YEARS = range(1950, 2100)
# A time of day after the date (CSV exports of date-time cells); spaces are already removed.
_TIME = r"(?:T?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DATE_PATTERNS = (
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?" + _TIME),
    re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})" + _TIME),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)


def _make_date(year: int, month: int, day: int, original: CellValue) -> Parsed:
    if year not in _YEARS:
        return None, f"日期“{shown(original)}”的年份 {year} 不合理，请核对。"
    try:
        return date(year, month, day), None
    except ValueError:
        return None, f"日期“{shown(original)}”不存在（{year}年没有{month}月{day}日），请核对。"


def parse_date(value: CellValue) -> Parsed:
    """A date from a date cell, an Excel serial number, or text in one of the accepted forms."""
    if value is None:
        return None, None
    if isinstance(value, datetime):
        return _make_date(value.year, value.month, value.day, value)
    if isinstance(value, date):
        return _make_date(value.year, value.month, value.day, value)
    if isinstance(value, bool | timedelta):
        return None, f"“{shown(value)}”不是日期，{DATE_HINT}。"
    if isinstance(value, int | float):
        if not math.isfinite(value):
            return None, f"“{shown(value)}”不是日期，{DATE_HINT}。"
        if _SERIAL_MIN <= value <= _SERIAL_MAX:
            return _EXCEL_EPOCH + timedelta(days=int(value)), None
        if isinstance(value, int) or value.is_integer():
            digits = str(int(value))
            if len(digits) == 8:  # 20240617 typed into a number cell
                return _make_date(int(digits[:4]), int(digits[4:6]), int(digits[6:]), value)
        return None, f"“{shown(value)}”不是日期，{DATE_HINT}。"
    text = _folded(str(value))
    if _blank(text):
        return None, None
    for pattern in _DATE_PATTERNS:
        if match := pattern.fullmatch(text):
            groups = [g for g in match.groups() if g not in ("-", "/", ".")]
            return _make_date(int(groups[0]), int(groups[1]), int(groups[2]), value)
    return None, f"日期“{shown(value)}”无法识别，{DATE_HINT}。"


# ----------------------------------------------------------------------------- yes/no, enums

_YES = frozenset({"是", "√", "✓", "✔", "Y", "YES", "TRUE", "T", "1", "有", "对"})
_NO = frozenset({"否", "×", "✗", "✘", "X", "N", "NO", "FALSE", "F", "0", "无", "不是", "没有"})
_YES_NO_EXACT = {"是": True, "否": False}


def parse_yes_no(value: CellValue) -> Parsed:
    """是/否, √/×, Y/N, 有/无, TRUE/FALSE, 1/0."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return value, None
    if type(value) is str and value in _YES_NO_EXACT:
        return _YES_NO_EXACT[value], None
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value), None
    text = _folded(str(value)).upper() if isinstance(value, str) else shown(value)
    if not text or text in ("-", "--", "—", "/"):
        return None, None
    if text in _YES:
        return True, None
    if text in _NO:
        return False, None
    return None, f"“{shown(value)}”无法识别，请填写“是”或“否”。"


# Only synonyms that cannot mean two members. "民办" is not here: a 民办 institution may be
# 社会力量举办, a kindergarten's 托班 or a 家庭托育点. "全托" is not 全日托 (it often means boarding).
ENUM_SYNONYMS: Mapping[str, Mapping[str, str]] = {
    "SponsorType": {
        "公办": "public", "公办机构": "public", "公办托育": "public",
        "社会力量": "social", "社会力量办": "social", "社会力量举办托育机构": "social",
        "用人单位": "employer_class", "用人单位办托": "employer_class", "单位托班": "employer_class",
        "事业单位办托": "public_institution_class",
        "幼儿园办托": "kindergarten_class", "托幼一体": "kindergarten_class", "幼儿园托班部": "kindergarten_class",
        "社区托育": "community_embedded", "社区嵌入式": "community_embedded", "社区托班": "community_embedded",
        "嵌入式托班": "community_embedded",
        "医疗机构举办": "medical", "医疗卫生机构": "medical", "医疗机构办托": "medical",
        "家庭托育": "home_based", "家庭式托育": "home_based", "家庭托育点": "home_based",
    },
    "Ownership": {"民营": "private"},
    "RegistrationType": {
        "民办非企业单位": "social_service", "民办非企业": "social_service", "民非": "social_service",
        "企业": "for_profit", "公司": "for_profit", "营利性": "for_profit", "事业法人": "public_institution",
    },
    "ServiceMode": {"全日制": "full_day", "半日制": "half_day", "计时": "hourly", "临时": "temporary"},
    "FilingStatus": {
        "未备": "not_filed", "审核中": "pending", "备案中": "pending", "待审核": "pending",
        "注销": "cancelled", "已注销": "cancelled",
    },
    "OperatingStatus": {
        "筹建": "preparing", "筹备中": "preparing", "运营中": "operating", "正常": "operating",
        "营业中": "operating", "在营": "operating", "暂停": "suspended", "停业": "suspended",
        "暂停营业": "suspended", "关闭": "closed", "停办": "closed", "已停办": "closed",
    },
    "DemonstrationLevel": {
        "县级": "county", "区级": "county", "市级": "city", "省级": "province", "国家级": "national",
    },
}  # fmt: skip

_enum_tables: dict[type, dict[str, LabelledEnum]] = {}


def _enum_table(enum: type[LabelledEnum]) -> dict[str, LabelledEnum]:
    """Folded text -> member, for labels, stored values and synonyms; built once per enum."""
    table = _enum_tables.get(enum)
    if table is None:
        table = {}
        for member in enum:
            table[_folded(member.label).casefold()] = member
            table[member.value.casefold()] = member
        for text, code in ENUM_SYNONYMS.get(enum.__name__, {}).items():
            table.setdefault(_folded(text).casefold(), enum(code))
        _enum_tables[enum] = table
    return table


def choices(enum: type[LabelledEnum]) -> str:
    return "、".join(member.label for member in enum)


def parse_enum(value: CellValue, enum: type[LabelledEnum], *, what: str) -> Parsed:
    """A member by its Chinese label, its stored value, or an unambiguous synonym."""
    if value is None:
        return None, None
    table = _enum_table(enum)
    if type(value) is str and (member := table.get(value)) is not None:
        return member, None  # the common case: a label exactly as the drop-down wrote it
    text = _folded(str(value)).casefold() if isinstance(value, str) else shown(value)
    if _blank(text):
        return None, None
    member = table.get(text)
    if member is None:
        return None, f"“{shown(value)}”不是有效的{what}，可填写：{choices(enum)}。"
    return member, None


_LIST_SEPARATORS = re.compile(r"[、,;；/|+＋]|和|及")


def parse_enum_set(value: CellValue, enum: type[LabelledEnum], *, what: str) -> Parsed:
    """Several members separated by 、 , ; / and the like ("全日托、计时托")."""
    if value is None:
        return None, None
    members = set()
    for part in _LIST_SEPARATORS.split(str(value)):
        if not part.strip():
            continue
        member, problem = parse_enum(part, enum, what=what)
        if problem:
            return None, problem
        if member is not None:
            members.add(member)
    return (frozenset(members) if members else None), None
