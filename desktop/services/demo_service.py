"""Load the Zhangye demo into an empty database, in one transaction, with one audit entry."""

from __future__ import annotations

import gc
import json
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, insert, select, update

from desktop.demo.inspections import HISTORY_YEARS, AnswerSheet, InspectionDemo, generate_inspections
from desktop.demo.zhangye import DemoData, DemoIds, Scale, generate
from desktop.domain.checklists import Answer
from desktop.domain.enums import InspectionKind, UserRole
from desktop.domain.working_days import official_calendar
from desktop.errors import TuoyuError
from desktop.models import (
    AuditEntry,
    Child,
    ClassGroup,
    DocumentCounter,
    Inspection,
    InspectionAnswer,
    InspectorConflict,
    Institution,
    InstitutionEvent,
    RandomDraw,
    RectificationClosure,
    RectificationNotice,
    StaffMember,
    User,
)
from desktop.models.base import utc_now
from desktop.models.uuid7 import uuid7
from desktop.paths import resources_dir
from desktop.services.batching import chunks
from desktop.services.changes import Changes
from desktop.services.checklist_templates import load_template
from desktop.services.inspections import NOTICE_KIND, latest_template_id
from desktop.services.regions import ensure_regions, read_region_file
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session, write_session

DEMO_CITY_FILE = "620700.toml"
BULK_CHUNK = 5000
ANSWER_CHUNK = 50_000


