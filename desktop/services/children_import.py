"""Importing one institution's roster of children from Excel or CSV: a dry run first, all or nothing, idempotent.

The same contract as the register's import (``institution_import``), and the same report: rows are
matched to the institution's roster by ID number, so importing the same file again changes nothing;
a blank cell never wipes a stored value (a 离托日期 recorded by hand survives a re-import of the
original list); any error anywhere means nothing is written, and the errors can go back into a copy of
the workbook beside their rows. A child in care at another institution of the county at the same time
is a warning on its row, as on the form.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from desktop.db.session_events import audit_rows_for_bulk_insert
from desktop.domain.child_rules import ChildFacts, check_child, periods_overlap
from desktop.domain.enums import Sex
from desktop.domain.identifiers import normalize_identifier, validate_credit_code, validate_id_number
from desktop.domain.problems import Severity
from desktop.errors import NotFoundError, TuoyuError
from desktop.excel.child_columns import CHILD_INDEX
from desktop.excel.child_sheet import ChildSheetRow, ParsedChildSheet, parse_child_sheet
from desktop.excel.child_workbooks import write_child_template
from desktop.excel.sheet_checks import CellError
from desktop.excel.workbook_reader import read_sheet
from desktop.models import AuditEntry, Child, Institution
from desktop.models.base import utc_now
from desktop.models.uuid7 import uuid7_batch
from desktop.services.batching import chunks
from desktop.services.changes import Changes
from desktop.services.children import elsewhere_problem, enrollments_elsewhere, refuse_roster_change_on_laptop
from desktop.services.import_report import ImportReport, build_report
from desktop.services.record_edits import institution_of
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session, write_session

__all__ = ["find_institution", "import_children", "write_roster_template"]

# What a sheet row may change on a stored child: the ID number is the key, and birth date and sex follow it.
_UPDATABLE = ("name", "guardian_name", "guardian_phone", "enrolled_on", "left_on")


@dataclass
class _Plan:
    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: list[tuple[uuid.UUID, dict[str, Any]]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[CellError] = field(default_factory=list)
    warnings: list[CellError] = field(default_factory=list)


def find_institution(ctx: AppContext, name_or_credit_code: str) -> tuple[uuid.UUID, str]:
    """(id, name) of the institution with this unified social credit code, or else this exact name."""
    text = name_or_credit_code.strip()
    code = normalize_identifier(text)
    with read_session(ctx.db) as session:
        rows = []
        if len(code) == 18 and validate_credit_code(code).ok:
            rows = session.execute(
                select(Institution.id, Institution.name).where(Institution.credit_code == code)
            ).all()
        if not rows:
            rows = session.execute(select(Institution.id, Institution.name).where(Institution.name == text)).all()
    if not rows:
        raise NotFoundError(f"找不到名称或统一社会信用代码为“{text}”的机构。请核对机构全称，或改用统一社会信用代码。")
    if len(rows) > 1:
        raise TuoyuError(f"有 {len(rows)} 家机构都叫“{text}”，无法确定导入到哪一家。请改用该机构的统一社会信用代码。")
    return rows[0].id, rows[0].name


def import_children(
    ctx: AppContext,
    path: Path,
    *,
    institution_id: uuid.UUID,
    today: date,
    dry_run: bool = False,
    write_errors_to: Path | None = None,
) -> ImportReport:
    """Read, check and (unless a dry run, and only if there is no error) apply a roster sheet to one institution.

    ``write_errors_to`` names a copy of the workbook to write the errors into, beside their rows.
    """
    sheet = read_sheet(path)
    parsed = parse_child_sheet(sheet, today=today)
    if dry_run or parsed.errors:
        with read_session(ctx.db) as session:
            plan = _plan(session, institution_of(session, institution_id), parsed, today)
        return _report(
            path, sheet.sheet_name, parsed, plan, dry_run=dry_run, committed=False, errors_to=write_errors_to
        )
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        refuse_roster_change_on_laptop(session)
        # Planned again inside the write transaction, so nothing changes between check and write.
        plan = _plan(session, institution_of(session, institution_id), parsed, today)
        if plan.errors:
            session.rollback()
            return _report(
                path, sheet.sheet_name, parsed, plan, dry_run=False, committed=False, errors_to=write_errors_to
            )
        _apply(session, ctx, plan, path)
    changes = Changes(institutions=frozenset({institution_id}) if plan.creates or plan.updates else frozenset())
    return _report(path, sheet.sheet_name, parsed, plan, dry_run=False, committed=True, errors_to=None, changes=changes)


def write_roster_template(path: Path) -> None:
    """The empty roster workbook clerks fill in: headers, a sample row, the ID column as text, instructions."""
    write_child_template(path)


def _report(path: Path, sheet_name: str, parsed: ParsedChildSheet, plan: _Plan, **outcome: Any) -> ImportReport:
    return build_report(path, sheet_name, parsed, plan, find_header=CHILD_INDEX.find_header_row, **outcome)


def _match(record: ChildSheetRow, stored: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The stored child a row is about: the same enrollment day, else the one still in care, else one
    whose stay overlaps the row's; a child who left and came back later is a new stay (None)."""
    for candidate in stored:
        if candidate["enrolled_on"] == record.enrolled_on:
            return candidate
    for candidate in stored:
        if candidate["left_on"] is None:
            return candidate
    period = (record.enrolled_on, record.left_on)
    overlapping = [c for c in stored if periods_overlap(period, (c["enrolled_on"], c["left_on"]))]
    return max(overlapping, key=lambda c: c["enrolled_on"]) if overlapping else None


