"""Keeping the register: create, edit, lifecycle events, roster, record problems and history."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from desktop.domain.enums import (
    ClassType,
    FilingStatus,
    InstitutionEventKind,
    OperatingStatus,
    SponsorType,
    StaffRole,
)
from desktop.domain.identifiers import make_id_number
from desktop.domain.lifecycle_rules import LifecycleEvent, LifecycleState
from desktop.models import InstitutionEvent
from desktop.services.institution_commands import (
    ConcurrentEditError,
    InstitutionDraft,
    ValidationFailed,
    create_institution,
    load_institution_form,
    record_lifecycle_event,
    update_institution,
)
from desktop.services.institution_history import load_history
from desktop.services.institution_record import load_institution_record, load_staff_draft
from desktop.services.regions import ensure_regions
from desktop.services.roster_commands import ClassGroupDraft, StaffDraft, save_class_group, save_staff_member
from desktop.services.unit_of_work import Actor
from tests.conftest import TODAY

DRAFT = InstitutionDraft(
    name="甘州区阳光宝贝托育中心",
    sponsor_type=SponsorType.SOCIAL,
    county_code="620702",
    township_code="620702001",
    credit_code="91350100M000100Y43",
    contact_phone="0936 8212345",
    slots=60,
    address="县府街1号",
)
FILED = LifecycleState(
    filing_status=FilingStatus.FILED,
    filing_number="甘州卫托备〔2024〕3号",
    filed_on=date(2024, 6, 17),
    operating_status=OperatingStatus.OPERATING,
    opened_on=date(2024, 3, 1),
)


@pytest.fixture
def registry(ctx):
    ensure_regions(ctx)
    return ctx


def test_a_new_institution_is_saved_normalised_with_its_known_history_as_events(registry):
    outcome = create_institution(registry, DRAFT, FILED, today=TODAY)
    form = load_institution_form(registry, outcome.institution_id)
    assert form.draft.contact_phone == "0936-8212345"
    assert form.lifecycle.filing_number == "甘州卫托备〔2024〕3号"
    record = load_institution_record(registry, outcome.institution_id, today=TODAY)
    kinds = [e.kind for e in record.events]
    assert InstitutionEventKind.FILED in kinds and InstitutionEventKind.OPENED in kinds
    assert next(e for e in record.events if e.kind is InstitutionEventKind.FILED).occurred_on == date(2024, 6, 17)


def test_errors_stop_the_save_and_say_which_field(registry):
    with pytest.raises(ValidationFailed) as caught:
        create_institution(registry, replace(DRAFT, name=" ", slots=-3), FILED, today=TODAY)
    fields = {p.field for p in caught.value.problems if p.severity == "error"}
    assert {"name", "slots"} <= fields
    with registry.db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(InstitutionEvent)) == 0


def test_a_wrong_check_character_is_a_warning_that_can_be_saved(registry):
    outcome = create_institution(registry, replace(DRAFT, credit_code="91350100M000100Y44"), FILED, today=TODAY)
    assert any(p.field == "credit_code" for p in outcome.warnings)


def test_an_edit_over_someone_elses_save_is_refused_with_who_and_when(registry):
    created = create_institution(registry, DRAFT, FILED, today=TODAY)
    update_institution(
        registry, created.institution_id, replace(DRAFT, slots=70), expected_version=created.version, today=TODAY
    )
    with pytest.raises(ConcurrentEditError, match="已被"):
        update_institution(
            registry, created.institution_id, replace(DRAFT, slots=80), expected_version=created.version, today=TODAY
        )
    assert load_institution_form(registry, created.institution_id).draft.slots == 70


def test_closing_needs_a_reason_and_keeps_the_record_as_a_dated_event(registry):
    created = create_institution(registry, DRAFT, FILED, today=TODAY)
    with pytest.raises(ValidationFailed, match="原因"):
        record_lifecycle_event(
            registry,
            created.institution_id,
            LifecycleEvent(InstitutionEventKind.CLOSED, TODAY - timedelta(days=2)),
            expected_version=created.version,
            today=TODAY,
        )
    closed = record_lifecycle_event(
        registry,
        created.institution_id,
        LifecycleEvent(InstitutionEventKind.CLOSED, TODAY - timedelta(days=2), reason="生源不足，举办者申请停办"),
        expected_version=created.version,
        today=TODAY,
    )
    form = load_institution_form(registry, created.institution_id)
    assert form.lifecycle.operating_status is OperatingStatus.CLOSED
    assert form.lifecycle.status_reason == "生源不足，举办者申请停办"
    with pytest.raises(ValidationFailed, match="不能办理"):
        record_lifecycle_event(
            registry,
            created.institution_id,
            LifecycleEvent(InstitutionEventKind.SUSPENDED, TODAY, reason="x"),
            expected_version=closed.version,
            today=TODAY,
        )


def test_a_refiling_is_a_new_event_and_the_old_number_stays_in_history(registry):
    created = create_institution(registry, DRAFT, FILED, today=TODAY)
    record_lifecycle_event(
        registry,
        created.institution_id,
        LifecycleEvent(InstitutionEventKind.FILED, TODAY, document_number="甘州卫托备〔2026〕9号"),
        expected_version=created.version,
        today=TODAY,
    )
    record = load_institution_record(registry, created.institution_id, today=TODAY)
    numbers = [e.document_number for e in record.events if e.kind is InstitutionEventKind.FILED]
    assert numbers == ["甘州卫托备〔2024〕3号", "甘州卫托备〔2026〕9号"]
    assert record.form.lifecycle.filing_number == "甘州卫托备〔2026〕9号"


def test_roster_checks_show_up_in_the_record(registry):
    created = create_institution(registry, DRAFT, FILED, today=TODAY)
    group = save_class_group(
        registry, created.institution_id, ClassGroupDraft("托小1班", ClassType.TODDLER, capacity=18, enrolled_count=12)
    )
    assert any(p.field == "capacity" for p in group.warnings)  # 18 > 15
    carer = StaffDraft(
        "王芳",
        StaffRole.CARER,
        id_number=make_id_number("620702", date(1990, 5, 6), 124),
        class_group_id=group.record_id,
        training_hours=80,
        health_certificate_expires_on=TODAY - timedelta(days=3),
    )
    saved = save_staff_member(registry, created.institution_id, carer, today=TODAY)
    assert {p.field for p in saved.warnings} >= {"training_hours", "health_certificate_expires_on"}
    record = load_institution_record(registry, created.institution_id, today=TODAY)
    places = {rp.where for rp in record.problems}
    assert "班级 托小1班" in places and "人员 王芳" in places
    assert record.staff[0].id_number_masked == carer.id_number[:6] + "*" * 8 + carer.id_number[-4:]
    assert load_staff_draft(registry, saved.record_id)[0].id_number == carer.id_number


def test_an_invalid_id_number_is_refused_next_to_its_field(registry):
    created = create_institution(registry, DRAFT, FILED, today=TODAY)
    bad = StaffDraft("李娜", StaffRole.CARER, id_number="620702199005061243")
    with pytest.raises(ValidationFailed) as caught:
        save_staff_member(registry, created.institution_id, bad, today=TODAY)
    assert any(p.field == "id_number" and p.severity == "error" for p in caught.value.problems)


def test_the_same_person_at_two_institutions_is_flagged(registry):
    first = create_institution(registry, DRAFT, FILED, today=TODAY)
    second = create_institution(
        registry, replace(DRAFT, name="甘州区小太阳托育园", credit_code=None), FILED, today=TODAY
    )
    person = StaffDraft(
        "赵敏", StaffRole.CARER, id_number=make_id_number("620702", date(1988, 2, 3), 202), training_hours=150
    )
    save_staff_member(registry, first.institution_id, person, today=TODAY)
    again = save_staff_member(registry, second.institution_id, person, today=TODAY)
    flagged = [p for p in again.warnings if "甘州区阳光宝贝托育中心" in p.message]
    assert flagged and person.id_number not in flagged[0].message


def test_history_shows_who_changed_which_field_from_what_to_what(registry):
    created = create_institution(registry, DRAFT, FILED, today=TODAY)
    clerk = replace(registry, actor=Actor("li.clerk"))
    update_institution(
        clerk,
        created.institution_id,
        replace(DRAFT, slots=80, sponsor_type=SponsorType.PUBLIC),
        expected_version=created.version,
        today=TODAY,
    )
    lines = load_history(registry, created.institution_id)
    slots = next(line for line in lines if line.field == "托位数" and line.action == "修改")
    assert (slots.actor, slots.old, slots.new) == ("li.clerk", "60", "80")
    sponsor = next(line for line in lines if line.field == "举办主体" and line.action == "修改")
    assert (sponsor.old, sponsor.new) == ("社会力量举办", "公办托育机构")
    assert any(line.subject == "备案/普惠/运营" and line.new == "备案登记" for line in lines)
