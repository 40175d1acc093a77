"""Working days on the Chinese official calendar: weekends, statutory holidays and 调休 make-up days.

Pure. Rules take a ``WorkingDayCalendar`` as a parameter and never import the calendar package
themselves, so that tests can pass a synthetic calendar and the data source can be replaced
(a newer package, or a schedule shipped as data) without touching any rule.

The official calendar comes from the ``chinesecalendar`` package (MIT licence,
https://github.com/LKI/chinese-calendar), which transcribes each year's 国务院办公厅《关于××年
部分节假日安排的通知》. Version 1.11 covers 2004–2026. The State Council publishes the next year's
schedule around November, and a new package release follows; until the application is updated,
days after the covered range are counted by weekends alone and every deadline that touches them is
flagged ``estimated`` so that the screen and the notice can say so. Nothing is guessed silently.

One limit of any year-by-year source: a 元旦 schedule can move the last days of the *previous*
December (e.g. 2018-12-29, a Saturday, was a working day by the 2019 notice). The last weeks of
the final covered year are therefore only as good as the data the package had when it was released.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Protocol

__all__ = [
    "Deadline",
    "HolidayScheduleCalendar",
    "WeekendOnlyCalendar",
    "WorkingDayCalendar",
    "add_working_days",
    "is_weekend",
    "official_calendar",
]

_ONE_DAY = timedelta(days=1)


class WorkingDayCalendar(Protocol):
    """Which days are working days, and for which days that answer is authoritative."""

    def is_working_day(self, day: date) -> bool:
        """True when offices work on ``day``. Only meaningful where ``covers(day)`` is true."""
        ...

    def covers(self, day: date) -> bool:
        """True when the calendar knows the official holiday schedule for ``day``."""
        ...


def is_weekend(day: date) -> bool:
    return day.weekday() >= 5


@dataclass(frozen=True)
class HolidayScheduleCalendar:
    """A published holiday schedule over a known range of days.

    ``holidays`` are days off that would otherwise be working days or fall inside a holiday
    block (weekend days in the block may be listed too; they change nothing). ``make_up_days``
    are the 调休 Saturdays and Sundays that are working days.
    """

    holidays: frozenset[date]
    make_up_days: frozenset[date]
    first_day: date
    last_day: date
    source: str = ""

    def __post_init__(self) -> None:
        if self.first_day > self.last_day:
            raise ValueError(f"日历范围无效：{self.first_day} 晚于 {self.last_day}")
        both = self.holidays & self.make_up_days
        if both:
            raise ValueError(f"同一天不能既是节假日又是调休上班日：{min(both).isoformat()}")

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def is_working_day(self, day: date) -> bool:
        if not self.covers(day):
            # Refuse rather than guess: callers that can live with an estimate go through
            # add_working_days, which falls back to weekends and says so.
            raise ValueError(
                f"{day.isoformat()} 不在已收录的法定节假日安排范围内"
                f"（{self.first_day.isoformat()} 至 {self.last_day.isoformat()}）"
            )
        if day in self.make_up_days:
            return True
        return not is_weekend(day) and day not in self.holidays


@dataclass(frozen=True)
class WeekendOnlyCalendar:
    """Monday to Friday are working days; covers nothing, so every deadline from it is an estimate."""

    def covers(self, day: date) -> bool:
        return False

    def is_working_day(self, day: date) -> bool:
        return not is_weekend(day)


@cache
def official_calendar() -> HolidayScheduleCalendar:
    """The national holiday schedule as transcribed by the installed ``chinesecalendar`` release."""
    # Imported here so that only this factory depends on the package; the rules see the protocol.
    import chinese_calendar

    years = [day.year for day in chinese_calendar.holidays]
    return HolidayScheduleCalendar(
        holidays=frozenset(chinese_calendar.holidays),
        make_up_days=frozenset(chinese_calendar.workdays),
        first_day=date(min(years), 1, 1),
        last_day=date(max(years), 12, 31),
        source=f"chinesecalendar {chinese_calendar.__version__}（国务院办公厅历年部分节假日安排的通知）",
    )


@dataclass(frozen=True)
class Deadline:
    """The last day of a period of working days.

    ``estimated`` is true when some day of the period lay outside the calendar's known schedule
    and was counted as a working day merely because it is Monday to Friday: the real deadline may
    be later (a holiday) or earlier (a make-up day), so the user must be told.
    """

    due: date
    working_days: int
    estimated: bool = False


def add_working_days(start: date, days: int, calendar: WorkingDayCalendar) -> Deadline:
    """The ``days``-th working day after ``start`` — the last day of "``days``个工作日内".

    ``start`` itself never counts, whether or not it is a working day: counting begins the next
    day, as 《民法典》第二百零一条 provides for periods ("开始的当日不计入，自下一日开始计算").
    So a notice given on a Friday with 1 working day is due the following Monday. ``days == 0``
    means "immediately" and returns ``start``.

    Days the calendar does not cover are judged by weekends alone and mark the result
    ``estimated``; see ``Deadline``.
    """
    if days < 0:
        raise ValueError(f"工作日数不能为负数：{days}")
    day = start
    remaining = days
    estimated = False
    while remaining:
        day += _ONE_DAY
        if calendar.covers(day):
            working = calendar.is_working_day(day)
        else:
            working = not is_weekend(day)
            estimated = True
        if working:
            remaining -= 1
    return Deadline(due=day, working_days=days, estimated=estimated)
