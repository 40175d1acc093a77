"""Conflicts: a record changed on both sides since they last shared it is never silently overwritten — every
version is kept, the record holds the one the winner rule picks, a person sees the differences field by field
and resolves (keep mine, keep theirs, or per field), and the resolution is an audited, journalled edit whose
record travels and closes the same conflict on a node that holds it.

The city runs on every engine under test (a city office may keep its database on PostgreSQL).
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.domain.enums import NodeKind, Ownership
from desktop.domain.sync_merge import Candidate
from desktop.errors import TuoyuError
from desktop.models import AuditEntry, Institution, SyncConflict, SyncConflictResolution, SyncJournalEntry
from desktop.services.institution_commands import load_institution_form, update_institution
from desktop.services.unit_of_work import read_session, write_session
from desktop.sync.conflicts import conflict_view, list_conflicts, resolve_conflict
from desktop.sync.importing import import_bundle
from tests.integration.subsidizing import institution
from tests.integration.syncing import GANZHOU, Network

TODAY = date(2026, 11, 23)


@pytest.fixture
def network(tmp_path: Path, database_url: str | None):
    net = Network(tmp_path)
    net.county = net.node("甘州区卫生健康局", NodeKind.COUNTY, GANZHOU)
    net.city = net.node("张掖市卫生健康委员会", NodeKind.CITY, url=database_url)
    net.enrol(net.county, net.city)
    yield net
    net.close()


def _edit(ctx, institution_id: uuid.UUID, **changes) -> None:
    form = load_institution_form(ctx, institution_id)
    update_institution(
        ctx, institution_id, dataclasses.replace(form.draft, **changes), expected_version=form.version, today=TODAY
    )


def _stored(ctx, institution_id: uuid.UUID) -> Institution:
    with read_session(ctx.db) as session:
        return session.get(Institution, institution_id)


@pytest.fixture
def in_conflict(network):
    """The county's institution, shared with the city, then edited on both sides: the city first, the county later."""
    county, city = network.county, network.city
    institution_id = institution(county, "甘州区阳光托育中心")
    network.acknowledge(network.send(county, city), county)
    _edit(city, institution_id, contact_phone="13900001111", slots=70)
    _edit(county, institution_id, contact_phone="13800002222", address="甘州区青年东街 8 号")
    path, _ = network.export(county, city)
    return institution_id, path


def test_a_record_changed_on_both_sides_is_kept_in_both_versions_and_shown_field_by_field(network, in_conflict):
    city = network.city
    institution_id, path = in_conflict
    outcome = import_bundle(city, path)
    assert (outcome.conflicts, outcome.updated, outcome.refused) == (1, 0, False)
    assert outcome.tables["institutions"] == {"created": 0, "updated": 0, "deleted": 0, "unchanged": 0, "conflicts": 1}

    [conflict] = list_conflicts(city)
    assert (conflict.entity_type, conflict.entity_id, conflict.status) == ("institutions", institution_id, "open")
    assert conflict.record_label == "甘州区阳光托育中心" and conflict.table_label == "机构档案"
    mine = next(v for v in conflict.versions if v.mine)
    theirs = next(v for v in conflict.versions if v.theirs)
    index = {v.key: i for i, v in enumerate(conflict.versions)}
    by_column = {d.column: d for d in conflict.differences}
    assert set(by_column) == {"contact_phone", "slots", "address"}
    phone = by_column["contact_phone"]
    assert phone.label == "联系电话"
    assert (phone.values[index[mine.key]], phone.values[index[theirs.key]]) == ("13900001111", "13800002222")
    assert by_column["slots"].values[index[mine.key]] == "70"
    assert any("甘州区卫生健康局" in name for name in theirs.nodes)

    # Nothing lost: the record holds the later edit (the county's), the city's edit is kept in the conflict.
    assert theirs.current and not mine.current
    stored = _stored(city, institution_id)
    assert (stored.contact_phone, stored.slots, stored.address) == ("13800002222", 60, "甘州区青年东街 8 号")
    with read_session(city.db) as session:
        audit = session.scalars(
            select(AuditEntry.summary).where(
                AuditEntry.action == "sync_conflict", AuditEntry.entity_id == institution_id
            )
        ).all()
    assert len(audit) == 1 and "待人工处理" in audit[0]


