"""The roster of enrolled children: add, edit, leave, delete, reveal; ID numbers masked everywhere but one place."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select, text, update

from desktop.domain.enums import ApplicationStatus, NodeKind, OperatingStatus, Sex, SponsorType, SubsidyScheme
from desktop.domain.identifiers import make_id_number, mask_id_number
from desktop.domain.lifecycle_rules import LifecycleState
from desktop.errors import TuoyuError
from desktop.models import AppSetting, AuditEntry, Child, EnrollmentClaim, SubsidyApplication
from desktop.services.children import (
    ID_NUMBER_VIEWED,
    ChildDraft,
    delete_child,
    list_children,
    load_child,
    mark_child_left,
    reveal_id_number,
    save_child,
)
from desktop.services.installation import NODE_KIND_KEY
from desktop.services.institution_commands import (
    ConcurrentEditError,
    InstitutionDraft,
    ValidationFailed,
    create_institution,
)
from desktop.services.institution_history import load_history
from desktop.services.regions import ensure_regions
from desktop.services.unit_of_work import write_session
from tests.conftest import TODAY

ID = make_id_number("620702", date(2025, 3, 14), 124)
OPEN = LifecycleState(operating_status=OperatingStatus.OPERATING, opened_on=date(2024, 3, 1))
CHILD = ChildDraft(
    name="王小雨",
    id_number=ID,
    enrolled_on=date(2026, 3, 1),
    guardian_name="王芳",
    guardian_phone="139 1234 5678",
)


def _institution(ctx, name: str, county: str = "620702"):
    draft = InstitutionDraft(name=name, sponsor_type=SponsorType.SOCIAL, county_code=county, slots=40)
    return create_institution(ctx, draft, OPEN, today=TODAY).institution_id


@pytest.fixture
def roster(ctx):
    ensure_regions(ctx)
    return ctx, _institution(ctx, "甘州区阳光托育中心")


def _codes(failure: ValidationFailed) -> list[str]:
    return [p.code for p in failure.problems]


def test_a_child_is_added_with_birth_date_and_sex_from_the_id_and_listed_masked(roster):
    ctx, institution_id = roster
    outcome = save_child(ctx, institution_id, CHILD, today=TODAY)
    assert outcome.warnings == () and outcome.changes.institutions == {institution_id}
    (line,) = list_children(ctx, institution_id, today=TODAY)
    assert (line.name, line.id_number_masked, line.birth_date, line.sex) == (
        "王小雨",
        "620702********1246",
        date(2025, 3, 14),
        Sex.FEMALE,
    )
    assert (line.age_months, line.in_care, line.guardian_name) == (20, True, "王芳")
    with ctx.db.session_factory() as session:
        stored = session.get(Child, outcome.record_id)
        assert (stored.id_number, stored.guardian_phone) == (ID, "13912345678")


def test_errors_are_refused_by_field_and_nothing_is_written(roster):
    ctx, institution_id = roster
    bad = replace(CHILD, id_number=ID[:17] + "0", enrolled_on=date(2026, 12, 1), guardian_phone="12345")
    with pytest.raises(ValidationFailed) as refused:
        save_child(ctx, institution_id, bad, today=TODAY)
    assert {(p.code, p.field) for p in refused.value.problems} == {
        ("id_number.check_char", "id_number"),
        ("child.enrolled_on_future", "enrolled_on"),
        ("phone.mobile_length", "guardian_phone"),
    }
    assert list_children(ctx, institution_id, today=TODAY) == ()


def test_an_edit_that_leaves_the_masked_number_alone_keeps_the_stored_number(roster):
    ctx, institution_id = roster
    child_id = save_child(ctx, institution_id, CHILD, today=TODAY).record_id
    form = load_child(ctx, child_id)
    assert form.draft.id_number == mask_id_number(ID) and form.birth_date == date(2025, 3, 14)
    edited = replace(form.draft, guardian_name="李强")
    save_child(ctx, institution_id, edited, today=TODAY, child_id=child_id, expected_version=form.version)
    with ctx.db.session_factory() as session:
        assert (session.get(Child, child_id).id_number, session.get(Child, child_id).guardian_name) == (ID, "李强")
    # A masked number that is not the stored one's mask is refused, not guessed at.
    again = load_child(ctx, child_id)
    with pytest.raises(ValidationFailed) as refused:
        save_child(
            ctx,
            institution_id,
            replace(again.draft, id_number="620702********0000"),
            today=TODAY,
            child_id=child_id,
            expected_version=again.version,
        )
    assert _codes(refused.value) == ["child.id_number_masked"]


def test_a_stale_form_is_refused(roster):
    ctx, institution_id = roster
    child_id = save_child(ctx, institution_id, CHILD, today=TODAY).record_id
    form = load_child(ctx, child_id)
    save_child(ctx, institution_id, replace(form.draft, name="王小语"), today=TODAY, child_id=child_id,
               expected_version=form.version)  # fmt: skip
    with pytest.raises(ConcurrentEditError):
        save_child(ctx, institution_id, form.draft, today=TODAY, child_id=child_id, expected_version=form.version)


def test_the_same_child_twice_on_one_roster_is_refused_until_the_first_stay_has_ended(roster):
    ctx, institution_id = roster
    first = save_child(ctx, institution_id, CHILD, today=TODAY)
    with pytest.raises(ValidationFailed) as refused:
        save_child(ctx, institution_id, replace(CHILD, enrolled_on=date(2026, 9, 1)), today=TODAY)
    assert _codes(refused.value) == ["child.already_on_roster"]
    assert ID not in refused.value.message
    mark_child_left(ctx, first.record_id, date(2026, 6, 30), expected_version=first.version, today=TODAY)
    save_child(ctx, institution_id, replace(CHILD, enrolled_on=date(2026, 9, 1)), today=TODAY)
    lines = list_children(ctx, institution_id, today=TODAY)
    assert [(line.in_care, line.left_on) for line in lines] == [(True, None), (False, date(2026, 6, 30))]


def test_the_same_child_in_care_at_another_institution_of_the_county_is_a_warning_naming_it(roster):
    ctx, institution_id = roster
    other = _institution(ctx, "甘州区彩虹树托育园")
    elsewhere = _institution(ctx, "临泽县童之梦托育园", county="620723")
    save_child(ctx, other, CHILD, today=TODAY)
    save_child(ctx, elsewhere, CHILD, today=TODAY)  # another county: not this check's business

    outcome = save_child(ctx, institution_id, replace(CHILD, enrolled_on=date(2026, 10, 1)), today=TODAY)
    (warning,) = outcome.warnings
    assert warning.code == "child.enrolled_elsewhere" and warning.field == "id_number"
    assert "甘州区彩虹树托育园" in warning.message and "临泽县" not in warning.message
    assert mask_id_number(ID) in warning.message and ID not in warning.message
    assert len(list_children(ctx, institution_id, today=TODAY)) == 1  # saved all the same


def test_a_child_who_left_the_other_institution_before_is_no_conflict(roster):
    ctx, institution_id = roster
    other = _institution(ctx, "甘州区彩虹树托育园")
    save_child(ctx, other, replace(CHILD, left_on=date(2026, 9, 30)), today=TODAY)
    assert save_child(ctx, institution_id, replace(CHILD, enrolled_on=date(2026, 10, 1)), today=TODAY).warnings == ()


def test_leaving_is_recorded_and_a_date_before_enrollment_refused(roster):
    ctx, institution_id = roster
    saved = save_child(ctx, institution_id, CHILD, today=TODAY)
    with pytest.raises(ValidationFailed) as refused:
        mark_child_left(ctx, saved.record_id, date(2026, 2, 1), expected_version=saved.version, today=TODAY)
    assert _codes(refused.value) == ["child.left_before_enrolled"]
    mark_child_left(ctx, saved.record_id, date(2026, 10, 31), expected_version=saved.version, today=TODAY)
    (line,) = list_children(ctx, institution_id, today=TODAY)
    assert (line.left_on, line.in_care) == (date(2026, 10, 31), False)


def _claim(ctx, institution_id, child_id) -> None:
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        application = SubsidyApplication(
            scheme=SubsidyScheme.ENROLLMENT,
            institution_id=institution_id,
            county_code="620702",
            period="2026-10",
            status=ApplicationStatus.DRAFT,
            facts_json="{}",
        )
        session.add(application)
        session.flush()
        session.add(
            EnrollmentClaim(
                application_id=application.id,
                child_id=child_id,
                county_code="620702",
                month="2026-10",
                id_number=ID,
                eligible=True,
                amount_fen=20000,
                reasons_json="[]",
            )
        )


def test_a_child_with_enrollment_claims_cannot_be_deleted_one_without_can(roster):
    ctx, institution_id = roster
    claimed = save_child(ctx, institution_id, CHILD, today=TODAY)
    _claim(ctx, institution_id, claimed.record_id)
    with pytest.raises(TuoyuError) as refused:
        delete_child(ctx, claimed.record_id, expected_version=claimed.version)
    assert "2026-10" in refused.value.message and "离托" in refused.value.message
    other = save_child(ctx, institution_id, replace(CHILD, id_number=make_id_number("620702", date(2025, 1, 2), 11)),
                       today=TODAY)  # fmt: skip
    delete_child(ctx, other.record_id, expected_version=other.version)
    assert [line.id for line in list_children(ctx, institution_id, today=TODAY)] == [claimed.record_id]


def test_revealing_the_full_number_is_audited_with_the_actor(roster):
    ctx, institution_id = roster
    child_id = save_child(ctx, institution_id, CHILD, today=TODAY).record_id
    assert reveal_id_number(ctx, child_id) == ID
    with ctx.db.session_factory() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == ID_NUMBER_VIEWED)).one()
    assert (entry.actor, entry.entity_id, entry.subject_id) == (ctx.actor.username, child_id, institution_id)
    assert "王小雨" in entry.summary and ID not in entry.changes
    (viewed,) = [line for line in load_history(ctx, institution_id) if line.action == "查看完整身份证号"]
    assert (viewed.subject, viewed.field, viewed.actor) == ("幼儿 王小雨", "", ctx.actor.username)


def test_no_full_id_number_or_phone_reaches_the_audit_log(roster):
    ctx, institution_id = roster
    saved = save_child(ctx, institution_id, CHILD, today=TODAY)
    second = make_id_number("620702", date(2025, 6, 1), 13)
    form = load_child(ctx, saved.record_id)
    save_child(ctx, institution_id, replace(form.draft, id_number=second, guardian_phone="0936-8212345"), today=TODAY,
               child_id=saved.record_id, expected_version=form.version)  # fmt: skip
    reveal_id_number(ctx, saved.record_id)
    with ctx.db.engine.connect() as connection:
        logged = " ".join(
            f"{row.changes} {row.summary}"
            for row in connection.execute(text("SELECT changes, summary FROM audit_log WHERE entity_type = 'children'"))
        )
    assert logged.count("620702") >= 3  # the masked numbers are there…
    for secret in (ID, second, "13912345678", "8212345", "1234567"):
        assert secret not in logged  # …the full ones are not
    assert "139****5678" in logged  # a phone is masked as phones are, not as an ID number
    history = load_history(ctx, institution_id)
    assert any(line.field == "身份证号" and line.new == mask_id_number(second) for line in history)


def test_a_field_laptop_keeps_no_roster(roster):
    ctx, institution_id = roster
    with ctx.db.session_factory() as session, session.begin():
        session.execute(update(AppSetting).where(AppSetting.key == NODE_KIND_KEY).values(value=NodeKind.LAPTOP.value))
    with pytest.raises(TuoyuError, match="检查笔记本"):
        save_child(ctx, institution_id, CHILD, today=TODAY)
    with ctx.db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Child)) == 0


def test_the_demo_has_rosters_with_a_child_on_two_rosters_of_one_county(demo_ctx):
    with demo_ctx.db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Child)) > 5000
        repeated = (
            session.execute(select(Child.id_number).group_by(Child.id_number).having(func.count() > 1)).scalars().all()
        )
        assert len(repeated) == 2
        pair = session.scalars(select(Child).where(Child.id_number == repeated[0])).all()
        first, second = sorted(pair, key=lambda child: child.enrolled_on)
    form = load_child(demo_ctx, second.id)
    outcome = save_child(demo_ctx, second.institution_id, form.draft, today=TODAY, child_id=second.id,
                         expected_version=form.version)  # fmt: skip
    assert [w.code for w in outcome.warnings] == ["child.enrolled_elsewhere"]
    lines = list_children(demo_ctx, first.institution_id, today=TODAY)
    assert mask_id_number(first.id_number) in {line.id_number_masked for line in lines}


def test_a_field_package_never_carries_children(demo_ctx, tmp_path):
    import zipfile

    from desktop.domain.enums import UserRole
    from desktop.models import User
    from desktop.services.field_packages import Scope, export_field_package

    with demo_ctx.db.session_factory() as session:
        inspector = session.scalar(
            select(User.id).where(User.role == UserRole.INSPECTOR, User.county_code == "620702").limit(1)
        )
        phones = session.scalars(select(Child.guardian_phone).limit(200)).all()
    path = tmp_path / "package.tuoyu-field"
    export_field_package(demo_ctx, path, inspector_id=inspector, today=TODAY, scope=Scope.COUNTY)
    with zipfile.ZipFile(path) as archive:
        content = archive.read("data.json").decode("utf-8")
    assert '"children"' not in content
    assert not [phone for phone in phones if phone in content]
