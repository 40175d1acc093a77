"""Refused bundles change nothing: every reason the container or the import can refuse for reaches
``tuoyu sync import --json`` with exit status 1 and its code, and the database fingerprint is identical before
and after. Bundles are made from a real export of the county (tests/integration/sync_bundles.py takes them apart
and puts them together), re-signed with the county's own key where a check after the signature is meant.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from desktop.cli import main
from desktop.domain.enums import NodeKind
from desktop.domain.sync_bundle import BundleMember, RefusalReason
from desktop.domain.sync_bundle_layout import ArchiveEntry, directory_bytes, local_header
from desktop.services.nodes import own_keys
from desktop.services.startup import AppContext
from desktop.services.sync_bundle_files import open_bundle, write_bundle
from desktop.sync.importing import import_bundle
from desktop.sync.payload import SYNC_MEMBER
from desktop.sync.refusals import ContentRefusal
from tests.integration.subsidizing import child, institution
from tests.integration.sync_bundles import assemble, read_parts, resigned, with_member
from tests.integration.syncing import GANZHOU, Network, fingerprint


@dataclass
class World:
    network: Network
    county: AppContext
    city: AppContext
    valid: Path  # the county's third bundle to the city, not imported yet
    folder: Path
    url: str | None
    city_dir: Path

    def members(self) -> tuple[dict[str, bytes], object]:
        """The valid bundle's members (decrypted) and its opened form."""
        opened = open_bundle(
            self.valid,
            this_node=self.city.node_id,
            signer_keys=lambda node: own_keys(self.county).signing_key.public_key(),
            last_sequence=lambda node: None,
            schema_revision=self.city.revision,
            decryption_key=own_keys(self.city).encryption_key,
            now=datetime.now(UTC),
        )
        return dict(opened.members), opened

    def forge(self, edit: Callable[[dict[str, bytes]], None] | None = None, **header) -> bytes:
        """The valid bundle with its members edited, written and signed anew by the county."""
        members, opened = self.members()
        if edit is not None:
            edit(members)
        path = self.folder / f"forged-{uuid.uuid4().hex}.tuoyu-sync"
        signing = header.pop("signing_key", own_keys(self.county).signing_key)
        recipient = header.pop("recipient", own_keys(self.city).encryption_key.public_key())
        write_bundle(
            path,
            replace(opened.header, bundle_id=uuid.uuid4(), **header),
            [BundleMember(m.name, members[m.name], m.content_type, m.encrypted) for m in opened.manifest.members],
            signing_key=signing,
            recipient_public_key=recipient,
        )
        return path.read_bytes()


@pytest.fixture
def world(tmp_path: Path, database_url: str | None):
    network = Network(tmp_path)
    county = network.node("甘州区卫生健康局", NodeKind.COUNTY, GANZHOU)
    city = network.node("张掖市卫生健康委员会", NodeKind.CITY, url=database_url)
    network.enrol(county, city)
    institution_id = institution(county)
    child(county, institution_id)
    network.send(county, city)  # sequences 1 and 2, imported
    network.send(county, city)
    child(county, institution_id, name="李小红")
    valid, _ = network.export(county, city)  # sequence 3
    yield World(network, county, city, valid, tmp_path, database_url, tmp_path / "张掖市卫生健康委员会")
    network.close()


def _rows(members: dict[str, bytes], table: str) -> tuple[str, dict, list]:
    header = json.loads(members[SYNC_MEMBER])
    entry = next(t for t in header["tables"] if t["table"] == table)
    name = entry["members"][0]
    return name, json.loads(members[name]), entry["columns"]


def _edit_row(table: str, column: str, value) -> Callable[[dict[str, bytes]], None]:
    def edit(members: dict[str, bytes]) -> None:
        name, body, columns = _rows(members, table)
        body["rows"][0][columns.index(column)] = value
        members[name] = json.dumps(body).encode()

    return edit


def _header_edit(change: Callable[[dict], None]) -> Callable[[dict[str, bytes]], None]:
    def edit(members: dict[str, bytes]) -> None:
        header = json.loads(members[SYNC_MEMBER])
        change(header)
        members[SYNC_MEMBER] = json.dumps(header).encode()

    return edit


def _swap_member(name: str, data: bytes) -> Callable[[dict[str, bytes]], None]:
    def edit(members: dict[str, bytes]) -> None:
        members[name] = data

    return edit


def _parts(world: World) -> list:
    return read_parts(world.valid.read_bytes())


def _resigned_manifest(world: World, change: Callable[[dict], None]) -> bytes:
    return assemble(resigned(_parts(world), change, key=own_keys(world.county).signing_key))


