"""The 双随机抽查名单 gathered from a recorded draw: the same institutions and inspectors the draw recorded, in its
order, with the seed and rule it was made with; a home's address withheld; refusals that say what to do."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from desktop.domain.enums import SponsorType
from desktop.errors import NotFoundError, TuoyuError
from desktop.models import Institution, Region
from desktop.reports.random_draw_list import render_random_draw_list
from desktop.services.random_draw_list import random_draw_list_document
from desktop.services.random_draws import draw_counties
from tests.pdf_reading import all_fonts_embedded_subsets, pdf_text, squeezed

TODAY = date(2026, 11, 23)


def test_the_list_is_the_recorded_draw_in_its_order_with_its_seed_and_rule(demo_ctx):
    (made,) = draw_counties(demo_ctx, period="2026Q4", seed=20261001, rate=0.25, minimum=3, county_code="620702")
    listing = random_draw_list_document(demo_ctx, county_code="620702", period="2026q4", today=TODAY)
    assert (listing.seed, listing.rate, listing.minimum, listing.candidates) == (20261001, 0.25, 3, made.candidates)
    assert (listing.year, listing.quarter, listing.last_day) == (2026, 4, date(2026, 12, 31))
    assert listing.inputs_sha256 == made.inputs_sha256 and listing.county_name == "甘州区"
    assert [line.name for line in listing.institutions] == [line.institution_name for line in made.lines]
    assert [line.inspectors for line in listing.institutions] == [line.inspector_names for line in made.lines]
    assert [line.number for line in listing.institutions] == list(range(1, len(made.lines) + 1))

    with demo_ctx.db.session_factory() as session:
        facts = {
            str(row.id): row
            for row in session.execute(
                select(
                    Institution.id,
                    Institution.address,
                    Institution.sponsor_type,
                    Region.name.label("township"),
                ).join(Region, Region.code == Institution.township_code)
            )
        }
    for line, drawn in zip(listing.institutions, made.lines, strict=True):
        row = facts[drawn.institution_id]
        assert (line.address, line.township) == (row.address, row.township)
        assert line.address_withheld == (row.sponsor_type is SponsorType.HOME_BASED)

    printed = render_random_draw_list(listing)
    text = squeezed(pdf_text(printed.pdf))
    assert "随机种子20261001" in text and made.inputs_sha256 in text and "按25%的比例抽取（不少于3家）" in text
    for line in listing.institutions:
        assert squeezed(line.name) in text and "、".join(line.inspectors) in text
    assert not re.search(r"\d{17}[\dX]", text)  # no resident ID numbers on a public list
    assert "demo" not in text  # nor the account that made the draw
    assert all_fonts_embedded_subsets(printed.pdf) and printed.undrawable == ()


def test_a_home_based_point_drawn_has_only_its_township_published(demo_ctx):
    with demo_ctx.db.session_factory() as session:
        county = session.scalar(
            select(Institution.county_code).where(Institution.sponsor_type == SponsorType.HOME_BASED).limit(1)
        )
    # A full draw of the county takes every operating institution, the home-based ones with them.
    draw_counties(demo_ctx, period="2027Q1", seed=1, rate=1.0, county_code=county)
    listing = random_draw_list_document(demo_ctx, county_code=county, period="2027Q1", today=TODAY)
    homes = [line for line in listing.institutions if line.address_withheld]
    assert homes and all(line.township for line in homes)
    text = squeezed(pdf_text(render_random_draw_list(listing).pdf))
    for line in homes:
        assert squeezed(line.address) not in text
    assert text.count("家庭托育点，详细地址不公示") == len(homes)


def test_the_demo_quarters_print_and_an_undrawn_quarter_or_unknown_county_is_explained(demo_ctx):
    listing = random_draw_list_document(demo_ctx, county_code="620702", period="2026Q2", today=TODAY)
    assert listing.institutions and listing.drawn_at.date() == date(2026, 4, 1)
    with pytest.raises(NotFoundError, match="2026年第4季度还没有抽取记录"):
        random_draw_list_document(demo_ctx, county_code="620702", period="2026Q4", today=TODAY)
    with pytest.raises(NotFoundError, match="没有区划代码为 620799 的县区.*甘州区（620702）"):
        random_draw_list_document(demo_ctx, county_code="620799", period="2026Q2", today=TODAY)
    with pytest.raises(TuoyuError, match="例如 2026Q1"):
        random_draw_list_document(demo_ctx, county_code="620702", period="2026-2", today=TODAY)
