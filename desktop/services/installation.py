"""This installation's identity (node id and kind), kept in its own database's app_settings."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from desktop.db.database import Database
from desktop.domain.enums import NodeKind
from desktop.models import AppSetting
from desktop.models.uuid7 import uuid7

NODE_ID_KEY = "node_id"
NODE_KIND_KEY = "node_kind"


@dataclass(frozen=True)
class Installation:
    node_id: uuid.UUID
    node_kind: NodeKind


def ensure_installation(db: Database, *, kind: NodeKind = NodeKind.COUNTY) -> Installation:
    """Read this installation's identity, creating it the first time (idempotent)."""
    with db.session_factory.begin() as session:
        settings = {s.key: s.value for s in session.scalars(select(AppSetting))}
        if NODE_ID_KEY not in settings:
            settings[NODE_ID_KEY] = str(uuid7())
            settings[NODE_KIND_KEY] = kind.value
            session.add_all(
                [
                    AppSetting(key=NODE_ID_KEY, value=settings[NODE_ID_KEY]),
                    AppSetting(key=NODE_KIND_KEY, value=settings[NODE_KIND_KEY]),
                ]
            )
    return Installation(uuid.UUID(settings[NODE_ID_KEY]), NodeKind(settings[NODE_KIND_KEY]))
