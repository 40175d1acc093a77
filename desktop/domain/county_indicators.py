"""The arithmetic of a county's main indicators (主要指标): the day they are counted on, the population that is the
denominator, slots per 1,000 people, coverage and completion rates, and an institution's state on a past day.

Pure: the caller counts the rows and passes the numbers in. Formulas, as shared/domain/REFERENCE.md §1.3 gives them
(derived there from the seeds 001 and 003):

- 每千人口拥有3岁以下婴幼儿托位数 = slots ÷ resident population (常住人口) × 1,000; the target for 2025 is 4.5
  (seeds 001 and 003). That the denominator is the resident population is marked [M] (to verify) there.
- 普惠托育机构乡镇（街道）覆盖率 = townships and streets with at least one 普惠 institution ÷ all of the county's.
- Rates are written as percentages with one decimal; a rate of nothing (0 ÷ 0) is no rate, never 100% or 0%.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from desktop.domain.enums import InstitutionEventKind
from desktop.domain.lifecycle_rules import LifecycleEvent, LifecycleState, apply_event

SLOTS_PER_1000_TARGET = Decimal("4.5")  # by 2025: seeds 001 (Jiangsu, "4.5左右") and 003 (Gansu), REFERENCE §1.3
PER_1000_PLACES = Decimal("0.01")
PERCENT_PLACES = Decimal("0.1")
_EVENT_ORDER = {kind: position for position, kind in enumerate(InstitutionEventKind)}  # same-day events in order


def counting_day(year: int, today: date) -> date:
    """The day a year's figures are counted on: today for this year, 31 December for a past one.

    Raises ValueError (in Chinese) for a year that has not begun.
    """
    if year > today.year:
        raise ValueError(f"{year} 年还没有开始，没有可统计的数据。请选择 {today.year} 年或更早的年份。")
    return today if year == today.year else date(year, 12, 31)


@dataclass(frozen=True)
class PopulationFigure:
    """A region's resident population in one year, with where the figure comes from."""

    year: int
    resident: int
    source: str


def population_for(year: int, figures: Iterable[PopulationFigure]) -> PopulationFigure | None:
    """The latest figure of ``year`` or before (censuses come once in ten years); None when there is none.

    A later year's figure is never used for an earlier year: it would count people not yet there.
    """
    usable = [figure for figure in figures if figure.year <= year and figure.resident > 0]
    return max(usable, key=lambda figure: figure.year, default=None)


def slots_per_1000(slots: int, resident: int | None) -> Decimal | None:
    """托位数 ÷ 常住人口 × 1000, to two decimals (half up); None without a population."""
    if not resident or resident <= 0:
        return None
    return (Decimal(slots) * 1000 / Decimal(resident)).quantize(PER_1000_PLACES, rounding=ROUND_HALF_UP)


def percentage(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in per cent to one decimal (half up); None when ``whole`` is 0."""
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)


def state_on(events: Iterable[LifecycleEvent], day: date) -> LifecycleState:
    """An institution's filing, 普惠 and operating state at the end of ``day``, from its dated events.

    Events of the same day apply in lifecycle order (filed before recognised, opened before closed), as the
    register applies them. The day of a suspension or closure already counts as suspended or closed.
    """
    state = LifecycleState()
    for event in sorted(events, key=lambda e: (e.occurred_on, _EVENT_ORDER[e.kind])):
        if event.occurred_on > day:
            break
        state = apply_event(state, event)
    return state
