"""Identifier rules: resident ID numbers and unified social credit codes, and masking of ID numbers.

Pure: no I/O, no clock (``today`` is a parameter), standard library only.

- ``validate_*`` never raise on any string. They return a frozen result whose ``problems`` say,
  in Chinese, what is wrong and what to do; ``ok`` is true when there is no *error* (warnings
  may remain and are for an officer to confirm).
- ``*_check_char`` and ``make_*`` raise ``ValueError`` on malformed arguments: they are called
  by code (demo data, tests, converters), so a bad argument there is a programming error.

Sources (see shared/domain/REFERENCE.md §3.1–3.2): GB 11643-1999 resident ID with the
ISO 7064 MOD 11-2 check; GB 32100-2015 unified social credit code with its MOD 31 check;
GB 11714 organisation code (positions 9–17 of a credit code).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

from desktop.domain.problems import Problem, Severity, has_errors

__all__ = [
    "CREDIT_CODE_CHARSET",
    "CreditCodeCheck",
    "IdNumberCheck",
    "Sex",
    "credit_code_check_char",
    "id_number_check_char",
    "make_credit_code",
    "make_id_number",
    "mask_id_number",
    "mask_id_numbers_in",
    "normalize_identifier",
    "organization_code_check_char",
    "validate_credit_code",
    "validate_id_number",
]

Sex = Literal["male", "female"]

_ERROR = Severity.ERROR
_WARNING = Severity.WARNING

# ASCII only: str.isdigit() and int() also accept e.g. Arabic-Indic digits, which are not valid
# in any of these identifiers.
_DIGITS = frozenset("0123456789")


# --------------------------------------------------------------------------- normalisation

# The full-width block U+FF01..U+FF5E maps one-to-one onto ASCII U+0021..U+007E; Chinese input
# methods type digits and letters there. Only this block is folded (not NFKC), so that e.g. "①"
# or a superscript digit is reported as a bad character instead of being silently read as "1".
FULL_WIDTH_FOLD = {code_point: code_point - 0xFEE0 for code_point in range(0xFF01, 0xFF5F)}
# Invisible characters that come along when copying from Word, Excel or web pages;
# str.isspace() does not cover them.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")


# Every whitespace character Python knows (\s in a str pattern is Unicode-aware, U+3000 included)
# and the invisible ones; one regex pass is ~10x faster than a character loop on an import.
_SPACES = re.compile("[\\s" + "".join(sorted(_INVISIBLE)) + "]+")


def without_spaces(text: str) -> str:
    return _SPACES.sub("", text)


def normalize_identifier(text: str) -> str:
    """Return ``text`` without any spaces (incl. U+3000), full-width folded to ASCII, upper-cased.

    >>> normalize_identifier("１１０１０５ 19491231　002x")
    '11010519491231002X'
    """
    return without_spaces(text.translate(FULL_WIDTH_FOLD)).upper()


def _positions(bad: list[tuple[int, str]]) -> str:
    """Describe bad characters for a message, 1-based: '第 5 位“A”、第 9 位“-”'."""
    shown = "、".join(f"第 {index + 1} 位“{char}”" for index, char in bad[:5])
    return shown + ("等" if len(bad) > 5 else "")


# --------------------------------------------------------------------------- resident ID

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # 2^(17-i) mod 11, i = 0..16
_ID_CHECK_CHARS = "10X98765432"  # indexed by (sum mod 11)


@dataclass(frozen=True, slots=True)
class IdNumberCheck:
    """Result of checking a resident ID number.

    ``birth_date`` and ``sex`` are filled only when the number is ``ok``, so a caller can never
    compute an age from a number that is known to be wrong.
    """

    normalized: str
    problems: tuple[Problem, ...]
    birth_date: date | None
    sex: Sex | None

    @property
    def ok(self) -> bool:
        """True when there is no error (a legacy 15-digit number still carries a warning)."""
        return not has_errors(self.problems)


def id_number_check_char(first17: str) -> str:
    """Return the GB 11643 check character ('0'–'9' or 'X') for the first 17 digits."""
    if len(first17) != 17 or not _DIGITS.issuperset(first17):
        raise ValueError(f"expected 17 ASCII digits, got {first17!r}")
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def _parse_yyyymmdd(text: str) -> date | None:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def _id_check(normalized: str, problems: list[Problem]) -> IdNumberCheck:
    return IdNumberCheck(normalized, tuple(problems), None, None)


def validate_id_number(text: str, *, today: date) -> IdNumberCheck:
    """Check a resident ID number (18 characters, or the legacy 15-digit form with a warning).

    The address code (first 6 digits) is deliberately not checked against GB/T 2260: codes
    change and old codes stay valid in old IDs, and residence-permit and foreigner IDs use
    their own prefixes with the same layout.
    """
    normalized = normalize_identifier(text)
    if not normalized:
        return _id_check(
            normalized, [Problem("id_number.empty", "身份证号码未填写，请填写 18 位公民身份号码。", _ERROR)]
        )

    length = len(normalized)
    if length not in (15, 18):
        problems = [
            Problem(
                "id_number.length",
                f"身份证号码应为 18 位，实际为 {length} 位，请核对是否漏填或多填。",
                _ERROR,
            )
        ]
        stray = [(i, ch) for i, ch in enumerate(normalized) if ch not in _DIGITS and ch != "X"]
        if stray:
            problems.append(_id_bad_chars(stray))
        return _id_check(normalized, problems)

    legacy = length == 15
    digits_part = normalized if legacy else normalized[:17]
    bad = [(i, ch) for i, ch in enumerate(digits_part) if ch not in _DIGITS]
    if not legacy and normalized[17] not in _DIGITS and normalized[17] != "X":
        bad.append((17, normalized[17]))
    if bad:
        return _id_check(normalized, [_id_bad_chars(bad)])

    problems: list[Problem] = []
    # Legacy numbers carry a 6-digit birth date; they were issued to people born in 19xx.
    birth_text = "19" + normalized[6:12] if legacy else normalized[6:14]
    birth = _parse_yyyymmdd(birth_text)
    shown_birth = normalized[6:12] if legacy else birth_text
    span = "7–12" if legacy else "7–14"
    if birth is None:
        problems.append(
            Problem(
                "id_number.birth_date_invalid",
                f"身份证号码第 {span} 位的出生日期 {shown_birth} 不是真实存在的日期，请核对号码是否抄错。",
                _ERROR,
            )
        )
    elif birth > today:
        problems.append(
            Problem(
                "id_number.birth_date_future",
                f"身份证号码中的出生日期 {birth.isoformat()} 晚于今天（{today.isoformat()}），请核对号码是否抄错。",
                _ERROR,
            )
        )

    if legacy:
        # The 18-digit successor is the same number with "19" inserted and a check character
        # appended, so the warning can tell the clerk exactly what to type instead.
        upgraded = normalized[:6] + "19" + normalized[6:]
        suggestion = f"对应的 18 位号码为 {upgraded + id_number_check_char(upgraded)}，" if birth else ""
        problems.append(
            Problem(
                "id_number.legacy_15",
                f"这是 15 位旧版身份证号码，没有校验位，无法发现抄错；{suggestion}请尽量改填 18 位号码。",
                _WARNING,
            )
        )
    else:
        expected = id_number_check_char(digits_part)
        actual = normalized[17]
        if expected != actual:
            problems.append(
                Problem(
                    "id_number.check_char",
                    f"身份证号码校验位应为 {expected}，实际为 {actual}，请核对号码是否抄错。",
                    _ERROR,
                )
            )

    if has_errors(problems):
        return _id_check(normalized, problems)
    # The sequence number's last digit (17th of 18, 15th of 15) is odd for men, even for women.
    sex: Sex = "male" if int(normalized[14 if legacy else 16]) % 2 else "female"
    return IdNumberCheck(normalized, tuple(problems), birth, sex)


def _id_bad_chars(bad: list[tuple[int, str]]) -> Problem:
    return Problem(
        "id_number.characters",
        f"身份证号码{_positions(bad)}不正确：号码只能由数字组成，只有最后一位可以是 X，"
        "请核对是否把数字 0、1 输成了字母 O、I 或 l。",
        _ERROR,
    )


def make_id_number(address_code: str, birth: date, sequence: int) -> str:
    """Build a valid 18-character ID (for demo and test data); odd ``sequence`` means male."""
    if len(address_code) != 6 or not _DIGITS.issuperset(address_code):
        raise ValueError(f"address_code must be 6 ASCII digits, got {address_code!r}")
    if not 0 <= sequence <= 999:
        raise ValueError(f"sequence must be 0–999, got {sequence}")
    # Explicit zero padding: strftime("%Y") does not pad years below 1000 on every platform.
    first17 = f"{address_code}{birth.year:04d}{birth.month:02d}{birth.day:02d}{sequence:03d}"
    return first17 + id_number_check_char(first17)


def mask_id_number(text: str) -> str:
    """Hide the birth date and sequence of an ID for display and print; never raises.

    Rule: normalise, keep the first 6 (address code) and last 4 characters, replace the rest
    with ``*`` one for one. Exceptions, so that a birth date can never leak:
    - a 15-character number keeps only its last 3 (its 4th-last character is the birth day);
    - 10 characters or fewer are fully masked (keeping 6 + 4 would hide nothing).

    >>> mask_id_number("11010519491231002X")
    '110105********002X'
    """
    try:
        value = normalize_identifier(text)
    except (AttributeError, TypeError):  # not a string: show nothing rather than crash a view
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    tail = 3 if len(value) == 15 else 4
    return value[:6] + "*" * (len(value) - 6 - tail) + value[-tail:]


# Fifteen or more digits, possibly broken up by spaces, dashes, dots or slashes and ending in X:
# anything that may be a resident ID as a clerk typed it (``\d`` also matches full-width digits,
# which the validators echo back in some messages).
_ID_SEPARATOR = "[\\s\\-./\u00b7\u2010-\u2015\u2212]"
_ID_LIKE_RUN = re.compile(rf"\d(?:{_ID_SEPARATOR}*\d){{14,}}(?:{_ID_SEPARATOR}*[XxＸｘ])?")


def mask_id_numbers_in(text: str) -> str:
    """Mask every ID-like run of digits in ``text`` with ``mask_id_number``; never raises.

    A safety net for messages that echo what a clerk typed (an ID number pasted into a phone
    field is quoted back by the phone check), so no stored or printed message carries a full
    ID number. Phone numbers (at most 14 digits with area code and extension) pass unchanged.

    >>> mask_id_numbers_in("号码 11010519491231002X 有误")
    '号码 110105********002X 有误'
    """
    return _ID_LIKE_RUN.sub(lambda match: mask_id_number(re.sub(_ID_SEPARATOR, "", match[0])), text)


# --------------------------------------------------------------------------- credit code

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, Z, S, V
_CREDIT_VALUES = {char: value for value, char in enumerate(CREDIT_CODE_CHARSET)}
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3^i mod 31
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_VALUES = {char: value for value, char in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}


@dataclass(frozen=True, slots=True)
class CreditCodeCheck:
    """Result of checking a unified social credit code."""

    normalized: str
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """True when there is no error; a failed check character is only a warning."""
        return not has_errors(self.problems)


def credit_code_check_char(first17: str) -> str:
    """Return the GB 32100 check character for the first 17 characters of a credit code."""
    if len(first17) != 17 or not set(first17) <= _CREDIT_VALUES.keys():
        raise ValueError(f"expected 17 characters from {CREDIT_CODE_CHARSET}, got {first17!r}")
    total = sum(_CREDIT_VALUES[char] * weight for char, weight in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def organization_code_check_char(body8: str) -> str:
    """Return the GB 11714 organisation-code check character for its 8-character body."""
    if len(body8) != 8 or not set(body8) <= _ORG_VALUES.keys():
        raise ValueError(f"expected 8 characters 0-9/A-Z, got {body8!r}")
    total = sum(_ORG_VALUES[char] * weight for char, weight in zip(body8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


@lru_cache(maxsize=16_384)  # pure and asked twice per imported row (sheet parser, register rules)
def validate_credit_code(text: str) -> CreditCodeCheck:
    """Check a unified social credit code (18 characters, GB 32100-2015)."""
    normalized = normalize_identifier(text)
    if not normalized:
        return CreditCodeCheck(
            normalized,
            (
                Problem(
                    "credit_code.empty",
                    "统一社会信用代码未填写，请按营业执照或登记证书填写 18 位代码。",
                    _ERROR,
                ),
            ),
        )

    problems: list[Problem] = []
    if len(normalized) != 18:
        problems.append(
            Problem(
                "credit_code.length",
                f"统一社会信用代码应为 18 位，实际为 {len(normalized)} 位，请按营业执照或登记证书核对。",
                _ERROR,
            )
        )
        # Without the layout only characters outside the whole alphabet can be pointed at.
        bad = [(i, ch) for i, ch in enumerate(normalized) if ch not in _CREDIT_VALUES]
    else:
        # Positions 3–8 are the registering authority's division code: digits only.
        bad = [(i, ch) for i, ch in enumerate(normalized) if ch not in (_DIGITS if 2 <= i <= 7 else _CREDIT_VALUES)]
    if bad:
        problems.append(
            Problem(
                "credit_code.characters",
                f"统一社会信用代码{_positions(bad)}不正确：第 3–8 位只能是数字，其余各位只能是数字或"
                "除 I、O、Z、S、V 以外的大写字母，请核对是否把数字 0、1 输成了字母 O、I。",
                _ERROR,
            )
        )
    if problems:
        return CreditCodeCheck(normalized, tuple(problems))

    expected = credit_code_check_char(normalized[:17])
    actual = normalized[17]
    if expected != actual:
        # A warning, not an error: some early pilot codes fail the check but are legal
        # (REFERENCE §3.2), so an officer who has seen the licence may confirm it.
        problems.append(
            Problem(
                "credit_code.check_char",
                f"统一社会信用代码校验位应为 {expected}，实际为 {actual}，请核对是否抄错；"
                "如与营业执照或登记证书上的代码完全一致，可确认后保存。",
                _WARNING,
            )
        )
    return CreditCodeCheck(normalized, tuple(problems))


def make_credit_code(registration_dept: str, entity_type: str, division_code: str, org_body8: str) -> str:
    """Build a valid credit code (for demo and test data).

    Position 17 is the organisation-code check of ``org_body8`` and position 18 the GB 32100
    check, e.g. ``make_credit_code("9", "1", "350100", "M000100Y") == "91350100M000100Y43"``.
    """
    for name, value, size in (
        ("registration_dept", registration_dept, 1),
        ("entity_type", entity_type, 1),
        ("org_body8", org_body8, 8),
    ):
        if len(value) != size or not set(value) <= _CREDIT_VALUES.keys():
            raise ValueError(f"{name} must be {size} character(s) from {CREDIT_CODE_CHARSET}, got {value!r}")
    if len(division_code) != 6 or not _DIGITS.issuperset(division_code):
        raise ValueError(f"division_code must be 6 ASCII digits, got {division_code!r}")
    first17 = registration_dept + entity_type + division_code + org_body8 + organization_code_check_char(org_body8)
    return first17 + credit_code_check_char(first17)
