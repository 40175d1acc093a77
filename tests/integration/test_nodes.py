"""Nodes and keys: a county, its laptop and its city each get keys, exchange public-key files, and enrol each other.

The county runs on every engine under test; the laptop and the city are embedded SQLite databases beside it.
"""

from __future__ import annotations

import json
import os
import stat
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.domain.enums import NodeKind
from desktop.domain.node_enrolment import EnrolmentRefused
from desktop.domain.node_keys import KeyFileInvalid, grouped_fingerprint
from desktop.errors import NotFoundError, TuoyuError
from desktop.models import AppSetting, AuditEntry, Node
from desktop.services.enrolled_nodes import (
    enrol_node,
    list_nodes,
    peer_keys,
    peer_keys_in,
    preview_enrolment,
    remove_node,
)
from desktop.services.node_key_files import PRIVATE_KEY_FILE_NAME, PrivateKeysMissing
from desktop.services.nodes import (
    NodeAlreadyInitialised,
    NodeNotInitialised,
    export_public_key,
    init_node,
    own_keys,
    suggested_key_file_name,
    this_node,
)
from desktop.services.startup import AppContext, open_app
from desktop.services.unit_of_work import read_session
from tests.integration.subsidizing import institution

GANZHOU, SUNAN, ZHANGYE = "620702", "620721", "620700"
posix_only = pytest.mark.skipif(os.name != "posix", reason="owner-only modes are POSIX file modes")


@pytest.fixture
def open_sqlite(tmp_path: Path) -> Iterator:
    opened: list[AppContext] = []

    def opening(name: str) -> AppContext:
        opened.append(open_app(data_dir=tmp_path / name, url=None))
        return opened[-1]

    yield opening
    for context in opened:
        context.close()


@pytest.fixture
def county(ctx: AppContext) -> AppContext:
    init_node(ctx, role=NodeKind.COUNTY, name="甘州区卫生健康局", division_code=GANZHOU)
    return ctx


def _key_file(ctx: AppContext, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.tuoyu-pubkey"
    export_public_key(ctx, path)
    return path


def _laptop(open_sqlite, name: str = "laptop", county_code: str = GANZHOU) -> AppContext:
    laptop = open_sqlite(name)
    init_node(laptop, role=NodeKind.LAPTOP, name=f"{name}的检查笔记本", division_code=county_code)
    return laptop


def _city(open_sqlite) -> AppContext:
    city = open_sqlite("city")
    init_node(city, role=NodeKind.CITY, name="张掖市卫生健康委员会")
    return city


def _node_audit(ctx: AppContext) -> list[tuple[str, str]]:
    with read_session(ctx.db) as session:
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.summary)
            .where(AuditEntry.entity_type == Node.__tablename__)
            .order_by(AuditEntry.at, AuditEntry.id)
        )
        return [(action, summary) for action, summary in rows]


# --------------------------------------------------------------------------- this node


def test_init_keeps_the_private_keys_in_the_data_folder_owner_only_and_out_of_the_database(county, data_dir):
    node = this_node(county)
    assert (node.role, node.name, node.division_code, node.division_name) == (
        NodeKind.COUNTY,
        "甘州区卫生健康局",
        GANZHOU,
        "甘州区",
    )
    assert node.node_id == county.node_id and len(node.fingerprint) == 64
    key_file = data_dir / "keys" / PRIVATE_KEY_FILE_NAME
    secret = json.loads(key_file.read_text())["signing_private_key"]
    if os.name == "posix":
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    with read_session(county.db) as session:
        settings = {key: value for key, value in session.execute(select(AppSetting.key, AppSetting.value))}
    assert settings["node_kind"] == "county" and settings["node_name"] == "甘州区卫生健康局"
    assert not any(secret in value for value in settings.values())
    if county.db.path is not None:  # a database backup is a copy of this file: the key must not be in it
        assert secret.encode() not in county.db.path.read_bytes()
    assert [p.name for p in (data_dir / "keys").iterdir()] == [PRIVATE_KEY_FILE_NAME]  # no temporary left


def test_the_public_key_file_shows_the_other_screen_the_fingerprint_this_screen_shows(county, open_sqlite, tmp_path):
    path = _key_file(county, tmp_path, "甘州区")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["node_id"] == str(county.node_id) and document["role"] == "county"
    assert "private" not in path.read_text()
    assert preview_enrolment(_laptop(open_sqlite), path).fingerprint == this_node(county).fingerprint


