"""The auditor's calculator: cases read strictly, one result per case in order, the policy in force
chosen by each case's date, and a bad case answered with an error while the others are computed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from desktop.domain.subsidy_policy import check_policy_set, parse_policy
from desktop.domain.subsidy_quote import QuoteInputError, describe, quote_cases, read_cases
from desktop.paths import resources_dir

ZHANGYE = parse_policy((resources_dir() / "policies" / "zhangye-2026.toml").read_text(encoding="utf-8"))
POLICIES = check_policy_set([ZHANGYE])
TODAY = date(2026, 11, 23)

CONSTRUCTION = {"kind": "construction", "county_code": "620702", "slots": 60, "filed": True,
                "meets_standard": True, "previously_granted": False}  # fmt: skip
OPERATING = {"kind": "operating", "county_code": "620725", "slots": 80, "filed": True, "puhui": True,
             "sponsor_type": "social", "year": 2026}  # fmt: skip
ENROLLMENT = {"kind": "enrollment", "county_code": "620702", "birth_date": "2025-01-15", "month": "2026-03",
              "institution_filed": True, "institution_puhui": False}  # fmt: skip


def quote(*cases: object, **options: object) -> list[dict]:
    return quote_cases(list(cases), POLICIES, today=TODAY, **options)  # type: ignore[arg-type]


def test_each_kind_is_computed_in_order() -> None:
    results = quote(CONSTRUCTION, OPERATING, ENROLLMENT)
    assert [r["amount_fen"] for r in results] == [3_000_000, 8_000_000, 20_000]
    assert [r["kind"] for r in results] == ["construction", "operating", "enrollment"]
    assert results[0]["shares_fen"] == {"city": 600_000, "county": 2_400_000}
    assert results[0]["amount_words"] == "人民币叁万元整"
    assert results[0]["policy"] == {"name": "zhangye-2026", "version": 1, "sha256": ZHANGYE.sha256}
    assert results[2]["date"] == "2026-03-01" and results[1]["date"] == "2026-01-01"
    assert results[0]["date"] == TODAY.isoformat()
    assert all(r["eligible"] and r["reasons"] and r["warnings"] == [] for r in results)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ({**CONSTRUCTION, "slots": None}, "缺少“slots”（备案托位数，不小于 0 的整数）"),
        ({k: v for k, v in CONSTRUCTION.items() if k != "filed"}, "缺少“filed”"),
        ({**CONSTRUCTION, "slots": "60"}, '“slots”（备案托位数）应为不小于 0 的整数，现在是 "60"'),
        ({**CONSTRUCTION, "slots": -3}, "现在是 -3"),
        ({**CONSTRUCTION, "filed": "yes"}, '“filed”（是否已登记备案）应为true 或 false，现在是 "yes"'),
        ({**CONSTRUCTION, "filed": 1}, "现在是 1"),
        ({**CONSTRUCTION, "meet_standard": True}, "有未知的事实“meet_standard”（是不是“meets_standard”）"),
        ({**CONSTRUCTION, "date": "2026/03/01"}, "“date”（计算日期）应为日期字符串 YYYY-MM-DD"),
        ({**CONSTRUCTION, "county_code": 620702}, "“county_code”（县区代码）应为6 位数字的行政区划代码"),
        ({**OPERATING, "sponsor_type": "private"}, "“sponsor_type”（举办主体）应为public、social"),
        ({**OPERATING, "months_operating": 13}, "“months_operating”（当年运营月数）应为1 到 12 之间的整数"),
        ({**OPERATING, "year": "2026"}, "“year”（年度）应为四位数年份"),
        ({**ENROLLMENT, "month": "2026-13"}, "“month”（补贴月份）应为月份字符串 YYYY-MM"),
        ({**ENROLLMENT, "birth_date": "2025-02-30"}, "“birth_date”（幼儿出生日期）应为日期字符串"),
        ({**ENROLLMENT, "birth_date": "2026-04-02"}, "晚于补贴月份"),
        ({**ENROLLMENT, "county_code": "610102"}, "没有在 2026-03-01 生效的610100补贴政策"),
        ({**CONSTRUCTION, "county_code": "620799"}, "县区代码 620799 不在政策“zhangye-2026”的分担比例表中"),
        ({**OPERATING, "year": 2025}, "没有在 2025-01-01 生效的张掖市（620700）补贴政策"),
        ({**CONSTRUCTION, "kind": "housing"}, "补贴种类不认识（kind 为 'housing'）"),
        ({"county_code": "620702"}, "补贴种类不认识（缺少 kind）"),
        ([1, 2], "每个案件应为一个 JSON 对象"),
    ],
)
def test_a_bad_case_gets_an_error_and_the_others_are_still_computed(case: object, message: str) -> None:
    before, bad, after = quote(CONSTRUCTION, case, ENROLLMENT)
    assert message in bad["error"], bad["error"]
    assert "amount_fen" not in bad
    assert before["amount_fen"] == 3_000_000 and after["amount_fen"] == 20_000


def test_every_problem_of_a_case_is_listed() -> None:
    [result] = quote({"kind": "construction", "county_code": "620702", "slots": "x", "filled": True})
    assert result["error"].count("；") == 4  # slots, filled, filed, meets_standard, previously_granted


def test_refs_and_optional_facts_are_used() -> None:
    case = {**OPERATING, "ref": "山丹-001", "months_operating": 6, "overdue_major_rectification": True}
    [result] = quote(case)
    assert result["ref"] == "山丹-001" and result["amount_fen"] == 4_000_000
    assert "逾期未完成的重大问题整改" in result["warnings"][0]
    [bad] = quote({**case, "slots": None})
    assert bad["ref"] == "山丹-001" and bad["kind"] == "operating"


def test_a_chosen_policy_is_used_for_every_case_and_warns_outside_its_period() -> None:
    doubled = replace(ZHANGYE, name="draft", construction=replace(ZHANGYE.construction, tiers=tuple(
        replace(tier, amount_fen=tier.amount_fen * 2) for tier in ZHANGYE.construction.tiers  # type: ignore[union-attr]
    )))  # fmt: skip
    [now, early] = quote(CONSTRUCTION, {**CONSTRUCTION, "date": "2025-06-01"}, chosen=doubled)
    assert now["amount_fen"] == early["amount_fen"] == 6_000_000
    assert now["policy"]["name"] == "draft" and now["warnings"] == []
    assert "不含本案日期 2025-06-01" in early["warnings"][0]


def test_the_file_must_be_a_list_of_cases() -> None:
    assert read_cases({"cases": []}) == []
    for data in ([], {"case": []}, {"cases": {}}, {"cases": [], "policy": "x"}):
        with pytest.raises(QuoteInputError):
            read_cases(data)


def test_the_text_output_names_the_verdict_amount_shares_and_policy() -> None:
    result, error = quote(CONSTRUCTION, {**CONSTRUCTION, "slots": None})
    text = describe(1, result)
    assert text.startswith(
        "第1件 建设补贴：符合条件，¥30,000.00（人民币叁万元整），市级 6,000.00 元，县区 24,000.00 元"
    )
    assert "zhangye-2026 第1版" in text
    assert describe(2, error).startswith("第2件 建设补贴：无法计算：缺少“slots”")
