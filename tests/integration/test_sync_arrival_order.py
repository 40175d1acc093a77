"""The final database does not depend on the order bundles arrive in (CouchDB's rule; reliability-anchors §4A).

Three laptops' bundles — each laptop's own finished inspections with answers, photos (one photo taken on two
laptops), notices from the blocks the county reserved for it, a 回头看 closing the county's notice, violations,
and the county's own records they carry back unchanged — are imported into copies of the county in every order:
the copies are identical. Three counties' bundles that changed the same records — the same field to different
values, different fields, the same value — are imported into copies of the city in every order: identical
records, and the same conflicts with every divergent version kept.

Fingerprints leave out only what each installation keeps for itself: its journal order, the bundles it
recorded, the times of its own entries, and ``version``, the optimistic-locking counter that counts the saves
made on that installation.
"""

from __future__ import annotations

import itertools
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.domain.checklists import Answer
from desktop.domain.enums import InspectionKind, NodeKind, ViolationAction
from desktop.models import DocumentCounter, Institution, RegionPopulation
from desktop.services.inspection_photos import attach_photo
from desktop.services.inspections import finish_inspection, start_inspection
from desktop.services.unit_of_work import write_session
from desktop.services.violations import record_violation
from desktop.sync.importing import import_bundle
from tests.integration.inspecting import AT, TODAY, answer, follow_up, inspect, notice_of, version
from tests.integration.subsidizing import institution
from tests.integration.syncing import GANZHOU, LOCAL_TABLES, SUNAN, Network, conflicts_of, table_prints
from tests.integration.test_sync_round_trips import png

MINLE = "620722"
SKIP_TABLES = LOCAL_TABLES | {"sync_conflicts"}
SKIP_COLUMNS = {"recorded_at", "version"}


@pytest.fixture
def network(tmp_path: Path):
    net = Network(tmp_path)
    yield net
    net.close()


def _reserve(laptop, first: int) -> None:
    """What a field package does on a laptop: a block of notice numbers of its own."""
    with write_session(laptop.db, laptop.actor, laptop.node_id) as session:
        session.add(
            DocumentCounter(
                county_code=GANZHOU, year=TODAY.year, kind="rectification", last_serial=first, ceiling=first + 20
            )
        )


def _inspection_with_photo(laptop, institution_id: uuid.UUID, tmp_path: Path, name: str, failing=()) -> uuid.UUID:
    inspection_id = start_inspection(
        laptop,
        institution_id,
        kind=InspectionKind.SEMIANNUAL_INSPECTION,
        period="2026H2",
        inspected_at=AT,
        inspectors="王芳、李强",
    )
    answer(laptop, inspection_id, failing)
    attach_photo(laptop, inspection_id, png(tmp_path / name, shade=33))  # the same picture on every laptop
    finish_inspection(laptop, inspection_id, expected_version=version(laptop, inspection_id), today=TODAY)
    return inspection_id


def _print(ctx) -> tuple[tuple[str, str], ...]:
    prints = table_prints(ctx, skip_tables=SKIP_TABLES, skip_columns=SKIP_COLUMNS, audit_origin_not=ctx.node_id)
    return tuple(sorted(prints.items()))


def _differing(prints: set) -> list[str]:
    """The tables whose rows differ between the copies."""
    return sorted({table for one in prints for table, digest in one if any(dict(o)[table] != digest for o in prints)})


