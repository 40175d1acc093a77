"""Results files: what a field laptop recorded goes back to the county.

The laptop writes every finished inspection it made for its package's county — answers, photos,
notices it issued, closures, violations — signed with the package's secret. The county checks the
signature, the county, the reserved notice numbers and every reference before adding anything, and
adds it all in one transaction. Importing the same file again, or a later file that repeats earlier
records, adds nothing twice: records are matched by their ids, and each imported file by its SHA-256.
Drafts stay on the laptop until they are finished.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from desktop.db.session_events import audit_rows_for_bulk_insert
from desktop.domain.field_bundles import RESULTS_FORMAT, BundleRefused, sha256_hex
from desktop.errors import TuoyuError
from desktop.models import (
    AuditEntry,
    ChecklistTemplateRecord,
    FieldPackage,
    FieldResultImport,
    Inspection,
    InspectionAnswer,
    InspectionPhoto,
    Institution,
    PhotoContent,
    RectificationClosure,
    RectificationNotice,
    Violation,
)
from desktop.services.batching import existing_ids
from desktop.services.bundle_files import read_bundle, write_bundle
from desktop.services.field_packages import current_package
from desktop.services.record_codec import decode_row, encode_row
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session, write_session

DATA = "data.json"
# The records a results file carries, parents first; inspections come first of all.
RESULT_TABLES: tuple[type, ...] = (
    Inspection,
    InspectionAnswer,
    InspectionPhoto,
    RectificationNotice,
    RectificationClosure,
    Violation,
)


def _photo_file(sha256: str) -> str:
    return f"photos/{sha256}.bin"


@dataclass(frozen=True)
class ResultsExport:
    inspections: int
    notices: int
    photos: int
    drafts_left: int  # unfinished inspections, which stay on the laptop


def export_field_results(ctx: AppContext, path: Path) -> ResultsExport:
    """Write every finished inspection this laptop made for its package's county, signed."""
    package = current_package(ctx)
    if package is None:
        raise TuoyuError("这台电脑没有载入检查任务包，没有可交回的检查结果。请先载入县区导出的任务包。")
    county_code = package["county_code"]
    with read_session(ctx.db) as session:
        in_county = select(Institution.id).where(Institution.county_code == county_code)
        mine = (Inspection.origin == ctx.node_id, Inspection.institution_id.in_(in_county))
        inspections = session.scalars(
            select(Inspection).where(*mine, Inspection.finished.is_(True)).order_by(Inspection.created_at)
        ).all()
        drafts = len(session.scalars(select(Inspection.id).where(*mine, Inspection.finished.is_(False))).all())
        ids = [i.id for i in inspections]
        data: dict[str, Any] = {"inspections": [encode_row(Inspection.__table__, i) for i in inspections]}
        for model in RESULT_TABLES[1:]:
            column = model.follow_up_id if model is RectificationClosure else model.inspection_id
            data[model.__tablename__] = [
                encode_row(model.__table__, r) for r in session.scalars(select(model).where(column.in_(ids)))
            ]
        template_ids = {i.template_id for i in inspections}
        used_templates = select(ChecklistTemplateRecord).where(ChecklistTemplateRecord.id.in_(template_ids))
        data["templates"] = {
            str(t.id): {"code": t.code, "version": t.template_version, "sha256": t.content_sha256}
            for t in session.scalars(used_templates)
        }
        hashes = sorted({p["sha256"] for p in data["inspection_photos"]})
        files = {
            _photo_file(c.sha256): c.data
            for c in session.scalars(select(PhotoContent).where(PhotoContent.sha256.in_(hashes)))
        }
        data["photo_contents"] = [
            {"sha256": c.sha256, "media_type": c.media_type, "byte_size": c.byte_size}
            for c in session.execute(
                select(PhotoContent.sha256, PhotoContent.media_type, PhotoContent.byte_size).where(
                    PhotoContent.sha256.in_(hashes)
                )
            )
        ]
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    header = {
        "package_id": package["id"],
        "county_code": county_code,
        "inspector": package["inspector_name"],
        "laptop": str(ctx.node_id),
        "exported_at": datetime.now(UTC).isoformat(),
        "counts": {k: len(v) for k, v in data.items()},
    }
    write_bundle(path, RESULTS_FORMAT, header, {DATA: body, **files}, secret_hex=package["secret"])
    return ResultsExport(len(inspections), len(data["rectification_notices"]), len(files), drafts)


