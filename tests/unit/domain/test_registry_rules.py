"""Register-rule parameters and facts: defaults match the sources, bad parameters are refused,
facts can be read from any record, and no message can carry a full ID number."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.enums import ClassType, SponsorType, StaffRole
from desktop.domain.identifiers import make_id_number, mask_id_numbers_in, normalize_identifier
from desktop.domain.problems import Problem, Severity, with_field
from desktop.domain.registry_rules import (
    DEFAULT_RULES,
    SETUP_STANDARD,
    ClassFacts,
    InstitutionFacts,
    RegistryRules,
    StaffFacts,
    format_date_cn,
    masked,
)

# --------------------------------------------------------------------------- Problem.field


def test_problem_field_is_optional_and_keeps_the_positional_form() -> None:
    plain = Problem("x.y", "消息", "warning")
    assert plain.field is None
    assert Problem("x.y", "消息", Severity.ERROR, "capacity").field == "capacity"
    assert Problem("x.y", "消息", "error", field="slots") == Problem("x.y", "消息", Severity.ERROR, "slots")


def test_with_field_attributes_validator_problems_to_an_input() -> None:
    problems = (Problem("phone.empty", "电话未填写", "error"), Problem("phone.x", "格式不对", "warning"))
    assert [p.field for p in with_field(problems, "contact_phone")] == ["contact_phone", "contact_phone"]
    assert [p.code for p in with_field(problems, "phone")] == ["phone.empty", "phone.x"]


# --------------------------------------------------------------------------- parameters


@pytest.mark.parametrize(
    ("class_type", "max_children", "children_per_carer"),
    [
        (ClassType.INFANT, 10, 3),
        (ClassType.TODDLER, 15, 5),
        (ClassType.OLDER_TODDLER, 20, 7),
        (ClassType.MIXED_AGE, 18, 5),
    ],
    ids=["infant", "toddler", "older-toddler", "mixed-age"],
)
def test_default_class_limits_and_ratios_are_the_setup_standards(
    class_type: ClassType, max_children: int, children_per_carer: int
) -> None:
    assert DEFAULT_RULES.max_children[class_type] == max_children
    assert DEFAULT_RULES.children_per_carer[class_type] == children_per_carer


def test_default_numbers_and_sources() -> None:
    rules = DEFAULT_RULES
    assert (rules.principal_training_hours, rules.carer_training_hours) == (60, 120)
    assert rules.health_certificate_warning_days == 30
    assert rules.health_staff_min_children == 150
    assert rules.max_children_source == "《托育机构设置标准（试行）》（国卫人口发〔2019〕58号）"
    assert "专栏3" in rules.training_hours_source
    assert "76号" in rules.health_staff_source
    # The mixed-age ratio is a local choice: its warning must not cite the national standard.
    assert rules.children_per_carer_sources[ClassType.MIXED_AGE] != SETUP_STANDARD
    assert rules.criminal_record_roles == frozenset(StaffRole)


@pytest.mark.parametrize(
    ("class_type", "children", "required"),
    [
        (ClassType.INFANT, 0, 0),
        (ClassType.INFANT, 1, 1),
        (ClassType.INFANT, 3, 1),
        (ClassType.INFANT, 4, 2),
        (ClassType.TODDLER, 10, 2),
        (ClassType.TODDLER, 11, 3),
        (ClassType.OLDER_TODDLER, 14, 2),
        (ClassType.OLDER_TODDLER, 15, 3),
        (ClassType.MIXED_AGE, 18, 4),
        (ClassType.TODDLER, -5, 0),
    ],
    ids=["infant-0", "infant-1", "infant-3", "infant-4", "toddler-10", "toddler-11", "older-14", "older-15",
         "mixed-18", "negative"],
)  # fmt: skip
def test_required_carers_rounds_up(class_type: ClassType, children: int, required: int) -> None:
    assert DEFAULT_RULES.required_carers(class_type, children) == required


@pytest.mark.parametrize(
    "changes",
    [
        {"max_children": {ClassType.INFANT: 10}},
        {"children_per_carer": {**DEFAULT_RULES.children_per_carer, ClassType.TODDLER: 0}},
        {"max_children": {**DEFAULT_RULES.max_children, ClassType.INFANT: -1}},
        {"health_certificate_warning_days": -1},
        {"carer_training_hours": -120},
    ],
    ids=["missing-class-types", "zero-ratio", "negative-limit", "negative-days", "negative-hours"],
)
def test_bad_parameters_are_refused(changes: dict) -> None:
    with pytest.raises(ValueError):
        RegistryRules(**changes)


def test_rules_cannot_be_changed_through_the_dict_they_came_from() -> None:
    limits = dict(DEFAULT_RULES.max_children)
    rules = RegistryRules(max_children=limits)
    limits[ClassType.INFANT] = 99
    assert rules.max_children[ClassType.INFANT] == 10
    with pytest.raises(TypeError):
        rules.max_children[ClassType.INFANT] = 99  # type: ignore[index]


# --------------------------------------------------------------------------- facts


def test_facts_are_read_from_any_object_with_the_attribute_names() -> None:
    record = SimpleNamespace(name="小一班", class_type=ClassType.TODDLER, capacity=15, enrolled_count=12, extra=1)
    assert ClassFacts.from_attributes(record, carers=2) == ClassFacts("小一班", ClassType.TODDLER, 15, 12, 2)
    with pytest.raises(AttributeError):
        ClassFacts.from_attributes(record)  # carers is not a column: the caller must count them
    with pytest.raises(TypeError):
        ClassFacts.from_attributes(record, carers=2, carer=2)


def test_institution_facts_from_a_record_carry_every_field() -> None:
    facts = InstitutionFacts(name="阳光托育", sponsor_type=SponsorType.SOCIAL, slots=40)
    record = SimpleNamespace(**{name: getattr(facts, name) for name in facts.__slots__}, notes="不相关")
    assert InstitutionFacts.from_attributes(record) == facts
    assert InstitutionFacts.from_attributes(record, slots=50).slots == 50


def test_a_negative_carer_count_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        ClassFacts("小一班", ClassType.TODDLER, 15, 12, carers=-1)


@pytest.mark.parametrize(
    ("employed_from", "employed_until", "employed"),
    [
        (None, None, True),
        (date(2026, 3, 1), None, True),
        (date(2026, 3, 2), None, False),
        (None, date(2026, 3, 1), True),
        (None, date(2026, 2, 28), False),
    ],
    ids=["open", "starts-today", "starts-tomorrow", "last-day-today", "left-yesterday"],
)
def test_staff_employed_on(employed_from: date | None, employed_until: date | None, employed: bool) -> None:
    staff = StaffFacts("张三", StaffRole.CARER, employed_from=employed_from, employed_until=employed_until)
    assert staff.employed_on(date(2026, 3, 1)) is employed


def test_format_date_cn_has_no_leading_zeros() -> None:
    assert format_date_cn(date(2026, 3, 1)) == "2026年3月1日"


# --------------------------------------------------------------------------- masking


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("号码 11010519491231002X 有误", "号码 110105********002X 有误"),
        ("１１０１０５１９４９１２３１００２ｘ", "110105********002X"),
        ("110105 19491231 002X", "110105********002X"),
        ("620702-19900101-1234", "620702********1234"),
        ("旧号 110105491231002", "旧号 110105******002"),
        ("0936-8212345-801", "0936-8212345-801"),
        ("+86 139 1234 5678", "+86 139 1234 5678"),
        ("2026-03-01 至 2026-04-01", "2026-03-01 至 2026-04-01"),
    ],
    ids=["plain", "full-width", "spaced", "hyphenated", "legacy-15", "landline-ext", "mobile-intl", "dates"],
)
def test_mask_id_numbers_in(text: str, expected: str) -> None:
    assert mask_id_numbers_in(text) == expected


def id_numbers() -> st.SearchStrategy[str]:
    return st.builds(
        make_id_number,
        st.sampled_from(["620702", "620721", "110105", "440524"]),
        st.dates(min_value=date(1940, 1, 1), max_value=date(2025, 12, 31)),
        st.integers(0, 999),
    )


def as_typed(id_number: str, style: str) -> str:
    """An ID number as a clerk might type or paste it."""
    if style == "full-width":
        return "".join(chr(ord(ch) + 0xFEE0) for ch in id_number)
    if style == "lower":
        return id_number.lower()
    if style == "groups":
        return f"{id_number[:6]} {id_number[6:14]}  {id_number[14:]}"
    if style == "dashes":
        return f"{id_number[:6]}-{id_number[6:14]}-{id_number[14:]}"
    if style == "dots":
        return f"{id_number[:6]}.{id_number[6:14]}.{id_number[14:]}"
    return id_number


STYLES = st.sampled_from(["plain", "full-width", "lower", "groups", "dashes", "dots"])


@given(id_number=id_numbers(), style=STYLES, before=st.text(max_size=8), after=st.text(max_size=8))
def test_masking_leaves_no_id_number_in_any_text(id_number: str, style: str, before: str, after: str) -> None:
    text = mask_id_numbers_in(f"{before}{as_typed(id_number, style)}{after}")
    assert id_number not in normalize_identifier(text)
    assert id_number[6:14] not in normalize_identifier(text)  # the birth date is what masking hides


def test_masked_problems_keep_everything_but_the_number() -> None:
    problem = Problem("phone.characters", "电话号码“11010519491231002X”格式不正确", "error", "contact_phone")
    (result,) = masked([problem])
    assert result == Problem("phone.characters", "电话号码“110105********002X”格式不正确", "error", "contact_phone")