def test_init_again_is_refused_unless_keys_are_to_be_replaced(county):
    before = this_node(county)
    with pytest.raises(NodeAlreadyInitialised, match="--replace-keys"):
        init_node(county, role=NodeKind.COUNTY, name="甘州区卫健局", division_code=GANZHOU)
    assert this_node(county) == before
    after = init_node(county, role=NodeKind.COUNTY, name="甘州区卫健局", division_code=GANZHOU, replace_keys=True)
    assert after.node_id == before.node_id and after.name == "甘州区卫健局"
    assert after.fingerprint != before.fingerprint


def test_a_lost_key_file_is_said_to_be_lost_and_init_makes_new_keys_without_asking_to_replace(county, data_dir):
    before = this_node(county)
    (data_dir / "keys" / PRIVATE_KEY_FILE_NAME).unlink()
    with pytest.raises(PrivateKeysMissing, match="本机还没有节点密钥.*tuoyu node init.*移除旧登记后重新登记"):
        own_keys(county)
    again = init_node(county, role=NodeKind.COUNTY, name="甘州区卫生健康局", division_code=GANZHOU)
    assert again.fingerprint != before.fingerprint


def _with(text: str, **changes: str) -> str:
    return json.dumps({**json.loads(text), **changes})


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],
        lambda text: _with(text, format="something-else"),
        lambda text: _with(text, signing_private_key="不是 Base64!"),
        lambda text: _with(text, encryption_private_key="AAAA"),
    ],
    ids=["cut-short", "wrong-format", "bad-base64", "short-key"],
)
def test_a_corrupt_private_key_file_says_how_to_get_going_again(county, data_dir, damage):
    key_file = data_dir / "keys" / PRIVATE_KEY_FILE_NAME
    key_file.write_text(damage(key_file.read_text()))
    with pytest.raises(TuoyuError, match="本机私钥文件已损坏，无法使用.*keys 文件夹的副本.*--replace-keys") as error:
        own_keys(county)
    assert "移除旧登记后重新登记" in error.value.message
    with pytest.raises(NodeAlreadyInitialised):  # the damaged file is still there: replacing it is asked for
        init_node(county, role=NodeKind.COUNTY, name="甘州区卫生健康局", division_code=GANZHOU)
    init_node(county, role=NodeKind.COUNTY, name="甘州区卫生健康局", division_code=GANZHOU, replace_keys=True)
    assert own_keys(county).node_id == county.node_id


def test_keys_of_another_installation_are_not_taken_for_this_one(county, data_dir, open_sqlite):
    other = _laptop(open_sqlite)
    other_keys = other.db.data_dir / "keys" / PRIVATE_KEY_FILE_NAME
    (data_dir / "keys" / PRIVATE_KEY_FILE_NAME).write_bytes(other_keys.read_bytes())
    with pytest.raises(TuoyuError, match=f"私钥属于节点 {other.node_id}，而当前数据库是节点 {county.node_id}"):
        this_node(county)


@posix_only
def test_a_private_key_file_others_could_read_is_made_owner_only_again(county, data_dir):
    key_file = data_dir / "keys" / PRIVATE_KEY_FILE_NAME
    key_file.chmod(0o644)
    own_keys(county)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_node_not_initialised_says_how_to_initialise(ctx):
    with pytest.raises(NodeNotInitialised, match="本机尚未初始化为同步节点.*tuoyu node init"):
        this_node(ctx)
    with pytest.raises(NodeNotInitialised):
        own_keys(ctx)


def test_a_server_database_without_a_data_folder_is_told_where_keys_live(county):
    county.db.data_dir = None
    with pytest.raises(TuoyuError, match="--data-dir"):
        own_keys(county)


@pytest.mark.parametrize(
    ("role", "code", "message"),
    [
        (NodeKind.COUNTY, None, "需要所属县区的行政区划代码（--county-code）"),
        (NodeKind.LAPTOP, "620799", "“620799”不是本数据库中的县区"),
        (NodeKind.COUNTY, ZHANGYE, "“620700”不是本数据库中的县区"),
        (NodeKind.CITY, GANZHOU, "“620702”不是本数据库中的市"),
    ],
)
def test_init_needs_a_division_this_database_knows(ctx, data_dir, role, code, message):
    with pytest.raises(TuoyuError, match=message):
        init_node(ctx, role=role, name="某节点", division_code=code)
    assert not (data_dir / "keys").exists()


