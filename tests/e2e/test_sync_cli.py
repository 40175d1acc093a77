"""``tuoyu sync`` as a county clerk and a city clerk run it: the county's demo register goes to the city, the
receipt comes back, a second export carries only what changed, a conflict is listed and resolved, and a damaged
bundle is refused with exit status 1 and its reason."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

from desktop.sync.labels import label_of
from tests.e2e.test_cli import one_json, tuoyu

IMPORT_KEYS = {"created", "updated", "unchanged", "conflicts", "refused", "reason"}


def _nodes(tmp_path: Path) -> tuple[Path, Path]:
    county, city = tmp_path / "county", tmp_path / "city"
    assert tuoyu("demo", "--seed", "5", "--today", "2026-11-23", data_dir=county).returncode == 0
    for folder, more in ((county, ("--role", "county", "--county-code", "620702")), (city, ("--role", "city"))):
        name = "甘州区卫生健康局" if folder == county else "张掖市卫生健康委员会"
        assert tuoyu("node", "init", *more, "--name", name, data_dir=folder).returncode == 0
        assert (
            tuoyu("node", "export-key", "--out", str(tmp_path / f"{folder.name}.key"), data_dir=folder).returncode == 0
        )
    assert tuoyu("node", "enrol", str(tmp_path / "city.key"), data_dir=county).returncode == 0
    assert tuoyu("node", "enrol", str(tmp_path / "county.key"), data_dir=city).returncode == 0
    return county, city


def _edit_institution(folder: Path, **changes) -> str:
    """A clerk's edit through the service layer (no CLI command edits a register entry)."""
    from sqlalchemy import select

    from desktop.models import Institution
    from desktop.services.institution_commands import load_institution_form, update_institution
    from desktop.services.startup import open_app
    from desktop.services.unit_of_work import read_session

    ctx = open_app(data_dir=folder, url=None)
    try:
        with read_session(ctx.db) as session:
            first = session.scalar(
                select(Institution.id).where(Institution.county_code == "620702").order_by(Institution.id).limit(1)
            )
        form = load_institution_form(ctx, first)
        draft = dataclasses.replace(form.draft, **changes)
        update_institution(ctx, first, draft, expected_version=form.version, today=date(2026, 11, 23))
        return str(first)
    finally:
        ctx.close()


def test_a_county_and_its_city_sync_by_the_command_line(tmp_path):
    county, city = _nodes(tmp_path)
    bundle = tmp_path / "甘州区-1.tuoyu-sync"
    exported = tuoyu("sync", "export", "--to", "张掖市卫生健康委员会", "--out", str(bundle), "--json", data_dir=county)
    assert exported.returncode == 0, exported.stderr
    summary = one_json(exported)
    assert summary["full"] and summary["sequence"] == 1 and summary["records"]["institutions"] > 50

    dry = tuoyu("sync", "import", str(bundle), "--dry-run", "--json", data_dir=city)
    assert dry.returncode == 0, dry.stderr
    planned = one_json(dry)
    assert set(planned) >= IMPORT_KEYS and planned["dry_run"] and planned["receipt_file"] is None
    shown = tuoyu("sync", "import", str(bundle), "--dry-run", data_dir=city).stdout
    assert "新增" in shown and "冲突" in shown and label_of("institutions") in shown  # a line per kind of record

    imported = tuoyu("sync", "import", str(bundle), "--json", data_dir=city)
    assert imported.returncode == 0, imported.stderr
    report = one_json(imported)
    assert {k: report[k] for k in IMPORT_KEYS} == {k: planned[k] for k in IMPORT_KEYS}
    assert report["refused"] is False and report["reason"] is None and report["created"] > 500
    receipt = Path(report["receipt_file"])
    assert receipt == tmp_path / "甘州区-1.回执.tuoyu-sync" and receipt.exists()

    again = one_json(tuoyu("sync", "import", str(bundle), "--json", data_dir=city))
    assert (again["created"], again["updated"], again["conflicts"], again["already_imported"]) == (0, 0, 0, True)

    outstanding = one_json(tuoyu("sync", "status", "--json", data_dir=county))
    [peer] = outstanding["peers"]
    assert [b["sequence"] for b in peer["outstanding"]] == [1]
    acknowledged = tuoyu("sync", "import", str(receipt), "--json", data_dir=county)
    assert acknowledged.returncode == 0, acknowledged.stderr
    assert one_json(acknowledged)["kind"] == "receipt"
    [peer] = one_json(tuoyu("sync", "status", "--json", data_dir=county))["peers"]
    assert peer["outstanding"] == [] and peer["acknowledged"] == 1 and peer["changed_since_acknowledged"] == 0
    assert "已确认" in tuoyu("sync", "status", data_dir=county).stdout

    # The same institution edited on both sides: the city keeps both versions and a clerk decides.
    institution_id = _edit_institution(city, contact_phone="13900001111")
    _edit_institution(county, contact_phone="13800002222")
    second = tmp_path / "甘州区-2.tuoyu-sync"
    assert one_json(
        tuoyu("sync", "export", "--to", "张掖市卫生健康委员会", "--out", str(second), "--json", data_dir=county)
    )["records"] == {"institutions": 1}
    conflicted = one_json(tuoyu("sync", "import", str(second), "--json", data_dir=city))
    assert conflicted["conflicts"] == 1
    listed = one_json(tuoyu("sync", "conflicts", "--json", data_dir=city))
    [conflict] = listed["conflicts"]
    assert conflict["entity_id"] == institution_id
    assert [d["label"] for d in conflict["differences"]] == ["联系电话"]
    shown = tuoyu("sync", "conflicts", data_dir=city).stdout
    assert "13900001111" in shown and "13800002222" in shown and "联系电话" in shown
    resolved = tuoyu("sync", "resolve", conflict["id"], "--keep", "mine", "--json", data_dir=city)
    assert resolved.returncode == 0, resolved.stderr
    assert one_json(resolved)["choice"] == "mine"
    assert one_json(tuoyu("sync", "conflicts", "--json", data_dir=city))["conflicts"] == []


def test_a_damaged_bundle_is_refused_with_its_reason_and_exit_status_1(tmp_path):
    county, city = _nodes(tmp_path)
    bundle = tmp_path / "甘州区-1.tuoyu-sync"
    assert (
        tuoyu("sync", "export", "--to", "张掖市卫生健康委员会", "--out", str(bundle), data_dir=county).returncode == 0
    )
    data = bytearray(bundle.read_bytes())
    data[len(data) // 2] ^= 0x01
    bundle.write_bytes(bytes(data))
    refused = tuoyu("sync", "import", str(bundle), "--json", data_dir=city)
    assert refused.returncode == 1
    report = one_json(refused)
    assert report["refused"] is True and report["reason"] in {"member_wrong_hash", "not_a_bundle", "bad_signature"}
    assert "没有导入任何内容" in refused.stderr
    assert json.loads(refused.stdout)["created"] == 0
