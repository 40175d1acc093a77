"""Children on each institution's roster, subsidy applications and their enrollment claims.

Revision ID: 0008_children_subsidies
Revises: 0007_evidence_field_packages
Create Date: 2026-11-23

An approved or paid application's amount, shares and policy can no longer change (a trigger refuses
it), so a newer policy file never rewrites what was approved. Partial unique indexes keep one live
application per scheme, institution and period, and one live claim per child, month and county.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.db.row_guards import create_row_guards, drop_row_guards

revision = '0008_children_subsidies'
down_revision = '0007_evidence_field_packages'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('children',
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('sex', sa.Enum('male', 'female', name='sex', native_enum=False, length=32), nullable=True),
    sa.Column('guardian_name', sa.String(length=60), nullable=True),
    sa.Column('guardian_phone', sa.String(length=30), nullable=True),
    sa.Column('enrolled_on', sa.Date(), nullable=False),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('origin', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_children_institution_id_institutions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_children'))
    )
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_children_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_children_institution_id'), ['institution_id'], unique=False)

    op.create_table('subsidy_applications',
    sa.Column('scheme', sa.Enum('construction', 'operating', 'enrollment', name='subsidyscheme', native_enum=False, length=32), nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('county_code', sa.String(length=12), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'first_reviewed', 'approved', 'paid', 'rejected', name='applicationstatus', native_enum=False, length=32), nullable=False),
    sa.Column('facts_json', sa.Text(), nullable=False),
    sa.Column('policy_name', sa.String(length=60), nullable=True),
    sa.Column('policy_version', sa.String(length=20), nullable=True),
    sa.Column('policy_sha256', sa.String(length=64), nullable=True),
    sa.Column('parameters_json', sa.Text(), nullable=True),
    sa.Column('eligible', sa.Boolean(), nullable=True),
    sa.Column('amount_fen', sa.Integer(), nullable=True),
    sa.Column('city_share_fen', sa.Integer(), nullable=True),
    sa.Column('county_share_fen', sa.Integer(), nullable=True),
    sa.Column('reasons_json', sa.Text(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_by', sa.String(length=60), nullable=True),
    sa.Column('first_reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_reviewed_by', sa.String(length=60), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by', sa.String(length=60), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('paid_by', sa.String(length=60), nullable=True),
    sa.Column('rejected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rejected_by', sa.String(length=60), nullable=True),
    sa.Column('rejection_reason', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('origin', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['county_code'], ['regions.code'], name=op.f('fk_subsidy_applications_county_code_regions')),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_subsidy_applications_institution_id_institutions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subsidy_applications'))
    )
    with op.batch_alter_table('subsidy_applications', schema=None) as batch_op:
        batch_op.create_index('ix_subsidy_applications_county_scheme_period', ['county_code', 'scheme', 'period'], unique=False)
        batch_op.create_index(batch_op.f('ix_subsidy_applications_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index('uq_subsidy_applications_live', ['scheme', 'institution_id', 'period'], unique=True, sqlite_where=sa.text("status <> 'rejected'"), postgresql_where=sa.text("status <> 'rejected'"))

    op.create_table('enrollment_claims',
    sa.Column('application_id', sa.Uuid(), nullable=False),
    sa.Column('child_id', sa.Uuid(), nullable=False),
    sa.Column('county_code', sa.String(length=12), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('eligible', sa.Boolean(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('reasons_json', sa.Text(), nullable=False),
    sa.Column('live', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('origin', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['subsidy_applications.id'], name=op.f('fk_enrollment_claims_application_id_subsidy_applications')),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_enrollment_claims_child_id_children')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrollment_claims'))
    )
    with op.batch_alter_table('enrollment_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrollment_claims_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrollment_claims_child_id'), ['child_id'], unique=False)
        batch_op.create_index('uq_enrollment_claims_live', ['county_code', 'month', 'id_number'], unique=True, sqlite_where=sa.text('live'), postgresql_where=sa.text('live'))
    # A violation is corrected at most once (NULLs do not collide in a unique index).
    op.create_index("uq_violations_corrects_id", "violations", ["corrects_id"], unique=True)
    create_row_guards(op, GUARDS)


_FROZEN = ("amount_fen", "city_share_fen", "county_share_fen", "eligible", "policy_sha256", "parameters_json")
GUARDS = (
    (
        "subsidy_applications",
        ("UPDATE",),
        "OLD.status IN ('approved', 'paid') AND ("
        + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _FROZEN) + ")",
        "OLD.status IN ('approved', 'paid') AND ("
        + " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in _FROZEN) + ")",
        "approved subsidy amounts are frozen",
    ),
)


def downgrade() -> None:
    drop_row_guards(op, GUARDS)
    op.drop_index("uq_violations_corrects_id", table_name="violations")
    with op.batch_alter_table('enrollment_claims', schema=None) as batch_op:
        batch_op.drop_index('uq_enrollment_claims_live', sqlite_where=sa.text('live'), postgresql_where=sa.text('live'))
        batch_op.drop_index(batch_op.f('ix_enrollment_claims_child_id'))
        batch_op.drop_index(batch_op.f('ix_enrollment_claims_application_id'))

    op.drop_table('enrollment_claims')
    with op.batch_alter_table('subsidy_applications', schema=None) as batch_op:
        batch_op.drop_index('uq_subsidy_applications_live', sqlite_where=sa.text("status <> 'rejected'"), postgresql_where=sa.text("status <> 'rejected'"))
        batch_op.drop_index(batch_op.f('ix_subsidy_applications_institution_id'))
        batch_op.drop_index('ix_subsidy_applications_county_scheme_period')

    op.drop_table('subsidy_applications')
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_children_institution_id'))
        batch_op.drop_index(batch_op.f('ix_children_id_number'))

    op.drop_table('children')
