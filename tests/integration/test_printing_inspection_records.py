"""The 检查记录表 printed from the database: an inspection with its notice, and one of 150 items over many pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.errors import NotFoundError
from desktop.models import RectificationNotice
from desktop.reports.inspection_record import render_inspection_record
from desktop.services.checklist_templates import import_template
from desktop.services.inspections import template_for
from desktop.services.printing import inspection_record_document
from tests.integration.inspecting import inspect, institution
from tests.pdf_reading import all_fonts_embedded_subsets, page_texts, pdf_text, squeezed

LONG_NAME = "张掖市甘州区" + "阳光宝贝普惠性托育服务中心附属婴幼儿照护" * 2 + "示范点第一分部（家庭托育点）"


def big_template(path: Path, items: int = 150) -> Path:
    """A template version in force from 2026-06-01 with ``items`` items of one area, all minor."""
    lines = [
        "format = 1",
        'code = "zhangye-safety"',
        'version = "2026.9"',
        'title = "张掖市托育机构安全检查表（扩充测试版）"',
        'kinds = ["quarterly_spot_check", "semiannual_inspection"]',
        "effective_from = 2026-06-01",
        "[rectification_working_days]",
        "critical = 5",
        "major = 10",
        "minor = 20",
        "[[areas]]",
        'code = "care"',
        'title = "卫生保健"',
    ]
    for n in range(1, items + 1):
        lines += [
            "[[items]]",
            f'code = "care.item{n}"',
            'area = "care"',
            f'text = "第{n}项检查内容：活动室、寝室、卫生间、餐饮具和玩具等按规定清洁消毒，并有记录可查。"',
            'rule = "《托育机构管理规范（试行）》第27条"',
            'severity = "minor"',
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_failed_inspection_prints_its_items_results_and_notice_number(ctx) -> None:
    institution_id = institution(ctx, LONG_NAME)
    probe, _ = inspect(ctx, institution(ctx, "探测托育中心"))
    failing = template_for(ctx, probe).items[0]
    inspection_id, _ = inspect(ctx, institution_id, [failing.code])
    with ctx.db.session_factory() as session:
        number = session.scalar(
            select(RectificationNotice.document_number).where(RectificationNotice.inspection_id == inspection_id)
        )

    document = inspection_record_document(ctx, str(inspection_id))
    assert document.institution_name == LONG_NAME and document.notice_number == number
    printed = render_inspection_record(document)
    raw = pdf_text(printed.pdf)
    text = squeezed(raw)
    assert LONG_NAME in text and LONG_NAME not in raw  # the 60-character name wraps in its cell
    assert squeezed(f"（版本 {document.template_version}）") in text and number in text
    for item in document.items:
        assert squeezed(item.text)[:20] in text
    assert "不符合" in text and "现场发现问题" in text and "需整改" in text
    assert all_fonts_embedded_subsets(printed.pdf) and printed.undrawable == ()


def test_an_inspection_of_150_items_flows_over_pages_with_the_header_row_on_each(ctx, tmp_path) -> None:
    import_template(ctx, big_template(tmp_path / "150.toml"))
    inspection_id, _ = inspect(ctx, institution(ctx), ["care.item150"])
    document = inspection_record_document(ctx, str(inspection_id))
    assert len(document.items) == 150 and document.template_version == "2026.9"
    pages = [squeezed(page) for page in page_texts(render_inspection_record(document).pdf)]
    assert len(pages) > 3
    for page in pages[:-1]:
        assert "序号检查区域检查内容程度结果备注" in page
    assert "第150项检查内容" in "".join(pages) and f"第{len(pages)}页共{len(pages)}页" in pages[-1]


def test_an_unknown_or_malformed_id_is_explained(ctx) -> None:
    with pytest.raises(NotFoundError, match="格式不对"):
        inspection_record_document(ctx, "甘州卫监改〔2026〕12号")
    with pytest.raises(NotFoundError, match="找不到该检查记录"):
        inspection_record_document(ctx, "0190a0b0-0000-7000-8000-000000000000")