def _plan(session: Session, institution: Institution, parsed: ParsedChildSheet, today: date) -> _Plan:
    plan = _Plan()
    ids = [record.id_number for record in parsed.records]
    stored: dict[str, list[dict[str, Any]]] = {}
    columns = [Child.id, Child.id_number, Child.birth_date, Child.sex, *(getattr(Child, f) for f in _UPDATABLE)]
    for chunk in chunks(sorted(set(ids)), 500):
        query = select(*columns).where(Child.institution_id == institution.id, Child.id_number.in_(chunk))
        for row in session.execute(query):
            stored.setdefault(row.id_number, []).append(row._asdict())
    elsewhere = enrollments_elsewhere(session, institution.county_code, institution.id, ids)

    for record in parsed.records:
        current = _match(record, stored.get(record.id_number, []))
        incoming = {key: getattr(record, key) for key in _UPDATABLE if getattr(record, key) is not None}
        merged = (current or {}) | incoming
        if current is not None:
            # The row was checked alone; with the stored values it keeps (a 离托日期 entered by hand) it
            # must still hold together.
            facts = ChildFacts(**{key: merged.get(key) for key in _UPDATABLE}, id_number=record.id_number)
            problems = [p for p in check_child(facts, today=today) if p.severity is Severity.ERROR]
            if problems:
                plan.errors.extend(
                    CellError(record.row, parsed.header_of(p.field or "name"), p.message) for p in problems
                )
                continue
        period = (merged["enrolled_on"], merged.get("left_on"))
        if (problem := elsewhere_problem(record.id_number, period, elsewhere.get(record.id_number, []))) is not None:
            plan.warnings.append(CellError(record.row, parsed.header_of("id_number"), problem.message))
        if current is None:
            check = validate_id_number(record.id_number, today=today)
            plan.creates.append(
                {
                    "institution_id": institution.id,
                    "id_number": record.id_number,
                    "birth_date": check.birth_date,
                    "sex": Sex(check.sex) if check.sex else None,
                    "left_on": None,
                    **incoming,
                }
            )
            continue
        changed = {key: value for key, value in incoming.items() if current[key] != value}
        if changed:
            plan.updates.append((current["id"], changed))
        else:
            plan.unchanged += 1
    return plan


def _apply(session: Session, ctx: AppContext, plan: _Plan, path: Path) -> None:
    now = utc_now()
    stamp = {"created_at": now, "updated_at": now, "origin": ctx.node_id, "version": 1}
    rows = [
        row | stamp | {"id": row_id} for row, row_id in zip(plan.creates, uuid7_batch(len(plan.creates)), strict=True)
    ]
    # New children go in with Core, in bulk, each with the audit entry the ORM listener would have written
    # (ID number and phone masked); updates go through the ORM for optimistic locking and the listener.
    audit = audit_rows_for_bulk_insert(
        Child, rows, actor=ctx.actor.username, node_id=ctx.node_id, summary=f"从 {path.name} 导入在托幼儿名单"
    )
    for table, batch in ((Child, rows), (AuditEntry, audit)):
        for chunk in chunks(batch, 5000):
            session.execute(insert(table.__table__), chunk)
    for child_id, changed in plan.updates:
        child = session.get(Child, child_id)
        for key, value in changed.items():
            setattr(child, key, value)
    session.flush()
