"""check_class: class-size limits and carer ratios at their edges, and the ratio as a property."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.class_rules import check_class
from desktop.domain.enums import ClassType
from desktop.domain.problems import Severity
from desktop.domain.registry_rules import DEFAULT_RULES, SETUP_STANDARD, ClassFacts, RegistryRules

E, W = Severity.ERROR, Severity.WARNING
LIMITS = {ClassType.INFANT: 10, ClassType.TODDLER: 15, ClassType.OLDER_TODDLER: 20, ClassType.MIXED_AGE: 18}
PER_CARER = {ClassType.INFANT: 3, ClassType.TODDLER: 5, ClassType.OLDER_TODDLER: 7, ClassType.MIXED_AGE: 5}


def found(facts: ClassFacts, rules: RegistryRules = DEFAULT_RULES) -> list[tuple[str, Severity, str | None]]:
    return [(p.code, p.severity, p.field) for p in check_class(facts, rules=rules)]


@pytest.mark.parametrize("class_type", list(ClassType), ids=[t.value for t in ClassType])
def test_capacity_exactly_at_the_limit_is_fine(class_type: ClassType) -> None:
    assert found(ClassFacts("一班", class_type, LIMITS[class_type], 0)) == []


@pytest.mark.parametrize("class_type", list(ClassType), ids=[t.value for t in ClassType])
def test_capacity_one_over_the_limit_is_warned_with_the_rule(class_type: ClassType) -> None:
    (problem,) = check_class(ClassFacts("一班", class_type, LIMITS[class_type] + 1, 0))
    assert (problem.code, problem.severity, problem.field) == ("class.capacity_over_limit", W, "capacity")
    assert f"每班不超过 {LIMITS[class_type]} 人" in problem.message
    assert SETUP_STANDARD in problem.message


def test_capacity_message_reads_as_the_brief_example() -> None:
    (problem,) = check_class(ClassFacts("小一班", ClassType.TODDLER, 18, 0))
    assert problem.message == (
        f"「小一班」（托小班）核定 18 人，超过托小班每班不超过 15 人的规定（{SETUP_STANDARD}）。"
        "请调整班级人数或拆分班级。"
    )


@pytest.mark.parametrize(
    ("class_type", "enrolled", "carers", "expected"),
    [
        (ClassType.INFANT, 3, 1, []),
        (ClassType.INFANT, 4, 1, [("class.carer_ratio", W, "carers")]),
        (ClassType.INFANT, 9, 3, []),
        (ClassType.INFANT, 10, 3, [("class.carer_ratio", W, "carers")]),
        (ClassType.TODDLER, 10, 2, []),
        (ClassType.TODDLER, 11, 2, [("class.carer_ratio", W, "carers")]),
        (ClassType.TODDLER, 12, 3, []),
        (ClassType.OLDER_TODDLER, 14, 2, []),
        (ClassType.OLDER_TODDLER, 15, 2, [("class.carer_ratio", W, "carers")]),
        (ClassType.MIXED_AGE, 15, 3, []),
        (ClassType.MIXED_AGE, 16, 3, [("class.carer_ratio", W, "carers")]),
        (ClassType.TODDLER, 0, 0, []),
        (ClassType.TODDLER, 1, 0, [("class.no_carer", W, "carers")]),
        (ClassType.TODDLER, 15, 0, [("class.no_carer", W, "carers")]),
        (ClassType.TODDLER, 5, 4, []),
    ],
    ids=["infant-met", "infant-short", "infant-9-3", "infant-10-3", "toddler-met", "toddler-short", "toddler-12-3",
         "older-met", "older-short", "mixed-met", "mixed-short", "empty-class", "one-child-no-carer",
         "full-no-carer", "more-than-enough"],
)  # fmt: skip
def test_carer_ratio(class_type: ClassType, enrolled: int, carers: int, expected: list) -> None:
    capacity = LIMITS[class_type]
    assert found(ClassFacts("一班", class_type, capacity, enrolled, carers)) == expected


def test_ratio_message_gives_the_numbers() -> None:
    (problem,) = check_class(ClassFacts("小一班", ClassType.TODDLER, 15, 12, carers=2))
    assert "托小班）在托 12 人，按不低于 1:5 的配比至少需要 3 名保育人员，现有 2 名" in problem.message
    assert SETUP_STANDARD in problem.message


def test_mixed_age_ratio_warning_does_not_claim_a_national_rule() -> None:
    (problem,) = check_class(ClassFacts("混龄一班", ClassType.MIXED_AGE, 18, 12, carers=2))
    assert "1:5" in problem.message
    assert SETUP_STANDARD not in problem.message
    assert "国家标准未规定混龄班配比" in problem.message


def test_no_carer_message_says_how_many_are_needed() -> None:
    (problem,) = check_class(ClassFacts("乳儿一班", ClassType.INFANT, 10, 7))
    assert "在托 7 人" in problem.message and "至少需要 3 名" in problem.message


def test_mixed_age_ratio_is_a_parameter() -> None:
    stricter = RegistryRules(children_per_carer={**DEFAULT_RULES.children_per_carer, ClassType.MIXED_AGE: 3})
    facts = ClassFacts("混龄一班", ClassType.MIXED_AGE, 18, 12, carers=3)
    assert found(facts) == []
    assert found(facts, stricter) == [("class.carer_ratio", W, "carers")]


@pytest.mark.parametrize(
    ("name", "capacity", "enrolled", "expected"),
    [
        ("一班", 15, 15, []),
        ("一班", 15, 16, [("class.over_capacity", W, "enrolled_count"), ("class.carer_ratio", W, "carers")]),
        ("一班", 0, 0, [("class.capacity_not_positive", E, "capacity")]),
        ("一班", -1, 0, [("class.capacity_not_positive", E, "capacity")]),
        ("一班", 15, -1, [("class.enrolled_negative", E, "enrolled_count")]),
        ("", 15, 0, [("class.name_empty", E, "name")]),
        (" ", 15, 0, [("class.name_empty", E, "name")]),
    ],
    ids=["full", "one-over-capacity", "capacity-zero", "capacity-negative", "enrolled-negative", "no-name",
         "blank-name"],
)  # fmt: skip
def test_capacity_and_entry_errors(name: str, capacity: int, enrolled: int, expected: list) -> None:
    assert found(ClassFacts(name, ClassType.TODDLER, capacity, enrolled, carers=3)) == expected


def test_a_class_without_a_name_is_still_named_by_type() -> None:
    problems = check_class(ClassFacts("", ClassType.INFANT, 12, 0))
    assert problems[1].message.startswith("乳儿班核定 12 人")


# --------------------------------------------------------------------------- properties


@given(
    class_type=st.sampled_from(list(ClassType)),
    enrolled=st.integers(0, 200),
    carers=st.integers(0, 70),
)
def test_ratio_is_flagged_exactly_when_carers_are_too_few(class_type: ClassType, enrolled: int, carers: int) -> None:
    # Oracle without division: carers suffice when they can look after everyone at 1:n.
    enough = carers * PER_CARER[class_type] >= enrolled
    codes = {p.code for p in check_class(ClassFacts("一班", class_type, 200, enrolled, carers))}
    assert bool(codes & {"class.carer_ratio", "class.no_carer"}) is not enough
    assert not {"class.carer_ratio", "class.no_carer"} <= codes  # never both for one class


@given(class_type=st.sampled_from(list(ClassType)), data=st.data())
def test_a_class_within_every_limit_has_no_problems(class_type: ClassType, data: st.DataObject) -> None:
    capacity = data.draw(st.integers(1, LIMITS[class_type]))
    enrolled = data.draw(st.integers(0, capacity))
    carers = data.draw(st.integers(-(-enrolled // PER_CARER[class_type]), 10))
    assert check_class(ClassFacts("一班", class_type, capacity, enrolled, carers)) == ()
