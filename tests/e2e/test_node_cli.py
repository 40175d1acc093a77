"""``tuoyu node`` as a clerk at a county, an inspector on a laptop and the city would run it: keys made, public-key
files exchanged, fingerprints compared, enrolments listed and removed."""

from __future__ import annotations

import json
import os
import stat

from tests.e2e.test_cli import one_json, tuoyu


def _init(folder, role: str, name: str, *more: str):
    return tuoyu("node", "init", "--role", role, "--name", name, *more, data_dir=folder)


def test_a_county_its_laptop_and_its_city_enrol_each_other(tmp_path):
    folders = {name: tmp_path / name for name in ("county", "laptop", "city")}
    county, laptop, city = folders.values()
    made = {
        "county": _init(county, "county", "甘州区卫生健康局", "--county-code", "620702", "--json"),
        "laptop": _init(laptop, "laptop", "张三的检查笔记本", "--county-code", "620702", "--json"),
        "city": _init(city, "city", "张掖市卫生健康委员会", "--json"),
    }
    for name, result in made.items():
        assert result.returncode == 0, (name, result.stderr)
    nodes = {name: one_json(result) for name, result in made.items()}
    assert nodes["city"]["division_code"] == "620700" and nodes["laptop"]["role_name"] == "检查笔记本"
    key_file = county / "keys" / "node-private-key.json"
    if os.name == "posix":
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

    files = {}
    for name, folder in folders.items():
        files[name] = tmp_path / f"{name}.tuoyu-pubkey"
        exported = tuoyu("node", "export-key", "--out", str(files[name]), "--json", data_dir=folder)
        assert exported.returncode == 0, exported.stderr
        assert one_json(exported)["fingerprint"] == nodes[name]["fingerprint"]

    shown = tuoyu("node", "show", data_dir=laptop)
    assert shown.returncode == 0 and nodes["laptop"]["fingerprint"][:4] in shown.stdout
    assert "公钥指纹（SHA-256）" in shown.stdout and "张三的检查笔记本" in shown.stdout

    # The clerk types the fingerprint the inspector's screen shows; it matches, so the laptop is enrolled.
    enrolled = tuoyu(
        "node",
        "enrol",
        str(files["laptop"]),
        "--fingerprint",
        nodes["laptop"]["fingerprint_grouped"],
        "--json",
        data_dir=county,
    )
    assert enrolled.returncode == 0, enrolled.stderr
    report = one_json(enrolled)
    assert report["created"] and report["node"]["node_id"] == nodes["laptop"]["node_id"]
    again = one_json(tuoyu("node", "enrol", str(files["laptop"]), "--json", data_dir=county))
    assert again["ok"] and again["created"] is False
    for own, peer in (("county", "city"), ("city", "county"), ("laptop", "county")):
        result = tuoyu("node", "enrol", str(files[peer]), "--json", data_dir=folders[own])
        assert result.returncode == 0 and one_json(result)["created"], (own, peer, result.stderr)

    listed = tuoyu("node", "list", "--json", data_dir=county)
    assert [(n["role"], n["name"]) for n in one_json(listed)["nodes"]] == [
        ("city", "张掖市卫生健康委员会"),
        ("laptop", "张三的检查笔记本"),
    ]
    table = tuoyu("node", "list", data_dir=county)
    assert table.returncode == 0 and "张掖市卫生健康委员会" in table.stdout and "共 2 个节点" in table.stdout

    refused = tuoyu("node", "enrol", str(files["laptop"]), "--json", data_dir=city)
    assert refused.returncode == 1
    assert one_json(refused) == {"ok": False, "error": refused.stderr.strip()}
    assert "检查笔记本由所属县区登记" in refused.stderr

    removed = tuoyu("node", "remove", nodes["laptop"]["node_id"], "--json", data_dir=county)
    assert removed.returncode == 0 and one_json(removed)["removed"]["name"] == "张三的检查笔记本"
    assert [n["role"] for n in one_json(tuoyu("node", "list", "--json", data_dir=county))["nodes"]] == ["city"]


def test_new_keys_for_an_enrolled_node_are_refused_until_it_is_removed(tmp_path):
    county, laptop = tmp_path / "county", tmp_path / "laptop"
    for folder, role in ((county, "county"), (laptop, "laptop")):
        made = _init(folder, role, role, "--county-code", "620702")
        assert made.returncode == 0, made.stderr
    key_file = tmp_path / "laptop.tuoyu-pubkey"
    assert tuoyu("node", "export-key", "--out", str(key_file), data_dir=laptop).returncode == 0
    assert tuoyu("node", "enrol", str(key_file), data_dir=county).returncode == 0

    again = _init(laptop, "laptop", "laptop", "--county-code", "620702")
    assert again.returncode == 1 and "--replace-keys" in again.stderr
    replaced = _init(laptop, "laptop", "laptop", "--county-code", "620702", "--replace-keys", "--json")
    assert replaced.returncode == 0, replaced.stderr
    assert tuoyu("node", "export-key", "--out", str(key_file), data_dir=laptop).returncode == 0

    changed = tuoyu("node", "enrol", str(key_file), "--json", data_dir=county)
    assert changed.returncode == 1 and "密钥或身份与登记时不同" in one_json(changed)["error"]
    node_id = one_json(replaced)["node_id"]
    assert tuoyu("node", "remove", node_id, data_dir=county).returncode == 0
    assert one_json(tuoyu("node", "enrol", str(key_file), "--json", data_dir=county))["created"] is True


def test_usage_mistakes_exit_2_and_a_damaged_key_file_exits_1_saying_what_to_do(tmp_path):
    data = tmp_path / "data"
    assert _init(data, "county", "甘州区").returncode == 2
    assert _init(data, "city", "张掖市", "--county-code", "620702").returncode == 2
    assert tuoyu("node", "remove", "不是编号", data_dir=data).returncode == 2
    not_yet = tuoyu("node", "show", "--json", data_dir=data)
    assert not_yet.returncode == 1 and "本机尚未初始化为同步节点" in one_json(not_yet)["error"]

    made = _init(data, "county", "甘州区", "--county-code", "620702")
    assert made.returncode == 0, made.stderr
    key_file = data / "keys" / "node-private-key.json"
    document = json.loads(key_file.read_text())
    key_file.write_text(json.dumps({**document, "signing_private_key": "AAAA"}))
    damaged = tuoyu("node", "export-key", "--out", str(tmp_path / "k.tuoyu-pubkey"), "--json", data_dir=data)
    assert damaged.returncode == 1 and not (tmp_path / "k.tuoyu-pubkey").exists()
    assert "本机私钥文件已损坏" in damaged.stderr and "--replace-keys" in damaged.stderr
