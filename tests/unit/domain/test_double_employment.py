"""find_double_employment: overlapping periods at different institutions, checked against a brute-force
oracle; the warning masks the ID number."""

from __future__ import annotations

import re
from collections.abc import Hashable
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.double_employment import (
    Employment,
    double_employment_problem,
    find_double_employment,
    person_key,
)
from desktop.domain.identifiers import make_id_number, normalize_identifier
from desktop.domain.problems import Severity

TODAY = date(2026, 3, 1)
ID = make_id_number("620702", date(1990, 1, 1), 123)
OTHER_ID = make_id_number("620702", date(1991, 2, 2), 456)


def d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        (("2025-01-01", "2025-03-31"), ("2025-04-01", None), False),
        (("2025-01-01", "2025-03-31"), ("2025-03-31", None), True),
        (("2025-01-01", "2025-12-31"), ("2025-03-01", "2025-04-30"), True),
        (("2025-01-01", None), ("2025-06-01", None), True),
        ((None, None), ("2020-01-01", "2020-01-01"), True),
        (("2025-01-01", "2025-12-31"), ("2026-01-01", None), False),
        (("2025-01-01", None), ("2026-03-02", None), False),
        (("2025-01-01", None), ("2026-03-01", None), True),
        (("2025-01-01", None), ("2026-04-01", "2026-12-31"), False),
        (("2026-04-01", "2026-12-31"), ("2026-06-01", "2027-06-30"), True),
        (("2025-06-01", "2025-01-01"), ("2025-01-01", None), False),
    ],
    ids=["adjacent", "same-day-handover", "contained", "both-open", "unknown-start", "left-before-joining",
         "joins-tomorrow", "joins-today", "future-job-vs-open-end", "future-jobs-overlap", "reversed-dates-ignored"],
)  # fmt: skip
def test_periods(a: tuple[str | None, str | None], b: tuple[str | None, str | None], overlap: bool) -> None:
    def employment(key: str, institution: str, period: tuple[str | None, str | None]) -> Employment:
        start, end = (d(x) if x else None for x in period)
        return Employment(key, ID, institution, start, end)

    result = find_double_employment([employment("a", "甲", a), employment("b", "乙", b)], today=TODAY)
    assert result == ({"a": ("乙",), "b": ("甲",)} if overlap else {})


@pytest.mark.parametrize(
    ("id_a", "id_b", "same_person"),
    [
        (ID, ID, True),
        (ID, OTHER_ID, False),
        ("11010519491231002X", "11010519491231002x", True),
        (ID, " ".join([ID[:6], ID[6:14], ID[14:]]), True),
        (ID, "".join(chr(ord(c) + 0xFEE0) for c in ID), True),
        ("110105491231002", "11010519491231002X", True),
        (None, None, False),
        ("", "  ", False),
    ],
    ids=["same", "different", "lowercase-x", "spaced", "full-width", "legacy-15-vs-18", "no-ids", "blank-ids"],
)
def test_people_are_matched_by_normalised_id(id_a: str | None, id_b: str | None, same_person: bool) -> None:
    employments = [Employment("a", id_a, "甲"), Employment("b", id_b, "乙")]
    assert bool(find_double_employment(employments, today=TODAY)) is same_person


def test_two_records_at_the_same_institution_are_not_double_employment() -> None:
    employments = [Employment("a", ID, "甲", d("2025-01-01")), Employment("b", ID, "甲", d("2025-06-01"))]
    assert find_double_employment(employments, today=TODAY) == {}


def test_each_record_lists_every_other_institution_once_in_input_order() -> None:
    employments = [
        Employment("a", ID, "甲", d("2025-01-01")),
        Employment("b", ID, "乙", d("2025-02-01")),
        Employment("c", ID, "丙", d("2024-01-01")),
        Employment("d", ID, "乙", d("2025-09-01")),
        Employment("x", OTHER_ID, "丁", d("2025-01-01")),
    ]
    assert find_double_employment(employments, today=TODAY) == {
        "a": ("乙", "丙"),
        "b": ("甲", "丙"),
        "c": ("甲", "乙"),
        "d": ("甲", "丙"),
    }


def test_person_key_reads_a_legacy_number_as_its_successor() -> None:
    assert person_key("110105491231002") == "11010519491231002X"
    assert person_key(" ") is None


def test_problem_masks_the_id_and_names_the_institutions() -> None:
    problem = double_employment_problem("620702199001011234", ["阳光托育", "彩虹托育"])
    assert problem.message.startswith("身份证号 620702********1234 的人员")
    assert "「阳光托育」、「彩虹托育」" in problem.message
    assert "620702199001011234" not in problem.message
    assert (problem.code, problem.severity, problem.field) == (
        "staff.double_employment",
        Severity.WARNING,
        "employed_until",
    )


# --------------------------------------------------------------------------- properties

DAYS = st.one_of(st.none(), st.integers(-60, 60).map(lambda n: TODAY + timedelta(days=n)))
EMPLOYMENTS = st.lists(
    st.tuples(st.sampled_from([ID, OTHER_ID, None]), st.sampled_from("甲乙丙"), DAYS, DAYS),
    max_size=8,
).map(lambda rows: [Employment(i, *row) for i, row in enumerate(rows)])


def oracle(employments: list[Employment]) -> dict[Hashable, set[Hashable]]:
    """Every pair compared day by day: the obvious, slow definition."""

    def worked(e: Employment) -> set[date]:
        start = e.employed_from or TODAY - timedelta(days=400)  # before any generated date
        end = e.employed_until or TODAY
        return {start + timedelta(days=n) for n in range((end - start).days + 1)}

    result: dict[Hashable, set[Hashable]] = {}
    for a in employments:
        for b in employments:
            same_person = a.id_number is not None and a.id_number == b.id_number
            if same_person and a.institution_key != b.institution_key and worked(a) & worked(b):
                result.setdefault(a.key, set()).add(b.institution_key)
    return result


@given(EMPLOYMENTS)
def test_matches_the_brute_force_definition(employments: list[Employment]) -> None:
    result = find_double_employment(employments, today=TODAY)
    assert {key: set(value) for key, value in result.items()} == oracle(employments)
    assert all(len(set(value)) == len(value) for value in result.values())


@given(EMPLOYMENTS)
def test_is_symmetric(employments: list[Employment]) -> None:
    result = find_double_employment(employments, today=TODAY)
    by_key = {e.key: e for e in employments}
    for key, institutions in result.items():
        for institution in institutions:
            partners = [k for k, v in result.items() if by_key[k].institution_key == institution]
            assert any(by_key[key].institution_key in result[k] for k in partners)


@given(EMPLOYMENTS, st.data())
def test_does_not_depend_on_input_order(employments: list[Employment], data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(employments))
    first = find_double_employment(employments, today=TODAY)
    second = find_double_employment(shuffled, today=TODAY)
    assert {k: set(v) for k, v in first.items()} == {k: set(v) for k, v in second.items()}


@given(
    birth=st.dates(min_value=date(1950, 1, 1), max_value=date(2008, 1, 1)),
    sequence=st.integers(0, 999),
    names=st.lists(st.text(max_size=10), max_size=3),
)
def test_problem_never_contains_the_full_id(birth: date, sequence: int, names: list[str]) -> None:
    id_number = make_id_number("620702", birth, sequence)
    message = normalize_identifier(double_employment_problem(id_number, names).message)
    assert id_number not in message
    assert re.search(r"[0-9]{17}[0-9X]", message) is None
