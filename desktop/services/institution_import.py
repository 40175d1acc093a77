"""Importing the institution register from Excel or CSV: a dry run first, all or nothing, idempotent.

Rows are matched to the register by unified social credit code, or, for a row without one, by
name within its county. A blank cell never wipes a stored value. A change of filing, 普惠 or
operating status becomes a dated event, as when a clerk records it by hand. Any error anywhere
means nothing is written; the errors can go back into a copy of the workbook beside their rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from desktop.db.session_events import audit_rows_for_bulk_insert
from desktop.domain.enums import FilingStatus, OperatingStatus
from desktop.domain.institution_rules import check_institution
from desktop.domain.lifecycle_rules import (
    LifecycleEvent,
    LifecycleState,
    apply_event,
    check_event,
    events_between,
    events_for_initial_state,
)
from desktop.domain.pinyin_search import name_initials
from desktop.domain.problems import Severity
from desktop.domain.registry_rules import InstitutionFacts
from desktop.excel.institution_columns import COLUMNS_BY_FIELD, INSTITUTION_INDEX
from desktop.excel.institution_sheet import CellError, ParsedSheet, parse_institution_sheet
from desktop.excel.institution_sheet_row import RECORD_FIELDS, InstitutionSheetRow
from desktop.excel.workbook_reader import read_sheet
from desktop.models import AuditEntry, Institution, InstitutionEvent
from desktop.models.base import utc_now
from desktop.models.uuid7 import uuid7, uuid7_batch
from desktop.services.batching import chunks
from desktop.services.changes import Changes
from desktop.services.field_laptop import refuse_register_change_on_laptop
from desktop.services.import_report import ImportReport, build_report
from desktop.services.institution_commands import DRAFT_FIELDS, LIFECYCLE_FIELDS, InstitutionDraft
from desktop.services.regions import region_name_maps
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session, write_session

__all__ = ["ImportReport", "import_institutions"]  # ImportReport: where the wizard and the CLI found it

STORED_FIELDS = (*DRAFT_FIELDS, *LIFECYCLE_FIELDS)
# Defaults of a new institution for the columns a sheet does not have (the model's defaults).
NEW_DEFAULTS: dict[str, Any] = (
    {f.name: f.default for f in fields(InstitutionDraft) if f.name in RECORD_FIELDS}
    | {f.name: f.default for f in fields(LifecycleState)}
    | {"operating_status": OperatingStatus.OPERATING, "address": ""}
)


@dataclass
class _Plan:
    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: list[tuple[uuid.UUID, dict[str, Any]]] = field(default_factory=list)
    events: list[tuple[uuid.UUID, LifecycleEvent]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[CellError] = field(default_factory=list)
    warnings: list[CellError] = field(default_factory=list)


def import_institutions(
    ctx: AppContext,
    path: Path,
    *,
    today: date,
    dry_run: bool = False,
    write_errors_to: Path | None = None,
) -> ImportReport:
    """Read, check and (unless a dry run, and only if there is no error) apply a register sheet.

    ``write_errors_to`` names a copy of the workbook to write the errors into, beside their rows.
    """
    sheet = read_sheet(path)
    counties, townships = region_name_maps(ctx)
    parsed = parse_institution_sheet(sheet, counties=counties, townships=townships, today=today)
    if dry_run or parsed.errors:
        with read_session(ctx.db) as session:
            plan = _plan(session, parsed, today)
        return _report(
            path, sheet.sheet_name, parsed, plan, dry_run=dry_run, committed=False, errors_to=write_errors_to
        )
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        refuse_register_change_on_laptop(session)
        # Planned again inside the write transaction, so nothing changes between check and write.
        plan = _plan(session, parsed, today)
        if plan.errors:
            session.rollback()
            return _report(
                path, sheet.sheet_name, parsed, plan, dry_run=False, committed=False, errors_to=write_errors_to
            )
        touched = _apply(session, ctx, plan, path)
    return _report(
        path,
        sheet.sheet_name,
        parsed,
        plan,
        dry_run=False,
        committed=True,
        errors_to=None,
        changes=Changes(institutions=frozenset(touched), everything=len(touched) > 1000),
    )


def _report(path: Path, sheet_name: str, parsed: ParsedSheet, plan: _Plan, **outcome: Any) -> ImportReport:
    return build_report(path, sheet_name, parsed, plan, find_header=INSTITUTION_INDEX.find_header_row, **outcome)


def _existing(session: Session, records: Iterable[InstitutionSheetRow]) -> tuple[dict, dict]:
    """Current register rows for the sheet's codes and (county, name) pairs."""
    records = list(records)
    codes = {r.credit_code for r in records if r.credit_code}
    names = {r.name for r in records if not r.credit_code}
    columns = [Institution.id, Institution.version, *(getattr(Institution, f) for f in STORED_FIELDS)]
    by_code: dict[str, list[dict]] = {}
    by_name: dict[tuple[str, str], list[dict]] = {}
    for chunk in chunks(sorted(codes), 500):
        for row in session.execute(select(*columns).where(Institution.credit_code.in_(chunk))):
            by_code.setdefault(row.credit_code, []).append(row._asdict())
    for chunk in chunks(sorted(names), 500):
        for row in session.execute(select(*columns).where(Institution.name.in_(chunk))):
            by_name.setdefault((row.county_code, row.name), []).append(row._asdict())
    return by_code, by_name


