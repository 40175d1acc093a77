"""Sync round trips: a laptop's inspections reach the county and the city, the county's register and children
reach the city, deletions and corrections travel, photos keep their hashes, children's data is sealed, a dry
run writes nothing, importing twice changes nothing, receipts move acknowledgement on, an older schema upgrades.

The county runs on every engine under test; laptops and the city are embedded SQLite databases beside it.
"""

from __future__ import annotations

import json
import struct
import uuid
import zlib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.domain.enums import ClassType, InspectionKind, NodeKind, StaffRole, ViolationAction
from desktop.domain.identifiers import make_id_number, mask_id_number
from desktop.domain.sync_bundle import BundleHeader, BundleMember
from desktop.models import (
    Child,
    ClassGroup,
    Inspection,
    InspectionAnswer,
    InspectionPhoto,
    Institution,
    PhotoContent,
    RectificationNotice,
    StaffMember,
    SyncShadow,
    Violation,
)
from desktop.services.inspection_corrections import correct_inspection
from desktop.services.inspection_photos import attach_photo
from desktop.services.inspections import finish_inspection, start_inspection
from desktop.services.nodes import own_keys
from desktop.services.roster_commands import (
    ClassGroupDraft,
    StaffDraft,
    delete_staff_member,
    save_class_group,
    save_staff_member,
)
from desktop.services.sync_bundle_files import open_bundle, write_bundle
from desktop.services.unit_of_work import read_session
from desktop.services.violations import record_violation
from desktop.sync import scopes
from desktop.sync.importing import import_bundle
from desktop.sync.payload import SYNC_MEMBER
from desktop.sync.reconciliation import sync_status
from tests.integration.inspecting import AT, answer, version
from tests.integration.subsidizing import child, institution
from tests.integration.syncing import GANZHOU, SUNAN, Network, fingerprint

TODAY = date(2026, 11, 23)
STAFF_ID = make_id_number(GANZHOU, date(1990, 5, 17), 321)


@pytest.fixture
def network(tmp_path: Path, database_url: str | None):
    net = Network(tmp_path)
    net.county = net.node("甘州区卫生健康局", NodeKind.COUNTY, GANZHOU, url=database_url)
    net.laptop = net.node("王芳的检查笔记本", NodeKind.LAPTOP, GANZHOU)
    net.city = net.node("张掖市卫生健康委员会", NodeKind.CITY)
    net.enrol(net.county, net.laptop)
    net.enrol(net.county, net.city)
    yield net
    net.close()


def png(path: Path, shade: int) -> Path:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    pixels = b"".join(b"\x00" + bytes([shade, 128, 255 - shade]) * 2 for _ in range(2))
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )
    return path


def _register(county) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    institution_id = institution(county)
    class_id = save_class_group(county, institution_id, ClassGroupDraft("小一班", ClassType.TODDLER, 15))
    staff = save_staff_member(
        county, institution_id, StaffDraft("李秀英", StaffRole.CARER, id_number=STAFF_ID), today=TODAY
    )
    return institution_id, class_id.record_id, staff.record_id


def _inspect_on(laptop, institution_id: uuid.UUID, tmp_path: Path, shade: int = 40) -> uuid.UUID:
    inspection_id = start_inspection(
        laptop,
        institution_id,
        kind=InspectionKind.SEMIANNUAL_INSPECTION,
        period="2026H2",
        inspected_at=AT,
        inspectors="王芳、李强",
        representative="张园长",
    )
    answer(laptop, inspection_id, failing=["fire.extinguishers"])
    attach_photo(laptop, inspection_id, png(tmp_path / f"灭火器{shade}.png", shade), item_code="fire.extinguishers")
    finish_inspection(laptop, inspection_id, expected_version=version(laptop, inspection_id), today=TODAY)
    return inspection_id


def _count(ctx, model, *where) -> int:
    with read_session(ctx.db) as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_records_travel_from_laptop_to_county_to_city(network, tmp_path):
    county, laptop, city = network.county, network.laptop, network.city
    institution_id, _, staff_id = _register(county)
    child(county, institution_id, name="王小明")

    to_laptop = network.send(county, laptop)
    assert to_laptop.created >= 3 and to_laptop.conflicts == 0
    with read_session(laptop.db) as session:
        staff = session.get(StaffMember, staff_id)
        assert staff.id_number == mask_id_number(STAFF_ID)  # a laptop never holds a full ID number
        assert session.scalar(select(func.count()).select_from(Child)) == 0  # nor any child

    inspection_id = _inspect_on(laptop, institution_id, tmp_path)
    record_violation(laptop, inspection_id, "未公示收费标准", ViolationAction.WARNING, TODAY, today=TODAY)

    to_county = network.send(laptop, county)
    answers = _count(laptop, InspectionAnswer)
    assert to_county.created == 1 + answers + 1 + 1 + 1  # inspection, answers, photo, notice, violation
    assert to_county.photos == 1 and to_county.audit_entries > answers
    with read_session(county.db) as session:
        inspection = session.get(Inspection, inspection_id)
        assert inspection.finished and inspection.origin == laptop.node_id
        notice = session.scalar(select(RectificationNotice).where(RectificationNotice.inspection_id == inspection_id))
        assert notice is not None and notice.document_number.startswith("甘州卫监改")

    to_city = network.send(county, city)
    assert to_city.conflicts == 0
    with read_session(city.db) as session:
        assert session.get(Inspection, inspection_id).finished
        assert session.scalar(select(func.count()).select_from(InspectionAnswer)) == answers
        assert session.get(StaffMember, staff_id).id_number == STAFF_ID  # the city holds the full number
        assert session.scalar(select(Child.name)) == "王小明"
        assert session.scalar(select(func.count()).select_from(Violation)) == 1


