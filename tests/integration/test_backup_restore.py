"""Backups are verified copies made with the backup API; restore keeps whatever it replaces."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select

from desktop.db.backup import backup_sqlite
from desktop.domain.enums import SponsorType
from desktop.errors import NewerSchemaError, StorageError
from desktop.models import Institution
from desktop.services.maintenance import backup_database, check_database, restore_database
from desktop.services.startup import open_app
from desktop.services.unit_of_work import Actor, write_session


def _count(ctx):
    with ctx.db.session_factory() as session:
        return session.scalar(select(func.count()).select_from(Institution))


@pytest.fixture
def demo_sqlite(sqlite_ctx):
    from desktop.demo.zhangye import Scale
    from desktop.services.demo_service import load_demo
    from tests.conftest import TODAY

    load_demo(sqlite_ctx, scale=Scale.COUNTY, seed=3, today=TODAY)
    return sqlite_ctx


def test_a_backup_is_a_verified_copy_with_the_same_rows(demo_sqlite, tmp_path):
    result = backup_database(demo_sqlite.db, tmp_path / "copy.db")
    assert result.row_counts["institutions"] == 160
    with sqlite3.connect(result.path) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT count(*) FROM staff").fetchone()[0] == result.row_counts["staff"]
    assert not (tmp_path / "copy.db.partial").exists()


def test_a_backup_never_overwrites_an_existing_file(demo_sqlite, tmp_path):
    existing = tmp_path / "copy.db"
    existing.write_text("keep me")
    with pytest.raises(StorageError, match="已存在"):
        backup_database(demo_sqlite.db, existing)
    assert existing.read_text() == "keep me"


def test_backup_of_a_postgres_database_points_to_pg_dump(ctx, tmp_path):
    if ctx.db.is_sqlite:
        pytest.skip("the SQLite case is covered above")
    with pytest.raises(StorageError, match="pg_dump"):
        backup_database(ctx.db, tmp_path / "x.db")


def test_restore_brings_back_the_backup_and_keeps_the_replaced_database(demo_sqlite, data_dir, tmp_path):
    backup = backup_database(demo_sqlite.db, tmp_path / "before.db").path
    with write_session(demo_sqlite.db, Actor("clerk"), demo_sqlite.node_id) as session:
        session.add(Institution(name="备份后新增", sponsor_type=SponsorType.SOCIAL, county_code="620702"))
    assert _count(demo_sqlite) == 161
    demo_sqlite.close()

    result = restore_database(backup, data_dir=data_dir)

    assert result.safety_backup is not None and result.safety_backup.exists()
    reopened = open_app(data_dir=data_dir, url=None)
    try:
        assert _count(reopened) == 160
        assert check_database(reopened.db).ok
    finally:
        reopened.close()


def test_restore_over_a_damaged_database_moves_it_aside_with_its_journal(demo_sqlite, data_dir, tmp_path):
    backup = backup_database(demo_sqlite.db, tmp_path / "good.db").path
    demo_sqlite.close()
    live = data_dir / "tuoyu.db"
    live.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)
    (data_dir / "tuoyu.db-journal").write_bytes(b"stale hot journal")

    result = restore_database(backup, data_dir=data_dir)

    assert result.damaged_moved_to is not None
    assert result.damaged_moved_to.read_bytes().startswith(b"SQLite format 3")
    assert result.damaged_moved_to.with_name(result.damaged_moved_to.name + "-journal").exists()
    assert not (data_dir / "tuoyu.db-journal").exists()
    reopened = open_app(data_dir=data_dir, url=None)
    try:
        assert _count(reopened) == 160
    finally:
        reopened.close()


def test_restore_refuses_a_damaged_backup_and_changes_nothing(demo_sqlite, data_dir, tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    demo_sqlite.close()
    before = (data_dir / "tuoyu.db").read_bytes()
    with pytest.raises(StorageError):
        restore_database(bad, data_dir=data_dir)
    assert (data_dir / "tuoyu.db").read_bytes() == before


def test_restore_refuses_a_backup_from_a_newer_release(demo_sqlite, data_dir, tmp_path):
    newer = tmp_path / "newer.db"
    backup_sqlite(demo_sqlite.db.path, newer)
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    demo_sqlite.close()
    with pytest.raises(NewerSchemaError, match="更新版本"):
        restore_database(newer, data_dir=data_dir)


def test_restore_refuses_a_file_that_is_not_a_tuoyu_backup(data_dir, tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE t (x)")
    with pytest.raises(StorageError, match="不是托育监管的备份文件"):
        restore_database(other, data_dir=data_dir)