def _plan(session: Session, parsed: ParsedSheet, today: date) -> _Plan:
    plan = _Plan()
    by_code, by_name = _existing(session, parsed.records)
    present = parsed.present_fields

    def header(field_name: str | None) -> str:
        """The column as the clerk's sheet names it, or as the template does when the sheet lacks it."""
        if field_name in parsed.headers:
            return parsed.headers[field_name]
        spec = COLUMNS_BY_FIELD.get(field_name or "")
        return spec.header if spec else "（整行）"

    for record in parsed.records:
        matches = (
            by_code.get(record.credit_code, [])
            if record.credit_code
            else by_name.get((record.county_code, record.name), [])
        )
        if len(matches) > 1:
            plan.errors.append(
                CellError(
                    record.row,
                    header("credit_code" if record.credit_code else "name"),
                    "数据库中有多家机构与这一行对应（代码或名称相同），无法确定更新哪一家。"
                    "请在系统中核对这些机构后再导入。",
                )
            )
            continue
        current = matches[0] if matches else None
        incoming = _implied({k: v for k, v in record.values().items() if k in present and v is not None}, present)
        merged = (dict(current) if current else dict(NEW_DEFAULTS)) | incoming
        before = LifecycleState(**{k: current[k] for k in LIFECYCLE_FIELDS}) if current else None
        after = LifecycleState(**{k: merged[k] for k in LIFECYCLE_FIELDS})
        problems = check_institution(InstitutionFacts.from_attributes(SimpleNamespace(**merged)), today=today)
        for problem in problems:
            target = plan.errors if problem.severity is Severity.ERROR else plan.warnings
            target.append(CellError(record.row, header(problem.field), problem.message))
        events = (
            events_for_initial_state(after, registered_on=today)
            if before is None
            else events_between(before, after, today=today)
        )
        if before is not None and not _events_reach(before, after, events, today, plan, record.row, header):
            continue
        if any(p.severity is Severity.ERROR for p in problems):
            continue
        if current is None:
            institution_id = uuid7()
            plan.creates.append({**{k: merged[k] for k in STORED_FIELDS}, "id": institution_id})
        else:
            institution_id = current["id"]
            changed = {k: v for k, v in incoming.items() if k in STORED_FIELDS and current[k] != v}
            if not changed:
                plan.unchanged += 1
                continue
            plan.updates.append((institution_id, changed))
        plan.events.extend((institution_id, event) for event in events)
    return plan


