"""Every write through a service is attributed and audited, with personal data masked."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from desktop.db.session_events import UnattributedWriteError
from desktop.domain.enums import SponsorType, StaffRole
from desktop.domain.identifiers import make_id_number
from desktop.models import AuditEntry, Institution, StaffMember
from desktop.services.regions import ensure_regions
from desktop.services.unit_of_work import Actor, write_session
from tests.conftest import TODAY

CLERK = Actor("zhang.clerk")


def _new_institution(ctx, name="甘州区阳光托育中心", slots=60):
    ensure_regions(ctx)
    with write_session(ctx.db, CLERK, ctx.node_id) as session:
        institution = Institution(name=name, sponsor_type=SponsorType.SOCIAL, county_code="620702", slots=slots)
        session.add(institution)
        session.flush()
        return institution.id


def _entries(ctx, entity_id):
    with ctx.db.session_factory() as session:
        return list(
            session.scalars(select(AuditEntry).where(AuditEntry.entity_id == entity_id).order_by(AuditEntry.at))
        )


def test_creating_a_record_is_audited_with_who_and_new_values(ctx):
    institution_id = _new_institution(ctx)
    [entry] = _entries(ctx, institution_id)
    assert entry.action == "insert"
    assert entry.actor == "zhang.clerk"
    assert entry.origin == ctx.node_id
    changes = json.loads(entry.changes)
    assert changes["name"] == [None, "甘州区阳光托育中心"]
    assert changes["slots"] == [None, 60]


def test_an_edit_records_old_and_new_values_of_changed_fields_only(ctx):
    institution_id = _new_institution(ctx)
    with write_session(ctx.db, Actor("li.clerk"), ctx.node_id) as session:
        session.get(Institution, institution_id).slots = 80
    entries = _entries(ctx, institution_id)
    assert [e.action for e in entries] == ["insert", "update"]
    assert entries[1].actor == "li.clerk"
    assert json.loads(entries[1].changes) == {"slots": [60, 80]}


def test_new_rows_carry_the_installations_origin_and_version_one(ctx):
    institution_id = _new_institution(ctx)
    with ctx.db.session_factory() as session:
        institution = session.get(Institution, institution_id)
        assert institution.origin == ctx.node_id
        assert institution.version == 1
        assert institution.id.version == 7


def test_id_numbers_are_masked_in_the_audit_log(ctx):
    institution_id = _new_institution(ctx)
    id_number = make_id_number("620702", TODAY.replace(year=1990), 123)
    with write_session(ctx.db, CLERK, ctx.node_id) as session:
        staff = StaffMember(institution_id=institution_id, name="王芳", id_number=id_number, role=StaffRole.CARER)
        session.add(staff)
        session.flush()
        staff_id = staff.id
    [entry] = _entries(ctx, staff_id)
    assert id_number not in entry.changes
    assert id_number[8:14] not in entry.changes  # no birth-date digits
    assert json.loads(entry.changes)["id_number"][1].startswith("620702")


def test_a_write_outside_a_unit_of_work_is_refused(ctx):
    ensure_regions(ctx)
    with ctx.db.session_factory() as session:
        session.add(Institution(name="无人负责", sponsor_type=SponsorType.SOCIAL, county_code="620702"))
        with pytest.raises(UnattributedWriteError):
            session.flush()


def test_a_failed_transaction_leaves_neither_change_nor_audit_entry(ctx):
    ensure_regions(ctx)
    with pytest.raises(RuntimeError), write_session(ctx.db, CLERK, ctx.node_id) as session:
        session.add(Institution(name="半途而废", sponsor_type=SponsorType.SOCIAL, county_code="620702"))
        session.flush()
        raise RuntimeError("the clerk's save failed half-way")
    with ctx.db.session_factory() as session:
        assert session.scalar(select(Institution).where(Institution.name == "半途而废")) is None
        assert session.scalar(select(AuditEntry).where(AuditEntry.summary.like("%半途而废%"))) is None


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"])
def test_the_audit_log_is_append_only_in_the_database(ctx, statement):
    _new_institution(ctx)
    with ctx.db.session_factory() as session:
        before = sorted(session.execute(select(AuditEntry.id, AuditEntry.actor)).all())
    with pytest.raises(DBAPIError, match="append-only"), ctx.db.engine.begin() as connection:
        connection.execute(text(statement))
    with ctx.db.session_factory() as session:
        assert sorted(session.execute(select(AuditEntry.id, AuditEntry.actor)).all()) == before
