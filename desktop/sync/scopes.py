"""What travels from which kind of node to which (docs/sync.md "What travels to whom"), and what each table needs.

- laptop → county: what inspectors record — finished inspections with their answers and photos, the notices,
  closures and violations (drafts stay on the laptop until they are finished, as with results files);
- county → laptop: the county's register without children (staff ID numbers masked, as in a field package),
  the checklist templates, the county's draws, its finished inspections, notices and closures (for the 回头看);
- county → city: everything of the county, children and enrollment claims included;
- city → county: checklist templates (and the policy files, as members of their own).

Conflict resolutions go everywhere, so a person's decision reaches every node holding the same conflict. Tables
are listed parents first (the order of the schema's foreign keys). Personal data — the tables with personal
columns (children, staff, enrollment claims) and the audit trail — travels in encrypted members.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table, select

from desktop.domain.enums import NodeKind
from desktop.domain.identifiers import mask_id_number
from desktop.models import (
    Base,
    ChecklistTemplateRecord,
    Child,
    ClassGroup,
    EnrollmentClaim,
    Inspection,
    InspectionAnswer,
    InspectionPhoto,
    Institution,
    InstitutionEvent,
    RandomDraw,
    RectificationClosure,
    RectificationNotice,
    Region,
    RegionPopulation,
    StaffMember,
    SubsidyApplication,
    SyncConflictResolution,
    Violation,
)

INSPECTION_RECORDS = (
    Inspection,
    InspectionAnswer,
    InspectionPhoto,
    RectificationNotice,
    RectificationClosure,
    Violation,
)

_ROUTES: dict[tuple[NodeKind, NodeKind], tuple[type, ...]] = {
    (NodeKind.LAPTOP, NodeKind.COUNTY): (*INSPECTION_RECORDS, SyncConflictResolution),
    (NodeKind.COUNTY, NodeKind.LAPTOP): (
        Region,
        ChecklistTemplateRecord,
        Institution,
        ClassGroup,
        StaffMember,
        RandomDraw,
        Inspection,
        RectificationNotice,
        RectificationClosure,
        SyncConflictResolution,
    ),
    (NodeKind.COUNTY, NodeKind.CITY): (
        Region,
        RegionPopulation,
        ChecklistTemplateRecord,
        Institution,
        InstitutionEvent,
        ClassGroup,
        StaffMember,
        Child,
        RandomDraw,
        *INSPECTION_RECORDS,
        SubsidyApplication,
        EnrollmentClaim,
        SyncConflictResolution,
    ),
    (NodeKind.CITY, NodeKind.COUNTY): (ChecklistTemplateRecord, SyncConflictResolution),
}

# Policy files go from the city down to its counties, as members of their own.
POLICY_ROUTES = frozenset({(NodeKind.CITY, NodeKind.COUNTY)})

# Records matched by a natural key as well as by id: every installation loads its own copy of the bundled regions
# and templates, under ids of its own.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    Region.__tablename__: ("code",),
    RegionPopulation.__tablename__: ("region_code", "year"),
    ChecklistTemplateRecord.__tablename__: ("code", "template_version"),
}

# Records the database keeps as written (row guards in the migrations): never updated, never deleted.
APPEND_ONLY = frozenset(
    {
        InstitutionEvent.__tablename__,
        RandomDraw.__tablename__,
        ChecklistTemplateRecord.__tablename__,
        RectificationNotice.__tablename__,
        RectificationClosure.__tablename__,
        Violation.__tablename__,
    }
)

_ORDER = {table.name: index for index, table in enumerate(Base.metadata.sorted_tables)}
MODELS: dict[str, type] = {model.__tablename__: model for models in _ROUTES.values() for model in models}


def tables_from(source: NodeKind, target: NodeKind) -> tuple[type, ...]:
    """The models a node of kind ``source`` sends to one of kind ``target``, parents first (empty: none)."""
    models = _ROUTES.get((NodeKind(source), NodeKind(target)), ())
    return tuple(sorted(models, key=lambda model: _ORDER[model.__tablename__]))


def sends_policies(source: NodeKind, target: NodeKind) -> bool:
    return (NodeKind(source), NodeKind(target)) in POLICY_ROUTES


def table_order(name: str) -> int:
    return _ORDER[name]


def is_personal(model: type) -> bool:
    """Tables whose rows are personal data travel encrypted to the target."""
    return bool(getattr(model, "__sensitive__", frozenset()))


@dataclass(frozen=True)
class CountyOf:
    """How to find which county a row belongs to: a column of its own, or its parent's."""

    column: str
    # None: ``column`` holds the county code; else the table whose id ``column`` holds.
    via: str | None = None


