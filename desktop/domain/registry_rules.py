"""Parameters and input facts of the institution-register rules (托育机构名录校验).

The rules themselves live next to this module, one file per record they check:
``institution_rules`` (the institution), ``class_rules`` (a class), ``staff_rules`` (a staff
member), ``staffing_rules`` (classes and staff of one institution together) and
``double_employment`` (the same person at two institutions).

Every number a rule compares against is a field of ``RegistryRules`` with its source, so that a
county can load its own values from a policy file (DESIGN.md §3) and every warning can quote the
rule it applies. Where each default comes from (shared/domain/REFERENCE.md):

- class sizes and carer ratios: 《托育机构设置标准（试行）》, REFERENCE §2.2. The mixed-age ratio is
  not set nationally; 1:5 is the strict choice a [C] tool makes, so it is a parameter;
- ≥150 children need a full-time health worker: 76号令 art. 12, referred to by the setup
  standard, REFERENCE §2.2 ([C] warns against reading it as "1 per 150");
- health certificates, checked yearly: 76号令 and the 2012 规范, REFERENCE §2.4; warning 30 days
  ahead is our choice;
- training hours (负责人 ≥60, 保育人员 ≥120 学时): the Jiangsu plan's 专栏3, REFERENCE §1.3 (seed
  ``001``); WS/T 821 5.2.1 has the same 60 for the head per [C] only (§2.8). A Jiangsu target,
  not a national rule, hence a parameter;
- no-criminal-record certificate for all staff: WS/T 821-2023 5.1.6 per [C], confirmed by [W]
  (REFERENCE §2.8);
- a home-based point takes at most 5 children: 《家庭托育点管理办法（试行）》, REFERENCE §2.9 [W].

Pure: no I/O, no clock. Dates in messages are written the Chinese way (2026年3月1日) so that two
dates never run together into something that looks like an ID number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal
from functools import cache
from types import MappingProxyType
from typing import Any, Self

from desktop.domain.enums import (
    ClassType,
    DemonstrationLevel,
    FilingStatus,
    OperatingStatus,
    SponsorType,
    StaffRole,
)
from desktop.domain.identifiers import mask_id_numbers_in
from desktop.domain.problems import Problem

__all__ = [
    "DEFAULT_RULES",
    "HEALTH_CARE_MEASURES",
    "HOME_BASED_MEASURES",
    "JIANGSU_PLAN_PANEL_3",
    "QUALITY_STANDARD",
    "SETUP_STANDARD",
    "ClassFacts",
    "InstitutionFacts",
    "RegistryRules",
    "StaffFacts",
    "format_date_cn",
    "masked",
]

# --------------------------------------------------------------------------- sources quoted

SETUP_STANDARD = "《托育机构设置标准（试行）》（国卫人口发〔2019〕58号）"
HEALTH_CARE_MEASURES = "《托儿所幼儿园卫生保健管理办法》（卫生部、教育部令第76号）"
JIANGSU_PLAN_PANEL_3 = "《江苏省“十四五”托育服务发展规划》（苏卫人口〔2022〕14号）专栏3"
QUALITY_STANDARD = "《托育机构质量评估标准》（WS/T 821-2023）"
HOME_BASED_MEASURES = "《家庭托育点管理办法（试行）》"
# Said instead of a document when the number is a local choice, so no warning claims a national
# rule that does not exist.
_MIXED_AGE_RATIO_NOTE = "国家标准未规定混龄班配比，本地参照托小班执行"


def _read_only(values: Mapping[ClassType, Any], name: str) -> Mapping[ClassType, Any]:
    missing = [member.value for member in ClassType if member not in values]
    if missing:
        raise ValueError(f"{name} has no value for class type(s) {missing}")
    # A private copy behind a read-only view: a caller mutating its dict later cannot change
    # the rules a frozen RegistryRules promised.
    return MappingProxyType(dict(values))


@dataclass(frozen=True, slots=True)
class RegistryRules:
    """The numbers the register rules check against, each with the source a warning quotes."""

    max_children: Mapping[ClassType, int] = field(
        default_factory=lambda: {
            ClassType.INFANT: 10,
            ClassType.TODDLER: 15,
            ClassType.OLDER_TODDLER: 20,
            ClassType.MIXED_AGE: 18,
        }
    )
    max_children_source: str = SETUP_STANDARD
    # Minimum ratio 1 carer : n children, stored as n ("不低于 1:n").
    children_per_carer: Mapping[ClassType, int] = field(
        default_factory=lambda: {
            ClassType.INFANT: 3,
            ClassType.TODDLER: 5,
            ClassType.OLDER_TODDLER: 7,
            ClassType.MIXED_AGE: 5,
        }
    )
    children_per_carer_sources: Mapping[ClassType, str] = field(
        default_factory=lambda: {
            ClassType.INFANT: SETUP_STANDARD,
            ClassType.TODDLER: SETUP_STANDARD,
            ClassType.OLDER_TODDLER: SETUP_STANDARD,
            ClassType.MIXED_AGE: _MIXED_AGE_RATIO_NOTE,
        }
    )
    health_staff_min_children: int = 150
    health_staff_source: str = HEALTH_CARE_MEASURES + "第十二条"
    health_certificate_warning_days: int = 30
    health_certificate_source: str = HEALTH_CARE_MEASURES
    principal_training_hours: int = 60
    carer_training_hours: int = 120
    training_hours_source: str = JIANGSU_PLAN_PANEL_3
    # All roles by default: the quality standard asks it of every staff member, and in a
    # childcare institution cooks and guards are around the children too.
    criminal_record_roles: frozenset[StaffRole] = frozenset(StaffRole)
    criminal_record_source: str = QUALITY_STANDARD
    lease_warning_days: int = 30
    home_based_max_children: int = 5
    home_based_source: str = HOME_BASED_MEASURES

    def __post_init__(self) -> None:
        for name in ("max_children", "children_per_carer", "children_per_carer_sources"):
            object.__setattr__(self, name, _read_only(getattr(self, name), name))
        for name in ("max_children", "children_per_carer"):
            bad = {kind.value: n for kind, n in getattr(self, name).items() if not isinstance(n, int) or n < 1}
            if bad:
                raise ValueError(f"{name} must be positive integers, got {bad}")
        object.__setattr__(self, "criminal_record_roles", frozenset(self.criminal_record_roles))
        for name in (
            "health_staff_min_children",
            "health_certificate_warning_days",
            "principal_training_hours",
            "carer_training_hours",
            "lease_warning_days",
            "home_based_max_children",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative, got {getattr(self, name)}")

    def required_carers(self, class_type: ClassType, children: int) -> int:
        """Fewest carers that meet the minimum ratio for ``children`` (ceiling division)."""
        return -(-max(children, 0) // self.children_per_carer[class_type])


DEFAULT_RULES = RegistryRules()


# --------------------------------------------------------------------------- input facts


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))  # dataclasses.fields() is slow; imports ask 10,000 times


def _from_attributes(cls: type, source: object, overrides: dict[str, Any]) -> Any:
    # Every field is read from ``source`` unless given: a field the source lacks is an error
    # here rather than a silently default value that would hide a missing column.
    values = {name: overrides[name] if name in overrides else getattr(source, name) for name in _field_names(cls)}
    unknown = overrides.keys() - values.keys()
    if unknown:
        raise TypeError(f"{cls.__name__} has no field(s) {sorted(unknown)}")
    return cls(**values)


@dataclass(frozen=True, slots=True)
class InstitutionFacts:
    """The institution fields that have rules, as entered (nothing normalised yet)."""

    name: str
    sponsor_type: SponsorType
    credit_code: str | None = None
    contact_phone: str | None = None
    slots: int = 0
    building_area_m2: Decimal | None = None
    outdoor_area_m2: Decimal | None = None
    filing_status: FilingStatus = FilingStatus.NOT_FILED
    filing_number: str | None = None
    filed_on: date | None = None
    puhui: bool = False
    puhui_recognized_on: date | None = None
    operating_status: OperatingStatus = OperatingStatus.OPERATING
    opened_on: date | None = None
    status_changed_on: date | None = None
    status_reason: str | None = None
    premises_leased: bool = False
    lease_expires_on: date | None = None
    serves_meals: bool = False
    food_licence_number: str | None = None
    demonstration: bool = False
    demonstration_level: DemonstrationLevel | None = None
    medical_partnership: bool = False
    medical_partner_name: str | None = None
    fee_full_day_monthly_fen: int | None = None
    fee_half_day_monthly_fen: int | None = None
    fee_hourly_fen: int | None = None
    meal_fee_daily_fen: int | None = None

    @classmethod
    def from_attributes(cls, source: object, **overrides: Any) -> Self:
        """Facts read from any object with these attribute names (a record, a DTO, a form)."""
        return _from_attributes(cls, source, overrides)


@dataclass(frozen=True, slots=True)
class ClassFacts:
    """A class as entered, with ``carers`` = how many carers are assigned to it."""

    name: str
    class_type: ClassType
    capacity: int
    enrolled_count: int = 0
    carers: int = 0

    def __post_init__(self) -> None:
        # Counted by the caller, never typed by a clerk: a negative count is a bug upstream.
        if self.carers < 0:
            raise ValueError(f"carers must not be negative, got {self.carers}")

    @classmethod
    def from_attributes(cls, source: object, **overrides: Any) -> Self:
        """Facts read from any object with these attribute names; pass ``carers=`` explicitly."""
        return _from_attributes(cls, source, overrides)


@dataclass(frozen=True, slots=True)
class StaffFacts:
    """A staff member as entered. ``employed_until`` is the last day worked."""

    name: str
    role: StaffRole
    id_number: str | None = None
    phone: str | None = None
    health_certificate_expires_on: date | None = None
    training_hours: int = 0
    employed_from: date | None = None
    employed_until: date | None = None
    criminal_record_checked_on: date | None = None

    def employed_on(self, day: date) -> bool:
        """True when ``day`` falls in the employment period (open ends are unbounded)."""
        started = self.employed_from is None or self.employed_from <= day
        return started and (self.employed_until is None or day <= self.employed_until)

    @classmethod
    def from_attributes(cls, source: object, **overrides: Any) -> Self:
        """Facts read from any object with these attribute names (a record, a DTO, a form)."""
        return _from_attributes(cls, source, overrides)


# --------------------------------------------------------------------------- message helpers


def format_date_cn(day: date) -> str:
    """``2026年3月1日``: how dates are written on screen and paper."""
    return f"{day.year}年{day.month}月{day.day}日"


def masked(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """The problems with any ID-like number in their messages masked.

    Validators quote what a clerk typed (an ID pasted into a phone field comes back whole), and
    the register's messages end up in import reports and printouts, so every rule function
    passes its result through here: no message ever carries a full ID number.
    """
    return tuple(replace(problem, message=mask_id_numbers_in(problem.message)) for problem in problems)
