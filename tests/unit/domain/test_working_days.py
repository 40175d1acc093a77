"""Working-day deadlines on the Chinese calendar: holidays, 调休 make-up days, weekends, and beyond.

Expected dates were worked out by hand from the State Council holiday notices for 2025 and 2026
(国务院办公厅《关于2025年部分节假日安排的通知》《关于2026年部分节假日安排的通知》), so they check
the package's data as well as our counting.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.working_days import (
    Deadline,
    HolidayScheduleCalendar,
    WeekendOnlyCalendar,
    add_working_days,
    is_weekend,
    official_calendar,
)

CAL = official_calendar()
D = date.fromisoformat


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Plain weeks: the start day never counts, weekends are skipped.
        ("2025-03-03", 1, "2025-03-04"),
        ("2025-03-03", 5, "2025-03-10"),
        ("2025-03-07", 1, "2025-03-10"),
        ("2025-03-08", 1, "2025-03-10"),
        # 2025 春节 1/28–2/4 off; Sun 1/26 and Sat 2/8 worked.
        ("2025-01-24", 1, "2025-01-26"),
        ("2025-01-24", 2, "2025-01-27"),
        ("2025-01-24", 3, "2025-02-05"),
        ("2025-02-07", 1, "2025-02-08"),
        # 2025 劳动节 5/1–5/5 off.
        ("2025-04-30", 1, "2025-05-06"),
        # 2025 国庆+中秋 10/1–10/8 off; Sun 9/28 and Sat 10/11 worked.
        ("2025-09-26", 1, "2025-09-28"),
        ("2025-09-30", 1, "2025-10-09"),
        ("2025-09-30", 3, "2025-10-11"),
        ("2025-10-10", 1, "2025-10-11"),
        # 2026 元旦 1/1–1/3 off; Sun 1/4 worked. Counting crosses the year boundary.
        ("2025-12-31", 1, "2026-01-04"),
        ("2025-12-31", 2, "2026-01-05"),
        # 2026 春节 2/15–2/23 off; Sat 2/14 and Sat 2/28 worked.
        ("2026-02-13", 1, "2026-02-14"),
        ("2026-02-13", 2, "2026-02-24"),
        ("2026-02-27", 1, "2026-02-28"),
        # 2026 清明 4/4–4/6 off.
        ("2026-04-03", 1, "2026-04-07"),
        # 2026 劳动节 5/1–5/5 off; Sat 5/9 worked.
        ("2026-04-30", 3, "2026-05-08"),
        ("2026-04-30", 4, "2026-05-09"),
        # 2026 端午 6/19–6/21 off.
        ("2026-06-18", 1, "2026-06-22"),
        # 2026 中秋 9/25–9/27 off; Sun 9/20 worked (for 国庆).
        ("2026-09-15", 10, "2026-09-29"),
        ("2026-09-18", 1, "2026-09-20"),
        # 2026 国庆 10/1–10/7 off; Sat 10/10 worked. A finding on 9/30 with 5 working days
        # runs past the whole holiday: 10/8, 10/9, 10/10 (Sat, worked), 10/12, 10/13.
        ("2026-09-30", 5, "2026-10-13"),
        ("2026-10-03", 1, "2026-10-08"),
    ],
)
def test_deadline_on_the_official_calendar(start: str, days: int, due: str) -> None:
    assert add_working_days(D(start), days, CAL) == Deadline(D(due), days, estimated=False)


@pytest.mark.parametrize(
    "day",
    ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
     "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
)  # fmt: skip
def test_make_up_weekend_days_are_working_days(day: str) -> None:
    assert is_weekend(D(day))
    assert CAL.is_working_day(D(day))


@pytest.mark.parametrize(
    "day",
    ["2025-01-01", "2025-01-28", "2025-02-04", "2025-04-04", "2025-05-05", "2025-06-02", "2025-10-08",
     "2026-01-02", "2026-02-16", "2026-02-23", "2026-04-06", "2026-05-04", "2026-05-05", "2026-06-19",
     "2026-09-25", "2026-10-01", "2026-10-07"],
)  # fmt: skip
def test_weekday_holidays_are_not_working_days(day: str) -> None:
    assert not is_weekend(D(day))
    assert not CAL.is_working_day(D(day))


def test_calendar_agrees_with_the_package_on_every_day_of_2025_and_2026() -> None:
    day = D("2025-01-01")
    while day.year <= 2026:
        assert CAL.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_official_calendar_names_its_source_and_range() -> None:
    assert CAL.first_day == D("2004-01-01")
    assert CAL.last_day.year >= 2026
    assert CAL.last_day == date(CAL.last_day.year, 12, 31)
    assert "chinesecalendar" in CAL.source


@pytest.mark.parametrize(
    ("day", "covered"),
    [("2003-12-31", False), ("2004-01-01", True), ("2026-12-31", True), ("2035-06-01", False)],
)
def test_covers_the_years_the_package_knows(day: str, covered: bool) -> None:
    assert CAL.covers(D(day)) is covered


def test_is_working_day_outside_the_range_refuses_to_guess() -> None:
    with pytest.raises(ValueError, match="不在已收录的法定节假日安排范围内"):
        CAL.is_working_day(D("2035-06-01"))


def test_beyond_the_calendar_counts_weekends_only_and_says_so() -> None:
    # 2035-09-28 is a Friday; no holiday schedule is known, so Monday to Friday count.
    assert add_working_days(D("2035-09-28"), 5, CAL) == Deadline(D("2035-10-05"), 5, estimated=True)


def test_a_period_that_leaves_the_calendar_is_estimated() -> None:
    last = CAL.last_day
    inside = add_working_days(last - timedelta(days=20), 1, CAL)
    assert not inside.estimated
    assert add_working_days(last, 1, CAL).estimated
    assert add_working_days(last - timedelta(days=3), 10, CAL).estimated


def test_a_period_that_ends_before_an_uncovered_day_is_not_estimated() -> None:
    # The day after the start is what counts first, so a start just before the range is fine.
    schedule = HolidayScheduleCalendar(frozenset(), frozenset(), D("2026-01-01"), D("2026-12-31"))
    assert add_working_days(D("2025-12-31"), 1, schedule) == Deadline(D("2026-01-01"), 1, estimated=False)
    assert add_working_days(D("2026-12-31"), 1, schedule) == Deadline(D("2027-01-01"), 1, estimated=True)


def test_an_uncovered_weekend_also_marks_the_deadline_estimated() -> None:
    # An unknown Saturday might have been a make-up working day, so skipping it is a guess too.
    schedule = HolidayScheduleCalendar(frozenset(), frozenset(), D("2026-01-01"), D("2026-12-31"))
    assert add_working_days(D("2027-01-01"), 1, schedule) == Deadline(D("2027-01-04"), 1, estimated=True)


def test_weekend_only_calendar_is_always_an_estimate() -> None:
    assert add_working_days(D("2026-09-30"), 5, WeekendOnlyCalendar()) == Deadline(D("2026-10-07"), 5, True)


def test_zero_days_means_today_and_negative_days_are_refused() -> None:
    assert add_working_days(D("2026-10-03"), 0, CAL) == Deadline(D("2026-10-03"), 0, estimated=False)
    with pytest.raises(ValueError, match="不能为负数"):
        add_working_days(D("2026-10-03"), -1, CAL)


def test_a_schedule_cannot_call_one_day_both_holiday_and_working_day() -> None:
    with pytest.raises(ValueError, match="既是节假日又是调休上班日"):
        HolidayScheduleCalendar(frozenset({D("2026-10-10")}), frozenset({D("2026-10-10")}), D("2026-01-01"),
                                D("2026-12-31"))  # fmt: skip
    with pytest.raises(ValueError, match="日历范围无效"):
        HolidayScheduleCalendar(frozenset(), frozenset(), D("2026-12-31"), D("2026-01-01"))


def _working(day: date) -> bool:
    return CAL.is_working_day(day) if CAL.covers(day) else not is_weekend(day)


@given(
    start=st.dates(min_value=D("2004-01-01"), max_value=D("2040-12-31")),
    days=st.integers(min_value=1, max_value=60),
)
def test_deadline_is_the_nth_working_day_strictly_after_the_start(start: date, days: int) -> None:
    deadline = add_working_days(start, days, CAL)
    assert deadline.due > start
    assert _working(deadline.due)
    span = [start + timedelta(days=offset) for offset in range(1, (deadline.due - start).days + 1)]
    assert sum(_working(day) for day in span) == days
    assert deadline.estimated == (not all(CAL.covers(day) for day in span))


@given(
    start=st.dates(min_value=D("2004-01-01"), max_value=D("2040-12-31")),
    days=st.integers(min_value=0, max_value=40),
)
def test_one_more_working_day_is_always_a_later_deadline(start: date, days: int) -> None:
    assert add_working_days(start, days + 1, CAL).due > add_working_days(start, days, CAL).due