def test_photos_travel_with_their_hashes(network, tmp_path):
    county, laptop = network.county, network.laptop
    institution_id, _, _ = _register(county)
    network.send(county, laptop)
    _inspect_on(laptop, institution_id, tmp_path, shade=70)
    with read_session(laptop.db) as session:
        sha256, data = session.execute(select(PhotoContent.sha256, PhotoContent.data)).one()
    path, summary = network.export(laptop, county)
    assert summary.photos == 1
    keys = own_keys(county)
    opened = open_bundle(
        path,
        this_node=county.node_id,
        signer_keys=lambda node: own_keys(laptop).signing_key.public_key(),
        last_sequence=lambda node: None,
        schema_revision=county.revision,
        decryption_key=keys.encryption_key,
        now=datetime.now(UTC),
    )
    assert opened.members[f"photos/{sha256}.bin"] == data
    listed = json.loads(opened.members[SYNC_MEMBER])["photos"]
    assert listed == [{"sha256": sha256, "media_type": "image/png", "member": f"photos/{sha256}.bin"}]
    assert not import_bundle(county, path).refused
    with read_session(county.db) as session:
        stored = session.get(PhotoContent, sha256)
        assert stored.data == data and stored.byte_size == len(data)
        assert session.scalar(select(InspectionPhoto.sha256)) == sha256


def test_children_and_staff_id_numbers_travel_sealed(network, tmp_path):
    county, city = network.county, network.city
    institution_id, _, _ = _register(county)
    number = child(county, institution_id, name="欧阳娜娜")
    path, _ = network.export(county, city)
    raw = path.read_bytes()
    for secret in (number, STAFF_ID, "欧阳娜娜", "李秀英"):
        assert secret.encode("utf-8") not in raw
        assert json.dumps(secret).encode() not in raw  # nor as a JSON escape
    assert import_bundle(city, path).created > 0
    with read_session(city.db) as session:
        assert session.scalar(select(Child.id_number)) == number


def test_importing_the_same_bundle_again_changes_nothing(network):
    county, city = network.county, network.city
    institution_id, _, _ = _register(county)
    child(county, institution_id)
    path, _ = network.export(county, city)
    first = import_bundle(city, path)
    before = fingerprint(city)
    again = import_bundle(city, path)
    assert fingerprint(city) == before
    assert (again.refused, again.reason, again.already_imported) == (False, None, True)
    assert (again.created, again.updated, again.conflicts) == (0, 0, 0)
    assert again.unchanged == first.created + first.updated + first.unchanged + first.conflicts + first.deleted
    assert Path(again.receipt_file).read_bytes() == Path(first.receipt_file).read_bytes()  # the same receipt


def test_a_dry_run_reports_the_plan_and_writes_nothing(network):
    county, city = network.county, network.city
    _register(county)
    path, _ = network.export(county, city)
    before = fingerprint(city)
    dry = import_bundle(city, path, dry_run=True)
    assert fingerprint(city) == before and dry.dry_run and dry.receipt_file is None
    real = import_bundle(city, path)
    assert (dry.created, dry.updated, dry.unchanged, dry.conflicts) == (
        real.created,
        real.updated,
        real.unchanged,
        real.conflicts,
    )
    # Per table, parents first, adding up to the totals; the same in the --json report.
    assert dry.tables == real.tables
    assert list(dry.tables) == sorted(dry.tables, key=scopes.table_order)
    for key in ("created", "updated", "deleted", "unchanged", "conflicts"):
        assert sum(counts[key] for counts in dry.tables.values()) == getattr(dry, key)
    assert dry.tables["institutions"]["created"] == 1
    assert json.loads(json.dumps(dry.as_json()))["tables"] == dry.tables


