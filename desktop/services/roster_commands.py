"""An institution's classes and staff roster: add, edit, remove, with the register's checks.

Problems come back tagged with the field they belong to; errors stop the save, warnings are saved
and returned so the form can show them. ID numbers are stored normalised and never logged in full.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from desktop.domain.class_rules import check_class
from desktop.domain.double_employment import double_employment_problem, person_key
from desktop.domain.enums import ClassType, Sex, StaffRole
from desktop.domain.identifiers import normalize_identifier, validate_id_number
from desktop.domain.problems import Problem, has_errors
from desktop.domain.registry_rules import ClassFacts, StaffFacts
from desktop.domain.staff_rules import check_staff
from desktop.errors import NotFoundError
from desktop.models import ClassGroup, Institution, StaffMember
from desktop.services.changes import Changes
from desktop.services.field_laptop import refuse_register_change_on_laptop
from desktop.services.form_input import stored_phone, trimmed
from desktop.services.institution_commands import ConcurrentEditError, ValidationFailed, require_version
from desktop.services.record_edits import assign_changes, institution_of, warnings_only
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import write_session


@dataclass(frozen=True)
class ClassGroupDraft:
    name: str
    class_type: ClassType
    capacity: int
    enrolled_count: int = 0


@dataclass(frozen=True)
class StaffDraft:
    name: str
    role: StaffRole
    id_number: str | None = None
    phone: str | None = None
    class_group_id: uuid.UUID | None = None
    education: str | None = None
    qualification: str | None = None
    employed_from: date | None = None
    employed_until: date | None = None
    health_certificate_number: str | None = None
    health_certificate_expires_on: date | None = None
    training_hours: int = 0
    criminal_record_checked_on: date | None = None


@dataclass(frozen=True)
class RosterOutcome:
    record_id: uuid.UUID
    warnings: tuple[Problem, ...]
    changes: Changes


def _carers_in(session: Session, class_id: uuid.UUID | None) -> int:
    if class_id is None:
        return 0
    return (
        session.scalar(
            select(func.count())
            .select_from(StaffMember)
            .where(
                StaffMember.class_group_id == class_id,
                StaffMember.role == StaffRole.CARER,
                StaffMember.employed_until.is_(None),
            )
        )
        or 0
    )


def save_class_group(
    ctx: AppContext,
    institution_id: uuid.UUID,
    draft: ClassGroupDraft,
    *,
    class_id: uuid.UUID | None = None,
    expected_version: int | None = None,
) -> RosterOutcome:
    """Add a class (``class_id`` None) or save an edited one."""
    draft = ClassGroupDraft(draft.name.strip(), draft.class_type, draft.capacity, draft.enrolled_count)
    try:
        with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
            refuse_register_change_on_laptop(session)
            institution_of(session, institution_id)
            problems = check_class(ClassFacts.from_attributes(draft, carers=_carers_in(session, class_id)))
            if has_errors(problems):
                raise ValidationFailed(problems)
            if class_id is None:
                group = ClassGroup(institution_id=institution_id, **asdict(draft))
                session.add(group)
            else:
                group = _class(session, class_id)
                require_version(session, group, expected_version if expected_version is not None else -1)
                assign_changes(group, asdict(draft))
            session.flush()
            record_id = group.id
    except StaleDataError as error:
        raise ConcurrentEditError("这个班级刚刚被其他人修改，您的修改没有保存；请重新打开后再修改。") from error
    return RosterOutcome(record_id, warnings_only(problems), Changes(institutions=frozenset({institution_id})))


def delete_class_group(ctx: AppContext, class_id: uuid.UUID, *, expected_version: int) -> Changes:
    """Remove a class; its carers stay on the roster without a class."""
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        refuse_register_change_on_laptop(session)
        group = _class(session, class_id)
        require_version(session, group, expected_version)
        for member in session.scalars(select(StaffMember).where(StaffMember.class_group_id == class_id)):
            member.class_group_id = None
        session.flush()
        session.delete(group)
        institution_id = group.institution_id
    return Changes(institutions=frozenset({institution_id}))


def normalized_staff(draft: StaffDraft) -> StaffDraft:
    values = trimmed(asdict(draft))
    values["name"] = values["name"] or ""
    if values["id_number"]:
        values["id_number"] = normalize_identifier(values["id_number"])
    values["phone"] = stored_phone(values["phone"])
    return StaffDraft(**values)


def save_staff_member(
    ctx: AppContext,
    institution_id: uuid.UUID,
    draft: StaffDraft,
    *,
    today: date,
    staff_id: uuid.UUID | None = None,
    expected_version: int | None = None,
) -> RosterOutcome:
    """Add a staff member (``staff_id`` None) or save an edited one; flags double employment."""
    draft = normalized_staff(draft)
    problems = check_staff(StaffFacts.from_attributes(draft), today=today)
    try:
        with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
            refuse_register_change_on_laptop(session)
            institution_of(session, institution_id)
            problems += tuple(_employed_elsewhere(session, draft, institution_id, today))
            if has_errors(problems):
                raise ValidationFailed(problems)
            values = asdict(draft) | {"sex": _sex_of(draft.id_number, today)}
            if staff_id is None:
                member = StaffMember(institution_id=institution_id, **values)
                session.add(member)
            else:
                member = _staff(session, staff_id)
                require_version(session, member, expected_version if expected_version is not None else -1)
                assign_changes(member, values)
            session.flush()
            record_id = member.id
    except StaleDataError as error:
        raise ConcurrentEditError("这条人员记录刚刚被其他人修改，您的修改没有保存；请重新打开后再修改。") from error
    return RosterOutcome(record_id, warnings_only(problems), Changes(institutions=frozenset({institution_id})))


def delete_staff_member(ctx: AppContext, staff_id: uuid.UUID, *, expected_version: int) -> Changes:
    """Remove a staff record entered by mistake (someone who left gets an end date instead)."""
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        refuse_register_change_on_laptop(session)
        member = _staff(session, staff_id)
        require_version(session, member, expected_version)
        institution_id = member.institution_id
        session.delete(member)
    return Changes(institutions=frozenset({institution_id}))


def _employed_elsewhere(session: Session, draft: StaffDraft, institution_id: uuid.UUID, today: date) -> list[Problem]:
    """The same person, by ID number, currently on another institution's roster."""
    if draft.employed_until is not None and draft.employed_until < today:
        return []
    key = person_key(draft.id_number)
    if key is None:
        return []
    names = list(
        session.scalars(
            select(Institution.name)
            .join(StaffMember, StaffMember.institution_id == Institution.id)
            .where(StaffMember.id_number == key, StaffMember.institution_id != institution_id)
            .where((StaffMember.employed_until.is_(None)) | (StaffMember.employed_until >= today))
            .distinct()
        )
    )
    if not names:
        return []
    return [double_employment_problem(key, names)]


def _sex_of(id_number: str | None, today: date) -> Sex | None:
    check = validate_id_number(id_number or "", today=today)
    return Sex(check.sex) if check.ok and check.sex else None


def _class(session: Session, class_id: uuid.UUID) -> ClassGroup:
    group = session.get(ClassGroup, class_id)
    if group is None:
        raise NotFoundError("该班级已不存在，可能已被其他用户删除。请刷新记录。")
    return group


def _staff(session: Session, staff_id: uuid.UUID) -> StaffMember:
    member = session.get(StaffMember, staff_id)
    if member is None:
        raise NotFoundError("该人员记录已不存在，可能已被其他用户删除。请刷新记录。")
    return member