def test_three_laptops_bundles_in_every_order_give_the_same_county(network, tmp_path):
    county = network.node("甘州区卫生健康局", NodeKind.COUNTY, GANZHOU)
    institutions = [
        institution(county, name) for name in ("甘州区阳光托育中心", "甘州区彩虹托育园", "甘州区小树苗托育")
    ]
    county_inspection, _ = inspect(county, institutions[0], failing=["fire.extinguishers"])
    county_notice = notice_of(county, county_inspection).id
    laptops = [network.node(f"检查员{i}的笔记本", NodeKind.LAPTOP, GANZHOU) for i in range(3)]
    for k, laptop in enumerate(laptops):
        network.enrol(county, laptop)
        network.send(county, laptop)
        _reserve(laptop, 100 * (k + 1))

    first, second, third = laptops
    passed = _inspection_with_photo(first, institutions[1], tmp_path, "a.png", failing=["fire.extinguishers"])
    record_violation(first, passed, "未公示收费标准", ViolationAction.WARNING, TODAY, today=TODAY)
    follow_up(second, institutions[0], county_notice, {"fire.extinguishers": Answer.COMPLIANT})
    _inspection_with_photo(second, institutions[2], tmp_path, "b.png")
    other = _inspection_with_photo(third, institutions[2], tmp_path, "c.png", failing=["fire.extinguishers"])
    record_violation(third, other, "超范围收托", ViolationAction.ORDER_CORRECTION, TODAY, today=TODAY)

    bundles = [network.export(laptop, county, full=True)[0] for laptop in laptops]
    prints, counts = set(), set()
    for n, order in enumerate(itertools.permutations(range(3))):
        copy = network.clone(county, f"county-{n}")
        created = 0
        for index in order:
            imported = import_bundle(copy, bundles[index])
            assert not imported.refused and imported.conflicts == 0, imported.message
            created += imported.created
        prints.add(_print(copy))
        counts.add(created)
    assert len(prints) == 1, _differing(prints)
    assert len(counts) == 1
    assert counts.pop() > 20  # the three laptops' inspections, answers, photos, notices, closure, violations


def _population(ctx, code: str, year: int, **values) -> None:
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        row = session.scalar(
            select(RegionPopulation).where(RegionPopulation.region_code == code, RegionPopulation.year == year)
        )
        for key, value in values.items():
            setattr(row, key, value)


def _slots(ctx, institution_id: uuid.UUID, slots: int) -> None:
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        session.get(Institution, institution_id).slots = slots


def test_three_counties_changing_the_same_records_give_the_same_city_in_every_order(network):
    city = network.node("张掖市卫生健康委员会", NodeKind.CITY)
    counties = [
        network.node(name, NodeKind.COUNTY, code)
        for name, code in (("甘州区卫生健康局", GANZHOU), ("肃南县卫生健康局", SUNAN), ("民乐县卫生健康局", MINLE))
    ]
    own = []
    for county, code in zip(counties, (GANZHOU, SUNAN, MINLE), strict=True):
        network.enrol(county, city)
        own.append(institution(county, f"{code}托育中心", county=code))
        network.acknowledge(network.send(county, city), county)  # what they share to begin with

    first, second, third = counties
    _population(first, "620700", 2020, under3_population=11_111)  # the same field, three values
    _population(second, "620700", 2020, under3_population=22_222)
    _population(third, "620700", 2020, resident_population=1_111_111)  # another field of the same record
    _population(second, SUNAN, 2020, under3_population=555)  # the same value on two counties
    _population(third, SUNAN, 2020, under3_population=555)
    _population(first, GANZHOU, 2020, under3_population=777)  # changed by one county only
    for county, institution_id, slots in zip(counties, own, (41, 42, 43), strict=True):
        _slots(county, institution_id, slots)

    bundles = [network.export(county, city)[0] for county in counties]
    prints, conflict_sets = set(), set()
    for n, order in enumerate(itertools.permutations(range(3))):
        copy = network.clone(city, f"city-{n}")
        for index in order:
            assert not import_bundle(copy, bundles[index]).refused
        prints.add(_print(copy))
        conflict_sets.add(tuple(conflicts_of(copy)))
    assert len(prints) == 1, _differing(prints)
    [conflicts] = conflict_sets
    [(table, _, status, kept, winner)] = conflicts
    assert (table, status) == ("region_populations", "open")
    assert len(kept) == 3 and winner in kept  # each county's version, none lost; the shared one is not among them
