"""Field packages: the county exports what one inspector needs offline; the laptop loads it.

A package holds the institutions the inspector will visit (their register entry, classes and staff —
staff ID numbers masked, and no children's data at all), every checklist template, the quarter's
draws of the county, and the open rectification notices of those institutions (for the 回头看). It
also reserves a block of notice numbers in the county's counter, so a notice issued on site carries
its final number; numbers not used are simply skipped, never reused.

On the laptop, loading a package turns the installation into a field laptop (refused on a database
that keeps a register of its own) and brings its copy of those records up to date. Records that
never change once written (finished inspections, notices) are only added, never rewritten.
"""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from desktop.domain.enums import NodeKind, OperatingStatus, RegionLevel, UserRole
from desktop.domain.field_bundles import PACKAGE_FORMAT, BundleRefused
from desktop.domain.identifiers import mask_id_number
from desktop.domain.random_draw import drawn_from_json
from desktop.errors import TuoyuError
from desktop.models import (
    AppSetting,
    ChecklistTemplateRecord,
    ClassGroup,
    DocumentCounter,
    FieldPackage,
    Inspection,
    Institution,
    RandomDraw,
    RectificationClosure,
    RectificationNotice,
    Region,
    StaffMember,
    User,
)
from desktop.services.batching import existing_ids
from desktop.services.bundle_files import read_bundle, write_bundle
from desktop.services.field_laptop import is_field_laptop
from desktop.services.inspection_ledger import quarter
from desktop.services.installation import NODE_KIND_KEY
from desktop.services.record_codec import decode_row, encode_row
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session, write_session

DATA = "data.json"
NOTICE_KIND = "rectification"
DEFAULT_RESERVED_NUMBERS = 20


class Scope:
    ASSIGNED = "assigned"  # drawn for this inspector this quarter, plus open rectifications
    COUNTY = "county"  # every operating institution of the county, plus open rectifications


@dataclass(frozen=True)
class PackageSummary:
    package_id: uuid.UUID
    county_name: str
    inspector_name: str
    institutions: int
    open_notices: int
    year: int
    serial_from: int
    serial_to: int


# The tables a package carries, in the order they are loaded (parents first). Nothing else —
# in particular no table with children's data — ever goes into a package.
PACKAGE_TABLES: tuple[type, ...] = (
    Region,
    User,
    Institution,
    ClassGroup,
    StaffMember,
    ChecklistTemplateRecord,
    RandomDraw,
    Inspection,
    RectificationNotice,
    FieldPackage,
)


def export_field_package(
    ctx: AppContext,
    path: Path,
    *,
    inspector_id: uuid.UUID,
    today: date,
    scope: str = Scope.ASSIGNED,
    institution_ids: list[uuid.UUID] | None = None,
    reserve: int = DEFAULT_RESERVED_NUMBERS,
) -> PackageSummary:
    """Write the package for one inspector and record it (with its reserved numbers and secret)."""
    if not 1 <= reserve <= 500:
        raise TuoyuError("预留的整改通知书编号数量应在 1 到 500 之间。")
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        inspector = session.get(User, inspector_id)
        if inspector is None or inspector.role is not UserRole.INSPECTOR or not inspector.active:
            raise TuoyuError("所选人员不是在册的检查员，无法为其导出任务包。请在检查员名录中确认。")
        county_code = inspector.county_code
        county = session.scalar(select(Region).where(Region.code == county_code))
        ids = _institutions_for(session, county_code, inspector_id, today, scope, institution_ids)
        if not ids:
            raise TuoyuError(
                f"没有需要{inspector.display_name}检查的机构：本季度未抽中给该检查员，也没有整改中的机构。"
                "可改为导出本县区全部运营机构。"
            )
        year = today.year
        counter = session.get(DocumentCounter, (county_code, year, NOTICE_KIND), with_for_update=True)
        if counter is None:
            counter = DocumentCounter(county_code=county_code, year=year, kind=NOTICE_KIND, last_serial=0)
            session.add(counter)
        serial_from = counter.last_serial + 1
        counter.last_serial += reserve
        package = FieldPackage(
            county_code=county_code,
            inspector_id=inspector.id,
            inspector_name=inspector.display_name,
            year=year,
            serial_from=serial_from,
            serial_to=counter.last_serial,
            secret=secrets.token_hex(32),
            exported_at=datetime.now(UTC),
            institution_count=len(ids),
        )
        session.add(package)
        session.flush()
        data = _package_data(session, county_code, inspector, ids, today, package)
        summary = PackageSummary(
            package.id,
            county.name if county else county_code,
            inspector.display_name,
            len(ids),
            len(data[RectificationNotice.__tablename__]),
            year,
            package.serial_from,
            package.serial_to,
        )
        header = {
            "package_id": str(package.id),
            "county_code": county_code,
            "county_name": summary.county_name,
            "inspector": inspector.display_name,
            "exported_at": package.exported_at.isoformat(),
            "counts": {table: len(rows) for table, rows in data.items()},
        }
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        # Written inside the transaction: if the file cannot be written, the reservation is undone too.
        write_bundle(path, PACKAGE_FORMAT, header, {DATA: body})
    return summary


