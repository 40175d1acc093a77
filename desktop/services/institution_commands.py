"""Creating and editing institutions, and recording their lifecycle events (备案, 普惠, 运营).

Editable fields change through ``update_institution``; filing, 普惠 and operating status change only
through ``record_lifecycle_event``, which stores a dated event and the state it leads to in one
transaction, so the record's history shows when and why, not just the latest value.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, fields
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from desktop.domain.enums import DemonstrationLevel, Ownership, RegistrationType, ServiceMode, SponsorType
from desktop.domain.identifiers import normalize_identifier
from desktop.domain.institution_rules import check_institution
from desktop.domain.lifecycle_rules import (
    LifecycleEvent,
    LifecycleState,
    apply_event,
    check_event,
    events_for_initial_state,
)
from desktop.domain.pinyin_search import name_initials
from desktop.domain.problems import Problem, Severity, has_errors
from desktop.domain.registry_rules import InstitutionFacts
from desktop.errors import TuoyuError
from desktop.models import AuditEntry, Institution, InstitutionEvent
from desktop.models.base import SyncedRecord
from desktop.services.changes import Changes
from desktop.services.field_laptop import refuse_register_change_on_laptop
from desktop.services.form_input import stored_phone, trimmed
from desktop.services.record_edits import institution_of, warnings_only
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session, write_session


@dataclass(frozen=True)
class InstitutionDraft:
    """The fields a clerk edits in the institution form (lifecycle fields excluded)."""

    name: str
    sponsor_type: SponsorType
    county_code: str
    credit_code: str | None = None
    ownership: Ownership | None = None
    registration_type: RegistrationType | None = None
    service_modes: frozenset[ServiceMode] = frozenset()
    chain_brand: str | None = None
    township_code: str | None = None
    address: str = ""
    legal_representative: str | None = None
    principal_name: str | None = None
    contact_person: str | None = None
    contact_phone: str | None = None
    slots: int = 0
    building_area_m2: Decimal | None = None
    outdoor_area_m2: Decimal | None = None
    premises_leased: bool = False
    lease_expires_on: date | None = None
    fee_full_day_monthly_fen: int | None = None
    fee_half_day_monthly_fen: int | None = None
    fee_hourly_fen: int | None = None
    meal_fee_daily_fen: int | None = None
    serves_meals: bool = False
    food_licence_number: str | None = None
    demonstration: bool = False
    demonstration_level: DemonstrationLevel | None = None
    demonstration_recognized_on: date | None = None
    medical_partnership: bool = False
    medical_partner_name: str | None = None
    notes: str | None = None


DRAFT_FIELDS = tuple(f.name for f in fields(InstitutionDraft))
LIFECYCLE_FIELDS = tuple(f.name for f in fields(LifecycleState))


class ValidationFailed(TuoyuError):
    """The input has errors; nothing was saved. ``problems`` holds every error and warning."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        errors = [p.message for p in problems if p.severity is Severity.ERROR]
        super().__init__("未保存，请先改正以下问题：\n" + "\n".join(errors))
        self.problems = problems


class ConcurrentEditError(TuoyuError):
    """Someone else saved the record since it was opened; nothing was saved."""


@dataclass(frozen=True)
class SaveOutcome:
    institution_id: uuid.UUID
    version: int
    # Warnings the clerk saw and saved anyway (errors never reach here).
    warnings: tuple[Problem, ...]
    changes: Changes


@dataclass(frozen=True)
class InstitutionForm:
    """What the edit form starts from."""

    institution_id: uuid.UUID
    version: int
    draft: InstitutionDraft
    lifecycle: LifecycleState


def normalized(draft: InstitutionDraft) -> InstitutionDraft:
    """Identifiers and phone numbers as they are stored: full-width folded, upper-case, no spaces."""
    values = trimmed(asdict(draft))
    values["service_modes"] = frozenset(draft.service_modes)
    values["name"] = values["name"] or ""
    values["address"] = values["address"] or ""
    if values["credit_code"]:
        values["credit_code"] = normalize_identifier(values["credit_code"])
    values["contact_phone"] = stored_phone(values["contact_phone"])
    return InstitutionDraft(**values)


def validate_institution(draft: InstitutionDraft, lifecycle: LifecycleState, *, today: date) -> tuple[Problem, ...]:
    """Every problem of the form as it stands (pure; the dialog calls it as the clerk types)."""
    merged = SimpleNamespace(**asdict(draft), **asdict(lifecycle))
    merged.service_modes = draft.service_modes
    problems = list(check_institution(InstitutionFacts.from_attributes(merged), today=today))
    if not draft.county_code:
        problems.append(Problem("institution.county_missing", "请选择所属县区。", Severity.ERROR, "county_code"))
    return tuple(problems)


def _duplicate_credit_code(session: Session, draft: InstitutionDraft, own_id: uuid.UUID | None) -> list[Problem]:
    if not draft.credit_code:
        return []
    statement = select(Institution.name).where(Institution.credit_code == draft.credit_code)
    if own_id is not None:
        statement = statement.where(Institution.id != own_id)
    others = list(session.scalars(statement.limit(3)))
    if not others:
        return []
    # A kindergarten's nursery class may legitimately share the kindergarten's code: a warning.
    return [
        Problem(
            "institution.credit_code_duplicate",
            f"统一社会信用代码 {draft.credit_code} 已登记给「{'」「'.join(others)}」。"
            "如属同一法人举办的不同托育点可继续保存，否则请核对代码。",
            Severity.WARNING,
            "credit_code",
        )
    ]