def _implied(incoming: dict[str, Any], present: frozenset[str]) -> dict[str, Any]:
    """Statuses a sheet implies without a column for them: a filing number or date means filed, a
    普惠 recognition date means 普惠. Clerks' sheets often list the dates and leave out the status."""
    if "filing_status" not in present and (incoming.get("filing_number") or incoming.get("filed_on")):
        incoming["filing_status"] = FilingStatus.FILED
    if "puhui" not in present and incoming.get("puhui_recognized_on"):
        incoming["puhui"] = True
    return incoming


def _events_reach(
    before: LifecycleState,
    after: LifecycleState,
    events: list[LifecycleEvent],
    today: date,
    plan: _Plan,
    row: int,
    header: Callable[[str], str],
) -> bool:
    """Check that the events are allowed and lead to the sheet's state; report the row otherwise."""
    state = before
    for event in events:
        problems = check_event(state, event, today=today)
        if problems:
            plan.errors.append(CellError(row, header("operating_status"), problems[0].message))
            return False
        state = apply_event(state, event)
    if state.operating_status is not after.operating_status or state.filing_status is not after.filing_status:
        plan.errors.append(
            CellError(
                row,
                header("operating_status"),
                f"表格中的状态（{after.filing_status.label}、{after.operating_status.label}）无法由当前状态"
                f"（{before.filing_status.label}、{before.operating_status.label}）直接变更而来，请在系统中逐步办理。",
            )
        )
        return False
    return True


def _apply(session: Session, ctx: AppContext, plan: _Plan, path: Path) -> set[uuid.UUID]:
    now = utc_now()
    stamp = {"created_at": now, "updated_at": now, "origin": ctx.node_id, "version": 1}
    new_rows = [row | stamp | {"name_initials": name_initials(row["name"])} for row in plan.creates]
    new_ids = {row["id"] for row in new_rows}
    new_events: dict[uuid.UUID, list[LifecycleEvent]] = {}
    later_events = []
    for institution_id, event in plan.events:
        if institution_id in new_ids:
            new_events.setdefault(institution_id, []).append(event)
        else:
            later_events.append((institution_id, event))
    event_rows = [
        {
            "institution_id": institution_id,
            "kind": e.kind,
            "occurred_on": e.occurred_on,
            "document_number": e.document_number,
            "reason": e.reason,
        }
        | stamp
        for institution_id, events in new_events.items()
        for e in events
    ]
    for row, event_id in zip(event_rows, uuid7_batch(len(event_rows)), strict=True):
        row["id"] = event_id
    # New records go in with Core, in bulk. Each gets one audit entry, made the way the ORM listener
    # makes them, which also lists the filing/普惠/operating events it starts with: those rows are
    # created with the record, in the same statement batch, and have no life of their own yet.
    started_with = {
        institution_id: {
            "lifecycle_events": [f"{e.occurred_on} {e.kind.label} {e.document_number or ''}".strip() for e in events]
        }
        for institution_id, events in new_events.items()
    }
    audit_rows = audit_rows_for_bulk_insert(
        Institution,
        new_rows,
        actor=ctx.actor.username,
        node_id=ctx.node_id,
        summary=f"从 {path.name} 导入",
        extra=started_with,
    )
    for table, rows in ((Institution, new_rows), (InstitutionEvent, event_rows), (AuditEntry, audit_rows)):
        for chunk in chunks(rows, 5000):
            session.execute(insert(table.__table__), chunk)
    # Updates go through the ORM: optimistic locking and the audit listener apply as for a form.
    for institution_id, changed in plan.updates:
        institution = session.get(Institution, institution_id)
        for key, value in changed.items():
            setattr(institution, key, value)
        if "name" in changed:
            institution.name_initials = name_initials(changed["name"])
    for institution_id, event in later_events:
        session.add(
            InstitutionEvent(
                institution_id=institution_id,
                kind=event.kind,
                occurred_on=event.occurred_on,
                document_number=event.document_number,
                reason=event.reason,
            )
        )
    session.flush()
    return new_ids | {institution_id for institution_id, _ in plan.updates}
