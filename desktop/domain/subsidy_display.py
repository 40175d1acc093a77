"""An application's stored facts and policy parameters as a reviewer reads them: Chinese names, yuan,
是/否, and the policy's own words for each choice. Pure; used by the 补贴 screen and printouts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desktop.domain.amount_words import format_yuan
from desktop.domain.enums import SponsorType
from desktop.domain.subsidy_policy import (
    AgeCountedOn,
    ConstructionTier,
    MissingAnniversary,
    PartialPeriod,
    RectificationRule,
    SlotBasis,
)

__all__ = ["fact_lines", "parameter_lines"]

_FACTS = {
    "county_code": "县区代码",
    "slots": "备案托位数",
    "actual_slots": "实际托位数",
    "filed": "已登记备案",
    "meets_standard": "达到国家和省级规范建设要求（经办人确认）",
    "previously_granted": "已领取过建设补贴",
    "puhui": "执行普惠收费标准",
    "sponsor_type": "举办主体",
    "year": "年度",
    "months_operating": "当年运营月数",
    "month": "补贴月份",
    "institution_filed": "所在机构已备案",
    "institution_puhui": "所在机构为普惠机构",
    "children": "申报幼儿人数",
    "eligible_children": "符合条件幼儿人数",
    "overdue_major_rectification": "有逾期未完成的重大问题整改",
    "date": "计算日期",
}

_PARAMETERS = {
    "tiers": "建设补贴档次",
    "amount_per_slot_year_fen": "每托位每年补助",
    "amount_per_child_month_fen": "每生每月补助",
    "eligible_sponsor_types": "可享受的举办主体",
    "slot_basis": "托位数口径",
    "age_limit_months": "月龄上限",
    "age_counted_on": "月龄计算日",
    "missing_anniversary": "生日在当月不存在时满月龄于",
    "partial_year": "不足一年的处理",
    "partial_month": "不足一月的处理",
    "requires_filed": "须已备案",
    "requires_meets_standard": "须达到建设标准",
    "requires_puhui": "须为普惠",
    "overdue_major_rectification": "重大问题整改逾期的处理",
    "city_percent": "市级承担比例",
    "county_percent": "县区承担比例",
}

_CHOICES = {
    "slot_basis": SlotBasis,
    "overdue_major_rectification": RectificationRule,
    "partial_year": PartialPeriod,
    "partial_month": PartialPeriod,
    "age_counted_on": AgeCountedOn,
    "missing_anniversary": MissingAnniversary,
}


def _yes_no(value: Any) -> str:
    return "是" if value else "否"


def fact_lines(facts: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(name, value) for each stored fact, in a reviewer's order; ``kind`` is the scheme, not a fact."""
    lines = []
    for key, label in _FACTS.items():
        if key not in facts:
            continue
        value = facts[key]
        if isinstance(value, bool):
            text = _yes_no(value)
        elif key == "sponsor_type" and value in set(SponsorType):
            text = SponsorType(value).label
        elif key in ("slots", "actual_slots"):
            text = f"{value} 个"
        elif key in ("children", "eligible_children"):
            text = f"{value} 人"
        elif key == "months_operating":
            text = f"{value} 个月"
        else:
            text = str(value)
        lines.append((label, text))
    return lines


def parameter_lines(parameters: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(name, value) for each policy parameter that produced an amount, in the policy file's order."""
    lines = []
    known = [key for key in _PARAMETERS if key in parameters]
    for key in known + [key for key in parameters if key not in _PARAMETERS]:
        value, label = parameters[key], _PARAMETERS.get(key, key)
        if key == "tiers":
            tiers = [ConstructionTier(t["min_slots"], t["max_slots"], t["amount_fen"]) for t in value]
            text = "；".join(f"{t.label} {format_yuan(t.amount_fen)} 元" for t in reversed(tiers))
        elif key in _CHOICES and value in set(_CHOICES[key]):
            text = _CHOICES[key](value).label
        elif key == "eligible_sponsor_types":
            text = "、".join(SponsorType(v).label for v in value) or "（无）"
        elif key.endswith("_fen"):
            text = f"{format_yuan(value)} 元"
        elif key.endswith("_percent"):
            text = f"{value}%"
        elif key == "age_limit_months":
            text = f"{value} 个月"
        elif isinstance(value, bool):
            text = _yes_no(value)
        else:
            text = str(value)
        lines.append((label, text))
    return lines
