"""Rules for one class (班级): capacity, class-size limit, and carers for the children in care.

Pure. Class sizes and ratios come from ``RegistryRules`` (《托育机构设置标准（试行）》 by default).
The ratio is checked against the children actually in care (``enrolled_count``), not the
capacity: that is what an inspector counts in the room.
"""

from __future__ import annotations

from desktop.domain.problems import Problem, Severity
from desktop.domain.registry_rules import DEFAULT_RULES, ClassFacts, RegistryRules, masked

__all__ = ["check_class"]

_ERROR = Severity.ERROR
_WARNING = Severity.WARNING


def _title(facts: ClassFacts) -> str:
    """'「小一班」（托小班）', or just the type when the class has no name yet."""
    name = facts.name.strip()
    return f"「{name}」（{facts.class_type.label}）" if name else facts.class_type.label


def check_class(facts: ClassFacts, *, rules: RegistryRules = DEFAULT_RULES) -> tuple[Problem, ...]:
    """Everything wrong with a class: errors in what was typed, warnings against the standard."""
    problems: list[Problem] = []
    title = _title(facts)
    kind = facts.class_type.label
    if not facts.name.strip():
        problems.append(Problem("class.name_empty", "班级名称未填写，请填写班级名称，例如“托小一班”。", _ERROR, "name"))

    if facts.capacity <= 0:
        problems.append(
            Problem(
                "class.capacity_not_positive",
                f"{title}的核定人数应大于 0（现为 {facts.capacity}），请填写该班核定收托人数。",
                _ERROR,
                "capacity",
            )
        )
    else:
        limit = rules.max_children[facts.class_type]
        if facts.capacity > limit:
            problems.append(
                Problem(
                    "class.capacity_over_limit",
                    f"{title}核定 {facts.capacity} 人，超过{kind}每班不超过 {limit} 人的规定"
                    f"（{rules.max_children_source}）。请调整班级人数或拆分班级。",
                    _WARNING,
                    "capacity",
                )
            )

    if facts.enrolled_count < 0:
        problems.append(
            Problem(
                "class.enrolled_negative",
                f"{title}的在托人数不能为负数（现为 {facts.enrolled_count}），请按机构报告的在托幼儿人数填写。",
                _ERROR,
                "enrolled_count",
            )
        )
        return masked(problems)

    if 0 < facts.capacity < facts.enrolled_count:
        problems.append(
            Problem(
                "class.over_capacity",
                f"{title}在托 {facts.enrolled_count} 人，超过核定人数 {facts.capacity} 人。"
                "请核实在托人数，或调整核定人数。",
                _WARNING,
                "enrolled_count",
            )
        )

    problems += _carers(facts, title, rules)
    return masked(problems)


def _carers(facts: ClassFacts, title: str, rules: RegistryRules) -> list[Problem]:
    children = facts.enrolled_count
    required = rules.required_carers(facts.class_type, children)
    if facts.carers >= required:
        return []
    ratio = f"不低于 1:{rules.children_per_carer[facts.class_type]} 的配比"
    source = rules.children_per_carer_sources[facts.class_type]
    if facts.carers == 0:
        # Its own code: "nobody is looking after these children" is read differently from
        # "one carer short", and usually means the assignment was never entered.
        return [
            Problem(
                "class.no_carer",
                f"{title}在托 {children} 人，但没有安排保育人员；按{ratio}至少需要 {required} 名（{source}）。"
                "请为该班安排保育人员。",
                _WARNING,
                "carers",
            )
        ]
    return [
        Problem(
            "class.carer_ratio",
            f"{title}在托 {children} 人，按{ratio}至少需要 {required} 名保育人员，现有 {facts.carers} 名"
            f"（{source}）。请增加保育人员或调整在托人数。",
            _WARNING,
            "carers",
        )
    ]
