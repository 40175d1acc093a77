"""Transactions, locking and PRAGMAs behave as DESIGN.md §3 promises, on real databases."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm.exc import StaleDataError

from desktop.db.sqlite_pragmas import journal_settings
from desktop.domain.enums import SponsorType
from desktop.models import Institution
from desktop.services.regions import ensure_regions
from desktop.services.unit_of_work import Actor, write_session

CLERK = Actor("clerk")


def test_sqlite_pragmas_follow_the_version_gate(sqlite_ctx):
    expected_mode, expected_sync = journal_settings(sqlite3.sqlite_version_info)
    with sqlite_ctx.db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar().upper() == expected_mode
        sync = connection.exec_driver_sql("PRAGMA synchronous").scalar()
        assert sync == {"FULL": 2, "EXTRA": 3}[expected_sync]
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_foreign_keys_are_enforced(ctx):
    with pytest.raises(Exception, match="(?i)foreign key"), write_session(ctx.db, CLERK, ctx.node_id) as session:
        session.add(Institution(name="无县区", sponsor_type=SponsorType.SOCIAL, county_code="999999"))


def test_a_rolled_back_savepoint_leaves_no_rows(ctx):
    ensure_regions(ctx)
    with write_session(ctx.db, CLERK, ctx.node_id) as session:
        nested = session.begin_nested()
        session.add(Institution(name="保存点内", sponsor_type=SponsorType.SOCIAL, county_code="620702"))
        session.flush()
        nested.rollback()
        session.add(Institution(name="保存点外", sponsor_type=SponsorType.SOCIAL, county_code="620702"))
    with ctx.db.session_factory() as session:
        names = set(session.scalars(select(Institution.name)))
    assert names == {"保存点外"}


def test_a_concurrent_edit_is_detected_not_lost(ctx):
    ensure_regions(ctx)
    with write_session(ctx.db, CLERK, ctx.node_id) as session:
        institution = Institution(name="并发编辑", sponsor_type=SponsorType.SOCIAL, county_code="620702", slots=10)
        session.add(institution)
    # The second clerk opened the record before the first one saved; the form holds the old version.
    with ctx.db.session_factory() as session:
        seen_by_second_clerk = session.get(Institution, institution.id)
    with write_session(ctx.db, Actor("first"), ctx.node_id) as session:
        session.get(Institution, institution.id).slots = 20
    # The second save must fail, not silently overwrite the first.
    with pytest.raises(StaleDataError), write_session(ctx.db, Actor("second"), ctx.node_id) as session:
        session.add(seen_by_second_clerk)
        seen_by_second_clerk.slots = 30
    with ctx.db.session_factory() as session:
        assert session.get(Institution, institution.id).slots == 20


def test_sqlite_writers_take_the_lock_at_begin(sqlite_ctx, monkeypatch):
    statements = []
    connection_events = sqlite_ctx.db.engine
    from sqlalchemy import event

    def remember(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(connection_events, "before_cursor_execute", remember)
    try:
        with write_session(sqlite_ctx.db, CLERK, sqlite_ctx.node_id) as session:
            session.execute(select(func.count()).select_from(Institution))
    finally:
        event.remove(connection_events, "before_cursor_execute", remember)
    assert statements[0] == "BEGIN IMMEDIATE"


def test_postgres_and_sqlite_store_money_and_areas_exactly(ctx):
    from decimal import Decimal

    ensure_regions(ctx)
    with write_session(ctx.db, CLERK, ctx.node_id) as session:
        session.add(
            Institution(
                name="精确金额",
                sponsor_type=SponsorType.SOCIAL,
                county_code="620702",
                fee_full_day_monthly_fen=123456,
                building_area_m2=Decimal("576.57"),
            )
        )
    with ctx.db.engine.connect() as connection:
        row = connection.execute(text("SELECT fee_full_day_monthly_fen FROM institutions")).one()
    assert row[0] == 123456
    with ctx.db.session_factory() as session:
        assert session.scalar(select(Institution.building_area_m2)) == Decimal("576.57")


def test_a_full_disk_gets_a_chinese_message_and_nothing_is_half_written(sqlite_ctx):
    from sqlalchemy import event

    from desktop.errors import StorageError

    ensure_regions(sqlite_ctx)
    engine = sqlite_ctx.db.engine
    with engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()

    def no_room_to_grow(dbapi_connection, _record):
        # SQLite reports SQLITE_FULL, exactly as on a full disk, once the file would need to grow.
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    engine.dispose()
    event.listen(engine, "connect", no_room_to_grow)
    try:
        with (
            pytest.raises(StorageError, match="磁盘空间已满.*没有保存"),
            write_session(sqlite_ctx.db, CLERK, sqlite_ctx.node_id) as session,
        ):
            for number in range(2000):
                session.add(
                    Institution(
                        name=f"第{number}家托育机构" * 5,
                        sponsor_type=SponsorType.SOCIAL,
                        county_code="620702",
                        address="甘州区" * 40,
                    )
                )
    finally:
        event.remove(engine, "connect", no_room_to_grow)
        engine.dispose()
    with sqlite_ctx.db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Institution)) == 0


def test_database_errors_never_carry_the_values_they_were_given(sqlite_ctx):
    from desktop.domain.enums import StaffRole
    from desktop.models import StaffMember
    from desktop.models.uuid7 import uuid7

    id_number = "11010519491231002X"
    with pytest.raises(Exception) as caught, write_session(sqlite_ctx.db, CLERK, sqlite_ctx.node_id) as session:
        # No such institution: the foreign key fails while the ID number is among the statement's values.
        session.add(StaffMember(institution_id=uuid7(), name="王芳", id_number=id_number, role=StaffRole.CARER))
    assert "FOREIGN KEY" in str(caught.value)
    assert id_number not in str(caught.value)
