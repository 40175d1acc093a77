"""Checklist templates, one append-only row per issued version.

Revision ID: 0005_checklist_templates
Revises: 0004_inspection_roster
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_checklist_templates"
down_revision = "0004_inspection_roster"
branch_labels = None
depends_on = None

APPEND_ONLY_MESSAGE = "checklist_templates is append-only"


def upgrade() -> None:
    op.create_table(
        "checklist_templates",
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("template_version", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("origin", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_templates")),
        sa.UniqueConstraint("code", "template_version", name=op.f("uq_checklist_templates_code")),
    )
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER checklist_templates_no_{verb.lower()} BEFORE {verb} ON checklist_templates "
                       f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END")
    else:
        op.execute("CREATE FUNCTION checklist_templates_append_only() RETURNS trigger LANGUAGE plpgsql AS "
                   f"$$ BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END $$")
        op.execute("CREATE TRIGGER checklist_templates_no_change BEFORE UPDATE OR DELETE ON checklist_templates "
                   "FOR EACH ROW EXECUTE FUNCTION checklist_templates_append_only()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS checklist_templates_no_update")
        op.execute("DROP TRIGGER IF EXISTS checklist_templates_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS checklist_templates_no_change ON checklist_templates")
        op.execute("DROP FUNCTION IF EXISTS checklist_templates_append_only()")
    op.drop_table("checklist_templates")
