"""The append-only audit log, and pinyin initials of institution names for search as you type.

Revision ID: 0002_audit_and_initials
Revises: 0001_core_register
Create Date: 2026-11-23

Existing institutions get their initials computed here, so an upgraded database finds them by
"zyty" at once. The audit log refuses UPDATE and DELETE through triggers: a correction is a new
entry. (A later batch migration that rebuilds audit_log on SQLite must recreate the triggers.)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.domain.pinyin_search import name_initials

revision = "0002_audit_and_initials"
down_revision = "0001_core_register"
branch_labels = None
depends_on = None

APPEND_ONLY_MESSAGE = "audit_log is append-only"


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=60), nullable=False),
        sa.Column("origin", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=True),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_entity_id"), ["entity_id"], unique=False)
    _create_append_only_triggers()

    with op.batch_alter_table("institutions") as batch_op:
        batch_op.add_column(sa.Column("name_initials", sa.String(length=200), nullable=False, server_default=""))
    connection = op.get_bind()
    institutions = sa.table("institutions", sa.column("id", sa.Uuid()), sa.column("name", sa.String()),
                            sa.column("name_initials", sa.String()))
    rows = connection.execute(sa.select(institutions.c.id, institutions.c.name)).all()
    if rows:
        connection.execute(
            institutions.update().where(institutions.c.id == sa.bindparam("row_id"))
            .values(name_initials=sa.bindparam("initials")),
            [{"row_id": row.id, "initials": name_initials(row.name)} for row in rows],
        )


def downgrade() -> None:
    with op.batch_alter_table("institutions") as batch_op:
        batch_op.drop_column("name_initials")
    _drop_append_only_triggers()
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_entity_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))
    op.drop_table("audit_log")


def _create_append_only_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
            )
    else:
        op.execute(
            "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )


def _drop_append_only_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