def _with_huge_member(world: World) -> Path:
    """A properly listed and signed 300 MB member, as a sparse file (no disk): refused before it is read."""
    size = 300 * 1024**2
    digest, crc = hashlib.sha256(), 0
    for _ in range(size // 1024**2):
        chunk = bytes(1024**2)
        digest.update(chunk)
        crc = zlib.crc32(chunk, crc)
    huge = {"name": "a.bin", "size": size, "sha256": digest.hexdigest(), "encrypted": False, "content_type": "a/b"}
    parts = resigned(_parts(world), lambda m: m["members"].insert(0, huge), key=own_keys(world.county).signing_key)
    path = world.folder / "huge.tuoyu-sync"
    entries = []
    with path.open("wb") as out:
        for raw_name, data in [(b"members/a.bin", None), *parts]:
            entry_crc, entry_size = (crc, size) if data is None else (zlib.crc32(data), len(data))
            entries.append(ArchiveEntry(raw_name, entry_crc, entry_size, out.tell()))
            out.write(local_header(raw_name, entry_crc, entry_size))
            if data is None:
                out.seek(size, os.SEEK_CUR)
            else:
                out.write(data)
        out.write(directory_bytes(entries))
    return path


def _flip(data: bytes, at: int) -> bytes:
    changed = bytearray(data)
    changed[at] ^= 0x40
    return bytes(changed)


def _cases(world: World) -> list[tuple[str, bytes | Path | None]]:
    valid = world.valid.read_bytes()
    parts = _parts(world)
    first_member = parts[0]
    stranger = Ed25519PrivateKey.generate()
    past = datetime(2020, 1, 1, tzinfo=UTC)
    return [
        ("unreadable", None),
        ("not_a_bundle", b"PK\x03\x04 not really a zip"),
        ("not_a_bundle", valid[: len(valid) // 3]),
        ("newer_format", _resigned_manifest(world, lambda m: m.update(format_version=2))),
        ("unknown_signer", world.forge(source_node=uuid.uuid4(), signing_key=stranger)),
        ("bad_signature", world.forge(signing_key=stranger)),
        ("wrong_target", world.forge(target_node=uuid.uuid4())),
        ("replayed", world.forge(sequence=2)),
        ("rolled_back", world.forge(sequence=1)),
        ("expired", world.forge(created_at=past, expires_at=past + timedelta(days=1))),
        ("member_missing", assemble(parts[1:])),
        ("member_extra", assemble(with_member(parts, b"members/rows/more.json", b"[]"))),
        ("member_duplicated", assemble(with_member(parts, first_member[0], first_member[1]))),
        ("member_wrong_size", assemble([(first_member[0], first_member[1] + b" "), *parts[1:]])),
        ("member_wrong_hash", assemble([(first_member[0], _flip(first_member[1], 5)), *parts[1:]])),
        ("too_large", _with_huge_member(world)),
        ("newer_schema", world.forge(schema_revision="9999_future")),
        ("cannot_decrypt", world.forge(recipient=X25519PrivateKey.generate().public_key())),
        ("bad_content", world.forge(_swap_member(SYNC_MEMBER, b"{not json"))),
        ("bad_content", world.forge(_header_edit(lambda h: h.update(kind="something")))),
        ("bad_content", world.forge(_edit_row("children", "birth_date", "yesterday"))),
        ("not_allowed", world.forge(_header_edit(lambda h: h["tables"][0].update(table="users")))),
        ("not_allowed", world.forge(_edit_row("institutions", "county_code", "620721"))),
        ("missing_reference", world.forge(_edit_row("children", "institution_id", str(uuid.uuid4())))),
        ("database_refused", world.forge(_edit_row("children", "name", None))),
    ]


def _import(world: World, path: Path, capsys) -> tuple[int, dict, str]:
    arguments = ["--data-dir", str(world.city_dir)]
    if world.url:
        arguments += ["--db", world.url]
    status = main([*arguments, "sync", "import", str(path), "--json"])
    out, err = capsys.readouterr()
    return status, json.loads(out), err


def test_every_refusal_reaches_the_command_line_and_changes_nothing(world, capsys):
    before = fingerprint(world.city)
    reasons = set()
    for index, (expected, data) in enumerate(_cases(world)):
        path = data if isinstance(data, Path) else world.folder / f"case-{index:02d}.tuoyu-sync"
        if data is None:
            path.mkdir()  # a folder where a file should be: cannot be read as one
        elif isinstance(data, bytes):
            path.write_bytes(data)
        status, report, message = _import(world, path, capsys)
        assert (status, report["refused"], report["reason"]) == (1, True, expected), (index, report)
        assert report["created"] == report["updated"] == report["conflicts"] == 0
        assert "没有" in message and message.strip(), (index, message)
        assert fingerprint(world.city) == before, (index, expected)
        reasons.add(expected)
    assert len(reasons) == 21


def test_the_valid_bundle_the_cases_were_made_from_imports(world, capsys):
    status, report, _ = _import(world, world.valid, capsys)
    assert (status, report["refused"], report["reason"], report["created"]) == (0, False, None, 1)
    assert sum(counts["created"] for counts in report["tables"].values()) == 1


def test_mutated_bundles_are_refused_without_an_uncaught_error_and_change_nothing(world):
    """Bit flips, cuts and insertions anywhere in a valid bundle: refused every time, the database as it was."""
    valid = world.valid.read_bytes()
    rng = random.Random(7)
    before = fingerprint(world.city)
    reasons = set()
    for index in range(60):
        data = bytearray(valid)
        kind = index % 3
        at = rng.randrange(len(data))
        if kind == 0:
            data[at] ^= 1 << rng.randrange(8)
        elif kind == 1:
            del data[at:]
        else:
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 9)))
        path = world.folder / f"mutant-{index:02d}.tuoyu-sync"
        path.write_bytes(bytes(data))
        outcome = import_bundle(world.city, path)
        assert outcome.refused and outcome.reason, (index, outcome)
        reasons.add(outcome.reason)
    assert fingerprint(world.city) == before
    documented = {reason.value for reason in RefusalReason} | {reason.value for reason in ContentRefusal}
    assert reasons <= documented
