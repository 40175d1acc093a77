"""Sync: the change journal (written by triggers on every synced table), shadows, bundles sent and received,
conflicts and their resolutions (docs/sync.md).

Revision ID: 0010_sync
Revises: 0009_nodes
Create Date: 2026-11-25

Changes made before this revision have no journal rows: the first export to a peer is a full one (everything
in scope), which is what an export does until the peer has acknowledged one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.db.sync_journal_triggers import (
    create_journal_function,
    create_journal_triggers,
    drop_journal_function,
    drop_journal_triggers,
)

revision = '0010_sync'
down_revision = '0009_nodes'
branch_labels = None
depends_on = None

# Every table of synced records at this revision (each has an ``id``). A later revision that adds one adds its
# triggers too.
JOURNALLED = (
    'regions', 'region_populations', 'users', 'institutions', 'institution_events', 'class_groups', 'staff',
    'checklist_templates', 'inspector_conflicts', 'random_draws', 'inspections', 'inspection_answers',
    'rectification_notices', 'rectification_closures', 'inspection_photos', 'violations', 'field_packages',
    'field_result_imports', 'children', 'subsidy_applications', 'enrollment_claims', 'nodes',
    'sync_conflict_resolutions',
)


def _synced_columns() -> list[sa.Column]:
    return [
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('origin', sa.Uuid(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table('sync_journal',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('entity_type', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.Uuid(), nullable=False),
    sa.Column('action', sa.String(length=8), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_sync_journal'))
    )
    op.create_table('sync_shadows',
    sa.Column('peer_node', sa.Uuid(), nullable=False),
    sa.Column('entity_id', sa.Uuid(), nullable=False),
    sa.Column('entity_type', sa.String(length=40), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=True),
    sa.Column('version', sa.Integer(), nullable=True),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('peer_node', 'entity_id', name=op.f('pk_sync_shadows'))
    )
    op.create_table('sync_sent',
    sa.Column('bundle_id', sa.Uuid(), nullable=False),
    sa.Column('target_node', sa.Uuid(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('full', sa.Boolean(), nullable=False),
    sa.Column('journal_high_water', sa.Integer(), nullable=True),
    sa.Column('record_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('exported_by', sa.String(length=60), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('bundle_id', name=op.f('pk_sync_sent')),
    sa.UniqueConstraint('target_node', 'sequence', name=op.f('uq_sync_sent_target_node'))
    )
    op.create_table('sync_received',
    sa.Column('bundle_id', sa.Uuid(), nullable=False),
    sa.Column('source_node', sa.Uuid(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('record_count', sa.Integer(), nullable=False),
    sa.Column('created', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('conflicts', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_by', sa.String(length=60), nullable=False),
    sa.Column('receipt_bundle_id', sa.Uuid(), nullable=True),
    sa.Column('receipt_sequence', sa.Integer(), nullable=True),
    sa.Column('receipt_created_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('bundle_id', name=op.f('pk_sync_received'))
    )
    op.create_index('ix_sync_received_source', 'sync_received', ['source_node', 'kind', 'sequence'], unique=False)
    op.create_table('sync_conflicts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('entity_type', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('frozen', sa.Boolean(), nullable=False),
    sa.Column('candidates_json', sa.Text(), nullable=False),
    sa.Column('winner_hash', sa.String(length=64), nullable=True),
    sa.Column('detected_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolution_id', sa.Uuid(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflicts'))
    )
    op.create_index('ix_sync_conflicts_entity', 'sync_conflicts', ['entity_type', 'entity_id'], unique=False)
    op.create_index(op.f('ix_sync_conflicts_status'), 'sync_conflicts', ['status'], unique=False)
    op.create_table('sync_conflict_resolutions',
    sa.Column('entity_type', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.Uuid(), nullable=False),
    sa.Column('candidate_hashes', sa.Text(), nullable=False),
    sa.Column('chosen_hash', sa.String(length=64), nullable=True),
    sa.Column('choice', sa.String(length=12), nullable=False),
    sa.Column('fields_json', sa.Text(), nullable=False),
    sa.Column('resolved_by', sa.String(length=60), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=False),
    *_synced_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflict_resolutions'))
    )
    op.create_index(op.f('ix_sync_conflict_resolutions_entity_id'), 'sync_conflict_resolutions', ['entity_id'],
                    unique=False)
    create_journal_function(op)
    create_journal_triggers(op, JOURNALLED)


def downgrade() -> None:
    drop_journal_triggers(op, JOURNALLED)
    drop_journal_function(op)
    op.drop_index(op.f('ix_sync_conflict_resolutions_entity_id'), table_name='sync_conflict_resolutions')
    op.drop_table('sync_conflict_resolutions')
    op.drop_index(op.f('ix_sync_conflicts_status'), table_name='sync_conflicts')
    op.drop_index('ix_sync_conflicts_entity', table_name='sync_conflicts')
    op.drop_table('sync_conflicts')
    op.drop_index('ix_sync_received_source', table_name='sync_received')
    op.drop_table('sync_received')
    op.drop_table('sync_sent')
    op.drop_table('sync_shadows')
    op.drop_table('sync_journal')
