"""Field laptops: a county's package goes out, the laptop inspects offline, the results come back once.

The county runs on every engine under test; a laptop is always the embedded SQLite database.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.demo.zhangye import Scale
from desktop.domain.checklists import Answer
from desktop.domain.enums import InspectionKind, NodeKind, UserRole
from desktop.domain.field_bundles import BundleRefused
from desktop.domain.identifiers import validate_id_number
from desktop.errors import TuoyuError
from desktop.models import (
    AppSetting,
    Inspection,
    InspectionAnswer,
    InspectionPhoto,
    Institution,
    RectificationNotice,
    User,
)
from desktop.services.demo_service import load_demo
from desktop.services.field_packages import Scope, export_field_package, load_field_package
from desktop.services.field_results import export_field_results, import_field_results
from desktop.services.inspection_photos import attach_photo
from desktop.services.inspections import finish_inspection, save_answers, start_inspection, template_for
from desktop.services.startup import open_app

TODAY = date(2026, 11, 23)
AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
GANZHOU = "620702"


@pytest.fixture
def laptop(tmp_path: Path):
    context = open_app(data_dir=tmp_path / "laptop", url=None)
    yield context
    context.close()


def _inspector(ctx, county=GANZHOU):
    with ctx.db.session_factory() as session:
        return session.scalar(
            select(User.id).where(User.role == UserRole.INSPECTOR, User.county_code == county).order_by(User.username)
        )


def _count(ctx, model, *where):
    with ctx.db.session_factory() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def _package(ctx, tmp_path, **options):
    path = tmp_path / "package.tuoyu-field"
    options = {"scope": Scope.COUNTY, **options}
    summary = export_field_package(ctx, path, inspector_id=_inspector(ctx), today=TODAY, **options)
    return path, summary


def _inspect(ctx, institution_index=0, failing=1):
    with ctx.db.session_factory() as session:
        institution_id = session.scalars(select(Institution.id).order_by(Institution.name)).all()[institution_index]
    inspection_id = start_inspection(
        ctx,
        institution_id,
        kind=InspectionKind.SEMIANNUAL_INSPECTION,
        period="2026H2",
        inspected_at=AT,
        inspectors="刘丽、潘蓉",
        representative="王园长",
    )
    items = [item for item in template_for(ctx, inspection_id).items if not item.veto]
    answers = {item.code: Answer.COMPLIANT for item in template_for(ctx, inspection_id).items}
    answers |= {item.code: Answer.NON_COMPLIANT for item in items[:failing]}
    save_answers(ctx, inspection_id, answers, {item.code: "现场发现问题" for item in items[:failing]})
    with ctx.db.session_factory() as session:
        version = session.get(Inspection, inspection_id).version
    return inspection_id, finish_inspection(ctx, inspection_id, expected_version=version, today=TODAY)


def test_a_package_carries_the_county_register_without_full_id_numbers(demo_ctx, laptop, tmp_path):
    path, summary = _package(demo_ctx, tmp_path)
    with zipfile.ZipFile(path) as archive:
        text = archive.read("data.json").decode("utf-8")
    full_ids = [m for m in re.findall(r"\d{17}[\dX]", text) if not validate_id_number(m, today=TODAY).problems]
    assert full_ids == []
    assert '"password_hash":null' in text

    loaded = load_field_package(laptop, path)
    assert (loaded.institutions, loaded.serial_from, loaded.serial_to) == (
        summary.institutions,
        summary.serial_from,
        summary.serial_to,
    )
    assert _count(laptop, Institution) == summary.institutions
    assert _count(laptop, Institution, Institution.county_code != GANZHOU) == 0
    with laptop.db.session_factory() as session:
        assert session.get(AppSetting, "node_kind").value == NodeKind.LAPTOP.value
    # Loading the same package again changes nothing and keeps the numbers already used.
    _inspect(laptop)
    load_field_package(laptop, path)
    _, second = _inspect(laptop, 1)
    assert second.notice_number.endswith(f"〔2026〕{summary.serial_from + 1}号")


def test_a_county_database_refuses_a_package(demo_ctx, tmp_path):
    path, _ = _package(demo_ctx, tmp_path)
    with pytest.raises(BundleRefused, match="县区数据库"):
        load_field_package(demo_ctx, path)


def test_results_come_back_once_with_notices_in_the_reserved_numbers(demo_ctx, laptop, tmp_path):
    path, summary = _package(demo_ctx, tmp_path, reserve=5)
    load_field_package(laptop, path)
    inspection_id, result = _inspect(laptop)
    assert result.notice_number == f"甘州卫监改〔2026〕{summary.serial_from}号"
    photo = tmp_path / "fire.png"
    photo.write_bytes(_png())
    second_id = start_inspection(
        laptop,
        _first(laptop),
        kind=InspectionKind.QUARTERLY_SPOT_CHECK,
        period="2026Q4",
        inspected_at=AT,
        inspectors="刘丽",
    )
    attach_photo(laptop, second_id, photo)  # a draft: stays on the laptop
    results = tmp_path / "r1.tuoyu-results"
    exported = export_field_results(laptop, results)
    assert (exported.inspections, exported.notices, exported.drafts_left) == (1, 1, 1)

    before = _count(demo_ctx, Inspection)
    imported = import_field_results(demo_ctx, results)
    assert imported.inspections == 1 and not imported.already_imported
    assert _count(demo_ctx, Inspection) == before + 1
    with demo_ctx.db.session_factory() as session:
        assert session.get(Inspection, inspection_id).finished
        notice = session.scalar(select(RectificationNotice).where(RectificationNotice.inspection_id == inspection_id))
        assert notice.document_number == result.notice_number
    answers = _count(demo_ctx, InspectionAnswer, InspectionAnswer.inspection_id == inspection_id)
    assert answers == len(template_for(demo_ctx, inspection_id).items)

    again = import_field_results(demo_ctx, results)
    assert again.already_imported and _count(demo_ctx, Inspection) == before + 1

    # The draft is finished later (with its photo): the next file repeats the first inspection.
    answers = {item.code: Answer.COMPLIANT for item in template_for(laptop, second_id).items}
    save_answers(laptop, second_id, answers)
    with laptop.db.session_factory() as session:
        version = session.get(Inspection, second_id).version
    finish_inspection(laptop, second_id, expected_version=version, today=TODAY)
    later = tmp_path / "r2.tuoyu-results"
    export_field_results(laptop, later)
    imported = import_field_results(demo_ctx, later)
    assert imported.inspections == 1 and imported.skipped > 0
    assert _count(demo_ctx, InspectionPhoto, InspectionPhoto.inspection_id == second_id) == 1


def test_a_tampered_results_file_is_refused_and_nothing_is_added(demo_ctx, laptop, tmp_path):
    path, _ = _package(demo_ctx, tmp_path)
    load_field_package(laptop, path)
    _inspect(laptop)
    results = tmp_path / "r.tuoyu-results"
    export_field_results(laptop, results)
    before = _count(demo_ctx, Inspection)

    edited_data = tmp_path / "edited-data.tuoyu-results"
    _rewrite(results, edited_data, "data.json", lambda b: b.replace("现场发现问题".encode(), "一切正常".encode()))
    with pytest.raises(BundleRefused, match="与清单不符"):
        import_field_results(demo_ctx, edited_data)

    def forge_manifest(data: bytes) -> bytes:
        manifest = json.loads(data)
        manifest["inspector"] = "别人"
        return json.dumps(manifest).encode()

    edited_manifest = tmp_path / "edited-manifest.tuoyu-results"
    _rewrite(results, edited_manifest, "manifest.json", forge_manifest)
    with pytest.raises(BundleRefused, match="签名不符"):
        import_field_results(demo_ctx, edited_manifest)

    cut = tmp_path / "cut.tuoyu-results"
    cut.write_bytes(results.read_bytes()[:200])
    with pytest.raises(BundleRefused, match="已损坏"):
        import_field_results(demo_ctx, cut)

    with pytest.raises(BundleRefused, match="不是检查结果文件"):
        import_field_results(demo_ctx, path)  # the package itself, given by mistake
    assert _count(demo_ctx, Inspection) == before


def test_results_for_another_countys_package_are_refused(demo_ctx, laptop, tmp_path):
    other = open_app(data_dir=tmp_path / "other-county", url=None)
    try:
        load_demo(other, scale=Scale.COUNTY, seed=99, today=TODAY)
        path, _ = _package(other, tmp_path)
    finally:
        other.close()
    load_field_package(laptop, path)
    _inspect(laptop)
    results = tmp_path / "r.tuoyu-results"
    export_field_results(laptop, results)
    with pytest.raises(BundleRefused, match="不是从本数据库导出的"):
        import_field_results(demo_ctx, results)


def test_a_laptop_never_numbers_beyond_its_reserved_block(demo_ctx, laptop, tmp_path):
    path, _ = _package(demo_ctx, tmp_path, reserve=1)
    load_field_package(laptop, path)
    _inspect(laptop)
    with pytest.raises(TuoyuError, match="预留的整改通知书编号.*已用完"):
        _inspect(laptop, 1)
    assert _count(laptop, Inspection, Inspection.finished.is_(False)) == 1  # kept as a draft


def test_results_need_a_package(laptop, tmp_path):
    with pytest.raises(TuoyuError, match="没有载入检查任务包"):
        export_field_results(laptop, tmp_path / "r.tuoyu-results")


def _first(ctx):
    with ctx.db.session_factory() as session:
        return session.scalars(select(Institution.id).order_by(Institution.name)).first()


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xff\x00\x00" * 2 + b"\x00" + b"\x00\xff\x00" * 2)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _rewrite(source: Path, target: Path, name: str, change) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(buffer, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info.filename, change(data) if info.filename == name else data)
    target.write_bytes(buffer.getvalue())


def test_a_laptop_refuses_to_change_the_register_it_only_copies(demo_ctx, laptop, tmp_path):
    from desktop.models import ClassGroup
    from desktop.services.roster_commands import delete_class_group

    path, _ = _package(demo_ctx, tmp_path)
    load_field_package(laptop, path)
    with laptop.db.session_factory() as session:
        group = session.scalars(select(ClassGroup)).first()
    with pytest.raises(TuoyuError, match="这是检查笔记本"):
        delete_class_group(laptop, group.id, expected_version=group.version)
    assert _count(laptop, ClassGroup, ClassGroup.id == group.id) == 1
