"""Subsidy rules (补贴计算): given the facts of one case and a policy, who is eligible and for how much.

Pure and exact: the same facts and the same policy always give the same fen, and every result says
why — each condition checked, the tier or rate applied, the split between payers — in Chinese, with
the policy's identity and the parameter values used, so a reviewer or an auditor can redo the sum by
hand. Nothing here decides which policy applies or whether a case was already paid; the caller does.

Money is integer fen throughout. Two roundings, both documented in the policy file:

- a prorated amount (part of a year, part of a month) is rounded down to the fen: never pay more
  than the rate;
- the city's share is rounded down to the fen and the county pays the rest, so the shares always add
  up to the amount exactly.

A fact that is missing or impossible (a negative slot count, a birth date after the month claimed)
raises ``SubsidyFactsError``; a case that is simply not eligible returns ``eligible=False`` with the
reasons and an amount of 0.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, timedelta
from enum import Enum
from typing import Any

from desktop.domain.amount_words import amount_words, format_yuan
from desktop.domain.enums import SponsorType
from desktop.domain.registry_rules import format_date_cn
from desktop.domain.subsidy_policy import (
    AgeCountedOn,
    CostSplit,
    MissingAnniversary,
    PartialPeriod,
    PolicyIdentity,
    RectificationRule,
    SlotBasis,
    SubsidyKind,
    SubsidyPolicy,
)
from desktop.errors import TuoyuError

__all__ = [
    "ConstructionFacts",
    "EnrollmentFacts",
    "OperatingFacts",
    "SubsidyFactsError",
    "SubsidyResult",
    "anniversary",
    "completed_months",
    "compute",
    "split_amount",
]


class SubsidyFactsError(TuoyuError):
    """The facts of a case cannot be computed as given (missing, impossible, or outside the policy)."""


@dataclass(frozen=True)
class ConstructionFacts:
    county_code: str
    slots: int  # 备案托位数 (filed)
    filed: bool
    meets_standard: bool
    previously_granted: bool  # the one-time subsidy was already paid to this institution
    actual_slots: int | None = None  # 实际托位数, needed when the policy counts actual slots
    overdue_major_rectification: bool | None = None

    kind = SubsidyKind.CONSTRUCTION


@dataclass(frozen=True)
class OperatingFacts:
    county_code: str
    slots: int
    filed: bool
    puhui: bool
    sponsor_type: SponsorType
    year: int
    months_operating: int = 12
    actual_slots: int | None = None
    overdue_major_rectification: bool | None = None

    kind = SubsidyKind.OPERATING


@dataclass(frozen=True)
class EnrollmentFacts:
    county_code: str
    birth_date: date
    month: date  # the first day of the month claimed
    institution_filed: bool
    institution_puhui: bool
    enrolled_on: date | None = None  # when the child started at the institution, if in this month
    left_on: date | None = None  # the child's last day there, if in this month
    overdue_major_rectification: bool | None = None

    kind = SubsidyKind.ENROLLMENT


Facts = ConstructionFacts | OperatingFacts | EnrollmentFacts


@dataclass(frozen=True)
class SubsidyResult:
    kind: SubsidyKind
    eligible: bool
    amount_fen: int
    city_share_fen: int
    county_share_fen: int
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]
    policy: PolicyIdentity
    parameters: dict[str, Any] = field(hash=False)

    @property
    def amount_words(self) -> str:
        return amount_words(self.amount_fen)

    @property
    def shares_fen(self) -> dict[str, int]:
        return {"city": self.city_share_fen, "county": self.county_share_fen}


def compute(facts: Facts, policy: SubsidyPolicy) -> SubsidyResult:
    """The subsidy the policy grants for these facts; raises ``SubsidyFactsError`` on impossible facts."""
    split = policy.split_for(facts.county_code)
    if split is None:
        counties = "、".join(f"{s.county_code}（{s.county_name}）" for s in policy.cost_splits)
        raise SubsidyFactsError(
            f"县区代码 {facts.county_code} 不在政策“{policy.name}”的分担比例表中"
            f"（{policy.city_name}的县区：{counties}）。"
            "请检查县区代码，或选择该县区所在城市的政策。"
        )
    scheme = getattr(policy, facts.kind.value)
    if scheme is None:
        raise SubsidyFactsError(f"政策“{policy.name}”没有{facts.kind.label}，无法计算。")
    case = _Case(facts.kind)
    rule: Callable[[Any, Any, _Case], int] = _RULES[facts.kind]
    amount = rule(facts, scheme, case)
    eligible = case.ok and amount > 0
    if not eligible:
        amount = 0
        case.reasons.append(f"不符合{facts.kind.label}条件，补助 0.00 元。")
    city, county = split_amount(amount, split)
    if eligible and split.city_percent:
        case.reasons.append(
            f"{split.county_name}分担比例 市级 {split.city_percent}% : 县区 {split.county_percent}%，"
            f"市级承担 {format_yuan(city)} 元，{split.county_name}承担 {format_yuan(county)} 元。"
        )
    elif eligible:
        case.reasons.append(f"{split.county_name}财政全额承担 {format_yuan(county)} 元。")
    shares = {"city_percent": split.city_percent, "county_percent": split.county_percent}
    parameters = {**_scheme_parameters(scheme), **shares}
    return SubsidyResult(
        kind=facts.kind, eligible=eligible, amount_fen=amount, city_share_fen=city, county_share_fen=county,
        reasons=tuple(case.reasons), warnings=tuple(case.warnings), policy=policy.identity, parameters=parameters,
    )  # fmt: skip


def split_amount(amount_fen: int, split: CostSplit) -> tuple[int, int]:
    """(city, county) shares: the city's rounded down to the fen, the county pays the remainder."""
    city = amount_fen * split.city_percent // 100
    return city, amount_fen - city


