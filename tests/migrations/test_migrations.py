"""Alembic is the only schema authority: every path through the revisions works and loses nothing."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from desktop.db.database import open_database
from desktop.db.migrate import HEAD_REVISION, alembic_head, run_alembic, schema_state
from desktop.errors import NewerSchemaError
from desktop.models import Base
from desktop.services.startup import open_app

FIRST_REVISION = "0001_core_register"


@pytest.fixture
def db(database_url, data_dir):
    database = open_database(data_dir=data_dir, url=database_url)
    yield database
    database.dispose()


def _pending_diff(database):
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_there_is_one_head_and_the_release_knows_it():
    assert alembic_head() == HEAD_REVISION


def test_empty_to_head_gives_exactly_the_models_schema(db):
    run_alembic(db, "upgrade", "head")
    assert schema_state(db).status == "current"
    assert _pending_diff(db) == []


def test_head_to_base_and_back_to_head(db):
    run_alembic(db, "upgrade", "head")
    run_alembic(db, "downgrade", "base")
    with db.engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
    run_alembic(db, "upgrade", "head")
    assert _pending_diff(db) == []


def _fill_first_revision(db):
    """Rows in every table of revision 0001, written with plain SQL as that release would have."""
    statements = [
        "INSERT INTO regions (id, code, name, level, parent_code, created_at, updated_at, origin, version) VALUES "
        "('11111111111111111111111111111111', '620702', '甘州区', 'county', NULL, '2025-01-01 00:00:00',"
        " '2025-01-01 00:00:00', '99999999999999999999999999999999', 1)",
        "INSERT INTO institutions (id, name, sponsor_type, service_modes, county_code, address, slots,"
        " premises_leased, serves_meals, filing_status, puhui, operating_status, demonstration, medical_partnership,"
        " created_at, updated_at, origin, version) VALUES ('22222222222222222222222222222222', '张掖市阳光托育中心',"
        " 'social', 'full_day', '620702', '县府街1号', 60, false, true, 'filed', true, 'operating', false, false,"
        " '2025-01-01 00:00:00', '2025-01-01 00:00:00', '99999999999999999999999999999999', 3)",
        "INSERT INTO class_groups (id, institution_id, name, class_type, capacity, enrolled_count, created_at,"
        " updated_at, origin, version) VALUES ('33333333333333333333333333333333', '22222222222222222222222222222222',"
        " '托小1班', 'toddler', 15, 12, '2025-01-01 00:00:00', '2025-01-01 00:00:00',"
        " '99999999999999999999999999999999', 1)",
        "INSERT INTO staff (id, institution_id, class_group_id, name, id_number, role, training_hours, created_at,"
        " updated_at, origin, version) VALUES ('44444444444444444444444444444444', '22222222222222222222222222222222',"
        " '33333333333333333333333333333333', '王芳', '11010519491231002X', 'carer', 120, '2025-01-01 00:00:00',"
        " '2025-01-01 00:00:00', '99999999999999999999999999999999', 1)",
        "INSERT INTO users (id, username, display_name, role, active, created_at, updated_at, origin, version) VALUES"
        " ('55555555555555555555555555555555', 'clerk', '经办人', 'clerk', true, '2025-01-01 00:00:00',"
        " '2025-01-01 00:00:00', '99999999999999999999999999999999', 1)",
        "INSERT INTO app_settings (key, value) VALUES ('node_id', '99999999-9999-9999-9999-999999999999')",
        "INSERT INTO app_settings (key, value) VALUES ('node_kind', 'county')",
    ]
    with db.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


def _rows(db, table):
    with db.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(f"SELECT * FROM {table} ORDER BY 1"))]


def test_a_first_revision_database_with_data_upgrades_without_losing_a_row(db):
    run_alembic(db, "upgrade", FIRST_REVISION)
    _fill_first_revision(db)
    tables = ("regions", "institutions", "class_groups", "staff", "users", "app_settings")
    before = {table: _rows(db, table) for table in tables}

    run_alembic(db, "upgrade", "head")

    for table in tables:
        after = _rows(db, table)
        assert len(after) == len(before[table]), table
    with db.engine.connect() as connection:
        initials, version = connection.execute(text("SELECT name_initials, version FROM institutions")).one()
        staff_id_number = connection.execute(text("SELECT id_number FROM staff")).scalar_one()
    assert initials == "zysygtyzx"  # backfilled, so the upgraded register is searchable by pinyin at once
    assert version == 3
    assert staff_id_number == "11010519491231002X"


def _sqlite_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_opening_an_older_database_takes_a_verified_backup_then_upgrades(data_dir):
    old = open_database(data_dir=data_dir)
    run_alembic(old, "upgrade", FIRST_REVISION)
    _fill_first_revision(old)
    old.dispose()

    ctx = open_app(data_dir=data_dir, url=None)
    try:
        assert ctx.upgrade is not None and ctx.upgrade.from_revision == FIRST_REVISION
        backup = ctx.upgrade.backup.path
        assert backup.parent == data_dir / "backups"
        with sqlite3.connect(backup) as connection:
            assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == FIRST_REVISION
            assert connection.execute("SELECT count(*) FROM institutions").fetchone()[0] == 1
        assert schema_state(ctx.db).status == "current"
    finally:
        ctx.close()


def test_a_database_from_a_newer_release_is_refused_and_left_untouched(data_dir):
    ctx = open_app(data_dir=data_dir, url=None)
    with ctx.db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    ctx.close()
    path = data_dir / "tuoyu.db"
    before = _sqlite_digest(path)
    with pytest.raises(NewerSchemaError, match="更新版本.*未作任何改动"):
        open_app(data_dir=data_dir, url=None)
    assert _sqlite_digest(path) == before
    assert not (data_dir / "backups").exists()
