"""check_institution_staffing: one principal, health staff from 150 children, capacity within slots."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.enums import ClassType, StaffRole
from desktop.domain.problems import Severity
from desktop.domain.registry_rules import ClassFacts, RegistryRules, StaffFacts
from desktop.domain.staffing_rules import check_institution_staffing

TODAY = date(2026, 3, 1)
W = Severity.WARNING
PRINCIPAL = StaffFacts("李四", StaffRole.PRINCIPAL)
CARER = StaffFacts("张三", StaffRole.CARER)
HEALTH = StaffFacts("王五", StaffRole.HEALTH_STAFF)
FORMER = {"employed_from": date(2020, 1, 1), "employed_until": date(2025, 12, 31)}


def classes(*enrolled: int, capacity: int = 15) -> list[ClassFacts]:
    return [ClassFacts(f"{i}班", ClassType.TODDLER, capacity, n, carers=3) for i, n in enumerate(enrolled, 1)]


def found(
    class_list: list[ClassFacts], staff: list[StaffFacts], *, slots: int = 1000, today: date | None = None
) -> list[tuple[str, Severity, str | None]]:
    problems = check_institution_staffing(class_list, staff, slots=slots, today=today)
    return [(p.code, p.severity, p.field) for p in problems]


@pytest.mark.parametrize(
    ("staff", "today", "expected"),
    [
        ([PRINCIPAL, CARER], None, []),
        ([CARER], None, [("staffing.principal_missing", W, "role")]),
        ([], None, [("staffing.principal_missing", W, "role")]),
        ([PRINCIPAL, StaffFacts("赵六", StaffRole.PRINCIPAL)], None, [("staffing.principal_several", W, "role")]),
        ([PRINCIPAL, StaffFacts("赵六", StaffRole.PRINCIPAL, **FORMER)], TODAY, []),
        ([PRINCIPAL, StaffFacts("赵六", StaffRole.PRINCIPAL, **FORMER)], None,
         [("staffing.principal_several", W, "role")]),
        ([StaffFacts("赵六", StaffRole.PRINCIPAL, **FORMER), CARER], TODAY,
         [("staffing.principal_missing", W, "role")]),
        ([StaffFacts("赵六", StaffRole.PRINCIPAL, employed_from=date(2026, 4, 1))], TODAY,
         [("staffing.principal_missing", W, "role")]),
    ],
    ids=["one", "none", "no-staff", "two", "former-ignored-with-today", "former-counted-without-today",
         "only-former", "not-started-yet"],
)  # fmt: skip
def test_exactly_one_principal(staff: list[StaffFacts], today: date | None, expected: list) -> None:
    assert found(classes(10), staff, today=today) == expected


def test_several_principals_are_named() -> None:
    (problem,) = check_institution_staffing(
        [], [PRINCIPAL, StaffFacts("赵六", StaffRole.PRINCIPAL)], slots=0, today=TODAY
    )
    assert "2 名负责人（李四、赵六）" in problem.message


@pytest.mark.parametrize(
    ("enrolled", "staff", "expected"),
    [
        ((149,), [PRINCIPAL], []),
        ((150,), [PRINCIPAL], [("staffing.health_staff_missing", W, "role")]),
        ((75, 75), [PRINCIPAL], [("staffing.health_staff_missing", W, "role")]),
        ((75, 74), [PRINCIPAL], []),
        ((150,), [PRINCIPAL, HEALTH], []),
        ((200, -60), [PRINCIPAL], [("staffing.health_staff_missing", W, "role")]),
    ],
    ids=["149", "150", "150-over-two-classes", "149-over-two-classes", "150-with-health-staff",
         "negative-count-does-not-cancel"],
)  # fmt: skip
def test_health_staff_from_150_children(enrolled: tuple[int, ...], staff: list[StaffFacts], expected: list) -> None:
    assert found(classes(*enrolled, capacity=300), staff) == expected


def test_health_staff_message_quotes_the_rule() -> None:
    (problem,) = check_institution_staffing(classes(160, capacity=300), [PRINCIPAL], slots=300)
    assert "在托 160 人" in problem.message
    assert "150 人及以上" in problem.message and "76号" in problem.message


def test_a_former_health_worker_does_not_count() -> None:
    former = StaffFacts("王五", StaffRole.HEALTH_STAFF, **FORMER)
    assert found(classes(150, capacity=300), [PRINCIPAL, former], today=TODAY) == [
        ("staffing.health_staff_missing", W, "role")
    ]


def test_health_staff_threshold_is_a_parameter() -> None:
    problems = check_institution_staffing(
        classes(100, capacity=300), [PRINCIPAL], slots=300, rules=RegistryRules(health_staff_min_children=100)
    )
    assert [p.code for p in problems] == ["staffing.health_staff_missing"]


@pytest.mark.parametrize(
    ("capacities", "slots", "expected"),
    [
        ((15, 15), 30, []),
        ((15, 16), 30, [("staffing.capacity_over_slots", W, "slots")]),
        ((15, -5), 15, []),
        ((15,), -1, []),
        ((), 0, []),
    ],
    ids=["equal", "one-over", "negative-capacity-ignored", "negative-slots-left-to-institution-check", "no-classes"],
)
def test_class_capacity_within_filed_slots(capacities: tuple[int, ...], slots: int, expected: list) -> None:
    class_list = [ClassFacts(f"{i}班", ClassType.TODDLER, c, 0) for i, c in enumerate(capacities, 1)]
    assert found(class_list, [PRINCIPAL], slots=slots) == expected


def test_capacity_message_gives_both_numbers() -> None:
    (problem,) = check_institution_staffing(classes(0, 0, capacity=20), [PRINCIPAL], slots=35)
    assert "合计 40 人" in problem.message and "备案托位数 35 个" in problem.message
