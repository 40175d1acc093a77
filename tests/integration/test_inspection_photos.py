"""Photos of an inspection: attached from files, stored once by content, frozen when the inspection is."""

from __future__ import annotations

import hashlib
import struct
import tracemalloc
import zlib
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from desktop.domain.checklists import Answer
from desktop.domain.enums import InspectionKind, SponsorType
from desktop.domain.lifecycle_rules import LifecycleState
from desktop.errors import NotFoundError, TuoyuError
from desktop.models import AuditEntry, Inspection, InspectionPhoto, PhotoContent
from desktop.services import inspection_photos
from desktop.services.inspection_photos import (
    InspectionFinishedError,
    PhotoRefused,
    attach_photo,
    photo_bytes,
    photos_of,
    remove_photo,
)
from desktop.services.inspections import finish_inspection, save_answers, start_inspection, template_for
from desktop.services.institution_commands import InstitutionDraft, create_institution

TODAY = date(2026, 9, 30)
MB = 1024 * 1024


def png(path, shade: int = 0):
    """A real 2×2 PNG, its colour set by ``shade`` so that different shades differ in content."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    pixels = b"".join(b"\x00" + bytes([shade, 128, 255 - shade]) * 2 for _ in range(2))
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )
    return path


def _start(ctx):
    draft = InstitutionDraft(name="甘州区阳光托育中心", sponsor_type=SponsorType.SOCIAL, county_code="620702", slots=40)
    institution_id = create_institution(ctx, draft, LifecycleState(), today=TODAY).institution_id
    return start_inspection(
        ctx,
        institution_id,
        kind=InspectionKind.SEMIANNUAL_INSPECTION,
        period="2026H2",
        inspected_at=datetime(2026, 9, 30, 2, tzinfo=UTC),
        inspectors="王芳、李强",
    )


def _finish(ctx, inspection_id):
    answers = {item.code: Answer.COMPLIANT for item in template_for(ctx, inspection_id).items}
    save_answers(ctx, inspection_id, answers)
    with ctx.db.session_factory() as session:
        version = session.get(Inspection, inspection_id).version
    finish_inspection(ctx, inspection_id, expected_version=version, today=TODAY)


def _counts(ctx):
    with ctx.db.session_factory() as session:
        return (
            session.scalar(select(func.count()).select_from(PhotoContent)),
            session.scalar(select(func.count()).select_from(InspectionPhoto)),
        )


@pytest.fixture
def inspection_id(ctx):
    return _start(ctx)


def test_a_photo_is_attached_to_an_item_with_its_hash_and_read_back(ctx, inspection_id, tmp_path):
    path = png(tmp_path / "灭火器.png")
    record = attach_photo(ctx, inspection_id, path, item_code="fire.extinguishers", caption=" 过期 ")
    whole_visit = attach_photo(ctx, inspection_id, png(tmp_path / "大门.png", shade=90))
    assert record.item_code == "fire.extinguishers" and record.caption == "过期" and record.file_name == "灭火器.png"
    assert record.media_type == "image/png" and record.byte_size == path.stat().st_size
    assert record.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert whole_visit.item_code is None
    assert photos_of(ctx, inspection_id) == [record, whole_visit]
    assert photo_bytes(ctx, record.sha256) == path.read_bytes()
    with ctx.db.session_factory() as session:
        audited = session.scalars(select(AuditEntry.entity_type).where(AuditEntry.subject_id == inspection_id)).all()
    assert audited.count("inspection_photos") == 2


def test_the_same_image_is_stored_once_however_many_times_it_is_shown(ctx, inspection_id, tmp_path):
    first = png(tmp_path / "a.png")
    copy = tmp_path / "复制的.png"
    copy.write_bytes(first.read_bytes())
    other_inspection = _start(ctx)
    attach_photo(ctx, inspection_id, first, item_code="fire.extinguishers")
    attach_photo(ctx, inspection_id, copy)  # the same image, for the visit as a whole
    attach_photo(ctx, other_inspection, copy)
    assert _counts(ctx) == (1, 3)
    with pytest.raises(PhotoRefused, match="是同一张") as caught:
        attach_photo(ctx, inspection_id, copy, item_code="fire.extinguishers")
    assert "a.png" in caught.value.message and _counts(ctx) == (1, 3)


@pytest.mark.parametrize(
    ("name", "content", "code", "words"),
    [
        ("检查记录.pdf", b"%PDF-1.7\n" + bytes(500), "photo.not_an_image", "文件“检查记录.pdf”不是图片"),
        ("假照片.jpg", b"PK\x03\x04" + bytes(500), "photo.not_an_image", "不是图片"),
        ("IMG_0001.HEIC", b"\x00\x00\x00\x18ftypheic" + bytes(500), "photo.heic", "导出为 JPEG"),
        ("空.jpg", b"", "photo.empty", "是空的"),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_stored(
    ctx, inspection_id, tmp_path, name, content, code, words
):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(PhotoRefused) as caught:
        attach_photo(ctx, inspection_id, path)
    assert caught.value.code == code and words in caught.value.message
    assert _counts(ctx) == (0, 0)


def test_a_200_mb_file_is_refused_from_its_size_without_being_read(ctx, inspection_id, tmp_path):
    path = tmp_path / "VID_20260930.jpg"
    with path.open("wb") as stream:
        stream.write(b"\xff\xd8\xff\xe0")
        stream.truncate(200 * MB)  # sparse: costs no disk and no time
    tracemalloc.start()
    try:
        with pytest.raises(PhotoRefused) as caught:
            attach_photo(ctx, inspection_id, path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.code == "photo.too_large"
    assert caught.value.message.startswith("照片“VID_20260930.jpg”有 200 MB，超过每张 20 MB 的上限")
    assert peak < 5 * MB
    assert _counts(ctx) == (0, 0)


def test_a_missing_file_or_an_unknown_item_is_refused_in_chinese(ctx, inspection_id, tmp_path):
    with pytest.raises(PhotoRefused, match="无法读取文件“不在了.jpg”（文件不存在）"):
        attach_photo(ctx, inspection_id, tmp_path / "不在了.jpg")
    with pytest.raises(PhotoRefused, match="不是文件"):
        attach_photo(ctx, inspection_id, tmp_path)
    with pytest.raises(TuoyuError, match="检查表中没有项目“no.such_item”"):
        attach_photo(ctx, inspection_id, png(tmp_path / "a.png"), item_code="no.such_item")
    assert _counts(ctx) == (0, 0)


def test_removing_a_photo_from_a_draft_drops_its_bytes_only_when_no_other_photo_shows_them(
    ctx, inspection_id, tmp_path
):
    shared = png(tmp_path / "a.png")
    first = attach_photo(ctx, inspection_id, shared, item_code="fire.extinguishers")
    second = attach_photo(ctx, inspection_id, shared)
    alone = attach_photo(ctx, inspection_id, png(tmp_path / "b.png", shade=200))
    remove_photo(ctx, first.id)
    assert _counts(ctx) == (2, 2)  # the shared image is still shown by the second photo
    remove_photo(ctx, second.id)
    remove_photo(ctx, alone.id)
    assert _counts(ctx) == (0, 0)
    assert photos_of(ctx, inspection_id) == []
    with pytest.raises(NotFoundError):
        remove_photo(ctx, alone.id)
    with pytest.raises(NotFoundError):
        photo_bytes(ctx, alone.sha256)


def test_a_finished_inspection_refuses_new_and_removed_photos_in_the_service_and_the_database(
    ctx, inspection_id, tmp_path
):
    kept = attach_photo(ctx, inspection_id, png(tmp_path / "a.png"))
    _finish(ctx, inspection_id)
    with pytest.raises(InspectionFinishedError, match="这次检查已经完成，照片不能再添加"):
        attach_photo(ctx, inspection_id, png(tmp_path / "b.png", shade=7))
    with pytest.raises(InspectionFinishedError, match="照片不能再删除"):
        remove_photo(ctx, kept.id)
    for statement in ("UPDATE inspection_photos SET caption = 'x'", "DELETE FROM inspection_photos"):
        with pytest.raises(DBAPIError), ctx.db.engine.begin() as connection:
            connection.execute(text(statement))
    assert photos_of(ctx, inspection_id) == [kept] and _counts(ctx) == (1, 1)


def test_when_the_database_refuses_the_photo_its_bytes_are_not_left_behind(ctx, inspection_id, tmp_path, monkeypatch):
    attach_photo(ctx, inspection_id, png(tmp_path / "a.png"))
    _finish(ctx, inspection_id)
    monkeypatch.setattr(inspection_photos, "_require_draft", lambda *args: None)  # only the trigger stands guard
    with pytest.raises(DBAPIError):
        attach_photo(ctx, inspection_id, png(tmp_path / "new.png", shade=33))
    assert _counts(ctx) == (1, 1)  # the new image's content row went with the refused photo row
