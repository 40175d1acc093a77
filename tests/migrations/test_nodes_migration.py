"""Revision 0009_nodes: the enrolled-nodes table arrives on a database in use, keeps one row per node and per key,
and leaves again on downgrade without touching anything else."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from desktop.db.database import open_database
from desktop.db.migrate import run_alembic

BEFORE, NODES = "0008_children_subsidies", "0009_nodes"
ORIGIN = "99999999999999999999999999999999"


@pytest.fixture
def db(database_url, data_dir):
    database = open_database(data_dir=data_dir, url=database_url)
    yield database
    database.dispose()


def _insert_node(connection, row_id: str, node_id: str, signing: str, encryption: str) -> None:
    connection.execute(
        text(
            "INSERT INTO nodes (id, node_id, role, name, division_code, signing_key, encryption_key, fingerprint,"
            " enrolled_at, enrolled_by, created_at, updated_at, origin, version) VALUES (:id, :node_id, 'laptop',"
            " '张三的检查笔记本', '620702', :signing, :encryption, :fingerprint, '2026-11-24 00:00:00', 'clerk',"
            " '2026-11-24 00:00:00', '2026-11-24 00:00:00', :origin, 1)"
        ),
        {
            "id": row_id,
            "node_id": node_id,
            "signing": signing,
            "encryption": encryption,
            "fingerprint": "A" * 64,
            "origin": ORIGIN,
        },
    )


def _table_names(db) -> set[str]:
    with db.engine.connect() as connection:
        return set(inspect(connection).get_table_names())


def test_an_0008_database_gains_the_nodes_table_keeping_its_settings(db):
    run_alembic(db, "upgrade", BEFORE)
    with db.engine.begin() as connection:
        connection.execute(text("INSERT INTO app_settings (key, value) VALUES ('node_kind', 'county')"))
    assert "nodes" not in _table_names(db)

    run_alembic(db, "upgrade", NODES)

    with db.engine.begin() as connection:
        assert connection.execute(text("SELECT value FROM app_settings WHERE key = 'node_kind'")).scalar() == "county"
        _insert_node(connection, "1" * 32, "2" * 32, "S" * 44, "E" * 44)
        assert connection.execute(text("SELECT count(*) FROM nodes")).scalar() == 1


@pytest.mark.parametrize(
    ("node_id", "signing", "encryption"),
    [("2" * 32, "T" * 44, "F" * 44), ("3" * 32, "S" * 44, "F" * 44), ("3" * 32, "T" * 44, "E" * 44)],
    ids=["same-node", "same-signing-key", "same-encryption-key"],
)
def test_a_node_and_each_key_can_be_enrolled_once_only(db, node_id, signing, encryption):
    run_alembic(db, "upgrade", NODES)
    with db.engine.begin() as connection:
        _insert_node(connection, "1" * 32, "2" * 32, "S" * 44, "E" * 44)
    with pytest.raises(IntegrityError), db.engine.begin() as connection:
        _insert_node(connection, "4" * 32, node_id, signing, encryption)


def test_downgrading_to_0008_removes_only_the_nodes_table(db):
    run_alembic(db, "upgrade", BEFORE)
    tables_before = _table_names(db)
    run_alembic(db, "upgrade", NODES)
    run_alembic(db, "downgrade", BEFORE)
    assert _table_names(db) == tables_before
