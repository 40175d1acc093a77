"""``tuoyu print notice`` and ``tuoyu print inspection`` on the county demo."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from desktop.models import RectificationNotice
from desktop.services.startup import open_app
from tests.e2e.test_cli import one_json, tuoyu
from tests.pdf_reading import all_fonts_embedded_subsets, pdf_text, squeezed


def test_a_notice_is_printed_to_a_pdf_by_its_document_number(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert tuoyu("demo", "--today", "2026-11-23", data_dir=data_dir).returncode == 0
    out = tmp_path / "通知书.pdf"
    run = tuoyu("print", "notice", "--id", "甘州卫监改〔2026〕12号", "--out", str(out), "--json", data_dir=data_dir)
    assert run.returncode == 0, run.stderr
    printed = one_json(run)
    assert printed["ok"] and printed["pages"] >= 1 and printed["undrawable"] == []
    text = squeezed(pdf_text(out.read_bytes()))
    assert "甘州卫监改〔2026〕12号" in text and printed["institution_name"] + "：" in text

    missing = tuoyu("print", "notice", "--id", "甘州卫监改〔2026〕9999号", "--out", str(out), data_dir=data_dir)
    assert missing.returncode == 1 and "找不到整改通知书" in missing.stderr


def test_an_inspection_record_is_printed_to_a_pdf_by_its_id(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert tuoyu("demo", "--today", "2026-11-23", data_dir=data_dir).returncode == 0
    ctx = open_app(data_dir=data_dir, url=None)
    try:
        with ctx.db.session_factory() as session:
            notice = session.scalars(select(RectificationNotice).order_by(RectificationNotice.document_number)).first()
            inspection_id, number = str(notice.inspection_id), notice.document_number
    finally:
        ctx.close()
    out = tmp_path / "检查记录表.pdf"
    run = tuoyu("print", "inspection", "--id", inspection_id, "--out", str(out), "--json", data_dir=data_dir)
    assert run.returncode == 0, run.stderr
    printed = one_json(run)
    assert printed["ok"] and printed["notice_number"] == number and printed["undrawable"] == []
    text = squeezed(pdf_text(out.read_bytes()))
    assert printed["institution_name"] in text and number in text and printed["template_version"] in text
    assert all_fonts_embedded_subsets(out.read_bytes())

    wrong = tuoyu("print", "inspection", "--id", "不是ID", "--out", str(out), data_dir=data_dir)
    assert wrong.returncode == 1 and "格式不对" in wrong.stderr
