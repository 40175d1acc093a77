"""check_staff: certificates, training and background checks at their edges; IDs never shown whole."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.enums import StaffRole
from desktop.domain.identifiers import make_id_number, normalize_identifier
from desktop.domain.problems import Severity
from desktop.domain.registry_rules import DEFAULT_RULES, RegistryRules, StaffFacts
from desktop.domain.staff_rules import check_staff

TODAY = date(2026, 3, 1)
E, W = Severity.ERROR, Severity.WARNING
ID = make_id_number("620702", date(1990, 1, 1), 123)
CERT = "health_certificate_expires_on"

GOOD = StaffFacts(
    name="张三",
    role=StaffRole.CARER,
    id_number=ID,
    phone="13912345678",
    health_certificate_expires_on=TODAY + timedelta(days=365),
    training_hours=120,
    employed_from=date(2024, 1, 1),
    criminal_record_checked_on=date(2024, 1, 1),
)


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def found(changes: dict[str, Any], rules: RegistryRules = DEFAULT_RULES) -> list[tuple[str, Severity, str | None]]:
    problems = check_staff(replace(GOOD, **changes), today=TODAY, rules=rules)
    return [(p.code, p.severity, p.field) for p in problems]


def test_a_complete_entry_has_no_problems() -> None:
    assert check_staff(GOOD, today=TODAY) == ()


CASES: list[tuple[str, dict[str, Any], list[tuple[str, Severity, str]]]] = [
    ("name-empty", {"name": " "}, [("staff.name_empty", E, "name")]),
    # identity
    ("id-missing", {"id_number": None}, [("staff.id_number_missing", W, "id_number")]),
    ("id-blank", {"id_number": "  "}, [("staff.id_number_missing", W, "id_number")]),
    ("id-check-char", {"id_number": ID[:17] + ("0" if ID[17] != "0" else "1")},
     [("id_number.check_char", E, "id_number")]),
    ("id-length", {"id_number": ID[:16]}, [("id_number.length", E, "id_number")]),
    ("id-legacy-15", {"id_number": "110105491231002"}, [("id_number.legacy_15", W, "id_number")]),
    ("id-lowercase-x-ok", {"id_number": "11010519491231002x"}, []),
    ("phone-absent", {"phone": None}, []),
    ("phone-bad", {"phone": "1391234567"}, [("phone.mobile_length", E, "phone")]),
    # health certificate
    ("cert-missing", {CERT: None}, [("staff.health_certificate_missing", W, CERT)]),
    ("cert-31-days", {CERT: days(31)}, []),
    ("cert-30-days", {CERT: days(30)}, [("staff.health_certificate_expiring", W, CERT)]),
    ("cert-today", {CERT: days(0)}, [("staff.health_certificate_expiring", W, CERT)]),
    ("cert-yesterday", {CERT: days(-1)}, [("staff.health_certificate_expired", W, CERT)]),
    # training
    ("principal-59", {"role": StaffRole.PRINCIPAL, "training_hours": 59},
     [("staff.training_hours_low", W, "training_hours")]),
    ("principal-60", {"role": StaffRole.PRINCIPAL, "training_hours": 60}, []),
    ("carer-119", {"training_hours": 119}, [("staff.training_hours_low", W, "training_hours")]),
    ("carer-120", {"training_hours": 120}, []),
    ("health-staff-0", {"role": StaffRole.HEALTH_STAFF, "training_hours": 0}, []),
    ("cook-0", {"role": StaffRole.COOK, "training_hours": 0}, []),
    ("hours-negative", {"role": StaffRole.COOK, "training_hours": -1},
     [("staff.training_hours_negative", E, "training_hours")]),
    # background check
    ("criminal-missing-carer", {"criminal_record_checked_on": None},
     [("staff.criminal_record_missing", W, "criminal_record_checked_on")]),
    ("criminal-missing-security", {"role": StaffRole.SECURITY, "criminal_record_checked_on": None},
     [("staff.criminal_record_missing", W, "criminal_record_checked_on")]),
    ("criminal-today", {"criminal_record_checked_on": TODAY}, []),
    ("criminal-tomorrow", {"criminal_record_checked_on": days(1)},
     [("staff.criminal_record_date_future", E, "criminal_record_checked_on")]),
    # employment period
    ("until-before-from", {"employed_until": date(2023, 12, 31)},
     [("staff.employment_dates_reversed", E, "employed_until")]),
    ("until-equals-from", {"employed_from": TODAY, "employed_until": TODAY}, []),
    ("starts-next-month", {"employed_from": days(30)}, []),
    ("left-yesterday-nothing-current", {"employed_until": days(-1), CERT: days(-100), "training_hours": 0,
                                        "criminal_record_checked_on": None}, []),
    ("last-day-today-still-checked", {"employed_until": TODAY, CERT: days(-1)},
     [("staff.health_certificate_expired", W, CERT)]),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_staff_rules(changes: dict[str, Any], expected: list[tuple[str, Severity, str]]) -> None:
    assert found(changes) == expected


@pytest.mark.parametrize(
    ("expires", "text"),
    [
        (30, "保育人员张三的健康证将于 2026年3月31日 到期（还有 30 天）"),
        (0, "保育人员张三的健康证将于 2026年3月1日 到期（今天到期）"),
        (-1, "保育人员张三的健康证已于 2026年2月28日 过期（1 天前）"),
        (-40, "已于 2026年1月20日 过期（40 天前）"),
    ],
    ids=["in-30-days", "today", "yesterday", "40-days-ago"],
)
def test_certificate_messages_say_the_date(expires: int, text: str) -> None:
    (problem,) = check_staff(replace(GOOD, health_certificate_expires_on=days(expires)), today=TODAY)
    assert text in problem.message


@pytest.mark.parametrize(
    ("role", "hours", "minimum"),
    [(StaffRole.PRINCIPAL, 59, 60), (StaffRole.CARER, 119, 120)],
    ids=["principal", "carer"],
)
def test_training_message_quotes_the_minimum_and_source(role: StaffRole, hours: int, minimum: int) -> None:
    (problem,) = check_staff(replace(GOOD, role=role, training_hours=hours), today=TODAY)
    assert f"为 {hours} 学时" in problem.message
    assert f"不少于 {minimum} 学时" in problem.message
    assert "专栏3" in problem.message


def test_certificate_warning_days_and_roles_are_parameters() -> None:
    assert found({CERT: days(45)}) == []
    assert found({CERT: days(45)}, RegistryRules(health_certificate_warning_days=60)) == [
        ("staff.health_certificate_expiring", W, CERT)
    ]
    only_carers = RegistryRules(criminal_record_roles=frozenset({StaffRole.CARER}))
    assert found({"role": StaffRole.COOK, "criminal_record_checked_on": None}, only_carers) == []


def test_legacy_id_warning_does_not_spell_out_the_18_digit_number() -> None:
    (problem,) = check_staff(replace(GOOD, id_number="110105491231002"), today=TODAY)
    assert "11010519491231002X" not in problem.message
    assert "*" not in problem.message  # no masked number left for the clerk to puzzle over
    assert "改填 18 位号码" in problem.message


# --------------------------------------------------------------------------- properties

_FULL_ID = re.compile(r"[0-9]{17}[0-9X]")


@given(
    birth=st.dates(min_value=date(1950, 1, 1), max_value=date(2008, 1, 1)),
    sequence=st.integers(0, 999),
    spoil=st.sampled_from(["none", "check-char", "legacy", "in-phone", "in-phone-x", "in-name", "extra-digit"]),
    role=st.sampled_from(list(StaffRole)),
)
def test_no_message_ever_contains_a_full_id_number(birth: date, sequence: int, spoil: str, role: StaffRole) -> None:
    id_number = make_id_number("620702", birth, sequence)
    facts = replace(GOOD, role=role, id_number=id_number, health_certificate_expires_on=None)
    if spoil == "check-char":
        facts = replace(facts, id_number=id_number[:17] + ("X" if id_number[17] != "X" else "0"))
    elif spoil == "legacy":
        facts = replace(facts, id_number=id_number[:6] + id_number[8:17])
    elif spoil == "in-phone":
        facts = replace(facts, phone=id_number)
    elif spoil == "in-phone-x":
        facts = replace(facts, phone=id_number[:17] + "X")
    elif spoil == "in-name":
        facts = replace(facts, name=f"张三{id_number}")
    elif spoil == "extra-digit":
        facts = replace(facts, id_number=id_number + "1")
    for problem in check_staff(facts, today=TODAY):
        folded = normalize_identifier(problem.message)
        assert id_number[:17] not in folded
        assert _FULL_ID.search(folded) is None


@given(hours=st.integers(0, 300), role=st.sampled_from([StaffRole.PRINCIPAL, StaffRole.CARER]))
def test_training_is_warned_exactly_below_the_minimum(hours: int, role: StaffRole) -> None:
    minimum = 60 if role is StaffRole.PRINCIPAL else 120
    codes = [p.code for p in check_staff(replace(GOOD, role=role, training_hours=hours), today=TODAY)]
    assert ("staff.training_hours_low" in codes) is (hours < minimum)


@given(offset=st.integers(-400, 400))
def test_certificate_is_warned_exactly_within_30_days_or_after_expiry(offset: int) -> None:
    codes = [p.code for p in check_staff(replace(GOOD, health_certificate_expires_on=days(offset)), today=TODAY)]
    if offset < 0:
        assert codes == ["staff.health_certificate_expired"]
    elif offset <= 30:
        assert codes == ["staff.health_certificate_expiring"]
    else:
        assert codes == []