def test_a_city_takes_the_one_city_of_its_regions(open_sqlite):
    assert this_node(_city(open_sqlite)).division_code == ZHANGYE


def test_a_database_with_a_register_cannot_become_a_laptop(ctx, data_dir):
    institution(ctx)
    with pytest.raises(TuoyuError, match="已有 1 家机构的档案（县区数据库），不能初始化为检查笔记本"):
        init_node(ctx, role=NodeKind.LAPTOP, name="笔记本", division_code=GANZHOU)
    assert not (data_dir / "keys").exists()


def test_signatures_and_key_agreement_work_between_own_keys_and_enrolled_public_keys(county, open_sqlite, tmp_path):
    laptop = _laptop(open_sqlite)
    enrol_node(county, _key_file(laptop, tmp_path, "laptop"))
    enrol_node(laptop, _key_file(county, tmp_path, "county"))

    signature = own_keys(laptop).signing_key.sign(b"manifest")
    peer_keys(county, laptop.node_id).signing_key.verify(signature, b"manifest")  # raises when keys do not match
    county_secret = own_keys(county).encryption_key.exchange(peer_keys(county, laptop.node_id).encryption_key)
    laptop_secret = own_keys(laptop).encryption_key.exchange(peer_keys(laptop, county.node_id).encryption_key)
    assert county_secret == laptop_secret


# --------------------------------------------------------------------------- enrolment


def test_a_county_enrols_its_laptop_and_its_city_and_the_city_enrols_the_county(county, open_sqlite, tmp_path):
    laptop, city = _laptop(open_sqlite), _city(open_sqlite)
    laptop_file, city_file = _key_file(laptop, tmp_path, "laptop"), _key_file(city, tmp_path, "city")
    county_file = _key_file(county, tmp_path, "county")

    preview = preview_enrolment(county, laptop_file)
    assert (preview.name, preview.role_name, preview.division_name) == ("laptop的检查笔记本", "检查笔记本", "甘州区")
    assert preview.fingerprint == this_node(laptop).fingerprint and not preview.already_enrolled
    result = enrol_node(county, laptop_file, expected_fingerprint=grouped_fingerprint(preview.fingerprint).lower())
    assert result.created and result.node.node_id == laptop.node_id and result.node.enrolled_by
    assert enrol_node(county, city_file).created
    assert enrol_node(city, county_file).created
    assert enrol_node(laptop, county_file).created

    listed = list_nodes(county)
    assert [(n.role, n.name) for n in listed] == [
        (NodeKind.CITY, "张掖市卫生健康委员会"),
        (NodeKind.LAPTOP, "laptop的检查笔记本"),
    ]
    city_view = peer_keys(city, county.node_id)
    assert (city_view.role, city_view.division_code, city_view.fingerprint) == (
        NodeKind.COUNTY,
        GANZHOU,
        this_node(county).fingerprint,
    )
    with read_session(county.db) as session:
        assert peer_keys_in(session, laptop.node_id).name == "laptop的检查笔记本"
        assert peer_keys_in(session, uuid.uuid4()) is None
    assert _node_audit(county) == [
        ("insert", "新增 nodes laptop的检查笔记本"),
        ("insert", "新增 nodes 张掖市卫生健康委员会"),
    ]


def test_pairs_outside_the_rules_are_refused(county, open_sqlite, tmp_path):
    laptop, city = _laptop(open_sqlite), _city(open_sqlite)
    other_county_laptop = _laptop(open_sqlite, "sunan-laptop", SUNAN)
    other_county = open_sqlite("sunan")
    init_node(other_county, role=NodeKind.COUNTY, name="肃南县卫生健康局", division_code=SUNAN)
    nodes = {"laptop": laptop, "city": city, "sunan-laptop": other_county_laptop, "sunan": other_county}
    files = {name: _key_file(ctx, tmp_path, name) for name, ctx in nodes.items()}
    refusals = [
        (county, "sunan-laptop", "只登记本县区的检查笔记本"),
        (county, "sunan", "只登记本县区的检查笔记本"),
        (city, "laptop", "检查笔记本由所属县区登记"),
        (laptop, "city", "只登记本县区的县区节点"),
        (laptop, "sunan", "只登记本县区的县区节点"),
    ]
    for own, file_name, message in refusals:
        with pytest.raises(EnrolmentRefused, match=message):
            enrol_node(own, files[file_name])
        assert list_nodes(own) == []
    with pytest.raises(EnrolmentRefused, match="这是本机自己的公钥文件"):
        enrol_node(laptop, files["laptop"])


