"""Inspection photos and violations, field packages for laptops, reserved notice numbers.

Revision ID: 0007_evidence_field_packages
Revises: 0006_inspections
Create Date: 2026-11-23

Photos of a finished inspection are frozen like its answers; violations, photo contents and
imported results are append-only. The answers' separate index on inspection_id goes: the unique
(inspection_id, item_code) index already serves it, and the second one slowed every insert.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.db.row_guards import create_row_guards, drop_row_guards

revision = '0007_evidence_field_packages'
down_revision = '0006_inspections'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('photo_contents',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('media_type', sa.String(length=40), nullable=False),
    sa.Column('byte_size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_photo_contents'))
    )
    op.create_table('field_packages',
    sa.Column('county_code', sa.String(length=12), nullable=False),
    sa.Column('inspector_id', sa.Uuid(), nullable=False),
    sa.Column('inspector_name', sa.String(length=60), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('serial_from', sa.Integer(), nullable=False),
    sa.Column('serial_to', sa.Integer(), nullable=False),
    sa.Column('secret', sa.String(length=64), nullable=False),
    sa.Column('exported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('institution_count', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('origin', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['county_code'], ['regions.code'], name=op.f('fk_field_packages_county_code_regions')),
    sa.ForeignKeyConstraint(['inspector_id'], ['users.id'], name=op.f('fk_field_packages_inspector_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_field_packages'))
    )
    op.create_table('field_result_imports',
    sa.Column('package_id', sa.Uuid(), nullable=False),
    sa.Column('results_sha256', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('summary_json', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('origin', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['package_id'], ['field_packages.id'], name=op.f('fk_field_result_imports_package_id_field_packages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_field_result_imports')),
    sa.UniqueConstraint('results_sha256', name=op.f('uq_field_result_imports_results_sha256'))
    )
    with op.batch_alter_table('field_result_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_field_result_imports_package_id'), ['package_id'], unique=False)

    op.create_table('inspection_photos',
    sa.Column('inspection_id', sa.Uuid(), nullable=False),
    sa.Column('item_code', sa.String(length=80), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('caption', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('origin', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_inspection_photos_inspection_id_inspections')),
    sa.ForeignKeyConstraint(['sha256'], ['photo_contents.sha256'], name=op.f('fk_inspection_photos_sha256_photo_contents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_photos'))
    )
    with op.batch_alter_table('inspection_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_photos_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_photos_sha256'), ['sha256'], unique=False)

    op.create_table('violations',
    sa.Column('inspection_id', sa.Uuid(), nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=True),
    sa.Column('action', sa.Enum('order_correction', 'interview', 'warning', 'fine', 'suspension', 'referral', name='violationaction', native_enum=False, length=32), nullable=False),
    sa.Column('fine_fen', sa.Integer(), nullable=True),
    sa.Column('decision_number', sa.String(length=60), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('corrects_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('origin', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['corrects_id'], ['violations.id'], name=op.f('fk_violations_corrects_id_violations')),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_violations_inspection_id_inspections')),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_violations_institution_id_institutions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_violations'))
    )
    with op.batch_alter_table('violations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_violations_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_violations_institution_id'), ['institution_id'], unique=False)

    with op.batch_alter_table('document_counters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ceiling', sa.Integer(), nullable=True))
    # The unique (inspection_id, item_code) index already serves lookups by inspection.
    op.drop_index("ix_inspection_answers_inspection_id", table_name="inspection_answers")
    create_row_guards(op, GUARDS)


_PHOTO_OF_FINISHED = "(SELECT finished FROM inspections WHERE id = {row}.inspection_id)"
GUARDS = (
    ("inspection_photos", ("UPDATE", "DELETE"), _PHOTO_OF_FINISHED.format(row="OLD") + " = 1",
     _PHOTO_OF_FINISHED.format(row="OLD")),
    ("inspection_photos", ("INSERT",), _PHOTO_OF_FINISHED.format(row="NEW") + " = 1",
     _PHOTO_OF_FINISHED.format(row="NEW")),
    ("photo_contents", ("UPDATE",), None, None),
    ("violations", ("UPDATE", "DELETE"), None, None),
    ("field_result_imports", ("UPDATE", "DELETE"), None, None),
)


def downgrade() -> None:
    drop_row_guards(op, GUARDS)
    op.create_index("ix_inspection_answers_inspection_id", "inspection_answers", ["inspection_id"], unique=False)
    with op.batch_alter_table('document_counters', schema=None) as batch_op:
        batch_op.drop_column('ceiling')

    with op.batch_alter_table('violations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_violations_institution_id'))
        batch_op.drop_index(batch_op.f('ix_violations_inspection_id'))

    op.drop_table('violations')
    with op.batch_alter_table('inspection_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_photos_sha256'))
        batch_op.drop_index(batch_op.f('ix_inspection_photos_inspection_id'))

    op.drop_table('inspection_photos')
    with op.batch_alter_table('field_result_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_field_result_imports_package_id'))

    op.drop_table('field_result_imports')
    op.drop_table('field_packages')
    op.drop_table('photo_contents')
