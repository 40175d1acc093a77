"""Finding institutions in the register: search as you type, filters, SQL sorting, one record."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from desktop.domain.enums import FilingStatus, OperatingStatus, SponsorType
from desktop.domain.pinyin_search import name_initials
from desktop.errors import NotFoundError
from desktop.models import Institution, StaffMember
from desktop.models.uuid7 import uuid7
from desktop.services.institution_queries import (
    InstitutionFilter,
    count_institutions,
    key_to_id,
    load_institution_rows,
    search_institution_ids,
)
from desktop.services.institution_record import load_institution_record
from tests.conftest import TODAY


def _names(ctx, ids):
    rows = load_institution_rows(ctx, ids)
    return [rows[i].name for i in ids]


def test_an_empty_filter_lists_every_institution_in_name_order(demo_ctx):
    ids = search_institution_ids(demo_ctx, InstitutionFilter())
    assert len(ids) == count_institutions(demo_ctx) == 160
    names = _names(demo_ctx, ids)
    initials = [name_initials(n) for n in names]
    assert initials == sorted(initials)  # pinyin order, not code-point order


def test_searching_a_chinese_fragment_finds_names_and_addresses_that_contain_it(demo_ctx):
    ids = search_institution_ids(demo_ctx, InstitutionFilter(text="甘州区"))
    assert ids
    with demo_ctx.db.session_factory() as session:
        rows = session.execute(
            select(Institution.name, Institution.address).where(Institution.id.in_(map(key_to_id, ids)))
        ).all()
        everyone = session.scalar(select(Institution.id).where(~Institution.address.contains("甘州区")).limit(1))
    assert all("甘州区" in name or "甘州区" in address for name, address in rows)
    assert everyone not in map(key_to_id, ids)


def test_pinyin_initials_find_names_with_those_letters_in_order(demo_ctx):
    ids = search_institution_ids(demo_ctx, InstitutionFilter(text="zyty"))
    names = _names(demo_ctx, ids)
    assert names, "the demo has 张掖市…托育… institutions"
    assert all(re.match("z.*y.*t.*y", name_initials(n)) or "zyty" in name_initials(n) for n in names)
    assert any(n.startswith("张掖市") and "托育" in n for n in names)


def test_initials_typed_together_match_anywhere_in_the_name(demo_ctx):
    names = _names(demo_ctx, search_institution_ids(demo_ctx, InstitutionFilter(text="tyzx")))
    assert names and all("tyzx" in name_initials(n) for n in names)  # …托育中心


def test_a_credit_code_fragment_finds_its_institution(demo_ctx):
    with demo_ctx.db.session_factory() as session:
        institution_id, code = session.execute(select(Institution.id, Institution.credit_code).limit(1)).one()
    keys = search_institution_ids(demo_ctx, InstitutionFilter(text=code.lower()[2:12]))
    assert [key_to_id(k) for k in keys] == [institution_id]


def test_like_wildcards_typed_by_the_user_are_taken_literally(demo_ctx):
    assert search_institution_ids(demo_ctx, InstitutionFilter(text="%")) == []
    assert search_institution_ids(demo_ctx, InstitutionFilter(text="_")) == []


def test_filters_combine(demo_ctx):
    criteria = InstitutionFilter(
        county_code="620702",
        sponsor_type=SponsorType.SOCIAL,
        puhui=True,
        filing_status=FilingStatus.FILED,
        operating_status=OperatingStatus.OPERATING,
    )
    ids = search_institution_ids(demo_ctx, criteria)
    assert ids
    with demo_ctx.db.session_factory() as session:
        for institution in session.scalars(select(Institution).where(Institution.id.in_(map(key_to_id, ids)))):
            assert institution.county_code == "620702"
            assert institution.sponsor_type is SponsorType.SOCIAL
            assert institution.puhui and institution.filing_status is FilingStatus.FILED
    assert count_institutions(demo_ctx, criteria) == len(ids)


@pytest.mark.parametrize("descending", [False, True])
def test_sorting_by_slots_happens_in_sql(demo_ctx, descending):
    ids = search_institution_ids(demo_ctx, InstitutionFilter(), sort_key="slots", descending=descending)
    rows = load_institution_rows(demo_ctx, ids)
    slots = [rows[i].slots for i in ids]
    assert slots == sorted(slots, reverse=descending)


def test_rows_of_a_page_come_back_keyed_by_id(demo_ctx):
    ids = search_institution_ids(demo_ctx, InstitutionFilter())[:50]
    rows = load_institution_rows(demo_ctx, ids)
    assert set(rows) == set(ids)
    assert all(row.county_name for row in rows.values())


def test_each_row_shows_its_overdue_rectifications_as_the_ledger_counts_them(demo_ctx):
    from desktop.services.inspection_ledger import county_ledgers
    from tests.conftest import TODAY

    ids = search_institution_ids(demo_ctx, InstitutionFilter())
    rows = load_institution_rows(demo_ctx, ids, today=TODAY)
    overdue = sum(row.overdue_notices for row in rows.values())
    assert overdue > 0
    assert overdue == sum(ledger.overdue_notices for ledger in county_ledgers(demo_ctx, today=TODAY))


def test_a_record_shows_its_classes_and_staff_with_masked_id_numbers(demo_ctx):
    institution_id = key_to_id(search_institution_ids(demo_ctx, InstitutionFilter(sponsor_type=SponsorType.SOCIAL))[0])
    record = load_institution_record(demo_ctx, institution_id, today=TODAY)
    assert record.classes and record.staff
    with demo_ctx.db.session_factory() as session:
        full_numbers = set(
            session.scalars(select(StaffMember.id_number).where(StaffMember.institution_id == institution_id))
        )
    for line in record.staff:
        assert line.id_number_masked not in full_numbers
        assert "*" in line.id_number_masked


def test_a_record_that_no_longer_exists_is_reported_in_chinese(demo_ctx):
    with pytest.raises(NotFoundError, match="不存在"):
        load_institution_record(demo_ctx, uuid7(), today=TODAY)
