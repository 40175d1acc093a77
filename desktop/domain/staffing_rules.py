"""Rules over one institution's classes and staff together: principal, health staff, total capacity.

Pure. These need the whole institution, so they run after the per-record checks
(``check_class``, ``check_staff``) and report against the field a clerk would change.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from desktop.domain.enums import StaffRole
from desktop.domain.problems import Problem, Severity
from desktop.domain.registry_rules import DEFAULT_RULES, SETUP_STANDARD, ClassFacts, RegistryRules, StaffFacts, masked

__all__ = ["check_institution_staffing"]

_WARNING = Severity.WARNING


def check_institution_staffing(
    classes: Sequence[ClassFacts],
    staff: Sequence[StaffFacts],
    *,
    slots: int,
    rules: RegistryRules = DEFAULT_RULES,
    today: date | None = None,
) -> tuple[Problem, ...]:
    """Staffing and capacity of a whole institution.

    ``slots`` is the institution's filed slot count. When ``today`` is given, only staff employed
    on that day count (pass it unless ``staff`` is already the current staff): a principal who
    left last year must not satisfy the one-principal rule.
    """
    current = [member for member in staff if today is None or member.employed_on(today)]
    problems = [
        *_principal(current),
        *_health_staff(classes, current, rules),
        *_capacity_vs_slots(classes, slots),
    ]
    return masked(problems)


def _principal(staff: Sequence[StaffFacts]) -> list[Problem]:
    principals = [member for member in staff if member.role is StaffRole.PRINCIPAL]
    label = StaffRole.PRINCIPAL.label
    if not principals:
        return [
            Problem(
                "staffing.principal_missing",
                f"机构没有登记{label}。托育机构应配备{label}（{SETUP_STANDARD}），请在从业人员中登记{label}。",
                _WARNING,
                "role",
            )
        ]
    if len(principals) > 1:
        names = "、".join(member.name.strip() or "（未填姓名）" for member in principals)
        return [
            Problem(
                "staffing.principal_several",
                f"机构登记了 {len(principals)} 名{label}（{names}），每个机构应只有 1 名{label}。"
                "请核实，并把其他人员改为相应岗位。",
                _WARNING,
                "role",
            )
        ]
    return []


def _health_staff(classes: Sequence[ClassFacts], staff: Sequence[StaffFacts], rules: RegistryRules) -> list[Problem]:
    # Negative counts are reported by check_class; here they must not cancel real children out.
    children = sum(max(group.enrolled_count, 0) for group in classes)
    threshold = rules.health_staff_min_children
    if children < threshold or any(member.role is StaffRole.HEALTH_STAFF for member in staff):
        return []
    # Below the threshold a part-time health worker is allowed, and may be registered under
    # another role, so only the ≥ threshold case can be checked from the register.
    label = StaffRole.HEALTH_STAFF.label
    return [
        Problem(
            "staffing.health_staff_missing",
            f"机构在托 {children} 人，在托 {threshold} 人及以上的应至少配备 1 名专职{label}"
            f"（{rules.health_staff_source}），现未登记{label}。请督促机构配备并登记{label}。",
            _WARNING,
            "role",
        )
    ]


def _capacity_vs_slots(classes: Sequence[ClassFacts], slots: int) -> list[Problem]:
    capacity = sum(group.capacity for group in classes if group.capacity > 0)
    if slots < 0 or capacity <= slots:  # a negative slot count is check_institution's error
        return []
    return [
        Problem(
            "staffing.capacity_over_slots",
            f"各班核定人数合计 {capacity} 人，超过备案托位数 {slots} 个。请核实各班核定人数，或办理备案变更增加托位。",
            _WARNING,
            "slots",
        )
    ]