def test_deletions_and_corrections_travel(network, tmp_path):
    county, laptop, city = network.county, network.laptop, network.city
    institution_id, class_id, staff_id = _register(county)
    network.send(county, laptop)
    inspection_id = _inspect_on(laptop, institution_id, tmp_path)
    record_violation(laptop, inspection_id, "未公示收费标准", ViolationAction.WARNING, TODAY, today=TODAY)
    network.acknowledge(network.send(laptop, county), laptop)
    network.acknowledge(network.send(county, city), county)

    with read_session(county.db) as session:
        staff_version = session.get(StaffMember, staff_id).version
        violation_id = session.scalar(select(Violation.id))
    delete_staff_member(county, staff_id, expected_version=staff_version)
    correction_id = correct_inspection(county, inspection_id, corrected_at=AT)
    answer(county, correction_id)
    finish_inspection(county, correction_id, expected_version=version(county, correction_id), today=TODAY)
    record_violation(
        county,
        inspection_id,
        "未公示收费标准（更正）",
        ViolationAction.FINE,
        TODAY,
        fine_fen=50_000,
        corrects_id=violation_id,
        today=TODAY,
    )

    outcome = network.send(county, city)
    assert outcome.deleted == 1 and outcome.conflicts == 0
    with read_session(city.db) as session:
        assert session.get(StaffMember, staff_id) is None
        assert session.get(Inspection, correction_id).corrects_id == inspection_id
        assert session.scalar(select(Violation.fine_fen).where(Violation.corrects_id == violation_id)) == 50_000
        assert session.get(ClassGroup, class_id) is not None


def test_a_receipt_moves_acknowledgement_on_and_the_next_export_carries_only_newer_changes(network):
    county, city = network.county, network.city
    institution_id, class_id, _ = _register(county)
    path, first = network.export(county, city)
    assert first.full
    status = sync_status(county)
    peer = next(p for p in status.peers if p.node_id == city.node_id)
    assert [b.sequence for b in peer.outstanding] == [1] and peer.never_acknowledged
    imported = import_bundle(city, path)
    receipt = network.acknowledge(imported, county)
    assert receipt.kind == "receipt" and receipt.acknowledged_bundle == str(first.bundle_id)
    peer = next(p for p in sync_status(county).peers if p.node_id == city.node_id)
    assert peer.outstanding == () and peer.acknowledged == 1 and peer.changed_since_acknowledged == 0
    with read_session(county.db) as session:
        shadows = session.scalar(
            select(func.count()).select_from(SyncShadow).where(SyncShadow.peer_node == city.node_id)
        )
    assert shadows == first.record_count

    save_class_group(
        county, institution_id, ClassGroupDraft("小一班", ClassType.TODDLER, 18), class_id=class_id, expected_version=1
    )
    _, second = network.export(county, city)
    assert not second.full and second.records == {"class_groups": 1} and second.audit_entries >= 1
    again = import_bundle(county, Path(imported.receipt_file))
    assert again.already_imported  # a receipt imported twice changes nothing either


def test_a_bundle_of_an_older_schema_is_upgraded(network, tmp_path):
    county, city = network.county, network.city
    institution_id, _, _ = _register(county)
    path, _ = network.export(county, city)
    keys = own_keys(city)
    opened = open_bundle(
        path,
        this_node=city.node_id,
        signer_keys=lambda node: own_keys(county).signing_key.public_key(),
        last_sequence=lambda node: None,
        schema_revision=city.revision,
        decryption_key=keys.encryption_key,
        now=datetime.now(UTC),
    )
    # As a release of revision 0009 would have written it: institutions without a column added later.
    members = dict(opened.members)
    header = json.loads(members[SYNC_MEMBER])
    entry = next(t for t in header["tables"] if t["table"] == "institutions")
    dropped = entry["columns"].index("chain_brand")
    entry["columns"].pop(dropped)
    for name in entry["members"]:
        body = json.loads(members[name])
        for row in body["rows"]:
            row.pop(dropped)
        members[name] = json.dumps(body).encode()
    members[SYNC_MEMBER] = json.dumps(header).encode()
    old = tmp_path / "old.tuoyu-sync"
    source = own_keys(county)
    h = opened.header
    write_bundle(
        old,
        BundleHeader(uuid.uuid4(), h.source_node, h.target_node, h.sequence, "0009_nodes", h.created_at, h.expires_at),
        [BundleMember(m.name, members[m.name], m.content_type, m.encrypted) for m in opened.manifest.members],
        signing_key=source.signing_key,
        recipient_public_key=keys.encryption_key.public_key(),
    )
    outcome = import_bundle(city, old)
    assert not outcome.refused, outcome.message
    with read_session(city.db) as session:
        stored = session.get(Institution, institution_id)
        assert stored.name == "甘州区阳光托育中心" and stored.chain_brand is None


def test_before_any_receipt_the_changes_to_send_are_what_the_next_export_sends(network, tmp_path):
    """Not every row of the tables: this county's records only, and no inspection still being written."""
    county, city, laptop = network.county, network.city, network.laptop
    institution_id, _, _ = _register(county)
    institution(county, "肃南县草原托育园", county=SUNAN)  # another county's record, held here
    start_inspection(  # a draft: the city gets it, a laptop does not
        county,
        institution_id,
        kind=InspectionKind.SEMIANNUAL_INSPECTION,
        period="2026H2",
        inspected_at=AT,
        inspectors="王芳、李强",
        representative="张园长",
    )
    for peer in (city, laptop):
        expected = next(p for p in sync_status(county).peers if p.node_id == peer.node_id)
        assert expected.never_acknowledged
        _, summary = network.export(county, peer)
        assert expected.changed_since_acknowledged == summary.record_count, peer
        assert summary.records["institutions"] == 1  # this county's only
        assert summary.records.get("inspections", 0) == (1 if peer is city else 0)  # a laptop gets finished ones
