"""The demo is deterministic, valid where it should be, and carries the problems a county really has."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from desktop.demo.zhangye import CLASS_LIMITS, Scale, generate
from desktop.domain.enums import FilingStatus, SponsorType, StaffRole
from desktop.domain.identifiers import validate_credit_code, validate_id_number
from desktop.paths import resources_dir
from desktop.services.regions import read_region_file

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def regions():
    return read_region_file(resources_dir() / "regions" / "620700.toml")


@pytest.fixture(scope="module")
def demo(regions):
    return generate(regions, scale=Scale.COUNTY, seed=11, today=TODAY)


def test_the_same_seed_gives_the_same_data_ids_included(regions, demo):
    again = generate(regions, scale=Scale.COUNTY, seed=11, today=TODAY)
    assert again.institutions == demo.institutions
    assert again.staff == demo.staff


def test_another_seed_gives_other_data(regions, demo):
    other = generate(regions, scale=Scale.COUNTY, seed=12, today=TODAY)
    assert [i["name"] for i in other.institutions] != [i["name"] for i in demo.institutions]


def test_every_sponsor_type_and_county_is_present(demo):
    assert {i["sponsor_type"] for i in demo.institutions} == set(SponsorType)
    assert len({i["county_code"] for i in demo.institutions}) == 6


def test_credit_codes_and_id_numbers_are_valid(demo):
    assert all(validate_credit_code(i["credit_code"]).ok for i in demo.institutions)
    assert all(validate_id_number(s["id_number"], today=TODAY).ok for s in demo.staff)


def test_every_institution_has_a_principal_and_a_class(demo):
    principals = Counter(s["institution_id"] for s in demo.staff if s["role"] is StaffRole.PRINCIPAL)
    with_classes = {c["institution_id"] for c in demo.class_groups}
    assert all(principals[i["id"]] == 1 and i["id"] in with_classes for i in demo.institutions)


def test_the_demo_carries_real_problems_for_the_registry_to_find(demo):
    assert any(c["capacity"] > CLASS_LIMITS[c["class_type"]] for c in demo.class_groups)
    assert any(s["health_certificate_expires_on"] < TODAY for s in demo.staff)
    assert any(s["role"] is StaffRole.CARER and s["training_hours"] < 120 for s in demo.staff)
    assert any(i["filing_status"] is FilingStatus.NOT_FILED for i in demo.institutions)
    by_id_number = Counter(s["id_number"] for s in demo.staff)
    shared = [n for n, count in by_id_number.items() if count > 1]
    carers = sum(1 for s in demo.staff if s["role"] is StaffRole.CARER)
    assert 1 <= len(shared) <= max(1, carers // 400), "only the carers put on two payrolls on purpose"
    for id_number in shared:
        assert len({s["institution_id"] for s in demo.staff if s["id_number"] == id_number}) == 2


def test_at_province_scale_id_numbers_repeat_only_where_meant_to(regions):
    staff = generate(regions, scale=Scale.PROVINCE, seed=1, today=TODAY).staff
    repeats = sum(count - 1 for count in Counter(s["id_number"] for s in staff).values() if count > 1)
    carers = sum(1 for s in staff if s["role"] is StaffRole.CARER)
    assert repeats <= carers // 400  # the deliberate ones; random repeats would be ~1,000 here


@pytest.mark.parametrize(("scale", "count"), [(Scale.CITY, 3000)])
def test_larger_scales_have_their_size(regions, scale, count):
    assert len(generate(regions, scale=scale, seed=1, today=TODAY).institutions) == count


def test_the_demo_breaks_no_rule_outright_only_warnings(demo):
    """Deliberate problems are warnings a clerk would follow up; an error would block every import."""
    from types import SimpleNamespace

    from desktop.domain.institution_rules import check_institution
    from desktop.domain.problems import has_errors
    from desktop.domain.registry_rules import InstitutionFacts, StaffFacts
    from desktop.domain.staff_rules import check_staff

    for institution in demo.institutions:
        facts = InstitutionFacts.from_attributes(SimpleNamespace(**institution))
        assert not has_errors(check_institution(facts, today=TODAY)), institution["name"]
    for member in demo.staff:
        assert not has_errors(check_staff(StaffFacts.from_attributes(SimpleNamespace(**member)), today=TODAY))