def create_institution(
    ctx: AppContext, draft: InstitutionDraft, lifecycle: LifecycleState, *, today: date
) -> SaveOutcome:
    """Register a new institution. Its known filing, 普惠 and operating history become events."""
    draft = normalized(draft)
    problems = validate_institution(draft, lifecycle, today=today)
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        refuse_register_change_on_laptop(session)
        problems += tuple(_duplicate_credit_code(session, draft, None))
        if has_errors(problems):
            raise ValidationFailed(problems)
        institution = Institution(**asdict(draft), **asdict(lifecycle), name_initials=name_initials(draft.name))
        session.add(institution)
        session.flush()
        for event in events_for_initial_state(lifecycle, registered_on=today):
            session.add(_event_row(institution.id, event))
        session.flush()
        outcome = SaveOutcome(
            institution.id,
            institution.version,
            warnings_only(problems),
            Changes(institutions=frozenset({institution.id})),
        )
    return outcome


def load_institution_form(ctx: AppContext, institution_id: uuid.UUID) -> InstitutionForm:
    with read_session(ctx.db) as session:
        institution = institution_of(session, institution_id)
        draft = InstitutionDraft(**{key: getattr(institution, key) for key in DRAFT_FIELDS})
        lifecycle = LifecycleState(**{key: getattr(institution, key) for key in LIFECYCLE_FIELDS})
        return InstitutionForm(institution.id, institution.version, draft, lifecycle)


def update_institution(
    ctx: AppContext, institution_id: uuid.UUID, draft: InstitutionDraft, *, expected_version: int, today: date
) -> SaveOutcome:
    """Save the edited fields, unless someone else saved the record since ``expected_version``."""
    draft = normalized(draft)
    try:
        with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
            refuse_register_change_on_laptop(session)
            institution = institution_of(session, institution_id)
            require_version(session, institution, expected_version)
            lifecycle = LifecycleState(**{key: getattr(institution, key) for key in LIFECYCLE_FIELDS})
            problems = validate_institution(draft, lifecycle, today=today)
            problems += tuple(_duplicate_credit_code(session, draft, institution_id))
            if has_errors(problems):
                raise ValidationFailed(problems)
            for key in DRAFT_FIELDS:
                if getattr(institution, key) != getattr(draft, key):
                    setattr(institution, key, getattr(draft, key))
            if institution.name_initials != name_initials(draft.name):
                institution.name_initials = name_initials(draft.name)
            session.flush()
            version = institution.version
    except StaleDataError as error:  # saved by someone else between our read and our write
        raise ConcurrentEditError("这条记录刚刚被其他人修改，您的修改没有保存；请重新打开记录后再修改。") from error
    return SaveOutcome(
        institution_id, version, warnings_only(problems), Changes(institutions=frozenset({institution_id}))
    )


def record_lifecycle_event(
    ctx: AppContext, institution_id: uuid.UUID, event: LifecycleEvent, *, expected_version: int, today: date
) -> SaveOutcome:
    """Record a filing, 普惠 or operating event and apply it to the institution's current state."""
    try:
        with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
            refuse_register_change_on_laptop(session)
            institution = institution_of(session, institution_id)
            require_version(session, institution, expected_version)
            state = LifecycleState(**{key: getattr(institution, key) for key in LIFECYCLE_FIELDS})
            problems = check_event(state, event, today=today)
            if has_errors(problems):
                raise ValidationFailed(problems)
            after = apply_event(state, event)
            for key in LIFECYCLE_FIELDS:
                if getattr(institution, key) != getattr(after, key):
                    setattr(institution, key, getattr(after, key))
            session.add(_event_row(institution_id, event))
            session.flush()
            version = institution.version
    except StaleDataError as error:  # saved by someone else between our read and our write
        raise ConcurrentEditError("这条记录刚刚被其他人修改，您的修改没有保存；请重新打开记录后再修改。") from error
    return SaveOutcome(institution_id, version, (), Changes(institutions=frozenset({institution_id})))


def _event_row(institution_id: uuid.UUID, event: LifecycleEvent) -> InstitutionEvent:
    return InstitutionEvent(
        institution_id=institution_id,
        kind=event.kind,
        occurred_on=event.occurred_on,
        document_number=(event.document_number or "").strip() or None,
        reason=(event.reason or "").strip() or None,
    )


def require_version(session: Session, record: SyncedRecord, expected_version: int) -> None:
    """Refuse to save over a change someone else saved after the form was opened."""
    if record.version == expected_version:
        return
    last = session.execute(
        select(AuditEntry.actor, AuditEntry.at)
        .where(AuditEntry.entity_id == record.id)
        .order_by(AuditEntry.at.desc())
        .limit(1)
    ).first()
    who = f"已被 {last.actor} 于 {last.at.astimezone():%Y-%m-%d %H:%M} 修改" if last else "已被其他人修改"
    raise ConcurrentEditError(f"这条记录在您打开之后{who}。您的修改没有保存；请关闭后重新打开记录，核对后再修改。")
