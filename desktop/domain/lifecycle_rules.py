"""An institution's lifecycle: filing (备案), 普惠 recognition and operating status, as dated events.

Pure. ``apply_event`` says whether an event may happen to an institution in a given state, and what
the state is afterwards; the service stores the event and the resulting state together.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from desktop.domain.enums import FilingStatus, InstitutionEventKind, OperatingStatus
from desktop.domain.problems import Problem, Severity

Kind = InstitutionEventKind
_KIND_ORDER = {kind: position for position, kind in enumerate(Kind)}  # same-day events in lifecycle order


@dataclass(frozen=True)
class LifecycleState:
    """The part of an institution that only events change."""

    filing_status: FilingStatus = FilingStatus.NOT_FILED
    filing_number: str | None = None
    filed_on: date | None = None
    puhui: bool = False
    puhui_recognized_on: date | None = None
    operating_status: OperatingStatus = OperatingStatus.PREPARING
    opened_on: date | None = None
    status_changed_on: date | None = None
    status_reason: str | None = None


@dataclass(frozen=True)
class LifecycleEvent:
    kind: InstitutionEventKind
    occurred_on: date
    document_number: str | None = None
    reason: str | None = None


# Which states each event may start from, and the Chinese name of those states for messages.
_ALLOWED_FROM = {
    Kind.FILING_SUBMITTED: ("filing_status", {FilingStatus.NOT_FILED, FilingStatus.CANCELLED}),
    # A filed institution may file again: a change of filing (变更备案) gets a new number and date.
    Kind.FILED: (
        "filing_status",
        {FilingStatus.NOT_FILED, FilingStatus.PENDING, FilingStatus.FILED, FilingStatus.CANCELLED},
    ),
    Kind.FILING_CANCELLED: ("filing_status", {FilingStatus.PENDING, FilingStatus.FILED}),
    Kind.PUHUI_RECOGNIZED: ("puhui", {False}),
    Kind.PUHUI_REVOKED: ("puhui", {True}),
    Kind.OPENED: ("operating_status", {OperatingStatus.PREPARING}),
    Kind.SUSPENDED: ("operating_status", {OperatingStatus.OPERATING}),
    Kind.RESUMED: ("operating_status", {OperatingStatus.SUSPENDED}),
    Kind.CLOSED: (
        "operating_status",
        {OperatingStatus.PREPARING, OperatingStatus.OPERATING, OperatingStatus.SUSPENDED},
    ),
    Kind.REOPENED: ("operating_status", {OperatingStatus.CLOSED}),
}
_NEEDS_REASON = {Kind.FILING_CANCELLED, Kind.PUHUI_REVOKED, Kind.SUSPENDED, Kind.CLOSED, Kind.REOPENED}


def _current(state: LifecycleState, attribute: str) -> str:
    value = getattr(state, attribute)
    if attribute == "puhui":
        return "已认定普惠" if value else "未认定普惠"
    return value.label


def check_event(state: LifecycleState, event: LifecycleEvent, *, today: date) -> tuple[Problem, ...]:
    """Problems that forbid recording ``event`` on an institution in ``state`` (empty when allowed)."""
    problems = []
    attribute, allowed = _ALLOWED_FROM[event.kind]
    if getattr(state, attribute) not in allowed:
        problems.append(
            Problem(
                "lifecycle.not_allowed",
                f"机构当前为“{_current(state, attribute)}”，不能办理“{event.kind.label}”。",
                Severity.ERROR,
                field="kind",
            )
        )
    if event.occurred_on > today:
        problems.append(
            Problem(
                "lifecycle.future_date",
                f"{event.kind.label}日期 {event.occurred_on:%Y-%m-%d} 晚于今天，请核对日期。",
                Severity.ERROR,
                field="occurred_on",
            )
        )
    if event.kind is Kind.FILED and not (event.document_number or "").strip():
        problems.append(
            Problem(
                "lifecycle.filing_number_missing", "备案登记需要填写备案编号。", Severity.ERROR, field="document_number"
            )
        )
    if event.kind in _NEEDS_REASON and not (event.reason or "").strip():
        problems.append(
            Problem("lifecycle.reason_missing", f"{event.kind.label}需要填写原因。", Severity.ERROR, field="reason")
        )
    return tuple(problems)


def apply_event(state: LifecycleState, event: LifecycleEvent) -> LifecycleState:
    """The state after ``event`` (call ``check_event`` first; this does not validate)."""
    day, number, reason = event.occurred_on, event.document_number, event.reason
    match event.kind:
        case Kind.FILING_SUBMITTED:
            return replace(state, filing_status=FilingStatus.PENDING)
        case Kind.FILED:
            return replace(state, filing_status=FilingStatus.FILED, filing_number=number, filed_on=day)
        case Kind.FILING_CANCELLED:
            return replace(state, filing_status=FilingStatus.CANCELLED)
        case Kind.PUHUI_RECOGNIZED:
            return replace(state, puhui=True, puhui_recognized_on=day)
        case Kind.PUHUI_REVOKED:
            return replace(state, puhui=False)
        case Kind.OPENED:
            return replace(
                state,
                operating_status=OperatingStatus.OPERATING,
                opened_on=day,
                status_changed_on=day,
                status_reason=None,
            )
        case Kind.RESUMED:
            return replace(state, operating_status=OperatingStatus.OPERATING, status_changed_on=day, status_reason=None)
        case Kind.REOPENED:
            return replace(
                state, operating_status=OperatingStatus.OPERATING, status_changed_on=day, status_reason=reason
            )
        case Kind.SUSPENDED:
            return replace(
                state, operating_status=OperatingStatus.SUSPENDED, status_changed_on=day, status_reason=reason
            )
        case Kind.CLOSED:
            return replace(state, operating_status=OperatingStatus.CLOSED, status_changed_on=day, status_reason=reason)
    raise ValueError(event.kind)


def events_for_initial_state(state: LifecycleState, *, registered_on: date) -> list[LifecycleEvent]:
    """The events that bring a new record to ``state``: used when a clerk enters (or imports) an
    institution that was filed, recognised or closed before it came into Tuoyu, so its history
    starts with what is known instead of an unexplained state. ``registered_on`` (the day the record
    is entered) dates the facts the record gives no date for. The entry itself is in the audit log."""
    events: list[LifecycleEvent] = []
    if state.filing_status is FilingStatus.PENDING:
        events.append(LifecycleEvent(Kind.FILING_SUBMITTED, registered_on))
    elif state.filing_status in (FilingStatus.FILED, FilingStatus.CANCELLED) and state.filed_on:
        events.append(LifecycleEvent(Kind.FILED, state.filed_on, document_number=state.filing_number))
    if state.filing_status is FilingStatus.CANCELLED:
        events.append(LifecycleEvent(Kind.FILING_CANCELLED, registered_on, reason="建档时已注销备案"))
    if state.puhui:
        events.append(LifecycleEvent(Kind.PUHUI_RECOGNIZED, state.puhui_recognized_on or registered_on))
    if state.operating_status is not OperatingStatus.PREPARING:
        events.append(LifecycleEvent(Kind.OPENED, state.opened_on or registered_on))
    if state.operating_status is OperatingStatus.SUSPENDED:
        events.append(
            LifecycleEvent(Kind.SUSPENDED, state.status_changed_on or registered_on, reason=state.status_reason)
        )
    if state.operating_status is OperatingStatus.CLOSED:
        events.append(LifecycleEvent(Kind.CLOSED, state.status_changed_on or registered_on, reason=state.status_reason))
    return sorted(events, key=lambda e: (e.occurred_on, _KIND_ORDER[e.kind]))


def events_between(before: LifecycleState, after: LifecycleState, *, today: date) -> list[LifecycleEvent]:
    """The events that take a record from ``before`` to ``after`` (an imported sheet states the new
    state, not the events), dated with the dates the sheet gives, else ``today``."""
    events: list[LifecycleEvent] = []
    if after.filing_status is not before.filing_status or after.filing_number != before.filing_number:
        if after.filing_status is FilingStatus.FILED:
            events.append(LifecycleEvent(Kind.FILED, after.filed_on or today, document_number=after.filing_number))
        elif after.filing_status is FilingStatus.PENDING:
            events.append(LifecycleEvent(Kind.FILING_SUBMITTED, today))
        elif after.filing_status is FilingStatus.CANCELLED:
            events.append(LifecycleEvent(Kind.FILING_CANCELLED, today, reason="按导入表格注销备案"))
    if after.puhui != before.puhui:
        events.append(
            LifecycleEvent(Kind.PUHUI_RECOGNIZED, after.puhui_recognized_on or today)
            if after.puhui
            else LifecycleEvent(Kind.PUHUI_REVOKED, today, reason="按导入表格取消普惠")
        )
    if after.operating_status is not before.operating_status:
        day = after.status_changed_on or today
        reason = after.status_reason or "按导入表格变更运营状态"
        target, start = after.operating_status, before.operating_status
        if target is OperatingStatus.OPERATING:
            kind = {OperatingStatus.PREPARING: Kind.OPENED, OperatingStatus.SUSPENDED: Kind.RESUMED}.get(
                start, Kind.REOPENED
            )
            events.append(LifecycleEvent(kind, after.opened_on or day if kind is Kind.OPENED else day, reason=reason))
        elif target is OperatingStatus.SUSPENDED:
            events.append(LifecycleEvent(Kind.SUSPENDED, day, reason=reason))
        elif target is OperatingStatus.CLOSED:
            events.append(LifecycleEvent(Kind.CLOSED, day, reason=reason))
    return events
