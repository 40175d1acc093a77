"""Enrolled nodes: the laptops, counties and city this installation exchanges bundles with, and their public keys.

Revision ID: 0009_nodes
Revises: 0008_children_subsidies
Create Date: 2026-11-24

One row per enrolled peer. Node id and each public key are unique, so a peer cannot be enrolled twice and one key
cannot stand for two nodes. This installation's own private keys are not in the database at all: they live in
the data folder (docs/nodes-and-keys.md), so that backups and bundles never carry them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009_nodes'
down_revision = '0008_children_subsidies'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('nodes',
    sa.Column('node_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.Enum('laptop', 'county', 'city', name='nodekind', native_enum=False, length=32), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('division_code', sa.String(length=12), nullable=False),
    sa.Column('signing_key', sa.String(length=44), nullable=False),
    sa.Column('encryption_key', sa.String(length=44), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('enrolled_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('enrolled_by', sa.String(length=60), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('origin', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nodes')),
    sa.UniqueConstraint('encryption_key', name=op.f('uq_nodes_encryption_key')),
    sa.UniqueConstraint('node_id', name=op.f('uq_nodes_node_id')),
    sa.UniqueConstraint('signing_key', name=op.f('uq_nodes_signing_key'))
    )


def downgrade() -> None:
    op.drop_table('nodes')
