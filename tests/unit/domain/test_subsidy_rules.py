"""Subsidy rules on the Zhangye policy: every tier edge, every sponsor type, age at month boundaries
and leap days, partial periods, the city/county split — and shares that always add up to the fen."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.amount_words import amount_words
from desktop.domain.enums import SponsorType
from desktop.domain.subsidy_policy import (
    AgeCountedOn,
    CostSplit,
    MissingAnniversary,
    PartialPeriod,
    RectificationRule,
    SlotBasis,
    SubsidyKind,
    SubsidyPolicy,
    parse_policy,
)
from desktop.domain.subsidy_rules import (
    ConstructionFacts,
    EnrollmentFacts,
    OperatingFacts,
    SubsidyFactsError,
    anniversary,
    completed_months,
    compute,
    split_amount,
)
from desktop.paths import resources_dir

ZHANGYE = parse_policy((resources_dir() / "policies" / "zhangye-2026.toml").read_text(encoding="utf-8"))
GANZHOU, SHANDAN = "620702", "620725"
COUNTIES = [split.county_code for split in ZHANGYE.cost_splits]
D = date.fromisoformat
NEXT, LAST = MissingAnniversary.FIRST_OF_NEXT_MONTH, MissingAnniversary.LAST_OF_MONTH


def with_scheme(kind: str, **changes: object) -> SubsidyPolicy:
    return replace(ZHANGYE, **{kind: replace(getattr(ZHANGYE, kind), **changes)})


def construction(slots: int = 60, county: str = GANZHOU, **facts: object) -> ConstructionFacts:
    values: dict = {"filed": True, "meets_standard": True, "previously_granted": False, **facts}
    return ConstructionFacts(county_code=county, slots=slots, **values)


def operating(slots: int = 80, county: str = GANZHOU, **facts: object) -> OperatingFacts:
    values: dict = {"filed": True, "puhui": True, "sponsor_type": SponsorType.SOCIAL, "year": 2026, **facts}
    return OperatingFacts(county_code=county, slots=slots, **values)


def enrollment(birth: str = "2025-01-15", month: str = "2026-03", county: str = GANZHOU, **facts: object):
    values: dict = {"institution_filed": True, "institution_puhui": False, **facts}
    return EnrollmentFacts(county_code=county, birth_date=D(birth), month=D(month + "-01"), **values)


# --------------------------------------------------------------------------- REFERENCE worked examples


def test_sixty_slots_in_ganzhou_get_30000_split_2_to_8() -> None:
    result = compute(construction(60), ZHANGYE)
    assert result.eligible and result.amount_fen == 3_000_000
    assert result.shares_fen == {"city": 600_000, "county": 2_400_000}
    assert result.amount_words == "人民币叁万元整"
    assert result.reasons[0] == "托位 60 个，适用 50–99 档，补助 30,000.00 元。"
    assert result.kind is SubsidyKind.CONSTRUCTION and result.policy == ZHANGYE.identity


@pytest.mark.parametrize(("county", "city_share"), [(GANZHOU, 1_600_000), (SHANDAN, 0)])
def test_eighty_affordable_slots_for_a_year(county: str, city_share: int) -> None:
    result = compute(operating(80, county), ZHANGYE)
    assert result.amount_fen == 8_000_000
    assert result.shares_fen == {"city": city_share, "county": 8_000_000 - city_share}


def test_one_child_for_ten_months_gets_2000() -> None:
    months = [f"2026-{m:02d}" for m in range(1, 11)]
    assert sum(compute(enrollment(month=m), ZHANGYE).amount_fen for m in months) == 200_000


# --------------------------------------------------------------------------- construction


@pytest.mark.parametrize(
    ("slots", "amount_fen", "tier"),
    [
        (1, 1_000_000, "19 个及以下"),
        (19, 1_000_000, "19 个及以下"),
        (20, 2_000_000, "20–49"),
        (49, 2_000_000, "20–49"),
        (50, 3_000_000, "50–99"),
        (99, 3_000_000, "50–99"),
        (100, 5_000_000, "100 个及以上"),
        (1_000, 5_000_000, "100 个及以上"),
    ],
)
def test_every_tier_edge(slots: int, amount_fen: int, tier: str) -> None:
    result = compute(construction(slots), ZHANGYE)
    assert result.eligible and result.amount_fen == amount_fen
    assert f"托位 {slots} 个，适用 {tier} 档" in result.reasons[0]


def test_no_slots_is_no_tier() -> None:
    result = compute(construction(0), ZHANGYE)
    assert not result.eligible and result.amount_fen == 0
    assert result.reasons[0] == "托位 0 个，不属于任何档次。"


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        ({"previously_granted": True}, "已领取过一次性建设补贴"),
        ({"filed": False}, "未登记备案"),
        ({"meets_standard": False}, "未达到国家和省级规范建设要求"),
    ],
)
def test_construction_conditions(facts: dict, reason: str) -> None:
    result = compute(construction(60, **facts), ZHANGYE)
    assert not result.eligible and result.amount_fen == 0 and result.shares_fen == {"city": 0, "county": 0}
    assert any(reason in r for r in result.reasons)
    assert result.reasons[0] == "托位 60 个，适用 50–99 档，该档补助 30,000.00 元。"
    assert result.amount_words == "人民币零元整"


@pytest.mark.parametrize(
    ("basis", "filed", "actual", "amount_fen"),
    [
        (SlotBasis.FILED, 60, 40, 3_000_000),
        (SlotBasis.ACTUAL, 60, 40, 2_000_000),
        (SlotBasis.LESSER, 60, 40, 2_000_000),
        (SlotBasis.LESSER, 45, 120, 2_000_000),
        (SlotBasis.ACTUAL, 45, 120, 5_000_000),
    ],
)
def test_the_slot_count_follows_the_policy(basis: SlotBasis, filed: int, actual: int, amount_fen: int) -> None:
    policy = with_scheme("construction", slot_basis=basis)
    assert compute(construction(filed, actual_slots=actual), policy).amount_fen == amount_fen


def test_actual_slots_are_required_when_the_policy_counts_them() -> None:
    with pytest.raises(SubsidyFactsError, match="actual_slots"):
        compute(construction(60), with_scheme("construction", slot_basis=SlotBasis.ACTUAL))
    with pytest.raises(SubsidyFactsError, match="不能为负数"):
        compute(construction(-1), ZHANGYE)


# --------------------------------------------------------------------------- operating


@pytest.mark.parametrize(
    ("sponsor", "eligible"),
    [
        (SponsorType.SOCIAL, True),
        (SponsorType.KINDERGARTEN_CLASS, True),
        (SponsorType.PUBLIC_INSTITUTION_CLASS, True),
        (SponsorType.EMPLOYER_CLASS, True),
        (SponsorType.COMMUNITY_EMBEDDED, True),
        (SponsorType.PUBLIC, False),
        (SponsorType.MEDICAL, False),
        (SponsorType.HOME_BASED, False),
    ],
)
def test_every_sponsor_type(sponsor: SponsorType, eligible: bool) -> None:
    result = compute(operating(30, sponsor_type=sponsor), ZHANGYE)
    assert result.eligible is eligible
    assert result.amount_fen == (3_000_000 if eligible else 0)
    assert any(sponsor.label in reason for reason in result.reasons)


def test_every_sponsor_type_is_known_to_the_test() -> None:
    assert len(SponsorType) == 8


def test_public_institutions_get_it_when_a_policy_lists_them() -> None:
    listed = ZHANGYE.operating.eligible_sponsor_types  # type: ignore[union-attr]
    policy = with_scheme("operating", eligible_sponsor_types=(*listed, SponsorType.PUBLIC))
    assert compute(operating(30, sponsor_type=SponsorType.PUBLIC), policy).eligible


@pytest.mark.parametrize(("facts", "reason"), [({"filed": False}, "未备案"), ({"puhui": False}, "未执行普惠收费标准")])
def test_operating_conditions(facts: dict, reason: str) -> None:
    result = compute(operating(**facts), ZHANGYE)
    assert not result.eligible and any(reason in r for r in result.reasons)


@pytest.mark.parametrize(
    ("months", "rule", "amount_fen"),
    [
        (12, PartialPeriod.PRORATE, 8_000_000),
        (6, PartialPeriod.PRORATE, 4_000_000),
        (1, PartialPeriod.PRORATE, 666_666),  # 80 × 1000 / 12 = 6,666.666… → 6,666.66
        (7, PartialPeriod.PRORATE, 4_666_666),
        (11, PartialPeriod.PRORATE, 7_333_333),
        (6, PartialPeriod.PAY_WHOLE, 8_000_000),
        (6, PartialPeriod.PAY_NOTHING, 0),
        (12, PartialPeriod.PAY_NOTHING, 8_000_000),
    ],
)
def test_a_partial_year(months: int, rule: PartialPeriod, amount_fen: int) -> None:
    result = compute(operating(80, months_operating=months), with_scheme("operating", partial_year=rule))
    assert result.amount_fen == amount_fen
    assert result.eligible is (amount_fen > 0)


@pytest.mark.parametrize("months", [0, 13, -1])
def test_impossible_operating_months_are_refused(months: int) -> None:
    with pytest.raises(SubsidyFactsError, match="1 到 12"):
        compute(operating(months_operating=months), ZHANGYE)


# --------------------------------------------------------------------------- enrollment: age


@pytest.mark.parametrize(
    ("birth", "months", "missing", "reached"),
    [
        ("2023-03-01", 36, NEXT, "2026-03-01"),
        ("2024-02-29", 36, NEXT, "2027-03-01"),
        ("2024-02-29", 36, LAST, "2027-02-28"),
        ("2024-02-29", 48, NEXT, "2028-02-29"),
        ("2024-02-29", 12, NEXT, "2025-03-01"),
        ("2023-01-31", 1, NEXT, "2023-03-01"),
        ("2023-01-31", 1, LAST, "2023-02-28"),
        ("2023-08-31", 30, NEXT, "2026-03-01"),
        ("2023-08-31", 30, LAST, "2026-02-28"),
        ("2023-12-15", 1, NEXT, "2024-01-15"),
        ("2023-05-31", 0, NEXT, "2023-05-31"),
    ],
)
def test_anniversaries(birth: str, months: int, missing: MissingAnniversary, reached: str) -> None:
    assert anniversary(D(birth), months, missing) == D(reached)


@pytest.mark.parametrize(
    ("birth", "on", "missing", "months"),
    [
        ("2024-02-29", "2027-02-28", NEXT, 35),
        ("2024-02-29", "2027-02-28", LAST, 36),
        ("2024-02-29", "2027-03-01", NEXT, 36),
        ("2023-03-02", "2026-03-01", NEXT, 35),
        ("2023-03-01", "2026-03-01", NEXT, 36),
        ("2026-03-15", "2026-03-01", NEXT, 0),
        ("2026-02-15", "2026-03-14", NEXT, 0),
        ("2026-02-15", "2026-03-15", NEXT, 1),
    ],
)
def test_completed_months(birth: str, on: str, missing: MissingAnniversary, months: int) -> None:
    assert completed_months(D(birth), D(on), missing) == months


@pytest.mark.parametrize(
    ("birth", "month", "counted_on", "missing", "paid"),
    [
        # Counted on the 1st: the month of the third birthday is paid unless the birthday is the 1st.
        ("2023-03-01", "2026-02", AgeCountedOn.MONTH_START, NEXT, True),
        ("2023-03-01", "2026-03", AgeCountedOn.MONTH_START, NEXT, False),
        ("2023-03-02", "2026-03", AgeCountedOn.MONTH_START, NEXT, True),
        ("2023-03-02", "2026-04", AgeCountedOn.MONTH_START, NEXT, False),
        ("2023-03-31", "2026-03", AgeCountedOn.MONTH_START, NEXT, True),
        # Counted on the last day: the month of the third birthday is not paid.
        ("2023-03-31", "2026-03", AgeCountedOn.MONTH_END, NEXT, False),
        ("2023-03-31", "2026-02", AgeCountedOn.MONTH_END, NEXT, True),
        ("2023-04-01", "2026-03", AgeCountedOn.MONTH_END, NEXT, True),
        ("2023-03-01", "2026-02", AgeCountedOn.MONTH_END, NEXT, True),
        # Born on 29 February: the third birthday is 1 March 2027, or 28 February when the policy says so.
        ("2024-02-29", "2027-02", AgeCountedOn.MONTH_START, NEXT, True),
        ("2024-02-29", "2027-02", AgeCountedOn.MONTH_END, NEXT, True),
        ("2024-02-29", "2027-03", AgeCountedOn.MONTH_START, NEXT, False),
        ("2024-02-29", "2027-02", AgeCountedOn.MONTH_START, LAST, True),
        ("2024-02-29", "2027-02", AgeCountedOn.MONTH_END, LAST, False),
        # A baby: the first month counts, including the month of birth.
        ("2026-03-31", "2026-03", AgeCountedOn.MONTH_START, NEXT, True),
        ("2026-03-01", "2026-03", AgeCountedOn.MONTH_END, NEXT, True),
    ],
)
def test_age_at_month_boundaries(
    birth: str, month: str, counted_on: AgeCountedOn, missing: MissingAnniversary, paid: bool
) -> None:
    policy = with_scheme("enrollment", age_counted_on=counted_on, missing_anniversary=missing)
    result = compute(enrollment(birth, month), policy)
    assert result.eligible is paid
    assert result.amount_fen == (20_000 if paid else 0)
    assert ("，在补贴年龄内" in result.reasons[0]) is paid


def test_the_age_reason_names_the_day_and_the_months() -> None:
    result = compute(enrollment("2024-05-03", "2026-03"), ZHANGYE)
    assert result.reasons[0] == "幼儿2024年5月3日出生，按2026年3月1日的月龄为 21 个月，未满 36 个月，在补贴年龄内。"
    too_old = compute(enrollment("2023-03-01", "2026-03"), ZHANGYE)
    assert "2026年3月1日满 36 个月" in too_old.reasons[0]


def test_a_child_born_after_the_month_is_refused() -> None:
    with pytest.raises(SubsidyFactsError, match="晚于补贴月份"):
        compute(enrollment("2026-04-01", "2026-03"), ZHANGYE)


# --------------------------------------------------------------------------- enrollment: partial months


@pytest.mark.parametrize(
    ("month", "enrolled_on", "left_on", "rule", "amount_fen"),
    [
        ("2026-03", None, None, PartialPeriod.PRORATE, 20_000),
        ("2026-03", "2026-03-01", "2026-03-31", PartialPeriod.PRORATE, 20_000),
        ("2026-03", "2026-02-01", None, PartialPeriod.PAY_NOTHING, 20_000),
        ("2026-02", "2026-02-15", None, PartialPeriod.PRORATE, 10_000),  # 14 of 28 days
        ("2026-01", "2026-01-21", None, PartialPeriod.PRORATE, 7_096),  # 11 of 31 days: 70.967… → 70.96
        ("2024-02", None, "2024-02-01", PartialPeriod.PRORATE, 689),  # 1 of 29 days (leap February)
        ("2026-01", "2026-01-21", None, PartialPeriod.PAY_WHOLE, 20_000),
        ("2026-01", "2026-01-31", None, PartialPeriod.PAY_WHOLE, 20_000),
        ("2026-01", None, "2026-01-10", PartialPeriod.PAY_WHOLE, 20_000),
        ("2026-01", "2026-01-21", None, PartialPeriod.PAY_NOTHING, 0),
        ("2026-01", "2026-01-05", "2026-01-05", PartialPeriod.PRORATE, 645),  # one day
        ("2026-01", "2026-02-01", None, PartialPeriod.PAY_WHOLE, 0),  # not yet in care
        ("2026-01", None, "2025-12-31", PartialPeriod.PAY_WHOLE, 0),  # already left
    ],
)
def test_partial_months(
    month: str, enrolled_on: str | None, left_on: str | None, rule: PartialPeriod, amount_fen: int
) -> None:
    facts = enrollment("2023-06-15", month, enrolled_on=enrolled_on and D(enrolled_on), left_on=left_on and D(left_on))
    result = compute(facts, with_scheme("enrollment", partial_month=rule))
    assert result.amount_fen == amount_fen
    assert result.eligible is (amount_fen > 0)


def test_leaving_before_enrolling_is_refused() -> None:
    with pytest.raises(SubsidyFactsError, match="早于入托日期"):
        compute(enrollment(enrolled_on=D("2026-03-10"), left_on=D("2026-03-09")), ZHANGYE)


@pytest.mark.parametrize(
    ("requires_filed", "requires_puhui", "filed", "puhui", "eligible"),
    [
        (True, False, True, False, True),  # Zhangye's default
        (True, False, False, True, False),
        (False, False, False, False, True),
        (True, True, True, False, False),
        (True, True, True, True, True),
    ],
)
def test_whether_the_institution_must_be_filed_or_puhui(
    requires_filed: bool, requires_puhui: bool, filed: bool, puhui: bool, eligible: bool
) -> None:
    policy = with_scheme("enrollment", requires_filed=requires_filed, requires_puhui=requires_puhui)
    facts = enrollment(institution_filed=filed, institution_puhui=puhui)
    assert compute(facts, policy).eligible is eligible


# --------------------------------------------------------------------------- overdue rectification


@pytest.mark.parametrize("kind", ["construction", "operating", "enrollment"])
@pytest.mark.parametrize(
    ("rule", "overdue", "eligible", "warned"),
    [
        (RectificationRule.WARN, True, True, True),
        (RectificationRule.WARN, None, True, False),
        (RectificationRule.BLOCK, True, False, False),
        (RectificationRule.BLOCK, False, True, False),
        (RectificationRule.IGNORE, True, True, False),
    ],
)
def test_an_overdue_major_rectification(
    kind: str, rule: RectificationRule, overdue: bool | None, eligible: bool, warned: bool
) -> None:
    facts = {"construction": construction, "operating": operating, "enrollment": enrollment}[kind](
        overdue_major_rectification=overdue
    )
    result = compute(facts, with_scheme(kind, overdue_major_rectification=rule))
    assert result.eligible is eligible
    assert bool(result.warnings) is warned
    if not eligible:
        assert any("逾期未完成的重大问题整改" in r for r in result.reasons)


# --------------------------------------------------------------------------- split and policy


@pytest.mark.parametrize(
    ("amount", "city_percent", "shares"),
    [
        (3_000_000, 20, (600_000, 2_400_000)),
        (1, 20, (0, 1)),
        (291_666, 20, (58_333, 233_333)),
        (7_096, 20, (1_419, 5_677)),
        (999, 33, (329, 670)),
        (8_000_000, 0, (0, 8_000_000)),
        (8_000_000, 100, (8_000_000, 0)),
    ],
)
def test_the_city_share_is_rounded_down_and_the_county_pays_the_rest(
    amount: int, city_percent: int, shares: tuple
) -> None:
    split = CostSplit("620702", "甘州区", city_percent, 100 - city_percent)
    assert split_amount(amount, split) == shares


def test_a_county_outside_the_policy_is_refused() -> None:
    with pytest.raises(SubsidyFactsError, match="县区代码 610102 不在政策“zhangye-2026”的分担比例表中"):
        compute(construction(county="610102"), ZHANGYE)


def test_a_scheme_the_policy_does_not_have_is_refused() -> None:
    with pytest.raises(SubsidyFactsError, match="没有入托补贴"):
        compute(enrollment(), replace(ZHANGYE, enrollment=None))


def test_the_result_carries_the_parameters_used() -> None:
    result = compute(enrollment(), ZHANGYE)
    assert result.parameters["age_counted_on"] == "month_start"
    assert result.parameters["partial_month"] == "pay_whole"
    assert result.parameters["amount_per_child_month_fen"] == 20_000
    assert (result.parameters["city_percent"], result.parameters["county_percent"]) == (20, 80)
    assert compute(construction(), ZHANGYE).parameters["tiers"][0] == {
        "min_slots": 1,
        "max_slots": 19,
        "amount_fen": 1_000_000,
    }


# --------------------------------------------------------------------------- properties


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=100))
def test_shares_always_add_up_to_the_amount(amount: int, city_percent: int) -> None:
    city, county = split_amount(amount, CostSplit("620702", "甘州区", city_percent, 100 - city_percent))
    assert city + county == amount
    assert 0 <= city * 100 <= amount * city_percent < (city + 1) * 100


@given(
    st.integers(min_value=0, max_value=5_000),
    st.integers(min_value=1, max_value=12),
    st.sampled_from(COUNTIES),
    st.sampled_from(list(SponsorType)),
    st.integers(min_value=0, max_value=50_000_00).map(lambda y: max(y, 1)),
    st.integers(min_value=0, max_value=100),
)
def test_operating_shares_add_up_for_any_facts_and_split(
    slots: int, months: int, county: str, sponsor: SponsorType, rate: int, city_percent: int
) -> None:
    splits = tuple(
        replace(s, city_percent=city_percent, county_percent=100 - city_percent) for s in ZHANGYE.cost_splits
    )
    policy = replace(with_scheme("operating", amount_per_slot_year_fen=rate), cost_splits=splits)
    result = compute(operating(slots, county, months_operating=months, sponsor_type=sponsor), policy)
    assert result.shares_fen["city"] + result.shares_fen["county"] == result.amount_fen
    assert result.amount_fen <= slots * rate
    assert result.amount_words == amount_words(result.amount_fen)
    assert result.eligible is (result.amount_fen > 0)


@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2029, 12, 31)),
    st.dates(min_value=date(2023, 1, 1), max_value=date(2029, 12, 31)),
    st.sampled_from(list(AgeCountedOn)),
    st.sampled_from(list(MissingAnniversary)),
    st.sampled_from(list(PartialPeriod)),
    st.sampled_from(COUNTIES),
)
def test_enrollment_shares_add_up_and_never_exceed_the_monthly_rate(
    birth: date, month: date, counted_on: AgeCountedOn, missing: MissingAnniversary, partial: PartialPeriod, county: str
) -> None:
    month = month.replace(day=1)
    if birth > month.replace(day=28):
        return
    policy = with_scheme("enrollment", age_counted_on=counted_on, missing_anniversary=missing, partial_month=partial)
    facts = EnrollmentFacts(county, birth, month, True, False, enrolled_on=birth)
    result = compute(facts, policy)
    assert sum(result.shares_fen.values()) == result.amount_fen <= 20_000
    # Under the age limit on the counting day is exactly what decides the age condition.
    on = month if counted_on is AgeCountedOn.MONTH_START else result_month_end(month)
    if on >= anniversary(birth, 36, missing):
        assert not result.eligible


def result_month_end(first: date) -> date:
    import calendar

    return first.replace(day=calendar.monthrange(first.year, first.month)[1])