def test_keep_mine_makes_the_record_this_nodes_version_again_with_an_audited_journalled_edit(network, in_conflict):
    city = network.city
    institution_id, path = in_conflict
    import_bundle(city, path)
    [conflict] = list_conflicts(city)
    with read_session(city.db) as session:
        journal_before = session.scalar(select(SyncJournalEntry.seq).order_by(SyncJournalEntry.seq.desc()).limit(1))
        version_before = session.get(Institution, institution_id).version

    result = resolve_conflict(city, conflict.id, keep="mine")

    stored = _stored(city, institution_id)
    assert (stored.contact_phone, stored.slots, stored.address) == ("13900001111", 70, "")
    assert stored.version == version_before + 1
    assert list_conflicts(city) == []
    with read_session(city.db) as session:
        resolved = session.get(SyncConflict, conflict.id)
        assert resolved.status == "resolved" and resolved.resolution_id == result.resolution_id
        resolution = session.get(SyncConflictResolution, result.resolution_id)
        assert resolution.choice == "mine" and resolution.chosen_hash == result.chosen_hash
        assert sorted(json.loads(resolution.candidate_hashes)) == sorted(v.key for v in conflict.versions)
        journalled = set(
            session.scalars(select(SyncJournalEntry.entity_type).where(SyncJournalEntry.seq > journal_before))
        )
        assert {"institutions", "sync_conflict_resolutions"} <= journalled
        edit = session.scalars(
            select(AuditEntry).where(AuditEntry.entity_id == institution_id, AuditEntry.action == "update")
        ).all()[-1]
        assert json.loads(edit.changes)["contact_phone"] == ["13800002222", "13900001111"]


def test_keep_theirs_and_a_choice_per_field(network, in_conflict):
    city = network.city
    institution_id, path = in_conflict
    import_bundle(city, path)
    [conflict] = list_conflicts(city)
    result = resolve_conflict(city, conflict.id, keep="theirs", fields={"slots": "mine"})
    stored = _stored(city, institution_id)
    assert (stored.contact_phone, stored.slots, stored.address) == ("13800002222", 70, "甘州区青年东街 8 号")
    assert result.choice == "fields" and result.changed_columns == ("slots",)
    with pytest.raises(TuoyuError, match="已经处理过"):
        resolve_conflict(city, conflict.id, keep="theirs")


def test_keep_theirs_leaves_the_record_as_the_winner_already_made_it(network, in_conflict):
    city = network.city
    institution_id, path = in_conflict
    import_bundle(city, path)
    [conflict] = list_conflicts(city)
    before = _stored(city, institution_id)
    result = resolve_conflict(city, conflict.id, keep="theirs")
    after = _stored(city, institution_id)
    assert result.changed_columns == () and after.version == before.version
    assert conflict_view(city, conflict.id).status == "resolved"


def test_an_unknown_field_or_conflict_is_refused_in_chinese(network, in_conflict):
    city = network.city
    _, path = in_conflict
    import_bundle(city, path)
    [conflict] = list_conflicts(city)
    with pytest.raises(TuoyuError, match="没有可选择的字段"):
        resolve_conflict(city, conflict.id, keep="mine", fields={"version": "theirs"})
    with pytest.raises(TuoyuError, match="没有编号为"):
        resolve_conflict(city, uuid.uuid4(), keep="mine")


def test_the_resolution_travels_and_closes_the_same_conflict_where_it_is_held(network):
    """Under today's routes no record is written at both ends of one route, so the node that holds the same
    conflict is the city's twin: a second city database that was sent the same records and edited alike."""
    county, city = network.county, network.city
    twin = network.node("张掖市（备用机）", NodeKind.CITY)
    network.enrol(county, twin)
    institution_id = institution(county, "甘州区阳光托育中心")
    for node in (city, twin):
        network.acknowledge(network.send(county, node), county)
        _edit(node, institution_id, contact_phone="13900001111", slots=70)
    _edit(county, institution_id, contact_phone="13800002222", address="甘州区青年东街 8 号")
    for node in (city, twin):
        assert network.send(county, node).conflicts == 1
    [city_conflict] = list_conflicts(city)
    [twin_conflict] = list_conflicts(twin)
    assert {v.key for v in city_conflict.versions} == {v.key for v in twin_conflict.versions}

    resolve_conflict(city, city_conflict.id, keep="mine")
    # The city sends its resolution down to the county, the county on to the twin.
    assert network.send(city, county).created == 1  # the resolution record
    with read_session(county.db) as session:
        assert session.scalar(select(SyncConflictResolution.choice)) == "mine"
    to_twin = network.send(county, twin)
    assert to_twin.created == 1 and to_twin.conflicts == 0
    assert list_conflicts(twin) == []
    assert conflict_view(twin, twin_conflict.id).status == "resolved"


