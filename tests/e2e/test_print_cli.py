"""``tuoyu print notice`` on the county demo."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_cli import one_json, tuoyu
from tests.pdf_reading import pdf_text, squeezed


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