@dataclass(frozen=True)
class ResultsImport:
    already_imported: bool
    inspector: str
    added: dict[str, int]  # table → records added
    skipped: int  # records the county already had (from an earlier results file)

    @property
    def inspections(self) -> int:
        return self.added.get("inspections", 0)


_LABELS = {
    "inspections": "检查记录",
    "inspection_answers": "检查项结果",
    "inspection_photos": "照片",
    "rectification_notices": "整改通知书",
    "rectification_closures": "整改销号",
    "violations": "违法行为处理记录",
}


def describe_import(result: ResultsImport) -> str:
    if result.already_imported:
        return f"这份检查结果（{result.inspector}）此前已经导入过，本次没有任何改动。"
    added = "、".join(f"{_LABELS[t]} {n} 条" for t, n in result.added.items() if n) or "没有新的记录"
    skipped = f"；另有 {result.skipped} 条此前已导入，未重复添加" if result.skipped else ""
    return f"已导入{result.inspector}的检查结果：{added}{skipped}。"


def import_field_results(ctx: AppContext, path: Path) -> ResultsImport:
    """Check a laptop's results file completely, then add what the county does not have yet."""
    bundle = read_bundle(path, RESULTS_FORMAT)
    manifest = bundle.manifest
    try:
        package_id = uuid.UUID(str(manifest.get("package_id")))
    except ValueError as error:
        raise BundleRefused(f"“{bundle.label}”没有有效的任务包编号，可能已损坏。") from error
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        package = session.get(FieldPackage, package_id)
        if package is None:
            raise BundleRefused(
                f"“{bundle.label}”对应的任务包不是从本数据库导出的（可能来自其他县区或其他电脑）。"
                "没有导入任何内容。请把结果文件交给导出该任务包的县区。"
            )
        bundle.verify_signature(package.secret)
        if manifest.get("county_code") != package.county_code:
            raise BundleRefused(f"“{bundle.label}”的县区与任务包不符，没有导入任何内容。")
        if session.scalar(select(FieldResultImport.id).where(FieldResultImport.results_sha256 == bundle.whole_sha256)):
            return ResultsImport(True, package.inspector_name, {}, 0)
        data = bundle.json(DATA)
        records = _decoded(bundle.label, data)
        _map_templates(session, bundle.label, data.get("templates", {}), records["inspections"])
        _check_references(session, bundle.label, package, records)
        added, skipped = _add(session, ctx, bundle, data, records, package)
        session.add(
            FieldResultImport(
                package_id=package.id,
                results_sha256=bundle.whole_sha256,
                imported_at=datetime.now(UTC),
                summary_json=json.dumps({"added": added, "skipped": skipped}, ensure_ascii=False),
            )
        )
    return ResultsImport(False, package.inspector_name, added, skipped)


def _decoded(label: str, data: Any) -> dict[str, list[dict[str, Any]]]:
    if not isinstance(data, dict) or not isinstance(data.get("photo_contents"), list):
        raise BundleRefused(f"“{label}”的内容无法读取，可能已损坏。")
    records = {}
    for model in RESULT_TABLES:
        rows = data.get(model.__tablename__)
        if not isinstance(rows, list):
            raise BundleRefused(f"“{label}”缺少“{_LABELS[model.__tablename__]}”部分，可能已损坏。")
        records[model.__tablename__] = [decode_row(model.__table__, r) for r in rows]
    return records


def _map_templates(session: Session, label: str, templates: Any, inspections: list[dict[str, Any]]) -> None:
    """The laptop's template ids → the county's, by code and version, with the same content."""
    mapping = {}
    for laptop_id, key in (templates or {}).items():
        row = session.execute(
            select(ChecklistTemplateRecord.id, ChecklistTemplateRecord.content_sha256).where(
                ChecklistTemplateRecord.code == key.get("code"),
                ChecklistTemplateRecord.template_version == key.get("version"),
            )
        ).first()
        if row is None or row.content_sha256 != key.get("sha256"):
            raise BundleRefused(
                f"“{label}”使用的检查表“{key.get('code')}”（{key.get('version')} 版）在本数据库中没有或内容不同，"
                "没有导入任何内容。请先导入该版本的检查表。"
            )
        mapping[uuid.UUID(laptop_id)] = row.id
    for inspection in inspections:
        if inspection["template_id"] not in mapping:
            raise BundleRefused(f"“{label}”中有检查记录缺少检查表信息，可能已损坏。没有导入任何内容。")
        inspection["template_id"] = mapping[inspection["template_id"]]


