"""The ``tuoyu`` command run as a user would: a subprocess against a temporary data folder."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.db.migrate import HEAD_REVISION

TUOYU = Path(sys.executable).with_name("tuoyu")


def tuoyu(*args: str, data_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = [str(TUOYU)]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(command + list(args), capture_output=True, text=True, env=env, timeout=120)


def one_json(result: subprocess.CompletedProcess[str]) -> dict:
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, result.stdout
    return json.loads(lines[0])


def test_the_console_script_and_python_dash_m_are_the_same_program():
    assert TUOYU.exists()
    via_module = subprocess.run([sys.executable, "-m", "desktop", "--help"], capture_output=True, text=True)
    assert via_module.returncode == 0 and "db" in via_module.stdout


def test_init_demo_check_backup_restore_round_trip(tmp_path):
    data = tmp_path / "data"
    init = tuoyu("init", "--json", data_dir=data)
    assert init.returncode == 0, init.stderr
    assert one_json(init)["revision"] == HEAD_REVISION

    demo = tuoyu("demo", "--seed", "5", "--today", "2026-11-23", "--json", data_dir=data)
    assert demo.returncode == 0, demo.stderr
    assert one_json(demo)["institutions"] == 160

    check = tuoyu("db", "check", "--json", data_dir=data)
    report = one_json(check)
    assert check.returncode == 0 and report["healthy"] and report["row_counts"]["institutions"] == 160

    backup_file = tmp_path / "copy.db"
    backup = tuoyu("db", "backup", "--out", str(backup_file), "--json", data_dir=data)
    assert backup.returncode == 0 and one_json(backup)["backup"] == str(backup_file)

    restore = tuoyu("db", "restore", str(backup_file), "--json", data_dir=data)
    assert restore.returncode == 0, restore.stderr
    restored = one_json(restore)
    assert restored["row_counts"]["institutions"] == 160
    assert Path(restored["safety_backup"]).exists()


def test_a_second_demo_is_refused_with_a_chinese_message_and_status_1(tmp_path):
    data = tmp_path / "data"
    assert tuoyu("demo", data_dir=data).returncode == 0
    again = tuoyu("demo", "--json", data_dir=data)
    assert again.returncode == 1
    assert "已有机构数据" in again.stderr
    assert one_json(again) == {"ok": False, "error": again.stderr.strip()}


def test_the_same_seed_builds_the_same_register(tmp_path):
    dumps = []
    for run in ("a", "b"):
        data = tmp_path / run
        assert tuoyu("demo", "--seed", "9", "--today", "2026-11-23", data_dir=data).returncode == 0
        with sqlite3.connect(data / "tuoyu.db") as connection:
            dumps.append(
                connection.execute("SELECT id, name, credit_code, slots FROM institutions ORDER BY id").fetchall()
            )
    assert dumps[0] == dumps[1]


@pytest.mark.parametrize(
    ("args", "status"),
    [(["frobnicate"], 2), (["demo", "--scale", "planet"], 2), (["db"], 2), (["demo", "--today", "yesterday"], 2)],
)
def test_usage_errors_exit_with_status_2(tmp_path, args, status):
    assert tuoyu(*args, data_dir=tmp_path / "data").returncode == status


def test_a_bad_database_url_exits_1_with_a_chinese_message():
    result = tuoyu("--db", "postgresql+psycopg://nobody:pw@127.0.0.1:1/none", "db", "check")
    assert result.returncode == 1
    assert "无法连接数据库" in result.stderr and "pw@" not in result.stderr


def test_a_corrupt_database_exits_1_and_is_not_overwritten(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    damaged = data / "tuoyu.db"
    damaged.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 32)
    before = hashlib.sha256(damaged.read_bytes()).hexdigest()
    for command in (["init"], ["db", "check"], ["db", "upgrade"], ["demo"]):
        result = tuoyu(*command, data_dir=data)
        assert result.returncode == 1, command
        assert "损坏" in result.stderr
    assert hashlib.sha256(damaged.read_bytes()).hexdigest() == before


def test_an_unusable_data_folder_exits_1(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = tuoyu("init", data_dir=blocker / "data")
    assert result.returncode == 1 and "数据目录" in result.stderr


def test_commands_on_a_missing_database_say_to_run_init(tmp_path):
    result = tuoyu("db", "check", data_dir=tmp_path / "empty")
    assert result.returncode == 1 and "tuoyu init" in result.stderr
    assert not (tmp_path / "empty").exists()  # a check creates nothing


def test_export_then_import_round_trip_and_json_report(tmp_path):
    data = tmp_path / "data"
    assert tuoyu("demo", "--today", "2026-11-23", data_dir=data).returncode == 0
    exported = tmp_path / "名单.xlsx"
    result = tuoyu("institutions", "export", str(exported), "--json", data_dir=data)
    assert result.returncode == 0 and one_json(result)["rows"] == 160
    fresh = tmp_path / "fresh"
    assert tuoyu("init", data_dir=fresh).returncode == 0
    dry = tuoyu("institutions", "import", str(exported), "--dry-run", "--json", "--today", "2026-11-23", data_dir=fresh)
    report = one_json(dry)
    assert dry.returncode == 0, dry.stderr
    assert (report["created"], report["committed"], report["errors"]) == (160, False, [])
    real = tuoyu("institutions", "import", str(exported), "--json", "--today", "2026-11-23", data_dir=fresh)
    assert one_json(real)["committed"] is True
    again = tuoyu("institutions", "import", str(exported), "--json", "--today", "2026-11-23", data_dir=fresh)
    assert (one_json(again)["unchanged"], one_json(again)["created"]) == (160, 0)


def test_an_import_with_errors_exits_1_and_writes_the_reasons_copy(tmp_path):
    from openpyxl import Workbook

    data = tmp_path / "data"
    assert tuoyu("init", data_dir=data).returncode == 0
    workbook = Workbook()
    workbook.active.append(["机构名称", "举办主体", "所属县区", "托位数"])
    workbook.active.append(["甘州区阳光托育中心", "社会力量举办", "甘州区", "六十"])
    source = tmp_path / "名单.xlsx"
    workbook.save(source)
    copy = tmp_path / "名单-错误标注.xlsx"
    result = tuoyu("institutions", "import", str(source), "--json", "--errors-to", str(copy), data_dir=data)
    assert result.returncode == 1
    report = one_json(result)
    assert report["committed"] is False and report["errors"][0]["row"] == 2
    assert report["errors"][0]["column"] == "托位数"
    assert copy.exists()
    assert "第 2 行「托位数」" in result.stderr


def test_a_file_that_is_not_excel_exits_1_with_a_chinese_message(tmp_path):
    data = tmp_path / "data"
    assert tuoyu("init", data_dir=data).returncode == 0
    fake = tmp_path / "名单.xlsx"
    fake.write_text("这不是表格")
    result = tuoyu("institutions", "import", str(fake), data_dir=data)
    assert result.returncode == 1 and result.stderr.strip()


def test_the_draw_prints_the_documented_json_and_is_reproducible(tmp_path):
    data = tmp_path / "data"
    assert tuoyu("demo", "--today", "2026-11-23", data_dir=data).returncode == 0
    args = ("inspections", "draw", "--period", "2026Q4", "--rate", "0.2", "--seed", "42", "--json")
    first = one_json(tuoyu(*args, data_dir=data))
    assert first["period"] == "2026Q4" and first["seed"] == 42
    assert first["draws"] and all(len(d["inspectors"]) == 2 and d["institution_id"] for d in first["draws"])
    again = one_json(tuoyu(*args, data_dir=data))
    assert [(d["institution_id"], d["inspectors"]) for d in again["draws"]] == [
        (d["institution_id"], d["inspectors"]) for d in first["draws"]
    ]
    other_copy = tmp_path / "copy"
    assert tuoyu("demo", "--today", "2026-11-23", data_dir=other_copy).returncode == 0
    elsewhere = one_json(tuoyu(*args, data_dir=other_copy))  # same seed, same data, another machine
    assert [d["institution_id"] for d in elsewhere["draws"]] == [d["institution_id"] for d in first["draws"]]


def test_a_field_package_goes_out_and_its_results_come_back_from_the_command_line(tmp_path):
    county, laptop = tmp_path / "county", tmp_path / "laptop"
    assert tuoyu("demo", "--seed", "5", "--today", "2026-11-23", data_dir=county).returncode == 0
    package, results = tmp_path / "p.tuoyu-field", tmp_path / "r.tuoyu-results"
    export = tuoyu(
        "field", "export", "--inspector", "insp620702-01", "--scope", "county", "--today", "2026-11-23",
        "--out", str(package), "--json", data_dir=county,
    )  # fmt: skip
    assert export.returncode == 0, export.stderr
    exported = one_json(export)
    assert exported["county_name"] == "甘州区" and exported["serial_to"] - exported["serial_from"] == 19

    loaded = tuoyu("field", "load", str(package), "--json", data_dir=laptop)
    assert loaded.returncode == 0 and one_json(loaded)["institutions"] == exported["institutions"]
    refused = tuoyu("field", "load", str(package), data_dir=county)
    assert refused.returncode == 1 and "县区数据库" in refused.stderr

    back = tuoyu("field", "results", "--out", str(results), "--json", data_dir=laptop)
    assert back.returncode == 0 and one_json(back)["inspections"] == 0
    imported = tuoyu("field", "import", str(results), "--json", data_dir=county)
    assert imported.returncode == 0 and one_json(imported)["already_imported"] is False
    again = tuoyu("field", "import", str(results), data_dir=county)
    assert again.returncode == 0 and "此前已经导入过" in again.stdout


def test_children_template_then_import_a_roster_by_credit_code(tmp_path):
    from datetime import date

    from openpyxl import load_workbook

    from desktop.domain.identifiers import make_id_number

    data = tmp_path / "data"
    assert tuoyu("demo", "--today", "2026-11-23", data_dir=data).returncode == 0
    with sqlite3.connect(data / "tuoyu.db") as connection:
        code = connection.execute("SELECT credit_code FROM institutions LIMIT 1").fetchone()[0]
    template = tmp_path / "幼儿模板.xlsx"
    assert tuoyu("children", "template", str(template), data_dir=data).returncode == 0
    workbook = load_workbook(template)
    sheet = workbook.active
    sheet.delete_rows(2)  # the sample row
    girl = make_id_number("620702", date(2025, 3, 14), 124)
    wrong = make_id_number("620702", date(2025, 3, 14), 11)[:17] + "0"
    sheet.append(["王小雨", girl, None, "王芳", "13912345678", "2026-03-01"])
    sheet.append(["李乐", wrong, None, "李强", "13912345679", "2026-03-01"])
    source = tmp_path / "幼儿名单.xlsx"
    workbook.save(source)
    args = ("children", "import", str(source), "--institution", code, "--today", "2026-11-23", "--json")
    refused = tuoyu(*args, data_dir=data)
    assert refused.returncode == 1 and "第 3 行「身份证号*」" in refused.stderr  # the header as the file has it
    report = one_json(refused)
    assert (report["ok"], report["committed"], report["errors"][0]["column"]) == (False, False, "身份证号*")
    assert wrong not in refused.stderr + refused.stdout and girl not in refused.stderr + refused.stdout
    sheet.delete_rows(3)
    workbook.save(source)
    done = tuoyu(*args, data_dir=data)
    assert done.returncode == 0, done.stderr
    assert (one_json(done)["created"], one_json(done)["committed"]) == (1, True)
    again = one_json(tuoyu(*args, data_dir=data))
    assert (again["created"], again["unchanged"]) == (0, 1)
