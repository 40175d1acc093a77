"""The 整改通知书 printed from the county demo, found by document number or id, read back from the PDF."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from desktop.errors import NotFoundError
from desktop.models import Institution, RectificationNotice
from desktop.reports.rectification_notice import render_rectification_notice
from desktop.services.printing import rectification_notice_document
from tests.pdf_reading import all_fonts_embedded_subsets, pdf_text, squeezed


def test_a_demo_notice_prints_with_its_institution_number_deadline_and_items(demo_ctx) -> None:
    with demo_ctx.db.session_factory() as session:
        notice = session.scalars(select(RectificationNotice).order_by(RectificationNotice.document_number)).first()
        institution = session.get_one(Institution, notice.institution_id)
        number, deadline, name = notice.document_number, notice.deadline, institution.name

    document = rectification_notice_document(demo_ctx, number)
    assert document == rectification_notice_document(demo_ctx, str(notice.id))
    assert document.issuing_body.endswith("卫生健康局") and document.items
    printed = render_rectification_notice(document)
    text = squeezed(pdf_text(printed.pdf))
    assert f"{name}：" in text
    assert number in text
    assert f"{deadline.year}年{deadline.month}月{deadline.day}日前整改完毕" in text
    for item in document.items:
        assert squeezed(item.text) in text
        if item.rule:
            assert squeezed(f"依据：{item.rule}") in text
    assert all_fonts_embedded_subsets(printed.pdf)
    assert printed.undrawable == ()


def test_an_unknown_notice_is_named_in_the_error(demo_ctx) -> None:
    with pytest.raises(NotFoundError, match="甘州卫监改〔2026〕9999号"):
        rectification_notice_document(demo_ctx, "甘州卫监改〔2026〕9999号")


def test_a_days_notices_are_listed_in_their_numbering_order(demo_ctx) -> None:
    from desktop.services.printing import notices_issued_on

    with demo_ctx.db.session_factory() as session:
        busiest = session.execute(
            select(RectificationNotice.issued_on, RectificationNotice.county_code)
            .group_by(RectificationNotice.issued_on, RectificationNotice.county_code)
            .order_by(func.count().desc(), RectificationNotice.issued_on)
        ).first()
        expected = session.scalars(
            select(RectificationNotice.document_number)
            .where(RectificationNotice.issued_on == busiest.issued_on)
            .where(RectificationNotice.county_code == busiest.county_code)
            .order_by(RectificationNotice.serial)
        ).all()
        everywhere = session.scalar(select(func.count()).where(RectificationNotice.issued_on == busiest.issued_on))
    listed = notices_issued_on(demo_ctx, busiest.issued_on, county_code=busiest.county_code)
    assert [notice.document_number for notice in listed] == expected and all(n.institution_name for n in listed)
    assert len(notices_issued_on(demo_ctx, busiest.issued_on)) == everywhere >= len(expected)
    assert notices_issued_on(demo_ctx, busiest.issued_on.replace(year=2000)) == []
