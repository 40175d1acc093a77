"""The same person employed at two institutions at the same time (重复任职).

Pure: ``today`` is a parameter. People are matched by normalised resident ID number, with a
legacy 15-digit number read as its 18-digit successor, so one person typed two ways is still one
person. Periods are inclusive of both ends (``employed_until`` is the last day worked); an
open end runs to ``today``, an unknown start reaches back indefinitely.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from desktop.domain.identifiers import (
    id_number_check_char,
    mask_id_number,
    mask_id_numbers_in,
    normalize_identifier,
)
from desktop.domain.problems import Problem, Severity

__all__ = ["Employment", "double_employment_problem", "find_double_employment", "person_key"]


@dataclass(frozen=True, slots=True)
class Employment:
    """One staff record: ``key`` identifies it (unique in one call), ``institution_key`` its employer."""

    key: Hashable
    id_number: str | None
    institution_key: Hashable
    employed_from: date | None = None
    employed_until: date | None = None


def person_key(id_number: str | None) -> str | None:
    """The ID number that identifies a person, or None when there is none to match on."""
    value = normalize_identifier(id_number or "")
    if len(value) == 15 and value.isascii() and value.isdigit():
        upgraded = value[:6] + "19" + value[6:]  # the 18-digit successor (GB 11643-1999)
        return upgraded + id_number_check_char(upgraded)
    return value or None


def find_double_employment(employments: Iterable[Employment], *, today: date) -> dict[Hashable, tuple[Hashable, ...]]:
    """For each employment that overlaps one at another institution, those institutions' keys.

    Only flagged employments appear; institutions are listed once each, in input order. The
    result is symmetric: if A's entry names B's institution, B's entry names A's.
    """
    by_person: dict[str, list[tuple[date, date, int, Employment]]] = {}
    for order, employment in enumerate(employments):
        person = person_key(employment.id_number)
        start = employment.employed_from or date.min
        end = employment.employed_until or today
        # An empty period (reversed dates, or an open-ended job that starts after today) cannot
        # overlap anything yet; reversed dates are check_staff's error.
        if person is None or end < start:
            continue
        by_person.setdefault(person, []).append((start, end, order, employment))

    found: dict[Hashable, dict[Hashable, int]] = {}
    for periods in by_person.values():
        if len(periods) < 2:
            continue
        periods.sort(key=lambda period: (period[0], period[2]))
        active: list[tuple[date, date, int, Employment]] = []
        for period in periods:
            start, _, order, employment = period
            # Sorted by start, so anything still active overlaps this period.
            active = [other for other in active if other[1] >= start]
            for _, _, other_order, other in active:
                if other.institution_key != employment.institution_key:
                    _note(found, employment.key, other.institution_key, other_order)
                    _note(found, other.key, employment.institution_key, order)
            active.append(period)
    # Ordered by where the other employment came in the input, so the result does not depend on
    # the order in which overlaps were discovered.
    return {key: tuple(sorted(institutions, key=institutions.__getitem__)) for key, institutions in found.items()}


def _note(found: dict[Hashable, dict[Hashable, int]], key: Hashable, institution: Hashable, order: int) -> None:
    """Record that ``key`` overlaps ``institution``, remembering the earliest input position."""
    institutions = found.setdefault(key, {})
    institutions[institution] = min(order, institutions.get(institution, order))


def double_employment_problem(id_number: str, other_institution_names: Sequence[str]) -> Problem:
    """The warning for one flagged employment; the ID number is shown masked."""
    # Names are masked too, in case an ID number was typed where a name belongs.
    places = mask_id_numbers_in("、".join(f"「{name}」" for name in other_institution_names)) or "其他机构"
    return Problem(
        "staff.double_employment",
        f"身份证号 {mask_id_number(id_number)} 的人员在任职期间同时在{places}任职。"
        "同一人员不应同时在两家托育机构任职，请核实任职起止日期；如已离职，请填写离职日期。",
        Severity.WARNING,
        "employed_until",
    )
