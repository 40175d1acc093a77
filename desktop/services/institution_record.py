"""One institution's whole record for reading: fields, classes, staff, lifecycle events and every
problem the register's rules find in it. ID numbers are masked here; editing a staff member loads
the full number through ``load_staff_draft`` only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.class_rules import check_class
from desktop.domain.double_employment import double_employment_problem, person_key
from desktop.domain.enums import ClassType, InstitutionEventKind, Sex, StaffRole
from desktop.domain.identifiers import mask_id_number
from desktop.domain.problems import Problem
from desktop.domain.registry_rules import ClassFacts, StaffFacts
from desktop.domain.staff_rules import check_staff
from desktop.domain.staffing_rules import check_institution_staffing
from desktop.errors import NotFoundError
from desktop.models import ClassGroup, Institution, InstitutionEvent, Region, StaffMember
from desktop.services.institution_commands import InstitutionForm, load_institution_form, validate_institution
from desktop.services.roster_commands import StaffDraft
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session


@dataclass(frozen=True)
class ClassLine:
    id: uuid.UUID
    version: int
    name: str
    class_type: ClassType
    capacity: int
    enrolled_count: int
    carers: int


@dataclass(frozen=True)
class StaffLine:
    id: uuid.UUID
    version: int
    name: str
    role: StaffRole
    sex: Sex | None
    id_number_masked: str
    phone: str
    class_name: str
    health_certificate_expires_on: date | None
    training_hours: int
    employed_until: date | None


@dataclass(frozen=True)
class EventLine:
    kind: InstitutionEventKind
    occurred_on: date
    document_number: str | None
    reason: str | None


@dataclass(frozen=True)
class RecordProblem:
    """A problem and where in the record it is ("机构", "班级 托小1班", "人员 王芳")."""

    where: str
    problem: Problem


@dataclass(frozen=True)
class InstitutionRecord:
    form: InstitutionForm
    county_name: str
    township_name: str
    classes: tuple[ClassLine, ...]
    staff: tuple[StaffLine, ...]
    events: tuple[EventLine, ...]
    problems: tuple[RecordProblem, ...]


def load_institution_record(ctx: AppContext, institution_id: uuid.UUID, *, today: date) -> InstitutionRecord:
    form = load_institution_form(ctx, institution_id)
    with read_session(ctx.db) as session:
        county = _region_name(session, form.draft.county_code)
        township = _region_name(session, form.draft.township_code)
        groups = list(
            session.scalars(
                select(ClassGroup).where(ClassGroup.institution_id == institution_id).order_by(ClassGroup.name)
            )
        )
        members = list(
            session.scalars(
                select(StaffMember).where(StaffMember.institution_id == institution_id).order_by(StaffMember.name)
            )
        )
        events = tuple(
            EventLine(e.kind, e.occurred_on, e.document_number, e.reason)
            for e in session.scalars(
                select(InstitutionEvent)
                .where(InstitutionEvent.institution_id == institution_id)
                .order_by(InstitutionEvent.occurred_on, InstitutionEvent.created_at)
            )
        )
        elsewhere = _employed_elsewhere(session, institution_id, members, today)
    current = [m for m in members if m.employed_until is None or m.employed_until >= today]
    carers = {g.id: sum(1 for m in current if m.class_group_id == g.id and m.role is StaffRole.CARER) for g in groups}
    classes = tuple(
        ClassLine(g.id, g.version, g.name, g.class_type, g.capacity, g.enrolled_count, carers[g.id]) for g in groups
    )
    class_names = {g.id: g.name for g in groups}
    role_order = list(StaffRole)  # principal first, then carers, health staff, cooks, guards
    staff = tuple(
        StaffLine(
            m.id,
            m.version,
            m.name,
            m.role,
            m.sex,
            mask_id_number(m.id_number or ""),
            m.phone or "",
            class_names.get(m.class_group_id, ""),
            m.health_certificate_expires_on,
            m.training_hours,
            m.employed_until,
        )
        for m in sorted(members, key=lambda member: role_order.index(member.role))
    )
    problems = _problems(form, classes, current, elsewhere, today)
    return InstitutionRecord(form, county, township, classes, staff, events, problems)


def load_staff_draft(ctx: AppContext, staff_id: uuid.UUID) -> tuple[StaffDraft, int]:
    """A staff member as the edit form needs it, full ID number included, and its version."""
    with read_session(ctx.db) as session:
        member = session.get(StaffMember, staff_id)
        if member is None:
            raise NotFoundError("该人员记录已不存在，可能已被其他用户删除。请刷新记录。")
        draft = StaffDraft(**{key: getattr(member, key) for key in StaffDraft.__dataclass_fields__})
        return draft, member.version


def _problems(
    form: InstitutionForm,
    classes: tuple[ClassLine, ...],
    current: list[StaffMember],
    elsewhere: dict[uuid.UUID, list[str]],
    today: date,
) -> tuple[RecordProblem, ...]:
    found = [RecordProblem("机构", p) for p in validate_institution(form.draft, form.lifecycle, today=today)]
    class_facts = [ClassFacts(c.name, c.class_type, c.capacity, c.enrolled_count, c.carers) for c in classes]
    for facts in class_facts:
        found += [RecordProblem(f"班级 {facts.name}", p) for p in check_class(facts)]
    staff_facts = []
    for member in current:
        facts = StaffFacts(**{key: getattr(member, key) for key in StaffFacts.__dataclass_fields__})
        staff_facts.append(facts)
        found += [RecordProblem(f"人员 {member.name}", p) for p in check_staff(facts, today=today)]
        if member.id in elsewhere:
            found.append(
                RecordProblem(
                    f"人员 {member.name}", double_employment_problem(member.id_number or "", elsewhere[member.id])
                )
            )
    found += [
        RecordProblem("机构", p)
        for p in check_institution_staffing(class_facts, staff_facts, slots=form.draft.slots, today=today)
    ]
    return tuple(found)


def _employed_elsewhere(
    session: Session, institution_id: uuid.UUID, members: list[StaffMember], today: date
) -> dict[uuid.UUID, list[str]]:
    """For each current staff member, the other institutions that employ the same ID number now."""
    keys = {m.id: person_key(m.id_number) for m in members if m.employed_until is None or m.employed_until >= today}
    wanted = {k for k in keys.values() if k}
    if not wanted:
        return {}
    rows = session.execute(
        select(StaffMember.id_number, Institution.name)
        .join(Institution, StaffMember.institution_id == Institution.id)
        .where(StaffMember.id_number.in_(wanted), StaffMember.institution_id != institution_id)
        .where(StaffMember.employed_until.is_(None) | (StaffMember.employed_until >= today))
    )
    others: dict[str, list[str]] = {}
    for id_number, name in rows:
        others.setdefault(id_number, []).append(name)
    return {staff_id: sorted(set(others[key])) for staff_id, key in keys.items() if key in others}


def _region_name(session: Session, code: str | None) -> str:
    if not code:
        return ""
    return session.scalar(select(Region.name).where(Region.code == code)) or code
