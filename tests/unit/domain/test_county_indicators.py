"""The arithmetic of a county's main indicators: counting day, population, per 1,000, rates, state on a day.

Formulas from shared/domain/REFERENCE.md §1.3: slots per 1,000 = slots ÷ resident population × 1,000; township
coverage = townships with a 普惠 institution ÷ all townships.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from desktop.domain.county_indicators import (
    PopulationFigure,
    counting_day,
    percentage,
    population_for,
    slots_per_1000,
    state_on,
)
from desktop.domain.enums import FilingStatus, OperatingStatus
from desktop.domain.enums import InstitutionEventKind as Kind
from desktop.domain.lifecycle_rules import LifecycleEvent

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2026, TODAY), (2025, date(2025, 12, 31)), (2019, date(2019, 12, 31))],
)
def test_this_year_is_counted_today_and_a_past_year_on_its_last_day(year: int, expected: date) -> None:
    assert counting_day(year, TODAY) == expected


def test_a_year_not_yet_begun_cannot_be_counted() -> None:
    with pytest.raises(ValueError, match="2027 年还没有开始"):
        counting_day(2027, TODAY)


CENSUS_2010 = PopulationFigure(2010, 143_446, "第六次人口普查")
CENSUS_2020 = PopulationFigure(2020, 125_700, "第七次人口普查")


@pytest.mark.parametrize(
    ("year", "figures", "expected"),
    [
        (2026, [CENSUS_2010, CENSUS_2020], CENSUS_2020),  # the latest before the year
        (2020, [CENSUS_2010, CENSUS_2020], CENSUS_2020),  # the year's own figure
        (2015, [CENSUS_2010, CENSUS_2020], CENSUS_2010),  # never a later year's
        (2009, [CENSUS_2010, CENSUS_2020], None),
        (2026, [], None),
        (2026, [PopulationFigure(2021, 0, "空")], None),  # a zero is no population
    ],
)
def test_the_population_is_the_latest_figure_of_the_year_or_before(year, figures, expected) -> None:
    assert population_for(year, figures) == expected


@pytest.mark.parametrize(
    ("slots", "resident", "expected"),
    [
        (4_638, 519_096, Decimal("8.93")),  # 甘州区 demo: 8.9347…
        (450, 100_000, Decimal("4.50")),  # exactly the target
        (1, 3_000, Decimal("0.33")),
        (1, 400, Decimal("2.50")),  # 2.5 exactly
        (1, 800, Decimal("1.25")),
        (1, 1_600, Decimal("0.63")),  # 0.625 rounds half up, not to even
        (0, 519_096, Decimal("0.00")),
        (100, None, None),
        (100, 0, None),
    ],
)
def test_slots_per_1000_people(slots: int, resident: int | None, expected: Decimal | None) -> None:
    assert slots_per_1000(slots, resident) == expected


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (17, 23, Decimal("73.9")),  # 73.913…
        (46, 66, Decimal("69.7")),
        (1, 8, Decimal("12.5")),
        (1, 16, Decimal("6.3")),  # 6.25 half up
        (3, 3, Decimal("100.0")),
        (0, 5, Decimal("0.0")),
        (0, 0, None),  # nothing to cover is no rate, not 100%
        (4, 0, None),
    ],
)
def test_percentages_to_one_decimal(part: int, whole: int, expected: Decimal | None) -> None:
    assert percentage(part, whole) == expected


HISTORY = [
    LifecycleEvent(Kind.FILED, date(2024, 2, 1), document_number="甘张甘卫托备〔2024〕1号"),
    LifecycleEvent(Kind.PUHUI_RECOGNIZED, date(2024, 2, 1)),
    LifecycleEvent(Kind.OPENED, date(2024, 3, 1)),
    LifecycleEvent(Kind.SUSPENDED, date(2025, 6, 10), reason="装修"),
    LifecycleEvent(Kind.RESUMED, date(2025, 9, 1)),
    LifecycleEvent(Kind.PUHUI_REVOKED, date(2026, 1, 5), reason="未执行普惠收费"),
    LifecycleEvent(Kind.CLOSED, date(2026, 8, 31), reason="停办"),
]


@pytest.mark.parametrize(
    ("day", "filing", "puhui", "operating"),
    [
        (date(2024, 1, 31), FilingStatus.NOT_FILED, False, OperatingStatus.PREPARING),
        (date(2024, 2, 1), FilingStatus.FILED, True, OperatingStatus.PREPARING),
        (date(2024, 12, 31), FilingStatus.FILED, True, OperatingStatus.OPERATING),
        (date(2025, 6, 10), FilingStatus.FILED, True, OperatingStatus.SUSPENDED),  # the day itself is suspended
        (date(2025, 12, 31), FilingStatus.FILED, True, OperatingStatus.OPERATING),
        (date(2026, 3, 1), FilingStatus.FILED, False, OperatingStatus.OPERATING),
        (date(2026, 11, 23), FilingStatus.FILED, False, OperatingStatus.CLOSED),
    ],
)
def test_an_institutions_state_on_a_day_follows_its_events(day, filing, puhui, operating) -> None:
    state = state_on(HISTORY, day)
    assert (state.filing_status, state.puhui, state.operating_status) == (filing, puhui, operating)


def test_events_of_one_day_apply_in_lifecycle_order_whatever_order_they_come_in() -> None:
    same_day = [
        LifecycleEvent(Kind.CLOSED, date(2026, 5, 1), reason="停办"),
        LifecycleEvent(Kind.OPENED, date(2026, 5, 1)),
    ]
    assert state_on(same_day, date(2026, 5, 1)).operating_status is OperatingStatus.CLOSED
    assert state_on(list(reversed(same_day)), date(2026, 5, 1)).operating_status is OperatingStatus.CLOSED