class _Case:
    """What a rule found so far: reasons in order, warnings, and whether every condition holds."""

    def __init__(self, kind: SubsidyKind) -> None:
        self.kind = kind
        self.reasons: list[str] = []
        self.warnings: list[str] = []
        self.ok = True

    def condition(self, required: bool, holds: bool, met: str, unmet: str) -> None:
        if not required:
            return
        if holds:
            self.reasons.append(met)
        else:
            self.reasons.append(unmet)
            self.ok = False

    def refuse(self, reason: str) -> None:
        self.reasons.append(reason)
        self.ok = False

    def rectification(self, rule: RectificationRule, overdue: bool | None) -> None:
        if not overdue or rule is RectificationRule.IGNORE:
            return
        if rule is RectificationRule.BLOCK:
            self.refuse("机构有逾期未完成的重大问题整改，按本政策不予补助。")
        else:
            self.warnings.append("机构有逾期未完成的重大问题整改；本政策规定只作提示、不影响金额，请初审时核实。")


# --------------------------------------------------------------------------- the three schemes


def _construction(facts: ConstructionFacts, scheme: Any, case: _Case) -> int:
    slots = _slots(scheme.slot_basis, facts.slots, facts.actual_slots, case)
    tier = scheme.tier_for(slots)
    at = len(case.reasons)  # the tier line goes here, before the conditions
    if facts.previously_granted:
        case.refuse("该机构已领取过一次性建设补贴，每家机构只能领取一次。")
    case.condition(scheme.requires_filed, facts.filed, "已登记备案。", "未登记备案；建设补贴须已登记备案。")
    case.condition(
        scheme.requires_meets_standard,
        facts.meets_standard,
        "达到国家和省级规范建设要求。",
        "未达到国家和省级规范建设要求；建设补贴须达到该要求。",
    )
    case.rectification(scheme.overdue_major_rectification, facts.overdue_major_rectification)
    # The tier comes first in the reasons, as a reviewer reads it; its wording depends on the conditions.
    if tier is None:
        case.refuse(f"托位 {slots} 个，不属于任何档次。")
        case.reasons.insert(at, case.reasons.pop())
        return 0
    amount = f"补助 {format_yuan(tier.amount_fen)} 元" if case.ok else f"该档补助 {format_yuan(tier.amount_fen)} 元"
    case.reasons.insert(at, f"托位 {slots} 个，适用 {tier.label} 档，{amount}。")
    return tier.amount_fen