# Institutions' rows name their county; the rest name the record they belong to.
COUNTY_OF: dict[str, CountyOf] = {
    Institution.__tablename__: CountyOf("county_code"),
    RandomDraw.__tablename__: CountyOf("county_code"),
    RectificationNotice.__tablename__: CountyOf("county_code"),
    SubsidyApplication.__tablename__: CountyOf("county_code"),
    EnrollmentClaim.__tablename__: CountyOf("county_code"),
    InstitutionEvent.__tablename__: CountyOf("institution_id", Institution.__tablename__),
    ClassGroup.__tablename__: CountyOf("institution_id", Institution.__tablename__),
    StaffMember.__tablename__: CountyOf("institution_id", Institution.__tablename__),
    Child.__tablename__: CountyOf("institution_id", Institution.__tablename__),
    Inspection.__tablename__: CountyOf("institution_id", Institution.__tablename__),
    Violation.__tablename__: CountyOf("institution_id", Institution.__tablename__),
    InspectionAnswer.__tablename__: CountyOf("inspection_id", Inspection.__tablename__),
    InspectionPhoto.__tablename__: CountyOf("inspection_id", Inspection.__tablename__),
    RectificationClosure.__tablename__: CountyOf("notice_id", RectificationNotice.__tablename__),
}


_FIELD_ROUTES = frozenset({(NodeKind.LAPTOP, NodeKind.COUNTY), (NodeKind.COUNTY, NodeKind.LAPTOP)})
_FINISHED = Inspection.__table__.c.finished.is_(True)
_OF_FINISHED_INSPECTION = (InspectionAnswer.__tablename__, InspectionPhoto.__tablename__)

# When a record goes, these records that belong to it are looked at too: an inspection's answers and photos
# were journalled while it was a draft, which did not travel, and do not change when it is finished.
COMPANIONS: dict[str, tuple[tuple[type, str], ...]] = {
    Inspection.__tablename__: ((InspectionAnswer, "inspection_id"), (InspectionPhoto, "inspection_id")),
}


def route_filter(source: NodeKind, target: NodeKind, model: type) -> ColumnElement[bool] | None:
    """Rows of ``model`` that do not travel on this route: between a county and its laptops, unfinished
    inspections (and their answers and photos) stay where they are being written."""
    if (NodeKind(source), NodeKind(target)) not in _FIELD_ROUTES:
        return None
    table: Table = model.__table__
    if table.name == Inspection.__tablename__:
        return _FINISHED
    if table.name in _OF_FINISHED_INSPECTION and (source, target) == (NodeKind.LAPTOP, NodeKind.COUNTY):
        return table.c.inspection_id.in_(select(Inspection.__table__.c.id).where(_FINISHED))
    return None


def in_county(model: type, county_code: str) -> ColumnElement[bool] | None:
    """A WHERE clause keeping ``model``'s rows of one county (None: the table is not kept per county)."""
    rule = COUNTY_OF.get(model.__tablename__)
    if rule is None:
        return None
    table: Table = model.__table__
    if rule.via is None:
        return table.c[rule.column] == county_code
    parent = MODELS_BY_NAME[rule.via]
    return table.c[rule.column].in_(select(parent.__table__.c.id).where(in_county(parent, county_code)))


MODELS_BY_NAME: dict[str, type] = {
    model.__tablename__: model for model in (Institution, Inspection, RectificationNotice, *MODELS.values())
}

Transform = Callable[[dict[str, Any]], dict[str, Any]]


def _masked_staff(row: dict[str, Any]) -> dict[str, Any]:
    if row.get("id_number"):
        row = {**row, "id_number": mask_id_number(row["id_number"])}
    return row


# Rows as a node of that kind may have them: a laptop never holds a staff member's full ID number.
_OUTGOING: Mapping[tuple[NodeKind, str], Transform] = {
    (NodeKind.LAPTOP, StaffMember.__tablename__): _masked_staff,
}


def outgoing_transform(target: NodeKind, table: str) -> Transform | None:
    return _OUTGOING.get((NodeKind(target), table))
