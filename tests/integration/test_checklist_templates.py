"""Checklist templates: bundled ones arrive on their own, a version never changes, the city issues new ones."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from desktop.errors import TuoyuError
from desktop.services.checklist_templates import (
    bundled_template_files,
    ensure_bundled_templates,
    export_template,
    import_template,
    list_templates,
    load_template,
)


def test_a_new_database_holds_the_bundled_templates(ctx):
    templates = list_templates(ctx)
    assert {t.code for t in templates} >= {"zhangye-safety"}
    assert len(templates) == len(bundled_template_files())
    assert ensure_bundled_templates(ctx) == 0  # nothing to add on the next start
    template = load_template(ctx, templates[0].id)
    assert len(template.items) == templates[0].items >= 35


def test_export_then_import_of_the_same_version_changes_nothing(ctx, tmp_path):
    stored = list_templates(ctx)[0]
    path = tmp_path / "模板.toml"
    export_template(ctx, stored.code, stored.version, path)
    summary, new = import_template(ctx, path)
    assert not new and summary.sha256 == stored.sha256
    assert len(list_templates(ctx)) == 1 * len(bundled_template_files())


def test_changed_content_under_an_issued_version_is_refused(ctx, tmp_path):
    stored = list_templates(ctx)[0]
    path = tmp_path / "改.toml"
    export_template(ctx, stored.code, stored.version, path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("张掖市托育机构安全检查表", "改过的检查表", 1), encoding="utf-8"
    )
    with pytest.raises(TuoyuError, match="新的版本号"):
        import_template(ctx, path)


def test_a_new_version_from_the_city_is_stored_beside_the_old_one(ctx, tmp_path):
    stored = list_templates(ctx)[0]
    path = tmp_path / "新版.toml"
    export_template(ctx, stored.code, stored.version, path)
    path.write_text(
        path.read_text(encoding="utf-8").replace(f'version = "{stored.version}"', 'version = "2027.1"', 1),
        encoding="utf-8",
    )
    summary, new = import_template(ctx, path)
    assert new and summary.version == "2027.1"
    assert {t.version for t in list_templates(ctx) if t.code == stored.code} == {stored.version, "2027.1"}


@pytest.mark.parametrize("content", [b"\xff\xfe not utf-8", b"code = [unclosed", b""])
def test_a_file_that_is_not_a_template_is_explained(ctx, tmp_path, content):
    path = tmp_path / "坏.toml"
    path.write_bytes(content)
    with pytest.raises(TuoyuError):
        import_template(ctx, path)


def test_a_stored_version_cannot_be_edited_in_the_database(ctx):
    with pytest.raises(DBAPIError, match="append-only"), ctx.db.engine.begin() as connection:
        connection.execute(text("UPDATE checklist_templates SET title = 'x'"))
