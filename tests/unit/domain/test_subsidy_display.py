"""Facts and parameters as a reviewer reads them, from what a computation stores."""

from __future__ import annotations

import json
from datetime import date

from desktop.domain.enums import SponsorType
from desktop.domain.subsidy_display import fact_lines, parameter_lines
from desktop.domain.subsidy_policy import parse_policy
from desktop.domain.subsidy_rules import ConstructionFacts, EnrollmentFacts, OperatingFacts, compute
from desktop.paths import resources_dir

ZHANGYE = parse_policy((resources_dir() / "policies" / "zhangye-2026.toml").read_text(encoding="utf-8"))


def stored(result) -> dict:
    return json.loads(json.dumps(result.parameters))  # as the application row keeps them


def test_construction_parameters_name_every_tier_and_the_split():
    result = compute(ConstructionFacts("620702", 60, True, True, False), ZHANGYE)
    lines = dict(parameter_lines(stored(result)))
    assert lines["建设补贴档次"] == (
        "100 个及以上 50,000.00 元；50–99 30,000.00 元；20–49 20,000.00 元；19 个及以下 10,000.00 元"
    )
    assert lines["托位数口径"] == "按备案托位数"
    assert lines["重大问题整改逾期的处理"] == "提示，但不影响补助"
    assert (lines["市级承担比例"], lines["县区承担比例"]) == ("20%", "80%")


def test_operating_and_enrollment_parameters():
    operating = dict(
        parameter_lines(stored(compute(OperatingFacts("620725", 80, True, True, SponsorType.SOCIAL, 2026), ZHANGYE)))
    )
    assert operating["每托位每年补助"] == "1,000.00 元"
    assert operating["可享受的举办主体"].startswith("社会力量举办、幼儿园托班")
    assert operating["不足一年的处理"] == "按实际月数（年）或天数（月）折算"
    facts = EnrollmentFacts("620702", date(2024, 6, 15), date(2026, 11, 1), True, False)
    enrollment = dict(parameter_lines(stored(compute(facts, ZHANGYE))))
    assert (enrollment["每生每月补助"], enrollment["月龄上限"], enrollment["须为普惠"]) == (
        "200.00 元",
        "36 个月",
        "否",
    )
    assert enrollment["月龄计算日"] == "按当月1日的月龄"


def test_facts_in_a_reviewers_words():
    facts = {"kind": "operating", "county_code": "620702", "slots": 80, "filed": True, "puhui": False,
             "sponsor_type": "kindergarten_class", "year": 2026, "months_operating": 10,
             "overdue_major_rectification": False}  # fmt: skip
    assert fact_lines(facts) == [
        ("县区代码", "620702"),
        ("备案托位数", "80 个"),
        ("已登记备案", "是"),
        ("执行普惠收费标准", "否"),
        ("举办主体", "幼儿园托班"),
        ("年度", "2026"),
        ("当年运营月数", "10 个月"),
        ("有逾期未完成的重大问题整改", "否"),
    ]