def _check_references(session: Session, label: str, package: FieldPackage, records: dict[str, list]) -> None:
    """Every record must belong to the package's county, and every notice number to a reserved block."""
    institution_ids = {r["institution_id"] for r in records["inspections"]} | {
        r["institution_id"] for key in ("rectification_notices", "violations") for r in records[key]
    }
    in_county = set(
        session.scalars(
            select(Institution.id).where(
                Institution.id.in_(institution_ids), Institution.county_code == package.county_code
            )
        )
    )
    if institution_ids - in_county:
        raise BundleRefused(
            f"“{label}”中有 {len(institution_ids - in_county)} 家机构不属于本县区的档案，没有导入任何内容。"
            "请确认结果文件来自本县区的检查员。"
        )
    blocks = session.execute(
        select(FieldPackage.year, FieldPackage.serial_from, FieldPackage.serial_to).where(
            FieldPackage.county_code == package.county_code
        )
    ).all()
    for notice in records["rectification_notices"]:
        if notice["county_code"] != package.county_code or not any(
            year == notice["year"] and low <= notice["serial"] <= high for year, low, high in blocks
        ):
            raise BundleRefused(
                f"“{label}”中的整改通知书“{notice['document_number']}”的编号不在县区为检查笔记本预留的范围内，"
                "没有导入任何内容。请联系技术支持。"
            )
    notice_ids = {r["id"] for r in records["rectification_notices"]}
    closed = {r["notice_id"] for r in records["rectification_closures"]}
    known_notices = set(session.scalars(select(RectificationNotice.id).where(RectificationNotice.id.in_(closed))))
    if closed - notice_ids - known_notices:
        raise BundleRefused(f"“{label}”中有整改销号指向本县区没有的通知书，文件可能已损坏。没有导入任何内容。")
    inspection_ids = {r["id"] for r in records["inspections"]}
    known = set(session.scalars(select(Inspection.id).where(Inspection.id.in_(inspection_ids))))
    for key in ("inspection_answers", "inspection_photos", "violations", "rectification_notices"):
        for row in records[key]:
            if row["inspection_id"] not in inspection_ids | known:
                raise BundleRefused(f"“{label}”中有记录指向不存在的检查，文件可能已损坏。没有导入任何内容。")


def _add(
    session: Session,
    ctx: AppContext,
    bundle: Any,
    data: dict[str, Any],
    records: dict[str, list[dict[str, Any]]],
    package: FieldPackage,
) -> tuple[dict[str, int], int]:
    added: dict[str, int] = {}
    skipped = 0
    # Photo contents first (the photo rows point at them); each is checked against its hash.
    have = set(
        session.scalars(
            select(PhotoContent.sha256).where(PhotoContent.sha256.in_([p["sha256"] for p in data["photo_contents"]]))
        )
    )
    for content in data["photo_contents"]:
        if content["sha256"] not in have:
            image = bundle.file(_photo_file(content["sha256"]))
            if sha256_hex(image) != content["sha256"]:
                raise BundleRefused(f"“{bundle.label}”中的照片与其记录不符，文件可能已损坏。没有导入任何内容。")
            session.execute(
                insert(PhotoContent.__table__).values(
                    sha256=content["sha256"], media_type=content["media_type"], byte_size=len(image), data=image
                )
            )
    finished_here = []
    for model in RESULT_TABLES:
        table = model.__table__
        rows = records[table.name]
        existing = existing_ids(session, table, [r["id"] for r in rows])
        new_rows = [r for r in rows if r["id"] not in existing]
        skipped += len(rows) - len(new_rows)
        if model is Inspection:
            # Answers and photos of a finished inspection cannot be added (the database refuses it),
            # so inspections arrive as drafts and are finished once everything is in.
            finished_here = [r["id"] for r in new_rows if r["finished"]]
            new_rows = [{**r, "finished": False} for r in new_rows]
        if new_rows:
            session.execute(insert(table), new_rows)
            session.execute(
                insert(AuditEntry.__table__),
                audit_rows_for_bulk_insert(
                    model,
                    new_rows,
                    actor=ctx.actor.username,
                    node_id=ctx.node_id,
                    summary=f"导入检查结果（{package.inspector_name}，{bundle.label}）",
                ),
            )
        added[table.name] = len(new_rows)
    for inspection_id in finished_here:
        session.execute(update(Inspection.__table__).where(Inspection.id == inspection_id).values(finished=True))
    return added, skipped