def _institutions_for(
    session: Session,
    county_code: str,
    inspector_id: uuid.UUID,
    today: date,
    scope: str,
    institution_ids: list[uuid.UUID] | None,
) -> list[uuid.UUID]:
    in_county = select(Institution.id).where(Institution.county_code == county_code)
    if institution_ids is not None:
        wanted = set(institution_ids)
        found = set(session.scalars(in_county.where(Institution.id.in_(wanted))))
        if wanted - found:
            raise TuoyuError(f"有 {len(wanted - found)} 家所选机构不属于该检查员所在县区，不能放入任务包。")
        return sorted(found)
    with_open_notice = set(
        session.scalars(
            select(RectificationNotice.institution_id).where(
                RectificationNotice.county_code == county_code,
                RectificationNotice.id.not_in(select(RectificationClosure.notice_id)),
            )
        )
    )
    if scope == Scope.COUNTY:
        chosen = set(session.scalars(in_county.where(Institution.operating_status == OperatingStatus.OPERATING)))
    elif scope == Scope.ASSIGNED:
        chosen = set()
        for result_json in session.scalars(
            select(RandomDraw.result_json).where(
                RandomDraw.county_code == county_code, RandomDraw.period == quarter(today)
            )
        ):
            for drawn in drawn_from_json(result_json):
                if str(inspector_id) in drawn.inspector_ids:
                    chosen.add(uuid.UUID(drawn.institution_id))
    else:
        raise TuoyuError(f"未知的任务包范围“{scope}”。")
    return sorted(chosen | with_open_notice)


