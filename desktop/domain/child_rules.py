"""Rules for one child on an institution's roster (在托幼儿): identity, guardian, enrollment dates.

The roster is what the enrollment subsidy is paid from, so a child is identified by the resident ID
number and nothing else: it is required, checked with its check character, and the birth date is
read from it (never typed separately, so the two cannot disagree). Children born since 2000 have
only 18-digit numbers, so a 15-digit one is refused rather than warned about as for staff.

Pure: ``today`` is a parameter. ``left_on`` is the last day in care, like a staff member's
``employed_until``, so a period is ``enrolled_on``–``left_on`` inclusive and open while ``left_on``
is empty. Ages are whole months counted by the calendar; a child born on 29 February completes a
year on 1 March in a common year (the rule the Zhangye policy file states as
``missing_anniversary = "first_of_next_month"``). No message carries a full ID number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Self

from desktop.domain.enums import Sex
from desktop.domain.identifiers import mask_id_number, mask_id_numbers_in, normalize_identifier, validate_id_number
from desktop.domain.phone_numbers import validate_phone
from desktop.domain.problems import Problem, Severity, with_field
from desktop.domain.registry_rules import format_date_cn, masked
from desktop.domain.subsidy_policy import MissingAnniversary
from desktop.domain.subsidy_rules import completed_months

__all__ = [
    "CARE_AGE_LIMIT_MONTHS",
    "ChildFacts",
    "age_in_months",
    "birth_date_of",
    "check_child",
    "enrolled_elsewhere_problem",
    "in_care_on",
    "periods_overlap",
]

_ERROR = Severity.ERROR
_WARNING = Severity.WARNING

# 托育机构为 3 岁以下婴幼儿提供照护服务（《托育机构设置标准（试行）》国卫人口发〔2019〕58号）.
CARE_AGE_LIMIT_MONTHS = 36
NAME_MAX_LENGTH = 60  # the column's size (children.name, guardian_name)
_LEAP_DAY_RULE = MissingAnniversary.FIRST_OF_NEXT_MONTH


@dataclass(frozen=True, slots=True)
class ChildFacts:
    """A child as entered on a form or a sheet row.

    ``sex`` is what the sheet or form states, checked against the ID number (which decides).
    ``birth_date`` is needed only when ``id_number`` is a masked copy of the stored number
    ("620702********1234", an edit that left the number alone): the stored birth date then stands in.
    """

    name: str
    id_number: str | None
    enrolled_on: date | None
    left_on: date | None = None
    guardian_name: str | None = None
    guardian_phone: str | None = None
    sex: Sex | None = None
    birth_date: date | None = None

    @classmethod
    def from_attributes(cls, source: object, **overrides: Any) -> Self:
        """Facts read from any object with these attribute names (a draft, a record, a sheet row)."""
        values = {name: getattr(source, name, None) for name in cls.__slots__}  # type: ignore[attr-defined]
        values["name"] = values["name"] or ""
        return cls(**(values | overrides))


def birth_date_of(id_number: str | None) -> date | None:
    """The birth date written in an 18-character ID number (positions 7–14), or None when there is none.

    The check character is not verified here: ``check_child`` does that; this only reads the date.
    """
    value = normalize_identifier(id_number or "")
    if len(value) != 18 or not value[6:14].isascii() or not value[6:14].isdigit():
        return None
    try:
        return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def age_in_months(birth: date, on: date) -> int:
    """Whole months of age on ``on`` (0 before the first month is complete, and before birth)."""
    return completed_months(birth, on, _LEAP_DAY_RULE)


def in_care_on(enrolled_on: date, left_on: date | None, day: date) -> bool:
    """True when ``day`` falls in the enrollment period (``left_on`` is the last day in care)."""
    return enrolled_on <= day and (left_on is None or day <= left_on)


def periods_overlap(first: tuple[date, date | None], second: tuple[date, date | None]) -> bool:
    """True when two enrollment periods (start, last day or None) share at least one day."""
    (start_a, end_a), (start_b, end_b) = first, second
    return (end_b is None or start_a <= end_b) and (end_a is None or start_b <= end_a)


def check_child(facts: ChildFacts, *, today: date) -> tuple[Problem, ...]:
    """Everything wrong with a child's entry, in the order of the form."""
    problems: list[Problem] = []
    problems += _name(facts.name, "name", "幼儿姓名", "请按户口簿或出生医学证明填写姓名。")
    birth, id_problems = _identity(facts, today)
    problems += id_problems
    problems += _guardian(facts)
    problems += _enrollment(facts, birth, today)
    return masked(problems)


def _name(value: str | None, field: str, what: str, hint: str) -> list[Problem]:
    text = (value or "").strip()
    if not text:
        return [Problem(f"child.{field}_empty", f"{what}未填写，{hint}", _ERROR, field)]
    if len(text) > NAME_MAX_LENGTH:
        return [
            Problem(
                f"child.{field}_too_long",
                f"{what}过长：{len(text)} 个字，最多 {NAME_MAX_LENGTH} 个字，请核对。",
                _ERROR,
                field,
            )
        ]
    return []


