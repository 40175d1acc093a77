"""Checklist templates in the database: the bundled ones, and new versions a city issues.

A (code, version) is stored once and never changed. Importing a file whose version is already
stored with the same content changes nothing; with different content it is refused: a changed
template must carry a new version, so past inspections keep meaning what they meant.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from desktop.domain.checklist_format import TemplateFormatError, dump_template, parse_template, template_fingerprint
from desktop.domain.checklists import ChecklistTemplate
from desktop.errors import TuoyuError
from desktop.models import ChecklistTemplateRecord
from desktop.paths import resources_dir
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session, write_session

MAX_TEMPLATE_BYTES = 1_000_000  # a template is a few dozen KB; anything larger is not one


@dataclass(frozen=True)
class TemplateSummary:
    id: uuid.UUID
    code: str
    version: str
    title: str
    effective_from: date
    items: int
    sha256: str
    source: str


def bundled_template_files() -> list[Path]:
    return sorted((resources_dir() / "checklists").glob("*.toml"))


def read_template_file(path: Path) -> ChecklistTemplate:
    """Parse a template file; every problem becomes a TuoyuError naming the file."""
    try:
        if path.stat().st_size > MAX_TEMPLATE_BYTES:
            raise TuoyuError(
                f"文件“{path.name}”有 {path.stat().st_size // 1024} KB，不是检查表模板（模板通常只有几十 KB）。"
            )
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise TuoyuError(f"找不到检查表模板文件 {path}。") from error
    except UnicodeDecodeError as error:
        raise TuoyuError(
            f"文件“{path.name}”不是 UTF-8 编码的文本，不是检查表模板。请使用导出的 .toml 模板文件。"
        ) from error
    try:
        return parse_template(text, source_name=path.name)
    except TemplateFormatError as error:
        raise TuoyuError(error.message) from error


def _store(session, template: ChecklistTemplate, source: str) -> tuple[ChecklistTemplateRecord, bool]:
    """Store ``template`` unless this (code, version) exists; refuse a different text under the same version."""
    canonical = dump_template(template)
    fingerprint = template_fingerprint(canonical)
    stored = session.scalars(
        select(ChecklistTemplateRecord).where(
            ChecklistTemplateRecord.code == template.code, ChecklistTemplateRecord.template_version == template.version
        )
    ).first()
    if stored is not None:
        if stored.content_sha256 != fingerprint:
            raise TuoyuError(
                f"检查表“{template.title}”版本 {template.version} 已存在，但内容与本文件不同。"
                "已发布的版本不能修改；请在文件中使用新的版本号（如 2026.2）后再导入。"
            )
        return stored, False
    record = ChecklistTemplateRecord(
        code=template.code,
        template_version=template.version,
        title=template.title,
        effective_from=template.effective_from,
        content=canonical,
        content_sha256=fingerprint,
        source=source[:300],
    )
    session.add(record)
    session.flush()
    return record, True


def ensure_bundled_templates(ctx: AppContext) -> int:
    """Store the templates shipped with this release that the database does not have yet.

    Runs at every start, so files are parsed only when their name ("zhangye-safety-2026.1.toml",
    code-version: a test keeps names and contents in step) is not stored yet.
    """
    with read_session(ctx.db) as session:
        keys = select(ChecklistTemplateRecord.code, ChecklistTemplateRecord.template_version)
        stored = {f"{code}-{version}" for code, version in session.execute(keys)}
    missing = [read_template_file(path) for path in bundled_template_files() if path.stem not in stored]
    if not missing:
        return 0  # the usual start: nothing to write, no write lock taken
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        for template in missing:
            _store(session, template, "随软件提供")
    return len(missing)


def import_template(ctx: AppContext, path: Path) -> tuple[TemplateSummary, bool]:
    """Store a template version issued by the city. Returns it and whether it was new."""
    template = read_template_file(path)
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        record, new = _store(session, template, f"导入自 {path.name}")
        return _summary(record, template), new


def export_template(ctx: AppContext, code: str, version: str, path: Path) -> None:
    with read_session(ctx.db) as session:
        record = session.scalars(
            select(ChecklistTemplateRecord).where(
                ChecklistTemplateRecord.code == code, ChecklistTemplateRecord.template_version == version
            )
        ).first()
        if record is None:
            raise TuoyuError(f"没有编号为 {code}、版本为 {version} 的检查表。请先用 tuoyu checklists list 查看。")
        content = record.content
    temporary = path.with_name(path.name + ".partial")
    temporary.write_text(content, encoding="utf-8")
    temporary.replace(path)


def list_templates(ctx: AppContext) -> list[TemplateSummary]:
    with read_session(ctx.db) as session:
        records = list(
            session.scalars(
                select(ChecklistTemplateRecord).order_by(
                    ChecklistTemplateRecord.code, ChecklistTemplateRecord.effective_from
                )
            )
        )
        return [_summary(record, parse_template(record.content)) for record in records]


def load_template(ctx: AppContext, template_id: uuid.UUID) -> ChecklistTemplate:
    """The exact version an inspection used."""
    with read_session(ctx.db) as session:
        record = session.get(ChecklistTemplateRecord, template_id)
        if record is None:
            raise TuoyuError("找不到该检查表版本，可能来自另一个系统。请先导入对应版本的检查表。")
        return parse_template(record.content)


def _summary(record: ChecklistTemplateRecord, template: ChecklistTemplate) -> TemplateSummary:
    return TemplateSummary(
        record.id,
        record.code,
        record.template_version,
        record.title,
        record.effective_from,
        len(template.items),
        record.content_sha256,
        record.source,
    )
