"""Months operated in a year, from an institution's lifecycle events."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.enums import InstitutionEventKind as K
from desktop.domain.lifecycle_rules import LifecycleEvent
from desktop.domain.operating_months import months_operating, operating_spans

D = date.fromisoformat


def events(*pairs: tuple[K, str]) -> list[LifecycleEvent]:
    return [LifecycleEvent(kind, D(day), reason="原因") for kind, day in pairs]


@pytest.mark.parametrize(
    ("history", "year", "months"),
    [
        ([(K.OPENED, "2024-05-10")], 2026, 12),  # opened long before, still operating
        ([(K.OPENED, "2026-03-01")], 2026, 10),  # March to December
        ([(K.OPENED, "2026-03-31")], 2026, 10),  # one day in March counts March
        ([(K.OPENED, "2026-12-31")], 2026, 1),
        ([(K.OPENED, "2027-01-01")], 2026, 0),
        ([(K.OPENED, "2025-01-01"), (K.CLOSED, "2026-07-01")], 2026, 6),  # closed on 1 July: June was the last
        ([(K.OPENED, "2025-01-01"), (K.CLOSED, "2026-07-02")], 2026, 7),
        ([(K.OPENED, "2025-01-01"), (K.CLOSED, "2025-12-20")], 2026, 0),
        # suspended for the whole of April and May, resumed on 1 June
        ([(K.OPENED, "2025-01-01"), (K.SUSPENDED, "2026-04-01"), (K.RESUMED, "2026-06-01")], 2026, 10),
        # suspended on 15 April: April counts; resumed 15 May: May counts
        ([(K.OPENED, "2025-01-01"), (K.SUSPENDED, "2026-04-15"), (K.RESUMED, "2026-05-15")], 2026, 12),
        ([(K.OPENED, "2025-01-01"), (K.CLOSED, "2026-02-01"), (K.REOPENED, "2026-11-10")], 2026, 3),
        ([(K.FILED, "2025-01-01")], 2026, 0),  # filed but never opened
    ],
)
def test_months_operating(history, year, months):
    assert months_operating(events(*history), year) == months


def test_spans_ignore_event_order_as_given_and_a_same_day_open_and_close():
    spans = operating_spans(events((K.CLOSED, "2026-05-01"), (K.OPENED, "2026-01-01"), (K.OPENED, "2026-06-01")))
    assert spans == [(D("2026-01-01"), D("2026-04-30")), (D("2026-06-01"), None)]
    assert operating_spans(events((K.OPENED, "2026-03-01"), (K.CLOSED, "2026-03-01"))) == []
