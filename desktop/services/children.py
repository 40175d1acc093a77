"""An institution's roster of enrolled children (在托幼儿): list, add, edit, mark as left, delete, reveal an ID.

The roster is what the enrollment subsidy is paid from. A child's ID number is personal data: lists
and forms get it masked (620702********1234), the audit log stores it masked (``Child.__sensitive__``),
and the only way the full number leaves this layer is ``reveal_id_number``, which records who looked.
An edit that leaves the masked number as it was keeps the stored number.

The same child (by ID number) in care at the same time at another institution of the county is a
warning naming that institution, not an error: which roster is right is for the clerk to find out,
and the subsidy workflow refuses to pay a child twice in a month whatever the rosters say.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from desktop.domain.child_rules import (
    ChildFacts,
    age_in_months,
    check_child,
    enrolled_elsewhere_problem,
    in_care_on,
    periods_overlap,
)
from desktop.domain.enums import Sex
from desktop.domain.identifiers import mask_id_number, normalize_identifier, validate_id_number
from desktop.domain.pinyin_search import name_initials
from desktop.domain.problems import Problem, Severity, has_errors
from desktop.domain.registry_rules import format_date_cn
from desktop.errors import NotFoundError, TuoyuError
from desktop.models import AuditEntry, Child, EnrollmentClaim, Institution
from desktop.services.batching import chunks
from desktop.services.changes import Changes
from desktop.services.field_laptop import is_field_laptop
from desktop.services.form_input import stored_phone, trimmed
from desktop.services.institution_commands import ConcurrentEditError, ValidationFailed, require_version
from desktop.services.record_edits import assign_changes, institution_of, warnings_only
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_connection, write_session

__all__ = [
    "ID_NUMBER_VIEWED",
    "ChildDraft",
    "ChildForm",
    "ChildLine",
    "ChildOutcome",
    "delete_child",
    "list_children",
    "load_child",
    "mark_child_left",
    "reveal_id_number",
    "save_child",
]

# The audit log's verb for "a clerk was shown a child's full ID number".
ID_NUMBER_VIEWED = "id_number_viewed"


@dataclass(frozen=True)
class ChildDraft:
    """A child as typed on the form or read from a sheet row; ``id_number`` may be the masked copy."""

    name: str
    id_number: str | None
    enrolled_on: date | None
    left_on: date | None = None
    guardian_name: str | None = None
    guardian_phone: str | None = None


@dataclass(frozen=True)
class ChildLine:
    """One row of the roster as lists show it: never the full ID number."""

    id: uuid.UUID
    version: int
    name: str
    id_number_masked: str
    sex: Sex | None
    birth_date: date
    age_months: int  # on the day the list was made
    guardian_name: str
    enrolled_on: date
    left_on: date | None
    in_care: bool  # on that day


@dataclass(frozen=True)
class ChildForm:
    """What the edit form starts from: the draft with the ID masked, and what the number says."""

    child_id: uuid.UUID
    version: int
    institution_id: uuid.UUID
    draft: ChildDraft
    birth_date: date
    sex: Sex | None


@dataclass(frozen=True)
class ChildOutcome:
    record_id: uuid.UUID
    version: int
    # Warnings the clerk saved anyway (errors never reach here): over 3 at enrollment, in care elsewhere.
    warnings: tuple[Problem, ...]
    changes: Changes


# --------------------------------------------------------------------------- reading


def list_children(ctx: AppContext, institution_id: uuid.UUID, *, today: date) -> tuple[ChildLine, ...]:
    """The institution's children: those in care today first (by name), then those who left (latest first)."""
    columns = (
        Child.id,
        Child.version,
        Child.name,
        Child.id_number,
        Child.sex,
        Child.birth_date,
        Child.guardian_name,
        Child.enrolled_on,
        Child.left_on,
    )
    with read_connection(ctx.db) as connection:
        rows = connection.execute(select(*columns).where(Child.institution_id == institution_id)).all()
    lines = [
        ChildLine(
            row.id,
            row.version,
            row.name,
            mask_id_number(row.id_number),
            row.sex,
            row.birth_date,
            age_in_months(row.birth_date, today),
            row.guardian_name or "",
            row.enrolled_on,
            row.left_on,
            in_care_on(row.enrolled_on, row.left_on, today),
        )
        for row in rows
    ]
    # By the pinyin of the name, as clerks look children up (王 after 李), not by code point.
    in_care = sorted(
        (line for line in lines if line.in_care), key=lambda line: (name_initials(line.name), line.name, line.id)
    )
    gone = sorted((line for line in lines if not line.in_care), key=lambda line: line.left_on or date.max, reverse=True)
    return (*in_care, *gone)