def _package_data(
    session: Session,
    county_code: str,
    inspector: User,
    institution_ids: list[uuid.UUID],
    today: date,
    package: FieldPackage,
) -> dict[str, list[dict[str, Any]]]:
    def rows(model: type, *where: Any) -> list[dict[str, Any]]:
        return [encode_row(model.__table__, r) for r in session.scalars(select(model).where(*where))]

    county = session.scalar(select(Region).where(Region.code == county_code))
    ancestors, code = [], county.parent_code if county else None
    while code is not None:
        parent = session.scalar(select(Region).where(Region.code == code))
        if parent is None:
            break
        ancestors.insert(0, parent)
        code = parent.parent_code
    townships = session.scalars(
        select(Region).where(Region.parent_code == county_code, Region.level == RegionLevel.TOWNSHIP)
    ).all()
    regions = [encode_row(Region.__table__, r) for r in (*ancestors, *([county] if county else []), *townships)]
    user = encode_row(User.__table__, inspector)
    user["password_hash"] = None  # a laptop never needs anyone's credentials
    staff = rows(StaffMember, StaffMember.institution_id.in_(institution_ids))
    for member in staff:
        if member["id_number"]:
            member["id_number"] = mask_id_number(member["id_number"])
    notices = rows(
        RectificationNotice,
        RectificationNotice.institution_id.in_(institution_ids),
        RectificationNotice.id.not_in(select(RectificationClosure.notice_id)),
    )
    noticed = [uuid.UUID(n["inspection_id"]) for n in notices]
    inspections = rows(Inspection, Inspection.id.in_(noticed))
    draws = rows(RandomDraw, RandomDraw.county_code == county_code, RandomDraw.period == quarter(today))
    draw_ids = {d["id"] for d in draws}
    for inspection in inspections:
        # The laptop keeps these only as the origin of an open notice; it never sends them back.
        inspection["corrects_id"] = None
        if inspection["draw_id"] not in draw_ids:
            inspection["draw_id"] = None
    tables = {
        Region: regions,
        User: [user],
        Institution: rows(Institution, Institution.id.in_(institution_ids)),
        ClassGroup: rows(ClassGroup, ClassGroup.institution_id.in_(institution_ids)),
        StaffMember: staff,
        ChecklistTemplateRecord: rows(ChecklistTemplateRecord),
        RandomDraw: draws,
        Inspection: inspections,
        RectificationNotice: notices,
        FieldPackage: [encode_row(FieldPackage.__table__, package)],
    }
    return {model.__tablename__: tables[model] for model in PACKAGE_TABLES}


@dataclass(frozen=True)
class LoadSummary:
    package_id: uuid.UUID
    county_name: str
    inspector_name: str
    institutions: int
    open_notices: int
    serial_from: int
    serial_to: int


def load_field_package(ctx: AppContext, path: Path) -> LoadSummary:
    """Load a package on a field laptop: all of it in one transaction, or nothing."""
    bundle = read_bundle(path, PACKAGE_FORMAT)
    data = bundle.json(DATA)
    if not isinstance(data, dict) or not all(isinstance(data.get(t.__tablename__), list) for t in PACKAGE_TABLES):
        raise BundleRefused(f"“{bundle.label}”的内容不完整，可能已损坏。请回县区重新导出任务包。")
    packages = data[FieldPackage.__tablename__]
    package = decode_row(FieldPackage.__table__, packages[0]) if packages else None
    if package is None:
        raise BundleRefused(f"“{bundle.label}”缺少任务包信息，可能已损坏。请回县区重新导出任务包。")
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        _become_laptop(session, bundle.label)
        _merge_regions(session, [decode_row(Region.__table__, v) for v in data[Region.__tablename__]])
        template_ids = _merge_templates(session, data[ChecklistTemplateRecord.__tablename__])
        for model in PACKAGE_TABLES:
            if model in (Region, ChecklistTemplateRecord):
                continue
            rows = [decode_row(model.__table__, values) for values in data[model.__tablename__]]
            if model is Inspection:
                for row in rows:
                    row["template_id"] = template_ids.get(row["template_id"], row["template_id"])
            _store(session, model, rows)
        _replace_rosters(session, data)
        _reserve_numbers_here(session, package)
        county_name = session.scalar(select(Region.name).where(Region.code == package["county_code"]))
    return LoadSummary(
        package["id"],
        county_name or package["county_code"],
        package["inspector_name"],
        len(data[Institution.__tablename__]),
        len(data[RectificationNotice.__tablename__]),
        package["serial_from"],
        package["serial_to"],
    )


def _become_laptop(session: Session, label: str) -> None:
    if is_field_laptop(session):
        return
    own_register = session.scalar(select(func.count()).select_from(Institution))
    if own_register:
        raise BundleRefused(
            f"这台电脑的数据库中已有 {own_register} 家机构的档案（县区数据库），不能载入检查任务包“{label}”，"
            "以免混淆。请在检查笔记本上载入；在同一台电脑上试用时，可用 --data-dir 另建一个数据目录。"
        )
    session.execute(update(AppSetting).where(AppSetting.key == NODE_KIND_KEY).values(value=NodeKind.LAPTOP.value))


