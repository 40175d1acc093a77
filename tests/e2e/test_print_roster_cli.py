"""``tuoyu print roster`` on the county demo with a month of enrollment subsidies approved."""

from __future__ import annotations

from pathlib import Path

from desktop.services.startup import open_app
from tests.e2e.test_cli import one_json, tuoyu
from tests.integration.subsidizing import GANZHOU
from tests.integration.test_roster_printing import approve_enrollment_month
from tests.pdf_reading import all_fonts_embedded_subsets, page_count, pdf_text, squeezed


def test_a_months_roster_is_printed_to_a_pdf_and_an_empty_one_is_refused(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert tuoyu("demo", "--today", "2026-11-23", data_dir=data_dir).returncode == 0
    ctx = open_app(data_dir=data_dir, url=None)
    try:
        approve_enrollment_month(ctx, GANZHOU, limit=3)
    finally:
        ctx.close()
    out = tmp_path / "花名册.pdf"
    run = tuoyu("print", "roster", "--month", "2026-11", "--county", GANZHOU, "--out", str(out), "--json",
                data_dir=data_dir)  # fmt: skip
    assert run.returncode == 0, run.stderr
    printed = one_json(run)
    assert printed["ok"] and printed["applications"] == 3 and printed["scheme"] == "enrollment"
    assert printed["title"] == "张掖市甘州区2026年11月入托补贴发放花名册" and printed["undrawable"] == []
    pdf = out.read_bytes()
    assert printed["pages"] == page_count(pdf) > 1 and all_fonts_embedded_subsets(pdf)
    text = squeezed(pdf_text(pdf))
    assert printed["title"] in text and printed["total_words"] in text and "甘州区卫生健康局" in text

    said = tuoyu("print", "roster", "--month", "2026-11", "--county", GANZHOU, "--out", str(out), data_dir=data_dir)
    assert said.returncode == 0 and "已写出张掖市甘州区2026年11月入托补贴发放花名册（3 家" in said.stdout

    empty = tmp_path / "空.pdf"
    refused = tuoyu("print", "roster", "--month", "2026-11", "--county", GANZHOU, "--scheme", "construction",
                    "--out", str(empty), data_dir=data_dir)  # fmt: skip
    assert refused.returncode == 1 and "无需打印花名册" in refused.stderr and not empty.exists()
