"""Inspectors' declared conflicts of interest (回避), and the append-only record of random draws.

Revision ID: 0004_inspection_roster
Revises: 0003_institution_events
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_inspection_roster"
down_revision = "0003_institution_events"
branch_labels = None
depends_on = None


def _synced_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("origin", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "inspector_conflicts",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("declared_on", sa.Date(), nullable=False),
        *_synced_columns(),
        sa.ForeignKeyConstraint(["institution_id"], ["institutions.id"],
                                name=op.f("fk_inspector_conflicts_institution_id_institutions")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_inspector_conflicts_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspector_conflicts")),
    )
    op.create_index(op.f("ix_inspector_conflicts_institution_id"), "inspector_conflicts", ["institution_id"])
    op.create_index(op.f("ix_inspector_conflicts_user_id"), "inspector_conflicts", ["user_id"])
    op.create_table(
        "random_draws",
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("county_code", sa.String(length=12), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("rate", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("minimum", sa.Integer(), nullable=False),
        sa.Column("inputs_sha256", sa.String(length=64), nullable=False),
        sa.Column("inputs_json", sa.Text(), nullable=False),
        sa.Column("result_json", sa.Text(), nullable=False),
        sa.Column("drawn_by", sa.String(length=60), nullable=False),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=False),
        *_synced_columns(),
        sa.ForeignKeyConstraint(["county_code"], ["regions.code"], name=op.f("fk_random_draws_county_code_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_random_draws")),
    )
    op.create_index(op.f("ix_random_draws_period"), "random_draws", ["period"])
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER random_draws_no_{verb.lower()} BEFORE {verb} ON random_draws "
                       "BEGIN SELECT RAISE(ABORT, 'random_draws is append-only'); END")
    else:
        op.execute("CREATE FUNCTION random_draws_append_only() RETURNS trigger LANGUAGE plpgsql AS "
                   "$$ BEGIN RAISE EXCEPTION 'random_draws is append-only'; END $$")
        op.execute("CREATE TRIGGER random_draws_no_change BEFORE UPDATE OR DELETE ON random_draws "
                   "FOR EACH ROW EXECUTE FUNCTION random_draws_append_only()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS random_draws_no_update")
        op.execute("DROP TRIGGER IF EXISTS random_draws_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS random_draws_no_change ON random_draws")
        op.execute("DROP FUNCTION IF EXISTS random_draws_append_only()")
    op.drop_index(op.f("ix_random_draws_period"), table_name="random_draws")
    op.drop_table("random_draws")
    op.drop_index(op.f("ix_inspector_conflicts_user_id"), table_name="inspector_conflicts")
    op.drop_index(op.f("ix_inspector_conflicts_institution_id"), table_name="inspector_conflicts")
    op.drop_table("inspector_conflicts")
