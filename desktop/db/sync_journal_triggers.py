"""Database triggers that write the sync journal (used by the migrations; docs/sync.md "How changes are found").

Every insert, update and delete of a record that can travel adds a row to ``sync_journal`` in the same
transaction — written by the database itself, so no code path can forget it: the ORM unit of work, a bulk
import, a Core ``UPDATE`` without an audit entry, a cascade, a hand-made script. On SQLite a row trigger per
verb; on PostgreSQL one statement trigger per verb over its transition table, so a bulk insert of 100,000 rows
journals them in one ``INSERT … SELECT``.

Alembic's batch mode on SQLite rebuilds a table by copying it, which drops its triggers: a migration that
rebuilds a journalled table must create its journal triggers again (tests/migrations checks that every synced
table has them at head).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

VERBS = ("INSERT", "UPDATE", "DELETE")
PG_FUNCTION = "sync_journal_statement"

# SQLAlchemy stores SQLite timestamps as "YYYY-MM-DD HH:MM:SS.ffffff" (naive UTC); %f gives seconds to the
# millisecond, padded here to six fraction digits.
_SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f000', 'now')"


def trigger_name(table: str, verb: str) -> str:
    return f"{table}_journal_{verb.lower()}"


def create_journal_function(op: Any) -> None:
    """PostgreSQL: the one function every journal trigger runs (nothing on SQLite)."""
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute(
        f"CREATE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'DELETE' THEN "
        "INSERT INTO sync_journal (entity_type, entity_id, action, at) "
        "SELECT TG_TABLE_NAME, id, 'delete', now() FROM old_rows; "
        "ELSE "
        "INSERT INTO sync_journal (entity_type, entity_id, action, at) "
        "SELECT TG_TABLE_NAME, id, lower(TG_OP), now() FROM new_rows; "
        "END IF; RETURN NULL; END $$"
    )


def drop_journal_function(op: Any) -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")


def create_journal_triggers(op: Any, tables: Iterable[str]) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in tables:
        for verb in VERBS:
            name = trigger_name(table, verb)
            if sqlite:
                row = "OLD" if verb == "DELETE" else "NEW"
                op.execute(
                    f"CREATE TRIGGER {name} AFTER {verb} ON {table} FOR EACH ROW BEGIN "
                    f"INSERT INTO sync_journal (entity_type, entity_id, action, at) "
                    f"VALUES ('{table}', {row}.id, '{verb.lower()}', {_SQLITE_NOW}); END"
                )
            else:
                transition = "OLD TABLE AS old_rows" if verb == "DELETE" else "NEW TABLE AS new_rows"
                op.execute(
                    f"CREATE TRIGGER {name} AFTER {verb} ON {table} REFERENCING {transition} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
                )


def drop_journal_triggers(op: Any, tables: Iterable[str]) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in tables:
        for verb in VERBS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger_name(table, verb)}" + ("" if sqlite else f" ON {table}"))
