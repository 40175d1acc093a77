"""Revision 0010_sync: every table of synced records journals its changes at head (a later migration that rebuilds
a table in batch mode, or adds one, must not leave a table without its triggers), the journal records what any
write path does, and the revision leaves again on downgrade."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from desktop.db.database import open_database
from desktop.db.migrate import run_alembic
from desktop.db.sync_journal_triggers import VERBS, trigger_name
from desktop.models import Base
from desktop.models.base import SyncedRecord

BEFORE, SYNC = "0009_nodes", "0010_sync"
ORIGIN = "99999999999999999999999999999999"


@pytest.fixture
def db(database_url, data_dir):
    database = open_database(data_dir=data_dir, url=database_url)
    yield database
    database.dispose()


def _synced_tables() -> set[str]:
    return {mapper.class_.__tablename__ for mapper in Base.registry.mappers if issubclass(mapper.class_, SyncedRecord)}


def _triggers(db) -> set[str]:
    with db.engine.connect() as connection:
        if db.is_sqlite:
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        else:
            query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
        return set(connection.execute(text(query)).scalars())


def test_every_synced_table_journals_inserts_updates_and_deletes_at_head(db):
    run_alembic(db, "upgrade", "head")
    wanted = {trigger_name(table, verb) for table in _synced_tables() for verb in VERBS}
    assert wanted <= _triggers(db)


def test_a_write_no_service_audits_is_journalled_all_the_same(db):
    run_alembic(db, "upgrade", "head")
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO regions (id, code, name, level, created_at, updated_at, origin, version) VALUES "
                "(:id, '629999', '测试县', 'county', '2026-11-25 00:00:00', '2026-11-25 00:00:00', :origin, 1)"
            ),
            {"id": "1" * 32, "origin": ORIGIN},
        )
        connection.execute(text("UPDATE regions SET name = '测试区' WHERE code = '629999'"))
        connection.execute(text("DELETE FROM regions WHERE code = '629999'"))
        rows = connection.execute(
            text("SELECT entity_type, action FROM sync_journal WHERE entity_type = 'regions' ORDER BY seq")
        ).all()
    assert [tuple(row) for row in rows] == [("regions", "insert"), ("regions", "update"), ("regions", "delete")]


def test_the_revision_leaves_on_downgrade_and_comes_back(db):
    run_alembic(db, "upgrade", SYNC)
    run_alembic(db, "downgrade", BEFORE)
    with db.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
    assert not {t for t in tables if t.startswith("sync_")}
    assert not {name for name in _triggers(db) if "_journal_" in name}
    run_alembic(db, "upgrade", SYNC)
    assert {trigger_name("institutions", verb) for verb in VERBS} <= _triggers(db)