@dataclass(frozen=True)
class DemoSummary:
    scale: str
    seed: int
    institutions: int
    class_groups: int
    staff: int
    users: int
    children: int = 0

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
    with _no_cyclic_gc():
        data = generate(regions, scale=scale, seed=seed, today=today)
        inspections = _inspections(ctx, data, regions, seed=seed, today=today, years=HISTORY_YEARS[scale])
        summary = store_demo(ctx, data, scale=scale, seed=seed, inspections=inspections)
    return summary, Changes(everything=True)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """The province demo holds millions of live objects, and every full collection walks them all
    (over a third of the generation time); the rows make no reference cycles, so none is needed."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _inspections(
    ctx: AppContext, data: DemoData, regions: dict, *, seed: int, today: date, years: int
) -> InspectionDemo:
    """``years`` years of inspections by the real rules, up to ``today``."""
    with read_session(ctx.db) as session:
        template_id = latest_template_id(session, InspectionKind.SEMIANNUAL_INSPECTION, today)
    return generate_inspections(
        random.Random(seed + 1),
        DemoIds(random.Random(seed + 2)).next,
        institutions=data.institutions,
        inspectors=[u for u in data.users if u["role"] is UserRole.INSPECTOR],
        conflicts=data.conflicts,
        county_names={c["code"]: c["name"] for c in regions["counties"]},
        template=load_template(ctx, template_id),
        template_id=template_id,
        calendar=official_calendar(),
        today=today,
        years=years,
    )


def store_demo(
    ctx: AppContext, data: DemoData, *, scale: Scale, seed: int, inspections: InspectionDemo | None = None
) -> DemoSummary:
    """Insert generated demo rows in one transaction, with one audit entry (regions must be loaded)."""
    summary = DemoSummary(
        scale.value,
        seed,
        len(data.institutions),
        len(data.class_groups),
        len(data.staff),
        len(data.users),
        len(data.children),
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
            _bulk(session, model, rows, stamp)
        _store_children(session, data.children, stamp)
        if inspections is not None:
            _store_inspections(session, inspections, stamp)
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


def _bulk(session, model: type, rows: list[dict], stamp: dict) -> None:
    for chunk in chunks(rows, BULK_CHUNK):
        session.execute(insert(model.__table__), [row | stamp for row in chunk])


def _store_inspections(session, demo: InspectionDemo, stamp: dict) -> None:
    """Answers may only be added to an unfinished inspection (a trigger guards finished ones), so the
    inspections go in open, get their answers, and are then marked finished — as in real use."""
    _bulk(session, RandomDraw, demo.draws, stamp)
    _bulk(session, Inspection, [row | {"finished": False} for row in demo.inspections], stamp)
    _store_answers(session, demo.sheets, stamp)
    session.execute(update(Inspection.__table__).values(finished=True))
    _bulk(session, RectificationNotice, demo.notices, stamp)
    _bulk(session, RectificationClosure, demo.closures, stamp)
    session.execute(
        insert(DocumentCounter.__table__),
        [
            {"county_code": county, "year": year, "kind": NOTICE_KIND, "last_serial": serial}
            for (county, year), serial in sorted(demo.counters.items())
        ],
    )


def _store_answers(session, sheets: list[AnswerSheet], stamp: dict) -> None:
    """The answers straight to the database driver, in the form SQLAlchemy itself would store them.

    A province's four years hold four million answers. SQLAlchemy's executemany converts every value
    of every row, which took longer than SQLite's own work; here each distinct value is converted
    once with SQLAlchemy's own converters, and only the ids per row. SQLite and PostgreSQL drivers
    both take positional parameters.
    """
    connection = session.connection()
    dialect = connection.dialect
    table = InspectionAnswer.__table__
    columns = ["id", "inspection_id", "item_code", "answer", "note", *stamp]
    to_db = {name: _bind_processor(table.c[name], dialect) for name in columns}
    uuid_to_db = to_db["id"]
    constant = tuple(to_db[name](value) for name, value in stamp.items())
    answer_to_db = {answer: to_db["answer"](answer) for answer in Answer}
    quote = dialect.identifier_preparer.quote
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in columns)}) "
        f"VALUES ({', '.join([marker] * len(columns))})"
    )
    batch: list[tuple] = []
    for sheet in sheets:
        inspection_id = uuid_to_db(sheet.inspection_id)
        batch.extend(
            (uuid_to_db(id_), inspection_id, code, answer_to_db[answer], note, *constant)
            for id_, code, answer, note in zip(sheet.ids, sheet.codes, sheet.answers, sheet.notes, strict=True)
        )
        if len(batch) >= ANSWER_CHUNK:
            connection.exec_driver_sql(sql, batch)
            batch = []
    if batch:
        connection.exec_driver_sql(sql, batch)


_CHILD_FIELDS = (
    "id",
    "institution_id",
    "name",
    "id_number",
    "birth_date",
    "sex",
    "guardian_name",
    "guardian_phone",
    "enrolled_on",
    "left_on",
)


def _store_children(session, children: list[dict], stamp: dict) -> None:
    """The province's 200,000 children straight to the driver, as the answers are (see ``_store_answers``):
    SQLAlchemy's executemany took about twice as long as SQLite's own work. Values are converted by
    SQLAlchemy's own converters; the few institutions and the two sexes once each."""
    if not children:
        return
    connection = session.connection()
    dialect = connection.dialect
    table = Child.__table__
    columns = [*_CHILD_FIELDS, *stamp]
    to_db = {name: _bind_processor(table.c[name], dialect) for name in columns}
    constant = tuple(to_db[name](value) for name, value in stamp.items())
    uuid_to_db, date_to_db = to_db["id"], to_db["birth_date"]
    institutions: dict = {}
    sexes: dict = {}
    batch = []
    for child in children:
        institution = child["institution_id"]
        if institution not in institutions:
            institutions[institution] = to_db["institution_id"](institution)
        sex = child["sex"]
        if sex not in sexes:
            sexes[sex] = to_db["sex"](sex)
        left_on = child["left_on"]
        batch.append(
            (
                uuid_to_db(child["id"]),
                institutions[institution],
                child["name"],
                child["id_number"],
                date_to_db(child["birth_date"]),
                sexes[sex],
                child["guardian_name"],
                child["guardian_phone"],
                date_to_db(child["enrolled_on"]),
                None if left_on is None else date_to_db(left_on),
                *constant,
            )
        )
    quote = dialect.identifier_preparer.quote
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in columns)}) "
        f"VALUES ({', '.join([marker] * len(columns))})"
    )
    for chunk in chunks(batch, ANSWER_CHUNK):
        connection.exec_driver_sql(sql, chunk)


def _bind_processor(column, dialect) -> Callable[[Any], Any]:
    """How SQLAlchemy converts a value of ``column`` for this database (identity when it does not)."""
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    return process or (lambda value: value)
