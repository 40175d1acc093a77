"""Open Tuoyu's database for the GUI or a CLI command: checks, migration with backup, identity.

Both faces call ``open_app`` and get the same checks and the same Chinese errors.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from desktop.db.database import Database, open_database
from desktop.db.migrate import SchemaStatus, UpgradeResult, refuse_unusable, schema_state, upgrade_to_head
from desktop.services.installation import ensure_installation
from desktop.services.unit_of_work import Actor


@dataclass
class AppContext:
    """Everything a command or the GUI needs to call services."""

    db: Database
    node_id: uuid.UUID
    actor: Actor
    revision: str
    # Set when this start upgraded the schema (and so took a backup first).
    upgrade: UpgradeResult | None = None

    def close(self) -> None:
        self.db.dispose()


def open_app(*, data_dir: Path | None, url: str | None) -> AppContext:
    """Open (and if needed create or upgrade) the database; raise TuoyuError with a Chinese message."""
    db = open_database(data_dir=data_dir, url=url)
    try:
        state = schema_state(db)
        refuse_unusable(state, db)
        upgrade = upgrade_to_head(db) if state.status is not SchemaStatus.CURRENT else None
        installation = ensure_installation(db)
        ctx = AppContext(
            db=db, node_id=installation.node_id, actor=Actor.from_os(), revision=state.head, upgrade=upgrade
        )
        # A new database knows its regions from the start: imports and forms need the counties.
        # These build on this module, hence the late imports.
        from desktop.services.checklist_templates import ensure_bundled_templates
        from desktop.services.regions import ensure_regions, has_regions

        if not has_regions(ctx):
            ensure_regions(ctx)
        # Templates shipped with a new release arrive as new versions; stored versions never change.
        ensure_bundled_templates(ctx)
        return ctx
    except BaseException:
        db.dispose()
        raise
