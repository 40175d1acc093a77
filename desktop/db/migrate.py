"""Schema revisions with Alembic: find where a database stands and bring it to head safely.

An older database is upgraded after a verified backup (SQLite backup API); a database written by a
newer Tuoyu is refused and left untouched. Alembic is imported only when a migration must run, so
a normal start does not pay for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Connection, inspect, text

from desktop.db.backup import BackupResult, backup_sqlite, timestamped_backup_path
from desktop.db.database import Database
from desktop.errors import NewerSchemaError, StorageError
from desktop.paths import backups_dir, migrations_dir

# The newest revision this release knows. tests/migrations checks it against migrations/versions,
# so a forgotten update fails CI; keeping it here spares the start-up an Alembic import.
HEAD_REVISION = "0010_sync"


class SchemaStatus(StrEnum):
    EMPTY = "empty"
    CURRENT = "current"
    BEHIND = "behind"
    NEWER = "newer"
    FOREIGN = "foreign"


@dataclass(frozen=True)
class SchemaState:
    status: SchemaStatus
    revision: str | None
    head: str = HEAD_REVISION


def current_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def schema_state(db: Database) -> SchemaState:
    with db.engine.connect() as connection:
        revision = current_revision(connection)
        if revision is None:
            # An empty alembic_version (left by a downgrade to base) still means an empty schema.
            tables = [
                t
                for t in inspect(connection).get_table_names()
                if not t.startswith("sqlite_") and t != "alembic_version"
            ]
            return SchemaState(SchemaStatus.FOREIGN if tables else SchemaStatus.EMPTY, None)
    if revision == HEAD_REVISION:
        return SchemaState(SchemaStatus.CURRENT, revision)
    if revision in known_revisions():
        return SchemaState(SchemaStatus.BEHIND, revision)
    return SchemaState(SchemaStatus.NEWER, revision)


def known_revisions() -> set[str]:
    return {script.revision for script in _script_directory().walk_revisions()}


def refuse_unusable(state: SchemaState, db: Database) -> None:
    """Raise when the database must not be touched by this release."""
    if state.status is SchemaStatus.NEWER:
        raise NewerSchemaError(
            f"数据库 {db.describe()} 由更新版本的托育监管创建（结构版本 {state.revision}），"
            f"本程序只支持到 {state.head}。数据库未作任何改动。请安装最新版本的托育监管后再打开。"
        )
    if state.status is SchemaStatus.FOREIGN:
        raise StorageError(
            f"数据库 {db.describe()} 中已有其他程序的数据表，不是托育监管数据库。数据库未作任何改动。"
            "请用 --data-dir 或 --db 指定托育监管自己的数据库。"
        )


@dataclass(frozen=True)
class UpgradeResult:
    from_revision: str | None
    to_revision: str
    backup: BackupResult | None


def upgrade_to_head(db: Database, *, now: datetime | None = None) -> UpgradeResult:
    """Bring the database to HEAD_REVISION, taking a verified backup first if it holds data."""
    state = schema_state(db)
    refuse_unusable(state, db)
    if state.status is SchemaStatus.CURRENT:
        return UpgradeResult(state.revision, HEAD_REVISION, None)
    backup = None
    if state.status is SchemaStatus.BEHIND and db.is_sqlite and db.path is not None:
        stamp = now or datetime.now(UTC).astimezone()
        target = timestamped_backup_path(
            backups_dir(db.data_dir or db.path.parent), f"before-upgrade-from-{state.revision}", stamp
        )
        backup = backup_sqlite(db.path, target)
    run_alembic(db, "upgrade", "head")
    return UpgradeResult(state.revision, HEAD_REVISION, backup)


def run_alembic(db: Database, command_name: str, revision: str) -> None:
    """Run an Alembic command ("upgrade"/"downgrade") on the database, in one transaction."""
    from alembic import command  # imported lazily: only migrations need it

    config = _alembic_config()
    with db.engine.connect() as connection:
        if db.is_sqlite:
            # Batch mode rebuilds tables by copy-and-drop; with foreign keys on, dropping a parent
            # table would cascade. The pragma is ignored inside a transaction, so set it first.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        config.attributes["connection"] = connection
        getattr(command, command_name)(config, revision)
        if db.is_sqlite:
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.commit()
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
            if problems:
                raise StorageError(f"数据库结构升级后发现 {len(problems)} 处外键不一致，请联系技术支持。")


def _alembic_config():  # -> alembic.config.Config
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


def _script_directory():  # -> alembic.script.ScriptDirectory
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config())


def alembic_head() -> str:
    heads = _script_directory().get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have exactly one head, found {heads}")
    return heads[0]