def load_child(ctx: AppContext, child_id: uuid.UUID) -> ChildForm:
    with ctx.db.session_factory() as session:
        child = _child(session, child_id)
        draft = ChildDraft(
            name=child.name,
            id_number=mask_id_number(child.id_number),
            enrolled_on=child.enrolled_on,
            left_on=child.left_on,
            guardian_name=child.guardian_name,
            guardian_phone=child.guardian_phone,
        )
        return ChildForm(child.id, child.version, child.institution_id, draft, child.birth_date, child.sex)


def reveal_id_number(ctx: AppContext, child_id: uuid.UUID) -> str:
    """The child's full ID number, for a clerk who needs it; the audit log records who saw it and when.

    No login yet: the actor is the operating-system account, as for every other write.
    """
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        child = _child(session, child_id)
        session.add(
            AuditEntry(
                actor=ctx.actor.username,
                origin=ctx.node_id,
                action=ID_NUMBER_VIEWED,
                entity_type=Child.__tablename__,
                entity_id=child.id,
                subject_id=child.institution_id,
                changes="{}",  # nothing changed; the history shows who looked, at whose number, when
                summary=f"查看幼儿 {child.name} 的完整身份证号码"[:300],
            )
        )
        return child.id_number


# --------------------------------------------------------------------------- writing


def normalized_child(draft: ChildDraft) -> ChildDraft:
    """Text trimmed (empty as None), the ID number normalised (full-width, spaces, lower-case x), the phone
    in its normal form."""
    values = trimmed(asdict(draft))
    values["name"] = values["name"] or ""
    if values["id_number"] and "*" not in values["id_number"]:
        values["id_number"] = normalize_identifier(values["id_number"])
    values["guardian_phone"] = stored_phone(values["guardian_phone"])
    return ChildDraft(**values)


def save_child(
    ctx: AppContext,
    institution_id: uuid.UUID,
    draft: ChildDraft,
    *,
    today: date,
    child_id: uuid.UUID | None = None,
    expected_version: int | None = None,
) -> ChildOutcome:
    """Add a child (``child_id`` None) or save an edited one. Errors raise ``ValidationFailed``."""
    draft = normalized_child(draft)
    try:
        with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
            refuse_roster_change_on_laptop(session)
            institution = institution_of(session, institution_id)
            current = _child(session, child_id) if child_id is not None else None
            if current is not None:
                require_version(session, current, expected_version if expected_version is not None else -1)
            draft = replace(draft, id_number=_unmasked(draft.id_number, current))
            problems = check_child(ChildFacts.from_attributes(draft), today=today)
            if not has_errors(problems):
                problems += tuple(_roster_problems(session, institution, draft, child_id))
            if has_errors(problems):
                raise ValidationFailed(problems)
            values = asdict(draft) | _from_id_number(draft.id_number or "", today)
            if current is None:
                current = Child(institution_id=institution_id, **values)
                session.add(current)
            else:
                assign_changes(current, values)
            session.flush()
            outcome = ChildOutcome(
                current.id, current.version, warnings_only(problems), Changes(institutions=frozenset({institution_id}))
            )
    except StaleDataError as error:
        raise _concurrent() from error
    return outcome


def mark_child_left(
    ctx: AppContext, child_id: uuid.UUID, left_on: date, *, expected_version: int, today: date
) -> ChildOutcome:
    """Record the last day a child was in care (离托)."""
    try:
        with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
            refuse_roster_change_on_laptop(session)
            child = _child(session, child_id)
            require_version(session, child, expected_version)
            facts = ChildFacts.from_attributes(child, left_on=left_on)
            # Only the leaving date is judged here: an older entry's other gaps must not block recording it.
            problems = tuple(p for p in check_child(facts, today=today) if p.field == "left_on")
            if has_errors(problems):
                raise ValidationFailed(problems)
            child.left_on = left_on
            session.flush()
            outcome = ChildOutcome(
                child.id,
                child.version,
                warnings_only(problems),
                Changes(institutions=frozenset({child.institution_id})),
            )
    except StaleDataError as error:
        raise _concurrent() from error
    return outcome


def delete_child(ctx: AppContext, child_id: uuid.UUID, *, expected_version: int) -> Changes:
    """Remove a child entered by mistake. A child with enrollment subsidy claims stays: they are the
    claims' evidence (a child who left gets a leaving date instead)."""
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        refuse_roster_change_on_laptop(session)
        child = _child(session, child_id)
        require_version(session, child, expected_version)
        months = sorted(set(session.scalars(select(EnrollmentClaim.month).where(EnrollmentClaim.child_id == child_id))))
        if months:
            shown = "、".join(months[:3]) + ("等" if len(months) > 3 else "")
            raise TuoyuError(
                f"幼儿“{child.name}”已有 {len(months)} 个月的入托补贴申报记录（{shown}），不能删除："
                "这些申报以这条记录为依据。如果幼儿已离开，请用“离托”填写离托日期。"
            )
        institution_id = child.institution_id
        session.delete(child)
    return Changes(institutions=frozenset({institution_id}))