def test_the_same_file_again_changes_nothing(county, open_sqlite, tmp_path):
    laptop_file = _key_file(_laptop(open_sqlite), tmp_path, "laptop")
    first = enrol_node(county, laptop_file)
    again = enrol_node(county, laptop_file)
    assert first.created and not again.created and again.node == first.node
    assert preview_enrolment(county, laptop_file).already_enrolled
    assert len(_node_audit(county)) == 1


def test_changed_keys_are_refused_until_the_enrolment_is_removed(county, open_sqlite, tmp_path):
    laptop = _laptop(open_sqlite)
    enrol_node(county, _key_file(laptop, tmp_path, "old"))
    old_fingerprint = this_node(laptop).fingerprint
    init_node(laptop, role=NodeKind.LAPTOP, name="laptop的检查笔记本", division_code=GANZHOU, replace_keys=True)
    new_file = _key_file(laptop, tmp_path, "new")

    with pytest.raises(EnrolmentRefused, match="已经登记，但这份公钥文件的密钥或身份与登记时不同.*先“移除登记”"):
        enrol_node(county, new_file)
    assert peer_keys(county, laptop.node_id).fingerprint == old_fingerprint

    removed = remove_node(county, laptop.node_id)
    assert removed.fingerprint == old_fingerprint
    with pytest.raises(NotFoundError, match="没有在本机登记"):
        peer_keys(county, laptop.node_id)
    assert enrol_node(county, new_file).created
    assert peer_keys(county, laptop.node_id).fingerprint == this_node(laptop).fingerprint
    assert [action for action, _ in _node_audit(county)] == ["insert", "delete", "insert"]


def test_one_key_cannot_stand_for_two_nodes(county, open_sqlite, tmp_path):
    laptop_file = _key_file(_laptop(open_sqlite), tmp_path, "laptop")
    enrol_node(county, laptop_file)
    document = json.loads(laptop_file.read_text(encoding="utf-8"))
    document["node_id"] = str(uuid.uuid4())  # a copied data folder: same keys under a new database's id
    clone = tmp_path / "clone.tuoyu-pubkey"
    clone.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(EnrolmentRefused, match="已登记为另一个节点“laptop的检查笔记本”"):
        enrol_node(county, clone)


def test_a_fingerprint_that_does_not_match_what_was_compared_is_refused(county, open_sqlite, tmp_path):
    laptop_file = _key_file(_laptop(open_sqlite), tmp_path, "laptop")
    with pytest.raises(EnrolmentRefused, match="与核对的指纹 .* 不一致，未登记"):
        enrol_node(county, laptop_file, expected_fingerprint="0000 1111 2222 3333")
    assert list_nodes(county) == []


def test_a_file_that_is_not_a_public_key_file_is_refused(county, tmp_path, data_dir):
    not_a_key = tmp_path / "名单.xlsx"
    not_a_key.write_bytes(b"PK\x03\x04 a workbook")
    with pytest.raises(KeyFileInvalid, match="“名单.xlsx”不是节点公钥文件"):
        enrol_node(county, not_a_key)
    with pytest.raises(KeyFileInvalid, match="是私钥文件，不是节点公钥文件"):
        enrol_node(county, data_dir / "keys" / PRIVATE_KEY_FILE_NAME)
    with pytest.raises(TuoyuError, match="找不到公钥文件"):
        enrol_node(county, tmp_path / "nowhere.tuoyu-pubkey")


def test_removing_a_node_that_is_not_enrolled_is_not_found(county):
    with pytest.raises(NotFoundError, match="没有在本机登记"):
        remove_node(county, uuid.uuid4())


def test_export_into_a_missing_folder_is_refused_before_writing(county, tmp_path):
    with pytest.raises(TuoyuError, match="文件夹不存在"):
        export_public_key(county, tmp_path / "no-such-folder" / "k.tuoyu-pubkey")


def test_the_suggested_file_name_is_one_windows_accepts(county):
    node = replace(this_node(county), name="甘州区/卫健局:外业*")
    assert suggested_key_file_name(node) == "甘州区_卫健局_外业_-公钥.tuoyu-pubkey"