def _operating(facts: OperatingFacts, scheme: Any, case: _Case) -> int:
    if not 1 <= facts.months_operating <= 12:
        raise SubsidyFactsError(f"运营月数应为 1 到 12 之间的整数，现在是 {facts.months_operating}。")
    slots = _slots(scheme.slot_basis, facts.slots, facts.actual_slots, case)
    sponsor = SponsorType(facts.sponsor_type)
    if sponsor in scheme.eligible_sponsor_types:
        case.reasons.append(f"举办主体为{sponsor.label}，属于运营补贴范围。")
    else:
        listed = "、".join(s.label for s in scheme.eligible_sponsor_types) or "（无）"
        case.refuse(f"举办主体为{sponsor.label}，不在本政策运营补贴范围内（可享受的有：{listed}）。")
    case.condition(scheme.requires_filed, facts.filed, "已备案。", "未备案；运营补贴须备案成功。")
    case.condition(scheme.requires_puhui, facts.puhui, "执行普惠收费标准。", "未执行普惠收费标准；运营补贴须为普惠。")
    case.rectification(scheme.overdue_major_rectification, facts.overdue_major_rectification)
    rate = scheme.amount_per_slot_year_fen
    year_amount = slots * rate
    head = f"{facts.year} 年度：托位 {slots} 个 × 每托位每年 {format_yuan(rate)} 元"
    months = facts.months_operating
    if months == 12:
        case.reasons.append(f"{head} = {format_yuan(year_amount)} 元。")
        return year_amount
    if scheme.partial_year is PartialPeriod.PAY_NOTHING:
        case.refuse(f"当年运营 {months} 个月，不足一年；本政策规定不足一年不发放运营补贴。")
        return 0
    if scheme.partial_year is PartialPeriod.PAY_WHOLE:
        case.reasons.append(f"{head} = {format_yuan(year_amount)} 元（当年运营 {months} 个月，不足一年按全年发放）。")
        return year_amount
    amount = year_amount * months // 12
    case.reasons.append(
        f"{head} × 运营 {months}/12 个月 = {format_yuan(amount)} 元（不足一年按月折算，不足 1 分的部分舍去）。"
    )
    return amount


def _enrollment(facts: EnrollmentFacts, scheme: Any, case: _Case) -> int:
    first = facts.month.replace(day=1)
    days_in_month = calendar.monthrange(first.year, first.month)[1]
    last = first.replace(day=days_in_month)
    month_text = f"{first.year}年{first.month}月"
    if facts.birth_date > last:
        raise SubsidyFactsError(
            f"出生日期 {facts.birth_date.isoformat()} 晚于补贴月份 {first.year}-{first.month:02d}，"
            "请核对出生日期或月份。"
        )
    if facts.enrolled_on and facts.left_on and facts.left_on < facts.enrolled_on:
        raise SubsidyFactsError(
            f"离托日期 {facts.left_on.isoformat()} 早于入托日期 {facts.enrolled_on.isoformat()}，请核对。"
        )
    limit = scheme.age_limit_months
    reaches = anniversary(facts.birth_date, limit, scheme.missing_anniversary)
    on = first if scheme.age_counted_on is AgeCountedOn.MONTH_START else last
    age = completed_months(facts.birth_date, on, scheme.missing_anniversary)
    counted = f"按{format_date_cn(on)}的月龄"
    born = f"幼儿{format_date_cn(facts.birth_date)}出生"
    if on < facts.birth_date:
        case.reasons.append(f"{born}（当月出生），在补贴年龄内。")
    elif on < reaches:
        case.reasons.append(f"{born}，{counted}为 {age} 个月，未满 {limit} 个月，在补贴年龄内。")
    else:
        case.refuse(f"{born}，{format_date_cn(reaches)}满 {limit} 个月；{counted}已满，不在补贴年龄内。")
    case.condition(
        scheme.requires_filed,
        facts.institution_filed,
        "所在托育机构已备案。",
        "所在托育机构未备案；入托补贴须入托已备案机构。",
    )
    case.condition(
        scheme.requires_puhui,
        facts.institution_puhui,
        "所在托育机构为普惠机构。",
        "所在托育机构不是普惠机构；本政策入托补贴须入托普惠机构。",
    )
    case.rectification(scheme.overdue_major_rectification, facts.overdue_major_rectification)
    start = max(first, facts.enrolled_on or first)
    end = min(last, facts.left_on or last)
    days = (end - start).days + 1 if end >= start else 0
    rate = scheme.amount_per_child_month_fen
    if days == 0:
        case.refuse(f"{month_text}不在托（入托 {_day(facts.enrolled_on)}，离托 {_day(facts.left_on)}）。")
        return 0
    if days == days_in_month:
        case.reasons.append(f"{month_text}在托，每生每月补助 {format_yuan(rate)} 元。")
        return rate
    partial = f"{month_text}在托 {days} 天（共 {days_in_month} 天）"
    if scheme.partial_month is PartialPeriod.PAY_NOTHING:
        case.refuse(f"{partial}，不足一月；本政策规定不足一月不发放。")
        return 0
    if scheme.partial_month is PartialPeriod.PAY_WHOLE:
        case.reasons.append(f"{partial}，不足一月按整月发放：补助 {format_yuan(rate)} 元。")
        return rate
    amount = rate * days // days_in_month
    case.reasons.append(
        f"{partial}，按天折算：{format_yuan(rate)} 元 × {days}/{days_in_month} = {format_yuan(amount)} 元"
        "（不足 1 分的部分舍去）。"
    )
    return amount


