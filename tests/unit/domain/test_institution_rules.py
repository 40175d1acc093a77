"""check_institution: each rule at its edge, with the exact problems it reports (code, severity, field)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.enums import DemonstrationLevel, FilingStatus, OperatingStatus, SponsorType
from desktop.domain.identifiers import make_id_number, normalize_identifier
from desktop.domain.institution_rules import check_institution
from desktop.domain.problems import Problem, Severity
from desktop.domain.registry_rules import DEFAULT_RULES, InstitutionFacts, RegistryRules

TODAY = date(2026, 3, 1)
TOMORROW = TODAY + timedelta(days=1)
YESTERDAY = TODAY - timedelta(days=1)
E, W = Severity.ERROR, Severity.WARNING

GOOD = InstitutionFacts(
    name="张掖市甘州区阳光托育有限公司",
    sponsor_type=SponsorType.SOCIAL,
    credit_code="91350100M000100Y43",
    contact_phone="0936-8212345",
    slots=60,
    building_area_m2=Decimal("480.50"),
    outdoor_area_m2=Decimal("120"),
    filing_status=FilingStatus.FILED,
    filing_number="甘州卫托备〔2025〕3号",
    filed_on=date(2025, 5, 1),
    opened_on=date(2025, 6, 1),
)
SUSPENDED = {"operating_status": OperatingStatus.SUSPENDED, "status_reason": "装修", "status_changed_on": YESTERDAY}


def found(changes: dict[str, Any], rules: RegistryRules = DEFAULT_RULES) -> list[tuple[str, Severity, str | None]]:
    problems = check_institution(replace(GOOD, **changes), today=TODAY, rules=rules)
    return [(p.code, p.severity, p.field) for p in problems]


def test_a_complete_entry_has_no_problems() -> None:
    assert check_institution(GOOD, today=TODAY) == ()


CASES: list[tuple[str, dict[str, Any], list[tuple[str, Severity, str]]]] = [
    # identity
    ("name-empty", {"name": ""}, [("institution.name_empty", E, "name")]),
    ("name-blank", {"name": " \u3000"}, [("institution.name_empty", E, "name")]),
    ("credit-check-char", {"credit_code": "91350100M000100Y44"}, [("credit_code.check_char", W, "credit_code")]),
    ("credit-length", {"credit_code": "91350100M000100Y4"}, [("credit_code.length", E, "credit_code")]),
    ("credit-full-width", {"credit_code": "９１３５０１００Ｍ０００１００Ｙ４３"}, []),
    ("credit-missing", {"credit_code": None}, [("institution.credit_code_missing", W, "credit_code")]),
    ("credit-blank", {"credit_code": "  "}, [("institution.credit_code_missing", W, "credit_code")]),
    ("credit-missing-preparing", {"credit_code": None, "operating_status": OperatingStatus.PREPARING}, []),
    ("phone-missing", {"contact_phone": None}, [("institution.contact_phone_missing", W, "contact_phone")]),
    ("phone-bad", {"contact_phone": "0936-12"}, [("phone.landline_format", E, "contact_phone")]),
    ("phone-mobile", {"contact_phone": "139 1234 5678"}, []),
    # slots and areas
    ("slots-negative", {"slots": -1}, [("institution.slots_negative", E, "slots")]),
    ("slots-zero-operating", {"slots": 0}, [("institution.slots_zero", W, "slots")]),
    ("slots-zero-preparing", {"slots": 0, "operating_status": OperatingStatus.PREPARING}, []),
    ("slots-zero-suspended", {"slots": 0, **SUSPENDED}, []),
    ("home-based-5", {"sponsor_type": SponsorType.HOME_BASED, "slots": 5}, []),
    ("home-based-6", {"sponsor_type": SponsorType.HOME_BASED, "slots": 6},
     [("institution.home_based_slots", W, "slots")]),
    ("building-area-negative", {"building_area_m2": Decimal("-0.01")},
     [("institution.area_negative", E, "building_area_m2")]),
    ("outdoor-area-negative", {"outdoor_area_m2": Decimal("-1")},
     [("institution.area_negative", E, "outdoor_area_m2")]),
    ("areas-zero-or-unknown", {"building_area_m2": Decimal(0), "outdoor_area_m2": None}, []),
    # filing
    ("filed-no-number", {"filing_number": None}, [("institution.filing_number_missing", E, "filing_number")]),
    ("filed-blank-number", {"filing_number": " "}, [("institution.filing_number_missing", E, "filing_number")]),
    ("filed-no-date", {"filed_on": None}, [("institution.filed_on_missing", E, "filed_on")]),
    ("filed-neither", {"filing_number": None, "filed_on": None},
     [("institution.filing_number_missing", E, "filing_number"), ("institution.filed_on_missing", E, "filed_on")]),
    ("filed-today", {"filed_on": TODAY}, []),
    ("filed-tomorrow", {"filed_on": TOMORROW}, [("institution.filed_on_future", E, "filed_on")]),
    ("not-filed-clean", {"filing_status": FilingStatus.NOT_FILED, "filing_number": None, "filed_on": None}, []),
    ("not-filed-with-number", {"filing_status": FilingStatus.NOT_FILED, "filed_on": None},
     [("institution.filing_number_without_filing", E, "filing_number")]),
    ("not-filed-with-date", {"filing_status": FilingStatus.NOT_FILED, "filing_number": None},
     [("institution.filed_on_without_filing", E, "filed_on")]),
    ("pending-clean", {"filing_status": FilingStatus.PENDING, "filing_number": None, "filed_on": None}, []),
    ("pending-keeps-old-filing", {"filing_status": FilingStatus.PENDING}, []),
    ("cancelled-keeps-old-filing", {"filing_status": FilingStatus.CANCELLED}, []),
    ("cancelled-future-date", {"filing_status": FilingStatus.CANCELLED, "filed_on": TOMORROW},
     [("institution.filed_on_future", E, "filed_on")]),
    # 普惠
    ("puhui-ok", {"puhui": True, "puhui_recognized_on": TODAY}, []),
    ("puhui-no-date", {"puhui": True}, [("institution.puhui_date_missing", E, "puhui_recognized_on")]),
    ("puhui-tomorrow", {"puhui": True, "puhui_recognized_on": TOMORROW},
     [("institution.puhui_date_future", E, "puhui_recognized_on")]),
    ("puhui-not-filed", {"puhui": True, "puhui_recognized_on": YESTERDAY, "filing_status": FilingStatus.NOT_FILED,
                         "filing_number": None, "filed_on": None}, [("institution.puhui_not_filed", W, "puhui")]),
    ("puhui-pending", {"puhui": True, "puhui_recognized_on": YESTERDAY, "filing_status": FilingStatus.PENDING},
     [("institution.puhui_not_filed", W, "puhui")]),
    ("puhui-revoked-keeps-date", {"puhui": False, "puhui_recognized_on": YESTERDAY}, []),
    # operating status
    ("suspended-ok", SUSPENDED, []),
    ("suspended-no-reason", {**SUSPENDED, "status_reason": None},
     [("institution.status_reason_missing", E, "status_reason")]),
    ("closed-blank-reason", {**SUSPENDED, "operating_status": OperatingStatus.CLOSED, "status_reason": "  "},
     [("institution.status_reason_missing", E, "status_reason")]),
    ("closed-no-date", {**SUSPENDED, "operating_status": OperatingStatus.CLOSED, "status_changed_on": None},
     [("institution.status_date_missing", E, "status_changed_on")]),
    ("closed-nothing", {"operating_status": OperatingStatus.CLOSED},
     [("institution.status_reason_missing", E, "status_reason"),
      ("institution.status_date_missing", E, "status_changed_on")]),
    ("status-date-tomorrow", {**SUSPENDED, "status_changed_on": TOMORROW},
     [("institution.status_date_future", E, "status_changed_on")]),
    ("opened-today", {"opened_on": TODAY}, []),
    ("opened-tomorrow", {"opened_on": TOMORROW}, [("institution.opened_on_future", W, "opened_on")]),
    ("preparing-opens-tomorrow", {"opened_on": TOMORROW, "operating_status": OperatingStatus.PREPARING}, []),
    # lease
    ("lease-no-date", {"premises_leased": True}, [("institution.lease_expiry_missing", W, "lease_expires_on")]),
    ("lease-31-days", {"premises_leased": True, "lease_expires_on": TODAY + timedelta(days=31)}, []),
    ("lease-30-days", {"premises_leased": True, "lease_expires_on": TODAY + timedelta(days=30)},
     [("institution.lease_expiring", W, "lease_expires_on")]),
    ("lease-today", {"premises_leased": True, "lease_expires_on": TODAY},
     [("institution.lease_expiring", W, "lease_expires_on")]),
    ("lease-yesterday", {"premises_leased": True, "lease_expires_on": YESTERDAY},
     [("institution.lease_expired", W, "lease_expires_on")]),
    ("owned-old-lease-date", {"premises_leased": False, "lease_expires_on": YESTERDAY}, []),
    ("closed-lease-expired", {**SUSPENDED, "operating_status": OperatingStatus.CLOSED, "premises_leased": True,
                              "lease_expires_on": YESTERDAY}, []),
    # services, fees, flags
    ("meals-no-licence", {"serves_meals": True}, [("institution.food_licence_missing", W, "food_licence_number")]),
    ("meals-blank-licence", {"serves_meals": True, "food_licence_number": " "},
     [("institution.food_licence_missing", W, "food_licence_number")]),
    ("meals-licence", {"serves_meals": True, "food_licence_number": "JY16207020012345"}, []),
    ("full-day-fee-negative", {"fee_full_day_monthly_fen": -1},
     [("institution.fee_negative", E, "fee_full_day_monthly_fen")]),
    ("half-day-fee-negative", {"fee_half_day_monthly_fen": -100},
     [("institution.fee_negative", E, "fee_half_day_monthly_fen")]),
    ("hourly-fee-negative", {"fee_hourly_fen": -1}, [("institution.fee_negative", E, "fee_hourly_fen")]),
    ("meal-fee-negative", {"meal_fee_daily_fen": -1}, [("institution.fee_negative", E, "meal_fee_daily_fen")]),
    ("fees-zero", {"fee_full_day_monthly_fen": 0, "fee_hourly_fen": 0, "meal_fee_daily_fen": 0}, []),
    ("demonstration-no-level", {"demonstration": True},
     [("institution.demonstration_level_missing", E, "demonstration_level")]),
    ("demonstration-level", {"demonstration": True, "demonstration_level": DemonstrationLevel.COUNTY}, []),
    ("medical-no-partner", {"medical_partnership": True, "medical_partner_name": " "},
     [("institution.medical_partner_missing", E, "medical_partner_name")]),
    ("medical-partner", {"medical_partnership": True, "medical_partner_name": "甘州区妇幼保健院"}, []),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_institution_rules(changes: dict[str, Any], expected: list[tuple[str, Severity, str]]) -> None:
    assert found(changes) == expected


@pytest.mark.parametrize(
    ("days", "text"),
    [(30, "2026年3月31日 到期（还有 30 天）"), (0, "2026年3月1日 到期（今天）"), (-1, "2026年2月28日 到期（1 天前）")],
    ids=["30-days", "today", "yesterday"],
)
def test_lease_messages_say_when(days: int, text: str) -> None:
    (problem,) = check_institution(
        replace(GOOD, premises_leased=True, lease_expires_on=TODAY + timedelta(days=days)), today=TODAY
    )
    assert text in problem.message


def test_lease_warning_days_is_a_parameter() -> None:
    changes = {"premises_leased": True, "lease_expires_on": TODAY + timedelta(days=45)}
    assert found(changes) == []
    assert found(changes, RegistryRules(lease_warning_days=60)) == [
        ("institution.lease_expiring", W, "lease_expires_on")
    ]


def test_messages_say_what_to_do() -> None:
    problems = check_institution(replace(GOOD, filing_status=FilingStatus.NOT_FILED, filed_on=None), today=TODAY)
    assert problems[0].message == "备案状态为“未备案”，却填写了备案编号。请将备案状态改为“已备案”，或删除备案编号。"
    (future,) = check_institution(replace(GOOD, filed_on=TOMORROW), today=TODAY)
    assert "2026年3月2日" in future.message and "核对" in future.message
    (home,) = check_institution(replace(GOOD, sponsor_type=SponsorType.HOME_BASED, slots=6), today=TODAY)
    assert "不超过 5 人" in home.message and "《家庭托育点管理办法（试行）》" in home.message


def test_credit_code_check_char_failure_does_not_block_saving() -> None:
    problems = check_institution(replace(GOOD, credit_code="91350100M000100Y44"), today=TODAY)
    assert not any(p.is_error for p in problems)


def test_every_problem_names_its_field() -> None:
    everything_wrong = InstitutionFacts(
        name="",
        sponsor_type=SponsorType.SOCIAL,
        credit_code="XX",
        contact_phone="abc",
        slots=-1,
        building_area_m2=Decimal(-1),
        filing_status=FilingStatus.FILED,
        filed_on=TOMORROW,
        puhui=True,
        operating_status=OperatingStatus.CLOSED,
        premises_leased=True,
        serves_meals=True,
        fee_hourly_fen=-1,
        demonstration=True,
        medical_partnership=True,
    )
    problems = check_institution(everything_wrong, today=TODAY)
    assert len(problems) >= 12
    facts_fields = set(InstitutionFacts.__slots__)
    assert all(isinstance(p, Problem) and p.field in facts_fields for p in problems)


# --------------------------------------------------------------------------- properties

TEXT_FIELDS = ["name", "credit_code", "contact_phone", "filing_number", "status_reason", "food_licence_number",
               "medical_partner_name"]  # fmt: skip


@given(
    id_number=st.builds(
        make_id_number,
        st.sampled_from(["620702", "110105"]),
        st.dates(min_value=date(1950, 1, 1), max_value=date(2025, 1, 1)),
        st.integers(0, 999),
    ),
    field=st.sampled_from(TEXT_FIELDS),
    wrapper=st.sampled_from(["{}", "{}X", " {} ", "{}-801", "电话{}", "{}\u3000"]),
    status=st.sampled_from(list(OperatingStatus)),
)
def test_no_message_ever_contains_a_full_id_number(
    id_number: str, field: str, wrapper: str, status: OperatingStatus
) -> None:
    # An ID number pasted into the wrong field must not come back whole in a message.
    facts = replace(GOOD, operating_status=status, **{field: wrapper.format(id_number)})
    for problem in check_institution(facts, today=TODAY):
        assert id_number not in normalize_identifier(problem.message)


@given(slots=st.integers(-5, 500), status=st.sampled_from(list(OperatingStatus)))
def test_slots_are_an_error_exactly_when_negative(slots: int, status: OperatingStatus) -> None:
    codes = {p.code: p.severity for p in check_institution(replace(GOOD, slots=slots, **SUSPENDED | {
        "operating_status": status}), today=TODAY)}  # fmt: skip
    assert (codes.get("institution.slots_negative") is E) is (slots < 0)
    assert ("institution.slots_zero" in codes) is (slots == 0 and status is OperatingStatus.OPERATING)
