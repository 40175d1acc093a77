"""check_child: the ID number decides identity and birth date, dates in order, guardian reachable; no full ID shown."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.child_rules import (
    ChildFacts,
    age_in_months,
    birth_date_of,
    check_child,
    enrolled_elsewhere_problem,
    in_care_on,
    periods_overlap,
)
from desktop.domain.enums import Sex
from desktop.domain.identifiers import id_number_check_char, make_id_number, mask_id_number
from desktop.domain.problems import Severity

TODAY = date(2026, 11, 23)
E, W = Severity.ERROR, Severity.WARNING
BIRTH = date(2025, 3, 14)
ID = make_id_number("620702", BIRTH, 124)  # even sequence: a girl
LEAP = make_id_number("620702", date(2024, 2, 29), 123)  # a boy born on a leap day
TOMORROW_ID = make_id_number("620702", date(2026, 11, 24), 124)
NO_SUCH_DAY = "62070220250230124" + id_number_check_char("62070220250230124")  # 30 February

GOOD = ChildFacts(
    name="王小雨",
    id_number=ID,
    enrolled_on=date(2026, 3, 1),
    guardian_name="王芳",
    guardian_phone="13912345678",
)


def found(changes: dict[str, Any], today: date = TODAY) -> list[tuple[str, Severity, str | None]]:
    return [(p.code, p.severity, p.field) for p in check_child(replace(GOOD, **changes), today=today)]


def test_a_complete_entry_has_no_problems() -> None:
    assert check_child(GOOD, today=TODAY) == ()


CASES: list[tuple[str, dict[str, Any], list[tuple[str, Severity, str]]]] = [
    ("name-empty", {"name": "  "}, [("child.name_empty", E, "name")]),
    ("name-too-long", {"name": "王" * 61}, [("child.name_too_long", E, "name")]),
    # identity: required, 18 digits with a valid check character, born by today
    ("id-missing", {"id_number": None}, [("child.id_number_missing", E, "id_number")]),
    ("id-blank", {"id_number": " "}, [("child.id_number_missing", E, "id_number")]),
    ("id-check-char", {"id_number": ID[:17] + ("0" if ID[17] != "0" else "1")},
     [("id_number.check_char", E, "id_number")]),
    ("id-length", {"id_number": ID[:16]}, [("id_number.length", E, "id_number")]),
    ("id-letters", {"id_number": ID[:5] + "O" + ID[6:]}, [("id_number.characters", E, "id_number")]),
    ("id-no-such-day", {"id_number": NO_SUCH_DAY}, [("id_number.birth_date_invalid", E, "id_number")]),
    ("id-legacy-15", {"id_number": "620702250314124"}, [("child.id_number_legacy", E, "id_number")]),
    ("id-full-width-and-spaces", {"id_number": " ".join(ID).translate({48 + i: 0xFF10 + i for i in range(10)})}, []),
    ("id-lowercase-x", {"id_number": ID.lower()}, []),
    ("id-masked-new", {"id_number": "620702********1240"}, [("child.id_number_masked", E, "id_number")]),
    ("id-masked-stored", {"id_number": "620702********1240", "birth_date": BIRTH}, []),
    # the future: a child must be born, and enrolled, by today
    ("born-tomorrow", {"id_number": TOMORROW_ID, "enrolled_on": None},
     [("child.birth_date_future", E, "id_number"), ("child.enrolled_on_missing", E, "enrolled_on")]),
    ("born-today-enrolled-today", {"id_number": make_id_number("620702", TODAY, 124), "enrolled_on": TODAY}, []),
    ("enrolled-tomorrow", {"enrolled_on": date(2026, 11, 24)}, [("child.enrolled_on_future", E, "enrolled_on")]),
    ("enrolled-missing", {"enrolled_on": None}, [("child.enrolled_on_missing", E, "enrolled_on")]),
    # enrollment dates in order
    ("enrolled-before-birth", {"enrolled_on": date(2025, 3, 13)}, [("child.enrolled_before_birth", E, "enrolled_on")]),
    ("enrolled-on-birthday", {"enrolled_on": BIRTH}, []),
    ("left-before-enrolled", {"left_on": date(2026, 2, 28)}, [("child.left_before_enrolled", E, "left_on")]),
    ("left-on-enrollment-day", {"left_on": date(2026, 3, 1)}, []),
    ("left-after-today-allowed", {"left_on": date(2026, 12, 31)}, []),
    # age at enrollment: the service is for under-3s
    ("enrolled-at-35-months", {"enrolled_on": date(2028, 3, 13)}, [("child.enrolled_on_future", E, "enrolled_on")]),
    # sex stated on a sheet is checked against the ID (which decides)
    ("sex-agrees", {"sex": Sex.FEMALE}, []),
    ("sex-disagrees", {"sex": Sex.MALE}, [("child.sex_mismatch", W, "sex")]),
    # guardian
    ("guardian-missing", {"guardian_name": None}, [("child.guardian_name_empty", E, "guardian_name")]),
    ("guardian-phone-missing", {"guardian_phone": " "}, [("child.guardian_phone_empty", E, "guardian_phone")]),
    ("guardian-phone-short", {"guardian_phone": "1391234567"}, [("phone.mobile_length", E, "guardian_phone")]),
    ("guardian-landline", {"guardian_phone": "0936-8212345"}, []),
    ("guardian-landline-no-area", {"guardian_phone": "8212345"}, [("phone.area_code_missing", E, "guardian_phone")]),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule(changes: dict[str, Any], expected: list) -> None:
    assert found(changes) == expected


LEAP_CASES = [
    # born 29 February 2024: 36 months are complete on 1 March 2027 (no 29 February in 2027)
    (date(2027, 2, 28), []),
    (date(2027, 3, 1), [("child.over_three_at_enrollment", W, "enrolled_on")]),
]


@pytest.mark.parametrize(("enrolled_on", "expected"), LEAP_CASES, ids=["day-before", "first-of-march"])
def test_a_leap_day_child_turns_three_on_the_first_of_march(enrolled_on: date, expected: list) -> None:
    assert found({"id_number": LEAP, "enrolled_on": enrolled_on}, today=date(2027, 6, 1)) == expected


@pytest.mark.parametrize(
    ("birth", "on", "months"),
    [
        (date(2024, 2, 29), date(2024, 3, 28), 0),
        (date(2024, 2, 29), date(2024, 3, 29), 1),
        (date(2024, 2, 29), date(2025, 2, 28), 11),
        (date(2024, 2, 29), date(2025, 3, 1), 12),
        (date(2024, 2, 29), date(2028, 2, 29), 48),
        (date(2025, 1, 31), date(2025, 2, 28), 0),
        (date(2025, 1, 31), date(2025, 3, 1), 1),
        (date(2025, 3, 14), date(2025, 3, 14), 0),
        (date(2025, 3, 14), date(2025, 3, 13), 0),  # before birth
        (date(2023, 11, 24), date(2026, 11, 23), 35),
        (date(2023, 11, 23), date(2026, 11, 23), 36),
    ],
)
def test_age_in_months_counts_completed_calendar_months(birth: date, on: date, months: int) -> None:
    assert age_in_months(birth, on) == months


def test_a_child_enrolled_on_the_third_birthday_is_warned_about_not_refused() -> None:
    problems = check_child(replace(GOOD, enrolled_on=date(2028, 3, 14)), today=date(2028, 6, 1))
    assert [(p.code, p.severity) for p in problems] == [("child.over_three_at_enrollment", W)]
    assert "3 岁 0 个月" in problems[0].message and "3 岁以下" in problems[0].message


def test_the_birth_date_comes_from_the_id_number() -> None:
    assert birth_date_of(ID) == BIRTH
    assert birth_date_of(LEAP) == date(2024, 2, 29)
    assert birth_date_of(" " + ID.lower()) == BIRTH
    assert birth_date_of("620702202502301240") is None  # no 30 February
    assert birth_date_of("620702250314124") is None  # 15 digits carry no century
    assert birth_date_of(None) is None and birth_date_of("") is None


def test_a_future_birth_names_the_rule() -> None:
    (problem, *_) = check_child(replace(GOOD, id_number=TOMORROW_ID, enrolled_on=None), today=TODAY)
    assert problem.code == "child.birth_date_future"
    assert "2026年11月24日" in problem.message and "出生日期不能晚于今天" in problem.message


def test_periods_overlap_inclusive_of_the_last_day_in_care() -> None:
    march, april = date(2026, 3, 1), date(2026, 4, 1)
    assert periods_overlap((march, None), (april, None))
    assert periods_overlap((march, april), (april, None))  # left on the day the other began
    assert not periods_overlap((march, date(2026, 3, 31)), (april, None))
    assert not periods_overlap((april, None), (march, date(2026, 3, 31)))
    assert in_care_on(march, april, april) and not in_care_on(march, april, date(2026, 4, 2))
    assert not in_care_on(april, None, march)


def test_no_message_carries_a_full_id_number() -> None:
    problems = [
        *check_child(replace(GOOD, guardian_phone=ID, name=ID, sex=Sex.MALE), today=TODAY),
        enrolled_elsewhere_problem(ID, [f"某机构{ID}"]),
    ]
    assert problems
    for problem in problems:
        assert ID not in problem.message and ID[6:14] not in problem.message
    assert mask_id_number(ID) in enrolled_elsewhere_problem(ID, ["甘州区阳光托育中心"]).message


@given(
    birth=st.dates(min_value=date(2000, 1, 1), max_value=TODAY),
    sequence=st.integers(min_value=0, max_value=999),
)
def test_every_valid_18_digit_number_of_a_born_child_is_accepted(birth: date, sequence: int) -> None:
    id_number = make_id_number("620702", birth, sequence)
    facts = replace(GOOD, id_number=id_number, enrolled_on=max(birth, date(2026, 1, 1)))
    codes = {p.code for p in check_child(facts, today=TODAY)}
    assert codes <= {"child.over_three_at_enrollment"}
    assert birth_date_of(id_number) == birth
    assert re.fullmatch(r"\d{17}[\dX]", id_number)