def test_values_read_as_a_person_reads_them_labels_yuan_yes_no(network):
    county, city = network.county, network.city
    institution_id = institution(county, "甘州区阳光托育中心")
    network.acknowledge(network.send(county, city), county)
    _edit(city, institution_id, ownership=Ownership.PRIVATE, fee_full_day_monthly_fen=150_000, serves_meals=True)
    _edit(county, institution_id, ownership=Ownership.PUBLIC, fee_full_day_monthly_fen=120_050, premises_leased=True)
    import_bundle(city, network.export(county, city)[0])

    [conflict] = list_conflicts(city)
    mine = next(i for i, v in enumerate(conflict.versions) if v.mine)
    theirs = next(i for i, v in enumerate(conflict.versions) if v.theirs)
    shown = {d.column: (d.label, d.values[mine], d.values[theirs]) for d in conflict.differences}
    assert shown["ownership"] == ("办托体制", Ownership.PRIVATE.label, Ownership.PUBLIC.label)
    assert shown["fee_full_day_monthly_fen"] == ("全日托月收费（元）", "1,500.00 元", "1,200.50 元")
    assert shown["serves_meals"][1:] == ("是", "否") and shown["premises_leased"][1:] == ("否", "是")


def _stored_conflict(ctx, entity_type: str, rows: list[dict]) -> uuid.UUID:
    """A conflict between the given versions of a record, the first one this node's."""
    candidates = [Candidate(f"{i:064x}", row, (str(ctx.node_id),), i == 0).as_json() for i, row in enumerate(rows)]
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        conflict = SyncConflict(
            entity_type=entity_type,
            entity_id=uuid.uuid4(),
            status="open",
            candidates_json=json.dumps(candidates),
            winner_hash=candidates[0]["hash"],
        )
        session.add(conflict)
        session.flush()
        return conflict.id


def test_foreign_keys_show_the_name_and_id_numbers_differ_even_where_masking_hides_it(network):
    county = network.county
    institution_id = institution(county, "甘州区阳光托育中心")
    other_id = institution(county, "甘州区彩虹托育园")
    base = {"name": "张丽", "role": "carer", "sex": "female", "id_number": "620702199001011234"}
    conflict_id = _stored_conflict(
        county,
        "staff",
        [
            {**base, "institution_id": str(institution_id), "employed_from": "2025-03-01"},
            # Differs only in digits the mask hides: still a difference, shown masked.
            {**base, "id_number": "620702199101011234", "institution_id": str(other_id), "employed_from": None},
        ],
    )
    view = conflict_view(county, conflict_id)
    shown = {d.column: (d.label, d.values) for d in view.differences}
    assert set(shown) == {"id_number", "institution_id", "employed_from"}
    assert shown["institution_id"] == ("所属机构", ("甘州区阳光托育中心", "甘州区彩虹托育园"))
    assert shown["employed_from"] == ("入职日期", ("2025年3月1日", ""))
    label, ids = shown["id_number"]
    assert label == "身份证号" and ids[0] == ids[1] == "620702********1234"
    assert view.record_label == "张丽"


def test_population_figures_have_chinese_labels_and_a_region_and_year_as_their_label(network):
    county = network.county
    row = {"region_code": GANZHOU, "year": 2025, "resident_population": 500_000, "under3_estimated": False}
    conflict_id = _stored_conflict(
        county,
        "region_populations",
        [{**row, "under3_population": 9_000}, {**row, "under3_population": 9_100, "under3_estimated": True}],
    )
    view = conflict_view(county, conflict_id)
    assert view.record_label == "甘州区 2025年"
    shown = {d.column: (d.label, d.values) for d in view.differences}
    assert shown == {
        "under3_population": ("3岁以下婴幼儿数", ("9000", "9100")),
        "under3_estimated": ("3岁以下人数为估算", ("否", "是")),
    }
