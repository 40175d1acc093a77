"""The core register: regions and populations, institutions, classes, staff, users, settings.

Revision ID: 0001_core_register
Revises:
Create Date: 2026-11-23

Types are spelled as plain SQLAlchemy types, not the application's TypeDecorators, so that this
revision keeps meaning the same thing when the application's code changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001_core_register'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('app_settings',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_app_settings'))
    )
    op.create_table('regions',
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('level', sa.Enum('province', 'city', 'county', 'township', name='regionlevel', native_enum=False, length=32), nullable=False),
    sa.Column('parent_code', sa.String(length=12), nullable=True),
    sa.Column('township_kind', sa.Enum('street', 'town', 'township', name='townshipkind', native_enum=False, length=32), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('origin', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['parent_code'], ['regions.code'], name=op.f('fk_regions_parent_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regions')),
    sa.UniqueConstraint('code', name=op.f('uq_regions_code'))
    )
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regions_parent_code'), ['parent_code'], unique=False)

    op.create_table('institutions',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('sponsor_type', sa.Enum('public', 'social', 'employer_class', 'public_institution_class', 'kindergarten_class', 'community_embedded', 'medical', 'home_based', name='sponsortype', native_enum=False, length=32), nullable=False),
    sa.Column('ownership', sa.Enum('public', 'public_built_private_run', 'private_public_aided', 'private', name='ownership', native_enum=False, length=32), nullable=True),
    sa.Column('registration_type', sa.Enum('public_institution', 'social_service', 'for_profit', name='registrationtype', native_enum=False, length=32), nullable=True),
    sa.Column('service_modes', sa.String(length=120), nullable=False),
    sa.Column('chain_brand', sa.String(length=100), nullable=True),
    sa.Column('county_code', sa.String(length=12), nullable=False),
    sa.Column('township_code', sa.String(length=12), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('legal_representative', sa.String(length=60), nullable=True),
    sa.Column('principal_name', sa.String(length=60), nullable=True),
    sa.Column('contact_person', sa.String(length=60), nullable=True),
    sa.Column('contact_phone', sa.String(length=30), nullable=True),
    sa.Column('slots', sa.Integer(), nullable=False),
    sa.Column('building_area_m2', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('outdoor_area_m2', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('premises_leased', sa.Boolean(), nullable=False),
    sa.Column('lease_expires_on', sa.Date(), nullable=True),
    sa.Column('fee_full_day_monthly_fen', sa.Integer(), nullable=True),
    sa.Column('fee_half_day_monthly_fen', sa.Integer(), nullable=True),
    sa.Column('fee_hourly_fen', sa.Integer(), nullable=True),
    sa.Column('meal_fee_daily_fen', sa.Integer(), nullable=True),
    sa.Column('serves_meals', sa.Boolean(), nullable=False),
    sa.Column('food_licence_number', sa.String(length=40), nullable=True),
    sa.Column('filing_status', sa.Enum('not_filed', 'pending', 'filed', 'cancelled', name='filingstatus', native_enum=False, length=32), nullable=False),
    sa.Column('filing_number', sa.String(length=60), nullable=True),
    sa.Column('filed_on', sa.Date(), nullable=True),
    sa.Column('puhui', sa.Boolean(), nullable=False),
    sa.Column('puhui_recognized_on', sa.Date(), nullable=True),
    sa.Column('operating_status', sa.Enum('preparing', 'operating', 'suspended', 'closed', name='operatingstatus', native_enum=False, length=32), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=True),
    sa.Column('status_changed_on', sa.Date(), nullable=True),
    sa.Column('status_reason', sa.String(length=300), nullable=True),
    sa.Column('demonstration', sa.Boolean(), nullable=False),
    sa.Column('demonstration_level', sa.Enum('county', 'city', 'province', 'national', name='demonstrationlevel', native_enum=False, length=32), nullable=True),
    sa.Column('demonstration_recognized_on', sa.Date(), nullable=True),
    sa.Column('medical_partnership', sa.Boolean(), nullable=False),
    sa.Column('medical_partner_name', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('origin', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['county_code'], ['regions.code'], name=op.f('fk_institutions_county_code_regions')),
    sa.ForeignKeyConstraint(['township_code'], ['regions.code'], name=op.f('fk_institutions_township_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institutions'))
    )
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_institutions_county_code'), ['county_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_institutions_credit_code'), ['credit_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_institutions_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_institutions_township_code'), ['township_code'], unique=False)

    op.create_table('region_populations',
    sa.Column('region_code', sa.String(length=12), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('resident_population', sa.Integer(), nullable=True),
    sa.Column('under3_population', sa.Integer(), nullable=True),
    sa.Column('under3_estimated', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('origin', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_region_populations_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_region_populations')),
    sa.UniqueConstraint('region_code', 'year', name=op.f('uq_region_populations_region_code'))
    )
    with op.batch_alter_table('region_populations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_region_populations_region_code'), ['region_code'], unique=False)

    op.create_table('users',
    sa.Column('username', sa.String(length=60), nullable=False),
    sa.Column('display_name', sa.String(length=60), nullable=False),
    sa.Column('role', sa.Enum('admin', 'clerk', 'inspector', 'city_viewer', name='userrole', native_enum=False, length=32), nullable=False),
    sa.Column('county_code', sa.String(length=12), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('origin', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['county_code'], ['regions.code'], name=op.f('fk_users_county_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('class_groups',
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('class_type', sa.Enum('infant', 'toddler', 'older_toddler', 'mixed_age', name='classtype', native_enum=False, length=32), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('enrolled_count', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('origin', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_class_groups_institution_id_institutions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_class_groups'))
    )
    with op.batch_alter_table('class_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_class_groups_institution_id'), ['institution_id'], unique=False)

    op.create_table('staff',
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('class_group_id', sa.Uuid(), nullable=True),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.Column('sex', sa.Enum('male', 'female', name='sex', native_enum=False, length=32), nullable=True),
    sa.Column('role', sa.Enum('principal', 'carer', 'health_staff', 'cook', 'security', 'other', name='staffrole', native_enum=False, length=32), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('education', sa.String(length=30), nullable=True),
    sa.Column('qualification', sa.String(length=100), nullable=True),
    sa.Column('employed_from', sa.Date(), nullable=True),
    sa.Column('employed_until', sa.Date(), nullable=True),
    sa.Column('health_certificate_number', sa.String(length=40), nullable=True),
    sa.Column('health_certificate_expires_on', sa.Date(), nullable=True),
    sa.Column('training_hours', sa.Integer(), nullable=False),
    sa.Column('criminal_record_checked_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('origin', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['class_group_id'], ['class_groups.id'], name=op.f('fk_staff_class_group_id_class_groups')),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_staff_institution_id_institutions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff'))
    )
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_class_group_id'), ['class_group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_institution_id'), ['institution_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_institution_id'))
        batch_op.drop_index(batch_op.f('ix_staff_id_number'))
        batch_op.drop_index(batch_op.f('ix_staff_class_group_id'))

    op.drop_table('staff')
    with op.batch_alter_table('class_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_class_groups_institution_id'))

    op.drop_table('class_groups')
    op.drop_table('users')
    with op.batch_alter_table('region_populations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_region_populations_region_code'))

    op.drop_table('region_populations')
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_institutions_township_code'))
        batch_op.drop_index(batch_op.f('ix_institutions_name'))
        batch_op.drop_index(batch_op.f('ix_institutions_credit_code'))
        batch_op.drop_index(batch_op.f('ix_institutions_county_code'))

    op.drop_table('institutions')
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regions_parent_code'))

    op.drop_table('regions')
    op.drop_table('app_settings')
