"""Database triggers that keep legal records as they were written (used by the migrations).

A guard is (table, verbs, condition on SQLite, condition on PostgreSQL). Without a condition the
table is append-only for those verbs; with one, the row is frozen once the condition holds (a
finished inspection). Raising in the database means no code path — not even a bug or a hand-edited
script — can rewrite evidence; a correction is always a new record.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FINISHED = "finished inspections cannot change; record a correction instead"
APPEND_ONLY = "{table} is append-only"

# (table, verbs, condition on SQLite, condition on PostgreSQL[, message when it is not the default])
Guard = tuple[str, tuple[str, ...], str | None, str | None] | tuple[str, tuple[str, ...], str | None, str | None, str]


def create_row_guards(op: Any, guards: Iterable[Guard]) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, verbs, sqlite_when, pg_when, *custom in guards:
        message = custom[0] if custom else APPEND_ONLY.format(table=table) if sqlite_when is None else FINISHED
        for verb in verbs:
            name = f"{table}_guard_{verb.lower()}"
            if sqlite:
                when = f" WHEN {sqlite_when}" if sqlite_when else ""
                op.execute(
                    f"CREATE TRIGGER {name} BEFORE {verb} ON {table} FOR EACH ROW{when} "
                    f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
                )
            else:
                # The condition reads the row as it was (OLD) or as inserted (NEW); the function must
                # return NEW for INSERT and UPDATE (returning OLD would silently undo an UPDATE).
                check = f"IF {pg_when} THEN " if pg_when else ""
                end = " END IF;" if pg_when else ""
                returned = "OLD" if verb == "DELETE" else "NEW"
                op.execute(
                    f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    f"{check}RAISE EXCEPTION '{message}';{end} RETURN {returned}; END $$"
                )
                op.execute(f"CREATE TRIGGER {name} BEFORE {verb} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()")


def drop_row_guards(op: Any, guards: Iterable[Guard]) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, verbs, *_conditions in guards:
        for verb in verbs:
            name = f"{table}_guard_{verb.lower()}"
            op.execute(f"DROP TRIGGER IF EXISTS {name}" + ("" if sqlite else f" ON {table}"))
            if not sqlite:
                op.execute(f"DROP FUNCTION IF EXISTS {name}()")
