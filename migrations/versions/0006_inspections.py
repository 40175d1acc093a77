"""Inspections, their answers, rectification notices, closures and document counters.

Revision ID: 0006_inspections
Revises: 0005_checklist_templates
Create Date: 2026-11-23

A finished inspection and its answers can no longer change, and notices and closures are
append-only: triggers refuse it, so a correction is always a new record.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.db.row_guards import create_row_guards, drop_row_guards

revision = '0006_inspections'
down_revision = '0005_checklist_templates'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('document_counters',
    sa.Column('county_code', sa.String(length=12), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('last_serial', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('county_code', 'year', 'kind', name=op.f('pk_document_counters'))
    )
    op.create_table('inspections',
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('template_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('quarterly_spot_check', 'semiannual_inspection', 'follow_up', 'special', name='inspectionkind', native_enum=False, length=32), nullable=False),
    sa.Column('period', sa.String(length=8), nullable=False),
    sa.Column('draw_id', sa.Uuid(), nullable=True),
    sa.Column('follow_up_of', sa.Uuid(), nullable=True),
    sa.Column('corrects_id', sa.Uuid(), nullable=True),
    sa.Column('inspected_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('inspectors', sa.String(length=200), nullable=False),
    sa.Column('representative', sa.String(length=60), nullable=True),
    sa.Column('finished', sa.Boolean(), nullable=False),
    sa.Column('conclusion', sa.Enum('incomplete', 'passed', 'rectification_required', 'vetoed', name='inspectionconclusion', native_enum=False, length=32), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('origin', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['corrects_id'], ['inspections.id'], name=op.f('fk_inspections_corrects_id_inspections')),
    sa.ForeignKeyConstraint(['draw_id'], ['random_draws.id'], name=op.f('fk_inspections_draw_id_random_draws')),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_inspections_institution_id_institutions')),
    sa.ForeignKeyConstraint(['template_id'], ['checklist_templates.id'], name=op.f('fk_inspections_template_id_checklist_templates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspections'))
    )
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspections_follow_up_of'), ['follow_up_of'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspections_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspections_period'), ['period'], unique=False)

    op.create_table('inspection_answers',
    sa.Column('inspection_id', sa.Uuid(), nullable=False),
    sa.Column('item_code', sa.String(length=80), nullable=False),
    sa.Column('answer', sa.Enum('compliant', 'non_compliant', 'not_applicable', name='answer', native_enum=False, length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('origin', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_inspection_answers_inspection_id_inspections')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_answers')),
    sa.UniqueConstraint('inspection_id', 'item_code', name=op.f('uq_inspection_answers_inspection_id'))
    )
    with op.batch_alter_table('inspection_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_answers_inspection_id'), ['inspection_id'], unique=False)

    op.create_table('rectification_notices',
    sa.Column('inspection_id', sa.Uuid(), nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('county_code', sa.String(length=12), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('document_number', sa.String(length=60), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('deadline_estimated', sa.Boolean(), nullable=False),
    sa.Column('items_json', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('origin', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['county_code'], ['regions.code'], name=op.f('fk_rectification_notices_county_code_regions')),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_rectification_notices_inspection_id_inspections')),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_rectification_notices_institution_id_institutions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification_notices')),
    sa.UniqueConstraint('county_code', 'year', 'serial', name=op.f('uq_rectification_notices_county_code')),
    sa.UniqueConstraint('document_number', name=op.f('uq_rectification_notices_document_number'))
    )
    with op.batch_alter_table('rectification_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_notices_deadline'), ['deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_notices_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_notices_institution_id'), ['institution_id'], unique=False)

    op.create_table('rectification_closures',
    sa.Column('notice_id', sa.Uuid(), nullable=False),
    sa.Column('follow_up_id', sa.Uuid(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('origin', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['follow_up_id'], ['inspections.id'], name=op.f('fk_rectification_closures_follow_up_id_inspections')),
    sa.ForeignKeyConstraint(['notice_id'], ['rectification_notices.id'], name=op.f('fk_rectification_closures_notice_id_rectification_notices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification_closures')),
    sa.UniqueConstraint('notice_id', name=op.f('uq_rectification_closures_notice_id'))
    )
    _create_guards()


# (table, verbs, condition on the old/new row for SQLite, the same for PostgreSQL)
GUARDS = (
    ("inspections", ("UPDATE", "DELETE"), "OLD.finished = 1", "OLD.finished"),
    ("inspection_answers", ("UPDATE", "DELETE"),
     "(SELECT finished FROM inspections WHERE id = OLD.inspection_id) = 1",
     "(SELECT finished FROM inspections WHERE id = OLD.inspection_id)"),
    ("inspection_answers", ("INSERT",), "(SELECT finished FROM inspections WHERE id = NEW.inspection_id) = 1",
     "(SELECT finished FROM inspections WHERE id = NEW.inspection_id)"),
    ("rectification_notices", ("UPDATE", "DELETE"), None, None),
    ("rectification_closures", ("UPDATE", "DELETE"), None, None),
)


def _create_guards() -> None:
    create_row_guards(op, GUARDS)


def _drop_guards() -> None:
    drop_row_guards(op, GUARDS)


def downgrade() -> None:
    _drop_guards()
    op.drop_table('rectification_closures')
    with op.batch_alter_table('rectification_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_notices_institution_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_notices_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_notices_deadline'))

    op.drop_table('rectification_notices')
    with op.batch_alter_table('inspection_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_answers_inspection_id'))

    op.drop_table('inspection_answers')
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspections_period'))
        batch_op.drop_index(batch_op.f('ix_inspections_institution_id'))
        batch_op.drop_index(batch_op.f('ix_inspections_follow_up_of'))

    op.drop_table('inspections')
    op.drop_table('document_counters')
