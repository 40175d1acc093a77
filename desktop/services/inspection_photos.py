"""Photos taken at an inspection: attached from files while the inspection is a draft, frozen after.

Each distinct image is stored once (``PhotoContent``, keyed by its SHA-256) however many
inspections or items show it; ``InspectionPhoto`` says which inspection, and which item if any, it
documents. A file is judged by its size before it is opened, so a 200 MB video picked by mistake
is never read into memory, and by its first bytes, so a PDF renamed ``.jpg`` is caught; the file is
read and hashed before the write transaction begins, which then only inserts rows.
"""

from __future__ import annotations

import hashlib
import os
import stat
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from desktop.domain.photos import HEADER_BYTES, MAX_PHOTO_BYTES, check_photo, check_photo_size
from desktop.domain.problems import Problem
from desktop.errors import NotFoundError, TuoyuError
from desktop.models import Inspection, InspectionPhoto, PhotoContent
from desktop.services.inspections import template_for
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session, write_session

FILE_NAME_LENGTH = 255  # InspectionPhoto.file_name


class PhotoRefused(TuoyuError):
    """A file that cannot become an inspection photo; ``code`` says why (``photo.too_large``, …)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.code = problem.code


class InspectionFinishedError(TuoyuError):
    """The inspection is finished: its photos are evidence now and can no longer change."""


@dataclass(frozen=True)
class PhotoRecord:
    """One photo of an inspection, without its bytes (``photo_bytes`` fetches those)."""

    id: uuid.UUID
    item_code: str | None  # None: a photo of the visit as a whole
    file_name: str
    caption: str | None
    sha256: str
    byte_size: int
    media_type: str


@dataclass(frozen=True)
class _PhotoFile:
    file_name: str
    data: bytes
    sha256: str
    media_type: str


def _read_photo_file(path: Path, *, limit: int = MAX_PHOTO_BYTES) -> _PhotoFile:
    """Read and hash a photo file, refusing it by its size before reading and by its content after."""
    file_name = path.name
    try:
        info = path.stat()
    except OSError as error:
        raise PhotoRefused(_unreadable(file_name, error)) from error
    if not stat.S_ISREG(info.st_mode):
        raise PhotoRefused(Problem("photo.not_a_file", f"“{file_name}”不是文件，请选择照片文件。", "error"))
    if (problem := check_photo_size(file_name, info.st_size, limit=limit)) is not None:
        raise PhotoRefused(problem)
    try:
        with path.open("rb") as stream:
            data = stream.read(limit + 1)  # never more than the limit, even if the file grew since stat
    except OSError as error:
        raise PhotoRefused(_unreadable(file_name, error)) from error
    check = check_photo(file_name, len(data), data[:HEADER_BYTES], limit=limit)
    if not check.ok:
        raise PhotoRefused(check.problem)
    return _PhotoFile(file_name, data, hashlib.sha256(data).hexdigest(), check.media_type)


def _unreadable(file_name: str, error: OSError) -> Problem:
    reason = "文件不存在" if isinstance(error, FileNotFoundError) else (error.strerror or "无法读取")
    return Problem(
        "photo.unreadable",
        f"无法读取文件“{file_name}”（{reason}）。请确认文件还在、U 盘或存储卡仍然连接，然后重新选择。",
        "error",
    )


def attach_photo(
    ctx: AppContext,
    inspection_id: uuid.UUID,
    path: str | os.PathLike[str],
    *,
    item_code: str | None = None,
    caption: str | None = None,
) -> PhotoRecord:
    """Attach a photo file to a draft inspection, to one of its items or (no item) to the visit."""
    if item_code is not None and item_code not in {item.code for item in template_for(ctx, inspection_id).items}:
        raise TuoyuError(f"这次检查的检查表中没有项目“{item_code}”，照片未添加。请选择检查表中的项目后再添加。")
    photo = _read_photo_file(Path(path))
    file_name = photo.file_name[:FILE_NAME_LENGTH]
    caption = (caption or "").strip() or None
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        _require_draft(session, inspection_id, "添加")
        already = session.scalar(
            select(InspectionPhoto.file_name).where(
                InspectionPhoto.inspection_id == inspection_id,
                InspectionPhoto.sha256 == photo.sha256,
                InspectionPhoto.item_code.is_(None) if item_code is None else InspectionPhoto.item_code == item_code,
            )
        )
        if already is not None:
            where = "这个项目" if item_code else "这次检查"
            raise PhotoRefused(
                Problem(
                    "photo.duplicate",
                    f"照片“{file_name}”与已添加到{where}的“{already}”是同一张，不必重复添加。",
                    "error",
                )
            )
        if session.get(PhotoContent, photo.sha256) is None:
            session.add(
                PhotoContent(
                    sha256=photo.sha256, media_type=photo.media_type, byte_size=len(photo.data), data=photo.data
                )
            )
            session.flush()  # the content row first: the photo row refers to it
        row = InspectionPhoto(
            inspection_id=inspection_id, item_code=item_code, sha256=photo.sha256, file_name=file_name, caption=caption
        )
        session.add(row)
        session.flush()
        content = session.get(PhotoContent, photo.sha256)
        return PhotoRecord(row.id, item_code, file_name, caption, photo.sha256, content.byte_size, content.media_type)


def remove_photo(ctx: AppContext, photo_id: uuid.UUID) -> None:
    """Remove a photo from a draft inspection; its bytes go too when no other photo shows them."""
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        row = session.get(InspectionPhoto, photo_id)
        if row is None:
            raise NotFoundError("找不到这张照片，可能已被删除。请重新打开这次检查。")
        _require_draft(session, row.inspection_id, "删除")
        sha256 = row.sha256
        session.delete(row)
        session.flush()
        if not session.scalar(select(exists().where(InspectionPhoto.sha256 == sha256))):
            session.execute(delete(PhotoContent).where(PhotoContent.sha256 == sha256))


def photos_of(ctx: AppContext, inspection_id: uuid.UUID) -> list[PhotoRecord]:
    """An inspection's photos in the order they were added, without their bytes."""
    with read_session(ctx.db) as session:
        rows = session.execute(
            select(
                InspectionPhoto.id,
                InspectionPhoto.item_code,
                InspectionPhoto.file_name,
                InspectionPhoto.caption,
                InspectionPhoto.sha256,
                PhotoContent.byte_size,
                PhotoContent.media_type,
            )
            .join(PhotoContent, PhotoContent.sha256 == InspectionPhoto.sha256)
            .where(InspectionPhoto.inspection_id == inspection_id)
            .order_by(InspectionPhoto.created_at, InspectionPhoto.id)
        )
        return [PhotoRecord(*row) for row in rows]


def photo_bytes(ctx: AppContext, sha256: str) -> bytes:
    """The stored bytes of one image."""
    with read_session(ctx.db) as session:
        data = session.scalar(select(PhotoContent.data).where(PhotoContent.sha256 == sha256))
    if data is None:
        raise NotFoundError("找不到这张照片的内容，可能已被删除。请重新打开这次检查。")
    return data


def _require_draft(session: Session, inspection_id: uuid.UUID, verb: str) -> None:
    finished = session.scalar(select(Inspection.finished).where(Inspection.id == inspection_id))
    if finished is None:
        raise NotFoundError("找不到该检查记录，照片未保存。")
    if finished:
        raise InspectionFinishedError(f"这次检查已经完成，照片不能再{verb}。如需更正，请新建一条更正记录。")