_RULES: dict[SubsidyKind, Callable[[Any, Any, _Case], int]] = {
    SubsidyKind.CONSTRUCTION: _construction,
    SubsidyKind.OPERATING: _operating,
    SubsidyKind.ENROLLMENT: _enrollment,
}


def _slots(basis: SlotBasis, filed: int, actual: int | None, case: _Case) -> int:
    """The slot count the policy reads: filed, actual, or the lesser of the two."""
    for label, value in (("托位数", filed), ("实际托位数", actual)):
        if value is not None and value < 0:
            raise SubsidyFactsError(f"{label}不能为负数，现在是 {value}。")
    if basis is SlotBasis.FILED:
        return filed
    if actual is None:
        raise SubsidyFactsError(f"本政策{basis.label}计算，请提供实际托位数（actual_slots）。")
    if basis is SlotBasis.ACTUAL:
        case.reasons.append(f"按实际托位数计算：实际 {actual} 个（备案 {filed} 个）。")
        return actual
    lesser = min(filed, actual)
    case.reasons.append(f"按备案与实际托位数中较少者计算：备案 {filed} 个，实际 {actual} 个，取 {lesser} 个。")
    return lesser


# --------------------------------------------------------------------------- age


def anniversary(birth: date, months: int, missing: MissingAnniversary) -> date:
    """The day a child born on ``birth`` is ``months`` months old (周岁/满月 counted by the calendar).

    The same day of the month, ``months`` later; when that month has no such day (born 29 February,
    or on the 31st), the policy says whether it is the month's last day or the next month's first.
    """
    index = birth.year * 12 + birth.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    days = calendar.monthrange(year, month)[1]
    if birth.day <= days:
        return date(year, month, birth.day)
    last = date(year, month, days)
    return last + timedelta(days=1) if missing is MissingAnniversary.FIRST_OF_NEXT_MONTH else last


def completed_months(birth: date, on: date, missing: MissingAnniversary) -> int:
    """Whole months of age on ``on`` (0 before the first month is complete, and before birth)."""
    months = (on.year - birth.year) * 12 + on.month - birth.month
    while months > 0 and anniversary(birth, months, missing) > on:
        months -= 1
    return max(months, 0)


def _day(value: date | None) -> str:
    return format_date_cn(value) if value else "未填"


@functools.lru_cache(maxsize=32)
def _scheme_parameters(scheme: Any) -> dict[str, Any]:
    """A scheme's parameters, worked out once per scheme: a month's 200,000 children share one.
    Schemes are frozen; the values are shared between results, which only read them."""
    return _plain(scheme)


def _plain(value: Any) -> Any:
    """A scheme as JSON-ready values: enums as their values, amounts in fen."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value
