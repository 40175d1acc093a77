"""``tuoyu print follow-up``, ``tuoyu print draw`` and ``tuoyu print summary`` on the county demo, and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.models import RectificationClosure, RectificationNotice
from desktop.services.startup import open_app
from tests.e2e.test_cli import one_json, tuoyu
from tests.pdf_reading import all_fonts_embedded_subsets, pdf_text, squeezed


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("supervision") / "data"
    assert tuoyu("demo", "--today", "2026-11-23", data_dir=data_dir).returncode == 0
    return data_dir


def _notices(data_dir: Path) -> tuple[str, str]:
    """A notice closed by its 回头看, and one that has had none."""
    ctx = open_app(data_dir=data_dir, url=None)
    try:
        with ctx.db.session_factory() as session:
            closed = select(RectificationClosure.notice_id)
            numbers = session.execute(
                select(RectificationNotice.document_number, RectificationNotice.id.in_(closed)).order_by(
                    RectificationNotice.serial
                )
            ).all()
    finally:
        ctx.close()
    return next(n for n, done in numbers if done), next(n for n, done in numbers if not done)


def test_a_follow_up_opinion_is_printed_by_the_notice_number(demo_dir: Path, tmp_path: Path) -> None:
    closed, unchecked = _notices(demo_dir)
    out = tmp_path / "复查意见书.pdf"
    run = tuoyu("print", "follow-up", "--id", closed, "--out", str(out), "--json", data_dir=demo_dir)
    assert run.returncode == 0, run.stderr
    printed = one_json(run)
    assert printed["ok"] and printed["rectified"] and printed["notice_number"] == closed
    assert printed["undrawable"] == [] and printed["pages"] >= 1
    text = squeezed(pdf_text(out.read_bytes()))
    assert "复查意见书" in text and closed in text and printed["institution_name"] + "：" in text
    assert "复查结论：整改到位" in text
    assert all_fonts_embedded_subsets(out.read_bytes())

    none_yet = tuoyu("print", "follow-up", "--id", unchecked, "--out", str(out), data_dir=demo_dir)
    assert none_yet.returncode == 1 and "还没有回头看" in none_yet.stderr
    unknown = tuoyu("print", "follow-up", "--id", "甘州卫监改〔2026〕9999号", "--out", str(out), data_dir=demo_dir)
    assert unknown.returncode == 1 and "找不到整改通知书" in unknown.stderr


def test_a_draw_list_is_printed_with_its_seed(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "双随机抽查名单.pdf"
    run = tuoyu(
        "print", "draw", "--county", "620702", "--period", "2026Q2", "--out", str(out), "--json", data_dir=demo_dir
    )
    assert run.returncode == 0, run.stderr
    printed = one_json(run)
    assert printed["ok"] and printed["period"] == "2026Q2" and printed["institutions"] >= 1
    text = squeezed(pdf_text(out.read_bytes()))
    assert f"随机种子{printed['seed']}" in text and "甘州区托育机构“双随机”抽查名单" in text
    assert all_fonts_embedded_subsets(out.read_bytes())

    undrawn = tuoyu("print", "draw", "--county", "620702", "--period", "2026Q4", "--out", str(out), data_dir=demo_dir)
    assert undrawn.returncode == 1 and "2026年第4季度还没有抽取记录" in undrawn.stderr
    nowhere = tuoyu("print", "draw", "--county", "620799", "--period", "2026Q2", "--out", str(out), data_dir=demo_dir)
    assert nowhere.returncode == 1 and "没有区划代码为 620799 的县区" in nowhere.stderr


def test_a_county_summary_is_printed_on_one_page(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "主要指标汇总表.pdf"
    args = ("print", "summary", "--county", "620702", "--year", "2026", "--today", "2026-11-23", "--out", str(out))
    run = tuoyu(*args, "--json", data_dir=demo_dir)
    assert run.returncode == 0, run.stderr
    printed = one_json(run)
    assert printed["ok"] and printed["pages"] == 1 and printed["counted_on"] == "2026-11-23"
    text = squeezed(pdf_text(out.read_bytes()))
    assert "甘州区托育服务主要指标汇总表" in text and f"每千人口托位数{printed['slots_per_1000']}" in text
    assert f"托位数（在营机构）{printed['slots_operating']:,}个" in text
    assert all_fonts_embedded_subsets(out.read_bytes())

    later = tuoyu("print", "summary", "--county", "620702", "--year", "2099", "--out", str(out), data_dir=demo_dir)
    assert later.returncode == 1 and "2099 年还没有开始" in later.stderr
    nowhere = tuoyu("print", "summary", "--county", "620799", "--out", str(out), data_dir=demo_dir)
    assert nowhere.returncode == 1 and "没有区划代码为 620799 的县区" in nowhere.stderr
