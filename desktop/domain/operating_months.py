"""How many months of a year an institution operated (运营月数), from its dated lifecycle events.

The operating subsidy is a yearly rate; an institution that opened, closed or was suspended during
the year gets the part the policy says (``partial_year``). This counts the months from the events
the register keeps (开始运营, 暂停, 恢复, 关闭, 重新开办):

- a calendar month counts when the institution was operating on at least one day of it, the same
  reading the Zhangye policy gives a partial month of enrollment (不足一月按整月); a month spent
  wholly suspended or closed does not count;
- the day of 暂停 or 关闭 is not an operating day; the day of 开始运营, 恢复 or 重新开办 is;
- an institution still operating is counted to the end of the year: an application for the current
  year is made on the assumption that it goes on, as the clerk's application states; a later
  closure is then a fact that changed after the application (the screen warns of it).

Pure: the caller reads the events.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from desktop.domain.enums import InstitutionEventKind as Kind
from desktop.domain.lifecycle_rules import LifecycleEvent

__all__ = ["months_operating", "operating_spans"]

_STARTS = frozenset({Kind.OPENED, Kind.RESUMED, Kind.REOPENED})
_STOPS = frozenset({Kind.SUSPENDED, Kind.CLOSED})
_ORDER = {kind: position for position, kind in enumerate(Kind)}


def operating_spans(events: Iterable[LifecycleEvent]) -> list[tuple[date, date | None]]:
    """The periods of operation, first day to last day inclusive (``None``: still operating)."""
    spans: list[tuple[date, date | None]] = []
    start: date | None = None
    for event in sorted(events, key=lambda e: (e.occurred_on, _ORDER[e.kind])):
        if event.kind in _STARTS and start is None:
            start = event.occurred_on
        elif event.kind in _STOPS and start is not None:
            last = event.occurred_on - timedelta(days=1)
            if last >= start:
                spans.append((start, last))
            start = None
    if start is not None:
        spans.append((start, None))
    return spans


def months_operating(events: Iterable[LifecycleEvent], year: int) -> int:
    """Months of ``year`` with at least one operating day (0 to 12)."""
    spans = operating_spans(events)
    count = 0
    for month in range(1, 13):
        first = date(year, month, 1)
        last = (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)) - timedelta(days=1)
        if any(start <= last and (end is None or end >= first) for start, end in spans):
            count += 1
    return count
