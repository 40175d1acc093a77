"""Institution lifecycle events, the subject of each audit entry (for a record's history tab), and a
covering index for search as you type.

Revision ID: 0003_institution_events
Revises: 0002_audit_and_initials
Create Date: 2026-11-23

``institution_events`` is append-only like the audit log. ``audit_log.subject_id`` is added with a
plain ALTER TABLE (not batch mode), because rebuilding audit_log would drop its append-only
triggers; entries written before this revision keep an empty subject.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_institution_events"
down_revision = "0002_audit_and_initials"
branch_labels = None
depends_on = None

APPEND_ONLY_MESSAGE = "institution_events is append-only"


def upgrade() -> None:
    op.create_table(
        "institution_events",
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("document_number", sa.String(length=60), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("origin", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["institution_id"], ["institutions.id"],
                                name=op.f("fk_institution_events_institution_id_institutions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institution_events")),
    )
    op.create_index(op.f("ix_institution_events_institution_id"), "institution_events", ["institution_id"])
    _append_only("institution_events")

    op.add_column("audit_log", sa.Column("subject_id", sa.Uuid(), nullable=True))
    op.create_index(op.f("ix_audit_log_subject_id"), "audit_log", ["subject_id"])

    op.create_index("ix_institutions_search", "institutions",
                    ["name_initials", "name", "id", "address", "credit_code"])


def downgrade() -> None:
    op.drop_index("ix_institutions_search", table_name="institutions")
    op.drop_index(op.f("ix_audit_log_subject_id"), table_name="audit_log")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite before 3.35 cannot drop a column in place; batch mode rebuilds the table, which
        # drops its triggers, so they are made again afterwards.
        with op.batch_alter_table("audit_log") as batch_op:
            batch_op.drop_column("subject_id")
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                       "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
    else:
        op.drop_column("audit_log", "subject_id")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS institution_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS institution_events_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS institution_events_no_change ON institution_events")
        op.execute("DROP FUNCTION IF EXISTS institution_events_append_only()")
    op.drop_index(op.f("ix_institution_events_institution_id"), table_name="institution_events")
    op.drop_table("institution_events")


def _append_only(table: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END")
    else:
        op.execute(f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
                   f"$$ BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END $$")
        op.execute(f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()")
