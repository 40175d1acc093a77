"""``tuoyu subsidy quote`` as an auditor runs it: a file of cases in, the documented JSON out, no database."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.e2e.test_cli import TUOYU, one_json, tuoyu

CASES = {
    "cases": [
        {"kind": "construction", "county_code": "620702", "slots": 60, "filed": True, "meets_standard": True,
         "previously_granted": False, "date": "2026-05-01"},
        {"kind": "operating", "county_code": "620725", "slots": 80, "filed": True, "puhui": True,
         "sponsor_type": "social", "year": 2026},
        {"kind": "operating", "county_code": "620702", "slots": 80, "filed": True, "puhui": True,
         "sponsor_type": "public", "year": 2026},
        {"kind": "enrollment", "county_code": "620702", "birth_date": "2024-02-29", "month": "2027-02",
         "institution_filed": True, "institution_puhui": False},
        {"kind": "construction", "county_code": "620702", "slots": "sixty", "filed": True},
    ]
}  # fmt: skip


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_quote_prints_one_result_per_case_in_order_and_touches_no_database(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    run = tuoyu("subsidy", "quote", str(write(tmp_path / "cases.json", CASES)), "--json", data_dir=data_dir)
    assert run.returncode == 0, run.stderr
    payload = one_json(run)
    assert payload["ok"] is True
    results = payload["results"]
    assert [r.get("amount_fen") for r in results] == [3_000_000, 8_000_000, 0, 20_000, None]
    construction, operating, public, child, bad = results
    assert construction["eligible"] and construction["amount_words"] == "人民币叁万元整"
    assert construction["shares_fen"] == {"city": 600_000, "county": 2_400_000}
    assert construction["reasons"][0] == "托位 60 个，适用 50–99 档，补助 30,000.00 元。"
    assert operating["shares_fen"] == {"city": 0, "county": 8_000_000}
    assert not public["eligible"] and public["shares_fen"] == {"city": 0, "county": 0}
    assert child["eligible"] and child["shares_fen"] == {"city": 4_000, "county": 16_000}
    assert "“slots”" in bad["error"] and "缺少“meets_standard”" in bad["error"]
    assert {r["policy"]["name"] for r in results[:4]} == {"zhangye-2026"}
    assert not data_dir.exists()  # no database was created or opened


def test_quote_prints_readable_text_and_reads_standard_input(tmp_path: Path) -> None:
    run = tuoyu("subsidy", "quote", str(write(tmp_path / "cases.json", CASES)))
    assert run.returncode == 0, run.stderr
    assert "第1件 建设补贴：符合条件，¥30,000.00（人民币叁万元整）" in run.stdout
    assert "第5件 建设补贴：无法计算" in run.stdout
    piped = subprocess.run(
        [str(TUOYU), "subsidy", "quote", "-", "--json"], input=json.dumps(CASES), capture_output=True, text=True
    )
    assert piped.returncode == 0, piped.stderr
    assert (
        one_json(piped)["results"]
        == one_json(tuoyu("subsidy", "quote", str(tmp_path / "cases.json"), "--json"))["results"]
    )


def test_a_policy_file_can_be_named_and_a_broken_one_is_refused(tmp_path: Path) -> None:
    original = Path(__file__).parents[2] / "resources" / "policies" / "zhangye-2026.toml"
    draft = tmp_path / "draft.toml"
    draft.write_text(original.read_text(encoding="utf-8").replace("amount_yuan = 30_000", "amount_yuan = 35_000"))
    cases = write(tmp_path / "cases.json", {"cases": CASES["cases"][:1]})
    run = tuoyu("subsidy", "quote", str(cases), "--policy", str(draft), "--json")
    assert run.returncode == 0, run.stderr
    assert one_json(run)["results"][0]["amount_fen"] == 3_500_000

    draft.write_text(original.read_text(encoding="utf-8").replace("county_percent = 80", "county_percent = 70"))
    broken = tuoyu("subsidy", "quote", str(cases), "--policy", str(draft), "--json")
    assert broken.returncode == 1
    assert "分担比例之和应为 100%" in broken.stderr
    assert one_json(broken) == {"ok": False, "error": broken.stderr.strip()}


def test_a_file_that_is_not_a_list_of_cases_exits_1(tmp_path: Path) -> None:
    not_json = tmp_path / "cases.json"
    not_json.write_text("{cases: [", encoding="utf-8")
    run = tuoyu("subsidy", "quote", str(not_json))
    assert run.returncode == 1 and "不是有效的 JSON" in run.stderr
    wrong = tuoyu("subsidy", "quote", str(write(tmp_path / "list.json", [])))
    assert wrong.returncode == 1 and '"cases"' in wrong.stderr
    missing = tuoyu("subsidy", "quote", str(tmp_path / "nothing.json"))
    assert missing.returncode == 1 and "找不到文件" in missing.stderr
    unknown = tuoyu("subsidy", "quote", str(write(tmp_path / "ok.json", CASES)), "--policy", "xiamen-2030")
    assert unknown.returncode == 1 and "没有名为“xiamen-2030”的补贴政策" in unknown.stderr
