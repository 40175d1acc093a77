"""Phone numbers of institutions and staff: mainland mobiles and landlines with area code.

Pure. Full-width digits and odd dashes typed by Chinese input methods are normalised first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from desktop.domain.identifiers import FULL_WIDTH_FOLD, without_spaces
from desktop.domain.problems import Problem, Severity, has_errors

PhoneKind = Literal["mobile", "landline"]
_ERROR = Severity.ERROR

_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))
# An extension written with a word or sign; "0936-8212345-801" is handled from the groups.
_EXTENSION = re.compile(r"(?P<main>.*?)(?:转|分机|EXT\.?|X|#)(?P<ext>[0-9]{1,6})")
_PHONE_HINT = "请填写 11 位手机号码，或带区号的固定电话，例如 0936-8212345。"


@dataclass(frozen=True, slots=True)
class PhoneCheck:
    """Result of checking a phone number.

    ``normalized`` is ``13912345678`` for a mobile and ``0936-8212345`` or ``0936-8212345-801``
    for a landline; ``kind`` is set only when the number is ``ok``.
    """

    normalized: str
    problems: tuple[Problem, ...]
    kind: PhoneKind | None

    @property
    def ok(self) -> bool:
        """True when the number is a well-formed mobile or landline number."""
        return not has_errors(self.problems)


def _phone_error(normalized: str, code: str, message: str) -> PhoneCheck:
    return PhoneCheck(normalized, (Problem(code, message, _ERROR),), None)


@lru_cache(maxsize=16_384)  # pure and asked twice per imported row (sheet parser, register rules)
def validate_phone(text: str) -> PhoneCheck:
    """Check a mainland mobile number (1[3-9] + 9 digits) or a landline with its area code."""
    value = without_spaces(text.translate(FULL_WIDTH_FOLD).translate(_DASHES)).upper()
    if not value:
        return _phone_error(value, "phone.empty", "电话号码未填写，" + _PHONE_HINT)

    extension: str | None = None
    if match := _EXTENSION.fullmatch(value):
        value, extension = match["main"], match["ext"]
    for prefix in ("+86", "0086"):  # international form of a mainland number
        if value.startswith(prefix):
            value = value[len(prefix) :].lstrip("-")
    if re.fullmatch(r"[0-9()\-]*[0-9][0-9()\-]*", value) is None:
        return _phone_error(
            value,
            "phone.characters",
            f"电话号码“{text.strip()}”格式不正确，只能包含数字、“-”和括号；" + _PHONE_HINT,
        )

    groups = re.findall(r"[0-9]+", value)  # hyphens and parentheses only separate groups
    digits = "".join(groups)
    if digits.startswith("1"):
        if extension is not None or len(digits) != 11:
            return _phone_error(digits, "phone.mobile_length", f"手机号码应为 11 位，实际为 {len(digits)} 位，请核对。")
        if digits[1] not in "3456789":
            return _phone_error(digits, "phone.mobile_prefix", f"手机号码 {digits} 的第 2 位应为 3–9，请核对。")
        return PhoneCheck(digits, (), "mobile")

    if not digits.startswith("0"):
        return _phone_error(
            digits, "phone.area_code_missing", "固定电话缺少区号，请在号码前加上区号，例如 0936-8212345。"
        )
    # Area codes have a fixed length: 010 and 02x are 3 digits, all others 4 (0 + 3 digits),
    # so "09368212345" splits without needing the clerk's hyphen.
    area_length = 3 if digits[1:2] in ("1", "2") else 4
    if extension is None and len(groups) == 3 and groups[0] == digits[:area_length] and len(groups[2]) <= 6:
        extension = groups[2]  # "0936-8212345-801"
        digits = groups[0] + groups[1]
    area, local = digits[:area_length], digits[area_length:]
    if re.fullmatch(r"[2-9][0-9]{6,7}", local) is None:
        return _phone_error(
            digits,
            "phone.landline_format",
            f"固定电话号码 {area}-{local} 不正确：区号后应为 7 或 8 位号码，请核对。例如 0936-8212345。",
        )
    normalized = f"{area}-{local}" + (f"-{extension}" if extension else "")
    return PhoneCheck(normalized, (), "landline")


def mask_phone_number(text: str) -> str:
    """Keep the first 3 and last 4 digits of a phone number (139****5678), as bills and SMS do;
    a number too short for that is fully masked. Never raises."""
    try:
        value = without_spaces(str(text).translate(FULL_WIDTH_FOLD))
    except (AttributeError, TypeError):
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
