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


def _inspections(regions, demo, *, years: int, seed: int = 11):
    """As the demo service makes them, with the bundled checklist."""
    import random

    from desktop.demo.inspections import generate_inspections
    from desktop.demo.zhangye import DemoIds
    from desktop.domain.enums import UserRole
    from desktop.domain.working_days import official_calendar
    from desktop.services.checklist_templates import bundled_template_files, read_template_file

    return generate_inspections(
        random.Random(seed + 1),
        DemoIds(random.Random(seed + 2)).next,
        institutions=demo.institutions,
        inspectors=[u for u in demo.users if u["role"] is UserRole.INSPECTOR],
        conflicts=demo.conflicts,
        county_names={c["code"]: c["name"] for c in regions["counties"]},
        template=read_template_file(bundled_template_files()[0]),
        template_id="template",
        calendar=official_calendar(),
        today=TODAY,
        years=years,
    )


@pytest.fixture(scope="module")
def history(regions, demo):
    return _inspections(regions, demo, years=3)


def test_the_county_demo_keeps_its_one_year_of_inspections(regions, demo):
    """The county demo people know: this year only, the same rows as before history was added."""
    this_year = _inspections(regions, demo, years=1)
    assert (len(this_year.inspections), this_year.answer_count, len(this_year.notices), len(this_year.closures)) == (
        404,
        16588,
        102,
        68,
    )
    assert {i["period"][:4] for i in this_year.inspections} == {"2026"}
    assert str(this_year.sheets[-1].ids[-1]) == "019b76da-eb1b-7463-b33b-98128a1c90e1"


def test_years_of_history_are_deterministic(regions, demo, history):
    again = _inspections(regions, demo, years=3)
    assert again.inspections == history.inspections
    assert again.notices == history.notices and again.closures == history.closures
    assert again.sheets == history.sheets
    assert {i["period"][:4] for i in history.inspections} == {"2024", "2025", "2026"}


def test_notice_numbers_run_per_county_and_year_and_are_never_reused(history):
    by_county_year: dict[tuple[str, int], list[dict]] = {}
    for notice in history.notices:
        assert notice["year"] == notice["issued_on"].year
        by_county_year.setdefault((notice["county_code"], notice["year"]), []).append(notice)
    assert {year for _, year in by_county_year} == {2024, 2025, 2026}
    for key, notices in by_county_year.items():
        in_order = sorted(notices, key=lambda n: n["serial"])
        assert [n["serial"] for n in in_order] == list(range(1, len(notices) + 1))
        assert [n["issued_on"] for n in in_order] == sorted(n["issued_on"] for n in notices)
        assert history.counters[key] == len(notices)
        assert all(f"〔{key[1]}〕{n['serial']}号" in n["document_number"] for n in notices)
    assert len({n["document_number"] for n in history.notices}) == len(history.notices)


def test_earlier_notices_are_nearly_all_closed_and_the_rest_overdue(history):
    closures = {c["notice_id"]: c for c in history.closures}
    follow_ups = {i["id"]: i for i in history.inspections if i["follow_up_of"] is not None}
    earlier = [n for n in history.notices if n["year"] < TODAY.year]
    for notice in earlier:
        closure = closures.get(notice["id"])
        if closure is None:
            assert notice["deadline"] < TODAY  # open, so overdue
            continue
        assert notice["issued_on"] < closure["closed_on"] < TODAY
        assert follow_ups[closure["follow_up_id"]]["follow_up_of"] == notice["id"]
    closed = sum(1 for n in earlier if n["id"] in closures)
    assert 0.9 * len(earlier) <= closed < len(earlier)
    this_year_open = [n for n in history.notices if n["year"] == TODAY.year and n["id"] not in closures]
    assert any(n["deadline"] < TODAY for n in this_year_open) and any(n["deadline"] >= TODAY for n in this_year_open)


def test_earlier_years_inspect_only_institutions_open_then(demo, history):
    from desktop.domain.enums import OperatingStatus

    institutions = {i["id"]: i for i in demo.institutions}
    for inspection in history.inspections:
        institution = institutions[inspection["institution_id"]]
        assert institution["operating_status"] is not OperatingStatus.PREPARING
        if inspection["period"][:4] == "2026":
            continue
        assert institution["opened_on"] < inspection["inspected_at"].date()
        if institution["status_changed_on"] is not None:
            assert institution["status_changed_on"] > inspection["inspected_at"].date()


def test_every_inspection_has_its_answers_and_outcome(history):
    from desktop.domain.checklists import Answer

    sheets = {sheet.inspection_id: sheet for sheet in history.sheets}
    assert len(sheets) == len(history.inspections)
    noticed = {n["inspection_id"] for n in history.notices}
    for inspection in history.inspections:
        answers = sheets[inspection["id"]].answers
        failed = Answer.NON_COMPLIANT in answers
        assert failed == (inspection["id"] in noticed)
        assert (inspection["conclusion"].value == "passed") == (not failed)
    assert len({row["id"] for sheet in history.sheets for row in sheet.rows()}) == history.answer_count
