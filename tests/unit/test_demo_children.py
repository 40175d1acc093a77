"""The demo's rosters: valid children at operating institutions, some who left, two on two rosters on purpose."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from desktop.demo.zhangye import Scale, generate
from desktop.domain.child_rules import ChildFacts, age_in_months, check_child
from desktop.domain.enums import OperatingStatus
from desktop.domain.problems import has_errors
from desktop.paths import resources_dir
from desktop.services.regions import read_region_file

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def regions():
    return read_region_file(resources_dir() / "regions" / "620700.toml")


@pytest.fixture(scope="module")
def demo(regions):
    return generate(regions, scale=Scale.COUNTY, seed=11, today=TODAY)


def test_children_are_deterministic(regions, demo):
    assert generate(regions, scale=Scale.COUNTY, seed=11, today=TODAY).children == demo.children


def test_only_operating_institutions_have_children_about_60_to_90_percent_of_their_slots(demo):
    institutions = {i["id"]: i for i in demo.institutions}
    in_care = Counter(c["institution_id"] for c in demo.children if c["left_on"] is None)
    assert {institutions[i]["operating_status"] for i in in_care} == {OperatingStatus.OPERATING}
    for institution_id, count in in_care.items():
        slots = institutions[institution_id]["slots"]
        assert round(slots * 0.6) - 1 <= count <= round(slots * 0.9) + 1
    assert 5000 < len(demo.children) < 8000


def test_every_child_passes_the_roster_rules_born_within_three_years_enrolled_after_birth(demo):
    for child in demo.children:
        facts = ChildFacts.from_attributes(SimpleNamespace(**child))
        assert not has_errors(check_child(facts, today=TODAY)), child
        assert child["id_number"][6:14] == child["birth_date"].strftime("%Y%m%d")
        assert child["birth_date"] <= child["enrolled_on"] <= TODAY
        assert TODAY - timedelta(days=1064) <= child["birth_date"] <= TODAY - timedelta(days=183)
        assert (child["enrolled_on"] - child["birth_date"]).days >= 183
        assert age_in_months(child["birth_date"], TODAY) <= 35
    left = [c for c in demo.children if c["left_on"] is not None]
    assert 0.03 * len(demo.children) < len(left) < 0.12 * len(demo.children)
    assert all(c["enrolled_on"] <= c["left_on"] < TODAY for c in left)


def test_id_numbers_carry_the_county_and_repeat_only_for_the_two_on_two_rosters(demo):
    county = {i["id"]: i["county_code"] for i in demo.institutions}
    assert all(c["id_number"][:6] == county[c["institution_id"]] for c in demo.children)
    repeated = [n for n, count in Counter(c["id_number"] for c in demo.children).items() if count > 1]
    assert len(repeated) == 2
    for id_number in repeated:
        pair = [c for c in demo.children if c["id_number"] == id_number]
        assert len({c["institution_id"] for c in pair}) == 2
        assert len({county[c["institution_id"]] for c in pair}) == 1
        assert all(c["left_on"] is None for c in pair) and len({c["name"] for c in pair}) == 1


def test_the_province_has_about_200000_children_for_the_subsidy_benchmark(regions):
    children = generate(regions, scale=Scale.PROVINCE, seed=1, today=TODAY).children
    assert 180_000 <= len(children) <= 230_000
    assert sum(count - 1 for count in Counter(c["id_number"] for c in children).values() if count > 1) == 2
