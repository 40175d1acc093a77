"""Load the Zhangye demo into an empty database, in one transaction, with one audit entry."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, insert, select

from desktop.demo.zhangye import DemoData, Scale, generate
from desktop.errors import TuoyuError
from desktop.models import (
    AuditEntry,
    ClassGroup,
    InspectorConflict,
    Institution,
    InstitutionEvent,
    StaffMember,
    User,
)
from desktop.models.base import utc_now
from desktop.models.uuid7 import uuid7
from desktop.paths import resources_dir
from desktop.services.changes import Changes
from desktop.services.regions import ensure_regions, read_region_file
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session, write_session

DEMO_CITY_FILE = "620700.toml"
BULK_CHUNK = 5000


@dataclass(frozen=True)
class DemoSummary:
    scale: str
    seed: int
    institutions: int
    class_groups: int
    staff: int
    users: int

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def database_is_empty(ctx: AppContext) -> bool:
    with read_session(ctx.db) as session:
        return session.scalar(select(func.count()).select_from(Institution)) == 0


def load_demo(ctx: AppContext, *, scale: Scale, seed: int, today: date) -> tuple[DemoSummary, Changes]:
    """Fill an empty database with the demo city. Refuses a database that already holds institutions."""
    if not database_is_empty(ctx):
        raise TuoyuError(
            "数据库中已有机构数据，演示数据只能载入空数据库，以免与真实数据混在一起。"
            "请用 --data-dir 指定一个新的数据目录后再运行 tuoyu demo。"
        )
    ensure_regions(ctx)
    regions = read_region_file(resources_dir() / "regions" / DEMO_CITY_FILE)
    data = generate(regions, scale=scale, seed=seed, today=today)
    return store_demo(ctx, data, scale=scale, seed=seed), Changes(everything=True)


def store_demo(ctx: AppContext, data: DemoData, *, scale: Scale, seed: int) -> DemoSummary:
    """Insert generated demo rows in one transaction, with one audit entry (regions must be loaded)."""
    summary = DemoSummary(
        scale.value, seed, len(data.institutions), len(data.class_groups), len(data.staff), len(data.users)
    )
    now = utc_now()
    stamp = {"created_at": now, "updated_at": now, "origin": ctx.node_id, "version": 1}
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        # Core inserts: the ORM unit of work costs ~3x as much per row and the demo is write-once.
        for model, rows in (
            (Institution, data.institutions),
            (ClassGroup, data.class_groups),
            (StaffMember, data.staff),
            (User, data.users),
            (InstitutionEvent, data.events),
            (InspectorConflict, data.conflicts),
        ):
            for start in range(0, len(rows), BULK_CHUNK):
                session.execute(insert(model.__table__), [row | stamp for row in rows[start : start + BULK_CHUNK]])
        session.execute(
            insert(AuditEntry.__table__),
            [
                {
                    "id": uuid7(),
                    "at": now,
                    "actor": ctx.actor.username,
                    "origin": ctx.node_id,
                    "action": "demo_loaded",
                    "entity_type": "database",
                    "entity_id": None,
                    "changes": json.dumps(summary.as_dict(), ensure_ascii=False),
                    "summary": f"载入演示数据（{summary.scale}，{summary.institutions} 家机构）",
                }
            ],
        )
    return summary