def _identity(facts: ChildFacts, today: date) -> tuple[date | None, list[Problem]]:
    """The birth date the ID number gives (None when it cannot be trusted) and the ID's problems."""
    raw = (facts.id_number or "").strip()
    if "*" in raw:
        if facts.birth_date is not None:
            return facts.birth_date, []  # the stored number, unchanged: it was checked when saved
        return None, [
            Problem(
                "child.id_number_masked",
                "身份证号码中含有“*”，这是隐藏了部分数字的号码。请填写完整的 18 位公民身份号码。",
                _ERROR,
                "id_number",
            )
        ]
    if not raw:
        return None, [
            Problem(
                "child.id_number_missing",
                "身份证号码未填写。入托补贴按身份证号码核对，每名幼儿都须填写 18 位公民身份号码（见户口簿）。",
                _ERROR,
                "id_number",
            )
        ]
    check = validate_id_number(raw, today=today)
    if len(check.normalized) == 15 and check.normalized.isdigit():
        return None, [
            Problem(
                "child.id_number_legacy",
                "这是 15 位旧版身份证号码。2000 年以后出生的孩子只有 18 位号码，请按户口簿填写 18 位公民身份号码。",
                _ERROR,
                "id_number",
            )
        ]
    problems = [_future_birth(p, check.normalized, today) for p in with_field(check.problems, "id_number")]
    if not check.ok:
        return None, problems
    birth = check.birth_date
    if facts.sex is not None and check.sex is not None and facts.sex != Sex(check.sex):
        from_id = Sex(check.sex)
        problems.append(
            Problem(
                "child.sex_mismatch",
                f"性别填写为“{facts.sex.label}”，但身份证号码第 17 位表示“{from_id.label}”（单数为男、双数为女）。"
                "请核对性别和号码；保存时以身份证号码为准。",
                _WARNING,
                "sex",
            )
        )
    return birth, problems


def _future_birth(problem: Problem, normalized: str, today: date) -> Problem:
    """The validator's future-birth error, saying which rule it breaks (a child must already be born)."""
    if problem.code != "id_number.birth_date_future":
        return problem
    birth = birth_date_of(normalized)
    shown = format_date_cn(birth) if birth else normalized[6:14]
    return replace(
        problem,
        code="child.birth_date_future",
        message=f"身份证号码中的出生日期 {shown} 晚于今天（{format_date_cn(today)}）：出生日期不能晚于今天，"
        "请核对号码是否抄错。",
    )


def _guardian(facts: ChildFacts) -> list[Problem]:
    problems = _name(facts.guardian_name, "guardian_name", "监护人", "请填写幼儿父母或其他监护人的姓名。")
    phone = (facts.guardian_phone or "").strip()
    if not phone:
        problems.append(
            Problem(
                "child.guardian_phone_empty",
                "监护人电话未填写，请填写能联系到监护人的 11 位手机号码，或带区号的固定电话。",
                _ERROR,
                "guardian_phone",
            )
        )
    else:
        problems += with_field(validate_phone(phone).problems, "guardian_phone")
    return problems


def _enrollment(facts: ChildFacts, birth: date | None, today: date) -> list[Problem]:
    enrolled, left = facts.enrolled_on, facts.left_on
    problems: list[Problem] = []
    if enrolled is None:
        problems.append(
            Problem("child.enrolled_on_missing", "入托日期未填写，请填写幼儿开始入托的日期。", _ERROR, "enrolled_on")
        )
    elif enrolled > today:
        problems.append(
            Problem(
                "child.enrolled_on_future",
                f"入托日期 {format_date_cn(enrolled)} 晚于今天：名单只登记已经入托的幼儿，请在幼儿入托后再登记。",
                _ERROR,
                "enrolled_on",
            )
        )
    if enrolled is not None and birth is not None:
        if enrolled < birth:
            problems.append(
                Problem(
                    "child.enrolled_before_birth",
                    f"入托日期 {format_date_cn(enrolled)} 早于出生日期 {format_date_cn(birth)}，"
                    "请核对入托日期和身份证号码。",
                    _ERROR,
                    "enrolled_on",
                )
            )
        elif (months := age_in_months(birth, enrolled)) >= CARE_AGE_LIMIT_MONTHS:
            problems.append(
                Problem(
                    "child.over_three_at_enrollment",
                    f"入托时幼儿已满 3 周岁（{months // 12} 岁 {months % 12} 个月）。"
                    "托育机构为 3 岁以下婴幼儿提供照护服务（《托育机构设置标准（试行）》），"
                    "3 岁以上的幼儿应进入幼儿园；请核对入托日期和身份证号码。",
                    _WARNING,
                    "enrolled_on",
                )
            )
    if enrolled is not None and left is not None and left < enrolled:
        problems.append(
            Problem(
                "child.left_before_enrolled",
                f"离托日期 {format_date_cn(left)} 早于入托日期 {format_date_cn(enrolled)}，请核对入托和离托日期。",
                _ERROR,
                "left_on",
            )
        )
    return problems


def enrolled_elsewhere_problem(id_number: str, other_institution_names: Sequence[str]) -> Problem:
    """The warning for a child (by ID number) enrolled at the same time at other institutions of the county.

    A warning, not an error: which roster is right is for the clerk to find out, and the enrollment
    subsidy refuses to pay the same child twice in a month whatever the rosters say.
    """
    places = mask_id_numbers_in("、".join(f"「{name}」" for name in other_institution_names)) or "其他机构"
    return Problem(
        "child.enrolled_elsewhere",
        f"身份证号 {mask_id_number(id_number)} 的幼儿同一时期也在本县区的{places}在托。"
        "同一幼儿不应同时在两家机构入托，请与两家机构核实；已离开的一方应填写离托日期。"
        "入托补贴每月只能由一家机构申报。",
        _WARNING,
        "id_number",
    )