def refuse_roster_change_on_laptop(session: Session) -> None:
    """Children never travel to a field laptop (they are not in its package), so there is no roster to change."""
    if is_field_laptop(session):
        raise TuoyuError(
            "这是检查笔记本：在托幼儿名单只保存在县区数据库中，不随检查任务包带到笔记本，因此不能在这里登记或修改。"
            "请回县区后在县区数据库中办理。"
        )


# --------------------------------------------------------------------------- shared with the import


def enrollments_elsewhere(
    session: Session, county_code: str, institution_id: uuid.UUID, id_numbers: Iterable[str]
) -> dict[str, list[tuple[str, date, date | None]]]:
    """ID number -> (institution name, enrolled on, left on) of the children with that number on the
    rosters of the county's other institutions."""
    found: dict[str, list[tuple[str, date, date | None]]] = {}
    for chunk in chunks(sorted(set(id_numbers)), 500):
        rows = session.execute(
            select(Child.id_number, Institution.name, Child.enrolled_on, Child.left_on)
            .join(Institution, Institution.id == Child.institution_id)
            .where(
                Institution.county_code == county_code,
                Child.institution_id != institution_id,
                Child.id_number.in_(chunk),
            )
            .order_by(Institution.name)
        )
        for id_number, name, enrolled_on, left_on in rows:
            found.setdefault(id_number, []).append((name, enrolled_on, left_on))
    return found


def elsewhere_problem(
    id_number: str, period: tuple[date, date | None], others: Iterable[tuple[str, date, date | None]]
) -> Problem | None:
    """The warning when any of ``others`` overlaps ``period``, naming those institutions once each."""
    names = list(dict.fromkeys(name for name, start, end in others if periods_overlap(period, (start, end))))
    return enrolled_elsewhere_problem(id_number, names) if names else None


def already_here_problem(id_number: str, name: str, enrolled_on: date) -> Problem:
    return Problem(
        "child.already_on_roster",
        f"身份证号 {mask_id_number(id_number)} 的幼儿已在本机构名单中（{name}，{format_date_cn(enrolled_on)}入托），"
        "同一时期不能登记两次。请编辑原有记录；幼儿离托后再次入托的，请先给原记录填写离托日期。",
        Severity.ERROR,
        "id_number",
    )


def _roster_problems(
    session: Session, institution: Institution, draft: ChildDraft, child_id: uuid.UUID | None
) -> list[Problem]:
    """The same child twice on this roster at once (an error), or in care at another institution (a warning)."""
    id_number = draft.id_number or ""
    assert draft.enrolled_on is not None  # check_child refused a missing date
    period = (draft.enrolled_on, draft.left_on)
    problems = []
    here = session.execute(
        select(Child.id, Child.name, Child.enrolled_on, Child.left_on).where(
            Child.institution_id == institution.id, Child.id_number == id_number
        )
    ).all()
    for other in here:
        if other.id != child_id and periods_overlap(period, (other.enrolled_on, other.left_on)):
            problems.append(already_here_problem(id_number, other.name, other.enrolled_on))
            break
    others = enrollments_elsewhere(session, institution.county_code, institution.id, [id_number]).get(id_number, [])
    if (problem := elsewhere_problem(id_number, period, others)) is not None:
        problems.append(problem)
    return problems


def _unmasked(id_number: str | None, current: Child | None) -> str | None:
    """The stored number when the form sent back its masked copy unchanged; what was typed otherwise."""
    if current is not None and id_number and "*" in id_number and id_number == mask_id_number(current.id_number):
        return current.id_number
    return id_number


def _from_id_number(id_number: str, today: date) -> dict[str, object]:
    check = validate_id_number(id_number, today=today)
    return {"birth_date": check.birth_date, "sex": Sex(check.sex) if check.sex else None}


def _child(session: Session, child_id: uuid.UUID) -> Child:
    child = session.get(Child, child_id)
    if child is None:
        raise NotFoundError("这名幼儿的记录已不存在，可能已被其他用户删除。请刷新名单。")
    return child


def _concurrent() -> ConcurrentEditError:
    return ConcurrentEditError("这名幼儿的记录刚刚被其他人修改，您的修改没有保存；请重新打开后再修改。")
