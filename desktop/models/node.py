"""Enrolled nodes (节点): the other installations this one exchanges bundles with, and their public keys.

A row is written when a person enrols a peer's public-key file after comparing its fingerprint with the one on the
peer's screen, and deleted only when a person removes the enrolment. The keys of a row never change: a peer with
new keys is removed and enrolled again, so each change of keys passes through a person and the audit log. This
installation's own keys are not here but in its data folder (desktop/services/node_key_files.py), so that no
database backup or bundle ever carries a private key.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from desktop.domain.enums import NodeKind
from desktop.models.base import Base, SyncedRecord, enum_column, utc_now


class Node(SyncedRecord, Base):
    __tablename__ = "nodes"

    node_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    role: Mapped[NodeKind] = mapped_column(enum_column(NodeKind))
    name: Mapped[str] = mapped_column(String(60))
    # GB/T 2260: the county of a laptop or county, the city of a city.
    division_code: Mapped[str] = mapped_column(String(12))
    # Raw 32-byte public keys in Base64, as in the public-key file.
    signing_key: Mapped[str] = mapped_column(String(44), unique=True)
    encryption_key: Mapped[str] = mapped_column(String(44), unique=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    enrolled_at: Mapped[datetime] = mapped_column(default=utc_now)
    enrolled_by: Mapped[str] = mapped_column(String(60))