def _merge_regions(session: Session, regions: list[dict[str, Any]]) -> None:
    """Regions are matched by code: a laptop already knows its bundled ones under ids of its own."""
    known = set(session.scalars(select(Region.code)))
    for region in regions:  # parents come first in the package
        if region["code"] not in known:
            session.execute(insert(Region.__table__).values(**region))


def _merge_templates(session: Session, templates: list[dict[str, Any]]) -> dict[uuid.UUID, uuid.UUID]:
    """Templates are matched by code and version; returns the county's ids → this laptop's ids."""
    mapping = {}
    for values in templates:
        row = decode_row(ChecklistTemplateRecord.__table__, values)
        local = session.execute(
            select(ChecklistTemplateRecord.id, ChecklistTemplateRecord.content_sha256).where(
                ChecklistTemplateRecord.code == row["code"],
                ChecklistTemplateRecord.template_version == row["template_version"],
            )
        ).first()
        if local is None:
            session.execute(insert(ChecklistTemplateRecord.__table__).values(**row))
            mapping[row["id"]] = row["id"]
        elif local.content_sha256 != row["content_sha256"]:
            raise BundleRefused(
                f"检查表“{row['title']}”（{row['template_version']} 版）与本机已有的同版本内容不同，无法载入。"
                "请联系县区确认检查表版本。"
            )
        else:
            mapping[row["id"]] = local.id
    return mapping


# Records that never change once written: a laptop only adds them.
_ADD_ONLY = (Inspection, RectificationNotice, FieldPackage, RandomDraw)


def _store(session: Session, model: type, rows: list[dict[str, Any]]) -> None:
    table: Table = model.__table__
    if not rows:
        return
    existing = existing_ids(session, table, [r["id"] for r in rows])
    for row in rows:
        if row["id"] not in existing:
            session.execute(insert(table).values(**row))
        elif model not in _ADD_ONLY:
            session.execute(update(table).where(table.c.id == row["id"]).values(**row))


def _replace_rosters(session: Session, data: dict[str, list]) -> None:
    """Classes and staff the county has removed since the last package go from the laptop too."""
    institution_ids = [uuid.UUID(i["id"]) for i in data[Institution.__tablename__]]
    for model in (StaffMember, ClassGroup):
        keep = [uuid.UUID(r["id"]) for r in data[model.__tablename__]]
        session.execute(delete(model).where(model.institution_id.in_(institution_ids), model.id.not_in(keep)))


def _reserve_numbers_here(session: Session, package: dict[str, Any]) -> None:
    key = (package["county_code"], package["year"], NOTICE_KIND)
    counter = session.get(DocumentCounter, key)
    if counter is None:
        counter = DocumentCounter(county_code=key[0], year=key[1], kind=NOTICE_KIND)
        session.add(counter)
    # Loading the same package again must not hand out numbers this laptop has already used.
    used = session.scalar(
        select(func.max(RectificationNotice.serial)).where(
            RectificationNotice.county_code == key[0],
            RectificationNotice.year == key[1],
            RectificationNotice.serial.between(package["serial_from"], package["serial_to"]),
        )
    )
    counter.last_serial = max(package["serial_from"] - 1, used or 0)
    counter.ceiling = package["serial_to"]


def current_package(ctx: AppContext) -> dict[str, Any] | None:
    """The package this laptop works on (the last one loaded), or None."""
    with read_session(ctx.db) as session:
        if not is_field_laptop(session):
            return None
        package = session.scalars(select(FieldPackage).order_by(FieldPackage.exported_at.desc())).first()
        return encode_row(FieldPackage.__table__, package) if package else None
