"""``tuoyu subsidy prepare`` and ``tuoyu subsidy roster`` as a clerk runs them on the county demo."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from tests.e2e.test_cli import one_json, tuoyu


def test_a_month_is_prepared_once_and_its_roster_exported(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert tuoyu("demo", "--today", "2026-11-23", data_dir=data_dir).returncode == 0
    first = tuoyu("subsidy", "prepare", "--month", "2026-11", "--county", "620702", "--today", "2026-11-23",
                  "--json", data_dir=data_dir)  # fmt: skip
    assert first.returncode == 0, first.stderr
    prepared = one_json(first)
    assert prepared["ok"] and prepared["counties"] == ["620702"]
    assert prepared["applications_created"] > 10 and prepared["claims_added"] > 100
    assert prepared["conflicts"] >= 1  # the demo puts a child on two rosters on purpose
    assert all("********" in issue["id_number_masked"] for issue in prepared["issues"] if issue["kind"] == "conflict")
    again = tuoyu("subsidy", "prepare", "--month", "2026-11", "--county", "620702", data_dir=data_dir)
    assert again.returncode == 0 and "新建申请 0 份" in again.stdout and "新增幼儿 0 人" in again.stdout

    out = tmp_path / "入托补贴-2026-11.xlsx"
    run = tuoyu("subsidy", "roster", "--month", "2026-11", "--scheme", "enrollment", "--out", str(out), "--json",
                data_dir=data_dir)  # fmt: skip
    assert run.returncode == 0, run.stderr
    roster = one_json(run)
    assert roster["applications"] == 0 and roster["total_fen"] == 0  # drafts are not on a payment roster
    assert roster["title"] == "入托补贴发放花名册　2026年11月"
    assert load_workbook(out).sheetnames == ["发放花名册", "幼儿明细"]


def test_bad_months_and_schemes_are_refused(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    run = tuoyu("subsidy", "prepare", "--month", "2026-13", "--json", data_dir=data_dir)
    assert run.returncode == 1 and "格式不对" in one_json(run)["error"]
    usage = tuoyu("subsidy", "roster", "--month", "2026-11", "--scheme", "bonus", "--out", "x.xlsx", data_dir=data_dir)
    assert usage.returncode == 2


def test_double_claims_across_counties_are_looked_for(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert tuoyu("demo", "--today", "2026-11-23", data_dir=data_dir).returncode == 0
    run = tuoyu("subsidy", "double-claims", "--month", "2026-11", "--json", data_dir=data_dir)
    assert run.returncode == 0, run.stderr
    assert one_json(run)["cases"] == []  # the demo approves nothing, so nothing is paid twice
    text = tuoyu("subsidy", "double-claims", data_dir=data_dir)
    assert text.returncode == 0 and "没有发现跨县区重复申领" in text.stdout
    bad = tuoyu("subsidy", "double-claims", "--month", "2026-13", "--json", data_dir=data_dir)
    assert bad.returncode == 1 and "格式不对" in one_json(bad)["error"]
