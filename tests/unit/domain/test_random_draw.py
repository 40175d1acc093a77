"""双随机: reproducible by seed, honours recusal, rate and minimum; anyone can recompute it."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.random_draw import DrawInput, draw, parse_quarter, sample_size

INSTITUTIONS = tuple(f"inst-{n:03d}" for n in range(50))
INSPECTORS = tuple(f"insp-{n:02d}" for n in range(8))


def _input(seed=2026, rate=0.2, minimum=1, conflicts=frozenset(), inspectors=INSPECTORS, institutions=INSTITUTIONS):
    return DrawInput("2026Q1", "620702", seed, rate, minimum, institutions, inspectors, conflicts)


def test_the_same_seed_on_the_same_data_gives_the_same_list():
    assert draw(_input()).drawn == draw(_input()).drawn


def test_another_seed_gives_another_list():
    assert draw(_input(seed=1)).drawn != draw(_input(seed=2)).drawn


def test_the_list_does_not_depend_on_the_order_the_data_comes_in():
    shuffled = _input(institutions=tuple(reversed(INSTITUTIONS)), inspectors=tuple(reversed(INSPECTORS)))
    assert {d.institution_id: set(d.inspector_ids) for d in draw(shuffled).drawn} == {
        d.institution_id: set(d.inspector_ids) for d in draw(_input()).drawn
    }


def test_the_draw_can_be_recomputed_by_hand_with_sha256():
    result = draw(_input(seed=7, rate=0.1))
    by_hand = sorted(INSTITUTIONS, key=lambda i: hashlib.sha256(f"7|2026Q1|620702|{i}".encode()).hexdigest())[:5]
    assert [d.institution_id for d in result.drawn] == by_hand


@pytest.mark.parametrize(
    ("candidates", "rate", "minimum", "expected"),
    [(50, 0.2, 1, 10), (51, 0.2, 1, 11), (3, 0.2, 2, 2), (1, 0.2, 3, 1), (0, 0.5, 1, 0), (10, 1.0, 1, 10)],
)
def test_sample_size_rounds_up_and_honours_the_minimum(candidates, rate, minimum, expected):
    assert sample_size(candidates, rate, minimum) == expected


def test_each_institution_gets_two_different_inspectors():
    for drawn in draw(_input()).drawn:
        assert len(set(drawn.inspector_ids)) == 2


@given(
    st.integers(min_value=0, max_value=10**9),
    st.sets(st.tuples(st.sampled_from(INSPECTORS), st.sampled_from(INSTITUTIONS)), max_size=40),
)
def test_a_conflicted_inspector_is_never_drawn_for_that_institution(seed, conflicts):
    result = draw(_input(seed=seed, rate=1.0, conflicts=frozenset(conflicts)))
    for drawn in result.drawn:
        for inspector in drawn.inspector_ids:
            assert (inspector, drawn.institution_id) not in conflicts


def test_too_few_inspectors_after_recusal_is_reported_not_hidden():
    conflicts = frozenset((p, "inst-000") for p in INSPECTORS[:7])
    result = draw(_input(rate=1.0, conflicts=conflicts))
    only = next(d for d in result.drawn if d.institution_id == "inst-000")
    assert only.inspector_ids == (INSPECTORS[7],)
    assert any(p.field == "inst-000" for p in result.problems)


@pytest.mark.parametrize(("rate", "code"), [(0, "draw.rate"), (1.5, "draw.rate")])
def test_an_impossible_rate_is_refused(rate, code):
    result = draw(_input(rate=rate))
    assert result.drawn == () and [p.code for p in result.problems] == [code]


def test_a_roster_of_one_cannot_draw_pairs():
    result = draw(_input(inspectors=("insp-00",)))
    assert result.drawn == () and "检查人员" in result.problems[0].message


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [("2026Q1", date(2026, 1, 1), date(2026, 3, 31)), ("2026q4", date(2026, 10, 1), date(2026, 12, 31))],
)
def test_quarters(text, first, last):
    quarter = parse_quarter(text)
    assert (quarter.first_day, quarter.last_day) == (first, last)


@pytest.mark.parametrize("text", ["2026Q5", "2026-Q1", "Q1", ""])
def test_a_bad_period_is_explained(text):
    with pytest.raises(ValueError, match="2026Q1"):
        parse_quarter(text)
