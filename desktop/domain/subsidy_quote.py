"""The auditor's calculator (补贴试算): cases written as JSON in, one result per case out.

``tuoyu subsidy quote`` reads a file of cases and prints what the rules give, without a database, so
anyone holding the facts and the policy file can check a figure. This module does the pure part:
it reads each case's facts strictly (an unknown key is refused, since a misspelt optional fact would
otherwise be silently replaced by its default), picks the policy in force for the case's date, and
turns each result into plain JSON. A case that cannot be computed gets ``"error"`` and the others are
still computed.

Input: ``{"cases": [{"kind": "construction" | "operating" | "enrollment", "county_code": "620702",
…facts…}]}``. The facts of each kind are listed in ``FACTS``; any case may carry a ``"ref"`` (any
text, echoed back) and ``"overdue_major_rectification"`` (bool).

The policy in force is the city's (the county code's first four digits + ``00``) on: the case's
``date`` for construction (default today), 1 January of the ``year`` for operating, the first day of
the ``month`` for enrollment. A policy chosen by the caller is used for every case; a case dated
outside its period gets a warning.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from typing import Any

from desktop.domain.amount_words import format_yuan
from desktop.domain.enums import SponsorType
from desktop.domain.subsidy_policy import SubsidyKind, SubsidyPolicy, policy_in_force
from desktop.domain.subsidy_rules import (
    ConstructionFacts,
    EnrollmentFacts,
    OperatingFacts,
    SubsidyFactsError,
    SubsidyResult,
    compute,
)
from desktop.errors import TuoyuError

__all__ = ["FACTS", "QuoteInputError", "describe", "quote_cases", "read_cases"]


class QuoteInputError(TuoyuError):
    """The file as a whole is not a list of cases (a single bad case is reported in its own result)."""


# kind -> fact -> (Chinese name, shape, required). Shapes: int, bool, division, date, month, sponsor, text.
_COMMON = {
    "kind": ("补贴种类", "kind", True),
    "county_code": ("县区代码", "division", True),
    "ref": ("案件标识", "text", False),
    "overdue_major_rectification": ("机构是否有逾期的重大问题整改", "bool", False),
}
FACTS: dict[SubsidyKind, dict[str, tuple[str, str, bool]]] = {
    SubsidyKind.CONSTRUCTION: {
        **_COMMON,
        "slots": ("备案托位数", "count", True),
        "filed": ("是否已登记备案", "bool", True),
        "meets_standard": ("是否达到国家和省级规范建设要求", "bool", True),
        "previously_granted": ("是否已领取过建设补贴", "bool", True),
        "actual_slots": ("实际托位数", "count", False),
        "date": ("计算日期", "date", False),
    },
    SubsidyKind.OPERATING: {
        **_COMMON,
        "slots": ("备案托位数", "count", True),
        "filed": ("是否已备案", "bool", True),
        "puhui": ("是否执行普惠收费标准", "bool", True),
        "sponsor_type": ("举办主体", "sponsor", True),
        "year": ("年度", "year", True),
        "months_operating": ("当年运营月数", "months", False),
        "actual_slots": ("实际托位数", "count", False),
    },
    SubsidyKind.ENROLLMENT: {
        **_COMMON,
        "birth_date": ("幼儿出生日期", "date", True),
        "month": ("补贴月份", "month", True),
        "institution_filed": ("所在机构是否已备案", "bool", True),
        "institution_puhui": ("所在机构是否为普惠机构", "bool", True),
        "enrolled_on": ("入托日期", "date", False),
        "left_on": ("离托日期", "date", False),
    },
}

_SHAPES = {
    "bool": "true 或 false",
    "count": "不小于 0 的整数",
    "year": "四位数年份，如 2026",
    "months": "1 到 12 之间的整数",
    "division": '6 位数字的行政区划代码（字符串），如 "620702"',
    "date": '日期字符串 YYYY-MM-DD，如 "2026-03-01"',
    "month": '月份字符串 YYYY-MM，如 "2026-03"',
    "sponsor": "、".join(s.value for s in SponsorType),
    "text": "文字",
}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_DIVISION = re.compile(r"\d{6}")


def read_cases(data: Any) -> list[Any]:
    """The cases of a parsed input file; refuses a file that is not ``{"cases": [...]}``."""
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise QuoteInputError(
            '试算文件应为一个 JSON 对象，其中 "cases" 是案件列表，如 {"cases": [{"kind": "construction", …}]}。'
        )
    unknown = sorted(set(data) - {"cases"})
    if unknown:
        raise QuoteInputError(f'试算文件有未知的键：{"、".join(unknown)}。只允许 "cases"。')
    return data["cases"]


def quote_cases(
    cases: list[Any], policies: tuple[SubsidyPolicy, ...], *, today: date, chosen: SubsidyPolicy | None = None
) -> list[dict[str, Any]]:
    """One JSON-ready result per case, in order; ``policies`` have passed ``check_policy_set``."""
    return [_quote(case, policies, today, chosen) for case in cases]


def _quote(case: Any, policies: tuple[SubsidyPolicy, ...], today: date, chosen: SubsidyPolicy | None) -> dict:
    head: dict[str, Any] = {}
    if isinstance(case, dict):
        if isinstance(case.get("ref"), str):
            head["ref"] = case["ref"]
        if case.get("kind") in set(SubsidyKind):
            head["kind"] = case["kind"]
    try:
        facts, day = _facts(case, today)
        city_code = facts.county_code[:4] + "00"
        policy = chosen or policy_in_force(policies, city_code, day)
        if policy is None:
            city = next((f"{p.city_name}（{city_code}）" for p in policies if p.city_code == city_code), city_code)
            raise SubsidyFactsError(
                f"没有在 {day.isoformat()} 生效的{city}补贴政策（resources/policies 中没有覆盖该日期的政策文件）。"
                "请检查日期或县区代码，或用 --policy 指定政策。"
            )
        result = compute(facts, policy)
    except SubsidyFactsError as error:
        return {**head, "error": error.message}
    warnings = list(result.warnings)
    if chosen is not None and not chosen.in_force_on(day):
        warnings.insert(0, f"指定的政策“{chosen.name}”有效期为 {chosen.period_text}，不含本案日期 {day.isoformat()}。")
    return {**head, **_result_json(result), "warnings": warnings, "date": day.isoformat()}


def _result_json(result: SubsidyResult) -> dict[str, Any]:
    return {
        "kind": result.kind.value,
        "eligible": result.eligible,
        "amount_fen": result.amount_fen,
        "amount_words": result.amount_words,
        "shares_fen": result.shares_fen,
        "reasons": list(result.reasons),
        "policy": {"name": result.policy.name, "version": result.policy.version, "sha256": result.policy.sha256},
        "parameters": result.parameters,
    }


def _facts(case: Any, today: date) -> tuple[ConstructionFacts | OperatingFacts | EnrollmentFacts, date]:
    if not isinstance(case, dict):
        raise SubsidyFactsError('每个案件应为一个 JSON 对象，如 {"kind": "construction", …}。')
    kind = case.get("kind")
    if kind not in set(SubsidyKind):
        allowed = "、".join(f"{k.value}（{k.label}）" for k in SubsidyKind)
        shown = "缺少 kind" if kind is None else f"kind 为 {kind!r}"
        raise SubsidyFactsError(f"补贴种类不认识（{shown}）；可选 {allowed}。")
    kind = SubsidyKind(kind)
    known = FACTS[kind]
    problems: list[str] = []
    for key in case:
        if key not in known:
            guess = difflib.get_close_matches(key, list(known), n=1)
            hint = f"是不是“{guess[0]}”" if guess else f"{kind.label}可用的事实：{'、'.join(known)}"
            problems.append(f"有未知的事实“{key}”（{hint}）")
    values: dict[str, Any] = {}
    for key, (label, shape, required) in known.items():
        if key == "kind":
            continue
        if key not in case or case[key] is None:
            if required:
                problems.append(f"缺少“{key}”（{label}，{_SHAPES[shape]}）")
            continue
        value = _value(case[key], shape)
        if value is None:
            problems.append(f"“{key}”（{label}）应为{_SHAPES[shape]}，现在是 {_show(case[key])}")
        else:
            values[key] = value
    if problems:
        raise SubsidyFactsError("；".join(problems) + "。")
    values.pop("ref", None)
    if kind is SubsidyKind.CONSTRUCTION:
        day = values.pop("date", today)
        return ConstructionFacts(**values), day
    if kind is SubsidyKind.OPERATING:
        return OperatingFacts(**values), date(values["year"], 1, 1)
    return EnrollmentFacts(**values), values["month"]


def _value(value: Any, shape: str) -> Any:
    """The fact in its Python type, or None when it is not of the expected shape."""
    is_int = isinstance(value, int) and not isinstance(value, bool)
    if shape == "bool":
        return value if isinstance(value, bool) else None
    if shape == "count":
        return value if is_int and value >= 0 else None
    if shape == "year":
        return value if is_int and 1900 <= value <= 2999 else None
    if shape == "months":
        return value if is_int and 1 <= value <= 12 else None
    if not isinstance(value, str):
        return None
    if shape == "division":
        return value if _DIVISION.fullmatch(value) else None
    if shape == "sponsor":
        return SponsorType(value) if value in set(SponsorType) else None
    if shape == "text":
        return value
    try:
        if shape == "date":
            return date.fromisoformat(value) if _DATE.fullmatch(value) else None
        if shape == "month" and (found := _MONTH.fullmatch(value)):
            return date(int(found[1]), int(found[2]), 1)
    except ValueError:
        return None
    return None


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return f'"{value}"' if isinstance(value, str) else repr(value)


def describe(number: int, result: dict[str, Any]) -> str:
    """One case's result as the command prints it without --json."""
    ref = f"（{result['ref']}）" if "ref" in result else ""
    kind = SubsidyKind(result["kind"]).label if "kind" in result else "案件"
    title = f"第{number}件 {kind}{ref}"
    if "error" in result:
        return f"{title}：无法计算：{result['error']}"
    shares = result["shares_fen"]
    verdict = "符合条件" if result["eligible"] else "不符合条件"
    lines = [
        f"{title}：{verdict}，¥{format_yuan(result['amount_fen'])}（{result['amount_words']}），"
        f"市级 {format_yuan(shares['city'])} 元，县区 {format_yuan(shares['county'])} 元",
        *(f"    {reason}" for reason in result["reasons"]),
        *(f"    提示：{warning}" for warning in result["warnings"]),
        f"    政策：{result['policy']['name']} 第{result['policy']['version']}版（{result['policy']['sha256'][:12]}）",
    ]
    return "\n".join(lines)
